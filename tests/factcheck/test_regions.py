"""Region names in running text: every catalog region by full name, short name and alias."""
from __future__ import annotations

import pytest

import digecon.catalog
from digecon.catalog import Region, get_catalog
from digecon.factcheck import regions
from digecon.factcheck.regions import canonical, find_regions, region_spans


@pytest.fixture
def fresh_table():
    regions._table.cache_clear()
    yield
    regions._table.cache_clear()


def test_every_catalog_city_is_found_by_its_full_name(fresh_table):
    cities = get_catalog().regions(level="city")
    assert len(cities) >= 11
    missed = [c.name for c in cities if find_regions(f"{c.name}数字经济增加值") != [c.name]]
    assert missed == []
    assert find_regions("江西南昌、赣州和全国") == ["江西省", "南昌市", "赣州市", "全国"]
    assert find_regions("我国东部地区") == ["全国", "东部地区"]


def test_a_city_added_to_the_catalog_is_found_without_code(fresh_table, monkeypatch):
    real = get_catalog()
    extra = Region("990100", "测试市", "测试", "city", "360000")

    class Extended:
        def regions(self, level=None, parent=None):
            return [r for r in [*real.regions(), extra]
                    if (level is None or r.level == level) and (parent is None or r.parent == parent)]

    monkeypatch.setattr(regions, "get_catalog", lambda: Extended())
    assert find_regions("测试数字经济增加值超过南昌") == ["测试市", "南昌市"]
    assert canonical("测试") == "测试市"


def test_province_short_names_win_over_cities(fresh_table):
    assert canonical("吉林") == "吉林省"
    assert find_regions("吉林市和吉林省") == ["吉林市", "吉林省"]


def test_a_zone_of_a_city_is_not_the_city(fresh_table):
    (span,) = region_spans("南昌高新区营业收入近200亿元")
    assert span == (0, 5, "南昌高新区")


def test_a_failing_catalog_leaves_the_provinces(fresh_table, monkeypatch):
    def broken():
        raise digecon.catalog.CatalogError("regions.csv:3:code: 发现 x，应为六位代码")

    monkeypatch.setattr(regions, "get_catalog", broken)
    assert find_regions("湖南省和广东的数字经济") == ["湖南省", "广东省"]
