"""Which column of a file holds which field: long or wide layout, from the header row alone.

Every column is accounted for: a known field, a period or indicator to unpivot (wide), a
comment column (header starting with `#`), or reported — a header close to a known name is
refused with the candidates (`close_to_known`), any other unknown column is ignored with a
notice.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from digecon.catalog import Catalog

from .errors import ReadError
from .names import plain_name

HEADER_ALIASES = {
    # The region column under the words provinces use for their units (设区市, 市州, 盟市 …).
    "region": ("region", "region_code", "region_name", "地区", "地区名称", "地区代码", "城市",
               "设区市", "省份", "行政区划代码", "行政区划", "区域", "市州", "市(州)", "地市",
               "地州市", "盟市", "市县", "区县", "县区", "县(市、区)", "县(市、区、旗)", "省市"),
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
# What people write as a period in a header (after NFKC): 2022, 2022年, 2022年度, 2022-09,
# 2016-2021年, 2022年9月, and periods no store column holds (2022年一季度, 2022年1-9月,
# 2022年上半年): all are read as periods, so that validation names each cell it cannot take.
PERIOD_LIKE = re.compile(
    r"^\d{4}\s*(年度?)?$|^\d{4}-(0[1-9]|1[0-2])$|^\d{4}\s*[-—–~～至]\s*\d{4}\s*年?$"
    r"|^\d{4}\s*年\s*\d{1,2}\s*月份?$"
    r"|^\d{4}\s*年?\s*(第?[一二三四1-4]\s*季度|Q[1-4]|[上下]半年|\d{1,2}\s*[-—–~～至]\s*\d{1,2}\s*月)$")
# A unit in brackets at the end of a header: 数值（万元） / 占比(%) / 产值（单位：亿元）
UNIT_SUFFIX = re.compile(r"^(.*?)\s*[（(]\s*(?:单位\s*[：:]\s*)?([^（）()]+?)\s*[)）]\s*$")
# A period named relative to one the table does not state (本年, 上年同期, 本月, 去年 …): which
# year it is cannot be told from the cell, so a column or cell so named is refused, not guessed.
# A month without its year (1月, 1-9月, 12月份: the year only in a title, if anywhere) is one.
RELATIVE_PERIOD = re.compile(
    r"^(?:(?:本|上|今|去|前|当)(?:年度?|期|月|季度?|半年)(?:同期)?|(?:上年)?同期|本年)"
    r"(?:1?[0-9]?-?1?[0-9]?月)?(?:累计)?(?:数|值|数值|实际|完成|完成数)?$"
    r"|^(?:1[0-2]|0?[1-9])(?:\s*[-—–~～至]\s*(?:1[0-2]|0?[1-9]))?\s*月份?(?:累计)?$")
# A unit written alone on a line of a header cell: 亿元 / 单位：亿元 / 计量单位: 个
UNIT_LABEL = re.compile(r"^(?:计量)?单位\s*[：:]\s*(.+)$")
COMMENT_PREFIX = "#"
# How close an unknown header must be to a known name to be taken for a misspelling of it
# (difflib ratio: `stauts`/`status` 0.83, `数据来原`/`数据来源` 0.75, `联系人`/`来源` 0).
MISSPELT = 0.75
# A header this long whose characters all stand, in order, in an indicator's name or alias is
# taken for a shortening of that name (数字产业化比重 in 数字产业化占数字经济比重); shorter ones
# (增长, 比重, 增加值) are words too common to say which indicator they shorten, if any.
SHORTENING_MIN = 4
SHOWN_CANDIDATES = 5


@dataclass
class HeaderKind:
    """What a header cell names: a field, a period, an indicator, a comment or nothing known;
    `name` without the unit in brackets, `unit` that unit (or '')."""
    kind: str
    name: str
    unit: str = ""


def classify(text: str, catalog: Catalog) -> HeaderKind:
    """What one header cell names (see HeaderKind); whitespace that is layout (地　区, a line
    break of a wrapped cell) is no part of the name (names.plain_name)."""
    raw = plain_name(text)
    if raw.startswith(COMMENT_PREFIX):
        return HeaderKind("comment", raw)
    t = unicodedata.normalize("NFKC", raw)
    found = _plain_kind(raw, t, catalog)
    if found:
        return found
    m = UNIT_SUFFIX.match(t)
    if m and _is_unit(m.group(2), catalog):
        base = m.group(1).strip()
        raw_base = UNIT_SUFFIX.match(raw)
        found = _plain_kind(raw_base.group(1).strip() if raw_base else base, base, catalog)
        if found:
            unit = "%" if m.group(2) in ("%", "％") else m.group(2)
            return HeaderKind(found.kind, found.name, unit)
    return HeaderKind("unknown", raw)


def header_name(text: str, catalog: Catalog) -> str:
    """A header cell on one line: the lines of a cell wrapped with Alt+Enter joined as one name
    (names.plain_name), and a unit alone on the last line put in brackets after it
    (地区生产总值⏎亿元 / 地区生产总值⏎单位：亿元 → 地区生产总值（亿元））."""
    lines = [line for line in re.split(r"[\r\n\u2028\u2029]+", text) if line.strip()]
    if len(lines) > 1:
        last = plain_name(lines[-1])
        m = UNIT_LABEL.match(last)
        unit = m.group(1) if m else last
        if _is_unit(unit, catalog):
            return f"{plain_name(' '.join(lines[:-1]))}（{unit}）"
    return plain_name(" ".join(lines))


def _plain_kind(raw: str, t: str, catalog: Catalog) -> HeaderKind | None:
    if t.lower() in ALIAS_FIELD:
        return HeaderKind("field", ALIAS_FIELD[t.lower()])
    if PERIOD_LIKE.match(t):
        return HeaderKind("period", t)
    for name in dict.fromkeys((raw, t)):
        if name and _indicator(catalog, name):
            return HeaderKind("indicator", name)
    if raw and raw in _region_keys(catalog):  # regions across (指标 | 南昌市 | 九江市 …)
        return HeaderKind("region", raw)
    return None


_REGION_KEYS: dict[int, set[str]] = {}


def _region_keys(catalog: Catalog) -> set[str]:
    """Every name that means one region (the catalog's unique keys), kept per catalog."""
    keys = _REGION_KEYS.get(id(catalog))
    if keys is None:
        keys = set(catalog.region_keys(counties=True))
        _REGION_KEYS.clear()
        _REGION_KEYS[id(catalog)] = keys
    return keys


def _is_unit(text: str, catalog: Catalog) -> bool:
    return text in ("%", "％") or any(u.unit == text for u in catalog.units())


def plain_header(text: str, catalog: Catalog) -> bool:
    """Whether the fast CSV reader takes this header as it is (else the table reader)."""
    h = text.strip()
    if not h or h.startswith(COMMENT_PREFIX) or h.lower() in ALIAS_FIELD or PERIOD_HEADER.match(h):
        return True
    if _indicator(catalog, h):
        return True
    return classify(h, catalog).kind == "unknown"


@dataclass
class Layout:
    headers: list[str]                              # the header row, stripped
    fields: dict[str, int]                          # field -> column index
    melt: list[int] = field(default_factory=list)   # columns to unpivot (wide layouts)
    melt_as: str = ""                               # "period" or "indicator"
    ignored: list[int] = field(default_factory=list)  # unknown columns (not comments)
    # Read by the table reader: each value column's fields from its header (indicator,
    # period), each column's unit from its header, the unit of a 单位 line above the table.
    melt_values: dict[int, dict[str, str]] = field(default_factory=dict)
    units: dict[int, str] = field(default_factory=dict)
    table_unit: str = ""

    def used(self) -> list[int]:
        return sorted(set(self.fields.values()) | set(self.melt))

    def melt_fields_all(self) -> set[str]:
        """The fields the value columns' headers give."""
        if self.melt_values:
            return {f for consts in self.melt_values.values() for f in consts}
        return {self.melt_as} if self.melt and self.melt_as else set()

    def label(self, index: int) -> str:
        """A column's name in messages: its header, or 列N when the header cell is empty."""
        return self.headers[index] or f"列{index + 1}"


def recognised(headers: list[str], catalog: Catalog) -> bool:
    """Whether any header is a field, a period or an indicator (a data sheet, not notes)."""
    return any(h.lower() in ALIAS_FIELD or PERIOD_HEADER.match(h) or _indicator(catalog, h)
               for h in headers if h)


def detect_layout(headers: list[str], catalog: Catalog, where: str,
                  indicator: str | None, period: str | None) -> Layout:
    """The layout of a header row; ReadError (`where:1:COLUMN: 发现…，应为…`) when a
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
        near = close_to_known(headers[i], catalog)
        if relative_period(headers[i]):
            problems.append(relative_period_problem(f"{where}:1", headers[i]))
        elif near:
            problems.append(f"{where}:1:{headers[i]}: {near}")
        else:
            layout.ignored.append(i)
    if problems:
        raise ReadError("\n".join(problems))
    check_fields(layout, f"{where}:1", indicator, period)
    return layout


def relative_period(text: str) -> bool:
    """Whether a header or period cell names a relative period (RELATIVE_PERIOD), unit aside."""
    t = plain_name(unicodedata.normalize("NFKC", text))
    m = UNIT_SUFFIX.match(t)
    return bool(RELATIVE_PERIOD.match(m.group(1).strip() if m else t))


def relative_period_problem(where: str, label: str) -> str:
    """The message for a column headed by a relative period (RELATIVE_PERIOD)."""
    return (f"{where}:{label}: 发现列「{label}」是相对的时期，应为写明年份或月份的列名"
            "（如 2021年、2022年12月）：表中没有写明它所指的年份，不能推断")


def check_fields(layout: Layout, where: str, indicator: str | None,
                 period: str | None) -> None:
    """ReadError unless the layout gives region, indicator, period and value for every row;
    `where` is FILE[:SHEET]:ROW of the header."""
    fields, headers = layout.fields, [h for h in layout.headers if h]
    given = set(fields) | layout.melt_fields_all()
    if "region" not in given:
        raise ReadError(f"{where}: 发现表头 {headers}，应为一列地区（region / 地区）")
    missing = [f for f in ("indicator", "period") if f not in given
               and not (indicator if f == "indicator" else period)]
    if "value" in fields:
        if missing:
            raise ReadError(f"{where}: 发现表头 {headers}，应为长表的列 region, indicator, "
                            f"period, value（缺少 {', '.join(missing)}）")
    elif layout.melt:
        if "indicator" in missing:
            raise ReadError(f"{where}: 发现宽表（各列为时期）无指标列，应为一列 indicator / 指标，"
                            "或用 --indicator 指定")
        if "period" in missing:
            raise ReadError(f"{where}: 发现宽表（各列为指标）无时期列，应为一列 period / 年份，"
                            "或用 --period 指定")
    else:
        raise ReadError(f"{where}: 发现表头 {headers}，应为长表（region, indicator, period, "
                        "value）或宽表（地区 + 各年份列，或 地区 + 各指标列）")


def _twice(where: str, headers: list[str], f: str, cols: list[int]) -> str:
    listed = "、".join(f"第 {i + 1} 列「{headers[i]}」" for i in cols)
    return (f"{where}:1:{headers[cols[-1]]}: 发现两列都是 {f}（{listed}），"
            "应为每个字段只有一列：删除或改名其中一列")


def _repeated_melt_headers(where: str, headers: list[str], melt: list[int]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i in melt:
        key = headers[i].lower()
        if key in seen:
            out.append(f"{where}:1:{headers[i]}: 发现列「{headers[i]}」与第 {seen[key] + 1} "
                       f"列「{headers[seen[key]]}」重复，应为每列表头各不相同")
        seen.setdefault(key, i)
    return out


def close_to_known(header: str, catalog: Catalog, indicators: bool = True) -> str:
    """The problem with an unknown header that is close to a known name, or '' when it is not
    close to any (then the column is ignored with a notice). Compared without a unit in
    brackets, after NFKC and in lower case: a shortening of one or more indicator names
    (`_shortened`), or a misspelling of a field or (with `indicators`) an indicator name, alias
    or code (difflib ratio >= MISSPELT)."""
    t = unicodedata.normalize("NFKC", plain_name(header)).lower()
    m = UNIT_SUFFIX.match(t)
    unit = m.group(2) if m and _is_unit(m.group(2), catalog) else ""
    stem = m.group(1).strip() if unit else t
    names = list(ALIAS_FIELD)
    if indicators:
        shortened = _shortened(stem, unit, catalog)
        if shortened:
            shown = "、".join(shortened[:SHOWN_CANDIDATES]) + (
                f" 等 {len(shortened)} 个" if len(shortened) > SHOWN_CANDIDATES else "")
            return (f"发现列「{header}」像是指标名称的简写，可指 {shown}，"
                    "应为指标的完整名称或代码：无法确定是哪一个（或是否其中之一），请写明")
        names += [key.lower() for ind in catalog.indicators()
                  for key in (ind.code, ind.name_zh, *ind.aliases)]
    close = difflib.get_close_matches(stem, names, n=1, cutoff=MISSPELT)
    if not close:
        return ""
    return f"发现未知列「{header}」，应为已知列名；最接近：{close[0]}"


def _shortened(stem: str, unit: str, catalog: Catalog) -> list[str]:
    """The indicators (`code（name）`, closest first) whose name or an alias holds every
    character of `stem` in order, when `stem` has SHORTENING_MIN characters or more; where the
    header gives a unit, those whose unit is of the same dimension, if there are any."""
    if len(stem) < SHORTENING_MIN:
        return []
    found: dict[str, float] = {}
    for ind in catalog.indicators():
        keys = [k.lower() for k in (ind.name_zh, *ind.aliases) if _in_order(stem, k.lower())]
        if keys:
            found[ind.code] = max(difflib.SequenceMatcher(None, stem, k).ratio() for k in keys)
    if unit:
        dims = {u.unit: u.dimension for u in catalog.units()} | {"%": "percent", "％": "percent"}
        same = {c: r for c, r in found.items()
                if dims.get(catalog.indicator(c).unit) == dims.get(unit)}
        found = same or found
    ranked = sorted(found, key=lambda c: (-found[c], c))
    return [f"{c}（{catalog.indicator(c).name_zh}）" for c in ranked]


def _in_order(short: str, name: str) -> bool:
    chars = iter(name)
    return all(c in chars for c in short)


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
