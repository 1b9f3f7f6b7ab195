"""Interval arithmetic at stated precision: 12.6 admits [12.55, 12.65]; a result spans its inputs' corners."""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

_EPS = 1e-9


@dataclass(frozen=True)
class Interval:
    """The closed range of values a stated number admits (±inf for an open side: 超2500 = (2500, inf))."""

    lo: float
    hi: float

    def scale(self, factor: float) -> Interval:
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    def overlaps(self, other: Interval, rel: float = 1e-9) -> bool:
        tol = rel * max(1.0, *(abs(x) for x in (self.lo, self.hi, other.lo, other.hi) if math.isfinite(x)))
        return self.lo <= other.hi + tol and other.lo <= self.hi + tol

    def contains(self, x: float) -> bool:
        return self.lo - _EPS <= x <= self.hi + _EPS

    @property
    def mid(self) -> float:
        if math.isinf(self.lo) or math.isinf(self.hi):
            return self.lo if math.isfinite(self.lo) else self.hi
        return (self.lo + self.hi) / 2

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.lo) and math.isfinite(self.hi)


def stated(value: Decimal | float, step: Decimal | float) -> Interval:
    """What a number written with last-digit unit `step` admits: value ± step / 2."""
    v, h = float(value), float(step) / 2
    return Interval(v - h, v + h)


def compute(f: Callable[..., float], *inputs: Interval) -> Interval:
    """Range of f over the box of its inputs, evaluated at the corners (f monotone in each input)."""
    vals = []
    for corner in itertools.product(*[(i.lo, i.hi) if i.lo != i.hi else (i.lo,) for i in inputs]):
        try:
            y = f(*corner)
        except (ZeroDivisionError, ValueError, OverflowError):
            continue
        if isinstance(y, complex) or math.isnan(y):
            continue
        vals.append(y)
    if not vals:
        raise ValueError("no admissible value")
    return Interval(min(vals), max(vals))


def solve(g: Callable[[float], float], target: float, guess: float) -> float | None:
    """x near `guess` with g(x) = target (g monotone near guess), by bracketing and bisection."""
    def h(x: float) -> float:
        return g(x) - target

    try:
        if h(guess) == 0:
            return guess
        lo, hi = guess, guess
        for k in range(1, 60):
            span = abs(guess) * (2 ** k - 1) / 8 + 1e-6 * k
            lo, hi = guess - span, guess + span
            if _sign(h(lo)) != _sign(h(guess)):
                hi = guess
                break
            if _sign(h(hi)) != _sign(h(guess)):
                lo = guess
                break
        else:
            return None
        for _ in range(200):
            m = (lo + hi) / 2
            if _sign(h(m)) == _sign(h(lo)):
                lo = m
            else:
                hi = m
        return (lo + hi) / 2
    except (ZeroDivisionError, ValueError, OverflowError):
        return None


def _sign(x: float) -> int:
    if isinstance(x, complex) or math.isnan(x):
        raise ValueError("not a real value")
    return (x > 0) - (x < 0)
