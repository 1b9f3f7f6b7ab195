"""A table kept whole that would leave a large space empty splits between two rows: the rows
that fit stay under its caption, the rest start the next page under 续表N with the heading row
again; no row is split and the source stands under the last part. Planned (flow.py), then
printed the same way by the DOCX and the print HTML."""
from __future__ import annotations

import docx
import pandas as pd
import pytest

from digecon.publish import docx_out
from digecon.publish.document import TableOut
from digecon.publish.flow import (
    MIN_ROWS_AFTER,
    MIN_ROWS_BEFORE,
    SPLIT_MARGIN,
    TALL,
    Geometry,
    Item,
    _State,
    _Unit,
    plan_section,
)
from digecon.publish.html import _table_views
from digecon.publish.spec import Block, Layout, TableDef

GEO = Geometry(page_h=600, text_w=400, body_pt=12, line_h=20, para_gap=0,
               heading_h={1: 40, 2: 30, 3: 30}, chart_h=200, fig_fixed=30, note_pt=9,
               note_line_h=12, note_gap=1, table_scale=1.0)
ROW, HEAD, NOTES = 18.0, 20.0, 13.0


def _table_unit(rows: int) -> _Unit:
    return _Unit(Item("table", 1), rest_h=GEO.fig_fixed + HEAD + rows * ROW + NOTES,
                 head_h=HEAD, rows_h=[ROW] * rows, notes_h=NOTES)


def _units(text_lines: int, rows: int, after: bool) -> list[_Unit]:
    units = [_Unit(Item("text", 0), lines=text_lines), _table_unit(rows)]
    if after:  # a figure after the table: something the split pulls up
        units.append(_Unit(Item("figure", 2), chart_h=GEO.chart_h, rest_h=60))
    return units


def test_a_table_that_would_leave_a_third_of_a_page_empty_splits_between_rows():
    # 50 lines: 30 fill page 0, 20 end at y = 400 on page 1, leaving 200 pt (a third)
    st = _State()
    order = plan_section(_units(50, 20, after=True), st, GEO)
    table = next(it for it in order if it.kind == "table")
    # 200 − caption 30 − heading 20 − margin 0.04 × 600 = 126 pt: 7 rows of 18 pt
    assert SPLIT_MARGIN * GEO.page_h == 24
    assert (table.page, table.split) == (1, 7)
    # the 续表 on page 2: caption, heading, the 13 rows left and the source; then the figure
    figure = next(it for it in order if it.kind == "figure")
    assert figure.page == 2
    assert st.page == 2 and st.y == pytest.approx(30 + 20 + 13 * ROW + NOTES + 200 + 60)


def test_the_last_block_of_a_chapter_moves_whole_instead():
    order = plan_section(_units(50, 20, after=False), _State(), GEO, more=False)
    table = next(it for it in order if it.kind == "table")
    assert (table.page, table.split) == (2, 0)
    # with the chapter going on after the section it splits
    order = plan_section(_units(50, 20, after=False), _State(), GEO, more=True)
    assert next(it for it in order if it.kind == "table").split == 7


@pytest.mark.parametrize("rows, lines, why", [
    (20, 57, "a gap of 60 pt"),  # y = 540: too small a space to split for (BIG_GAP)
    (12, 46, "one row left for the 续表"),  # y = 320: 11 fit, 1 would be left alone
    (8, 50, "a short table"),  # 8 rows: under TALL of the page, it moves whole
])
def test_no_split_for_a_few_rows_on_either_side(rows, lines, why):
    order = plan_section(_units(lines, rows, after=True), _State(), GEO)
    table = next(it for it in order if it.kind == "table")
    assert table.split == 0, why
    assert MIN_ROWS_BEFORE == 3 and MIN_ROWS_AFTER == 2
    assert (rows * ROW + 63 < TALL * GEO.page_h) == (rows == 8)


def _tab() -> TableOut:
    frame = pd.DataFrame({"地区": [f"第{i}市" for i in range(1, 11)],
                          "得分": [f"{90 - i}.5" for i in range(10)]})
    tdef = TableDef("t", "各市得分", None, {"uName": "地区", "score": "得分"}, "测试资料")
    return TableOut(Block("table", "t", number=3, label="表"), tdef, frame, [6],
                    ["注：测试。"])


def test_the_docx_prints_the_rest_under_a_continued_caption_on_a_new_page(tmp_path):
    doc = docx.Document()
    docx_out._styles(doc, Layout())
    captions: list = []
    docx_out._table(doc, _tab(), docx_out._Marks(), captions, Layout(), split=4)
    path = tmp_path / "t.docx"
    doc.save(path)
    doc = docx.Document(str(path))
    first, rest = doc.tables
    assert [len(first.rows), len(rest.rows)] == [1 + 4, 1 + 6]  # the heading row in both
    assert first.rows[0].cells[0].text == rest.rows[0].cells[0].text == "地区"
    assert rest.rows[1].cells[0].text == "第5市"
    for table in (first, rest):
        for k, row in enumerate(table.rows):
            trpr = row._tr.trPr
            assert trpr.find(docx_out.qn("w:cantSplit")) is not None  # no row split
            assert (trpr.find(docx_out.qn("w:tblHeader")) is not None) == (k == 0)
    paras = [p for p in doc.paragraphs if p.text]
    texts = [p.text for p in paras]
    assert texts == ["表3 各市得分", "续表3 各市得分", "数据来源：测试资料", "注：测试。"]
    more = paras[1]
    assert more.style.name == "Table Caption Continued"  # not a 表目录 entry
    assert more.paragraph_format.page_break_before and more.paragraph_format.keep_with_next
    assert [label for label, _, _ in captions] == ["表"]  # one caption counted
    # the highlighted row (index 6) is bold in the second part
    assert rest.rows[1 + 2].cells[0].paragraphs[0].runs[0].bold


def test_the_print_html_views_share_the_rows_and_the_source_stands_under_the_last():
    first, rest = _table_views(_tab(), 4)
    assert (first["caption"], rest["caption"]) == ("表3 各市得分", "续表3 各市得分")
    assert [len(first["rows"]), len(rest["rows"])] == [4, 6]
    assert first["source"] == "" and first["notes"] == []
    assert rest["source"] == "测试资料" and rest["notes"] == ["注：测试。"]
    assert rest["continued"] and not first["continued"] and rest["id"] == "t-continued"
    assert first["highlight"] == [] and rest["highlight"] == [2]
    assert _table_views(_tab(), 0)[0]["rows"] == _tab().frame.values.tolist()
