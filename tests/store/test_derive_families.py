"""Derived values never mix synthetic results with other data."""
from __future__ import annotations

import pandas as pd
import pytest

from digecon.ingest import write_frame
from digecon.store import Store


def rows(*items):
    return pd.DataFrame(items, columns=["region", "indicator", "period", "value", "status"])


def test_growth_is_not_computed_across_synthetic_and_illustrative(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    write_frame(store, rows(("南昌", "di_va", "2020", 426.8, "synthetic")), vintage="2022-07-01",
                source="合成")
    write_frame(store, rows(("南昌", "di_va", "2021", 383.6, "illustrative")), vintage="2022-07-01",
                source="示意")
    assert store.value("di_growth", "南昌", "2021") is None


def test_growth_within_synthetic_results_is_synthetic(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    write_frame(store, rows(("南昌", "di_va", "2020", 400.0, "synthetic"),
                     ("南昌", "di_va", "2021", 440.0, "synthetic")),
                vintage="2022-07-01", source="合成")
    write_frame(store, rows(("南昌", "di_va", "2021", 383.6, "illustrative")), vintage="2022-07-01",
                source="示意")
    growth = store.query(indicator="di_growth", region="南昌", period="2021")
    assert list(growth["status"]) == ["synthetic"]
    assert growth["value"].iloc[0] == pytest.approx(10.0)
