"""Acceptance 3 on a table longer than a page (an edition's 修订说明 of 40 revised values): in the
PDF and in LibreOffice's layout of the DOCX the chapter heading sits with the table's start, the
heading row repeats on each page the table continues on, no row is split, and no cell but a
row's label wraps. Plus the DOCX column widths, computed by hand."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from digecon.ingest import write_frame
from digecon.publish.build import build_report
from digecon.publish.document import (
    CELL_PAD_PT,
    column_widths,
    heading_text,
    table_height_pt,
    table_layout,
    text_em,
)
from digecon.store import Store

ROOT = Path(__file__).resolve().parents[2]
HEADS = ["指标", "地区", "时期", "原数", "修订数", "注"]


@pytest.fixture(scope="module")
def edition_spec(demo_store, tmp_path_factory):
    """Next year's edition after every city's 2021 GDP was revised (+0.4 %): 13 values ingested,
    about 28 derived shares recomputed from them — a 修订说明 of two pages."""
    tmp = tmp_path_factory.mktemp("layout")
    path = tmp / "revised.duckdb"
    shutil.copy(demo_store.path, path)
    store = Store(path)
    gdp = store.query(indicator="gdp", period="2021", as_of="2022-07-31")
    gdp = [(r.region_code, r.value, r.unit) for r in gdp.itertuples()]
    assert len(gdp) == 12  # the province and its 11 cities
    rows = [{"region": code, "indicator": "gdp", "period": "2021", "value": f"{v * 1.004:.1f}",
             "unit": unit, "status": "published", "vintage": "2023-03-01",
             "source": "统计年鉴（示例，测试用）", "ref": "修订数"} for code, v, unit in gdp]
    rows.append({"region": "江西省", "indicator": "de_va", "period": "2021", "value": "10500",
                 "unit": "亿元", "status": "published", "vintage": "2023-06-30",
                 "source": "白皮书（示例，测试用）", "ref": "修订"})
    write_frame(store, pd.DataFrame(rows), origin="revisions.csv")
    (tmp / "text").mkdir()
    (tmp / "text" / "intro.md").write_text("本章为测试用的短文字。" * 20, encoding="utf-8")
    spec = tmp / "report.yaml"
    spec.write_text(yaml.safe_dump({
        "report": {"title": "测试白皮书（2023年）", "region": "江西省", "year": 2022,
                   "as_of": "2023-07-31"},
        "sections": [{"title": "总体情况", "blocks": [{"text": "text/intro.md"}]},
                     {"title": "修订说明", "numbered": False,
                      "blocks": [{"revisions": {"since": "2022-07-31"}}]}]},
        allow_unicode=True), encoding="utf-8")
    return spec, store


def _build(edition_spec, tmp_path, fmt: str):
    result = build_report(*edition_spec, tmp_path / "out", formats=[fmt])
    [table] = result.report.tables
    assert len(table.frame) >= 35  # longer than a page
    return result, table


def _pages(pdf, layout: bool = False) -> list[str]:
    cmd = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split("\f")[:-1]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_long_table(pdf, table) -> None:
    """Read with pdftotext -layout, where a table row is a printed line."""
    pages = [[_flat(ln) for ln in p.splitlines() if ln.strip()] for p in _pages(pdf, layout=True)]
    cap, heads = _flat(table.caption), "".join(HEADS)
    [(at, i)] = [(k, j) for k, lines in enumerate(pages) for j, ln in enumerate(lines)
                 if ln == cap]  # the caption itself (its contents entry has leader dots)
    # the chapter heading is on the table's first page, above the caption and the heading row
    assert "修订说明" in pages[at][:i] and pages[at][i + 1] == heads, pages[at][:i + 2]
    first, i = at, i + 2
    for row in table.frame.itertuples(index=False):
        label, tail = _flat(str(row[0])), "".join(_flat(str(v)) for v in row[1:])
        while not any(tail in ln for ln in pages[at][i:]):  # the row continues on the next page
            at, i = at + 1, 2
            assert at < len(pages), (label, tail)
            assert pages[at][1] == heads, pages[at][:2]  # under the running header: the heading row
        i += next(k for k, ln in enumerate(pages[at][i:]) if tail in ln)
        # the cells after the label on one line, the label (which may wrap) around it on this page
        around = pages[at][i - 1].replace(heads, "") + pages[at][i].replace(tail, "") + (
            pages[at][i + 1] if i + 1 < len(pages[at]) else "")
        half = len(label) // 2
        assert label[:half] in around and label[half:] in around, (label, around)
        i += 1
    assert at > first  # the table does run on to a second page
    assert any(ln.startswith("数据来源：") for ln in pages[at][i:])


def test_pdf_long_table_breaks_between_rows_under_its_heading(edition_spec, tmp_path):
    result, table = _build(edition_spec, tmp_path, "pdf")
    _check_long_table(result.outputs["pdf"], table)
    check_acceptance_3(result.outputs["pdf"], result.report)


@pytest.mark.slow
def test_libreoffice_long_table_breaks_between_rows_under_its_heading(edition_spec, tmp_path):
    result, table = _build(edition_spec, tmp_path, "docx")
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "libreoffice-writer-nogui is required"
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(result.outputs["docx"])],
                   capture_output=True, timeout=240, check=True)
    pdf = tmp_path / "report.pdf"
    _check_long_table(pdf, table)
    check_acceptance_3(pdf, result.report)


def test_text_width_in_em():
    assert text_em("市州") == 2.0
    assert text_em("2021") == pytest.approx(4 * 0.62)
    # 占 比重 （ ） in full width, G D P capitals, autospace where CJK meets Latin (twice)
    assert text_em("占GDP比重") == pytest.approx(3 + 3 * 0.72 + 2 * 0.25)


def test_columns_as_wide_as_their_longest_cell():
    heads, rows = ["市州", "数值（亿元）"], [["湘西土家族苗族自治州", "150.0"], ["长沙市", "4600.0"]]
    widths, size = column_widths(heads, rows, 442)
    assert size == 10.5
    need = [10 * 10.5 + CELL_PAD_PT, 4 * 10.5 + CELL_PAD_PT]  # the heading breaks before （亿元）
    extra = (442 - sum(need)) / 2  # what is left is shared out up to the text width
    assert widths == pytest.approx([need[0] + extra, need[1] + extra])


def test_too_wide_at_10_5_pt_set_at_9():
    rows = [["一" * 20, "二" * 20]]
    widths, size = column_widths(["甲", "乙"], rows, 400)  # 2 × (210 + 13.8) > 400 ≥ 2 × (180 + 13.8)
    assert size == 9.0 and sum(widths) == pytest.approx(400)


def test_too_wide_at_9_pt_the_widest_column_wraps():
    rows = [["一" * 40, "二" * 10]]
    widths, size = column_widths(["甲", "乙"], rows, 300)
    assert size == 9.0
    assert widths[1] == pytest.approx(10 * 9 + CELL_PAD_PT)  # the narrow column keeps its width
    assert widths[0] == pytest.approx(300 - widths[1])  # the wide one takes the rest, and wraps


def test_row_heights_count_wrapped_lines():
    one = table_height_pt(["甲"], [["一" * 10]], [10 * 10.5 + CELL_PAD_PT], 10.5)
    two = table_height_pt(["甲"], [["一" * 11]], [10 * 10.5 + CELL_PAD_PT], 10.5)
    assert two - one == pytest.approx(10.5 * 1.3)  # one line more


def test_print_html_headings_break_only_before_their_unit():
    from digecon.publish.pdf import _TH, _heading_cell

    html = '<tr><th>数字经济增加值（亿元）</th><th scope="col">排名</th></tr>'
    assert _TH.sub(_heading_cell, html) == (
        '<tr><th><span class="nb">数字经济增加值</span><wbr><span class="nb">（亿元）</span></th>'
        '<th scope="col"><span class="nb">排名</span></th></tr>')


def _bbox_lines(pdf) -> list[list[tuple[float, str]]]:
    """Per page, each printed line as (top in pt, its text without spaces)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        lines = []
        line = r'<line xMin="[^"]*" yMin="([^"]*)"[^>]*>(.*?)</line>'
        for m in re.finditer(line, page, re.DOTALL):
            words = re.findall(r"<word[^>]*>(.*?)</word>", m.group(2))
            lines.append((float(m.group(1)), _flat("".join(words))))
        pages.append(lines)
    return pages


def test_pdf_each_chart_right_above_its_caption(built):
    """In the PDF, each chart's legend (the map's title) is on its caption's page, above it and
    less than half a page up (the chart between them)."""
    pdf = built.outputs["pdf"]
    pages = _bbox_lines(pdf)
    figures = built.report.figures
    for fig in figures:
        cap = _flat(fig.caption)
        [(k, y)] = [(k, y) for k, lines in enumerate(pages) for y, t in lines if t == cap]
        legend = _flat(fig.option["series"][0]["name"])
        above = [top for top, t in pages[k] if legend in t and top < y]
        assert above and y - max(above) < 842 / 2, (fig.caption, k + 1)
    assert sum(not f.geo for f in figures) == 17


def _footer(page: str) -> str:
    found = [m.group(1) for ln in page.splitlines()
             if (m := re.fullmatch(r"—\s*(\w+)\s*—", ln.strip()))]
    return found[-1] if found else ""


def check_acceptance_3(pdf, report) -> None:
    """The page rules any build must keep, read from its PDF: the body numbered from 1, every
    contents entry with the page it is on, each chapter first on its page under the running
    header, no punctuation or ※ at a line start."""
    pages, laid = _pages(pdf), _pages(pdf, layout=True)
    footers = [_footer(p) for p in pages]
    body = footers.index("1")
    assert footers[body:] == [str(n) for n in range(1, len(pages) - body + 1)]
    on = {int(footers[i]): _flat(pages[i]) for i in range(body, len(pages))}
    toc = [m.groups() for p in laid[:body] for ln in p.splitlines()
           if (m := re.match(r"\s*(.+?)\s*\.{4,}\s*(\d+)\s*$", ln))]
    assert len(toc) == (sum(s.level <= 2 for s, _ in report.parts) + len(report.figures)
                        + len(report.tables))
    for text, number in toc:
        assert _flat(text) in on[int(number)], (text, number)
    tops = [_flat("".join([ln for ln in p.splitlines() if ln.strip()][1:2])) for p in pages[body:]]
    for sec, _ in report.parts:
        if sec.level == 1:
            assert _flat(heading_text(sec)) in tops, heading_text(sec)
    lines = [ln.strip() for p in pages for ln in p.splitlines() if len(ln.strip()) > 3]
    assert [ln for ln in lines if ln[0] in "※，。、；：！？）》」”"] == []


@pytest.mark.slow
def test_second_province_pages(tmp_path):
    """The Hunan build (tests/publish/test_second_province.py's dataset): both PDFs keep the page
    rules; its 14-row tier table with 湘西土家族苗族自治州 stays whole, no cell wrapping."""
    from digecon.dataset_paths import chosen_dataset, use_dataset

    hunan = ROOT / "tests" / "publish" / "fixtures" / "hunan-2022"
    before = chosen_dataset()
    use_dataset(hunan.resolve())
    try:
        store = Store(tmp_path / "hunan.duckdb")
        store.init()
        csv = hunan / "observations" / "observations.csv"
        write_frame(store, pd.read_csv(csv, dtype=str), origin=csv.name)
        result = build_report(hunan / "report.yaml", store, tmp_path / "out",
                              formats=["pdf", "docx"])
    finally:
        use_dataset(before)
    office = shutil.which("libreoffice") or shutil.which("soffice")
    env = {**os.environ, "FONTCONFIG_FILE": str(result.outputs["docx"].with_name("fonts.conf"))}
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"),
                    str(result.outputs["docx"])], capture_output=True, timeout=240, check=True,
                   env=env)
    [table] = result.report.tables
    for pdf in (result.outputs["pdf"], tmp_path / "lo" / "report.pdf"):
        check_acceptance_3(pdf, result.report)
        check_no_half_empty_page(pdf, result.report)
        lines = [_flat(ln) for p in _pages(pdf, layout=True) for ln in p.splitlines()]
        for row in table.frame.itertuples(index=False):  # each row on one line: nothing wraps
            assert any("".join(_flat(str(v)) for v in row) in ln for ln in lines), row


def test_team_names_break_after_a_comma_never_inside_a_name():
    from digecon.publish.docx_out import name_lines

    names = ("张三", "李四", "欧阳修文", "王五")
    assert name_lines(names, 20) == ["张三、李四、欧阳修文、王五"]
    # 张三、李四、 is 6 em; 欧阳修文 would make the line 10 em: it starts the next one
    assert name_lines(names, 9) == ["张三、李四、", "欧阳修文、王五"]
    assert name_lines(("司马相如",), 2) == ["司马相如"]  # a name longer than the line stays whole


# --- the every-page look, as tests: half-empty pages, TOC order, fonts, ties -----------------

def _body_pages_bbox(pdf) -> tuple[list, int]:
    pages = _bbox_lines(pdf)
    texts = _pages(pdf)
    body = [_footer(p) for p in texts].index("1")
    return pages, body


def _caption_gaps(pdf, report) -> list[tuple[str, float]]:
    """For each figure or short table whose caption is on a body page after the first, the empty
    space (share of the text block) left at the foot of the page before it, when that page
    ends in its section's text, not a chapter's last page."""
    pages, body = _body_pages_bbox(pdf)
    chapter_starts = set()
    for k, lines in enumerate(pages):
        if k >= body and len(lines) > 1 and any(
                lines[1][1] == _flat(heading_text(s)) for s, _ in report.parts if s.level == 1):
            chapter_starts.add(k)
    top, bottom = 37 * 72 / 25.4, 842 - 35 * 72 / 25.4
    gaps = []
    # a table kept whole that takes most of a page can only start a page (or break between
    # its rows): only figures and the shorter tables are held to the rule
    short = [t for t in report.tables
             if table_height_pt([str(c) for c in t.frame.columns],
                                [[str(v) for v in r] for r in t.frame.itertuples(index=False)],
                                *table_layout(t, report.spec.layout)[:2]) < 0.5 * 640]
    for cap in [_flat(o.caption) for o in report.figures + short]:
        hits = [k for k, lines in enumerate(pages) if k > body and any(t == cap for _, t in lines)]
        if not hits or hits[0] in chapter_starts:
            continue
        prev = [y for y, t in pages[hits[0] - 1] if top - 5 < y < bottom - 5]
        gaps.append((cap, (bottom - max(prev)) / (bottom - top) if prev else 1.0))
    return gaps


def check_no_half_empty_page(pdf, report, most: float = 0.34) -> None:
    """No figure or table pushed to the next page leaves a third of a page empty before it,
    and the pages together leave less than half a page empty on average."""
    gaps = _caption_gaps(pdf, report)
    assert gaps
    assert [g for g in gaps if g[1] > most] == [], [g for g in gaps if g[1] > most]


def test_pdf_no_half_empty_page_before_a_figure(built):
    """The defect: 图1 alone on its page, most of it empty (and the text page before it)."""
    check_no_half_empty_page(built.outputs["pdf"], built.report)


@pytest.mark.slow
def test_libreoffice_no_half_empty_page_before_a_figure(built, tmp_path):
    pdf = _libreoffice(built.outputs["docx"], tmp_path)
    check_no_half_empty_page(pdf, built.report)


def _libreoffice(docx, tmp_path, fonts: bool = True):
    """LibreOffice's PDF of a DOCX, with the fonts.conf the build writes beside it."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "libreoffice-writer-nogui is required"
    env = dict(os.environ)
    if fonts:
        env["FONTCONFIG_FILE"] = str(Path(docx).with_name("fonts.conf"))
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   capture_output=True, timeout=240, check=True, env=env)
    return tmp_path / (Path(docx).stem + ".pdf")


def test_plan_moves_a_figure_into_its_text_rather_than_leave_a_gap():
    """The plan on a case it was not built from: four paragraphs of 5 lines, then a figure
    that fits nowhere after them on the page: it goes up between the paragraphs (the ones
    after it continue below), the caption stays with its chart."""
    from digecon.publish.flow import Item, _State, _Unit, pdf_geometry, plan_section
    from digecon.publish.spec import Layout

    geo = pdf_geometry(Layout())
    units = [_Unit(Item("text", 0, j), lines=5) for j in range(4)]
    units.append(_Unit(Item("figure", 1), chart_h=geo.chart_h, rest_h=80))
    order = plan_section(units, _State(), geo)
    kinds = [(i.kind, i.para) for i in order]
    assert kinds.index(("figure", 0)) < len(kinds) - 1  # moved up into the text
    assert order[-1].kind == "text" and sorted(i.para for i in order if i.kind == "text") == \
        list(range(4))
    # a figure that fits after the text stays there
    short = [_Unit(Item("text", 0, 0), lines=3), _Unit(Item("figure", 1), chart_h=geo.chart_h,
                                                      rest_h=80)]
    assert [i.kind for i in plan_section(short, _State(), geo)] == ["text", "figure"]
    # a figure that almost fits is drawn a little smaller instead
    almost = [_Unit(Item("text", 0, 0), lines=int((geo.page_h - 300) // geo.line_h) + 2),
              _Unit(Item("figure", 1), chart_h=geo.chart_h, rest_h=80)]
    fig = plan_section(almost, _State(), geo)[-1]
    assert fig.kind == "figure" and 0.8 <= fig.scale < 1


def test_contents_lists_figures_in_document_order(built):
    """附图1 (in 一(三)) is listed after 图6, not after 图17; 附表1 (in 一(二)) before 表1."""
    pdf = built.outputs["pdf"]
    laid = _pages(pdf, layout=True)
    body = [_footer(p) for p in _pages(pdf)].index("1")
    entries = [m.group(1) for p in laid[:body] for ln in p.splitlines()
               if (m := re.match(r"\s*(附?[图表]\d+)\s", ln))]
    printed = [o.caption.split(" ")[0] for o in built.report.figures]
    assert entries[:len(printed)] == printed
    assert entries.index("附图1") == entries.index("图6") + 1
    assert entries.index("附表1") < entries.index("表1")


def test_docx_names_chinese_fonts_with_fallbacks(built):
    """The defect: LibreOffice set the DOCX in Noto Sans CJK JP. The font table names each
    office font as a GB2312 font with its fallback, no Japanese entry is left, and the
    fonts.conf beside the DOCX makes fontconfig answer each with its Simplified Chinese
    fallback."""
    docx = built.outputs["docx"]
    table = zipfile.ZipFile(docx).read("word/fontTable.xml").decode()
    for role in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"):
        entry = re.search(rf'<w:font w:name="{role}">(.*?)</w:font>', table, re.DOTALL)
        assert entry and '<w:charset w:val="86"/>' in entry[1], role
        assert re.search(r'<w:altName w:val="Noto (Serif|Sans) CJK SC"/>', entry[1]), role
    assert 'w:charset w:val="80"' not in table  # no Shift-JIS (Japanese) font
    env = {**os.environ, "FONTCONFIG_FILE": str(docx.with_name("fonts.conf"))}
    for role, want in (("仿宋_GB2312", "Noto Serif CJK SC"), ("黑体", "Noto Sans CJK SC")):
        got = subprocess.run(["fc-match", "--format", "%{family[0]}", role], env=env,
                             capture_output=True, text=True, check=True).stdout
        assert got == want, (role, got)


@pytest.mark.slow
def test_libreoffice_sets_the_docx_in_the_serif_and_sans_fallbacks(built, tmp_path):
    """Converted by LibreOffice with the build's fonts.conf: the body in Noto Serif CJK, the
    headings in Noto Sans CJK (the defect drew everything in Noto Sans CJK JP). LibreOffice
    7.4 names every face of a CJK collection by its first (JP) face's name, so the check is on
    serif against sans; the glyphs were looked at (骨, 直 in their SC forms)."""
    pdf = _libreoffice(built.outputs["docx"], tmp_path)
    fonts = [ln.split()[0] for ln in subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]]
    assert any("NotoSerifCJK" in f for f in fonts) and any("NotoSansCJK" in f for f in fonts)


def test_tier_table_shows_the_index_ranking(built):
    """The defect: 吉安 and 九江 printed 51.0 and 51.0 but ranked 3 and 4. Scores are printed
    at the precision that keeps ranks apart; equal ranks print as 并列."""
    from digecon.publish.document import score_texts

    tab = next(t for t in built.report.tables if t.tdef.index is not None)
    scores, ranks = list(tab.frame["发展指数得分"]), list(tab.frame["指数排名"])
    assert len(set(scores)) == len(scores) or any("并列" in r for r in ranks)
    printed = {}
    for s, r in zip(scores, ranks):
        printed.setdefault(s, set()).add(r)
    assert all(len(rs) == 1 for rs in printed.values()), printed  # one printed score, one rank
    assert score_texts([60.0, 51.04, 50.98], [1, 2, 3]) == (["60.00", "51.04", "50.98"],
                                                            ["1", "2", "3"])
    assert score_texts([60.0, 51.0, 51.0, 40.0], [1, 2, 2, 4])[1] == [
        "1", "2（并列）", "2（并列）", "4"]


def test_optional_figure_left_out_without_data(demo_store, tmp_path):
    """数字经济核心产业增加值 (NBS 01–04) is charted only when the store has it: an optional
    figure without values is left out, the build log says so, and the figures after it keep
    numbering without a gap; with a value ingested it is printed."""
    from digecon.publish.document import assemble
    from digecon.publish.spec import load_spec

    spec = tmp_path / "report.yaml"
    spec.write_text(yaml.safe_dump({
        "report": {"title": "测试白皮书（2022年）", "region": "江西省", "year": 2021,
                   "as_of": "2022-07-31"},
        "figures": {
            "a": {"caption": "数字经济增加值", "kind": "time", "periods": [2021],
                  "series": [{"indicator": "de_va"}]},
            "core": {"caption": "数字经济核心产业增加值", "kind": "time", "periods": [2021],
                     "optional": True, "series": [{"indicator": "core_va"}]},
            "b": {"caption": "数字产业化增加值", "kind": "time", "periods": [2021],
                  "series": [{"indicator": "di_va"}]}},
        "sections": [{"title": "总体", "blocks": [{"figure": "a"}, {"figure": "core"},
                                                 {"figure": "b"}]}]},
        allow_unicode=True), encoding="utf-8")
    path = tmp_path / "s.duckdb"
    shutil.copy(demo_store.path, path)
    store = Store(path)
    report = assemble(load_spec(spec), store)
    assert [f.caption for f in report.figures] == ["图1 数字经济增加值", "图2 数字产业化增加值"]
    assert any(line.startswith("figure core: left out") for line in report.log)
    write_frame(store, pd.DataFrame([{
        "region": "江西省", "indicator": "core_va", "period": "2021", "value": "1200",
        "unit": "亿元", "status": "published", "vintage": "2022-06-30",
        "source": "测试（示例）", "ref": "核心产业"}]), origin="core.csv")
    report = assemble(load_spec(spec), store)
    assert [f.caption for f in report.figures] == [
        "图1 数字经济增加值", "图2 数字经济核心产业增加值", "图3 数字产业化增加值"]


def test_plan_sets_two_charts_in_a_row_smaller_rather_than_leave_the_foot_empty():
    """Text, then three charts in a row with nothing between (a section's figures at its end):
    the second does not fit under the first at 65 %, but both fit at one smaller size, so the
    two share the page; the third starts the next page at full size. A second chart that
    would need less than 65 % still goes to the next page."""
    from digecon.publish.flow import SHRINK_LAST, Item, _State, _Unit, pdf_geometry, plan_section
    from digecon.publish.spec import Layout

    geo = pdf_geometry(Layout())
    rest = 95.0
    lines = int((geo.page_h - 2 * rest - 2 * 0.75 * geo.chart_h) // geo.line_h) - 1

    def units(n_lines):
        return [_Unit(Item("text", 0, 0), lines=n_lines),
                *[_Unit(Item("figure", k), chart_h=geo.chart_h, rest_h=rest) for k in (1, 2, 3)]]

    order = plan_section(units(lines), _State(), geo)
    figs = [i for i in order if i.kind == "figure"]
    assert [f.page for f in figs] == [0, 0, 1]
    assert figs[0].scale == figs[1].scale and SHRINK_LAST <= figs[0].scale < 1
    assert figs[2].scale == 1.0
    text_h = geo.line_h * lines + geo.para_gap
    assert text_h + 2 * rest + geo.chart_h * 2 * figs[0].scale <= geo.page_h
    # with more text above, one size for both would be under 65 %: the second moves on
    crowded = plan_section(units(lines + 8), _State(), geo)
    assert [f.page for f in crowded if f.kind == "figure"][:2] == [0, 1]
    assert all(f.scale == 1.0 for f in crowded if f.kind == "figure")
