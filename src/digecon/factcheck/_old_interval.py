"""Precision intervals (METHODS.md §4): 35.0 means [34.95, 35.05); a computation over inputs' intervals."""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from digecon.factcheck.model import Claim
from digecon.narrative.fmt import format_number

_EPS = 1e-9
# Base units: money in 亿元, counts in their unit (万个 -> 个 ×10000).
_SCALE = {"万亿元": 10000.0, "亿元": 1.0, "万元": 1e-4, "元": 1e-8}


def scale(unit: str) -> float:
    if unit in _SCALE:
        return _SCALE[unit]
    if unit.startswith("万") and len(unit) > 1:
        return 1e4
    if unit.startswith("亿") and len(unit) > 1:
        return 1e8
    return 1.0


def bounds(c: Claim, as_percent: bool = True) -> tuple[float, float]:
    """The values a claim admits, in base units: rounding half-width, or the side its qualifier opens."""
    v = float(c.number) * scale(c.unit)
    if "/" in c.value:
        v = float(c.number) * (100 if as_percent else 1)
        half = 0.5 if as_percent else 0.005
    elif c.kind in ("count", "rank") and c.decimals == 0 and scale(c.unit) == 1.0:
        half = 0.0  # counts of 个/家/项 are exact integers, not rounded measurements
    else:
        half = 0.5 * 10 ** -c.decimals * scale(c.unit)
    q = c.qualifier
    if q == "gt":
        return v, math.inf
    if q == "ge":
        return v, math.inf
    if q == "lt":
        return -math.inf, v
    if q == "approx":
        return v * 0.9 - half, v * 1.1 + half
    return v - half, v + half


def compute(f: Callable[..., float], *intervals: tuple[float, float]) -> tuple[float, float]:
    """Range of a function monotone in each input, evaluated at the corners of the input box."""
    vals = []
    for corner in itertools.product(*intervals):
        try:
            y = f(*corner)
        except (ZeroDivisionError, ValueError, OverflowError):
            continue
        if isinstance(y, complex) or math.isnan(y):
            continue
        vals.append(y)
    if not vals:
        raise ValueError("no admissible value")
    return min(vals), max(vals)


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    if a[0] == a[1] and b[0] == b[1]:
        return abs(a[0] - b[0]) < _EPS
    return a[0] < b[1] + _EPS and b[0] < a[1] + _EPS


def show(x: float, decimals: int) -> str:
    """A computed value with two more decimals than the claim, for the explanation."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return format_number(Decimal(repr(x)), decimals + 2 if decimals < 2 else decimals + 1)


def expected_text(rng: tuple[float, float], decimals: int) -> str:
    """What the computation rounds to at the claim's precision: one value or a range."""
    lo, hi = (format_number(Decimal(repr(x)), decimals) for x in rng)
    return lo if lo == hi else f"{lo}～{hi}"


def frac(x: str) -> float:
    return float(Fraction(x))
