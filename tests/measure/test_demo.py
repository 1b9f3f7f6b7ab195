"""The demo accounts land in the store as synthetic, never as published."""
from __future__ import annotations

import pandas as pd
import pytest

from digecon.ingest import write_frame
from digecon.measure.demo import load_into
from digecon.store import Store


def test_load_into_store(tmp_path):
    st = Store(tmp_path / "demo.duckdb")
    # the published province total the synthetic level is anchored to
    write_frame(st, pd.DataFrame({"region": ["江西省"], "indicator": ["di_va"], "period": ["2021"],
                           "value": [1308.2]}), vintage="2022-07-01", source="白皮书")
    n = load_into(st, records=20_000, vintage="2022-06-30")
    df = st.query(indicator="di_va", status="synthetic")
    # 11 cities + province, 2020 and 2021
    assert len(df) == 24 and n >= 24  # the store may add its own derived rows (e.g. growth)
    assert set(df.status) == {"synthetic"}
    assert df.source.str.contains("合成企业记录").all() and df.note.str.startswith("合成数据").all()
    d21 = df[df.period == "2021"].set_index("region_code").value
    assert d21["360000"] == pytest.approx(1308.2, rel=1e-9)
    assert d21.drop("360000").sum() == pytest.approx(1308.2, rel=1e-9)
    assert list(st.query(indicator="di_va", status="published").value) == [1308.2]


def test_without_a_published_total_nothing_is_scaled(tmp_path):
    st = Store(tmp_path / "demo.duckdb")
    load_into(st, records=20_000, vintage="2022-06-30")
    df = st.query(indicator="di_va", status="synthetic")
    assert df.note.str.contains("未缩放").all()
    assert df[df.period == "2021"].set_index("region_code").value["360000"] != pytest.approx(1308.2)
