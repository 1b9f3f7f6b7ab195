"""The fact-checker's only reader of the store: a cell -> the evidence the store holds for it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from digecon.facts import Facts

Cell = tuple[str, str, str]  # (indicator code, region name or code, period)
_WEAK = ("estimated", "illustrative", "synthetic")


@dataclass(frozen=True)
class Evidence:
    """What the store says about a cell at `as_of`: its chosen value, bounds, and older vintages."""

    value: float | None
    unit: str
    status: str
    vintage: str
    weak: bool                          # estimated/illustrative/synthetic, or derived from such
    bounds: tuple[tuple[str, float, str, str], ...] = ()  # (qualifier, value, unit, vintage): 超2500亿元
    history: tuple[tuple[str, float], ...] = field(default_factory=tuple)  # (vintage, value), oldest first


def _weak(fact) -> bool:
    if fact.status in _WEAK:
        return True
    try:
        inputs = json.loads(fact.inputs) if fact.inputs else []
    except ValueError:
        return False
    return any(isinstance(x, dict) and x.get("status") in _WEAK for x in inputs)


def evidence(store, cells: list[Cell], as_of: str | None = None) -> dict[Cell, Evidence]:
    """The evidence for each cell the store knows; cells it does not know are left out."""
    facts = Facts(store, as_of=as_of)
    out: dict[Cell, Evidence] = {}
    for cell in dict.fromkeys(cells):
        ind, region, period = cell
        try:
            fact = facts.get(ind, region, period)
            bounds = () if fact is not None else tuple(
                (b.qualifier, float(b.value), b.unit, str(b.vintage)) for b in facts.bounds(ind, region, period))
        except KeyError:  # a region or indicator the catalog does not know
            continue
        if fact is None and not bounds:
            continue
        if fact is None:
            out[cell] = Evidence(None, bounds[0][2], "published", bounds[0][3], False, bounds)
            continue
        history = tuple((str(h.vintage), float(h.value)) for h in facts.history(ind, region, period))
        out[cell] = Evidence(float(fact.value), fact.unit, fact.status, str(fact.vintage), _weak(fact),
                             (), history)
    return out
