"""ECharts options built from a figure definition and its data (plain JSON, no JS functions)."""
from __future__ import annotations

import html
import itertools
import json
import logging
import math
from functools import lru_cache
from pathlib import Path

import pandas as pd

from digecon.catalog import UnknownNameError
from digecon.facts import (
    MARKED_STATUSES,
    STATUS_MARK,
    STATUS_ZH,
    fact_text,
    format_number,
    rounded_float,
    unit_word,
)
from digecon.figures.axes import bars_and_line, clean, index_baseline, values
from digecon.figures.data import indicator_meta
from digecon.figures.defs import FigureDef
from digecon.figures.geo import INSET_NAME, line_names, reaches_south_china_sea, with_inset
from digecon.figures.labels import (
    period_label,
    periods_axis_name,
    short_name,
    whole_word,
)
from digecon.figures.layout import responsive
from digecon.figures.ssr import FONT_STACK

log = logging.getLogger(__name__)

PALETTE = ["#1f5fa8", "#e8833a", "#3a9e6f", "#8d6cc0", "#c94f4f", "#4bb3c9"]
# Lighter tints of PALETTE for values that are not published; a tint, not opacity, so that the
# value labels stay fully legible.
PALETTE_LIGHT = ["#8fb0d6", "#f2c19b", "#9dcfb7", "#c6b6e0", "#e4a7a7", "#a5d9e4"]
# Darker shades of PALETTE for a line's value labels (legible on white, the series' own hue).
LABEL_DARK = ["#17477e", "#b25a12", "#2a7a55", "#6a4d99", "#9c3a3a", "#2f8a9c"]
WATERMARK = "示意数据 · 非统计数据"


def _mark(statuses: set[str]) -> str:
    """The compact status mark of a category label: the weakest status of its values."""
    for status in ("synthetic", "illustrative", "estimated", "derived"):
        if status in statuses:
            return f"（{STATUS_MARK[status]}）"
    return ""


def _tooltip(head: str, name: str, text: str, unit: str, status: str) -> dict:
    """A data item's own tooltip: the fact's text (35.0, not the 35 ECharts would print), its
    unit and status mark. A plain string, so that every renderer shows it without a script."""
    mark = STATUS_MARK.get(status, "")
    body = f"{name}：{text}{unit}" + (f"（{mark}）" if mark else "")
    return {"formatter": f"{html.escape(head)}<br/>{html.escape(body)}"}


def _base(df: pd.DataFrame) -> dict:
    option: dict = {
        "animation": False,
        "color": PALETTE,
        "backgroundColor": "#ffffff",
        "textStyle": {"fontFamily": FONT_STACK, "fontSize": 13},
        # item tooltips: each data item carries its own text (_tooltip); an axis tooltip would
        # print the raw numbers
        "tooltip": {"trigger": "item"},
        "legend": {"top": 4, "textStyle": {"fontFamily": FONT_STACK}},
        "grid": {"left": 70, "right": 70, "top": 56, "bottom": 40},
    }
    if df["status"].isin(MARKED_STATUSES).any():
        # The watermark stays in every static and interactive rendering of the figure.
        option["graphic"] = [{
            "type": "text", "right": 12, "bottom": 6, "silent": True,
            "style": {"text": WATERMARK, "fill": "#b0b0b0", "fontSize": 12,
                      "fontFamily": FONT_STACK},
        }]
    return option


def _axes_option(fdef: FigureDef, df: pd.DataFrame) -> dict:
    option = _base(df)
    own = pd.DataFrame(columns=df.columns)  # the region's own values (its average lines)
    if fdef.kind == "time":
        keys = list(fdef.periods) or sorted(df["period"].unique())
        key_col = "period"
        x_name = periods_axis_name(keys)
        # years stay bare under an axis named 年份 (2021); months and quarters are written out
        # (2021年9月), and then every label of the axis is
        word = (lambda p: str(p)) if x_name == "年份" else period_label
        heads = [period_label(p) for p in keys]  # a tooltip writes the period out
        cats = [word(p) + _mark(set(df.loc[df.period == p, "status"])) for p in keys]
    else:
        key_col = "region_code"
        own = df[df.region_code == fdef.region]
        df = df[df.region_code != fdef.region]
        first = df[df.indicator == fdef.series[0].indicator]
        if fdef.sort == "desc":
            first = first.sort_values("value", ascending=False, kind="stable")
        else:
            first = first.sort_values("region_code", kind="stable")
        keys = first["region_code"].tolist()
        names = dict(zip(df["region_code"], df["region_name"]))
        # Axis labels take the catalog's short names (南昌, 湘西州); the map keeps full names.
        cats = [short_name(k, names[k]) for k in keys]
        heads = [names[k] for k in keys]  # a tooltip names the unit in full
        x_name = _unit_word(fdef.region)
    units: list[str] = ["", ""]
    metas = []
    series = []
    has_line = any(s.type == "line" for s in fdef.series)
    # Dimming only means something next to published values; an all-illustrative figure is
    # marked by its legend and watermark instead.
    mixed = bool((df["status"] == "published").any() or (df["status"] == "derived").any())
    for idx, s in enumerate(fdef.series):
        sub = df[df.indicator == s.indicator].set_index(key_col)
        unit_hint = str(sub["unit"].iloc[0]) if len(sub) else ""
        meta = indicator_meta(s.indicator, unit_hint)
        metas.append((s, meta))
        units[s.axis] = units[s.axis] or meta.unit
        name = (s.name or meta.name) + (f"（{meta.unit}）" if meta.unit else "")
        statuses = set(sub["status"]) if len(sub) else set()
        if fdef.kind == "cities" and statuses and statuses <= set(MARKED_STATUSES):
            name += "【示意】"
        data = []
        for k, head in zip(keys, heads):
            if k not in sub.index:
                data.append(None)
                continue
            row = sub.loc[k]
            item: dict = {"value": rounded_float(row["value"], meta.decimals)}
            if "text" in row:  # the fact's own text: 35.0 stays 35.0 (one precision a series)
                item["label"] = {"formatter": str(row["text"])}
                item["tooltip"] = _tooltip(head, s.name or meta.name, str(row["text"]),
                                           meta.unit, str(row["status"]))
            if mixed and (row["status"] in MARKED_STATUSES or row["status"] == "estimated"):
                # Lighter fill and dashed edge: a non-published value must look different.
                item["itemStyle"] = {"color": PALETTE_LIGHT[idx % len(PALETTE_LIGHT)],
                                     "borderType": "dashed", "borderColor": "#555555",
                                     "borderWidth": 1}
            data.append(item)
        # With a line drawn over the bars, bar values go inside the bars and line values get a
        # white halo, so neither label hides the other.
        inside = bool(s.stack) or (s.type == "bar" and has_line and fdef.kind == "time")
        label: dict = {"show": True, "position": "inside" if inside else "top", "fontSize": 11,
                       "fontFamily": FONT_STACK}
        if inside:
            label["color"] = "#ffffff"
        elif s.average:  # a white halo keeps a value legible where the average line crosses it
            label.update({"textBorderColor": "#ffffff", "textBorderWidth": 2})
        if s.type == "line":
            label.update({"color": LABEL_DARK[idx % len(LABEL_DARK)], "textBorderColor": "#ffffff", "textBorderWidth": 2,
                          "position": "top", "distance": 8})
        entry: dict = {"name": name, "type": s.type, "yAxisIndex": s.axis, "data": data,
                       "label": label}
        if s.type == "bar":
            # wide enough for a label inside the bar (10378.0) when a line is drawn over it
            entry["barMaxWidth"] = 56 if inside and fdef.kind == "time" else 36
        else:
            entry.update({"symbol": "circle", "symbolSize": 7, "smooth": False})
        if s.stack:
            entry["stack"] = s.stack
        if s.average:
            line = _average_line(fdef, s, meta, data, own)
            if line:
                entry["markLine"] = line
        series.append(entry)
    y_axes = [_value_axis(_axis_name(0, units, metas), True)]
    if any(s.axis == 1 for s in fdef.series):
        y_axes.append(_value_axis(_axis_name(1, units, metas), False))
        bars_and_line(series, y_axes)
    for i, axis in enumerate(y_axes):
        on_axis = [e for e in series if e["yAxisIndex"] == i]
        # a bar's length is its value: bars always stand on 0, only lines may start higher
        if "min" not in axis and all(e["type"] == "line" for e in on_axis):
            index_baseline(axis, [m for s, m in metas if s.axis == i], values(on_axis))
    option.update({
        "xAxis": {"type": "category", "data": cats, "name": x_name, "nameLocation": "middle",
                  "nameTextStyle": {"fontFamily": FONT_STACK},
                  "axisTick": {"show": True, "alignWithLabel": True},
                  "axisLine": {"show": True, "lineStyle": {"color": AXIS_COLOR}},
                  "axisLabel": {"interval": 0, "fontFamily": FONT_STACK}},
        "yAxis": y_axes,
        "series": series,
    })
    return responsive(option, cats)
    return option


AXIS_COLOR = "#666666"


def _unit_word(region: str) -> str:
    try:
        return unit_word(region)
    except (ValueError, UnknownNameError):  # a region the catalog cannot name units of
        return "地区"


def _axis_name(axis: int, units: list[str], metas: list) -> str:
    """The value axis is named by its unit (亿元, %); an axis without a unit by its indicator."""
    if units[axis]:
        return units[axis]
    on_axis = [m.name for s, m in metas if s.axis == axis]
    return on_axis[0] if len(on_axis) == 1 else ""


def _value_axis(name: str, grid_lines: bool) -> dict:
    return {"type": "value", "name": name, "nameTextStyle": {"fontFamily": FONT_STACK},
            "axisLine": {"show": True, "lineStyle": {"color": AXIS_COLOR}},
            "axisTick": {"show": True},
            "axisLabel": {"fontFamily": FONT_STACK},
            "splitLine": {"lineStyle": {"color": "#e6e6e6"}} if grid_lines else {"show": False}}


def _average_line(fdef: FigureDef, s, meta, data: list, own: pd.DataFrame) -> dict | None:
    """The dashed average line of a series: the mean of the values drawn, or the region's own
    value (全省平均); its label printed as the series' facts are (digecon.facts.fact_text)."""
    if s.average == "region":
        row = own[own.indicator == s.indicator]
        if row.empty:
            log.warning("%s: %s 没有%s本级数值，不画平均线", fdef.id, s.indicator, fdef.region)
            return None
        value, text = float(row["value"].iloc[0]), str(row["text"].iloc[0])
        label = f"{whole_word(fdef.region)}平均 {text}"
    else:
        shown = values([{"data": data}])
        if not shown:
            return None
        value = sum(shown) / len(shown)
        text = fact_text(value, meta.decimals, meta.kind)
        label = f"平均值 {text}"
    return {"symbol": ["none", "none"], "silent": True,
            "lineStyle": {"type": "dashed", "color": "#c94f4f", "width": 1.5},
            "label": {"formatter": label, "position": "insideEndTop", "color": "#c94f4f",
                      "fontFamily": FONT_STACK, "fontSize": 11},
            "data": [{"yAxis": rounded_float(value, meta.decimals), "name": label}]}


@lru_cache(maxsize=8)
def load_geojson(path: str) -> dict:
    """The map as drawn (what every renderer registers): a map reaching the South China Sea
    carries its 南海诸岛 inset (digecon.figures.geo)."""
    geo = json.loads(Path(path).read_text(encoding="utf-8"))
    return with_inset(geo) if reaches_south_china_sea(geo) else geo


def map_name(geo_path: str) -> str:
    return Path(geo_path).stem


def _choropleth_option(fdef: FigureDef, df: pd.DataFrame, geo_path: str) -> dict:
    geo = load_geojson(geo_path)
    by_code = {str(f["properties"]["adcode"]): f["properties"]["name"] for f in geo["features"]
               if (f.get("properties") or {}).get("adcode")}
    s = fdef.series[0]
    sub = df[df.indicator == s.indicator]
    meta = indicator_meta(s.indicator, str(sub["unit"].iloc[0]))
    # Each unit prints its name and the fact's own text (a printed map is read without a
    # tooltip); the legend gives the classes with their unit.
    data = [{"name": by_code.get(r.region_code, r.region_name),
             "value": rounded_float(r.value, meta.decimals),
             "label": {"formatter": f"{{b}}\n{r.text}"},
             "tooltip": _tooltip(by_code.get(r.region_code, r.region_name), meta.name,
                                 str(r.text), meta.unit, str(r.status))}
            for r in sub.itertuples() if r.region_code in by_code]
    values = [d["value"] for d in data]
    names = {str((f.get("properties") or {}).get("name", "")) for f in geo["features"]}
    if INSET_NAME in names:  # the inset's sea coasts and islands: neutral, one small label
        data.append({"name": INSET_NAME, "value": None, "silent": True,
                     "itemStyle": {"areaColor": "#d9d9d9", "borderColor": "#8c8c8c",
                                   "borderWidth": 0.5},
                     "label": {"show": True, "fontSize": 10, "color": "#333333"}})
    for name in dict.fromkeys(line_names(geo)):  # frames and boundary lines: dark, unlabelled
        data.append({"name": name, "value": None, "silent": True,
                     "itemStyle": {"borderColor": "#555555", "borderWidth": 1},
                     "label": {"show": False}})
    statuses = set(sub["status"])
    title = meta.name + (f"（{meta.unit}）" if meta.unit else "")
    if statuses <= set(MARKED_STATUSES):
        title += "【示意】"
    option = _base(df)
    option.pop("grid")
    option["tooltip"] = {"trigger": "item"}
    option["legend"] = {"show": False}
    option["title"] = {"text": title, "left": "center", "top": 4,
                       # not bold: the PDF draws the map as vector and embeds no bold face
                       "textStyle": {"fontSize": 14, "fontFamily": FONT_STACK,
                                     "fontWeight": "normal"}}
    breaks = class_breaks(values)
    option["visualMap"] = {
        "type": "piecewise", "left": 16, "bottom": 24, "orient": "vertical",
        "pieces": class_pieces(breaks, 0 if _whole(breaks) else meta.decimals, meta.unit,
                               min(values)),
        "itemWidth": 18, "itemHeight": 12, "itemGap": 4,
        "textStyle": {"fontFamily": FONT_STACK, "fontSize": 11, "color": "#222222"},
    }
    option["series"] = [{
        "type": "map", "map": map_name(geo_path), "name": title, "roam": False,
        # clear of the watermark at the bottom right (the inset sits in that corner)
        "top": 36, "bottom": 30 if "graphic" in option else 16, "nameProperty": "name",
        "showLegendSymbol": False,
        # A white halo keeps the names legible on the darkest fills.
        "label": {"show": True, "fontSize": 11, "color": "#222222", "textBorderColor": "#ffffff",
                  "textBorderWidth": 2, "fontFamily": FONT_STACK},
        "itemStyle": {"borderColor": "#ffffff", "borderWidth": 1},
        "data": data,
    }]
    return option


MAP_CLASSES = ["#e3eef9", "#a9cbea", "#5f97cf", "#1f5fa8", "#143f73"]  # light → dark
_ROUND = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def _round_break(x: float) -> float:
    """The round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) nearest to a positive x."""
    if x <= 0:
        return 0.0
    mag = 10 ** math.floor(math.log10(x))
    return clean(min((m * mag for m in _ROUND), key=lambda v: abs(v - x)))


def class_breaks(values: list[float], classes: int = 4) -> list[float]:
    """Round class limits between the lowest and the highest value, at the quantiles of the
    values (each class holds some unit): at most `classes` classes, at least two when the
    values differ. A limit is the lower bound of the class above it."""
    vals = sorted(v for v in values if v is not None)
    if len(vals) < 2 or vals[0] == vals[-1]:
        return []
    out: list[float] = []
    for k in range(1, classes):
        b = _round_break(float(pd.Series(vals).quantile(k / classes)))
        if vals[0] < b <= vals[-1] and b not in out and (not out or b > out[-1]):
            out.append(b)
    if not out:  # every quantile rounded outside the range: split at the mean
        out = [clean((vals[0] + vals[-1]) / 2)]
    return out


def _whole(breaks: list[float]) -> bool:
    return all(float(b).is_integer() for b in breaks)


def class_pieces(breaks: list[float], decimals: int, unit: str, lowest: float) -> list[dict]:
    """The legend's classes, highest first, each with its own colour: 2500亿元及以上,
    1000–2500亿元, 1000亿元以下 (a single class when every unit has the same value)."""
    def txt(v: float) -> str:
        return format_number(v, decimals)

    if not breaks:
        return [{"gte": lowest, "label": f"{txt(lowest)}{unit}", "color": MAP_CLASSES[2]}]
    bounds = [None, *breaks, None]
    colours = MAP_CLASSES if len(breaks) >= 3 else MAP_CLASSES[::2]
    pieces = []
    for k, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        if lo is None:
            piece = {"lt": hi, "label": f"{txt(hi)}{unit}以下"}
        elif hi is None:
            piece = {"gte": lo, "label": f"{txt(lo)}{unit}及以上"}
        else:
            piece = {"gte": lo, "lt": hi, "label": f"{txt(lo)}–{txt(hi)}{unit}"}
        pieces.append({**piece, "color": colours[k]})
    return pieces[::-1]


def option_for(fdef: FigureDef, df: pd.DataFrame, geo_path: str | None = None) -> dict:
    """The ECharts option of one figure; `geo_path` is the resolved GeoJSON for maps."""
    if fdef.kind == "choropleth":
        if geo_path is None:
            raise ValueError(f"{fdef.id}: a choropleth needs its GeoJSON path")
        return _choropleth_option(fdef, df, geo_path)
    return _axes_option(fdef, df)


__all__ = ["STATUS_ZH", "load_geojson", "map_name", "option_for"]
