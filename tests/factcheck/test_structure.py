"""Mechanisms that read a text's structure rather than one clause — a rank against the list of its peers, a count
against its members, a slip of 10^k between two statements of one quantity — each on sentences written for the
test, with a near miss that must not be flagged."""
from __future__ import annotations

import pytest

from digecon.factcheck import check_text


def _claim(text: str, number: str):
    """The claim written `number` (`第3位#2`: its second occurrence)."""
    number, _, nth = number.partition("#")
    found = [c for c in check_text(text) if c.text.replace(" ", "") == number]
    if nth:
        return found[int(nth) - 1]
    (c,) = found
    return c


_FOUR_CITIES = ("2024年，石家庄市、唐山市、保定市、邯郸市工业增加值分别为2,105.3亿元、3,412.8亿元、1,286.4亿元和1,530.2亿元，"
                "四市合计8,334.7亿元；{city}在四市中居第3位。")
_CITY_TABLE = ("2024年全省主要城市地区生产总值（亿元）分别为：广州市30,355.7，深圳市34,606.4，佛山市13,276.1，"
               "东莞市11,438.1，惠州市5,977.4。\n\n{sentence}")
_COUNTIES = ("2024年，晋江市、南安市、惠安县、安溪县地区生产总值分别为3,520.6亿元、1,602.3亿元、1,450.8亿元和1,011.2亿元，"
             "{lead}南安市居第3位。")


@pytest.mark.parametrize("text, number, status, suggested", [
    # the rank's own phrase is the subject carried from 四市合计: it ranks the list before it
    (_FOUR_CITIES.format(city="保定市"), "3位", "inconsistent", "第4位"),
    (_FOUR_CITIES.format(city="邯郸市"), "3位", "consistent", None),
    # the list in the paragraph before, as a table-like enumeration (城市 value, …)
    (_CITY_TABLE.format(sentence="东莞市居第3位，惠州市居第5位。"), "3位", "inconsistent", "第4位"),
    (_CITY_TABLE.format(sentence="佛山市居第3位，惠州市居第5位。"), "3位", "consistent", None),
    # a rank of a quantity of its own, which the text lists for no region, is not checked against another's list
    (_CITY_TABLE.format(sentence="东莞市软件业务收入居第3位。"), "3位", "unverifiable", None),
    # only the regions of one list and no wider whole named: it ranks among them, so it cannot rank lower
    (_COUNTIES.format(lead=""), "3位", "inconsistent", "第2位"),
    # a wider whole (全市12个县（市、区）中): regions not listed may rank above it
    (_COUNTIES.format(lead="全市12个县（市、区）中，"), "3位", "unverifiable", None),
])
def test_a_rank_against_the_list_of_its_peers(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


@pytest.mark.parametrize("text, number, status", [
    # a count whose noun is before it (…的市州达到5个), its members after 分别是
    ("2024年，四川省地区生产总值超过3000亿元的市州达到5个，分别是成都市、绵阳市、宜宾市和德阳市。", "5个", "inconsistent"),
    ("2024年，四川省地区生产总值超过3000亿元的市州达到4个，分别是成都市、绵阳市、宜宾市和德阳市。", "4个", "consistent"),
    # …县市达到N个（A、B、C）: county-level names in the bracket right after the count
    ("2024年，江苏省地区生产总值超过2000亿元的县市达到3个（昆山市、江阴市、张家港市、常熟市）。", "3个", "inconsistent"),
    ("2024年，江苏省地区生产总值超过2000亿元的县市达到4个（昆山市、江阴市、张家港市、常熟市）。", "4个", "consistent"),
])
def test_a_count_against_its_members(text, number, status):
    assert _claim(text, number).status == status


@pytest.mark.parametrize("text, number, status", [
    # 以X的经济总量: the level of the quantity named after it, under another name (经济总量 = 地区生产总值)
    ("2024年，浙江省地区生产总值90,131亿元，增长5.5%。浙江以9.01亿元的经济总量居全国第四。", "9.01亿元", "inconsistent"),
    ("2024年，浙江省地区生产总值90,131亿元，增长5.5%。浙江以9.01万亿元的经济总量居全国第四。", "9.01万亿元", "consistent"),
    # 折合 after the level's rates, in another unit of the same dimension (1 吨 = 2000 斤): 10^k off is a slip
    ("全年全省粮食总产量3,540.2万吨，比上年增长1.2%，折合70.8亿斤。", "70.8亿斤", "inconsistent"),
    ("全年全省粮食总产量3,540.2万吨，比上年增长1.2%，折合708.0亿斤。", "708.0亿斤", "consistent"),
    # a daily average against the year's level over its days: only its order of magnitude
    ("2024年，全市接待海内外游客1.16亿人次，增长8.2%；日均接待游客约3.18万人次。", "3.18万人次", "inconsistent"),
    ("2024年，全市接待海内外游客1.16亿人次，增长8.2%；日均接待游客约31.8万人次。", "31.8万人次", "consistent"),
    ("2024年，全市接待海内外游客1.16亿人次，增长8.2%；日均接待游客约25万人次。", "25万人次", "consistent"),
])
def test_a_slip_of_ten_between_two_statements_of_one_quantity(text, number, status):
    assert _claim(text, number).status == status


_RACKS = "2024年，甲省四大区域数据中心在用机架分别为：东部地区312万架，中部地区186万架，西部地区240万架，东北地区84万架。"


@pytest.mark.parametrize("text, number, status", [
    # 是B的k倍 with no level of its own phrase for both regions: the nearest list that gives both
    (_RACKS + "东部地区机架规模是东北地区的2.7倍。", "2.7倍", "inconsistent"),
    (_RACKS + "东部地区机架规模是东北地区的3.7倍。", "3.7倍", "consistent"),
    # a multiple of a phrase of its own the list does not name is not checked against the list
    (_RACKS + "东部地区软件业务收入是东北地区的2.7倍。", "2.7倍", "unverifiable"),
    # 5G用户数 and 5G用户 are one quantity
    ("2024年末，全省移动电话用户5,120万户，其中5G用户2,380万户，5G用户数是上年的1.8倍（上年为1,586万户）。", "1.8倍",
     "inconsistent"),
    ("2024年末，全省移动电话用户5,120万户，其中5G用户2,380万户，5G用户数是上年的1.5倍（上年为1,586万户）。", "1.5倍",
     "consistent"),
])
def test_a_multiple_of_two_regions_against_the_list_that_gives_both(text, number, status):
    assert _claim(text, number).status == status
