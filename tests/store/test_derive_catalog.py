"""A dataset adds derived indicators in its catalog CSV only: no code, the store derives them.

The codes (tcore_…) are the test's own, so they meet no dataset's catalog."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli

from digecon.catalog import get_catalog
from digecon.ingest import write_frame
from digecon.store import Store

HEADER = "code,name_zh,name_en,unit,kind,decimals,definition,formula,aliases\n"
CORE = ("tcore_va,试算核心产业增加值,Digital economy core industries value added,亿元,level,1,"
        "数字经济核心产业（01–04大类）的增加值,,试算核心\n"
        "tcore_share_gdp,试算核心产业增加值占GDP比重,,%,share,1,,tcore_va / gdp × 100,\n")
MORE = ("tcore_cagr5,试算核心产业增加值五年年均增速,,%,growth,1,,"
        "(tcore_va[t] / tcore_va[t-5]) ^ (1/5) × 100 − 100,\n"
        "tcore_share_gdp_pp,核心产业占比变化,,个百分点,pp_change,2,,"
        "tcore_share_gdp[t] − tcore_share_gdp[t-1],\n"
        "tcore_vs_di,核心产业增加值相当于数字产业化的倍数,,倍,multiple,2,,tcore_va / di_va,\n")


def rows(*items) -> pd.DataFrame:
    return pd.DataFrame(items, columns=["region", "indicator", "period", "value"])


@pytest.fixture
def dataset_catalog(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "my-dataset" / "catalog"
    folder.mkdir(parents=True)
    (folder / "indicators.csv").write_text(HEADER + CORE, encoding="utf-8")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(folder))
    return folder


def test_share_from_the_dataset_catalog_is_derived_with_formula_and_inputs(
        dataset_catalog, tmp_path):
    store = Store(tmp_path / "s.duckdb")
    write_frame(store, rows(("江西省", "tcore_va", "2021", 1234.5), ("江西省", "gdp", "2021", 29619.7)),
                vintage="2022-07-01", source="省统计局")
    row = store.value("tcore_share_gdp", "江西省", "2021")
    # 1234.5 / 29619.7 = 0.041678… (by hand: 29619.7 × 0.0416783 = 1234.4998)
    assert row["value"] == pytest.approx(4.16783, abs=1e-5)
    assert (row["status"], row["unit"]) == ("derived", "%")
    assert row["formula"] == "tcore_va / gdp × 100 = 1234.5 / 29619.7 × 100 = 4.16783"
    inputs = json.loads(row["inputs"])
    assert [(i["indicator"], i["value"], i["vintage"], i["source"]) for i in inputs] == [
        ("tcore_va", 1234.5, "2022-07-01", "省统计局"), ("gdp", 29619.7, "2022-07-01", "省统计局")]

    out = run_cli("query", "--indicator", "试算核心产业增加值占GDP比重", "--region", "江西",
                  "--period", "2021", "--format", "json", db=store.path)
    assert out.returncode == 0, out.stderr
    [shown] = json.loads(out.stdout)
    assert shown["formula"] == row["formula"] and shown["status"] == "derived"


def test_edited_catalog_is_read_again_and_its_new_relations_derived(dataset_catalog, tmp_path):
    store = Store(tmp_path / "s.duckdb")
    write_frame(store, rows(("江西省", "tcore_va", "2021", 1234.5), ("江西省", "gdp", "2021", 29619.7)),
                vintage="2022-07-01", source="t")
    assert not get_catalog().has_indicator("tcore_cagr5")
    (dataset_catalog / "indicators.csv").write_text(HEADER + CORE + MORE, encoding="utf-8")
    assert get_catalog().indicator("tcore_cagr5").unit == "%"  # the cache follows the file

    store = Store(store.path)
    write_frame(store, rows(("江西省", "tcore_va", "2016", 600.0), ("江西省", "tcore_va", "2020", 1000.0),
                     ("江西省", "gdp", "2020", 25691.5), ("江西省", "di_va", "2021", 1308.2)),
                vintage="2022-08-01", source="t")
    # (1234.5 / 600)^(1/5) = 2.0575^0.2 = 1.155229 (1.155229^5 = 2.0575) -> 15.5229 %
    cagr = store.value("tcore_cagr5", "江西省", "2021")
    assert cagr["value"] == pytest.approx(15.5229, abs=1e-4)
    assert (cagr["unit"], str(cagr["vintage"])) == ("%", "2022-08-01")
    # a relation over a derived indicator: 4.16783 − 1000 / 25691.5 × 100 (3.89234) = 0.27549
    pp = store.value("tcore_share_gdp_pp", "江西省", "2021")
    assert pp["value"] == pytest.approx(0.27549, abs=1e-5) and pp["unit"] == "个百分点"
    assert [i["indicator"] for i in json.loads(pp["inputs"])] == ["tcore_share_gdp"] * 2
    # 1234.5 / 1308.2 = 0.94366
    multiple = store.value("tcore_vs_di", "江西省", "2021")
    assert multiple["value"] == pytest.approx(0.94366, abs=1e-5) and multiple["unit"] == "倍"
    # what could be computed on 2022-07-31: the share, not the CAGR
    assert store.value("tcore_cagr5", "江西省", "2021", as_of="2022-07-31") is None
    assert store.value("tcore_share_gdp", "江西省", "2021", as_of="2022-07-31") is not None


def test_a_bad_formula_in_the_dataset_catalog_writes_nothing(dataset_catalog, tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.init()
    before = store.checksum()
    bad = dataset_catalog / "indicators.csv"
    bad.write_text(HEADER + CORE.replace("tcore_va / gdp × 100", "tcore_va / / gdp"),
                   encoding="utf-8")
    out = run_cli("ingest", str(_csv(tmp_path)), "--vintage", "2022-07-01", "--source", "t",
                  db=store.path)
    assert out.returncode == 2
    # refused when the catalog is merged, naming the file, its line and the column
    assert f"{bad}:3:formula" in out.stderr
    assert "发现「tcore_va / / gdp」" in out.stderr
    assert store.checksum() == before


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("region,indicator,period,value\n江西省,gdp,2021,29619.7\n", encoding="utf-8")
    return path
