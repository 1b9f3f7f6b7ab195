"""The official indicator beside the CAICT total (issue 13): the bundled paper states and charts
数字经济核心产业增加值 and its share of GDP once the store holds them, and leaves both out before."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digecon.ingest import write_frame
from digecon.publish.build import build_report
from digecon.store import Store

SPEC = Path(__file__).resolve().parents[2] / "datasets" / "jiangxi-2022" / "report.yaml"
CAPTION = "江西省数字经济核心产业增加值及占GDP比重"

pytestmark = pytest.mark.slow


def _build(db: Path, out: Path):
    return build_report(SPEC, Store(db), out, formats=["html"])


def test_left_out_until_measured(demo_copy, tmp_path):
    result = _build(demo_copy, tmp_path / "out")
    assert not [f for f in result.report.figures if f.fdef.id == "fig_core"]
    assert "数字经济核心产业增加值为" not in (tmp_path / "out" / "narrative.md").read_text("utf-8")


def test_stated_and_charted_once_measured(demo_copy, tmp_path):
    rows = pd.DataFrame([{"region": "江西省", "indicator": "core_va", "period": "2021",
                          "value": "2345.6", "status": "estimated", "vintage": "2022-07-20",
                          "source": "测试：按核心产业分类测算（编造的值）"}])
    write_frame(Store(demo_copy), rows, origin="core.csv")
    result = _build(demo_copy, tmp_path / "out")
    fig = [f for f in result.report.figures if f.fdef.id == "fig_core"]
    assert len(fig) == 1 and CAPTION in fig[0].caption
    assert set(fig[0].data["indicator"]) == {"core_va", "core_share_gdp"}
    text = (tmp_path / "out" / "narrative.md").read_text("utf-8")
    assert "数字经济核心产业增加值为2345.6亿元" in text
