"""The one rounding rule: half-up on the decimal text of a number (12.65 → 12.7, 1.45 → 1.5)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any


def to_decimal(x: Any) -> Decimal:
    """Exact decimal for a number; floats go through repr so 1.45 stays 1.45, not 1.4499999…"""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, float):  # numpy's float64 too, whose own repr is np.float64(…)
        return Decimal(float.__repr__(x))
    try:
        return Decimal(str(x))
    except InvalidOperation:
        raise ValueError(f"expected a number, found {x!r}") from None


def round_half_up(x: Any, decimals: int = 0) -> Decimal:
    """Half-up rounding at `decimals` places, the statistician's rule; never float round()."""
    return to_decimal(x).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(x: Any, decimals: int = 0, strip_zero: bool = False) -> str:
    """Number text with `decimals` places, half-up; `strip_zero` drops a trailing .0."""
    d = round_half_up(x, decimals)
    if d == 0:
        d = abs(d)  # never print -0.0
    s = f"{d:f}"
    if strip_zero and "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


# Kinds whose text drops a zero fraction (10378.0 → 10378, 1308.2 stays): an amount or a count
# reads as a whole number; shares, growth rates and indices keep their decimals (35.0%, 1.55).
WHOLE_KINDS = ("level", "count")


def fact_text(x: Any, decimals: int = 0, kind: str = "") -> str:
    """The text every surface prints for a value of an indicator of catalog `kind`: half-up at
    `decimals`; a level or a count kept at one decimal drops a .0 (10378.0 → 10378, as amounts
    in 亿元 are quoted; 1308.2 keeps it). At two or more decimals (18.00 Tbps) every value keeps
    them, so a series of such a quantity reads at one precision."""
    s = format_number(x, decimals)
    whole, dot, frac = s.partition(".")
    if kind in WHOLE_KINDS and decimals == 1 and dot and not frac.strip("0"):
        return whole
    return s


def rounded_float(x: Any, decimals: int) -> float | int:
    """The half-up rounded value as a JSON number (what a chart label or an API field shows)."""
    d = round_half_up(x, decimals)
    return int(d) if decimals <= 0 else float(d)
