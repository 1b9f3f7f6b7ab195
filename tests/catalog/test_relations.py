"""Relations parsed from the catalog's formula column: kinds, arithmetic, intervals, errors."""
from __future__ import annotations

import subprocess
import sys

import pytest

from digecon.catalog import Catalog, CatalogError, Indicator
from digecon.catalog.relations import (
    FormulaError,
    RelationError,
    Term,
    check_formula,
    parse_formula,
    relations_of,
)

# formula, kind, terms as (code, offset), scale
PARSED = [
    ("di_va + id_va", "sum", [("di_va", 0), ("id_va", 0)], 1),
    ("a + b + c + d", "sum", [("a", 0), ("b", 0), ("c", 0), ("d", 0)], 1),
    ("de_va / gdp × 100", "share", [("de_va", 0), ("gdp", 0)], 100),
    ("de_va / gdp * 100", "share", [("de_va", 0), ("gdp", 0)], 100),
    ("de_va / gdp x 100", "share", [("de_va", 0), ("gdp", 0)], 100),
    ("patents / pop × 10000", "ratio", [("patents", 0), ("pop", 0)], 10000),
    ("de_va / di_va", "multiple", [("de_va", 0), ("di_va", 0)], 1),
    ("de_growth - gdp_growth", "difference", [("de_growth", 0), ("gdp_growth", 0)], 1),
    ("de_va[t] / de_va[t-1] × 100 − 100", "growth", [("de_va", 0), ("de_va", -1)], 100),
    ("(de_va[t] / de_va[t−1] − 1) × 100", "growth", [("de_va", 0), ("de_va", -1)], 100),
    ("x[t] / x[t-3] * 100 - 100", "growth", [("x", 0), ("x", -3)], 100),
    ("s[t] − s[t-1]", "pp_change", [("s", 0), ("s", -1)], 1),
    ("(x[t] / x[t-5]) ^ (1/5) × 100 − 100", "cagr", [("x", 0), ("x", -5)], 100),
    ("((x[t] / x[t-4])^(1/4) - 1) * 100", "cagr", [("x", 0), ("x", -4)], 100),
    ("gdp_real_index − 100", "index_growth", [("gdp_real_index", 0)], 1),
    ("（a / b）× 100", "share", [("a", 0), ("b", 0)], 100),
]


@pytest.mark.parametrize(("formula", "kind", "terms", "scale"), PARSED,
                         ids=[p[0] for p in PARSED])
def test_parse(formula, kind, terms, scale):
    rel = parse_formula(formula, "out")
    assert rel.kind == kind
    assert rel.terms == tuple(Term(c, o) for c, o in terms)
    assert rel.scale == scale
    assert rel.output == "out" and rel.formula == formula


# formula, values, value computed by hand
COMPUTED = [
    ("di_va + id_va", [1308.2, 9069.8], 10378.0),
    ("a + b + c", [1, 2, 3.5], 6.5),
    ("de_va / gdp × 100", [10378, 29619.7], 35.037491939486),   # 10378 / 29619.7 = 0.35037…
    ("di_va / de_va × 100", [1308.2, 10378], 12.605511659279),  # the paper's 12.6 %
    ("patents / pop × 10000", [25, 50000], 5.0),
    ("a / b", [300, 100], 3.0),
    ("a - b", [16.4, 8.8], 7.6),
    ("x[t] / x[t-1] × 100 − 100", [110, 100], 10.0),
    ("x[t] / x[t-1] × 100 − 100", [90, 100], -10.0),
    ("s[t] − s[t-1]", [35.0, 32.5], 2.5),
    ("(x[t] / x[t-2]) ^ (1/2) × 100 − 100", [121, 100], 10.0),   # sqrt(1.21) = 1.1
    ("(x[t] / x[t-5]) ^ (1/5) × 100 − 100", [200, 100], 14.869835499703),  # 2^(1/5) = 1.1487
    ("gdp_real_index − 100", [108.7], 8.7),
]


@pytest.mark.parametrize(("formula", "values", "value"), COMPUTED,
                         ids=[f"{c[0]}{c[1]}" for c in COMPUTED])
def test_compute(formula, values, value):
    assert parse_formula(formula, "out").compute(values) == pytest.approx(value, abs=1e-9)


# formula, lows, highs, (lo, hi) by hand
INTERVALS = [
    ("a + b", [1, 2], [1.5, 3], (3.0, 4.5)),
    ("a - b", [1, 0.5], [2, 1], (0.0, 1.5)),
    ("a / b × 100", [1, 4], [2, 5], (20.0, 50.0)),              # 1/5 and 2/4
    ("a / b", [-1, 2], [1, 4], (-0.5, 0.5)),                     # a may be negative
    ("x[t] / x[t-1] × 100 − 100", [110, 100], [120, 110], (0.0, 20.0)),
    ("(x[t] / x[t-2]) ^ (1/2) × 100 − 100", [121, 100], [144, 100], (10.0, 20.0)),
    ("s[t] − s[t-1]", [34.95, 32.45], [35.05, 32.55], (2.4, 2.6)),
    ("g − 100", [108.65], [108.75], (8.65, 8.75)),
    ("a / b × 100", [40, 100], [float("inf"), 100], (40.0, float("inf"))),  # 超40
]


@pytest.mark.parametrize(("formula", "lows", "highs", "expected"), INTERVALS,
                         ids=[i[0] for i in INTERVALS])
def test_compute_interval(formula, lows, highs, expected):
    lo, hi = parse_formula(formula, "out").compute_interval(lows, highs)
    assert (lo, hi) == pytest.approx(expected, abs=1e-9)


def test_interval_of_the_papers_share_at_one_decimal_excludes_12_3():
    """1308.2 and 10378 as stated (one decimal, integer) admit 12.60–12.61, never 12.3."""
    rel = parse_formula("di_va / de_va × 100", "di_share_de")
    lo, hi = rel.compute_interval([1308.15, 10377.5], [1308.25, 10378.5])
    assert lo == pytest.approx(1308.15 / 10378.5 * 100) and 12.60 < lo < 12.61
    assert hi == pytest.approx(1308.25 / 10377.5 * 100) and 12.60 < hi < 12.61


@pytest.mark.parametrize(("formula", "values", "message"), [
    ("a / b × 100", [1, 0], "b = 0，为零（不能作除数）"),
    ("x[t] / x[t-1] × 100 − 100", [5, 0], "x[t-1] = 0，为零"),
    ("(x[t] / x[t-5]) ^ (1/5) × 100 − 100", [-10, 20], "x[t] / x[t-5] = -0.5，不大于零"),
    ("a + b", [1], "应有 2 个数"),
    ("a + b", [1, float("nan")], "b 应为有限数"),
    ("a + b", [1, "x"], "b 应为数值"),
])
def test_compute_refuses_undefined(formula, values, message):
    with pytest.raises(RelationError) as exc:
        parse_formula(formula, "out").compute(values)
    assert message in str(exc.value)


def test_interval_refuses_a_divisor_that_can_be_zero():
    rel = parse_formula("a / b × 100", "out")
    with pytest.raises(RelationError, match=r"b 的区间 \[-1, 1\] 含零"):
        rel.compute_interval([1, -1], [2, 1])
    with pytest.raises(RelationError, match="下限 3 大于上限 2"):
        rel.compute_interval([3, 1], [2, 2])


def test_describe_zh():
    cat = Catalog()
    share = parse_formula("de_va / gdp × 100", "de_share_gdp")
    assert share.describe_zh([10378, 29619.7], cat) == (
        "数字经济增加值 / 地区生产总值 × 100 = 10378 / 29619.7 × 100 = 35.04")
    growth = parse_formula("de_va[t] / de_va[t-1] × 100 − 100", "de_growth")
    # (10378 / 8800 − 1) × 100 = 17.93181… -> 17.9 at one decimal
    assert growth.describe_zh([10378, 8800], cat, decimals=1, period="2021") == (
        "(2021年数字经济增加值 / 2020年数字经济增加值 − 1) × 100 = (10378 / 8800 − 1) × 100 = 17.9")
    assert growth.describe_zh([10378, 8800], {"de_va": "DE"}, decimals=0) == (
        "(本期DE / 上年DE − 1) × 100 = (10378 / 8800 − 1) × 100 = 18")
    cagr = parse_formula("(x[t] / x[t-5]) ^ (1/5) × 100 − 100", "x_cagr")
    assert cagr.describe_zh([200, 100], period="2021") == (
        "((2021年x / 2016年x)^(1/5) − 1) × 100 = ((200 / 100)^(1/5) − 1) × 100 = 14.87")
    # half-up: 0.125 is exactly representable and rounds to 0.13
    assert parse_formula("a - b", "d").describe_zh([1.125, 1], decimals=2).endswith("= 0.13")


@pytest.mark.parametrize(("formula", "found"), [
    ("de_va /", "公式在运算符之后结束"),
    ("de_va + 2", "不是若干指标之和"),
    ("a ? b", "第 3 个字符处的「?」"),
    ("(a + b", "「(」没有对应的「)」"),
    ("a[t+1] - a", "以后的时期"),
    ("x[t] / y[t-1] × 100 − 100", "同一指标在两个时期之比或之差，发现 x 与 y"),
    ("x[t-1] / x[t] × 100 − 100", "本期在前"),
    ("(x[t] / x[t-5]) ^ (1/4) × 100 − 100", "指数 0.25 与跨度 5 年不一致，应为 (1/5)"),
    ("a * b", "不是可识别的关系"),
    ("a b", "多出「b」"),
])
def test_bad_formula_names_file_line_column_found_expected(formula, found):
    with pytest.raises(FormulaError) as exc:
        check_formula("cat/indicators.csv", 7, "out", formula)
    msg = str(exc.value)
    assert msg.startswith(f"cat/indicators.csv:7:formula: 发现「{formula}」")
    assert found in msg and "应为可识别的关系公式" in msg
    assert isinstance(exc.value, CatalogError)


def test_check_formula_of_an_empty_cell_is_none():
    assert check_formula("f.csv", 2, "gdp", "  ") is None
    with pytest.raises(FormulaError, match="指标 gdp 的 formula: 发现「」（空公式）"):
        parse_formula(" ", "gdp")


def _ind(code: str, formula: str = "", unit: str = "亿元") -> Indicator:
    return Indicator(code=code, name_zh=code, name_en="", unit=unit, kind="level",
                     decimals=1, definition="", formula=formula)


def test_relations_of_the_packaged_catalog_puts_producers_first():
    rels = relations_of(Catalog())
    order = [r.output for r in rels]
    assert {"de_va", "de_share_gdp", "di_share_de", "id_share_de", "di_share_gdp",
            "id_share_gdp", "de_growth", "di_growth", "id_growth", "gdp_growth",
            "gdp_growth_real", "online_retail_growth"} <= set(order)
    for consumer in ("de_share_gdp", "di_share_de", "id_share_de", "de_growth"):
        assert order.index("de_va") < order.index(consumer)


def test_relations_of_orders_a_chain_listed_backwards():
    cat = Catalog(indicators=[_ind("c", "b / a × 100", "%"), _ind("b", "a + x"), _ind("a"),
                              _ind("x")])
    assert [r.output for r in relations_of(cat)] == ["b", "c"]


def test_relations_of_names_a_cycle():
    cat = Catalog(indicators=[_ind("a", "b + x"), _ind("b", "a / x"), _ind("x")])
    with pytest.raises(CatalogError, match="循环）：发现 a → b → a"):
        relations_of(cat)


def test_relations_of_names_an_unknown_input():
    cat = Catalog(indicators=[_ind("a", "b + gdpp"), _ind("b"), _ind("gdp")])
    with pytest.raises(FormulaError, match="未知指标代码「gdpp」，应为目录中已有的指标代码"):
        relations_of(cat)


def test_importing_the_catalog_loads_no_dataframe_or_database_library():
    code = ("import sys, digecon.catalog, digecon.catalog.relations; "
            "print(sorted(m for m in ('duckdb', 'pandas', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_relations_of_refuses_a_sum_of_different_units():
    cat = Catalog(indicators=[_ind("a", "b + c"), _ind("b"), _ind("c", unit="万元")])
    with pytest.raises(FormulaError, match=r"单位不一致（b 亿元、c 万元、a 亿元）"):
        relations_of(cat)
    ratio = Catalog(indicators=[_ind("a", "b / c × 10000", "件"), _ind("b", unit="件"),
                                _ind("c", unit="万人")])
    assert [r.kind for r in relations_of(ratio)] == ["ratio"]
