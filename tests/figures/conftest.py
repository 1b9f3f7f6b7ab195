"""A real DuckDB store filled from the small observations fixture, shared by figure tests."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "datasets" / "jiangxi-2022" / "report.yaml"
OBSERVATIONS = ROOT / "tests" / "publish" / "fixtures" / "observations.csv"


def make_store(path: Path):
    from digecon.store import Store

    store = Store(path)
    store.init()
    store.write(pd.read_csv(OBSERVATIONS, dtype=str), vintage="2022-07-01",
                origin=OBSERVATIONS.name)
    return store


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("store") / "fixture.duckdb")


@pytest.fixture(scope="session")
def spec():
    from digecon.publish.spec import load_spec

    return load_spec(SPEC)
