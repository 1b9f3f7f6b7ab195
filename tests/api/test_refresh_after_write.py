"""A server's answers after a write are ready when readers move to the new version: the writer
computes the recent questions again on the committed data (StoreView, connection.on_write)
before the write count changes, so no reader waits for a query just after an upload."""
from __future__ import annotations

import pandas as pd
import pytest

from digecon.api.data import StoreView
from digecon.ingest import write_frame
from digecon.store import Store
from digecon.store.connection import share, unshare


@pytest.fixture
def view(demo_copy):
    share(demo_copy, threads=1)
    try:
        yield StoreView(Store(demo_copy))
    finally:
        unshare(demo_copy)


def _write(store, value: str, vintage: str) -> None:
    frame = pd.DataFrame([{"region": "360100", "indicator": "gdp", "period": "2021",
                           "value": value}])
    write_frame(store, frame, vintage=vintage, source="修订", origin="修订")


def _current_gdp(text: str) -> list[str]:
    import json

    return [r["text"] for r in json.loads(text) if r["qualifier"] == "eq"]


def test_recent_answers_are_ready_for_the_new_version(view):
    args = ("gdp", "360100", "2021", None, None, 100, 0, False)
    _, before = view.observations_json(*args)
    facts_before = view.facts_of(["gdp"], ["360100"], ["2021"])
    old_version = view.version
    _write(view.store, "9999", "2024-01-02")
    assert view.version != old_version
    hit = view.cached_observations_json(*args)  # no query: the writer answered it already
    assert hit is not None and _current_gdp(hit[1]) == ["9999"] != _current_gdp(before)
    # the facts of the cell likewise, and they agree with a fresh read of the store
    facts = view._answers.peek(view.version, ("facts", ("gdp",), ("360100",), ("2021",), ""))
    assert facts is not None and [f.value for f in facts] == [9999.0]
    assert [f.value for f in facts_before] != [9999.0]
    assert Store(view.store.path).value("gdp", "360100", "2021")["value"] == 9999.0


def test_a_question_not_asked_before_is_computed_when_asked(view):
    _write(view.store, "8888", "2024-01-03")
    args = ("gdp", "360100", "2021", None, None, 100, 0, True)
    assert view.cached_observations_json(*args) is None
    total, text = view.observations_json(*args)
    assert "8888" in text and total >= 2
