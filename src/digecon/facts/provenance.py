"""Where a fact comes from, in the words a reader of the dashboard needs: the source document, or
for a computed value its arithmetic in Chinese names and the inputs' own texts."""
from __future__ import annotations

from digecon.catalog import Relation, relations_of

from .fact import Fact
from .rounding import fact_text, round_half_up, to_decimal


def _relation(catalog, code: str) -> Relation | None:
    return next((r for r in relations_of(catalog) if r.output == code), None)


def _label(catalog, code: str, offset: int, period: str, lagged: bool) -> str:
    name = catalog.indicator(code).name_zh if catalog.has_indicator(code) else code
    if lagged and period.isdigit() and len(period) == 4:
        return f"{int(period) + offset}年{name}"
    return name


def formula_zh(fact: Fact, catalog) -> str:
    """A computed value's arithmetic as a reader says it, e.g. 「数字经济增加值 ÷ 地区生产总值 ×
    100 = 340 ÷ 1150 × 100 ≈ 29.6」: names from the catalog, each input at its own text (its
    catalog decimals), the result as the fact's text (≈ when rounding changed it). Empty when
    the fact has no relation in the catalog or its inputs do not match the relation's terms."""
    rel = _relation(catalog, fact.indicator)
    try:
        inputs = fact.input_list()
    except ValueError:  # inputs written as text by a source of its own (an estimate's note)
        return ""
    if rel is None or len(inputs) != len(rel.terms) or any(
            i.get("indicator") != t.indicator for i, t in zip(inputs, rel.terms)):
        return ""
    lagged = any(t.offset for t in rel.terms)
    names = [_label(catalog, t.indicator, t.offset, fact.period, lagged) for t in rel.terms]
    numbers = []
    for i in inputs:
        ind = catalog.indicator(i["indicator"]) if catalog.has_indicator(i["indicator"]) else None
        numbers.append(fact_text(i["value"], ind.decimals if ind else 6, ind.kind if ind else ""))
    exact = to_decimal(fact.value) == round_half_up(fact.value, fact.decimals)
    words, sums = (rel.template(x).replace(" / ", " ÷ ") for x in (names, numbers))
    return f"{words} = {sums} {'=' if exact else '≈'} {fact.text}"


def provenance_zh(fact: Fact, catalog) -> str:
    """One line on where the value comes from, shown beside its status label: for a computed
    value its arithmetic (formula_zh), with no software name or indicator code; otherwise the
    source and its place in it (《…》 · 前言)."""
    words = formula_zh(fact, catalog) if fact.formula else ""
    if words:
        return words
    if fact.formula:  # arithmetic the catalog does not define (an estimate): as stored
        return f"{fact.source} · {fact.formula}"
    return fact.source + (f" · {fact.ref}" if fact.ref and fact.ref != fact.indicator else "")


__all__ = ["formula_zh", "provenance_zh"]
