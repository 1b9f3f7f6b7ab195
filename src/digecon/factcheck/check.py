"""Run the pipeline over one text: numbers → clauses → claim graph → verdicts (and the store, if given)."""
from __future__ import annotations

import math
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from digecon.factcheck import regions
from digecon.factcheck.clauses import Statement, local_places, parse
from digecon.factcheck.counts import name_members
from digecon.factcheck.graph import (
    Edge,
    Graph,
    blame,
    decide,
    ident,
    name_unit_errors,
    share_code,
    suggestion,
)
from digecon.factcheck.model import Check, Claim
from digecon.factcheck.numbers import normalise
from digecon.factcheck.regions import NATION, canonical, find_regions

RULE_ZH = {
    "growth_vs_levels": "增速与两期水平", "growth_vs_increment": "增速与增量、水平",
    "increment_vs_levels": "增量与两期水平", "share_of_parts": "比重与部分、总体",
    "pp_change_vs_rates": "百分点变化与两期比重", "average_pp_change": "年均百分点变化与首末比重",
    "average_increment": "年均增量与首末水平", "cagr_vs_levels": "年均增速与首末水平",
    "cagr_vs_multiple": "年均增速与倍数", "multiple_vs_levels": "倍数与两期水平",
    "gap_vs_rates": "差距与两个比率", "rank_vs_values": "位次与文中数值",
    "count_vs_members": "个数与所列地区", "sum_of_parts": "分项之和与总量",
    "shares_of_one_whole": "同一总体各部分比重之和", "repeated_statement": "同一数量的重复表述",
    "unit_plausibility": "单位量级（同一数量的另一表述）", "store": "与数据库比对",
    "order_vs_values": "排序与所列数值", "ratio_vs_levels": "比例与各项水平",
    "per_day_vs_total": "日均（月均）与全年总量的数量级",
}
_MEASURE_KIND = {"level": "level", "growth": "growth_rate", "increment": "increment", "share": "share",
                 "pp": "pp_change", "gap": "gap", "ratio": "multiple", "ratio_region": "multiple",
                 "cagr": "cagr", "avg_pp": "avg_pp_change", "avg_inc": "avg_increment", "rank": "rank",
                 "count": "count", "ratio_term": "share", "other": "other"}


def main_region(text: str) -> str:
    """The province (or region) the text is mostly about: the most named one, 全国 aside; else 全国.
    A text that never says 全省/全区/全市/全州 and names 全国 (我国) first speaks of China."""
    names = find_regions(text)
    lead = re.match(r"[^\d０-９]*[^。！？\n]*", text)  # the title and the first sentence with a number
    if names and not re.search(r"全(省|区|市|州|盟|县|地区)", text) and (
            names[0] == NATION or not [r for r in find_regions(lead.group(0) if lead else "") if r != NATION]):
        return NATION  # (a national bulletin names no province in its title and first sentence, 全国 or not)
    # 喀什地区 is a prefecture; 东部地区 and 长三角地区 are groups of provinces
    local = [r for r in names if r != NATION and r not in regions.MACRO and r not in regions.AREAS]
    provinces = [r for r in local if r.endswith(("省", "自治区", "特别行政区"))
                 or r in ("北京市", "天津市", "上海市", "重庆市")]
    pool = provinces or local
    if pool:
        return Counter(pool).most_common(1)[0][0]
    if names and not re.search(r"全(省|区|市|州|盟|县|地区)", text):
        return NATION
    # 昆山市实现地区生产总值…，全市…: a place the gazetteer does not hold (a county-level city, a county),
    # named as the subject of the text's first clause that has one, when the text speaks of 全市/全县
    place = _PLACE_SUBJECT.search(text[:400])
    area = re.search(r"全(市|县|区|旗)", text)
    if place and area and place.group("p").endswith(area.group(1)):
        return place.group("p")
    return ""  # 全省… with only 全国 named: a province the text does not name (not 全国)


_PLACE_SUBJECT = re.compile(r"(?:^|[，。；\n])\s*(?:(?:19|20)\d\d年[^，。；]{0,6}[，,]\s*)?"
                            r"(?P<p>[\u4e00-\u9fff]{2,4}?(?:市|县|区|旗))(?=实现|完成|全年|地区生产总值|数字经济|网络|电信|软件)")


# `<!-- digecon as_of: 2022-07-31 region: 360000 year: 2021 -->` as the first line of a text
# written by `digecon report build` (out/narrative.md): the vintage its numbers were read at.
_HEADER = re.compile(r"\A\ufeff?[ \t]*<!--\s*digecon\b(?P<body>[^>]*?)-->[ \t]*")
_FIELD = re.compile(r"(\w+)\s*[:=]\s*(\S+)")


def read_header(text: str) -> tuple[dict[str, str], str]:
    """The digecon header's fields, and the text with the header blanked (offsets unchanged)."""
    m = _HEADER.match(text)
    if not m:
        return {}, text
    fields = {k: v for k, v in _FIELD.findall(m.group("body")) if v}
    return fields, " " * m.end() + text[m.end():]


def header_as_of(fields: dict[str, str]) -> str | None:
    value = fields.get("as_of", "")
    return None if value in ("", "latest") else value


def header_region(fields: dict[str, str]) -> str:
    """The region of the digecon header (`region: 150000`, a catalog code or name) as the checker names it,
    or '' when there is none or the catalog does not know it: a generated text that says 全区 speaks of the
    region it was built for, not of the first 盟市 it names."""
    value = fields.get("region", "")
    if not value:
        return ""
    from digecon.catalog import CatalogError, get_catalog
    try:
        name = get_catalog().region(value).name
    except (KeyError, CatalogError, OSError, ValueError):
        return ""
    return canonical(name)


# --- showing numbers ------------------------------------------------------------------------------
def decimals(st: Statement) -> int:
    if st.num.form == "fanfan":
        return 1  # 翻番 is 2×: a suggestion for it is written 3.6倍
    d = st.num.digits.split("-")[-1]
    return len(d.split(".")[1]) if "." in d and "/" not in d else (1 if st.num.form == "fraction" else 0)


def fmt(x: float, d: int) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
    s = format(q, "f")
    return "0" if s in ("-0", "-0.0") and d == 0 else s.replace("-", "−") if s.startswith("-") else s


def shown(st: Statement, base_value: float, extra: int = 0) -> str:
    """A base-unit value in the statement's own unit at its precision (+extra decimals)."""
    factor = st.num.factor or 1.0
    if st.num.form == "added":
        base_value -= factor  # 增加了k倍: the rise, as written (the ratio less one)
    unit = st.num.unit if st.num.form not in ("cheng", "fraction", "fanfan") else (
        "%" if st.num.dim == "%" else "倍")
    out = fmt(base_value / factor, decimals(st) + extra)
    if "," in st.num.text or "，" in st.num.text:  # written with thousands separators: 5,860亿元
        whole, _, frac = out.partition(".")
        sign = "−" if whole.startswith("−") else ""
        out = sign + f"{int(whole.lstrip('−')):,}" + (f".{frac}" if frac else "")
    return out + unit


def _expected(st: Statement, e: Edge) -> str:
    lo, hi = shown(st, e.computed.lo), shown(st, e.computed.hi)
    if e.inequality == "ge":
        return f"不小于{lo}"
    if e.inequality == "le" and e.rule != "shares_of_one_whole":
        return f"不大于{hi}"
    return lo if lo == hi else f"{lo}～{hi}"


def _explain(g: Graph, e: Edge, i: int, blamed: set[int]) -> Check:
    st = g.sts[i]
    t = g.sts[e.members[0]]
    name = RULE_ZH.get(e.rule, e.rule)
    related = [(g.sts[m].start, g.sts[m].end) for m in e.members[:13] if m != i]
    if e.rule == "shares_of_one_whole":
        total = f"{fmt(e.computed.lo, 2)}～{fmt(e.computed.hi, 2)}"
        want = "不超过100%" if e.inequality == "le" else "等于100%"
        text = f"{name}：{e.formula}，合计{total}%，应{want}"
        expected = want
    elif e.rule == "order_vs_values":
        text = f"{name}：按排名依次列出，数值应依次不增（{e.formula}）" + ("，一致" if e.ok else "，不符")
        expected = "依次不增"
        if e.ok is False and i not in blamed:
            text += "；更可能有误的是" + "、".join(g.sts[m].num.text for m in e.members if m in blamed)
        return Check(e.rule, e.ok if (e.ok or i in blamed) else None, expected, text, related=related)
    elif e.rule == "count_vs_members":
        text = f"{name}：{e.formula}"
        expected = fmt(e.computed.lo, 0)
        if e.ok:
            text += f"，与所述{t.num.text}一致"
    elif e.rule == "store":
        expected = _expected(t, e)
        text = f"{name}：{e.formula}，按所述精度应为{expected}"
    elif e.rule == "per_day_vs_total":  # only the order of magnitude is checked (a year may count open days)
        expected = "约" + shown(t, e.computed.mid)
        text = f"{name}：{e.formula} ≈ {shown(t, e.computed.mid)}，所述应在其三分之一至三倍之间"
    elif e.rule == "rank_vs_values":
        lo, hi = int(e.computed.lo), int(e.computed.hi)
        pos = f"第{lo}位" if lo == hi else f"第{lo}～{hi}位"
        text = f"{name}：{e.formula.replace('{rank}', str(lo) if lo == hi else f'{lo}～{hi}')}"
        expected = pos
    elif e.rule in ("repeated_statement", "unit_plausibility"):
        other = g.sts[e.members[1]] if i == e.members[0] else t
        expected = _expected(t, e)
        text = f"{name}：{e.formula}"
        if e.ok:
            return Check(e.rule, True, expected, f"{name}：同一数量在文中另处表述为{other.num.text}，二者一致",
                         related=related)
    else:
        mid = e.f(*[g.sts[m].num.interval.mid for m in e.members[1:]])
        expected = _expected(t, e)
        text = f"{name}：{e.formula} = {shown(t, mid, 2) if math.isfinite(mid) else '—'}，按所述精度应为{expected}"
    if e.ok:
        text += f"，与所述{t.num.text}一致" if e.rule not in ("count_vs_members", "shares_of_one_whole") else ""
        return Check(e.rule, True, expected, text, related=related)
    if e.ok is None:
        return Check(e.rule, None, expected, text + "，无法判定", related=related)
    culprits = [g.sts[m].num.text for m in e.members if m in blamed]
    if i in blamed:
        text += f"，与所述{t.num.text}不符" if i == e.members[0] else f"，与{t.num.text}不符；最可能有误的是{st.num.text}"
        return Check(e.rule, False, expected, text, related=related)
    who = "、".join(culprits) or "其他数字"
    return Check(e.rule, None, expected, text + f"，与所述不符；更可能有误的是{who}", related=related)


def _claim(st: Statement, indicator: str) -> Claim:
    role = ""
    if st.measure in ("growth", "increment", "pp", "ratio", "cagr", "avg_pp", "avg_inc") and st.base:
        role = f"较{st.base}"
    elif st.measure == "share" and st.whole:
        role = f"占{st.whole_region if st.whole_region != st.region else ''}{st.whole}"
    elif st.measure == "gap":
        role = f"比{st.comparator[1]}{st.comparator[0]}"
    elif st.measure == "rank" and st.scope:
        role = f"在{st.scope}"
    value = st.num.digits if st.num.value >= 0 or st.num.digits.startswith("-") else "-" + st.num.digits
    if st.num.form in ("added",):
        value = st.num.digits
    return Claim(quote=st.quote, start=st.start, end=st.end, text=st.num.text, value=value,
                 unit=st.num.unit, qualifier=st.num.qualifier, kind=_MEASURE_KIND.get(st.measure, "other"),
                 region=st.region, period=st.period, indicator=indicator, quantity=st.quantity, role=role)


def indicator_of(st: Statement) -> str:
    """The catalog code of what the statement measures, or ''."""
    from digecon.factcheck.graph import _catalog_relations
    q = ident(st.quantity)
    known = q if re.fullmatch(r"[a-z][a-z0-9_]*", q or "") else ""
    if st.measure == "level":
        return known
    if st.measure == "share":
        return share_code(st.quantity, st.whole) if st.whole else (
            known if known and "share" in known else "")
    if st.measure == "growth" and known:
        return _catalog_relations()[2].get(known, known if "growth" in known else "")
    return ""


def check_text(text: str, store=None, region: str | None = None, year: str | None = None,
               as_of: str | None = None) -> list[Claim]:
    """Every numeric claim of a Chinese text, checked against each other and, given a store, against it.

    The store is read as of `as_of` (YYYY-MM-DD); without it, as of the date in the text's digecon
    header (`<!-- digecon as_of: … -->`, written by `digecon report build`), else the latest.
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected str, found {type(text).__name__}")
    fields, text = read_header(text)
    as_of = as_of or header_as_of(fields)
    region = region or header_region(fields) or main_region(text)
    with regions.local_places(*local_places(normalise(text), region)):
        sts = parse(text, main_region=region, default_period=str(year or ""))
        name_members(normalise(text), sts)
        g = Graph(sts)
        g.build()
        if store is not None:
            from digecon.factcheck.against_store import store_edges
            store_edges(g, store, as_of=as_of, indicator_of=indicator_of)
        decide(g)
        name_unit_errors(g)
        blamed = blame(g)
    claims = [_claim(st, indicator_of(st)) for st in sts]
    failing_of: dict[int, list[Edge]] = {}
    for e in g.edges:
        for m in e.members:
            claims[m].checks.append(_explain(g, e, m, blamed))
            if e.ok is False:
                failing_of.setdefault(m, []).append(e)
    for i, c in enumerate(claims):
        oks = [k.ok for k in c.checks]
        c.status = ("inconsistent" if i in blamed else "consistent" if any(oks) else "unverifiable")
        if i in blamed:
            c.suggested = _suggest(g, i, failing_of.get(i, []))
    return claims


def _suggest(g: Graph, i: int, failing: list[Edge]) -> str | None:
    """A value of statement i that would make its first failing edge hold, at its stated precision."""
    st = g.sts[i]
    for e in failing:
        if e.rule == "unit_plausibility":  # the number as written, in the unit of the other statement
            other = g.sts[e.members[1] if e.members[0] == i else e.members[0]]
            if (st.restates or other.restates) and st.num.unit != other.num.unit:
                return shown(st, other.num.interval.mid)  # 4,512.6万户，约合0.45亿户: the other figure converted
            if st.num.unit and st.num.unit != other.num.unit:
                if st.num.digits.replace(",", "") != other.num.digits.replace(",", ""):
                    return shown(st, other.num.interval.mid)  # 约8,630万人次 after 8.63亿人次: 86,300万人次
                return st.num.text.replace(st.num.unit, other.num.unit)
            return other.num.text  # 6,528亿元 after 652.8亿元: the decimal point moved, the other's figure
        v = suggestion(g, i, e)
        if v is not None and math.isfinite(v) and v < 0 and (st.num.negated or (
                st.num.value < 0 and not st.num.text.lstrip().startswith(("-", "−", "－")))):
            v = -v  # 回落1.9个百分点, 低于全国2.2个百分点: the size of the fall, as the text writes it
        if v is not None and math.isfinite(v):
            return f"第{round(v)}位" if st.measure == "rank" else shown(st, v)
    return None
