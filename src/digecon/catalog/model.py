"""Catalog objects and the look-ups by code, name or alias."""
from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from .errors import AmbiguousNameError, CatalogError, UnknownNameError
from .regions import (
    REGION_LEVELS,
    Region,
    RegionGroup,
    RegionIndex,
    groups_from_rows,
    region_from_row,
    unit_word,
)

__all__ = ["INDICATOR_KINDS", "REGION_LEVELS", "AmbiguousNameError", "Catalog", "CatalogError",
           "Indicator", "Region", "RegionGroup", "Unit", "UnknownNameError", "indicator_from_row",
           "packaged", "packaged_groups"]

INDICATOR_KINDS = ("level", "share", "growth", "index", "count", "rank", "pp_change",
                   "multiple", "other")


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    unit: str
    kind: str
    decimals: int
    definition: str
    formula: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


@dataclass(frozen=True)
class Unit:
    unit: str
    dimension: str
    factor: Decimal
    name_en: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("digecon.catalog").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def indicator_from_row(r: dict[str, str]) -> Indicator:
    return Indicator(
        code=r["code"], name_zh=r["name_zh"], name_en=r.get("name_en", ""), unit=r["unit"],
        kind=r["kind"], decimals=int(r.get("decimals") or 0),
        definition=r.get("definition", ""), formula=r.get("formula", ""),
        aliases=tuple(a for a in r.get("aliases", "").split("|") if a))


@lru_cache(maxsize=1)
def packaged() -> tuple[tuple[Region, ...], tuple[Indicator, ...], tuple[Unit, ...]]:
    """The tables shipped inside the package: the core indicators any dataset may use (a
    paper's own indicators live in its dataset's catalog/), units and the regions."""
    indicators: dict[str, Indicator] = {}
    for r in _rows("core_indicators.csv"):
        indicators.setdefault(r["code"], indicator_from_row(r))
    units = tuple(Unit(r["unit"], r["dimension"], Decimal(r["factor"]), r["name_en"])
                  for r in _rows("units.csv"))
    regions = tuple(region_from_row(r) for r in _rows("regions.csv"))
    return regions, tuple(indicators.values()), units


@lru_cache(maxsize=1)
def packaged_groups() -> tuple[RegionGroup, ...]:
    """The region groupings shipped inside the package (region_groups.csv)."""
    return tuple(groups_from_rows(_rows("region_groups.csv")))


class Catalog:
    """Look-ups over the catalog tables (immutable once loaded).

    Without arguments: the packaged tables. `get_catalog()` adds the regions and indicators
    of extension folders (see `digecon.catalog.extend`).
    """

    def __init__(self, regions: Iterable[Region] | None = None,
                 indicators: Iterable[Indicator] | None = None,
                 groups: Iterable[RegionGroup] | None = None,
                 subunits: dict[str, list[str]] | None = None) -> None:
        base_regions, base_indicators, units = packaged()
        self._region_index = RegionIndex(base_regions if regions is None else regions)
        self._regions = self._region_index.regions
        self._groups = list(packaged_groups() if groups is None else groups)

        self._indicators: dict[str, Indicator] = {}
        for ind in base_indicators if indicators is None else indicators:
            self._indicators.setdefault(ind.code, ind)
        self._indicator_index: dict[str, Indicator] = {}
        for ind in self._indicators.values():
            for key in (ind.code, ind.name_zh, *ind.aliases):
                self._indicator_index.setdefault(key, ind)
        self._units = {u.unit: u for u in units}
        # county-level units a province's breakdown counts beside its prefecture-level ones
        # (an extension folder's subunits.csv)
        self._extra_units = {p: tuple(c) for p, c in (subunits or {}).items()}

    # regions ---------------------------------------------------------------------------
    def region(self, name_or_code: str | int) -> Region:
        """By code, full name, short name, alias or a name with its parents' (长春市朝阳区).

        UnknownNameError (with the closest names) for a key no region has;
        AmbiguousNameError, listing the candidates, for one that several regions of the same
        level share. Province names win over prefecture names and those over county names.
        """
        return self._region_index.lookup(str(name_or_code).strip())

    def suggest_regions(self, key: str, n: int = 3) -> list[str]:
        return self._region_index.suggest(key, n)

    def regions(self, level: str | None = None, parent: str | None = None) -> list[Region]:
        """The regions of a level and/or under a parent, in code order. Without `level`: the
        country, provinces and prefecture-level units; the 2,800 counties only when asked
        for with level="county" (their names repeat across provinces)."""
        return [r for r in self._regions
                if (r.level == level if level is not None else r.level != "county")
                and (parent is None or r.parent == parent)]

    def region_keys(self, counties: bool = False) -> dict[str, Region]:
        """Every name, short name, alias and parent-prefixed name that means exactly one
        region, for readers that match names in bulk (ingest, the fact-checker)."""
        levels = ("country", "province", "city", "county") if counties else (
            "country", "province", "city")
        return self._region_index.unique_keys(levels)

    def path_name(self, region: Region) -> str:
        """The full name with its parents' full names: 吉林省长春市朝阳区."""
        return self._region_index.path_name(region)

    def province_of(self, name_or_code: str | int) -> Region:
        """The province a region lies in (itself for a province); ValueError for the country."""
        region = self.region(name_or_code)
        while region.level not in ("province", "country"):
            region = self._region_index.by_code[region.parent]
        if region.level == "country":
            raise ValueError(f"「{region.name}」不属于任何省份")
        return region

    # groupings -------------------------------------------------------------------------
    def groups(self, grouping: str = "nbs4") -> list[RegionGroup]:
        return [g for g in self._groups if g.grouping == grouping]

    def group(self, name_or_code: str) -> RegionGroup:
        """A group by its code (east), name (东部地区) or short name (东部)."""
        key = str(name_or_code).strip()
        for g in self._groups:
            if key in (g.code, g.name, g.short):
                return g
        close = difflib.get_close_matches(key, [g.name for g in self._groups], n=3, cutoff=0.3)
        raise UnknownNameError("地区分组", key, close)

    def group_of(self, name_or_code: str | int, grouping: str = "nbs4") -> RegionGroup | None:
        """The group of the province a region lies in (江西省, 南昌市 → 中部地区); None for the
        country and for provinces the grouping leaves out."""
        region = self.region(name_or_code)
        if region.level == "country":
            return None
        province = self.province_of(region.code)
        return next((g for g in self.groups(grouping) if province.code in g.members), None)

    def subunits(self, province: str | int) -> list[Region]:
        """The units below a province that a text counts and compares, in code order: its
        prefecture-level units, or, for a province without a prefecture level (a 直辖市), the
        county-level ones directly under it (its 区县). 海南's 县级市 and 县 under the province
        are not added to its four 地级市 while the store takes no county-level values (every
        comparison needs each unit's value), unless a dataset's `subunits.csv` counts them, as
        湖北's 17 市州 count 仙桃市, 潜江市, 天门市 and 神农架林区. Below the province level: the
        region's own children at the prefecture level (none for a prefecture)."""
        region = self.region(province)
        units = self.regions(level="city", parent=region.code)
        if region.level != "province":
            return units
        if not units:
            return self.regions(level="county", parent=region.code)
        extra = [self.region(c) for c in self._extra_units.get(region.code, ())]
        return sorted(units + extra, key=lambda r: r.code) if extra else units

    def unit_word(self, province: str | int, override: str | None = None) -> str:
        """The word for a province's prefecture-level units, e.g. 湖南省 → 市州, 江西省 →
        设区市, 内蒙古自治区 → 盟市, 北京市 → 区. `override` (a dataset's own word, from its
        dataset.yaml `unit_word:`) wins when given."""
        region = self.region(province)
        if region.level != "province":
            raise ValueError(f"「{region.name}」不是省级地区；下级单位的称谓按省份确定")
        if override:
            return override
        return unit_word(region, self.regions(level="city", parent=region.code),
                         self.regions(level="county", parent=region.code))

    # indicators ------------------------------------------------------------------------
    def indicator(self, code_or_name: str) -> Indicator:
        key = str(code_or_name).strip()
        found = self._indicator_index.get(key)
        if found is None:
            raise UnknownNameError("指标", key, self.suggest_indicators(key))
        return found

    def suggest_indicators(self, key: str, n: int = 3) -> list[str]:
        # one entry per indicator: its code, name and aliases are all keys of the index
        close = difflib.get_close_matches(key, list(self._indicator_index), n=4 * n, cutoff=0.5)
        found = dict.fromkeys(self._indicator_index[c].code for c in close)
        return [f"{code}（{self._indicators[code].name_zh}）" for code in found][:n]

    def indicators(self) -> list[Indicator]:
        return list(self._indicators.values())

    def has_indicator(self, code: str) -> bool:
        return code in self._indicators

    # units -----------------------------------------------------------------------------
    def units(self) -> list[Unit]:
        return list(self._units.values())

    def unit_factor(self, from_unit: str, to_unit: str) -> Decimal:
        """The factor f with value_in_to = value_in_from × f; ValueError if not convertible."""
        if from_unit == to_unit:
            return Decimal(1)
        a, b = self._units.get(from_unit), self._units.get(to_unit)
        if a is None or b is None or a.dimension != b.dimension:
            raise ValueError(f"单位「{from_unit}」不能换算为「{to_unit}」")
        return a.factor / b.factor

    def convert(self, value: float, from_unit: str, to_unit: str) -> float:
        return float(Decimal(repr(value)) * self.unit_factor(from_unit, to_unit))
