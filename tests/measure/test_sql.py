"""The enterprise job as Hive and StarRocks SQL: snapshot-tested, and the Hive text runs on Spark."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from digecon.measure.sql import job_sql

SNAP = Path(__file__).parent / "snapshots"
CASES = [("hive", False), ("hive", True), ("starrocks", False), ("starrocks", True)]


@pytest.mark.parametrize(("dialect", "agg"), CASES)
def test_sql_snapshot(dialect, agg):
    text = job_sql(dialect, aggregate_first=agg)
    path = SNAP / f"{dialect}{'_aggregate_first' if agg else ''}.sql"
    if os.environ.get("DIGECON_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing; write it with DIGECON_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8")
    assert "digecon_records" in text and "digecon_lookup" in text
    assert text.count("10000.0") == 1  # 万元 -> 亿元 once


def test_unknown_dialect():
    with pytest.raises(ValueError, match="found 'oracle', expected hive or starrocks"):
        job_sql("oracle")
