"""Bad report specs: the message names the spec file, the key path and what was expected; the
command exits 2 and writes nothing to the output directory."""
from __future__ import annotations

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


@pytest.mark.parametrize("mutate, path, expected", [
    (lambda r: r["sections"][1]["sections"][0]["blocks"].append({"figure": "fig_99"}),
     "sections[1].sections[0].blocks[5].figure", "unknown figure 'fig_99'"),
    (lambda r: r["figures"]["fig_iif"]["series"][0].update(indicator="iif_levle"),
     "figures.fig_iif.series[0].indicator", "unknown indicator 'iif_levle'"),
    (lambda r: r["tables"]["table_shulin"]["columns"].update(score="分值"),
     "tables.table_shulin.columns.score", "no such column"),
    (lambda r: r["sections"][2]["sections"][0]["blocks"].__setitem__(0, {"text": "text/none.md"}),
     "sections[2].sections[0].blocks[0].text", "Markdown file not found"),
    (lambda r: r["report"].pop("title"), "report.title", "expected the report title"),
])
def test_bad_spec_message(tmp_path, mutate, path, expected):
    spec_path = spec_variant(tmp_path, mutate)
    with pytest.raises(SpecError) as err:
        load_spec(spec_path)
    assert err.value.path == path and expected in str(err.value)
    assert str(spec_path) in str(err.value)


def test_cli_bad_spec_writes_nothing(tmp_path, pub_store):
    spec_path = spec_variant(tmp_path, lambda r: r["figures"]["fig_5g"].update(kind="radar"))
    out = tmp_path / "out"
    res = CliRunner().invoke(report, ["build", str(spec_path), "--db", str(pub_store.path),
                                      "--out", str(out)])
    assert res.exit_code == 2
    assert f"{spec_path}: figures.fig_5g.kind: expected one of time, cities, choropleth" in res.output
    assert not out.exists()


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
    with pytest.raises(SpecError, match="basemap"):
        load_spec(spec_variant(tmp_path / "b", lambda r: r["report"].update(basemap="GS号")))
