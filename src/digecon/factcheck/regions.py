"""Region names as running text writes them (湖南省/湖南, 长沙市/长沙, 湘西州, 全国/我国) -> canonical names.

The names come from the catalog (`digecon.catalog.get_catalog()`), so every region the catalog
knows, with its short name and aliases, is found; a failing catalog leaves the built-in
province names and 全国.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from digecon.catalog import CatalogError, get_catalog

# Province-level names national text uses, including the three the catalog may not hold.
PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市",
             "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
             "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省",
             "青海省", "宁夏回族自治区", "新疆维吾尔自治区", "台湾省", "香港特别行政区", "澳门特别行政区"]
NATION = "全国"
_NATION_WORDS = {"全国": NATION, "我国": NATION, "中国": NATION, "全国平均": NATION,
                 "全球": "全球", "世界": "全球"}  # 比全球平均水平高: a comparator outside the gazetteer
GROUPS = ["东部地区", "中部地区", "西部地区", "东北地区", "中西部地区"]
# Economic areas that overlap provinces (no partition of 全国): compared with each other only.
AREAS = {"长三角地区": "长三角地区", "长三角": "长三角地区", "长江三角洲地区": "长三角地区", "珠三角地区": "珠三角地区",
         "珠三角": "珠三角地区", "京津冀地区": "京津冀地区", "京津冀": "京津冀地区", "粤港澳大湾区": "粤港澳大湾区",
         "成渝地区": "成渝地区", "成渝地区双城经济圈": "成渝地区", "长江经济带": "长江经济带", "黄河流域": "黄河流域"}
# Short names that are also common words: found only with their suffix (大同市, 中山市).
_AMBIGUOUS_SHORT = {"大同", "安康", "阿里", "白山", "黄山", "中山", "北海", "海东", "山南", "玉林", "三明",
                    "通化", "东方", "长治", "白银", "金昌", "中部", "东部", "西部"}


_SUB_AREA = re.compile(r"(国家级)?(高新区|高新技术产业开发区|经开区|经济技术开发区|开发区|新区|园区|软件园|产业园|综合保税区|"
                       r"保税区|自贸区|片区|港|城区)")


_COUNTY_AFTER = re.compile(r"(?:区|县)(?!域|级|以上|以下|内|外|划|位)")


def _short(name: str) -> str:
    for suf in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "省", "市",
                "盟"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def _catalog_regions() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(name, short, level, aliases) of every catalog region: provinces before cities."""
    try:
        regions = get_catalog().regions()
    except (CatalogError, OSError):
        return []
    rows = [(r.name, r.short, r.level, tuple(getattr(r, "aliases", ()) or ())) for r in regions]
    return ([r for r in rows if r[2] != "city"] + [r for r in rows if r[2] == "city"])


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern, dict[str, str]]:
    names: dict[str, str] = dict(_NATION_WORDS)
    for g in GROUPS:
        names[g] = g
        names.setdefault(g[:-2], g)
    names.update(AREAS)
    for full in PROVINCES:
        names.setdefault(full, full)
        names.setdefault(_short(full), full)
    for name, short, level, aliases in _catalog_regions():
        if level not in ("province", "city"):
            continue
        names.setdefault(name, name)
        for alt in (short, _short(name), *aliases):
            if alt and len(alt) >= 2 and alt not in _AMBIGUOUS_SHORT:
                names.setdefault(alt, name)
    pat = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return pat, names


# Places of one text that the gazetteer lacks (its districts, counties, county-level cities: 西青区, 景洪市),
# found by `clauses.local_places` while that text is checked: name -> the region they lie in.
_LOCAL: ContextVar[tuple[dict[str, str], dict[str, str], re.Pattern | None]] = ContextVar(
    "local_places", default=({}, {}, None))


@contextmanager
def local_places(places: dict[str, str], stems: dict[str, str] | None = None) -> Iterator[None]:
    """While checking one text: `places` (name -> the region it lies in) are regions too, and `stems`
    (西青 -> 西青区) name them inside a list of places (（东丽、西青、津南、北辰）)."""
    stems = {k: v for k, v in (stems or {}).items() if v in places}
    pat = None
    if places:
        alts = "|".join(re.escape(n) for n in sorted(places, key=len, reverse=True))
        if stems:
            short = "|".join(re.escape(k) for k in sorted(stems, key=len, reverse=True))
            alts += f"|(?<=[、（(])(?:{short})(?![^、和及与）)，。；\\s])|(?:{short})(?=、)"
        pat = re.compile(alts)
    token = _LOCAL.set((dict(places), stems, pat))
    try:
        yield
    finally:
        _LOCAL.reset(token)


def local_parent(name: str) -> str:
    """The region a local place of the text being checked (a district, a county) lies in, or ''."""
    return _LOCAL.get()[0].get(name, "")


def region_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of each region named in text[start:end]."""
    pat, names = _table()
    out = []
    stop = len(text) if end is None else end
    places, stems, lpat = _LOCAL.get()
    local: list[tuple[int, int, str]] = []
    if lpat is not None:
        for m in lpat.finditer(text, start, stop):
            name = m.group(0)
            local.append((m.start(), m.end(), name if name in places else stems[name]))
    for m in pat.finditer(text, start, stop):
        if local and any(a < m.end() and m.start() < b for a, b, _ in local):
            continue
        if names[m.group(0)] != m.group(0) and m.group(0) not in GROUPS and (
                _COUNTY_AFTER.match(text, m.end()) or (text.startswith("市", m.end())
                                                       and not names[m.group(0)].endswith("市"))):
            continue  # 河北区 (天津), 长沙县, 恩施市 (of 恩施州): a district or county named after a place, not it
        sub = _SUB_AREA.match(text, m.end())
        if sub:  # 南昌高新区 is not 南昌市
            out.append((m.start(), sub.end(), text[m.start():sub.end()]))
        else:
            out.append((m.start(), m.end(), names[m.group(0)]))
    return sorted(out + local) if local else out


@lru_cache(maxsize=1)
def _ambiguous() -> dict[str, str]:
    """The short names kept out of running text because they are also common words (玉林, 三明 …) -> the
    region, for lists that are nothing but regions."""
    out: dict[str, str] = {}
    for name, short, level, _aliases in _catalog_regions():
        if level in ("province", "city"):
            for alt in (short, _short(name)):
                if alt in _AMBIGUOUS_SHORT and alt not in GROUPS and not alt.endswith("部"):
                    out.setdefault(alt, name)
    return out


def list_spans(text: str) -> list[tuple[int, int, str]]:
    """region_spans, and after the regions it finds, the ambiguous short names that continue their list
    (南宁、柳州、桂林、玉林: 玉林 is 玉林市 only in such a list)."""
    rs = region_spans(text)
    amb = _ambiguous()
    if not rs or not amb:
        return rs
    pat = re.compile(r"\s*(?:、|和|及|与|以及)\s*(" + "|".join(map(re.escape, sorted(amb, key=len, reverse=True)))
                     + r")(?![\u4e00-\u9fff])")
    out = list(rs)
    back = re.compile(r"(" + "|".join(map(re.escape, sorted(amb, key=len, reverse=True))) + r")\s*(?:、|和|及|与)\s*$")
    while True:  # 分别为长治、运城…: an ambiguous name that opens the list
        m = back.search(text, 0, out[0][0])
        if not m or (m.start() > 0 and re.match(r"[\u4e00-\u9fff]", text[m.start() - 1]) and
                     not re.search(r"(?:为|是|有|括|即|：|:|（|\()$", text[:m.start()])):
            break
        out.insert(0, (m.start(1), m.end(1), amb[m.group(1)]))
    while True:
        m = pat.match(text, out[-1][1])
        if not m:
            return out
        out.append((m.start(1), m.end(1), amb[m.group(1)]))


def find_regions(text: str) -> list[str]:
    """Canonical names of the regions mentioned in `text`, in order (duplicates kept)."""
    return [name for _, _, name in region_spans(text)]


def canonical(name: str) -> str:
    """长沙 -> 长沙市, 湖南 -> 湖南省, 我国 -> 全国; unknown names come back unchanged."""
    _, names = _table()
    return names.get(name, name)


def region_code(name: str) -> str | None:
    """The catalog code of a canonical region name, or None when the catalog does not know it."""
    try:
        catalog = get_catalog()
    except (CatalogError, OSError):
        return None
    return _code_in(catalog, name)


@lru_cache(maxsize=4096)
def _code_in(catalog, name: str) -> str | None:
    # memoised per catalog: an unknown name (全市, 石家庄市+唐山市) costs a fuzzy search for suggestions
    if "+" in name or "|" in name:
        return None
    try:
        return catalog.region(name).code
    except (KeyError, CatalogError, OSError):
        return None


MACRO = ("东部地区", "中部地区", "西部地区", "东北地区")  # the four that partition 全国 (NBS)


@lru_cache(maxsize=1)
def _children() -> dict[str, tuple[str, ...]]:
    """Canonical name -> the prefecture-level names under it (the catalog's gazetteer)."""
    try:
        regions = get_catalog().regions()
    except (CatalogError, OSError):
        return {}
    by_code = {r.code: r.name for r in regions}
    out: dict[str, list[str]] = {}
    for r in regions:
        if r.level == "city" and getattr(r, "parent", None) in by_code:
            out.setdefault(by_code[r.parent], []).append(r.name)
    return {k: tuple(v) for k, v in out.items()}


def partition_of(parts: list[str]) -> tuple[str, bool] | None:
    """The region the distinct regions `parts` are disjoint parts of, and whether they are all of it:
    东部/中部/西部/东北 of 全国, provinces of 全国, prefectures of their province; None if they are not
    parts of one partition (东部地区 and 广东省 overlap)."""
    ps = set(parts)
    if len(ps) < 2 or len(ps) != len(parts):
        return None
    if ps <= set(MACRO):
        return NATION, ps == set(MACRO)
    if all(p in PROVINCES for p in ps):
        return NATION, len(ps) >= 31
    kids = _children()
    for parent, names in kids.items():
        if ps <= set(names):
            return parent, ps == set(names)
    parents = {local_parent(p) for p in ps}
    if len(parents) == 1 and "" not in parents:
        return parents.pop(), False  # districts or counties of the text: never known to be all of it
    return None


def parent_name(name: str) -> str:
    """The province a prefecture-level region is in (长沙市 -> 湖南省), the region a local place of the text
    lies in (西青区 -> 天津市); '' when unknown."""
    return local_parent(name) or _gazetteer_parent(name)


@lru_cache(maxsize=4096)
def _gazetteer_parent(name: str) -> str:
    for parent, names in _children().items():
        if name in names:
            return parent
    return ""


def whole_area(word: str, main: str) -> str:
    """全省/全区/全市/全州/全国 in a text about `main`: the region meant (全省 in a text about 岳阳市 is
    湖南省; 全市 in a text about 湖南省 is unknown, '')."""
    if word in ("国", "全国"):
        return NATION
    prefecture = main not in PROVINCES and main != NATION and main not in GROUPS
    if word in ("省", "自治区") or (word == "区" and main.endswith("自治区")):
        return parent_name(main) if prefecture else (main if main in PROVINCES else "")
    if word in ("市", "州", "盟", "地区") or (word == "区" and prefecture):
        return main if prefecture or main in ("北京市", "天津市", "上海市", "重庆市") else ""
    return ""


# The provinces of each of the four macro-regions (国家统计局 东中西部和东北地区划分).
_MACRO_MEMBERS = {
    "东部地区": ("北京市", "天津市", "河北省", "上海市", "江苏省", "浙江省", "福建省", "山东省", "广东省", "海南省"),
    "中部地区": ("山西省", "安徽省", "江西省", "河南省", "湖北省", "湖南省"),
    "西部地区": ("内蒙古自治区", "广西壮族自治区", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省",
             "青海省", "宁夏回族自治区", "新疆维吾尔自治区"),
    "东北地区": ("辽宁省", "吉林省", "黑龙江省"),
}


def within(region: str, scope: str) -> bool:
    """Whether `region` lies in `scope` (a province in 中部地区, a city in its province, anything in 全国)."""
    if scope == NATION:
        return region != NATION
    if scope in _MACRO_MEMBERS:
        return region in _MACRO_MEMBERS[scope] or parent_name(region) in _MACRO_MEMBERS[scope]
    if scope == "中西部地区":
        return within(region, "中部地区") or within(region, "西部地区")
    return parent_name(region) == scope
