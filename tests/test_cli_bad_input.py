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
    (["query", "--indicator", "de_va", "--as-of", "notadate"], "expected 日期 YYYY-MM-DD"),
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
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "江西省 1900 年没有可用于「前言」的数据" in result.stderr


@pytest.mark.parametrize("args,expected", CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_bad_input_gets_a_message_not_a_traceback(bad, tmp_path, args, expected):
    result = run_cli(*[a.replace("{d}", str(bad)) for a in args], db=tmp_path / "none.duckdb")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert expected in result.stderr + result.stdout
