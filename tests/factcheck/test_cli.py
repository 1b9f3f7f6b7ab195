"""`digecon factcheck` end to end, and its bad inputs (missing, not UTF-8, empty): clear message, nothing written."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from digecon.factcheck.cli import factcheck

from .test_checks import PAPER_SNIPPET


@pytest.fixture
def draft(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text(PAPER_SNIPPET, encoding="utf-8")
    return p


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
def test_outputs(draft, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    r = CliRunner().invoke(factcheck, [str(draft), "--no-store", "--format", fmt, "--out", str(out)])
    assert r.exit_code == 0, r.output
    body = out.read_text(encoding="utf-8")
    if fmt == "json":
        doc = json.loads(body)
        assert set(doc) == {"claims", "checks", "coverage", "summary"}
        items = doc["claims"]
        assert doc["summary"]["claims"] == len(items) and doc["coverage"] == doc["summary"]["coverage"]
        assert doc["summary"]["inconsistent"] == 1 and 0 < doc["coverage"] <= 1
        at = PAPER_SNIPPET.index("12.3%")
        failing = [k for k in doc["checks"] if k["ok"] is False]
        assert failing and all([at, at + 5] in k["spans"] for k in failing), failing
        bad = [i for i in items if i["status"] == "inconsistent"]
        assert [(i["value"], i["suggested"]) for i in bad] == [("12.3", "12.6%")]
        assert {"quote", "start", "end", "value", "unit", "qualifier", "kind", "region", "period",
                "indicator", "status", "checks"} <= set(items[0])
        assert PAPER_SNIPPET[bad[0]["start"]:bad[0]["end"]] == "12.3%"
    elif fmt == "html":
        assert 'class="inconsistent"' in body and "http" not in body  # self-contained
        assert "→ 应为12.6%" in body and "覆盖率" in body
    else:
        assert body.splitlines()[0].startswith("quote,start,end")


def test_with_store(draft, tmp_path, demo_store):
    out = tmp_path / "o.json"
    r = CliRunner().invoke(factcheck, [str(draft), "--db", str(demo_store.path), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert any(k["rule"] == "store" for i in json.loads(out.read_text())["claims"] for k in i["checks"])


@pytest.mark.parametrize("content, msg", [(None, "文件不存在"), (b"\x80\x81\xff\xfe\x00bad", "UTF-8"),
                                          (b"  \n", "文件为空"), ("dir", "是一个目录")])
def test_bad_input(tmp_path, content, msg):
    src = tmp_path / "in.txt"
    if content == "dir":
        src.mkdir()
    elif content is not None:
        src.write_bytes(content)
    out = tmp_path / "o.json"
    r = CliRunner().invoke(factcheck, [str(src), "--no-store", "--out", str(out)])
    assert r.exit_code != 0 and msg in r.output and "in.txt" in r.output
    assert not out.exists()


def test_missing_store(draft, tmp_path):
    out = tmp_path / "o.json"
    r = CliRunner().invoke(factcheck, [str(draft), "--db", str(tmp_path / "none.duckdb"), "--out", str(out)])
    assert r.exit_code != 0 and "none.duckdb" in r.output and not out.exists()


def test_help_has_example():
    r = CliRunner().invoke(factcheck, ["--help"])
    assert "Example:" in r.output


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_gbk_and_utf16_are_read(tmp_path, encoding):
    src = tmp_path / "in.txt"
    src.write_bytes(PAPER_SNIPPET.encode(encoding))
    out = tmp_path / "o.json"
    r = CliRunner().invoke(factcheck, [str(src), "--no-store", "--out", str(out)])
    assert r.exit_code == 0, r.output
    claims = json.loads(out.read_text(encoding="utf-8"))["claims"]
    bad = [i["text"] for i in claims if i["status"] == "inconsistent"]
    assert bad == ["12.3%"]


def test_text_without_numbers(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("数字经济蓬勃发展，成效显著。", encoding="utf-8")
    out = tmp_path / "o.json"
    r = CliRunner().invoke(factcheck, [str(src), "--no-store", "--out", str(out)])
    assert r.exit_code == 0 and "没有找到数值表述" in r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["claims"] == [] and doc["checks"] == [] and doc["summary"]["claims"] == 0


@pytest.mark.slow
def test_a_2mb_text_is_checked(tmp_path):
    """A 2 MB draft (the snippet and a no-number line, repeated) is checked to the end: exit 0 and a
    result file, no traceback. Its speed is measured by benchmarks/bench_factcheck.py, not here."""
    unit = PAPER_SNIPPET + "\n数字经济蓬勃发展。\n"
    src = tmp_path / "big.txt"
    src.write_text(unit * (2 * 2 ** 20 // len(unit.encode("utf-8")) + 1), encoding="utf-8")
    assert src.stat().st_size >= 2 * 2 ** 20
    out = tmp_path / "o.csv"
    r = CliRunner().invoke(factcheck, [str(src), "--no-store", "--format", "csv", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "不一致" in r.output and out.stat().st_size > 0
