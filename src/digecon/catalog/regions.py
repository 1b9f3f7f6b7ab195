"""Regions (GB/T 2260): the Region record, look-up by code, name, short name, alias or a name
with its parents (ambiguous names refused), region groupings such as 东部/中部/西部/东北, and
the word for a province's prefecture-level units (设区市, 市州, 盟市 …)."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import AmbiguousNameError, UnknownNameError

REGION_LEVELS = ("country", "province", "city", "county")
TIER = {level: i for i, level in enumerate(REGION_LEVELS)}
# Kinds by the suffix of the full name, for rows that do not state one (extension files). A
# county-level name in 区 is left unstated: a 市辖区 or a statistical unit such as a 管理区.
KIND_SUFFIXES = {
    "country": (),
    "province": (("特别行政区", "特别行政区"), ("自治区", "自治区"), ("省", "省"), ("市", "直辖市")),
    "city": (("自治州", "自治州"), ("地区", "地区"), ("盟", "盟"), ("市", "地级市")),
    "county": (("自治县", "自治县"), ("自治旗", "自治旗"), ("特区", "特区"), ("林区", "林区"),
               ("县", "县"), ("市", "县级市"), ("旗", "旗"), ("区", "")),
}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short: str
    level: str  # country | province | city (prefecture level) | county
    parent: str
    name_en: str = ""
    kind: str = ""  # 省 自治区 直辖市 … 地级市 自治州 地区 盟 … 市辖区 县 县级市 …
    aliases: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RegionGroup:
    """A group of provinces in one grouping (nbs4: 东部地区, 中部地区, 西部地区, 东北地区)."""
    code: str
    name: str
    short: str
    grouping: str
    members: tuple[str, ...]


def kind_from_name(name: str, level: str) -> str:
    for suffix, kind in KIND_SUFFIXES.get(level, ()):
        if name.endswith(suffix):
            return kind
    return "国家" if level == "country" else ""


def region_from_row(r: dict[str, str]) -> Region:
    return Region(code=r["code"], name=r["name"], short=r.get("short") or r["name"],
                  level=r["level"], parent=r.get("parent", ""), name_en=r.get("name_en", ""),
                  kind=r.get("kind") or kind_from_name(r["name"], r["level"]),
                  aliases=tuple(a for a in r.get("aliases", "").split("|") if a))


def groups_from_rows(rows: Iterable[dict[str, str]]) -> list[RegionGroup]:
    members: dict[tuple[str, str], list[str]] = {}
    heads: dict[tuple[str, str], dict[str, str]] = {}
    for r in rows:
        key = (r["grouping"], r["group"])
        heads.setdefault(key, r)
        members.setdefault(key, []).append(r["province"])
    return [RegionGroup(code=g, name=heads[(grouping, g)]["name"],
                        short=heads[(grouping, g)]["short"], grouping=grouping,
                        members=tuple(members[(grouping, g)])) for grouping, g in heads]


class RegionIndex:
    """Every key a region answers to, kept for the highest level that uses it: province
    names win over prefecture names, prefecture names over county names (吉林 is 吉林省,
    朝阳 is 朝阳市). A key that several regions of that level share is ambiguous."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self.regions = list(regions)
        self.by_code = {r.code: r for r in self.regions}
        found: dict[str, list[Region]] = {}
        for r in self.regions:
            for key in self._keys_of(r):
                same = found.setdefault(key, [])
                if not same or TIER[r.level] < TIER[same[0].level]:
                    found[key] = [r]
                elif TIER[r.level] == TIER[same[0].level] and r not in same:
                    same.append(r)
        self.keys = found

    def _names(self, r: Region) -> list[str]:
        return list(dict.fromkeys((r.name, r.short, *r.aliases)))

    def _keys_of(self, r: Region) -> list[str]:
        """Its own names, then each prefixed by its parent's (and grandparent's) names:
        北京市朝阳区, 北京朝阳区, 吉林省长春市朝阳区, 长春朝阳区 …"""
        own = self._names(r)
        prefixes = [""]
        parent = self.by_code.get(r.parent)
        while parent is not None and parent.level != "country":
            prefixes += [p + q for p in self._names(parent)[:2] for q in prefixes]
            parent = self.by_code.get(parent.parent)
        return [p + n for p in prefixes for n in own]

    def path_name(self, r: Region) -> str:
        """The full name with its parents' full names: 吉林省长春市朝阳区."""
        names = [r.name]
        parent = self.by_code.get(r.parent)
        while parent is not None and parent.level != "country":
            names.insert(0, parent.name)
            parent = self.by_code.get(parent.parent)
        return "".join(names)

    def lookup(self, key: str) -> Region:
        if key in self.by_code:
            return self.by_code[key]
        found = self.keys.get(key)
        if not found:
            raise UnknownNameError("地区", key, self.suggest(key))
        if len(found) > 1:
            labels = [f"{self.path_name(r)}（{r.code}）" for r in found]
            raise AmbiguousNameError(key, labels, self.path_name(found[0]))
        return found[0]

    def unique_keys(self, levels: tuple[str, ...]) -> dict[str, Region]:
        """Every name, short name, alias and parent-prefixed name that means exactly one
        region of these levels (codes not included)."""
        return {k: v[0] for k, v in self.keys.items() if len(v) == 1 and v[0].level in levels}

    def suggest(self, key: str, n: int = 3) -> list[str]:
        def score(r: Region) -> float:
            best = max(difflib.SequenceMatcher(None, key, x).ratio() for x in (r.name, r.short))
            return best + (0.3 if key[:1] and key[:1] == r.short[:1] else 0.0)

        scored = [(score(r), -TIER.get(r.level, 9), r) for r in self.regions]
        ranked = sorted((s for s in scored if s[0] >= 0.4), key=lambda s: s[:2], reverse=True)
        return [r.name for _, _, r in ranked[:n]]


def unit_word(province: Region, units: list[Region], direct: list[Region]) -> str:
    """The word for a province's units below it, from their kinds (documented in docs/store.md):
    盟 among them → 盟市; 地区 and 自治州 → 地州市; 地区 → 地市; 自治州 → 市州; more county-level
    units under the province itself than prefecture-level ones (海南) → 市县; otherwise 设区市.
    A 直辖市 has no prefecture level: 区 when all its units are districts, else 区县."""
    if not units:
        if not direct:
            raise ValueError(f"「{province.name}」在目录中没有下级区划，无法确定下级单位的称谓；"
                             f"请在数据集的 dataset.yaml 中写 unit_word")
        return "区" if all(u.kind == "市辖区" for u in direct) else "区县"
    kinds = {u.kind for u in units}
    if "盟" in kinds:
        return "盟市"
    if "地区" in kinds:
        return "地州市" if "自治州" in kinds else "地市"
    if "自治州" in kinds:
        return "市州"
    if len(direct) > len(units):
        return "市县"
    return "设区市"
