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


@pytest.mark.parametrize("text, number, status", [
    # 两市合计 sums the last two items listed, not every level of the sentence
    ("2024年，成都市地区生产总值23,511.3亿元；绵阳、宜宾两市分别为4,250.1亿元和3,780.6亿元，两市合计8,030.7亿元。",
     "8,030.7亿元", "consistent"),
    ("2024年，成都市地区生产总值23,511.3亿元；绵阳、宜宾两市分别为4,250.1亿元和3,780.6亿元，两市合计8,130.7亿元。",
     "8,130.7亿元", "inconsistent"),
    # parts that are no flow break down the stock, not the year's addition stated after it
    (("年末全省发电装机容量1.52亿千瓦，全年新增装机容量1,260万千瓦。其中，火电8,150万千瓦，水电3,020万千瓦，"
     "风电2,430万千瓦，太阳能发电1,600万千瓦。"), "1,260万千瓦", "unverifiable"),
    (("年末全省发电装机容量1.52亿千瓦，全年新增装机容量1,260万千瓦。其中，火电8,150万千瓦，水电3,020万千瓦，"
     "风电2,430万千瓦，太阳能发电2,600万千瓦。"), "1.52亿千瓦", "inconsistent"),
])
def test_parts_join_only_their_own_total(text, number, status):
    assert _claim(text, number).status == status


@pytest.mark.parametrize("text, number, status", [
    # a 政府工作报告 reviews the year before its title's: 比2020年增加了1.5倍 spans four years
    ("某省2025年政府工作报告（节选）\n\n全省高新技术企业数量达到2.6万家，较2020年增加了1.5倍，年均增长25.7%。",
     "25.7%", "consistent"),
    ("某省2025年政府工作报告（节选）\n\n全省高新技术企业数量达到2.6万家，较2020年增加了1.5倍，年均增长20.1%。",
     "20.1%", "inconsistent"),
])
def test_a_work_report_reviews_the_year_before(text, number, status):
    assert _claim(text, number).status == status


_WIND = "2024年，全国风电装机由2020年的2.8亿千瓦增至{end}亿千瓦{word}，年均增长{rate}%。"


@pytest.mark.parametrize("text, number, status", [
    # 由2020年的X增至Y with no year of its own: Y is the clause's year, so the CAGR spans four years
    (_WIND.format(end="5.2", word="", rate="16.7"), "16.7%", "consistent"),
    (_WIND.format(end="5.2", word="", rate="13.2"), "13.2%", "inconsistent"),
    # 翻了一番 admits 2 within 10 %: 2.8 → 4.9 (1.75) is no doubling, and the CAGR that agrees with the levels
    # is not the one blamed
    (_WIND.format(end="4.9", word="，翻了一番", rate="15.0"), "翻了一番", "inconsistent"),
    (_WIND.format(end="4.9", word="，翻了一番", rate="15.0"), "15.0%", "consistent"),
    (_WIND.format(end="5.7", word="，翻了一番", rate="19.4"), "翻了一番", "consistent"),
])
def test_a_span_to_the_clauses_year_and_a_vague_doubling(text, number, status):
    assert _claim(text, number).status == status


@pytest.mark.parametrize("text, number, status", [
    # “一主两副”三市合计占全省的: the last three regions the sentence gives levels for, over the province's level
    (("2024年，全省地区生产总值40,000.0亿元。长沙市地区生产总值15,268.8亿元，"
     "株洲、湘潭两市分别为4,010.2亿元和3,020.6亿元，双双超过3000亿元，“一核两翼”三市合计占全省的55.7%。"), "55.7%",
     "consistent"),
    (("2024年，全省地区生产总值40,000.0亿元。长沙市地区生产总值15,268.8亿元，"
     "株洲、湘潭两市分别为4,010.2亿元和3,020.6亿元，双双超过3000亿元，“一核两翼”三市合计占全省的58.7%。"), "58.7%",
     "inconsistent"),
])
def test_a_share_of_the_last_regions_counted(text, number, status):
    assert _claim(text, number).status == status


_VISITORS = "2024年，全市接待游客1.65亿人次，增长12.0%。\n\n全年游客接待量{bound}亿人次，旅游总收入再创新高。"


@pytest.mark.parametrize("text, number, status", [
    # a bound under another phrasing of the one level stated before (游客接待量 ~ 接待游客) restates it
    (_VISITORS.format(bound="突破1.7"), "1.7亿人次", "inconsistent"),
    (_VISITORS.format(bound="突破1.6"), "1.6亿人次", "consistent"),
    # the start of a change in its own sentence is no restatement
    ("2024年，全市城镇居民人均可支配收入48,612元。\n\n五年来，城镇居民人均可支配收入从不足4万元提高到近4.9万元。",
     "4万元", "unverifiable"),
])
def test_a_bound_restates_a_level_under_another_phrasing(text, number, status):
    assert _claim(text, number).status == status


@pytest.mark.parametrize("text, number, status", [
    # a count of named items that are no regions: in a bracket after its noun, or listed before it with 等
    ("2024年，全省共有3家企业（甲科技、乙电子、丙软件、丁数据）入选全国百强。", "3家", "inconsistent"),
    ("2024年，全省共有4家企业（甲科技、乙电子、丙软件、丁数据）入选全国百强。", "4家", "consistent"),
    ("2024年，甲科技、乙电子、丙软件、丁数据等3家企业入选全国百强。", "3家", "inconsistent"),
    ("2024年，甲科技、乙电子、丙软件、丁数据等4家企业入选全国百强。", "4家", "consistent"),
    # a bracket of anything else, or a count after a verb of change, is no list of members
    ("2024年，全省有5家企业（占全国的12%）入选。", "5家", "unverifiable"),
    ("2024年，全省新增3家企业（甲科技、乙电子）。", "3家", "unverifiable"),
])
def test_a_count_of_named_items(text, number, status):
    assert _claim(text, number).status == status


@pytest.mark.parametrize("text, number, status", [
    # 相当于X的y%: a share of X (not 相当于上年的y%, an index over a period)
    ("2023年，湖北省数字经济增加值22,300亿元，相当于地区生产总值的40.0%。全省地区生产总值55,803.6亿元。", "40.0%",
     "consistent"),
    ("2023年，湖北省数字经济增加值22,300亿元，相当于地区生产总值的45.0%。全省地区生产总值55,803.6亿元。", "45.0%",
     "inconsistent"),
    ("2023年，全省工业用电量1,200亿千瓦时，相当于上年的105.3%。", "105.3%", "unverifiable"),
])
def test_a_share_written_as_equivalent_to(text, number, status):
    assert _claim(text, number).status == status
