"""A fact's provenance in a reader's words: the arithmetic of a computed value with catalog names,
its inputs' own texts and the result as printed (≈ only when rounding changed it); otherwise the
source and its section."""
from __future__ import annotations

import datetime as dt
import json

from digecon.catalog import get_catalog
from digecon.facts import Fact, formula_zh, provenance_zh


def _fact(code, value, inputs=(), status="derived", decimals=1, kind="share", **kw):
    rows = [{"indicator": i, "region": "430100", "period": p, "value": v} for i, p, v in inputs]
    return Fact(indicator=code, name=code, region="430100", region_name="长沙市", period="2021",
                value=value, unit="%", decimals=decimals, status=status,
                source=kw.pop("source", "digecon 派生计算"), vintage=dt.date(2022, 7, 1),
                formula=kw.pop("formula", "stored"), inputs=json.dumps(rows) if rows else "",
                kind=kind, ref=kw.pop("ref", code), **kw)


def test_a_share_in_names_and_the_inputs_texts():
    cat = get_catalog()
    f = _fact("de_share_gdp", 340 / 1150 * 100, [("de_va", "2021", 340.0), ("gdp", "2021", 1150.0)])
    assert formula_zh(f, cat) == "数字经济增加值 ÷ 地区生产总值 × 100 = 340 ÷ 1150 × 100 ≈ 29.6"
    assert provenance_zh(f, cat) == formula_zh(f, cat)  # beside its status label
    exact = _fact("de_share_gdp", 40.0, [("de_va", "2021", 400.0), ("gdp", "2021", 1000.0)],
                  status="illustrative")
    assert provenance_zh(exact, cat) == "数字经济增加值 ÷ 地区生产总值 × 100 = 400 ÷ 1000 × 100 = 40.0"


def test_a_growth_names_its_years():
    f = _fact("de_growth", 12.5, [("de_va", "2021", 1125.0), ("de_va", "2020", 1000.0)],
              kind="growth")
    assert formula_zh(f, get_catalog()) == (
        "(2021年数字经济增加值 ÷ 2020年数字经济增加值 − 1) × 100 = (1125 ÷ 1000 − 1) × 100 = 12.5")


def test_without_a_matching_relation_the_source_is_said():
    cat = get_catalog()
    odd = _fact("de_share_gdp", 29.6, [("gdp", "2021", 1150.0)], formula="x / y")
    assert formula_zh(odd, cat) == "" and provenance_zh(odd, cat) == "digecon 派生计算 · x / y"
    published = _fact("de_va", 10378.0, status="published", formula="", kind="level",
                      source="《白皮书》", ref="前言")
    assert provenance_zh(published, cat) == "《白皮书》 · 前言"
