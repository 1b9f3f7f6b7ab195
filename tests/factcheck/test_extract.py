"""Extraction on the reference paper, scored against seedfacts/facts.csv, and on small texts."""
from __future__ import annotations

import pytest
from conftest import require_shared

from digecon.factcheck.extract import extract

from .seedeval import FACTS, SEED, fact_positions, normalise_map, score


@pytest.fixture(scope="module")
def seed_score():
    require_shared(SEED, FACTS)
    raw = SEED.read_text(encoding="utf-8")
    norm, where = normalise_map(raw)
    facts = fact_positions(norm)
    claims = extract(raw, default_region="江西省", default_period="2021")
    lo, hi = norm.index("前言 随着"), norm.rindex("四、江西省数字经济发展建议")
    return score(claims, where, facts, lo, hi), len(facts)


def test_recall_and_precision_on_the_paper(seed_score):
    (recall, precision, missed, extra), n = seed_score
    assert n == 473
    assert recall >= 0.90, [f["fact_id"] for f in missed]
    assert precision >= 0.90, [(c.text, c.quote) for c in extra]
    # measured when written: recall 468/473 = 0.989, precision 0.994
    assert recall > 0.98 and precision > 0.99


@pytest.mark.parametrize("text, expected", [
    ("全省数字经济增加值达10378亿元，同比增长19.5%。", [("10378", "亿元", "eq", "level"), ("19.5", "%", "eq", "growth_rate")]),
    ("南昌市数字经济增加值超2500亿元", [("2500", "亿元", "gt", "level")]),
    ("较2020年提升了2.5个百分点", [("2.5", "个百分点", "eq", "pp_change")]),
    ("增加了1.6倍", [("1.6", "倍", "eq", "multiple")]),
    ("首次迈入万亿大关", [("1", "万亿元", "ge", "level")]),
    ("区块链企业 110 余家", [("110", "家", "approx", "count")]),
    ("采集次数 1657 万余次", [("1657", "万次", "approx", "count")]),
    ("呈现三个梯队，南昌市为第一梯队", [("3", "个", "eq", "count"), ("1", "梯队", "eq", "rank")]),
    ("居全国第 3、中西部第 1", [("3", "位", "eq", "rank"), ("1", "位", "eq", "rank")]),
    ("占全省的比重超过 2/3", [("2/3", "", "gt", "share")]),
    ("5G基站、IPv6 和“5020”项目于2021年12月", []),
    ("1. 数字产业总量规模不大", []),
    ("压缩至 1.5 个工作日以内", [("1.5", "个工作日", "lt", "other")]),
])
def test_small_texts(text, expected):
    got = [(c.value, c.unit, c.qualifier, c.kind) for c in extract(text)]
    assert got == expected


def test_spans_region_period():
    text = "2021年，南昌市数字经济增加值超2500亿元。"
    (c,) = extract(text, default_region="江西省")
    assert text[c.start:c.end] == "2500亿元"
    assert (c.region, c.period) == ("南昌市", "2021")
