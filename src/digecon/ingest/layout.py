"""Which column of a file holds which field: long or wide layout, from the header row alone.

Every column is accounted for: a known field, a period or indicator to unpivot (wide), a
comment column (header starting with `#`), or reported — a header close to a known name is
refused with the suggestion, any other unknown column is ignored with a notice.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from digecon.catalog import Catalog

from .errors import ReadError

HEADER_ALIASES = {
    "region": ("region", "region_code", "region_name", "地区", "地区名称", "地区代码", "城市",
               "设区市", "省份", "行政区划代码"),
    "indicator": ("indicator", "indicator_code", "指标", "指标代码", "指标名称"),
    "period": ("period", "year", "时期", "年份", "年度", "时间"),
    "value": ("value", "数值", "值", "指标值"),
    "unit": ("unit", "单位", "计量单位"),
    "status": ("status", "状态", "数据状态"),
    "qualifier": ("qualifier", "限定词"),
    "vintage": ("vintage", "版本", "发布日期"),
    "source": ("source", "来源", "数据来源"),
    "section": ("section", "章节"),
    "ref": ("ref", "出处", "图表"),
    "quote": ("quote", "原文"),
    "formula": ("formula", "公式"),
    "inputs": ("inputs",),
    "note": ("note", "备注", "说明"),
}
ALIAS_FIELD = {a: f for f, names in HEADER_ALIASES.items() for a in names}
PERIOD_HEADER = re.compile(r"^\d{4}(年)?$|^\d{4}-(0[1-9]|1[0-2])$|^\d{4}-\d{4}$")
COMMENT_PREFIX = "#"
# How close an unknown header must be to a known name to be taken for a misspelling of it
# (difflib ratio: `stauts`/`status` 0.83, `数据来原`/`数据来源` 0.75, `联系人`/`来源` 0).
MISSPELT = 0.75


@dataclass
class Layout:
    headers: list[str]                              # the header row, stripped
    fields: dict[str, int]                          # field -> column index
    melt: list[int] = field(default_factory=list)   # columns to unpivot (wide layouts)
    melt_as: str = ""                               # "period" or "indicator"
    ignored: list[int] = field(default_factory=list)  # unknown columns (not comments)

    def used(self) -> list[int]:
        return sorted(set(self.fields.values()) | set(self.melt))

    def label(self, index: int) -> str:
        """A column's name in messages: its header, or 列N when the header cell is empty."""
        return self.headers[index] or f"列{index + 1}"


def recognised(headers: list[str], catalog: Catalog) -> bool:
    """Whether any header is a field, a period or an indicator (a data sheet, not notes)."""
    return any(h.lower() in ALIAS_FIELD or PERIOD_HEADER.match(h) or _indicator(catalog, h)
               for h in headers if h)


def detect_layout(headers: list[str], catalog: Catalog, where: str,
                  indicator: str | None, period: str | None) -> Layout:
    """The layout of a header row; ReadError (`where:1:COLUMN: found …, expected …`) when a
    field has two columns, a header looks misspelt, or no layout fits."""
    headers = [h.strip() for h in headers]
    by_field: dict[str, list[int]] = {}
    rest: list[int] = []
    for i, h in enumerate(headers):
        f = ALIAS_FIELD.get(h.lower())
        if f:
            by_field.setdefault(f, []).append(i)
        elif h.startswith(COMMENT_PREFIX):
            continue
        else:
            rest.append(i)
    problems = [_twice(where, headers, f, cols) for f, cols in by_field.items() if len(cols) > 1]
    fields = {f: cols[0] for f, cols in by_field.items()}
    layout = Layout(headers, fields)
    period_cols = [i for i in rest if PERIOD_HEADER.match(headers[i])]
    ind_cols = [i for i in rest if _indicator(catalog, headers[i])]
    if "value" not in fields and period_cols:
        layout.melt, layout.melt_as = period_cols, "period"
    elif "value" not in fields and ind_cols:
        layout.melt, layout.melt_as = ind_cols, "indicator"
    problems += _repeated_melt_headers(where, headers, layout.melt)
    for i in rest:
        if i in layout.melt or not headers[i]:
            continue
        near = _near(headers[i], catalog, layout.melt_as)
        if near:
            problems.append(f"{where}:1:{headers[i]}: found 未知列「{headers[i]}」, "
                            f"expected 已知列名；最接近：{near}")
        else:
            layout.ignored.append(i)
    if problems:
        raise ReadError("\n".join(problems))
    _check_fields(layout, where, indicator, period)
    return layout


def _check_fields(layout: Layout, where: str, indicator: str | None,
                  period: str | None) -> None:
    fields, headers = layout.fields, layout.headers
    if "region" not in fields:
        raise ReadError(f"{where}:1: found 表头 {headers}, expected 一列地区（region / 地区）")
    if "value" in fields:
        missing = [f for f in ("indicator", "period") if f not in fields]
        if missing and not (set(missing) <= {"indicator"} and indicator or
                            set(missing) <= {"period"} and period):
            raise ReadError(f"{where}:1: found 表头 {headers}, expected 长表的列 region, "
                            f"indicator, period, value（缺少 {', '.join(missing)}）")
    elif layout.melt_as == "period":
        if "indicator" not in fields and not indicator:
            raise ReadError(f"{where}:1: 宽表（各列为时期）found 无指标列, expected 一列 "
                            "indicator / 指标，或用 --indicator 指定")
    elif layout.melt_as == "indicator":
        if "period" not in fields and not period:
            raise ReadError(f"{where}:1: 宽表（各列为指标）found 无时期列, expected 一列 "
                            "period / 年份，或用 --period 指定")
    else:
        raise ReadError(f"{where}:1: found 表头 {headers}, expected 长表（region, indicator, "
                        "period, value）或宽表（地区 + 各年份列，或 地区 + 各指标列）")


def _twice(where: str, headers: list[str], f: str, cols: list[int]) -> str:
    listed = "、".join(f"第 {i + 1} 列「{headers[i]}」" for i in cols)
    return (f"{where}:1:{headers[cols[-1]]}: found 两列都是 {f}（{listed}）, "
            "expected 每个字段只有一列：删除或改名其中一列")


def _repeated_melt_headers(where: str, headers: list[str], melt: list[int]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i in melt:
        key = headers[i].lower()
        if key in seen:
            out.append(f"{where}:1:{headers[i]}: found 列「{headers[i]}」与第 {seen[key] + 1} "
                       f"列「{headers[seen[key]]}」重复, expected 每列表头各不相同")
        seen.setdefault(key, i)
    return out


def _near(header: str, catalog: Catalog, melt_as: str) -> str:
    """The known name an unknown header is probably a misspelling of, or ''."""
    names = list(ALIAS_FIELD)
    if melt_as == "indicator":
        names += [i.code for i in catalog.indicators()] + [i.name_zh for i in catalog.indicators()]
    close = difflib.get_close_matches(header.lower(), names, n=1, cutoff=MISSPELT)
    return close[0] if close else ""


def _indicator(catalog: Catalog, name: str) -> bool:
    if catalog.has_indicator(name):
        return True
    try:
        catalog.indicator(name)
        return True
    except KeyError:
        return False


def ignored_notice(where: str, layout: Layout) -> str:
    names = "、".join(f"「{layout.label(i)}」" for i in layout.ignored)
    return f"{where}: 已忽略不认识的列{names}"
