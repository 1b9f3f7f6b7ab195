"""Table-driven tests of the Chinese number language."""
from __future__ import annotations

from decimal import Decimal

import pytest

from digecon.narrative import fmt


@pytest.mark.parametrize("x, d, expected", [
    (12.65, 1, "12.7"), (2.675, 2, "2.68"), (-2.45, 1, "-2.5"), (0.5, 0, "1"),
    (1.5, 0, "2"), (2.5, 0, "3"), (12.6054, 1, "12.6"), (-0.04, 1, "0.0"), ("35", 1, "35.0"),
])
def test_round_half_up(x, d, expected):
    assert fmt.format_number(x, d) == expected


@pytest.mark.parametrize("v, kw, expected", [
    (10378, {}, "1.04万亿元"), (10378, {"scale": "亿元"}, "10378亿元"), (1308.2, {}, "1308.2亿元"),
    (9070.0, {}, "9070亿元"), (417.25, {"decimals": 1}, "417.3亿元"), (16500, {}, "1.65万亿元"),
    (99999, {"scale": "万亿元", "decimals": 1}, "10.0万亿元"), (5.39, {"decimals": 2}, "5.39亿元"),
])
def test_format_amount(v, kw, expected):
    assert fmt.format_amount(v, **kw) == expected


@pytest.mark.parametrize("n, unit, expected", [
    (9600, "户", "9600户"), (150000, "户", "15万户"), (18000, "个", "1.8万个"),
    (1060000, "人", "106万人"), (52340, "个", "5.2万个"),
])
def test_format_count(n, unit, expected):
    assert fmt.format_count(n, unit) == expected


@pytest.mark.parametrize("g, expected", [
    (19.5, "增长19.5%"), (-3.2, "下降3.2%"), (0.04, "与上年持平"), (-0.04, "与上年持平"),
    (25.449, "增长25.4%"), (25.45, "增长25.5%"),
])
def test_format_change(g, expected):
    assert fmt.format_change(g) == expected


@pytest.mark.parametrize("pp, expected", [
    (2.5, "提升2.5个百分点"), (-0.3, "下降0.3个百分点"), (0.0, "持平"), (4.11, "提升4.1个百分点"),
])
def test_format_pp(pp, expected):
    assert fmt.format_pp(pp) == expected


def test_format_gap():
    assert fmt.format_gap(10.7, "地区生产总值增速") == "高于地区生产总值增速10.7个百分点"
    assert fmt.format_gap(-1.25, "全国") == "低于全国1.3个百分点"
    assert fmt.format_gap(0.01, "全国") == "与全国持平"


@pytest.mark.parametrize("ratio, mode, expected", [
    (2.6, "added", "增加了1.6倍"), (2.6, "of", "2.6倍"), (2.56, "added", "增加了1.6倍"),
    (10378 / 3969, "added", "增加了1.6倍"),
])
def test_format_multiple(ratio, mode, expected):
    assert fmt.format_multiple(ratio, mode) == expected


def test_format_range_and_pct():
    assert fmt.format_range(20, 30, "%", 0) == "20%～30%"
    assert fmt.format_range(3, 7, "个百分点") == "3.0～7.0个百分点"
    assert fmt.format_pct(35) == "35.0%"


@pytest.mark.parametrize("v, step, unit, expected", [
    (2587, 500, "亿元", "超2500亿元"), (1180, 1000, "亿元", "超1000亿元"), (2500, 500, "亿元", "超2000亿元"),
    (41.2, 5, "%", "超40%"),
])
def test_threshold_phrase(v, step, unit, expected):
    assert fmt.threshold_phrase(v, step, unit) == expected


def test_milestone_and_numerals():
    assert fmt.milestone_phrase(10378, 8686) == "首次迈入万亿大关"
    assert fmt.milestone_phrase(10378) == "迈入万亿大关"
    assert fmt.milestone_phrase(9999) == ""
    assert fmt.milestone_phrase(25000) == "突破2万亿元"
    assert [fmt.cn_small(n) for n in (2, 3, 5, 10, 11, 21)] == ["两", "三", "五", "十", "十一", "二十一"]
    assert fmt.cn_small(2, before_measure=False) == "二"
    assert fmt.mark("2600亿元", "illustrative") == "2600亿元" + fmt.ILLUSTRATIVE_MARK
    assert fmt.mark("2600亿元", "published") == "2600亿元"


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="expected a number"):
        fmt.format_pct("abc")
    with pytest.raises(ValueError, match="scale"):
        fmt.format_amount(1, scale="元")
    with pytest.raises(ValueError, match="mode"):
        fmt.format_multiple(2, mode="times")
    assert fmt.round_half_up(Decimal("1.25"), 1) == Decimal("1.3")
