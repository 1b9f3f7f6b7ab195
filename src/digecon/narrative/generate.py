"""Generated paragraphs: the store's numbers for one region and year, phrased by Jinja2 templates."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from digecon.facts import Facts
from digecon.narrative import fmt

SECTIONS = {"前言": "preface.md.j2", "一(一)": "s1_1.md.j2", "一(二)": "s1_2.md.j2"}
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=False)


class _Facts:
    """The facts (digecon.facts) of one region as known at `as_of`, as (value, status) pairs."""

    def __init__(self, store, region: str, as_of: str | None = None,
                 facts: Facts | None = None):
        self.store, self.region, self.as_of = store, region, as_of
        self.facts = facts if facts is not None else Facts(store, as_of)

    def get(self, indicator: str, year: int, region: str | None = None) -> tuple[float, str] | None:
        fact = self.facts.get(indicator, region or self.region, str(year))
        return None if fact is None else (fact.value, fact.status)

    def for_region(self, region: str) -> _Facts:
        return _Facts(self.store, region, self.as_of, self.facts)

    def __repr__(self) -> str:
        return f"_Facts({self.region}, as_of={self.as_of})"


def _m(text: str, *statuses: str) -> str:
    """Mark a number illustrative when any value it rests on is illustrative (or synthetic)."""
    return fmt.mark(text, "illustrative" if {"illustrative", "synthetic"} & set(statuses) else None)


def _national(f: _Facts, year: int) -> dict[str, Any]:
    store, region = f.store, f.region
    ctx: dict[str, Any] = {"year": year, "prev": year - 1}
    try:
        reg = store.catalog.region(region)
        ctx["region"], ctx["short"], ctx["code"] = reg.name, reg.short, reg.code
    except KeyError:
        ctx["region"] = ctx["short"] = region
        ctx["code"] = ""
    de, de0 = f.get("de_va", year), f.get("de_va", year - 1)
    ctx["de_va"] = _m(fmt.format_amount(de[0], scale="亿元"), de[1]) if de else None
    ctx["milestone"] = fmt.milestone_phrase(de[0], de0[0] if de0 else None) if de else ""
    g = f.get("de_growth", year)
    ctx["de_growth"] = _m(fmt.format_change(g[0]), g[1]) if g else None
    gg = f.get("gdp_growth_real", year)
    ctx["gap_gdp"] = (_m(fmt.format_gap(fmt.round_half_up(g[0], 1) - fmt.round_half_up(gg[0], 1),
                                        "地区生产总值增速"), g[1], gg[1]) if g and gg else None)
    stated_gap = f.get("de_growth_gap_vs_gdp", year) if not ctx["gap_gdp"] else None
    if stated_gap:  # no GDP growth in the store: the gap as published
        ctx["gap_gdp"] = _m(fmt.format_gap(stated_gap[0], "地区生产总值增速"), stated_gap[1])
    for code in ("de_share_gdp", "di_share_de", "id_share_de"):
        s, s0 = f.get(code, year), f.get(code, year - 1)
        ctx[code] = _m(fmt.format_pct(s[0]), s[1]) if s else None
        ctx[code + "_pp"] = (_m(fmt.format_pp(fmt.round_half_up(s[0], 1) - fmt.round_half_up(s0[0], 1)),
                                s[1], s0[1]) if s and s0 else None)
    for code in ("di_va", "id_va"):
        v = f.get(code, year)
        ctx[code] = _m(fmt.format_amount(v[0], scale="亿元"), v[1]) if v else None
    # Five-year view: multiple, CAGR and the average annual change of the share.
    base = year - 5
    ctx["base"] = base
    d5 = f.get("de_va", base)
    if de and d5:
        ratio = fmt.to_decimal(de[0]) / fmt.to_decimal(d5[0])
        ctx["multiple"] = _m(fmt.format_multiple(ratio, "added"), de[1], d5[1])
        cagr = (float(ratio) ** (1 / 5) - 1) * 100
        ctx["cagr"] = _m(fmt.format_pct(cagr), de[1], d5[1])
    else:
        ctx["multiple"] = ctx["cagr"] = None
    s5, s = f.get("de_share_gdp", base), f.get("de_share_gdp", year)
    if s5 and s:
        ctx["share_base"] = _m(fmt.format_pct(s5[0]), s5[1])
        avg = (fmt.round_half_up(s[0], 1) - fmt.round_half_up(s5[0], 1)) / 5
        ctx["share_avg_pp"] = _m(fmt.format_pp(avg), s[1], s5[1])
    else:
        ctx["share_base"] = ctx["share_avg_pp"] = None
    return ctx


_STEPS = {"de_va": 500, "di_va": 100, "id_va": 200, "de_share_gdp": 5, "di_share_gdp": 1, "id_share_gdp": 5}


def _cities(f: _Facts, ctx: dict[str, Any], year: int) -> dict[str, Any]:
    """Cities ranked by each indicator, with the round thresholds a reader is told they pass."""
    try:
        cities = f.store.catalog.regions(level="city", parent=ctx["code"]) if ctx["code"] else []
    except KeyError:
        cities = []
    out: dict[str, Any] = {"has_cities": False, **{"city_" + k: None for k in _STEPS}}
    for code, step in _STEPS.items():
        vals = []
        for c in cities:
            row = f.for_region(c.code).get(code, year)
            if row:
                vals.append((c.name, row[0], row[1]))
        vals.sort(key=lambda t: -t[1])
        if not vals:
            out["city_" + code] = None
            continue
        out["has_cities"] = True
        unit = "%" if "share" in code else "亿元"
        top = vals[0]
        rest = vals[1:]
        # The second group: cities above the largest round threshold that at least two of them pass.
        second_t = fmt.threshold_floor(rest[1][1], step) if len(rest) >= 2 else None
        group = [v for v in rest if second_t is not None and fmt.to_decimal(v[1]) > second_t]
        out["city_" + code] = {
            "top_name": top[0],
            "top": _m(fmt.threshold_phrase(top[1], step, unit), top[2]),
            "group": "、".join(v[0] for v in group),
            "group_n": fmt.cn_small(len(group)),
            "group_t": _m(("超过" + fmt.format_number(second_t, 0) + unit) if second_t is not None else "",
                          *[v[2] for v in group]),
            "others_below": _m("低于" + fmt.format_number(second_t, 0) + unit, *[v[2] for v in vals])
            if second_t is not None and len(group) + 1 < len(vals) else "",
        }
    return out


def generate(section: str, store, region: str, year: int, as_of: str | None = None) -> str:
    """Markdown paragraphs for one section (前言, 一(一), 一(二)) of region in year, from the store.

    `as_of` (YYYY-MM-DD) reads the store as it stood on that date (None: the latest vintages).
    Numbers resting on illustrative observations carry fmt.ILLUSTRATIVE_MARK (※).
    """
    if section not in SECTIONS:
        raise ValueError(f"section: expected one of {', '.join(SECTIONS)}, found {section!r}")
    year = int(year)
    facts = _Facts(store, region, as_of)
    ctx = _national(facts, year)
    if section in ("前言", "一(二)"):
        ctx.update(_cities(facts, ctx, year))
        ctx["cities"] = {k[5:]: v for k, v in ctx.items() if k.startswith("city_")}
    ctx["mark"] = fmt.ILLUSTRATIVE_MARK
    text = _ENV.get_template(SECTIONS[section]).render(**ctx)
    return "\n\n".join(p.strip() for p in text.split("\n") if p.strip()) + "\n"
