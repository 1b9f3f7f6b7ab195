"""A real DuckDB store filled from the small observations fixture, shared by figure tests."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "datasets" / "jiangxi-2022" / "report.yaml"


@pytest.fixture(scope="session")
def store(report_store):
    return report_store


@pytest.fixture(scope="session")
def spec():
    from digecon.publish.spec import load_spec

    return load_spec(SPEC)
