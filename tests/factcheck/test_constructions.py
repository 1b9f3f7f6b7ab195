"""Constructions added for issue 12, each on a short text of its own: the claim that must be flagged (or not)."""
from __future__ import annotations

import pytest

from digecon.factcheck import check_text
from digecon.factcheck.regions import partition_of, whole_area, within


def _status(text: str, number: str) -> tuple[str, str | None]:
    (c,) = [c for c in check_text(text) if c.text.replace(" ", "") == number]
    return c.status, c.suggested


@pytest.mark.parametrize("text, number, status", [
    # counts: members after a colon, after 分别是, in a later bracket; 等 is a lower bound
    ("2023年，全省有4个市州数字经济规模超过1,000亿元：长沙、株洲、湘潭、岳阳、常德、衡阳。", "4个", "inconsistent"),
    ("2023年，全省有6个市州数字经济规模超过1,000亿元：长沙、株洲、湘潭、岳阳、常德、衡阳。", "6个", "consistent"),
    ("2023年，四川省有5个市州实现乡镇5G全覆盖，分别是成都、德阳、绵阳、遂宁。", "5个", "inconsistent"),
    ("2023年，湖南省有3个市州软件业务收入超过20亿元（长沙、株洲、湘潭、衡阳）。", "3个", "inconsistent"),
    ("2023年，四川省绵阳、德阳、宜宾、南充、泸州等4个市网络零售额超过200亿元。", "4个", "inconsistent"),
    ("2023年，四川省绵阳、德阳、宜宾等4个市网络零售额超过200亿元。", "4个", "consistent"),
    # shares of one whole: regions listed with 分别占; 其他 makes the list exhaustive; nested classes are not summed
    ("2023年，内蒙古自治区呼和浩特市、乌兰察布市和鄂尔多斯市在用机架数分别占全区的52.4%、31.8%和21.5%。",
     "21.5%", "inconsistent"),
    ("2023年，新疆5G、4G和其他制式用户分别占全区移动电话用户的39.8%、55.6%和5.6%。", "5.6%", "inconsistent"),
    ("2023年，湖南省固定宽带接入用户中，100Mbps及以上用户占95.6%，1000Mbps及以上用户占18.2%。", "95.6%",
     "unverifiable"),
    ("2023年，湖南省三次产业增加值占地区生产总值的比重依次为9.1%、36.2%和56.7%。", "56.7%", "inconsistent"),
    # doubling within 10 %; 翻两番 is four times
    ("2023年，全省快递业务量42.6亿件，比2019年翻了一番，2019年为21.8亿件。", "翻了一番", "consistent"),
    ("2023年，全国网上零售额15.42万亿元，与2018年相比翻了一番，2018年为9.01万亿元。", "翻了一番", "inconsistent"),
    ("2023年，核心产业规模1.35万亿元，比2019年翻了两番（2019年为0.68万亿元）。", "翻了两番", "inconsistent"),
    # a rank among regions of its scope only
    (("2023年，湖南省数字经济规模排名中部第三，湖北省、河南省、安徽省分别为2.2万亿元、1.9万亿元和1.8万亿元，"
      "湖南省为1.69万亿元。"), "第三", "inconsistent"),
    (("2023年，湖南省数字经济规模排名中部第四，湖北省、河南省、安徽省、广东省分别为2.2万亿元、1.9万亿元、"
      "1.8万亿元和6.9万亿元，湖南省为1.69万亿元。"), "第四", "consistent"),
    # pp change against the rate stated for its base period in the same sentence
    ("2023年末，全国5G用户占移动电话用户的46.6%，比上年末提高13.3个百分点；2022年末5G用户占比为32.3%。",
     "13.3个百分点", "inconsistent"),
    ("2023年，岳阳市常住人口城镇化率为62.8%，比上年提高1.1个百分点（上年为61.9%）。", "1.1个百分点", "inconsistent"),
    # 全省 in a prefecture's text is its province
    ("2023年，岳阳市规模以上工业增加值增长7.4%，高于全省平均水平2.6个百分点（全省增长4.8%）。", "2.6个百分点",
     "consistent"),
    # a count of whole things is exact
    ("截至2023年底，全国双跨平台达到50家，比上年增加21家，上年为28家。", "21家", "inconsistent"),
    # a base level named before its quantity
    ("与2018年的10,420.5亿元相比，2023年广东省软件业务收入18,960.3亿元，增加了0.8倍，年均增长13.5%。", "13.5%",
     "inconsistent"),
    # 在全国的占比, 是全国平均水平的k倍（全国为X）, 较全国高
    ("2023年，湖南省网络零售额3,950.2亿元，在全国的占比为2.9%，全国网络零售额为15.42万亿元。", "2.9%", "inconsistent"),
    ("2023年，湖南省人均网络零售额为6,012元，是全国平均水平的0.6倍（全国为10,938元）。", "0.6倍", "inconsistent"),
    ("2023年，湖南省人均网络零售额为6,012元，是全国平均水平的0.5倍（全国为10,938元）。", "0.5倍", "consistent"),
    ("2023年，湖南省网络零售额增长12.6%，较全国高2.6个百分点，全国增长11.0%。", "2.6个百分点", "inconsistent"),
    # 全省 in a city's text; 两年平均增长; 其余…合计 is a part (the rest), not a total of what precedes it
    ("2023年，长沙市数字经济规模5,120亿元，占全省的32.3%，全省数字经济规模1.69万亿元。", "32.3%", "inconsistent"),
    ("2023年，全省网络零售额同比增长12.6%，两年平均增长8.3%；2021年全省网络零售额为3,368.0亿元，2023年为3,950.2亿元。",
     "8.3%", "consistent"),
    (("2023年，湖南省网络零售额3,950.2亿元，其中长沙市2,120.5亿元、株洲市312.4亿元、岳阳市286.7亿元，"
      "其余11个市州合计1,230.6亿元。"), "1,230.6亿元", "consistent"),
    # counts whose noun is before them; a multiple over the earlier year stated with it; a ranked list
    ("2023年，全省14个市州中，数字经济规模超千亿元的有长沙、株洲、岳阳、常德、衡阳4个。", "4个", "inconsistent"),
    ("2023年，全省数字经济规模超千亿元的市州有5个，分别为长沙、株洲、岳阳、常德。", "5个", "inconsistent"),
    ("2023年，全省5G基站总数达到7,420个，较上年增加2,160个，上年末为5,260个。", "2,160个", "consistent"),
    ("2023年，湖南省网络零售额达3,950.2亿元，实现翻番，2018年为1,105.3亿元。", "翻番", "inconsistent"),
    ("2023年，数字经济规模排名前三的城市依次为长沙、岳阳、常德，分别为5,120亿元、1,360亿元和1,450亿元。", "1,450亿元",
     "inconsistent"),
    ("2023年，数字经济规模排名前三的城市依次为长沙、常德、岳阳，分别为5,120亿元、1,450亿元和1,360亿元。", "1,450亿元",
     "consistent"),
    # a comparator without its measure noun; W中A占x%; the noun after a count; a bare 营业收入 is not an alias
    ("2023年，湘潭市规模以上工业增加值比上年增长6.9%，其中电子信息产业增加值增长15.8%，高于全市规模以上工业9.9个百分点。",
     "9.9个百分点", "inconsistent"),
    ("2023年，全国从速率看，固定宽带用户中100Mbps及以上用户占94.2%，100Mbps以下用户占7.1%。", "7.1%", "inconsistent"),
    (("截至2023年底，全国已上线二级节点315个，覆盖31个省份的45个重点行业，其中东部地区176个，中部地区68个，"
      "西部地区52个，东北地区19个。"), "45个", "unverifiable"),
    ("2023年，湘潭市软件企业达到420家，营业收入约58亿元。全市电子信息产业营业收入达到512.6亿元。", "58亿元", "unverifiable"),
    # one corrected value must fix every failure it is blamed for
    (("2023年，湖南省规模以上电子信息制造业企业营业收入5,210.8亿元，占全省规模以上工业营业收入的12.6%，"
      "全省规模以上工业营业收入为40,286.3亿元。全省规模以上电子信息制造业企业营业收入为5,120.8亿元。"), "12.6%",
     "inconsistent"),
    # set 9: 全市 in a province's text is the city of the sentence; shares of a group of regions; county-level
    # members of a count; structure ratios; a comparator without its measure noun; a CAGR from a side year
    (("2023年，江苏省苏州市数字经济核心产业增加值3,200亿元，占全市地区生产总值的13.0%，全市地区生产总值为24,653亿元；"
      "无锡市数字经济核心产业增加值1,450亿元，占全市地区生产总值的9.7%，全市地区生产总值为15,456亿元。"), "9.7%",
     "inconsistent"),
    (("2023年，江苏省苏州市数字经济核心产业增加值3,200亿元，占全市地区生产总值的13.0%，全市地区生产总值为24,653亿元；"
      "无锡市数字经济核心产业增加值1,450亿元，占全市地区生产总值的9.7%，全市地区生产总值为15,456亿元。"), "24,653亿元",
     "consistent"),
    (("2023年，广东省深圳市、广州市数字经济核心产业增加值分别为10,200亿元和3,900亿元，两市合计占全省的63.5%，"
      "全省数字经济核心产业增加值为22,100亿元。"), "63.5%", "inconsistent"),
    (("2023年，广东省深圳市、广州市数字经济核心产业增加值分别为10,200亿元和3,900亿元，两市合计占全省的63.8%，"
      "全省数字经济核心产业增加值为22,100亿元。"), "63.8%", "consistent"),
    ("2023年，湖州市南浔区、德清县、长兴县、安吉县4个区县均入选国家数字乡村试点。", "4个", "consistent"),
    ("2023年，湖州市南浔区、德清县、长兴县、安吉县5个区县均入选国家数字乡村试点。", "5个", "inconsistent"),
    (("2023年，湖南省第一产业增加值4,538.3亿元，第二产业增加值14,921.5亿元，第三产业增加值20,553.1亿元，"
      "地区生产总值40,012.9亿元，三次产业结构为11.3:36.3:51.4。"), "36.3", "inconsistent"),
    (("2023年，湖南省第一产业增加值4,538.3亿元，第二产业增加值14,921.5亿元，第三产业增加值20,553.1亿元，"
      "地区生产总值40,012.9亿元，三次产业结构为11.3:36.3:51.4。"), "51.4", "consistent"),
    ("2023年，全省三次产业结构为9.5:38.6:52.9。", "52.9", "inconsistent"),
    ("2023年，全省三次产业结构为9.5:38.6:51.9。", "51.9", "consistent"),
    ("2023年，全省软件产品收入240.5亿元，信息技术服务收入560.2亿元，软件产品收入与信息技术服务收入之比约为3:7。", "3",
     "consistent"),
    ("2023年，全省软件产品收入240.5亿元，信息技术服务收入560.2亿元，软件产品收入与信息技术服务收入之比约为4:6。", "4",
     "inconsistent"),
    ("2023年，全市规模以上工业增加值比上年增长5.1%，其中高技术制造业增长9.8%，高于全市规模以上工业3.7个百分点。",
     "3.7个百分点", "inconsistent"),
    ("2023年，全市规模以上工业增加值比上年增长5.1%，其中高技术制造业增长9.8%，高于全市规模以上工业4.7个百分点。",
     "4.7个百分点", "consistent"),
    ("2023年，全省软件业务收入2,105.6亿元。2018年全省软件业务收入为1,012.4亿元，五年间年均增长17.8%。", "17.8%",
     "inconsistent"),
    ("2023年，全省软件业务收入2,105.6亿元。2018年全省软件业务收入为1,012.4亿元，五年间年均增长15.8%。", "15.8%",
     "consistent"),
    # set 10: the regions above a rank named with bracketed values after 仅次于
    (("2023年，湖南省累计建成5G基站12.4万个，位居中部第二，仅次于河南（15.6万个）和湖北（12.9万个）。"), "第二",
     "inconsistent"),
    (("2023年，湖南省累计建成5G基站12.4万个，位居中部第三，仅次于河南（15.6万个）和湖北（12.9万个）。"), "第三",
     "consistent"),
    # set 11: 新增…N个，累计达到M个，上年末为K个 — the first number is the year's increment
    ("2023年，全省新增智能工厂42个，累计达到318个，上年末为276个。", "42个", "consistent"),
    ("2023年，全省新增智能工厂46个，累计达到318个，上年末为276个。", "46个", "inconsistent"),
    # a 全省 text that names only 全国 speaks of its own province; a base year's level may shorten the phrase;
    # …… is no part of a phrase
    ("2023年，全省网络零售额3,256.8亿元，增长11.2%，增速比全国高1.2个百分点（全国为11.0%）。", "1.2个百分点",
     "inconsistent"),
    ("2023年，全省网络零售额3,256.8亿元，增长11.2%，增速比全国高0.2个百分点（全国为11.0%）。", "0.2个百分点",
     "consistent"),
    ("2023年，全省工业互联网平台连接设备达到1,200万台，较2022年增长25.0%，2022年连接设备1,000万台。", "25.0%",
     "inconsistent"),
    ("2023年，全省数字经济规模为2.35万亿元。……全省数字经济规模2.53万亿元，居全国第十位。", "2.53万亿元",
     "inconsistent"),
    # 其中 parts written one by one with their own rates, far over the total: two classifications, not an error;
    # a plain list a little over the total still is
    (("2023年，全省网络零售额3,562.1亿元，同比增长12.4%，其中实物商品网络零售额2,986.3亿元，增长10.8%；农村网络零售额"
      "856.2亿元，增长15.6%。"), "856.2亿元", "unverifiable"),
    (("2023年，全省固定宽带用户2,865.2万户，其中光纤接入用户2,742.1万户，占95.7%；1000M及以上用户612.3万户，占21.4%；"
      "农村宽带用户986.5万户，占34.4%。"), "34.4%", "consistent"),
    ("2023年，全省移动电话用户168.3万户，其中5G用户72.6万户，4G用户88.4万户，2G/3G用户17.3万户。", "168.3万户",
     "inconsistent"),
    # a sentence that opens with 上年 speaks of the year before
    (("2023年，全省电信业务收入652.8亿元，同比增长5.1%。上年全省电信业务收入621.1亿元。"), "621.1亿元", "consistent"),
    (("2023年，全省电信业务收入652.8亿元，同比增长6.1%。上年全省电信业务收入621.1亿元。"), "6.1%", "inconsistent"),
    # 增速为x% names the growth of its quantity; 比上年多/少 is an increment; a bare 净增 keeps the subject
    ("2023年，全省网络零售额增速为14.2%，全省网络零售额3,562.1亿元，上年为3,169.1亿元。", "14.2%", "inconsistent"),
    ("2023年，全省网络零售额增速为12.4%，全省网络零售额3,562.1亿元，上年为3,169.1亿元。", "12.4%", "consistent"),
    ("2023年，全省网络零售额3,562.1亿元，比上年多339.0亿元，上年为3,169.1亿元。", "339.0亿元", "inconsistent"),
    ("2023年，全省网络零售额2,945.1亿元，比上年少224.0亿元，上年为3,169.1亿元。", "224.0亿元", "consistent"),
    ("2023年，全省5G用户达到3,256万户，同比增长32.6%，净增801万户。", "801万户", "consistent"),
    # 从业人员 is a noun (从 is no filler before 业)
    ("2023年，全省软件业从业人员28.6万人，其中研发人员12.3万人，占从业人员总数的34.0%。", "34.0%", "inconsistent"),
    ("2023年，全省软件业从业人员28.6万人，其中研发人员12.3万人，占从业人员总数的43.0%。", "43.0%", "consistent"),
    # a stock restated in another phrasing; a unit slip between a phrase and its abbreviation (words inside only)
    ("2023年，全省5G基站总数达到12.4万个。全省累计建成5G基站12.6万个，实现乡镇全覆盖。", "12.6万个", "inconsistent"),
    ("2023年，全省光缆线路长度312.6万公里。全省光缆线路总长度达3,126万公里。", "3,126万公里", "inconsistent"),
    ("2023年，全省固定宽带用户2,865.2万户。全省固定宽带接入用户达到2.87亿户。", "2.87亿户", "inconsistent"),
    ("2023年，全省移动电话用户6,564万户。全省5G移动电话用户656.4万户。", "656.4万户", "unverifiable"),
    ("2023年，全省累计建成5G基站12.4万个。全年新建成5G基站3.1万个。", "3.1万个", "unverifiable"),
    # the comparator's rate in the clause after the gap; 全省增速 is the growth of 全省's quantity
    ("2023年，全省数字经济增速达到13.2%，高出全国平均水平4.8个百分点，全国为7.4%。", "4.8个百分点", "inconsistent"),
    ("2023年，全省数字经济增速达到13.2%，高出全国平均水平5.8个百分点，全国为7.4%。", "5.8个百分点", "consistent"),
    ("2023年，全省网络零售额增长12.4%，全国网络零售额增长11.0%，全省增速高于全国1.6个百分点。", "1.6个百分点",
     "inconsistent"),
    ("2023年，全省网络零售额增长12.4%，全国网络零售额增长11.0%，全省增速高于全国1.4个百分点。", "1.4个百分点",
     "consistent"),
    # a 分别 list's quantities carry to the later 分别 clauses of its sentence (上年分别为 the year before);
    # a ratio's terms map onto the list before it; a noun written once after the last item of a ratio
    (("2023年，全省网络零售额、快递业务量分别增长12.4%和17.2%，分别达到3,562.1亿元和35.6亿件；上年分别为3,169.1亿元"
      "和30.9亿件。"), "17.2%", "inconsistent"),
    (("2023年，全省网络零售额、快递业务量分别增长12.4%和15.2%，分别达到3,562.1亿元和35.6亿件；上年分别为3,169.1亿元"
      "和30.9亿件。"), "15.2%", "consistent"),
    (("2023年，全省数字产业化和产业数字化规模分别为3,120亿元和13,780亿元，二者合计16,900亿元，比例为20.5:79.5。"), "20.5",
     "inconsistent"),
    ("2023年，全省城镇和农村网络零售额之比约为3:1，城镇网络零售额2,705.9亿元，农村网络零售额856.2亿元。", "3",
     "consistent"),
    # 较2022年的X增长y%: X is the base period's level; 增长y%至X: X is the level
    ("2023年，全省数字经济规模达到1.69万亿元，较2022年的1.49万亿元增长15.4%。", "15.4%", "inconsistent"),
    ("2023年，全省数字经济规模达到1.69万亿元，较2022年的1.49万亿元增长13.4%。", "13.4%", "consistent"),
    ("2023年，全省数字经济核心产业增加值增长6.8%至4,568.2亿元，上年为4,206.4亿元。", "6.8%", "inconsistent"),
    ("2023年，全省数字经济核心产业增加值增长8.6%至4,568.2亿元，上年为4,206.4亿元。", "8.6%", "consistent"),
    # a text without a year: its own period (本期) and the one before; 按经营地分 introduces parts of the total of the
    # same kind; one part of the total's own kind is at most the total
    ("年末全市移动电话用户1,268.5万户，比上年末增加36.2万户，增长3.9%。", "3.9%", "inconsistent"),
    ("年末全市移动电话用户1,268.5万户，比上年末增加36.2万户，增长2.9%。", "2.9%", "consistent"),
    (("全年社会消费品零售总额9,856.2亿元，比上年增长7.2%。按经营地分，城镇消费品零售额8,612.3亿元，增长7.0%；"
      "乡村消费品零售额1,343.9亿元，增长8.5%。"), "9,856.2亿元", "inconsistent"),
    (("全年社会消费品零售总额9,856.2亿元，比上年增长7.2%。按经营地分，城镇消费品零售额8,512.3亿元，增长7.0%；"
      "乡村消费品零售额1,343.9亿元，增长8.5%。"), "9,856.2亿元", "consistent"),
    ("全年全市完成邮政行业业务收入62.3亿元，比上年增长8.5%。其中，快递业务收入65.6亿元，增长9.2%。", "65.6亿元",
     "inconsistent"),
    ("全年全市完成邮政行业业务收入62.3亿元，比上年增长8.5%。其中，快递业务收入52.6亿元，增长9.2%。", "52.6亿元",
     "consistent"),
    # a CAGR takes the span of the two levels its sentence states; 该比重 in a later sentence is the paragraph's share
    ("2023年，全省数字经济核心产业增加值年均增长14.5%，2023年达到4,568.2亿元，2020年为3,208.4亿元。", "14.5%",
     "inconsistent"),
    ("2023年，全省数字经济核心产业增加值年均增长12.5%，2023年达到4,568.2亿元，2020年为3,208.4亿元。", "12.5%",
     "consistent"),
    ("“十四五”以来，全省数字经济规模年均增长12.8%，由2020年的1.15万亿元增长到2023年的1.69万亿元。", "12.8%",
     "inconsistent"),
    (("2023年，全省数字经济规模占GDP比重为33.9%。2022年，全省数字经济规模占GDP比重为32.3%。2023年该比重比上年提高"
      "2.6个百分点。"), "2.6个百分点", "inconsistent"),
    (("2023年，全省数字经济规模占GDP比重为33.9%。2022年，全省数字经济规模占GDP比重为32.3%。2023年该比重比上年提高"
      "1.6个百分点。"), "1.6个百分点", "consistent"),
    # 其中 A、B、C，三市合计: the 合计 of the parts, not of the total before 其中
    (("2023年，全省入选国家级两化融合贯标试点的企业达到286家，其中长沙市126家、株洲市48家、湘潭市32家，三市合计216家。"),
     "216家", "inconsistent"),
    (("2023年，全省入选国家级两化融合贯标试点的企业达到286家，其中长沙市126家、株洲市48家、湘潭市32家，三市合计206家。"),
     "206家", "consistent"),
])
def test_construction(text, number, status):
    assert _status(text, number)[0] == status


def test_a_tie_is_reported_whole():
    """年均增长15.2% and 是2018年的1.8倍 cannot both hold and nothing tells which is wrong: both are flagged."""
    claims = check_text("2023年，广东省信息技术服务收入年均增长15.2%，2023年是2018年的1.8倍。")
    assert sorted(c.text for c in claims if c.status == "inconsistent") == ["1.8倍", "15.2%"]


def test_regions():
    assert partition_of(["东部地区", "中部地区", "西部地区", "东北地区"]) == ("全国", True)
    assert partition_of(["东部地区", "广东省"]) is None
    assert whole_area("省", "岳阳市") == "湖南省" and whole_area("省", "湖南省") == "湖南省"
    assert whole_area("市", "湖南省") == ""
    assert within("湖南省", "中部地区") and not within("广东省", "中部地区") and within("长沙市", "湖南省")


def test_a_moved_decimal_point_suggests_the_other_statement():
    """6,528亿元 after 652.8亿元 (same unit, 10× off): the suggestion is the figure stated first."""
    text = "2023年，山东省电信业务收入652.8亿元，比上年增长5.1%。全年全省电信业务收入6,528亿元。"
    assert _status(text, "6,528亿元") == ("inconsistent", "652.8亿元")
