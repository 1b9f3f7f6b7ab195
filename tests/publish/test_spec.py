"""Bad report specs: the message names the spec file, the key path and what was expected; the
command exits 2 and writes nothing to the output directory."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import spec_variant

from digecon.figures.defs import SpecError
from digecon.publish.cli import report
from digecon.publish.spec import load_spec

SPEC = Path(__file__).resolve().parents[2] / "datasets" / "jiangxi-2022" / "report.yaml"


def test_real_spec_numbers_figures_and_tables():
    spec = load_spec(SPEC)
    numbered = [(b.label, b.number) for _, b in spec.blocks() if b.kind in ("figure", "table")]
    # fig_core (optional) has its number in the spec; a build without its values closes up
    assert [n for lab, n in numbered if lab == "图"] == list(range(1, 19))
    assert [n for lab, n in numbered if lab == "表"] == [1, 2]
    assert ("附图", 1) in numbered and ("附表", 1) in numbered


@pytest.mark.parametrize("mutate, path, message", [
    (lambda r: r["sections"][1]["sections"][0]["blocks"].append({"figure": "fig_99"}),
     "sections[1].sections[0].blocks[5].figure",
     "发现「fig_99」，figures 下没有这个图，应为已定义的图（figures 下的键）："),
    (lambda r: r["figures"]["fig_iif"]["series"][0].update(indicator="iif_levle"),
     "figures.fig_iif.series[0].indicator",
     "发现「iif_levle」，目录中没有这个指标，应为目录中的指标代码"),
    (lambda r: r["tables"]["table_shulin"]["columns"].update(score="分值"),
     "tables.table_shulin.columns.score", "发现「score」，"),
    (lambda r: r["sections"][2]["sections"][0]["blocks"].__setitem__(0, {"text": "text/none.md"}),
     "sections[2].sections[0].blocks[0].text", "发现「text/none.md」，文件不存在（"),
    (lambda r: r["report"].pop("title"), "report.title", "发现该字段缺失，应为非空的报告标题文字"),
    (lambda r: r["figures"]["fig_5g"].update(optional="是"), "figures.fig_5g.optional",
     "发现「是」，应为 true 或 false"),
    (lambda r: r["sections"][0].update(blocks=[{"figure": "fig_de_va"}, {"figure": "fig_de_va"}]),
     "sections[0].blocks[1].figure", "发现图「fig_de_va」第二次出现，应为每个图、表在 sections 中只出现一次"),
    (lambda r: r["report"].update(as_of="去年"), "report.as_of",
     "发现「去年」，应为日期 YYYY-MM-DD，或 latest"),
], ids=["unknown-figure", "unknown-indicator", "no-such-column", "no-text-file", "no-title",
        "optional-not-bool", "figure-twice", "as-of-in-words"])
def test_bad_spec_message(tmp_path, mutate, path, message):
    spec_path = spec_variant(tmp_path, mutate)
    with pytest.raises(SpecError) as err:
        load_spec(spec_path)
    assert err.value.path == path
    assert str(err.value).startswith(f"{spec_path}: {path}: {message}")


def test_a_missing_csv_column_names_the_columns_there_are(tmp_path):
    spec_path = spec_variant(tmp_path, lambda r: r["tables"]["table_shulin"]["columns"].update(
        score="分值"))
    with pytest.raises(SpecError) as err:
        load_spec(spec_path)
    csv = (spec_path.parent / load_yaml(spec_path)["tables"]["table_shulin"]["file"])
    header = csv.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert err.value.found == f"「score」，{csv.name} 中没有这一列"
    assert err.value.expected == f"{csv.name} 的列名之一：{'、'.join(header)}"


def test_an_unknown_figure_lists_the_figures_the_spec_defines(tmp_path):
    spec_path = spec_variant(tmp_path, lambda r: r["sections"][0].update(
        blocks=[{"figure": "fig_99"}]))
    with pytest.raises(SpecError) as err:
        load_spec(spec_path)
    listed = err.value.expected.removeprefix("已定义的图（figures 下的键）：").split("、")
    assert listed == list(load_yaml(spec_path)["figures"]) and "fig_de_va" in listed


def load_yaml(path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_cli_bad_spec_writes_nothing(tmp_path, pub_store):
    spec_path = spec_variant(tmp_path, lambda r: r["figures"]["fig_5g"].update(kind="radar"))
    out = tmp_path / "out"
    res = CliRunner().invoke(report, ["build", str(spec_path), "--db", str(pub_store.path),
                                      "--out", str(out)])
    assert res.exit_code == 2
    assert (f"{spec_path}: figures.fig_5g.kind: 发现「radar」，应为 time（历年变化）、"
            "cities（各下级地区对比）或 choropleth（分级设色地图）") in res.output
    assert not out.exists()


def _unknown_block(raw, kind):
    """Point the first `{kind: …}` block of the outline at an id the spec does not define."""
    def walk(sections):
        for sec in sections:
            for block in sec.get("blocks", []):
                if kind in block:
                    block[kind] = f"{kind}_nope"
                    return True
            if walk(sec.get("sections", [])):
                return True
        return False

    assert walk(raw["sections"])


THREE_MISTAKES = [
    (lambda r: _unknown_block(r, "table"), r"sections(\[\d+\]\.(sections|blocks))+\[\d+\]\.table",
     "发现「table_nope」，tables 下没有这个表，应为已定义的表（tables 下的键）："),
    (lambda r: r["figures"]["fig_de_va"]["series"][0].update(axis="右"),
     r"figures\.fig_de_va\.series\[0\]\.axis", "发现「右」，应为 0（左轴）或 1（右轴）"),
    (lambda r: r["report"].update(title=["白皮书"]), r"report\.title",
     "发现「[白皮书]」，应为非空的报告标题文字"),
]


@pytest.mark.parametrize("mutate, path, message", THREE_MISTAKES,
                         ids=["unknown-table", "axis-in-words", "title-as-list"])
def test_report_build_names_file_and_key_in_chinese_and_writes_nothing(tmp_path, pub_store,
                                                                      mutate, path, message):
    """Three different mistakes, one at a time: each is told as FILE: KEY.PATH: 发现…，应为…,
    exit 2, and the output folder stays empty."""
    spec_path = spec_variant(tmp_path, mutate)
    out = tmp_path / "out"
    out.mkdir()
    res = CliRunner().invoke(report, ["build", str(spec_path), "--db", str(pub_store.path),
                                      "--out", str(out)])
    assert res.exit_code == 2, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("报告规格有误："))
    assert re.fullmatch(rf"报告规格有误：{re.escape(str(spec_path))}: {path}: "
                        rf"{re.escape(message)}.*", line), line
    assert not re.search(r"\b(expected|found|unknown|not found)\b", res.output)
    assert list(out.iterdir()) == []


def test_cli_bad_format_and_missing_db(tmp_path, pub_store):
    res = CliRunner().invoke(report, ["build", str(SPEC), "--formats", "html,epub",
                                      "--db", str(pub_store.path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "未知输出格式：epub" in res.output
    res = CliRunner().invoke(report, ["build", str(SPEC), "--db", str(tmp_path / "no.duckdb"),
                                      "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "不存在" in res.output
    assert not (tmp_path / "o").exists()


def test_help_has_example():
    res = CliRunner().invoke(report, ["build", "--help"])
    assert res.exit_code == 0 and "Example:" in res.output


@pytest.mark.parametrize("mutate, field, found, expected", [
    (lambda r: r["report"].update(region="999999"), "report.region",
     "发现「999999」，目录中没有这个地区", "应为目录中的地区代码（GB/T 2260"),
    (lambda r: r["report"].pop("region"), "report.region", "发现该字段缺失", "应为目录中的地区代码"),
    (lambda r: r["report"].update(year="二〇二一"), "report.year", "发现「二〇二一」",
     "应为四位年份（如 2021）"),
    (lambda r: r["report"].update(year=21), "report.year", "发现「21」", "应为四位年份"),
    (lambda r: r["report"].pop("year"), "report.year", "发现该字段缺失", "应为四位年份"),
], ids=["unknown-region", "no-region", "year-in-words", "two-digit-year", "no-year"])
def test_cli_bad_region_or_year_exits_2_and_writes_nothing(tmp_path, pub_store, mutate, field,
                                                           found, expected):
    spec_path = spec_variant(tmp_path, mutate)
    out = tmp_path / "out"
    out.mkdir()
    res = CliRunner().invoke(report, ["build", str(spec_path), "--db", str(pub_store.path),
                                      "--out", str(out)])
    assert res.exit_code == 2
    assert f"报告规格有误：{spec_path}: {field}: {found}，{expected}" in res.output
    assert list(out.iterdir()) == []


def test_region_may_be_given_by_name(tmp_path):
    spec = load_spec(spec_variant(tmp_path, lambda r: r["report"].update(region="江西省", year="2021")))
    assert (spec.meta["region"], spec.meta["year"]) == ("360000", 2021)


def test_a_report_level_basemap_is_every_map_s_unless_the_map_names_its_own(tmp_path):
    def edit(raw):
        raw["report"]["basemap"] = {"source": "自然资源部标准地图服务", "review_no": "GS(2024)0650号"}
        raw["figures"]["map_city_de"].pop("basemap", None)
        raw["figures"]["map_own"] = {**raw["figures"]["map_city_de"],
                                     "basemap": {"source": "省测绘局"}}

    spec = load_spec(spec_variant(tmp_path, edit))
    assert spec.figures["map_city_de"].basemap.review_no == "GS(2024)0650号"
    assert spec.figures["map_own"].basemap.source == "省测绘局"
    assert spec.figures["map_own"].basemap.review_no == ""  # its own: no 审图号, so 示意
    with pytest.raises(SpecError) as err:
        load_spec(spec_variant(tmp_path / "b", lambda r: r["report"].update(basemap="GS号")))
    assert err.value.path == "report.basemap" and err.value.found == "「GS号」"
    assert err.value.expected.startswith("{source: 底图来源, review_no: 审图号}")
