"""An index spec reading the store takes each cell's value by the one choice every surface makes
(Store.chosen, the facts layer's rule), not by a status priority of its own: a newer vintage
supersedes an older one whatever their statuses, and `status` limits the candidates first."""
from __future__ import annotations

import pandas as pd
import pytest

from digecon.evaluate import spec_from_dict
from digecon.facts import Facts
from digecon.ingest import write_frame
from digecon.store import Store

CITIES = ("南昌市", "九江市", "赣州市")


@pytest.fixture
def store(tmp_path) -> Store:
    st = Store(tmp_path / "choice.duckdb")
    st.init()
    write_frame(st, pd.DataFrame({"region": list(CITIES), "indicator": "de_va", "period": "2021",
                                  "value": ["10", "30", "20"], "status": "published"}),
                vintage="2022-07-01", source="白皮书", origin="a.csv")
    # a later estimate of one city: the newest vintage is its value now
    write_frame(st, pd.DataFrame({"region": ["九江市"], "indicator": "de_va", "period": "2021",
                                  "value": ["33"], "status": "estimated"}),
                vintage="2023-03-01", source="估算", origin="b.csv")
    return st


def _data(store, **obs):
    raw = {"framework": [{"iCode": "de_va", "Level": 1, "Parent": "T"},
                         {"iCode": "T", "Level": 2}],
           "observations": {"period": "2021", **obs}}
    data = spec_from_dict(raw, source="city.yaml", store=store).data
    return dict(zip(data["uName"], data["de_va"]))


def test_the_index_reads_the_value_facts_show(store):
    values = _data(store)
    facts = Facts(store)
    assert values == {c: facts.get("de_va", c, "2021").value for c in CITIES}
    assert values["九江市"] == 33.0  # not the older published 30 by status priority
    assert _data(store, as_of="2022-12-31")["九江市"] == 30.0


def test_a_status_limits_the_candidates_before_the_choice(store):
    assert _data(store, status="published")["九江市"] == 30.0
    assert _data(store, status=["published", "estimated"])["九江市"] == 33.0


def test_level_units_ranks_the_units_every_surface_counts(tmp_path, monkeypatch):
    """`level: units` takes a province's units as the catalog counts them: with a dataset's
    subunits.csv, 湖北's county-level 仙桃市 ranks beside its prefecture-level cities."""
    st = Store(tmp_path / "hubei.duckdb")
    st.init()
    write_frame(st, pd.DataFrame({"region": ["武汉市", "宜昌市", "仙桃市", "长沙市"],
                                  "indicator": "de_va", "period": "2021",
                                  "value": ["100", "50", "20", "90"], "status": "published"}),
                vintage="2022-07-01", source="白皮书", origin="a.csv")
    assert set(_data(st, level="units", parent="420000")) == {"武汉市", "宜昌市"}
    ext = tmp_path / "ext"
    ext.mkdir()
    (ext / "subunits.csv").write_text("parent,code\n420000,429004\n", encoding="utf-8")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(ext))
    assert set(_data(st, level="units", parent="420000")) == {"武汉市", "宜昌市", "仙桃市"}
    assert set(_data(st, level="city", parent="420000")) == {"武汉市", "宜昌市"}
    with pytest.raises(ValueError, match="level: units 需要 parent 为省级地区代码"):
        _data(st, level="units", parent="420100")
