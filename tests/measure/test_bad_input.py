"""`digecon measure`: each unusable input gets a Chinese message naming file, row or option, exit 2, no output."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_cli

from digecon.measure.cli import EXIT_REJECTED, _write_all, measure

from .conftest import FIXTURES

RECORDS = str(FIXTURES / "two_industries.csv")
GROWTH = str(FIXTURES / "growth_example.csv")
GROWTH_HEADER = ("industry,year,va,va_real,labour,labour_compensation,inv_ict,p_ict,inv_nonict,"
                 "p_nonict,traditional\n")
A19 = "A,2019,100,100,50,60,10,1,20,1,true\n"
A20 = "A,2020,110,105,50,64,11,1,20,1,true\n"
CONC_HEADER = "industry_code,de_code,share\n"
BINARY = b"\x00\xa3\xff\xfe binary \x81"
GBK = "industry_code,de_code,share\n39,01,1\n63,03,份额\n".encode("gbk")

# Bad files written into the test's folder; the values are bytes or UTF-8 text.
FILES: dict[str, bytes | str] = {
    "bin.csv": BINARY,
    "gbk.csv": GBK,
    "empty.csv": "",
    "no_share.csv": "industry_code,de_code\n39,01\n",
    "share_text.csv": CONC_HEADER + "39,01,abc\n",
    "share_big.csv": CONC_HEADER + "39,01,1.5\n",
    "share_zero.csv": CONC_HEADER + "39,01,0\n",
    "header_only.csv": CONC_HEADER,
    "extra_field.csv": CONC_HEADER + "39,01,1,x\n",
    "open_quote.csv": CONC_HEADER + '"39,01,1\n',
    "semicolon.csv": "industry_code;de_code;share\n39;01;1\n",
    "other.csv": "a,b\n1,2\n",
    "annex_headings.csv": "代码,名称,国民经济行业代码及名称\n01,数字产品制造业,\n",
    "fake.xlsx": "not a workbook",
    "g_no_va.csv": GROWTH_HEADER.replace("va,va_real", "va_real") + A19.replace("100,100", "100"),
    "g_text.csv": GROWTH_HEADER + A19 + A20.replace(",11,1,", ",abc,1,"),
    "g_inf.csv": GROWTH_HEADER + A19 + A20.replace("A,2020,110", "A,2020,inf"),
    "g_year.csv": GROWTH_HEADER + A19 + A20.replace("2020", "2020.5"),
    "g_blank_industry.csv": GROWTH_HEADER + A19 + A20.replace("A,2020", ",2020"),
    "g_labour_over_va.csv": GROWTH_HEADER + A19 + A20.replace(",64,", ",200,"),
    "g_no_traditional.csv": GROWTH_HEADER + A19.replace("true", "false") + A20.replace("true", "false"),
    "g_falling.csv": GROWTH_HEADER + A19 + A20.replace(",11,1,", ",0.1,1,"),
    "g_header_only.csv": GROWTH_HEADER,
    "g_long_row.csv": GROWTH_HEADER + A19 + A20.rstrip("\n") + ",x,y\n",
}

ENT = ["enterprises", RECORDS, "--out", "{o}/di.csv"]
GA = ["growth-accounting", "--out", "{o}/id.csv"]

# (id, arguments, what the message must contain); {d} is the bad-file folder, {o} the output one.
CASES = [
    # --concordance for `measure enterprises`
    ("conc-binary", [*ENT, "--concordance", "{d}/bin.csv"],
     ["bin.csv:1: 不是 UTF-8 或 GB18030 编码的文本", "应为对照表 CSV"]),
    ("conc-gbk", [*ENT, "--concordance", "{d}/gbk.csv"],
     ["gbk.csv:3:share", "份额"]),  # GB18030 is read (as ingest does); the bad cell is named
    ("conc-empty", [*ENT, "--concordance", "{d}/empty.csv"], ["empty.csv: 文件为空，应为对照表 CSV"]),
    ("conc-directory", [*ENT, "--concordance", "{d}"], ["是目录或特殊文件，应为对照表 CSV"]),
    ("conc-missing", [*ENT, "--concordance", "{d}/nope.csv"], ["nope.csv: 文件不存在"]),
    ("conc-no-share", [*ENT, "--concordance", "{d}/no_share.csv"],
     ["no_share.csv:1: 缺少列 share；表头为 industry_code, de_code"]),
    ("conc-share-text", [*ENT, "--concordance", "{d}/share_text.csv"],
     ["share_text.csv:2:share: 取值 'abc' 不是数字，应为 (0, 1] 内的份额"]),
    ("conc-share-over-1", [*ENT, "--concordance", "{d}/share_big.csv"],
     ["share_big.csv:2:share: 取值 '1.5'，应为 (0, 1] 内的份额"]),
    ("conc-share-0", [*ENT, "--concordance", "{d}/share_zero.csv"],
     ["share_zero.csv:2:share: 取值 '0'，应为 (0, 1] 内的份额"]),
    ("conc-header-only", [*ENT, "--concordance", "{d}/header_only.csv"],
     ["header_only.csv: 只有表头 industry_code, de_code, share，没有数据行"]),
    ("conc-extra-field", [*ENT, "--concordance", "{d}/extra_field.csv"],
     ["extra_field.csv:2: 有 4 个字段，应为 3 个"]),
    ("conc-open-quote", [*ENT, "--concordance", "{d}/open_quote.csv"],
     ["open_quote.csv:2: 从这一行起无法解析为 CSV（多半是双引号没有闭合）"]),
    ("conc-semicolon", [*ENT, "--concordance", "{d}/semicolon.csv"], ["（分隔符应为英文逗号）"]),
    ("conc-other-columns", [*ENT, "--concordance", "{d}/other.csv"],
     ["other.csv:1: 表头为 a, b；应为对照表 CSV", "或国家统计局分类附表"]),
    ("annex-no-codes", [*ENT, "--concordance", "{d}/annex_headings.csv"],
     ["annex_headings.csv:国民经济行业代码及名称: 没有一行填写了国民经济行业代码"]),
    ("annex-not-xlsx", [*ENT, "--concordance", "{d}/fake.xlsx"],
     ["fake.xlsx: 无法作为 Excel 工作簿读取"]),
    ("annex-partial-share", [*ENT, "--concordance", str(FIXTURES / "nbs_annex.csv"),
                             "--partial-share", "2"],
     ["partial_share（--partial-share）: 取值 2.0，应为 (0, 1] 内的份额"]),
    # records and outputs of `measure enterprises`
    ("records-binary", ["enterprises", "{d}/bin.csv", "--out", "{o}/di.csv"],
     ["bin.csv:1: 不是 UTF-8 编码的文本", "企业记录 CSV"]),
    ("records-directory", ["enterprises", "{d}", "--out", "{o}/di.csv"],
     ["是目录或特殊文件，应为企业记录 CSV 或 Parquet 文件"]),
    ("out-directory", ["enterprises", RECORDS, "--out", "{d}/adir.csv"],
     ["是目录或特殊文件，应为要写出的文件路径"]),
    ("out-under-a-file", ["enterprises", RECORDS, "--out", "{d}/other.csv/di.csv"],
     ["other.csv 是文件，应为目录"]),
    # `measure growth-accounting` input file
    ("ga-binary", [*GA, "{d}/bin.csv"], ["bin.csv:1: 不是 UTF-8 或 GB18030 编码的文本", "应为增长核算输入 CSV"]),
    ("ga-empty", [*GA, "{d}/empty.csv"], ["empty.csv: 文件为空"]),
    ("ga-missing-column", [*GA, "{d}/g_no_va.csv"], ["g_no_va.csv:1: 缺少列 va"]),
    ("ga-text-in-number", [*GA, "{d}/g_text.csv"], ["g_text.csv:3:inv_ict: 取值 'abc' 不是数字，应为正数"]),
    ("ga-infinite", [*GA, "{d}/g_inf.csv"], ["g_inf.csv:3:va: 取值 'inf' 不是数字"]),
    ("ga-fractional-year", [*GA, "{d}/g_year.csv"],
     ["g_year.csv:3:year: 取值 '2020.5'，应为四位整数年份"]),
    ("ga-blank-industry", [*GA, "{d}/g_blank_industry.csv"],
     ["g_blank_industry.csv:3:industry: 为空，应为行业名称"]),
    ("ga-labour-over-va", [*GA, "{d}/g_labour_over_va.csv"],
     ["g_labour_over_va.csv:3:labour_compensation: 取值 '200' 大于同一行的 va '110'"]),
    ("ga-no-traditional", [*GA, "{d}/g_no_traditional.csv"],
     ["g_no_traditional.csv:traditional: 没有一行为 true"]),
    ("ga-falling-investment", [*GA, "{d}/g_falling.csv"],
     ["g_falling.csv: industry 'A' inv_ict/p_ict: 初始存量", "可改用 --initial first"]),
    ("ga-header-only", [*GA, "{d}/g_header_only.csv"], ["g_header_only.csv: 只有表头"]),
    ("ga-long-row", [*GA, "{d}/g_long_row.csv"], ["g_long_row.csv:3: 有 13 个字段，应为 11 个"]),
    # `measure growth-accounting` options and outputs
    ("ga-negative-delta", [*GA, GROWTH, "--delta-ict", "-0.1"],
     ["delta_ict（--delta-ict）: 取值 -0.1，应为 (0, 1) 内的折旧率"]),
    ("ga-zero-delta-nonict", [*GA, GROWTH, "--delta-nonict", "0"],
     ["delta_nonict（--delta-nonict）: 取值 0.0"]),
    ("ga-rho", [*GA, GROWTH, "--rho", "2"], ["rho（--rho）: 取值 2.0，应为 (−0.5, 1) 内的实际利率"]),
    ("ga-init-years", [*GA, GROWTH, "--init-years", "0"], ["init_years（--init-years）: 取值 0"]),
    ("ga-out-directory", ["growth-accounting", GROWTH, "--out", "{d}/adir.csv"],
     ["adir.csv: 是目录或特殊文件，应为要写出的文件路径"]),
    ("ga-sensitivity-directory", [*GA, GROWTH, "--sensitivity", "{d}/adir.csv"],
     ["adir.csv: 是目录或特殊文件"]),
]


@pytest.fixture
def bad(tmp_path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "adir.csv").mkdir()
    for name, content in FILES.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("args,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named_in_chinese_and_nothing_is_written(bad, tmp_path, args, expected):
    out = tmp_path / "out"
    before = sorted(bad.rglob("*"))
    r = CliRunner().invoke(measure, [a.format(d=bad, o=out) for a in args])
    assert isinstance(r.exception, SystemExit), r.output  # not an uncaught library error
    assert r.exit_code == EXIT_REJECTED, r.output
    assert r.output.startswith("错误：") or "\n错误：" in r.output, r.output
    for text in expected:
        assert text in r.output, r.output
    assert not out.exists()
    assert sorted(bad.rglob("*")) == before


def test_a_failed_write_removes_the_outputs_already_written(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"

    def fail(path: Path) -> None:
        raise PermissionError(13, "Permission denied")

    with pytest.raises(SystemExit) as ei:
        _write_all([(first, lambda p: p.write_text("x", encoding="utf-8")), (second, fail)])
    assert ei.value.code == EXIT_REJECTED
    assert not first.exists() and not second.exists()


@pytest.mark.slow
def test_spark_reader_error_is_named_not_a_traceback(tmp_path):
    fake = tmp_path / "records.parquet"
    fake.write_bytes(b"not parquet")
    out = tmp_path / "out" / "di.csv"
    r = run_cli("measure", "enterprises", str(fake), "--engine", "spark", "--master", "local[1]",
                "--out", str(out))
    assert r.returncode == EXIT_REJECTED
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert f"{fake}: Spark 无法作为 PARQUET 读取" in r.stderr, r.stderr[-2000:]
    assert "[FAILED_READ_FILE" in r.stderr
    assert not out.parent.exists()
