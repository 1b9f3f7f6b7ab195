"""Clause parsing: each construction of statistical Chinese gives the statement it should."""
from __future__ import annotations

import pytest

from digecon.factcheck.clauses import parse, previous


def stmts(text, region="湖南省"):
    return {s.num.text: s for s in parse(text, main_region=region)}


def test_levels_from_to_and_the_change_between_them():
    s = stmts("数字经济增加值占GDP比重由2020年的30.5%提高到2022年的35.2%，提高4.7个百分点，年均提升2.4个百分点。")
    a, b, pp, avg = s["30.5%"], s["35.2%"], s["4.7个百分点"], s["2.4个百分点"]
    assert (a.measure, a.period, b.period, a.whole) == ("share", "2020", "2022", "GDP")
    assert (pp.measure, pp.of, pp.period, pp.base) == ("pp", "share", "2022", "2020")
    assert (avg.measure, avg.period, avg.base) == ("avg_pp", "2022", "2020")


@pytest.mark.parametrize("clause, measure, base, value", [
    ("同比增长16.1%", "growth", "2021-09", 16.1),
    ("比上年增长16.1%", "growth", "2021-09", 16.1),
    ("较上年增加18.4万公里", "increment", "2021-09", 18.4),
    ("比上年净增18.4万公里", "increment", "2021-09", 18.4),
    ("较2019年9月底增长16.1%", "growth", "2019-09", 16.1),
    ("同比下降3.2%", "growth", "2021-09", -3.2),
    ("比上年减少1.5万公里", "increment", "2021-09", -1.5),
])
def test_changes_take_their_base_from_the_clause_period(clause, measure, base, value):
    text = f"截至2022年9月底，全省光缆线路总长度达233.1万公里，{clause}。"
    st = parse(text, main_region="湖南省")[-1]
    assert (st.measure, st.quantity, st.period, st.base) == (measure, "光缆线路总长度", "2022-09", base)
    assert st.num.value == value


def test_share_of_a_named_whole_and_in_w():
    s = stmts("2023年，全省信息技术服务收入780.3亿元，占软件业务收入的比重为63.2%；5G用户在移动电话用户中的占比为46.6%。")
    assert (s["63.2%"].measure, s["63.2%"].quantity, s["63.2%"].whole) == ("share", "信息技术服务收入", "软件业务收入")
    assert (s["46.6%"].quantity, s["46.6%"].whole) == ("5G用户", "移动电话用户")


def test_respectively_maps_by_position():
    s = stmts("2023年，长沙、株洲、湘潭的软件收入分别为800.2亿元、120.5亿元和90.1亿元。")
    assert [(s[k].region, s[k].quantity) for k in ("800.2亿元", "120.5亿元", "90.1亿元")] == [
        ("长沙市", "软件收入"), ("株洲市", "软件收入"), ("湘潭市", "软件收入")]
    s = stmts("2023年，全省申报项目170个，总投资5340亿元，分别增长6.3%和7.5%。")
    assert [(s[k].measure, s[k].quantity) for k in ("6.3%", "7.5%")] == [
        ("growth", "申报项目"), ("growth", "总投资")]


def test_gap_with_the_comparator_in_brackets():
    s = stmts("2023年，全省软件业务收入同比增长12.6%，高于全国1.2个百分点（全国为11.4%）。")
    gap, nat = s["1.2个百分点"], s["11.4%"]
    assert (gap.measure, gap.comparator, gap.of) == ("gap", ("软件业务收入", "全国"), "growth")
    assert (nat.measure, nat.region, nat.quantity) == ("growth", "全国", "软件业务收入")
    low = stmts("2023年，全省网络零售额增长11.6%，比全国低0.9个百分点。")["0.9个百分点"]
    assert (low.measure, low.num.value) == ("gap", -0.9)


def test_multiples():
    s = stmts("2023年，全省网络零售额是2018年的2.1倍，年均增长16.0%。")
    assert (s["2.1倍"].measure, s["2.1倍"].period, s["2.1倍"].base, s["2.1倍"].num.value) == (
        "ratio", "2023", "2018", 2.1)
    assert (s["16.0%"].measure, s["16.0%"].base) == ("cagr", "2018")
    added = stmts("2016-2021年，全省数字经济增加值增加了1.6倍。")["1.6倍"]
    assert (added.num.value, added.period, added.base) == (2.6, "2021", "2016")
    assert stmts("2023年，营业收入比2018年翻了一番。")["翻了一番"].num.value == 2


def test_rank_count_and_members():
    s = stmts("2023年，长沙、株洲、湘潭3个城市数字经济增加值超过1000亿元，长沙市居全省第一位。")
    assert (s["3个"].measure, s["3个"].members) == ("count", ["长沙市", "株洲市", "湘潭市"])
    assert s["1000亿元"].region == "长沙市|株洲市|湘潭市" and s["1000亿元"].num.qualifier == "gt"
    assert (s["一位"].measure, s["一位"].region, s["一位"].scope) == ("rank", "长沙市", "湖南省")


def test_parts_and_sum():
    s = stmts("2023年，全省地区生产总值50,012亿元。其中，第一产业增加值4,663亿元，第二产业增加值19,169亿元。")
    assert s["4,663亿元"].parent == 0 and s["19,169亿元"].parent == 0
    t = stmts("2023年，A类收入120亿元，B类收入80亿元，两者合计200亿元。")
    assert t["200亿元"].group is not None


def test_previous_period():
    assert [previous(p) for p in ("2021", "2021-09", "2021H1", "2016-2021", "")] == [
        "2020", "2020-09", "2020H1", "", ""]
    s = stmts("2023年，全省网络零售额为680.3亿元，同比增长20.4%，上年为565.1亿元。")
    assert (s["565.1亿元"].period, s["565.1亿元"].quantity, s["20.4%"].base) == ("2022", "网络零售额", "2022")
