"""The bundled illustrative city values against everything the paper publishes about them: they
add up to every province total they belong to, at the total's written precision; their shares
follow from the city GDP; every statement about a city (stated, 其余, inferred from omission)
holds; the cities of each list stand in the paper's order."""
from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import REPO

from digecon.catalog import get_catalog

THRESHOLDS = REPO / "datasets/jiangxi-2022/seedfacts/city_thresholds.csv"
PROVINCE, PERIOD = "江西省", "2021"
CODE = {"de_value_added": "de_va", "di_value_added": "di_va", "id_value_added": "id_va",
        "de_share_gdp": "de_share_gdp", "di_share_gdp": "di_share_gdp",
        "id_share_gdp": "id_share_gdp"}
# amounts whose province value is the sum of the cities' (the catalog's additive money unit)
ADDITIVE_UNIT = "亿元"


@pytest.fixture(scope="module")
def cities():
    return [r.name for r in get_catalog().regions(level="city", parent="360000")]


def city_values(store, code: str, cities: list[str]) -> dict[str, float]:
    out = {}
    for c in cities:
        row = store.value(code, c, PERIOD)
        if row is not None:
            out[c] = row["value"]
    return out


def decimals(value: float) -> int:
    """The precision a published number is written with: 1308.2 → 1, 10378 → 0."""
    return max(0, -Decimal(repr(value)).normalize().as_tuple().exponent)


def published_province(store, code: str) -> list[float]:
    rows = store.query(indicator=code, region=PROVINCE, period=PERIOD, status="published")
    return sorted(set(rows[rows["qualifier"] == "eq"]["value"]))


def test_cities_add_up_to_every_published_province_total(demo_store, cities):
    """Every indicator held for all the cities (illustrative, or derived from illustrative
    values) and published for the province, in 亿元: Σ cities = the province's value."""
    rows = demo_store.query(period=PERIOD)
    city_rows = rows[rows["region_name"].isin(cities)]
    held = city_rows.groupby("indicator")["region_name"].nunique()
    checked = {}
    for code in sorted(held[held == len(cities)].index):
        values = city_values(demo_store, code, cities)
        marked = {demo_store.value(code, c, PERIOD)["status"] for c in values}
        published = published_province(demo_store, code)
        if not published or "illustrative" not in marked:
            continue
        unit = rows[rows["indicator"] == code]["unit"].iloc[0]
        if unit != ADDITIVE_UNIT:
            continue
        total = sum(values.values())
        for p in published:  # each published figure, at the precision it is written with
            d = decimals(p)
            assert round(total, d) == pytest.approx(p, abs=1e-9), (code, total, p)
        checked[code] = round(total, 2)
    # the four the issue names and the IT services total, each found in the store
    assert set(checked) >= {"de_va", "di_va", "id_va", "online_retail", "it_services_revenue"}
    # exact where the paper is exact: Σ数字经济 = 10378, Σ数字产业化 = 1308.2, Σ网络零售额 = 1926.2;
    # Σ产业数字化 = 10378 − 1308.2 = 9069.8, the published 9070 at its precision
    assert checked["de_va"] == 10378.0 and checked["di_va"] == 1308.2
    assert checked["id_va"] == 9069.8 and checked["online_retail"] == 1926.2
    assert checked["it_services_revenue"] == 784.38


def test_shares_follow_from_the_values_and_city_gdp(demo_store, cities):
    gdp = city_values(demo_store, "gdp", cities)
    assert len(gdp) == 11
    for share, amount in (("de_share_gdp", "de_va"), ("di_share_gdp", "di_va"),
                          ("id_share_gdp", "id_va")):
        values, shares = city_values(demo_store, amount, cities), city_values(demo_store, share, cities)
        for c in cities:
            assert shares[c] == pytest.approx(values[c] / gdp[c] * 100, rel=1e-12), (share, c)
        # the province's share is the GDP-weighted mean of the cities' (35.04 → published 35.0)
        weighted = sum(values.values()) / sum(gdp.values()) * 100
        for p in published_province(demo_store, share):
            assert round(weighted, decimals(p)) == pytest.approx(p), (share, weighted, p)
    # 数字经济 = 数字产业化 + 产业数字化 in every city
    de, di, id_ = (city_values(demo_store, k, cities) for k in ("de_va", "di_va", "id_va"))
    for c in cities:
        assert de[c] == pytest.approx(di[c] + id_[c], abs=1e-9)


def test_online_retail_growth_implies_the_province_rate(demo_store, cities):
    """Σ 2021 / Σ (2021 / (1 + g)) − 1 = the published 24.25 %."""
    v = city_values(demo_store, "online_retail", cities)
    g = city_values(demo_store, "online_retail_growth", cities)
    implied = sum(v.values()) / sum(v[c] / (1 + g[c] / 100) for c in cities) * 100 - 100
    [published] = published_province(demo_store, "online_retail_growth")
    assert round(implied, 2) == published == 24.25


def holds(value: float, relation: str, threshold: float) -> bool:
    return {"gt": value > threshold, "ge": value >= threshold, "lt": value < threshold,
            "le": value <= threshold}[relation]


def test_every_published_city_bound_holds_as_stored_and_as_printed(demo_store):
    checked = 0
    with open(THRESHOLDS, encoding="utf-8") as fh:
        for t in csv.DictReader(fh):
            code = CODE.get(t["indicator"])
            if code is None or t["relation"] not in ("gt", "ge", "lt", "le"):
                continue
            x = float(Fraction(t["threshold"]))
            v = demo_store.value(code, t["city"], PERIOD)["value"]
            printed = round(v, 1) if code.endswith("_share_gdp") else round(v)
            assert holds(v, t["relation"], x) and holds(printed, t["relation"], x), (t, v)
            checked += 1
    assert checked == 111  # 52 stated, 16 expanded from 其余, 43 inferred from omission


def test_the_paper_lists_stand_in_descending_order(demo_store):
    """Each list of cities above a bracket, in the paper's order, is descending — except the
    list of 数字产业化占GDP比重超3% (赣州、南昌、新余、九江、抚州、宜春), which cannot be read so
    together with the lists before it and the totals (the generator says which it drops)."""
    groups: dict[str, tuple[str, str, list[str]]] = {}
    with open(THRESHOLDS, encoding="utf-8") as fh:
        for t in csv.DictReader(fh):
            code = CODE.get(t["indicator"])
            if code and t["basis"] == "explicit" and t["relation"] == "gt":
                key = t["fact_id"].split("_dup")[0]
                groups.setdefault(key, (code, t["quote"], []))[2].append(t["city"])
    ordered = 0
    for key, (code, quote, members) in groups.items():
        members = sorted(set(members), key=lambda c: quote.find(c.removesuffix("市")))
        if len(members) < 2 or key == "city_di_share_gdp_gt3_2021":
            continue
        values = [demo_store.value(code, c, PERIOD)["value"] for c in members]
        assert values == sorted(values, reverse=True), (key, dict(zip(members, values)))
        ordered += 1
    assert ordered == 8
