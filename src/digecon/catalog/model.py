"""Catalog objects and the look-ups by code, name or alias."""
from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

INDICATOR_KINDS = ("level", "share", "growth", "index", "count", "rank", "pp_change",
                   "multiple", "other")
REGION_LEVELS = ("country", "province", "city")


class CatalogError(ValueError):
    """A catalog extension file (regions.csv / indicators.csv) that cannot be merged; the
    message names file:line:column, the value found and what was expected."""


class UnknownNameError(KeyError):
    """A region, indicator or unit that the catalog does not know; carries close matches."""

    def __init__(self, what: str, found: str, suggestions: list[str]):
        self.what, self.found, self.suggestions = what, found, suggestions
        hint = f"（最接近：{'、'.join(suggestions)}）" if suggestions else ""
        super().__init__(f"未知{what}「{found}」{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short: str
    level: str  # country | province | city
    parent: str
    name_en: str = ""


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
    """The tables shipped inside the package (the first of two core/seedfacts rows wins)."""
    indicators: dict[str, Indicator] = {}
    for name in ("core_indicators.csv", "seedfacts_indicators.csv"):
        for r in _rows(name):
            indicators.setdefault(r["code"], indicator_from_row(r))
    units = tuple(Unit(r["unit"], r["dimension"], Decimal(r["factor"]), r["name_en"])
                  for r in _rows("units.csv"))
    return tuple(Region(**r) for r in _rows("regions.csv")), tuple(indicators.values()), units


class Catalog:
    """Look-ups over the catalog tables (immutable once loaded).

    Without arguments: the packaged tables. `get_catalog()` adds the regions and indicators
    of extension folders (see `digecon.catalog.extend`).
    """

    def __init__(self, regions: Iterable[Region] | None = None,
                 indicators: Iterable[Indicator] | None = None) -> None:
        base_regions, base_indicators, units = packaged()
        self._regions = list(base_regions if regions is None else regions)
        self._region_index: dict[str, Region] = {}
        for region in self._regions:
            for key in (region.code, region.name, region.short):
                self._region_index.setdefault(key, region)
        self._region_index.setdefault("中国", self._region_index["100000"])
        self._region_index.setdefault("全国合计", self._region_index["100000"])

        self._indicators: dict[str, Indicator] = {}
        for ind in base_indicators if indicators is None else indicators:
            self._indicators.setdefault(ind.code, ind)
        self._indicator_index: dict[str, Indicator] = {}
        for ind in self._indicators.values():
            for key in (ind.code, ind.name_zh, *ind.aliases):
                self._indicator_index.setdefault(key, ind)
        self._units = {u.unit: u for u in units}

    # regions ---------------------------------------------------------------------------
    def region(self, name_or_code: str | int) -> Region:
        key = str(name_or_code).strip()
        found = self._region_index.get(key)
        if found is None:
            raise UnknownNameError("地区", key, self.suggest_regions(key))
        return found

    def suggest_regions(self, key: str, n: int = 3) -> list[str]:
        def score(r: Region) -> float:
            best = max(difflib.SequenceMatcher(None, key, x).ratio() for x in (r.name, r.short))
            return best + (0.3 if key[:1] and key[:1] == r.short[:1] else 0.0)

        ranked = sorted(self._regions, key=score, reverse=True)
        return [r.name for r in ranked[:n] if score(r) >= 0.4]

    def regions(self, level: str | None = None, parent: str | None = None) -> list[Region]:
        return [r for r in self._regions
                if (level is None or r.level == level) and (parent is None or r.parent == parent)]

    # indicators ------------------------------------------------------------------------
    def indicator(self, code_or_name: str) -> Indicator:
        key = str(code_or_name).strip()
        found = self._indicator_index.get(key)
        if found is None:
            raise UnknownNameError("指标", key, self.suggest_indicators(key))
        return found

    def suggest_indicators(self, key: str, n: int = 3) -> list[str]:
        close = difflib.get_close_matches(key, list(self._indicator_index), n=n, cutoff=0.5)
        return [f"{self._indicator_index[c].code}（{self._indicator_index[c].name_zh}）"
                for c in close]

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
