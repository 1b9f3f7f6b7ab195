from __future__ import annotations

import csv

import pytest
from conftest import REPO

from digecon.catalog import UnknownNameError, get_catalog


@pytest.mark.parametrize("key", ["南昌", "南昌市", "360100", 360100])
def test_region_by_code_or_name(key):
    region = get_catalog().region(key)
    assert (region.code, region.name, region.level, region.parent) == (
        "360100", "南昌市", "city", "360000")


def test_all_provinces_country_and_cities():
    cat = get_catalog()
    assert len(cat.regions(level="province")) == 31
    assert len(cat.regions(level="city")) == 333  # every prefecture-level unit, not only Jiangxi's
    assert cat.region("全国").code == "100000"
    assert [r.name for r in cat.regions(level="city", parent="360000")][:3] == [
        "南昌市", "景德镇市", "萍乡市"]
    assert len(cat.regions(level="city", parent="360000")) == 11
    assert cat.region("广西").code == "450000"


def test_unknown_region_suggests_closest():
    # 南晶 is now as close to 南京, 南通 … as to 南昌; a typo of one character in a longer name
    # still has one clear answer, and a prefecture comes before a county that is as close.
    with pytest.raises(UnknownNameError) as exc:
        get_catalog().region("赣洲")
    assert "赣洲" in str(exc.value) and exc.value.suggestions[0] == "赣州市"
    with pytest.raises(UnknownNameError) as exc:
        get_catalog().region("湘西土家族苗族自治洲")
    assert exc.value.suggestions[0] == "湘西土家族苗族自治州"


def test_core_indicator_codes_exist():
    cat = get_catalog()
    for code in ("gdp", "de_va", "di_va", "id_va", "de_share_gdp", "di_share_de", "id_share_de",
                 "di_share_gdp", "id_share_gdp", "de_growth", "gdp_growth", "gdp_growth_real"):
        ind = cat.indicator(code)
        assert ind.name_zh and ind.name_en and ind.unit in ("亿元", "%")
    assert cat.indicator("di_share_de").formula == "di_va / de_va × 100"
    assert cat.indicator("数字经济增加值").code == "de_va"


def test_every_seedfact_quantity_has_an_indicator():
    path = REPO / "datasets/jiangxi-2022/observations/02_white_paper_facts.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cat = get_catalog()
    assert len(rows) > 400
    for row in rows:
        assert cat.has_indicator(row["indicator"]), row


@pytest.mark.parametrize("value,src,dst,expected", [
    (10378, "亿元", "万亿元", 1.0378), (2617.5, "万个", "个", 26175000),
    (1, "万亿元", "亿元", 10000), (5, "万户", "户", 50000), (12345, "万元", "亿元", 1.2345)])
def test_unit_conversion(value, src, dst, expected):
    assert get_catalog().convert(value, src, dst) == pytest.approx(expected, rel=1e-12)


def test_unit_conversion_refuses_other_dimension():
    with pytest.raises(ValueError, match="不能换算"):
        get_catalog().convert(1, "亿元", "个")
