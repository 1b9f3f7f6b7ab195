"""Derivation in SQL from the catalog's relations: the SQL computes what Relation.compute
computes, one pass gives the rows the loads gave, and the edge cases (zero divisors, monthly
periods, revisions, synthetic inputs, a hand-made row claiming to be a result) hold."""
from __future__ import annotations

import json
import shutil

import duckdb
import pandas as pd
import pytest

from digecon.catalog import get_catalog
from digecon.catalog.relations import parse_formula, relations_of
from digecon.ingest import write_frame
from digecon.store import Store
from digecon.store.derive import DERIVE_SOURCE, derive_for_regions, sql_expression

COLUMNS = ["region_code", "indicator", "period", "value", "unit", "status", "vintage", "source",
           "ref", "formula", "inputs"]

# formula, input values, expected (hand-computed), every kind once
KINDS = [
    ("a + b + c", [1308.2, 9069.8, 1.0], 10379.0),
    ("a / b × 100", [1308.2, 10378.0], 12.605511659279),
    ("a / b × 10000", [25.0, 50000.0], 5.0),
    ("a / b", [300.0, 100.0], 3.0),
    ("a - b", [16.4, 8.8], 7.6),
    ("x[t] / x[t-1] × 100 − 100", [110.0, 100.0], 10.0),
    ("s[t] − s[t-1]", [35.0, 32.5], 2.5),
    ("(x[t] / x[t-5]) ^ (1/5) × 100 − 100", [200.0, 100.0], 14.869835499703),
    ("g − 100", [108.7], 8.7),
]


@pytest.mark.parametrize(("formula", "values", "expected"), KINDS, ids=[k[0] for k in KINDS])
def test_sql_rendering_computes_what_the_relation_computes(formula, values, expected):
    rel = parse_formula(formula, "out")
    operands = [f"{v!r}::DOUBLE" for v in values]
    with duckdb.connect() as con:
        got = con.execute(f"SELECT {sql_expression(rel.expression, operands)}").fetchall()[0][0]
    assert got == rel.compute(values)  # the same tree, the same IEEE operations
    assert got == pytest.approx(expected, abs=1e-9)


def _rederive(path) -> pd.DataFrame:
    """Drop every derived row, derive them again in one pass, and return them."""
    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM observations WHERE source = ? AND ref = indicator",
                    [DERIVE_SOURCE])
        regions = [r[0] for r in con.execute(
            "SELECT DISTINCT region_code FROM observations ORDER BY 1").fetchall()]
        n = derive_for_regions(con, regions, 999)
        got = _derived(con)
    assert len(got) == n
    return got


def _derived(con) -> pd.DataFrame:
    got = con.execute(f"SELECT {', '.join(COLUMNS)} FROM observations "
                      f"WHERE source = ? AND ref = indicator", [DERIVE_SOURCE]).df()
    return got.sort_values(COLUMNS[:3] + ["vintage", "status"]).reset_index(drop=True)


def _check_against_relations(rows: pd.DataFrame) -> None:
    """Every derived row: the value is its relation's compute() over the inputs it lists, the
    unit is the catalog's, the formula text starts with the catalog's formula."""
    cat = get_catalog()
    relations = {r.output: r for r in relations_of(cat)}
    for row in rows.itertuples():
        rel = relations[row.indicator]
        inputs = json.loads(row.inputs)
        assert [i["indicator"] for i in inputs] == [t.indicator for t in rel.terms]
        assert row.value == rel.compute([i["value"] for i in inputs])
        assert row.unit == cat.indicator(row.indicator).unit
        assert row.formula.startswith(rel.formula + " = ")
        assert str(row.vintage)[:10] == max(i["vintage"] for i in inputs)


def test_one_pass_gives_the_rows_the_loads_gave_on_the_demo(demo_db, tmp_path):
    """The demo is loaded file by file (GDP revised in two vintages; published, estimated,
    illustrative and synthetic inputs): deriving it all again at once changes nothing."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:
        loaded = _derived(con)
    again = _rederive(path)
    pd.testing.assert_frame_equal(loaded, again, check_exact=True)
    assert {"derived", "illustrative", "synthetic"} <= set(again.status)
    assert len(again) > 100
    _check_against_relations(again)


@pytest.fixture
def edge_store(tmp_path):
    """Zero denominators, monthly periods, a revision, mixed statuses, a synthetic input and
    a hand-made row that claims to be a derived result."""
    frame = pd.DataFrame([
        # region, indicator, period, value, status, vintage
        ("100000", "di_va", "2021", 0.0, "published", "2022-01-01"),
        ("100000", "id_va", "2021", 0.0, "published", "2022-01-01"),      # de_va 0: no shares
        ("100000", "gdp", "2021", 1_143_670.0, "published", "2022-01-01"),
        ("100000", "gdp", "2020", 0.0, "published", "2022-01-01"),        # growth undefined
        ("360000", "gdp", "2021-03", 6000.0, "published", "2022-01-01"),  # monthly: no growth
        ("360000", "gdp", "2021-02", 5000.0, "published", "2022-01-01"),
        ("360000", "di_va", "2021", 1308.2, "published", "2022-01-01"),
        ("360000", "id_va", "2021", 9069.8, "illustrative", "2022-01-01"),
        ("360000", "gdp", "2021", 29619.7, "published", "2022-01-01"),
        ("360000", "gdp", "2021", 29827.8, "published", "2023-01-01"),    # revision
        ("360000", "gdp", "2020", 25691.5, "estimated", "2022-01-01"),
        ("360100", "di_va", "2021", 100.0, "synthetic", "2022-01-01"),    # never mixed
        ("360100", "id_va", "2021", 300.0, "published", "2022-01-01"),
        ("360100", "gdp_real_index", "2021", 108.7, "published", "2022-01-01"),
        ("360200", "id_va", "2021", 50.0, "published", "2022-01-01"),
    ], columns=["region", "indicator", "period", "value", "status", "vintage"])
    frame["source"], frame["ref"] = "test", ""
    # A hand-made row claiming to be the de_va relation's own result: never an input of de_va.
    frame.loc[len(frame)] = ("360200", "di_va", "2021", 5.0, "published", "2022-01-01",
                             DERIVE_SOURCE, "de_va")
    path = tmp_path / "edge.duckdb"
    store = Store(path)
    store.init()
    for vintage, part in frame.groupby("vintage"):
        write_frame(store, part.drop(columns="vintage"), vintage=vintage)
    return path


def test_edge_cases(edge_store):
    with duckdb.connect(str(edge_store)) as con:
        loaded = _derived(con)
    rows = _rederive(edge_store)
    pd.testing.assert_frame_equal(loaded, rows, check_exact=True)
    _check_against_relations(rows)
    got = {(r.region_code, r.indicator, r.period, str(r.vintage)[:10]): r
           for r in rows.itertuples()}
    assert got[("100000", "de_va", "2021", "2022-01-01")].value == 0.0
    assert ("100000", "di_share_de", "2021", "2022-01-01") not in got      # 0 / 0
    assert ("100000", "gdp_growth", "2021", "2022-01-01") not in got       # x / 0
    assert not any(k[0] == "360000" and k[1] == "gdp_growth" and "-" in k[2] for k in got)
    # the share follows the revision: one value per vintage of GDP
    shares = {k[3]: r.value for k, r in got.items() if k[:3] == ("360000", "de_share_gdp", "2021")}
    assert shares == {"2022-01-01": pytest.approx(10378 / 29619.7 * 100),
                      "2023-01-01": pytest.approx(10378 / 29827.8 * 100)}
    assert got[("360000", "de_share_gdp", "2021", "2022-01-01")].status == "illustrative"
    growth = got[("360000", "gdp_growth", "2021", "2022-01-01")]
    assert growth.formula == ("gdp[t] / gdp[t-1] × 100 − 100 = (29619.7 / 25691.5 − 1) × 100"
                              " = 15.2899")
    assert growth.status == "derived" and growth.unit == "%"
    assert got[("360000", "de_va", "2021", "2022-01-01")].formula == (
        "di_va + id_va = 1308.2 + 9069.8 = 10378")
    assert ("360100", "de_va", "2021", "2022-01-01") not in got   # synthetic + published
    assert ("360200", "de_va", "2021", "2022-01-01") not in got   # the claimed row is no input
    assert ("360200", "di_share_gdp", "2021", "2022-01-01") not in got  # no gdp there
    assert got[("360100", "gdp_growth_real", "2021", "2022-01-01")].value == pytest.approx(8.7)


def test_a_later_write_of_the_same_regions_adds_nothing(edge_store):
    store = Store(edge_store)
    before = store.row_count()
    assert write_frame(store, pd.DataFrame({"region": ["360000"], "indicator": ["online_retail"],
                                     "period": ["2021"], "value": [1.0]}),
                       vintage="2023-06-01", source="t") == 1
    assert store.row_count() == before + 1
