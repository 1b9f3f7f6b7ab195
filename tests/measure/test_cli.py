"""`digecon measure` commands end to end: outputs, exit codes and messages for bad input."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from digecon.measure.cli import EXIT_BAD_RECORDS, EXIT_REJECTED, measure


def run(*args):
    return CliRunner().invoke(measure, [str(a) for a in args])


def test_help_has_examples():
    for cmd in ([], ["enterprises"], ["growth-accounting"], ["synthetic"]):
        r = run(*cmd, "--help")
        assert r.exit_code == 0 and "Example:" in r.output


def test_enterprises_clean_file(fixtures, tmp_path):
    out = tmp_path / "di.csv"
    r = run("enterprises", fixtures / "two_industries.csv", "--out", out)
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out, dtype={"region_code": str, "de_code": str})
    prov = df[(df.region_code == "360000") & (df.de_code == "total")]
    assert prov.value_added.iloc[0] == pytest.approx(1.8, rel=1e-9)
    rec = json.loads((tmp_path / "di.reconciliation.json").read_text(encoding="utf-8"))
    assert rec["reconciles"] and rec["reconciliation_wan_yuan"]["input_va"] == 22000


def test_enterprises_bad_records_exit_code_and_report(fixtures, tmp_path):
    out = tmp_path / "di.parquet"
    r = run("enterprises", fixtures / "bad_records.csv", "--aggregate-first", "--out", out)
    assert r.exit_code == EXIT_BAD_RECORDS
    assert "bad_records.csv:4:labour_compensation: 金额不是数字（取值 'abc'）" in r.output
    bad = pd.read_csv(tmp_path / "di.bad.csv")
    assert bad.row.tolist() == [3, 4, 5, 6]
    df = pd.read_parquet(out)
    assert df[(df.region_code == "360000") & (df.de_code == "total")].value_added.iloc[0] == \
        pytest.approx(1.4, rel=1e-9)


def test_enterprises_rejects_missing_columns_and_writes_nothing(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("enterprise_id,region_code,year\nE1,360100,2021\n", encoding="utf-8")
    out = tmp_path / "di.csv"
    r = run("enterprises", p, "--out", out)
    assert r.exit_code == EXIT_REJECTED
    assert "r.csv:1: 缺少列 industry_code" in r.output
    assert list(tmp_path.iterdir()) == [p]


def test_enterprises_bad_concordance(fixtures, tmp_path):
    out = tmp_path / "di.csv"
    r = run("enterprises", fixtures / "two_industries.csv", "--concordance",
            fixtures / "nbs_annex_bad.csv", "--out", out)
    assert r.exit_code == EXIT_REJECTED
    assert "代码 '3999' 不在 GB/T 4754-2017 中" in r.output
    assert not out.exists()


def test_enterprises_sql_export(tmp_path):
    out = tmp_path / "job.sql"
    r = run("enterprises", "unused.csv", "--sql", "starrocks", "--out", out)
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").startswith("-- digecon measure enterprises")
    lookup = pd.read_csv(tmp_path / "job.lookup.csv", dtype=str)
    assert set(lookup[lookup.de_code == "01"].industry_code.str[:2]) == {"39"}


def test_growth_accounting_cli(fixtures, tmp_path):
    out = tmp_path / "id.csv"
    r = run("growth-accounting", fixtures / "growth_example.csv", "--delta-ict", "0.2",
            "--delta-nonict", "0.1", "--rho", "0.05", "--init-years", "1", "--out", out)
    assert r.exit_code == 0, r.output
    tot = pd.read_csv(tmp_path / "id.id_totals.csv").set_index("year")
    k21 = 0.8 * (0.8 * (10 / 0.3) + 11) + 11
    v21 = (1 - 70 / 120) * (0.275 * k21) / (0.275 * k21 + 0.15 * 1.05 * 200)
    assert tot.id_va[2021] == pytest.approx(120 * v21, rel=1e-9)
    sens = pd.read_csv(tmp_path / "id.sensitivity.csv")
    assert len(sens) == 4 * 3 * 2 * 3  # δ_ICT × ρ × rule × years


def test_growth_accounting_bad_input(fixtures, tmp_path):
    out = tmp_path / "id.csv"
    r = run("growth-accounting", fixtures / "growth_bad.csv", "--out", out)
    assert r.exit_code == EXIT_REJECTED
    assert "growth_bad.csv:3:labour_compensation: 取值 'sixty'" in r.output
    assert not out.exists()


def test_synthetic_is_deterministic_and_labelled(tmp_path):
    import pyarrow.parquet as pq

    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    assert run("synthetic", "--records", 3000, "--seed", 9, "--out", a).exit_code == 0
    assert run("synthetic", "--records", 3000, "--seed", 9, "--out", b).exit_code == 0
    ta, tb = pq.read_table(a), pq.read_table(b)
    assert ta.equals(tb) and ta.num_rows == 3000
    assert set(ta.column("data_status").to_pylist()) == {"synthetic"}
    assert ta.schema.metadata[b"digecon.status"] == b"synthetic"
    df = ta.to_pandas()
    assert df.region_code.nunique() == 11
    assert not df.duplicated(["enterprise_id", "year"]).any()
    # heavy tail: the largest 1% of records hold far more than 1% of value added
    va = df[["labour_compensation", "net_production_taxes", "depreciation",
             "operating_surplus"]].sum(axis=1).sort_values(ascending=False)
    assert va.head(30).sum() / va.sum() > 0.08


def test_synthetic_bad_years(tmp_path):
    r = run("synthetic", "--years", "2020,abc", "--out", tmp_path / "s.csv")
    assert r.exit_code == EXIT_REJECTED and "--years: 取值 '2020,abc'" in r.output
