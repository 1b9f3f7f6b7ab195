"""Counts, gaps, multiples and repeats read from the structure of statistical Chinese (round fc1): each
mechanism on sentences written for the test — one that holds, one that fails, a near miss that must not be
flagged."""
from __future__ import annotations

import pytest

from digecon.factcheck import check_text


def _claim(text: str, number: str):
    """The claim written `number` (`5个#2`: its second occurrence)."""
    number, _, nth = number.partition("#")
    found = [c for c in check_text(text) if c.text.replace(" ", "") == number]
    if nth:
        return found[int(nth) - 1]
    (c,) = found
    return c


@pytest.mark.parametrize("text, number, status", [
    # the members in the next clause, after 即
    ("2024年，全省数字经济增加值不足百亿元的市有4个，即鹤壁、濮阳、漯河、三门峡。", "4个", "consistent"),
    ("2024年，全省数字经济增加值不足百亿元的市有5个，即鹤壁、濮阳、漯河、三门峡。", "5个", "inconsistent"),
    # after a colon, districts the gazetteer lacks written with their suffix, the noun left out (的有N个)
    ("2024年，全市地区生产总值超过800亿元的有3个：江宁区、鼓楼区、浦口区。", "3个", "consistent"),
    ("2024年，全市地区生产总值超过800亿元的有4个：江宁区、鼓楼区、浦口区。", "4个", "inconsistent"),
    # in a bracket at the end of the count's clause
    ("2024年，全省有3家企业入选国家级智能制造示范工厂（徐工、恒力、盛虹）。", "3家", "consistent"),
    ("2024年，全省有4家企业入选国家级智能制造示范工厂（徐工、恒力、盛虹）。", "4家", "inconsistent"),
    # items that are no places, after the count's noun and a colon
    ("2024年，全省确定数据要素重点场景8项：智能制造、智慧农业、商贸流通、交通运输、金融服务、科技创新、文化旅游。",
     "8项", "inconsistent"),
    # 等 ends an open list: at least the items named
    ("2024年，全省有5家企业入选国家级智能制造示范工厂（徐工、恒力、盛虹等）。", "5家", "consistent"),
    # 和 inside the last name (服务和设计) or between two names: either reading may be meant
    ("2024年，全省培育特色产业集群3个：装备制造、生物医药、软件服务和信息设计。", "3个", "consistent"),
    ("2024年，全省培育特色产业集群4个：装备制造、生物医药、软件服务和信息设计。", "4个", "consistent"),
])
def test_a_count_against_the_members_listed_after_it(text, number, status):
    assert _claim(text, number).status == status


@pytest.mark.parametrize("text, number", [
    # two counts in one clause: the list after 即 is of both, so neither is checked against it
    ("全州辖6个县级市和2个县，即延吉、图们、敦化、珲春、龙井、和龙、汪清、安图。", "2个"),
    # a bracket of other matter (a share, a number) is no list of members
    ("2024年，全省有3家企业入选国家级智能制造示范工厂（占全国的2.5%）。", "3家"),
    # a count after a verb of change is an increment, not a count of the names after it
    ("2024年，全省新增5家上市公司（徐工、恒力、盛虹）。", "5家"),
    # the next clause lists values, not members
    ("2024年，全省超过千亿元的市有3个，分别为1,203.5亿元、1,108.2亿元和1,020.7亿元。", "3个"),
])
def test_a_near_miss_of_a_count_is_not_flagged(text, number):
    assert _claim(text, number).status != "inconsistent"


def test_the_regions_must_cover_a_bracketed_list():
    # 南宁 and 北海 are read as no regions here: the two the gazetteer reads are not the members
    text = "北部湾经济区4市（南宁、北海、钦州、防城港）合计10,553.3亿元。"
    assert _claim(text, "4").status != "inconsistent"
