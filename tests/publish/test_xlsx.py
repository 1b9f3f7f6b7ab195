"""The Excel annex: 说明, a sheet per figure laid out as its chart, a sheet per table, the long
data; values are numbers at their catalog decimals, read back equal to digecon.facts."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from digecon.facts import Facts, fact_text, format_number
from digecon.ingest import write_frame
from digecon.publish.xlsx import (
    LONG_COLUMNS,
    LONG_SHEET,
    number_format,
    sheet_names,
    text_width,
    write_xlsx,
)
from digecon.store import Store

# A small case of our own, not the bundled data: 贵州省 and three of its units (one 自治州),
# 数字经济 2019–2021 (the store derives 增速 and, from GDP, the units' 占GDP比重).
PROVINCE, UNITS = "520000", ("520100", "520300", "522600")
PAPER = "《贵州省数字经济测试公报（2022年）》"
OBS = [
    (PROVINCE, "de_va", "2019", "5000.5", "published", PAPER),
    (PROVINCE, "de_va", "2020", "5600.25", "published", PAPER),
    (PROVINCE, "de_va", "2021", "6300", "published", PAPER),
    ("520100", "de_va", "2021", "1500.04", "illustrative", "测试用示意数据（编造）"),
    ("520300", "de_va", "2021", "1800.36", "illustrative", "测试用示意数据（编造）"),
    ("522600", "de_va", "2021", "420", "illustrative", "测试用示意数据（编造）"),
    ("520100", "gdp", "2021", "4711.04", "published", "《贵阳市2021年国民经济和社会发展统计公报》"),
    ("520300", "gdp", "2021", "4169.72", "published", "《遵义市2021年国民经济和社会发展统计公报》"),
    ("522600", "gdp", "2021", "1250.03", "published", "《黔东南州2021年国民经济和社会发展统计公报》"),
]
SPEC = """
report:
  title: 贵州省数字经济测试报告
  region: "520000"
  year: 2021
  as_of: 2022-06-30
figures:
  fig_trend:
    caption: 2019-2021年贵州省数字经济增加值及增速
    kind: time
    periods: [2019, 2020, 2021]
    series:
      - {indicator: de_va, type: bar}
      - {indicator: de_growth, type: line, axis: 1}
  fig_units:
    caption: 2021年各市州数字经济增加值及占GDP比重
    kind: cities
    periods: [2021]
    sort: desc
    series:
      - {indicator: de_va, type: bar}
      - {indicator: de_share_gdp, type: line, axis: 1}
tables:
  tab_codes:
    caption: 测试代码表
    file: codes.csv
    columns: {code: 代码, name: 名称, score: 得分, change: 变化}
    source: "=测试来源"
sections:
  - title: 总体情况
    blocks:
      - figure: fig_trend
      - figure: fig_units
      - table: tab_codes
"""


def small_case(tmp: Path, formats: list[str]):
    """Build the small 贵州 report into tmp/out; returns (build result, store, spec path)."""
    from digecon.publish.build import build_report

    (tmp / "codes.csv").write_text("code,name,score,change\n01,=A1,12.50,-3\n02,乙,7,+1 项\n",
                                   encoding="utf-8")
    spec = tmp / "report.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    store = Store(tmp / "small.duckdb")
    store.init()
    frame = pd.DataFrame(OBS, columns=["region", "indicator", "period", "value", "status",
                                       "source"])
    write_frame(store, frame, vintage="2022-06-01", origin="small.csv")
    return build_report(spec, store, tmp / "out", formats=formats), store, spec


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    result, store, _ = small_case(tmp_path_factory.mktemp("small-xlsx"), ["xlsx"])
    return result, store, openpyxl.load_workbook(result.outputs["xlsx"])


def _header_row(ws, first: str) -> int:
    return next(r for r in range(1, 15) if ws.cell(r, 1).value == first)


def test_sheets_and_the_readme(case):
    _, _, wb = case
    assert wb.sheetnames == ["说明", "图1", "图2", "表1", LONG_SHEET]
    info = [[c.value for c in row] for row in wb["说明"].iter_rows()]
    assert ["数据截至版本", "2022-06-30", None, None] in info
    cells = {v for row in info for v in row if v}
    # the source documents, the table's source as text, every status with its Chinese label
    assert {PAPER, "《贵阳市2021年国民经济和社会发展统计公报》", "=测试来源"} <= cells
    # each document once, also those only a derived value's inputs come from
    assert not any(isinstance(v, str) and v.startswith("据") for v in cells)
    assert {"公开发布值", "推算值", "示意值", "illustrative"} <= cells
    assert "digecon 派生计算" not in cells
    assert wb["说明"].freeze_panes == "A2"


def test_time_figure_is_laid_out_as_its_chart(case):
    _, store, wb = case
    facts = {(f.indicator, f.period): f for f in
             Facts(store, "2022-06-30").select(["de_va", "de_growth"], [PROVINCE])}
    ws = wb["图1"]
    assert ws["A1"].value == "图1 2019-2021年贵州省数字经济增加值及增速"
    top = _header_row(ws, "指标")
    assert [c.value for c in ws[top]] == ["指标", "2019年", "2020年", "2021年", "状态"]
    assert ws.freeze_panes == f"B{top + 1}"
    va, growth = ws[top + 1], ws[top + 2]
    assert va[0].value == "数字经济增加值（亿元）"
    assert growth[0].value == "数字经济增加值名义增速（%）"
    assert [c.value for c in va[1:4]] == [facts[("de_va", p)].value for p in ("2019", "2020", "2021")]
    assert va[2].value == 5600.25 and va[2].number_format == "0.0"  # shown 5600.3, kept whole
    assert format_number(va[2].value, 1) == facts[("de_va", "2020")].text == "5600.3"
    # every cell shows the places of its fact's text (a level at one decimal drops its .0)
    for cell, p in zip(va[1:4], ("2019", "2020", "2021")):
        text = facts[("de_va", p)].text
        assert cell.number_format == number_format(len(text.partition(".")[2])), (p, text)
    # 增速 2020 = 5600.25 / 5000.5 − 1 = 11.99 %: the number, at one decimal, not Excel's %
    g20 = growth[2]
    assert g20.data_type == "n" and "%" not in g20.number_format
    assert g20.value == pytest.approx(facts[("de_growth", "2020")].value, rel=1e-13)
    assert g20.value == pytest.approx(11.9938, abs=1e-4) and format_number(g20.value, 1) == "12.0"
    assert growth[1].value in (None, "")  # no 2018 to grow from
    assert va[4].value == "公开发布值" and growth[4].value == "推算值"


def test_unit_figure_rows_in_chart_order_with_marks(case):
    _, store, wb = case
    facts = {(f.indicator, f.region): f for f in
             Facts(store, "2022-06-30").select(["de_va", "de_share_gdp"], list(UNITS))}
    ws = wb["图2"]
    top = _header_row(ws, "地区")
    assert [c.value for c in ws[top]] == ["地区", "数字经济增加值（亿元）",
                                          "数字经济增加值占GDP比重（%）", "状态"]
    rows = [[c for c in row] for row in ws.iter_rows(min_row=top + 1, max_row=top + 3)]
    # sorted as the chart: 遵义 1800.36, 贵阳 1500.04, 黔东南州 420 (the full names)
    assert [r[0].value for r in rows] == ["遵义市", "贵阳市", "黔东南苗族侗族自治州"]
    for r, code in zip(rows, ("520300", "520100", "522600")):
        assert r[1].value == facts[("de_va", code)].value
        assert r[2].value == pytest.approx(facts[("de_share_gdp", code)].value, rel=1e-13)
        assert format_number(r[2].value, 1) == facts[("de_share_gdp", code)].text
        assert r[1].comment is not None and "示意值" in r[1].comment.text
        assert r[1].fill.fgColor.rgb.endswith("FFF4D6")
    assert format_number(rows[0][2].value, 1) == "43.2"  # 1800.36 / 4169.72
    # the width fits the Chinese heading
    assert ws.column_dimensions["C"].width >= text_width("数字经济增加值占GDP比重（%）")


def test_long_sheet_equals_the_facts(case):
    _, store, wb = case
    ws = wb[LONG_SHEET]
    heads = [c.value for c in ws[1]]
    assert heads == list(LONG_COLUMNS.values()) and ws.freeze_panes == "A2"
    facts = {(f.indicator, f.region, f.period): f for f in Facts(store, "2022-06-30").select(
        ["de_va", "de_growth", "de_share_gdp"], [PROVINCE, *UNITS])}
    rows = [dict(zip(heads, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 3 + 2 + 3 + 3  # 图1: 3 levels + 2 growths; 图2: 3 levels + 3 shares
    for rec in rows:
        f = facts[(rec["指标代码"], rec["地区代码"], rec["时期"])]
        assert rec["数值"] == pytest.approx(f.value, rel=1e-13)
        assert fact_text(rec["数值"], f.decimals, f.kind) == f.text  # the facts layer's own rule
        assert (rec["状态"], rec["状态说明"], rec["单位"]) == (f.status, f.status_zh, f.unit)
    share = next(r for r in rows if r["指标代码"] == "de_share_gdp" and r["地区代码"] == "520100")
    # a derived value credits the documents of its inputs, not the software
    assert share["来源"].startswith("据") and "《贵阳市2021年国民经济和社会发展统计公报》" in share["来源"]
    assert share["所属图表"] == "图2"


def test_table_numbers_and_texts(case):
    _, _, wb = case
    ws = wb["表1"]
    top = _header_row(ws, "代码")
    a, b = ws[top + 1], ws[top + 2]
    assert a[0].value == "01" and a[0].data_type == "s"  # a code keeps its leading zero
    assert a[1].value == "=A1" and a[1].data_type == "s" and a[1].quotePrefix
    assert a[2].value == 12.5 and a[2].number_format == "0.00"  # written 12.50
    assert a[3].value == -3 and b[2].value == 7 and b[2].number_format == "0"
    assert b[3].value == "+1 项" and b[3].quotePrefix


FORMULA_TEXTS = ['=HYPERLINK("http://example.invalid","点此")', "+1 来源", "-2 备注", "@SUM(A1)"]


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    """User text (a source, a note, a name) beginning with = + - @ must not become a live
    formula: it is a string cell with Excel's quote prefix, its text unchanged."""
    from digecon.figures.defs import FigureDef, SeriesDef

    data = pd.DataFrame([{
        "region_code": "520000", "region_name": FORMULA_TEXTS[3], "indicator": "de_va",
        "indicator_name": "数字经济增加值", "period": "2021", "value": 1.5, "unit": "亿元",
        "status": "published", "source": FORMULA_TEXTS[0], "vintage": "2022-06-01",
        "note": FORMULA_TEXTS[2], "text": "1.5", "decimals": 1, "inputs": ""}])
    fdef = FigureDef("f", "测试", "time", (SeriesDef("de_va"),), "520000", ("2021",))
    fig = SimpleNamespace(block=SimpleNamespace(label="图", number=1), caption="图1 测试",
                          source=FORMULA_TEXTS[1], notes=[FORMULA_TEXTS[0]], data=data, fdef=fdef)
    tab = SimpleNamespace(block=SimpleNamespace(label="表", number=1), caption="表1 测试",
                          source="=1+1", notes=[], highlight_rows=[], marked=False,
                          frame=pd.DataFrame({"地区": ["=A1", "南昌"], "得分": ["1.25", "-3"]}))
    report = SimpleNamespace(title="=cmd|' /C calc'!A0", figures=[fig], tables=[tab],
                             as_of_line="数据截至版本：2022-06-30")
    wb = openpyxl.load_workbook(write_xlsx(report, tmp_path / "annex.xlsx"))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    texts.append(cell.value)
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
    assert sorted(texts) == sorted([
        "=cmd|' /C calc'!A0", "=1+1", FORMULA_TEXTS[0],  # 说明: title and two sources
        FORMULA_TEXTS[0],  # 图1's note
        FORMULA_TEXTS[3], FORMULA_TEXTS[0], FORMULA_TEXTS[2],  # the long data row
        "=A1"])  # 表1 (its source is prefixed with 数据来源：)
    assert wb["图1"]["B6"].value == 1.5  # numbers stay numbers
    assert wb["表1"]["B5"].value == 1.25 and wb["表1"]["B6"].value == -3


def test_sheet_names_are_valid_and_unique():
    long = "图" * 40
    names = sheet_names(["说明", long, long, "a/b:c", "A", "a", ""])
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)
    assert names[1] == "图" * 31 and names[2] == "图" * 28 + "(2)"
    assert names[3] == "a_b_c" and names[5] == "a(2)"


def test_number_formats_and_widths():
    assert [number_format(d) for d in (0, 1, 2)] == ["0", "0.0", "0.00"]
    assert text_width("比重（%）") == 2 * 4 + 1.1


def test_bundled_annex(built):
    """The bundled build: a sheet per figure and table, the long data last; 图1 as its chart."""
    wb = openpyxl.load_workbook(built.outputs["xlsx"])
    report = built.report
    figures = [f"{f.block.label}{f.block.number}" for f in report.figures]
    tables = [f"{t.block.label or '表'}{t.block.number}" for t in report.tables]
    assert wb.sheetnames == ["说明", *figures, *tables, LONG_SHEET]
    ws = wb["图1"]
    top = _header_row(ws, "指标")
    heads = [c.value for c in ws[top]]
    va = [c.value for c in ws[top + 1]]
    assert va[0] == "数字经济增加值（亿元）" and va[heads.index("2021年")] == 10378
    long = [r for r in wb[LONG_SHEET].iter_rows(min_row=2, values_only=True)]
    assert len(long) == sum(len(f.data) for f in report.figures)
    # a derived value's source names its inputs' documents, never the computing software
    # (the fixture's own sources may name it: tests/publish/fixtures/observations.csv)
    heads = [c.value for c in wb[LONG_SHEET][1]]
    sources = {r[heads.index("来源")] for r in long}
    assert sources and "digecon 派生计算" not in sources
