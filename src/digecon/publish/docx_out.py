"""The Word manuscript an editor finishes: GB/T 9704 page, fonts by the names offices use, zh-CN,
front matter from the spec, filled 目录/图目录/表目录 that Word updates, the body numbered from 1."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import weakref
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from digecon.publish.document import (
    TABLE_PT,
    FigureOut,
    Report,
    TableOut,
    TextOut,
    continued_caption,
    heading_text,
    table_layout,
    text_em,
)
from digecon.publish.flow import (
    MIN_ROWS_AFTER,
    MIN_ROWS_BEFORE,
    docx_geometry,
    paragraphs,
    plan,
)
from digecon.publish.html import TITLE_PT, _version, title_lines
from digecon.publish.spec import FontRole, Layout

# w:lang: East Asian text is zh-CN; Latin-script text (digits, GDP, 5G) keeps en-US, as Chinese
# Word writes it: tagged zh-CN, LibreOffice breaks "19.5%" after the point.
LANG = "zh-CN"
LATIN_LANG = "en-US"
BLACK = RGBColor(0, 0, 0)
FIG_WIDTH_MM = 132  # of the 156 mm text width: two charts with captions and notes fit a page
# Word's own zh-CN kinsoku lists, plus ※ (the narrative's illustrative mark), which must not
# begin a line either.
NO_LINE_START = ("!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠"
                 "※")
MARK = "※"  # the narrative's mark on a number resting on illustrative values
WORD_JOINER = "\u2060"
NO_LINE_END = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"


# --- fonts and language ----------------------------------------------------------------------

def _drop_theme(fonts) -> None:
    """w:asciiTheme, w:eastAsiaTheme, w:hAnsiTheme, w:cstheme win over the named fonts."""
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):
            del fonts.attrib[attr]


def _rfonts(rpr, east_asian: str, latin: str) -> None:
    """Named fonts on every slot, theme fonts removed (a theme font would override the name)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    _drop_theme(fonts)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _lang(rpr, east_asian: str = LANG) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LATIN_LANG)
    lang.set(qn("w:eastAsia"), east_asian)


def _style_font(style, role: FontRole, latin: FontRole, size: float | None = None,
                bold: bool | None = None) -> None:
    rpr = style.element.get_or_add_rPr()
    _rfonts(rpr, role.family, latin.family)
    _lang(rpr)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = BLACK


def _strip_theme_fonts(doc) -> None:
    """The template's docDefaults and styles name theme fonts (minorEastAsia → a Japanese font)."""
    root = doc.styles.element
    for fonts in root.iter(qn("w:rFonts")):
        _drop_theme(fonts)
    for lang in root.iter(qn("w:lang")):
        lang.set(qn("w:val"), LATIN_LANG)
        lang.set(qn("w:eastAsia"), LANG)


def _is_sans(role: FontRole) -> bool:
    return any("sans" in n.lower() or "黑" in n for n in (role.family, *role.fallback))


_GB2312 = "86"  # w:charset of the Chinese (GB2312) code page; the template lists Japanese fonts


def font_table(blob: bytes, layout: Layout) -> bytes:
    """word/fontTable.xml naming every font of the spec as a Chinese font: charset GB2312, its
    first fallback as w:altName, sans or serif family, the GB2312 code page in its signature.
    Word and WPS substitute a missing font by these; the template's Japanese entries (ＭＳ 明朝,
    ＭＳ ゴシック) go, so that nothing points a substitution at a Japanese face."""
    root = etree.fromstring(blob)
    for font in root.findall(qn("w:font")):
        if font.find(qn("w:charset")) is not None and \
                font.find(qn("w:charset")).get(qn("w:val")) == "80":  # SHIFTJIS
            root.remove(font)
    named = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for role in dict.fromkeys(r for k, r in layout.fonts.items() if k != "latin"):
        if role.family in named:
            continue
        named.add(role.family)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), role.family)
        children = [("w:altName", {"w:val": role.fallback[0]})] if role.fallback else []
        children += [("w:panose1", {"w:val": "02010600030101010101"}),
                     ("w:charset", {"w:val": _GB2312}),
                     ("w:family", {"w:val": "swiss" if _is_sans(role) else "roman"}),
                     ("w:pitch", {"w:val": "variable"}),
                     ("w:sig", {"w:usb0": "00000001", "w:usb1": "080E0000", "w:usb2": "00000010",
                                "w:usb3": "00000000", "w:csb0": "00040000", "w:csb1": "00000000"})]
        for tag, attrs in children:
            el = etree.SubElement(font, qn(tag))
            for k, v in attrs.items():
                el.set(qn(k), v)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


FONTS_CONF = "fonts.conf"  # written beside the DOCX


def _fonts_part(doc, layout: Layout) -> None:
    part = next(p for p in doc.part.package.iter_parts()
                if str(p.partname) == "/word/fontTable.xml")
    part._blob = font_table(part.blob, layout)


def fontconfig_aliases(layout: Layout) -> str:
    """A fontconfig file that includes the system's and maps each office font the spec names
    to its first fallback (仿宋_GB2312 → Noto Serif CJK SC): LibreOffice on Linux asks
    fontconfig for a font it lacks, and without a language it answers with a Japanese face.
    The build lays the DOCX out with it and writes it beside the DOCX for previews
    (FONTCONFIG_FILE=fonts.conf soffice …)."""
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
             "<fontconfig>", '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>']
    for role in dict.fromkeys(layout.fonts.values()):
        if role.fallback and role.fallback[0] != role.family:
            lines.append(f'  <alias binding="same"><family>{escape(role.family)}</family>'
                         f"<prefer><family>{escape(role.fallback[0])}</family></prefer></alias>")
    return "\n".join([*lines, "</fontconfig>", ""])


# --- styles ----------------------------------------------------------------------------------

def _spacing(pf, pitch: float | None, single: bool = False) -> None:
    pf.space_before, pf.space_after = Pt(0), Pt(0)
    if single:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    elif pitch:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(pitch)
    else:
        pf.line_spacing = 1.5


# The style ids _styles leaves (python-docx's lookup by name walks every style on each call).
STYLE_IDS = {"Normal": "Normal", "Body Text": "BodyText", "Heading 1": "Heading1",
             "Heading 2": "Heading2", "Heading 3": "Heading3", "Title": "Title",
             "Front Heading": "FrontHeading", "Caption": "Caption",
             "Figure Caption": "FigureCaption", "Table Caption": "TableCaption",
             "Table Text": "TableText",
             "Table Caption Continued": "TableCaptionContinued",
             "Figure Source": "FigureSource", "toc 1": "toc1", "toc 2": "toc2",
             "table of figures": "tableoffigures"}


def _style(paragraph, name: str) -> None:
    paragraph._p.style = STYLE_IDS[name]


def _para(container, text: str, style: str):
    """A paragraph in one of our styles, in a document or a table cell."""
    p = container.add_paragraph(text)
    _style(p, style)
    return p


def _new_style(doc, name: str, base: str = "Normal"):
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = styles[base]
    st.quick_style = True
    return st


def _styles(doc, layout: Layout) -> None:
    fonts, page = layout.fonts, layout.page
    body, latin = page.body_pt, fonts["latin"]
    pitch = page.line_pitch_pt
    _strip_theme_fonts(doc)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _rfonts(rpr, fonts["body"].family, latin.family)
    _lang(rpr)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for el in ppr.findall(qn("w:spacing")):
        ppr.remove(el)

    normal = doc.styles["Normal"]
    _style_font(normal, fonts["body"], latin, body)
    _spacing(normal.paragraph_format, pitch)
    normal.paragraph_format.widow_control = True

    text = doc.styles["Body Text"]
    text.base_style = normal
    _style_font(text, fonts["body"], latin, body)
    pf = text.paragraph_format
    _spacing(pf, pitch)
    pf.first_line_indent = Pt(2 * body)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    h1, h2 = max(16.0, body), max(14.0, body)
    for name, role, size, bold in (("Heading 1", "heading", h1, False),
                                   ("Heading 2", "subheading", h2, False),
                                   ("Heading 3", "body", body, True)):
        st = doc.styles[name]
        _style_font(st, fonts[role], latin, size, bold)
        st.font.italic = False
        pf = st.paragraph_format
        _spacing(pf, pitch)
        pf.space_before = Pt(0 if name == "Heading 1" else body * 0.5)
        pf.space_after = Pt(body if name == "Heading 1" else body * 0.25)
        pf.keep_with_next = True
        pf.page_break_before = name == "Heading 1"  # chapters start on a new page
        pf.first_line_indent = Pt(0)

    title = doc.styles["Title"]
    _style_font(title, fonts["title"], latin, TITLE_PT, False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(title.paragraph_format, None, single=True)
    for el in title.element.get_or_add_pPr().findall(qn("w:pBdr")):  # the template underlines it
        el.getparent().remove(el)

    front = _new_style(doc, "Front Heading")  # 目录, 编制说明 …: not in the TOC (no outline level)
    _style_font(front, fonts["heading"], latin, h1)
    front.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(front.paragraph_format, None, single=True)
    front.paragraph_format.space_after = Pt(body)
    front.paragraph_format.keep_with_next = True

    cap = doc.styles["Caption"]
    _style_font(cap, fonts["heading"], latin, 10.5, False)
    cap.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(cap.paragraph_format, None, single=True)
    cap.paragraph_format.space_before = Pt(3)
    cap.paragraph_format.space_after = Pt(3)
    # 图目录 and 表目录 collect their captions by style (TOC \t), in document order: 图 and 附图
    # captions are Figure Caption, 表 and 附表 captions Table Caption (both based on Caption).
    for name in CAPTION_STYLES.values():
        _new_style(doc, name, base="Caption")
    _new_style(doc, "Table Caption Continued", base="Caption")  # 续表N: not in the 表目录

    for name, size, align in (("Table Text", 10.5, WD_ALIGN_PARAGRAPH.CENTER),
                              ("Figure Source", 9, WD_ALIGN_PARAGRAPH.LEFT)):
        st = _new_style(doc, name)
        _style_font(st, fonts["body"], latin, size)
        _spacing(st.paragraph_format, None, single=True)
        st.paragraph_format.alignment = align
    doc.styles["Figure Source"].paragraph_format.space_after = Pt(6)

    width = Mm(210 - page.margins_mm["left"] - page.margins_mm["right"])
    for name, indent in (("toc 1", 0), ("toc 2", 2), ("table of figures", 0)):
        st = _new_style(doc, name)
        _style_font(st, fonts["body"], latin, min(body, 14))
        pf = st.paragraph_format
        _spacing(pf, None, single=True)
        pf.space_after = Pt(4)
        pf.left_indent = Pt(indent * min(body, 14))
        pf.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    found = {st.name: st.style_id for st in doc.styles if st.name in STYLE_IDS}
    assert found == STYLE_IDS, found  # the ids _para writes are those the styles have
    for name in ("Header", "Footer"):
        st = doc.styles[name]
        _style_font(st, fonts["body"], latin, 9 if name == "Header" else 10.5)
        st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(st.paragraph_format, None, single=True)


def _settings(doc) -> None:
    """Ask Word to update fields on open; zh-CN theme language; the kinsoku lists (with ※)."""
    settings = doc.settings.element

    def before(tag: str, *successors: str):
        el = OxmlElement(tag)
        for name in successors:
            found = settings.find(qn(name))
            if found is not None:
                found.addprevious(el)
                return el
        settings.append(el)
        return el

    for tag, chars in (("w:noLineBreaksAfter", NO_LINE_END), ("w:noLineBreaksBefore", NO_LINE_START)):
        el = before(tag, "w:savePreviewPicture", "w:compat", "w:rsids", "w:themeFontLang")
        el.set(qn("w:lang"), LANG)
        el.set(qn("w:val"), chars)
    before("w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:compat").set(qn("w:val"), "true")
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LATIN_LANG)
        theme.set(qn("w:eastAsia"), LANG)


# --- page setup ------------------------------------------------------------------------------

def _page(section, layout: Layout) -> None:
    m = layout.page.margins_mm
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    section.header_distance = Mm(max(8.0, m["top"] - 17))
    section.footer_distance = Mm(max(8.0, m["bottom"] - 12))  # the number 7 mm below the text


def _page_numbers(section, fmt: str, start: int | None) -> None:
    sect = section._sectPr
    el = sect.find(qn("w:pgNumType"))
    if el is None:
        el = OxmlElement("w:pgNumType")
        successor = next((sect.find(qn(t)) for t in ("w:cols", "w:formProt", "w:vAlign",
                          "w:noEndnote", "w:titlePg", "w:textDirection", "w:docGrid")
                          if sect.find(qn(t)) is not None), None)
        if successor is not None:
            successor.addprevious(el)
        else:
            sect.append(el)
    el.set(qn("w:fmt"), fmt)
    if start is not None:
        el.set(qn("w:start"), str(start))
    elif qn("w:start") in el.attrib:
        del el.attrib[qn("w:start")]


def _header_footer(section, text: str) -> None:
    section.header.is_linked_to_previous = False
    head = section.header.paragraphs[0]
    head.text = ""
    head.add_run(text)
    ppr = head._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)
    section.footer.is_linked_to_previous = False
    foot = section.footer.paragraphs[0]
    foot.text = ""
    foot.add_run("— ")
    _field(foot, "PAGE", "1")
    foot.add_run(" —")


# --- fields and bookmarks --------------------------------------------------------------------

def _fld_char(paragraph, kind: str) -> None:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(el)


def _instr(paragraph, instr: str) -> None:
    el = OxmlElement("w:instrText")
    el.set(qn("xml:space"), "preserve")
    el.text = f" {instr} "
    paragraph.add_run()._r.append(el)


def _field(paragraph, instr: str, cached: str) -> None:
    """A complex field (SEQ, PAGE, PAGEREF) with the result shown until Word updates it."""
    _fld_char(paragraph, "begin")
    _instr(paragraph, instr)
    _fld_char(paragraph, "separate")
    paragraph.add_run(cached)
    _fld_char(paragraph, "end")


class _Marks:
    """Hidden _Toc bookmarks on headings and captions, for the TOC entries' PAGEREF fields."""

    def __init__(self) -> None:
        self.n = 0

    def add(self, paragraph) -> str:
        self.n += 1
        name = f"_Toc{100000000 + self.n}"
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.n))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.n))
        p = paragraph._p
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)
        return name


def _toc_field(doc, instr: str, entries: list[tuple[str, str]], style: str) -> list:
    """A TOC field whose result is already its entries, each a link to its bookmark with a
    PAGEREF for the page; returns the PAGEREF result runs, one per entry, to fill in later.

    Word recomputes the whole field (updateFields); LibreOffice shows the result as written."""
    page_runs = []
    if not entries:
        p = _para(doc, "", style)
        _fld_char(p, "begin")
        _instr(p, instr)
        _fld_char(p, "separate")
        _fld_char(p, "end")
        return page_runs
    for i, (text, mark) in enumerate(entries):
        p = _para(doc, "", style)
        if i == 0:
            _fld_char(p, "begin")
            _instr(p, instr)
            _fld_char(p, "separate")
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), mark)
        link.set(qn("w:history"), "1")
        p._p.append(link)
        link.append(p.add_run(text)._r)
        tab = p.add_run()
        tab._r.append(OxmlElement("w:tab"))
        link.append(tab._r)
        n = len(p._p)
        _fld_char(p, "begin")
        _instr(p, f"PAGEREF {mark} \\h")
        _fld_char(p, "separate")
        number = p.add_run("")
        _fld_char(p, "end")
        for r in list(p._p)[n:]:
            link.append(r)  # the PAGEREF inside the link, as Word writes it
        page_runs.append(number)
        if i == len(entries) - 1:
            _fld_char(p, "end")
    return page_runs


# --- body ------------------------------------------------------------------------------------

def _keep(paragraph, with_next: bool) -> None:
    pf = paragraph.paragraph_format
    pf.keep_together = True
    pf.keep_with_next = with_next


def _runs(paragraph, text: str, cjk: str) -> None:
    """Plain and **bold** runs (the only inline Markdown the narrative uses); the illustrative
    mark ※ in the East Asian font (it is not CJK to Word, which would draw it in the Latin
    font) and joined to the number before it: Word reads ※ in the kinsoku list (_settings);
    LibreOffice ignores that list and honours the word joiner U+2060 only in a run it does not
    break by Chinese rules, so the mark's one-character run is tagged en-US."""
    for i, part in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
        for j, piece in enumerate(part.split(MARK)):
            if j:
                run = paragraph.add_run(WORD_JOINER + MARK)
                run.bold = i % 2 == 1 or None
                rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
                for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
                    rfonts.set(qn(slot), cjk)
                rfonts.set(qn("w:hint"), "eastAsia")
                _lang(run._r.get_or_add_rPr(), LATIN_LANG)
            if piece:
                paragraph.add_run(piece).bold = i % 2 == 1 or None


def _cjk_font(doc) -> str:
    return doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia"))


def _markdown(doc, md: str, style: str = "Body Text") -> None:
    """The few Markdown forms the authors' slots use: paragraphs, lists, quotes."""
    cjk = _cjk_font(doc)
    for chunk in re.split(r"\n\s*\n", md.strip()):
        for line in chunk.splitlines() if re.match(r"^(\d+\.|[-*>]) ", chunk) else [chunk]:
            line = line.strip()
            m = re.match(r"^(\d+\.|[-*]|>)\s+(.*)$", line)
            p = _para(doc, "", style)
            if m and m.group(1) != ">" and not m.group(1)[0].isdigit():
                _runs(p, "· " + m.group(2), cjk)  # the template's bullets bring a Latin font
            elif m:
                _runs(p, (m.group(1) + " " if m.group(1) != ">" else "") + m.group(2), cjk)
            else:
                _runs(p, "".join(line.split("\n")), cjk)


def _list_of(label: str) -> str:
    """图目录 for 图 and 附图, 表目录 for 表, 附表 and any other label."""
    return "图目录" if label.endswith("图") else "表目录"


CAPTION_STYLES = {"图目录": "Figure Caption", "表目录": "Table Caption"}


def _caption(doc, label: str, number: int, text: str, marks: _Marks, captions: list) -> object:
    p = _para(doc, "", CAPTION_STYLES[_list_of(label)])
    p.add_run(label)
    _field(p, f"SEQ {label} \\* ARABIC", str(number))
    p.add_run(f" {text}")
    captions.append((label, f"{label}{number} {text}", marks.add(p)))
    return p


def _notes(doc, lines: list[str]) -> None:
    """Source and notes, kept together; the style's space after only below the last (6 pt under
    each line made two charts one line too tall to share a page)."""
    for i, line in enumerate(lines):
        p = _para(doc, line, "Figure Source")
        _keep(p, i < len(lines) - 1)
        if i < len(lines) - 1:
            p.paragraph_format.space_after = Pt(1)


def _figure(doc, fig: FigureOut, marks: _Marks, captions: list, scale: float = 1.0) -> None:
    p = _para(doc, "", "Table Text")
    p.add_run().add_picture(io.BytesIO(fig.png), width=Mm(FIG_WIDTH_MM * scale))
    _keep(p, True)
    cap = _caption(doc, fig.block.label, fig.block.number, fig.fdef.caption, marks, captions)
    _keep(cap, True)
    _notes(doc, [f"数据来源：{fig.source}", *fig.notes])


def _cell_props(cell, shade: str | None = None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if shade:
        tcpr = cell._tc.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), shade)
        tcpr.append(shd)


def _row_props(row, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _table(doc, tab: TableOut, marks: _Marks, captions: list, layout: Layout,
           split: int = 0) -> None:
    """A table under its caption, its source below; split by the page plan (flow.py), its
    first `split` rows under the caption and the rest on the next page under 续表N (not in
    the 表目录), both parts with the heading row and the same column widths."""
    label = tab.block.label or "表"
    cap = _caption(doc, label, tab.block.number, tab.tdef.caption, marks, captions)
    _keep(cap, True)
    heads = [str(c) for c in tab.frame.columns]
    rows = [[str(v) for v in row] for row in tab.frame.itertuples(index=False)]
    widths, size, _, long = table_layout(tab, layout)
    if not split:
        _table_rows(doc, heads, list(enumerate(rows)), widths, size, tab.highlight_rows, long)
    else:
        first = _table_rows(doc, heads, list(enumerate(rows))[:split], widths, size,
                            tab.highlight_rows, False)
        # the first part fills its page: its last row keeps with nothing (the 续表 breaks)
        for cell in first.rows[-1].cells:
            for p in cell.paragraphs:
                _keep(p, False)
        more = _para(doc, continued_caption(tab), "Table Caption Continued")
        more.paragraph_format.page_break_before = True
        _keep(more, True)
        _table_rows(doc, heads, list(enumerate(rows))[split:], widths, size,
                    tab.highlight_rows, False)
    _notes(doc, [f"数据来源：{tab.source}", *tab.notes])


def _table_rows(doc, heads: list[str], rows: list[tuple[int, list[str]]], widths, size: float,
                highlight: list[int], long: bool):
    """The heading row (repeated on each page) and `rows` (index in the table, cells)."""
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, w in zip(table.columns, widths):
        col.width = Pt(w)
    _row_props(table.rows[0], header=True)
    for cell, name, w in zip(table.rows[0].cells, heads, widths):
        _cell_props(cell, "E7E6E6")
        cell.width = Pt(w)
        _style(cell.paragraphs[0], "Table Text")
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(size) if size != TABLE_PT[0] else None
    for i, row in rows:
        tr = table.add_row()
        _row_props(tr, header=False)
        for cell, value, w in zip(tr.cells, row, widths):
            _cell_props(cell)
            cell.width = Pt(w)
            p = cell.paragraphs[0]
            _style(p, "Table Text")
            run = p.add_run(value)
            run.bold = i in highlight or None
            run.font.size = Pt(size) if size != TABLE_PT[0] else None
    # A table that fits on a page stays whole with its caption and source: every row keeps with
    # the next. A longer one breaks between rows (its heading row repeats): the heading row and
    # the first MIN_ROWS_BEFORE rows keep with the caption (no caption over one row at a page's
    # foot), and the last MIN_ROWS_AFTER rows with each other and the source — rows all kept
    # with the next would make Word and LibreOffice move the table to a page of its own.
    last = len(table.rows) - 1
    for k, tr in enumerate(table.rows):
        for cell in tr.cells:
            for p in cell.paragraphs:
                _keep(p, not long or k < MIN_ROWS_BEFORE or k > last - MIN_ROWS_AFTER)
    return table


# --- front matter ----------------------------------------------------------------------------

def _cover(doc, report: Report, layout: Layout) -> None:
    meta = report.spec.meta
    title = _para(doc, "\n".join(title_lines(report.title, layout, TITLE_PT)), "Title")
    title.paragraph_format.space_before = Pt(150)
    title.paragraph_format.space_after = Pt(24)
    if meta.get("subtitle"):
        sub = _para(doc, str(meta["subtitle"]), "Front Heading")
        sub.paragraph_format.keep_with_next = False
    units = [("指导单位", layout.guided_by), ("编制单位", layout.compiled_by)]
    if not layout.compiled_by and meta.get("publisher"):
        units[1] = ("编制单位", (str(meta["publisher"]),))
    rows = [(label if i == 0 else "", name) for label, names in units for i, name in
            enumerate(names)]
    if rows:
        gap = _para(doc, "", "Front Heading")
        gap.paragraph_format.space_before = Pt(150)
        _label_table(doc, [(f"{a}：" if a else "", b) for a, b in rows], (Mm(40), Mm(80)),
                     "Front Heading")
    if meta.get("date"):
        p = _para(doc, str(meta["date"]), "Front Heading")
        p.paragraph_format.space_before = Pt(24 if rows else 320)


def _front_heading(doc, text: str, page_break: bool) -> None:
    p = _para(doc, text, "Front Heading")
    p.paragraph_format.page_break_before = page_break


def _copyright(doc, layout: Layout) -> None:
    """版权声明 on the page after the cover, as Chinese reports print it."""
    if layout.copyright:
        _front_heading(doc, "版权声明", True)
        _markdown(doc, layout.copyright)


def _explanation(doc, report: Report, layout: Layout) -> None:
    """编制说明 (with the data vintage) and 编制组, on the first numbered front page."""
    meta = report.spec.meta
    _front_heading(doc, "编制说明", False)
    note = layout.compilation_note
    if note:
        _markdown(doc, note)
    if meta.get("disclaimer"):
        _markdown(doc, str(meta["disclaimer"]))
    _para(doc, report.as_of_line, "Body Text")
    if layout.team:
        head = _para(doc, "编制组", "Front Heading")
        head.paragraph_format.space_before = Pt(layout.page.body_pt * 1.5)
        room = (Mm(121).pt - 2 * 5.4) / layout.page.body_pt  # the names column, in em
        _label_table(doc, [(f"{row.role}：", "\n".join(name_lines(row.names, room)))
                           for row in layout.team], (Mm(35), Mm(121)), "Body Text")


def name_lines(names: tuple[str, ...], room_em: float) -> list[str]:
    """Names joined by 、 in lines of at most `room_em`, broken after a 、 and never inside a
    name (Word and LibreOffice break Chinese text between any two characters)."""
    lines = [""]
    for i, name in enumerate(names):
        piece = name + ("、" if i < len(names) - 1 else "")
        if lines[-1] and text_em(lines[-1] + piece.rstrip("、")) > room_em:
            lines.append("")
        lines[-1] += piece
    return lines


def _label_table(doc, rows: list[tuple[str, str]], widths, style: str) -> None:
    """Label：value rows aligned on the colon, as a borderless two-column table."""
    table = doc.add_table(rows=0, cols=2)  # no table style: no borders
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table.columns, widths):
        col.width = width
    for label, value in rows:
        cells = table.add_row().cells
        for cell, width, text, align in ((cells[0], widths[0], label, WD_ALIGN_PARAGRAPH.RIGHT),
                                         (cells[1], widths[1], value, WD_ALIGN_PARAGRAPH.LEFT)):
            cell.width = width
            p = cell.paragraphs[0]
            _style(p, style)
            pf = p.paragraph_format
            pf.first_line_indent, pf.space_before, pf.space_after = Pt(0), Pt(0), Pt(2)
            pf.page_break_before = False
            pf.keep_together, pf.keep_with_next = True, True  # the rows stay on one page
            p.alignment = align
            for k, line in enumerate(text.split("\n")):
                if k:
                    p.add_run().add_break()
                p.add_run(line)
        _row_props(table.rows[-1], header=False)


def _contents(doc, heads: list, captions: list) -> list[list[tuple[str, object]]]:
    """目录 over the headings, then 图目录 and 表目录 (one TOC field each over its caption style,
    so 附图1 stands where it is printed); returns each field's entries, in document order, as
    (text, page-number run)."""
    _front_heading(doc, "目　录", True)
    runs = _toc_field(doc, 'TOC \\o "1-2" \\h \\z \\u', [(t, m) for _, t, m in heads], "toc 1")
    for run, (level, _, _) in zip(runs, heads):
        if level == 2:
            _style(run._parent, "toc 2")
    entries = [[(t, r) for (_, t, _), r in zip(heads, runs)]]
    for i, title in enumerate(CAPTION_STYLES):
        items = [(t, m) for label, t, m in captions if _list_of(label) == title]
        if not items:
            continue
        head = _para(doc, title, "Front Heading")
        head.paragraph_format.page_break_before = i == 0 or len(entries) == 1
        head.paragraph_format.space_before = Pt(0 if head.paragraph_format.page_break_before
                                                else 18)
        runs = _toc_field(doc, f'TOC \\h \\z \\t "{CAPTION_STYLES[title]},1"', items,
                          "table of figures")
        entries.append([(t, r) for (t, _), r in zip(items, runs)])
    return entries


# --- page numbers of the contents, from a LibreOffice layout ---------------------------------

_FOOTER = re.compile(r"^[—-]\s*(\d+)\s*[—-]$")


def body_pages(pdf: Path) -> list[tuple[int, str]]:
    """(printed page number, text without spaces) of each body page of a PDF of this DOCX: the
    pages whose footer is an Arabic number (the front matter's are Roman)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout
    pages = []
    for page in text.split("\f"):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        numbers = [int(m.group(1)) for ln in lines if (m := _FOOTER.match(ln))]
        if numbers:
            pages.append((numbers[-1], re.sub(r"\s+", "", page)))
    return pages


def locate(texts: list[str], pages: list[tuple[int, str]]) -> list[int | None]:
    """The page each text (headings, captions, in document order) first appears on at or after
    the previous one's; None when it is not found (the entry is left without a number)."""
    found, at = [], 0
    for text in texts:
        key = re.sub(r"\s+", "", text)
        hit = next((i for i in range(at, len(pages)) if key in pages[i][1]), None)
        found.append(None if hit is None else pages[hit][0])
        at = hit if hit is not None else at
    return found


# A 1×1 PNG: the layout copy's pictures keep their size (wp:extent) but not their pixels, which
# LibreOffice would spend two thirds of its time decoding and recompressing.
_BLANK_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHg"
                              "AHggJ/PchI7wAAAABJRU5ErkJggg==")


def _without_pictures(src: Path, dst: Path) -> hashlib._Hash:
    """The layout copy; returns the hash of its parts (zip timestamps left out)."""
    digest = hashlib.sha256(b"digecon docx layout 1\n")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in sorted(zin.infolist(), key=lambda i: i.filename):
            media = item.filename.startswith("word/media/") and item.filename.endswith(".png")
            data = _BLANK_PNG if media else zin.read(item.filename)
            digest.update(item.filename.encode() + b"\0" + data + b"\0")
            zout.writestr(item, data)
    return digest


def cache_dir() -> Path:
    """Where layouts already computed are kept: $DIGECON_CACHE, else $XDG_CACHE_HOME/digecon."""
    if os.environ.get("DIGECON_CACHE"):
        return Path(os.environ["DIGECON_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "digecon"


def _layout_key(digest: hashlib._Hash, office: str, families: list[str],
                env: dict | None = None) -> str:
    """The layout's inputs: the document (pictures blank), the LibreOffice installed, the fonts
    installed and the one fontconfig gives for each family the document names. The same inputs
    lay out the same pages, so their numbers are reused."""
    binary = Path(office).resolve()
    digest.update(f"{binary}:{binary.stat().st_size}:{binary.stat().st_mtime_ns}".encode())
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", "--format", "%{file}:%{index}\n"],
                               capture_output=True, text=True, check=False, env=env).stdout
        digest.update("".join(sorted(fonts.splitlines())).encode())
        for family in families:
            digest.update(subprocess.run(["fc-match", "--format", "%{file}:%{index}", family],
                                         capture_output=True, check=False, env=env).stdout)
    return digest.hexdigest()


def _stop(proc: subprocess.Popen, tmp: Path) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.communicate()
    shutil.rmtree(tmp, ignore_errors=True)


class PendingDocx:
    """A DOCX written, its contents' page numbers coming from LibreOffice laying it out in the
    background (or from the cache of a layout of the same document, LibreOffice and fonts);
    `wait()` fills them in and returns the path."""

    def __init__(self, report: Report, doc, path: Path, entries: list) -> None:
        self.report, self.doc, self.path, self.entries = report, doc, path, entries
        self.proc: subprocess.Popen | None = None
        self.numbers: list | None = None
        self.texts = [t for field in entries for t, _ in field]
        office = shutil.which("libreoffice") or shutil.which("soffice")
        if not office or not shutil.which("pdftotext"):
            report.log.append("docx: LibreOffice or pdftotext not found; 目录 without page numbers "
                              "(Word fills them on opening: updateFields)")
            return
        self.tmp = Path(tempfile.mkdtemp(prefix="digecon-docx-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.tmp, True)
        families = sorted({f.family for f in report.spec.layout.fonts.values()})
        # laid out with the office fonts' fallbacks the build writes beside the DOCX
        conf = self.tmp / "fonts.conf"
        conf.write_text(fontconfig_aliases(report.spec.layout), encoding="utf-8")
        self.env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
        digest = _without_pictures(path, self.tmp / "layout.docx")
        digest.update(conf.read_bytes())
        self.key = _layout_key(digest, office, families, self.env)
        self.cached = cache_dir() / "docx-layout" / f"{self.key}.json"
        try:
            saved = json.loads(self.cached.read_text(encoding="utf-8"))
            if saved.get("texts") == self.texts:
                self.numbers = saved["numbers"]
                return
        except (OSError, ValueError, AttributeError):
            pass  # no layout of this document yet (or an unreadable one): lay it out
        with (self.tmp / "stderr.txt").open("wb") as err:
            self.proc = subprocess.Popen(
                [office, "--headless", f"-env:UserInstallation={(self.tmp / 'profile').as_uri()}",
                 "--convert-to", "pdf", "--outdir", str(self.tmp), str(self.tmp / "layout.docx")],
                stdout=subprocess.DEVNULL, stderr=err, env=self.env)
        # a build that fails before wait() leaves no LibreOffice running and no temp folder
        self._cleanup.detach()
        self._cleanup = weakref.finalize(self, _stop, self.proc, self.tmp)

    def _layout(self) -> list | None:
        proc, self.proc = self.proc, None
        try:
            proc.wait(timeout=300)
            pdf = self.tmp / "layout.pdf"
            if proc.returncode != 0 or not pdf.is_file():
                why = (self.tmp / "stderr.txt").read_text(errors="replace")[-300:].strip()
                self.report.log.append(f"docx: LibreOffice failed ({why}); 目录 without page numbers")
                return None
            pages = body_pages(pdf)
        except subprocess.TimeoutExpired:
            self.report.log.append("docx: LibreOffice timed out; 目录 without page numbers")
            return None
        numbers = [n for field in self.entries for n in locate([t for t, _ in field], pages)]
        try:
            self.cached.parent.mkdir(parents=True, exist_ok=True)
            part = self.cached.with_suffix(f".{os.getpid()}.tmp")
            part.write_text(json.dumps({"texts": self.texts, "numbers": numbers},
                                       ensure_ascii=False), encoding="utf-8")
            part.replace(self.cached)
        except OSError as exc:
            self.report.log.append(f"docx: layout not cached ({exc})")
        return numbers

    def wait(self) -> Path:
        if self.numbers is None and self.proc is None:
            return self.path  # no LibreOffice, or waited already
        how = "cached LibreOffice layout" if self.numbers is not None else "LibreOffice layout"
        try:
            numbers = self.numbers if self.numbers is not None else self._layout()
        finally:
            self._cleanup()
        self.numbers = None
        if numbers is None:
            return self.path
        flat = [entry for field in self.entries for entry in field]
        missing = [t for (t, _), n in zip(flat, numbers) if n is None]
        for (_, run), n in zip(flat, numbers):
            run.text = "" if n is None else str(n)
        self.doc.save(self.path)
        self.report.log.append(
            f"docx: page numbers of {len(numbers) - len(missing)} contents entries from the {how} "
            f"{self.key[:12]} (Word recomputes them on opening)"
            + (f"; not found: {'、'.join(missing)}" if missing else ""))
        return self.path


# --- the document ----------------------------------------------------------------------------

def _zh_runs(element) -> None:
    """zh-CN on every run that has no language yet (Word's proofing and line breaking read the
    run's language)."""
    for r in element.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            r.insert(0, rpr)
        if rpr.find(qn("w:lang")) is None:
            _lang(rpr)


def _body(doc, report: Report, marks: _Marks, heads: list, captions: list) -> None:
    flows = plan(report, docx_geometry(report.spec.layout, FIG_WIDTH_MM))
    for (sec, outs), items in zip(report.parts, flows):
        level = min(sec.level, 3)
        p = _para(doc, heading_text(sec), f"Heading {level}")
        if level <= 2:
            heads.append((level, heading_text(sec), marks.add(p)))
        for item in items:  # in the page plan's order (digecon.publish.flow)
            o = outs[item.out]
            if isinstance(o, TextOut):
                _markdown(doc, paragraphs(o.markdown)[item.para])
            elif isinstance(o, FigureOut):
                _figure(doc, o, marks, captions, item.scale)
            elif isinstance(o, TableOut):
                _table(doc, o, marks, captions, report.spec.layout, item.split)


def start_docx(report: Report, path: Path) -> PendingDocx:
    """Write the DOCX and start laying it out for its contents' page numbers (see PendingDocx).

    Cover and 版权声明 carry no page number; 编制说明, 目录, 图目录/表目录 are numbered I, II …;
    the body restarts at 1 after a section break."""
    layout = report.spec.layout
    doc = Document()
    _styles(doc, layout)
    _settings(doc)
    _fonts_part(doc, layout)
    _page(doc.sections[0], layout)
    _cover(doc, report, layout)
    _copyright(doc, layout)

    front = doc.add_section(WD_SECTION.NEW_PAGE)  # settle front's sectPr before the next break
    _header_footer(front, layout.header or report.title)
    _page_numbers(front, "upperRoman", 1)
    _explanation(doc, report, layout)
    toc_after = doc.element.body[-2]  # the last front paragraph (the sentinel sectPr is last)

    body = doc.add_section(WD_SECTION.NEW_PAGE)
    _page_numbers(body, "decimal", 1)
    marks, heads, captions = _Marks(), [], []
    _body(doc, report, marks, heads, captions)

    # The contents' entries are known once the body is written: build them at the end, then
    # move them into the front section after 编制说明.
    n_before = len(doc.element.body)
    entries = _contents(doc, heads, captions)
    for el in list(doc.element.body)[n_before - 1:-1]:  # all but the sentinel sectPr
        toc_after.addnext(el)
        toc_after = el
    _zh_runs(doc.element.body)
    for section in doc.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                _zh_runs(part._element)

    path.parent.mkdir(parents=True, exist_ok=True)
    meta = report.spec.meta
    doc.core_properties.title = report.title
    doc.core_properties.author = "、".join(layout.compiled_by) or str(meta.get("publisher") or "")
    doc.core_properties.comments = (f"digecon {_version()} · {report.spec.path.name} · "
                                    f"{report.as_of_line}")
    doc.core_properties.language = LANG
    doc.save(path)
    path.with_name(FONTS_CONF).write_text(fontconfig_aliases(layout), encoding="utf-8")
    return PendingDocx(report, doc, path, entries)


def write_docx(report: Report, path: Path) -> Path:
    """The DOCX with its contents' page numbers (the build overlaps the layout with other work:
    start_docx … wait)."""
    return start_docx(report, path).wait()
