"""The Excel annex: a sheet per figure and table; every row has status and source; marks on cells."""
from __future__ import annotations

import openpyxl


def test_sheets_and_rows(built):
    wb = openpyxl.load_workbook(built.outputs["xlsx"])
    expected = ["说明"] + [f"图{i}" for i in range(1, 18)] + ["附图1", "附表1", "表1", "表2"]
    assert sorted(wb.sheetnames) == sorted(expected)
    ws = wb["图1"]
    assert ws["A1"].value == "图1 2016-2021年江西省数字经济增加值及增长率"
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "地区代码")
    heads = [c.value for c in ws[header_row]]
    assert heads[5:9] == ["数值", "单位", "状态", "来源"]
    rows = list(ws.iter_rows(min_row=header_row + 1, values_only=True))
    de_2021 = next(r for r in rows if r[2] == "de_va" and r[4] == "2021")
    assert de_2021[5] == 10378 and de_2021[7] == "published"


def test_illustrative_cells_marked(built):
    wb = openpyxl.load_workbook(built.outputs["xlsx"])
    ws = wb["图4"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "地区代码")
    cell = ws.cell(header_row + 1, 6)
    assert ws.cell(header_row + 1, 8).value == "illustrative"
    assert cell.comment is not None and "示意值" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFF4D6")


def test_tables_with_source(built):
    wb = openpyxl.load_workbook(built.outputs["xlsx"])
    ws = wb["表1"]
    assert ws["A2"].value.startswith("数据来源：复旦大学")
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    jx = next(r for r in rows if r[0] == "江西")
    assert jx[5] == 31.56 and jx[6] == 8


FORMULA_TEXTS = ['=HYPERLINK("http://example.invalid","点此")', "+1 来源", "-2 备注", "@SUM(A1)"]


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    """User text (a source, a note, a table cell) beginning with = + - @ must not become a live
    formula: it is a string cell with Excel's quote prefix, its text unchanged."""
    from types import SimpleNamespace

    import pandas as pd

    from digecon.publish.xlsx import FIG_HEADINGS, write_xlsx

    data = pd.DataFrame([{k: "x" for k in FIG_HEADINGS} | {
        "value": 1.5, "status": "published", "source": FORMULA_TEXTS[0], "note": FORMULA_TEXTS[2],
        "region_name": FORMULA_TEXTS[3]}])
    fig = SimpleNamespace(block=SimpleNamespace(label="图", number=1), caption="图1 测试",
                          source=FORMULA_TEXTS[1], notes=[FORMULA_TEXTS[0]], data=data)
    tab = SimpleNamespace(block=SimpleNamespace(label="表", number=1), caption="表1 测试",
                          source="=1+1", notes=[], highlight_rows=[], marked=False,
                          frame=pd.DataFrame({"地区": ["=A1", "南昌"], "得分": [1.25, "-3"]}))
    path = write_xlsx(SimpleNamespace(title="=cmd|' /C calc'!A0", figures=[fig], tables=[tab]),
                      tmp_path / "annex.xlsx")
    wb = openpyxl.load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    texts.append(cell.value)
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
    assert sorted(texts) == sorted([
        "=cmd|' /C calc'!A0", FORMULA_TEXTS[0],  # the title; 图1's note
        FORMULA_TEXTS[3], FORMULA_TEXTS[0], FORMULA_TEXTS[2],  # its data row
        "=A1"])  # 表1 (its source is prefixed with 数据来源：)
    ws = wb["图1"]
    assert ws["F6"].value == 1.5  # numbers stay numbers
    assert wb["表1"]["B5"].value == 1.25 and wb["表1"]["B6"].value == -3
