"""The words charts print: periods in Chinese, the catalog's short names, 全省/全区/全市."""
from __future__ import annotations

import pytest

from digecon.figures.labels import period_label, periods_axis_name, short_name, whole_word


@pytest.mark.parametrize("period, label", [
    ("2021", "2021年"), ("2021-09", "2021年9月"), ("2021-12", "2021年12月"),
    ("2019-2021", "2019-2021年"), ("2021Q3", "2021年第三季度"), ("2022H1", "2022年上半年"),
    ("第5期", "第5期"),
])
def test_period_labels(period, label):
    assert period_label(period) == label


def test_axis_name_says_years_only_when_all_are_years():
    assert periods_axis_name(["2020", "2021"]) == "年份"
    assert periods_axis_name(["2020", "2021-09"]) == "时间"


def test_short_names_come_from_the_catalog():
    assert short_name("433100", "湘西土家族苗族自治州") == "湘西州"
    assert short_name("360100", "南昌市") == "南昌"
    assert short_name("999999", "某地") == "某地"  # unknown to the catalog: the name as given


@pytest.mark.parametrize("code, word", [("430000", "全省"), ("450000", "全区"),
                                        ("110000", "全市"), ("100000", "全国")])
def test_whole_word_follows_the_region_kind(code, word):
    assert whole_word(code) == word
