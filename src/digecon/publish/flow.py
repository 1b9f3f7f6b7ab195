"""Where figures go on the page: a figure block (chart, caption, source and notes, kept
together) that does not fit in what is left of a page would leave that space empty. The plan
lets text flow around it instead, in this order of preference:

1. the chart a little smaller (down to 80 % of its size) so that the block fits;
2. the paragraphs after the figure, in the same section, fill the space before it;
3. the figure moves up between the paragraphs before it, in the same section, to the last
   place where it fits (the paragraphs after that place continue below it);
4. a tall table kept whole splits between two rows: as many rows as fit (at least MIN_ROWS_BEFORE)
   stay under its caption, the others start the next page under 续表N and the heading row again
   (at least MIN_ROWS_AFTER of them), with the source below them;
5. the chart smaller still (down to 65 %);
6. a chart that follows another chart on the page, nothing between them: both at one smaller
   size (down to 65 %) when that lets both fit;
7. else the block starts the next page.

A table longer than a page starts where it comes, breaking between its rows, only when its
caption, heading row and MIN_ROWS_BEFORE rows fit there (else on the next page), and leaves
at least MIN_ROWS_AFTER rows for its last page (both renderers keep those rows together).

A caption is never parted from its chart or its rows, and no row is split: only the order of
whole blocks and paragraphs changes, and a table's rows are shared out between two pages. The page fill is estimated from the page geometry of each format (line pitch, text
width, the chart's size) and the text's width in em (document.text_em): the plan runs before
either renderer and costs no layout pass.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from digecon.publish.document import (
    FigureOut,
    Report,
    TableOut,
    TextOut,
    row_heights_pt,
    table_layout,
    text_em,
)

PT_PER_MM = 72 / 25.4
SHRINK_FIRST = 0.8  # a chart shrunk this far keeps its place before any text moves
SHRINK_LAST = 0.65  # the smallest a chart is drawn to save a page's space
BIG_GAP = 0.12  # of the page: a smaller space left empty is left alone (no text moves for it)
MIN_ROWS_BEFORE = 3  # a table split between pages keeps at least this many rows under its caption
MIN_ROWS_AFTER = 2  # and carries at least this many over to its 续表
# of the page: room a split table's first part leaves unused, for what the estimate misses (a
# part that overran its page would push its last rows, and its 续表, a page further)
SPLIT_MARGIN = 0.04
TALL = 0.4  # of the page: a table at least this tall may split; a shorter one moves whole


@dataclass(frozen=True)
class Geometry:
    """A format's page, in pt: what each kind of block takes."""
    page_h: float
    text_w: float
    body_pt: float
    line_h: float  # a body line
    para_gap: float  # between paragraphs
    heading_h: dict  # level → height with its spacing
    chart_h: float  # the chart's printed height
    fig_fixed: float  # a figure or table block's margins and caption
    note_pt: float  # source and note lines
    note_line_h: float
    note_gap: float  # each source or note paragraph's own spacing
    table_scale: float  # the renderer's rows against document.table_height_pt


def pdf_geometry(layout) -> Geometry:
    """The print CSS (report.css): body line-height 1.8 or the spec's pitch, charts at 86 %
    (WeasyPrint lays the 800 × 450 chart out 208 pt high on the 156 mm text width), table
    rows at line-height 1.4 with their padding."""
    m, page = layout.page.margins_mm, layout.page
    body = page.body_pt
    line = page.line_pitch_pt or 1.8 * body
    text_w = (210 - m["left"] - m["right"]) * PT_PER_MM
    h1, h2 = max(16.0, body), max(14.0, body)
    return Geometry(
        page_h=(297 - m["top"] - m["bottom"]) * PT_PER_MM, text_w=text_w, body_pt=body,
        line_h=line, para_gap=0.4 * body,
        heading_h={1: h1 * 1.75 + 0.6 * h1, 2: h2 * 1.75 + 1.4 * h2, 3: body * 1.75 + 1.4 * body},
        chart_h=0.4706 * text_w, fig_fixed=22.0 + 15.4, note_pt=9.0, note_line_h=13.5,
        note_gap=1.8, table_scale=1.09)


# LibreOffice's and Word's single line of a CJK font: about 1.44 em (Noto CJK, 仿宋)
CJK_LINE = 1.44


def docx_geometry(layout, chart_w_mm: float) -> Geometry:
    """The DOCX styles (docx_out._styles): body 1.5 lines or the spec's exact pitch."""
    m, page = layout.page.margins_mm, layout.page
    body = page.body_pt
    line = page.line_pitch_pt or 1.5 * CJK_LINE * body
    h1, h2 = max(16.0, body), max(14.0, body)
    heading = {1: (page.line_pitch_pt or 1.5 * CJK_LINE * h1) + body,
               2: (page.line_pitch_pt or 1.5 * CJK_LINE * h2) + 0.75 * body,
               3: line + 0.75 * body}
    return Geometry(
        page_h=(297 - m["top"] - m["bottom"]) * PT_PER_MM,
        text_w=(210 - m["left"] - m["right"]) * PT_PER_MM, body_pt=body, line_h=line,
        para_gap=0.0, heading_h=heading, chart_h=chart_w_mm * PT_PER_MM * 450 / 800,
        # the caption's line and its 3 + 3 pt, the last note's 6 pt after (LibreOffice lays the
        # picture's own line out as tall as the picture: measured 24 pt from picture to source)
        fig_fixed=CJK_LINE * 10.5 + 6 + 6, note_pt=9.0,
        note_line_h=CJK_LINE * 9, note_gap=1.0, table_scale=1.0)


def paragraphs(markdown: str) -> list[str]:
    """A text block's paragraphs, split as both renderers split them (blank lines)."""
    return [p for p in re.split(r"\n\s*\n", markdown.strip()) if p.strip()]


def _plain(md: str) -> str:
    return re.sub(r"\*\*|^\s*(?:[-*>]|\d+\.)\s+", "", md, flags=re.MULTILINE).replace("\n", "")


def _lines(text: str, width_pt: float, size: float, indent_em: float = 0.0) -> int:
    per_line = width_pt / size
    return max(1, math.ceil((text_em(text) + indent_em) / per_line))


@dataclass
class Item:
    """One placed unit of a section: a paragraph of a text block, a figure or a table."""
    kind: str  # text | figure | table
    out: int  # index of the output in its section
    para: int = 0  # the paragraph of a text output
    scale: float = 1.0  # a figure's chart size
    page: int = -1  # where the plan expects it (counted from the body's first page, 0)
    split: int = 0  # a table's rows printed under its caption, the rest under 续表 (0: whole)


@dataclass
class _Unit:
    item: Item
    lines: int = 0  # text
    chart_h: float = 0.0  # figure
    rest_h: float = 0.0  # figure: margins, caption, source, notes; table: all
    long: bool = False  # a table that breaks between its rows
    head_h: float = 0.0  # table: its heading row
    rows_h: list = field(default_factory=list)  # table: each row
    notes_h: float = 0.0  # figure or table: source and notes


@dataclass
class _State:
    y: float = 0.0
    page: int = 0
    placed: list = field(default_factory=list)


def _notes_h(o, geo: Geometry) -> float:
    notes = [f"数据来源：{o.source}", *o.notes]
    return sum(_lines(n, geo.text_w, geo.note_pt) * geo.note_line_h + geo.note_gap
               for n in notes)


def _units(outs: list, geo: Geometry, layout) -> list[_Unit]:
    units = []
    for k, o in enumerate(outs):
        if isinstance(o, TextOut):
            for j, p in enumerate(paragraphs(o.markdown)):
                units.append(_Unit(Item("text", k, j),
                                   lines=_lines(_plain(p), geo.text_w, geo.body_pt, 2.0)))
        elif isinstance(o, FigureOut):
            units.append(_Unit(Item("figure", k), chart_h=geo.chart_h,
                               rest_h=geo.fig_fixed + _notes_h(o, geo)))
        elif isinstance(o, TableOut):
            widths, size, _, long = table_layout(o, layout)
            heads = [str(c) for c in o.frame.columns]
            rows = [[str(v) for v in r] for r in o.frame.itertuples(index=False)]
            head, body = row_heights_pt(heads, rows, widths, size)
            head, body = head * geo.table_scale, [h * geo.table_scale for h in body]
            notes = _notes_h(o, geo)
            units.append(_Unit(Item("table", k), rest_h=head + sum(body) + geo.fig_fixed + notes,
                               long=long, head_h=head, rows_h=body, notes_h=notes))
    return units


def _place_text(st: _State, u: _Unit, geo: Geometry) -> None:
    """A paragraph's lines down the page (two lines at least at a page's foot and head)."""
    left = u.lines
    while left:
        room = int((geo.page_h - st.y + 1e-6) // geo.line_h)
        if room < 2 and left >= 2 or room < 1:
            st.page, st.y = st.page + 1, 0.0
            continue
        take = min(room, left)
        if left - take == 1 and take > 2:
            take -= 1  # no single line at the next page's head
        st.y += take * geo.line_h
        left -= take
        if left:
            st.page, st.y = st.page + 1, 0.0
    st.y += geo.para_gap


def _fits(st: _State, h: float, geo: Geometry) -> bool:
    return st.y + h <= geo.page_h + 1e-6


def plan_section(units: list[_Unit], st: _State, geo: Geometry, more: bool = False
                 ) -> list[Item]:
    """The section's items in their printed order, `st` carried on to the next section;
    `more`: the chapter goes on after this section (a table splits only to pull something up:
    the last block of a chapter moves whole to the next page instead)."""
    order: list[Item] = []
    # the text paragraphs placed since the last figure or table: (index in order, state
    # before the paragraph) — where a figure may move up to
    since: list[tuple[int, _State]] = []
    i = 0
    units = list(units)
    prev = None  # (figure unit, y where it starts, page) when the last block was a figure
    while i < len(units):
        u = units[i]
        if u.item.kind == "text":
            prev = None
            since.append((len(order), _State(st.y, st.page)))
            _place_text(st, u, geo)
            order.append(u.item)
            i += 1
            continue
        if u.long:  # a table that breaks between its rows: it fills the page it starts on
            head = geo.fig_fixed + u.head_h + sum(u.rows_h[:MIN_ROWS_BEFORE])
            if st.y and not _fits(st, head, geo):  # no caption over a row or two at the foot
                st.page, st.y = st.page + 1, 0.0
            u.item.page = st.page
            st.y += u.rest_h
            while st.y > geo.page_h:
                st.page, st.y = st.page + 1, st.y - geo.page_h
            order.append(u.item)
            since, prev = [], None
            i += 1
            continue
        # a figure, or a table kept whole
        full = u.chart_h + u.rest_h
        gap = geo.page_h - st.y
        scale = (gap - u.rest_h) / u.chart_h if u.chart_h else 0.0
        if _fits(st, full, geo):
            pass
        elif scale >= SHRINK_FIRST:
            u.item.scale = math.floor(scale * 100) / 100
        elif gap > BIG_GAP * geo.page_h and i + 1 < len(units) and \
                units[i + 1].item.kind == "text" and gap >= 2 * geo.line_h:
            units[i], units[i + 1] = units[i + 1], units[i]  # the next paragraph first
            continue
        elif gap > BIG_GAP * geo.page_h and (spot := _spot_above(since, st, full, geo)):
            k, before = spot
            moved = order[k:]
            del order[k:]
            st.y, st.page = before.y + full, before.page  # the figure where paragraph k was
            u.item.page = st.page
            order.append(u.item)
            for item in moved:  # and the paragraphs after it, again
                _place_text(st, next(x for x in units if x.item is item), geo)
                order.append(item)
            since, prev = [], None
            i += 1
            continue
        elif u.item.kind == "table" and gap > BIG_GAP * geo.page_h and \
                (more or i + 1 < len(units)) and (k := _rows_that_fit(u, gap, geo)):
            u.item.split, u.item.page = k, st.page
            st.page, st.y = st.page + 1, geo.fig_fixed + u.head_h + sum(u.rows_h[k:]) + u.notes_h
            order.append(u.item)
            since, prev = [], None
            i += 1
            continue
        elif scale >= SHRINK_LAST:
            u.item.scale = math.floor(scale * 100) / 100
        elif gap > BIG_GAP * geo.page_h and (pair := _pair_with_previous(prev, u, st, geo)):
            prev[0].item.scale = u.item.scale = pair  # both smaller, the gap filled
            st.y = prev[1] + prev[0].rest_h + prev[0].chart_h * pair
        else:
            st.page, st.y = st.page + 1, 0.0
        u.item.page = st.page
        before = st.y
        st.y += u.chart_h * u.item.scale + u.rest_h
        order.append(u.item)
        # a figure right after another on its page may share it with that one (no text between)
        prev = (u, before, st.page) if u.chart_h and before + 1e-6 < st.y else None
        since = []
        i += 1
    return order


def _pair_with_previous(prev, u: _Unit, st: _State, geo: Geometry) -> float:
    """The one scale (at least SHRINK_LAST) at which a figure and the figure just before it on
    this page, nothing between them, both fit where the earlier one starts; else 0. Two
    charts in a row then share the page at one size instead of leaving the foot empty."""
    if prev is None or not u.chart_h or prev[2] != st.page:
        return 0.0
    first, top, _ = prev
    room = geo.page_h - top - first.rest_h - u.rest_h
    scale = math.floor(room / (first.chart_h + u.chart_h) * 100) / 100
    return scale if SHRINK_LAST <= scale <= min(first.item.scale, 1.0) else 0.0


def _rows_that_fit(u: _Unit, gap: float, geo: Geometry) -> int:
    """How many of a tall table's rows fit under its caption and heading row in `gap` (less
    the margin), if at least MIN_ROWS_BEFORE do and MIN_ROWS_AFTER are left for the 续表; else
    0 (a table shorter than TALL of a page moves whole: it leaves less than that empty)."""
    if u.rest_h < TALL * geo.page_h:
        return 0
    room = gap - geo.fig_fixed - u.head_h - SPLIT_MARGIN * geo.page_h
    k = 0
    for h in u.rows_h:
        if room < h:
            break
        room -= h
        k += 1
    return k if k >= MIN_ROWS_BEFORE and len(u.rows_h) - k >= MIN_ROWS_AFTER else 0


def _spot_above(since: list, st: _State, full: float, geo: Geometry):
    """The latest paragraph on this page before which the figure fits: (its index in the
    order, the state before it), or None."""
    for k, before in reversed(since):
        if before.page != st.page:
            break
        if before.y + full <= geo.page_h + 1e-6:
            return k, before
    return None


def plan(report: Report, geo: Geometry) -> list[list[Item]]:
    """Each section's items in printed order (report.parts' order)."""
    st = _State()
    layout = report.spec.layout
    out = []
    first = True
    for n, (sec, outs) in enumerate(report.parts):
        if sec.level == 1 or first:
            if not first or st.y:
                st.page, st.y = st.page + 1, 0.0
            first = False
        head = geo.heading_h[min(sec.level, 3)]
        if st.y and not _fits(st, head + 2 * geo.line_h, geo):
            st.page, st.y = st.page + 1, 0.0
        st.y += head
        more = any(outs_after for _, outs_after in
                   itertools.takewhile(lambda p: p[0].level != 1, report.parts[n + 1:]))
        out.append(plan_section(_units(outs, geo, layout), st, geo, more))
    return out
