"""Say which indicator each claim speaks of, from the words of its clause and sentence."""
from __future__ import annotations

import re

from digecon.factcheck.model import Claim

# Subjects, most specific first: 数字产业化 and 产业数字化 both contain 数字/产业.
_SUBJECTS = [("di", re.compile(r"数字产业化")), ("id", re.compile(r"产业数字化")),
             ("de", re.compile(r"数字经济(?!核心)")), ("gdp", re.compile(r"GDP|地区生产总值|生产总值"))]
_LEVEL = {"de": "de_va", "di": "di_va", "id": "id_va", "gdp": "gdp"}
_SHARE = {("de", "gdp"): "de_share_gdp", ("di", "gdp"): "di_share_gdp", ("id", "gdp"): "id_share_gdp",
          ("di", "de"): "di_share_de", ("id", "de"): "id_share_de"}
_GROWTH = {"de": "de_growth", "di": "di_growth", "id": "id_growth", "gdp": "gdp_growth_real"}
_MONEY = {"亿元", "万亿元", "万元", "元"}


def _subject(text: str) -> str | None:
    """The last subject named in `text` (位置最靠后者), or None."""
    best, at = None, -1
    for code, pat in _SUBJECTS:
        for m in pat.finditer(text):
            if m.start() > at:
                best, at = code, m.start()
    return best


def _sentence_of(text: str, c: Claim) -> tuple[int, int]:
    a = c.start
    while a > 0 and text[a - 1] not in "。！？；\n":
        a -= 1
    return a, c.start


def link(text: str, claims: list[Claim]) -> None:
    """Fill indicator and role of the claims about the digital-economy accounts, in place."""
    prev: Claim | None = None
    prev_sentence = -1
    for c in claims:
        s0, _ = _sentence_of(text, c)
        if s0 != prev_sentence:
            prev = None
        prev_sentence = s0
        q = c.quantity
        inherited = prev.indicator if prev else ""
        inherited_subject = getattr(prev, "_subject", None) if prev else None
        own = _subject(q.split("占")[0]) if "占" in q else _subject(q)
        subject = own or inherited_subject
        if c.unit in _MONEY and c.kind == "level":
            if own and (own != "de" or re.search(r"增加值|规模|总量", q)):
                c.indicator = _LEVEL[own]
            elif not own and prev and prev.indicator in _LEVEL.values() and c.unit == "万亿元":
                c.indicator = prev.indicator  # 首次迈入万亿大关 after the level
            elif own is None and re.search(r"数字经济规模|数字经济增加值", q):
                c.indicator = "de_va"
        elif c.kind == "share" and "占" in q:
            den = _subject(q.split("占", 1)[1])
            if subject and den and (subject, den) in _SHARE:
                c.indicator = _SHARE[(subject, den)]
        elif c.kind == "share" and re.search(r"比重|占比", q) and inherited in _SHARE.values():
            c.indicator = inherited  # 从2016年的21.9%增长到2021年的35%
        elif c.kind == "growth_rate" and subject:
            if re.search(r"年均|复合", q):
                c.indicator, c.role = _LEVEL[subject], "cagr"
            elif re.search(r"同比|增速", q):
                c.indicator = _GROWTH[subject]
        elif c.kind == "multiple" and subject and re.search(r"增加了?|增长了?", q[-6:]):
            c.indicator, c.role = _LEVEL[subject], "added"
        elif c.kind == "multiple" and subject and re.search(r"是.*的$", q):
            c.indicator, c.role = _LEVEL[subject], "of"
        elif c.kind == "pp_change" and prev and prev.indicator:
            if re.search(r"年均", q):
                c.indicator, c.role = prev.indicator, "avg_pp"
            elif re.search(r"^较\S*(提升|提高|下降|增加|减少)", q):
                c.indicator, c.role = prev.indicator, "change"
            elif re.search(r"(高于|低于|高出)(地区生产总值|GDP|同期\S*GDP)", q):
                c.indicator, c.role = prev.indicator + (":cagr" if prev.role == "cagr" else ""), "gap_gdp"
            elif re.search(r"(高于|低于|高出)全国", q):
                c.indicator = prev.indicator + (":" + prev.role if prev.role else "")
                c.role = "gap_national"
        if c.role in ("avg_pp", "cagr", "added", "gap_national", "gap_gdp") and re.fullmatch(r"\d{4}", c.period):
            span = re.findall(r"((?:19|20)\d\d)\s*[-—～~至]\s*((?:19|20)\d\d)\s*年", text[s0:c.start])
            years = sorted(set(re.findall(r"((?:19|20)\d\d)\s*年", text[s0:c.start])))
            if span:
                c.period = f"{span[-1][0]}-{span[-1][1]}"
            elif len(years) >= 2:
                c.period = f"{years[0]}-{years[-1]}"  # 由2016年的21.9%升至2021年的35.0%，年均…
        if c.role.startswith("gap") and prev is not None:
            c.region = prev.region  # 高于全国…: the comparison names 全国, the claim is still about the subject
        if c.indicator:
            c._subject = subject  # type: ignore[attr-defined]
            if c.kind == "pp_change" and c.role in ("avg_pp",) and re.search(r"\d{4}-\d{4}", c.period) is None:
                pass
            prev = c
        elif prev is not None and c.kind in ("pp_change", "growth_rate", "share"):
            pass
