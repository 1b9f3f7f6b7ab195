"""General constructions of statistical Chinese, each tested on a sentence written for the test (not taken from
a held-out or development text): the claim that must be flagged, or not, and the value suggested."""
from __future__ import annotations

import pytest

from digecon.factcheck import check_text


def _claim(text: str, number: str):
    """The claim written `number` (`42.6亿件#2`: its second occurrence)."""
    number, _, nth = number.partition("#")
    found = [c for c in check_text(text) if c.text.replace(" ", "") == number]
    if nth:
        return found[int(nth) - 1]
    (c,) = found
    return c


@pytest.mark.parametrize("text, number, status, suggested", [
    # parts in 亿元 of a total in 万亿元, each with its share: the parts add up (the magnitudes are compared in
    # one unit), so the wrong share is blamed, not its part
    (("2023年，全省软件业务收入1.24万亿元，比上年增长11.8%。其中，软件产品收入3,105亿元，占软件业务收入的25.0%；"
      "信息技术服务收入7,862亿元，占63.4%；嵌入式系统软件收入1,433亿元，占软件业务收入的比重为13.6%。"),
     "13.6%", "inconsistent", "11.6%"),
    # the two classes of one classification (出口/进口) split the total even written one by one with shares
    ("2023年，全省货物进出口总额5,862.3亿元，增长4.1%；其中出口3,912.6亿元，占66.7%，进口2,149.7亿元。",
     "2,149.7亿元", "inconsistent", "1,949.7亿元"),
    ("2023年，全省货物进出口总额5,862.3亿元，增长4.1%；其中出口3,912.6亿元，占66.7%，进口1,949.7亿元。",
     "1,949.7亿元", "consistent", None),
    # a CAGR after a multiple keeps the multiple's span, not the year before stated for the growth
    ("2023年，全省网络零售额6,215.8亿元，比上年增长9.6%（上年为5,671.4亿元），比2015年增加了1.8倍，年均增长10.9%。",
     "10.9%", "inconsistent", "13.7%"),
    ("2023年，全省网络零售额6,215.8亿元，比上年增长9.6%（上年为5,671.4亿元），比2015年增加了1.8倍，年均增长13.7%。",
     "13.7%", "consistent", None),
    # the year named only in the title (or a heading) is the period of the lines after it: 上年 is the year before
    (("陕西省2024年服务业发展统计公报\n\n一、总体情况\n\n全年全省规模以上服务业企业营业收入6,482.5亿元，比上年增长3.2%"
     "（上年为5,990.3亿元）。"), "3.2%", "inconsistent", "8.2%"),
    (("陕西省2024年服务业发展统计公报\n\n全年全省规模以上服务业企业营业收入6,482.5亿元，比上年增长8.2%"
     "（上年为5,990.3亿元）。"), "8.2%", "consistent", None),
    # (of a rate, its increment and the level, the rate is blamed: nothing else tells them apart)
    ("（2024年度）\n\n全年快递业务量38.6亿件，比上年增长12.0%，较上年增加5.1亿件。", "12.0%", "inconsistent", "15.2%"),
    # a region with no quantity of its own (榆林市占全省的比重…, 汉中市居全省第3位) speaks of the quantity the
    # paragraph states for its regions
    (("2023年，全省地区生产总值33,786.1亿元。分市看，西安市地区生产总值12,010.8亿元，榆林市7,091.0亿元，宝鸡市"
      "2,790.2亿元，汉中市1,917.3亿元。榆林市占全省的比重为23.5%。汉中市居全省第3位。"), "23.5%", "inconsistent", "21.0%"),
    (("2023年，全省地区生产总值33,786.1亿元。分市看，西安市地区生产总值12,010.8亿元，榆林市7,091.0亿元，宝鸡市"
      "2,790.2亿元，汉中市1,917.3亿元。榆林市占全省的比重为23.5%。汉中市居全省第3位。"), "3位", "inconsistent", "第4位"),
    # 其中 after a list of provinces: the share of 全国 is not over the last province listed
    (("2023年，全国快递业务收入1.2万亿元。分省份看，广东、浙江、江苏快递业务收入分别为2,620亿元、1,710亿元和1,080亿元。"
      "其中，广东占全国的21.8%。"), "21.8%", "consistent", None),
    # …的地级市有N个：A、B… / 县（市、区）有N个，分别为…: a count of the members listed after it, county names the
    # gazetteer may lack, and short names that are also words (三明) inside a list of regions; the threshold
    # (8%以上的设区市) is a class, no claim
    ("2023年，全省网络零售额超过500亿元的地级市有3个：福州、厦门、泉州、漳州。", "3个", "inconsistent", "4个"),
    ("2023年，全市软件业务收入超过100亿元的县（市、区）有4个，分别为雁塔区、未央区、长安区。", "4个", "inconsistent", "3个"),
    ("2023年，全省规模以上工业增加值增速达到8%以上的设区市有4个：福州、泉州、三明。", "4个", "inconsistent", "3个"),
    ("2023年，全省规模以上工业增加值增速达到8%以上的设区市有3个：福州、泉州、三明。", "3个", "consistent", None),
    # sub-areas the gazetteer lacks (沿江八市地区生产总值…，沿海三市…，分别占全省的): the whole is the province's
    # 地区生产总值, not the first sub-area's
    (("2023年，江苏省地区生产总值128,222.2亿元。分区域看，沿江八市地区生产总值97,452.1亿元，沿海三市18,930.4亿元，"
      "其余两市11,839.7亿元，分别占全省的76.0%、15.8%和9.2%。"), "15.8%", "inconsistent", "14.8%"),
    (("2023年，江苏省地区生产总值128,222.2亿元。分区域看，沿江八市地区生产总值97,452.1亿元，沿海三市18,930.4亿元，"
      "其余两市11,839.7亿元，分别占全省的76.0%、15.8%和9.2%。"), "97,452.1亿元", "consistent", None),
    # 增长近两倍 is a rise of nearly two (a ratio of nearly three); a wrong one is told as a rise too
    ("2023年，全省新能源汽车产量18.3万辆，较上年增长近两倍（上年为6.4万辆）。", "两倍", "consistent", None),
    ("2023年，全省新能源汽车产量18.3万辆，较上年增长近一倍（上年为6.4万辆）。", "一倍", "inconsistent", "2倍"),
    ("2023年，全省软件业务收入9,532.6亿元，比2013年增加了2.5倍（2013年为1,210.4亿元）。", "2.5倍", "inconsistent",
     "6.9倍"),
    # a level in brackets after a noun (占社会消费品零售总额（…）的, 是2015年（…）的) is the level of that noun (of that
    # year): the whole of the share, the base of the multiple — neither the subject's level nor a part of a total
    (("2023年，全省网上零售额8,326.5亿元，是2015年（2,105.3亿元）的3.2倍；其中实物商品网上零售额6,832.4亿元，"
      "占社会消费品零售总额（26,118.5亿元）的比重为26.2%。"), "3.2倍", "inconsistent", "4.0倍"),
    (("2023年，全省网上零售额8,326.5亿元，是2015年（2,105.3亿元）的4.0倍；其中实物商品网上零售额6,832.4亿元，"
      "占社会消费品零售总额（26,118.5亿元）的比重为26.2%。"), "26,118.5亿元", "consistent", None),
    (("2023年，全省网上零售额8,326.5亿元，是2015年（2,105.3亿元）的4.0倍；其中实物商品网上零售额6,832.4亿元，"
      "占社会消费品零售总额（26,118.5亿元）的比重为28.2%。"), "28.2%", "inconsistent", "26.2%"),
    # a gap's comparator named shorter than its rate: 城镇居民 for 城镇居民人均可支配收入 (居民 is no 居 of a rank), 全国
    # for the rate of 规模以上互联网企业完成互联网业务收入; a gap below is suggested as its size
    (("2023年，全省城镇居民人均可支配收入46,521元，增长4.9%；农村居民人均可支配收入21,302元，增长7.2%，农村居民收入"
      "增速高于城镇居民2.8个百分点。"), "2.8个百分点", "inconsistent", "2.3个百分点"),
    (("2023年，全国规模以上互联网企业完成互联网业务收入17,483亿元，同比增长6.8%。东部地区完成互联网业务收入15,014亿元，"
      "增长7.9%，高于全国平均水平1.1个百分点；西部地区互联网业务收入增长3.6%，低于全国平均水平2.2个百分点。"),
     "2.2个百分点", "inconsistent", "3.2个百分点"),
    (("2023年，全国规模以上互联网企业完成互联网业务收入17,483亿元，同比增长6.8%。东部地区完成互联网业务收入15,014亿元，"
      "增长7.9%，高于全国平均水平1.1个百分点。"), "1.1个百分点", "consistent", None),
    # 约合 restates the quantity before it: the growth after it is that quantity's
    ("2023年，全省快递业务收入1,286.4亿元，约合0.13万亿元，比上年增长12.2%（上年为1,156.8亿元）。", "12.2%",
     "inconsistent", "11.2%"),
    # a phrase of the accounts (利润总额) restated in another paragraph is one quantity only when the figures are
    # the same digits in another order (a slip of the pen); a phrase of its own activity (旅客发送量) always is;
    # 总 before a measure noun (油料总产量 ~ 油料产量); a count's noun after it (8.1万个5G基站)
    (("河南省2023年工业经济运行情况\n\n二、效益\n\n全年全省规模以上工业企业实现营业收入58,026.3亿元，实现利润总额"
      "2,318.6亿元，同比增长6.1%。\n\n三、小结\n\n全年全省实现利润总额2,381.6亿元，质量效益稳步提升。"),
     "2,381.6亿元", "inconsistent", "2,318.6亿元"),
    (("河南省2023年工业经济运行情况\n\n二、效益\n\n全年全省规模以上工业企业实现营业收入58,026.3亿元，实现利润总额"
      "2,318.6亿元，同比增长6.1%。\n\n三、小结\n\n全年全省实现利润总额2,500.0亿元，质量效益稳步提升。"),
     "2,500.0亿元", "unverifiable", None),
    ("2023年，全省旅客发送量3.86亿人次，增长21.4%。\n\n综上，全年全省旅客发送量3.52亿人次。", "3.52亿人次",
     "inconsistent", "3.86亿人次"),
    ("2023年，全省油料产量312.4万吨，增长3.1%。油料总产量318.0万吨，再创新高。", "318.0万吨", "inconsistent",
     "312.4万吨"),
    ("2023年，全省5G基站总数达到8.3万个。全省8.1万个5G基站实现乡镇以上连续覆盖。", "8.1万个", "inconsistent", "8.3万个"),
    # 增速居第n位 ranks the regions' growth rates, not their levels; a rank, derived from the values it orders,
    # is blamed before them
    ("2023年，东部、中部、西部和东北地区规模以上工业增加值分别增长4.9%、5.6%、6.1%和3.8%，中部地区增速居四大区域第1位。",
     "1位", "inconsistent", "第2位"),
    (("2023年，东部、中部、西部和东北地区规模以上工业增加值分别增长4.9%、5.6%、6.1%和3.8%，西部地区增速居四大区域"
      "第1位，东北地区增速居第3位。"), "3位", "inconsistent", "第4位"),
    (("2023年，东部、中部、西部和东北地区规模以上工业增加值分别增长4.9%、5.6%、6.1%和3.8%，西部地区增速居四大区域"
      "第1位，东北地区增速居第3位。"), "1位", "consistent", None),
    # 高于全省规模以上工业增加值增速 (增加值 is no verb 增加: a gap, not a pp change); a gap's own rate named in
    # short (跨境电商规模增速) after the sentence that states it in full
    ("2023年，赣州市规模以上工业增加值增长7.9%，高于全省规模以上工业增加值增速1.5个百分点（全省为5.4%）。",
     "1.5个百分点", "inconsistent", "2.5个百分点"),
    (("2023年，全国跨境电子商务交易规模达2.38万亿元，比上年增长15.6%（上年为2.06万亿元）。跨境电商规模增速高于货物贸易"
      "进出口增速16.4个百分点（货物贸易为0.2%）。"), "16.4个百分点", "inconsistent", "15.4个百分点"),
    (("2023年，全国跨境电子商务交易规模达2.38万亿元，比上年增长15.6%（上年为2.06万亿元）。跨境电商规模增速高于货物贸易"
      "进出口增速15.4个百分点（货物贸易为0.2%）。"), "15.4个百分点", "consistent", None),
    # A和B合计, A、B两个市州合计: the sum of those regions' levels stated in the paragraph; …分别为…，合计: of the
    # regions listed (not the province's total); 其他… closes a 其中 list (the parts add up to the total exactly)
    (("2023年，全省地区生产总值30,866.8亿元。分市看，昆明市地区生产总值7,864.8亿元，曲靖市4,004.1亿元，玉溪市"
      "2,627.9亿元，红河州2,903.7亿元。昆明市和曲靖市合计11,868.9亿元，占全省的38.5%；玉溪市、红河州两个市州合计"
      "5,431.6亿元。"), "5,431.6亿元", "inconsistent", "5,531.6亿元"),
    (("2023年，全省地区生产总值30,866.8亿元。分市看，昆明市地区生产总值7,864.8亿元，曲靖市4,004.1亿元，玉溪市"
      "2,627.9亿元，红河州2,903.7亿元。昆明市和曲靖市合计11,868.9亿元，占全省的38.5%；玉溪市、红河州两个市州合计"
      "5,431.6亿元。"), "11,868.9亿元", "consistent", None),
    (("2023年，福建省福州、厦门、泉州三市软件业务收入分别为1,812亿元、2,634亿元和607亿元，合计5,153亿元，占全省的"
      "八成以上。全省软件业务收入6,012亿元。"), "5,153亿元", "inconsistent", "5,053亿元"),
    ("2023年，全省粮食产量1,120.4万吨，比上年增长1.5%。其中，稻谷产量412.6万吨，小麦产量305.2万吨，其他粮食402.6万吨。",
     "1,120.4万吨", "consistent", None),
    ("2023年，全省粮食产量1,120.4万吨，比上年增长1.5%。其中，稻谷产量412.6万吨，小麦产量305.2万吨，其他粮食398.6万吨。",
     "1,120.4万吨", "inconsistent", "1,116.4万吨"),
    # 上年A、B分别为…: the year before of the items listed after 上年
    (("2023年，全省货物进出口总额5,862.3亿元。其中，出口3,912.6亿元，增长6.4%；进口1,949.7亿元，下降2.1%。上年出口、"
      "进口分别为3,677.3亿元和1,991.5亿元。"), "3,677.3亿元", "consistent", None),
    (("2023年，全省货物进出口总额5,862.3亿元。其中，出口3,912.6亿元，增长6.4%；进口1,949.7亿元，下降2.1%。上年出口、"
      "进口分别为3,577.3亿元和1,991.5亿元。"), "6.4%", "inconsistent", "9.4%"),
    # 累计完成 is a verb, no part of the quantity (电信业务收入 is the share's whole); 即四成左右 restates the rate
    # before it, so the pp change is the exact rate's; 比2018年的45,280家翻了一番 (翻 names no noun counted)
    (("2023年，全省电信业务收入累计完成1,021.6亿元，比上年增长4.2%。其中，移动数据流量业务收入412.8亿元，占电信业务收入"
      "的比重为43.4%。"), "43.4%", "inconsistent", "40.4%"),
    (("2023年，全省非化石能源发电量812.5亿千瓦时，占发电量的比重为38.6%，即四成左右，比上年提高2.9个百分点（上年为"
      "36.7%）。"), "2.9个百分点", "inconsistent", "1.9个百分点"),
    ("2023年末，全省高新技术企业75,216家，比2018年的45,280家翻了一番。", "翻了一番", "inconsistent", "1.7倍"),
    ("2023年末，全省高新技术企业75,216家，比2018年的36,980家翻了一番。", "翻了一番", "consistent", None),
    # 其中 names no whole (it was read as W中 with W = 其): a bare 占63.4% after it is of the sentence's last whole
    (("2023年，全省软件业务收入1.24万亿元，比上年增长11.8%。其中，软件产品收入3,105亿元，占软件业务收入的25.0%；"
      "信息技术服务收入7,862亿元，占65.4%。"), "65.4%", "inconsistent", "63.4%"),
    # A是B的k倍 with B another quantity: A's level over B's (是上年的k倍 stays a multiple over time)
    ("2023年，全省软件产品收入1,862.4亿元，信息技术服务收入4,105.7亿元。信息技术服务收入是软件产品收入的2.4倍。", "2.4倍",
     "inconsistent", "2.2倍"),
    ("2023年，全省软件产品收入1,862.4亿元，信息技术服务收入4,105.7亿元。信息技术服务收入是软件产品收入的2.2倍。", "2.2倍",
     "consistent", None),
    ("2023年，全省网络零售额是上年的1.1倍，达到3,210.5亿元（上年为2,918.6亿元）。", "1.1倍", "consistent", None),
    # 以N的X: the level of the quantity X the text states elsewhere (a unit slip is found)
    ("2023年，全省快递业务量42.6亿件，比上年增长18.5%。\n\n综上，全省以4.26亿件的快递业务量居中部前列。", "4.26亿件",
     "inconsistent", "42.6亿件"),
    ("2023年，全省快递业务量42.6亿件，比上年增长18.5%。\n\n综上，全省以42.6亿件的快递业务量居中部前列。", "42.6亿件#2",
     "consistent", None),
    # A…，B…，C…，D…，四市合计X，占全省的y%: the listed regions' sum and its share (not the last region's);
    # 地市有N个：… is a count
    (("2024年，河南省网上零售额4,512.8亿元。从地市看，郑州市网上零售额1,985.3亿元，洛阳市462.7亿元，南阳市318.2亿元，"
      "新乡市287.6亿元，四市合计3,053.8亿元，占全省的67.7%。"), "67.7%", "consistent", None),
    (("2024年，河南省网上零售额4,512.8亿元。从地市看，郑州市网上零售额1,985.3亿元，洛阳市462.7亿元，南阳市318.2亿元，"
      "新乡市287.6亿元，四市合计3,153.8亿元，占全省的67.7%。"), "3,153.8亿元", "inconsistent", None),
    ("2024年，河南省网上零售额超过300亿元的地市有4个：郑州、洛阳、南阳。", "4个", "inconsistent", "3个"),
    # a figure restated in other units in its sentence (约合) is checked against it, the fit converted
    ("2023年，全省固定宽带用户1,862.3万户，约合1.86亿户。", "1.86亿户", "inconsistent", "0.19亿户"),
    ("2023年，全省固定宽带用户1,862.3万户，约合0.19亿户。", "0.19亿户", "consistent", None),
    ("2023年末，全省金融机构人民币各项贷款余额8,652.4亿元，比年初增长9.2%，增加729.6亿元。", "729.6亿元", "consistent",
     None),
    # 高于全市地区生产总值增速: the growth the bulletin states for 地区生产总值 (at constant prices)
    (("2023年，襄阳市地区生产总值5,842.9亿元，比上年增长6.1%。全年规模以上工业增加值增长8.9%，高于全市地区生产总值增速"
      "2.3个百分点。"), "2.3个百分点", "inconsistent", "2.8个百分点"),
    # per-head figures (城镇、农村居民人均可支配收入) are no parts of a whole; 城乡居民收入比 is the urban level over
    # the rural one (由上年的2.21缩小至… the year before's); 约占三分之一 is approximate; units GWh, 标箱
    (("2023年，全省居民人均可支配收入31,860元。其中，城镇居民人均可支配收入43,862元，增长4.8%；农村居民人均可支配收入"
      "18,790元，增长7.1%。"), "43,862元", "unverifiable", None),
    (("2023年，全省城镇居民人均可支配收入43,862元，增长4.8%；农村居民人均可支配收入18,790元，增长7.1%。城乡居民收入比"
      "由上年的2.41缩小至2.43。"), "2.43", "inconsistent", "2.33"),
    (("2023年，全省城镇居民人均可支配收入43,862元，增长4.8%；农村居民人均可支配收入18,790元，增长7.1%。城乡居民收入比"
      "由上年的2.41缩小至2.33。"), "2.41", "unverifiable", None),
    ("2023年，全省数据中心算力总规模60EFLOPS，其中智能算力规模19EFLOPS，约占三分之一。", "三分之一", "consistent", None),
    ("2023年，全国动力电池装车量387.7GWh，比上年增加92.7GWh，增长31.6%（上年为294.6GWh）。", "92.7GWh", "inconsistent",
     "93.1GWh"),
    # 增收 is an increment; 其中 inside brackets splits the level before; 三次产业增加值占比 are shares of GDP
    ("2023年，全省一般公共预算收入325.6亿元，比上年增长7.5%，增收26.4亿元。", "7.5%", "inconsistent", "8.8%"),
    ("2023年，全省一般公共预算收入325.6亿元，比上年增长8.1%，增收24.4亿元。", "24.4亿元", "consistent", None),
    ("2023年，全省货物进出口总额2,776.8亿元（其中出口985.3亿元，进口1,791.5亿元）。", "2,776.8亿元", "consistent", None),
    ("2023年，全省货物进出口总额2,776.8亿元（其中出口985.3亿元，进口1,801.5亿元）。", "2,776.8亿元", "inconsistent",
     "2,786.8亿元"),
    (("2023年，全省地区生产总值5,503.1亿元。第一产业增加值449.6亿元，第二产业增加值2,584.7亿元，第三产业增加值"
      "2,468.8亿元；三次产业增加值占比分别为8.2%、47.0%和45.8%。"), "45.8%", "inconsistent", "44.9%"),
    # N个地级市分别为A、B、C和D，X依次为…: the members named after the count, each with its value of X
    (("2023年，福建省沿海4个地级市分别为福州市、厦门市、泉州市和漳州市，网络零售额依次为1,215.3亿元、982.6亿元、"
      "1,436.8亿元和512.4亿元。泉州市是漳州市的2.5倍。"), "2.5倍", "inconsistent", "2.8倍"),
    (("2023年，福建省沿海4个地级市分别为福州市、厦门市、泉州市和漳州市，网络零售额依次为1,215.3亿元、982.6亿元、"
      "1,436.8亿元和512.4亿元。泉州市是漳州市的2.8倍。"), "4个", "consistent", None),
    # 较2020年的620EB年均增长: the base level, then the CAGR over its span
    ("2024年，全国存储总容量达到1,580EB，较2020年的620EB年均增长20.6%。", "20.6%", "inconsistent", "26.3%"),
    ("2024年，全国存储总容量达到1,580EB，较2020年的620EB年均增长26.3%。", "26.3%", "consistent", None),
    # W中，X…，其中Y…，占z%: the share is of X, the total 其中 splits, not of W
    ("2024年，全省主要工业产品中，手机产量2.36亿部，其中智能手机1.82亿部，占77.1%；集成电路产量312亿块。", "77.1%",
     "consistent", None),
    ("2024年，全省主要工业产品中，手机产量2.36亿部，其中智能手机1.82亿部，占72.1%；集成电路产量312亿块。", "72.1%",
     "inconsistent", "77.1%"),
])
def test_general(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


def test_a_threshold_of_a_class_of_regions_is_no_claim():
    claims = check_text("2023年，全省规模以上工业增加值增速达到8%以上的设区市有3个：福州、泉州、三明。")
    assert [c.text for c in claims] == ["3个"]


def test_a_bound_with_its_own_quantity_is_no_restatement():
    # …提速35%，…压减审批时间60%以上: the bound speaks of its own phrase, not of the rate before (即四成左右 would)
    c = _claim("2023年，全省工程建设项目审批提速35%，重点项目实行并联审批后压减审批时间60%以上。", "60%")
    assert "压减审批时间" in c.quantity
    c = _claim("2023年，全省非化石能源发电量812.5亿千瓦时，占发电量的比重为38.6%，即四成左右。", "四成")
    assert (c.kind, c.quantity) == ("share", "非化石能源发电量")


def test_a_national_bulletin_that_names_a_province_first_later():
    from digecon.factcheck.check import main_region
    text = ("2024年快递业发展统计公报\n\n全年快递业务量累计完成1,750.8亿件，比上年增长21.5%。\n\n"
            "分省看，浙江省快递业务量312.6亿件，居各省首位。")
    assert main_region(text) == "全国"
    assert main_region("2024年浙江省快递业发展报告\n\n全年快递业务量312.6亿件，居全国首位。") == "浙江省"


@pytest.mark.parametrize("text, number, status, suggested", [
    # an increment that is the level times the rate (the rise taken on this year's level) is the wrong one
    ("2024年，全市税收收入218.4亿元，比上年增长6.5%，增收14.2亿元。", "14.2亿元", "inconsistent", "13.3亿元"),
    ("2024年，全市税收收入218.4亿元，比上年增长6.5%，增收13.3亿元。", "13.3亿元", "consistent", None),
    # one digit of the increment fixes it, no single digit of the rate does: the increment is blamed
    ("2024年，全省5G基站达到18.6万个，比上年增长16.3%，增加3.6万个。", "3.6万个", "inconsistent", "2.6万个"),
    # neither: the rate, the derived figure, is blamed (as for the reference paper's 16.1%)
    ("2023年，全省一般公共预算收入325.6亿元，比上年增长7.5%，增收26.4亿元。", "26.4亿元", "unverifiable", None),
    # A and 非A are all of the total: 其中 parts that must add up exactly
    ("2024年，全市一般公共预算收入612.4亿元，其中税收收入431.8亿元，非税收入190.6亿元。", "612.4亿元", "inconsistent",
     "622.4亿元"),
    ("2024年，全市一般公共预算收入612.4亿元，其中税收收入431.8亿元，非税收入180.6亿元。", "612.4亿元", "consistent", None),
])
def test_increments_and_exhaustive_pairs(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


_DISTRICTS = "2024年，南昌市实现地区生产总值8,652.3亿元。分区看，临江区1,203.5亿元，望川区986.2亿元，青溪区1,105.8亿元，"


@pytest.mark.parametrize("text, number, status, suggested", [
    # districts the gazetteer lacks, named with their suffix as the subjects of a breakdown (分区看), are regions:
    # their ranks, sums and multiples are checked (the quantity is the one the breakdown is of)
    (_DISTRICTS + "临江区居各区首位，望川区位列第二。", "第二", "inconsistent", "第3位"),
    (_DISTRICTS + "临江区居各区首位，青溪区位列第二。", "第二", "consistent", None),
    (_DISTRICTS + "云岭区512.6亿元。中心四区（临江、望川、青溪、云岭）合计3,908.1亿元。", "3,908.1亿元", "inconsistent",
     "3,808.1亿元"),
    (_DISTRICTS + "云岭区512.6亿元。中心四区（临江、望川、青溪、云岭）合计3,808.1亿元。", "3,808.1亿元", "consistent", None),
    # 是A的k倍、B的m倍: the second multiple is of the same subject over B
    (_DISTRICTS.replace("临江区1,203.5亿元", "临江区地区生产总值2,203.5亿元，是望川区的2.2倍、云岭区的3.3倍") + "云岭区512.6亿元。",
     "3.3倍", "inconsistent", "4.3倍"),
    (_DISTRICTS.replace("临江区1,203.5亿元", "临江区地区生产总值2,203.5亿元，是望川区的2.2倍、云岭区的4.3倍") + "云岭区512.6亿元。",
     "4.3倍", "consistent", None),
])
def test_districts_of_a_breakdown_are_regions(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


def test_a_word_that_names_a_place_is_not_the_district():
    # a district named after a province (天津's 河北区) is not the province; a clause that begins with 快于 names
    # no quantity
    from digecon.factcheck.check import main_region
    assert main_region("天津市2024年经济运行\n\n全市地区生产总值17,000亿元。和平区1,100亿元，河北区380亿元，河东区390亿元。") \
        == "天津市"
    assert main_region("2024年河北省经济运行\n\n全省地区生产总值47,500亿元，河北区域协同发展。") == "河北省"


def test_the_header_region_is_the_texts_own():
    # narrative.md's header names the region it was written for: 全区 is that region, not its first 盟市
    body = "2023年，呼和浩特市数字经济增加值1,200亿元。全区数字经济增加值7,260亿元，比上年增长12.1%。"
    header = "<!-- digecon as_of: 2024-07-31 region: 150000 -->\n"
    assert _claim(header + body, "7,260亿元").region == "内蒙古自治区"


@pytest.mark.parametrize("text, number, status, suggested", [
    # N大X：A、B、C: the count of the items listed after the colon (the last one may be written A和B)
    ("2024年，集团主营业务包括三大板块：新能源、新材料、高端装备。", "三大板块", "consistent", None),
    ("2024年，集团主营业务包括三大板块：新能源、新材料、高端装备、现代物流。", "三大板块", "inconsistent", "4个"),
    ("2024年，集团主营业务包括四大板块：新能源、新材料、高端装备和现代物流。", "四大板块", "consistent", None),
    # 前两项/后三个板块合计: the first or last items of the list before it
    (("2024年，集团营业收入86.40亿元，其中新能源31.20亿元，新材料22.60亿元，高端装备18.30亿元，现代物流14.30亿元，"
     "后三个板块合计55.20亿元。"), "55.20亿元", "consistent", None),
    (("2024年，集团营业收入86.40亿元，其中新能源31.20亿元，新材料22.60亿元，高端装备18.30亿元，现代物流14.30亿元，"
     "后三个板块合计56.20亿元。"), "56.20亿元", "inconsistent", "55.20亿元"),
    # 迈上/站上…台阶 is a threshold passed (at least the figure), not a restatement of it
    ("2024年，全市地区生产总值2,315.6亿元，比上年增长5.2%。全市经济总量迈上2,300亿元台阶。", "2,300亿元", "consistent",
     None),
    ("2024年，全市地区生产总值2,315.6亿元，比上年增长5.2%。全市经济总量迈上2,400亿元台阶。", "2,400亿元", "inconsistent",
     None),
    # a bound later in its sentence, with no phrase of its own, restates the sentence's quantity
    ("2024年，全省棉花产量512.6万吨，比上年增长2.1%，连续多年稳定在500万吨以上。", "500万吨", "consistent", None),
    ("2024年，全省棉花产量512.6万吨，比上年增长2.1%，连续多年稳定在520万吨以上。", "520万吨", "inconsistent", None),
    # …的区有N个：A、B、C (districts of the text's breakdown)
    (_DISTRICTS + "地区生产总值超千亿元的区有2个：临江区、青溪区。", "2个", "consistent", None),
    (_DISTRICTS + "地区生产总值超千亿元的区有3个：临江区、青溪区。", "3个", "inconsistent", "2个"),
])
def test_counts_of_items_sums_of_some_and_bounds(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


@pytest.mark.parametrize("text, number, status, suggested", [
    # a restatement in another unit of the same dimension (15亩 = 1公顷, 2000斤 = 1吨) is converted
    ("2024年，全省耕地面积1,180万公顷，约合1.77亿亩。", "1.77亿亩", "consistent", None),
    ("2024年，全省耕地面积1.77亿亩，约合118万公顷。", "118万公顷", "inconsistent", "1180万公顷"),
    ("2024年，全省粮食总产量3,650.2万吨，折合730亿斤。", "730亿斤", "consistent", None),
    # N名X / N的X: the level of a quantity stated before (its reporting verb aside), a slip of magnitude found
    (("2024年，全市接待入境游客3.26亿人次，比上年增长8.2%。旅游市场持续回暖，约3,260万人次的入境游客中，"
      "商务客人占比提高。"), "3,260万人次", "inconsistent", "32,600万人次"),
    (("2024年，全市接待入境游客3.26亿人次，比上年增长8.2%。旅游市场持续回暖，约32,600万人次的入境游客中，"
      "商务客人占比提高。"), "32,600万人次", "consistent", None),
    ("2024年，全省在线教育用户规模达1.86亿人。展望未来，约1,860万名在线教育用户将继续增长。", "1,860万名", "inconsistent",
     "18,600万名"),
])
def test_units_of_one_dimension_and_levels_named_after_the_number(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


_CITIES = ("2024年，全省11个设区市地区生产总值合计28,000.0亿元。其中，长治市3,100.0亿元，稳居首位；大同市2,900.0亿元，"
           "晋中市2,800.0亿元，")


@pytest.mark.parametrize("text, number, status, suggested", [
    # 稳居首位 and 其中 after 全省N个设区市…合计: the cities' quantity is the total's (合计 is no part of it)
    (_CITIES + "晋中市位列第3位。", "3位", "consistent", None),
    (_CITIES + "晋中市位列第2位。", "2位", "inconsistent", "第3位"),
    # 分别为长治、大同…: a short name that is also a word opens a list of regions
    (_CITIES + "朔州市1,500.0亿元。超过2,500亿元的有3个市，分别为长治、大同、晋中。", "3个", "consistent", None),
    (_CITIES + "朔州市1,500.0亿元。超过2,500亿元的有4个市，分别为长治、大同、晋中。", "4个", "inconsistent", "3个"),
])
def test_a_total_of_counted_regions_and_its_members(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)
    # the threshold of a class of regions (超过2,500亿元的有3个市) is no claim
    assert not [x for x in check_text(text) if x.text == "2,500亿元"]


_COUNTIES = ("2024年，全州地区生产总值1,000.0亿元。全州5个县市地区生产总值（亿元）如下。其中：吉首市300.0，泸溪县220.0，"
             "凤凰县200.0，花垣县150.0，保靖县130.0。")


@pytest.mark.parametrize("text, number, status, suggested", [
    # bare numbers listed after a unit in brackets (…（亿元）如下：A x，B y) are levels in that unit; the county-level
    # city named after its prefecture (吉首市) is not the prefecture
    (_COUNTIES + "吉首市居首位，凤凰县居第3位。", "3位", "consistent", None),
    (_COUNTIES + "吉首市居首位，凤凰县居第2位。", "2位", "inconsistent", "第3位"),
    (_COUNTIES + "吉首市是保靖县的2.3倍。", "2.3倍", "consistent", None),
    (_COUNTIES + "吉首市是保靖县的3.3倍。", "3.3倍", "inconsistent", "2.3倍"),
])
def test_levels_listed_under_a_unit_in_brackets(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


@pytest.mark.parametrize("text, number, status, suggested", [
    # a share of the 其中 total named without its qualifier (进出口总额 for 货物进出口总额)
    ("2024年，全省货物进出口总额8,420.6亿元，比上年增长4.2%；其中出口5,130.2亿元，占进出口总额的60.9%；进口3,290.4亿元。",
     "60.9%", "consistent", None),
    ("2024年，全省货物进出口总额8,420.6亿元，比上年增长4.2%；其中出口5,130.2亿元，占进出口总额的66.9%；进口3,290.4亿元。",
     "66.9%", "inconsistent", "60.9%"),
])
def test_a_share_of_the_total_named_short(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


_AREAS = ("2024年，全国集成电路设计企业3,650家。分区域看，长三角地区1,420家，京津冀地区860家，粤港澳大湾区910家，"
          "成渝地区310家。")


@pytest.mark.parametrize("text, number, status, suggested", [
    # economic areas (长三角, 京津冀, 粤港澳大湾区, 成渝) are regions compared with each other
    (_AREAS + "其中长三角地区居各区域首位，京津冀地区位列第三。", "第三", "consistent", None),
    (_AREAS + "其中长三角地区居各区域首位，京津冀地区位列第二。", "第二", "inconsistent", "第3位"),
    # 约占三分之一 is a rough fraction (35.2 % is about a third)
    ("2024年，全国二级节点达到420个。长三角地区二级节点148个，占全国的35.2%，约占三分之一。", "三分之一",
     "consistent", None),
    ("2024年，全国二级节点达到420个。长三角地区二级节点198个，占全国的47.1%，约占三分之一。", "三分之一",
     "inconsistent", None),
])
def test_economic_areas_and_rough_fractions(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


@pytest.mark.parametrize("text, number, status, suggested", [
    # 快于X增速（Y%）Z个百分点: the rate in brackets is the comparator's, the points after it the gap
    ("2024年，全省跨境电商出口1,230.5亿元，增长18.6%，快于货物贸易出口整体增速（6.4%）12.2个百分点。", "12.2个百分点",
     "consistent", None),
    ("2024年，全省跨境电商出口1,230.5亿元，增长18.6%，快于货物贸易出口整体增速（6.4%）13.2个百分点。", "13.2个百分点",
     "inconsistent", "12.2个百分点"),
    ("2024年，全省跨境电商进口310.2亿元，增长2.1%，低于货物贸易进口整体增速（4.5%）2.4个百分点。", "2.4个百分点",
     "consistent", None),
])
def test_a_comparators_rate_in_brackets_before_the_gap(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


@pytest.mark.parametrize("text, number, status, suggested", [
    # 数量翻了一番 / 规模翻番: a bare measure word names the subject's quantity
    ("2024年，全省农家乐由2019年的2,410家增加到2024年的4,905家，数量翻了一番。", "翻了一番", "consistent", None),
    ("2024年，全省农家乐由2019年的2,410家增加到2024年的3,905家，数量翻了一番。", "翻了一番", "inconsistent", "1.6倍"),
])
def test_a_bare_measure_word_names_the_subject(text, number, status, suggested):
    c = _claim(text, number)
    assert (c.status, c.suggested if suggested else None) == (status, suggested)


def test_autonomous_counties_in_a_counted_list():
    # the members of 八个区县 include autonomous counties with long names (秀山土家族苗族自治县)
    text = ("2023年，全市地区生产总值30,000亿元。秀山土家族苗族自治县、武隆区、彭水苗族土家族自治县、石柱土家族自治县、"
            "酉阳土家族苗族自治县、巫山县、巫溪县、城口县八个区县低于50亿元。")
    assert _claim(text, "八个").status == "consistent"
    assert _claim(text.replace("八个区县", "九个区县"), "九个").status == "inconsistent"
