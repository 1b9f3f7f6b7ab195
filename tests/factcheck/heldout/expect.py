"""Load the held-out texts with their expectations and recompute each relation at stated precision."""
from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

# Relation kinds a planted error or a holding statement can belong to ("level": a stated number
# in no relation, which must simply not be flagged).
KINDS = (
    "growth", "pp_change", "share", "sum", "shares_total", "cagr", "cagr_multiple", "multiple",
    "doubling", "increment", "gap", "repeat", "rank", "count", "unit",
)
HOLD_KINDS = KINDS + ("level",)
OPS = ("eq", "gt", "ge", "lt", "le", "approx", "near", "exact")
APPROX = Fraction(1, 10)  # 约/左右 admit ±10 %; 近 admits up to 10 % below


@dataclass
class Span:
    """One substring of a text: the n-th occurrence (1-based) of `number`."""

    number: str
    occurrence: int
    start: int
    end: int


@dataclass
class Entry:
    number: Span
    kind: str
    related: list[Span]
    why: str = ""
    fits: str | None = None
    calc: str | None = None
    stated: str | None = None
    op: str = "eq"
    form: list[str] = field(default_factory=list)


@dataclass
class Case:
    stem: str
    text: str
    errors: list[Entry]
    holds: list[Entry]


def locate(text: str, number: str, occurrence: int = 1) -> Span:
    """The span of the occurrence-th `number` in `text`; ValueError naming what is missing."""
    pos = -1
    for _ in range(occurrence):
        pos = text.find(number, pos + 1)
        if pos < 0:
            raise ValueError(f"「{number}」第{occurrence}次出现未找到")
    return Span(number, occurrence, pos, pos + len(number))


def _span(text: str, item: str | dict) -> Span:
    if isinstance(item, str):
        return locate(text, item, 1)
    return locate(text, str(item["number"]), int(item.get("occurrence", 1)))


def _entry(text: str, raw: dict) -> Entry:
    return Entry(
        number=_span(text, raw),
        kind=raw["kind"],
        related=[_span(text, r) for r in raw.get("related", [])],
        why=raw.get("why", ""),
        fits=None if raw.get("fits") is None else str(raw["fits"]),
        calc=raw.get("calc"),
        stated=None if raw.get("stated") is None else str(raw["stated"]),
        op=raw.get("op", "eq"),
        form=list(raw.get("form", [])),
    )


def load_case(stem: str) -> Case:
    text = (HERE / f"{stem}.txt").read_text(encoding="utf-8")
    raw = yaml.safe_load((HERE / f"{stem}.yaml").read_text(encoding="utf-8")) or {}
    return Case(stem, text, [_entry(text, r) for r in raw.get("errors", [])],
                [_entry(text, r) for r in raw.get("holds", [])])


def stems() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.txt"))


def load_all() -> list[Case]:
    return [load_case(s) for s in stems()]


# ---- interval arithmetic at stated precision -------------------------------------------------

Interval = tuple[Fraction, Fraction]


def stated_interval(literal: str) -> Interval:
    """12.6 -> [12.55, 12.65): half a unit of the last written digit either side."""
    value = Fraction(literal)
    decimals = len(literal.split(".")[1]) if "." in literal else 0
    half = Fraction(1, 2) / 10 ** decimals
    return value - half, value + half


def _corners(a: Interval, b: Interval, op) -> Interval:
    values = [op(x, y) for x in a for y in b]
    return min(values), max(values)


def _pow(x: Fraction, y: Fraction) -> Fraction:
    return Fraction(math.pow(float(x), float(y)))


def evaluate(expr: str) -> Interval:
    """Interval value of an arithmetic expression whose decimal literals carry their precision.

    `233.1` stands for [233.05, 233.15); an integer literal is exact; `r(337)` reads an integer
    at its precision ([336.5, 337.5)). Operators: + - * / ** and unary minus; inputs positive
    where they divide or are raised to a power.
    """
    tree = ast.parse(expr, mode="eval")

    def ev(node) -> Interval:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            literal = ast.get_source_segment(expr, node)
            if "." in literal:
                return stated_interval(literal)
            return Fraction(literal), Fraction(literal)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "r":
            return stated_interval(ast.get_source_segment(expr, node.args[0]))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            lo, hi = ev(node.operand)
            return -hi, -lo
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return a[0] + b[0], a[1] + b[1]
            if isinstance(node.op, ast.Sub):
                return a[0] - b[1], a[1] - b[0]
            if isinstance(node.op, ast.Mult):
                return _corners(a, b, lambda x, y: x * y)
            if isinstance(node.op, ast.Div):
                if b[0] <= 0 <= b[1]:
                    raise ValueError(f"{expr}: 除数区间含0")
                return _corners(a, b, lambda x, y: x / y)
            if isinstance(node.op, ast.Pow):
                return _corners(a, b, _pow)
        raise ValueError(f"{expr}: 不支持的表达式 {ast.dump(node)}")

    return ev(tree)


def fits_value(fits: str) -> str | None:
    """The first number written in a `fits` string, or None for a bound such as ≤21.0%."""
    if fits.strip().startswith(("≤", "≥", "<", ">")):
        return None
    m = re.search(r"-?\d+(?:\.\d+)?", fits.replace(",", ""))
    return m.group(0) if m else None


def holds(result: Interval, stated: str, op: str) -> bool:
    """Whether a computed interval agrees with a stated number under its qualifier."""
    lo, hi = result
    s_lo, s_hi = stated_interval(stated)
    value = Fraction(stated)
    if op == "exact":
        return lo <= value <= hi
    if op == "eq":
        return lo < s_hi and hi >= s_lo
    if op in ("gt", "ge"):          # 超/以上: the quantity is above the stated bound
        return hi > value if op == "gt" else hi >= value
    if op in ("lt", "le"):          # 不到/低于: below the bound
        return lo < value if op == "lt" else lo <= value
    if op == "approx":              # 约/左右
        return lo <= value * (1 + APPROX) and hi >= value * (1 - APPROX)
    if op == "near":                # 近: a little below the bound
        return lo < value and hi >= value * (1 - APPROX)
    raise ValueError(f"未知的 op: {op}")
