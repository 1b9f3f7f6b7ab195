"""Figure definitions read from a report spec: what each figure shows, never how it is drawn."""
from __future__ import annotations

import difflib
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
    """A report or figure spec that cannot be used: FILE: KEY.PATH: 发现FOUND，应为EXPECTED.

    `path` is the key path as written in the YAML (figures.fig_x.series[0].indicator); the
    whole-file failures use the pseudo paths in WHOLE_FILE, left out of the message. `found` and
    `expected` are kept apart so another front end can word them its own way
    (digecon.api.scope); a caller may still pass a finished `message` instead.
    """

    WHOLE_FILE = ("(file)", "(yaml)", "(top)")

    def __init__(self, file: str, path: str, message: str = "", found: str | None = None,
                 expected: str | None = None):
        self.file, self.path, self.found, self.expected = str(file), path, found, expected
        if not message:
            message = f"{_word('发现', found)}，{_word('应为', expected)}"
        head = self.file if path in self.WHOLE_FILE else f"{self.file}: {path}"
        super().__init__(f"{head}: {message}")


def _word(word: str, text: object) -> str:
    """发现 / 应为 before a text; a space before Latin letters, digits or YAML (应为 true 或 false)."""
    text = str(text)
    return f"{word} {text}" if text[:1].isascii() and text[:1].strip() else f"{word}{text}"


MISSING = "该字段缺失"


def shown(value: Any) -> str:
    """What a spec holds, as a statistician wrote it, for 发现…: 「text」, 「[2016, 2017]」, 空值."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"「{'true' if value else 'false'}」"
    if isinstance(value, (dict, list)):
        flow = _flow(value)
        text = flow if len(flow) <= 80 else flow[:79] + "…"
        return f"「{text}」"
    return f"「{value}」"


def _flow(value: Any) -> str:
    """A mapping or list in YAML's one-line form ({a: 1, b: [x, y]}), keys and texts unquoted."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def found_at(raw: Any, key: str) -> str:
    """发现… for `raw[key]`: 该字段缺失 when the key is not there, else the value shown."""
    if not isinstance(raw, dict) or key not in raw:
        return MISSING
    return shown(raw[key])


def one_of(words: Any) -> str:
    """「a、b 或 c」: the allowed values named in a Chinese sentence."""
    words = [str(w) for w in words]
    if len(words) == 1:
        return words[0]
    head = "、".join(words[:-1])
    left = " " if head[-1:].isascii() else ""
    right = " " if words[-1][:1].isascii() else ""
    return f"{head}{left}或{right}{words[-1]}"


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


def _need(cond: bool, file: str, path: str, found: str, expected: str) -> None:
    if not cond:
        raise SpecError(file, path, found=found, expected=expected)


BASEMAP_EXPECTED = "{source: 底图来源, review_no: 审图号}，如 {source: 自然资源部标准地图服务, " \
                   "review_no: GS(2024)0650号}"


def parse_basemap(raw: Any, file: str, path: str) -> Basemap:
    """`basemap: {source: 自然资源部标准地图服务, review_no: GS(2024)0650号}`; review_no may be
    left out (the map is then a sketch, 示意)."""
    _need(isinstance(raw, dict), file, path, shown(raw), BASEMAP_EXPECTED)
    _need(isinstance(raw.get("source"), str) and raw["source"].strip() != "", file,
          f"{path}.source", found_at(raw, "source"), "底图来源文字，如 自然资源部标准地图服务")
    review = raw.get("review_no") or ""
    _need(isinstance(review, str), file, f"{path}.review_no", shown(review),
          "审图号文字，如 GS(2024)0650号（没有审图号时不写 review_no，地图按示意图处理）")
    unknown = sorted(set(raw) - {"source", "review_no"})
    _need(not unknown, file, f"{path}.{unknown[0] if unknown else ''}",
          f"未知的键「{unknown[0] if unknown else ''}」", "source 或 review_no")
    return Basemap(raw["source"].strip(), review.strip())


FIGURE_KEYS = ("caption", "kind", "series", "region", "periods", "sort", "geo", "source", "note",
               "label", "basemap", "optional")
KIND_WORDS = {"time": "time（历年变化）", "cities": "cities（各下级地区对比）",
              "choropleth": "choropleth（分级设色地图）"}


def _close(value: str, known: Any) -> str:
    """「；最接近：a、b」 for a mistyped name, or nothing."""
    near = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
    return f"；最接近：{'、'.join(near)}" if near else ""


def parse_figure(fid: str, raw: Any, file: str, known_indicators: set[str] | None,
                 default_region: str, default_basemap: Any = None) -> FigureDef:
    """Validate one `figures.<id>` entry; every error names the key path, what was found and
    what was expected.

    A figure without its own `region` is about the report's region (`report.region`); a map
    without its own `basemap` takes `default_basemap` (the report's, when the spec sets one).
    A map whose basemap has no 审图号 is a sketch: its caption says 示意 and a warning is logged.
    """
    base = f"figures.{fid}"
    _need(isinstance(raw, dict), file, base, shown(raw),
          "图的定义：含 caption、kind、series 的映射")
    _need(isinstance(raw.get("caption"), str) and raw["caption"].strip() != "", file,
          f"{base}.caption", found_at(raw, "caption"), "非空的图题文字")
    kind = raw.get("kind")
    _need(kind in KINDS, file, f"{base}.kind", found_at(raw, "kind"),
          one_of(KIND_WORDS[k] for k in KINDS))
    series_raw = raw.get("series")
    _need(isinstance(series_raw, list) and len(series_raw) > 0, file, f"{base}.series",
          found_at(raw, "series"), "非空的系列列表，如 [{indicator: 指标代码, type: bar}]")
    series = []
    for i, s in enumerate(series_raw):
        sp = f"{base}.series[{i}]"
        _need(isinstance(s, dict) and isinstance(s.get("indicator"), str), file,
              f"{sp}.indicator", found_at(s, "indicator") if isinstance(s, dict) else shown(s),
              "指标代码（目录中的 code）")
        code = s["indicator"]
        if known_indicators is not None:
            _need(code in known_indicators, file, f"{sp}.indicator",
                  f"「{code}」，目录中没有这个指标",
                  "目录中的指标代码（catalog 的 code 列）" + _close(code, known_indicators))
        stype = s.get("type", "bar")
        _need(stype in SERIES_TYPES, file, f"{sp}.type", shown(stype), "bar（柱）或 line（折线）")
        axis = s.get("axis", 0)
        _need(axis in (0, 1) and not isinstance(axis, bool), file, f"{sp}.axis", shown(axis),
              "0（左轴）或 1（右轴）")
        average = s.get("average")
        average = "mean" if average is True else (None if average is False else average)
        _need(average is None or average in AVERAGES, file, f"{sp}.average",
              found_at(s, "average"),
              "true 或 mean（所画数值的平均）、region（本地区自身的数值）、false（不画平均线）")
        _need(average != "region" or kind == "cities", file, f"{sp}.average",
              f"「region」用在 kind: {kind} 的图上",
              "kind: cities 的图（在各下级地区的柱上画本地区自身的数值），否则用 average: mean")
        series.append(SeriesDef(code, stype, axis, s.get("stack"), s.get("name"), average))
    periods = raw.get("periods", "all")
    if periods == "all":
        periods = []  # every period the store holds, in order
    elif isinstance(periods, (str, int)):
        periods = [periods]
    _need(isinstance(periods, list), file, f"{base}.periods", found_at(raw, "periods"),
          "期别列表，如 [2016, 2017]、[2021]，或 all（数据库中的全部期别）")
    sort = raw.get("sort", "code")
    _need(sort in ("code", "desc"), file, f"{base}.sort", shown(sort),
          "code（按地区代码）或 desc（按数值从大到小）")
    if kind == "choropleth":
        _need(isinstance(raw.get("geo"), str), file, f"{base}.geo", found_at(raw, "geo"),
              "地图的 GeoJSON 文件路径（相对于报告规格所在的文件夹）")
    unknown = sorted(set(raw) - set(FIGURE_KEYS))
    _need(not unknown, file, f"{base}.{unknown[0] if unknown else ''}",
          f"未知的键「{unknown[0] if unknown else ''}」",
          "以下键之一：" + "、".join(sorted(FIGURE_KEYS)))
    _need(isinstance(raw.get("optional", False), bool), file, f"{base}.optional",
          found_at(raw, "optional"), "true 或 false")
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
        raise SpecError(file, f"{base}.basemap", found=f"basemap 写在 kind: {kind} 的图上",
                        expected="只有地图（kind: choropleth）才写 basemap：删去此键，"
                                 "或把 kind 改为 choropleth")
    return FigureDef(
        id=fid, caption=caption, kind=kind, series=tuple(series),
        region=str(raw.get("region", default_region)).strip(), periods=tuple(str(p) for p in periods),
        sort=sort, geo=raw.get("geo"), source=raw.get("source"), note=raw.get("note"),
        label=raw.get("label", "图"), basemap=basemap, optional=raw.get("optional", False),
    )
