"""Figures: one ECharts option per figure, built from the store; static SVG/PNG without a browser."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from digecon.figures.data import figure_frame, source_line, status_notes
from digecon.figures.defs import FigureDef, SpecError
from digecon.figures.options import load_geojson, map_name, option_for
from digecon.figures.ssr import echarts_js_path, register_map, render_png, render_svg

__all__ = [
    "FigureDef",
    "SpecError",
    "build_option",
    "echarts_js_path",
    "figure_data",
    "figure_notes",
    "figure_svg",
    "render_png",
    "render_svg",
    "resolve",
]


def resolve(figure_id: str, spec: Any) -> tuple[FigureDef, Path | None]:
    """The figure definition and, for maps, its GeoJSON path; unknown ids raise KeyError.

    `spec` is a loaded report spec (digecon.publish.spec.load_spec): anything with `figures`
    and `base_dir`. Figures sit below publish, so the caller loads it."""
    sp = spec
    if figure_id not in sp.figures:
        raise KeyError(f"未知图表 {figure_id!r}；可用：{', '.join(sp.figures)}")
    fdef = sp.figures[figure_id]
    return fdef, (sp.base_dir / fdef.geo) if fdef.geo else None


def figure_data(figure_id: str, store, spec: Any, as_of: str | None = None) -> pd.DataFrame:
    """The rows a figure shows, each with its status, source and vintage (as known at `as_of`)."""
    fdef, _ = resolve(figure_id, spec)
    return figure_frame(fdef, store, as_of)


def build_option(figure_id: str, store, spec: Any, as_of: str | None = None) -> dict:
    """The ECharts option of a figure (the same dict the HTML site and SVG renderer draw)."""
    fdef, geo = resolve(figure_id, spec)
    return option_for(fdef, figure_frame(fdef, store, as_of), str(geo) if geo else None)


def figure_notes(fdef: FigureDef, df: pd.DataFrame) -> tuple[str, list[str]]:
    """The 数据来源 line and the status notes shown under a figure."""
    return source_line(fdef, df), status_notes(fdef, df)


def figure_svg(option: dict, geo_path: str | Path | None = None, width: int = 800,
               height: int = 450) -> str:
    """Render an option to SVG, registering its map first when it has one."""
    if geo_path is not None:
        register_map(map_name(str(geo_path)), load_geojson(str(geo_path)))
    return render_svg(option, width, height)
