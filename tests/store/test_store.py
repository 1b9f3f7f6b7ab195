from __future__ import annotations

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from digecon.api import Settings, create_app
from digecon.ingest import write_frame
from digecon.ingest.validate import ValidationError
from digecon.store import Store


def frame(rows):
    return pd.DataFrame(rows, columns=["region", "indicator", "period", "value", "unit"])


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    s.init()
    return s


def test_national_inputs_make_derived_indicators(store):
    # CAICT 2021 (亿元): DI 8.35万亿, ID 37.18万亿; GDP 114.37万亿 — no code knows 全国 specially.
    write_frame(store, frame([("全国", "gdp", "2021", 1143670, "亿元"),
                       ("全国", "di_va", "2021", 8.35, "万亿元"),
                       ("全国", "id_va", "2021", 37.18, "万亿元")]),
                vintage="2022-07-08", source="中国信通院《中国数字经济发展报告（2022年）》")
    de = store.value("de_va", "全国", "2021")
    assert de["value"] == pytest.approx(455300.0)
    assert de["status"] == "derived" and de["formula"].startswith("di_va + id_va")
    assert store.value("de_share_gdp", "全国", "2021")["value"] == pytest.approx(39.8104, abs=1e-4)
    assert store.value("di_share_de", "全国", "2021")["value"] == pytest.approx(18.3396, abs=1e-4)
    assert store.value("id_share_gdp", "全国", "2021")["value"] == pytest.approx(32.5094, abs=1e-4)


def test_revision_keeps_both_vintages_and_as_of_returns_older(store):
    write_frame(store, frame([("江西", "gdp", "2021", 29619.7, "亿元")]), vintage="2022-03-01",
                source="江西省统计局")
    write_frame(store, frame([("江西", "gdp", "2021", 29827.8, "亿元")]), vintage="2024-01-01",
                source="江西省统计局")
    all_rows = store.query(indicator="gdp", region="江西", latest_only=False)
    assert sorted(all_rows["value"]) == [29619.7, 29827.8]
    assert store.value("gdp", "江西", "2021")["value"] == 29827.8
    assert store.value("gdp", "江西", "2021", as_of="2022-07-31")["value"] == 29619.7


def test_derived_value_follows_revised_input(store):
    write_frame(store, frame([("江西", "gdp", "2021", 29619.7, "亿元"),
                       ("江西", "de_va", "2021", 10378, "亿元")]),
                vintage="2022-07-01", source="t")
    write_frame(store, frame([("江西", "gdp", "2021", 29827.8, "亿元")]), vintage="2024-01-01",
                source="t")
    old = store.value("de_share_gdp", "江西", "2021", as_of="2022-12-31")
    new = store.value("de_share_gdp", "江西", "2021")
    assert old["value"] == pytest.approx(10378 / 29619.7 * 100)
    assert new["value"] == pytest.approx(10378 / 29827.8 * 100)
    assert str(new["vintage"]) == "2024-01-01"


def test_share_from_illustrative_inputs_is_illustrative(store):
    write_frame(store, pd.DataFrame({"region": ["南昌"], "indicator": ["de_va"], "period": ["2021"],
                              "value": [3000], "status": ["illustrative"]}),
                vintage="2022-07-01", source="示意")
    write_frame(store, frame([("南昌", "gdp", "2021", 6650.53, "亿元")]), vintage="2022-03-01",
                source="统计公报")
    share = store.value("de_share_gdp", "南昌", "2021")
    assert share["status"] == "illustrative"
    assert share["value"] == pytest.approx(45.1092, abs=1e-4)


def test_same_statement_twice_is_not_duplicated(store):
    rows = frame([("江西", "gdp", "2021", 29619.7, "亿元")])
    write_frame(store, rows, vintage="2022-03-01", source="s")
    before = store.row_count()
    assert write_frame(store, rows, vintage="2022-03-01", source="s") == 0
    assert store.row_count() == before


def test_conflicting_value_same_vintage_is_rejected(store):
    write_frame(store, frame([("江西", "gdp", "2021", 29619.7, "亿元")]), vintage="2022-03-01", source="s")
    checksum = store.checksum()
    with pytest.raises(ValidationError) as exc:
        write_frame(store, frame([("江西", "gdp", "2021", 29000, "亿元")]), vintage="2022-03-01", source="s")
    assert "29619.7" in exc.value.report() and "新的 --vintage" in exc.value.report()
    assert store.checksum() == checksum


def test_a_county_level_unit_is_named_in_every_read(store, tmp_path):
    """A 直辖市's units are county level (重庆市 500101 万州区): every read names them, as the API
    does — Catalog.regions() alone lists provinces and prefectures only."""
    write_frame(store, pd.DataFrame([{"region": "500101", "indicator": "de_va", "period": "2023",
                                      "value": "340"}]),
                vintage="2024-05-01", source="测试", origin="t")
    assert list(store.query("de_va")["region_name"]) == ["万州区"]
    assert list(store.chosen(["de_va"])["region_name"]) == ["万州区"]
    assert list(store.listing("de_va", history=True)["region_name"]) == ["万州区"]
    with TestClient(create_app(Settings(db=store.path))) as client:
        items = client.get("/api/v1/observations", params={"indicator": "de_va"}).json()["items"]
    assert [i["region_name"] for i in items] == ["万州区"]
