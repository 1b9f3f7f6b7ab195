"""Derived measures (growth, CAGR, multiples, shares, pp changes) that keep formula and inputs.

The arithmetic is the catalog relations' (digecon.catalog.relations): each function is a
relation whose terms are its arguments.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from digecon.catalog.relations import Relation, Term

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


def _years(years: Any) -> int:
    n = _num("years", years)
    if n <= 0:
        raise ValueError(f"years: expected a positive number of years, found {years!r}")
    if not n.is_integer():
        raise ValueError(f"years: expected a whole number of years, found {years!r}")
    return int(n)


@lru_cache(maxsize=64)
def _relation(kind: str, name: str, args: tuple[str, ...], offsets: tuple[int, ...],
              scale: float = 1.0) -> Relation:
    """The catalog relation of this kind with the arguments as its terms: its expression is
    the one definition of the arithmetic (digecon.catalog.relations)."""
    terms = tuple(Term(a, o) for a, o in zip(args, offsets))
    rel = Relation(kind=kind, output=name, terms=terms, scale=scale, formula="")
    return Relation(kind=kind, output=name, terms=terms, scale=scale, formula=rel.template())


def _apply(rel: Relation, values: tuple[float, ...], unit: str) -> Derived:
    """The relation's value, its arithmetic with the numbers, and the inputs by argument."""
    text = rel.template([_fmt(v) for v in values])
    return Derived(rel.compute(values), text, {t.indicator: v for t, v in zip(rel.terms, values)},
                   unit)


def growth(x_t: float, x_prev: float) -> Derived:
    """Year-on-year growth in percent: (x_t / x_prev − 1) × 100."""
    rel = _relation("growth", "growth", ("x_t", "x_prev"), (0, -1), 100.0)
    return _apply(rel, (_num("x_t", x_t), _num("x_prev", x_prev)), "%")


def cagr(x_end: float, x_start: float, years: float) -> Derived:
    """Compound annual growth in percent: ((x_end / x_start)^(1/years) − 1) × 100."""
    a, b, n = _num("x_end", x_end), _num("x_start", x_start), _years(years)
    r = _apply(_relation("cagr", "cagr", ("x_end", "x_start"), (0, -n), 100.0), (a, b), "%")
    return Derived(r.value, r.formula, {**r.inputs, "years": n}, r.unit)


def multiple_added(x_end: float, x_start: float) -> Derived:
    """增加了k倍: k = x_end / x_start − 1."""
    r = multiple_of(x_end, x_start)
    return Derived(r.value - 1.0, f"{r.formula} − 1", r.inputs, "倍")


def multiple_of(x_end: float, x_start: float) -> Derived:
    """是…的k倍: k = x_end / x_start."""
    rel = _relation("multiple", "multiple_of", ("x_end", "x_start"), (0, 0))
    return _apply(rel, (_num("x_end", x_end), _num("x_start", x_start)), "倍")


def share(part: float, total: float) -> Derived:
    """Share in percent: part / total × 100."""
    rel = _relation("share", "share", ("part", "total"), (0, 0), 100.0)
    return _apply(rel, (_num("part", part), _num("total", total)), "%")


def pp_change(s_t: float, s_prev: float) -> Derived:
    """Percentage-point change: s_t − s_prev (个百分点)."""
    rel = _relation("pp_change", "pp_change", ("s_t", "s_prev"), (0, -1))
    return _apply(rel, (_num("s_t", s_t), _num("s_prev", s_prev)), "个百分点")


def avg_annual_pp_change(s_end: float, s_start: float, years: float) -> Derived:
    """Average annual percentage-point change: (s_end − s_start) / years."""
    a, b, n = _num("s_end", s_end), _num("s_start", s_start), _years(years)
    r = _apply(_relation("pp_change", "pp_change", ("s_end", "s_start"), (0, -n)), (a, b), "")
    return Derived(r.value / n, f"({r.formula}) / {n}", {**r.inputs, "years": n}, "个百分点")


def growth_gap(g_a: float, g_b: float) -> Derived:
    """Gap between two growth rates in percentage points: g_a − g_b."""
    rel = _relation("difference", "growth_gap", ("g_a", "g_b"), (0, 0))
    return _apply(rel, (_num("g_a", g_a), _num("g_b", g_b)), "个百分点")


def contribution(delta_part: float, total_prev: float) -> Derived:
    """Contribution of a part to the total's growth, in percentage points: Δpart / total_prev × 100."""
    rel = _relation("ratio", "contribution", ("delta_part", "total_prev"), (0, 0), 100.0)
    return _apply(rel, (_num("delta_part", delta_part), _num("total_prev", total_prev)),
                  "个百分点")
