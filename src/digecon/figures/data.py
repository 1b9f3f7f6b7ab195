"""The observations behind a figure, one best row per region × indicator × period, with provenance."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from digecon.catalog import UnknownNameError, get_catalog
from digecon.facts import MARKED_STATUSES, STATUS_ZH, Facts, unit_word
from digecon.figures.defs import FigureDef
from digecon.figures.labels import periods_text, with_remark
from digecon.store.derive import DERIVE_SOURCE

COLUMNS = ["region_code", "region_name", "indicator", "indicator_name", "period", "value", "unit",
           "status", "source", "vintage", "note"]


@dataclass(frozen=True)
class IndicatorMeta:
    code: str
    name: str
    unit: str
    decimals: int
    kind: str = "other"  # the catalog's kind: level, share, growth, index, count, …


def indicator_meta(code: str, unit_hint: str = "") -> IndicatorMeta:
    """Name, unit, decimals and kind from the catalog; the code itself when the catalog lacks it."""
    try:
        ind = get_catalog().indicator(code)
    except UnknownNameError:  # a code the catalog lacks must not stop a figure
        return IndicatorMeta(code, code, unit_hint, 1)
    return IndicatorMeta(code, ind.name_zh, ind.unit or unit_hint, int(ind.decimals or 0),
                         ind.kind or "other")


def unit_codes(region: str, catalog=None) -> list[str]:
    """The units a figure of `region` compares, in code order: the country's provinces, else
    the units its text counts (Catalog.subunits: a province's prefecture-level units, a
    直辖市's 区县 directly under it, and any unit the dataset's catalog/ adds there)."""
    cat = catalog if catalog is not None else get_catalog()
    reg = cat.region(region)
    if reg.level == "country":
        return [r.code for r in cat.regions(level="province")]
    return [r.code for r in cat.subunits(reg.code)]


def figure_frame(fdef: FigureDef, store, as_of: str | None = None,
                 facts: Facts | None = None) -> pd.DataFrame:
    """The facts every series of `fdef` shows, one row per region × indicator × period.

    Values are chosen, rounded and labelled by digecon.facts (the `text` column is the rounded
    value every surface prints). `as_of` (YYYY-MM-DD) limits them to vintages released on or
    before that date; pass `facts` to share one reader between figures.
    """
    facts = facts if facts is not None else Facts(store, as_of)
    if fdef.kind == "time":
        regions = [fdef.region]
    else:
        regions = unit_codes(fdef.region, facts.catalog)
    # the region's own value of a series drawn as its average line (全省平均水平)
    own = {sd.indicator for sd in fdef.series if sd.average == "region"} if fdef.kind == "cities" else set()
    rows = facts.select(fdef.indicators, regions + ([fdef.region] if own else []),
                        fdef.periods or None)
    rows = [f for f in rows if f.region != fdef.region or fdef.kind == "time" or f.indicator in own]
    if not [f for f in rows if f.region != fdef.region or fdef.kind == "time"]:
        raise LookupError(
            f"{fdef.id}: no observations for {', '.join(fdef.indicators)} "
            f"in periods {', '.join(fdef.periods) or 'all'}"
        )
    df = pd.DataFrame([{
        "region_code": f.region, "region_name": f.region_name, "indicator": f.indicator,
        "indicator_name": f.name, "period": f.period, "value": f.value, "unit": f.unit,
        "status": f.status, "source": f.source, "vintage": f.vintage.isoformat(),
        "note": f.note, "text": f.text, "decimals": f.decimals, "inputs": f.inputs}
        for f in rows])
    order = {c: i for i, c in enumerate(fdef.indicators)}
    df["_o"] = df["indicator"].map(order)
    df = df.sort_values(["_o", "region_code", "period"], kind="stable").drop(columns="_o")
    return df[COLUMNS + ["text", "decimals", "inputs"]].reset_index(drop=True)


def source_line(fdef: FigureDef, df: pd.DataFrame) -> str:
    """The 数据来源 line: the spec's wording if given, else the distinct sources of the rows;
    a value the store derived is credited to its inputs' sources (据…推算)."""
    if fdef.source:
        return fdef.source
    direct: list[str] = []
    derived_from: list[str] = []
    for source, inputs in zip(df["source"].tolist(), df.get("inputs", [""] * len(df))):
        if source == DERIVE_SOURCE:
            own = [i.get("source", "") for i in (json.loads(inputs) if inputs else [])]
            derived_from += [s for s in own if s and s != DERIVE_SOURCE]
        elif source:
            direct.append(source)
    direct = list(dict.fromkeys(direct))
    only_derived = [s for s in dict.fromkeys(derived_from) if s not in direct]
    sources = [with_remark(s, "部分数值据其推算") if s in derived_from else s for s in direct]
    if only_derived:
        sources.append("据" + "、".join(only_derived) + "推算")
    return "；".join(sources) if sources else "编制单位整理"


def status_notes(fdef: FigureDef, df: pd.DataFrame) -> list[str]:
    """One note per non-published status, naming the cells it covers (shown under the figure)."""
    notes = []
    for status in ("estimated", "derived", "synthetic", "illustrative"):
        sub = df[df["status"] == status]
        if sub.empty:
            continue
        if fdef.kind == "time":
            periods = list(dict.fromkeys(sub["period"].tolist()))
            where = periods_text(periods)
            what = "、".join(dict.fromkeys(sub["indicator_name"].tolist()))
            notes.append(f"{where}{what}为{STATUS_ZH[status]}")
        else:
            what = "、".join(dict.fromkeys(sub["indicator_name"].tolist()))
            notes.append(f"各{unit_word(fdef.region)}{what}为{STATUS_ZH[status]}")
    text = []
    if notes:
        msg = "；".join(notes) + "。"
        if df["status"].isin(MARKED_STATUSES).any():
            msg += "示意值不是统计数据，其来历见编制说明。"
        text.append("注：" + msg)
    if fdef.note:
        text.append(fdef.note)
    if fdef.kind == "choropleth":
        text.append(basemap_line(fdef))
    return text


def basemap_line(fdef: FigureDef) -> str:
    """The line printed under every map: its basemap's source and 审图号, or that it is a
    sketch (示意) because it has none."""
    bm = fdef.basemap
    source = f"底图来源：{bm.source}" if bm and bm.source else "底图来源未注明"
    if bm and bm.review_no:
        return f"审图号：{bm.review_no}（{source}）"
    return f"{source}；未经审图（无审图号），本图为示意图，边界不作为权属争议的依据。"
