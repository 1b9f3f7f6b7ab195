"""digecon.facts: one choice of a cell's value, one rounding rule, one status vocabulary."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from digecon.facts import STATUS_ZH, Facts, format_number, round_half_up
from digecon.ingest import write_frame
from digecon.store import Store


def _rows(*rows):
    cols = ["region", "indicator", "period", "value", "unit", "status", "vintage", "source",
            "qualifier"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "f.duckdb")
    s.init()
    write_frame(s, _rows(
        # a published share and a later revision of it
        ("430000", "online_retail", "2021", 100.0, "亿元", "published", "2022-03-01", "公报", "eq"),
        ("430000", "online_retail", "2021", 101.45, "亿元", "published", "2023-03-01", "年鉴", "eq"),
        # an illustrative value with a newer vintage must not beat a measured one
        ("430000", "online_retail", "2021", 999.0, "亿元", "illustrative", "2024-01-01", "示意",
         "eq"),
        # only illustrative: it fills the cell
        ("440000", "online_retail", "2021", 50.05, "亿元", "illustrative", "2022-03-01", "示意",
         "eq"),
        # a bound is never a value
        ("450000", "online_retail", "2021", 40.0, "亿元", "published", "2022-03-01", "公报", "gt"),
    ))
    return s


def test_newest_measured_vintage_wins_and_marked_values_only_fill_gaps(store):
    f = Facts(store).get("online_retail", "430000", "2021")
    assert (f.value, f.status, f.vintage.isoformat()) == (101.45, "published", "2023-03-01")
    assert f.text == "101.5"  # half-up on the decimal text: 101.45 → 101.5, not float 101.4
    old = Facts(store, as_of="2022-12-31").get("online_retail", "湖南省", "2021")
    assert (old.value, old.text) == (100.0, "100")  # a level (亿元) drops a zero fraction
    city = Facts(store).get("online_retail", "440000", "2021")
    assert (city.status, city.marked, city.status_zh) == ("illustrative", True, "示意值")
    assert Facts(store).get("online_retail", "450000", "2021") is None
    assert [b.value for b in Facts(store).bounds("online_retail", "450000", "2021")] == [40.0]


def test_published_beats_derived_within_one_vintage(tmp_path):
    s = Store(tmp_path / "g.duckdb")
    s.init()
    write_frame(s, _rows(
        ("430000", "di_va", "2021", 100.0, "亿元", "published", "2022-03-01", "公报", "eq"),
        ("430000", "de_va", "2021", 300.0, "亿元", "published", "2022-03-01", "公报", "eq"),
        ("430000", "di_share_de", "2021", 33.0, "%", "published", "2022-03-01", "公报", "eq"),
    ))
    f = Facts(s).get("di_share_de", "430000", "2021")
    assert (f.value, f.status) == (33.0, "published")
    # the derived value exists beside it, with its formula
    derived = [h for h in Facts(s).history("di_share_de", "430000", "2021")
               if h.status == "derived"]
    assert len(derived) == 1 and abs(derived[0].value - 100 / 3) < 1e-9
    assert derived[0].formula and derived[0].text == "33.3"
    assert Store(s.path).value("di_share_de", "430000", "2021")["value"] == 33.0


@pytest.mark.parametrize("x, d, text", [(1.45, 1, "1.5"), (12.65, 1, "12.7"), (-2.45, 1, "-2.5"),
                                        (2.675, 2, "2.68"), (-0.04, 1, "0.0"), (10378, 0, "10378")])
def test_one_rounding_rule(x, d, text):
    assert format_number(x, d) == text
    assert round_half_up(x, d) == Decimal(text)


def test_status_vocabulary_covers_every_status():
    from digecon.store import STATUSES

    assert set(STATUS_ZH) == set(STATUSES)


def test_answers_cache_is_bounded_and_emptied_by_a_new_version():
    from digecon.api.data import _Answers

    answers, calls = _Answers(max_rows=10), []

    def compute(n):
        def run():
            calls.append(n)
            return n, f"rows{n}"
        return run

    assert answers.get(1, ("a",), compute(4)) == "rows4"
    assert answers.get(1, ("a",), compute(4)) == "rows4" and calls == [4]  # a hit
    answers.get(1, ("b",), compute(5))
    answers.get(1, ("c",), compute(5))  # 14 rows > 10: the oldest answer goes
    assert answers.get(1, ("a",), compute(4)) == "rows4" and calls == [4, 5, 5, 4]
    answers.get(2, ("a",), compute(4))  # the store changed: everything is asked again
    assert calls[-1] == 4 and len(calls) == 5


def test_answers_cache_computes_a_question_asked_at_once_only_once_and_peeks_without_query():
    import threading
    import time

    from digecon.api.data import _Answers

    answers, calls, got = _Answers(), [], []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return 1, "answer"

    assert answers.peek(1, ("q",)) is None  # nothing cached: peek does not compute
    threads = [threading.Thread(target=lambda: got.append(answers.get(1, ("q",), slow)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["answer"] * 8 and len(calls) == 1
    assert answers.peek(1, ("q",)) == "answer"
    assert answers.peek(2, ("q",)) is None  # a new version empties the cache

    def failing():
        raise RuntimeError("query failed")

    for _ in range(2):  # a failed compute leaves nobody waiting and nothing cached
        try:
            answers.get(3, ("bad",), failing)
        except RuntimeError:
            pass
    assert answers.peek(3, ("bad",)) is None


def test_a_served_store_changes_version_on_every_write_and_answers_anew(store):
    from digecon.api.data import StoreView
    from digecon.store.connection import share, unshare

    share(store.path)
    try:
        view = StoreView(store)
        v0 = view.version
        total0, _ = view.observations("online_retail")
        write_frame(store, _rows(("430000", "online_retail", "2022", 120.0, "亿元", "published",
                                  "2023-03-01", "公报", "eq")))
        assert view.version != v0
        total1, _ = view.observations("online_retail")
        assert total1 > total0  # the new statement (and what it derives) is seen at once
    finally:
        unshare(store.path)
