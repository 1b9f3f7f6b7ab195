"""The full report is built once per test session (all four formats) and shared by every test."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "datasets" / "jiangxi-2022" / "report.yaml"


@pytest.fixture(scope="session")
def pub_store(report_store):
    return report_store


@pytest.fixture(scope="session")
def built(pub_store, tmp_path_factory):
    from digecon.publish.build import build_report

    return build_report(SPEC, pub_store, tmp_path_factory.mktemp("report"))
