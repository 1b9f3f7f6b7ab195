"""A number's text is decided once, in digecon.facts: a level or a count drops a zero fraction
(10378.0 → 10378), every other kind keeps its decimals (35.0, 1.55); the chart labels, the
API and the narrative print that text and no other."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import BUNDLED_SPEC
from fastapi.testclient import TestClient

from digecon.api.app import create_app
from digecon.api.config import Settings
from digecon.facts import Fact, Facts, fact_text, series_texts
from digecon.figures import build_option
from digecon.narrative.statements import Statements
from digecon.publish.spec import load_spec
from digecon.store import Store


@pytest.mark.parametrize("x, d, kind, text", [
    (10378.0, 1, "level", "10378"), (10377.96, 1, "level", "10378"),  # rounds to a zero fraction
    (1308.2, 1, "level", "1308.2"), (18.0, 2, "level", "18.00"), (24.5, 2, "level", "24.50"),
    (9600.0, 1, "count", "9600"), (-0.04, 1, "level", "0"), (52, 0, "count", "52"),
    (35.0, 1, "share", "35.0"), (20.0, 1, "growth", "20.0"), (1.5, 2, "index", "1.50"),
    (3.0, 1, "pp_change", "3.0"), (3.0, 1, "", "3.0"),  # an unknown kind keeps its decimals
])
def test_a_level_or_count_at_one_decimal_drops_a_zero_fraction_and_nothing_else(x, d, kind, text):
    assert fact_text(x, d, kind) == text


@pytest.fixture(scope="module")
def spec():
    return load_spec(BUNDLED_SPEC)


@pytest.fixture(scope="module")
def facts(demo_db, spec):
    return Facts(Store(demo_db), str(spec.meta["as_of"]))


def _label(option: dict, series: int, period: str) -> str:
    """The printed label of one period's point of a time figure's series (the axis category
    is the period, with a status mark such as 2016（估）)."""
    cats = [str(c) for c in option["xAxis"]["data"]]
    i = next(k for k, c in enumerate(cats) if re.match(rf"{period}(?!\d)", c))
    return option["series"][series]["data"][i]["label"]["formatter"]


def test_figure_labels_api_and_narrative_agree_on_a_level_and_a_share(demo_db, spec, facts):
    region, year = str(spec.meta["region"]), str(spec.meta["year"])
    level = facts.get("de_va", region, year)
    share = facts.get("de_share_gdp", region, year)
    assert level.kind == "level" and share.kind == "share"
    # the paper's 10378亿元, not 10378.0; a share keeps its one decimal even when it is zero
    assert level.value == 10378.0 and level.text == "10378"
    assert re.fullmatch(r"\d+\.\d", share.text), share.text

    store = Store(demo_db)
    as_of = str(spec.meta["as_of"])
    assert _label(build_option("fig_de_va", store, spec, as_of=as_of), 0, year) == level.text
    assert _label(build_option("fig_de_share", store, spec, as_of=as_of), 0, year) == share.text

    client = TestClient(create_app(Settings(db=demo_db, spec=BUNDLED_SPEC)))
    for f in (level, share):
        items = client.get("/api/v1/facts", params={"indicator": f.indicator, "region": region,
                                                    "period": year, "as_of": as_of}).json()["items"]
        assert [i["text"] for i in items] == [f.text], f.indicator

    st = Statements(facts, region, int(year))
    assert st.v("de_va") == level.text + level.unit == "10378亿元"
    assert st.v("de_share_gdp") == share.text + "%"


def test_a_series_reads_at_one_precision():
    def level(v, decimals=1):
        return Fact(indicator="di_va", name="数字产业化增加值", region="500101", region_name="",
                    period="2023", value=v, unit="亿元", decimals=decimals, status="published",
                    source="s", vintage=dt.date(2024, 1, 1), kind="level")

    assert series_texts([level(6.5), level(5.0), level(5.0), level(3.94)]) == [
        "6.5", "5.0", "5.0", "3.9"]
    assert series_texts([level(10378.0), level(7260.0)]) == ["10378", "7260"]
    assert series_texts([]) == []
