"""The claim graph: statements keyed by quantity, region, period and unit; edges are typed relations
decided by interval arithmetic at stated precision; failures are blamed on the fewest statements."""
from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from digecon.catalog import CatalogError, get_catalog
from digecon.catalog.relations import Relation, Term, fold, relations_of
from digecon.factcheck.clauses import _MEASURE_NOUN, Statement, qkey
from digecon.factcheck.interval import Interval, compute, solve
from digecon.factcheck.regions import (
    AREAS,
    MACRO,
    NATION,
    PROVINCES,
    local_parent,
    partition_of,
    within,
)


@dataclass
class Edge:
    """One relation among statements: members[0] is the target the others determine."""

    rule: str
    members: list[int]
    f: Callable[..., float]          # target from the other members' values (base units)
    formula: str                     # the arithmetic in Chinese, with the numbers as written
    computed: Interval = Interval(0, 0)  # noqa: RUF009 (frozen)
    ok: bool | None = None
    note: str = ""                   # "mid": the inputs at their stated values (the target is a vague 翻番);
    #                                  "regions": every region of a whole, whose statistics may differ slightly
    inequality: str = ""             # "ge": the target is at least f(...) (a sum of some parts)
    fixed: Interval | None = None    # evidence from outside the text (the store): what the target must meet
    weak: bool = False               # the evidence cannot overrule the text (estimated, illustrative)
    suspects: list[int] | None = None  # the members one change of which could make it hold (None: all)


# --- quantity identity --------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _indicator_names() -> dict[str, str]:
    """Every catalog indicator's code, Chinese name and aliases -> its code."""
    try:
        inds = get_catalog().indicators()
    except (CatalogError, OSError):
        return {}
    names: dict[str, str] = {}
    for ind in inds:
        for key in (ind.code, ind.name_zh, *ind.aliases):
            names.setdefault(key, ind.code)
    return names


@lru_cache(maxsize=65536)
def ident(np: str) -> str:
    """A quantity's identity: the catalog indicator code when the phrase names one, else its key."""
    if not np:
        return ""
    names = _indicator_names()
    k = qkey(np)
    for cand in (np, k, k + "增加值", np.replace("的", ""), k.replace("总", "")):
        if cand in names:
            return names[cand]
    return k


@lru_cache(maxsize=1)
def _catalog_relations() -> tuple[dict[tuple[str, str], str], dict[str, tuple[str, ...]], dict[str, str]]:
    """(share inputs -> share code, sum output -> parts, level -> growth code) from the catalog formulas."""
    shares: dict[tuple[str, str], str] = {}
    sums: dict[str, tuple[str, ...]] = {}
    growth: dict[str, str] = {}
    try:
        rels = relations_of(get_catalog())
    except (CatalogError, OSError):
        return shares, sums, growth
    for r in rels:
        if r.kind == "share" and len(r.inputs) == 2:
            shares[(r.inputs[0], r.inputs[1])] = r.output
        elif r.kind == "sum":
            sums[r.output] = r.inputs
        elif r.kind == "growth" and len(r.inputs) == 1:
            growth.setdefault(r.inputs[0], r.output)
    return shares, sums, growth


def share_code(part: str, whole: str) -> str:
    return _catalog_relations()[0].get((ident(part), ident(whole)), "")


# 软件和信息技术服务业实现软件业务收入 ~ 软件业务收入: what comes before the shorter phrase names who (the
# industry, ending with 业) or is a verb of reporting; 5G移动电话用户 and 实物商品网上零售额 are parts, not aliases
_SUBJECT_PREFIX = re.compile(r"(实现|完成|累计完成|累计实现|达到|共有|拥有)$|^.{2,}(?<!企)业(?:规模以上企业)?$")


def subject_prefixed(long: str, short: str) -> bool:
    """long is short with the subject (an industry) or a verb of reporting written before it."""
    head = long[:-len(short)]
    return (len(short) >= 4 and len(long) > len(short) and long.endswith(short)
            and bool(_SUBJECT_PREFIX.search(head)) and not re.search(r"每|人均|户均|平均", head)
            and not _PLACES_SUBJECT.search(head))


# 15个副省级中心城市实现软件业务收入, 三个园区完成营业收入: places that make up part of the area, whose
# total is not the area's
_PLACES_SUBJECT = re.compile(r"(城市|市|县|区|省|省份|地区|园区|基地|开发区|市州|盟市)(实现|完成|累计完成|累计实现|达到|共有|拥有)$")


# 累计建成5G基站 ~ 5G基站总数: the key a unit slip is looked for under (verbs of building and totals dropped)
_LOOSE_HEAD = re.compile(r"^(?:累计|已|共)?(?:建成|开通|建设|部署|拥有|实现|完成|有)")


def loose_key(np: str) -> str:
    k = qkey(np)
    return _LOOSE_HEAD.sub("", k) or k


@lru_cache(maxsize=65536)
def scope_free(np: str) -> str:
    """The phrase without scope words: 规模以上/规上, 企业 before a money measure, verbs of building."""
    k = re.sub(r"^(规模以上|规上|全部)", "", loose_key(np))
    return re.sub(r"企业(?=(营业收入|主营业务收入|收入|利润|增加值|产值))", "", k)


# --- relations (the catalog's Relation objects where one fits) -----------------------------------
def _rel(kind: str, n: int = 2, span: int = 1, scale: float = 1.0) -> Relation:
    offsets = (0, -span) if kind in ("growth", "cagr", "pp_change") else (0,) * n
    terms = tuple(Term(f"x{i}", offsets[i] if i < len(offsets) else 0) for i in range(n))
    return Relation(kind=kind, output="y", terms=terms, scale=scale, formula="")


def _binary(op: str, a: Callable, b: Callable) -> Callable:
    if op == "+":
        return lambda xs: a(xs) + b(xs)
    if op == "-":
        return lambda xs: a(xs) - b(xs)
    if op == "*":
        return lambda xs: a(xs) * b(xs)
    if op == "/":
        def div(xs):
            d = b(xs)
            return a(xs) / d if d != 0 else math.nan
        return div

    def power(xs):
        base = a(xs)
        return base ** b(xs) if base > 0 else math.nan
    return power


def _via(rel: Relation) -> Callable[..., float]:
    """The relation's own expression (catalog.relations), folded once into a function: NaN where the relation
    is not defined (a zero divisor, a non-positive CAGR ratio), as `Relation.compute` refuses them. Interval
    solving evaluates an edge thousands of times, so the expression is not rebuilt on each call."""
    run = fold(rel.expression, lambda i: (lambda xs: xs[i]), lambda v: (lambda xs: v), _binary)

    def f(*xs: float) -> float:
        if not all(math.isfinite(x) for x in xs):
            return math.nan
        try:
            out = run(xs)
        except (OverflowError, ZeroDivisionError):
            return math.nan
        return out if isinstance(out, float | int) and math.isfinite(out) else math.nan
    return f


GROWTH = _via(_rel("growth", scale=100))
SHARE = _via(_rel("share", scale=100))
DIFF = _via(_rel("difference"))
MULTIPLE = _via(_rel("multiple"))


def cagr(n: int) -> Callable[..., float]:
    return _via(_rel("cagr", span=n, scale=100))


def _sum(*xs: float) -> float:
    return sum(xs)


# --- the graph ----------------------------------------------------------------------------------
def _years(a: str, b: str) -> int | None:
    try:
        return int(a[:4]) - int(b[:4])
    except ValueError:
        return None


class Graph:
    """Index the statements and build every edge the text allows."""

    def __init__(self, sts: list[Statement]):
        self.sts = sts
        self.by: dict[tuple, list[int]] = defaultdict(list)
        for i, s in enumerate(sts):
            self.by[self.key(s)].append(i)
        self.edges: list[Edge] = []
        self._asker: int | None = None   # the statement whose relations are being built
        self._dim_cache: dict[str, list[str]] = {}
        self._one_cache: dict[tuple, int | None] = {}
        self._by_place: dict[tuple, list[tuple]] | None = None
        self.levels_by_q: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.levels_at: dict[tuple[str, str], list[int]] = defaultdict(list)  # (region, period)
        for i, s in enumerate(sts):
            if s.measure == "level" and s.num.qualifier in ("eq", "approx"):
                self.levels_by_q[(ident(s.quantity), s.period)].append(i)
                self.levels_at[(s.region, s.period)].append(i)
        # every suffix (4 characters or more) of each level's quantity, for _near
        self._suffixes: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._keys_at: dict[tuple[str, str], set[str]] = defaultdict(set)
        for (region, period), idx in self.levels_at.items():
            for j in idx:
                k = ident(sts[j].quantity)
                self._keys_at[(region, period)].add(k)
                for i in range(len(k) - 3):
                    self._suffixes[(region, period)][k[i:]].add(k)

    @staticmethod
    def key(s: Statement) -> tuple:
        whole = ident(s.whole) if s.measure in ("share",) or s.of == "share" else ""
        return (s.measure, ident(s.quantity), whole, s.whole_region if whole else "", s.region,
                s.period, s.base, s.num.dim, s.of)

    def find(self, measure: str, q: str, region: str, period: str, base: str = "", dim: str | None = None,
             whole: str = "", whole_region: str = "", of: str = "") -> list[int]:
        out = []
        dims = [dim] if dim is not None else []
        for k, idx in self._scan(measure, q, region, period, base, whole, whole_region, of):
            if dims and k[7] not in dims:
                continue
            out.extend(idx)
        if not out and measure == "level":
            out = self._near(q, region, period, dims) or self._loose(q, region, period, dims) or \
                self._measure_word(q, region, period, dims)
        out = [i for i in out if self.sts[i].num.qualifier in ("eq", "approx")]
        if out and self._asker is not None and _generic(ident(q)):
            # 营业收入, 用户数: a generic phrase means the same quantity only in the same paragraph
            para = self.sts[self._asker].para
            out = [i for i in out if self.sts[i].para == para]
        return out

    def one(self, *a, **kw) -> int | None:
        """The first exactly (or approximately) stated statement of a key, memoised: texts repeat keys."""
        key = (a, tuple(sorted(kw.items())), self.sts[self._asker].para
               if self._asker is not None and _generic(ident(a[1] if len(a) > 1 else kw.get("q", ""))) else -1)
        if key not in self._one_cache:
            found = self.find(*a, **kw)
            self._one_cache[key] = found[0] if found else None
        return self._one_cache[key]

    def _near(self, q: str, region: str, period: str, dims: list[str]) -> list[int]:
        """A level whose quantity ends with (or is the end of) q: 软件业务收入 ~ 软件和信息技术服务业实现软件业务收入."""
        key = ident(q)
        if len(key) < 4:
            return []
        at = self._suffixes.get((region, period))
        if at is None:
            return []
        ends_with_key = at.get(key, set())
        key_ends_with = {key[i:] for i in range(1, len(key) - 3)} & at.keys()
        names = {k for k in ends_with_key if k != key and subject_prefixed(k, key)}
        names |= {k for k in key_ends_with if k in self._keys_at[(region, period)] and subject_prefixed(key, k)}
        if len(names) != 1:
            return []
        (name,) = names
        return [j for j in self.levels_by_q.get((name, period), [])
                if self.sts[j].region == region and (not dims or self.sts[j].num.dim in dims)]

    def _loose(self, q: str, region: str, period: str, dims: list[str]) -> list[int]:
        """规模以上电子信息制造业企业营业收入 ~ 电子信息制造业营业收入, 累计建成5G基站 ~ 5G基站: the one level of
        the region and period whose phrase is the same once scope words (规模以上, 企业, 累计建成) are dropped."""
        key = scope_free(q)
        if len(key) < 4:
            return []
        names = {k for k in self._keys_at.get((region, period), set()) if scope_free(k) == key and k != ident(q)}
        if len(names) != 1:
            return []
        (name,) = names
        return [j for j in self.levels_by_q.get((name, period), [])
                if self.sts[j].region == region and (not dims or self.sts[j].num.dim in dims)]

    def _measure_word(self, q: str, region: str, period: str, dims: list[str]) -> list[int]:
        """光伏装机 ~ 光伏 (清洁能源装机中：光伏3,128.4万千瓦): the one level of the region and period named by the
        phrase without its measure word (装机, 装机容量), in the same unit."""
        m = re.fullmatch(r"(.{2,})(?:装机容量|装机规模|装机)", q)
        if not m or not dims:
            return []
        key = ident(m.group(1))
        return [j for j in self.levels_by_q.get((key, period), [])
                if self.sts[j].region == region and self.sts[j].num.dim in dims]

    def _scan(self, measure, q, region, period, base, whole, whole_region, of):
        w = ident(whole) if whole else ""
        for d in self._dims(measure):
            k = (measure, ident(q), w, whole_region if w else "", region, period, base, d, of)
            if k in self.by:
                yield k, self.by[k]

    def _dims(self, measure: str) -> list[str]:
        if measure in ("share", "growth", "cagr"):
            return ["%"]
        if measure in ("pp", "avg_pp", "gap"):
            return ["pp", "%"]
        if measure in ("ratio",):
            return ["倍"]
        if measure not in self._dim_cache:
            self._dim_cache[measure] = sorted({k[7] for k in self.by if k[0] == measure})
        return self._dim_cache[measure]

    def level(self, q: str, region: str, period: str, dim: str) -> int | None:
        return self.one("level", q, region, period, dim=dim)

    def add(self, rule: str, members: list[int], f: Callable[..., float], formula: str,
            inequality: str = "") -> None:
        if len(set(members)) < len(members) or any(m is None for m in members):
            return
        self.edges.append(Edge(rule, members, f, formula, inequality=inequality))

    # builders --------------------------------------------------------------------------------
    def build(self) -> list[Edge]:
        for i, s in enumerate(self.sts):
            self._asker = i
            getattr(self, f"_{s.measure}", lambda i, s: None)(i, s)
        self._asker = None
        self._sums()
        self._shares_of_whole()
        self._repeats()
        self._orders()
        self._per_day()
        return self.edges

    def _per_day(self) -> None:
        """日均接待游客约3.18万人次 beside 接待海内外游客1.16亿人次: a daily (monthly) average is the year's level
        over its days (months) — checked only for its order of magnitude (a year may count open days only)."""
        for i, s in enumerate(self.sts):
            m = _PER_DAY.match(s.quantity) if s.measure == "level" else None
            if not m or s.num.qualifier not in ("eq", "approx"):
                continue
            rest = ident(s.quantity[m.end():])
            if len(rest) < 2 or not _additive(s):
                continue
            at = self.levels_at.get((s.region, s.period), [])
            near = at[bisect.bisect_left(at, i - 200):bisect.bisect_left(at, i + 200)]  # its paragraph's, nearby
            cands = {j for j in near if j != i
                     and self.sts[j].num.dim == s.num.dim and self.sts[j].para == s.para
                     and not _PER_DAY.match(self.sts[j].quantity)
                     and _abbreviates(rest, ident(self.sts[j].quantity))}
            if len(cands) != 1:
                continue
            (j,) = cands
            n = 365.0 if m.group(0) in ("日均", "平均每天", "每天", "每日", "平均每日") else 12.0
            self.edges.append(Edge("per_day_vs_total", [i, j], lambda x, n=n: x / n,
                                   f"{self._t(j)} / {n:g}（{'天' if n > 12 else '个月'}）"))

    def _orders(self) -> None:
        """排名前三的城市依次为A、B、C，分别为x、y、z: the values of a ranked list do not rise."""
        groups: dict[tuple, list[int]] = defaultdict(list)
        for i, s in enumerate(self.sts):
            if s.order and s.num.qualifier in ("eq", "approx"):
                groups[(s.sentence, ident(s.quantity), s.period, s.num.dim)].append(i)
        for idx in groups.values():
            idx.sort(key=lambda i: self.sts[i].order)
            if len(idx) >= 2:
                shown = " ≥ ".join(f"{self.sts[i].region}{self._t(i)}" for i in idx)
                self.edges.append(Edge("order_vs_values", idx, lambda *xs: 0.0, shown))

    def _t(self, i: int) -> str:
        return self.sts[i].num.text.strip()

    def _growth(self, i: int, s: Statement) -> None:
        if not s.base:
            return
        l1 = self.level(s.quantity, s.region, s.period, None) if False else None
        for d in self._dims("level"):
            l1 = self.level(s.quantity, s.region, s.period, d)
            l0 = self.level(s.quantity, s.region, s.base, d)
            if l1 is not None and l0 is not None:
                self.add("growth_vs_levels", [i, l1, l0], GROWTH,
                         f"({self._t(l1)} / {self._t(l0)} − 1) × 100")
                return
            inc = self.one("increment", s.quantity, s.region, s.period, s.base, dim=d)
            if inc is not None and l1 is not None:
                self.add("growth_vs_increment", [i, inc, l1],
                         lambda d_, l_: GROWTH(l_, l_ - d_),
                         f"{self._t(inc)} / ({self._t(l1)} − {self._t(inc)}) × 100")
                return
            if inc is not None and l0 is not None:
                self.add("growth_vs_increment", [i, inc, l0], lambda d_, l_: GROWTH(l_ + d_, l_),
                         f"{self._t(inc)} / {self._t(l0)} × 100")
                return

    def _increment(self, i: int, s: Statement) -> None:
        d = s.num.dim
        l1, l0 = self.level(s.quantity, s.region, s.period, d), self.level(s.quantity, s.region, s.base, d)
        if l1 is not None and l0 is not None:
            self.add("increment_vs_levels", [i, l1, l0], DIFF, f"{self._t(l1)} − {self._t(l0)}")

    def _share(self, i: int, s: Statement) -> None:
        if not s.whole:
            return
        if s.members:
            self._group_share(i, s)
            return
        for d in self._dims("level"):
            part = self.level(s.quantity, s.region, s.period, d)
            readings = [(self._whole_level(s, w, wr, d), named)
                        for w, wr, named in [(s.whole, s.whole_region, True), *s.whole_alts]]
            wholes = [w for w, _ in readings if w is not None]
            if part is None or not wholes:
                continue
            # a whole left unsaid (…，占6.8%) may be any the sentence names: the first reading that holds; none
            # holds but one cannot be read (全行业收入 with no level of that name): no verdict
            whole = next((w for w in wholes if w != part and _judge(
                Edge("share_of_parts", [i, part, w], SHARE, ""),
                [self.sts[m].num.interval for m in (i, part, w)])[0]), None)
            if whole is None and any(w is None and named for w, named in readings):
                return
            whole = wholes[0] if whole is None else whole
            self.add("share_of_parts", [i, part, whole], SHARE, f"{self._t(part)} / {self._t(whole)} × 100")
            return

    def _whole_level(self, s: Statement, w: str, wr: str, d: str) -> int | None:
        """The level of the whole w (of region wr) a share of s speaks of, in unit d."""
        whole = self.level(w, wr or s.region, s.period, d)
        if whole is None and w == s.whole and s.parent is not None and self.sts[s.parent].num.dim == d and \
                self.sts[s.parent].region in (s.whole_region or s.region, s.region) and (
                re.match(r"(全|总)", s.whole) or _abbreviates(ident(s.whole), ident(self.sts[s.parent].quantity))
                or (len(ident(s.whole)) >= 3 and ident(self.sts[s.parent].quantity).endswith(ident(s.whole)))):
            # (占进出口总额的 after 货物进出口总额…，其中出口…: the total named without its qualifier)
            whole = s.parent  # 其中 …，占全行业收入的65.9%: the total the part belongs to
        if whole is None and w == s.whole and re.search(r"[^企]业$", ident(w)) and (wr or s.region) != s.region:
            # 东部地区软件业务收入…占全国软件业的82.6%: the whole names the industry, the measure is the part's
            whole = self.level(s.quantity, wr, s.period, d)
        return whole

    def _ratio_term(self, i: int, s: Statement) -> None:
        """软件产品收入与信息技术服务收入之比约为3:7: each term over the terms' sum is its item's level over
        the items' sum."""
        run = [j for j in range(s.ratio_run, len(self.sts)) if self.sts[j].ratio_run == s.ratio_run]
        k = run.index(i)
        if k == len(run) - 1:
            return  # the terms' sum is the scale: the last term follows from the others
        scale = sum(self.sts[j].num.value for j in run)
        for d in self._dims("level"):
            levels = [self.level(self.sts[j].quantity, s.region, s.period, d) for j in run]
            if all(x is not None for x in levels):
                shown = "：".join(self._t(x) for x in levels)
                self.add("ratio_vs_levels", [i, *levels],
                         lambda *xs, k=k, scale=scale: xs[k] / _sum(*xs) * scale,
                         f"按{shown}折算（各项之和为{scale:g}）")
                return

    def _group_share(self, i: int, s: Statement) -> None:
        """杭州、宁波两市…合计占全省的74.5%: the members' levels summed over the whole's."""
        for d in self._dims("level"):
            parts = [self.level(s.quantity, r, s.period, d) for r in s.members]
            whole = self.level(s.whole, s.whole_region, s.period, d)
            if whole is not None and all(p is not None for p in parts):
                shown = " + ".join(self._t(p) for p in parts)
                self.add("share_of_parts", [i, *parts, whole], lambda *xs: SHARE(_sum(*xs[:-1]), xs[-1]),
                         f"({shown}) / {self._t(whole)} × 100")
                return

    def _pp(self, i: int, s: Statement) -> None:
        if not s.base or not s.of:
            return
        kw = {"whole": s.whole, "whole_region": s.whole_region if s.whole else ""}
        a = self.one(s.of, s.quantity, s.region, s.period, self._rate_base(s, s.period), **kw)
        b = self.one(s.of, s.quantity, s.region, s.base, self._rate_base(s, s.base), **kw)
        if a is not None and b is not None:
            self.add("pp_change_vs_rates", [i, a, b], DIFF, f"{self._t(a)} − {self._t(b)}")

    def _rate_base(self, s: Statement, period: str) -> str:
        if s.of != "growth":
            return ""
        from digecon.factcheck.clauses import previous
        return previous(period)

    def _avg_pp(self, i: int, s: Statement) -> None:
        n = _years(s.period, s.base)
        if not n or n <= 0 or s.of not in ("share", "level"):
            return
        kw = {"whole": s.whole, "whole_region": s.whole_region if s.whole else ""}
        a = self.one(s.of, s.quantity, s.region, s.period, **kw)
        b = self.one(s.of, s.quantity, s.region, s.base, **kw)
        if a is not None and b is not None:
            self.add("average_pp_change", [i, a, b], lambda x, y, n=n: (x - y) / n,
                     f"({self._t(a)} − {self._t(b)}) / {n}")

    def _avg_inc(self, i: int, s: Statement) -> None:
        n = _years(s.period, s.base)
        d = s.num.dim
        l1, l0 = self.level(s.quantity, s.region, s.period, d), self.level(s.quantity, s.region, s.base, d)
        if n and n > 0 and l1 is not None and l0 is not None:
            self.add("average_increment", [i, l1, l0], lambda x, y, n=n: (x - y) / n,
                     f"({self._t(l1)} − {self._t(l0)}) / {n}")

    def _cagr(self, i: int, s: Statement) -> None:
        n = _years(s.period, s.base)
        if not n or n <= 0:
            return
        for d in self._dims("level"):
            l1, l0 = self.level(s.quantity, s.region, s.period, d), self.level(s.quantity, s.region, s.base, d)
            if l1 is not None and l0 is not None:
                self.add("cagr_vs_levels", [i, l1, l0], cagr(n),
                         f"(({self._t(l1)} / {self._t(l0)})^(1/{n}) − 1) × 100")
                break
        r = self.one("ratio", s.quantity, s.region, s.period, s.base)
        if r is not None:
            words = "增加了" if self.sts[r].num.form == "added" else "是…的"
            self.add("cagr_vs_multiple", [r, i], lambda g, n=n: (1 + g / 100) ** n,
                     f"(1 + {self._t(i)})^{n}（{words}{self._t(r)}）")

    def _ratio(self, i: int, s: Statement) -> None:
        for d in self._dims("level"):
            l1, l0 = self.level(s.quantity, s.region, s.period, d), self.level(s.quantity, s.region, s.base, d)
            if l1 is not None and l0 is not None:
                shown = f"{self._t(l1)} / {self._t(l0)}" + (" − 1" if s.num.form == "added" else "")
                self.add("multiple_vs_levels", [i, l1, l0], MULTIPLE, shown)
                if s.num.form == "fanfan":
                    # 翻了一番 admits 2 within 10 % already: the levels at their stated values, not widened again by
                    # their precision (3.0 → 5.3亿千瓦 is 1.77, no doubling)
                    self.edges[-1].note = "mid"
                return

    def _ratio_region(self, i: int, s: Statement) -> None:
        """是全国的1.3倍: the level here over the same quantity's level there."""
        q, other = s.comparator
        for d in self._dims("level"):
            a, b = self.level(s.quantity, s.region, s.period, d), self.level(q or s.quantity, other, s.period, d)
            if a is not None and b is not None:
                self.add("multiple_vs_levels", [i, a, b], MULTIPLE, f"{self._t(a)} / {self._t(b)}")
                return
        if (q and q != s.quantity) or not other or other == s.region:
            return
        # 太原市是大同市的3.9倍, 东部地区机架规模是西部地区的1.8倍: no level of its own phrase for both regions —
        # the nearest list that gives both, when its phrase and the multiple's agree (or either is empty)
        own = qkey(s.quantity) if s.explicit else ""
        rows = self._peer_group(i, s, {s.region, other}, 2, lambda k: not own or not k or k.endswith(own)
                                or own.endswith(k) or _abbreviates(own, k))
        a = next((j for j in rows if self.sts[j].region == s.region), None)
        b = next((j for j in rows if self.sts[j].region == other), None)
        if a is not None and b is not None:
            self.add("multiple_vs_levels", [i, a, b], MULTIPLE, f"{self._t(a)} / {self._t(b)}")

    def _gap(self, i: int, s: Statement) -> None:
        if not s.comparator[0] and not s.comparator[1]:
            return
        x = s.ref
        if x is None and s.of:  # 全省电信业务收入增速比全国高…: the rate stated in another sentence
            x = self.one(s.of, s.quantity, s.region, s.period, s.base if s.of == "growth" else "")
        if x is None and s.of:
            # 数据交易规模增速高于… after 数据交易市场规模…增长30.4%: the one rate whose phrase it abbreviates
            near = {j for j, t in enumerate(self.sts) if j != i and t.measure == s.of and t.region == s.region
                    and t.period == s.period and t.para == s.para and t.num.qualifier in ("eq", "approx")
                    and _abbreviates(ident(s.quantity), ident(t.quantity))}
            x = near.pop() if len(near) == 1 else None
        if x is None:
            return
        r = self.sts[x]
        cq, creg = s.comparator
        if r.measure == "growth":  # 网络零售额增速 names the growth of 网络零售额
            level_of = {g: lv for lv, g in _catalog_relations()[2].items()}
            cq = level_of.get(ident(cq), cq)
        wr = (creg or r.region) if r.whole_region in ("", r.region) else r.whole_region
        y = self.one(r.measure, cq or r.quantity, creg or r.region, r.period, r.base,
                     whole=r.whole, whole_region=wr if r.whole else "")
        noun = _MEASURE_NOUN.search(r.quantity)
        if y is None and cq and noun and not cq.endswith(noun.group(0)):
            # 电子信息产业增加值增长15.8%，高于全市规模以上工业…: the comparator's 增加值
            y = self.one(r.measure, cq + noun.group(0), creg or r.region, r.period, r.base,
                         whole=r.whole, whole_region=wr if r.whole else "")
        if y is None and cq and ident(cq).endswith("_growth_real") and r.measure == "growth":
            # 高于全市地区生产总值增速: a bulletin states GDP's growth at constant prices as 地区生产总值…增长5.6%
            y = self.one("growth", ident(cq)[:-len("_growth_real")], creg or r.region, r.period, r.base)
        if y is None and cq:
            y = self._named_with_noun(r.measure, cq, creg or r.region, r.period, r.base, x)
        if y is None or y == x:
            return
        self.add("gap_vs_rates", [i, x, y], DIFF, f"{self._t(x)} − {self._t(y)}")

    def _named_with_noun(self, measure: str, q: str, region: str, period: str, base: str, not_: int) -> int | None:
        """高于全市规模以上工业…（规模以上工业增加值增长4.9%）: the one rate of the region and period whose
        quantity is the comparator's phrase followed by a measure noun."""
        if self._by_place is None:
            self._by_place = defaultdict(list)
            for key in self.by:
                self._by_place[(key[0], key[4], key[5], key[6])].append(key)
        k = ident(q)
        keys = self._by_place.get((measure, region, period, base), [])
        found = {j for key in keys if key[1].startswith(k) and _MEASURE_NOUN.fullmatch(key[1][len(k):])
                 for j in self.by[key] if j != not_}
        if not found:
            # 高于全国平均水平 (…规模以上企业累计完成软件业务收入增长13.4%): the one rate whose phrase ends with the
            # comparator's; 高于城镇居民 (城镇居民人均可支配收入增长4.3%): the one whose phrase begins with it
            found = {j for key in keys if key[1] != k and key[1].endswith(k) and len(k) >= 4
                     and re.search(r"(实现|完成|达到|获得|企业|单位|业)$", key[1][:-len(k)])  # who, not a class
                     for j in self.by[key] if j != not_}
            if not found and len(k) >= 2:
                found = {j for key in keys if key[1].startswith(k) and key[1] != k
                         for j in self.by[key] if j != not_}
        return found.pop() if len(found) == 1 else None

    def _rank(self, i: int, s: Statement) -> None:
        """居第n位 against the values the text gives for other regions of the same quantity."""
        rows = self.levels_by_q.get((ident(s.quantity), s.period), [])
        if s.of == "growth":
            # 中部地区增速居第2位: the growth rates of the paragraph (of the ranked region's quantity)
            rates = [j for j, x in enumerate(self.sts) if x.measure == "growth" and x.period == s.period
                     and x.para == s.para and x.num.qualifier in ("eq", "approx") and j != i]
            own = [j for j in rates if self.sts[j].region == s.region]
            q = next((ident(self.sts[j].quantity) for j in own if ident(self.sts[j].quantity) == ident(s.quantity)),
                     ident(self.sts[own[-1]].quantity) if own else "")
            rows = [j for j in rates if ident(self.sts[j].quantity) == q]
        mine = [j for j in rows if self.sts[j].region == s.region]
        if not mine and s.of != "growth":
            rows = self._peer_rows(i, s)
            mine = [j for j in rows if self.sts[j].region == s.region]
        if not mine:
            return
        me = mine[0]
        by_region: dict[str, int] = {}
        for j in rows:  # one value per region (the first stated)
            if self.sts[j].region not in (s.region, s.scope) and "|" not in self.sts[j].region \
                    and self.sts[j].num.dim == self.sts[me].num.dim:
                by_region.setdefault(self.sts[j].region, j)
        # only regions of the ranked one's kind (cities with cities of one province, provinces, 东部 …) and,
        # when the scope is named (全省, 中部地区, 全国), within it
        kinds = [k for k in _partitions([s.region, *by_region]) if s.region in k] or [[s.region]]
        if s.region not in PROVINCES and not local_parent(s.region):
            # cities rank with the four municipalities (北京、深圳、杭州); a district only with districts
            kinds = [k + [r for r in by_region if r in _MUNICIPALITIES] for k in kinds]
        by_region = {r: j for r, j in by_region.items() if kinds and r in kinds[0]}
        scope = "" if s.scope == s.region else s.scope  # 滁州市首次跻身全省第3位: the region is no scope
        if scope and not within(s.region, scope):
            by_region = {}
        elif scope:
            by_region = {r: j for r, j in by_region.items() if within(r, scope)}
        others = list(by_region.values())
        if not others:
            return
        def rank(v: float, *vs: float) -> float:
            return 1 + sum(1 for x in vs if x > v)

        members = [i, me, *dict.fromkeys(others)]
        shown = "、".join(f"{self.sts[j].region}{self._t(j)}" for j in members[1:])
        # 喀什市、莎车县…分别为…，莎车县居第3位: with no wider scope named, the regions of one list are all
        # that is ranked, so the rank is at most one more than those above it as well as at least
        closed = not s.scope and (s.among == len(members) - 1 or (
            s.among == 0 and len({self.sts[j].sentence for j in members[1:]}) == 1))
        self.add("rank_vs_values", members, rank, f"按文中数值排序（{shown}），{s.region}应居第"
                 f"{{rank}}位", inequality="" if closed else "ge")

    def _peer_rows(self, i: int, s: Statement) -> list[int]:
        """A rank whose own phrase names no listed quantity (宿州市居第6位, 西双版纳州在四地中居第3位 after
        「四地合计」): the nearest list, in its paragraph or the one before, of one quantity, period and unit in
        which the ranked region and at least two others are stated. A rank that names a quantity of its own
        (软件业务收入居第2位) is not matched to another quantity's list."""
        if s.explicit and _MEASURE_NOUN.search(s.quantity or ""):
            return []
        return self._peer_group(i, s, {s.region}, 3)

    def _peer_group(self, i: int, s: Statement, regions_: set[str], least: int,
                    fits: Callable[[str], bool] = lambda k: True) -> list[int]:
        """The nearest list (in s's paragraph or the one before; before s, or in its sentence) of levels of one
        quantity, period and unit, one per region, naming every region of `regions_` and at least `least`
        regions, whose quantity key `fits`."""
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        lo = max(0, i - 300)
        prev = next((self.sts[j].para for j in range(i - 1, lo - 1, -1) if self.sts[j].para < s.para), s.para)
        for j in range(lo, min(len(self.sts), i + 60)):
            x = self.sts[j]
            if x.measure == "level" and x.num.qualifier in ("eq", "approx") and x.period == s.period \
                    and prev <= x.para <= s.para and (j < i or x.sentence == s.sentence) \
                    and "|" not in x.region:
                groups[(ident(x.quantity), x.num.dim)].append(j)
        best: tuple[int, tuple[str, str]] | None = None
        for key, idx in groups.items():
            named = {self.sts[j].region for j in idx}
            if regions_ <= named and len(named) >= least and len(named) == len(idx) and fits(key[0]):
                near = min(abs(j - i) for j in idx)
                if best is None or near < best[0]:
                    best = (near, key)
        if best is None:
            return []
        return [j for j in groups[best[1]]]

    def _count(self, i: int, s: Statement) -> None:
        """N个城市 against the regions it names; A、B等N个 only says N is at least the number named."""
        k = len(s.members)
        if k < 2:
            return
        self.edges.append(Edge("count_vs_members", [i], lambda k=k: float(k),
                               f"列出的{'各项' if s.num.form == 'items' else '地区'}：{'、'.join(s.members)}"
                               f"{'等' if s.open_list else ''}，共{k}个",
                               inequality="ge" if s.open_list else ""))

    def _sums(self) -> None:
        """Parts of a total (其中 …, 合计/共计, regions that partition the total's region, and the catalog's
        sums such as di_va + id_va = de_va)."""
        parts_of: dict[int, list[int]] = defaultdict(list)
        wholes = {(s.sentence, ident(s.whole), s.whole_region) for s in self.sts if s.measure == "share" and s.whole}
        for i, s in enumerate(self.sts):
            t = self.sts[s.parent] if s.parent is not None else None
            if t is not None and s.measure == "level" and s.num.dim == t.num.dim and s.period == t.period \
                    and s.group is None \
                    and s.num.qualifier == "eq" and (ident(s.quantity) != ident(t.quantity) or (
                        s.region != t.region and "|" not in s.region)) \
                    and (s.sentence, ident(s.quantity), s.region) not in wholes:  # 社会消费品零售总额: a share's whole
                parts_of[s.parent].append(i)
        for t, parts in parts_of.items():
            if _three_industries(ident(self.sts[t].quantity), {ident(self.sts[p].quantity) for p in parts}):
                self.sts[t].exhaustive = True  # 第一、二、三产业增加值 add up to 地区生产总值
            if len(parts) >= 2 and re.match(r"(其他|其余|其它)", self.sts[parts[-1]].quantity):
                self.sts[t].exhaustive = True  # 其中小麦…，玉米…，其他粮食…: the rest closes the list
            if _exhaustive_pair([ident(self.sts[p].quantity) for p in parts]) and \
                    len({self.sts[p].region for p in parts}) == 1:
                self.sts[t].exhaustive = True  # 其中税收收入…，非税收入…; 其中出口…，进口…: the two are all of it
            # 长沙、株洲、湘潭3市合计8,650亿元，其中长沙市…: the named members are all of the total
            members = self.sts[t].region.split("|")
            if len(members) >= 2 and all(members) and sorted(members) == sorted(
                    self.sts[p].region for p in parts if ident(self.sts[p].quantity) == ident(self.sts[t].quantity)):
                self.sts[t].exhaustive = True
        for i, s in enumerate(self.sts):
            if s.group is not None and s.measure == "level":
                before = [j for j in range(i) if self.sts[j].sentence == s.sentence
                          and self.sts[j].measure == "level" and self.sts[j].num.dim == s.num.dim
                          and self.sts[j].period == s.period
                          and self.sts[j].group is None and self.sts[j].num.qualifier == "eq"]
                # …286家，其中长沙市126家、株洲市48家、湘潭市32家，三市合计…: the total the parts belong to is
                # not one of them
                before = [j for j in before if not any(self.sts[k].parent == j for k in before)]
                if s.take and len(before) > abs(s.take):
                    before = before[:s.take] if s.take > 0 else before[s.take:]  # 后三个板块合计: the last three
                if len(before) >= 2:
                    parts_of[i] = before
                    self.sts[i].exhaustive = True
        self._regional_parts(parts_of)
        for t, s in enumerate(self.sts):
            # 黔南州、黔东南州、铜仁市三个市州合计4,830.9亿元: the sum of the members' levels stated in the text
            if s.measure != "level" or "|" not in s.region or not s.quantity \
                    or s.num.qualifier != "eq" or (t in parts_of and s.exhaustive):
                continue
            members = [r for r in s.region.split("|") if r]
            got = [self.level(s.quantity, r, s.period, s.num.dim) for r in members]
            # (all the members stated: their sum, over a 其中 that names only some of them)
            if len(members) >= 2 and all(g is not None for g in got):
                parts_of[t] = [g for g in got if g is not None]
                s.exhaustive = True
        _, sums, _ = _catalog_relations()
        sums = dict(sums)
        for g in ("地区生产总值", "国内生产总值"):  # by definition, whether or not the catalog says so
            sums.setdefault(ident(g), tuple(ident(p) for p in _INDUSTRIES))
        for total, parts in sums.items():
            for k, idx in list(self.by.items()):
                if k[0] != "level" or k[1] != total:
                    continue
                t = idx[0]
                got = [self.one("level", p, k[4], k[5], dim=k[7]) for p in parts]
                if all(g is not None for g in got):
                    parts_of[t] = [g for g in got if g is not None]
                    self.sts[t].exhaustive = True
        for t, parts in parts_of.items():
            parts = list(dict.fromkeys(parts))
            if not _additive(self.sts[t]):
                continue  # 城镇、农村居民人均可支配收入: per-head figures do not add up to the whole's
            if len(parts) < 2 and not self.sts[t].exhaustive and not (
                    len(parts) == 1 and qkey(self.sts[t].quantity)[-4:] == qkey(self.sts[parts[0]].quantity)[-4:]):
                continue  # one part of the total's own kind (邮政业务收入 … 其中快递业务收入) is at most the total
            if not self.sts[t].exhaustive and self._interleaved(parts) and not _complementary(
                    [self.sts[p].quantity for p in parts]) and \
                    sum(self.sts[p].num.base for p in parts) > 1.03 * self.sts[t].num.base:
                continue  # 其中实物商品…，增长10.8%；农村…: parts far over the total are of two classifications
            shown = " + ".join(self._t(p) for p in parts)
            self.add("sum_of_parts", [t, *parts], _sum, shown,
                     inequality="" if self.sts[t].exhaustive else "ge")

    def _interleaved(self, idx: list[int]) -> bool:
        """Whether other statements (rates, shares, other levels) come between these: parts written one by one
        with their own rates may belong to different classifications; a plain list does not."""
        lo, hi, mine = min(idx), max(idx), set(idx)
        return any(j not in mine for j in range(lo, hi))

    def _regional_parts(self, sums_of: dict[int, list[int]]) -> None:
        """东部、中部、西部和东北地区 … of 全国's total, prefectures of their province's: the same additive
        quantity in the same period adds up to at most the whole region's (exactly, when all are named)."""
        groups: dict[tuple, dict[str, int]] = defaultdict(dict)
        for i, s in enumerate(self.sts):
            if s.measure == "level" and s.num.qualifier == "eq" and _additive(s) and "|" not in s.region:
                groups[(ident(s.quantity), s.period, s.num.dim)].setdefault(s.region, i)
        for (q, period, dim), by_region in groups.items():
            if len(by_region) < 2 or len(q) < 2:
                continue  # (a quantity the text does not name is no one total's)
            for kind in _partitions([r for r in by_region]):
                got = partition_of(kind)
                if got is None:
                    continue
                whole_region = got[0]
                t = by_region.get(whole_region)
                if t is None:  # 规模以上电子信息制造业实现营业收入 of 全国, 营业收入 of each region
                    t = self.level(q, whole_region, period, dim)
                if t is None or self.sts[t].num.qualifier != "eq":
                    continue
                idx = [by_region[r] for r in kind]
                if any(self.sts[t].sentence < self.sts[j].sentence - 3 for j in idx):
                    continue  # a part far from the total: perhaps another table
                if set(sums_of.get(t, [])) >= set(idx):
                    continue  # already the parts of its 其中
                shown = " + ".join(f"{self.sts[j].region}{self._t(j)}" for j in idx)
                self.add("sum_of_parts", [t, *idx], _sum, shown, inequality="" if got[1] else "ge")
                if got[1] and self.edges and self.edges[-1].members[0] == t:
                    self.edges[-1].note = "regions"

    def _shares_of_whole(self) -> None:
        groups: dict[tuple, list[int]] = defaultdict(list)
        by_region: dict[tuple, dict[str, int]] = defaultdict(dict)
        # the whole's level each share was checked against (占全国软件业的 and 占全国的 name one whole)
        whole_of = {e.members[0]: e.members[-1] for e in self.edges if e.rule == "share_of_parts"}
        for i, s in enumerate(self.sts):
            if s.measure == "share" and s.whole and s.num.qualifier in ("eq", "approx"):
                # phrases of one sentence (5G用户 and 5G移动电话用户 in two sentences may be one quantity);
                # catalog indicators across the text
                catalog = bool(re.fullmatch(r"[a-z0-9][a-z0-9_]*", ident(s.quantity)))
                groups[(ident(s.whole), s.whole_region, s.region, s.period,
                        -1 if catalog else s.sentence)].append(i)
                if s.region != s.whole_region and "|" not in s.region:
                    # 呼和浩特市、乌兰察布市和鄂尔多斯市分别占全区的: regional parts of one whole
                    w = whole_of.get(i)
                    by_region[(ident(s.whole) if w is None else w, s.whole_region, ident(s.quantity),
                               s.period)].setdefault(s.region, i)
        _, sums, _ = _catalog_relations()
        for (w, _wr, _r, _p, sent), idx in groups.items():
            if sent == -1:
                continue
            # a sentence's shares and the catalog indicators' shares of the same whole stated elsewhere, when
            # they are parts of one catalog sum (数字经济核心产业增加值 overlaps 第二、第三产业增加值)
            elsewhere = groups.get((w, _wr, _r, _p, -1), [])
            qs = {ident(self.sts[i].quantity) for i in idx + elsewhere}
            families = [set(parts) for parts in sums.values()] + [{ident(p) for p in _INDUSTRIES}]
            if elsewhere and not any(qs <= f for f in families):
                elsewhere = []
            idx = idx + elsewhere
            byq = {ident(self.sts[i].quantity): i for i in idx}
            if len(byq) < 2 or sum("以上" in k for k in byq) >= 2:
                continue  # 100Mbps及以上 and 1000Mbps及以上: nested classes, not parts
            members = list(byq.values())
            exhaustive = (w in sums and set(sums[w]) == set(byq)) or _three_industries(w, set(byq)) or any(
                re.match(r"(其他|其余|其它)", self.sts[i].quantity) or self.sts[i].exhaustive
                for i in members)  # 5G、4G和其他制式用户; the terms of a structure (2.7:28.9:68.4)
            if not exhaustive and self._interleaved(members) and any(
                    self.sts[j].measure == "level" for j in range(min(members), max(members))) and \
                    sum(self.sts[i].num.value for i in members) > 103:
                continue  # 光纤用户…占95.7%；1000M用户…占21.4%；农村用户…占34.4%: classes that overlap
            shown = " + ".join(self._t(i) for i in members)
            self.edges.append(Edge("shares_of_one_whole", members, lambda *xs: 100.0,
                                   f"{shown}（同一总体的各部分占比）", inequality="" if exhaustive else "le"))
        catalog_only = [k for k in groups if k[4] == -1 and not any(g[:4] == k[:4] and g[4] != -1 for g in groups)]
        for k in catalog_only:
            byq = {ident(self.sts[i].quantity): i for i in groups[k]}
            if len(byq) >= 2:
                members = list(byq.values())
                shown = " + ".join(self._t(i) for i in members)
                exhaustive = k[0] in sums and set(sums[k[0]]) == set(byq)
                self.edges.append(Edge("shares_of_one_whole", members, lambda *xs: 100.0,
                                       f"{shown}（同一总体的各部分占比）", inequality="" if exhaustive else "le"))
        for (_w, wr, _q, _p), regs in by_region.items():
            got = partition_of(list(regs))
            if got is None or got[0] != wr:
                continue
            members = list(regs.values())
            shown = " + ".join(f"{self.sts[i].region}{self._t(i)}" for i in members)
            self.edges.append(Edge("shares_of_one_whole", members, lambda *xs: 100.0,
                                   f"{shown}（同一总体的各地区占比）", inequality="" if got[1] else "le"))

    def _repeats(self) -> None:
        """The same quantity stated in two sentences must agree (within precision and bounds); a level stated
        twice with the same digits in magnitudes 10^k apart is a unit slip even when the phrase differs
        (累计建成5G基站25.3个 after 5G基站总数达到25.3万个)."""
        for k, idx in self.by.items():
            if len(idx) < 2 or k[0] in ("count", "other") or len(k[1]) < 2:
                continue
            catalog = bool(re.fullmatch(r"[a-z][a-z0-9_]*", k[1]))
            sure = [i for i in idx if (catalog or self.sts[i].explicit or self.sts[i].restates)
                    and "|" not in self.sts[i].region]
            first = next((i for i in sure if self.sts[i].num.qualifier == "eq"), None)
            if first is None:
                continue
            local = _generic(k[1])  # 营业收入 in two paragraphs may be two industries'
            for j in sure:
                # (in one sentence only a restatement, or a slip of 10^k: 354,954亿元…单季经济总量约35.5亿元)
                if j != first and (self.sts[j].sentence != self.sts[first].sentence or self.sts[j].restates
                                   or _power_of_ten(self.sts[j].num.interval, self.sts[first].num.interval)) and (
                        not local or self.sts[j].para == self.sts[first].para
                        or _transposed(self.sts[j].num.digits, self.sts[first].num.digits)):
                    self.add("repeated_statement", [j, first], lambda x: x,
                             f"同一数量在文中另处表述为{self._t(first)}")
            if k[0] == "level":
                # 粮食总产量5,712.8万吨…，连续多年稳定在5,500万吨以上: a bound on the sentence's own quantity, later
                # in its sentence with no phrase of its own, restates it
                for j in idx:
                    y = self.sts[j]
                    if j > first and y.sentence == self.sts[first].sentence and not y.explicit and \
                            y.num.qualifier in ("gt", "ge", "lt", "le", "lt_approx") and "|" not in y.region:
                        self.add("repeated_statement", [j, first], lambda x: x,
                                 f"同一数量在文中另处表述为{self._t(first)}")
        paired = {tuple(e.members) for e in self.edges if e.rule == "repeated_statement"}
        # 全省软件业务收入1,268.4亿元 after 软件和信息技术服务业完成软件业务收入1,286.4亿元: the same quantity
        # with its subject (an industry) or a verb of reporting written before it
        for (region, period), keys in self._keys_at.items():
            for long in keys:
                shorts = [k for k in keys if subject_prefixed(long, k)]
                if len(shorts) != 1:
                    continue
                generic = _generic(shorts[0])  # a bare 营业收入 carries its subject from the context (some firms')
                a = next((i for i in self.levels_by_q.get((long, period), []) if self.sts[i].region == region
                          and self.sts[i].num.qualifier == "eq"), None)
                for j in self.levels_by_q.get((shorts[0], period), []):
                    y = self.sts[j]
                    if a is None or y.region != region or y.sentence == self.sts[a].sentence \
                            or y.num.dim != self.sts[a].num.dim or (a, j) in paired or (j, a) in paired \
                            or (generic and not _transposed(y.num.digits, self.sts[a].num.digits)):
                        continue
                    first, later = sorted((a, j))
                    self.add("repeated_statement", [later, first], lambda v: v,
                             f"同一数量在文中另处表述为{self._t(first)}")
                    paired.add((later, first))
        loose: dict[tuple, list[int]] = defaultdict(list)
        for i, s in enumerate(self.sts):
            if s.measure == "level" and s.num.qualifier == "eq" and "|" not in s.region and s.quantity:
                loose[(loose_key(s.quantity), s.region, s.period, s.num.dim)].append(i)
        for idx in loose.values():
            # one statement per value written (a long text repeats its numbers): pairs of distinct values
            firsts: dict[tuple[str, float], int] = {}
            for i in idx:
                firsts.setdefault((self.sts[i].num.digits, self.sts[i].num.factor), i)
            reps = sorted(firsts.values())[:40]
            for a, b in itertools.combinations(reps, 2):
                x, y = self.sts[a], self.sts[b]
                if (x.sentence == y.sentence and not y.restates) or (b, a) in paired or (a, b) in paired or (
                        _generic(loose_key(x.quantity)) and x.para != y.para):
                    continue
                if (x.num.digits.lstrip("-") == y.num.digits.lstrip("-") or _stock(x) and _stock(y)) and \
                        _power_of_ten(x.num.interval, y.num.interval):
                    self.add("repeated_statement", [b, a], lambda v: v, f"同一数量在文中另处表述为{self._t(a)}")
                elif _stock(x) and _stock(y) and x.explicit and y.explicit and len(loose_key(x.quantity)) >= 4:
                    # 5G基站总数达到12.4万个 … 累计建成5G基站12.6万个: one stock, two phrasings
                    self.add("repeated_statement", [b, a], lambda v: v, f"同一数量在文中另处表述为{self._t(a)}")
                paired.add((b, a))
        self._unit_slips_abbreviated(paired)
        self._bounds_restated(paired)

    def _bounds_restated(self, paired: set) -> None:
        """游客接待量突破1.7亿人次 after 接待游客1.65亿人次, 软件业收入规模突破3.2万亿元 after 软件和信息服务业实现
        营业收入3.12万亿元: a bound in another sentence whose phrase's characters (its measure word aside) all occur in
        the phrase of the one exactly stated level of the region, period and unit, of the same order of magnitude."""
        for j, y in enumerate(self.sts):
            if y.measure != "level" or y.num.qualifier not in ("gt", "ge", "lt", "le") or "|" in y.region:
                continue
            core = re.sub(r"(规模|总量|总额|总数|数量|量)$", "", qkey(y.quantity))
            if len(core) < 4 or _generic(ident(y.quantity)) or any(
                    x.sentence == y.sentence and x.measure == "level" and k != j
                    and ident(x.quantity) == ident(y.quantity) for k, x in enumerate(self.sts[max(0, j - 12):j + 12],
                                                                                      max(0, j - 12))):
                continue  # (从不足4万元提高到近4.6万元: the start of a change, not a restatement)
            at = self.levels_at.get((y.region, y.period), [])
            near = at[bisect.bisect_left(at, j - 400):bisect.bisect_left(at, j)]  # (linear time in a long text)
            cands = [i for i in near if self.sts[i].num.qualifier == "eq" and self.sts[i].num.dim == y.num.dim
                     and self.sts[i].sentence != y.sentence and set(core) <= set(qkey(self.sts[i].quantity))
                     and 0.5 <= y.num.interval.mid / max(self.sts[i].num.interval.mid, 1e-12) <= 2]
            keys = {ident(self.sts[i].quantity) for i in cands}
            if len(keys) != 1 or any((j, i) in paired or (i, j) in paired for i in cands):
                continue
            first = cands[-1]
            self.add("repeated_statement", [j, first], lambda v: v, f"同一数量在文中另处表述为{self._t(first)}")
            paired.add((j, first))

    def _unit_slips_abbreviated(self, paired: set) -> None:
        """全省光缆线路长度312.6万公里 … 光缆线路总长度达3,126万公里: one phrase the other's abbreviation and the
        values 10^k apart — a unit or magnitude slip (only a power of ten: an abbreviation may name a part)."""
        buckets: dict[tuple, dict[str, int]] = defaultdict(dict)
        for i, s in enumerate(self.sts):
            k = qkey(s.quantity)  # the phrase, not a catalog code: 光缆线路总长度 abbreviates to 光缆线路长度
            if s.measure == "level" and s.num.qualifier == "eq" and "|" not in s.region and len(k) >= 4:
                buckets[(s.region, s.period, s.num.dim, k[-2:])].setdefault(k, i)
        for by_key in buckets.values():
            items = list(by_key.items())[:40]
            for (ka, a), (kb, b) in itertools.combinations(items, 2):
                x, y = self.sts[a], self.sts[b]
                if x.sentence == y.sentence or (a, b) in paired or (b, a) in paired or not _abbreviates(ka, kb) \
                        or ka[0] != kb[0]:
                    continue  # words inside (光缆线路总长度), never before: 5G移动电话用户 is a part of 移动电话用户
                if _power_of_ten(x.num.interval, y.num.interval):
                    first, later = sorted((a, b))
                    self.add("repeated_statement", [later, first], lambda v: v,
                             f"同一数量在文中另处表述为{self._t(first)}")
                    paired.add((later, first))


_PER_DAY = re.compile(r"日均|平均每天|平均每日|每天|每日|月均|平均每月")


def _transposed(a: str, b: str) -> bool:
    """Whether two figures are the same digits in another order (69,451 and 69,541; 15,491 and 14,591): a
    slip of the pen, so a generic phrase stated with them in two paragraphs is one quantity."""
    da, db = re.sub(r"\D", "", a), re.sub(r"\D", "", b)
    return len(da) >= 3 and da != db and sorted(da) == sorted(db) and a.count(".") == b.count(".") and (
        a.find(".") - len(a) == b.find(".") - len(b))


def _stock(s: Statement) -> bool:
    """A level stated as a stock (5G基站总数, 累计建成5G基站, 5G基站), not as the year's flow (建成5G基站3.1万个)."""
    q = s.quantity
    return bool(re.match(r"累计|共有|拥有|总", q)) or not _LOOSE_HEAD.match(q)


_INDUSTRIES = ("第一产业增加值", "第二产业增加值", "第三产业增加值")


# the classes of one classification: parts named by them are one split of the total (出口 and 进口 of
# 进出口, 城镇 and 乡村), however far over it they add up
_CLASSES = (("出口", "进口"), ("城镇", "乡村"), ("城镇", "农村"), ("城市", "农村"), ("线上", "线下"), ("内资", "外资"),
            ("男", "女"), ("国有", "民营"), ("境内", "境外"), ("国内", "国外"), ("固定", "移动"), ("以上", "以下"))


def _complementary(phrases: list[str]) -> bool:
    """Whether two parts' phrases differ only by the classes of one classification (出口/进口, 城镇…/乡村…,
    规模以上…/规模以下…, A/非A)."""
    if len(phrases) != 2:
        return False
    a, b = phrases
    return _non_pair(a, b) or any((x in a and a.replace(x, y, 1) == b) or (y in a and a.replace(y, x, 1) == b)
                                  for x, y in _CLASSES)


def _non_pair(a: str, b: str) -> bool:
    """A and 非A (税收收入 / 非税收入, 公有 / 非公有)."""
    if any(a[:i] + "非" + a[i:] == b or b[:i] + "非" + b[i:] == a for i in range(max(len(a), len(b)) + 1)):
        return True
    a, b = (a, b) if b.startswith("非") else (b, a)
    return b.startswith("非") and len(a) == len(b) >= 3 and a[0] == b[1] and a[-2:] == b[-2:]


# the classes that are all of the whole (出口 + 进口 = 进出口; 城镇 + 乡村 = 全体; A + 非A)
_EXHAUSTIVE_CLASSES = (("出口", "进口"), ("城镇", "乡村"), ("城镇", "农村"), ("城市", "农村"), ("男", "女"),
                       ("境内", "境外"), ("规模以上", "规模以下"))


def _exhaustive_pair(phrases: list[str]) -> bool:
    if len(phrases) != 2:
        return False
    a, b = phrases
    return _non_pair(a, b) or any((x in a and a.replace(x, y, 1) == b) or (y in a and a.replace(y, x, 1) == b)
                                  for x, y in _EXHAUSTIVE_CLASSES)


def _three_industries(whole: str, parts: set[str]) -> bool:
    """The three industries are all of GDP (地区生产总值, 国内生产总值, GDP)."""
    return whole in {ident(w) for w in ("地区生产总值", "国内生产总值", "GDP")} and parts == {
        ident(p) for p in _INDUSTRIES} | ({ident(p[:-3]) for p in _INDUSTRIES} & parts)


def _abbreviates(short: str, long: str) -> bool:
    """移动基站 for 移动通信基站: the characters of one phrase in order within the other (社会消费品零售 is
    no abbreviation of 网上零售额)."""
    if not short or not long:
        return False
    if len(short) > len(long):
        short, long = long, short
    it = iter(long)
    return all(ch in it for ch in short) and len(short) >= min(4, len(long))


# the accounts' own words: every industry, firm and region has one of each
_GENERIC_TERM = re.compile(r"(主营|营业|业务|经营)?(收入|收益|成本|利润|利润总额|利税|税金|税收|营收|产值|增加值|投资|资产|"
                           r"负债|支出|销售额|出口|进口)|(企业|单位|机构|从业人员|职工|用户|项目)(数|数量|个数|人数)?")


def _generic(key: str) -> bool:
    """A short phrase that is no catalog indicator and names no activity of its own (营业收入, 利润总额, 企业数量;
    not 旅游收入, 粮食产量): too common to identify a quantity across paragraphs."""
    if re.fullmatch(r"[a-z0-9][a-z0-9_]*", key):
        return False
    return len(key) <= 2 or (len(key) <= 6 and bool(_GENERIC_TERM.fullmatch(key)))


_NOT_ADDITIVE = re.compile(r"人均|户均|每|平均|指数|率|密度|普及|占比|比重|强度|水平|价格|单价|速度|带宽|时延")


def _additive(s: Statement) -> bool:
    return s.num.dim not in ("", "%", "pp", "倍", "位", "梯队", "部/百户") and not _NOT_ADDITIVE.search(s.quantity)


_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def _partitions(regions: list[str]) -> list[list[str]]:
    """The regions split by kind (macro-regions, provinces, prefectures), each a candidate set of parts."""
    macro = [r for r in regions if r in MACRO]
    prov = [r for r in regions if r in PROVINCES]
    rest = [r for r in regions if r not in MACRO and r not in PROVINCES and r != NATION and not local_parent(r)
            and r not in AREAS]
    local = [r for r in regions if local_parent(r)]  # the text's districts and counties
    areas = [r for r in regions if r in AREAS]  # 长三角地区, 京津冀地区: with each other only
    return [g for g in (macro, prov, rest, local, areas) if len(g) >= 2]


# --- deciding edges -----------------------------------------------------------------------------
def decide(g: Graph) -> None:
    for e in g.edges:
        e.ok, e.computed, suspects = _judge(e, [g.sts[m].num.interval for m in e.members])
        if suspects is not None:
            e.suspects = suspects


def _judge(e: Edge, ivs: list[Interval]) -> tuple[bool | None, Interval, list[int] | None]:
    """Whether edge e holds with its members admitting `ivs` (members[0] the target): the verdict, the
    computed interval and, for a failing rank, the members one change of which could fix it."""
    target, inputs = ivs[0], ivs[1:]
    if e.fixed is not None:
        ok = e.fixed.overlaps(target)
        return (None if ok is False and e.weak else ok), e.fixed, None
    if e.rule == "shares_of_one_whole":
        total = Interval(sum(i.lo for i in ivs), sum(i.hi for i in ivs))
        ok = total.lo <= 100 + 1e-9 if e.inequality == "le" else total.contains(100) or total.overlaps(
            Interval(100, 100))
        return ok, total, None
    if e.rule == "order_vs_values":  # listed in order of rank: no later value above an earlier one
        bad = [(a, b) for a in range(len(ivs)) for b in range(a + 1, len(ivs)) if ivs[b].lo > ivs[a].hi]
        suspects = sorted({e.members[k] for pair in bad for k in pair})
        return not bad, Interval(0, 0), (suspects or None)
    if e.rule == "per_day_vs_total":  # within a factor of 3 of the year's level over its days
        computed = compute(e.f, *inputs)
        ok = computed.lo / 3 <= target.hi and target.lo <= computed.hi * 3
        return ok, computed, None
    if e.rule == "rank_vs_values":
        me, others = inputs[0], inputs[1:]
        sure = 1 + sum(1 for o in others if o.lo > me.hi)      # at least this rank
        maybe = 1 + sum(1 for o in others if o.hi >= me.lo)    # at most this, among those listed
        computed = Interval(sure, maybe)
        if target.hi < sure:
            # the rank, the region's value, and (when one region too many is above) those above it
            above = [m for m, o in zip(e.members[2:], others) if o.lo > me.hi]
            return False, computed, e.members[:2] + (above if sure - target.hi < 1.5 else [])
        if target.lo <= maybe:
            return True, computed, None
        if e.inequality != "ge":  # all the ranked regions are listed: it ranks higher than it says
            below = [m for m, o in zip(e.members[2:], others) if o.hi >= me.lo]
            return False, computed, e.members[:2] + (below if target.lo - maybe < 1.5 else [])
        return None, computed, None  # regions the text does not list may rank above
    if e.note == "mid":
        inputs = [Interval(x.mid, x.mid) if x.bounded else x for x in inputs]
    try:
        computed = compute(e.f, *inputs)
    except ValueError:
        return None, Interval(0, 0), None
    if not (math.isfinite(computed.lo) or math.isfinite(computed.hi)):
        return None, computed, None
    if e.note == "regions":
        # the prefectures' (provinces') figures summed differ from the whole's own by a statistical
        # discrepancy: within 0.5 % of it they agree
        slack = _REGION_SLACK * abs(computed.mid)
        computed = Interval(computed.lo - slack, computed.hi + slack)
    if e.inequality == "ge":      # the target is at least the computed value (some parts listed)
        return target.hi >= computed.lo - 1e-9 * max(1, abs(computed.lo)), computed, None
    return computed.overlaps(target), computed, None


_REGION_SLACK = 0.005


def _holds_with(g: Graph, e: Edge, i: int, v: float) -> bool:
    """Edge e with statement i's value replaced by v (at i's stated precision)."""
    ivs = []
    for m in e.members:
        iv = g.sts[m].num.interval
        if m == i:
            h = (iv.hi - iv.lo) / 2 if iv.bounded else 0.0
            iv = Interval(v - h, v + h)
        ivs.append(iv)
    return _judge(e, ivs)[0] is not False


def _one_fix(g: Graph, i: int, edges: list[Edge]) -> bool:
    """Whether one value of statement i makes every edge of `edges` hold: a single wrong number explains
    several failures only if one correction fixes them all (5,120.8亿元 restated and a share that needs
    5,076亿元 are not both explained by the first figure)."""
    tried = False
    for e in edges:
        v = suggestion(g, i, e)
        if v is None or not math.isfinite(v):
            continue
        tried = True
        if all(_holds_with(g, e2, i, v) for e2 in edges):
            return True
    return not tried


def _power_of_ten(a: Interval, b: Interval) -> bool:
    x, y = a.mid, b.mid
    if not (a.bounded and b.bounded) or x <= 0 or y <= 0:
        return False
    k = math.log10(x / y)
    return round(k) != 0 and abs(k - round(k)) < 0.02


def name_unit_errors(g: Graph) -> None:
    """A repeat that fails by a factor of 10^k (5860亿元 vs 5860万元) is a unit or magnitude slip."""
    for e in g.edges:
        if e.rule == "repeated_statement" and e.ok is False and _power_of_ten(
                g.sts[e.members[0]].num.interval, g.sts[e.members[1]].num.interval):
            e.rule = "unit_plausibility"
            e.formula += "，两者相差10的整数次幂倍，疑为单位或数量级错误"


# --- blame --------------------------------------------------------------------------------------
_PRIOR = {"growth": 0.1, "share": 0.1, "ratio_term": 0.1, "pp": 0.1, "gap": 0.1, "cagr": 0.1, "avg_pp": 0.1, "ratio": 0.15,
          "avg_inc": 0.15, "increment": 0.2, "count": 0.2, "rank": 0.05, "level": 0.3}


@dataclass
class Blame:
    blamed: set[int] = field(default_factory=set)
    support: dict[int, int] = field(default_factory=dict)


def blame(g: Graph) -> set[int]:
    """The fewest statements that explain every failing edge; a statement in passing edges is trusted."""
    failing = [e for e in g.edges if e.ok is False]
    passing: dict[int, float] = defaultdict(float)
    for e in g.edges:
        if e.ok:
            w = _evidence(g, e)
            for m in e.members:
                passing[m] += w
    # components of failing edges
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in failing:
        for m in _suspects(e)[1:]:
            parent[root(m)] = root(_suspects(e)[0])
    comps: dict[int, list[Edge]] = defaultdict(list)
    for e in failing:
        comps[root(_suspects(e)[0])].append(e)
    target_of: dict[int, int] = defaultdict(int)
    for e in failing:
        if e.rule not in ("sum_of_parts", "shares_of_one_whole"):
            target_of[e.members[0]] += 1

    slips = _slipped_increments(g, failing)

    def cost(c: int) -> float:
        # fewer passing checks, a derived measure (rate, share …), the target of its edges: more likely wrong
        return (1 + passing[c] + _PRIOR.get(g.sts[c].measure, 0.3) - 0.05 * target_of[c]
                - 0.001 * c / (len(g.sts) + 1) - (0.3 if c in slips else 0.0))

    blamed: set[int] = set()
    for edges in comps.values():
        cands = sorted({m for e in edges for m in _suspects(e)})
        best: tuple[int, ...] | None = None
        if len(cands) <= 14:
            # every set of up to 4 statements that touches each failing edge; the cheapest is blamed (one
            # number vouched for by a tight passing check costs more than two that nothing supports)
            hits = [combo for size in range(1, min(4, len(cands)) + 1)
                    for combo in itertools.combinations(cands, size)
                    if all(any(m in combo for m in _suspects(e)) for e in edges)]
            if hits:
                fixes: dict[tuple[int, frozenset[int]], bool] = {}  # (statement, its edges) -> one value fixes all
                costs = {combo: sum(cost(c) for c in combo) + _inconsistency(g, combo, edges, fixes)
                         for combo in hits}
                best = min(hits, key=costs.__getitem__)
                if not all(e.rule in ("repeated_statement", "unit_plausibility") for e in edges):
                    # nothing in the text tells these apart (年均增长15.2% vs 是2018年的1.8倍; three shares
                    # of one whole over 100 %): each is reported, not one guessed
                    for combo in hits:
                        if len(combo) == len(best) and costs[combo] <= costs[best] + _TIE \
                                and all(passing[c] == 0 for c in combo):
                            blamed.update(combo)
        blamed.update(best if best is not None else _greedy(edges, cost, passing))
    return blamed


_TIE = 0.02


def _one_digit_fixes(g: Graph, i: int, e: Edge) -> bool:
    """Whether writing one digit of statement i otherwise (625.9 → 525.9) makes edge e hold."""
    num = g.sts[i].num
    d = num.digits.replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", d) or not num.factor:
        return False
    sign = -1.0 if num.value < 0 else 1.0
    body = d.lstrip("-")
    for k, ch in enumerate(body):
        if ch == ".":
            continue
        for alt in "0123456789":
            if alt == ch or (k == 0 and alt == "0" and len(body) > 1 and body[1] != "."):
                continue
            v = sign * float(body[:k] + alt + body[k + 1:]) * num.factor
            if _holds_with(g, e, i, v):
                return True
    return False


def _slipped_increments(g: Graph, failing: list[Edge]) -> set[int]:
    """Increments of a failing 增速与增量、水平 edge that are more likely wrong than the rate: the increment
    is the level times the rate (the rise taken on this year's level instead of last year's), or one
    digit of it fixes the edge while no single digit of the rate does. Otherwise nothing tells them apart
    and the rate, the derived figure, is blamed."""
    out: set[int] = set()
    for e in failing:
        if e.rule != "growth_vs_increment" or len(e.members) != 3:
            continue
        rate, inc, level = e.members
        r, n, lv = g.sts[rate].num, g.sts[inc].num, g.sts[level].num
        if r.form or n.form or not re.fullmatch(r"-?[\d.,]+", n.digits) or not re.fullmatch(r"-?[\d.]+", r.digits):
            continue
        if g.sts[level].period == g.sts[rate].period:  # the level after the rise: level × rate is the slip
            prod = compute(lambda a, b: a * b / 100, lv.interval, r.interval)
            if prod.lo <= n.interval.hi and n.interval.lo <= prod.hi:
                out.add(inc)
                continue
        if _one_digit_fixes(g, inc, e) and not _one_digit_fixes(g, rate, e):
            out.add(inc)
    return out


def _inconsistency(g: Graph, combo: tuple[int, ...], edges: list[Edge],
                   fixes: dict[tuple[int, frozenset[int]], bool] | None = None) -> float:
    """A large cost for each blamed statement that alone must explain failures no single value of it fixes
    (`fixes` memoises _one_fix per statement and edge set: the combinations of a component share them)."""
    fixes = {} if fixes is None else fixes
    pen = 0.0
    for c in combo:
        own = [e for e in edges if c in _suspects(e) and not any(o in _suspects(e) for o in combo if o != c)]
        if len(own) < 2:
            continue
        key = (c, frozenset(id(e) for e in own))
        if key not in fixes:
            fixes[key] = _one_fix(g, c, own)
        if not fixes[key]:
            pen += 5.0  # no single value of it explains them: not an explanation
    return pen


def _suspects(e: Edge) -> list[int]:
    return e.suspects if e.suspects is not None else e.members


def _evidence(g: Graph, e: Edge) -> float:
    """How much a passing edge vouches for its members: a tight check (the numbers leave little room)
    more than a loose one (an inequality, or inputs so rounded that many values would pass)."""
    if e.inequality or e.rule in ("rank_vs_values", "count_vs_members", "shares_of_one_whole", "order_vs_values"):
        return 0.6
    if e.fixed is not None:
        return 2.5
    target = g.sts[e.members[0]].num.interval
    if not (target.bounded and e.computed.bounded):
        return 0.6
    scale = max(abs(target.mid), abs(e.computed.mid), 1e-12)
    slack = (e.computed.hi - e.computed.lo + target.hi - target.lo) / scale
    return 2.5 if slack < 0.05 else 0.6


def _greedy(edges: list[Edge], cost: Callable[[int], float], passing: dict[int, float]) -> list[int]:
    """Large components: repeatedly blame the statement in most unexplained failing edges, less the
    edges it passes (a number reused by many checks is not guilty of the ones that fail)."""
    of: dict[int, list[int]] = defaultdict(list)
    for k, e in enumerate(edges):
        for m in _suspects(e):
            of[m].append(k)
    count = {m: len(ks) - passing.get(m, 0) for m, ks in of.items()}
    left = {m: len(ks) for m, ks in of.items()}
    heap = [(-n, cost(m), m) for m, n in count.items()]
    heapq.heapify(heap)
    explained: set[int] = set()
    chosen: list[int] = []
    while heap and len(explained) < len(edges):
        n, _, m = heapq.heappop(heap)
        if -n != count[m]:
            if left[m] > 0:
                heapq.heappush(heap, (-count[m], cost(m), m))
            continue
        if left[m] == 0:
            continue
        chosen.append(m)
        for k in of[m]:
            if k not in explained:
                explained.add(k)
                for other in _suspects(edges[k]):
                    count[other] -= 1
                    left[other] -= 1
    return chosen


def suggestion(g: Graph, i: int, e: Edge) -> float | None:
    """The value of statement i (base units) that would make edge e hold, the others as stated."""
    mids = [g.sts[m].num.interval.mid for m in e.members]
    if e.members[0] == i:
        if e.rule in ("rank_vs_values",):
            return e.computed.lo
        if e.rule in ("shares_of_one_whole", "order_vs_values"):
            return None
        v = e.f(*mids[1:])
        return v if math.isfinite(v) else None
    k = e.members.index(i)
    if e.rule in ("shares_of_one_whole", "rank_vs_values", "count_vs_members", "order_vs_values"):
        return None

    def h(x: float) -> float:
        vals = list(mids[1:])
        vals[k - 1] = x
        return e.f(*vals)

    return solve(h, mids[0], mids[k])
