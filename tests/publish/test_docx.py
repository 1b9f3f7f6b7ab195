"""The Word manuscript: read back with python-docx and as XML, and laid out by LibreOffice."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn

from digecon.figures.defs import SpecError
from digecon.publish.docx_out import body_pages, locate, write_docx
from digecon.publish.spec import parse_layout
from publish.test_pdf import assert_table_pages

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "江西省数字经济发展白皮书（2022年）"


@pytest.fixture(scope="module")
def doc(built):
    return Document(built.outputs["docx"])


@pytest.fixture(scope="module")
def xml(built) -> dict[str, str]:
    with zipfile.ZipFile(built.outputs["docx"]) as z:
        return {name: z.read(f"word/{name}.xml").decode("utf-8")
                for name in ("document", "styles", "settings")}


def _east_asian(doc, style: str) -> str:
    return doc.styles[style].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_gb9704_page_and_office_fonts(doc, xml):
    for sec in doc.sections:
        assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
        margins = [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin,
                                          sec.right_margin)]
        assert margins == [37, 35, 28, 26]
    assert [_east_asian(doc, s) for s in ("Normal", "Heading 1", "Heading 2", "Title")] == \
        ["仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"]
    assert doc.styles["Normal"].font.size.pt == 12
    # theme fonts would override the named ones (the template's minorEastAsia is Japanese)
    assert not re.search(r"w:(ascii|eastAsia|hAnsi|cs)[Tt]heme=", xml["styles"])


def test_zh_cn_everywhere(doc, xml):
    langs = re.findall(r'<w:lang w:val="([^"]+)" w:eastAsia="([^"]+)"', xml["styles"])
    assert langs and set(langs) == {("en-US", "zh-CN")}  # Latin text en-US, as Chinese Word
    runs = doc.element.body.findall(f".//{W}r")
    no_lang = [r for r in runs if r.find(f"{W}rPr/{W}lang") is None]
    assert len(runs) > 500 and no_lang == []
    east = {r.find(f"{W}rPr/{W}lang").get(qn("w:eastAsia")) for r in runs}
    assert east == {"zh-CN", "en-US"}  # en-US only on the ※ runs (see _runs)
    marks = [r for r in runs if (r.findtext(f"{W}t") or "").endswith("※")]
    assert marks and all(r.findtext(f"{W}t") == "\u2060※" for r in marks)
    assert '<w:updateFields w:val="true"/>' in xml["settings"]
    assert re.search(r'<w:noLineBreaksBefore w:lang="zh-CN" w:val="[^"]*※"', xml["settings"])
    assert "ja-JP" not in xml["styles"] + xml["settings"]


def test_official_headings_start_chapters_on_new_pages(doc):
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h1 == ["前言", "一、江西省数字经济总体发展情况", "二、江西省数字经济重点领域发展情况",
                  "三、江西省数字经济发展形势", "四、江西省数字经济发展建议"]
    assert h2[0] == "（一）数字经济发展动能更加强劲" and h2[-1] == "（二）面临挑战"
    assert doc.styles["Heading 1"].paragraph_format.page_break_before is True


def test_sections_number_the_body_from_one(doc):
    cover, front, body = doc.sections
    num = [s._sectPr.find(qn("w:pgNumType")) for s in (cover, front, body)]
    assert num[0] is None
    assert (num[1].get(qn("w:fmt")), num[1].get(qn("w:start"))) == ("upperRoman", "1")
    assert (num[2].get(qn("w:fmt")), num[2].get(qn("w:start"))) == ("decimal", "1")
    assert cover._sectPr.find(qn("w:headerReference")) is None  # the cover has no header
    assert front.header.paragraphs[0].text == TITLE and body.header.is_linked_to_previous
    assert "PAGE" in front.footer.paragraphs[0]._p.xml
    first_body = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    assert first_body.text == "前言"


def test_front_matter_from_the_spec(built, doc):
    texts = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for head in ("版权声明", "编制说明", "编制组", "目　录", "图目录", "表目录"):
        assert head in texts
    assert texts.index("版权声明") < texts.index("编制说明") < texts.index("目　录") < \
        texts.index("图目录") < texts.index("表目录") < texts.index("前言")
    assert ["指导单位：", "中国信息通信研究院", "", "江西省发展改革委", "编制单位：",
            "江西省大数据中心"] == cells[:6]
    assert "组长：" in cells and "数据截至版本：2022-07-31" in texts
    front = " ".join(texts[:texts.index("前言")] + cells[:12]) + doc.sections[1].header.paragraphs[0].text
    for word in ("digecon", "illustrative", "estimated", "synthetic"):
        assert word not in front.lower()
    assert built.report.title == TITLE


def _n_contents(report) -> int:
    """Entries of 目录 (headings of levels 1-2), 图目录 and 表目录."""
    return (sum(sec.level <= 2 for sec, _ in report.parts) + len(report.figures)
            + len(report.tables))


def test_figures_keep_with_caption_and_source(built, doc):
    paras = doc.paragraphs
    pictures = [i for i, p in enumerate(paras) if p._p.findall(f".//{W}drawing")]
    assert len(pictures) == len(built.report.figures) == 18  # 17 figures + the map
    for i in pictures:
        pic, cap, src = paras[i], paras[i + 1], paras[i + 2]
        assert cap.style.name == "Figure Caption" and src.text.startswith("数据来源：")
        assert cap.style.base_style.name == "Caption"
        assert pic.paragraph_format.keep_with_next and cap.paragraph_format.keep_with_next
        assert pic.paragraph_format.keep_together and cap.paragraph_format.keep_together
        k = i + 2
        while paras[k + 1].style.name == "Figure Source":  # source and notes: kept, last free
            assert paras[k].paragraph_format.keep_with_next
            k += 1
        assert not paras[k].paragraph_format.keep_with_next


def test_tables_repeat_header_and_never_split_rows(built, doc):
    grids = [t for t in doc.tables if t.style is not None and t.style.name == "Table Grid"]
    # a table the page plan split is two grids, the second under 续表N: each with the heading
    # row, the rows shared out between them
    continued = [p.text for p in doc.paragraphs if p.style.name == "Table Caption Continued"]
    assert continued == [f"续{t.caption}" for t in built.report.tables
                         if f"续{t.caption}" in continued]
    assert len(grids) == len(built.report.tables) + len(continued)
    assert sum(len(t.rows) - 1 for t in grids) == sum(len(t.frame) for t in built.report.tables)
    assert sum(len(t.frame) for t in built.report.tables) == 11 + 27 + 10  # 附表1, 表1, 表2
    for t in grids:
        rows = [r._tr for r in t.rows]
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])


def test_contents_are_filled_toc_fields(built, doc, xml):
    body = xml["document"]
    instr = re.findall(r"<w:instrText[^>]*> (TOC [^<]*?) </w:instrText>", body)
    # 图目录 and 表目录 each one field over its caption style: entries in document order
    assert instr == ['TOC \\o "1-2" \\h \\z \\u', 'TOC \\h \\z \\t "Figure Caption,1"',
                     'TOC \\h \\z \\t "Table Caption,1"']
    assert "SEQ 图 \\* ARABIC" in body and "SEQ 表 \\* ARABIC" in body
    entries = [p for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2", "table of figures")]
    assert len(entries) == _n_contents(built.report)
    assert entries[1].text.startswith("一、江西省数字经济总体发展情况\t")
    assert entries[2].style.name == "toc 2"
    figs = [p.text.split("\t")[0] for p in entries if p.style.name == "table of figures"]
    assert figs[0] == "图1 2016-2021年江西省数字经济增加值及增长率"
    # 附图1 where it is printed (in 一(三), after 图6), 附表1 (in 一(二)) before 表1
    assert figs[6].startswith("附图1 2021年各设区市数字经济增加值分布") and figs[7].startswith("图7 ")
    assert figs[18].startswith("附表1 ") and figs[19].startswith("表1 ")
    # every entry links to a bookmark on its heading or caption and takes its page from PAGEREF
    marks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Toc\d+)"/>', body))
    refs = re.findall(r"PAGEREF (_Toc\d+) \\h", body)
    assert len(refs) == len(entries) and set(refs) == marks
    numbers = [p.text.split("\t")[-1] for p in entries]
    if shutil.which("libreoffice") or shutil.which("soffice"):
        assert all(n.isdigit() for n in numbers), numbers  # filled from the LibreOffice layout
        assert numbers[0] == "1"  # 前言 opens the body, page 1


def test_locate_pages_in_order():
    pages = [(1, "前言数字经济"), (2, "一、总体发展情况（一）动能"), (3, "图1增加值正文"),
             (4, "（二）区域图1增加值")]
    assert locate(["前言", "一、总体发展情况", "（二）区域", "不存在"], pages) == [1, 2, 4, None]
    assert locate(["图1 增加值"], pages) == [3]  # spaces do not count; the first page wins


def test_spec_page_options(built, tmp_path):
    layout = parse_layout({"page": {"body_pt": 16, "line_pitch_pt": 28},
                           "fonts": {"body": "仿宋", "title": {"family": "方正小标宋_GBK"}}},
                          "report.yaml", tmp_path)
    report = replace(built.report, spec=replace(built.report.spec, layout=layout), log=[])
    path = write_docx(report, tmp_path / "official.docx")
    d = Document(path)
    normal = d.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.paragraph_format.line_spacing.pt == 28
    assert _east_asian(d, "Normal") == "仿宋" and _east_asian(d, "Title") == "方正小标宋_GBK"
    assert d.styles["Heading 2"].font.size.pt == 16  # 三号 at every level, as GB/T 9704
    # a picture's paragraph is single-spaced: an exact 28 pt line would crop the chart
    pic = next(p for p in d.paragraphs if p._p.findall(f".//{W}drawing"))
    assert pic.style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE


def test_without_libreoffice_entries_have_no_number(built, tmp_path, monkeypatch):
    """No layout to read: the entries are written without page numbers (never guessed) and the
    log says so; Word fills them on opening."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    report = replace(built.report, log=[])
    d = Document(write_docx(report, tmp_path / "plain.docx"))
    entries = [p.text for p in d.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert entries[0] == "前言\t" and all(e.endswith("\t") for e in entries)
    assert any("LibreOffice or pdftotext not found" in line for line in report.log)


@pytest.mark.slow
def test_layout_reused_for_the_same_document(built, tmp_path, monkeypatch):
    """A second build of the same document, LibreOffice and fonts reads the page numbers from
    the cache instead of laying the document out again; another document is laid out anew."""
    monkeypatch.setenv("DIGECON_CACHE", str(tmp_path / "cache"))
    numbers = []
    for name, title in (("a", None), ("b", None), ("c", "另一个标题")):
        spec = built.report.spec
        if title:
            spec = replace(spec, meta={**spec.meta, "title": title})
        report = replace(built.report, spec=spec, log=[])
        d = Document(write_docx(report, tmp_path / f"{name}.docx"))
        numbers.append([p.text.split("\t")[-1] for p in d.paragraphs
                        if p.style.name in ("toc 1", "toc 2", "table of figures")])
        numbers[-1].append(report.log[-1])
    assert "from the LibreOffice layout" in numbers[0][-1]
    assert "from the cached LibreOffice layout" in numbers[1][-1]
    assert numbers[0][:-1] == numbers[1][:-1] and all(n.isdigit() for n in numbers[0][:-1])
    assert "from the LibreOffice layout" in numbers[2][-1]  # the cover changed: a new layout
    assert len(list((tmp_path / "cache" / "docx-layout").glob("*.json"))) == 2


@pytest.mark.parametrize("meta, path, found", [
    ({"page": {"body_pt": 40}}, "report.page.body_pt", "发现「40」"),
    ({"page": {"body_pt": 16, "line_pitch_pt": 12}}, "report.page.line_pitch_pt", "发现「12」"),
    ({"page": {"margins_mm": {"top": 37, "gutter": 5}}}, "report.page.margins_mm", "gutter"),
    ({"fonts": {"body2": "仿宋"}}, "report.fonts.body2", "未知角色「body2」"),
    ({"fonts": {"body": {"family": "仿宋", "file": "none.ttf"}}}, "report.fonts.body.file",
     "文件不存在"),
    ({"team": [{"role": "组长"}]}, "report.team[0]", "发现"),
    ({"guided_by": ["", "x"]}, "report.guided_by[0]", "发现「」"),
    ({"compilation_note": {"file": "text/none.md"}}, "report.compilation_note.file", "文件不存在"),
])
def test_layout_keys_rejected_with_path_found_expected(tmp_path, meta, path, found):
    with pytest.raises(SpecError) as err:
        parse_layout(meta, "report.yaml", tmp_path)
    assert err.value.path == path and found in str(err.value) and "应为" in str(err.value)


@pytest.mark.slow
def test_libreoffice_layout_matches_the_contents(built, tmp_path):
    """Acceptance 3 in numbers: LibreOffice (as `--convert-to pdf`) shows every contents entry
    with the page it is really on, chapters at the top of a page, each figure on its caption's
    page and every table whole on its caption's page."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "libreoffice-writer-nogui is required"
    # with the fonts.conf the build laid the contents out with (the office fonts' fallbacks)
    env = {**os.environ, "FONTCONFIG_FILE": str(built.outputs["docx"].with_name("fonts.conf"))}
    res = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(built.outputs["docx"])],
        capture_output=True, text=True, timeout=240, check=False, env=env)
    assert res.returncode == 0, res.stderr
    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    flat = [re.sub(r"\s+", "", p) for p in pages]
    body = body_pages(pdf)
    assert [n for n, _ in body] == list(range(1, len(body) + 1))
    first = len(pages) - 1 - len(body)  # index of body page 1 (the text ends with a form feed)
    assert flat[first] == body[0][1]

    toc = [ln for p in pages[:first] for ln in p.splitlines() if re.search(r"\.{4,}\s*\d+$", ln)]
    assert len(toc) == _n_contents(built.report), toc
    for line in toc:  # the number printed is the page the entry is on
        entry, number = re.match(r"(.+?)\.{4,}\s*(\d+)$", line).groups()
        assert re.sub(r"\s+", "", entry) in body[int(number) - 1][1], line
    for chapter in ("前言", "一、江西省数字经济总体发展情况", "二、江西省数字经济重点领域发展情况",
                    "三、江西省数字经济发展形势", "四、江西省数字经济发展建议"):  # under the header
        tops = [[ln for ln in p.splitlines() if ln.strip()][1:2] for p in pages[first:-1]]
        assert [re.sub(r"\s+", "", chapter)] in [[re.sub(r"\s+", "", t) for t in top]
                                                 for top in tops], chapter

    rows = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    image_pages = [int(r.split()[0]) for r in rows if r.split()[2] == "image"]
    caption_pages = [i + 1 for i, p in enumerate(pages) if i >= first
                     for _ in re.finditer(r"(?m)^附?图 ?\d+ ", p)]
    assert len(image_pages) == 18 and image_pages == caption_pages
    for tab in built.report.tables:  # whole, or split between rows under 续表 on the next page
        assert_table_pages(tab, flat[first:])
