"""A small store built from the bundled demo observations (GDP, the paper's numbers, illustrative cities)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

OBS = Path(__file__).resolve().parents[2] / "datasets" / "jiangxi-2022" / "observations"


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory):
    from digecon.store import Store

    st = Store(tmp_path_factory.mktemp("db") / "demo.duckdb")
    st.init()
    for name in ("01_gdp.csv", "02_white_paper_facts.csv", "04_estimated_from_paper.csv", "05_illustrative.csv"):
        st.write(pd.read_csv(OBS / name, dtype=str), origin=name)
    return st
