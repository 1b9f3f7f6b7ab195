"""The observations behind a figure, one best row per region × indicator × period, with provenance."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from digecon.catalog import UnknownNameError, get_catalog
from digecon.facts import MARKED_STATUSES, STATUS_ZH, Facts, unit_word
from digecon.figures.defs import FigureDef
from digecon.store.derive import DERIVE_SOURCE

COLUMNS = ["region_code", "region_name", "indicator", "indicator_name", "period", "value", "unit",
           "status", "source", "vintage", "note"]


@dataclass(frozen=True)
class IndicatorMeta:
    code: str
    name: str
    unit: str
    decimals: int


def indicator_meta(code: str, unit_hint: str = "") -> IndicatorMeta:
    """Name, unit and decimals from the catalog; falls back to the code when no catalog exists."""
    try:
        ind = get_catalog().indicator(code)
    except UnknownNameError:  # a code the catalog lacks must not stop a figure
        return IndicatorMeta(code, code, unit_hint, 1)
    return IndicatorMeta(code, ind.name_zh, ind.unit or unit_hint, int(ind.decimals or 0))


def city_codes(parent: str) -> list[str] | None:
    """The child regions of `parent` in code order (None when the catalog lists none)."""
    return [r.code for r in get_catalog().regions(level="city", parent=parent)] or None


def _is_child(code: str, parent: str) -> bool:
    return code != parent and code[:2] == parent[:2] and code.endswith("00")


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
        regions = city_codes(fdef.region) or [
            r.code for r in facts.catalog.regions() if _is_child(r.code, fdef.region)]
    rows = facts.select(fdef.indicators, regions, fdef.periods or None)
    if not rows:
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
    sources = [f"{s}（部分数值据其推算）" if s in derived_from else s for s in direct]
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
            # "2021年" but "2021-12" as is: monthly periods carry no 年.
            where = "、".join(periods) + ("年" if all(len(p) == 4 for p in periods) else "")
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
    return text
