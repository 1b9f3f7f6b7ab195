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

from digecon.facts import STATUS_ZH, unit_word
from digecon.figures import echarts_js_path
from digecon.figures.labels import period_label
from digecon.figures.options import load_geojson, map_name
from digecon.publish.document import (
    FigureOut,
    Report,
    TableOut,
    TextOut,
    continued_caption,
    heading_text,
)
from digecon.publish.flow import Item, paragraphs, pdf_geometry, plan
from digecon.publish.spec import FontRole, Layout

TEMPLATES = Path(__file__).parent / "templates"
_md = MarkdownIt("commonmark")
# CommonMark's flanking rules leave "**概况。**2021年" unbolded (punctuation before the closing
# delimiter, a CJK letter after it), which is how Chinese lead-ins are written; bold them first.
_BOLD = re.compile(r"\*\*(.+?)\*\*")


MARK = "※"  # the narrative's mark on a number resting on illustrative values
WORD_JOINER = "\u2060"  # keeps ※ on the line of the number it marks


def markdown_html(text: str) -> str:
    html = _md.render(_BOLD.sub(r"<strong>\1</strong>", text))
    return html.replace(MARK, WORD_JOINER + MARK)


TITLE_PT = 26  # 一号, the cover title


def title_lines(title: str, layout: Layout, size_pt: float = TITLE_PT) -> list[str]:
    """The cover title in lines: the edition （2022年） on a line of its own when the whole
    title would not fit the text width (a bracket alone on the next line is what happens
    otherwise)."""
    m = layout.page.margins_mm
    width_pt = (210 - m["left"] - m["right"]) / 25.4 * 72
    head, bracket, tail = title.rpartition("（")
    # 8 % kept free: a title of 442 pt on a 442.2 pt line was said to fit, and both renderers
    # then broke it inside its bracket (kerning and the bracket's own width).
    if len(title) * size_pt <= 0.92 * width_pt or not bracket or not head:
        return [title]
    return [head, bracket + tail]


def _family_stack(role: FontRole, generic: str) -> str:
    names = [role.family, *role.fallback]
    return ", ".join(json.dumps(n, ensure_ascii=False) for n in dict.fromkeys(names)) + f", {generic}"


def layout_css(layout: Layout) -> str:
    """The spec's fonts and page as CSS: families (and @font-face for font files), sizes, the
    GB/T 9704 margins and the running header; print-only rules apply in WeasyPrint."""
    f, page = layout.fonts, layout.page
    body, pitch = page.body_pt, page.line_pitch_pt
    faces = "".join(f"@font-face {{ font-family: {json.dumps(r.family, ensure_ascii=False)}; "
                    f"src: url({json.dumps(r.file.resolve().as_uri())}); }}\n"
                    for r in f.values() if r.file)
    m = page.margins_mm
    stacks = {role: _family_stack(f[role], "sans-serif" if role == "heading" else "serif")
              for role in f}
    return (
        faces
        + f"body {{ font-family: {stacks['body']}; }}\n"
        f"h1, .front-title, figcaption, th, .cover-units, .toc-title {{ font-family: "
        f"{stacks['heading']}; }}\n"
        f"h2 {{ font-family: {stacks['subheading']}; }}\n"
        # emphasis in 黑体 rather than a bold 仿宋, as official documents set lead-ins (and one
        # font file fewer to subset)
        f"strong, b, h3, tr.hl td {{ font-family: {stacks['heading']}; font-weight: normal; }}\n"
        f".cover-title {{ font-family: {stacks['title']}; }}\n"
        f"body.pdf {{ font-size: {body:g}pt; line-height: {f'{pitch:g}pt' if pitch else 1.8}; }}\n"
        f"body.pdf h1 {{ font-size: {max(16.0, body):g}pt; }}\n"
        f"body.pdf h2 {{ font-size: {max(14.0, body):g}pt; }}\n"
        f"body.pdf h3 {{ font-size: {body:g}pt; }}\n"
        f"@page {{ margin: {m['top']:g}mm {m['right']:g}mm {m['bottom']:g}mm {m['left']:g}mm; }}\n"
        f"@page {{ @top-center {{ font-family: {stacks['body']}; }} "
        f"@bottom-center {{ font-family: {stacks['latin']}; }} }}\n")


def _version() -> str:
    try:
        return metadata.version("digecon")
    except metadata.PackageNotFoundError:
        return "dev"


def _script_json(obj: dict) -> str:
    # "</" would close the <script> element early.
    return json.dumps(obj, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def _with_unit(rec: dict) -> str:
    unit = str(rec["unit"] or "")
    return str(rec["text"]) + ("" if unit in ("", "梯队") else unit)


def _status_note(recs: list[dict]) -> str:
    labels = [STATUS_ZH.get(r["status"], r["status"]) for r in recs if r["status"] != "published"]
    return f"（{'、'.join(dict.fromkeys(labels))}）" if labels else ""


def figure_summary(fig: FigureOut) -> str:
    """One line of what a figure shows, from its facts' printed texts: a time series from its
    first to its last period, a comparison of units by its highest and lowest."""
    df, fdef = fig.data, fig.fdef
    parts = []
    for s in fdef.series:
        recs = df[df["indicator"] == s.indicator].to_dict("records")
        if not recs:
            continue
        name = s.name or str(recs[0]["indicator_name"])
        if fdef.kind == "time":
            order = {p: i for i, p in enumerate(fdef.periods or sorted(df["period"].unique()))}
            recs.sort(key=lambda r: order.get(r["period"], len(order)))
            ends = [recs[0], recs[-1]] if len(recs) > 1 else recs
            parts.append(name + "，".join(f"{period_label(r['period'])}{_with_unit(r)}"
                                          + _status_note([r]) for r in ends))
        else:
            recs.sort(key=lambda r: -float(r["value"]))
            hi, lo = recs[0], recs[-1]
            word = unit_word(fdef.region)
            parts.append(f"{name}：{len(recs)}个{word}中{hi['region_name']}最高，"
                         f"{_with_unit(hi)}；{lo['region_name']}最低，{_with_unit(lo)}"
                         + _status_note(recs))
    return "；".join(parts) + "。" if parts else ""


def figure_alt(fig: FigureOut) -> str:
    """The alt text of a chart: its caption and one line of its data."""
    summary = figure_summary(fig)
    return f"{fig.caption}：{summary}" if summary else fig.caption


def table_alt(tab: TableOut) -> str:
    cols = list(tab.frame.columns)
    return f"{tab.caption}：{len(tab.frame)}行，列为{'、'.join(map(str, cols))}。"


def _table_views(tab: TableOut, split: int) -> list[dict]:
    """A table as printed: whole, or (split by the page plan) its first `split` rows under its
    caption and the rest under 续表N on the next page, the heading row over both and the
    source under the last."""
    rows = tab.frame.values.tolist()
    view = {"kind": "table", "id": tab.tdef.id, "caption": tab.caption, "source": tab.source,
            "columns": list(tab.frame.columns), "rows": rows, "highlight": tab.highlight_rows,
            "notes": tab.notes, "marked": tab.marked, "alt": table_alt(tab), "continued": False}
    if not split:
        return [view]
    first = {**view, "rows": rows[:split], "source": "", "notes": [],
             "highlight": [i for i in tab.highlight_rows if i < split]}
    rest = {**view, "id": f"{tab.tdef.id}{CONTINUED}", "caption": continued_caption(tab),
            "rows": rows[split:], "highlight": [i - split for i in tab.highlight_rows
                                                 if i >= split], "continued": True}
    return [first, rest]


CONTINUED = "-continued"  # the id of a table's part under 续表


def _context(report: Report, mode: str, images: dict[str, str] | None = None) -> dict:
    """`images`: figure id → the static file the print HTML shows (default figures/<id>.svg)."""
    images = images or {}
    headings, parts = [], []
    flows = plan(report, pdf_geometry(report.spec.layout)) if mode == "pdf" else None
    for count, (sec, outs) in enumerate(report.parts, start=1):
        h = {"level": sec.level, "text": heading_text(sec), "anchor": f"sec-{count}"}
        if sec.level <= 2:
            headings.append(h)
        views = []
        # printed order: the PDF's from the page plan (digecon.publish.flow), the site's as
        # written
        items = flows[count - 1] if flows else [Item("as written", k, -1)
                                                for k in range(len(outs))]
        for item in items:
            o = outs[item.out]
            if isinstance(o, TextOut):
                md = o.markdown if item.para < 0 else paragraphs(o.markdown)[item.para]
                views.append({"kind": "text", "origin": o.origin,
                              "html": Markup(markdown_html(md))})
            elif isinstance(o, FigureOut):
                views.append({"kind": "figure", "id": o.fdef.id, "caption": o.caption,
                              "scale": item.scale,
                              "source": o.source, "notes": o.notes, "marked": o.marked,
                              "alt": figure_alt(o), "option_json": Markup(_script_json(o.option)),
                              "svg_href": images.get(o.fdef.id, f"figures/{o.fdef.id}.svg")})
            elif isinstance(o, TableOut):
                views.extend(_table_views(o, item.split))
        parts.append((sec, views, h))
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    layout = report.spec.layout
    units = [("指导单位", layout.guided_by),
             ("编制单位", layout.compiled_by or tuple(
                 [str(report.spec.meta["publisher"])] if report.spec.meta.get("publisher") else []))]
    return {
        "mode": mode, "title": report.title, "meta": report.spec.meta, "headings": headings,
        "parts": parts,
        # 图目录/表目录 in document order: 附图1 where it is printed, not after 图17
        "figures": report.figures,
        "tables": report.tables,
        "css": Markup(css + layout_css(layout)), "version": _version(),
        "print_css": Markup((TEMPLATES / "print.css").read_text(encoding="utf-8")),
        "spec_name": report.spec.path.name, "as_of_line": report.as_of_line,
        "layout": layout, "header": layout.header or report.title,
        "title_lines": title_lines(report.title, layout),
        "units": [(label, names) for label, names in units if names],
        "note_html": Markup(markdown_html(layout.compilation_note)) if layout.compilation_note else "",
        "copyright_html": Markup(markdown_html(layout.copyright)) if layout.copyright else "",
        "disclaimer_html": Markup(markdown_html(str(report.spec.meta["disclaimer"])))
        if report.spec.meta.get("disclaimer") else "",
        "maps": sorted({map_name(str(f.geo)) for f in report.figures if f.geo}),
    }


def render_html(report: Report, mode: str, images: dict[str, str] | None = None) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             keep_trailing_newline=True)
    return env.get_template("report.html.j2").render(**_context(report, mode, images))


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
