"""Relations between indicators (sum, share, growth, CAGR …) parsed from the catalog's `formula`.

A formula such as `de_va / gdp × 100` or `de_va[t] / de_va[t-1] × 100 − 100` is parsed into a
`Relation`: its kind, its output indicator, its terms (an input indicator at a period offset:
0 for t, −1 for t−1, −n for t−n) and one canonical expression tree. That tree is the only
definition of the arithmetic: `compute` evaluates it, the store renders it as SQL
(`digecon.store.derive`), `describe_zh` and `template` render it as text, and `conditions`
lists where it is defined (divisors non-zero, a CAGR's ratio positive).

Pure Python: importing this module loads neither duckdb, pandas nor numpy.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from digecon.errors import InputError

from .model import Catalog, CatalogError

__all__ = [
    "KINDS", "Expr", "FormulaError", "Relation", "RelationError", "Term", "check_formula",
    "fold", "parse_formula", "relations_of",
]

KINDS = ("sum", "share", "ratio", "difference", "growth", "pp_change", "cagr", "multiple",
         "index_growth")

EXPECTED = ("可识别的关系公式（指标代码、数字、+ − × / ^ 与括号；上期写 x[t-1]）："
            "a + b [+ …]（sum）、a / b × 100（share）、a / b × k（ratio）、a / b（multiple）、"
            "a − b（difference）、x[t] / x[t-1] × 100 − 100（growth）、"
            "s[t] − s[t-1]（pp_change）、(x[t] / x[t-n]) ^ (1/n) × 100 − 100（cagr）、"
            "index − 100（index_growth）")


class FormulaError(CatalogError):
    """A formula that is not one of the relations; the message names where it was found
    (file:line:formula when known), what was found and what was expected."""


class RelationError(InputError):
    """A relation that cannot be computed for the values given (a zero divisor, a
    non-positive CAGR ratio, a value that is not a finite number)."""


@dataclass(frozen=True)
class Term:
    """One input: an indicator at a period offset (0: t, −1: t−1, −n: t−n)."""

    indicator: str
    offset: int = 0


@dataclass(frozen=True)
class Expr:
    """A node of a relation's expression: `term` (the `index`-th term), `num` (`value`), or a
    binary operator `+ - * / ^` over `args`."""

    op: str
    args: tuple[Expr, ...] = ()
    value: float = 0.0
    index: int = 0


T = TypeVar("T")


def fold(expr: Expr, leaf: Callable[[int], T], num: Callable[[float], T],
         binary: Callable[[str, T, T], T]) -> T:
    """Evaluate or render an expression bottom-up (leaf for terms, num for numbers)."""
    if expr.op == "term":
        return leaf(expr.index)
    if expr.op == "num":
        return num(expr.value)
    left, right = (fold(a, leaf, num, binary) for a in expr.args)
    return binary(expr.op, left, right)


def _t(i: int) -> Expr:
    return Expr("term", index=i)


def _n(v: float) -> Expr:
    return Expr("num", value=float(v))


def _b(op: str, a: Expr, b: Expr) -> Expr:
    return Expr(op, (a, b))


@dataclass(frozen=True)
class Relation:
    """One relation: `output` = the kind's arithmetic over `terms` (see `expression`).

    kind          arithmetic (T0, T1 … the terms' values)      scale
    sum           T0 + T1 + …                                   1
    share, ratio  T0 / T1 × scale                               100 (share), k (ratio)
    multiple      T0 / T1                                       1
    difference    T0 − T1                                       1
    pp_change     T0 − T1 (one indicator at t and t−n)          1
    growth        (T0 / T1 − 1) × 100 (t and t−n)               100
    cagr          ((T0 / T1)^(1/n) − 1) × 100 (t and t−n)       100
    index_growth  T0 − 100                                      1
    """

    kind: str
    output: str
    terms: tuple[Term, ...]
    scale: float
    formula: str

    # structure -----------------------------------------------------------------------
    @property
    def inputs(self) -> tuple[str, ...]:
        """The input indicator codes, each once, in the order of the terms."""
        return tuple(dict.fromkeys(t.indicator for t in self.terms))

    @property
    def span(self) -> int:
        """Years between the latest and the earliest term (5 for a five-year CAGR)."""
        offsets = [t.offset for t in self.terms]
        return max(offsets) - min(offsets)

    @property
    def expression(self) -> Expr:
        """The arithmetic as a tree: the one definition every evaluation and rendering uses."""
        return _expression(self.kind, len(self.terms), self.scale, self.span)

    @property
    def conditions(self) -> tuple[tuple[str, Expr], ...]:
        """Where the relation is defined: ("nonzero", e) or ("positive", e), in the order
        they must be checked (a CAGR's ratio is tested only once its divisor is non-zero)."""
        found: list[tuple[str, Expr]] = []

        def visit(e: Expr) -> None:
            for a in e.args:
                visit(a)
            if e.op == "/" and e.args[1].op != "num":
                found.append(("nonzero", e.args[1]))
            if e.op == "^":
                found.append(("positive", e.args[0]))

        visit(self.expression)
        return tuple(found)

    # evaluation ----------------------------------------------------------------------
    def compute(self, values: Sequence[float]) -> float:
        """The output for the terms' values (in the order of `terms`); RelationError where the
        relation is not defined (zero divisor, non-positive CAGR ratio, non-finite value)."""
        xs = self._values(values, "values")
        for test, e in self.conditions:
            v = _evaluate(e, xs)
            if (test == "nonzero" and v == 0) or (test == "positive" and not v > 0):
                why = "为零（不能作除数）" if test == "nonzero" else "不大于零（不能开方）"
                raise RelationError(f"{self.output} = {self.formula}：{self.template(None, e)}"
                                    f" = {_fmt(v)}，{why}")
        out = _evaluate(self.expression, xs)
        if not math.isfinite(out):
            raise RelationError(f"{self.output}: {self.formula} 的结果不是有限数（{out}）")
        return out

    def compute_interval(self, lows: Sequence[float], highs: Sequence[float]
                         ) -> tuple[float, float]:
        """The smallest and largest output when each input lies in [low, high].

        Every relation here is monotone in each input separately wherever it is defined (a
        sum or difference is linear; a / b is monotone in a, and in b on an interval of b
        without 0; x^(1/n) is increasing for x > 0), so the extremes over the box of inputs
        lie at its corners: the output is evaluated at the 2^n corners. RelationError when
        the box reaches where the relation is undefined (a divisor's interval containing 0,
        a CAGR ratio's interval reaching 0 or below).
        """
        lo = self._values(lows, "lows", bounded=False)
        hi = self._values(highs, "highs", bounded=False)
        for i, (a, b) in enumerate(zip(lo, hi)):
            if a > b:
                raise RelationError(f"{self.output}: 第 {i + 1} 项的区间下限 {_fmt(a)} "
                                    f"大于上限 {_fmt(b)}")
        corners = list(itertools.product(*zip(lo, hi)))
        for test, e in self.conditions:
            at = [_evaluate(e, c) for c in corners]
            if (test == "nonzero" and min(at) <= 0 <= max(at)) or (
                    test == "positive" and min(at) <= 0):
                why = "含零（不能作除数）" if test == "nonzero" else "含不大于零的值（不能开方）"
                raise RelationError(f"{self.output} = {self.formula}：{self.template(None, e)}"
                                    f" 的区间 [{_fmt(min(at))}, {_fmt(max(at))}] {why}")
        outs = [_evaluate(self.expression, c) for c in corners]
        if any(math.isnan(v) for v in outs):
            raise RelationError(f"{self.output} = {self.formula}：输入区间无界，结果无法确定")
        return min(outs), max(outs)

    def _values(self, values: Sequence[float], name: str, bounded: bool = True) -> list[float]:
        if len(values) != len(self.terms):
            raise RelationError(f"{self.output}: {name} 应有 {len(self.terms)} 个数"
                                f"（{', '.join(self._codes())}），发现 {len(values)} 个")
        xs = []
        for term, v in zip(self.terms, values):
            try:
                x = float(v)
            except (TypeError, ValueError):
                raise RelationError(f"{self.output}: {term.indicator} 应为数值，发现 {v!r}"
                                    ) from None
            if math.isnan(x) or (bounded and math.isinf(x)):
                raise RelationError(f"{self.output}: {term.indicator} 应为有限数，发现 {v!r}")
            xs.append(x)
        return xs

    # text ------------------------------------------------------------------------------
    def template(self, labels: Sequence[str] | None = None, expr: Expr | None = None) -> str:
        """The arithmetic as text with each term shown by its label (default: its code with
        the period, `x[t-1]`): `(a / b − 1) × 100`."""
        shown = list(labels) if labels is not None else self._codes()
        return _text(self.expression if expr is None else expr, shown)

    def describe_zh(self, values: Sequence[float],
                    names: Mapping[str, str] | Catalog | None = None, *,
                    decimals: int = 2, period: str | None = None) -> str:
        """The arithmetic in words and numbers, e.g. 「数字经济增加值 / 地区生产总值 × 100 =
        10378 / 29619.7 × 100 = 35.04」; the result rounded half-up to `decimals`.

        `names` gives each code's Chinese name (a mapping or the catalog; the code if
        missing); `period` (a year) labels terms of other periods (2020年…)."""
        value = self.compute(values)
        labels = [self._label(t, names, period) for t in self.terms]
        numbers = [_fmt(float(v)) for v in values]
        return f"{self.template(labels)} = {self.template(numbers)} = {_round(value, decimals)}"

    def _codes(self) -> list[str]:
        return [t.indicator + _offset_text(t.offset, self.terms) for t in self.terms]

    def _label(self, term: Term, names: Mapping[str, str] | Catalog | None,
               period: str | None) -> str:
        if isinstance(names, Catalog):
            name = (names.indicator(term.indicator).name_zh
                    if names.has_indicator(term.indicator) else term.indicator)
        else:
            name = (names or {}).get(term.indicator, term.indicator)
        if all(t.offset == 0 for t in self.terms):
            return name
        if period is not None and re.fullmatch(r"[0-9]{4}", str(period)):
            return f"{int(period) + term.offset}年{name}"
        if term.offset == 0:
            return f"本期{name}"
        return f"上年{name}" if term.offset == -1 else f"{-term.offset}年前{name}"


def _offset_text(offset: int, terms: tuple[Term, ...]) -> str:
    if all(t.offset == 0 for t in terms):
        return ""
    return f"[t{offset:+d}]" if offset else "[t]"


def _expression(kind: str, n: int, scale: float, span: int) -> Expr:
    """The canonical arithmetic of each kind (see Relation's table)."""
    if kind == "sum":
        e = _t(0)
        for i in range(1, n):
            e = _b("+", e, _t(i))
        return e
    ratio = _b("/", _t(0), _t(1))
    if kind in ("share", "ratio"):
        return _b("*", ratio, _n(scale))
    if kind == "multiple":
        return ratio
    if kind in ("difference", "pp_change"):
        return _b("-", _t(0), _t(1))
    if kind == "growth":
        return _b("*", _b("-", ratio, _n(1)), _n(100))
    if kind == "cagr":
        root = _b("^", ratio, _b("/", _n(1), _n(span)))
        return _b("*", _b("-", root, _n(1)), _n(100))
    if kind == "index_growth":
        return _b("-", _t(0), _n(100))
    raise ValueError(f"unknown relation kind {kind!r}; expected one of {', '.join(KINDS)}")


def _evaluate(expr: Expr, xs: Sequence[float]) -> float:
    return fold(expr, lambda i: xs[i], lambda v: v, _apply)


def _apply(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b if b != 0 else math.nan
    return a ** b if a > 0 else math.nan


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}
_SHOWN = {"+": " + ", "-": " − ", "*": " × ", "/": " / "}


def _text(expr: Expr, labels: Sequence[str]) -> str:
    def show(e: Expr, parent: int, right: bool) -> str:
        if e.op == "term":
            return labels[e.index]
        if e.op == "num":
            return _fmt(e.value)
        if e.op == "^":
            exp = e.args[1]
            power = (f"(1/{_fmt(exp.args[1].value)})" if exp.op == "/" and exp.args[0].op
                     == "num" and exp.args[0].value == 1 else show(exp, 4, True))
            return f"{show(e.args[0], 4, False)}^{power}"
        own = _PRECEDENCE[e.op]
        text = show(e.args[0], own, False) + _SHOWN[e.op] + show(e.args[1], own, True)
        if own < parent or (right and own == parent):
            return f"({text})"
        return text

    return show(expr, 0, False)


def _fmt(x: float) -> str:
    """Shortest faithful text of a number: 10378.0 -> 10378, 0.1 -> 0.1."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)


def _round(x: float, decimals: int) -> str:
    """Half-up at `decimals` on the number's shortest text (35.035 -> 35.04)."""
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    return str(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


# parsing -------------------------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<num>[0-9]+(?:\.[0-9]+)?(?![a-z_]))
  | (?P<name>[a-z0-9][a-z0-9_]*)
  | (?P<period>\[\s*t\s*(?:(?P<sign>[-−–+])\s*(?P<lag>[0-9]+))?\s*\])
  | (?P<op>\*\*|[-−–+×*·/÷^()（）])
""", re.VERBOSE)
_OPS = {"−": "-", "–": "-", "×": "*", "·": "*", "÷": "/", "**": "^", "（": "(", "）": ")"}


@dataclass(frozen=True)
class _Var:
    code: str
    offset: int


@dataclass(frozen=True)
class _Node:
    op: str  # "var", "num" or an operator
    args: tuple[_Node, ...] = ()
    value: float = 0.0
    var: _Var | None = None


class _Unparsed(Exception):
    """Why a formula is not a relation (becomes a FormulaError with its location)."""


def _tokens(text: str) -> list[tuple[str, str | float | int, int]]:
    out: list[tuple[str, str | float | int, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _Unparsed(f"第 {pos + 1} 个字符处的「{text[pos]}」不是指标代码、数字或运算符")
        tok = m.group(0)
        if m.group("num") is not None:
            out.append(("num", float(tok), pos))
        elif m.group("name") is not None:
            out.append(("name", tok, pos))
        elif m.group("period") is not None:
            if m.group("sign") == "+":
                raise _Unparsed(f"第 {pos + 1} 个字符处的「{tok}」是以后的时期，应为 t 或 t-n")
            out.append(("period", -int(m.group("lag") or 0), pos))
        elif m.group("op") is not None:
            out.append(("op", _OPS.get(tok, tok), pos))
        pos = m.end()
    return out


class _Parser:
    """Recursive descent: sum := product (± product)*; product := power (×|/ power)*;
    power := atom (^ power)?; atom := number | code[t-n] | ( sum ). A lone `x` after an
    operand is a multiplication sign."""

    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str | float | int, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def is_op(self, *ops: str) -> bool:
        tok = self.peek()
        if tok is None:
            return False
        if tok[0] == "name" and tok[1] == "x" and "*" in ops:
            return True  # an operand is never followed by a code: `a x b` is a × b
        return tok[0] == "op" and tok[1] in ops

    def op(self) -> str:
        tok = self.tokens[self.i]
        self.i += 1
        return "*" if tok[0] == "name" else str(tok[1])

    def parse(self) -> _Node:
        if not self.tokens:
            raise _Unparsed("空公式")
        node = self.sum()
        tok = self.peek()
        if tok is not None:
            raise _Unparsed(f"第 {tok[2] + 1} 个字符处多出「{_shown(tok)}」")
        return node

    def sum(self) -> _Node:
        node = self.product()
        while self.is_op("+", "-"):
            op = self.op()
            node = _Node(op, (node, self.product()))
        return node

    def product(self) -> _Node:
        node = self.power()
        while self.is_op("*", "/"):
            op = self.op()
            node = _Node(op, (node, self.power()))
        return node

    def power(self) -> _Node:
        node = self.atom()
        if self.is_op("^"):
            self.op()
            node = _Node("^", (node, self.power()))
        return node

    def atom(self) -> _Node:
        tok = self.peek()
        if tok is None:
            raise _Unparsed("公式在运算符之后结束，缺少指标代码或数字")
        self.i += 1
        kind, value, pos = tok
        if kind == "num":
            return _Node("num", value=float(value))  # type: ignore[arg-type]
        if kind == "name":
            offset = 0
            nxt = self.peek()
            if nxt is not None and nxt[0] == "period":
                self.i += 1
                offset = int(nxt[1])  # type: ignore[arg-type]
            return _Node("var", var=_Var(str(value), offset))
        if kind == "op" and value == "(":
            node = self.sum()
            if not self.is_op(")"):
                raise _Unparsed(f"第 {pos + 1} 个字符处的「(」没有对应的「)」")
            self.i += 1
            return node
        raise _Unparsed(f"第 {pos + 1} 个字符处的「{_shown(tok)}」，此处应为指标代码、数字或「(」")


def _shown(tok: tuple[str, str | float | int, int]) -> str:
    kind, value, _ = tok
    if kind == "period":
        return f"[t{int(value):+d}]" if value else "[t]"  # type: ignore[arg-type]
    if kind == "num":
        return _fmt(float(value))  # type: ignore[arg-type]
    return str(value)


def _is_num(n: _Node, v: float | None = None) -> bool:
    return n.op == "num" and (v is None or n.value == v)


def _ratio_vars(n: _Node) -> tuple[_Var, _Var] | None:
    if n.op == "/" and n.args[0].op == "var" and n.args[1].op == "var":
        return n.args[0].var, n.args[1].var  # type: ignore[return-value]
    return None


def _classify(n: _Node) -> tuple[str, tuple[_Var, ...], float]:
    """(kind, variables, scale) of a parsed formula, or _Unparsed saying why not."""
    if n.op == "+":
        leaves: list[_Node] = []
        node = n
        while node.op == "+":
            leaves.insert(0, node.args[1])
            node = node.args[0]
        leaves.insert(0, node)
        if all(leaf.op == "var" for leaf in leaves):
            return "sum", tuple(leaf.var for leaf in leaves), 1.0  # type: ignore[misc]
        raise _Unparsed("是加法，但不是若干指标之和")
    if n.op == "-":
        a, b = n.args
        if a.op == "var" and _is_num(b, 100):
            return "index_growth", (a.var,), 1.0  # type: ignore[has-type]
        if a.op == "var" and b.op == "var":
            va, vb = a.var, b.var
            if va.code == vb.code:  # type: ignore[union-attr]
                return "pp_change", _over_time(va, vb, "百分点变化"), 1.0  # type: ignore[arg-type]
            return "difference", (va, vb), 1.0  # type: ignore[return-value]
        if _is_num(b, 100) and a.op == "*" and _is_num(a.args[1], 100):
            return _growth_like(a.args[0])  # x[t] / x[t-1] × 100 − 100
        raise _Unparsed("是减法，但不是 a − b、x[t] − x[t-1]、index − 100 或增速")
    if n.op == "*" and _is_num(n.args[1]):
        inner, k = n.args[0], n.args[1].value
        if inner.op == "-" and _is_num(inner.args[1], 1) and k == 100:
            return _growth_like(inner.args[0])  # (x[t] / x[t-1] − 1) × 100
        pair = _ratio_vars(inner)
        if pair is not None:
            if k == 100 and pair[0].offset == pair[1].offset and pair[0].code != pair[1].code:
                return "share", pair, 100.0
            return "ratio", pair, float(k)
    pair = _ratio_vars(n)
    if pair is not None:
        return "multiple", pair, 1.0
    raise _Unparsed("不是可识别的关系")


def _growth_like(n: _Node) -> tuple[str, tuple[_Var, ...], float]:
    """x[t] / x[t-n] (growth) or (x[t] / x[t-n]) ^ (1/n) (cagr), the part before − 1."""
    pair = _ratio_vars(n)
    if pair is not None:
        return "growth", _over_time(*pair, "增速"), 100.0
    if n.op == "^" and _ratio_vars(n.args[0]) is not None:
        a, b = _over_time(*_ratio_vars(n.args[0]), "年均增速")  # type: ignore[misc]
        span = a.offset - b.offset
        e = n.args[1]
        if e.op == "/" and _is_num(e.args[0], 1) and _is_num(e.args[1]):
            exponent = 1 / e.args[1].value
        elif _is_num(e):
            exponent = e.value
        else:
            raise _Unparsed("年均增速的指数应为 (1/n)")
        if not math.isclose(exponent, 1 / span, rel_tol=1e-12):
            raise _Unparsed(f"年均增速的指数 {_fmt(exponent)} 与跨度 {span} 年不一致，应为 (1/{span})")
        return "cagr", (a, b), 100.0
    raise _Unparsed("增速的形式应为 x[t] / x[t-1] × 100 − 100 或 (x[t] / x[t-n]) ^ (1/n) × 100 − 100")


def _over_time(a: _Var, b: _Var, what: str) -> tuple[_Var, _Var]:
    if a.code != b.code:
        raise _Unparsed(f"{what}应为同一指标在两个时期之比或之差，发现 {a.code} 与 {b.code}")
    if a.offset <= b.offset:
        raise _Unparsed(f"{what}应为本期在前、较早时期在后（如 x[t] 与 x[t-1]）")
    return a, b


def parse_formula(formula: str, output: str, *, where: str = "") -> Relation:
    """The relation `output = formula`; FormulaError naming `where` (file:line), the column
    `formula`, what was found and what was expected."""
    text = formula.strip()
    try:
        kind, variables, scale = _classify(_Parser(text).parse())
    except _Unparsed as why:
        prefix = f"{where}:formula" if where else f"指标 {output} 的 formula"
        raise FormulaError(f"{prefix}: 发现「{text}」（{why}），应为{EXPECTED}") from None
    terms = tuple(Term(v.code, v.offset) for v in variables)
    return Relation(kind=kind, output=output, terms=terms, scale=scale, formula=text)


def check_formula(path: object, line: int, code: str, formula: str) -> Relation | None:
    """For a catalog file's row at merge time: its relation (None for an empty formula), or
    FormulaError naming path:line:formula."""
    if not formula.strip():
        return None
    return parse_formula(formula, code, where=f"{path}:{line}")


@lru_cache(maxsize=8)
def relations_of(catalog: Catalog) -> tuple[Relation, ...]:
    """Every indicator's relation (its formula parsed), producers before their consumers.

    FormulaError for a formula that does not parse or names an indicator the catalog does not
    know; CatalogError naming the codes when formulas refer to each other in a cycle.
    """
    found: dict[str, Relation] = {}
    for ind in catalog.indicators():
        if not ind.formula.strip():
            continue
        try:
            rel = parse_formula(ind.formula, ind.code)
        except FormulaError:  # again, naming the packaged file's line when it is one
            rel = parse_formula(ind.formula, ind.code, where=_packaged_line(ind.code))
        for term in rel.terms:
            if not catalog.has_indicator(term.indicator):
                where = _packaged_line(ind.code) or f"指标 {ind.code}"
                close = catalog.suggest_indicators(term.indicator)
                hint = f"；最接近：{'、'.join(close)}" if close else ""
                raise FormulaError(f"{where}:formula: 发现「{rel.formula}」中的未知指标代码"
                                   f"「{term.indicator}」，应为目录中已有的指标代码{hint}")
        _check_units(rel, catalog)
        found[ind.code] = rel
    return _in_order(found)


# Kinds whose terms must be in one unit (a sum of 亿元 and 万元 would be a wrong number); a
# sum is in its terms' unit too. Ratios (件 per 万人) and changes of one indicator are free.
_SAME_UNIT = ("sum", "difference", "share", "multiple")


def _check_units(rel: Relation, catalog: Catalog) -> None:
    if rel.kind not in _SAME_UNIT:
        return
    units = {t.indicator: catalog.indicator(t.indicator).unit for t in rel.terms}
    if rel.kind == "sum":
        units[rel.output] = catalog.indicator(rel.output).unit
    if len(set(units.values())) > 1:
        where = _packaged_line(rel.output) or f"指标 {rel.output}"
        shown = "、".join(f"{code} {unit or '无单位'}" for code, unit in units.items())
        raise FormulaError(f"{where}:formula: 发现「{rel.formula}」的单位不一致（{shown}），"
                           f"应为同一单位的指标（{rel.kind} 只在同一单位之间成立；"
                           f"不同单位的比值请写 a / b × k）")


def _in_order(found: dict[str, Relation]) -> tuple[Relation, ...]:
    """Producers first (catalog order among the ready ones); CatalogError on a cycle."""
    done: list[Relation] = []
    placed: set[str] = set()
    waiting = dict(found)
    while waiting:
        ready = [r for r in waiting.values()
                 if all(i in placed or i not in found for i in r.inputs)]
        if not ready:
            raise CatalogError(f"指标公式互相引用（循环）：发现 {_cycle(waiting)}，"
                               f"应为无循环的公式（每个指标只由其他指标算出）")
        for r in ready:
            done.append(r)
            placed.add(r.output)
            del waiting[r.output]
    return tuple(done)


def _cycle(waiting: dict[str, Relation]) -> str:
    """One cycle among the relations left, as `a → b → a`."""
    path = [next(iter(waiting))]
    while True:
        nxt = next(i for i in waiting[path[-1]].inputs if i in waiting)
        if nxt in path:
            loop = path[path.index(nxt):] + [nxt]
            return " → ".join(loop)
        path.append(nxt)


def _packaged_line(code: str) -> str:
    """`core_indicators.csv:LINE` for a code of the packaged tables, else ''."""
    for name in ("core_indicators.csv",):
        text = _packaged_text(name)
        for n, line in enumerate(text.splitlines(), 1):
            if line.startswith(code + ","):
                return f"{name}:{n}"
    return ""


@lru_cache(maxsize=2)
def _packaged_text(name: str) -> str:
    return resources.files("digecon.catalog").joinpath("data", name).read_text(encoding="utf-8")
