"""Statement blocks: the phrases a narrative template builds its sentences from.

Every number comes from digecon.facts (a stored value, or a published bound such as 超2500亿元)
and every relation between numbers (growth, percentage-point change, gap, CAGR, multiple) is
computed by a digecon.catalog.relations Relation over those facts. A block that lacks a fact
returns `Missing` (falsy; the renderer drops its sentence and reports why). Synthetic values
are never stated; illustrative ones carry the mark.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from weakref import WeakKeyDictionary

import yaml

from digecon.catalog.relations import RelationError, parse_formula
from digecon.evaluate import build as build_index
from digecon.evaluate import spec_from_dict
from digecon.facts import (
    Fact,
    Facts,
    fact_from_row,
    fact_text,
    format_number,
    round_half_up,
    to_decimal,
    unit_word,
)

from . import fmt
from .said import Missing, Said, marked, rests_on

# Qualifier words a template may ask for, by the stored qualifier they can express; the first
# is the default. Words that follow the number sit before the unit (余/多) or after it.
QUALIFIER_WORDS = {
    "gt": ("超", "超过", "突破", "逾", "多", "余", "以上"),
    "ge": ("不低于", "不少于", "以上"),
    "lt": ("低于", "不足", "不到", "以内"),
    "le": ("不超过", "以内", "以下"),
    "approx": ("约", "近", "余", "多", "左右"),
}
_BEFORE_UNIT = ("余", "多")
_AFTER_UNIT = ("以上", "以内", "以下", "左右")
_BOUNDS: WeakKeyDictionary = WeakKeyDictionary()  # Facts -> {indicator: {(region, period): bounds}}
_INDEX: WeakKeyDictionary = WeakKeyDictionary()  # Facts -> {(spec path, period): (tiers, rule codes)}


def _as_written(value) -> str:
    """A threshold of a spec as its author wrote it: 2500, 32.5 (not rounded to 33), 0.25."""
    d = to_decimal(value)
    places = max(0, -d.normalize().as_tuple().exponent)
    return format_number(d, places, strip_zero=True)


def _reason(indicator: str, region: str, period: str, why: str = "无数据") -> str:
    return f"{indicator} {region} {period}：{why}"


@dataclass(frozen=True)
class Group:
    """Regions that share a statement: a published bound (超1000亿元) or a tier."""

    names: tuple[str, ...]
    shorts: tuple[str, ...]
    qualifier: str          # gt lt … for a bound; "tier" for a tier
    value: float            # the bound, or the tier number
    text: Said              # 超过1000亿元 / 第二梯队
    rest: bool = False      # the regions not named in any earlier group

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def count(self) -> str:
        """The count in words before a measure word: 四, 两, 十一."""
        return fmt.cn_small(self.n)

    @property
    def joined(self) -> str:
        return "、".join(self.names)

    @property
    def joined_short(self) -> str:
        return "、".join(self.shorts)


class Statements:
    """The blocks for one region and report year, reading one Facts (one `as_of`)."""

    def __init__(self, facts: Facts, region: str, year: int | str, base_dir: Path | None = None):
        self.facts = facts
        self.catalog = facts.catalog
        self.home = self.catalog.region(region)
        self.year = int(year)
        self.base_dir = base_dir

    # look-ups --------------------------------------------------------------------------
    def _where(self, period, region) -> tuple[str, str]:
        reg = self.home if region is None else self.catalog.region(region)
        return str(self.year if period is None else period), reg.code

    def fact(self, indicator: str, period=None, region=None) -> Fact | None:
        """The stated value of a cell (None when absent or only synthetic)."""
        return self._fact_or_why(indicator, period, region)[0]

    def _fact_or_why(self, indicator: str, period, region) -> tuple[Fact | None, str]:
        per, reg = self._where(period, region)
        f = self.facts.get(indicator, reg, per)
        name = self.catalog.region(reg).name
        if not self.catalog.has_indicator(indicator):
            return None, _reason(indicator, name, per, "目录中无此指标")
        if f is None:
            return None, _reason(indicator, name, per)
        if rests_on(f, ("synthetic",)):
            return None, _reason(indicator, name, per, "仅有合成值，不作为事实陈述")
        return f, ""

    def _bounds(self, indicator: str, region: str, period: str) -> list[Fact]:
        """Facts.bounds of a cell, read for all cells of the indicator at once and kept with
        the Facts (so a report's templates read each indicator's bounds once)."""
        cache = _BOUNDS.setdefault(self.facts, {})
        code = self.catalog.indicator(indicator).code
        if code not in cache:
            df = self.facts.store.query(indicator=code, as_of=self.facts.as_of)
            df = df[df["qualifier"] != "eq"].sort_values("vintage", ascending=False)
            cells: dict[tuple[str, str], list[Fact]] = {}
            for row in df.to_dict("records"):
                f = fact_from_row(row, self.catalog)
                cells.setdefault((f.region, f.period), []).append(f)
            cache[code] = cells
        return cache[code].get((region, str(period)), [])

    def bound(self, indicator: str, period=None, region=None) -> Fact | None:
        """The newest published bound of a cell (超2500亿元), None when none is stored."""
        per, reg = self._where(period, region)
        if not self.catalog.has_indicator(indicator):
            return None
        found = [b for b in self._bounds(indicator, reg, per) if not rests_on(b, ("synthetic",))]
        return found[0] if found else None

    def has(self, indicator: str, period=None, region=None) -> bool:
        return self.fact(indicator, period, region) is not None or \
            self.bound(indicator, period, region) is not None

    # numbers ---------------------------------------------------------------------------
    def _digits(self, f: Fact, cn=False, frac=False, dec: int | None = None) -> str:
        x = f.value
        if frac:
            r = Fraction(to_decimal(x)).limit_denominator(12)
            if cn:
                return f"{fmt.cn_small(r.denominator, False)}分之{fmt.cn_small(r.numerator, False)}"
            return f"{r.numerator}/{r.denominator}"
        if cn and float(x).is_integer() and 0 <= x < 100:
            return fmt.cn_small(int(x), before_measure=cn != "ordinal")
        if dec is None:  # the fact's own text: 9070亿元, 35.0% (digecon.facts.fact_text)
            return fact_text(x, f.decimals, f.kind)
        return format_number(x, dec)

    @staticmethod
    def _unit(f: Fact, unit) -> str:
        if unit is False or unit is None:
            return ""
        if isinstance(unit, str):
            return unit
        return "" if f.unit in ("梯队", "强") else f.unit

    def v(self, indicator: str, period=None, region=None, *, q: str | None = None, cn=False,
          unit=True, frac=False, dec: int | None = None) -> Said:
        """A value with its unit: 6688亿元; a published bound with its word: 超4亿次, 400余家.

        `q` picks the qualifier word for a bound (used only when it can express the stored
        qualifier, see QUALIFIER_WORDS); `cn` writes small integers as numerals (三个;
        cn="ordinal" keeps 二 for 第二); `frac` writes a fraction (2/3, or 三分之一 with cn);
        `unit` False leaves the unit out or replaces it with the text given; `dec` overrides
        the catalog's decimals (a published 24.25% quoted as written)."""
        f, why = self._fact_or_why(indicator, period, region)
        if f is not None:
            return marked(self._digits(f, cn=cn, frac=frac, dec=dec) + self._unit(f, unit), [f],
                          f.value)
        b = self.bound(indicator, period, region)
        if b is None:
            return Missing(why)
        return self._bound_text(b, q, cn=cn, unit=unit, frac=frac, dec=dec)

    def bound_text(self, b: Fact, q: str | None = None, **kw) -> Said:
        """A published bound as the narrative words it (超2500亿元, 816万余条, 30余家); `q` as
        in v()."""
        return self._bound_text(b, q, **kw)

    def _bound_text(self, b: Fact, q: str | None, cn=False, unit=True, frac=False,
                    dec: int | None = None) -> Said:
        words = QUALIFIER_WORDS.get(b.qualifier, ("",))
        word = q if q in words else words[0]
        # a bound is a round threshold: 超40%, not 超40.0%
        num = self._digits(b, cn=cn, frac=frac, dec=dec)
        if dec is None and "." in num and not frac:
            num = num.rstrip("0").rstrip(".")
        u = self._unit(b, unit)
        if u == "亿元" and not (cn or frac or dec is not None) and b.value >= 10000 \
                and b.value % 1000 == 0:  # a round threshold in 万亿: 超1万亿元, 超1.5万亿元
            num, u = format_number(b.value / 10000, 1, strip_zero=True), "万亿元"
        if word in _BEFORE_UNIT and len(u) > 1 and u[0] in "万亿" and u[1:] != "元":
            return marked(num + u[0] + word + u[1:], [b], b.value)  # 816万余条
        if word in _BEFORE_UNIT:
            return marked(num + word + u, [b], b.value)
        if word in _AFTER_UNIT:
            return marked(num + u + word, [b], b.value)
        return marked(word + num + u, [b], b.value)

    def num(self, indicator: str, period=None, region=None, **kw) -> Said:
        """The value without its unit."""
        return self.v(indicator, period, region, unit=False, **kw)

    # relations -------------------------------------------------------------------------
    def _relation(self, formula: str, cells: list[tuple[str, object, object]]
                  ) -> tuple[float, list[Fact]] | Missing:
        found = []
        for ind, per, reg in cells:
            f, why = self._fact_or_why(ind, per, reg)
            if f is None:
                return Missing(why)
            found.append(f)
        try:
            value = parse_formula(formula, "statement").compute([f.value for f in found])
        except RelationError as exc:
            return Missing(str(exc))
        return value, found

    @staticmethod
    def _span(period, base, default_gap: int) -> tuple[int, int]:
        end = int(str(period)[:4])
        start = end - default_gap if base is None else int(str(base)[:4])
        return start, end

    def _phrase_change(self, value: float, decimals: int, unit: str, facts: list[Fact],
                       up: str, down: str, flat: str) -> Said:
        d = round_half_up(value, decimals)
        if d == 0:
            return marked(flat, facts, 0.0)
        return marked((up if d > 0 else down) + format_number(abs(d), decimals) + unit, facts,
                      float(d))

    def growth(self, indicator: str | None = None, period=None, region=None, *,
               level: str | None = None, base=None, up: str = "增长", down: str = "下降",
               flat: str = "持平", dec: int | None = None) -> Said:
        """增长19.5% / 下降3.2% / 持平: the growth fact, else computed from the `level`
        indicator at `period` and `base` (default: the year before) by the growth relation.
        Without a growth indicator (`growth(level="core_va")`) it is always computed, at one
        decimal unless `dec` says otherwise."""
        if indicator is None:
            if level is None:
                raise TypeError("growth(): 发现既无增速指标也无 level，应为 growth(\"de_growth\") "
                                "或 growth(level=\"de_va\")")
            f, why = None, ""
        else:
            f, why = self._fact_or_why(indicator, period, region)
        if f is not None:
            places = f.decimals if dec is None else dec
            return self._phrase_change(f.value, places, "%", [f], up, down, flat)
        if level is None:
            b = self.bound(indicator, period, region)
            if b is not None and b.value >= 0:
                return marked(up + self._bound_text(b, None), [b])
            return Missing(why)
        per = self.year if period is None else period
        start, end = self._span(per, base, 1)
        n = end - start
        got = self._relation(f"{level}[t] / {level}[t-{n}] × 100 − 100",
                             [(level, end, region), (level, start, region)])
        if isinstance(got, Missing):
            return got
        value, facts = got
        if dec is not None:
            places = dec
        elif indicator is not None and self.catalog.has_indicator(indicator):
            places = self.catalog.indicator(indicator).decimals
        else:
            places = 1
        return self._phrase_change(value, places, "%", facts, up, down, flat)

    def pp(self, indicator: str, period=None, base=None, region=None, *, stated: str | None = None,
           up: str = "提升", down: str = "下降", flat: str = "持平", per_year: bool = False) -> Said:
        """提升2.5个百分点: the change of a share between `base` (default the year before) and
        `period`, by the pp_change relation; `per_year` divides by the years between
        (年均提升2.6个百分点). Without both shares, the `stated` change indicator, if stored."""
        per = self.year if period is None else period
        start, end = self._span(per, base, 1)
        n = end - start
        got = self._relation(f"{indicator}[t] − {indicator}[t-{n}]",
                             [(indicator, end, region), (indicator, start, region)])
        places = self.catalog.indicator(indicator).decimals
        if isinstance(got, Missing):
            if stated is None:
                return got
            f, why = self._fact_or_why(stated, f"{start}-{end}", region)
            if f is None:
                return Missing(why)
            return self._phrase_change(f.value, f.decimals, "个百分点", [f], up, down, flat)
        value, facts = got
        if per_year:
            value = value / n
        return self._phrase_change(value, places, "个百分点", facts, up, down, flat)

    def gap(self, a: str, b: str, *, than: str = "", period=None, region=None,
            b_period=None, b_region=None, stated: str | None = None, stated_period=None,
            up: str = "高于", down: str = "低于", unit: str | None = None) -> Said:
        """高于地区生产总值增速10.7个百分点: a − b by the difference relation (b may be another
        region's or period's value); without both, the `stated` gap indicator, if stored."""
        if isinstance(a, Said) or isinstance(b, Said):
            got = self._said_difference(a, b)
        else:
            got = self._relation("a − b", [(a, period, region),
                                            (b, period if b_period is None else b_period,
                                             region if b_region is None else b_region)])
        if isinstance(got, Missing):
            if stated is None:
                return got
            f, why = self._fact_or_why(stated, stated_period if stated_period else period, region)
            if f is None:
                return Missing(why)
            value, facts, places, u = f.value, [f], f.decimals, f.unit
        elif isinstance(a, Said):
            value, facts = got
            places, u = 1, "个百分点"  # two computed rates (CAGRs): their gap in points
        else:
            value, facts = got
            fa = facts[0]
            places = fa.decimals
            u = "个百分点" if fa.unit == "%" else fa.unit
        u = u if unit is None else unit
        d = round_half_up(value, places)
        if d == 0:
            return marked(f"与{than}持平", facts, 0.0)
        return marked((up if d > 0 else down) + than + format_number(abs(d), places) + u, facts,
                      float(d))

    @staticmethod
    def _said_difference(a, b) -> tuple[float, list[Fact]] | Missing:
        """a − b for two computed statements (e.g. two CAGRs), by the difference relation."""
        for x in (a, b):
            if not isinstance(x, Said) or isinstance(x, Missing) or x.value is None:
                return x if isinstance(x, Missing) else Missing(f"{x!s}：不是计算所得的数")
        value = parse_formula("a − b", "statement").compute([a.value, b.value])
        return value, list(a.facts) + list(b.facts)

    def cagr(self, indicator: str, start, end=None, region=None, *, stated: str | None = None,
             dec: int = 1) -> Said:
        """20.7%: the compound annual growth rate between two years, by the cagr relation."""
        end = self.year if end is None else end
        s, e = int(str(start)[:4]), int(str(end)[:4])
        got = self._relation(f"({indicator}[t] / {indicator}[t-{e - s}]) ^ (1/{e - s}) × 100 − 100",
                             [(indicator, e, region), (indicator, s, region)])
        if isinstance(got, Missing):
            return self._stated(stated, f"{s}-{e}", region, got)
        value, facts = got
        return marked(format_number(value, dec) + "%", facts, value)

    def added_times(self, indicator: str, start, end=None, region=None, *,
                    stated: str | None = None, dec: int = 1, pct_below: float = 2.0) -> Said:
        """增加了1.6倍: the multiple end/start less one (a multiple of 2.6 is 增加了1.6倍).
        A multiple below `pct_below` is a growth in percent (1.84 → 增长83.8%, not 增加了0.8倍;
        0.9 → 下降10.0%): an editor does not write a fraction of 倍."""
        end = self.year if end is None else end
        s, e = int(str(start)[:4]), int(str(end)[:4])
        got = self._relation(f"{indicator}[t] / {indicator}[t-{e - s}]",
                             [(indicator, e, region), (indicator, s, region)])
        if isinstance(got, Missing):
            f, why = (None, got.why) if stated is None else \
                self._fact_or_why(stated, f"{s}-{e}", region)
            if f is None:
                return Missing(why)
            return marked("增加了" + format_number(f.value, dec) + "倍", [f])
        value, facts = got
        if value < pct_below:
            return self._phrase_change((value - 1) * 100, dec, "%", facts, "增长", "下降", "持平")
        return marked(fmt.format_multiple(value, "added", dec), facts)

    def _stated(self, stated: str | None, period: str, region, missing: Missing) -> Said:
        if stated is None:
            return missing
        f, why = self._fact_or_why(stated, period, region)
        if f is None:
            return Missing(why)
        return marked(f.text + f.unit, [f])

    # thresholds, ranks, groups ---------------------------------------------------------
    def crossed(self, indicator: str, threshold: float, period=None, region=None) -> Said:
        """Truthy when the value reached `threshold` this period: its text is 首次 when the
        period before was below (so a template writes {{ m }}迈入万亿大关), '' otherwise
        (never the illustrative mark: the value it speaks of carries that)."""
        f, why = self._fact_or_why(indicator, period, region)
        if f is None:
            return Missing(why)
        if to_decimal(f.value) < to_decimal(threshold):
            return Missing(_reason(indicator, f.region_name, f.period,
                                   f"未达到 {format_number(threshold, 0)}{f.unit}"))
        per = int(str(f.period)[:4])
        before = self.fact(indicator, per - 1, region)
        if before is not None and to_decimal(before.value) < to_decimal(threshold):
            return Said("首次", [f, before])
        return Said("", [f])

    def club(self, indicator: str, threshold: float, period=None, region=None) -> Group | Missing:
        """The other provinces whose value, or published lower bound (迈入万亿 = ≥1万亿元), is
        at least `threshold` (in the indicator's catalog unit), in catalog order."""
        per, code = self._where(period, region)
        unit = self.catalog.indicator(indicator).unit
        members = []
        for p in self.catalog.regions(level="province"):
            if p.code == code:
                continue
            f = self.fact(indicator, per, p.code)
            if f is not None:
                ok = self.catalog.convert(f.value, f.unit or unit, unit) >= threshold
                found = [f]
            else:
                found = [b for b in self._bounds(indicator, p.code, per)
                         if b.qualifier in ("gt", "ge")
                         and self.catalog.convert(b.value, b.unit or unit, unit) >= threshold]
                ok = bool(found)
            if ok:
                members.append((p, found[0]))
        if not members:
            return Missing(_reason(indicator, "各省份", per, "没有达到该数值的省份"))
        return Group(tuple(p.name for p, _ in members), tuple(p.short for p, _ in members),
                     "ge", float(threshold), marked("", [f for _, f in members]))

    def above(self, indicator: str, period=None, region=None) -> Group | Missing:
        """The units whose value exceeds the region's own (高于全省平均水平), largest first."""
        per, code = self._where(period, region)
        own, why = self._fact_or_why(indicator, per, code)
        if own is None:
            return Missing(why)
        found = [(u, self.fact(indicator, per, u.code)) for u in self.units(code)]
        if any(f is None for _, f in found):
            return Missing(_reason(indicator, own.region_name, per, "部分下级地区无数值"))
        hits = sorted(((u, f) for u, f in found if f.rounded > own.rounded),
                      key=lambda t: -t[1].value)
        if not hits:
            return Missing(_reason(indicator, own.region_name, per,
                                   f"没有高于{own.region_name}水平的下级地区"))
        return Group(tuple(u.name for u, _ in hits), tuple(u.short for u, _ in hits), "gt",
                     own.value, marked("", [own] + [f for _, f in found]))

    def members(self, indicator: str, period=None, region=None) -> Group | Missing:
        """The units flagged by a 0/1 indicator (入选千兆城市 …), in catalog order."""
        per, code = self._where(period, region)
        found = [(u, self.fact(indicator, per, u.code)) for u in self.units(code)]
        hits = [(u, f) for u, f in found if f is not None and f.value]
        if not hits:
            return Missing(_reason(indicator, self.catalog.region(code).name, per, "没有下级地区"))
        return Group(tuple(u.name for u, _ in hits), tuple(u.short for u, _ in hits), "eq", 1.0,
                     marked("", [f for _, f in hits]))

    def top(self, indicator: str, n: int, period=None, region=None) -> Group | Missing:
        """The `n` units with the largest values (every unit must have one), largest first."""
        per, code = self._where(period, region)
        found = [(u, self.fact(indicator, per, u.code)) for u in self.units(code)]
        if not found or any(f is None for _, f in found):
            return Missing(_reason(indicator, self.catalog.region(code).name, per,
                                   "部分下级地区无数值，无法排位"))
        ranked = sorted(found, key=lambda t: -t[1].value)
        if len(ranked) > n and ranked[n - 1][1].rounded == ranked[n][1].rounded:
            return Missing(_reason(indicator, self.catalog.region(code).name, per,
                                   f"第{n}位与第{n + 1}位并列"))
        hits = ranked[:n]
        return Group(tuple(u.name for u, _ in hits), tuple(u.short for u, _ in hits), "gt",
                     float(n), marked("", [f for _, f in found]))

    def units(self, region=None) -> list:
        """The units below the region that its unit word names (catalog.subunits: a province's
        prefecture-level units, a 直辖市's 区县, 海南's 市县), in code order."""
        reg = self.home if region is None else self.catalog.region(region)
        return self.catalog.subunits(reg.code)

    def rank(self, indicator: str, period=None, region=None, *, among: str = "units") -> Said:
        """第1位 among the region's siblings (`among` units: the prefecture-level units of its
        province; provinces: every province), when every one of them has a value."""
        per, code = self._where(period, region)
        reg = self.catalog.region(code)
        if among == "provinces":
            peers = self.catalog.regions(level="province")
        else:
            peers = self.catalog.subunits(reg.parent)
        if reg.code not in {p.code for p in peers}:  # e.g. a county-level unit the catalog
            # does not count among its province's units
            parent = self.catalog.region(reg.parent) if reg.parent else None
            group = "各省份" if among == "provinces" or parent is None else \
                f"{parent.name}的{unit_word(parent.code)}"
            return Missing(_reason(indicator, reg.name, per, f"不在{group}之中，无法排位"))
        values = []
        for p in peers:
            f = self.fact(indicator, per, p.code)
            if f is None:
                return Missing(_reason(indicator, p.name, per, "缺少同级地区数值，无法排位"))
            values.append(f)
        mine = next(f for f in values if f.region == reg.code)
        position = 1 + sum(1 for f in values if f.rounded > mine.rounded)
        return marked(f"第{position}位", values)

    def brackets(self, indicator: str, period=None, region=None) -> list[Group]:
        """The region's units grouped by the PUBLISHED bounds stated about them (超2500亿元:
        甲市; 超过1000亿元: 乙市、丙市 …), highest lower bound first, upper bounds last.
        A unit with several bounds goes by its highest 超/不低于 bound, else its lowest
        低于/不超过 bound. Names within a group follow the stored values when every member
        has one (largest first), else the catalog order."""
        per = str(self.year if period is None else period)
        groups: dict[tuple[str, float], list] = {}
        for u in self.units(region):
            found = self._bounds(indicator, u.code, per)
            lower = [b for b in found if b.qualifier in ("gt", "ge")]
            upper = [b for b in found if b.qualifier in ("lt", "le")]
            if lower:
                b = max(lower, key=lambda x: x.value)
            elif upper:
                b = min(upper, key=lambda x: x.value)
            else:
                continue
            groups.setdefault((b.qualifier, b.value), []).append((u, b))
        order = sorted(groups, key=lambda k: (k[0] in ("lt", "le"), -k[1]))
        out, named = [], set()
        all_units = {u.code for u in self.units(region)}
        for key in order:
            members = groups[key]
            members = self._by_value(members, indicator, per)
            b = members[0][1]
            rest = key[0] in ("lt", "le") and \
                {u.code for u, _ in members} == all_units - named
            named |= {u.code for u, _ in members}
            out.append(Group(tuple(u.name for u, _ in members), tuple(u.short for u, _ in members),
                             key[0], key[1], self._bound_text(b, None), rest))
        return out

    def bracket_text(self, group: Group, q: str | None = None) -> Said:
        """A group's bound with another qualifier word (超过1000亿元 instead of 超1000亿元)."""
        words = QUALIFIER_WORDS.get(group.qualifier, ())
        if q not in words:
            return group.text
        b = group.text.facts[0]
        return self._bound_text(b, q)

    def leader(self, indicator: str, period=None, region=None) -> Said:
        """The one unit in the top published bracket, when it stands alone above the rest."""
        groups = self.brackets(indicator, period, region)
        if not groups or groups[0].qualifier not in ("gt", "ge") or groups[0].n != 1:
            return Missing(_reason(indicator, self.home.name, str(period or self.year),
                                   "没有单独领先的下级地区"))
        return Said(groups[0].names[0], groups[0].text.facts)

    def _by_value(self, members: list, order_by: str | None, period: str) -> list:
        """Members (unit, fact) largest `order_by` value first when all have one."""
        if order_by is None:
            return members
        values = [self.fact(order_by, period, u.code) for u, _ in members]
        if any(v is None for v in values):
            return members
        return [m for _, m in sorted(zip(values, members), key=lambda t: -t[0].value)]

    def _index_spec(self, index_spec: str) -> Path | Missing:
        path = Path(index_spec)
        if not path.is_absolute() and self.base_dir is not None:
            path = self.base_dir / path
        return path if path.is_file() else Missing(f"{index_spec}：找不到指数规格文件")

    def _index_tiers(self, index_spec: str, period) -> tuple[dict, str, list[str]] | Missing:
        """{unit code: (tier, score)} of an index spec's tiers step built on the store at the
        Facts' as_of, its period, and the indicators its tier rules read."""
        path = self._index_spec(index_spec)
        if isinstance(path, Missing):
            return path
        cache = _INDEX.setdefault(self.facts, {})
        key = (str(path.resolve()), None if period is None else str(period))
        if key not in cache:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            obs = raw.get("observations")
            if isinstance(obs, dict):  # read at the Facts' as_of (and `period` when given;
                # a spec without a period is read at the report year)
                obs = {"period": str(self.year), **obs,
                       **({"period": str(period)} if period is not None else {}),
                       **({"as_of": self.facts.as_of} if self.facts.as_of else {})}
                raw["observations"] = obs
            else:
                obs = {}
            try:
                spec = spec_from_dict(raw, source=path.name, base_dir=path.parent,
                                      store=self.facts.store)
                res = build_index(spec)
            except LookupError as exc:  # the store lacks what the index reads (no rows at
                # its period and as_of): the tier sentences lack facts, like any other block;
                # a spec written wrongly still raises
                cache[key] = Missing(f"{index_spec}：{exc}")
                return cache[key]
            if res.tiers is None:
                cache[key] = Missing(f"{index_spec}：没有 steps.tiers（梯队规则）")
            else:
                rules = ((raw.get("steps") or {}).get("tiers") or {}).get("rules") or []
                codes = list(dict.fromkeys(c for r in rules for c in (r.get("when") or {})))
                cache[key] = ({str(r.uCode): (int(r.tier), float(r.score), str(r.label or ""))
                               for r in res.tiers.assign(label=res.tiers.get("label", ""))
                               .itertuples()}, str(obs.get("period", "")), codes)
        return cache[key]

    def tiers(self, indicator: str = "city_tier", period=None, region=None, *,
              order_by: str | None = None, index: str | None = None) -> list[Group]:
        """The units by tier (第一梯队 …), first tier first: with `index` (an index spec of
        the dataset, e.g. "index/units.yaml") the tiers its `steps.tiers` rule gives when the
        index is built on the store (the same as its 梯队 table), else the stored `indicator`.
        Each tier's units by `order_by` (largest first) when given, else by index score;
        the last group is `rest` when it holds every unit not named before."""
        if index is not None:
            got = self._index_tiers(index, period)
            if isinstance(got, Missing):
                return got
            by_code, per, codes = got
            by_tier: dict[int, list] = {}
            for u in self.units(region):
                if u.code not in by_code:
                    continue
                facts = [f for c in codes for f in [self.fact(c, per, u.code)] if f is not None]
                by_tier.setdefault(by_code[u.code][0], []).append((u, facts))
            for members in by_tier.values():
                members.sort(key=lambda m: -by_code[m[0].code][1])
            labels = {t: label for t, _, label in by_code.values() if label}
            return self._tier_groups({t: self._by_value(m, order_by, per)
                                      for t, m in by_tier.items()}, region, labels)
        per = str(self.year if period is None else period)
        by_tier = {}
        for u in self.units(region):
            f = self.fact(indicator, per, u.code)
            if f is not None:
                by_tier.setdefault(int(f.value), []).append((u, [f]))
        return self._tier_groups({t: self._by_value(m, order_by, per)
                                  for t, m in by_tier.items()}, region)

    @staticmethod
    def _tier_label(tier: int, labels: dict[int, str] | list | None = None) -> str:
        """The index spec's own label of a tier (steps.tiers.labels), else 第N梯队."""
        if isinstance(labels, list):
            labels = {i + 1: str(x) for i, x in enumerate(labels) if x}
        return (labels or {}).get(tier) or f"第{fmt.cn_small(tier, before_measure=False)}梯队"

    def _tier_groups(self, by_tier: dict[int, list], region,
                     labels: dict[int, str] | None = None) -> list[Group]:
        out, named = [], set()
        all_units = {u.code for u in self.units(region)}
        for t in sorted(by_tier):
            members = by_tier[t]
            codes = {u.code for u, _ in members}
            rest = t == max(by_tier) and len(by_tier) > 1 and codes == all_units - named
            named |= codes
            label = marked(self._tier_label(t, labels), [f for _, fs in members for f in fs])
            out.append(Group(tuple(u.name for u, _ in members), tuple(u.short for u, _ in members),
                             "tier", float(t), label, rest))
        return out

    def tier_rule(self, index_spec: str, units_word: str = "") -> Said:
        """The rule of an index spec's threshold tiers in words (its `steps.tiers.rules`):
        各设区市数字经济增加值超过2500亿元且其占GDP比重超过40%的为第一梯队，…，其余为第三梯队.
        A later indicator named after the first (数字经济增加值占GDP比重) is referred to as 其….
        """
        path = self._index_spec(index_spec)
        if isinstance(path, Missing):
            return path
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        tiers = (raw.get("steps") or {}).get("tiers") or {}
        rules, labels = tiers.get("rules") or [], tiers.get("labels")
        if not rules:
            return Missing(f"{index_spec}：steps.tiers 没有 rules")
        words = {"gt": "超过", "ge": "不低于", "lt": "低于", "le": "不超过", "eq": "为"}
        first = ""
        parts = []
        for rule in rules:
            label = self._tier_label(int(rule["tier"]), labels)
            conds = []
            for code, ops in (rule.get("when") or {}).items():
                ind = self.catalog.indicator(code)
                name = ind.name_zh
                if not first:
                    first = name
                elif name != first and name.startswith(first):
                    name = "其" + name[len(first):]
                u = "" if ind.unit in ("分", "") else ind.unit
                for op, val in ops.items():
                    conds.append(f"{name}{words[op]}{_as_written(val)}{u}")
            parts.append(f"{'且'.join(conds)}的为{label}" if conds else f"其余为{label}")
        return Said((f"各{units_word}" if units_word else "") + "，".join(parts))

    def structure(self, a: str, b: str, period=None, region=None) -> Said:
        """“一九” (or “二八”): two shares that make up a whole, in tenths."""
        fa, why_a = self._fact_or_why(a, period, region)
        fb, why_b = self._fact_or_why(b, period, region)
        if fa is None or fb is None:
            return Missing(why_a or why_b)
        ta, tb = round_half_up(fa.value / 10, 0), round_half_up(fb.value / 10, 0)
        if ta + tb != 10 or ta <= 0 or tb <= 0:
            return Missing(_reason(a, fa.region_name, fa.period, "两部分之和不是十成"))
        return marked(f"“{fmt.cn_small(int(ta), False)}{fmt.cn_small(int(tb), False)}”",
                      [fa, fb])

    def input_vintage(self, indicator: str, input_indicator: str, period=None,
                      region=None) -> Said:
        """The release date (2022年3月) of an input of a derived value, e.g. the GDP a share
        of GDP was computed with; Missing when the value is not derived."""
        f, why = self._fact_or_why(indicator, period, region)
        if f is None:
            return Missing(why)
        for item in json.loads(f.inputs) if f.inputs else []:
            if item.get("indicator") == input_indicator and item.get("vintage"):
                y, m = str(item["vintage"])[:7].split("-")
                return Said(f"{y}年{int(m)}月", [f])
        return Missing(_reason(indicator, f.region_name, f.period, f"没有 {input_indicator} 输入"))

    # words -----------------------------------------------------------------------------
    @staticmethod
    def when(period) -> str:
        """2021年 / 2021年底 (YYYY-12) / 2021年9月底 (YYYY-MM) / 2016—2021年 (a span)."""
        p = str(period)
        if len(p) == 9 and p[4] == "-":
            return f"{p[:4]}—{p[5:]}年"
        if len(p) == 7 and p[4] == "-":
            month = int(p[5:])
            return f"{p[:4]}年底" if month == 12 else f"{p[:4]}年{month}月底"
        return f"{p}年"

    @staticmethod
    def cn(n, measure: bool = True) -> str:
        return fmt.cn_small(int(n), before_measure=measure)
