"""Derived measures (growth, CAGR, multiples, shares, pp changes) that keep formula and inputs."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Derived",
    "avg_annual_pp_change",
    "cagr",
    "contribution",
    "growth",
    "growth_gap",
    "multiple_added",
    "multiple_of",
    "pp_change",
    "share",
]


@dataclass(frozen=True)
class Derived:
    """A computed number with the readable formula and the inputs that produced it.

    Growth rates and shares are in percent, pp changes in 个百分点, multiples in 倍.
    """

    value: float
    formula: str
    inputs: dict[str, Any] = field(default_factory=dict)
    unit: str = ""

    def __float__(self) -> float:
        return float(self.value)

    def __round__(self, ndigits: int | None = None) -> float:
        return round(self.value, ndigits)


def _fmt(x: float) -> str:
    """Shortest faithful text for a number: 10378.0 -> '10378', 0.1 -> '0.1'."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)


def _num(name: str, x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number, found {x!r}") from None
    if math.isnan(v) or math.isinf(v):
        raise ValueError(f"{name}: expected a finite number, found {x!r}")
    return v


def _nonzero(name: str, x: float) -> float:
    if x == 0:
        raise ValueError(f"{name}: cannot divide by zero (found 0)")
    return x


def _years(years: Any) -> float:
    n = _num("years", years)
    if n <= 0:
        raise ValueError(f"years: expected a positive number of years, found {years!r}")
    return n


def growth(x_t: float, x_prev: float) -> Derived:
    """Year-on-year growth in percent: (x_t / x_prev − 1) × 100."""
    a, b = _num("x_t", x_t), _nonzero("x_prev", _num("x_prev", x_prev))
    return Derived((a / b - 1.0) * 100.0, f"({_fmt(a)} / {_fmt(b)} − 1) × 100",
                   {"x_t": a, "x_prev": b}, "%")


def cagr(x_end: float, x_start: float, years: float) -> Derived:
    """Compound annual growth in percent: ((x_end / x_start)^(1/years) − 1) × 100."""
    a, b, n = _num("x_end", x_end), _nonzero("x_start", _num("x_start", x_start)), _years(years)
    ratio = a / b
    if ratio <= 0:
        raise ValueError(f"cagr: x_end / x_start must be positive, found {_fmt(a)} / {_fmt(b)}")
    return Derived((ratio ** (1.0 / n) - 1.0) * 100.0,
                   f"(({_fmt(a)} / {_fmt(b)})^(1/{_fmt(n)}) − 1) × 100",
                   {"x_end": a, "x_start": b, "years": n}, "%")


def multiple_added(x_end: float, x_start: float) -> Derived:
    """增加了k倍: k = x_end / x_start − 1."""
    a, b = _num("x_end", x_end), _nonzero("x_start", _num("x_start", x_start))
    return Derived(a / b - 1.0, f"{_fmt(a)} / {_fmt(b)} − 1", {"x_end": a, "x_start": b}, "倍")


def multiple_of(x_end: float, x_start: float) -> Derived:
    """是…的k倍: k = x_end / x_start."""
    a, b = _num("x_end", x_end), _nonzero("x_start", _num("x_start", x_start))
    return Derived(a / b, f"{_fmt(a)} / {_fmt(b)}", {"x_end": a, "x_start": b}, "倍")


def share(part: float, total: float) -> Derived:
    """Share in percent: part / total × 100."""
    a, b = _num("part", part), _nonzero("total", _num("total", total))
    return Derived(a / b * 100.0, f"{_fmt(a)} / {_fmt(b)} × 100", {"part": a, "total": b}, "%")


def pp_change(s_t: float, s_prev: float) -> Derived:
    """Percentage-point change: s_t − s_prev (个百分点)."""
    a, b = _num("s_t", s_t), _num("s_prev", s_prev)
    return Derived(a - b, f"{_fmt(a)} − {_fmt(b)}", {"s_t": a, "s_prev": b}, "个百分点")


def avg_annual_pp_change(s_end: float, s_start: float, years: float) -> Derived:
    """Average annual percentage-point change: (s_end − s_start) / years."""
    a, b, n = _num("s_end", s_end), _num("s_start", s_start), _years(years)
    return Derived((a - b) / n, f"({_fmt(a)} − {_fmt(b)}) / {_fmt(n)}",
                   {"s_end": a, "s_start": b, "years": n}, "个百分点")


def growth_gap(g_a: float, g_b: float) -> Derived:
    """Gap between two growth rates in percentage points: g_a − g_b."""
    a, b = _num("g_a", g_a), _num("g_b", g_b)
    return Derived(a - b, f"{_fmt(a)} − {_fmt(b)}", {"g_a": a, "g_b": b}, "个百分点")


def contribution(delta_part: float, total_prev: float) -> Derived:
    """Contribution of a part to the total's growth, in percentage points: Δpart / total_prev × 100."""
    a, b = _num("delta_part", delta_part), _nonzero("total_prev", _num("total_prev", total_prev))
    return Derived(a / b * 100.0, f"{_fmt(a)} / {_fmt(b)} × 100",
                   {"delta_part": a, "total_prev": b}, "个百分点")
