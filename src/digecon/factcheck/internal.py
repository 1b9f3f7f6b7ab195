"""Checks of claims against each other, with no store: shares, sums, CAGR vs 倍, averages, repeats."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from digecon.factcheck.interval import bounds, compute, expected_text, overlaps, show
from digecon.factcheck.model import Check, Claim

# share indicator -> (numerator level, denominator level)
SHARES = {"di_share_de": ("di_va", "de_va"), "id_share_de": ("id_va", "de_va"),
          "de_share_gdp": ("de_va", "gdp"), "di_share_gdp": ("di_va", "gdp"),
          "id_share_gdp": ("id_va", "gdp")}
SUMS = {"de_va": ("di_va", "id_va")}
COMPLEMENTS = [("di_share_de", "id_share_de")]
PRODUCTS = {"di_share_gdp": ("di_share_de", "de_share_gdp"), "id_share_gdp": ("id_share_de", "de_share_gdp")}


def _key(c: Claim, indicator: str | None = None, role: str = "", period: str | None = None):
    return (indicator or c.indicator, role, c.region, period or c.period)


def _index(claims: list[Claim]) -> dict[tuple, list[Claim]]:
    idx: dict[tuple, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.indicator:
            idx[(c.indicator, c.role, c.region, c.period)].append(c)
    return idx


def _first(idx, indicator: str, region: str, period: str, role: str = "") -> Claim | None:
    """The first exactly stated claim of a quantity (qualifier eq), if any."""
    for c in idx.get((indicator, role, region, period), []):
        if c.qualifier == "eq":
            return c
    return None


def _judge(target: Claim, rule: str, f: Callable[..., float], inputs: list[Claim], formula_zh: str,
           formula_en: str) -> Check:
    """Does f over the inputs' precision intervals reach a value the target admits?"""
    rng = compute(f, *[bounds(c) for c in inputs])
    admitted = bounds(target)
    ok = overlaps(rng, admitted)
    mid = f(*[float(c.number) * (1 if "/" not in c.value else 100) * _unit_scale(c) for c in inputs])
    d = target.decimals
    exp = expected_text(rng, d)
    stated = f"{target.text}"
    verdict_zh = "与所述一致" if ok else f"与所述{stated}不符"
    verdict_en = "consistent with the stated" if ok else "inconsistent with the stated"
    return Check(rule=rule, ok=ok, expected=exp,
                 explanation=f"{formula_zh} = {show(mid, d)}，按所述精度应为{exp}，{verdict_zh}",
                 explanation_en=f"{formula_en} = {show(mid, d)}; at the stated precision it gives {exp}, "
                                f"{verdict_en} {target.value}")


def _unit_scale(c: Claim) -> float:
    from digecon.factcheck.interval import scale
    return scale(c.unit)


def _v(c: Claim) -> str:
    return c.text.strip()


def check_internal(claims: list[Claim]) -> None:
    """Append internal checks to the claims, in place."""
    idx = _index(claims)
    for c in claims:
        if not c.indicator:
            continue
        if c.role == "" and c.indicator in SHARES:
            num, den = SHARES[c.indicator]
            a, b = _first(idx, num, c.region, c.period), _first(idx, den, c.region, c.period)
            if a and b:
                c.checks.append(_judge(c, "share_of_parts", lambda x, y: x / y * 100, [a, b],
                                       f"{_v(a)} / {_v(b)} × 100", f"{a.value} / {b.value} × 100"))
        if c.role == "" and c.indicator in SUMS:
            p1, p2 = (_first(idx, p, c.region, c.period) for p in SUMS[c.indicator])
            if p1 and p2 and c.qualifier == "eq":
                c.checks.append(_judge(c, "sum_of_parts", lambda x, y: x + y, [p1, p2],
                                       f"{_v(p1)} + {_v(p2)}", f"{p1.value} + {p2.value}"))
        for s1, s2 in COMPLEMENTS:
            if c.role == "" and c.indicator == s2:
                o = _first(idx, s1, c.region, c.period)
                if o:
                    c.checks.append(_judge(c, "shares_sum_to_100", lambda x: 100 - x, [o],
                                           f"100% − {_v(o)}", f"100 − {o.value}"))
        if c.role == "" and c.indicator in PRODUCTS:
            a, b = (_first(idx, p, c.region, c.period) for p in PRODUCTS[c.indicator])
            if a and b:
                c.checks.append(_judge(c, "share_chain", lambda x, y: x * y / 100, [a, b],
                                       f"{_v(a)} × {_v(b)}", f"{a.value}% × {b.value}%"))
        if c.role == "" and c.qualifier in ("gt", "ge", "lt"):
            lv = _first(idx, c.indicator, c.region, c.period)
            if lv:
                ok = overlaps(bounds(lv), bounds(c))
                word = {"gt": "超过", "ge": "达到", "lt": "低于"}[c.qualifier]
                c.checks.append(Check("threshold_vs_level", ok, f"{lv.value}{lv.unit}",
                                      f"文中所述水平{_v(lv)}{'' if ok else '不'}{word}{_v(c)}",
                                      f"the level stated in the text, {lv.value} {lv.unit}, "
                                      f"{'is' if ok else 'is not'} {c.qualifier} {c.value} {c.unit}"))
        m = re.fullmatch(r"(\d{4})-(\d{4})", c.period)
        if m and c.role == "avg_pp":
            y0, y1 = m.groups()
            s0, s1 = _first(idx, c.indicator, c.region, y0), _first(idx, c.indicator, c.region, y1)
            n = int(y1) - int(y0)
            if s0 and s1 and n > 0:
                c.checks.append(_judge(c, "average_annual_change", lambda e, s, n=n: (e - s) / n, [s1, s0],
                                       f"({_v(s1)} − {_v(s0)}) / {n}", f"({s1.value} − {s0.value}) / {n}"))
        if m and c.role == "change":
            y0, y1 = m.groups()
            s0, s1 = _first(idx, c.indicator, c.region, y0), _first(idx, c.indicator, c.region, y1)
            if s0 and s1:
                c.checks.append(_judge(c, "change_between_levels", lambda e, s: e - s, [s1, s0],
                                       f"{_v(s1)} − {_v(s0)}", f"{s1.value} − {s0.value}"))
        if m and c.role == "added":
            n = int(m.group(2)) - int(m.group(1))
            g = _first(idx, c.indicator, c.region, c.period, "cagr")
            if g and n > 0:
                c.checks.append(_judge(c, "multiple_vs_cagr", lambda r, n=n: (1 + r / 100) ** n - 1, [g],
                                       f"(1 + {_v(g)})^{n} − 1", f"(1 + {g.value}%)^{n} − 1"))
    _local_checks(claims)
    _repeats(idx)


def _sentences(claims: list[Claim]) -> dict[tuple, list[Claim]]:
    by: dict[tuple, list[Claim]] = defaultdict(list)
    for c in claims:
        by[(c.region, c.period.split("-")[-1], c._sentence)].append(c)  # type: ignore[attr-defined]
    return by


def _local_checks(claims: list[Claim]) -> None:
    """Checks any text allows without knowing the indicator: 年均增长 between two stated levels of one
    sentence, 同比增加 X 增幅 g against its level, and 占比 against two counts of the same unit."""
    by_sentence: dict[int, list[Claim]] = defaultdict(list)
    for c in claims:
        by_sentence[getattr(c, "_sentence", -1)].append(c)
    for group in by_sentence.values():
        levels = [c for c in group if c.kind in ("level", "count") and c.qualifier in ("eq", "approx")]
        for c in group:
            if c.checks or c.kind not in ("growth_rate", "share"):
                continue
            q = c.quantity
            if c.kind == "growth_rate" and re.search(r"年均", q):
                dated = [x for x in levels if re.fullmatch(r"\d{4}", x.period) and x.start < c.start]
                if len(dated) >= 2:
                    a, b = dated[-2], dated[-1]
                    n = int(b.period) - int(a.period)
                    if n > 0 and a.unit == b.unit:
                        c.checks.append(_judge(c, "cagr_between_levels",
                                               lambda e, s, n=n: ((e / s) ** (1 / n) - 1) * 100, [b, a],
                                               f"(({_v(b)} / {_v(a)})^(1/{n}) − 1) × 100",
                                               f"(({b.value} / {a.value})^(1/{n}) − 1) × 100"))
            elif c.kind == "growth_rate" and re.search(r"增幅|增长", q):
                inc = [x for x in levels if re.search(r"增加|新增", x.quantity) and x.start < c.start]
                base = [x for x in levels if x not in inc and inc and x.unit == inc[-1].unit and x.start < inc[-1].start]
                if inc and base:
                    i, t = inc[-1], base[-1]
                    c.checks.append(_judge(c, "growth_from_increment",
                                           lambda a, d: d / (a - d) * 100, [t, i],
                                           f"{_v(i)} / ({_v(t)} − {_v(i)}) × 100",
                                           f"{i.value} / ({t.value} − {i.value}) × 100"))
            elif c.kind == "share" and "/" not in c.value and re.search(r"占比|占全省|比重", q):
                # Only confirm: a pair of same-unit numbers before the share that gives it.
                before = [x for x in levels if x.start < c.start]
                before = [x for x in before if re.search(r"\d", x.text)]  # not 四/五 city counts
                for a in reversed(before):
                    for b in before:
                        if a is b or a.unit != b.unit or float(b.number) <= float(a.number):
                            continue
                        chk = _judge(c, "share_of_stated_pair", lambda x, y: x / y * 100, [a, b],
                                     f"{_v(a)} / {_v(b)} × 100", f"{a.value} / {b.value} × 100")
                        if chk.ok:
                            c.checks.append(chk)
                            break
                    if c.checks:
                        break


def _repeats(idx: dict[tuple, list[Claim]]) -> None:
    """The same quantity stated more than once must agree; blame the statement the arithmetic does not support."""
    for group in idx.values():
        exact = [c for c in group if c.qualifier == "eq"]
        if len(exact) < 2:
            continue
        supported = [c for c in exact if c.checks and all(k.ok for k in c.checks)]
        for c in exact:
            others = [o for o in exact if o is not c]
            disagree = [o for o in others if not overlaps(bounds(o), bounds(c))]
            if not disagree:
                agree_with = others[0]
                c.checks.append(Check("repeated_claim", True, agree_with.value,
                                      f"同一数量在文中另处表述为{agree_with.text}，二者一致",
                                      f"the same quantity is stated elsewhere as {agree_with.value}; they agree"))
                continue
            ref = [o for o in supported if o is not c and overlaps(bounds(o), bounds(disagree[0]))]
            blamed = c not in supported and (ref or len(disagree) * 2 >= len(exact))
            o = disagree[0]
            c.checks.append(Check(
                "repeated_claim", False if blamed else None, o.value,
                f"同一数量在文中另处表述为{o.text}（“{o.quote}”），与此处{c.text}不一致"
                + ("；另处数值有算术支持" if ref else ""),
                f"the same quantity is stated elsewhere as {o.value} ({o.quote!r}); here it is {c.value}"
                + ("; the other value is supported by arithmetic" if ref else "")))
