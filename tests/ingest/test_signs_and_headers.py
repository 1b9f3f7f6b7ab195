"""Minus signs other than ASCII `-`, number forms DuckDB's cast takes that a table does not
mean, and where a header "close to a known name" (refused with the candidates) ends and an
unknown column (ignored with a notice) begins (docs/store.md, Numbers and Columns)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from digecon.catalog import get_catalog
from digecon.ingest.errors import ReadError
from digecon.ingest.files import ingest_files
from digecon.ingest.layout import close_to_known
from digecon.ingest.validate import ValidationError
from digecon.store import Store


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "s.duckdb")
    s.init()
    return s


def _ingest(store: Store, path: Path, **opts) -> list[str]:
    notices: list[str] = []
    ingest_files(store, [path], vintage="2023-05-01", source="测试", on_notice=notices.append,
                 **opts)
    return notices


def _refused(store: Store, path: Path) -> list[str]:
    before = store.row_count()
    with pytest.raises((ValidationError, ReadError)) as exc:
        ingest_files(store, [path], vintage="2023-05-01", source="测试")
    assert store.row_count() == before
    err = exc.value
    return [str(p) for p in err.problems] if isinstance(err, ValidationError) else \
        str(err).splitlines()


def _rows(store: Store) -> dict[tuple, float]:
    got = store.query(status="published")
    return {(r.region_code, r.indicator, r.period): round(r.value, 6) for r in got.itertuples()}


def _book(path: Path, rows: list[list], title: str = "表") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_minus_signs_of_word_and_chinese_input_methods_are_minus_signs(store, tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("地区,指标,年份,数值\n长沙市,网络零售额增速,2022,\u22124.5\n"
                 "株洲市,网络零售额增速,2022,\uff0d2.25\n湘潭市,网络零售额增速,2022,\ufe630.5\n"
                 "衡阳市,网络零售额增速,2022,-7\n岳阳市,网络零售额增速,2022,\u2212 \n",
                 encoding="utf-8")
    notices = _ingest(store, p)
    assert _rows(store) == {("430100", "online_retail_growth", "2022"): -4.5,
                            ("430200", "online_retail_growth", "2022"): -2.25,
                            ("430300", "online_retail_growth", "2022"): -0.5,
                            ("430400", "online_retail_growth", "2022"): -7.0}
    # a minus sign alone is a mark for "no data", like `-`: skipped and named, not a zero
    assert any("「\u2212」" in n and "第 6 行" in n for n in notices)


def test_a_minus_sign_in_a_text_cell_of_a_workbook(store, tmp_path):
    p = _book(tmp_path / "w.xlsx", [["地区", "年份", "地区生产总值名义增速（%）"],
                                   ["长沙市", 2022, "\u22121.8"], ["株洲市", 2022, 3.1]])
    _ingest(store, p)
    assert _rows(store) == {("430100", "gdp_growth", "2022"): -1.8,
                            ("430200", "gdp_growth", "2022"): 3.1}


def test_a_dash_before_a_number_is_refused_saying_it_is_no_minus_sign(store, tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("地区,指标,年份,数值\n长沙市,网络零售额增速,2022,\u20143.2\n", encoding="utf-8")
    assert _refused(store, p) == [(f"{p}:2:数值: 发现「\u20143.2」，应为数值：「\u2014」是破折号，"
                                   "不是负号；负数请写 -3.2，无数据请只填「\u2014」")]


@pytest.mark.parametrize("text", ["\u2212\u22123",
                                  "- 3.2", "3.2\u2212", "+-5", "1_000"])
def test_forms_no_table_writes_are_refused_not_read(store, tmp_path, text):
    """A sign apart from its digits or after them, a sign twice, a digit separator: none is
    read as a number (DuckDB alone would read +-5 as -5, 1_000 as 1000)."""
    p = tmp_path / "d.csv"
    p.write_text(f"地区,指标,年份,数值\n长沙市,网络零售额增速,2022,{text}\n", encoding="utf-8")
    assert _refused(store, p) == [f"{p}:2:数值: 发现「{text}」，应为数值"]


def test_a_negative_level_typed_with_a_unicode_minus_is_still_implausible(store, tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("地区,指标,年份,数值\n长沙市,网络零售额,2022,\u221212.5\n", encoding="utf-8")
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:2:数值: 发现") and "-12.5" in msgs[0]


def test_scientific_notation_as_excel_writes_long_numbers_into_csv(store, tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("地区,指标,年份,数值,单位\n长沙市,地区生产总值,2022,1.39661E+12,元\n"
                 "株洲市,地区生产总值,2022,3.6168e11,元\n", encoding="utf-8")
    _ingest(store, p)
    assert _rows(store) == {("430100", "gdp", "2022"): 13966.1,
                            ("430200", "gdp", "2022"): 3616.8}


def test_a_shortened_indicator_name_is_refused_with_every_candidate(store, tmp_path):
    p = _book(tmp_path / "s.xlsx", [["地区", "年份", "产业数字化增加值（亿元）", "产业数字化比重（%）"],
                                   ["长沙市", 2022, 4100.5, 29.4]])
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:表:1:产业数字化比重（%）: 发现列「产业数字化比重（%）」")
    assert "id_share_de（产业数字化占数字经济比重）" in msgs[0]
    assert "id_share_gdp（产业数字化增加值占GDP比重）" in msgs[0]
    assert "应为指标的完整名称或代码" in msgs[0]


def test_a_shortening_of_one_indicator_in_a_csv_is_refused_too(store, tmp_path):
    """Even with one candidate it is refused: the name in the file is not the catalog's."""
    p = tmp_path / "s.csv"
    p.write_text("地区,年份,网络零售额,网络零售增速\n长沙市,2022,1600.2,12.5\n", encoding="utf-8")
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:1:网络零售增速: 发现列「网络零售增速」")
    assert "online_retail_growth（网络零售额增速）" in msgs[0]


@pytest.mark.parametrize("header", ["联系电话", "增长（%）", "增加值", "排名", "填报单位名称"])
def test_a_header_that_shortens_no_indicator_is_ignored_with_a_notice(store, tmp_path, header):
    p = _book(tmp_path / "u.xlsx", [["地区", "年份", "网络零售额（亿元）", header],
                                   ["长沙市", 2022, 1600.2, 7]])
    notices = _ingest(store, p)
    assert _rows(store) == {("430100", "online_retail", "2022"): 1600.2}
    assert f"{p}:表: 已忽略不认识的列「{header}」" in notices


def test_close_to_known_draws_the_line_where_the_docs_say():
    cat = get_catalog()
    # shortening: four characters or more, all in an indicator's name, in order
    assert "di_share_de" in close_to_known("数字产业化比重（%）", cat)
    assert "di_share_gdp" in close_to_known("数字产业化比重（%）", cat)
    # the unit in brackets narrows the candidates to indicators of its dimension
    assert "count" not in close_to_known("数字产业化比重（%）", cat)
    # a misspelling of a field, with or without the indicators
    assert close_to_known("stauts", cat, indicators=False).endswith("最接近：status")
    # not close: too short to say what it shortens, or characters no name holds in that order
    assert close_to_known("比重（%）", cat) == ""
    assert close_to_known("联系人", cat) == ""
    assert close_to_known("比重数字产业化", cat) == ""


@pytest.mark.parametrize("indicator", ["网络零售额", "数字经济增加值占GDP比重"])
@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity"])
def test_what_is_not_a_finite_number_is_refused(store, tmp_path, text, indicator):
    """Refused as no number, once: not also as a negative level or a share out of range."""
    p = tmp_path / "f.csv"
    p.write_text(f"地区,指标,年份,数值\n长沙市,{indicator},2022,{text}\n", encoding="utf-8")
    assert _refused(store, p) == [f"{p}:2:数值: 发现「{text}」，应为数值"]


@pytest.mark.parametrize(("header", "cell"), [("地区生产总值（亿元）", "3747.9亿元"),
                                              ("地区生产总值（万元）", "3747.9亿"),
                                              ("地区生产总值（亿元）", "3747.9 亿元")])
def test_a_unit_in_a_value_cell_is_refused_even_where_it_would_convert(store, tmp_path,
                                                                       header, cell):
    p = _book(tmp_path / "u.xlsx", [["地区", "年份", header], ["长沙市", 2022, cell]])
    unit = cell.replace("3747.9", "").strip()
    assert _refused(store, p) == [(f"{p}:表:2:{header}: 发现「{cell}」，应为数值：单元格里写了单位"
                                   f"「{unit}」，请只填数值，单位写在表头（如 数值（亿元））或单位列")]


def test_a_row_given_twice_with_the_same_value_is_refused_naming_both(store, tmp_path):
    """'Not written twice' is about rows already in the store; in one file it is a key twice."""
    p = tmp_path / "t.csv"
    p.write_text("地区,指标,年份,数值\n长沙市,网络零售额,2022,1600.2\n株洲市,网络零售额,2022,210.5\n"
                 "长沙市,网络零售额,2022,1600.2\n", encoding="utf-8")
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:4:") and "第 2 行" in msgs[0]
    q = tmp_path / "q.csv"  # the same row again in a later batch: stored once, no error
    q.write_text("地区,指标,年份,数值\n长沙市,网络零售额,2022,1600.2\n", encoding="utf-8")
    _ingest(store, q)
    _ingest(store, q)
    assert len(store.query(status="published")) == 1


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_shortened_name_beside_a_long_table_is_refused_in_csv_and_xlsx_alike(store, tmp_path,
                                                                               suffix):
    rows = [["地区", "指标", "年份", "数值", "数字产业化比重"],
            ["长沙市", "网络零售额", 2022, 1600.2, 27.2]]
    if suffix == "csv":
        p = tmp_path / "l.csv"
        p.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
        head = f"{p}:1:"
    else:
        p = _book(tmp_path / "l.xlsx", rows)
        head = f"{p}:表:1:"
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{head}数字产业化比重: 发现列「数字产业化比重」")
    assert "di_share_de" in msgs[0] and "di_share_gdp" in msgs[0]
