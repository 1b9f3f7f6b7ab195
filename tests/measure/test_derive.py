"""Table-driven tests of the derived-measures library."""
from __future__ import annotations

import math
import re

import pytest

from digecon.measure import derive as d

# (function, args, expected value, expected formula, unit)
CASES = [
    (d.growth, (110.0, 100.0), 10.0, "(110 / 100 − 1) × 100", "%"),
    (d.growth, (90, 100), -10.0, "(90 / 100 − 1) × 100", "%"),
    # (121/100)^(1/2) = 1.1 -> 10 %
    (d.cagr, (121.0, 100.0, 2), 10.0, "((121 / 100)^(1/2) − 1) × 100", "%"),
    # 2^(1/5) - 1 = 0.148698354997035
    (d.cagr, (200, 100, 5), 14.869835499703509, "((200 / 100)^(1/5) − 1) × 100", "%"),
    # 增加了2倍 = ratio 3
    (d.multiple_added, (300, 100), 2.0, "300 / 100 − 1", "倍"),
    # 是…的3倍 = ratio 3
    (d.multiple_of, (300, 100), 3.0, "300 / 100", "倍"),
    # 1308.2 / 10378 × 100 = 12.605511659279244
    (d.share, (1308.2, 10378), 12.605511659279244, "1308.2 / 10378 × 100", "%"),
    (d.pp_change, (35.0, 32.5), 2.5, "35 − 32.5", "个百分点"),
    (d.avg_annual_pp_change, (35.0, 27.0, 4), 2.0, "(35 − 27) / 4", "个百分点"),
    (d.growth_gap, (16.4, 8.8), 7.6, "16.4 − 8.8", "个百分点"),
    # (50 / 1000) × 100 = 5 pp of the total's growth
    (d.contribution, (50, 1000), 5.0, "50 / 1000 × 100", "个百分点"),
]


@pytest.mark.parametrize(("fn", "args", "value", "formula", "unit"), CASES,
                         ids=[f"{c[0].__name__}{c[1]}" for c in CASES])
def test_value_formula_unit(fn, args, value, formula, unit):
    r = fn(*args)
    assert math.isclose(r.value, value, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(float(r), value, rel_tol=1e-12, abs_tol=1e-12)
    assert r.formula == formula
    assert r.unit == unit
    assert len(r.inputs) == len(args)
    assert [float(v) for v in r.inputs.values()] == [float(a) for a in args]


def test_multiples_differ_by_one():
    # 增加了k倍 and 是…的k倍 must never be confused: they differ by exactly 1.
    assert d.multiple_of(5, 2).value - d.multiple_added(5, 2).value == 1.0


def test_derived_is_frozen():
    r = d.share(1, 4)
    with pytest.raises(AttributeError):
        r.value = 3  # type: ignore[misc]
    assert r.value == 25.0


@pytest.mark.parametrize(("fn", "args", "msg"), [
    (d.growth, (1, 0), "x_prev[t-1] = 0，为零（不能作除数）"),
    (d.share, (1, 0), "total = 0，为零（不能作除数）"),
    (d.contribution, (5, 0), "total_prev = 0，为零"),
    (d.cagr, (100, 50, 0), "years: expected a positive number"),
    (d.cagr, (100, 50, 2.5), "years: expected a whole number of years, found 2.5"),
    (d.cagr, (-1, 50, 2), "x_end[t] / x_start[t-2] = -0.02，不大于零"),
    (d.growth, ("abc", 1), "x_t: expected a number, found 'abc'"),
    (d.share, (float("nan"), 1), "part: expected a finite number"),
])
def test_bad_inputs_name_the_argument(fn, args, msg):
    with pytest.raises(ValueError, match=re.escape(msg)):
        fn(*args)


def test_functions_are_the_catalog_relations():
    """The same arithmetic as the formulas the store derives by (one expression per kind)."""
    from digecon.catalog.relations import parse_formula

    share = parse_formula("di_va / de_va × 100", "di_share_de")
    assert d.share(1308.2, 10378).value == share.compute([1308.2, 10378])
    growth = parse_formula("de_va[t] / de_va[t-1] × 100 − 100", "de_growth")
    assert d.growth(10378, 8684.5).value == growth.compute([10378, 8684.5])
    assert d.growth(10378, 8684.5).formula == growth.template(["10378", "8684.5"])
