"""What departments send that neither held-out set covers: a 单位 line contradicting a unit on
its own line of a wrapped header, 本年/上年 columns, numbers with pasted spaces or a ‰ sign,
亿元 beside 万亿元 in one unit column — each read exactly or refused at its cell."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from digecon.ingest.errors import ReadError
from digecon.ingest.files import ingest_files
from digecon.ingest.validate import ValidationError
from digecon.store import Store

JX = ["南昌市", "景德镇市", "萍乡市", "九江市", "新余市", "鹰潭市"]


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "s.duckdb")
    s.init()
    return s


def _book(path: Path, rows: list[list], title: str = "表") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _rows(store: Store) -> dict[tuple, float]:
    return {(r.region_code, r.indicator, r.period): round(r.value, 6)
            for r in store.query(status="published").itertuples()}


def _ingest(store: Store, path: Path) -> list[str]:
    notices: list[str] = []
    ingest_files(store, [path], vintage="2023-05-01", source="测试", on_notice=notices.append)
    return notices


def _refused(store: Store, path: Path) -> list[str]:
    before = store.row_count()
    with pytest.raises((ValidationError, ReadError)) as exc:
        ingest_files(store, [path], vintage="2023-05-01", source="测试")
    assert store.row_count() == before
    err = exc.value
    return ([str(p) for p in err.problems] if isinstance(err, ValidationError)
            else str(err).splitlines())


def test_a_unit_line_contradicting_a_wrapped_header_unit_is_refused(store, tmp_path):
    p = _book(tmp_path / "u.xlsx", [["单位：万元"], ["地区", "年份", "地区生产总值\n亿元"],
                                    ["南昌市", 2022, 7203.5]])
    msgs = _refused(store, p)
    assert msgs == [(f"{p}:表:2:地区生产总值（亿元）: 发现表头单位「亿元」与第 1 行「单位：万元」不一致，"
                    "应为同一单位：删去其中一个或改为一致")]
    q = _book(tmp_path / "uq.xlsx", [["单位：亿元"], ["地区", "年份", "地区生产总值\n亿元"],
                                     ["南昌市", 2022, 7203.5]])  # the two agree: read
    _ingest(store, q)
    assert _rows(store)[("360100", "gdp", "2022")] == 7203.5


def test_this_year_and_last_year_columns_are_refused_not_guessed(store, tmp_path):
    p = _book(tmp_path / "r.xlsx", [["2022年各设区市网络零售额"],
                                    ["地区", "指标", "本年", "上年同期（亿元）"],
                                    ["南昌市", "网络零售额", 1203.4, 1050.2]])
    msgs = _refused(store, p)
    assert msgs == [
        (f"{p}:表:2:本年: 发现列「本年」是相对的时期，应为写明年份或月份的列名（如 2021年、2022年12月）："
         "表中没有写明它所指的年份，不能推断"),
        (f"{p}:表:2:上年同期（亿元）: 发现列「上年同期（亿元）」是相对的时期，应为写明年份或月份的列名"
         "（如 2021年、2022年12月）：表中没有写明它所指的年份，不能推断")]
    c = tmp_path / "r.csv"
    c.write_text("地区,指标,本年,上年\n南昌市,网络零售额,1203.4,1050.2\n", encoding="utf-8")
    msgs = _refused(store, c)
    assert [m.split(": ")[0] for m in msgs] == [f"{c}:1:本年", f"{c}:1:上年"]
    d = tmp_path / "rd.csv"  # in a period column, the cell is named with the reason
    d.write_text("地区,指标,年份,数值\n南昌市,网络零售额,本年,1203.4\n"
                 "南昌市,网络零售额,2021年,1050.2\n", encoding="utf-8")
    msgs = _refused(store, d)
    assert len(msgs) == 1 and msgs[0].startswith(f"{d}:2:年份: 发现「本年」，应为时期格式")
    assert "所指的年份表中没有写明" in msgs[0]
    ok = _book(tmp_path / "ok.xlsx", [["地区", "指标", "2022年", "2021年"],   # near miss: read
                                      ["南昌市", "网络零售额", 1203.4, 1050.2]])
    _ingest(store, ok)
    assert _rows(store) == {("360100", "online_retail", "2022"): 1203.4,
                            ("360100", "online_retail", "2021"): 1050.2}


def test_numbers_with_pasted_spaces_and_per_mille_signs(store, tmp_path):
    p = _book(tmp_path / "n.xlsx", [["地区", "年份", "网络零售额（亿元）", "数字经济增加值占GDP比重（%）"],
                                    ["南昌市", 2022, "1,203.4\u00a0", "418‰"],
                                    ["九江市", 2022, "\t402.0", "\u3000322‰ "],
                                    ["赣州市", 2022, "\u3000519.6\u3000", "36.5"]])
    _ingest(store, p)
    assert _rows(store) == {("360100", "online_retail", "2022"): 1203.4,
                            ("360400", "online_retail", "2022"): 402.0,
                            ("360700", "online_retail", "2022"): 519.6,
                            ("360100", "de_share_gdp", "2022"): 41.8,
                            ("360400", "de_share_gdp", "2022"): 32.2,
                            ("360700", "de_share_gdp", "2022"): 36.5}
    bad = _book(tmp_path / "nb.xlsx", [["地区", "年份", "网络零售额（亿元）"],
                                       ["南昌市", 2022, "3.5‰"],        # ‰ of what: refused
                                       ["九江市", 2022, "1 203.4"]])    # a space inside: refused
    s2 = Store(tmp_path / "s2.duckdb")
    s2.init()
    msgs = _refused(s2, bad)
    assert msgs == [(f"{bad}:表:2:网络零售额（亿元）: 发现「3.5‰」带千分号，应为以「亿元」计的数值："
                     "该指标不是百分比，请核对列或指标"),
                    f"{bad}:表:3:网络零售额（亿元）: 发现「1 203.4」，应为数值"]


def test_yi_and_wanyi_yuan_in_one_unit_column(store, tmp_path):
    """Both units convert exactly; a figure typed in 亿元 but labelled 万亿元 is ten thousand
    times its peers and is refused."""
    lines = ["地区,指标,年份,数值,单位"] + [f"{c},地区生产总值,2022,{1000 + 100 * i},亿元"
                                       for i, c in enumerate(JX[:5])]
    p = tmp_path / "y.csv"
    p.write_text("\n".join(lines + [f"{JX[5]},地区生产总值,2022,0.12035,万亿元"]) + "\n",
                 encoding="utf-8")
    _ingest(store, p)
    assert _rows(store)[("360600", "gdp", "2022")] == 1203.5
    s2 = Store(tmp_path / "s2.duckdb")
    s2.init()
    q = tmp_path / "yb.csv"
    q.write_text("\n".join(lines + [f"{JX[5]},地区生产总值,2022,1203.5,万亿元"]) + "\n",
                 encoding="utf-8")
    msgs = _refused(s2, q)
    assert len(msgs) == 1 and msgs[0].startswith(f"{q}:7:数值: 发现「1203.5」（同一指标、时期其他地区")
    assert "请核对单位" in msgs[0]
