"""Edges from the store: a claim against the value (or published bound) the store holds for its cell."""
from __future__ import annotations

import re
from collections.abc import Callable

from digecon.factcheck.clauses import Statement
from digecon.factcheck.facts_source import Evidence, evidence
from digecon.factcheck.graph import Edge, Graph, ident
from digecon.factcheck.interval import Interval
from digecon.factcheck.numbers import unit_factor
from digecon.factcheck.regions import region_code

_STATUS_ZH = {"derived": "推算", "published": "已发布", "estimated": "估算", "synthetic": "合成",
              "illustrative": "示意"}
_PERIOD = re.compile(r"\d{4}(-\d\d)?")


def _cell(ind: str, region: str, period: str) -> tuple[str, str, str] | None:
    if not ind or not _PERIOD.fullmatch(period or "") or "|" in region:
        return None
    code = region_code(region)
    return (ind, code, period) if code else None


def _base(ev_value: float, ev_unit: str, st: Statement) -> float | None:
    f = unit_factor(ev_unit)
    if f is None:
        return None
    return ev_value * f[1] if f[0] == st.num.dim or (not ev_unit and not st.num.dim) else None


def store_edges(g: Graph, store, as_of: str | None, indicator_of: Callable[[Statement], str]) -> None:
    """Append one `store` edge per statement whose cell the store holds (and one per gap it can compute)."""
    wanted: dict[int, tuple] = {}
    gaps: dict[int, tuple[tuple, tuple]] = {}
    for i, st in enumerate(g.sts):
        if st.measure == "gap" and st.ref is not None:
            ref = g.sts[st.ref]
            a = _cell(indicator_of(ref), ref.region, ref.period)
            cq = ident(st.comparator[0]) if st.comparator[0] else indicator_of(ref)
            b = _cell(cq if re.fullmatch(r"[a-z][a-z0-9_]*", cq or "") else "",
                      st.comparator[1] or ref.region, ref.period)
            if a and b:
                gaps[i] = (a, b)
            continue
        cell = _cell(indicator_of(st), st.region, st.period)
        if cell:
            wanted[i] = cell
    cells = list(wanted.values()) + [c for pair in gaps.values() for c in pair]
    if not cells:
        return
    found = evidence(store, cells, as_of=as_of)
    disagree = [cell for i, cell in wanted.items() if (ev := found.get(cell)) is not None
                and ev.value is not None and not _agrees(g.sts[i], ev)]
    if disagree:  # which older vintage, if any, the claim matches
        found.update(evidence(store, disagree, as_of=as_of, history=True))
    for i, cell in wanted.items():
        ev = found.get(cell)
        if ev is not None:
            _value_edge(g, i, cell, ev)
    for i, (a, b) in gaps.items():
        ea, eb = found.get(a), found.get(b)
        if ea is None or eb is None or ea.value is None or eb.value is None:
            continue
        st = g.sts[i]
        v = ea.value - eb.value
        g.edges.append(Edge("store", [i], lambda v=v: v,
                            f"库中{a[0]} − {b[0]} = {ea.value:.2f} − {eb.value:.2f}"
                            f"（{_STATUS_ZH.get(ea.status, ea.status)}/{_STATUS_ZH.get(eb.status, eb.status)}，"
                            f"版本{ea.vintage}/{eb.vintage}）",
                            fixed=Interval(v, v).scale(st.num.factor or 1.0), weak=ea.weak or eb.weak))


def _agrees(st: Statement, ev: Evidence) -> bool:
    base = _base(ev.value, ev.unit, st) if ev.value is not None else None
    return base is None or Interval(base, base).overlaps(st.num.interval)


def _value_edge(g: Graph, i: int, cell: tuple, ev: Evidence) -> None:
    st = g.sts[i]
    if ev.value is None:
        for q, v, unit, vintage in ev.bounds:
            base = _base(v, unit, st)
            if base is None:
                continue
            iv = {"gt": Interval(base, float("inf")), "ge": Interval(base, float("inf")),
                  "lt": Interval(float("-inf"), base), "le": Interval(float("-inf"), base)}.get(q)
            if iv is None:
                continue
            word = {"gt": "超过", "ge": "不低于", "lt": "低于", "le": "不高于"}[q]
            g.edges.append(Edge("store", [i], lambda base=base: base,
                                f"库中已发布：{cell[0]}{word}{v:g}{unit}（版本{vintage}）",
                                fixed=iv))
        return
    base = _base(ev.value, ev.unit, st)
    if base is None:
        return
    older = ""
    if not Interval(base, base).overlaps(st.num.interval):
        for vintage, v in ev.history:
            b = _base(v, ev.unit, st)
            if vintage != ev.vintage and b is not None and st.num.interval.contains(b):
                older = f"；与较早版本（{vintage}）的{v:g}一致，该数其后已修订"
                break
    tag = _STATUS_ZH.get(ev.status, ev.status)
    weak = "；库中数值为估算/示意或由其推算，不据此判定" if ev.weak else ""
    g.edges.append(Edge("store", [i], lambda: base,
                        f"库中{cell[0]}为{ev.value:.4g}{ev.unit}（{tag}，版本{ev.vintage}）{older}{weak}",
                        fixed=Interval(base, base), weak=ev.weak))
