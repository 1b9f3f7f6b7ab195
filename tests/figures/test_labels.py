"""The words charts print: periods in Chinese, the catalog's short names, 全省/全区/全市."""
from __future__ import annotations

import pytest

from digecon.figures.labels import (
    period_label,
    periods_axis_name,
    periods_text,
    short_name,
    whole_word,
    with_remark,
)


@pytest.mark.parametrize("period, label", [
    ("2021", "2021年"), ("2021-09", "2021年9月"), ("2021-12", "2021年12月"),
    ("2019-2021", "2019—2021年"), ("2021Q3", "2021年第三季度"), ("2022H1", "2022年上半年"),
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


@pytest.mark.parametrize("periods, text", [
    (["2018", "2019", "2020", "2021", "2022", "2023"], "2018—2023年"),
    (["2022", "2018", "2019", "2020"], "2018—2020、2022年"),  # runs collapsed, the gap kept
    (["2016", "2020"], "2016、2020年"),
    (["2019", "2020"], "2019—2020年"),
    (["2021"], "2021年"),
    (["2018-12", "2019-12"], "2018年12月、2019年12月"),  # months are not years: listed
    (["2020", "2021", "2021-09"], "2020—2021年、2021年9月"),
    ([], ""),
])
def test_periods_text_writes_runs_of_years_as_spans(periods, text):
    assert periods_text(periods) == text


@pytest.mark.parametrize("source, text", [
    ("示意数据（编造，非统计数据）", "示意数据（编造，非统计数据），部分数值据其推算"),
    ("《公报》", "《公报》，部分数值据其推算"),
    ("由《白皮书》所述数值推算", "由《白皮书》所述数值推算"),  # says it already: once
])
def test_a_remark_on_a_source_reads_once_and_never_as_a_second_bracket(source, text):
    out = with_remark(source, "部分数值据其推算")
    assert out == text
    assert "）（" not in out and "））" not in out
