"""Assemble a report from its spec and the store: every block resolved to text, data and figures."""
from __future__ import annotations

import dataclasses
import itertools
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from digecon.facts import Facts, fact_text, format_number, unit_word
from digecon.figures import figure_notes, figure_svg, render_png
from digecon.figures.data import MARKED_STATUSES, figure_frame, indicator_meta
from digecon.figures.defs import FigureDef
from digecon.figures.options import option_for
from digecon.narrative import render_template
from digecon.publish.spec import Block, ReportSpec, Section, TableDef

log = logging.getLogger(__name__)

CN_NUMERALS = "零一二三四五六七八九十"
FIG_W, FIG_H = 800, 450


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二: the numbering of official-document headings."""
    if n <= 10:
        return CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (CN_NUMERALS[tens] if tens > 1 else "") + "十" + (CN_NUMERALS[ones] if ones else "")


def heading_text(sec: Section) -> str:
    """一、标题 at level 1, （一）标题 at level 2, 1. 标题 at level 3; unnumbered stays bare."""
    if not sec.number:
        return sec.title
    if sec.level == 1:
        return f"{cn_number(sec.number)}、{sec.title}"
    if sec.level == 2:
        return f"（{cn_number(sec.number)}）{sec.title}"
    return f"{sec.number}. {sec.title}"


@dataclass
class FigureOut:
    block: Block
    fdef: FigureDef
    data: pd.DataFrame
    option: dict
    geo: Path | None
    source: str
    notes: list[str]
    svg: str = ""
    png: bytes = b""

    @property
    def caption(self) -> str:
        return f"{self.block.label}{self.block.number} {self.fdef.caption}"

    @property
    def marked(self) -> bool:
        return bool(self.data["status"].isin(MARKED_STATUSES).any())


@dataclass
class TableOut:
    block: Block
    tdef: TableDef
    frame: pd.DataFrame  # headings already translated
    highlight_rows: list[int]
    notes: list[str] = field(default_factory=list)
    marked: bool = False  # rests on illustrative or synthetic values

    @property
    def caption(self) -> str:
        return f"{self.block.label or '表'}{self.block.number} {self.tdef.caption}"

    @property
    def source(self) -> str:
        return self.tdef.source


@dataclass
class TextOut:
    block: Block
    markdown: str
    origin: str  # generated | authors | authors-fallback


@dataclass
class Report:
    spec: ReportSpec
    # (section, [outputs]) in document order; outputs are TextOut | FigureOut | TableOut
    parts: list[tuple[Section, list]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    as_of: str | None = None  # the vintage every number is read at; None = the latest
    vintage: str = ""  # as_of, or for the latest the newest vintage in the store

    @property
    def as_of_line(self) -> str:
        """The colophon line naming the data vintage (HTML, PDF, DOCX, narrative.md)."""
        if self.as_of:
            return f"数据截至版本：{self.as_of}"
        return f"数据截至版本：{self.vintage or '最新'}（数据库中最新版本）"

    @property
    def figures(self) -> list[FigureOut]:
        return [o for _, outs in self.parts for o in outs if isinstance(o, FigureOut)]

    @property
    def tables(self) -> list[TableOut]:
        return [o for _, outs in self.parts for o in outs if isinstance(o, TableOut)]

    @property
    def title(self) -> str:
        return str(self.spec.meta["title"])


def _narrative(block: Block, spec: ReportSpec, store, report: Report) -> TextOut:
    """The block's template rendered from the store; the log names every sentence it left out
    for want of a fact. Only a section with no sentence at all falls back to the authors' text."""
    region, year = spec.meta["region"], spec.meta["year"]  # checked by load_spec
    # one Facts for all the report's templates: each indicator is read from the store once
    facts = report.__dict__.setdefault("_narrative_facts", Facts(store, report.as_of))
    out = render_template(block.path, store, region, year, as_of=report.as_of, facts=facts)
    report.log.append(f"narrative {block.ref}: generated from {block.path.name}"
                      + (f", {len(out.skipped)} left out" if out.skipped else ""))
    report.log.extend(f"narrative {block.ref}: {line}" for line in out.log_lines())
    if out.text.strip():
        return TextOut(block, out.text.strip(), "generated")
    report.log.append(f"narrative {block.ref}: no sentence has data; using the authors' "
                      f"fallback text")
    md = block.fallback.read_text(encoding="utf-8").strip() if block.fallback else ""
    return TextOut(block, md, "authors-fallback")


def _table(block: Block, tdef: TableDef, store=None, as_of: str | None = None,
           year: int | str | None = None) -> TableOut:
    if tdef.index is not None:
        return _index_table(block, tdef, store, as_of, year)
    if tdef.revisions_since is not None:  # the 修订说明 (digecon.publish.revisions)
        from digecon.publish.revisions import revisions_table

        return revisions_table(block, tdef, store, as_of)
    raw = pd.read_csv(tdef.file, dtype=str, keep_default_na=False)
    frame = raw[list(tdef.columns)].rename(columns=tdef.columns)
    rows: list[int] = []
    if tdef.highlight:
        col, val = tdef.highlight.get("column"), tdef.highlight.get("value")
        if col in raw.columns:
            rows = [i for i, v in enumerate(raw[col]) if v == val]
    return TableOut(block, tdef, frame.reset_index(drop=True), rows)


def _index_table(block: Block, tdef: TableDef, store, as_of: str | None,
                 year: int | str | None = None) -> TableOut:
    """Units, their 梯队 and index score from an index spec built on the store at `as_of`."""
    import yaml

    from digecon.evaluate import build, spec_from_dict

    raw = yaml.safe_load(tdef.index.read_text(encoding="utf-8"))
    if as_of and isinstance(raw.get("observations"), dict):
        raw["observations"] = {**raw["observations"], "as_of": as_of}
    # an index spec that names no period is built for the report's year (as the narrative's
    # tiers are): next year's edition shows next year's tiers
    if year is not None and isinstance(raw.get("observations"), dict) and \
            "period" not in raw["observations"]:
        raw["observations"] = {**raw["observations"], "period": str(year)}
    ispec = spec_from_dict(raw, source=tdef.index.name, base_dir=tdef.index.parent, store=store)
    res = build(ispec)
    if res.tiers is None:
        raise LookupError(f"{tdef.id}: {tdef.index.name} has no tiers step")
    top = ispec.fw.top
    df = res.tiers.merge(res.ranks[["uCode", top]].rename(columns={top: "rank"}), on="uCode")
    df = df.sort_values(["tier", "score"], ascending=[True, False], kind="stable")
    df["score"], df["rank"] = score_texts(df["score"].tolist(), df["rank"].tolist())
    for code in tdef.columns:  # raw indicator values, e.g. de_va: the facts' own text
        if code not in df.columns and code in res.stages["Raw"].columns:
            meta = indicator_meta(code)
            raw_vals = res.stages["Raw"].set_index("uCode")[code]
            df[code] = df["uCode"].map(raw_vals).map(
                lambda v, m=meta: "" if pd.isna(v) else fact_text(v, m.decimals, m.kind))
    missing = [c for c in tdef.columns if c not in df.columns]
    if missing:
        raise LookupError(f"{tdef.id}: no column {', '.join(missing)} in the index result")
    frame = df[list(tdef.columns)].rename(columns=tdef.columns).reset_index(drop=True)
    statuses = set((ispec.provenance or {}).get("statuses", []))
    marked = bool(statuses & set(MARKED_STATUSES))
    notes = []
    if marked:
        parent = str((raw.get("observations") or {}).get("parent") or "")
        word = unit_word(parent) if parent else "地区"
        notes.append(f"注：本表依据各{word}示意值计算；示意值不是统计数据，其来历见编制说明。")
    return TableOut(block, tdef, frame, [], notes, marked)


def score_texts(scores: list[float], ranks: list) -> tuple[list[str], list[str]]:
    """The printed scores and ranks of an index table, consistent with the index's ranking:
    scores at one decimal, or more (up to three) when two units the index ranks apart would
    print the same score (51.04 and 50.98 are 3rd and 4th, not two 51.0); a rank the index
    gives to more than one unit (a true tie, ranks 1224) is printed 3（并列）."""
    for places in (1, 2, 3):
        texts = [format_number(v, places) for v in scores]
        apart = {(t, r) for t, r in zip(texts, ranks)}
        if len({t for t, _ in apart}) == len(apart):  # one printed score for each rank
            break
    shared = {r for r in ranks if ranks.count(r) > 1}
    rank_texts = ["" if pd.isna(r) else f"{int(r)}（并列）" if r in shared else str(int(r))
                  for r in ranks]
    return texts, rank_texts


def _figure(block: Block, spec: ReportSpec, store, as_of: str | None = None) -> FigureOut:
    fdef = spec.figures[block.ref]
    geo = spec.base_dir / fdef.geo if fdef.geo else None
    df = figure_frame(fdef, store, as_of)
    option = option_for(fdef, df, str(geo) if geo else None)
    source, notes = figure_notes(fdef, df)
    return FigureOut(block, fdef, df, option, geo, source, notes)


def latest_vintage(store, as_of: str | None = None) -> str:
    """The newest vintage in the store on or before `as_of` (YYYY-MM-DD), '' when it is empty."""
    sql = "SELECT max(vintage) FROM observations" + (" WHERE vintage <= CAST(? AS DATE)" if as_of else "")
    with store.connection() as con:
        found = con.execute(sql, [as_of] if as_of else []).fetchone()[0]
    return str(found) if found else ""


_FROM_SPEC = "spec"


def assemble(spec: ReportSpec, store, progress=None, as_of: str | None = _FROM_SPEC) -> Report:
    """Resolve every block, reading the store at `as_of` (YYYY-MM-DD; None: the latest; by
    default the spec's `report.as_of`); `progress(kind, ref)` is called once per block."""
    if as_of == _FROM_SPEC:
        as_of = spec.meta.get("as_of")
    report = Report(spec, as_of=as_of, vintage=latest_vintage(store, as_of))
    report.log.append(f"as_of: {as_of or 'latest'} (newest vintage used: {report.vintage or 'none'})")
    current: dict[int, list] = {}
    order: list[Section] = []
    for sec, block in spec.blocks():
        if id(sec) not in current:
            current[id(sec)] = []
            order.append(sec)
        if block.kind == "figure":
            try:
                out = _figure(block, spec, store, report.as_of)
            except LookupError as exc:
                if not spec.figures[block.ref].optional:
                    raise
                report.log.append(f"figure {block.ref}: left out (optional, {exc})")
                if progress:
                    progress(block.kind, block.ref)
                continue
        elif block.kind == "table":
            out = _table(block, spec.tables[block.ref], store, report.as_of,
                         spec.meta.get("year"))
        elif block.kind == "narrative":
            out = _narrative(block, spec, store, report)
        else:
            out = TextOut(block, block.path.read_text(encoding="utf-8").strip(), "authors")
        current[id(sec)].append(out)
        if progress:
            progress(block.kind, block.ref)
    # Keep headings of sections without blocks (their children carry the content).
    def walk(sec: Section) -> None:
        report.parts.append((sec, current.get(id(sec), [])))
        for child in sec.children:
            walk(child)

    for s in spec.sections:
        walk(s)
    _renumber(report)
    return report


def _renumber(report: Report) -> None:
    """图N counted over the figures printed: an optional figure left out leaves no gap."""
    counters: dict[str, int] = {}
    for _, outs in report.parts:
        for k, o in enumerate(outs):
            if isinstance(o, FigureOut):
                counters[o.block.label] = counters.get(o.block.label, 0) + 1
                if o.block.number != counters[o.block.label]:
                    o.block = dataclasses.replace(o.block, number=counters[o.block.label])


def render_figures(report: Report, png: bool = True, progress=None) -> None:
    """Static renderings: SVG for PDF and the site, PNG for Word."""
    for fig in report.figures:
        fig.svg = figure_svg(fig.option, fig.geo, FIG_W, FIG_H)
        if png:
            fig.png = render_png(fig.svg, scale=2.0)
        if progress:
            progress("figure", fig.fdef.id)


# --- table layout: column widths and heights (the DOCX sets them, the PDF reads them) --------

TABLE_PT = (10.5, 9.0)  # 五号, then 小五 for a table too wide at 五号
CELL_PAD_PT = 2 * 5.4 + 3  # Table Grid's left and right cell margins (108 twips each), borders
ROW_PAD_PT = 3.0  # borders and leading of a single-spaced row beyond its lines


def text_em(text: str) -> float:
    """The width of a line in em of its font: CJK and full-width forms 1, capitals 0.72, other
    characters 0.62 (digits are 0.5 em in Times, up to 0.6 in the CJK fonts' Latin), and a
    quarter em where CJK meets Latin or digits (Word's and LibreOffice's autospace)."""
    wide = [unicodedata.east_asian_width(ch) in "WF" for ch in text]
    em = sum(1.0 if w else 0.72 if ch.isupper() else 0.62 for ch, w in zip(text, wide))
    return em + 0.25 * sum(a != b for a, b in itertools.pairwise(wide))


def _heading_em(name: str) -> float:
    """A column heading may break before its unit (数字经济增加值 / （亿元）), nowhere else."""
    return max(text_em(part) for part in re.split(r"(?=（)", name) if part)


def column_widths(heads: list[str], rows: list[list[str]], avail_pt: float
                  ) -> tuple[list[float], float]:
    """(each column's width in pt, font size): every column as wide as its longest cell, so that
    no number, name or unit wraps; at 10.5 pt, else at 9 pt; the space left is shared out up to
    the text width. Still too wide at 9 pt: the widest column takes what the others leave and
    wraps (at least 4 em)."""
    for size in TABLE_PT:
        need = [max([_heading_em(h)] + [text_em(r[j]) for r in rows]) * size + CELL_PAD_PT
                for j, h in enumerate(heads)]
        if sum(need) <= avail_pt:
            extra = (avail_pt - sum(need)) / len(need)
            return [w + extra for w in need], size
    widest = max(range(len(need)), key=need.__getitem__)
    rest = sum(need) - need[widest]
    need[widest] = max(4 * size + CELL_PAD_PT, avail_pt - rest)
    scale = min(1.0, avail_pt / sum(need))
    return [w * scale for w in need], size


def _lines(text: str, width_pt: float, size: float, heading: bool = False) -> int:
    """Lines a cell's text takes in a column (a heading breaks before its unit first)."""
    room = max(width_pt - CELL_PAD_PT, size)
    if text_em(text) * size <= room:
        return 1
    parts = [p for p in re.split(r"(?=（)", text) if p] if heading else [text]
    return sum(math.ceil(text_em(p) * size / room) for p in parts)


def row_heights_pt(heads: list[str], rows: list[list[str]], widths: list[float],
                   size: float) -> tuple[float, list[float]]:
    """(the heading row's height, each row's height) single-spaced at `size`: a row is as
    tall as its tallest cell."""
    line = size * 1.3
    head = max(_lines(h, w, size, heading=True) for h, w in zip(heads, widths)) * line
    return head + ROW_PAD_PT, [max(_lines(v, w, size) for v, w in zip(r, widths)) * line
                               + ROW_PAD_PT for r in rows]


def table_height_pt(heads: list[str], rows: list[list[str]], widths: list[float],
                    size: float) -> float:
    """The height the rows take, single-spaced at `size` (each row its tallest cell)."""
    head, body = row_heights_pt(heads, rows, widths, size)
    return head + sum(body)


def continued_caption(tab: TableOut) -> str:
    """The caption over the rows of a table continued on the next page: 续表1 标题."""
    return f"续{tab.caption}"


def table_layout(tab: TableOut, layout) -> tuple[list[float], float, bool, bool]:
    """(column widths in pt, font size, fits the text width without wrapping, longer than a
    page) of a table on the spec's page."""
    m = layout.page.margins_mm
    avail = (210 - m["left"] - m["right"]) / 25.4 * 72
    page = (297 - m["top"] - m["bottom"]) / 25.4 * 72
    heads = [str(c) for c in tab.frame.columns]
    rows = [[str(v) for v in row] for row in tab.frame.itertuples(index=False)]
    widths, size = column_widths(heads, rows, avail)
    fits = all(max([_heading_em(h)] + [text_em(r[j]) for r in rows]) * size + CELL_PAD_PT
               <= w + 0.01 for j, (h, w) in enumerate(zip(heads, widths)))
    # caption, source and a note or two take about 60 pt; a page 90 % full is full
    long = table_height_pt(heads, rows, widths, size) + 60 > page * 0.9
    return widths, size, fits, long
