"""The full report is built once per test session (all four formats) and shared by every test."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "datasets" / "jiangxi-2022" / "report.yaml"
OBSERVATIONS = Path(__file__).parent / "fixtures" / "observations.csv"


def make_store(path: Path):
    from digecon.store import Store

    store = Store(path)
    store.init()
    store.write(pd.read_csv(OBSERVATIONS, dtype=str), vintage="2022-07-01",
                origin=OBSERVATIONS.name)
    return store


@pytest.fixture(scope="session")
def pub_store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("pubstore") / "fixture.duckdb")


@pytest.fixture(scope="session")
def built(pub_store, tmp_path_factory):
    from digecon.publish.build import build_report

    return build_report(SPEC, pub_store, tmp_path_factory.mktemp("report"))
