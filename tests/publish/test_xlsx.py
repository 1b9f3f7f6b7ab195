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
