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


def evidence(store, cells: list[Cell], as_of: str | None = None, history: bool = False) -> dict[Cell, Evidence]:
    """The evidence for each cell the store knows (cells it does not know are left out): the chosen value
    (one query for all the cells' indicators), else the published bounds; with history=True also every
    older exact value of the cell (asked only for the cells whose chosen value disagrees with a claim)."""
    facts = Facts(store, as_of=as_of)
    wanted = list(dict.fromkeys(cells))
    try:
        chosen = {(f.indicator, f.region, f.period): f
                  for f in facts.select(list(dict.fromkeys(c[0] for c in wanted)))}
    except KeyError:  # an indicator or region the catalog does not know
        chosen = {}
    out: dict[Cell, Evidence] = {}
    bounds_of = _bounds(store, [c for c in wanted if c not in chosen], as_of)
    for cell in wanted:
        ind, region, period = cell
        fact = chosen.get(cell)
        try:
            if fact is None:
                bounds = bounds_of.get(cell, ())
                if bounds:
                    out[cell] = Evidence(None, bounds[0][2], "published", bounds[0][3], False, bounds)
                continue
            past = tuple((str(h.vintage), float(h.value)) for h in facts.history(ind, region, period)) \
                if history else ()
        except KeyError:
            continue
        out[cell] = Evidence(float(fact.value), fact.unit, fact.status, str(fact.vintage), _weak(fact),
                             (), past)
    return out


def _bounds(store, cells: list[Cell], as_of: str | None) -> dict[Cell, tuple]:
    """Published bounds (超2500亿元 …) of these cells, newest vintage first: one query per indicator."""
    out: dict[Cell, list] = {}
    wanted = set(cells)
    codes = list(dict.fromkeys(c[0] for c in cells))
    # a connection costs more than reading a few thousand rows: one query unless few indicators
    batches = [[c] for c in codes] if len(codes) <= 3 else [None]
    for batch in batches:
        try:
            df = store.query(indicator=batch[0] if batch else None, as_of=as_of)
        except KeyError:
            continue
        df = df[(df["qualifier"] != "eq") & df["indicator"].isin(codes)].sort_values("vintage", ascending=False)
        for r in df.to_dict("records"):
            cell = (r["indicator"], r["region_code"], str(r["period"]))
            if cell in wanted:
                out.setdefault(cell, []).append((r["qualifier"], float(r["value"]), r["unit"] or "",
                                                 str(r["vintage"])))
    return {k: tuple(v) for k, v in out.items()}
