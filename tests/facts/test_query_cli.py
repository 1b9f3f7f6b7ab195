"""`digecon query` prints what every surface prints: the facts layer's text (half-up at the
catalog's decimals) of each cell's one current value; --history adds the values it superseded."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import run_cli

from digecon.facts import Facts
from digecon.ingest import write_frame
from digecon.store import Store


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "q.duckdb")
    s.init()
    return s


def _write(store, value, vintage, source="测试"):
    frame = pd.DataFrame([{"region": "江西省", "indicator": "gdp", "period": "2021",
                           "value": value}])
    write_frame(store, frame, vintage=vintage, source=source, origin=source)


def _query(store, *extra):
    out = run_cli("query", "--indicator", "gdp", "--region", "江西省", "--format", "json",
                  *extra, db=store.path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_query_prints_the_facts_text_half_up_at_the_catalogs_decimals(store):
    # gdp is kept at one decimal: 1.45 is 1.5 (half-up on the decimal text), never 1.4 or 1.45
    _write(store, "1.45", "2022-07-01")
    [row] = _query(store)
    fact = Facts(store).get("gdp", "江西省", "2021")
    assert fact.text == "1.5"
    assert row["text"] == "1.5 亿元" == f"{fact.text} {fact.unit}"
    table = run_cli("query", "--indicator", "gdp", "--region", "江西省", db=store.path).stdout
    assert "1.5 亿元" in table and "1.45" not in table


def test_query_lists_one_current_value_and_the_revision_it_replaced_only_as_history(store):
    _write(store, "2.25", "2022-07-01")
    _write(store, "2.35", "2023-03-01", source="修订")
    assert [(r["value"], r["text"], r["current"]) for r in _query(store)] == [
        (2.35, "2.4 亿元", True)]
    assert [(r["value"], r["vintage"], r["current"]) for r in _query(store, "--history")] == [
        (2.25, "2022-07-01", False), (2.35, "2023-03-01", True)]
    # at an earlier as_of the first value is the current one
    assert [(r["value"], r["current"]) for r in _query(store, "--as-of", "2022-12-31")] == [
        (2.25, True)]


def test_a_status_only_the_history_has_points_to_the_history(store):
    _write(store, "2.25", "2022-07-01")  # published
    frame = pd.DataFrame([{"region": "江西省", "indicator": "gdp", "period": "2021",
                           "value": "2.35", "status": "estimated"}])
    write_frame(store, frame, vintage="2023-03-01", source="估算", origin="估算")
    out = run_cli("query", "--indicator", "gdp", "--status", "published", db=store.path)
    assert out.returncode == 1 and "只有被更正或被取代的历史版本" in out.stderr
    assert "--history" in out.stderr
    [row] = _query(store, "--status", "published", "--history")
    assert (row["value"], row["current"]) == (2.25, False)
    out = run_cli("query", "--indicator", "de_va", db=store.path)
    assert out.returncode == 1 and "的观测值" in out.stderr and "历史" not in out.stderr
