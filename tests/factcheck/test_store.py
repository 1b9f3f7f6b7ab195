"""Checks against the store: exact cells, published bounds, older vintages, and a gap that holds only
against real GDP growth. The store is a small one written here (Hunan, invented values)."""
from __future__ import annotations

import pandas as pd
import pytest

from digecon.factcheck import check_text
from digecon.ingest import write_frame
from digecon.store import Store

ROWS = [  # region, indicator, period, value, unit, qualifier, status, vintage
    ("430000", "de_va", "2023", "15000", "亿元", "eq", "published", "2024-03-01"),
    ("430000", "de_growth", "2023", "12.0", "%", "eq", "published", "2024-03-01"),
    ("430000", "gdp_growth_real", "2023", "4.6", "%", "eq", "published", "2024-03-01"),
    ("430000", "gdp_growth", "2023", "6.9", "%", "eq", "published", "2024-03-01"),
    ("430100", "de_va", "2023", "5000", "亿元", "gt", "published", "2024-03-01"),  # 长沙 超5000亿元
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = Store(tmp_path_factory.mktemp("fc") / "s.duckdb")
    st.init()
    cols = ["region", "indicator", "period", "value", "unit", "qualifier", "status", "vintage"]
    frame = pd.DataFrame(ROWS, columns=cols).assign(source="测试数据（虚构）")
    write_frame(st, frame, origin="test_store")
    revision = pd.DataFrame([("430000", "de_va", "2023", "15200", "亿元", "eq", "published", "2024-09-01")],
                            columns=cols).assign(source="测试数据（虚构）")
    write_frame(st, revision, origin="test_store_revision")
    return st


def _one(claims, text):
    (c,) = [c for c in claims if c.text == text]
    return c, [k for k in c.checks if k.rule == "store"]


def test_a_cell_at_the_latest_and_an_older_vintage(store):
    claims = check_text("2023年，湖南省数字经济增加值为1.52万亿元。", store=store)
    c, (k,) = _one(claims, "1.52万亿元")
    assert c.status == "consistent" and k.ok is True and "版本2024-09-01" in k.explanation
    claims = check_text("2023年，湖南省数字经济增加值为1.50万亿元。", store=store)
    c, (k,) = _one(claims, "1.50万亿元")
    assert c.status == "inconsistent" and c.suggested == "1.52万亿元"
    assert "与较早版本（2024-03-01）的15000一致" in k.explanation
    claims = check_text("2023年，湖南省数字经济增加值为1.50万亿元。", store=store, as_of="2024-06-30")
    assert _one(claims, "1.50万亿元")[0].status == "consistent"


def test_a_published_bound_is_evidence(store):
    above = check_text("2023年，长沙市数字经济增加值为5230亿元。", store=store)
    c, (k,) = _one(above, "5230亿元")
    assert c.status == "consistent" and "超过5000亿元" in k.explanation
    below = check_text("2023年，长沙市数字经济增加值为4800亿元。", store=store)
    assert _one(below, "4800亿元")[0].status == "inconsistent"


@pytest.mark.parametrize("words, status", [("地区生产总值增速", "consistent"),          # 12.0 − 4.6 = 7.4
                                            ("地区生产总值名义增速", "inconsistent")])  # 12.0 − 6.9 = 5.1
def test_gap_to_gdp_holds_only_against_real_growth(store, words, status):
    text = f"2023年，湖南省数字经济增加值同比增长12.0%，高于{words}7.4个百分点。"
    c, (k,) = _one(check_text(text, store=store), "7.4个百分点")
    assert c.status == status
    if status == "inconsistent":
        assert c.suggested == "5.1个百分点" and "gdp_growth" in k.explanation
