"""ECharts options built from a figure definition and its data (plain JSON, no JS functions)."""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import pandas as pd

from digecon.facts import MARKED_STATUSES, STATUS_MARK, STATUS_ZH, rounded_float
from digecon.figures.data import indicator_meta
from digecon.figures.defs import FigureDef
from digecon.figures.ssr import FONT_STACK

PALETTE = ["#1f5fa8", "#e8833a", "#3a9e6f", "#8d6cc0", "#c94f4f", "#4bb3c9"]
# Lighter tints of PALETTE for values that are not published; a tint, not opacity, so that the
# value labels stay fully legible.
PALETTE_LIGHT = ["#8fb0d6", "#f2c19b", "#9dcfb7", "#c6b6e0", "#e4a7a7", "#a5d9e4"]
WATERMARK = "示意数据 · 非统计数据"


def _short(name: str) -> str:
    # Axis labels read better as 南昌 than 南昌市; the map keeps the full names.
    return name[:-1] if name.endswith("市") and len(name) > 2 else name


def _mark(statuses: set[str]) -> str:
    """The compact status mark of a category label: the weakest status of its values."""
    for status in ("synthetic", "illustrative", "estimated", "derived"):
        if status in statuses:
            return f"（{STATUS_MARK[status]}）"
    return ""


def _base(df: pd.DataFrame) -> dict:
    option: dict = {
        "animation": False,
        "color": PALETTE,
        "backgroundColor": "#ffffff",
        "textStyle": {"fontFamily": FONT_STACK, "fontSize": 13},
        "tooltip": {"trigger": "axis"},
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
    if fdef.kind == "time":
        keys = list(fdef.periods) or sorted(df["period"].unique())
        key_col = "period"
        labels = {p: p + _mark(set(df.loc[df.period == p, "status"])) for p in keys}
        cats = [labels[p] for p in keys]
    else:
        key_col = "region_code"
        first = df[df.indicator == fdef.series[0].indicator]
        if fdef.sort == "desc":
            first = first.sort_values("value", ascending=False, kind="stable")
        else:
            first = first.sort_values("region_code", kind="stable")
        keys = first["region_code"].tolist()
        names = dict(zip(df["region_code"], df["region_name"]))
        cats = [_short(names[k]) for k in keys]
    units: list[str] = ["", ""]
    series = []
    has_line = any(s.type == "line" for s in fdef.series)
    # Dimming only means something next to published values; an all-illustrative figure is
    # marked by its legend and watermark instead.
    mixed = bool((df["status"] == "published").any() or (df["status"] == "derived").any())
    for idx, s in enumerate(fdef.series):
        sub = df[df.indicator == s.indicator].set_index(key_col)
        unit_hint = str(sub["unit"].iloc[0]) if len(sub) else ""
        meta = indicator_meta(s.indicator, unit_hint)
        units[s.axis] = units[s.axis] or meta.unit
        name = (s.name or meta.name) + (f"（{meta.unit}）" if meta.unit else "")
        statuses = set(sub["status"]) if len(sub) else set()
        if fdef.kind == "cities" and statuses and statuses <= set(MARKED_STATUSES):
            name += "【示意】"
        data = []
        for k in keys:
            if k not in sub.index:
                data.append(None)
                continue
            row = sub.loc[k]
            item: dict = {"value": rounded_float(row["value"], meta.decimals)}
            if "text" in row:  # the fact's own text: 35.0 stays 35.0 (one precision a series)
                item["label"] = {"formatter": str(row["text"])}
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
        if s.type == "line":
            label.update({"color": "#b25a12", "textBorderColor": "#ffffff", "textBorderWidth": 2,
                          "position": "top", "distance": 8})
        entry: dict = {"name": name, "type": s.type, "yAxisIndex": s.axis, "data": data,
                       "label": label}
        if s.type == "bar":
            entry["barMaxWidth"] = 36
        else:
            entry.update({"symbol": "circle", "symbolSize": 7, "smooth": False})
        if s.stack:
            entry["stack"] = s.stack
        series.append(entry)
    y_axes = [{"type": "value", "name": units[0], "nameTextStyle": {"fontFamily": FONT_STACK},
               "splitLine": {"lineStyle": {"color": "#e6e6e6"}}}]
    if any(s.axis == 1 for s in fdef.series):
        y_axes.append({"type": "value", "name": units[1], "splitLine": {"show": False},
                       "nameTextStyle": {"fontFamily": FONT_STACK}})
        _separate_bars_and_line(series, y_axes)
    option.update({
        "xAxis": {"type": "category", "data": cats,
                  "axisLabel": {"interval": 0, "fontFamily": FONT_STACK}},
        "yAxis": y_axes,
        "series": series,
    })
    return option


def _values(entries: list[dict]) -> list[float]:
    out = []
    for e in entries:
        for d in e["data"]:
            v = d["value"] if isinstance(d, dict) else d
            if v is not None:
                out.append(float(v))
    return out


def _nice(x: float) -> float:
    """The next round number (1, 2, 2.5, 5 × 10^k) at or above a positive x."""
    if x <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(x))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= x - 1e-12)


def _separate_bars_and_line(series: list[dict], y_axes: list[dict]) -> None:
    """Bars in the lower part, the line above them: their value labels never collide.

    The line's points carry their own value labels, so its axis scale is hidden and can be
    placed freely.
    """
    bars = _values([e for e in series if e["type"] == "bar" and e["yAxisIndex"] == 0])
    line = _values([e for e in series if e["type"] == "line" and e["yAxisIndex"] == 1])
    if not bars or not line or min(bars) < 0:
        return
    y_axes[0]["max"] = _nice(max(bars) * 1.6)
    top_of_bars = max(bars) / y_axes[0]["max"]
    lo, hi = min(line), max(line)
    # lo sits just above the tallest bar, hi near the top of the plot
    low_pos, high_pos = top_of_bars + 0.12, 0.9
    span = (hi - lo) / (high_pos - low_pos) if hi > lo else abs(hi) + 1.0
    axis_min = lo - low_pos * span
    y_axes[1].update({"min": round(axis_min, 6), "max": round(axis_min + span, 6),
                      "axisLabel": {"show": False}, "axisTick": {"show": False},
                      "axisLine": {"show": False}})


@lru_cache(maxsize=8)
def load_geojson(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def map_name(geo_path: str) -> str:
    return Path(geo_path).stem


def _choropleth_option(fdef: FigureDef, df: pd.DataFrame, geo_path: str) -> dict:
    geo = load_geojson(geo_path)
    by_code = {str(f["properties"]["adcode"]): f["properties"]["name"] for f in geo["features"]}
    s = fdef.series[0]
    sub = df[df.indicator == s.indicator]
    meta = indicator_meta(s.indicator, str(sub["unit"].iloc[0]))
    data = [{"name": by_code.get(r.region_code, r.region_name),
             "value": rounded_float(r.value, meta.decimals)}
            for r in sub.itertuples() if r.region_code in by_code]
    values = [d["value"] for d in data]
    statuses = set(sub["status"])
    title = meta.name + (f"（{meta.unit}）" if meta.unit else "")
    if statuses <= set(MARKED_STATUSES):
        title += "【示意】"
    option = _base(df)
    option.pop("grid")
    option["tooltip"] = {"trigger": "item"}
    option["legend"] = {"show": False}
    option["title"] = {"text": title, "left": "center", "top": 4,
                       "textStyle": {"fontSize": 14, "fontFamily": FONT_STACK}}
    option["visualMap"] = {
        "type": "continuous", "min": min(values), "max": max(values), "left": 16, "bottom": 24,
        "calculable": False, "text": ["高", "低"],
        "inRange": {"color": ["#e3eef9", "#8bb8e0", "#1f5fa8"]},
        "textStyle": {"fontFamily": FONT_STACK},
    }
    option["series"] = [{
        "type": "map", "map": map_name(geo_path), "name": title, "roam": False,
        "top": 36, "bottom": 16, "nameProperty": "name", "showLegendSymbol": False,
        # A white halo keeps the names legible on the darkest fills.
        "label": {"show": True, "fontSize": 11, "color": "#222222", "textBorderColor": "#ffffff",
                  "textBorderWidth": 2, "fontFamily": FONT_STACK},
        "itemStyle": {"borderColor": "#ffffff", "borderWidth": 1},
        "data": data,
    }]
    return option


def option_for(fdef: FigureDef, df: pd.DataFrame, geo_path: str | None = None) -> dict:
    """The ECharts option of one figure; `geo_path` is the resolved GeoJSON for maps."""
    if fdef.kind == "choropleth":
        if geo_path is None:
            raise ValueError(f"{fdef.id}: a choropleth needs its GeoJSON path")
        return _choropleth_option(fdef, df, geo_path)
    return _axes_option(fdef, df)


__all__ = ["STATUS_ZH", "load_geojson", "map_name", "option_for"]
