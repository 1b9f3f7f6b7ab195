"""Acceptance 3 on a table longer than a page (an edition's 修订说明 of 40 revised values): in the
PDF and in LibreOffice's layout of the DOCX the chapter heading sits with the table's start, the
heading row repeats on each page the table continues on, no row is split, and no cell but a
row's label wraps. Plus the DOCX column widths, computed by hand."""
from __future__ import annotations

import re
import shutil
import subprocess
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
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"),
                    str(result.outputs["docx"])], capture_output=True, timeout=240, check=True)
    [table] = result.report.tables
    for pdf in (result.outputs["pdf"], tmp_path / "lo" / "report.pdf"):
        check_acceptance_3(pdf, result.report)
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
