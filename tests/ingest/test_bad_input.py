"""Bad and unusual input (issue 14): each file is either read to exactly its values or refused
with its file, sheet, row and column, exit 2 and the store unchanged."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from conftest import run_cli

from digecon.ingest.files import WriteError, ingest_files
from digecon.ingest.reader import ReadError
from digecon.ingest.validate import ValidationError
from digecon.store import Store

FIX = Path(__file__).parent / "fixtures"
HEAD = "region,indicator,period,value"


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "s.duckdb")
    s.init()
    ingest_files(s, [_csv(tmp_path / "seed.csv", f"{HEAD}\n江西省,gdp,2021,29619.7\n")],
                 vintage="2022-03-01", source="统计公报")
    return s


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def refused(store: Store, paths: list[Path], **opts) -> list[str]:
    """The messages of a refused batch; the store must be unchanged."""
    before = (store.row_count(), store.checksum())
    opts.setdefault("vintage", "2022-07-01")
    opts.setdefault("source", "测试")
    with pytest.raises((ValidationError, ReadError)) as exc:
        ingest_files(store, paths, **opts)
    assert (store.row_count(), store.checksum()) == before
    err = exc.value
    return [str(p) for p in err.problems] if isinstance(err, ValidationError) else [str(err)]


def stored(store: Store, indicator: str = "gdp") -> dict[tuple[str, str], float]:
    df = store.query(indicator=indicator)
    return {(r.region_code, r.period): r.value for r in df.itertuples()}


# --- values misread or lost with exit 0 ---------------------------------------------------

def test_same_key_in_two_files_of_a_batch_is_refused_naming_both(store, tmp_path):
    a = _csv(tmp_path / "a.csv", f"{HEAD}\n南昌,gdp,2021,7300\n")
    b = _csv(tmp_path / "b.csv", f"{HEAD}\n九江,gdp,2021,3735.68\n南昌市,gdp,2021,7203.5\n")
    msgs = refused(store, [a, b])
    assert msgs == [(f"{b}:3:key: 发现与 {a} 第 2 行重复的键（地区×指标×时期×状态×来源），"
                    "应为每个键在一批中只出现一次")]


def test_same_key_in_two_sheets_is_refused_naming_both(store, tmp_path):
    x = _xlsx(tmp_path / "x.xlsx", {"一": [HEAD.split(","), ["南昌", "gdp", "2021", 7300]],
                                    "二": [HEAD.split(","), ["360100", "gdp", "2021", 7203.5]]})
    msgs = refused(store, [x])
    assert msgs == [(f"{x}:二:2:key: 发现与 {x}:一 第 2 行重复的键（地区×指标×时期×状态×来源），"
                    "应为每个键在一批中只出现一次")]


def test_xlsx_declaring_a_smaller_dimension_is_read_to_its_real_rows(store, tmp_path):
    rows = [HEAD.split(",")] + [[c, "gdp", "2021", v] for c, v in
                                [("南昌", 6650.53), ("九江", 3735.68), ("赣州", 4169.37),
                                 ("上饶", 3043.45), ("宜春", 3191.28)]]
    good = _xlsx(tmp_path / "good.xlsx", {"数据": rows})
    small = tmp_path / "small.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(small, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:D2"', data)
                assert n == 1
            out.writestr(item, data)
    ingest_files(store, [small], vintage="2022-07-01", source="s")
    got = stored(store)
    assert [got[(c, "2021")] for c in ("360100", "360400", "360700", "361100", "360900")] == [
        6650.53, 3735.68, 4169.37, 3043.45, 3191.28]


def test_decimal_comma_is_refused_with_the_cell(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f'{HEAD}\n南昌,gdp,2021,"4000,1"\n九江,gdp,2021,"3,735.68"\n')
    assert refused(store, [p]) == [
        f"{p}:2:value: 发现「4000,1」，应为数值（小数点用「.」，千位分隔符「,」只能每三位一个）"]


def test_unquoted_thousands_comma_splitting_a_row_is_refused(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD}\n南昌,gdp,2021,4,000.1\n九江,gdp,2021,3735.68\n")
    assert refused(store, [p]) == [
        (f"{p}:2:列5: 发现 5 个字段（「南昌,gdp,2021,4,000.1」），应为 4 个字段（与表头相同）；"
        "含逗号的数值须去掉逗号或整格加英文双引号")]


def test_row_with_more_fields_than_the_header_is_refused_not_truncated(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD},unit\n南昌,gdp,2021,6650.53,亿元,多余\n")
    msgs = refused(store, [p])
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:2:列6: 发现 6 个字段")


def _formula_book(path: Path, writer: str) -> Path:
    if writer == "openpyxl":
        book = openpyxl.Workbook()
        ws = book.active
        ws.title = "数据"
        for row in (HEAD.split(","), ["南昌", "gdp", "2021", 6650.53],
                    ["九江", "gdp", "2021", "=D2*0.5"]):
            ws.append(row)
        book.save(path)
    else:  # xlsxwriter stores 0 as the formula's result unless told otherwise
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("数据")
        ws.write_row(0, 0, HEAD.split(","))
        ws.write_row(1, 0, ["南昌", "gdp", "2021", 6650.53])
        ws.write_row(2, 0, ["九江", "gdp", "2021"])
        ws.write_formula(2, 3, "=D2*0.5")
        book.close()
    return path


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
def test_formula_without_a_computed_value_is_refused(store, tmp_path, writer):
    x = _formula_book(tmp_path / f"{writer}.xlsx", writer)
    msgs = refused(store, [x])
    assert len(msgs) == 1
    assert msgs[0].startswith(f"{x}:数据:3:value: 发现公式「=D2*0.5」")
    assert "应为数值" in msgs[0]


def test_formula_with_a_value_excel_computed_is_read(store, tmp_path):
    x = _formula_book(tmp_path / "f.xlsx", "xlsxwriter")
    # What Excel leaves after it recalculates and saves: the result, and no request to
    # recalculate on open.
    fixed = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(x) as src, zipfile.ZipFile(fixed, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>D2*0.5</f><v>0</v>", b"<f>D2*0.5</f><v>3325.265</v>")
            if item.filename == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            out.writestr(item, data)
    ingest_files(store, [fixed], vintage="2022-07-01", source="s")
    assert stored(store)[("360400", "2021")] == 3325.265


def test_doubled_quotes_in_a_csv_cell_are_one_quote(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f'{HEAD},source\n南昌,gdp,2021,6650.53,"省统计局""初步核算"""\n')
    ingest_files(store, [p], vintage="2022-07-01")
    row = store.query(indicator="gdp", region="南昌").iloc[0]
    assert row["source"] == '省统计局"初步核算"'


def test_two_columns_with_the_same_name_are_refused(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD},value\n南昌,gdp,2021,6650.53,7000\n")
    assert refused(store, [p]) == [
        (f"{p}:1:value: 发现两列都是 value（第 4 列「value」、第 5 列「value」），"
        "应为每个字段只有一列：删除或改名其中一列")]


def test_misspelt_optional_column_is_refused_with_the_closest_name(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD},stauts\n南昌,gdp,2021,6650.53,estimated\n")
    assert refused(store, [p]) == [
        f"{p}:1:stauts: 发现未知列「stauts」，应为已知列名；最接近：status"]


def test_unknown_column_is_reported_not_silently_dropped(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD},联系人\n南昌,gdp,2021,6650.53,张三\n")
    notices: list[str] = []
    ingest_files(store, [p], vintage="2022-07-01", source="s", on_notice=notices.append)
    assert notices == [f"{p}: 已忽略不认识的列「联系人」"]


def test_header_only_file_exits_2(tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD}\n")
    db = tmp_path / "c.duckdb"
    Store(db).init()
    result = run_cli("ingest", str(p), "--vintage", "2022-07-01", "--source", "s", db=db)
    assert result.returncode == 2
    assert f"{p}:2: 发现只有表头、没有数据行，应为至少一行数据" in result.stderr
    assert "未写入任何数据" in result.stderr


def test_file_whose_every_value_is_empty_is_refused(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD}\n南昌,gdp,2021,\n九江,gdp,2021, \n")
    assert refused(store, [p]) == [
        f"{p}:2:value: 发现全部 2 个数值单元格为空，应为至少一个数值"]


def test_skipped_empty_values_are_counted_in_the_cli_output(tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD}\n南昌,gdp,2021,6650.53\n九江,gdp,2021,\n"
                                 "赣州,gdp,2021,4169.37\n")
    db = tmp_path / "c.duckdb"
    Store(db).init()
    result = run_cli("ingest", str(p), "--vintage", "2022-07-01", "--source", "s", db=db)
    assert result.returncode == 0, result.stderr
    assert f"{p}: 跳过 1 个空数值单元格（第 3 行）" in result.stdout + result.stderr
    assert set(stored(Store(db))) == {("360100", "2021"), ("360700", "2021")}


@pytest.mark.parametrize("indicator,value", [("gdp", "-5"), ("de_va", "-0.1")])
def test_negative_level_is_refused_unless_allowed(store, tmp_path, indicator, value):
    p = _csv(tmp_path / "p.csv", f"{HEAD}\n南昌,{indicator},2021,{value}\n")
    assert refused(store, [p]) == [
        (f"{p}:2:value: 发现 {float(value):g}，应为不为负的总量（如确为负值，用 "
        "--allow-implausible 导入）")]
    ingest_files(store, [p], vintage="2022-07-01", source="s", allow_implausible=True)
    assert store.value(indicator, "南昌", "2021")["value"] == float(value)


@pytest.mark.parametrize("period", ["2021-2016", "2022-1300", "1300", "2021-2021", "3021-12"])
def test_implausible_period_is_refused(store, tmp_path, period):
    p = _csv(tmp_path / "p.csv", f"{HEAD}\n南昌,gdp,{period},6650.53\n")
    msgs = refused(store, [p])
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:2:period: 发现「{period}」，应为")
    assert "--allow-implausible" in msgs[0]


def test_future_vintage_is_refused_unless_allowed(tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD}\n南昌,gdp,2021,6650.53\n")
    db = tmp_path / "c.duckdb"
    Store(db).init()
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    result = run_cli("ingest", str(p), "--vintage", future, "--source", "s", db=db)
    assert result.returncode == 2
    assert (f"{p}:2:vintage: 发现 {future}，应为不晚于今天（{dt.date.today()}）的版本日期"
            in result.stderr)
    result = run_cli("ingest", str(p), "--vintage", future, "--source", "s",
                     "--allow-implausible", db=db)
    assert result.returncode == 0, result.stderr
    assert Store(db).value("gdp", "南昌", "2021")["vintage"] == dt.date.fromisoformat(future)


# --- valid files refused ------------------------------------------------------------------

def test_quoted_line_break_in_a_cell_is_accepted(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f'{HEAD},note\r\n南昌,gdp,2021,6650.53,"初步核算\r\n待修订"\r\n'
                                 '九江,gdp,2021,3735.68,\r\n')
    ingest_files(store, [p], vintage="2022-07-01", source="s")
    assert stored(store)[("360400", "2021")] == 3735.68
    assert store.value("gdp", "南昌", "2021")["note"] == "初步核算\r\n待修订"


def test_line_numbers_after_a_quoted_line_break(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f'{HEAD},note\n南昌,gdp,2021,1,"a\nb\nc"\n九江,gdp,2021,x,\n')
    assert refused(store, [p]) == [f"{p}:5:value: 发现「x」，应为数值"]


def test_gbk_file_whose_first_chinese_comes_after_64_kib_is_read(store, tmp_path):
    ascii_part = f"{HEAD}\n" + "".join(
        f"{region},gdp,{1950 + i // 12}-{i % 12 + 1:02d},{i}.5\n"
        for region in ("360100", "360400", "360500", "360600") for i in range(840))
    assert len(ascii_part) > 1 << 16
    p = _csv(tmp_path / "late.csv", ascii_part + "赣州市,gdp,2021,4169.37\n", "gbk")
    ingest_files(store, [p], vintage="2022-07-01", source="s")
    assert stored(store)[("360700", "2021")] == 4169.37


def test_file_in_neither_utf8_nor_gb18030_is_refused(store, tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD}\n")
    p.write_bytes(p.read_bytes() + "南昌,gdp,2021,1\n".encode() + b"\xff\xfe,gdp,2020,2\n")
    msgs = refused(store, [p])
    assert len(msgs) == 1 and msgs[0].startswith(f"{p}:3: 发现无法识别的文字编码")
    assert "应为 UTF-8 或 GB18030" in msgs[0]


def test_notes_sheet_is_skipped_and_named(store, tmp_path):
    x = _xlsx(tmp_path / "x.xlsx", {"数据": [HEAD.split(","), ["南昌", "gdp", "2021", 6650.53]],
                                    "备注": [["本表数据为初步核算数"], ["联系人：张三"]]})
    notices: list[str] = []
    ingest_files(store, [x], vintage="2022-07-01", source="s", on_notice=notices.append)
    assert stored(store)[("360100", "2021")] == 6650.53
    assert notices == [f"{x}: 跳过工作表「备注」（没有可识别的表头）"]


def test_merged_header_cell_is_named(store, tmp_path):
    path = tmp_path / "m.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "数据"
    ws.append(["region", "indicator", "period", "value", None])
    ws.append(["南昌", "gdp", "2021", 6650.53, 1])
    ws.merge_cells("D1:E1")
    book.save(path)
    assert refused(store, [path]) == [
        (f"{path}:数据:1:D: 发现合并单元格 D1:E1（「value」），应为每列一个表头单元格："
        "取消合并，并为每列填写列名")]


def test_merged_data_cells_are_named(store, tmp_path):
    path = tmp_path / "m.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "数据"
    for row in (HEAD.split(","), ["南昌", "gdp", "2021", 6650.53], [None, "gdp", "2020", 5745.51]):
        ws.append(row)
    ws.merge_cells("A2:A3")  # 南昌 written once for two rows, as printed tables do
    book.save(path)
    assert refused(store, [path]) == [
        f"{path}:数据:2:region: 发现合并单元格 A2:A3，应为每行各自填写：取消合并并在每行填入值"]


def test_excel_unicode_text_export_is_read(store, tmp_path):
    """Excel's “Unicode 文本” is UTF-16 with a BOM and tabs between cells."""
    p = _csv(tmp_path / "u.txt", "地区\t指标\t年份\t数值\r\n南昌市\tgdp\t2021\t6650.53\r\n",
             "utf-16")
    ingest_files(store, [p], vintage="2022-07-01", source="s")
    assert stored(store)[("360100", "2021")] == 6650.53


@pytest.mark.parametrize("name,expected", [
    ("legacy.xls", ("发现 Excel 97-2003 工作簿（.xls），应为 .xlsx：请在 Excel 中“另存为”"
                   "Excel 工作簿（*.xlsx）后再导入")),
    ("password.xlsx", ("发现设有打开密码的加密工作簿，应为未加密的 .xlsx：请在 Excel 中"
                      "“文件 → 信息 → 保护工作簿 → 用密码进行加密”清除密码后另存")),
])
def test_xls_and_password_protected_files_get_a_chinese_message(store, tmp_path, name,
                                                               expected):
    path = shutil.copy(FIX / name, tmp_path / name)
    assert refused(store, [Path(path)]) == [f"{path}: {expected}"]


def test_xls_saved_under_an_xlsx_name_is_named_as_xls(store, tmp_path):
    path = Path(shutil.copy(FIX / "legacy.xls", tmp_path / "renamed.xlsx"))
    msgs = refused(store, [path])
    assert msgs[0].startswith(f"{path}: 发现 Excel 97-2003 工作簿（.xls）")


# --- crashes and unclear errors -----------------------------------------------------------

def test_truncated_sheet_xml_is_a_read_error(store, tmp_path):
    good = _xlsx(tmp_path / "good.xlsx", {"数据": [HEAD.split(",")] + [
        ["南昌", "gdp", str(2000 + i), 1000 + i] for i in range(20)]})
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(cut, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            out.writestr(item, data)
    msgs = refused(store, [cut])
    assert len(msgs) == 1 and msgs[0].startswith(f"{cut}:数据: 发现工作表内容不完整或已损坏")
    assert "应为完整的 .xlsx" in msgs[0]


@contextmanager
def _mounted(where: Path, size: str, read_only: bool = False, fill=None):
    """A small tmpfs at `where` (root only); `fill(where)` runs before a read-only remount."""
    where.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"needs to mount a small tmpfs (root): {exc}")
    try:
        if fill:
            fill(where)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _many_rows(path: Path, rows: int) -> Path:
    from digecon.catalog import get_catalog

    regions = [r.code for r in get_catalog().regions()]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{HEAD},unit,note\n")
        fh.writelines(f"{regions[i % len(regions)]},broadband_ports,"
                     f"{1950 + i // len(regions) // 12}-{i // len(regions) % 12 + 1:02d},"
                     f"{i}.25,万个,第{i}行的说明文字用来占用空间\n" for i in range(rows))
    return path


def test_full_disk_is_a_message_and_the_store_is_unchanged(tmp_path):
    big = _many_rows(tmp_path / "big.csv", 60_000)
    with _mounted(tmp_path / "full", "3m") as disk:
        store = Store(disk / "s.duckdb")
        store.init()
        before = store.checksum()
        with pytest.raises(WriteError) as exc:
            ingest_files(store, [big], vintage="2022-07-01", source="s")
        assert str(exc.value).startswith(f"{disk / 's.duckdb'}: 发现无法写入数据库（磁盘已满")
        assert "应为有足够空间" in str(exc.value)
        assert store.checksum() == before
        result = run_cli("ingest", str(big), "--vintage", "2022-07-01", "--source", "s",
                         db=disk / "s.duckdb")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "磁盘已满" in result.stderr and "未写入任何数据" in result.stderr


def test_store_in_a_read_only_directory_is_a_message(tmp_path):
    p = _csv(tmp_path / "p.csv", f"{HEAD}\n南昌,gdp,2021,6650.53\n")
    with _mounted(tmp_path / "ro", "2m", read_only=True,
                  fill=lambda folder: Store(folder / "s.duckdb").init()) as folder:
        result = run_cli("ingest", str(p), "--vintage", "2022-07-01", "--source", "s",
                         db=folder / "s.duckdb")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{folder / 's.duckdb'}: 发现无法写入数据库（目录不可写" in result.stderr


def test_gb18030_input_in_a_read_only_folder_is_read_and_nothing_is_written_beside_it(
        store, tmp_path):
    text = "地区,指标,年份,数值\n南昌市,gdp,2021,6650.53\n九江市,gdp,2021,3735.68\n"

    def put(folder: Path) -> None:
        (folder / "gbk.csv").write_bytes(text.encode("gb18030"))

    with _mounted(tmp_path / "in", "1m", read_only=True, fill=put) as folder:
        ingest_files(store, [folder / "gbk.csv"], vintage="2022-07-01", source="s")
        assert sorted(p.name for p in folder.iterdir()) == ["gbk.csv"]
    assert stored(store)[("360400", "2021")] == 3735.68


def test_gb18030_input_leaves_no_temporary_file_anywhere(store, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    p = _csv(tmp_path / "gbk.csv", "地区,指标,年份,数值\n南昌市,gdp,2021,6650.53\n", "gb18030")
    ingest_files(store, [p], vintage="2022-07-01", source="s")
    bad = _csv(tmp_path / "bad.csv", "地区,指标,年份,数值\n南昌市,gdp,2021,x\n", "gb18030")
    refused(store, [bad])
    assert list(scratch.iterdir()) == []
    assert sorted(x.name for x in tmp_path.iterdir()) == ["bad.csv", "gbk.csv", "s.duckdb",
                                                         "s.duckdb.lock", "seed.csv", "tmp"]


# --- templates ----------------------------------------------------------------------------

def test_template_writes_catalog_text_as_text_never_as_a_formula(tmp_path, monkeypatch):
    ext = tmp_path / "cat"
    ext.mkdir()
    (ext / "regions.csv").write_text(
        'code,name,short,level,parent\n360199,"=HYPERLINK(""http://x"",""南昌"")",'
        "@南昌,city,360000\n", encoding="utf-8")
    monkeypatch.setenv("DIGECON_CATALOG_PATH", str(ext))
    out = tmp_path / "t.xlsx"
    result = run_cli("template", "--indicator", "gdp", "--region", "360199", "--period",
                     "2021", "--out", str(out))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert cells and all(c.data_type == "s" for c in cells)
    assert {c.value for c in cells} >= {'=HYPERLINK("http://x","南昌")'}
