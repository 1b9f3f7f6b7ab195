"""Which of the reference paper's numeric claims (seedfacts/facts.csv) a text states.

A claim is stated when some sentence of the text holds a number equal to the paper's value in
the same unit and the sentence is about the claim's indicator: at least ABOUT of the character
bigrams of the claim's `indicator_zh` occur in the sentence. Claims are distinct by fact_id
with the `_dupN` suffix removed (the paper's repeats of one claim). Numbers are read by the
fact-checker's own reader (digecon.factcheck.numbers.find_numbers), plus the counting words
it does not read as quantities (第二梯队, 五大, 四届, 首位, 一次).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from digecon.factcheck.numbers import find_numbers, unit_factor

ABOUT = 0.4  # the share of the indicator name's bigrams a sentence must contain
_CN = {"零": 0, "百": 100, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
       "十": 10}
_EXTRA = [
    (re.compile(r"第([一二三四五六七八九十])梯队"), "梯队"),
    (re.compile(r"([一二三四五六七八九十两])大(?!关|会|赛)"), "个"),
    (re.compile(r"([一二三四五六七八九十两\d]+)届"), "届"),
    (re.compile(r"第([一二三四五六七八九十]+)(?![梯位名项])"), "位"),
    (re.compile(r"([一两])(次)"), "次"),
    (re.compile(r"([两三四五六七八九十])(项|类|种)"), None),
    (re.compile(r"×(\d+)(小时)"), "小时"),
    (re.compile(r"(?<![\d.])万亿(?:元|大关|俱乐部)"), "万亿元"),
    (re.compile(r"([百十])强"), "强"),
    (re.compile(r"([百十])大"), "强"),
    (re.compile(r"(零)(?:的突破|发案)"), "*"),
    (re.compile(r"(\d+(?:\.\d+)?)(节|届|起|万起)"), None),
]
_SKIP = "“”\"'（）()、，。：；·《》 "


@dataclass(frozen=True)
class Claim:
    key: str                 # fact_id without _dupN
    sections: tuple[str, ...]
    indicator_zh: str
    values: tuple[tuple[str, str], ...]  # (value, unit) as the paper writes them


def load_claims(facts_csv: Path) -> dict[str, Claim]:
    rows = list(csv.DictReader(facts_csv.open(encoding="utf-8")))
    grouped: dict[str, list[dict]] = {}
    for r in rows:
        grouped.setdefault(re.sub(r"_dup\d+$", "", r["fact_id"]), []).append(r)
    return {k: Claim(k, tuple(dict.fromkeys(r["section"] for r in rs)), rs[0]["indicator_zh"],
                     tuple(dict.fromkeys((r["value"], r["unit"]) for r in rs)))
            for k, rs in grouped.items()}


def sentences(text: str) -> list[str]:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL).replace("**", "")
    text = re.sub(r"[ \t]+", "", text)  # the paper's PDF text spaces digits: 1.55 件
    return [s for s in re.split(r"[。！？\n]+", text) if s.strip()]


def _cn_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if s in _CN:
        return _CN[s]
    if len(s) == 2 and s[0] == "十":
        return 10 + _CN.get(s[1], 0)
    if len(s) == 2 and s[1] == "十":
        return _CN.get(s[0], 0) * 10
    return None


def numbers(sentence: str) -> list[tuple[float, str]]:
    """(value, unit) of each number in the sentence."""
    out = [(n.value, n.unit) for n in find_numbers(sentence)]
    for rx, unit in _EXTRA:
        for m in rx.finditer(sentence):
            v = 1 if "万亿" in m.group(0) else _cn_int(m.group(1))
            if v is None and re.fullmatch(r"\d+\.\d+", m.group(1)):
                v = float(m.group(1))
            if v is not None:
                out.append((float(v), unit if unit else m.group(2)))
    if any(w in sentence for w in ("首位", "第一", "领跑", "领先")):
        out.append((1.0, "位"))
    return out


def _value(text: str) -> float:
    if "/" in text:
        return float(Fraction(text)) * 100  # the reader gives fractions as percent
    return float(Decimal(text))


def _unit(u: str) -> str:
    return re.sub(r"[(（].*?[)）]", "", u).split("/")[0].strip()


def same(value: str, unit: str, found: tuple[float, str]) -> bool:
    v, u = found
    want = _value(value)
    if abs(v - want) > 1e-9 * max(1.0, abs(want)):
        return False
    if "/" in value:
        return u == "%"
    a, b = _unit(unit), _unit(u)
    if a == b or a in ("", "强") or b == "*":
        return True
    if a in ("万", "亿") and b.startswith(a):  # 1.8万 (所中小学校) written 1.8万所
        return True
    fa, fb = unit_factor(a), unit_factor(b)
    return fa is not None and fa == fb


def _bigrams(s: str) -> set[str]:
    s = "".join(ch for ch in s if ch not in _SKIP and not ch.isdigit())
    return {s[i:i + 2] for i in range(len(s) - 1)}


def about(indicator_zh: str, sentence: str) -> float:
    want = _bigrams(indicator_zh)
    return len(want & _bigrams(sentence)) / len(want) if want else 0.0


def stated(claim: Claim, sents: list[str], threshold: float = ABOUT) -> bool:
    for s in sents:
        if about(claim.indicator_zh, s) < threshold:
            continue
        found = numbers(s)
        if any(same(v, u, n) for v, u in claim.values for n in found):
            return True
    return False


def coverage(text: str, claims: dict[str, Claim], sections: set[str]) -> tuple[float, list, list]:
    """Share of the claims sitting in `sections` that the text states; stated and missed keys."""
    sents = sentences(text)
    scope = [c for c in claims.values() if set(c.sections) & sections]
    hit = [c.key for c in scope if stated(c, sents)]
    miss = [c.key for c in scope if c.key not in set(hit)]
    return len(hit) / len(scope), hit, miss
