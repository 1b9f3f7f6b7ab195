"""Shares, wholes and sums of the fc2 round: each mechanism with a case that holds, one that fails, a near miss."""
from __future__ import annotations

import pytest

from digecon.factcheck import check_text


def _claim(text: str, number: str):
    (c,) = [c for c in check_text(text) if c.text == number]
    return c


_AGES = ("2020年，全省常住人口为4,259.1万人。全省常住人口中，0—14岁人口为472.6万人，占11.10%；15—59岁人口为"
         "2,782.1万人，占65.32%；60岁及以上人口为1,004.4万人，占23.58%，其中65岁及以上人口为718.8万人，占{x}%。")


@pytest.mark.parametrize("x, status", [("16.88", "consistent"), ("17.88", "inconsistent")])
def test_an_age_names_a_group_and_its_share_is_of_the_population(x, status):
    # 65岁及以上 is not 60岁及以上 (the age is part of the phrase); 占16.88% after 其中 is of 常住人口, the
    # whole the sentence names, since it does not hold of the 60岁及以上 total
    claims = check_text(_AGES.format(x=x))
    by = {c.text: c for c in claims}
    assert by[f"{x}%"].status == status
    assert by["65.32%"].status == "consistent" and by["11.10%"].status == "consistent"
    assert not any(c.text in ("60", "65", "14", "59") for c in claims)


def test_an_age_that_is_a_claim_stays_one():
    claims = check_text("2023年，全省人均预期寿命达到78.6岁，比上年提高0.4岁。")
    assert any(c.text.startswith("78.6") for c in claims)


@pytest.mark.parametrize("k, status", [("2.1", "consistent"), ("2.5", "inconsistent")])
def test_a_multiple_of_two_age_groups(k, status):
    text = _AGES.format(x="16.88") + f"60岁及以上人口是0—14岁人口的{k}倍。"
    assert _claim(text, f"{k}倍").status == status  # 1004.4 / 472.6 = 2.13


_SOFT = ("2024年，全国软件和信息技术服务业（以下简称软件业）规模以上企业累计完成软件业务收入113,256亿元。"
         "软件产品收入27,650亿元，占全行业收入的比重为24.4%；信息技术服务收入76,120亿元，其中云服务收入11,350亿元，"
         "占信息技术服务收入的{c}%；嵌入式系统软件收入7,700亿元，占6.8%。")


@pytest.mark.parametrize("c, status", [("14.9", "consistent"), ("10.0", "inconsistent")])
def test_a_share_whose_whole_is_left_unsaid_is_not_judged_against_the_wrong_one(c, status):
    # 占6.8% after a 其中 share: of 全行业收入 (7,700 / 113,256), not of 信息技术服务收入 (10.1 %)
    claims = check_text(_SOFT.format(c=c))
    by = {x.text: x for x in claims}
    assert by[f"{c}%"].status == status
    assert by["6.8%"].status != "inconsistent"
    assert by["76,120亿元"].status != "inconsistent"


_REGIONS = ("2024年，全国软件和信息技术服务业规模以上企业累计完成软件业务收入113,256亿元。"
            "东部地区完成软件业务收入93,520亿元，占全国软件业的比重为82.6%；中部地区完成软件业务收入6,105亿元，占全国的5.4%；"
            "西部地区完成软件业务收入11,460亿元，占全国的{w}%；东北地区完成软件业务收入2,171亿元，占全国的1.9%。"
            "全国15个副省级中心城市实现软件业务收入58,640亿元，占全国的51.8%。")


@pytest.mark.parametrize("w, status", [("10.1", "consistent"), ("11.1", "inconsistent")])
def test_regional_shares_of_one_whole_and_a_group_of_cities_that_is_no_whole(w, status):
    claims = check_text(_REGIONS.format(w=w))
    by = {c.text: c for c in claims}
    assert by[f"{w}%"].status == status
    assert by["82.6%"].status == "consistent"  # 占全国软件业: the industry's 软件业务收入 of 全国
    # the fifteen cities are part of 全国: their total is no whole of the regions' shares or sums
    for n in ("58,640亿元", "93,520亿元", "6,105亿元", "2,171亿元", "5.4%", "1.9%"):
        assert by[n].status != "inconsistent", n


def test_prefectures_summed_may_differ_from_the_province_by_a_statistical_discrepancy():
    from digecon.factcheck.graph import _REGION_SLACK
    assert _REGION_SLACK == 0.005
    text = ("2024年，湖南省地区生产总值53,231.6亿元。长沙市15,268.3亿元，岳阳市5,106.7亿元，常德市4,912.4亿元，"
            "衡阳市4,506.2亿元，株洲市3,903.5亿元，郴州市3,281.6亿元，湘潭市2,896.0亿元，邵阳市2,821.9亿元，"
            "永州市2,578.3亿元，益阳市2,368.1亿元，娄底市2,040.8亿元，怀化市2,012.5亿元，湘西土家族苗族自治州"
            "（以下简称湘西州）856.2亿元，张家界市{z}亿元。")
    # the fourteen sum to 53,180.9 (0.1 % under the province's): no error
    assert [c.text for c in check_text(text.format(z="628.4")) if c.status == "inconsistent"] == []
    # one written 10 times too large is no discrepancy
    bad = [c.text for c in check_text(text.format(z="6,284.0")) if c.status == "inconsistent"]
    assert bad
