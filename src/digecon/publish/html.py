"""The HTML renderings: an interactive offline site, and the print HTML that WeasyPrint paginates."""
from __future__ import annotations

import json
import re
import shutil
from importlib import metadata
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from digecon.figures import echarts_js_path
from digecon.figures.options import load_geojson, map_name
from digecon.publish.document import FigureOut, Report, TableOut, TextOut, heading_text

TEMPLATES = Path(__file__).parent / "templates"
_md = MarkdownIt("commonmark")
# CommonMark's flanking rules leave "**概况。**2021年" unbolded (punctuation before the closing
# delimiter, a CJK letter after it), which is how Chinese lead-ins are written; bold them first.
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def markdown_html(text: str) -> str:
    return _md.render(_BOLD.sub(r"<strong>\1</strong>", text))


def _version() -> str:
    try:
        return metadata.version("digecon")
    except metadata.PackageNotFoundError:
        return "dev"


def _script_json(obj: dict) -> str:
    # "</" would close the <script> element early.
    return json.dumps(obj, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def _context(report: Report, mode: str, image_ext: str = "svg") -> dict:
    headings, parts = [], []
    for count, (sec, outs) in enumerate(report.parts, start=1):
        h = {"level": sec.level, "text": heading_text(sec), "anchor": f"sec-{count}"}
        if sec.level <= 2:
            headings.append(h)
        views = []
        for o in outs:
            if isinstance(o, TextOut):
                views.append({"kind": "text", "origin": o.origin,
                              "html": Markup(markdown_html(o.markdown))})
            elif isinstance(o, FigureOut):
                views.append({"kind": "figure", "id": o.fdef.id, "caption": o.caption,
                              "source": o.source, "notes": o.notes, "marked": o.marked,
                              "option_json": Markup(_script_json(o.option)),
                              "svg_href": f"figures/{o.fdef.id}.{image_ext}"})
            elif isinstance(o, TableOut):
                views.append({"kind": "table", "id": o.tdef.id, "caption": o.caption,
                              "source": o.source, "columns": list(o.frame.columns),
                              "rows": o.frame.values.tolist(), "highlight": o.highlight_rows,
                              "notes": o.notes, "marked": o.marked})
        parts.append((sec, views, h))
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return {
        "mode": mode, "title": report.title, "meta": report.spec.meta, "headings": headings,
        "parts": parts, "figures": report.figures, "tables": report.tables,
        "css": Markup(css), "version": _version(), "spec_name": report.spec.path.name,
        "as_of_line": report.as_of_line,
        "maps": sorted({map_name(str(f.geo)) for f in report.figures if f.geo}),
    }


def render_html(report: Report, mode: str, image_ext: str = "svg") -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             keep_trailing_newline=True)
    return env.get_template("report.html.j2").render(**_context(report, mode, image_ext))


def write_figure_files(report: Report, out: Path) -> None:
    """figures/<id>.svg and data/<id>.csv for every figure and table."""
    (out / "figures").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    for fig in report.figures:
        (out / "figures" / f"{fig.fdef.id}.svg").write_text(fig.svg, encoding="utf-8")
        fig.data.to_csv(out / "data" / f"{fig.fdef.id}.csv", index=False, encoding="utf-8-sig")
    for tab in report.tables:
        frame = tab.frame.copy()
        frame["数据来源"] = tab.source
        frame.to_csv(out / "data" / f"{tab.tdef.id}.csv", index=False, encoding="utf-8-sig")


def write_site(report: Report, out: Path) -> Path:
    """An offline site: index.html, local echarts, map scripts, each figure's CSV and SVG."""
    out.mkdir(parents=True, exist_ok=True)
    assets = out / "assets"
    (assets / "maps").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(echarts_js_path(), assets / "echarts.min.js")
    for fig in report.figures:
        if fig.geo:
            name = map_name(str(fig.geo))
            geo = json.dumps(load_geojson(str(fig.geo)), ensure_ascii=False)
            (assets / "maps" / f"{name}.js").write_text(
                f"echarts.registerMap({json.dumps(name)}, {geo});\n", encoding="utf-8")
    write_figure_files(report, out)
    index = out / "index.html"
    index.write_text(render_html(report, "site"), encoding="utf-8")
    return index
