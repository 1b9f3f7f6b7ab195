"""Find the numeric claims in Chinese text: number, unit, qualifier, kind, period, region, span."""
from __future__ import annotations

import re
from collections.abc import Iterator

from digecon.factcheck.model import Claim
from digecon.factcheck.regions import find_regions

# Longest first so 个百分点 wins over 个, 万亿元 over 万.
UNITS = sorted(["个百分点", "万亿元", "亿元", "万元", "元", "%", "‰", "倍", "万人次", "万个", "万户", "万人", "万条", "万次", "万件", "万张", "万家", "万公里", "万起", "万台", "万辆", "万吨", "万", "亿次", "亿条", "亿人次", "亿", "个工作日", "个", "家", "位", "项", "户", "次", "条", "人次", "人", "名", "件", "种", "类", "节", "届", "期", "套", "台（套）", "台(套)", "小时", "分", "梯队", "PFlops", "TB", "T", "部/百户", "公里", "座", "所", "吨", "张", "起", "批", "款", "台", "辆", "亩", "平方米", "场", "篇", "门", "本", "部", "支", "天", "月", "年"],
               key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)

CN_DIGIT = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
            "九": 9}

_ARABIC = re.compile(
    r"(?P<num>(?<![\dA-Za-z.+/])\d+(?:\.\d+)?(?:/\d+)?)"
    r"(?P<sp>\s*)(?P<pre>余|多)?(?P<unit>" + _UNIT_RE + r")?(?P<post>余|多)?")
# Chinese numerals only where they count or rank something, never in names (一核, 三基地, 一是).
_CN = re.compile(
    r"(?P<ord>第)?(?P<num>[一二两三四五六七八九十]{1,3})"
    r"(?P<unit>个设区市|个梯队|个城市|个方面|梯队|大|个|家|项|届|位|次)")
_SPECIAL = re.compile(r"百余(?=[项个家])|首位|领跑全省|三分之一|万亿(?:元)?(?:大关|俱乐部)|(?<=突破)万亿|十大|百强")

_GT_BEFORE = ("超过", "突破", "超", "逾", "突过")
_SENT_END = "。！？；\n"
_CLAUSE_END = "。！？；，、：:,\n"
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*(?:[-—~～至到]\s*(20\d\d|19\d\d))?\s*年")


def _skip_line(line: str) -> bool:
    """Tables, tables of contents and figure/table captions carry no running-text claims."""
    s = line.strip()
    return "\t" in line or "....." in s or bool(re.match(r"^[图表]\s*\d+\s", s))


def _bounds(text: str, i: int, ends: str) -> tuple[int, int]:
    a = i
    while a > 0 and text[a - 1] not in ends:
        a -= 1
    b = i
    while b < len(text) and text[b] not in ends:
        b += 1
    return a, b


def _qualifier(before: str, after: str, pre: str | None, post: str | None) -> str:
    b = before.rstrip()
    if b.endswith("迈入"):
        return "ge"
    if b.endswith(_GT_BEFORE) or re.match(r"\s*以上", after):
        return "gt"
    if b.endswith(("不足", "低于")) or re.match(r"\s*以内", after):
        return "lt"
    if b.endswith(("约", "近")) or pre or post or re.match(r"\s*左右", after):
        return "approx"
    return "eq"


def _kind(unit: str, clause_before: str, ordinal: bool, value: str = "") -> str:
    if "/" in value:
        return "share"
    if ordinal or unit in ("位", "梯队"):
        return "rank"
    if unit == "个百分点":
        return "pp_change"
    if unit == "倍":
        return "multiple"
    if unit in ("%", "‰"):
        return "growth_rate" if re.search(r"增长(?!到|至)|增速|增幅|下降(?!到|至)|递增|复合", clause_before[-12:]) \
            else "share"
    if unit.endswith("元") or unit in ("PFlops", "TB", "T"):
        return "level"
    if unit in ("分", ""):
        return "index_score"
    if unit in ("强", "小时", "个工作日", "部/百户", "年"):
        return "other"
    return "count"


def _cn_value(s: str) -> int:
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (CN_DIGIT[tens] if tens else 1) * 10 + (CN_DIGIT[ones] if ones else 0)
    if len(s) != 1:
        raise ValueError(s)
    return CN_DIGIT[s]


def _period(text: str, sent_start: int, pos: int, default: str) -> str:
    years = list(_YEAR.finditer(text, sent_start, pos))
    if not years:
        return default
    m = years[-1]
    if m.group(2):
        return f"{m.group(1)}-{m.group(2)}"
    before = text[max(sent_start, m.start() - 3):m.start()]
    if before.rstrip().endswith("较") and default:
        return f"{m.group(1)}-{default[-4:]}"
    return m.group(1)


def _is_date_or_label(text: str, m: re.Match, unit: str) -> bool:
    num, a, b = m.group("num"), m.start("num"), m.end("num")
    after = text[b:b + 3]
    before = text[max(0, a - 2):a]
    if re.fullmatch(r"(19|20)\d\d", num) and (unit in ("年", "") or re.match(r"\s*[-—～~年]", after)):
        return True
    if unit in ("月", "天") and not re.match(r"\s*(个月|天)", after):
        return unit == "月"
    if re.match(r"[A-Za-z]", after) and not unit:
        return True  # 5G, 4A
    if before.endswith("×") and re.match(r"\s*小时", after):
        return False  # 7×24小时: the 24 hours is the claim
    if before.endswith("“") or re.match(r"[”+×]", after) or re.match(r"\s*[+×]", after):
        return True  # “5020”, 2+N, 7×24
    line_start = text.rfind("\n", 0, a) + 1
    if not text[line_start:a].strip() and re.match(r"\.(?!\d)|、", after) and not unit:
        return True  # list enumerators 1. 2、 at the start of a line
    if before.endswith(("（", "(")) and re.match(r"[）)]", after):
        return True
    if unit == "条" and re.match(r"条\s*(政策|措施|意见)", text[m.end("sp"):m.end("sp") + 6]):
        return True
    return False


def _arabic(text: str, lo: int, hi: int) -> Iterator[tuple[int, int, str, str, str | None, str | None, bool]]:
    for m in _ARABIC.finditer(text, lo, hi):
        unit = m.group("unit") or ""
        if _is_date_or_label(text, m, unit):
            continue
        if unit in ("月", "天", "年") and not re.search(r"(用|历时|连续|经过)\s*$", text[max(0, m.start() - 4):m.start()]):
            if unit != "年" or re.fullmatch(r"(19|20)\d\d", m.group("num")):
                continue
        before = text[max(lo, m.start() - 6):m.start()]
        ordinal = before.rstrip().endswith("第")
        tail = text[m.end():m.end() + 8]
        if unit == "万" and (mm := re.match(r"余(次|条|张|人次|人|个|户|家|件)", text[m.end("unit"):])):
            unit = "万" + mm.group(1)  # 1657 万余次
            yield m.start("num"), m.end("unit") + len(mm.group(0)), m.group("num"), unit, "余", None, False
            continue
        if (unit.endswith("元") or unit in ("亿", "万")) and re.match(r"(的[\u4e00-\u9fa5]{0,4})?企业", tail):
            continue  # 超50亿企业, 超10亿元的电商企业: a size class, not a number stated about something
        if not unit and "/" in m.group("num"):
            unit = ""  # fractions 2/3 are shares whatever precedes them
        elif not unit:
            # A bare number is a claim only after a verb of measure (达到 2.47) or as an ordinal (第 3).
            if ordinal:
                unit = "位"
            elif re.search(r"(达到|达|为|至|值|率)\s*$", before):
                unit = "%" if re.search(r"率\s*(达到|达|为)?\s*$", before) else ""
            else:
                continue
        if ordinal and unit not in ("位", "梯队"):
            continue  # 第34次, 第2批: ordinals of events
        end = m.end("unit") if m.group("unit") else m.end("num")
        if m.group("post"):
            end = m.end("post")
        yield m.start("num"), end, m.group("num"), unit, m.group("pre"), m.group("post"), ordinal


def _chinese(text: str, lo: int, hi: int) -> Iterator[tuple[int, int, str, str, str | None, str | None, bool]]:
    for m in _CN.finditer(text, lo, hi):
        ordinal = bool(m.group("ord"))
        unit = m.group("unit")
        try:
            v = _cn_value(m.group("num"))
        except (KeyError, ValueError):
            continue
        if ordinal:
            if unit == "梯队" or unit == "位" or (unit in ("个", "大") and False):
                pass
            else:
                continue  # 第二届, 第三十四次
        elif unit in ("位",):
            continue
        nxt = text[m.end():m.end() + 2]
        if unit == "个" and re.match(r"[一二三四五六七八九十“]|体|人|性|别|案|时", nxt):
            continue
        if unit == "次" and not re.search(r"召开|组织|开展", text[max(lo, m.start() - 12):m.start()]):
            continue
        if unit == "项" and not nxt.startswith(("事", "重", "服", "工")):
            continue
        if unit == "家" and not nxt.startswith(("企", "单", "机", "银")):
            continue
        if text[max(lo, m.start() - 1):m.start()] == "“":
            continue  # “五个推进”: a slogan
        if unit == "大" and not re.match(r"(流量|功能|板块|产业|基地|业态|领域|平台|大数据)", text[m.end():m.end() + 4]):
            continue
        norm = {"个设区市": "个", "个梯队": "个", "个城市": "个", "个方面": "个", "大": "个"}.get(unit, unit)
        if ordinal and unit == "梯队":
            norm = "梯队"
        yield m.start("num"), m.end("num"), str(v), norm, None, None, ordinal
    # A trailing ordinal with no measure word: 位列全省第一, 居中部第四.
    for m in re.finditer(r"第([一二三四五六七八九十])(?=[，。、；）)\s]|$)", text[lo:hi]):
        a = lo + m.start(1)
        yield a, a + 1, str(_cn_value(m.group(1))), "位", None, None, True


def _special(text: str, lo: int, hi: int) -> Iterator[tuple[int, int, str, str, str | None, str | None, bool]]:
    for m in _SPECIAL.finditer(text, lo, hi):
        w = m.group(0)
        if w == "百余":
            yield m.start(), m.end() + 1, "100", text[m.end()], "余", None, False
        elif w == "首位":
            yield m.start(), m.end(), "1", "位", None, None, True
        elif w == "领跑全省":
            yield m.start(), m.start() + 2, "1", "位", None, None, True
        elif w == "三分之一":
            yield m.start(), m.end(), "1/3", "", None, None, False
        elif w.startswith("万亿"):
            yield m.start(), m.start() + 2, "1", "万亿元", None, None, False
        elif w == "十大":
            yield m.start(), m.end(), "10", "强", None, None, False
        elif w == "百强" and not re.search(r"榜第|第\s*$", text[m.end():m.end() + 4]):
            yield m.start(), m.end(), "100", "强", None, None, False


def extract(text: str, default_region: str = "", default_period: str = "") -> list[Claim]:
    """Every numeric claim of `text`, in order of position. Spans index `text` itself."""
    claims: list[Claim] = []
    pos = 0
    region_ctx = default_region
    for line in text.splitlines(keepends=True):
        lo, hi = pos, pos + len(line)
        pos = hi
        if _skip_line(line) or not line.strip():
            continue
        found = {}
        for gen in (_arabic, _chinese, _special):
            for a, b, value, unit, pre, post, ordinal in gen(text, lo, hi):
                if any(a < y and x < b for x, y in found):
                    continue
                found[(a, b)] = (value, unit, pre, post, ordinal)
        for (a, b), (value, unit, pre, post, ordinal) in sorted(found.items()):
            s0, s1 = _bounds(text, a, _SENT_END)
            c0, c1 = _bounds(text, a, _CLAUSE_END)
            s0, c0 = max(s0, lo), max(c0, lo)
            sentence_before = text[s0:a]
            regions = find_regions(sentence_before) or find_regions(text[c0:c1])
            g0, _ = _bounds(text, a, "。！？；，：:,\n")
            in_clause = list(dict.fromkeys(find_regions(text[max(g0, lo):a])))
            if "其余" in text[c0:a]:
                region = "其余设区市"  # the complement of the cities just named: no single region
            elif len(in_clause) > 1 and re.search(r"、", text[max(g0, lo):a]):
                region = "|".join(in_clause)  # 赣州市、九江市…四个设区市: a group statement
            elif regions:
                region = regions[-1]
            else:
                region = region_ctx
            period = _period(text, s0, a, default_period)
            qualifier = _qualifier(text[max(lo, a - 3):a], text[b:b + 4], pre, post)
            kind = _kind(unit, sentence_before, ordinal, value)
            quantity = re.sub(r"\s+", "", text[c0:a])
            claims.append(Claim(quote=text[c0:c1].strip(), start=a, end=b, text=text[a:b],
                                value=value, unit=unit, qualifier=qualifier, kind=kind, region=region,
                                period=period, quantity=quantity))
            claims[-1]._sentence = s0  # type: ignore[attr-defined]  # groups claims for local rules
        line_regions = find_regions(line)
        if any(r.endswith("省") for r in line_regions) and not default_region:
            region_ctx = next(r for r in line_regions if r.endswith("省"))
    return claims
