"""Choice rule 4 (schema.CHOICE_ORDER_SQL): at one vintage and status a later load supersedes an
earlier one — a correction written the same day as the value it corrects — while within one
load the first stored still wins; derived values follow their corrected inputs."""
from __future__ import annotations

import pandas as pd
import pytest

from digecon.ingest import write_frame
from digecon.store import Store

DAY = "2024-05-06"


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "same_day.duckdb")
    s.init()
    return s


def _write(store, rows, source, ref=""):
    frame = pd.DataFrame([{"region": r, "indicator": i, "period": "2023", "value": repr(v),
                           "ref": ref} for r, i, v in rows])
    return write_frame(store, frame, vintage=DAY, source=source, origin=source)


def _value(store, indicator, region="360100"):
    return store.value(indicator, region, "2023")["value"]


def test_a_later_load_of_the_same_vintage_supersedes_an_earlier_one(store):
    _write(store, [("360100", "de_va", 100.0), ("360100", "di_va", 20.0)], "第一批")
    assert (_value(store, "di_va"), _value(store, "di_share_de")) == (20.0, 20.0)
    _write(store, [("360100", "di_va", 30.0)], "第二批（当日更正）")
    assert (_value(store, "di_va"), _value(store, "di_share_de")) == (30.0, 30.0)
    # back to the first value the same day: the share follows, though 20 was stored before
    _write(store, [("360100", "di_va", 20.0)], "第三批（再次更正）")
    assert (_value(store, "di_va"), _value(store, "di_share_de")) == (20.0, 20.0)
    assert _value(store, "de_va") == 100.0  # untouched by the corrections
    # nothing is lost: every load stays in the history
    history = store.query("di_va", region="360100", latest_only=False)
    assert sorted(history["value"]) == [20.0, 20.0, 30.0]
    # another region of an earlier load is not affected by a later load of this one
    _write(store, [("360400", "di_va", 7.0)], "第一批", ref="九江")
    _write(store, [("360100", "di_va", 21.0)], "第四批")
    assert (_value(store, "di_va", "360400"), _value(store, "di_va")) == (7.0, 21.0)


def test_within_one_load_the_first_stored_still_wins(store):
    frame = pd.DataFrame([{"region": "360100", "indicator": "di_va", "period": "2023",
                           "value": v, "ref": ref} for v, ref in (("12.6", "前言"),
                                                                 ("12.3", "第三章"))])
    write_frame(store, frame, vintage=DAY, source="白皮书", origin="白皮书")
    assert _value(store, "di_va") == 12.6
