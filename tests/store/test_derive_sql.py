"""Derivation in SQL (targets with one value per input) gives the rows the Python path gives."""
from __future__ import annotations

import shutil

import duckdb
import pandas as pd

from digecon.store import Store
from digecon.store.derive import DERIVE_SOURCE, derive_for_regions

COLUMNS = ["region_code", "indicator", "period", "value", "unit", "status", "vintage", "source",
           "ref", "formula", "inputs"]


def _rederive(path, in_sql: bool) -> pd.DataFrame:
    """Drop every derived row, derive them again in one pass, and return them."""
    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM observations WHERE source = ? AND ref = indicator",
                    [DERIVE_SOURCE])
        regions = [r[0] for r in con.execute(
            "SELECT DISTINCT region_code FROM observations ORDER BY 1").fetchall()]
        n = derive_for_regions(con, regions, 999, in_sql=in_sql)
        got = con.execute(f"SELECT {', '.join(COLUMNS)} FROM observations "
                          f"WHERE source = ? AND ref = indicator", [DERIVE_SOURCE]).df()
    assert len(got) == n
    return got.sort_values(COLUMNS[:3] + ["vintage", "status"]).reset_index(drop=True)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert len(a) == len(b)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_sql_and_python_derive_the_same_rows_on_the_demo(demo_db, tmp_path):
    """The demo has revised GDP (two vintages), published/estimated/illustrative/synthetic
    inputs and zero-free denominators: every path of the rules is exercised."""
    one, two = tmp_path / "sql.duckdb", tmp_path / "py.duckdb"
    shutil.copy(demo_db, one)
    shutil.copy(demo_db, two)
    sql, py = _rederive(one, True), _rederive(two, False)
    _same(sql, py)
    assert {"derived", "illustrative"} <= set(sql.status)
    assert len(sql) > 100


def test_sql_and_python_agree_on_edge_cases(tmp_path):
    """Zero denominators, monthly periods, a revision, mixed statuses, a synthetic input and a
    hand-made row that claims to be a derived result."""
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
    # A hand-made row claiming to be the de_va rule's own result: never an input of de_va.
    frame.loc[len(frame)] = ("360200", "di_va", "2021", 5.0, "published", "2022-01-01",
                             DERIVE_SOURCE, "de_va")
    path = tmp_path / "edge.duckdb"
    store = Store(path)
    store.init()
    for vintage, part in frame.groupby("vintage"):
        store.write(part.drop(columns="vintage"), vintage=vintage)
    copy = tmp_path / "edge_py.duckdb"
    shutil.copy(path, copy)
    sql, py = _rederive(path, True), _rederive(copy, False)
    _same(sql, py)
    got = {(r.region_code, r.indicator, r.period, str(r.vintage)[:10]): r.value
           for r in sql.itertuples()}
    assert got[("100000", "de_va", "2021", "2022-01-01")] == 0.0
    assert ("100000", "di_share_de", "2021", "2022-01-01") not in got
    assert ("100000", "gdp_growth", "2021", "2022-01-01") not in got
    assert not any(k[0] == "360000" and k[1] == "gdp_growth" and "-" in k[2] for k in got)
    # the share follows the revision: one value per vintage of GDP
    assert {k[3] for k in got if k[:3] == ("360000", "de_share_gdp", "2021")} == {
        "2022-01-01", "2023-01-01"}
    assert ("360100", "de_va", "2021", "2022-01-01") not in got
    assert ("360200", "de_va", "2021", "2022-01-01") not in got
    assert ("360200", "di_share_gdp", "2021", "2022-01-01") not in got  # no gdp there
    assert abs(got[("360100", "gdp_growth_real", "2021", "2022-01-01")] - 8.7) < 1e-9
