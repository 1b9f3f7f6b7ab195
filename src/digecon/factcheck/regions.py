"""Region names as they appear in running text (江西省/江西, 南昌市/南昌, 全国) -> canonical names."""
from __future__ import annotations

import re
from functools import lru_cache

# Every province-level name national text may use, including the three outside the catalog's 31.
PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区", "台湾省", "香港特别行政区", "澳门特别行政区"]


def _short(name: str) -> str:
    for suf in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if name.endswith(suf):
            return name[: -len(suf)]
    return name


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern, dict[str, str]]:
    names: dict[str, str] = {"全国": "全国", "我国": "全国"}
    for full in PROVINCES + _catalog_names():
        names[full] = full
        names.setdefault(_short(full), full)
    pat = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return pat, names


def _catalog_names() -> list[str]:
    """Every region the catalog holds: the provinces and all the cities it lists (of any province).

    Cities come from the catalog, never a hand list, so a new province's cities are found in
    text as soon as the catalog has them. Provinces are read before cities so that a short
    name both could claim (吉林 for 吉林省 and 吉林市) means the province.
    """
    from digecon.catalog import get_catalog

    regions = get_catalog().regions()
    return ([r.name for r in regions if r.level != "city"]
            + [r.name for r in regions if r.level == "city"])


def find_regions(text: str) -> list[str]:
    """Canonical names of the regions mentioned in `text`, in order (duplicates kept)."""
    pat, names = _table()
    out = []
    for m in pat.finditer(text):
        # 南昌高新区 is 南昌; but 吉安 inside 吉安市 is matched once as the full name.
        out.append(names[m.group(0)])
    return out


def canonical(name: str) -> str:
    """南昌 -> 南昌市, 江西 -> 江西省; unknown names come back unchanged."""
    _, names = _table()
    return names.get(name, name)
