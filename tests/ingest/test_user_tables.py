"""Tables laid out the way people send them (title and 单位 rows, headers of two rows, units in
header cells, totals, footnotes, marks for "no data", bounds), on cases other than the held-out
files of fixtures/heldout: each is read to exactly its values or refused at its cell."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from digecon.catalog import get_catalog
from digecon.errors import InputError
from digecon.ingest.errors import ReadError, WriteError
from digecon.ingest.files import ingest_files
from digecon.ingest.validate import ValidationError
from digecon.store import Store

from . import heldout  # tests/ingest/heldout.py: the held-out files and their scorer


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "s.duckdb")
    s.init()
    return s


def _rows(store: Store) -> dict[tuple, tuple]:
    got = store.query(status="published")
    return {(r.region_code, r.indicator, r.period): (round(r.value, 6), r.qualifier)
            for r in got.itertuples()}


def _ingest(store: Store, path: Path, **opts) -> list[str]:
    notices: list[str] = []
    ingest_files(store, [path], vintage="2023-05-01", source="测试", on_notice=notices.append,
                 **opts)
    return notices


def _refused(store: Store, path: Path, **opts) -> list[str]:
    before = store.row_count()
    with pytest.raises((ValidationError, ReadError)) as exc:
        ingest_files(store, [path], vintage="2023-05-01", source="测试", **opts)
    assert store.row_count() == before
    err = exc.value
    return [str(p) for p in err.problems] if isinstance(err, ValidationError) else \
        str(err).splitlines()


def _book(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_ingest_errors_are_the_one_input_error_family():
    assert all(issubclass(c, InputError) for c in (ReadError, WriteError, ValidationError))


def test_csv_two_row_header_as_excel_exports_merged_cells(store, tmp_path):
    """Hunan: the group label written once over its years (a merged cell saved as CSV)."""
    p = tmp_path / "hn.csv"
    p.write_text("湖南省部分市州主要指标\n（单位：亿元）\n"
                 "市州,地区生产总值,,数字经济增加值占GDP比重(%),\n"
                 ",2021年,2022年,2021年,2022年\n"
                 "长沙市,13270.7,13966.1,40.5,41.6\n"
                 "湘西,800.0,805.2,18.1,19.0\n", encoding="utf-8")
    notices = _ingest(store, p)
    assert _rows(store) == {
        ("430100", "gdp", "2021"): (13270.7, "eq"), ("430100", "gdp", "2022"): (13966.1, "eq"),
        ("430100", "de_share_gdp", "2021"): (40.5, "eq"),
        ("430100", "de_share_gdp", "2022"): (41.6, "eq"),
        ("433100", "gdp", "2021"): (800.0, "eq"), ("433100", "gdp", "2022"): (805.2, "eq"),
        ("433100", "de_share_gdp", "2021"): (18.1, "eq"),
        ("433100", "de_share_gdp", "2022"): (19.0, "eq")}
    assert any("湖南省部分市州主要指标" in n for n in notices)


def test_a_total_of_every_unit_is_its_province_and_a_whole_word_its_parent(store, tmp_path):
    cat = get_catalog()
    units = cat.regions(level="city", parent="460000") or cat.regions(level="city",
                                                                     parent="630000")
    parent = cat.region(units[0].parent)
    rows = [["地区", "地区生产总值（万元）", "年份"]]
    rows += [[u.name, 1000000 + 10 * i, 2022] for i, u in enumerate(units)]
    rows += [["总计", sum(1000000 + 10 * i for i in range(len(units))), 2022]]
    notices = _ingest(store, _book(tmp_path / "t.xlsx", {"表": rows}))
    got = _rows(store)
    assert got[(parent.code, "gdp", "2022")][0] == pytest.approx(
        sum(100 + 0.001 * i for i in range(len(units))))
    assert any("「总计」按" in n and parent.name in n for n in notices)


def test_a_whole_city_row_among_its_counties(store, tmp_path):
    cat = get_catalog()
    counties = cat.regions(level="county", parent="360700")[:3]
    lines = ["地区,指标,年份,数值"] + [f"{c.name},地区生产总值,2022,{300 + i}"
                                     for i, c in enumerate(counties)] + ["全市,地区生产总值,2022,4523.6"]
    p = tmp_path / "gz.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _ingest(store, p)
    assert _rows(store)[("360700", "gdp", "2022")] == (4523.6, "eq")


def test_subtotals_are_refused(store, tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("地区,指标,年份,数值\n长沙市,地区生产总值,2022,13966.1\n"
                 "株洲市,地区生产总值,2022,3616.8\n小计,地区生产总值,2022,17582.9\n",
                 encoding="utf-8")
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:4:地区: 发现「小计」")


def test_bounds_and_approximations_in_a_plain_csv(store, tmp_path):
    p = tmp_path / "b.csv"
    p.write_text("region,indicator,period,value\n长沙市,online_retail,2022,≥1500\n"
                 "株洲市,online_retail,2022,约 210.5\n湘潭市,online_retail,2022,＜５0\n"
                 "衡阳市,online_retail,2022,—\n", encoding="utf-8")
    notices = _ingest(store, p)
    assert _rows(store) == {("430100", "online_retail", "2022"): (1500.0, "ge"),
                            ("430200", "online_retail", "2022"): (210.5, "approx"),
                            ("430300", "online_retail", "2022"): (50.0, "lt")}
    assert any("「—」" in n and "第 5 行" in n for n in notices)


def test_a_percent_sign_only_where_the_unit_is_percent(store, tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("地区,指标,年份,数值\n长沙市,数字经济增加值占GDP比重,2022,41.6%\n"
                 "长沙市,网络零售额,2022,8%\n", encoding="utf-8")
    msgs = _refused(store, p)
    assert msgs == [(f"{p}:3:数值: 发现「8%」带百分号，应为以「亿元」计的数值：该指标不是百分比，"
                    "请核对列或指标")]


@pytest.mark.parametrize("mark", ["…", "...", "……"])
def test_an_ellipsis_is_not_read_as_anything(store, tmp_path, mark):
    p = _book(tmp_path / "e.xlsx", {"2023年": [["地区", "网络零售额（亿元）"],
                                              ["长沙市", 1600.2], ["株洲市", mark]]})
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:2023年:3:网络零售额（亿元）: 发现「{mark}」")
    assert "应为数值" in msgs[0]


def test_a_sheet_named_for_a_year_gives_the_period_and_says_so(store, tmp_path):
    p = _book(tmp_path / "y.xlsx", {"2023年": [["地区", "网络零售额（亿元）"], ["长沙市", 1600.2]]})
    notices = _ingest(store, p)
    assert _rows(store) == {("430100", "online_retail", "2023"): (1600.2, "eq")}
    assert any("工作表名「2023年」" in n for n in notices)


def test_a_value_ten_thousand_times_its_peers_is_refused_unless_allowed(store, tmp_path):
    rows = [["单位：亿元"], ["地区", "年份", "网络零售额"]]
    rows += [[c, 2022, v] for c, v in [("长沙市", 1600.2), ("株洲市", 210.5), ("湘潭市", 180.0),
                                        ("衡阳市", 2300000), ("岳阳市", 260.4)]]
    p = _book(tmp_path / "m.xlsx", {"零售": rows})
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:零售:6:网络零售额: 发现「2300000」")
    _ingest(store, p, allow_implausible=True)
    assert _rows(store)[("430400", "online_retail", "2022")] == (2300000.0, "eq")


def test_periods_written_the_chinese_way(store, tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("地区,指标,时期,数值\n长沙市,网络零售额,２０２２年１２月,160.2\n"
                 "长沙市,网络零售额,2016—2021年,6100.0\n长沙市,网络零售额,2022年度,1600.2\n"
                 "长沙市,网络零售额,2022年上半年,790.0\n", encoding="utf-8")
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:5:时期: 发现「2022年上半年」")
    p.write_text("\n".join(p.read_text(encoding="utf-8").splitlines()[:-1]) + "\n",
                 encoding="utf-8")
    _ingest(store, p)
    assert set(_rows(store)) == {("430100", "online_retail", "2022-12"),
                                 ("430100", "online_retail", "2016-2021"),
                                 ("430100", "online_retail", "2022")}


def test_a_unit_line_with_a_header_unit_of_another_kind(store, tmp_path):
    """单位：亿元 over a table with a share column marked (%): each column its own unit."""
    p = _book(tmp_path / "u.xlsx", {"2022年": [["单位：亿元"], [],
                                              ["地区", "地区生产总值", "数字经济增加值占GDP比重（%）"],
                                              ["长沙市", 13966.1, 41.6]]})
    _ingest(store, p)
    assert _rows(store) == {("430100", "gdp", "2022"): (13966.1, "eq"),
                            ("430100", "de_share_gdp", "2022"): (41.6, "eq")}


def test_hidden_sheets_and_footnotes_are_named_not_read(store, tmp_path):
    p = _book(tmp_path / "h.xlsx", {
        "数据": [["地区", "指标", "年份", "数值"], ["长沙市", "网络零售额", 2022, 1600.2],
               [], ["资料来源：长沙市商务局"], ["2. 网络零售额为实物与服务合计。"]],
        "草稿": [["地区", "指标", "年份", "数值"], ["长沙市", "网络零售额", 2022, 1500]]})
    wb = openpyxl.load_workbook(p)
    wb["草稿"].sheet_state = "hidden"
    wb.save(p)
    notices = _ingest(store, p)
    assert _rows(store) == {("430100", "online_retail", "2022"): (1600.2, "eq")}
    assert any("隐藏的工作表「草稿」" in n for n in notices)
    assert any("资料来源：长沙市商务局" in n and "2. 网络零售额为实物与服务合计。" in n
               for n in notices)


def test_an_ambiguous_region_name_lists_the_candidates(store, tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("地区,指标,年份,数值\n朝阳区,地区生产总值,2022,7000\n", encoding="utf-8")
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:2:地区: 发现「朝阳区」，可指 ")
    assert "应为唯一的地区名称" in msgs[0]


# Each held-out set's score is a floor: only the files listed here may fail, and every other
# file must give what its expectation says, through the CLI. A file fixed comes off the list;
# none goes on it. (fixtures/heldout2 scored 17/20 at first sight, on a9051ae: 24, 30 and 32
# failed; 20/20 since 其中/padded names, month-formatted dates and wrapped headers are read.
# fixtures/heldout3, by a third author, scored 18/20 at first sight on 716bd04: 50 (minus signs
# typed as U+2212 / full-width) and 58 (a header that could name two indicators) failed; 20/20
# since the minus signs are read and a shortened indicator name is refused with its candidates.)
MAY_FAIL: dict[str, set[str]] = {"heldout": set(), "heldout2": set(), "heldout3": set()}


@pytest.mark.parametrize("held", sorted(heldout.SETS))
def test_heldout_scores_do_not_fall(held):
    results = heldout.score(heldout.SETS[held])
    assert {name: p for name, p in results.items() if p and name not in MAY_FAIL[held]} == {}
    assert sum(not p for p in results.values()) >= len(results) - len(MAY_FAIL[held])


def test_regions_across_with_indicators_down(store, tmp_path):
    p = _book(tmp_path / "r.xlsx", {"2022年": [["单位：亿元"],
                                              ["指标", "长沙市", "株洲市", "湘西州"],
                                              ["地区生产总值", 13966.1, 3616.8, 805.2],
                                              ["网络零售额", 1600.2, "—", 60.1]]})
    notices = _ingest(store, p)
    assert _rows(store) == {("430100", "gdp", "2022"): (13966.1, "eq"),
                            ("430200", "gdp", "2022"): (3616.8, "eq"),
                            ("433100", "gdp", "2022"): (805.2, "eq"),
                            ("430100", "online_retail", "2022"): (1600.2, "eq"),
                            ("433100", "online_retail", "2022"): (60.1, "eq")}
    assert any("「—」" in n for n in notices)
    bad = _book(tmp_path / "rb.xlsx", {"2022年": [["指标", "长沙市", "株洲市"],
                                                 ["地区生产总值", 13966.1, "三千"]]})
    msgs = _refused(store, bad)
    assert len(msgs) == 1 and msgs[0].startswith(f"{bad}:2022年:2:株洲市: 发现「三千」，应为数值")


def test_a_unit_in_the_header_row_and_a_column_without_header(store, tmp_path):
    p = _book(tmp_path / "w.xlsx", {"数据": [["地区", "年份", "地区生产总值", None, "单位：万元"],
                                           ["长沙市", 2022, 139661000, "备查", None]]})
    notices = _ingest(store, p)
    assert _rows(store) == {("430100", "gdp", "2022"): (13966.1, "eq")}
    assert any("已忽略不认识的列「列4」" in n for n in notices)


def test_a_file_in_the_wrong_unit_differs_from_the_stored_history(store, tmp_path):
    """No peers to compare with, but the store holds the region's other years."""
    p = tmp_path / "h1.csv"
    p.write_text("地区,指标,年份,数值\n株洲市,地区生产总值,2020,3105.8\n"
                 "株洲市,地区生产总值,2021,3420.3\n", encoding="utf-8")
    _ingest(store, p)
    q = tmp_path / "h2.csv"
    q.write_text("地区,指标,年份,数值（亿元）\n株洲市,地区生产总值,2022,36168000\n",
                 encoding="utf-8")  # 万元 entered under a header that says 亿元
    msgs = _refused(store, q)
    assert len(msgs) == 1 and msgs[0].startswith(f"{q}:2:数值（亿元）: 发现「36168000」")
    assert "库中同一地区、同一指标的中位数为 3263.05" in msgs[0]


def test_a_total_that_does_not_add_up_is_refused(store, tmp_path):
    cat = get_catalog()
    units = cat.regions(level="city", parent="640000")  # 宁夏's 5 地级市
    lines = ["地区,指标,年份,数值"] + [f"{u.name},地区生产总值,2022,{500 + i}"
                                     for i, u in enumerate(units)]
    p = tmp_path / "nx.csv"
    p.write_text("\n".join(lines + ["合计,地区生产总值,2022,9999"]) + "\n", encoding="utf-8")
    msgs = _refused(store, p)
    total = sum(500 + i for i in range(len(units)))
    assert msgs == [(f"{p}:{len(units) + 2}:数值: 发现合计「9999」与表中各行之和 {total} 不符，"
                    "应为各行之和：请核对合计或各行；若它是另有来源的总数，请在地区列写明所指地区（如省名）")]
    p.write_text("\n".join(lines + [f"合计,地区生产总值,2022,{total}"]) + "\n", encoding="utf-8")
    _ingest(store, p)
    assert _rows(store)[("640000", "gdp", "2022")] == (float(total), "eq")
