from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import DIGECON, REPO, run_cli

from digecon.store import Store

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A store with one row ingested through the CLI, made once for the module."""
    folder = tmp_path_factory.mktemp("seeded")
    path = folder / "t.duckdb"
    Store(path).init()
    seed = folder / "seed.csv"
    seed.write_text("region,indicator,period,value,unit\n江西省,gdp,2021,29619.7,亿元\n",
                    encoding="utf-8")
    assert run_cli("ingest", str(seed), "--vintage", "2022-03-01", "--source", "统计公报",
                   db=path).returncode == 0
    return path


@pytest.fixture
def db(seeded, tmp_path) -> Path:
    """A copy of the seeded store, for one test to change."""
    path = tmp_path / "t.duckdb"
    shutil.copyfile(seeded, path)
    return path


def test_five_errors_all_reported_and_store_unchanged(db):
    store = Store(db)
    before = (store.row_count(), store.checksum())
    result = run_cli("ingest", str(FIX / "five_errors.csv"), "--vintage", "2022-07-01",
                     "--source", "测试", db=db)
    assert result.returncode == 2
    lines = [l for l in result.stderr.splitlines() if l.startswith(str(FIX / "five_errors.csv"))]
    where = [tuple(l.split(": ")[0].rsplit(":", 2)[1:]) for l in lines]
    assert where == [("3", "region"), ("4", "indicator"), ("5", "value"), ("6", "value"),
                     ("7", "period")]
    assert "最接近：南" in lines[0]  # which 南… the catalog's suggest_regions decides
    assert "de_va（数字经济增加值）" in lines[1]
    assert "发现「一千」，应为数值" in lines[2]
    assert "发现 135%，应为比重在 0–100 之间" in lines[3]
    assert "未写入任何数据" in result.stderr
    assert (store.row_count(), store.checksum()) == before


def test_long_file_with_chinese_headers_and_unit_conversion(db):
    result = run_cli("ingest", str(FIX / "cities_long.csv"), "--vintage", "2022-03-01", db=db)
    assert result.returncode == 0, result.stderr
    assert Store(db).value("gdp", "九江", "2021")["value"] == pytest.approx(3735.68)


def test_wide_by_year_skips_empty_cells_and_derives_growth(db):
    result = run_cli("ingest", str(FIX / "gdp_wide_years.csv"), "--indicator", "gdp",
                     "--vintage", "2022-03-01", "--source", "统计公报", db=db)
    assert result.returncode == 0, result.stderr
    store = Store(db)
    assert store.value("gdp", "九江市", "2021") is None
    growth = store.value("gdp_growth", "南昌市", "2021")
    assert growth["value"] == pytest.approx((6650.53 / 5745.51 - 1) * 100)


def test_wide_by_indicator(db):
    result = run_cli("ingest", str(FIX / "wide_indicators.csv"), "--vintage", "2022-03-01",
                     "--source", "s", db=db)
    assert result.returncode == 0, result.stderr
    assert Store(db).value("de_share_gdp", "南昌", "2021")["value"] == pytest.approx(
        3000 / 6650.53 * 100)


def test_wide_without_indicator_is_refused(db):
    result = run_cli("ingest", str(FIX / "gdp_wide_years.csv"), "--vintage", "2022-03-01", db=db)
    assert result.returncode == 2
    assert "gdp_wide_years.csv:1:" in result.stderr and "--indicator" in result.stderr


def test_gb18030_file_is_read(db):
    result = run_cli("ingest", str(FIX / "gb18030.csv"), "--vintage", "2022-03-01",
                     "--source", "s", db=db)
    assert result.returncode == 0, result.stderr
    assert Store(db).value("gdp", "南昌市", "2021")["value"] == pytest.approx(6650.53)


@pytest.mark.parametrize("name,content,expected", [
    ("missing.csv", None, "文件不存在"),
    ("empty.csv", "", "空文件"),
    ("data.json", "{}", "应为 .csv 或 .xlsx"),
    ("nohead.csv", "a,b\n1,2\n", "应为一列地区"),
])
def test_unreadable_files(db, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    before = Store(db).checksum()
    result = run_cli("ingest", str(path), db=db)
    assert result.returncode == 2 and expected in result.stderr and str(path) in result.stderr
    assert Store(db).checksum() == before


def test_template_round_trip(db, tmp_path):
    out = tmp_path / "填报模板.xlsx"
    result = run_cli("template", "--indicator", "di_va", "--indicator", "id_va",
                     "--region", "南昌", "--region", "九江", "--period", "2021",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    ws = book["数据"]
    assert [c.value for c in ws[1]][:5] == ["region", "indicator", "period", "value", "unit"]
    assert ws.max_row == 5 and book["_lists"].sheet_state == "hidden"
    assert ws.data_validations.count >= 4
    values = {("南昌市", "di_va"): 320.5, ("南昌市", "id_va"): 2700, ("九江市", "di_va"): 150}
    for row in ws.iter_rows(min_row=2):
        key = (row[0].value, row[1].value)
        if key in values:
            row[3].value = values[key]
    ws.cell(row=5, column=4).value = "n/a"  # 九江 id_va: a bad entry
    book.save(out)
    bad = run_cli("ingest", str(out), "--vintage", "2022-05-01", "--source", "工信厅", db=db)
    assert bad.returncode == 2
    assert f"{out}:数据:5:value: 发现「n/a」，应为数值" in bad.stderr
    ws.cell(row=5, column=4).value = None
    book.save(out)
    good = run_cli("ingest", str(out), "--vintage", "2022-05-01", "--source", "工信厅", db=db)
    assert good.returncode == 0, good.stderr
    assert Store(db).value("de_va", "南昌", "2021")["value"] == pytest.approx(3020.5)


def _write_big_csv(path: Path, rows: int, encoding: str = "utf-8") -> None:
    """A valid file (distinct keys: every region of the catalog × count indicators × monthly
    periods 1900-01 … 2099-12, as many indicators as that takes), so ingest gets to the write."""
    from digecon.catalog import get_catalog

    cat = get_catalog()
    regions = [r.name for r in cat.regions()]
    counts = [(i.code, i.unit) for i in cat.indicators() if i.kind == "count"]
    months = 200 * 12
    k = -(-rows // (len(regions) * months))
    assert k <= len(counts), "not enough distinct keys for that many rows"
    with open(path, "w", encoding=encoding) as fh:
        fh.write("region,indicator,period,value,unit\n")
        for i in range(rows):
            indicator, unit = counts[i // len(regions) % k]
            month = i // (len(regions) * k)
            fh.write(f"{regions[i % len(regions)]},{indicator},{1900 + month // 12}-"
                     f"{month % 12 + 1:02d},{i % 997}.5,{unit}\n")


def _held(lock: Path) -> bool:
    if not lock.exists():
        return False
    with open(lock, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    """Two million rows: about 3 s of ingest on 2 cores, so both kill points fall before the
    commit (at 1.2 million rows a kill 1.5 s in could land after it)."""
    big = tmp_path_factory.mktemp("big") / "big.csv"
    _write_big_csv(big, 2_000_000)
    return big


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 1.2])
def test_kill_mid_ingest_leaves_store_unchanged(db, big_csv, delay):
    big = big_csv
    store = Store(db)
    before = (store.row_count(), store.checksum())
    env = dict(os.environ, DIGECON_DB=str(db))
    proc = subprocess.Popen([*DIGECON, "ingest", str(big), "--vintage", "2022-01-01",
                             "--source", "big"], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = Path(f"{db}.lock")
    deadline = time.monotonic() + 60
    while not _held(lock) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    assert proc.poll() is None, "ingest finished before it could be killed; use a bigger file"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (store.row_count(), store.checksum()) == before
    # and the store still takes writes afterwards
    assert run_cli("ingest", str(FIX / "cities_long.csv"), "--vintage", "2022-03-01",
                   db=db).returncode == 0


@pytest.mark.slow
def test_a_gb18030_file_leaves_nothing_beside_it_while_read_or_when_killed(db, tmp_path):
    """The UTF-8 copy of a GB18030 file has no name in any folder: nothing appears beside the
    input during a whole ingest, and a kill leaves the input's folder and the temp folder as
    they were."""
    folder = tmp_path / "in"
    folder.mkdir()
    big = folder / "gbk.csv"
    _write_big_csv(big, 600_000, encoding="gb18030")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, DIGECON_DB=str(db), TMPDIR=str(scratch))
    args = [*DIGECON, "ingest", str(big), "--vintage", "2022-01-01", "--source", "big"]
    seen: set[str] = set()
    proc = subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        seen |= {p.name for p in folder.iterdir()}
        time.sleep(0.002)
    assert proc.returncode == 0 and seen == {"gbk.csv"}
    store = Store(db)
    before = (store.row_count(), store.checksum())
    proc = subprocess.Popen([*args[:-1], "big, again"], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = Path(f"{db}.lock")
    deadline = time.monotonic() + 60
    while not _held(lock) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    assert proc.poll() is None, "ingest finished before it could be killed; use a bigger file"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert [p.name for p in folder.iterdir()] == ["gbk.csv"] and not any(scratch.iterdir())
    assert (store.row_count(), store.checksum()) == before


@pytest.mark.slow
def test_line_numbers_hold_across_a_file_read_in_parallel(db, big_csv, tmp_path):
    """The reader splits a big file between threads; errors still name the file's own lines."""
    bad_lines = {5: "abc", 1_234_567: "x1", 2_000_001: "？"}  # line 1 is the header
    bad = tmp_path / "big_bad.csv"
    with open(big_csv, encoding="utf-8") as src, open(bad, "w", encoding="utf-8") as out:
        for line_no, line in enumerate(src, start=1):
            if line_no in bad_lines:
                cells = line.rstrip("\n").split(",")
                cells[3] = bad_lines[line_no]
                line = ",".join(cells) + "\n"
            out.write(line)
    result = run_cli("ingest", str(bad), "--vintage", "2022-01-01", "--source", "big", db=db)
    assert result.returncode == 2
    for line_no, found in bad_lines.items():
        assert f"{bad}:{line_no}:value: 发现「{found}」，应为数值" in result.stderr


def test_wide_layout_errors_name_the_cell_column(db):
    result = run_cli("ingest", str(FIX / "wide_bad_cells.csv"), "--vintage", "2022-03-01",
                     "--source", "s", db=db)
    assert result.returncode == 2
    path = FIX / "wide_bad_cells.csv"
    assert f"{path}:2:2021: 发现「abc」，应为数值" in result.stderr
    assert f"{path}:3:2020: 发现「x1」，应为数值" in result.stderr


def test_errors_after_empty_lines_name_the_files_own_line(db, tmp_path):
    """The CSV reader skips empty lines; the reported line is still the file's (found in review)."""
    path = tmp_path / "gaps.csv"
    path.write_bytes(b"region,indicator,period,value\r\n360000,gdp,2021,1\r\n\r\n"
                     b"360000,gdp,2020,x\n\n\n360100,gdp,2020,y\n\n")
    result = run_cli("ingest", str(path), "--vintage", "2022-01-01", "--source", "s", db=db)
    assert result.returncode == 2
    assert f"{path}:4:value: 发现「x」，应为数值" in result.stderr
    assert f"{path}:7:value: 发现「y」，应为数值" in result.stderr
