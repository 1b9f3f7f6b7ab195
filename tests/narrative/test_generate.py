"""Generated 前言/一(一)/一(二) for Jiangxi 2021: the paper's numbers, and no inconsistency under factcheck."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from digecon.factcheck import check_text
from digecon.narrative import ILLUSTRATIVE_MARK, generate
from digecon.narrative.cli import narrative

PAPER = "2022-07-31"  # the paper's vintage: the GDP revision of 2024 moves the share to 34.8%


@pytest.mark.parametrize("as_of", [PAPER, None])
@pytest.mark.parametrize("section", ["前言", "一(一)", "一(二)"])
def test_passes_factcheck_at_the_same_vintage(demo_store, section, as_of):
    text = generate(section, demo_store, "江西省", 2021, as_of=as_of)
    claims = check_text(text, store=demo_store, as_of=as_of)
    assert claims and not [c for c in claims if c.status == "inconsistent"]


def test_vintage_moves_the_share(demo_store):
    paper = generate("一(一)", demo_store, "江西省", 2021, as_of=PAPER)
    latest = generate("一(一)", demo_store, "江西省", 2021)
    assert "占GDP的比重为35.0%" in paper and "由2016年的21.9%" in paper
    # 10378 / 29827.8 = 34.79; 2016: 4051.1 / 18388.59 = 22.03; 2020: 8684.5 / 25781.95 = 33.68
    assert "占GDP的比重为34.8%，比2020年提升1.1个百分点" in latest and "由2016年的22.0%" in latest


def test_same_numbers_as_paper(demo_store):
    p = generate("前言", demo_store, "江西省", 2021, as_of=PAPER)
    for s in ("10378亿元", "首次迈入万亿大关", "增长19.5%", "高于地区生产总值增速10.7个百分点", "35.0%",
              "提升2.5个百分点", "12.6%", "提升4.1个百分点"):
        assert s in p
    s11 = generate("一(一)", demo_store, "江西省", 2021, as_of=PAPER)
    for s in ("增加了1.6倍", "20.7%", "21.9%", "年均提升2.6个百分点", "1308.2亿元", "9070亿元", "87.4%"):
        assert s in s11
    s12 = generate("一(二)", demo_store, "江西省", 2021, as_of=PAPER)
    assert "南昌市数字经济增加值超" in s12 and ILLUSTRATIVE_MARK in s12
    assert ILLUSTRATIVE_MARK not in s11


def test_unknown_section_and_cli(demo_store, tmp_path):
    with pytest.raises(ValueError, match="section"):
        generate("二(一)", demo_store, "江西省", 2021)
    r = CliRunner().invoke(narrative, ["section", "一(一)", "--region", "江西省", "--year", "2021",
                                       "--db", str(demo_store.path)])
    assert r.exit_code == 0 and "10378亿元" in r.output and "34.8%" in r.output
    r = CliRunner().invoke(narrative, ["section", "一(一)", "--region", "江西省", "--year", "2021",
                                       "--db", str(demo_store.path), "--as-of", PAPER])
    assert r.exit_code == 0 and "占GDP的比重为35.0%" in r.output and "34.8%" not in r.output
    r = CliRunner().invoke(narrative, ["section", "一(一)", "--region", "江西省", "--year", "2021",
                                       "--db", str(demo_store.path), "--as-of", "2022-7"])
    assert r.exit_code != 0 and "YYYY-MM-DD" in r.output
    r = CliRunner().invoke(narrative, ["section", "前言", "--region", "江西省", "--year", "2021",
                                       "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code != 0 and "none.duckdb" in r.output
    assert "Example:" in CliRunner().invoke(narrative, ["--help"]).output
