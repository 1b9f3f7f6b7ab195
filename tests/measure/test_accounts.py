"""数字产业化 from enterprise records: worked examples, bad records, modes and engines."""
from __future__ import annotations

import pandas as pd
import pytest

from digecon.measure.classify import caict_scope, load_nbs_annex
from digecon.measure.engines import RecordsError, measure_enterprises


def _cells(res) -> dict[tuple[str, str, int], tuple[float, int]]:
    return {(r.region_code, r.de_code, r.year): (r.value_added, r.enterprises)
            for r in res.accounts.itertuples(index=False)}


def test_two_industry_example_caict(fixtures):
    res = measure_enterprises(fixtures / "two_industries.csv", caict_scope())
    got = _cells(res)
    # VA = labour + taxes + depreciation + surplus, in 万元, / 10000 -> 亿元:
    # 南昌 3911 (E001): 5000 + 1000 + 2000 + 4000 = 12000 -> 1.2 (01)
    # 南昌 6511 (E002): 3000 + 500 + 500 − 1000 = 3000 -> 0.3 (03)
    # 南昌 1311 (E003): 2000 + 300 + 700 + 1000 = 4000 -> outside the scope
    # 赣州 3911 (E004): 1200 + 100 + 300 + 400 = 2000 -> 0.2 (01)
    # 赣州 6511 (E005): 800 + 50 + 50 + 100 = 1000 -> 0.1 (03)
    expected = {
        ("360100", "01", 2021): (1.2, 1), ("360100", "03", 2021): (0.3, 1),
        ("360100", "core", 2021): (1.5, 2), ("360100", "total", 2021): (1.5, 2),
        ("360700", "01", 2021): (0.2, 1), ("360700", "03", 2021): (0.1, 1),
        ("360700", "core", 2021): (0.3, 2), ("360700", "total", 2021): (0.3, 2),
        ("360000", "01", 2021): (1.4, 2), ("360000", "03", 2021): (0.4, 2),
        ("360000", "core", 2021): (1.8, 4), ("360000", "total", 2021): (1.8, 4),
    }
    assert got.keys() == expected.keys()
    for k, (va, n) in expected.items():
        assert got[k][0] == pytest.approx(va, rel=1e-9, abs=1e-12)
        assert got[k][1] == n
    r = res.reconciliation
    # input 12000 + 3000 + 4000 + 2000 + 1000 = 22000 = in scope 18000 + outside 4000
    assert (r["input_va"], r["in_scope_va"], r["outside_va"], r["bad_va"]) == (22000, 18000, 4000, 0)
    assert res.reconciles and res.bad.empty
    assert res.outside.to_dict("records") == [{"industry_code": "1311", "records": 1, "va_wan": 4000.0}]


def test_partial_codes_with_nbs_annex(fixtures):
    conc = load_nbs_annex(fixtures / "nbs_annex.csv")  # '*' share 0.5, split over 2 categories
    res = measure_enterprises(fixtures / "partial_codes.csv", conc)
    got = _cells(res)
    # E101 6513: VA 400 + 100 + 100 + 400 = 1000 万元; *6513 in 03 and 05 -> 0.25 each
    #   03: 1000 × 0.25 / 10000 = 0.025; 05: 0.025; core: 0.025; total: 1000 × 0.5 / 1e4 = 0.05
    # E102 *0111 in 05 only -> 0.5: VA 200 + 0 + 50 − 50 = 200; 05: 200 × 0.5 / 1e4 = 0.01
    assert got[("360100", "03", 2021)] == pytest.approx((0.025, 1), rel=1e-9)
    assert got[("360100", "05", 2021)] == pytest.approx((0.035, 2), rel=1e-9)
    assert got[("360100", "core", 2021)] == pytest.approx((0.025, 1), rel=1e-9)
    assert got[("360100", "total", 2021)] == pytest.approx((0.06, 2), rel=1e-9)
    r = res.reconciliation
    # outside: 1000 × 0.5 + 200 × 0.5 = 600; in scope 500 + 100 = 600; input 1200
    assert r["in_scope_va"] == pytest.approx(600) and r["outside_va"] == pytest.approx(600)
    assert r["input_va"] == pytest.approx(1200) and res.reconciles


def test_bad_records_are_reported_and_totals_reconcile(fixtures):
    res = measure_enterprises(fixtures / "bad_records.csv", caict_scope())
    bad = res.bad
    assert bad[["row", "enterprise_id", "column", "found", "reason"]].values.tolist() == [
        [3, "E002", "industry_code", "9999", "行业代码不在GB/T 4754-2017中"],
        [4, "E003", "labour_compensation", "abc", "金额不是数字"],
        [5, "E004", "year", "", "缺少年份"],
        [6, "E001", "enterprise_id,year", "E001,2021", "同一企业同一年份重复"],
    ]
    r = res.reconciliation
    # good: E001 12000 (3911), E005 1300 (1311, outside), E006 2000 (6410, in scope)
    # bad with a VA: E002 130, E004 130, duplicate E001 4; E003 has no VA (text)
    assert r == {"records": 7, "bad_records": 4, "records_without_va": 1, "input_va": 15564.0,
                 "bad_va": 264.0, "in_scope_va": 14000.0, "outside_va": 1300.0}
    assert res.reconciles
    got = _cells(res)
    assert got[("360000", "total", 2021)] == pytest.approx((1.4, 2), rel=1e-9)
    assert got[("360100", "01", 2021)] == pytest.approx((1.2, 1), rel=1e-9)


def test_aggregate_first_equals_per_record(tmp_path):
    from digecon.measure import synthetic

    path = synthetic.write(tmp_path / "s.parquet", 20_000, seed=5)
    a = measure_enterprises(path, caict_scope()).accounts
    b = measure_enterprises(path, caict_scope(), aggregate_first=True).accounts
    pd.testing.assert_frame_equal(a[["region_code", "de_code", "year", "enterprises"]],
                                  b[["region_code", "de_code", "year", "enterprises"]])
    assert ((a.value_added - b.value_added).abs() / a.value_added).max() <= 1e-12
    # 11 cities + province, 2 years, 01/03/core/total
    assert len(a) == 12 * 2 * 4


def test_missing_columns_named(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("enterprise_id,region_code,year\nE1,360100,2021\n", encoding="utf-8")
    with pytest.raises(RecordsError, match=r"r.csv:1: 缺少列 industry_code"):
        measure_enterprises(p, caict_scope())


def test_unsupported_file_type(tmp_path):
    p = tmp_path / "r.xlsx"
    p.write_bytes(b"x")
    with pytest.raises(RecordsError, match="文件类型为「.xlsx」，应为 .csv 或 .parquet"):
        measure_enterprises(p, caict_scope())


def test_duckdb_and_spark_agree(spark_con, tmp_path, fixtures):
    from digecon.measure import synthetic

    path = synthetic.write(tmp_path / "s.parquet", 2_000, seed=11)
    for src, agg in ((path, True), (fixtures / "bad_records.csv", False)):
        d = measure_enterprises(src, caict_scope(), aggregate_first=agg)
        s = measure_enterprises(src, caict_scope(), aggregate_first=agg, con=spark_con)
        assert s.engine == "spark"
        key = ["region_code", "de_code", "year"]
        m = d.accounts.merge(s.accounts, on=key, suffixes=("_d", "_s"), validate="1:1")
        assert len(m) == len(d.accounts) == len(s.accounts)
        assert (m.enterprises_d == m.enterprises_s).all()
        assert ((m.value_added_d - m.value_added_s).abs() / m.value_added_d.abs()).max() <= 1e-9
        assert d.bad.values.tolist() == s.bad.values.tolist()
        for k, v in d.reconciliation.items():
            assert s.reconciliation[k] == pytest.approx(v, rel=1e-9)


def test_hive_sql_runs_on_spark_and_matches(spark_con, fixtures):
    """The exported Hive text, run as-is by Spark SQL (Hive semantics: CAST of text gives NULL)."""
    from digecon.measure.sql import job_sql

    d = measure_enterprises(fixtures / "bad_records.csv", caict_scope())
    measure_enterprises(fixtures / "bad_records.csv", caict_scope(), con=spark_con)  # registers tables
    session = spark_con._session
    session.conf.set("spark.sql.ansi.enabled", "false")
    try:
        sql = job_sql("hive").rstrip().rstrip(";")
        got = session.sql(sql).toPandas()
    finally:
        session.conf.unset("spark.sql.ansi.enabled")
    m = d.accounts.merge(got, on=["region_code", "de_code", "year"], suffixes=("_d", "_h"))
    assert len(m) == len(d.accounts) == len(got) == 10
    assert ((m.value_added_d - m.value_added_h).abs()).max() <= 1e-12
    assert (m.enterprises_d == m.enterprises_h).all()


def test_missing_code_and_ids_are_not_lost(tmp_path):
    """A record without an industry code is bad (not silently dropped by the lookup join), and
    two records without an enterprise_id in one year are duplicates, the first kept."""
    p = tmp_path / "r.csv"
    p.write_text(
        "enterprise_id,region_code,industry_code,year,labour_compensation,net_production_taxes,"
        "depreciation,operating_surplus,revenue\n"
        "E1,360100,,2021,100,10,10,10,500\n"          # row 2: no code -> bad, VA 130
        ",360100,6511,2021,1000,100,100,100,5000\n"   # row 3: no id, kept, VA 1300
        ",360100,6511,2021,1,1,1,1,10\n"              # row 4: no id again, same year -> duplicate
        ",360100,6511,2020,2,2,2,2,10\n"              # row 5: no id, other year -> kept, VA 8
        "E2,360100,6511,2021,3,3,3,3,10\n",           # row 6: kept, VA 12
        encoding="utf-8")
    res = measure_enterprises(p, caict_scope())
    assert res.bad[["row", "column", "reason"]].values.tolist() == [
        [2, "industry_code", "行业代码不在GB/T 4754-2017中"],
        [4, "enterprise_id,year", "同一企业同一年份重复"],
    ]
    r = res.reconciliation
    assert (r["bad_records"], r["bad_va"], r["in_scope_va"], r["outside_va"]) == (2, 134.0, 1320.0, 0.0)
    assert res.reconciles
    got = _cells(res)
    assert got[("360100", "03", 2021)] == pytest.approx((0.1312, 2), rel=1e-9)
    assert got[("360100", "03", 2020)] == pytest.approx((0.0008, 1), rel=1e-9)


def test_hash_prefilter_finds_the_same_duplicates_as_the_full_check(tmp_path):
    """On DuckDB the exact duplicate check runs only on rows a hash prefilter leaves; it must
    find exactly the rows the check over all records finds, whitespace years and missing ids too."""
    import ibis

    from digecon.measure import accounts as acc
    from digecon.measure.engines import find_duplicates, load_lookup, load_records

    lines = [("enterprise_id,region_code,industry_code,year,labour_compensation,"
              "net_production_taxes,depreciation,operating_surplus,revenue")]
    lines += [f"E{i % 600},360100,6511,{2020 + i % 3},1,1,1,1,5" for i in range(2000)]
    lines += [",360100,6511, 2021 ,1,1,1,1,5", ",360100,6511,2021,1,1,1,1,5",  # no id, same year
              "E1,360100,6511,2021 ,1,1,1,1,5", "E5,360100,abc,2021,1,1,1,1,5"]  # bad rows skip
    p = tmp_path / "r.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    con = ibis.duckdb.connect()
    records, lookup = load_records(con, p), load_lookup(con, caict_scope())
    fast = sorted(con.to_pandas(find_duplicates(con, records, lookup))["_dup_row"])
    full = sorted(con.to_pandas(acc.duplicates(records, lookup))["_dup_row"])
    assert fast == full
    # i and i + 600 share id and year (600 is a multiple of 3): 600 keys, 1400 repeats; plus the
    # second record without an id in 2021 and E1's "2021 " (E1 has 2021 already).
    assert len(full) == 1400 + 2
