"""The observations behind a figure, one best row per region × indicator × period, with provenance."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from digecon.figures.defs import FigureDef

# When a cell has several rows (statuses or vintages), the most authoritative wins; the order
# follows the store's STATUS_PRIORITY (synthetic enterprise results only demonstrate the method).
STATUS_RANK = {"published": 0, "estimated": 1, "derived": 2, "illustrative": 3, "synthetic": 4}
MARKED_STATUSES = ("illustrative", "synthetic")
STATUS_ZH = {
    "published": "公开发布",
    "estimated": "估算值",
    "derived": "推算值",
    "synthetic": "合成值",
    "illustrative": "示意值",
}
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
    from digecon.catalog import UnknownNameError, get_catalog

    try:
        ind = get_catalog().indicator(code)
    except UnknownNameError:  # a code the catalog lacks must not stop a figure
        return IndicatorMeta(code, code, unit_hint, 1)
    return IndicatorMeta(code, ind.name_zh, ind.unit or unit_hint, int(ind.decimals or 0))


def city_codes(parent: str) -> list[str] | None:
    """The child regions of `parent` in code order (None when the catalog lists none)."""
    from digecon.catalog import get_catalog

    return [r.code for r in get_catalog().regions(level="city", parent=parent)] or None


def _is_child(code: str, parent: str) -> bool:
    return code != parent and code[:2] == parent[:2] and code.endswith("00")


def best_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Keep one row per cell: measured before marked, then the latest vintage, then best status.

    A newer vintage supersedes an older one whatever its status: once GDP is revised, the share
    derived from the revision replaces the share published with the preliminary figure. Marked
    rows (illustrative, synthetic) only fill cells that nothing measured covers. The narrative
    and the fact-check choose their values by the same rule, so text, charts and checks agree.
    """
    if df.empty:
        return df
    if "qualifier" in df.columns:
        # "超2500亿元" is stored as a bound (gt), not a value a chart can draw.
        df = df[df["qualifier"].fillna("eq").isin(["eq", ""])]
    df = df.copy()
    df["_marked"] = df["status"].isin(MARKED_STATUSES)
    df["_rank"] = df["status"].map(STATUS_RANK).fillna(9)
    df["_vint"] = df["vintage"].astype(str)
    df = df.sort_values(["region_code", "indicator", "period", "_marked", "_vint", "_rank"],
                        ascending=[True, True, True, True, False, True], kind="stable")
    df = df.drop_duplicates(["region_code", "indicator", "period"], keep="first")
    return df.drop(columns=["_marked", "_rank", "_vint"])


def figure_frame(fdef: FigureDef, store, as_of: str | None = None) -> pd.DataFrame:
    """Query the store for every series of `fdef` and shape the rows the figure shows.

    `as_of` (YYYY-MM-DD) limits the rows to vintages released on or before that date.
    """
    parts = []
    for code in dict.fromkeys(fdef.indicators):
        rows = store.query(indicator=code, as_of=as_of)
        if rows is not None and not rows.empty:
            parts.append(rows)
    if not parts:
        raise LookupError(f"{fdef.id}: no observations for {', '.join(fdef.indicators)}")
    df = pd.concat(parts, ignore_index=True)
    df["region_code"] = df["region_code"].astype(str)
    df["period"] = df["period"].astype(str)
    if fdef.periods:
        df = df[df["period"].isin(fdef.periods)]
    if fdef.kind == "time":
        df = df[df["region_code"] == fdef.region]
    else:
        wanted = city_codes(fdef.region)
        if wanted:
            df = df[df["region_code"].isin(wanted)]
        else:
            df = df[df["region_code"].map(lambda c: _is_child(c, fdef.region))]
    df = best_rows(df)
    if df.empty:
        raise LookupError(
            f"{fdef.id}: no observations for {', '.join(fdef.indicators)} "
            f"in periods {', '.join(fdef.periods) or 'all'}"
        )
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = ""
    metas = {c: indicator_meta(c, str(df.loc[df.indicator == c, "unit"].iloc[0]))
             for c in df["indicator"].unique()}
    df["indicator_name"] = df["indicator"].map(lambda c: metas[c].name)
    order = {c: i for i, c in enumerate(fdef.indicators)}
    df["_o"] = df["indicator"].map(order)
    df = df.sort_values(["_o", "region_code", "period"], kind="stable").drop(columns="_o")
    out = df[COLUMNS].reset_index(drop=True)
    for col in ("source", "note", "vintage", "unit", "region_name"):
        out[col] = out[col].fillna("").astype(str)
    return out


def source_line(fdef: FigureDef, df: pd.DataFrame) -> str:
    """The 数据来源 line: the spec's wording if given, else the distinct sources of the rows."""
    if fdef.source:
        return fdef.source
    sources = [s for s in dict.fromkeys(df["source"].tolist()) if s]
    return "；".join(sources) if sources else "digecon 数据库"


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
            notes.append(f"{where}{what}为{STATUS_ZH[status]}（{status}）")
        else:
            what = "、".join(dict.fromkeys(sub["indicator_name"].tolist()))
            notes.append(f"各设区市{what}为{STATUS_ZH[status]}（{status}）")
    text = []
    if notes:
        msg = "；".join(notes) + "。"
        if df["status"].isin(MARKED_STATUSES).any():
            msg += "示意值由演示数据集按白皮书文字所述阈值生成，仅用于展示，不是统计数据。"
        text.append("注：" + msg)
    if fdef.note:
        text.append(fdef.note)
    return text
