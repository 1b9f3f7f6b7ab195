"""Figure definitions read from a report spec: what each figure shows, never how it is drawn."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from digecon.errors import InputError

log = logging.getLogger(__name__)

KINDS = ("time", "cities", "choropleth")
SERIES_TYPES = ("bar", "line")
# average: mean — the arithmetic mean of the values drawn; region — the figure region's own
# value (全省平均水平 of a per-capita or share indicator: the province, not the mean of cities).
AVERAGES = ("mean", "region")
SKETCH = "示意"


class SpecError(InputError):
    """A report or figure spec that cannot be used; the message names file, key path and need.

    `found` and `expected` are set when the check states them apart (report.region,
    report.year), so another front end can word them its own way (digecon.api.scope).
    """

    def __init__(self, file: str, path: str, message: str, found: str | None = None,
                 expected: str | None = None):
        self.file, self.path, self.found, self.expected = file, path, found, expected
        super().__init__(f"{file}: {path}: {message}")


@dataclass(frozen=True)
class SeriesDef:
    indicator: str
    type: str = "bar"
    axis: int = 0
    stack: str | None = None
    name: str | None = None
    average: str | None = None  # None | mean | region: a dashed average line (markLine)


@dataclass(frozen=True)
class Basemap:
    """Where a map's boundaries come from and its 审图号 (review number), printed under it."""
    source: str
    review_no: str = ""


@dataclass(frozen=True)
class FigureDef:
    id: str
    caption: str
    kind: str
    series: tuple[SeriesDef, ...]
    region: str  # the province for time series, the parent for city comparisons; report.region
    periods: tuple[str, ...] = ()
    sort: str = "code"  # cities: code | desc
    geo: str | None = None
    source: str | None = None
    note: str | None = None
    label: str = "图"  # numbered 图N; a map aside from the paper's 17 figures uses 附图
    basemap: Basemap | None = None  # maps only
    # left out of the paper, with a line in the build log, when the store holds none of its
    # values (数字经济核心产业增加值: charted only where it has been measured)
    optional: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def indicators(self) -> list[str]:
        return [s.indicator for s in self.series]


def _need(cond: bool, file: str, path: str, message: str) -> None:
    if not cond:
        raise SpecError(file, path, message)


def parse_basemap(raw: Any, file: str, path: str) -> Basemap:
    """`basemap: {source: 自然资源部标准地图服务, review_no: GS(2024)0650号}`; review_no may be
    left out (the map is then a sketch, 示意)."""
    _need(isinstance(raw, dict) and isinstance(raw.get("source"), str)
          and raw["source"].strip() != "", file, f"{path}.source",
          "expected the basemap's source, e.g. {source: 自然资源部标准地图服务, "
          "review_no: GS(2024)0650号}")
    review = raw.get("review_no") or ""
    _need(isinstance(review, str), file, f"{path}.review_no",
          f"expected a 审图号 text such as GS(2024)0650号, found {review!r}")
    unknown = sorted(set(raw) - {"source", "review_no"})
    _need(not unknown, file, f"{path}.{unknown[0] if unknown else ''}",
          "unknown key; expected source or review_no")
    return Basemap(raw["source"].strip(), review.strip())


def parse_figure(fid: str, raw: Any, file: str, known_indicators: set[str] | None,
                 default_region: str, default_basemap: Any = None) -> FigureDef:
    """Validate one `figures.<id>` entry; every error names the key path and what was expected.

    A figure without its own `region` is about the report's region (`report.region`); a map
    without its own `basemap` takes `default_basemap` (the report's, when the spec sets one).
    A map whose basemap has no 审图号 is a sketch: its caption says 示意 and a warning is logged.
    """
    base = f"figures.{fid}"
    _need(isinstance(raw, dict), file, base, "expected a mapping with caption, kind and series")
    _need(isinstance(raw.get("caption"), str) and raw["caption"].strip() != "", file,
          f"{base}.caption", "expected a non-empty caption text")
    kind = raw.get("kind")
    _need(kind in KINDS, file, f"{base}.kind", f"expected one of {', '.join(KINDS)}, found {kind!r}")
    series_raw = raw.get("series")
    _need(isinstance(series_raw, list) and len(series_raw) > 0, file, f"{base}.series",
          "expected a non-empty list of {indicator, type, axis}")
    series = []
    for i, s in enumerate(series_raw):
        sp = f"{base}.series[{i}]"
        _need(isinstance(s, dict) and isinstance(s.get("indicator"), str), file,
              f"{sp}.indicator", "expected an indicator code")
        code = s["indicator"]
        if known_indicators is not None:
            _need(code in known_indicators, file, f"{sp}.indicator",
                  f"unknown indicator {code!r}; expected a code from the catalog")
        stype = s.get("type", "bar")
        _need(stype in SERIES_TYPES, file, f"{sp}.type",
              f"expected one of {', '.join(SERIES_TYPES)}, found {stype!r}")
        axis = s.get("axis", 0)
        _need(axis in (0, 1), file, f"{sp}.axis", f"expected 0 or 1, found {axis!r}")
        average = s.get("average")
        average = "mean" if average is True else (None if average is False else average)
        _need(average is None or average in AVERAGES, file, f"{sp}.average",
              f"expected true, mean or region, found {average!r}")
        _need(average != "region" or kind == "cities", file, f"{sp}.average",
              "average: region draws the region's own value over its units' bars; "
              "expected kind: cities (or average: mean)")
        series.append(SeriesDef(code, stype, axis, s.get("stack"), s.get("name"), average))
    periods = raw.get("periods", "all")
    if periods == "all":
        periods = []  # every period the store holds, in order
    elif isinstance(periods, (str, int)):
        periods = [periods]
    _need(isinstance(periods, list), file, f"{base}.periods",
          "expected a list of periods, e.g. [2016, 2017], [2021] or all")
    sort = raw.get("sort", "code")
    _need(sort in ("code", "desc"), file, f"{base}.sort", f"expected code or desc, found {sort!r}")
    if kind == "choropleth":
        _need(isinstance(raw.get("geo"), str), file, f"{base}.geo",
              "expected a GeoJSON path relative to the spec file")
    known = {"caption", "kind", "series", "region", "periods", "sort", "geo", "source", "note",
             "label", "basemap", "optional"}
    unknown = sorted(set(raw) - known)
    _need(not unknown, file, f"{base}.{unknown[0] if unknown else ''}",
          f"unknown key; expected one of {', '.join(sorted(known))}")
    _need(isinstance(raw.get("optional", False), bool), file, f"{base}.optional",
          f"expected true or false, found {raw.get('optional')!r}")
    caption = raw["caption"].strip()
    basemap = None
    if kind == "choropleth":
        raw_map = raw.get("basemap", default_basemap)
        where = f"{base}.basemap" if "basemap" in raw else "report.basemap"
        basemap = parse_basemap(raw_map, file, where) if raw_map is not None else Basemap("")
        if not basemap.review_no:
            log.warning("%s: %s.basemap: 地图底图%s没有审图号，按示意图处理（图题标注“%s”）；"
                        "应为 {source: 底图来源, review_no: GS(…)…号}", file, base,
                        f"（{basemap.source}）" if basemap.source else "未注明来源且",
                        SKETCH)
            if SKETCH not in caption:
                caption += f"（{SKETCH}）"
    elif "basemap" in raw:
        raise SpecError(file, f"{base}.basemap", "only a map (kind: choropleth) has a basemap")
    return FigureDef(
        id=fid, caption=caption, kind=kind, series=tuple(series),
        region=str(raw.get("region", default_region)).strip(), periods=tuple(str(p) for p in periods),
        sort=sort, geo=raw.get("geo"), source=raw.get("source"), note=raw.get("note"),
        label=raw.get("label", "图"), basemap=basemap, optional=raw.get("optional", False),
    )
