"""Region names in running text: the cities come from the catalog, not a hand list."""
from __future__ import annotations

import pytest

import digecon.catalog
from digecon.catalog import Region, get_catalog
from digecon.factcheck import regions
from digecon.factcheck.regions import canonical, find_regions


@pytest.fixture
def fresh_table():
    regions._table.cache_clear()
    yield
    regions._table.cache_clear()


def test_every_catalog_city_is_found_by_full_and_short_name(fresh_table):
    cities = get_catalog().regions(level="city")
    assert len(cities) == 11
    for city in cities:
        assert find_regions(f"{city.name}数字经济增加值") == [city.name]
        assert canonical(city.short) == city.name
    assert find_regions("江西南昌、赣州和全国") == ["江西省", "南昌市", "赣州市", "全国"]


def test_a_city_added_to_the_catalog_is_found_without_code(fresh_table, monkeypatch):
    real = get_catalog()
    changsha = Region("430100", "长沙市", "长沙", "city", "430000")

    class Extended:
        def regions(self, level=None, parent=None):
            return [r for r in [*real.regions(), changsha]
                    if (level is None or r.level == level) and (parent is None or r.parent == parent)]

    monkeypatch.setattr(digecon.catalog, "get_catalog", lambda: Extended())
    assert find_regions("长沙数字经济增加值超过南昌") == ["长沙市", "南昌市"]
    assert canonical("长沙") == "长沙市"


def test_province_short_names_win_over_cities(fresh_table, monkeypatch):
    real = get_catalog()
    jilin_city = Region("220200", "吉林市", "吉林", "city", "220000")

    class Extended:
        def regions(self, level=None, parent=None):
            return [jilin_city, *real.regions()]  # listed first, still not what 吉林 means

    monkeypatch.setattr(digecon.catalog, "get_catalog", lambda: Extended())
    assert canonical("吉林") == "吉林省"
    assert find_regions("吉林市和吉林省") == ["吉林市", "吉林省"]
