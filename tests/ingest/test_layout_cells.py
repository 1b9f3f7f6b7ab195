"""Cells that show one thing and hold another: names padded or indented with any kind of space
(其中 sub-items), month cells Excel stored as dates, header cells wrapped with Alt+Enter —
each read as the user means it, and a near miss of each still refused at its cell."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from digecon.ingest.errors import ReadError
from digecon.ingest.files import ingest_files
from digecon.ingest.names import indent, name_key, plain_name
from digecon.ingest.table import subitems
from digecon.ingest.validate import ValidationError
from digecon.store import Store


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "s.duckdb")
    s.init()
    return s


def _book(path: Path, rows: list[list], formats: dict[str, str] | None = None,
          title: str = "表") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(path)
    return path


def _ingest(store: Store, path: Path) -> list[str]:
    notices: list[str] = []
    ingest_files(store, [path], vintage="2023-05-01", source="测试", on_notice=notices.append)
    return notices


def _rows(store: Store) -> dict[tuple, float]:
    return {(r.region_code, r.indicator, r.period): round(r.value, 6)
            for r in store.query(status="published").itertuples()}


def _refused(store: Store, path: Path) -> list[str]:
    before = store.row_count()
    with pytest.raises((ValidationError, ReadError)) as exc:
        ingest_files(store, [path], vintage="2023-05-01", source="测试")
    assert store.row_count() == before
    err = exc.value
    return ([str(p) for p in err.problems] if isinstance(err, ValidationError)
            else str(err).splitlines())


@pytest.mark.parametrize("text, plain", [
    ("南　昌", "南昌"), ("九\u00a0江", "九江"), ("\t赣州市 ", "赣州市"), ("吉 安\u3000市", "吉安市"),
    ("数字产业化\n增加值", "数字产业化增加值"), ("de_va", "de_va"), ("Nanchang   City", "Nanchang City"),
    ("地　　区", "地区"), ("", ""),
])
def test_plain_name_drops_the_whitespace_that_is_layout(text, plain):
    assert plain_name(text) == plain


def test_name_key_reads_a_qizhong_marker_and_indent_counts_display_width():
    assert name_key("  其中：数字产业化增加值") == ("数字产业化增加值", True)
    assert name_key("其中:网络零售额") == ("网络零售额", True)
    assert name_key("其中") == ("其中", False)  # no name after it: refused as written
    assert [indent(t) for t in ("a", "  a", "\u3000\u3000a", "\ta")] == [0, 2, 4, 4]


def test_subitems_group_parts_under_their_whole():
    rows = [(4, {"region": "长沙", "indicator": "数字经济增加值"}),
            (5, {"region": "长沙", "indicator": "  其中：数字产业化增加值"}),
            (6, {"region": "长沙", "indicator": "        产业数字化增加值"}),
            (7, {"region": "株洲", "indicator": "  其中：数字产业化增加值"}),  # another region
            (8, {"region": "株洲", "indicator": "数字经济增加值"})]
    assert subitems(rows) == [(4, 5, True), (4, 6, True)]
    nested = [(1, {"indicator": "数字经济增加值"}), (2, {"indicator": "  其中：数字产业化增加值"}),
              (3, {"indicator": "        其中：数字产品制造业增加值"})]
    assert subitems(nested) == [(1, 2, False), (1, 3, False)]  # two levels: no sum check


def test_padded_and_indented_names_are_read_and_a_part_larger_than_its_whole_refused(
        store, tmp_path):
    p = _book(tmp_path / "q.xlsx", [
        ["地　区", "指　标", "2021年", "2022年"],
        ["长\u3000沙", "数字经济增加值", 3000.0, 3300.0],
        ["长\u00a0沙", "\u3000\u3000其中：数字产业化增加值", 900.0, 1000.0],
        ["\t长沙 ", "\t\t产业数字化增加值", 2100.0, 2300.0],
    ])
    notices = _ingest(store, p)
    got = _rows(store)
    assert {k: v for k, v in got.items() if k[1] in ("de_va", "di_va", "id_va")} == {
        ("430100", "de_va", "2021"): 3000.0, ("430100", "de_va", "2022"): 3300.0,
        ("430100", "di_va", "2021"): 900.0, ("430100", "di_va", "2022"): 1000.0,
        ("430100", "id_va", "2021"): 2100.0, ("430100", "id_va", "2022"): 2300.0}
    assert any("第 3、4 行为其上一项的其中项" in n for n in notices)

    s2 = Store(tmp_path / "s2.duckdb")
    s2.init()
    bad = _book(tmp_path / "qb.xlsx", [
        ["地区", "指标", "2022年"],
        ["株洲市", "数字经济增加值", 1300.0],
        ["株洲市", "  其中：数字产业化增加值", 800.0],
        ["株洲市", "        产业数字化增加值", 600.0],   # 800 + 600 > 1300
        ["湘潭市", "数字经济增加值", 900.0],
        ["湘潭市", "  其中：数字产业化增加值", 950.0],   # one part above its whole
    ])
    msgs = _refused(s2, bad)
    assert msgs == [
        (f"{bad}:表:2:2022年: 发现第 3、4 行各其中项之和 1400 大于所属项 1300，"
        "应为其中项之和不大于所属项：请核对各其中项与所属项"),
        (f"{bad}:表:6:2022年: 发现其中项 950 大于第 5 行所属项的 900，应为不大于所属项："
        "请核对数值与单位；若这一行不是其中项，请删去行首的空格或「其中」")]


def test_a_name_with_spaces_that_is_no_name_is_refused_once_per_cell(store, tmp_path):
    """Near misses: what is left without the spaces must still be a name; a bad region in a
    wide table is one problem, not one per value column."""
    p = _book(tmp_path / "n.xlsx", [
        ["地区", "指标", "2021年", "2022年"],
        ["长 沙 株 洲", "数字经济增加值", 1.0, 2.0],
        ["长沙市", "其中：数字产业", 3.0, 4.0],
        ["长沙市", "其中", 5.0, 6.0],
    ])
    msgs = _refused(store, p)
    assert len(msgs) == 3
    assert msgs[0].startswith(f"{p}:表:2:地区: 发现「长 沙 株 洲」，应为已登记的地区名称")
    assert msgs[1].startswith(f"{p}:表:3:指标: 发现「其中：数字产业」，应为已登记的指标代码或中文名")
    assert msgs[2].startswith(f"{p}:表:4:指标: 发现「其中」，应为已登记的指标代码或中文名")


def test_dates_shown_as_a_month_or_a_year_are_that_period(store, tmp_path):
    p = _book(tmp_path / "d.xlsx", [
        ["地区", "指标", "时期", "数值（亿元）"],
        ["长沙市", "网络零售额", dt.datetime(2021, 10, 1), 150.5],
        ["长沙市", "网络零售额", dt.date(2021, 9, 1), 140.0],
        ["长沙市", "网络零售额", dt.datetime(2020, 1, 1), 1500.0],
    ], formats={"C2": 'yyyy"年"m"月";@', "C3": "mmm-yy", "C4": 'yyyy"年"'})
    _ingest(store, p)
    assert _rows(store) == {("430100", "online_retail", "2021-10"): 150.5,
                            ("430100", "online_retail", "2021-09"): 140.0,
                            ("430100", "online_retail", "2020"): 1500.0}


def test_a_date_shown_as_a_day_or_hiding_its_day_is_refused(store, tmp_path):
    p = _book(tmp_path / "dd.xlsx", [
        ["地区", "指标", "时期", "数值"],
        ["长沙市", "网络零售额", dt.datetime(2021, 12, 1), 150.5],    # shown as a day
        ["长沙市", "网络零售额", dt.datetime(2021, 11, 15), 140.0],   # shown as a month
        ["长沙市", "网络零售额", dt.datetime(2021, 6, 1), 1500.0],    # shown as a year
    ], formats={"C2": "yyyy-mm-dd", "C3": "yyyy-mm", "C4": "yyyy"})
    msgs = _refused(store, p)
    assert len(msgs) == 3
    assert msgs[0].startswith(f"{p}:表:2:时期: 发现「2021-12-01」，应为时期格式")
    assert "没有某一天" in msgs[0]
    assert msgs[1].startswith(f"{p}:表:3:时期: 发现「2021-11-15（单元格显示为 2021-11）」")
    assert msgs[2].startswith(f"{p}:表:4:时期: 发现「2021-06-01（单元格显示为 2021）」")


def test_wrapped_header_cells_are_one_name_with_their_unit(store, tmp_path):
    p = _book(tmp_path / "w.xlsx", [
        ["地\n区", "年份", "地区生产总值\n亿元", "网络零售额\r\n单位：万元", "数字经济\n增加值\n(亿元)"],
        ["株洲市", 2022, 3616.8, 1203400, 1200.5],
    ])
    _ingest(store, p)
    assert {k: v for k, v in _rows(store).items() if k[1] in ("gdp", "online_retail", "de_va")
            } == {("430200", "gdp", "2022"): 3616.8, ("430200", "online_retail", "2022"): 120.34,
                  ("430200", "de_va", "2022"): 1200.5}


def test_a_wrapped_header_with_a_wrong_unit_or_no_known_name_is_refused(store, tmp_path):
    p = _book(tmp_path / "wb.xlsx", [
        ["地区", "年份", "数字产业化\n增加值\n（万户）"],
        ["株洲市", 2022, 3616.8],
    ])
    msgs = _refused(store, p)
    assert msgs == [f"{p}:表:2:数字产业化增加值（万户）: 发现单位「万户」，应为可换算为「亿元」的单位"]
    q = _book(tmp_path / "wq.xlsx", [
        ["地区", "年份", "数字产业化\n增加\n（亿元）"],   # 数字产业化增加 is no indicator
        ["株洲市", 2022, 3616.8],
    ])
    msgs = _refused(store, q)  # but it shortens one, so the column is named with it
    assert msgs == [(f"{q}:表:1:数字产业化增加（亿元）: 发现列「数字产业化增加（亿元）」像是指标名称的"
                    "简写，可指 di_va（数字产业化增加值），应为指标的完整名称或代码：无法确定是哪一个"
                    "（或是否其中之一），请写明")]
    r = _book(tmp_path / "wr.xlsx", [
        ["地区", "年份", "产值\n合计\n（亿元）"],   # shortens no indicator: no layout fits
        ["株洲市", 2022, 3616.8],
    ])
    msgs = _refused(store, r)
    assert msgs == [(f"{r}:表:1: 发现表头 ['地区', '年份', '产值合计（亿元）']，应为长表（region, "
                    "indicator, period, value）或宽表（地区 + 各年份列，或 地区 + 各指标列）")]


def test_a_date_in_a_format_left_to_excels_language_is_refused_with_what_it_is(store, tmp_path):
    """Built-in format 57 is 2022年11月 in Chinese Excel but another date form in Japanese or
    Korean; the file does not say which, so the cell is named as a date, not read as 44866."""
    import re
    import zipfile

    p = _book(tmp_path / "f.xlsx", [["地区", "指标", "时期", "数值"],
                                    ["长沙市", "网络零售额", 44866, 150.5]], formats={"C2": "0.00"})
    with zipfile.ZipFile(p) as z:
        members = {n: z.read(n) for n in z.namelist()}
    styles = members["xl/styles.xml"].decode()
    members["xl/styles.xml"] = re.sub(r'numFmtId="2"', 'numFmtId="57"', styles).encode()
    with zipfile.ZipFile(p, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    msgs = _refused(store, p)
    assert len(msgs) == 1
    assert msgs[0].startswith(f"{p}:表:2:时期: 发现「2022-11-01（日期，内置格式 57 的显示随 Excel 的语言而定）」")
    assert "yyyy-mm" in msgs[0]


def test_hidden_rows_and_columns_are_read_and_named(store, tmp_path):
    """Hiding is a view (Excel's SUM counts hidden cells): the values are read, and a notice
    says which rows and columns were hidden, so that one hidden to leave it out can be deleted."""
    p = _book(tmp_path / "h.xlsx", [["地区", "年份", "网络零售额", "地区生产总值", "备查"],
                                    ["长沙市", 2022, 1500.2, 13966.1, "x"],
                                    ["株洲市", 2022, 210.4, 3616.8, "y"],
                                    ["湘潭市", 2022, 190.6, 2696.5, "z"]], title="2022")
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    ws.column_dimensions["D"].hidden = True
    ws.column_dimensions["E"].hidden = True  # an ignored column: not among those read
    ws.row_dimensions[3].hidden = True
    wb.save(p)
    notices = _ingest(store, p)
    assert len(_rows(store)) == 6 and _rows(store)[("430200", "gdp", "2022")] == 3616.8
    assert (f"{p}:2022: 第 3 行，列「地区生产总值」在 Excel 中是隐藏的，已照常导入（隐藏只影响显示）；"
            "不应导入的行或列请删除") in notices


def test_a_workbook_without_hidden_rows_says_nothing_of_them(store, tmp_path):
    p = _book(tmp_path / "v.xlsx", [["地区", "年份", "网络零售额"], ["长沙市", 2022, 1500.2]])
    assert not any("隐藏" in n for n in _ingest(store, p))
