"""The bundled dataset's section templates for Jiangxi 2021: the paper's numbers, the vintage
they were read at, and no inconsistency under factcheck."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import REPO, spec_variant

from digecon.cli import main
from digecon.factcheck import check_text
from digecon.narrative import ILLUSTRATIVE_MARK, find_template, generate, template_section
from digecon.narrative.cli import narrative
from digecon.publish.spec import load_spec

PAPER = "2022-07-31"  # the paper's vintage: the GDP revision of 2024 moves the share to 34.8%
TEMPLATES = REPO / "datasets" / "jiangxi-2022" / "narrative"
SECTIONS = sorted(template_section(p) for p in TEMPLATES.glob("*.j2"))


def test_every_numbered_section_has_a_template():
    expected = {"前言", "一(一)", "一(二)", "一(三)", "一(四)", *(f"二({n})" for n in "一二三四五六七八"),
                "三(一)", "三(二)"}
    assert set(SECTIONS) == expected


@pytest.mark.parametrize("as_of", [PAPER, None])
@pytest.mark.parametrize("section", SECTIONS)
def test_passes_factcheck_at_the_same_vintage(demo_store, section, as_of):
    text = generate(section, demo_store, "江西省", 2021, as_of=as_of)
    claims = check_text(text, store=demo_store, as_of=as_of)
    assert claims
    assert [(c.text, c.quote) for c in claims if c.status == "inconsistent"] == []
    assert "None" not in text and "\x00" not in text


def test_vintage_moves_the_share(demo_store):
    paper = generate("一(一)", demo_store, "江西省", 2021, as_of=PAPER)
    latest = generate("一(一)", demo_store, "江西省", 2021)
    assert "占GDP的比重为35.0%，比2020年提升2.5个百分点" in paper and "由2016年的21.9%" in paper
    # 10378 / 29827.8 = 34.79; 2016: 4051.1 / 18388.59 = 22.03; 2020: 8684.5 / 25781.95 = 33.68
    assert "占GDP的比重为34.8%，比2020年提升1.1个百分点" in latest and "由2016年的22.0%" in latest
    # GDP CAGR 2016-2021 at the paper's vintage: (29619.7 / 18364.4)^(1/5) = 10.03%; 20.70 − 10.03
    assert "年均复合增长率为20.7%，高于同期GDP年均增速10.7个百分点" in paper
    # revised GDP: (29827.8 / 18388.59)^(1/5) = 10.158%; 20.700 − 10.158 = 10.54
    assert "高于同期GDP年均增速10.5个百分点" in latest


def test_same_numbers_as_paper(demo_store):
    p = generate("前言", demo_store, "江西省", 2021, as_of=PAPER)
    for s in ("10378亿元", "数字经济总量首次迈上万亿台阶", "增长19.5%", "高于地区生产总值增速10.7个百分点", "35.0%",
              "提升2.5个百分点", "12.6%", "提升4.1个百分点", "形成三个梯队"):
        assert s in p
    s11 = generate("一(一)", demo_store, "江西省", 2021, as_of=PAPER)
    for s in ("增加了1.6倍", "20.7%", "21.9%", "年均提升2.6个百分点", "1308.2亿元", "9070亿元", "87.4%",
              "“一九”格局", "等15个省份"):
        assert s in s11
    assert ILLUSTRATIVE_MARK not in s11


def test_city_brackets_quote_the_published_bounds(demo_store):
    s12 = generate("一(二)", demo_store, "江西省", 2021, as_of=PAPER)
    # the paper's bounds, not round-downs of the illustrative values (南昌 de_va is above 3000)
    assert "南昌市数字经济增加值超2500亿元，赣州市、九江市、上饶市、宜春市四个设区市超过1000亿元，" \
           "其余设区市低于1000亿元" in s12
    assert "南昌市占比超40%" in s12 and "超45%" not in s12 and "超3000" not in s12
    assert "南昌市为第一梯队" in s12 and "五个设区市为第二梯队，其余设区市为第三梯队" in s12
    assert "各设区市数字经济增加值超过2500亿元且其占GDP比重超过40%的为第一梯队，" \
           "其占GDP比重超过35%的为第二梯队，其余为第三梯队" in s12


def test_unknown_section_and_cli(demo_store, tmp_path):
    with pytest.raises(LookupError, match="四\\(九\\)"):
        find_template("四(九)", TEMPLATES)
    args = ["section", "一(一)", "--region", "江西省", "--year", "2021", "--db",
            str(demo_store.path)]
    r = CliRunner().invoke(narrative, args)
    assert r.exit_code == 0 and "10378亿元" in r.output and "34.8%" in r.output
    r = CliRunner().invoke(narrative, [*args, "--as-of", PAPER])
    assert r.exit_code == 0 and "占GDP的比重为35.0%" in r.output and "34.8%" not in r.output
    assert "Example:" in CliRunner().invoke(narrative, ["--help"]).output


@pytest.mark.parametrize("change,said", [
    ({"--as-of": "2022-7"}, "--as-of：发现「2022-7」，应为日期 YYYY-MM-DD"),
    ({"--db": "none.duckdb"}, "none.duckdb: 发现数据库不存在，应为已有的数据库"),
    ({"--region": "火星"}, "--region：未知地区「火星」"),
    ({"--region": "江北区"}, "地区名称「江北区」不唯一"),
    ({"section": "四(九)"}, "发现没有声明 section: 四(九) 的模板，应为其中已有的节 "),
    ({"--year": "1900"}, "江西省 1900 年没有可用于「一(一)」的数据"),
], ids=["as-of", "db", "region", "ambiguous", "section", "no-data"])
def test_input_to_correct_exits_2_with_a_chinese_message(demo_store, tmp_path, change, said):
    """Through digecon's own command line, as a user runs it: input a person has to correct
    (a year without data among it) is 错误：… on stderr and exit 2, never 1 or a traceback."""
    opts = {"section": "一(一)", "--region": "江西省", "--year": "2021",
            "--db": str(demo_store.path), **change}
    if change.get("--db"):
        opts["--db"] = str(tmp_path / change["--db"])
    args = ["narrative", "section", opts.pop("section")] + [x for kv in opts.items() for x in kv]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2, (r.exit_code, r.output, r.exception)
    assert r.output.startswith("错误：") and said in r.output, r.output
    assert "Error" not in r.output and "Traceback" not in r.output


def test_spec_names_templates_by_file_or_by_section(tmp_path):
    def by_section(raw):
        raw["sections"][0]["blocks"][1] = {"narrative": {"section": "前言"}}

    bundled = load_spec(REPO / "datasets" / "jiangxi-2022" / "report.yaml")
    copy = load_spec(spec_variant(tmp_path, by_section))  # a copy outside its dataset
    paths = [[b.path.resolve() for _, b in s.blocks() if b.kind == "narrative"]
             for s in (bundled, copy)]
    # the copy carries its own narrative/ (spec_variant copies it): the same templates by name
    assert [p.name for p in paths[0]] == [p.name for p in paths[1]]
    assert paths[0][0].name == "preface.md.j2" and paths[1][0].parent != paths[0][0].parent
    assert [b.ref for _, b in copy.blocks() if b.kind == "narrative"][:3] == \
        ["前言", "一(一)", "一(二)"]
