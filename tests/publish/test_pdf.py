"""The PDF: A4 GB/T 9704 page, fonts from the spec embedded, the contents' page numbers, the body
numbered from 1, captions in order, vector charts, Chinese line breaking."""
from __future__ import annotations

import re
import subprocess
from dataclasses import replace

import pytest

from digecon.publish.pdf import split_halos, vector_ok, write_pdf
from digecon.publish.spec import parse_layout


def _run(*cmd) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pages(built) -> list[str]:
    return _run("pdftotext", str(built.outputs["pdf"]), "-").split("\f")[:-1]


def _footer(page: str) -> str:
    """The page number printed as — N — (pdftotext may put a chart's labels after it)."""
    found = [m.group(1) for ln in page.splitlines()
             if (m := re.fullmatch(r"—\s*(\w+)\s*—", ln.strip()))]
    return found[-1] if found else ""


def _body_start(pages: list[str]) -> int:
    return [_footer(p) for p in pages].index("1")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_fonts_embedded_and_a4(built):
    fonts = [ln.split() for ln in _run("pdffonts", str(built.outputs["pdf"])).splitlines()[2:]]
    assert {f[0].split("+")[1] for f in fonts} == {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"}
    assert all(f[-5] == "yes" for f in fonts)  # the emb column, for every font
    info = _run("pdfinfo", str(built.outputs["pdf"]))
    assert "595.276 x 841.89 pts (A4)" in info


def test_page_numbers_front_roman_body_from_one(pages):
    footers = [_footer(p) for p in pages]
    assert footers[:2] == ["", ""]  # cover and 版权声明
    body = footers.index("1")
    assert footers[2:body] == ["I", "II", "III"][:body - 2] and body >= 4
    assert footers[body:] == [str(n) for n in range(1, len(pages) - body + 1)]
    assert _flat(pages[body]).startswith("江西省数字经济发展白皮书（2022年）前言")  # header, 前言
    assert "版权声明" in pages[1] and "编制说明" in pages[2] and re.search(r"目\s*录", pages[3])


def test_contents_show_the_pages_entries_are_on(built, pages):
    body = _body_start(pages)
    by_number = {int(_footer(p)): _flat(p) for p in pages[body:]}
    entries = [re.match(r"(.+?)\s*\.{3,}\s*(\d+)$", ln.strip()) for p in pages[:body]
               for ln in p.splitlines()]
    entries = [m.groups() for m in entries if m]
    report = built.report  # headings of levels 1-2, figures, tables
    assert len(entries) == (sum(sec.level <= 2 for sec, _ in report.parts) + len(report.figures)
                            + len(report.tables))
    for text, number in entries:
        assert _flat(text) in by_number[int(number)], (text, number)


def test_chapters_start_pages_and_captions_in_order(pages):
    body = _body_start(pages)
    tops = [_flat(" ".join([ln for ln in p.splitlines() if ln.strip()][1:2])) for p in pages]
    for chapter in ("前言", "一、江西省数字经济总体发展情况", "二、江西省数字经济重点领域发展情况",
                    "三、江西省数字经济发展形势", "四、江西省数字经济发展建议"):
        assert chapter in tops[body:], chapter
    text = "\f".join(pages[body:])
    figs = [int(n) for n in re.findall(r"(?<!附)图(\d+) \S", text)]
    assert figs == list(range(1, 18))
    tabs = [int(n) for n in re.findall(r"(?<![附续])表(\d+) \S", text)]
    assert "附表1 2021年各设区市数字经济发展梯队（示意）" in text and tabs == [1, 2]
    table1 = re.search(r"(?<![附续])表1 ", text).start()
    assert text.index("图11 ") < table1 < text.index("表2 ") < text.index("图12 ")
    assert text.count("数据来源：") >= 21  # 18 figures + 3 tables


def test_figure_kept_with_caption_and_tables_whole(built, pages):
    body = pages[_body_start(pages):]
    for fig in built.report.figures:  # a figure's caption and its source on one page
        page = next(p for p in body if fig.caption in p)
        assert "数据来源：" in page.split(fig.caption, 1)[1], fig.caption
    for tab in built.report.tables:
        assert_table_pages(tab, [_flat(p) for p in body])


def assert_table_pages(tab, pages: list[str]) -> None:
    """A table whole on its caption's page, or (split between two rows) its first row there
    and its last row under 续表N at the top of the next page; no row parted from its table."""
    cap = _flat(tab.caption)
    at = next(i for i, p in enumerate(pages) if cap in p and f"续{cap}" not in p)
    first = [_flat(str(v)) for v in tab.frame.iloc[0]]
    last = [_flat(str(v)) for v in tab.frame.iloc[-1]]
    assert all(v in pages[at].split(cap, 1)[1] for v in first), tab.caption
    if f"续{cap}" in pages[at + 1]:
        rest = pages[at + 1].split(f"续{cap}", 1)
        assert all(v in rest[1] for v in last), tab.caption
        assert len(rest[0]) < 60, tab.caption  # the 续表 starts the page (under the header)
    else:
        assert all(v in pages[at].split(cap, 1)[1] for v in last), tab.caption


def test_vector_charts_maps_as_pictures(built):
    rows = _run("pdfimages", "-list", str(built.outputs["pdf"])).splitlines()[2:]
    images = [r for r in rows if r.split()[2] == "image"]
    maps = [f for f in built.report.figures if f.geo]
    # the 17 charts and the map (classes of flat colour, no gradient) are vector
    assert len(maps) == 1 and images == []
    assert all(vector_ok(f.svg) for f in built.report.figures)


def test_halo_split_for_weasyprint():
    svg = ('<text x="1" fill="#b25a12" stroke="#fff" stroke-width="2" paint-order="stroke" '
           'stroke-miterlimit="2">20.4</text><text fill="#333">亿元</text>')
    assert split_halos(svg) == (
        '<text x="1" stroke="#fff" stroke-width="2" fill="#fff" stroke-miterlimit="2">20.4</text>'
        '<text x="1" fill="#b25a12">20.4</text><text fill="#333">亿元</text>')


def test_chinese_line_breaking(pages):
    lines = [ln.strip() for p in pages for ln in p.splitlines() if len(ln.strip()) > 3]
    assert sum("※" in ln for ln in lines) >= 2  # the marks on illustrative city values
    assert [ln for ln in lines if ln[0] in "※，。、；：！？）》」”"] == []


def test_no_software_or_english_in_front_matter(pages):
    body = _body_start(pages)
    front = " ".join(pages[:body]).lower()
    for word in ("digecon", "illustrative", "estimated", "synthetic", "jiangxi"):
        assert word not in front
    assert "（示意版本）" in pages[0] and "数据截至版本：2022-07-31" in pages[2]


def test_fonts_replaceable_from_the_spec(built, tmp_path):
    sans = {"family": "Noto Sans CJK SC", "fallback": []}
    layout = parse_layout({"fonts": dict.fromkeys(("title", "subheading", "body", "latin"), sans),
                           "page": {"margins_mm": {"left": 20, "right": 20}}},
                          "report.yaml", tmp_path)
    report = replace(built.report, spec=replace(built.report.spec, layout=layout))
    path = write_pdf(report, tmp_path / "sans.pdf")
    fonts = {ln.split()[0].split("+")[1] for ln in _run("pdffonts", str(path)).splitlines()[2:]}
    assert fonts == {"Noto-Sans-CJK-SC"}
