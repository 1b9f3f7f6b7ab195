"""The Word version: A4, Chinese fonts on the East Asian slot, 一、（一） headings, TOC and SEQ captions."""
from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from digecon.publish.document import FigureOut, Report, TableOut, TextOut, heading_text
from digecon.publish.html import _version

BODY_FONT = "Noto Serif CJK SC"
HEAD_FONT = "Noto Sans CJK SC"


def set_font(style_or_run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set Latin and East Asian fonts; Word ignores font.name for CJK text without w:eastAsia."""
    font = style_or_run.font
    font.name = name
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _field(paragraph, instr: str, cached: str) -> None:
    """A complex field (TOC, SEQ, PAGE) with a cached result shown until Word updates it."""
    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld("begin"))
    run = paragraph.add_run()
    instr_el = OxmlElement("w:instrText")
    instr_el.set(qn("xml:space"), "preserve")
    instr_el.text = f" {instr} "
    run._r.append(instr_el)
    paragraph.add_run()._r.append(fld("separate"))
    paragraph.add_run(cached)
    paragraph.add_run()._r.append(fld("end"))


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, 11)
    normal.paragraph_format.line_spacing = 1.5
    for name, size in (("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12), ("Title", 24)):
        st = doc.styles[name]
        set_font(st, HEAD_FONT, size, True)
        st.font.color.rgb = RGBColor(0x0F, 0x3D, 0x73)
    cap = doc.styles["Caption"]
    set_font(cap, HEAD_FONT, 10.5, True)
    cap.font.color.rgb = RGBColor(0, 0, 0)
    cap.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_setup(doc) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(25), Mm(22)
        section.left_margin, section.right_margin = Mm(24), Mm(22)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(footer, "PAGE", "1")


def _small(doc, text: str, color: RGBColor | None = None) -> None:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(9)
    if color is not None:
        run.font.color.rgb = color


def _markdown(doc, md: str) -> None:
    """The few Markdown forms the authors' slots use: paragraphs, lists, quotes."""
    for chunk in re.split(r"\n\s*\n", md.strip()):
        for line in chunk.splitlines() if re.match(r"^(\d+\.|[-*>]) ", chunk) else [chunk]:
            line = line.strip()
            m = re.match(r"^(\d+\.|[-*]|>)\s+(.*)$", line)
            if m and m.group(1) == ">":
                p = doc.add_paragraph(m.group(2))
                p.paragraph_format.left_indent = Cm(1)
            elif m:
                style = "List Number" if m.group(1)[0].isdigit() else "List Bullet"
                doc.add_paragraph(m.group(2), style=style)
            else:
                p = doc.add_paragraph()
                _runs(p, "".join(line.split("\n")))
                p.paragraph_format.first_line_indent = Pt(22)


def _runs(paragraph, text: str) -> None:
    """Plain and **bold** runs; the only inline Markdown the narrative uses."""
    for i, part in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
        if part:
            paragraph.add_run(part).bold = i % 2 == 1 or None


def _caption(doc, label: str, number: int, text: str) -> None:
    p = doc.add_paragraph(style="Caption")
    p.add_run(label)
    _field(p, f"SEQ {label} \\* ARABIC", str(number))
    p.add_run(f" {text}")


def _figure(doc, fig: FigureOut) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(fig.png), width=Cm(15.5))
    _caption(doc, fig.block.label, fig.block.number, fig.fdef.caption)
    _small(doc, f"数据来源：{fig.source}")
    for note in fig.notes:
        _small(doc, note, RGBColor(0x8A, 0x4B, 0x00))


def _table(doc, tab: TableOut) -> None:
    _caption(doc, tab.block.label or "表", tab.block.number, tab.tdef.caption)
    cols = list(tab.frame.columns)
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, cols):
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(9)
    for i, row in enumerate(tab.frame.itertuples(index=False)):
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(9)
            run.bold = i in tab.highlight_rows
    _small(doc, f"数据来源：{tab.source}")
    for note in tab.notes:
        _small(doc, note, RGBColor(0x8A, 0x4B, 0x00))


def write_docx(report: Report, path: Path) -> Path:
    doc = Document()
    _styles(doc)
    _page_setup(doc)
    meta = report.spec.meta
    doc.add_paragraph()
    doc.add_paragraph(report.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for key in ("subtitle", "publisher", "date"):
        if meta.get(key):
            doc.add_paragraph(str(meta[key])).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if meta.get("disclaimer"):
        _small(doc, str(meta["disclaimer"]), RGBColor(0x8A, 0x4B, 0x00))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    toc_head = doc.add_paragraph("目　录")
    toc_head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    toc_head.runs[0].bold = True
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "（在 Word 中右键“更新域”生成目录）")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for sec, outs in report.parts:
        doc.add_heading(heading_text(sec), level=min(sec.level, 3))
        for o in outs:
            if isinstance(o, TextOut):
                _markdown(doc, o.markdown)
            elif isinstance(o, FigureOut):
                _figure(doc, o)
            elif isinstance(o, TableOut):
                _table(doc, o)
    # Colophon: who made it from which spec, and the data vintage every number is read at.
    doc.add_paragraph()
    _small(doc, f"由 digecon {_version()} 依据报告规格 {report.spec.path.name} 生成。")
    _small(doc, report.as_of_line)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.core_properties.title = report.title
    doc.core_properties.author = str(meta.get("publisher") or "digecon")
    doc.save(path)
    return path
