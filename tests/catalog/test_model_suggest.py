"""Catalog.suggest_indicators names each indicator once, however many of its keys (code, name,
aliases) are close to what was typed."""
from digecon.catalog import get_catalog


def test_each_suggestion_is_a_different_indicator():
    cat = get_catalog()
    found = cat.suggest_indicators("数字经济X")
    codes = [s.split("（")[0] for s in found]
    assert codes and len(codes) == len(set(codes))
    assert codes[0] == "de_va"
    assert len(cat.suggest_indicators("数字经济X", n=2)) == 2
