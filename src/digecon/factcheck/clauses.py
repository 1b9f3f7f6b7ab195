"""Parse statistical Chinese clause by clause: each number becomes a statement about a quantity,
region and period (level, growth, increment, share, pp change, gap, multiple, CAGR, rank, count).

The subject and the period carry across 「，」 and 「；」 until a new one is named; 上年 is the period
before the clause's own period.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from digecon.factcheck.numbers import Number, cn_value, find_numbers, normalise
from digecon.factcheck.regions import (
    NATION,
    list_spans,
    parent_name,
    region_spans,
    whole_area,
)


@dataclass
class Statement:
    """What one number says: the measure of a quantity of a region in a period, and its references."""

    num: Number
    measure: str          # level growth increment share pp ratio cagr avg_pp avg_inc gap rank count other
    quantity: str         # the noun phrase as written (normalised)
    region: str
    period: str
    base: str = ""        # the period compared with (growth, increment, pp, ratio, cagr start)
    whole: str = ""       # share: the quantity it is a share of ("" = unknown)
    whole_region: str = ""
    # share with its whole left unsaid (…，占6.8%): the other wholes its sentence has named, most recent first,
    # each (quantity, region, named): named by a share (its reading counts even when no level of it is found)
    whole_alts: list[tuple[str, str, bool]] = field(default_factory=list)
    of: str = ""          # pp/gap: the measure of the rate it speaks of (share, growth, cagr)
    ref: int | None = None        # gap: index of the statement it compares; pp: the rate it changes
    comparator: tuple[str, str] = ("", "")  # gap: (quantity, region) compared with
    scope: str = ""       # rank: the set ranked (全国, 中部地区 …)
    members: list[str] = field(default_factory=list)  # count: regions named with it
    parent: int | None = None     # a part (其中 …) of this statement's index
    group: int | None = None      # 合计/共计 of the statements listed before it
    exhaustive: bool = False
    explicit: bool = False        # the quantity is named in the statement's own clause
    restates: bool = False        # …4,512.6万户，约合0.45亿户: the number before it, in other units
    listed: bool = False          # one of a 分别 list
    open_list: bool = False       # count: the members end with 等 (more may exist)
    order: int = 0                # 排名前三的城市依次为A、B、C，分别为…: its place in a ranked list (1 = first)
    take: int = 0                 # 后三个板块合计 (−3), 前两项合计 (2): the last or first items of its list it sums
    bracketed: bool = False       # 快于货物贸易出口整体增速（7.1%）11.8个百分点: the comparator's rate, in brackets
    ratio_run: int | None = None  # A与B之比为3:7: the index of the run's first term (terms share it)
    among: int = 0                # rank: 在四地中 (4); -1 when its sentence names a wider whole (全省, 12个县中)
    sentence: int = 0
    para: int = 0                 # the line (paragraph) the statement is in
    quote: str | tuple[int, int] = ""   # the clause: its span while parsing, its text after

    @property
    def start(self) -> int:
        return self.num.start

    @property
    def end(self) -> int:
        return self.num.end


# --- periods ------------------------------------------------------------------------------------
_YEAR = r"(?:19|20)\d\d"
_PERIOD = re.compile(
    r"(?P<span>(?P<a>" + _YEAR + r")\s*年?\s*(?:-|—|–|~|至|到)\s*(?P<b>" + _YEAR + r")\s*年)"
    r"|(?P<y>" + _YEAR + r")\s*年(?:\s*(?:1|一)\s*[-—–~至到]\s*(?P<ytd>\d{1,2})\s*月"
    r"|\s*(?P<m>\d{1,2})\s*月(?:份|底|末)?|\s*(?P<part>上半年|下半年|前三季度|一季度|第一季度|全年|底|末))?"
    r"|(?P<fyp>“?十(?P<fyn>[一二三四五])五”?(?:期间|时期|末|以来)?)")
_BASE_MARK = re.compile(r"(较|比|与|相比|对比|同比)\s*$")


def period_of(m: re.Match) -> str:
    if m.group("span"):
        return f"{m.group('a')}-{m.group('b')}"
    if m.group("fyp"):
        n = "一二三四五".index(m.group("fyn")) + 1  # 十一五 = 2006-2010
        start = 2001 + 5 * n
        return str(start + 4) if m.group(0).endswith("末") else f"{start - 1}-{start + 4}"
    y = m.group("y")
    month = m.group("ytd") or m.group("m")
    if month:
        return f"{y}-{int(month):02d}"
    part = m.group("part") or ""
    return y + {"上半年": "H1", "下半年": "H2", "前三季度": "Q3", "一季度": "Q1", "第一季度": "Q1"}.get(part, "")


THIS_PERIOD = "本期"  # the period of a text that names no year (全年…，年末…): its own, whatever it is


def previous(period: str) -> str:
    """The period before: 2021 -> 2020, 2021-09 -> 2020-09, 2021H1 -> 2020H1, 本期 -> 上期; '' when unknown."""
    if period == THIS_PERIOD:
        return "上期"
    m = re.fullmatch(r"(\d{4})(.*)", period)
    if not m or re.fullmatch(r"-\d{4}", m.group(2)):
        return ""
    return f"{int(m.group(1)) - 1}{m.group(2)}"


def span_years(period: str) -> tuple[str, str] | None:
    m = re.fullmatch(r"(\d{4})-(\d{4})", period)
    return (m.group(1), m.group(2)) if m else None


# --- words --------------------------------------------------------------------------------------
# 相当于地区生产总值的40.0%: a share of the noun phrase (not 相当于上年的105%: no year before 的)
_SHARE_WORD = re.compile(r"占比|比重|份额|占(?!据|领|有)|相当于(?=(?![^，。；]*(?:年|同期|期))[^，。；\d]{2,20}的\s*$)")
_RATE_NOUN = re.compile(r"(率|比重|占比|份额|指数|水平)$")
_CHANGE_VERB = r"(?:增长|增加|净增|增收|增|提高|提升|上升|上涨|扩大|下降|减少|减收|降低|下滑|回落|缩小|收窄|减)了?"
_TO_VERB = re.compile(r"(增长到|增长至|增加到|增加至|增至|提高到|提高至|提升到|提升至|升至|上升到|上升至|扩大到|扩大至|"
                      r"下降到|下降至|降至|降到|减少到|减少至|回落到|回落至|达到|达|为|是|突破|超过|迈入)\s*$")
_VERBS_END = re.compile(r"(约合|折合|合计约|即|由|从|累计达到|累计完成|累计实现|达到了|达到|达|为|是|实现|完成|突破|超过|超|约|近|逾|有|拥有|共有|"
                        r"增长到|增长至|增至|升至|提高到|提升至|突破了|迈入|首次|已|共|分别为|分别达到|分别是|分别|依次为|依次是|"
                        r"同比|比上年|较上年|比去年|较去年|上涨|不到|不足|接近|将近|大约|有望|预计|"
                        r"稳定在|保持在|维持在|稳定|保持|维持|稳稳站上|站上|迈上|跨上|跃上|登上|稳居|位居|位列|名列|跃居)+\s*$")
_FILLERS = re.compile(r"^(其中|分别|依次|此外|另外|同时|其次|而且|并且|而|并|且|和|及|以及|从(?!业|事)|由|在(?!用|建|线|营|册|校|岗|职|网)|共|已|全年|当年|年末|年底|目前|"
                      r"截至|截止|到|全省|全市|全区|全国|我国|全州|全县|各地|实现|完成|的|，|、|：|:|\s)+")
_GENERIC_TAIL = re.compile(r"(的)?(总体规模|总规模|规模|总量|总额|总数|数量|总计|合计|总和)$")
# 拥有规上企业175家，实现营业收入812亿元: a subject that names who (firms, parks), whose figures follow
_ENTITY = re.compile(r"(企业|公司|集团|园区|平台|基地|机构|单位|商户|网点|主体|项目)$")
_VERB_LED = re.compile(r"(实现|完成|获得|带动|拉动|发放|吸引|帮助|服务|支持|带来|创造|累计|上线|入驻|接入|培育|引进|"
                       r"建成|开通|新增|拥有|有)")
# 400亿元家具、300亿元服装: the noun after the number says what it counts
_NOUN_AFTER = re.compile(r"(?!以上|以下|左右|上下|以内|之间|的|台阶|大关|关口|同比|比|较|增长|增加|提高|下降|减少|占|和|及|与|或|等|翻|，|。)"
                         r"(?:\d?[A-Za-z]{1,3}(?=[\u4e00-\u9fff]))?[\u4e00-\u9fff]{2}")  # 8.1万个5G基站
ROLE_WORDS = {"增速", "增幅", "增长率", "增长", "占比", "比重", "同比增速", "同比增长", "名义增速", "增量", "规模",
              "总量", "水平", "排名", "位次", "", "其", "二者", "两者", "全年", "年均增速", "年均增长", "合计", "共计",
              "总计", "数量", "总数", "总额", "数目"}
_GROUP_NOUN = re.compile(r"(个)?(县级市|县\(市\)|设区市|地级市|城市|市\(州\)|市州|盟市|地州市|地州|地市|自治州|市|省份|省\(区、市\)|"
                         r"省区市|省市区|省市|省区|省|区县|县\(市、区\)|县市区|县区|县市|旗县|县|州|盟|地区|区)")
# a list of members after a count: 4个市州…：长沙、株洲 / 5个市州…，分别是成都、德阳
_MEMBER_LEAD = re.compile(r"^\s*(?:分别是|分别为|依次是|依次为|包括|即|为|是)?\s*")
_COUNTABLE_DIMS = {"个", "家", "户", "人", "名", "件", "项", "台", "套", "部", "座", "所", "条", "款", "种", "批", "架"}
_MEASURE_NOUN = re.compile(r"(增加值|营业收入|业务收入|收入|产值|规模|网络零售额|网上零售额|零售额|交易额|用户数|用户|投资额|投资|"
                           r"利润|总量|数量)$")
# 分别为, 依次为: numbers mapped by position onto the items listed before
_RESPECTIVELY = re.compile(r"分别|依次|各为")
# 分地区看, 从结构看: a discourse marker, not a subject
_VIEW = re.compile(r"^\s*(?:(?:从|分|按)[\u4e00-\u9fff]{1,8}?(?:来)?看|按[\u4e00-\u9fff]{1,8}?计算|据[\u4e00-\u9fff]{1,8}?)\s*$")
_RANK_VERB = re.compile(r"(居|位居|位列|排名|排在|排|名列|跃居|跃升至|跃升|上升至|升至|提升至|列|位于|处于|稳居|保持)")
_GAP_VERB = re.compile(r"(高于|低于|快于|慢于|超过|超出|高出|领先|落后于|落后)")
_GAP_BY = re.compile(r"(?:比|较)(?!上年|去年|同期|(?:19|20)\d\d)(?P<who>.{1,20}?)(?<![提升降减])(高出|高|低|快|慢|多|少)了?\s*$")


def norm_np(s: str) -> str:
    """A quantity's noun phrase without periods, regions, fillers and trailing verbs."""
    s = _PERIOD.sub("", s)
    s = re.sub(r"[（(](?:以下)?(?:简称|下称)[^（()）]*[）)]", "", s)  # 软件和信息技术服务业（以下简称软件业）
    s = re.sub(r"(近|过去|这|近些)?[一二两三四五六七八九十\d]+年(间|来|以来|内)?|上年同期|上年末|上年|去年|同期|期间|以来|"
               r"(?:连续)?多年", "", s)
    for a, b, _ in reversed(region_spans(s)):
        s = s[:a] + s[b:]
    s = re.sub(r"[“”\"《》「」（）()\s*※…]", "", s)
    s = re.sub(r"(位列|位居|稳居|居|排名|排在)(全国|全省|全市|全区)?(前|第)[一二三四五六七八九十\d]+(位|名)?$", "", s)
    s = re.sub(r"(位列|位居|稳居|居|排名|排在)[^，。；]{0,14}?(首位|末位|榜首|前列)$", "", s)  # 居全市各县（市、区）首位
    s = re.sub(r"在(全国|全省|全市|全区|全州|全球)?(范围内|中)?$", "", s)  # 网络零售额在全省排名第三位
    s = re.sub(r"^(?:这|上述|以上)?(?:[两二三四五六七八九十]|\d{1,2})个?(?:设区市|地级市|城市|市州|盟市|地市|市|省份)"
               r"(?=[\u4e00-\u9fffA-Za-z\d]{2})", "", s)  # 三市5G基站数: the quantity of each of three cities
    s = re.sub(r"^(?:这|上述|以上)?(?:[两二三四五六七八九十]|\d{1,2})个?(?:设区市|地级市|城市|市州|盟市|地市|市|县|区|地|省份)$",
               "", s)  # 襄阳、宜昌两市分别为…: a count of the regions, no quantity (the sentence's carries on)
    s = re.sub(r"^(?:双双|均已|均|都)(?=超过|突破|达到|超|在|$)", "", s)  # 两市…，双双超过5800亿元: both, no quantity
    for _ in range(3):
        s = _FILLERS.sub("", s)
        s = _VERBS_END.sub("", s)
        s = re.sub(r"(的|，|、|和|及|与|年均|年平均|平均每年|平均|均|都|各|也)$", "", s)
    return s


def qkey(np: str) -> str:
    """A key two phrases for one quantity share (数字经济总体规模 ~ 数字经济规模 ~ 数字经济)."""
    if np in ("经济总量", "生产总值"):
        return "地区生产总值"  # 经济总量站上两千亿元台阶: the region's GDP
    s = _GENERIC_TAIL.sub("", np)
    s = re.sub(r"(?<=[\u4e00-\u9fff]{2})装机(?:容量)?$", "装机容量", s)  # 新能源装机规模 ~ 新能源装机容量
    s = re.sub(r"(?<=业)(?:累计实现|累计完成|实现|完成)(?=[\u4e00-\u9fff]{2})", "", s)  # 服务业实现营业收入
    s = re.sub(r"(?<=[\u4e00-\u9fffA-Za-z])(?<!指|系|倍|人|户|次|件|分)数$|(?<=用户)数$", "", s)  # 5G基站数 ~ 5G基站
    s = re.sub(r"^全(?=地区生产总值)", "", s)  # 全地区生产总值: the prefecture's (喀什地区) GDP
    s = re.sub(r"^(全省|全市|全国|我国|累计)", "", s)
    s = re.sub(r"(?<=[\u4e00-\u9fff]{2})总(?=产量|收入|人口|产值|人数|面积|长度)", "", s)  # 粮食总产量 ~ 粮食产量
    return s or np


@dataclass
class _Context:
    period: str = ""
    region: str = ""
    subject: str = ""
    rate_ref: int | None = None   # last rate statement (growth/share/cagr) of the sentence
    total: int | None = None      # the statement 其中 splits
    in_parts: bool = False
    from_period: str = ""         # 由2016年的…: the first period of a 由…至 construction
    to_period: str = ""           # the clause's period before 由2020年的…: where 增至X with no year of its own ends
    para_first: int = 0
    point_period: str = ""        # the last period that is not a span (a span does not carry on)
    span_base: tuple[str, str] = ("", "")  # (base, period) of the last 倍 of the sentence
    lead_period: str = ""         # the paragraph's first period: each sentence starts from it
    whole_hint: str = ""          # W中，A占x%: the whole of the shares that follow
    main: str = ""                # the text's region (全省, 全区 … speak of it)
    pending_base: int | None = None  # 与2018年的X相比: a base level whose quantity is named after it
    sentence_period: bool = False  # a period was set by an earlier clause of this sentence
    last_whole: tuple[str, str] | None = None  # the whole of the sentence's last share
    growth_after: int | None = None  # 增速高于…X个百分点，达到21.9%: the gap whose rate follows it
    listed: list[tuple[str, str]] = field(default_factory=list)  # the last 分别 list: (quantity, region) each
    breakdown: bool = False       # 按经营地分，…: parts of a total of the same kind of quantity only
    wholes: list[tuple[str, str, bool]] = field(default_factory=list)  # the wholes the sentence has named so far


_SENT_END = re.compile(r"[。！？!?\n]")
_CLAUSE_END = re.compile(r"[，；;]|(?<!\d)[：:]|[：:](?!\d)|,(?!\d{3})")  # 2.7:28.9:68.4 is one ratio


_BREAKDOWN = re.compile(r"\s*(?:(?:分|按)[\u4e00-\u9fff]{1,8}?(?:分|看|划分)|从[\u4e00-\u9fff]{1,8}?(?:来)?看)\s*$")


def _skip_line(line: str) -> bool:
    s = line.strip()
    return ("\t" in line or "....." in s or "…………" in s or s.startswith(("|", "#")) or bool(re.match(r"^[图表]\s*\d+", s)))


# --- places the gazetteer lacks ------------------------------------------------------------------
# A text that breaks its area down by district or county (分区看, 分县市看, 各区, 8个县市, 县（市、区）)
# names them as the subjects of its figures: 西青区1,215.8亿元, 景洪市实现旅游收入…, 滨海新区地区生产总值…
_BY_PLACE = re.compile(r"分(?:县|区|县市|县区|区县|市县|旗县|县\(市、区\))(?:看|来看|域看)?|各(?:区|县|县市|区县|县区|旗县|县\(市、区\))|"
                       r"县\((?:市|区|市、区)\)|县市区|(?:\d+|[两二三四五六七八九十]+)个?(?:县市|县区|区县|市辖区|旗县|县|区)(?![域级])")
_PLACE_AT = re.compile(r"(?:^|(?<=[，。；：、（(\n:;,]))\s*(?:其中[，：:]?\s*)?(?P<p>[\u4e00-\u9fff]{2,4}?(?:新区|自治县|县|区|旗|市))"
                       r"(?=\s*[-\d]|实现|完成|地区生产总值|接待|增长|GDP|规模以上|一般公共预算|社会消费品)"
                       r"(?!\s*\d+\s*个?(?:县级市|县|区|市|旗|区县|县区|县市|地))")  # 海珠区3个区: a count of them
_NOT_PLACE = re.compile(r"[全各本该其郊辖社个余等业点强困贫省一二三四五六七八九十两]|[城景地]$|园|片|校园|厂|矿|林区|牧区|山区|"
                        r"老区|试验|示范|自贸|开发|高新|保税|中心|主城|市区|县域")


# 喀什市、莎车县、疏勒县、巴楚县地区生产总值分别为…: three or more places with their suffix listed before 分别
_PLACE_ITEM = r"[\u4e00-\u9fff]{2,6}?(?:新区|自治县|县|区|旗|市)"
_PLACES_BEFORE_EACH = re.compile(r"(?:^|(?<=[，。；：（(\n]))\s*(?P<l>" + _PLACE_ITEM + r"(?:、" + _PLACE_ITEM + r"){1,}(?:和"
                         + _PLACE_ITEM + r")?)(?=[^，。；]{0,16}(?:分别|依次))")


_AMONG = re.compile(r"(?:在|于)?(?:这|该|上述)?(?P<n>\d+|[两二三四五六七八九十]+)(?:个)?[\u4e00-\u9fff]{0,3}?中")


def _ranked_among(text: str, c0: int, clause_head: str) -> int:
    """The set a rank is within: 在四地中 (4); -1 when the sentence before it names a wider whole (全地区12个县
    （市）中, 全省, 各市), which regions the text does not list may belong to; else 0."""
    m = _AMONG.search(clause_head)
    if m:
        try:
            return int(m.group("n")) if m.group("n").isdigit() else int(cn_value(m.group("n")))
        except ValueError:
            return 0
    start = max(text.rfind(ch, 0, c0) for ch in "。！？\n") + 1
    wider = re.search(r"全(?:省|市|区|州|县|盟|地区|国)|我国|各(?:市|县|区|省|地)|\d+个|[两三四五六七八九十]+个", text[start:c0]
                      + clause_head)
    return -1 if wider else 0


def _place_items(run: str) -> list[str]:
    """The names of a list of three or more places the gazetteer does not hold (呼和浩特市 is not split at 和;
    a name the gazetteer holds is left out)."""
    items = run.split("、")
    last = items[-1].split("和", 1)
    if len(last) == 2 and all(len(x) >= 3 and re.search(r"(县|区|旗|市)$", x) for x in last):
        items[-1:] = last
    if len(items) < 3:
        return []
    known = region_spans(run)
    out, at = [], 0
    for item in items:
        a = run.index(item, at)
        at = a + len(item)
        if not any(x < at and a < y for x, y, _ in known):
            out.append(item)
    return out


def local_places(text: str, main_region: str) -> tuple[dict[str, str], dict[str, str]]:
    """The districts, counties and county-level cities a text that breaks its area down by them names as
    subjects of figures (西青区 -> the text's region), and their stems (西青 -> 西青区) for lists of them."""
    named = [p for m in _PLACES_BEFORE_EACH.finditer(text) for p in _place_items(m.group("l"))]
    if main_region == NATION or not (_BY_PLACE.search(text) or named):
        return {}, {}
    parent = main_region or "本地区"  # (a text that names only 全市/全州: its own area, unnamed)
    places: dict[str, str] = {}
    for p in [*named, *(m.group("p") for m in _PLACE_AT.finditer(text))]:
        stem = re.sub(r"(新区|自治县|县|区|旗|市)$", "", p)
        if p == main_region or _NOT_PLACE.search(stem) or region_spans(p):
            continue
        places.setdefault(p, parent)
    stems = {re.sub(r"(新区|自治县|县|区|旗|市)$", "", p): p for p in places}
    return places, {k: v for k, v in stems.items() if len(k) >= 2}


def parse(text: str, main_region: str = "", default_period: str = "") -> list[Statement]:
    """Every statement of `text`, in order. Offsets index `text`; the words are read in its normalised form
    (full-width digits and signs as ASCII, same offsets)."""
    nums = find_numbers(text)
    original, text = text, normalise(text)
    if not default_period and not _PERIOD.search(text):
        default_period = THIS_PERIOD
    nums = [n for n in nums if not _is_label(text, n)]
    out: list[Statement] = []
    ni = 0
    sentence_no = 0
    para_period = default_period
    reviewed = False  # the title is a 政府工作报告's: its period is already the year reviewed
    pos = 0
    for line in text.splitlines(keepends=True):
        lo, hi = pos, pos + len(line)
        pos = hi
        line_nums = []
        while ni < len(nums) and nums[ni].start < hi:
            if nums[ni].start >= lo:
                line_nums.append(nums[ni])
            ni += 1
        if not line_nums or _skip_line(line):
            years = {period_of(m) for m in _PERIOD.finditer(text, lo, hi)}
            if not line_nums and len(years) == 1 and not span_years(next(iter(years))):
                # 湖南省2023年国民经济和社会发展统计公报, （2023年度）: a title or heading names the period of
                # the lines after it; 2025年政府工作报告 reviews the year before it
                para_period = next(iter(years))
                if re.search(r"政府工作报告", line):
                    para_period, reviewed = previous(para_period), True
            continue
        line_period = para_period
        if para_period and not reviewed and not span_years(para_period) and \
                re.match(r"\s*(?:过去一年|去年|上一年)[，,]", line):
            line_period = previous(para_period)  # 2025年政府工作报告: 过去一年，… speaks of 2024
        ctx = _Context(period=line_period, region=main_region, para_first=len(out), main=main_region)
        s0 = lo
        for m in list(_SENT_END.finditer(text, lo, hi)) + [None]:
            s1 = m.start() if m else hi
            sent_nums = [n for n in line_nums if s0 <= n.start < s1]
            ctx.subject, ctx.rate_ref, ctx.total, ctx.in_parts = "", None, None, False
            ctx.region, ctx.from_period, ctx.span_base, ctx.whole_hint = main_region, "", ("", ""), ""
            ctx.to_period = ""
            ctx.pending_base, ctx.sentence_period, ctx.last_whole, ctx.growth_after = None, False, None, None
            ctx.listed, ctx.breakdown, ctx.wholes = [], False, []
            ctx.period = ctx.lead_period or line_period
            if sent_nums:
                _sentence(text, s0, s1, sent_nums, ctx, out, sentence_no)
            else:
                _absorb_context(text, s0, s1, ctx, main_region)
            sentence_no += 1
            s0 = s1 + 1
            if s0 >= hi:
                break
        if ctx.lead_period:
            para_period = ctx.lead_period
    starts = [0]
    for ln in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(ln))
    for st in out:
        st.para = bisect.bisect_right(starts, st.start) - 1
        if isinstance(st.quote, tuple):
            st.quote = original[st.quote[0]:st.quote[1]].strip()
    return out


_LABEL_AFTER = re.compile(r"(?P<q>(?:及)?(?:以上|以下)(?:的)?|的)?(?:规模以上)?(?:用户|企业|工业企业|单位|城市|县|项目|家庭|"
                          r"市州|市\(州\)|设区市|地级市|省份|省\(区、市\)|盟市|地州市|地市|区县|国家|"
                          r"商户|网点|园区|平台|产品|宽带|接入)")


_CLASS_COUNT = re.compile(r"(?:以上|以下)?的(?:还|共|仅)?有\s*(?:\d{1,3}|[两二三四五六七八九十]{1,3})\s*个")


# 60岁及以上人口, 0—14岁人口, 15-59岁的人口: an age that names a group (not 人均预期寿命78.6岁)
_AGE_CLASS = re.compile(r"(?:\s*[—\-–～~至到]\s*\d+)?\s*周?岁(?:(?:及以上|以上|及以下|以下)|(?:的)?(?:人口|人|儿童|老人|"
                        r"老年人|青少年|劳动|男性|女性|组|群体))")


def _is_label(text: str, n: Number) -> bool:
    """100Mbps以下用户, 100-500Mbps用户, 2000万元以上的企业, 超过2,000亿元的还有7个市, 65岁及以上人口: a number
    that names a class, not a claim."""
    m = _LABEL_AFTER.match(text, n.end)
    if m and (m.group("q") or n.dim == "bps"):
        return True
    if not n.dim and _AGE_CLASS.match(text, n.end):
        return True
    return bool(re.search(r"(?:超过|超|高于|低于|不足|不到|达到|在)\s*$", text[max(0, n.start - 3):n.start])
                and _CLASS_COUNT.match(text, n.end))


def _absorb_context(text: str, a: int, b: int, ctx: _Context, main_region: str) -> None:
    """A sentence without numbers still sets the period (2021年以来 …)."""
    for m in _PERIOD.finditer(text, a, b):
        if not _BASE_MARK.search(text[max(a, m.start() - 3):m.start()]):
            ctx.period = period_of(m)


def _clauses(text: str, a: int, b: int) -> list[tuple[int, int]]:
    spans, start = [], a
    depth = 0
    for i in range(a, b):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and _CLAUSE_END.match(text, i):
            spans.append((start, i))
            start = i + 1
    spans.append((start, b))
    return spans


def _sentence(text: str, s0: int, s1: int, nums: list[Number], ctx: _Context, out: list[Statement],
              sentence_no: int) -> None:
    main_region = ctx.region
    first = len(out)
    clauses = _clauses(text, s0, s1)
    for ci, (c0, c1) in enumerate(clauses):
        cnums = [n for n in nums if c0 <= n.start < c1]
        clause = text[c0:c1]
        head_end = cnums[0].start if cnums else c1
        before = ctx.period
        _update_period(text, c0, head_end, ctx)
        side = _side_period(text, c0, head_end, cnums, ctx, before)
        breakdown = ci > 0 and bool(cnums) and _BREAKDOWN.match(text, *clauses[ci - 1]) is not None \
            and not re.search(r"地区|区域|地域|地州|地市|城市|市州|州市|盟市|省|区县|县市|县区|各市|各县",
                              text[clauses[ci - 1][0]:clauses[ci - 1][1]])
        if ("其中" in text[c0:head_end] or breakdown) and ctx.total is None:
            # 其中…; 按经营地分，城镇…，乡村…: the parts of the total before (by region: see the partitions)
            ctx.total = _last(out, ctx.para_first, ("level",))
            ctx.in_parts = ctx.total is not None
            ctx.breakdown = breakdown
            if ctx.in_parts:
                if ctx.whole_hint:
                    ctx.wholes.append((ctx.whole_hint, "", False))
                ctx.whole_hint = ""  # 主要产品中，手机产量…，其中智能手机…，占72.5%: of the total 其中 splits
        if not cnums:
            since = re.fullmatch(r"\s*(?:与|同|和|较|比)\s*(" + _YEAR + r")\s*年(?:末|底)?\s*(?:相比|比较|对比)?\s*", clause)
            if since:  # 与2018年相比，全国网上零售额翻了一番: the base of the changes that follow
                ctx.from_period = since.group(1)
                continue
            _update_subject(text, c0, c1, ctx, main_region)
            if clause.rstrip().endswith("中") and not re.fullmatch(r"\s*(其|之|其中|当中)?\s*中\s*", clause):
                ctx.whole_hint = norm_np(re.sub(r"^\s*在|中\s*$", "", clause))  # (其中 names no whole)
            continue
        if _ratio_run(text, c0, cnums, ctx, out, sentence_no):
            pass
        elif _RESPECTIVELY.search(text, c0, cnums[0].start) or (
                _RESPECTIVELY.search(text, c0, c1) and len(cnums) > 1):
            _respectively(text, c0, c1, cnums, ctx, out, sentence_no, main_region)
        else:
            prev_end = c0
            for n in cnums:
                head = text[prev_end:n.start]
                if prev_end > c0 and "其中" in head and ctx.total is None:
                    # 货物进出口总额2,776.8亿元（其中出口985.3亿元，进口1,801.5亿元）: the parts of the level before
                    ctx.total = _last(out, ctx.para_first, ("level",))
                    ctx.in_parts = ctx.total is not None
                st = _statement(text, c0, prev_end, n, head, ctx, out, first, sentence_no, main_region)
                if st is not None:
                    st.quote = (c0, c1)
                    _add(out, st, ctx)
                prev_end = n.end
            _comparator_value(text, c0, c1, cnums, ctx, out)
            _comparator_after(text, c0, cnums, ctx, out)
        _count_members(text, clauses[ci + 1:], out, first)
        if side:
            ctx.period = before  # 2018年全省网络零售额为2.22万亿元: a base year for this clause only
        ctx.sentence_period = ctx.sentence_period or bool(ctx.period)
    _spans_from_multiples(out, first)
    _base_rates(out, first)
    _new_then_total(text, out, first)


_NEW = re.compile(r"^(?:新增|净增|新建成|新建|新开通|新培育|新认定)(?=[\u4e00-\u9fffA-Za-z\d]{2})")


def _new_then_total(text: str, out: list[Statement], first: int) -> None:
    """新增数字化车间156个，累计达到1,024个，上年末为886个: the first is the year's increment of the quantity the
    later levels (累计, 总数) state, not a level of 新增数字化车间."""
    sts = [st for st in out[first:] if st.measure == "level" and _NEW.match(st.quantity)]
    if len(sts) < 2:
        return
    head = sts[0]
    rest = [st for st in sts[1:] if st.quantity == head.quantity and st.num.dim == head.num.dim]
    said_total = any(isinstance(st.quote, tuple) and re.search(r"累计|总数|总量|共有|累计达", text[st.quote[0]:st.start])
                     for st in rest)
    if not rest or not said_total:
        return
    q = _NEW.sub("", head.quantity)
    head.measure, head.quantity, head.base = "increment", q, previous(head.period)
    for st in rest:
        st.quantity = q


def _add(out: list[Statement], st: Statement, ctx: _Context) -> None:
    out.append(st)
    r = out[ctx.rate_ref] if ctx.rate_ref is not None else None
    if r is not None and st.num.qualifier != "eq" and r.num.qualifier == "eq" and r.sentence == st.sentence \
            and not st.explicit and st.quantity == r.quantity \
            and st.num.dim == "%" and st.measure in ("level", r.measure) and r.measure in ("share", "level"):
        # 占…的比重为19.7%，即20%左右，比上年提高…: the rounded restatement of the rate before; the change is the
        # exact rate's
        st.measure, st.quantity, st.whole, st.whole_region = r.measure, r.quantity, r.whole, r.whole_region
        return
    if (st.measure in ("growth", "share", "cagr") or (st.measure == "level" and st.num.dim == "%")) \
            and not st.bracketed:
        ctx.rate_ref = len(out) - 1
    if ctx.pending_base is not None and st.explicit and st.quantity and len(out) - 1 != ctx.pending_base:
        base = out[ctx.pending_base]  # 与2018年的X相比，全省软件业务收入…: X is that quantity's
        base.quantity, base.region, base.explicit = st.quantity, st.region, True
        ctx.pending_base = None


_SIDE_HEAD = re.compile(r"\s*(?P<y>" + _YEAR + r")\s*年(?:末|底)?\s*[^，。；\d]{0,24}?(?:为|是|达到|达|仅为|有)\s*$")


def _side_period(text: str, c0: int, head_end: int, cnums: list[Number], ctx: _Context, before: str) -> bool:
    """A later clause of a sentence that states one level of an earlier year (…，2018年全省网络零售额为
    2.22万亿元，五年年均增长10.3%) gives that year to its own number only."""
    if not (ctx.sentence_period and before and len(cnums) == 1 and cnums[0].dim not in ("%", "pp", "倍")):
        return False
    m = _SIDE_HEAD.match(text, c0, head_end)
    return bool(m and m.end() == head_end and m.group("y") < before[:4] and not span_years(before))


def _numbers_before(out: list[Statement], at: int) -> list[Number]:
    return [st.num for st in out[-12:] if st.num.start < at]


def region_list(s: str) -> tuple[list[str], bool] | None:
    """The regions of a list that is nothing but region names and separators (呼和浩特市、乌兰察布市和
    鄂尔多斯市; 长沙、株洲等), and whether it ends with 等; None if anything else is in it."""
    body = s.strip()
    open_list = body.endswith("等")
    body = re.sub(r"等$", "", body).strip()
    rs = list_spans(body)
    if len(rs) < 2 or rs[-1][1] != len(body):
        return None
    # the longest run of regions joined by separators that ends the text (河南省郑州、洛阳、许昌: 郑州 …)
    k = len(rs) - 1
    while k > 0 and re.fullmatch(r"\s*(、|和|及|与|以及|,)\s*", body[rs[k - 1][1]:rs[k][0]]):
        k -= 1
    run = rs[k:]
    if len(run) < 2 or (run[0][0] > 0 and not re.search(r"(省|区|市|州|国|有|括|中|，|、)$", body[:run[0][0]])):
        return None
    return list(dict.fromkeys(r for _, _, r in run)), open_list


_COUNTY_NOUN = re.compile(r"个?(县级市|县\(市\)|县\(市、区\)|县市区|县区|区县|县市|县|区|旗|市)")
_PLACE = r"(?:[\u4e00-\u9fff]{2,10}?自治县|[\u4e00-\u9fff]{2,4}?(?:县|市|区|旗))"  # 秀山土家族苗族自治县, 巫山县
_PLACE_LIST = re.compile(r"(?P<run>" + _PLACE + r"(?:(?:、|和|及|与)" + _PLACE + r")+)(?P<open>等)?\s*$")


def place_list(s: str) -> tuple[list[str], bool] | None:
    """A list of county-level names written with their suffix (德清县、长兴县、桐乡市) ending `s`, and whether
    it ends with 等: the names only (a lead such as 全省有 is not part of the first)."""
    rs = region_spans(s)
    m = _PLACE_LIST.search(s[rs[-1][1]:] if rs else s)  # 湖州市南浔区、德清县: the county after its city
    if not m:
        return None
    items = re.split(r"、|和|及|与", m.group("run"))
    first = re.sub(r"^.*(?:有|包括|其中|中|为|是|全省|全市|全区|全州)", "", items[0])
    if len(first) < 2:
        return None
    items[0] = first
    return list(dict.fromkeys(items)), bool(m.group("open"))


def _count_members(text: str, rest: list[tuple[int, int]], out: list[Statement], first: int) -> None:
    """有3个盟市…：呼和浩特市、乌兰察布市 / 5个市州…，分别是成都、德阳: the members are the regions listed in
    the clause after the count's clause."""
    if not rest:
        return
    pending = [st for st in out[first:] if st.measure == "count" and not st.members and st.quote
               and isinstance(st.quote, tuple) and st.quote[1] == rest[0][0] - 1]
    if not pending:
        return
    a, b = rest[0]
    body = text[a:b]
    lead = _MEMBER_LEAD.match(body)
    colon = text[a - 1:a] in ("：", ":")
    if not colon and not lead.group(0).strip():
        return
    st = pending[-1]
    got = region_list(body[lead.end():])
    if got is None and _COUNTY_NOUN.fullmatch(st.quantity):
        got = place_list(body[lead.end():])  # 县（市、区）有6个，分别为包河区、蜀山区…: names the gazetteer may lack
    if got is None:
        return
    st.members, st.open_list = got


def _spans_from_multiples(out: list[Statement], first: int) -> None:
    """年均增长15.2%，是2018年的1.8倍: a CAGR without its own span takes the span of the multiple of the same
    quantity in its sentence (and a multiple without a base the CAGR's)."""
    sts = out[first:]
    for st in sts:
        # 实现翻番，2018年为2,105.3亿元: a multiple with no base of its own is over the earlier year stated with it
        if st.measure == "ratio" and st.base == previous(st.period) and not any(
                x.measure == "level" and x.period == st.base and x.quantity == st.quantity for x in sts):
            earlier = [x.period for x in sts if x.measure == "level" and x.quantity == st.quantity
                       and x.region == st.region and re.fullmatch(r"\d{4}", x.period) and x.period < st.base]
            if len(set(earlier)) == 1:
                st.base = earlier[0]
    for st in sts:
        if st.measure != "cagr" or st.base:
            continue
        r = next((x for x in sts if x.measure == "ratio" and x.base and x.quantity == st.quantity
                  and x.region == st.region), None)
        if r is not None:
            st.base, st.period = r.base, r.period
    for st in sts:
        # 年均增长12.5%，2023年达到…，2020年为… / “十四五”以来年均增长…，由2020年的…增长到2023年的…: the span of
        # the two levels of its quantity the sentence states, when its own is not theirs
        if st.measure != "cagr":
            continue
        years = sorted({x.period for x in sts if x.measure == "level" and x.quantity == st.quantity
                        and x.region == st.region and re.fullmatch(r"\d{4}", x.period)})
        if len(years) != 2 or int(years[1]) - int(years[0]) < 2:
            continue  # 比上年增长13.2%（上年为…）: two consecutive years are a year's growth, not a CAGR's span
        if any(x.measure == "ratio" and (x.base, x.period) == (st.base, st.period) and x.quantity == st.quantity
               for x in sts):
            continue  # 比2013年增加了2.5倍，年均增长10.8%: the span of its multiple
        if not st.base or st.period not in years or st.base not in years:
            st.base, st.period = years


def _base_rates(out: list[Statement], first: int) -> None:
    """比上年末提高13.3个百分点；2022年末5G用户占比为32.3%: the rate stated for the change's base period in the
    same sentence is the earlier value of the rate that changed."""
    sts = out[first:]
    for k, p in enumerate(sts):
        if p.measure != "pp" or p.ref is None or not p.base:
            continue
        r = out[p.ref]
        for s in sts[k + 1:]:
            if s.num.dim != "%" or s.measure not in ("share", "level", "growth"):
                continue
            if s.period == p.base and s.region == r.region and (
                    s.measure == r.measure or {s.measure, r.measure} <= {"share", "level"}):
                s.measure, s.quantity, s.whole, s.whole_region = r.measure, r.quantity, r.whole, r.whole_region
                if s.measure == "growth":
                    s.base = previous(s.period)
            break


def _update_period(text: str, a: int, b: int, ctx: _Context) -> None:
    for m in _PERIOD.finditer(text, a, b):
        before = text[max(a, m.start() - 3):m.start()]
        if _BASE_MARK.search(before) or text[m.end():m.end() + 1] == "的":
            continue
        if re.search(r"(是|相当于)\s*$", before) and re.match(r"\s*[（(][^（()）]*[）)]\s*的", text[m.end():]):
            continue  # 是2015年（2,105.3亿元）的3.2倍: the base of a multiple
        if re.fullmatch(r"\s*[（(]?\s*", text[a:m.start()]) and re.match(r"\s*(为|是|仅为)", text[m.end():b]):
            continue  # 2022年为548.6亿元: that number's own period, not the clause's
        ctx.period = period_of(m)
        if not span_years(ctx.period):
            ctx.point_period = ctx.period
            ctx.lead_period = ctx.lead_period or ctx.period


_NOT_SUBJECT = re.compile(r"比|较|是|相当于|稳居|跃居|名列|居(?!民|住|家|委)|位居|位列|排名|在")


def _subject_part(head: str) -> str:
    """The part of a head before any comparison, share or rank word (where its subject region is named)."""
    cut = len(head)
    for pat in (_GAP_VERB, _SHARE_WORD, _NOT_SUBJECT):
        m = pat.search(head)
        if m:
            cut = min(cut, m.start())
    return head[:cut]


def _subject_region(text: str, a: int, b: int) -> str | None:
    """The region a head speaks of: named before any comparison or share word."""
    cut = len(_subject_part(text[a:b]))
    found = [r for s, e, r in region_spans(text, a, a + cut)]
    return found[-1] if found else None


def _area_region(word: str, ctx: _Context, main_region: str) -> str:
    """The region 全省/全市/全州… names: the text's own area or its province; 全市 in a province's text is the
    prefecture the sentence speaks of (杭州市…，全市地区生产总值为…), else an area of its own (never the province)."""
    area = whole_area(word, main_region)
    if area or not main_region:
        return area or main_region
    if word in ("市", "州", "盟", "地区", "区", "县"):
        if ctx.region and ctx.region != main_region and parent_name(ctx.region):
            return ctx.region
        return f"全{word}"
    return main_region


def _update_subject(text: str, a: int, b: int, ctx: _Context, main_region: str) -> None:
    if _VIEW.match(text[a:b]):
        return  # 分地区看, 从结构看
    b = a + len(re.sub(r"中\s*$", "", text[a:b]))  # 全省网络零售额中，…: the subject is 网络零售额
    reg = _subject_region(text, a, b)
    area = re.search(r"全(省|市|区|州|县)", text[a:b])
    if reg:
        ctx.region = reg
    elif area:
        ctx.region = _area_region(area.group(1), ctx, main_region)
    np = norm_np(text[a:b])
    if np and np not in ROLE_WORDS and not re.fullmatch(r"[\W\d]*", np) and len(np) <= 30:
        ctx.subject = np


def _urban_rural(out: list[Statement], first: int, region: str) -> tuple[str, str] | None:
    """The paragraph's last pair of levels of one quantity for 城镇… and 农村…/乡村… (人均可支配收入)."""
    levels = [st.quantity for st in reversed(out[first:]) if st.measure == "level" and st.region == region]
    for q in levels:
        m = re.match(r"城镇(.{2,})", q)
        if m:
            for other in levels:
                n = re.match(r"(农村|乡村)(.{2,})", other)
                if n and n.group(2) == m.group(1):
                    return q, other
    return None


def _regional_quantity(out: list[Statement], first: int, region: str) -> str:
    """The quantity of the paragraph's last level of `region`, else of its last level of another region (not
    a list, not the text's own area)."""
    levels = [st for st in reversed(out[first:]) if st.measure == "level" and st.quantity and "|" not in st.region]
    own = next((st.quantity for st in levels if st.region == region), "")
    if own:
        return own
    other = next((st.quantity for st in levels if st.explicit and parent_name(st.region)), "")
    if other:
        return other
    # 全省11个设区市地区生产总值合计…。其中，太原市5,612.3亿元: the quantity of the total of the regions
    up = parent_name(region)
    total = next((st for st in reversed(out[first:]) if st.measure == "level" and st.quantity and (
        st.region.startswith("|") or (up and st.region == up))), None)
    return re.sub(r"(合计|共计|总计)$", "", total.quantity) if total is not None else ""


def _group_quantity(out: list[Statement], regs: list[str], dim: str) -> str:
    """What a sum of regions (北部三市（大同、朔州、忻州）合计…) is of: the quantity of the last level stated for
    one of them, else of the last level in that unit of a region beside them (of the same parent)."""
    parents = {parent_name(r) for r in regs} - {""}
    for st in reversed(out[-400:]):
        if st.measure == "level" and st.quantity and "|" not in st.region and st.num.dim == dim and (
                st.region in regs or (parents and parent_name(st.region) in parents)):
            return st.quantity
    return ""


_FLOW = re.compile(r"(?:全年)?(?:新增|新建|新开通|新投产|新上|增加|净增)")


def _total_for(out: list[Statement], ctx: _Context, dim: str | None, after: bool = False,
               quantity: str = "") -> int | None:
    """The total a part (其中 …) belongs to: the last level before 其中 of the part's unit (of the part's own
    quantity when one is: 二级节点305个，覆盖…的45个重点行业，其中东部地区176个); with after=True, the last
    level stated after 其中 (the part a 占比 speaks of)."""
    if ctx.total is None:
        return None
    rng = range(len(out) - 1, ctx.total, -1) if after else range(ctx.total, ctx.para_first - 1, -1)
    # the total is of the clause's period (not a side statement of the year before)
    found = [i for i in rng if out[i].measure == "level" and (dim is None or out[i].num.dim == dim) and (
        after or out[i].period == ctx.period or not ctx.period)]
    same = [i for i in found if quantity and out[i].quantity == quantity]
    if not after and not _FLOW.match(quantity or ""):
        # 装机容量33.5亿千瓦，…新增发电装机容量42,718万千瓦。其中，火电14.4亿千瓦: parts that are no flow break
        # down the stock before the year's addition
        stocks = [i for i in found if not _FLOW.match(out[i].quantity) and out[i].sentence == out[found[0]].sentence]
        if found and _FLOW.match(out[found[0]].quantity) and stocks:
            found = stocks
    if ctx.breakdown and not after:
        # 社会消费品零售总额 … 按经营地分，城镇消费品零售额: a total whose phrase ends like the part's
        kin = [i for i in found if out[i].quantity.replace("总", "")[-3:] == quantity[-3:]]
        return (same or kin or [None])[0]
    return (same or found or [None])[0]


def _last(out: list[Statement], first: int, measures: tuple[str, ...]) -> int | None:
    for i in range(len(out) - 1, first - 1, -1):
        if out[i].measure in measures:
            return i
    return None


def _change_base(head: str, period: str, ctx: _Context | None = None) -> str:
    if ctx is not None and ctx.from_period and ctx.from_period != period:
        return ctx.from_period
    m = re.search(r"(?:较|比|与)\s*(" + _YEAR + r")\s*年(?:\s*(\d{1,2})\s*月)?", head)
    if m:
        return m.group(1) + (f"-{int(m.group(2)):02d}" if m.group(2) else
                             re.sub(r"^\d{4}", "", period) if re.match(r"\d{4}(H\d|Q\d|-\d\d)$", period) else "")
    return previous(period) if period and not span_years(period) else ""


def _statement(text: str, c0: int, h0: int, n: Number, head: str, ctx: _Context, out: list[Statement],
               first: int, sentence_no: int, main_region: str) -> Statement | None:
    clause_head = text[c0:n.start]
    # 由2016年的21.9%增至2021年的35%: a period right before the number is its own
    own = re.search(r"(" + _YEAR + r")\s*年(?:\s*(\d{1,2})\s*月(?:底|末)?)?(?:底|末)?\s*(?:的)?\s*[（(]?\s*$", head)
    period = ctx.period
    side = re.match(r"\s*[（(]?\s*(?:(?P<y>" + _YEAR + r")\s*年(?:底|末)?|(?P<prev>上年同期|上年末|上年|去年))(?:全年)?"
                    r"\s*(?:为|是|达到|达|仅为|有|(?P<chg>增长|下降|增速为|增速|增幅为))\s*$", head) or (
        re.match(r"\s*[（(]?\s*(?P<prev>上年同期|上年末|上年底|上年|去年)(?![同比增])[^，。；]{1,16}?(?:为|是|达到|达|(?<=[额入量数值模]))\s*$", head)
        if h0 == c0 else None)
    bracket = head.rstrip().endswith(("（", "("))
    base_level = bool(own and (
        (re.search(r"(与|和|同)\s*$", head[:own.start()]) and re.match(r"\s*(相比|比较|对比)", text[n.end:]))
        or (re.search(r"(比|较|是|相当于)\s*$", head[:own.start()]) and bracket)  # 是2014年（27,898亿元）的
        # 较2022年的1.49万亿元增长13.4%: the base period's level, then the change
        or (re.search(r"(比|较)\s*$", head[:own.start()]) and own.group(0).rstrip().endswith("的")
            and re.match(r"\s*(年均)?(增长|增加|提高|提升|下降|减少|扩大|净增|翻)", text[n.end:]))))
    if own and not base_level and re.search(r"(是|比|较|相当于|为)\s*$", head[:own.start()]):
        own = None  # 是2018年的2.1倍: the base, not the period
    if own and base_level:  # 与2018年的10,420.5亿元相比, 比2018年（10,420.5亿元）: the base period's level
        period = own.group(1)
        ctx.from_period = ctx.from_period or period
        if not bracket:
            ctx.pending_base = len(out)
    elif side:
        # 2022年为548.6亿元, 上年为565.1亿元, 上年增长8.1%: a period for this number only
        period = side.groupdict().get("y") or previous(ctx.period)
    elif own and bracket:
        _update_period(text, h0, n.start, ctx)
        period = ctx.period
    elif own:
        period = own.group(1) + (f"-{int(own.group(2)):02d}" if own.group(2) else "")
        if not ctx.from_period and re.search(r"(由|从)\s*" + _YEAR, text[c0:n.start]):
            ctx.from_period, ctx.to_period = period, ctx.period
        ctx.period = period
    else:
        _update_period(text, h0, n.start, ctx)
        period = ctx.period
        if ctx.to_period and period == ctx.from_period != ctx.to_period and _TO_VERB.search(head) \
                and not span_years(ctx.to_period):
            period = ctx.period = ctx.to_period  # 风电装机由2020年的3.0亿千瓦增至5.3亿千瓦: this year's
    spans = span_years(period)
    if not own and not spans and re.search(r"(由|从)\s*(约|近|超过|超|不足|不到|逾)?\s*$", head) \
            and re.match(r"\s*(?:(?:增长|增加|提高|提升|上升|扩大|下降|减少|回落|缩小)(?:到|至)|[增降升]至)", text[n.end:]):
        # 五年来，…从不足4万元提高到近4.9万元: the start of a change of no stated year is of no period the text
        # names (it joins nothing; the end keeps the clause's period)
        period = f"{period}起"
    if spans and n.dim not in ("%", "pp", "倍", "") and not n.ordinal:
        if re.search(r"(由|从)\s*(约|近|超过|超)?\s*$", head):   # 2013年至2023年，从约5000亿元增长到…
            period = ctx.from_period = spans[0]
        elif _TO_VERB.search(head) and ctx.from_period == spans[0]:
            period = spans[1]
    reg = _subject_region(text, h0, n.start)
    area = re.search(r"全(省|市|区|州|县)", _subject_part(head))
    listed = re.match(r"\s*(?P<list>[^，。；]{4,60}?)\s*(?:合计|共计|总计)", head) if h0 == c0 else None
    # 北部三市（大同、朔州、忻州）合计…, 中心城区（和平、河东…）合计…: the regions are those in the brackets
    named = re.fullmatch(r"[^（(，。；]{1,12}[（(](?P<in>[^）)]{4,60})[）)]\s*", listed.group("list")) if listed else None
    group = region_list(named.group("in") if named else listed.group("list")) if listed else None
    if group and not group[1]:
        # 贵阳市和遵义市合计9,948.3亿元: the regions' sum (of the quantity the paragraph states for them)
        reg = group[0][-1]
        if not ctx.subject or named:
            ctx.subject = _group_quantity(out, group[0], n.dim) or ctx.subject
        ctx.region = "|".join(group[0])
        if named:
            head = head[listed.end():]  # the list and its name are no quantity
    elif reg:
        ctx.region = reg
    elif area:
        ctx.region = _area_region(area.group(1), ctx, main_region)  # 全省 in a text about 长沙市
    after_count = _GROUP_NOUN.match(text, h0) if h0 > c0 and out and out[-1].measure == "count" \
        and out[-1].end == h0 else None
    if after_count:  # 3个城市数字经济增加值, 长株潭3市数字经济规模: the noun after the count
        head = text[after_count.end():n.start]
    # …11个设区市地区生产总值合计25,072.2亿元: the quantity without 合计 (the sum is of the counted regions)
    np = re.sub(r"^的", "", norm_np(_strip_markers(re.sub(r"(?:合计|共计|总计)\s*$", "", head) if after_count else head)))
    if main_region and np.startswith(main_region) and not region_spans(main_region):
        np = re.sub(r"^(?:累计)?(?:实现|完成)(?=[\u4e00-\u9fff]{2})", "", np[len(main_region):])  # 昆山市实现地区生产总值
    explicit = False
    if re.fullmatch(r"(覆盖|带动|服务|吸纳|涵盖|辐射|惠及|包括|涉及|连接|接入|培育|新增|仅次于|次于|紧随|"
                    r"领先于|落后于|高于|低于|超过|快于|慢于|净增|新增|增加|减少|净减|增长|下降|增收|减收|至|到)", np or ""):
        np = ""  # 覆盖31个省份, 仅次于广东（32.5万个）: a verb, not what is measured
    elif re.match(r"(?:高于|低于|快于|慢于|好于|领先于|落后于|仅次于|次于)", np or ""):
        np = ""  # 快于全市1.8个百分点: a comparison, not what is measured
    year_led = h0 == c0 and re.match(r"\s*[（(]?\s*(?:" + _YEAR + r")\s*年(?:末|底)?", head)
    if (side or year_led) and np and ctx.subject and ctx.subject != np and ctx.subject.endswith(np) \
            and len(np) >= 2 and out and out[-1].sentence == sentence_no:
        np = ctx.subject  # …连接设备1,200万台，2022年连接设备1,000万台: the sentence's quantity, shortened
    if np and np not in ROLE_WORDS and not re.fullmatch(r"[\W\d]*", np) and len(np) <= 30:
        if _VERB_LED.match(head.lstrip()) and ctx.subject and h0 == c0 and c0 > 0 and \
                text[c0 - 1] in "，," and _ENTITY.search(ctx.subject) and not _subject_region(text, h0, n.start):
            np = ctx.subject + np  # 拥有规上企业175家，实现营业收入812亿元: the firms' revenue
        ctx.subject = np
        explicit = not _NOUN_AFTER.match(text, n.end)
    if not ctx.subject and reg and h0 == c0:
        # 湘西州占全省的比重为2.1%。/ 赤峰市居第3位 / 包头市是通辽市的2.8倍: a region with no quantity of its own
        # speaks of the quantity the paragraph states for its regions
        ctx.subject = _regional_quantity(out, ctx.para_first, reg)
    subject = ctx.subject
    counted = re.match(r"(?:的)?((?:\d?[A-Za-z]{1,3})?[\u4e00-\u9fff]{2,8}?)(?=[，。；、和及与（(]|实现|达到|完成|覆盖|$)",
                       text[n.end:n.end + 10]) \
        if n.dim in _COUNTABLE_DIMS and _NOUN_AFTER.match(text, n.end) else None
    if counted and not re.match(r"(以上|以下|左右|同比|比|较|增长|增加|提高|下降|减少|占)", counted.group(1)):
        subject = counted.group(1)  # 45个重点行业, 300家企业: the noun after the count says what it counts
        explicit = True  # 8.1万个5G基站, 300家企业: named in its clause, after the number
    tail = text[n.end:n.end + 12]
    if ctx.growth_after is not None and n.dim == "%" and re.match(r"\s*[，,]?\s*(达到|达|为|增长|提高到)\s*$", head):
        g = out[ctx.growth_after] if ctx.growth_after < len(out) else None
        ctx.growth_after = None
        if g is not None and g.measure == "gap":
            return Statement(num=n, measure="growth", quantity=g.quantity, region=g.region, period=period,
                             base=previous(period), sentence=sentence_no)
    if side and not side.groupdict().get("chg") and n.dim == "%" and ctx.rate_ref is not None \
            and not _SHARE_WORD.search(head) and out[ctx.rate_ref].measure in ("share", "level") \
            and out[ctx.rate_ref].period != period:
        r = out[ctx.rate_ref]  # 提高1.1个百分点（上年为61.9%）: the rate's earlier value
        return Statement(num=n, measure=r.measure, quantity=r.quantity, region=r.region, period=period,
                         whole=r.whole, whole_region=r.whole_region, sentence=sentence_no)
    if re.search(r"(该|这一|此|上述)(比重|比例|占比|份额|增速|增幅)", head) and ctx.rate_ref is not None:
        r = out[ctx.rate_ref]
        if re.search(r"上年|去年", head) and not side:
            period = previous(ctx.period)  # 上年末这一比重为28.3%
        st = Statement(num=n, measure=r.measure, quantity=r.quantity, region=r.region, period=period,
                       whole=r.whole, whole_region=r.whole_region, sentence=sentence_no,
                       base=previous(period) if r.measure == "growth" else "")
        return st
    st = Statement(num=n, measure="level", quantity=subject, region=ctx.region, period=period,
                   sentence=sentence_no, explicit=explicit,
                   restates=bool(re.fullmatch(r"\s*[，,]?\s*(?:约合|折合|合|即|约|也就是)\s*", head)) and bool(out)
                   and out[-1].sentence == sentence_no and (out[-1].measure == "level" or (
                       # 1,295.4万吨，增长1.8%，折合259.1亿斤: the sentence's level, after its rates
                       re.search(r"(约合|折合)\s*$", head) and any(
                           x.sentence == sentence_no and x.measure == "level" and x.num.dim == n.dim
                           for x in out[-8:]))))
    if re.search(r"[（(]\s*$", head):  # 比全国平均水平（92.2部/百户）: the bracket gives that region's value
        before = [r for _, _, r in region_spans(text, c0, n.start)]
        if before and before[-1] != ctx.region:
            st.region, st.explicit = before[-1], False
    if (re.match(r"\s*的", text[n.end:]) or (n.dim in _COUNTABLE_DIMS | {"人次"} and n.unit != n.dim and
                                             re.match(r"[\u4e00-\u9fff]", text[n.end:n.end + 1]))) \
            and n.dim not in ("%", "pp", "倍", "") and not n.ordinal:
        # 以规模达2.04万亿元的数字经济为基础, 337.6亿GB的移动互联网接入流量中, 约2,490万名生成式人工智能用户: the level
        # of the quantity named after it, when the text states that quantity elsewhere (its reporting verb aside:
        # 约8,630万人次的国内游客 is the 接待国内游客 stated before)
        after = re.sub(r"^\s*的", "", text[n.end:n.end + 24])
        known = {x.quantity for x in out[-400:] if x.measure == "level" and len(x.quantity) >= 2}  # (linear time)
        heads = {qkey(after[:k]) for k in range(2, 9)}  # 以1.73亿元的经济总量领跑: 经济总量 is 地区生产总值
        fits = [q for q in known if (after.startswith((q, qkey(q), re.sub(r"^(?:接待|实现|完成|累计|拥有|建成)", "", q)))
                                     or qkey(q) in heads)
                and len(re.sub(r"^(?:接待|实现|完成|累计|拥有|建成)", "", q)) >= 2]
        if fits:
            st.quantity, st.explicit = max(fits, key=len), True
    named = re.search(r"(?:占|是|相当于|超过|高于|低于)\s*(?P<w>[^，。；（()）]{2,24}?)\s*[（(]\s*$", head)
    if named and not own and n.dim not in ("%", "pp", "倍", "") and re.match(r"\s*[）)]", text[n.end:]):
        # 占社会消费品零售总额（471,495亿元）的比重, 占网民总数（10.92亿人）的: the level of the noun before the
        # bracket (of its region, if it names one), not of the sentence's subject
        q = norm_np(named.group("w"))
        regs = [r for _, _, r in region_spans(named.group("w"))]
        if q and q not in ROLE_WORDS and not re.fullmatch(r"[\W\d]*", q):
            st.quantity, st.explicit = q, True
            st.region = regs[-1] if regs else st.region
    if ctx.in_parts and ctx.total is not None:
        st.parent = _total_for(out, ctx, n.dim if n.dim != "%" else None, quantity=st.quantity)
    d = n.dim
    if n.ordinal or (d == "位" and n.ordinal):
        if d in ("位", "名", "", "梯队") or _RANK_VERB.search(clause_head[-12:]):
            st.measure = "rank"
            m = _RANK_VERB.search(clause_head)
            scope = [r for _, _, r in region_spans(text, c0 + (m.end() if m else 0), n.start)]
            area = re.search(r"全(省|市|区|州|国)", text[c0:n.start])
            st.scope = scope[-1] if scope else (whole_area(area.group(1), ctx.main) if area else "")
            if re.search(r"(增速|增幅|增长率|增长速度)\s*(?:" + _RANK_VERB.pattern + r")", clause_head):
                st.of = "growth"  # 西部地区增速居第1位: a rank of the regions' growth rates, not of their levels
            st.among = _ranked_among(text, c0, clause_head)
            return st
        return None  # 第34次, 第二批: ordinals of events
    if n.form == "items":  # 五大板块：云服务、工业软件、数据服务、智能终端: the count of the items listed
        st.measure, st.quantity, st.region = "count", n.text[2:], main_region
        st.members, st.open_list = _items_after(text, n.end, round(n.value))
        return st
    integer = n.value == int(n.value) > 0 and not n.ordinal
    group = _GROUP_NOUN.match(text, n.end) if d in ("个", "") and integer \
        and n.unit in ("个", "") and not re.match(r"[个\w]*年", text[n.end:n.end + 2]) else None
    if group is None and n.unit == "个" and integer and re.match(r"\s*($|[，。；,;：:（(])", text[n.end:n.end + 1]):
        # …的有长沙、株洲、岳阳5个 / 超千亿元的市州有5个，分别为…: a count whose noun is written before it
        before_noun = re.search(r"(?<!全)(?P<g>设区市|城市|市州|州市|市\(州\)|盟市|地州市|地级市|地市|省份|省\(区、市\)|省区市|"
                                r"县\(市\)|县市区|县\(市、区\)|区县|县市|地区|(?<![全地城社园景山矿林牧])区|(?<![全本])县)"
                                r"(?:有|共有|达到|达|增至|增加到|增加至|扩大到|为)\s*$", head)
        listed = re.search(r"(?:有|为|是|包括)\s*([^，。；]{4,60}?)\s*$", head)
        if before_noun or (listed and region_list(listed.group(1))):
            group = before_noun or re.match(r"(?P<g>)", "")
    if group is not None:
        noun = group.groupdict().get("g") if "g" in group.groupdict() else group.group(2)
        # N个城市/3市/14个地州市: a count of regions (checked against the members it names, if any)
        members, open_list = _members(text, c0, n)
        st.measure, st.members, st.region, st.open_list = "count", members, main_region, open_list
        st.quantity = noun or "个"
        whole = re.search(r"全(省|市|州|区|县|盟)\s*$", text[c0:n.start])
        if members:
            ctx.region = "|".join(members)
        elif whole and _area_region(whole.group(1), ctx, main_region) and re.match(
                r"[^，。；]{0,30}?(?:合计|共计|总计)", text[n.end:]):
            # 全州3个县市游客接待量合计…: all of them, the area's own total
            ctx.region = _area_region(whole.group(1), ctx, main_region)
        else:
            ctx.region = f"|{n.text}{noun}"
        return st
    named = _named_members(text, c0, n) if integer and n.unit in _COUNTED and not changed_word(head) else None
    if named is not None:
        # 3家企业（华为、中兴、小米）, 华为、中兴、小米等3家企业: the count of the items it names
        st.measure, st.quantity, st.region = "count", named[0], main_region
        st.members, st.open_list, st.num = named[1], named[2], replace(n, form="items")
        return st
    if n.form == "fanfan" or d == "倍":
        st.measure = "ratio"
        # 增加了2.5倍, 增长近两倍 (an approximate word between the verb and the number): the rise, one less than
        # the multiple
        added = re.search(r"(增长|增加|提高|提升|扩大)(了)?\s*(近|约|将近|接近|超过|超|逾|达)?\s*$", head) \
            and n.form != "fanfan"
        if added:
            st.num = _shift_ratio(n)
        m = re.search(r"是\s*(" + _YEAR + r")\s*年(?:同期)?的\s*$", _unbracket(clause_head))  # 是2014年（…）的
        spans = span_years(period)
        if m:
            st.base = m.group(1)
        elif spans:
            st.base, st.period = spans
        elif not ctx.from_period and not re.search(r"(较|比|与)\s*" + _YEAR, clause_head) and \
                _n_years_base(clause_head, period):
            st.base = _n_years_base(clause_head, period)  # 五年间增加了0.8倍
        else:
            st.base = _change_base(clause_head, period, ctx)
        ctx.span_base = (st.base, st.period)
        prev = out[-1] if out and out[-1].sentence == sentence_no and out[-1].measure == "ratio_region" else None
        more = re.fullmatch(r"\s*[、和及与]\s*(?P<w>[^，。；\d]{1,12}?)的\s*", head) if prev is not None else None
        if more and not m:  # 是西青区的6.0倍、津南区的9.0倍: the same subject over another region
            regs = [r for _, _, r in region_spans(more.group("w"))]
            if regs and regs[-1] != prev.region:
                st.measure, st.quantity, st.region, st.base = "ratio_region", prev.quantity, prev.region, ""
                st.period, st.comparator = prev.period, (prev.comparator[0], regs[-1])
                ctx.region = prev.region
                return st
        mreg = re.search(r"(?:是|相当于|为)(.{1,12}?)的\s*$", head)
        if mreg and not m:
            regs = [r for _, _, r in region_spans(mreg.group(1))]
            other = norm_np(mreg.group(1))
            if regs:
                st.measure, st.comparator, st.base = "ratio_region", (subject, regs[-1]), ""
            elif len(other) >= 2 and other != subject and not re.search(
                    r"\d(?![\d—\-–～~]*岁)|年|期|上年|去年|其|前者|后者|全国|全省|平均|水平", mreg.group(1)):
                # 信息技术服务收入是软件产品收入的3.2倍, 60岁及以上人口是0—14岁人口的2.1倍: the level of one quantity
                # over another's, same region and period
                st.measure, st.comparator, st.base = "ratio_region", (other, st.region), ""
        return st
    avg = re.search(r"年均|年平均|平均每年|复合", clause_head)
    to_level = _TO_VERB.search(head) and not re.search(r"(增长|增加|提高|提升|下降|减少)了\s*$", head)
    inside = re.search(_GAP_VERB.pattern + r"(?P<who>[^，。；（()）]{2,30}?)\s*[（(]\s*$", head)
    if d == "%" and inside and re.match(r"\s*[）)]\s*-?\d", text[n.end:]) and \
            re.search(r"增速|增幅|增长", inside.group("who")):
        # 快于货物贸易出口整体增速（7.1%）11.8个百分点: the rate in brackets is the comparator's growth
        who = inside.group("who")
        regs = [r for _, _, r in region_spans(who)]
        st.measure, st.bracketed, st.explicit = "growth", True, True
        st.quantity = re.sub(r"(增速|增幅|增长率|增长)$", "", norm_np(re.sub(r"^(同期|同时期)", "", who)))
        st.region = regs[-1] if regs else st.region
        st.base = previous(st.period)
        return st
    before = out[-1] if out and out[-1].sentence == sentence_no and out[-1].bracketed else None
    if d == "pp" and before is not None and re.fullmatch(r"\s*[）)]\s*", head):
        st.measure, st.ref = "gap", ctx.rate_ref
        if st.ref is not None:
            r = out[st.ref]
            st.of, st.quantity, st.region, st.period, st.base = r.measure, r.quantity, r.region, r.period, r.base
        if re.search(r"(低于|慢于|落后于|落后)", text[c0:before.start]):
            st.num = _negate(n)
        st.comparator = (before.quantity, before.region)
        return st
    gap = _gap(text, c0, n, head, ctx, out, st)
    if gap is not None:
        return gap
    changed = (re.search(_CHANGE_VERB + r"\s*$", head) or re.search(
        r"(?:比|较)(?:上年|去年|上年同期|" + _YEAR + r"\s*年)(?:末|底)?(?:多|少)了?\s*$", head)) and not to_level
    base_word = re.search(r"同比|比上年|较上年|比去年|较去年|上年同期|较(" + _YEAR + r")年|比(" + _YEAR + r")年|增速|增幅|增长率",
                          clause_head)
    share = _SHARE_WORD.search(head) or (
        _SHARE_WORD.search(clause_head) and not changed and d == "%" and not base_word)
    if d == "pp":
        st.measure = "avg_pp" if avg else "pp"
        if n.negated:
            st.num = _negate(n)
        ref = ctx.rate_ref
        if ref is None and re.search(r"(该|这一|此|上述)(比重|比例|占比|份额)", clause_head):
            # …占GDP比重为33.9%。…2023年该比重比上年提高2.6个百分点: the paragraph's last share
            shares = [i for i in range(len(out) - 1, ctx.para_first - 1, -1) if out[i].measure == "share"]
            ref = next((i for i in shares if out[i].period == period), shares[0] if shares else None)
        st.ref = ref
        st.of = out[ref].measure if ref is not None else ""
        if ref is not None:
            st.quantity, st.whole, st.region = out[ref].quantity, out[ref].whole, out[ref].region
            st.whole_region = out[ref].whole_region
        spans = span_years(period)
        if avg and spans:
            st.base, st.period = spans
        elif avg and ctx.from_period:
            st.base = ctx.from_period
        elif ref is not None and out[ref].measure == "cagr":
            st.base, st.period = out[ref].base, out[ref].period
        else:
            st.base = _change_base(clause_head, period, ctx)
        return st
    if d == "%" and share and not (changed and base_word and not _SHARE_WORD.search(head)):
        st.measure = "share"
        whole, wreg = _whole(text, c0, n.start, ctx, out)
        st.whole, st.whole_region = whole, wreg or st.region
        if re.search(r"占比|比重|份额", subject):
            st.quantity = _SHARE_WORD.split(subject)[0] or subject
        inner = re.fullmatch(r"(.{2,20}?)中(.{2,30})", st.quantity)
        if inner and not whole:  # 固定宽带用户中100Mbps及以上用户占94.2%: W中A
            whole, wreg = inner.group(1), st.region
            st.quantity = inner.group(2)
            ctx.whole_hint = whole
        if not st.whole and ctx.whole_hint:
            st.whole, st.whole_region = ctx.whole_hint, st.region
        if not st.whole and ctx.last_whole and re.fullmatch(r"[^，。；]{0,12}占(?:比)?(?:为|达)?\s*", head.lstrip("，、；")):
            st.whole, st.whole_region = ctx.last_whole  # …占全国的72.2%，中部地区占17.2%: the same whole
            if not explicit:
                st.quantity = out[-1].quantity if out and out[-1].measure == "share" else st.quantity
        _group_part(text, c0, clause_head, st, out, sentence_no)
        if st.whole:
            ctx.last_whole = (st.whole, st.whole_region)
        part = _total_for(out, ctx, None, after=True)
        if not st.whole and ctx.in_parts and ctx.total is not None:
            t = _total_for(out, ctx, out[part].num.dim if part is not None else None)
            if t is not None:
                st.whole, st.whole_region = out[t].quantity, out[t].region
        if not st.whole and st.quantity in _INDUSTRY_NAMES:
            st.whole, st.whole_region = "地区生产总值", st.region  # 三次产业增加值占比分别为…: of GDP, by definition
        if not whole and st.whole:
            # …，占6.8%; 其中65岁及以上人口…，占16.88%: a whole left unsaid may be any the sentence has named (the
            # total 其中 splits, or the whole of the shares before it); the graph takes the reading that holds
            alts = list(ctx.wholes)
            if ctx.in_parts and ctx.total is not None:
                alts.append((out[ctx.total].quantity, out[ctx.total].region, False))
            seen = {(st.whole, st.whole_region)}
            for w, r, named in reversed(alts):
                if (w, r or st.region) not in seen:
                    seen.add((w, r or st.region))
                    st.whole_alts.append((w, r or st.region, named))
        if st.whole and not any(w[:2] == (st.whole, st.whole_region) for w in ctx.wholes):
            ctx.wholes.append((st.whole, st.whole_region, True))
        return st
    if d == "%" and (changed or base_word or avg):
        if avg:
            st.measure = "cagr"
            spans = span_years(period) or _from_to_span(clause_head)
            if spans:
                st.base, st.period = spans
            elif ctx.from_period:
                st.base = ctx.from_period
            elif ctx.span_base and ctx.span_base[1] == period and ctx.span_base[0]:
                st.base = ctx.span_base[0]
            elif _n_years_base(clause_head, period):
                st.base = _n_years_base(clause_head, period)  # 五年年均增长10.3%
                lead = ctx.lead_period
                if re.fullmatch(r"\d{4}", lead or "") and period != lead and \
                        2 * int(period) - int(st.base) == int(lead):
                    # 2019年…为612.3亿元，四年间年均增长23.5% (in a 2023 text): from that year to the text's
                    st.base, st.period = period, lead
            return st
        st.measure = "growth"
        if n.negated:
            st.num = _negate(n)
        st.base = _change_base(clause_head, period, ctx)
        named = re.sub(r"的?(?:同比)?(?:增速|增幅|增长率|增长速度)$", "", st.quantity)
        if named != st.quantity and len(named) >= 2:
            st.quantity = named  # 网络零售额增速为12.4%: the growth of 网络零售额
        return st
    if changed and d not in ("%", "", "pp") and not n.ordinal:
        st.measure = "avg_inc" if avg else "increment"
        if n.negated:
            st.num = _negate(n)
        spans = span_years(period)
        st.base = spans[0] if (avg and spans) else _change_base(clause_head, period, ctx)
        if avg and spans:
            st.period = spans[1]
        return st
    if re.search(r"(合计|共计|总计|两者之和|之和)\s*(为|达|达到)?\s*$", head) and not re.search(
            r"其余|其他|其它|剩余|另外", text[c0:n.start]):  # 其余11个市州合计: the rest, a part itself
        st.group = sentence_no
        few = re.search(r"(前|后)\s*(\d{1,2}|[两二三四五六七八九])\s*(?:个|项|类|家|大)?[\u4e00-\u9fff]{0,6}?(?:合计|共计|总计)",
                        text[c0:n.start])
        # 襄阳、宜昌两市分别为…，两市合计: as many of the last items listed as it counts (全省11个设区市合计 is the
        # area's own total)
        last = re.search(r"(?<![全\d])(\d{1,2}|[两二三四五六七八九十])\s*(?:个)?(?:市|地|县|区|盟|州|省|者|家|项|类|城市|市州|"
                         r"地市|县市|区县|省份)\s*(?:合计|共计|总计)", text[c0:n.start]) if not few else None
        if few:  # 后三个板块合计28.49亿元: the last three items listed
            k = int(cn_value(few.group(2))) if not few.group(2).isdigit() else int(few.group(2))
            st.take = k if few.group(1) == "前" else -k
        elif last and not re.search(r"全(?:省|市|区|州|国)", text[c0:n.start]):
            st.take = -(int(last.group(1)) if last.group(1).isdigit() else int(cn_value(last.group(1))))
        regs = list(dict.fromkeys(x.region for x in out[first:] if x.sentence == sentence_no
                                  and x.measure == "level" and x.quantity == st.quantity))
        if st.take and len(regs) > abs(st.take):
            regs = regs[:st.take] if st.take > 0 else regs[st.take:]  # 两市合计: the last two regions
        if len(regs) >= 2 and all(r and "|" not in r for r in regs) and (
                st.region not in regs or not _subject_region(text, h0, n.start)):
            st.region = ctx.region = "|".join(regs)  # 福州、厦门、泉州…分别为…，合计19,653亿元: their sum
    urban = re.search(r"(城乡|城镇和农村|城镇与农村)[^，。；]{0,10}?比", clause_head) if d == "" else None
    pair = _urban_rural(out, ctx.para_first, st.region) if urban else None
    if pair:  # 城乡居民收入比为2.33: the urban level over the rural one stated before
        st.measure, st.quantity, st.comparator, st.explicit = "ratio_region", pair[0], (pair[1], st.region), False
        if re.search(r"(上年|去年)(同期)?(末)?的?\s*$", head):
            st.period = previous(st.period)  # 由上年的2.21缩小至2.18: the first is the year before's
        return st
    if d == "":
        st.measure = "other"
    _ = tail
    return st


_RATIO_SEP = re.compile(r"\s*[:：∶]\s*")
_RATIO_HEAD = re.compile(r"(?P<items>[^，。；]*?)(?:之比|的比例|比例|比值|结构|构成|之间的比例)(?:调整|优化|变为)?(?:约|大约|大致)?"
                         r"(?:为|是|达到|呈)?\s*$")
_THREE_INDUSTRIES = re.compile(r"(三次产业|三大产业|一二三产业|一、二、三产业|第一、二、三产业|三产)(?:增加值)?$")


def _ratio_run(text: str, c0: int, cnums: list[Number], ctx: _Context, out: list[Statement],
               sentence_no: int) -> bool:
    """三次产业结构为2.7:28.9:68.4, A与B之比约为3:7: the terms of a ratio. Of the three industries they are
    shares of 地区生产总值; of named items, terms proportional to the items' levels (ratio_run); terms that
    add up to about 100 with no items named are shares of one whole."""
    run = [cnums[0]]
    for n in cnums[1:]:
        if _RATIO_SEP.fullmatch(text[run[-1].end:n.start]) and n.dim == "":
            run.append(n)
        else:
            break
    if len(run) < 2 or run[0].dim != "" or len(run) != len(cnums):
        return False
    head = _RATIO_HEAD.search(text, c0, run[0].start)
    if not head:
        return False
    items_text = norm_np(_strip_markers(head.group("items")))
    _update_period(text, c0, run[0].start, ctx)
    three = _THREE_INDUSTRIES.search(items_text) and len(run) == 3
    items = re.split(r"与|和|、|及|同", items_text) if not three else []
    items = [norm_np(x) for x in items]
    noun = _MEASURE_NOUN.search(items[-1]) if items else None
    if noun and noun.end() == len(items[-1]):
        # 城镇和农村网络零售额之比: the noun written once, after the last item
        items = [x if _MEASURE_NOUN.search(x) else x + noun.group(0) for x in items]
    listed = [o for o in out if o.sentence == sentence_no and o.listed and o.measure == "level"]
    if (len(items) != len(run) or not all(items)) and len(listed) == len(run):
        # 数字产业化和产业数字化规模分别为…，比例为18.5:81.5: the terms of the list before
        items = [o.quantity for o in listed]
    first = len(out)
    total = sum(n.value for n in run)
    for k, n in enumerate(run):
        st = Statement(num=n, measure="share", quantity="", region=ctx.region, period=ctx.period,
                       sentence=sentence_no, listed=True, quote=(c0, run[-1].end))
        if three:
            st.num = _as_percent(n)
            st.quantity, st.whole, st.whole_region = _INDUSTRY_NAMES[k], "地区生产总值", ctx.region
        elif len(items) == len(run) and all(items):
            st.measure, st.quantity, st.ratio_run = "ratio_term", items[k], first
        elif 95 <= total <= 105:
            st.num = _as_percent(n)
            st.quantity, st.whole, st.whole_region = f"{items_text}之{k + 1}", f"{items_text}|整体", ctx.region
            st.exhaustive = True
        else:
            return len(out) > first
        out.append(st)
    return True


_INDUSTRY_NAMES = ("第一产业增加值", "第二产业增加值", "第三产业增加值")


def _as_percent(n: Number) -> Number:
    return replace(n, unit="%", dim="%")


_GROUP_HEAD = re.compile(r"^(?:这|上述|以上)?(?:[两二三四五六七八九十]|\d{1,2})个?(?:设区市|地级市|城市|市州|盟市|地市|市|县\(市\)|县市|"
                         r"县|区|省份|省|州)")
_GROUP_TAIL = re.compile(r"(?:合计|共计|总计|之和|加总|共)$")


def _group_part(text: str, c0: int, clause_head: str, st: Statement, out: list[Statement],
                sentence_no: int) -> None:
    """杭州、宁波两市…合计占全省的74.5%, 三市合计占全省的49.4%: the part is the sum of the named regions' levels
    (regions named in the clause, else those of the sentence's 分别 list)."""
    q = orig = st.quantity
    cut = len(_subject_part(clause_head))
    subj = text[c0:c0 + cut]
    for a, b, _ in reversed(region_spans(subj)):
        subj = subj[:a] + subj[b:]
    label = r"^[“\"「‘][^”\"」’]{1,10}[”\"」’]"  # “一主两副”三市合计: a label in quotes before the count
    subj = re.sub(label, "", re.sub(r"^[\s、，和及与]+", "", subj))
    q = re.sub(r"^(?:“|\")?[^”\"]{0,10}?(?=(?:[两二三四五六七八九十]|\d{1,2})个?(?:市|县|区|省|州))", "", q) \
        if re.match(label, text[c0:c0 + cut].lstrip("，、 ")) else q
    counted = _GROUP_HEAD.match(subj)
    if not (counted or _GROUP_TAIL.search(q)):
        return
    regs = list(dict.fromkeys(r for _, _, r in region_spans(text, c0, c0 + cut)))
    if len(regs) < 2 and counted:
        regs = list(dict.fromkeys(o.region for o in out if o.sentence == sentence_no and o.listed
                                  and o.measure == "level"))
        k = re.match(r"(?:这|上述|以上)?(\d{1,2}|[两二三四五六七八九十])", subj)
        n = (int(k.group(1)) if k.group(1).isdigit() else int(cn_value(k.group(1)))) if k else 0
        if 0 < n != len(regs):
            # 武汉市…；襄阳、宜昌两市分别为…，三市合计占全省的: the last n regions the sentence gives levels for
            seen = list(dict.fromkeys(o.region for o in out if o.sentence == sentence_no and o.measure == "level"
                                      and o.num.qualifier == "eq" and o.region and "|" not in o.region
                                      and "+" not in o.region))
            regs = seen[-n:] if len(seen) >= n else regs
    if len(regs) < 2:
        return
    clean = _GROUP_TAIL.sub("", _GROUP_HEAD.sub("", q)).strip()
    if not clean and out and out[-1].sentence == sentence_no:
        clean = out[-1].quantity
    if not clean:
        return
    st.members, st.quantity, st.region = regs, clean, "+".join(regs)
    if st.whole:
        st.whole = clean if st.whole == orig else _GROUP_TAIL.sub("", _GROUP_HEAD.sub("", st.whole)).strip() or clean


_N_YEARS = re.compile(r"(?<![\d年])(?P<n>[一二两三四五六七八九十]|十[一二三四五六七八九]|\d{1,2})\s*年(?:间|来|以来|内|里)?"
                      r"(?:[^，。；\d]{0,12}?)(?:年均|年平均|平均每年|增加了|增长了|提高了|扩大了|$)")


def _n_years_base(clause_head: str, period: str) -> str:
    """五年年均增长, 近5年增加了1.2倍: the start of the N years that end with the clause's period."""
    m = _N_YEARS.search(clause_head)
    if not m or not re.fullmatch(r"\d{4}", period or ""):
        return ""
    raw = m.group("n")
    k = int(raw) if raw.isdigit() else int(cn_value(raw))
    return str(int(period) - k) if 0 < k <= 30 else ""


def _strip_markers(head: str) -> str:
    """The subject part of a head: before 同比/较/占/增长 … ."""
    head = re.sub(r"^\s*[（(]?\s*(其中|此外|另外)[，,]?", "", head)
    m = re.search(r"(?:与|同|和)(?=[^，。；]{0,14}?相比)|(?:是|为)(?=[^，。；]{1,14}?的)|同比|比上年|较上年|较|(?<!占)(?<!相)比(?!重|例)|占(?!比)|增长(?!率)|增加(?!值)|提高|提升|下降|减少|年均|稳居|跃居|居(?!民|住|家|委)|位居|"
                  r"位列|排名|名列|排在|相当于|高于|低于|其中|在[^，。；]{1,20}中", head)
    return head[:m.start()] if m else head


def _negate(n: Number) -> Number:
    from dataclasses import replace

    from digecon.factcheck.interval import Interval
    return replace(n, value=-n.value, interval=Interval(-n.interval.hi, -n.interval.lo))


def _shift_ratio(n: Number) -> Number:
    """增加了k倍 means a ratio of k + 1."""
    from dataclasses import replace

    from digecon.factcheck.interval import Interval
    return replace(n, value=n.value + 1, interval=Interval(n.interval.lo + 1, n.interval.hi + 1), form="added")


def _from_to_span(head: str) -> tuple[str, str] | None:
    ys = re.findall(r"(" + _YEAR + r")\s*年", head)
    return (ys[0], ys[-1]) if len(ys) >= 2 and ys[0] < ys[-1] else None


def _whole(text: str, c0: int, at: int, ctx: _Context, out: list[Statement]) -> tuple[str, str]:
    head = _unbracket(text[c0:at])  # 占社会消费品零售总额（471,495亿元）的比重: the whole's level is no part of its name
    m = re.search(r"在(?P<w>[^，。；]*?)(?:中的|中|的)(?:比重|占比|份额)", head)
    head = head.replace("占比", "")
    m = (m or re.search(r"占(?P<w>.*?)(?:的)?(?:比重|比例|份额)", head)
         or re.search(r"占(?P<w>[^，。；]*?)(?:的)?\s*(?:达到|达|为|约|超过|超|近)?\s*$", head)
         or re.search(r"相当于(?P<w>[^，。；\d]{2,20})的\s*$", head))
    if not m:
        return "", ""
    w = m.group("w")
    whole_area_word = re.fullmatch(r"\s*全(省|区|市|州|盟|县|自治区)\s*(总量|总体|合计|整体)?\s*(的)?\s*", w)
    if whole_area_word and ctx.main:
        # 长沙市数字经济规模占全省的30.3%: the same quantity of the whole area; 吉首市网络零售额占全州的36.9%
        # (a place the gazetteer does not hold, named before the quantity): the quantity without it
        np = ctx.subject
        m2 = re.match(r"^[\u4e00-\u9fff]{1,4}?(市|县|区|旗)(?=[\u4e00-\u9fff]{2})", np or "")
        if m2 and not region_spans(np[:m2.end()]):
            np = np[m2.end():]
        region = whole_area(whole_area_word.group(1), ctx.main) or ctx.main
        # 珠三角核心区地区生产总值…，分别占全省的: the area's own quantity the phrase ends with (a sub-area the
        # gazetteer does not hold names the part, not the whole)
        own = [st.quantity for st in out if st.measure == "level" and st.region == region and st.quantity
               and len(st.quantity) >= 2 and (np or "").endswith(st.quantity) and st.quantity != np]
        return (max(own, key=len) if own else np), region
    regs = [r for _, _, r in region_spans(w)]
    np = norm_np(w)
    if not np or np in ROLE_WORDS:
        np = ctx.subject if regs else ""
        if regs and not np:
            np = _strip_markers(text[c0:at])
    return np, (regs[-1] if regs else "")


def _unbracket(s: str) -> str:
    """The text without its closed brackets and what they hold."""
    return re.sub(r"[（(][^（()）]*[）)]", "", s)


def _members(text: str, c0: int, n: Number) -> tuple[list[str], bool]:
    """Regions listed right before 'N个城市' or in brackets right after it; and whether the list ends with 等."""
    before = text[c0:n.start]
    m = re.search(r"((?:[\u4e00-\u9fff]{2,8}(?:、|和|及|与))+[\u4e00-\u9fff]{2,8}?)(等)?\s*$", before)
    names: list[str] = []
    if m:
        # 包括长沙、株洲在内的, 呼和浩特市、包头市、鄂尔多斯市: the regions as the gazetteer reads them
        body = re.sub(r"^(包括|其中|有|全省|全区|全国)|(在内的|在内)$", "", m.group(1))
        got = region_list(body + (m.group(2) or ""))
        if got is None and _COUNTY_NOUN.match(text, n.end):
            got = place_list(before)  # 彭州市、邛崃市、崇州市4个县级市: county-level names the gazetteer lacks
        if got is None:
            return [], False
        names = got[0]
    if not names:
        listed = re.search(r"(?:有|为|是|包括)\s*([^，。；]{4,60}?)\s*$", before)
        got = region_list(listed.group(1)) if listed else None
        if got:
            return got
    bracket = re.match(r"\s*[（(]([^）)]{2,80})[）)]", text[n.end:n.end + 90])
    if not names and (_GROUP_NOUN.match(text, n.end) or bracket):
        # 3个市州（长沙、株洲、湘潭）, 有3个市州软件业务收入超过20亿元（长沙、株洲…）: a bracket of regions only;
        # 百亿县市达到5个（大理市、祥云县…）: right after a count whose noun is before it, county names too
        after = re.match(r"[^（(，。；]{0,40}?[（(]([^）)]{2,80})[）)]", text[n.end:n.end + 130])
        got = region_list(after.group(1)) if after else None
        if got is not None and len(got[0]) < len(after.group(1).split("、")):
            got = None  # 南宁、北海、钦州、防城港 read as its last two: the regions must cover the bracket
        if got is None and bracket:
            got = place_list(bracket.group(1))
        if got:
            names = got[0]
            return names, got[1]
    if not names:
        # 全区5个地级市分别为银川市、石嘴山市…: the members listed after the count in its clause
        after = re.match(r"[\u4e00-\u9fff()（）、]{0,8}?(?:分别为|分别是|依次为|依次是|包括|即)\s*(?P<list>[^，。；]{4,80})",
                         text[n.end:n.end + 100])
        got = region_list(after.group("list")) if after else None
        if got:
            return got
    names = list(dict.fromkeys(names)) if len(names) >= 2 or (names and m) else []
    return names, bool(m and m.group(2) and names)


_COUNTED = ("个", "家", "项", "所", "座", "款", "部", "条", "种", "批")
_ITEM = re.compile(r"[^\d%％，。；：:、（）()]{2,14}")


def changed_word(head: str) -> bool:
    """A count after a verb of change (增加3家, 新增5个) is an increment, not a count of named items."""
    return bool(re.search(r"(增加|新增|净增|减少|增长|提高|下降)了?\s*$", head))


def _named_members(text: str, c0: int, n: Number) -> tuple[str, list[str], bool] | None:
    """The noun a count counts and the items it names — in a bracket right after its noun (3家企业（华为、中兴、
    小米）) or listed right before it with 等 (华为、中兴、小米等3家企业) —, and whether the list is open (等).
    None when no such list is written (a bracket of anything else: 占比, 含…)."""
    noun = re.match(r"(?:[\u4e00-\u9fff]{0,3}?)(企业|公司|项目|园区|基地|平台|产品|品牌|机构|高校|医院|景区|行业|产业|集群|"
                    r"城市|县|区|市|乡镇|村|单位|场馆|机场|港口|口岸)", text[n.end:n.end + 8])
    if not noun:
        return None
    after = re.match(r"[（(](?!含|不含|占|其中|同比|比|较|增长)([^（）()]{4,120})[）)]", text[n.end + noun.end():])
    if after:
        body = re.sub(r"等$", "", after.group(1).strip())
        items = re.split(r"、", body)
        last = re.split(r"和|及|与", items[-1])
        if len(last) == 2 and all(len(x) >= 2 for x in last):
            items[-1:] = last
        if len(items) >= 2 and all(_ITEM.fullmatch(x.strip()) for x in items):
            return noun.group(1), [x.strip() for x in items], after.group(1).strip().endswith("等")
    before = re.search(r"(?:[，。；：:（(]|^)\s*(?:包括|有|其中|如)?([^，。；：:（）()\d]{4,120}?)等\s*$", text[c0:n.start])
    if before:
        items = before.group(1).split("、")
        if len(items) >= 2 and all(_ITEM.fullmatch(x.strip()) for x in items):
            return noun.group(1), [x.strip() for x in items], True
    return None


def _items_after(text: str, at: int, n: int) -> tuple[list[str], bool]:
    """The items listed after a colon (…：云服务、工业软件、数据服务、智能终端。), as many as the count if the
    last one may also be read as two (A和B); and whether the list ends with 等. None found: []."""
    m = re.match(r"\s*[：:]\s*(?P<list>[^。；;：:！？\n]{2,160})", text[at:])
    if not m:
        return [], False
    body = m.group("list").split("，")[0].strip()
    open_list = bool(re.search(r"等$", body))
    body = re.sub(r"等$", "", body)
    items = [x.strip() for x in body.split("、")]
    if len(items) < 2 or not all(2 <= len(x) <= 12 and not re.search(r"[\d%]", x) for x in items):
        return [], False
    last = re.split(r"和|及|以及|与", items[-1])
    if len(items) != n and len(items) - 1 + len(last) == n and all(len(x) >= 2 for x in last):
        items = items[:-1] + last
    return items, open_list


def _catalog_names() -> set[str]:
    """Names and aliases of catalog indicators (地区生产总值增速 names real GDP growth)."""
    from digecon.factcheck.graph import _indicator_names
    return set(_indicator_names())


def _gap(text: str, c0: int, n: Number, head: str, ctx: _Context, out: list[Statement],
         st: Statement) -> Statement | None:
    """高于全国1.4个百分点, 比全国高出1.4个百分点, 高于地区生产总值增速10.7个百分点."""
    if n.dim not in ("pp", "%"):
        return _level_gap(text, c0, n, out, st)
    m = _GAP_VERB.search(head)
    who = None
    if m and not re.search(r"(增长(?!率)|增加(?!值)|提高|提升)", head[m.end():]) and head[m.end():].strip():
        who = head[m.end():]
        sign = -1 if m.group(1) in ("低于", "慢于", "落后于", "落后") else 1
    else:
        mb = _GAP_BY.search(head)
        if not mb:
            return None
        who = mb.group("who")
        sign = -1 if mb.group(2) in ("低", "慢", "少") else 1
    if n.dim == "%" and not re.search(r"增速|增幅|增长|比重|占比|率", text[c0:n.start] + who):
        return None
    ref = ctx.rate_ref
    regs = [r for _, _, r in region_spans(who)]
    area = re.search(r"全(省|区|市|州|盟|国)", who)
    if not regs and area and whole_area(area.group(1), ctx.main):
        regs = [whole_area(area.group(1), ctx.main)]  # 高于全省平均水平 in a text about 岳阳市: 湖南省
    np = norm_np(re.sub(r"^(同期|同时期|平均水平|平均)", "", who))
    np = re.sub(r"(平均水平|平均|同期|水平)", "", np)
    if np not in _catalog_names():
        np = re.sub(r"(增速|增幅|增长率|增长)$", "", np)  # 比全省网络零售额增速高: the growth of 网络零售额
    subject_part = _subject_part(text[c0:n.start])
    own = re.search(r"(.{2,30}?)(增速|增幅|增长率)", subject_part)
    if own and (ref is None or out[ref].sentence != st.sentence):
        # 全省电信业务收入增速比全国高1.1个百分点: the rate is named here, stated elsewhere
        ref = None
        st.of, st.quantity, st.base = "growth", norm_np(own.group(1)), previous(st.period)
    elif re.fullmatch(r"\s*(其)?(增速|增幅|增长率)\s*", _without_regions(subject_part)) and (
            ref is None or out[ref].measure != "growth" or out[ref].region != st.region):
        # 占…的45.0%，增速高于全州…4.6个百分点，达到21.9%: the growth of the subject, stated after the gap;
        # 全省…增长12.4%，全国…增长11.0%，全省增速高于全国…: the growth of the region the gap speaks of
        ref = next((i for i in range(len(out) - 1, -1, -1) if out[i].sentence == st.sentence
                    and out[i].measure == "growth" and out[i].quantity == ctx.subject
                    and out[i].region == st.region), None)
        if ref is None:
            st.of, st.quantity, st.base = "growth", ctx.subject, previous(st.period)
            ctx.growth_after = len(out)
    st.measure = "gap"
    st.ref = ref
    if sign < 0:
        st.num = _negate(n)
    if ref is not None:
        r = out[ref]
        st.of, st.quantity, st.region, st.period, st.base = r.measure, r.quantity, r.region, r.period, r.base
        st.whole = r.whole
    cq = np if np and np not in ROLE_WORDS else (out[ref].quantity if ref is not None else st.quantity)
    st.comparator = (cq, regs[-1] if regs else (st.region if np else ""))
    if "同期" in who and ref is not None and out[ref].measure == "cagr":
        st.of = "cagr"
    return st


def _without_regions(s: str) -> str:
    for a, b, _ in reversed(region_spans(s)):
        s = s[:a] + s[b:]
    return re.sub(r"全(省|市|区|州|盟|国)", "", s)


def _comparator_after(text: str, c0: int, cnums: list[Number], ctx: _Context, out: list[Statement]) -> None:
    """…高出全国平均水平5.8个百分点，全国为7.4%: the comparator's value in the clause after the gap."""
    if len(cnums) != 1 or len(out) < 2 or out[-1].num is not cnums[0] or out[-2].measure != "gap" \
            or out[-2].sentence != out[-1].sentence or cnums[0].dim != "%":
        return
    m = re.fullmatch(r"\s*(?P<w>[^，。；\d]{1,12}?)(?:平均水平|平均)?(?:同期)?(?:为|是|增长|增速为|增速|达到)\s*",
                     text[c0:cnums[0].start])
    if not m:
        return
    gap, st = out[-2], out[-1]
    regs = [x for _, _, x in region_spans(m.group("w"))]
    area = re.search(r"全(省|区|市|州|盟|国)", m.group("w"))
    if not regs and area and whole_area(area.group(1), ctx.main):
        regs = [whole_area(area.group(1), ctx.main)]
    if not regs or regs[-1] != gap.comparator[1] or _without_regions(m.group("w")).strip():
        return
    r = out[gap.ref] if gap.ref is not None else gap
    st.measure = r.of if r is gap else r.measure
    st.quantity, st.whole, st.period, st.base = r.quantity, r.whole, r.period, r.base
    st.region = regs[-1]
    st.whole_region = st.region if r.whole_region in ("", r.region) else r.whole_region
    if gap.comparator[0] and gap.comparator[0] != r.quantity:
        st.quantity = gap.comparator[0]


def _level_gap(text: str, c0: int, n: Number, out: list[Statement], st: Statement) -> Statement | None:
    """比全国平均水平（92.2部/百户）高6.7部/百户: a difference of two levels of one quantity."""
    if not n.dim or n.ordinal or n.dim in ("倍", "位"):
        return None
    mb = _GAP_BY.search(text[c0:n.start])
    if not mb:
        return None
    ref = next((i for i in range(len(out) - 1, -1, -1) if out[i].sentence == st.sentence
                and out[i].measure == "level" and out[i].num.dim == n.dim
                and _in_brackets(text, c0, out[i].start) is None), None)
    regs = [r for _, _, r in region_spans(re.sub(r"[（(].*?[）)]", "", mb.group("who")))]
    if ref is None or not regs:
        return None
    r = out[ref]
    st.measure, st.of, st.ref = "gap", "level", ref
    st.quantity, st.region, st.period = r.quantity, r.region, r.period
    st.comparator = (r.quantity, regs[-1])
    if mb.group(2) in ("低", "慢", "少"):
        st.num = _negate(n)
    return st


def _comparator_value(text: str, c0: int, c1: int, cnums: list[Number], ctx: _Context,
                      out: list[Statement]) -> None:
    """（全国为11.2%）: the comparator's own value, stated in brackets right after a gap of rates."""
    for i in range(max(0, len(out) - len(cnums)), len(out)):
        st = out[i]
        if not c0 <= st.start < c1:
            continue
        inside = _in_brackets(text, c0, st.start)
        if inside is None or st.measure in ("gap", "pp") or st.num.dim != "%":
            continue
        gap = next((g for g in out[max(0, i - 3):i][::-1] if g.measure == "gap" and g.quote == (c0, c1)), None)
        if gap is None or gap.of not in ("growth", "share", "cagr", "level"):
            continue
        r = out[gap.ref] if gap.ref is not None else gap
        regs = [x for _, _, x in region_spans(inside)]
        area = re.search(r"全(省|区|市|州|盟|国)", inside)
        if not regs and area and whole_area(area.group(1), ctx.main):
            regs = [whole_area(area.group(1), ctx.main)]
        st.measure = r.of if r is gap else r.measure
        st.quantity, st.whole, st.period, st.base = r.quantity, r.whole, r.period, r.base
        st.region = regs[-1] if regs else gap.comparator[1]
        st.whole_region = st.region if r.whole_region in ("", r.region) else r.whole_region
        if st.region == r.region and gap.comparator[0] and gap.comparator[0] != r.quantity:
            st.quantity = gap.comparator[0]


def _in_brackets(text: str, c0: int, at: int) -> str | None:
    """The bracketed text before position `at` when `at` is inside brackets, else None."""
    i = max(text.rfind("（", c0, at), text.rfind("(", c0, at))
    if i < 0 or max(text.rfind("）", i, at), text.rfind(")", i, at)) > i:
        return None
    return text[i + 1:at]


def _respectively(text: str, c0: int, c1: int, cnums: list[Number], ctx: _Context, out: list[Statement],
                  sentence_no: int, main_region: str) -> None:
    """A、B、C分别为x、y、z: map the numbers by position onto the listed subjects."""
    k = _RESPECTIVELY.search(text, c0, c1).start()
    before = [n for n in cnums if n.end <= k]
    prev_end = c0
    for n in before:  # 深圳、广州、东莞、佛山4市分别为…: the count before 分别 is read as any number
        st = _statement(text, c0, prev_end, n, text[prev_end:n.start], ctx, out, len(out), sentence_no,
                        main_region)
        if st is not None:
            st.quote = (c0, c1)
            _add(out, st, ctx)
        prev_end = n.end
    cnums = [n for n in cnums if n.end > k]
    if not cnums:
        return
    lead = text[c0:before[0].start if before else k]
    if not lead.strip() or not re.search(r"[、和及与]", lead):
        # the list is in the previous clause: 一、二、三产业增加值，分别为 …
        j = max(text.rfind("，", 0, c0 - 1), text.rfind("。", 0, c0 - 1), text.rfind("\n", 0, c0 - 1))
        if not any(j < n.start < c0 for n in _numbers_before(out, c0)):
            lead = text[j + 1:c0 - 1] + lead
    _update_period(text, c0, k, ctx)
    period0 = ctx.period
    if re.fullmatch(r"\s*(上年同期|上年末|上年底|上年|去年)\s*", lead):
        # …分别达到x和y；上年分别为u和v: the year before, of the same list
        ctx.period, lead = previous(ctx.period), ""
    elif re.match(r"\s*(上年同期|上年末|上年底|上年|去年)(?![同比增])", lead):
        # 上年出口、进口分别为…: the year before, of the items listed after it
        ctx.period = previous(ctx.period)
        lead = re.sub(r"^\s*(上年同期|上年末|上年底|上年|去年)", "", lead)
    if not lead.strip() and len(ctx.listed) == len(cnums):
        whole1: tuple[str, str] | None = None
        for n, (q, reg) in zip(cnums, ctx.listed):
            ctx.subject, ctx.region = q, reg
            st = _statement(text, c0, k, n, text[k:cnums[0].start], ctx, out, len(out), sentence_no, main_region)
            if st is not None:
                st.region, st.listed, st.explicit, st.quote = reg, True, True, (c0, c1)
                if st.measure == "share":  # the whole is named once, before the first number
                    whole1 = whole1 or (st.whole, st.whole_region)
                    st.whole, st.whole_region = whole1
                _add(out, st, ctx)
        ctx.period = period0
        return
    lead = re.sub(r"^(其中|全省|全市|全区|全国|从|在)", "", lead.strip())
    # 三次产业增加值, 一、二、三产业: the three industries, listed
    lead = re.sub(r"(?:三次产业|第?一、(?:第)?二、(?:第)?三(?:次)?产业)", "第一产业、第二产业和第三产业", lead)
    verb = text[k:cnums[0].start]
    common = ""
    rs = region_spans(lead)
    r0 = len(rs) - 1
    while r0 > 0 and re.fullmatch(r"\s*(、|和|及|与|以及|,)\s*", lead[rs[r0 - 1][1]:rs[r0][0]]):
        r0 -= 1
    run = rs[r0:] if rs else []
    if len(run) == len(cnums) >= 2:
        # (内蒙古自治区)呼和浩特市、乌兰察布市和鄂尔多斯市在用机架数: the last run of regions, as the
        # gazetteer reads them, and the words after it
        items = [lead[a:b] for a, b, _ in run]
        common = lead[run[-1][1]:]
    else:
        # 软件产品、信息技术服务和嵌入式系统软件收入: split at 、, and at the last 和/及/与 if one more is needed
        items = [x for x in lead.split("、") if x.strip()]
        if len(items) < len(cnums) and items:
            last = re.split(r"以及|和|及|与", items[-1])
            if len(last) >= 2:
                items[-1:] = ["".join(last[:-1]) if len(items) + 1 == len(cnums) else last[0], last[-1]]
        if items:
            cut = re.search(r"占|在(?=[^，。；]*中)", items[-1]) or re.search(r"的", items[-1])
            if cut and cut.start() > 0:
                items[-1], common = items[-1][:cut.start()], items[-1][cut.start():]
    prev = [j for j in range(len(out) - 1, -1, -1) if out[j].sentence == sentence_no
            and out[j].measure == "level"][:len(cnums)][::-1]
    if len(items) != len(cnums) and len(prev) == len(cnums):
        # A 170个，总投资5340亿元，分别增长6.3%和7.5%: the numbers follow the statements before
        whole0: tuple[str, str] | None = None
        for n, j in zip(cnums, prev):
            ctx.subject, ctx.region = out[j].quantity, out[j].region
            st = _statement(text, c0, k, n, verb, ctx, out, len(out), sentence_no, main_region)
            if st is not None:
                st.region, st.listed, st.explicit, st.quote = out[j].region, True, True, (c0, c1)
                if st.measure == "share":  # the whole is named once, before the first number
                    whole0 = whole0 or (st.whole, st.whole_region)
                    st.whole, st.whole_region = whole0
                _add(out, st, ctx)
        return
    counted = next((st for st in out[::-1] if st.sentence == sentence_no and st.measure == "count"), None)
    if len(items) != len(cnums) and counted is not None and len(counted.members) == len(cnums) >= 2:
        # 呼和浩特市、包头市、鄂尔多斯市3个盟市的5G基站数均超过8,000个，分别为…; 全区5个地级市分别为A、B…，地区
        # 生产总值依次为…: the members named, with the quantity written before 依次 if any
        own = norm_np(lead) if len(items) == 1 else ""
        items = list(counted.members)
        common = own or ctx.subject
    regions = [region_spans(x) for x in items]
    periods = [list(_PERIOD.finditer(x)) for x in items]
    as_region = all(r for r in regions) and len(items) == len(cnums)
    as_period = all(p for p in periods) and len(items) == len(cnums) and not as_region
    # 分别完成软件业务收入103,514亿元、…: the quantity written after 分别
    named = norm_np(re.split(r"占|在", _RESPECTIVELY.sub("", verb, count=1))[0])
    subj = (named if named and named not in ROLE_WORDS else "") or norm_np(
        re.split(r"占|在(?=[^，。；]*中)", common)[0]) or ctx.subject
    base_region = ctx.region
    whole: tuple[str, str] | None = None
    # 排名前三的城市依次为长沙、岳阳、常德，分别为…: the list is in order of rank
    ranked = as_region and re.search(r"(排名|排在|位居|位列|居|名列)[^，。；]{0,6}?前[一二三四五六七八九十\d]+", lead + verb)
    for i, n in enumerate(cnums):
        head = verb if i == 0 else text[cnums[i - 1].end:n.start]
        if as_region:
            ctx.region = regions[i][-1][2]
            ctx.subject = subj
        elif as_period:
            ctx.period = period_of(periods[i][-1])
            ctx.subject = subj
        elif i < len(items) and len(items) == len(cnums):
            # 第一产业、第二产业和第三产业增加值占…: each item with the noun written after the last
            noun = norm_np(re.split(r"占|在|的|比重|占比", common)[0]) if common else ""
            tail = _MEASURE_NOUN.search(items[-1])
            if not noun and tail and not any(_MEASURE_NOUN.search(x) for x in items[:-1]):
                noun = tail.group(0)
            item = norm_np(items[i])
            ctx.subject = (item + noun if noun and not item.endswith(noun) else item) or subj
        between_only = re.fullmatch(r"[\s、，,和及与以]*", head) is not None
        st = _statement(text, c0, k if i == 0 else cnums[i - 1].end, n,
                        verb if i == 0 or between_only else verb + head, ctx, out, len(out), sentence_no, main_region)
        if st is not None:
            if as_region:
                st.region = regions[i][-1][2]
                st.order = i + 1 if ranked and st.measure == "level" else 0
            if st.measure == "share":  # the whole is named once, before the first number
                if whole is None:
                    whole = (st.whole, st.whole_region)
                else:
                    st.whole, st.whole_region = whole
            st.listed = True
            st.explicit = True
            st.quote = (c0, c1)
            _add(out, st, ctx)
    if (as_region or len(items) == len(cnums)) and len(out) >= len(cnums):
        ctx.listed = [(o.quantity, o.region) for o in out[-len(cnums):]]
    ctx.region = base_region
    ctx.period = period0


__all__ = ["NATION", "Statement", "parse", "previous", "qkey"]
