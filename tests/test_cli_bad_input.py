"""Every command answers bad input with a message and a non-zero exit, never a traceback."""
from __future__ import annotations

import pytest
from conftest import REPO, run_cli

UA_SPEC = str(REPO / "tests/evaluate/fixtures/asem_ua.yaml")


@pytest.fixture
def bad(tmp_path):
    (tmp_path / "adir").mkdir()
    (tmp_path / "d.csv").mkdir()
    (tmp_path / "bin.dat").write_bytes(b"\x00\xa3\xff\xfe binary \x81")
    (tmp_path / "bin.yaml").write_bytes(b"\x00\xa3\xff\xfe binary \x81")
    (tmp_path / "text.txt").write_text("江西省数字经济增加值达10378亿元。", encoding="utf-8")
    return tmp_path


CASES = [
    (["query", "--indicator", "de_va", "--as-of", "notadate"], "应为日期 YYYY-MM-DD"),
    (["query", "--indicator", "de_va", "--region", "火星"], "digecon init"),
    (["ingest", "{d}/d.csv"], "目录或特殊文件"),
    (["init", "--db", "{d}/bin.dat"], "bin.dat"),
    (["load-demo", "--db", "{d}/bin.dat"], "bin.dat"),
    (["index", "build", "{d}/bin.yaml", "--out", "{d}/idx"], "UTF-8"),
    (["figure", "list", "--spec", "{d}/bin.yaml"], "UTF-8"),
    (["measure", "growth-accounting", "{d}/adir", "--out", "{d}/g.csv"], "adir"),
    (["index", "uncertainty", UA_SPEC, "--runs", "3", "--seed", "-1", "--out", "{d}/ua"], "--seed"),
    (["factcheck", "{d}/text.txt", "--no-store", "--out", "{d}/adir"], "adir"),
    (["serve", "--port", "99999"], "--port"),
]


def test_narrative_for_a_year_without_data_says_so(demo_db):
    result = run_cli("narrative", "section", "前言", "--region", "江西省", "--year", "1900",
                     db=demo_db)
    assert result.returncode == 2 and "Traceback" not in result.stderr  # exit 2: input error
    assert "江西省 1900 年没有可用于「前言」的数据" in result.stderr
    assert "发现生成结果为空，应为该地区该年的指标数值" in result.stderr


@pytest.mark.parametrize("args,expected", CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_bad_input_gets_a_message_not_a_traceback(bad, tmp_path, args, expected):
    result = run_cli(*[a.replace("{d}", str(bad)) for a in args], db=tmp_path / "none.duckdb")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert expected in result.stderr + result.stdout


# the store's file: held by another process, mistyped ------------------------------------------
HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])  # read-write for the life of the process, as `digecon serve`
print("held", flush=True)
time.sleep(60)
"""


def test_query_on_a_store_another_process_holds_says_so_in_chinese(demo_copy):
    import os
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(demo_copy)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        env = dict(os.environ, DIGECON_LOCK_WAIT_SECONDS="1")
        result = subprocess.run([sys.executable, "-m", "digecon.cli", "query", "--indicator",
                                 "gdp", "--db", str(demo_copy)], capture_output=True, text=True,
                                check=False,
                                env=env, cwd=REPO, timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"数据库 {demo_copy} 正被另一个进程（PID {holder.pid}）占用" in result.stderr
    assert "等待 1 秒后放弃" in result.stderr
    assert "Conflicting lock" not in result.stderr and "IO Error" not in result.stderr


def test_query_on_a_file_that_is_not_a_store_is_named(tmp_path):
    bad = tmp_path / "notes.duckdb"
    bad.write_text("这不是数据库", encoding="utf-8")
    result = run_cli("query", "--indicator", "gdp", "--db", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"无法打开数据库 {bad}：不是 DuckDB 数据库文件" in result.stderr, result.stderr


def test_measure_into_a_mistyped_store_is_refused_before_any_work(tmp_path):
    typo = tmp_path / "tpyo.duckdb"
    out = tmp_path / "out" / "di.csv"
    records = REPO / "tests/measure/fixtures/two_industries.csv"
    result = run_cli("measure", "enterprises", str(records), "--into-store", "--db", str(typo),
                     "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert f"数据库 {typo} 不存在" in result.stderr and "digecon init" in result.stderr
    assert not typo.exists() and not out.parent.exists()


def test_new_stores_can_be_refused_process_wide(tmp_path):
    """The switch a command line sets for every command but init/load-demo."""
    from digecon.store import Store
    from digecon.store.connection import StoreNotFoundError, allow_new_stores

    typo = tmp_path / "tpyo.duckdb"
    allow_new_stores(False)
    try:
        with pytest.raises(StoreNotFoundError, match=f"数据库 {typo} 不存在"):
            Store(typo).init(explicit=False)  # a first write creating its store (ingest)
        assert not typo.exists() and not (tmp_path / "tpyo.duckdb.lock").exists()
    finally:
        allow_new_stores(True)
    Store(typo).init()
    assert typo.exists()
    allow_new_stores(False)
    try:
        Store(typo).init(explicit=False)  # an existing store is opened as before
    finally:
        allow_new_stores(True)


@pytest.mark.slow
def test_report_as_of_before_an_index_input_exists_is_refused(demo_copy, tmp_path):
    """The city index reads an indicator first published after --as-of: exit 2 naming it and
    its first vintage (was a traceback from the index spec)."""
    import pandas as pd
    import yaml
    from conftest import spec_variant

    from digecon.catalog import get_catalog
    from digecon.ingest import write_frame
    from digecon.store import Store

    cities = [r.code for r in get_catalog().regions(level="city", parent="360000")]
    write_frame(Store(demo_copy), pd.DataFrame({
        "region": cities, "indicator": "rd_intensity", "period": "2021",
        "value": [str(1 + i / 10) for i in range(len(cities))], "unit": "%"}),
        vintage="2023-06-01", source="测试：晚于报告日期发布", origin="late.csv")
    spec = spec_variant(tmp_path, lambda raw: None)
    index_file = spec.parent / "index" / "city_de.yaml"
    idx = yaml.safe_load(index_file.read_text(encoding="utf-8"))
    idx["framework"].insert(0, {"iCode": "rd_intensity", "Level": 1, "Parent": "governance",
                                "Weight": 1})
    index_file.write_text(yaml.safe_dump(idx, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("report", "build", str(spec), "--as-of", "2022-07-31", "--formats", "html",
                     "--out", str(out), db=demo_copy)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "数据库中缺少报告所需数据" in result.stderr
    assert "framework.rd_intensity" in result.stderr and "2023-06-01" in result.stderr
