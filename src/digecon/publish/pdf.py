"""The PDF: the print HTML paginated by WeasyPrint on A4, CJK fonts embedded as subsets.

Charts are embedded as vector SVG. WeasyPrint's SVG renderer ignores paint-order, so the white
halo ECharts strokes behind a label would paint over the label: each haloed label is split into
the halo below and the text above. Figures with gradient or pattern fills (the maps' colour
scale) are embedded as the resvg PNG instead: WeasyPrint leaves those fills empty.

Tables are laid out as the DOCX lays them (document.table_layout): no cell wraps, a heading
only before its （unit）; a table too wide at 10.5 pt is set at 9 pt (class small), one still
too wide wraps (wraps), one longer than a page breaks between its rows (long).
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from digecon.publish.document import TABLE_PT, Report, table_layout
from digecon.publish.html import CONTINUED, render_html

_TEXT = re.compile(r"<text([^>]*)>(.*?)</text>", re.DOTALL)
_ATTR = r'\s{name}="[^"]*"'
_UNSUPPORTED = ("<linearGradient", "<radialGradient", "<pattern")


def vector_ok(svg: str) -> bool:
    """Whether WeasyPrint draws this chart as ECharts meant it."""
    return not any(tag in svg for tag in _UNSUPPORTED)


def split_halos(svg: str) -> str:
    """`<text stroke=W paint-order="stroke">` → a stroked copy in W, then the fill alone."""
    def one(m: re.Match) -> str:
        attrs, body = m.group(1), m.group(2)
        stroke = re.search(r'\sstroke="([^"]*)"', attrs)
        if 'paint-order="stroke"' not in attrs or stroke is None:
            return m.group(0)
        under = re.sub(_ATTR.format(name="fill"), "", attrs).replace(
            ' paint-order="stroke"', f' fill="{stroke.group(1)}"')
        over = attrs
        for name in ("stroke", "stroke-width", "stroke-miterlimit", "paint-order"):
            over = re.sub(_ATTR.format(name=name), "", over)
        return f"<text{under}>{body}</text><text{over}>{body}</text>"

    return _TEXT.sub(one, svg)


_TH = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.DOTALL)


def _heading_cell(m: re.Match) -> str:
    """A column heading that breaks only before its unit: 数字经济增加值<wbr>（亿元）."""
    parts = [p for p in re.split(r"(?=（)", m.group(2)) if p]
    return f"<th{m.group(1)}>" + "<wbr>".join(f'<span class="nb">{p}</span>' for p in parts) + \
        "</th>"


def print_tables(html: str, report: Report) -> str:
    """The print HTML with each table's layout classes and its headings' break points."""
    for tab in report.tables:
        _, size, fits, long = table_layout(tab, report.spec.layout)
        classes = " ".join(c for c, on in (("small", size < TABLE_PT[0]), ("wraps", not fits),
                                           ("long", long)) if on)
        if classes:  # the table, and its rows under 续表 when the page plan split it
            for fid in (tab.tdef.id, tab.tdef.id + CONTINUED):
                html = re.sub(rf'(<figure\b[^>]*\bid="{re.escape(fid)}"[^>]*\bclass=")',
                              rf"\g<1>{classes} ", html, count=1)
    return _TH.sub(_heading_cell, html)


def write_pdf(report: Report, path: Path) -> Path:
    from weasyprint import HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="digecon-pdf-") as tmp:
        base = Path(tmp)
        (base / "figures").mkdir()
        images = {}
        for fig in report.figures:
            if fig.svg and vector_ok(fig.svg):
                name = f"figures/{fig.fdef.id}.svg"
                (base / name).write_text(split_halos(fig.svg), encoding="utf-8")
            else:
                name = f"figures/{fig.fdef.id}.png"
                (base / name).write_bytes(fig.png)
            images[fig.fdef.id] = name
        html = print_tables(render_html(report, "pdf", images), report)
        HTML(string=html, base_url=str(base)).write_pdf(path)
    return path
