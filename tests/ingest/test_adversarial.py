"""The ingest helper's own adversarial files (fixtures/adversarial, README there): kinds of file
users send that no held-out set covers, each refused at its cell or read to exactly its values."""
from __future__ import annotations

from pathlib import Path

import pytest

from digecon.ingest.errors import ReadError
from digecon.ingest.files import ingest_files
from digecon.ingest.validate import ValidationError
from digecon.store import Store

ADV = Path(__file__).parent / "fixtures" / "adversarial"


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "s.duckdb")
    s.init()
    return s


def _refused(store: Store, path: Path) -> list[str]:
    before = store.row_count()
    with pytest.raises((ValidationError, ReadError)) as exc:
        ingest_files(store, [path], vintage="2023-05-01", source="测试")
    assert store.row_count() == before
    err = exc.value
    return [str(p) for p in err.problems] if isinstance(err, ValidationError) else \
        str(err).splitlines()


def test_two_exports_joined_end_to_end_are_one_problem_on_the_second_header(store):
    p = ADV / "a1_two_exports_joined.csv"
    assert _refused(store, p) == [
        (f"{p}:4:地区: 发现第 4 行是又一行表头（地区列写着「地区」），应为每个文件只有一行表头："
        "文件可能由几个表首尾拼接而成，请删去这一行（或分成几个文件导入）")]


def test_a_region_name_that_is_not_the_header_is_no_second_header(store, tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("地区,指标,年份,数值\n南昌市,网络零售额,2022,1600.2\n南吕市,网络零售额,2022,1\n",
                 encoding="utf-8")
    msgs = _refused(store, p)
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:3:地区: 发现「南吕市」，应为已登记的地区名称")


def test_codes_and_years_a_program_wrote_as_floats_are_refused_and_named(store):
    p = ADV / "a2_pandas_float_codes_years.csv"
    msgs = _refused(store, p)
    assert len(msgs) == 4
    assert msgs[0].startswith(f"{p}:2:period: 发现「2022.0」") and "被程序存成小数的年份" in msgs[0]
    assert msgs[0].endswith("请写 2022")
    assert msgs[1].startswith(f"{p}:2:region: 发现「360100.0」")
    assert msgs[1].endswith("请写六位代码 360100")
    assert msgs[3].endswith("请写六位代码 360400")


def test_months_without_their_year_are_refused_not_dated_by_the_title(store):
    p = ADV / "a3_months_without_year.xlsx"
    msgs = _refused(store, p)
    assert len(msgs) == 12
    assert msgs[0] == (f"{p}:月度:2:1月: 发现列「1月」是相对的时期，应为写明年份或月份的列名（如 "
                       "2021年、2022年12月）：表中没有写明它所指的年份，不能推断")
    assert msgs[11].startswith(f"{p}:月度:2:12月: 发现列「12月」是相对的时期")


@pytest.mark.parametrize("header", ["2022年1月", "2022-01", "一月份"])
def test_a_month_with_its_year_is_no_relative_period(store, tmp_path, header):
    """A near miss: with its year the month is read; 一月份 (in words) is merely unknown."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "月度"
    ws.append(["地区", "指标", header])
    ws.append(["南昌市", "网络零售额", 101])
    p = tmp_path / "m.xlsx"
    wb.save(p)
    if header == "一月份":
        msgs = _refused(store, p)
        assert not any("相对的时期" in m for m in msgs)
    else:
        ingest_files(store, [p], vintage="2023-05-01", source="测试")
        got = store.query(status="published")
        assert [(r.region_code, r.period, r.value) for r in got.itertuples()] == [
            ("360100", "2022-01", 101.0)]


def test_a_magnitude_word_in_a_count_cell_is_named(store):
    p = ADV / "a4_wan_in_a_count_cell.csv"
    assert _refused(store, p) == [
        (f"{p}:2:数值: 发现「1.2万」，应为数值：单元格里写了单位「万」，请只填数值，单位写在表头"
        "（如 数值（亿元））或单位列")]


def test_plus_signs_are_read_and_a_plus_minus_is_refused(store, tmp_path):
    p = ADV / "a5_plus_signs_and_plus_minus.csv"
    assert _refused(store, p) == [f"{p}:4:数值: 发现「±0.5」，应为数值"]
    q = tmp_path / "q.csv"
    q.write_text("\n".join(p.read_text(encoding="utf-8").splitlines()[:-1]) + "\n",
                 encoding="utf-8")
    ingest_files(store, [q], vintage="2023-05-01", source="测试")
    got = {r.region_code: r.value for r in store.query(status="published").itertuples()}
    assert got == {"360100": 3.5, "360400": 2.5}
