"""The report's numbers and its fact-check agree by vintage: the demo store holds Jiangxi GDP as
first published (2021: 29619.7, DE share 35.04%) and as revised in 2024 (29827.8, 34.79%)."""
from __future__ import annotations

import json

import pytest
from conftest import run_cli
from docx import Document

from digecon.publish.build import build_report

from .conftest import SPEC

PAPER = "2022-07-31"  # the spec's report.as_of


@pytest.fixture(scope="module")
def paper_build(demo_db, tmp_path_factory):
    from digecon.store import Store

    out = tmp_path_factory.mktemp("vintage-paper")
    return build_report(SPEC, Store(demo_db), out, ["html", "docx"]), out


@pytest.fixture(scope="module")
def latest_build(demo_db, tmp_path_factory):
    from digecon.store import Store

    out = tmp_path_factory.mktemp("vintage-latest")
    return build_report(SPEC, Store(demo_db), out, ["html"], as_of="latest"), out


def _factcheck(narrative, demo_db, tmp_path, *extra):
    out = tmp_path / "checks.json"
    r = run_cli("factcheck", str(narrative), "--out", str(out), *extra, db=demo_db)
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text(encoding="utf-8"))["claims"], r.stdout


def test_spec_vintage_everywhere(paper_build, demo_db, tmp_path):
    result, out = paper_build
    narrative = (out / "narrative.md").read_text(encoding="utf-8")
    assert narrative.startswith(f"<!-- digecon as_of: {PAPER} region: 360000 year: 2021 -->\n")
    assert "占GDP的比重为35.0%" in narrative and "34.8%" not in narrative
    assert f"as_of: {PAPER}" in (out / "build-log.txt").read_text(encoding="utf-8")
    line = f"数据截至版本：{PAPER}"
    assert line in (out / "html" / "index.html").read_text(encoding="utf-8")
    assert line in [p.text for p in Document(result.outputs["docx"]).paragraphs]
    # figures read the same vintage: 图2's 2021 point is the paper's 35.0, not the revision
    fig = next(f for f in result.report.figures if f.fdef.id == "fig_de_share")
    row = fig.data[fig.data["period"] == "2021"].iloc[0]
    assert (row["value"], str(row["vintage"])) == (35.0, "2022-07-01")

    # factcheck takes the vintage from the header, without being told
    claims, said = _factcheck(out / "narrative.md", demo_db, tmp_path)
    assert f"数据版本截至 {PAPER}" in said
    assert len(claims) > 40 and not [c["quote"] for c in claims if c["status"] == "inconsistent"]
    share = [c for c in claims if c["indicator"] == "de_share_gdp" and c["text"] == "35.0%"]
    assert share and all(c["status"] == "consistent" for c in share)
    # --as-of still overrides: against the 2024 revision the 35.0% claims fail (34.79 → 34.8)
    claims, _ = _factcheck(out / "narrative.md", demo_db, tmp_path, "--as-of", "2024-01-01")
    assert sorted({c["text"] for c in claims if c["status"] == "inconsistent"}) == ["35.0%"]


def test_latest_override(latest_build, demo_db, tmp_path):
    _, out = latest_build
    narrative = (out / "narrative.md").read_text(encoding="utf-8")
    # "latest" is recorded as the concrete newest vintage, so later revisions keep the verdict
    assert narrative.startswith("<!-- digecon as_of: 2024-01-01 ")
    assert "占GDP的比重为34.8%，比2020年提升1.1个百分点" in narrative
    assert "数据截至版本：2024-01-01（数据库中最新版本）" in \
        (out / "html" / "index.html").read_text(encoding="utf-8")
    claims, _ = _factcheck(out / "narrative.md", demo_db, tmp_path)
    assert not [c["quote"] for c in claims if c["status"] == "inconsistent"]


def test_cli_as_of_rejects_bad_date(demo_db, tmp_path):
    r = run_cli("report", "build", str(SPEC), "--as-of", "2022-13-01", "--out",
                str(tmp_path / "out"), db=demo_db)
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr
    assert not (tmp_path / "out").exists()


def test_tier_table_values_read_as_the_charts(paper_build):
    """The tier table's indicator columns print each value as the figures and the prose do
    (digecon.facts.fact_text: a level at one decimal drops its .0, a share keeps 35.0)."""
    result, _ = paper_build
    tab = next(t for t in result.report.tables if t.tdef.id == "table_city_tiers")
    cells = dict(zip(tab.frame["设区市"], tab.frame["数字经济增加值（亿元）"]))
    shares = dict(zip(tab.frame["设区市"], tab.frame["占GDP比重（%）"]))
    fig = next(f for f in result.report.figures if f.fdef.id == "fig_city_de")
    for ind, table in (("de_va", cells), ("de_share_gdp", shares)):
        drawn = fig.data[(fig.data.indicator == ind) & (fig.data.period == "2021")]
        texts = dict(zip(drawn["region_name"], drawn["text"]))
        assert table == {name: texts[name] for name in table}, ind


def test_city_tiers_table(paper_build):
    """一(二) shows each 设区市's 梯队 from the index spec, marked illustrative like its inputs."""
    result, out = paper_build
    tab = next(t for t in result.report.tables if t.tdef.id == "table_city_tiers")
    assert tab.caption == "附表1 2021年各设区市数字经济发展梯队（示意）" and tab.marked
    tiers = dict(zip(tab.frame["设区市"], tab.frame["梯队"]))
    # the paper: 南昌 >2500亿元 and >40%; 占比 >35% second; the rest third
    assert tiers["南昌市"] == "第一梯队"
    assert sorted(c for c, t in tiers.items() if t == "第二梯队") == sorted(
        ["赣州市", "上饶市", "九江市", "吉安市", "宜春市"])
    assert len(tiers) == 11 and list(tab.frame["梯队"]) == sorted(tab.frame["梯队"],
                                                               key=["第一梯队", "第二梯队", "第三梯队"].index)
    row = tab.frame.set_index("设区市").loc["南昌市"]
    # the illustrative 数字产业化 301.0 + 产业数字化 2482.4 (05_illustrative.csv) over 南昌's GDP
    # 6650.53: 2783.4 / 6650.53 = 41.85 %
    assert (row["数字经济增加值（亿元）"], row["占GDP比重（%）"]) == ("2783.4", "41.9")
    html = (out / "html" / "index.html").read_text(encoding="utf-8")
    note = "本表依据各设区市示意值计算"  # the unit word from the catalog; no English in the body
    assert 'id="table_city_tiers" class="table marked"' in html and note in html
    paras = [p.text for p in Document(result.outputs["docx"]).paragraphs]
    assert any(p.startswith("附表1") for p in paras) and any(note in p for p in paras)
