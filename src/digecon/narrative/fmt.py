"""Chinese number language: amounts, percentages, changes, multiples, thresholds, half-up rounding."""
from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any

# One rounding rule for every surface: digecon.facts owns it, the narrative re-exports it.
from digecon.facts import fact_text, format_number, round_half_up, to_decimal

__all__ = [
    "ILLUSTRATIVE_MARK",
    "cn_small",
    "format_amount",
    "format_change",
    "format_count",
    "format_gap",
    "format_multiple",
    "format_number",
    "format_pct",
    "format_pp",
    "format_range",
    "mark",
    "milestone_phrase",
    "round_half_up",
    "threshold_floor",
    "threshold_phrase",
    "to_decimal",
]

# Appended to every number that comes from an illustrative (not published) observation.
# The report styles it (e.g. a superscript) and explains it in a note; factcheck ignores it.
ILLUSTRATIVE_MARK = "※"

_DIGITS = "零一二三四五六七八九"


def format_amount(value_yi: Any, decimals: int | None = None, scale: str = "auto") -> str:
    """Money given in 亿元: 亿元 below 1万亿, 万亿元 (2 decimals) from 1万亿 on.

    `scale` forces 亿元 or 万亿元 ("10378亿元" is how an exact level is quoted). Without
    `decimals`, 亿元 amounts are written as a level fact is (digecon.facts.fact_text at one
    decimal: 10378, 1308.2).
    """
    v = to_decimal(value_yi)
    if scale == "auto":
        scale = "万亿元" if abs(v) >= 10000 else "亿元"
    if scale == "万亿元":
        return format_number(v / 10000, 2 if decimals is None else decimals) + "万亿元"
    if scale != "亿元":
        raise ValueError(f"scale: expected auto, 亿元 or 万亿元, found {scale!r}")
    if decimals is None:
        return fact_text(v, 1, "level") + "亿元"
    return format_number(v, decimals) + "亿元"


def format_count(n: Any, unit: str = "个", decimals: int = 1) -> str:
    """Counts: 9600户, and from 10 000 on 万户/万个/万人 (52000户 -> 5.2万户)."""
    v = to_decimal(n)
    if abs(v) >= 10000:
        return format_number(v / 10000, decimals, strip_zero=True) + "万" + unit
    return format_number(v, 0) + unit


def format_pct(value: Any, decimals: int = 1) -> str:
    """Percent value (already ×100): 35.0%."""
    return format_number(value, decimals) + "%"


def format_change(growth_pct: Any, decimals: int = 1, up: str = "增长", down: str = "下降",
                  flat: str = "与上年持平") -> str:
    """Growth in percent as words: 增长19.5%, 下降3.2% (never 增长-3.2%), 与上年持平 when it rounds to 0."""
    d = round_half_up(growth_pct, decimals)
    if d == 0:
        return flat
    return (up if d > 0 else down) + format_pct(abs(d), decimals)


def format_pp(change: Any, decimals: int = 1, up: str = "提升", down: str = "下降",
              flat: str = "持平") -> str:
    """Change of a share or rate in 个百分点: 提升2.5个百分点, 下降0.3个百分点, 持平."""
    d = round_half_up(change, decimals)
    if d == 0:
        return flat
    return (up if d > 0 else down) + format_number(abs(d), decimals) + "个百分点"


def format_gap(gap: Any, than: str, decimals: int = 1) -> str:
    """Gap between two rates: 高于地区生产总值增速10.7个百分点 / 低于… / 与…持平."""
    d = round_half_up(gap, decimals)
    if d == 0:
        return f"与{than}持平"
    return ("高于" if d > 0 else "低于") + than + format_number(abs(d), decimals) + "个百分点"


def format_multiple(ratio: Any, mode: str = "added", decimals: int = 1) -> str:
    """倍 read correctly from the ratio end/start: added -> 增加了1.6倍 (ratio 2.6); of -> 2.6倍 (是…的2.6倍)."""
    r = to_decimal(ratio)
    if mode == "added":
        return "增加了" + format_number(r - 1, decimals) + "倍"
    if mode == "of":
        return format_number(r, decimals) + "倍"
    raise ValueError(f"mode: expected added or of, found {mode!r}")


def format_range(lo: Any, hi: Any, unit: str = "", decimals: int = 1) -> str:
    """A range in Chinese style: 20%～30%, 3.0～7.0个百分点 (unit written once for words)."""
    a, b = format_number(lo, decimals), format_number(hi, decimals)
    if unit == "%":
        return f"{a}%～{b}%"
    return f"{a}～{b}{unit}"


def threshold_floor(value: Any, step: Any) -> Decimal:
    """The round threshold a value exceeds, as the paper phrases it (2587, step 500 -> 2500)."""
    v, s = to_decimal(value), to_decimal(step)
    return (v / s).to_integral_value(rounding=ROUND_FLOOR) * s


def threshold_phrase(value: Any, step: Any, unit: str, word: str = "超") -> str:
    """超2500亿元 for 2587 (step 500): the largest round threshold strictly below the value."""
    t = threshold_floor(value, step)
    if t == to_decimal(value):
        t -= to_decimal(step)  # 超 is strict
    return word + format_number(t, 0 if t == t.to_integral_value() else 1, strip_zero=True) + unit


def milestone_phrase(value_yi: Any, prev_yi: Any | None = None) -> str:
    """迈入万亿大关 / 首次迈入万亿大关 (when last year was below) / '' below 1万亿."""
    v = to_decimal(value_yi)
    if v < 10000:
        return ""
    if prev_yi is not None and to_decimal(prev_yi) < 10000:
        return "首次迈入万亿大关"
    return "迈入万亿大关" if v < 20000 else "突破" + format_number(threshold_floor(v / 10000, 1), 0) + "万亿元"


def cn_small(n: int, before_measure: bool = True) -> str:
    """Chinese numeral for small counts: 3 -> 三, 2 -> 两 before a measure word (两个), 11 -> 十一."""
    n = int(n)
    if not 0 <= n < 100:
        return str(n)
    if n == 2 and before_measure:
        return "两"
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def mark(text: str, status: str | None) -> str:
    """Append the illustrative marker to a formatted number when its status says so."""
    return text + ILLUSTRATIVE_MARK if status == "illustrative" else text
