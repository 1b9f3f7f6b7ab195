"""Shared fixtures for the measure tests: paths and one Spark session for the whole run."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def spark_con():
    """One local Spark (local[1], no UI, 2 shuffle partitions) reused by every Spark test."""
    import importlib.util

    from conftest import require_part

    require_part(importlib.util.find_spec("pyspark") is not None, "pyspark")
    from pyspark.sql import SparkSession

    from digecon.measure.engines import connect

    session = (SparkSession.builder.master("local[1]").appName("digecon-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "1")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield connect("spark", session=session)
    session.stop()
