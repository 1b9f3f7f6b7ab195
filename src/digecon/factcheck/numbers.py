"""Numbers as Chinese statistical text writes them: digits or numerals, magnitude, unit, qualifier, span."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

from digecon.factcheck.interval import Interval, stated

# Full-width forms map one to one onto ASCII, so a normalised copy keeps every offset.
_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({"．": ".", "％": "%", "－": "-", "−": "-", "～": "~", "＋": "+", "／": "/",
                   "：": ":", "∶": ":", "（": "(", "）": ")", "　": " "})
_TRANS = str.maketrans(_FULLWIDTH)
_FW_THOUSANDS = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")

MAGNITUDE = {"万亿": 1e12, "千亿": 1e11, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
# unit -> (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "个百分点": ("pp", 1), "百分点": ("pp", 1), "%": ("%", 1), "‰": ("%", 0.1), "倍": ("倍", 1),
    "元": ("元", 1), "美元": ("美元", 1), "港元": ("港元", 1), "欧元": ("欧元", 1),
    "公里": ("公里", 1), "千米": ("公里", 1), "米": ("公里", 1e-3), "平方公里": ("平方公里", 1),
    "Tbps": ("bps", 1e12), "Gbps": ("bps", 1e9), "Mbps": ("bps", 1e6), "T": ("bps", 1e12),
    "PB": ("B", 1e15), "TB": ("B", 1e12), "EB": ("B", 1e18), "GB": ("B", 1e9), "MB": ("B", 1e6),
    "PFlops": ("Flops", 1e15), "EFlops": ("Flops", 1e18), "PFLOPS": ("Flops", 1e15),
    "EFLOPS": ("Flops", 1e18), "MW": ("W", 1e6), "GW": ("W", 1e9), "千瓦时": ("瓦时", 1e3),
    "千瓦": ("W", 1e3), "标准机架": ("机架", 1), "个工作日": ("工作日", 1), "小时": ("小时", 1),
    "人次": ("人次", 1), "个月": ("月", 1), "分钟": ("分钟", 1), "平方米": ("平方米", 1),
    "部/百户": ("部/百户", 1), "梯队": ("梯队", 1), "台(套)": ("台(套)", 1),
    "GWh": ("瓦时", 1e9), "TWh": ("瓦时", 1e12), "MWh": ("瓦时", 1e6), "kWh": ("瓦时", 1e3),
    "标箱": ("标箱", 1), "TEU": ("标箱", 1), "吨公里": ("吨公里", 1), "人公里": ("人公里", 1),
    # one dimension, other units: 2162万公顷约合3.24亿亩 (15亩 = 1公顷), 8001.3万吨折合1600亿斤, 2.49亿人 ~ 2.49亿名
    "亩": ("公顷", 1 / 15), "斤": ("吨", 1 / 2000), "公斤": ("吨", 1e-3), "千克": ("吨", 1e-3), "名": ("人", 1),
}
for _u in ("个", "家", "户", "人", "名", "件", "项", "台", "套", "部", "辆", "座", "所", "条", "次",
           "篇", "款", "张", "种", "批", "份", "场", "架", "艘", "亩", "吨", "公顷", "位", "分", "天",
           "年", "颗", "块", "本", "门", "类", "只", "片", "栋", "处", "支", "家次", "册", "期"):
    _UNITS.setdefault(_u, (_u, 1))
# units of whole things: an integer count of them written without a magnitude is exact
_COUNTABLE = {"个", "家", "户", "人", "名", "件", "项", "台", "套", "部", "辆", "座", "所", "条", "款", "张", "种",
              "批", "份", "场", "架", "艘", "颗", "块", "本", "门", "类", "只", "片", "栋", "处", "支", "家次", "册"}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_MAG_RE = "万亿|千亿|亿|千万|百万|万|千"
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUM = f"[{_CN_DIGITS}十百千]+(?:[万亿][{_CN_DIGITS}十百千]+)*(?:点[{_CN_DIGITS}]+)?"

# qualifiers written before / after a number
_BEFORE = [("大约", "approx"), ("约", "approx"), ("将近", "lt_approx"), ("接近", "lt_approx"),
           ("近", "lt_approx"), ("超过", "gt"), ("超出", "gt"), ("超", "gt"), ("逾", "gt"),
           ("突破", "gt"), ("多于", "gt"), ("不到", "lt"), ("不足", "lt"), ("不少于", "ge"),
           ("至少", "ge"), ("不低于", "ge"), ("不超过", "le"), ("最高", "le"),
           # 迈上2.6万亿元台阶, 站上两千亿元台阶: a threshold passed, at least the figure
           ("迈上", "ge"), ("站上", "ge"), ("跨上", "ge"), ("跨入", "ge"), ("迈入", "ge"), ("跃上", "ge"), ("登上", "ge")]
_AFTER = [("以上", "ge"), ("以下", "le"), ("以内", "le"), ("左右", "approx"), ("上下", "approx"),
          ("有余", "gt_some"), ("多", "gt_some"), ("余", "gt_some"), ("台阶", "ge"), ("大关", "ge"), ("关口", "ge")]
_DECREASE = re.compile(r"(下降|减少|减收|降低|下滑|回落|收窄|缩小|减|(?<=[年期末底])少)了?\s*$")
_RANGE_SEP = r"\s*(?:至|到|—|–|-|~|～|－)\s*"


@dataclass(frozen=True)
class Number:
    """One number of a text: its span, value in the unit written, the dimension and the interval it admits."""

    start: int
    end: int
    text: str
    value: float          # signed, in `unit`
    digits: str           # as written, normalised (1234.5, 2/3, 三成 -> 3)
    unit: str             # magnitude + unit as written (亿元, 万公里, %, 个百分点)
    dim: str              # base unit of the dimension (元, %, pp, 倍, 公里, 户 …); "" for a bare number
    factor: float         # value × factor = value in the base unit
    qualifier: str = "eq"  # eq gt ge lt le approx
    interval: Interval = Interval(0, 0)  # noqa: RUF009 (frozen) admitted values in the base unit
    ordinal: bool = False  # 第n
    negated: bool = False  # written after 下降/减少 …: the change is negative
    form: str = ""        # cheng | fanfan | fraction | range | chinese | ""

    @property
    def base(self) -> float:
        return self.value * self.factor


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, offsets unchanged (５５，８０３．６ -> 55,803.6)."""
    return _FW_THOUSANDS.sub(",", text.translate(_TRANS))


def cn_value(s: str) -> Decimal:
    """A Chinese numeral (一千二百, 两, 十二点五) as a Decimal, via cn2an; ValueError if it is not one."""
    s = s.replace("〇", "零")
    try:
        return Decimal(str(cn2an.cn2an(s, "normal")))
    except (ValueError, KeyError, IndexError, InvalidOperation, TypeError):
        # cn2an accepts 两 only inside larger numbers; alone it means 二
        if s == "两":
            return Decimal(2)
        raise ValueError(s) from None


def _unit(mag: str, unit: str) -> tuple[str, str, float]:
    dim, f = _UNITS.get(unit, ("", 1.0)) if unit else ("", 1.0)
    return mag + unit, dim, f * MAGNITUDE.get(mag, 1.0)


def _qualifier(norm: str, start: int, end: int) -> tuple[str, int]:
    """The qualifier written around [start, end) and the end of the text it covers (余/多/以上 …)."""
    before = norm[max(0, start - 3):start]
    q = "eq"
    for word, kind in _BEFORE:
        if before.endswith(word):
            q = kind
            break
    if q == "eq" and before.endswith(("占", "为")):  # 约占三分之一, 约为1.2万: the word before the verb
        lead = norm[max(0, start - 4):start - 1]
        q = next((kind for word, kind in _BEFORE if lead.endswith(word) and kind in ("approx", "lt_approx")), "eq")
    after = norm[end:end + 2]
    for word, kind in _AFTER:
        if after.startswith(word):
            if kind == "gt_some":
                # 余/多 only before a unit or the end of a phrase (110余家, 1600多; not 多个城市)
                return ("gt_some" if q == "eq" else q), end
            return (kind if q == "eq" else q), end
    return q, end


def _admit(value: Decimal, decimals_step: Decimal, factor: float, q: str) -> Interval:
    base = stated(value, decimals_step).scale(factor)
    v = float(value) * factor
    if q == "gt":
        return Interval(v, float("inf"))
    if q == "ge":
        return Interval(base.lo, float("inf"))
    if q == "lt":
        return Interval(float("-inf"), v)
    if q == "le":
        return Interval(float("-inf"), base.hi)
    if q == "lt_approx":   # 近 X: a little below X
        return Interval(v * 0.9, base.hi)
    if q == "approx":      # 约 X, X 左右: within 5 %
        return Interval(min(v * 0.95, base.lo), max(v * 1.05, base.hi))
    if q == "gt_some":     # 110余: 110 to 120; 1657万余: 1657万 to 1658万
        return Interval(v, v + float(decimals_step) * factor)
    return base


def _step(digits: str) -> Decimal:
    """The unit of the last written digit: 12.6 -> 0.1, 2500 -> 1."""
    if "." in digits:
        return Decimal(1).scaleb(-len(digits.split(".")[1]))
    return Decimal(1)


def _some_step(digits: str) -> Decimal:
    """The place of the last non-zero digit, what 余/多 leave open: 110 -> 10, 4 -> 1, 1.5 -> 0.1."""
    if "." in digits:
        return _step(digits)
    zeros = len(digits) - len(digits.rstrip("0"))
    return Decimal(1).scaleb(min(zeros, len(digits) - 1))


_ARABIC = re.compile(
    r"(?<![\dA-Za-z.])(?P<sign>[-+](?=\d))?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<some0>余|多)(?=\s*(?:" + _MAG_RE + r")))?"
    r"(?:\s*(?P<mag>" + _MAG_RE + r"))?(?:\s*(?P<some>余|多))?(?:\s*(?P<unit>" + _UNIT_RE + r"))?")
_CHINESE = re.compile(
    r"(?P<num>" + _CN_NUM + r")(?P<mag>" + _MAG_RE + r")?(?P<some>余|多)?(?P<unit>" + _UNIT_RE + r")?")
_RANK_ORDINAL = re.compile(r"(?:居|位居|位列|排名|排在|排|名列|跃居|升至|上升至|跃升至|列|位于|稳居)[^，。；\n]{0,10}?"
                           r"第\s*(?P<num>\d+|[一二三四五六七八九十]+)(?=\s*(?:[，。；、）)]|$))")
_FIRST = re.compile(r"(?<=[居列于占])[^，。；\n居列于占]{0,8}?(首位|榜首)")
_ITEMS = re.compile(r"(?<![\u4e00-\u9fff]{2}[第])(?P<n>[二两三四五六七八九十])(?:大|类)(?P<noun>[\u4e00-\u9fff]{1,4})[：:]")
_TRILLION = re.compile(r"(?:迈入|突破|跨入|跨上|站上|跻身)(?P<w>万亿)(?:元)?(?:大关|台阶|级)?|(?P<w2>万亿)(?:元)?俱乐部")
_PERCENT_WORDS = re.compile(r"百分之(?P<num>" + _CN_NUM + r"|\d+(?:\.\d+)?)")
_FRACTION = re.compile(r"(?P<den>[一二三四五六七八九十]+)分之(?P<num>[一二三四五六七八九十]+)")
_CHENG = re.compile(r"(?P<num>[一二两三四五六七八九十]|\d+(?:\.\d+)?)成(?!为|果|本|员|熟|就|立|交|长|都|功|效|型|品|套|片|绩|批|分)")
_FANFAN = re.compile(r"(?P<near>近|接近|将近)?翻(?:了)?(?:(?P<num>[一两二三四五]|\d+)番|(?P<one>番))(?P<more>多|以上|有余)?")
_SLASH = re.compile(r"(?<![\d/.])(?P<a>\d+)/(?P<b>\d+)(?![\d/])")
_YEAR_AFTER = re.compile(r"\s*(?:年|[-—–~至到]\s*(?:19|20)\d\d)")
_WORDS_AFTER_CN = ("是", "体", "系列", "些", "般", "定", "样", "直", "致", "起", "道", "切", "律", "“", "”", "\"")


def _is_year_or_label(norm: str, m: re.Match) -> bool:
    num, a, b = m.group("num"), m.start("num"), m.end("num")
    if re.fullmatch(r"(19|20)\d\d", num) and not m.group("unit") and not m.group("mag") and (
            _YEAR_AFTER.match(norm, b) or norm[b:b + 1] in ("/", ".") or not norm[b:b + 1].strip()):
        return True
    if m.group("unit") in ("年",) and re.fullmatch(r"(19|20)\d\d", num):
        return True
    after = norm[b:b + 2]
    if re.match(r"\s*(月|日|号|时(?!间))", norm[b:]) and not m.group("mag"):
        return True
    if not m.group("unit") and re.match(r"[A-Za-z]", norm[m.end():m.end() + 1]):
        return True  # 5G, 4K, 3D
    before = norm[max(0, a - 1):a]
    if before in ("“", '"', "「", "《", "图", "表", "附"):
        return True
    if re.match(r"\s*[+×*]", after) or before in ("+", "×", "V", "v"):
        return True
    line_start = norm.rfind("\n", 0, a) + 1
    head = norm[line_start:a]
    # list enumerators 1. 2、 (3)
    return bool((not head.strip() or head.strip() in ("(", "（")) and re.match(r"\s*(?:[.、)）](?!\d))", norm[b:]))


def _raw_numbers(norm: str) -> list[Number]:
    found: list[Number] = []
    for m in _ARABIC.finditer(norm):
        if _is_year_or_label(norm, m):
            continue
        digits = m.group("num").replace(",", "")
        unit_text, dim, factor = _unit(m.group("mag") or "", m.group("unit") or "")
        if not unit_text and re.search(r"率\s*(?:达到|达|为|提高到|提升至|升至)?\s*$", norm[max(0, m.start() - 6):m.start()]):
            unit_text, dim, factor = "%", "%", 1.0  # 数控化率达到48.7: a rate written without its %
        value = Decimal(digits)
        if m.group("sign") == "-":
            value = -value
        end = m.end()
        if m.group("unit") is None and m.group("mag") is None:
            end = m.end("some") if m.group("some") else m.end("num")
        found.append(_make(norm, m.start(), end, value, digits, unit_text, dim, factor,
                           some=bool(m.group("some") or m.group("some0"))))
    for m in _CHINESE.finditer(norm):
        num, unit, mag = m.group("num"), m.group("unit") or "", m.group("mag") or ""
        if not unit and not mag:
            continue
        if norm[m.end("num"):m.end("num") + 1] == "成":
            continue
        try:
            if re.search("[万亿]", num):  # 一亿二千万: one numeral, read whole
                value, mag = cn_value(num + mag), ""
            else:
                value = cn_value(num)
        except ValueError:
            continue
        ordinal = norm[max(0, m.start() - 1):m.start()] == "第"
        if not ordinal and value == 1 and not mag and not re.search("[十百千]", num) and unit != "倍":
            continue  # 一个, 一家: an article, not a count (增长了一倍 is a multiple)
        if unit in ("个", "项", "家", "种", "批", "类", "次", "年", "分", "部", "支", "期", "门", "处", "条",
                    "场", "本", "片", "只", "块") and norm[m.end():m.end() + 1] in _WORDS_AFTER_CN:
            continue
        if not ordinal and unit in ("位", "分", "年", "名") and not mag:
            continue
        if unit == "次" and norm[m.end():m.end() + 2] == "产业":
            continue  # 三次产业: the three industries, not a count
        if len(num) == 1 and not mag and unit in ("类", "批", "期", "门", "处", "本", "片", "块", "支"):
            continue
        unit_text, dim, factor = _unit(mag, unit)
        found.append(_make(norm, m.start(), m.end(), value, str(value), unit_text, dim, factor,
                           form="chinese", some=bool(m.group("some"))))
    for m in _RANK_ORDINAL.finditer(norm):  # 位居全省第五: an ordinal with no 位/名 after a verb of rank
        raw = m.group("num")
        try:
            value = Decimal(raw) if raw.isdigit() else cn_value(raw)
        except ValueError:
            continue
        a = norm.rindex("第", 0, m.start("num"))
        found.append(Number(a, m.end("num"), norm[a:m.end("num")], float(value), str(value), "位", "位", 1.0,
                            "eq", Interval(float(value), float(value)), ordinal=True))
    for m in _FIRST.finditer(norm):  # 首位, 榜首: rank 1
        found.append(Number(m.start(1), m.end(1), m.group(1), 1.0, "1", "位", "位", 1.0, "eq", Interval(1, 1),
                            ordinal=True, form="chinese"))
    for m in _ITEMS.finditer(norm):  # 包括五大板块：A、B、C: a count of the items listed after the colon
        value = cn_value(m.group("n"))
        found.append(Number(m.start(), m.end("noun"), m.group(0)[:-1], float(value), str(value), "个", "个", 1.0,
                            "eq", Interval(float(value), float(value)), form="items"))
    for m in _TRILLION.finditer(norm):  # 迈入万亿大关, 万亿俱乐部: at least 1万亿元
        a = m.start("w") if m.group("w") else m.start("w2")
        found.append(Number(a, a + 2, "万亿", 1.0, "1", "万亿元", "元", 1e12, "ge", Interval(1e12, float("inf")),
                            form="chinese"))
    for m in _PERCENT_WORDS.finditer(norm):
        raw = m.group("num")
        try:  # 百分之百: 百 alone (cn2an reads it only inside a numeral; 千家万户 is no count)
            value = Decimal(raw) if raw[0].isdigit() else Decimal(100) if raw == "百" else cn_value(raw)
        except ValueError:
            continue
        found.append(_make(norm, m.start(), m.end(), value, str(value), "%", "%", 1.0, form="chinese"))
    for m in _FRACTION.finditer(norm):
        try:
            a, b = cn_value(m.group("num")), cn_value(m.group("den"))
        except ValueError:
            continue
        if b == 0:
            continue
        found.append(_fraction(norm, m.start(), m.end(), a, b))
    for m in _SLASH.finditer(norm):
        a, b = Decimal(m.group("a")), Decimal(m.group("b"))
        if 0 < a < b <= 20 and not re.match(r"\s*(?:[A-Za-z]|月|日)", norm[m.end():]):
            found.append(_fraction(norm, m.start(), m.end(), a, b))
    for m in _CHENG.finditer(norm):
        raw = m.group("num")
        try:
            value = Decimal(raw) if raw[0].isdigit() else cn_value(raw)
        except ValueError:
            continue
        q, _ = _qualifier(norm, m.start(), m.end())
        iv = Interval(float(value) * 10 - 5, float(value) * 10 + 5)
        iv = _open(iv, float(value) * 10, q)
        found.append(Number(m.start(), m.end(), norm[m.start():m.end()], float(value) * 10,
                            str(value), "%", "%", 1.0, q, iv, form="cheng"))
    for m in _FANFAN.finditer(norm):
        # 翻n番 = 2^n times (翻番 = 翻一番), read to within 10 %; 翻n番多 is more than 2^n and less than
        # 2^(n+1); 近翻一番 a little below 2^n
        raw = m.group("num") or "一"
        try:
            n = int(raw) if raw.isdigit() else int(cn_value(raw))
        except ValueError:
            continue
        v = 2.0 ** n
        if m.group("more"):
            iv, q = Interval(v, 2 * v), "gt"
        elif m.group("near"):
            iv, q = Interval(0.85 * v, v), "approx"
        else:
            iv, q = Interval(0.9 * v, 1.1 * v), "eq"
        a = m.start("near") if m.group("near") else m.start()
        a = m.end("near") if m.group("near") else a
        end = m.start("more") if m.group("more") else m.end()
        found.append(Number(a, end, norm[a:end], v, str(n), "倍", "倍", 1.0, q, iv, form="fanfan"))
    return found


def _open(iv: Interval, v: float, q: str) -> Interval:
    if q in ("gt", "ge"):
        return Interval(iv.lo if q == "ge" else v, float("inf"))
    if q in ("lt", "le", "lt_approx"):
        return Interval(float("-inf") if q != "lt_approx" else v * 0.9, v if q == "lt" else iv.hi)
    if q == "approx":  # 约占三分之一, 约三成: within 5 % of it, as 约 X
        return Interval(min(v * 0.95, iv.lo), max(v * 1.05, iv.hi))
    return iv


def _fraction_open(iv: Interval, v: float, q: str) -> Interval:
    """约占三分之一 is a rough fraction: 35.2 % is about a third (within 10 %); other qualifiers as for numbers."""
    if q == "approx":
        return Interval(min(v * 0.9, iv.lo), max(v * 1.1, iv.hi))
    return _open(iv, v, q)


def _fraction(norm: str, start: int, end: int, a: Decimal, b: Decimal) -> Number:
    v = float(a / b) * 100
    q, _ = _qualifier(norm, start, end)
    iv = _fraction_open(Interval(v - 0.5, v + 0.5), v, q)
    return Number(start, end, norm[start:end], v, f"{a}/{b}", "%", "%", 1.0, q, iv, form="fraction")


def _make(norm: str, start: int, end: int, value: Decimal, digits: str, unit: str, dim: str,
          factor: float, form: str = "", some: bool = False) -> Number:
    q, _ = _qualifier(norm, start, end)
    if some and q == "eq":
        q = "gt_some"
    ordinal = norm[max(0, start - 1):start] == "第"
    negated = bool(_DECREASE.search(norm[max(0, start - 6):start])) and value > 0
    iv = _admit(value, _some_step(digits) if q == "gt_some" else _step(digits), factor, q)
    if q == "eq" and factor == 1 and dim in _COUNTABLE and re.fullmatch(r"-?\d+", digits) and form != "chinese":
        iv = Interval(float(value), float(value))  # 50家, 305个: a count of whole things is exact
    if q == "gt_some":
        q = "gt"
    elif q == "lt_approx":
        q = "approx"
    return Number(start, end, norm[start:end], float(value), digits, unit, dim, factor, q, iv,
                  ordinal, negated, form)


def _ranges(norm: str, nums: list[Number]) -> list[Number]:
    """A至B, A—B, A~B (the unit written once or twice) as one number admitting [A, B]."""
    out: list[Number] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        if i + 1 < len(nums):
            b = nums[i + 1]
            gap = norm[a.end:b.start]
            same_unit = not a.unit or a.unit == b.unit or (a.unit in MAGNITUDE and b.unit.startswith(a.unit)
                                                           and not a.dim)
            if (re.fullmatch(_RANGE_SEP, gap) and same_unit
                    and b.unit and a.form in ("", "chinese") and a.form == b.form and a.value <= b.value):
                factor = b.factor
                iv = Interval((a.value - float(_step(a.digits)) / 2) * factor, b.interval.hi)
                out.append(Number(a.start, b.end, norm[a.start:b.end], (a.value + b.value) / 2,
                                  f"{a.digits}-{b.digits}", b.unit, b.dim, factor, "eq", iv,
                                  form="range"))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _propagate_units(norm: str, nums: list[Number]) -> list[Number]:
    """分别为120.3、450.6和700.1亿元: the last number's unit belongs to the bare ones listed before it."""
    out = list(nums)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if a.unit == "个" and b.unit == "个百分点" and re.fullmatch(r"\s*(?:、|和|与|及)\s*", norm[a.end:b.start]):
            # 分别提高2.6个和3.6个百分点
            out[i] = Number(a.start, a.end, a.text, a.value, a.digits, b.unit, b.dim, b.factor, a.qualifier,
                            _admit(Decimal(a.digits), _step(a.digits), b.factor, a.qualifier), a.ordinal,
                            a.negated, "listed")
            continue
        if a.unit or not b.unit or a.form or b.form == "fraction":
            continue
        if re.fullmatch(r"\s*(?:、|和|与|及|以及|,|/)\s*", norm[a.end:b.start]):
            step = _step(a.digits)
            iv = _admit(Decimal(a.digits) * (-1 if a.value < 0 else 1), step, b.factor, a.qualifier)
            out[i] = Number(a.start, a.end, a.text, a.value, a.digits, b.unit, b.dim, b.factor,
                            a.qualifier, iv, a.ordinal, a.negated, "listed")
    return out


def find_numbers(text: str) -> list[Number]:
    """Every number of `text` that states a quantity, in order; spans index `text` itself."""
    norm = normalise(text)
    raw = sorted(_raw_numbers(norm), key=lambda n: (n.start, -(n.end - n.start)))
    chosen: list[Number] = []
    last_end = -1
    for n in raw:
        if n.start >= last_end:
            chosen.append(n)
            last_end = n.end
        elif n.end - n.start > chosen[-1].end - chosen[-1].start and n.start == chosen[-1].start:
            chosen[-1] = n
            last_end = n.end
    chosen = _propagate_units(norm, chosen)
    chosen = _header_units(norm, chosen)
    chosen = _ranges(norm, chosen)
    return [_restore(text, n) for n in chosen]


_UNIT_HEADER = re.compile(r"[（(]\s*(?:单位\s*[：:]\s*)?(?P<u>[^（()）\d，。；、]{1,6})\s*[）)]")


def _header_units(norm: str, nums: list[Number]) -> list[Number]:
    """地区生产总值（亿元）如下：恩施市412.6，利川市243.4…: bare numbers listed after a unit written in brackets in
    their sentence take that unit."""
    out = list(nums)
    for i, n in enumerate(out):
        if n.unit or n.dim or n.ordinal or n.form or not re.fullmatch(r"\d+(\.\d+)?", n.digits) or \
                not re.match(r"\s*(?:[，,；;。、]|$)", norm[n.end:n.end + 1]):
            continue
        s0 = max(norm.rfind(c, 0, n.start) for c in "。！？\n") + 1
        if norm[max(0, s0 - 3):s0 - 1] == "如下" or norm[max(0, s0 - 3):s0].rstrip("。:：").endswith("如下"):
            s0 = max(norm.rfind(c, 0, s0 - 1) for c in "。！？\n") + 1  # …（亿元）如下。其中：…: the sentence before
        heads = [m for m in _UNIT_HEADER.finditer(norm, s0, n.start) if unit_factor(m.group("u"))]
        if not heads:
            continue
        unit = heads[-1].group("u")
        dim, factor = unit_factor(unit) or ("", 1.0)
        if dim in ("", "%", "pp", "倍"):
            continue
        out[i] = Number(n.start, n.end, n.text, n.value, n.digits, unit, dim, factor, n.qualifier,
                        _admit(Decimal(n.digits), _step(n.digits), factor, n.qualifier), n.ordinal, n.negated,
                        "header")
    return out


def _restore(text: str, n: Number) -> Number:
    if text[n.start:n.end] == n.text:
        return n
    return Number(n.start, n.end, text[n.start:n.end], n.value, n.digits, n.unit, n.dim, n.factor,
                  n.qualifier, n.interval, n.ordinal, n.negated, n.form)


def unit_factor(unit: str) -> tuple[str, float] | None:
    """(dimension, factor to its base unit) of a unit as the store writes it (亿元, 万户, %); None if unknown."""
    for mag in ("", *sorted(MAGNITUDE, key=len, reverse=True)):
        if unit.startswith(mag) and (unit[len(mag):] in _UNITS or (mag and unit == mag)):
            _, dim, f = _unit(mag, unit[len(mag):])
            return dim, f
    return None
