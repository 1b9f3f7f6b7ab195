"""A fourth region the code was never built from, and of another shape: 重庆市 2023, a 直辖市
with no prefecture level, whose units are its 38 区县 (26 个区、8 个县、4 个自治县, county level
directly under the municipality; invented values marked illustrative), from its own spec,
templates, text and index spec (tests/publish/fixtures/chongqing-2023). All four formats build;
no Jiangxi, Hunan or Inner-Mongolia name, number, code or wording reaches them; the units are
called 区县 and the whole 全市; every 区县 is in every chart of units; the generated text
fact-checks; the tiers are the index's; the 区县 add up to the municipality; the years follow
report.year."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from digecon.catalog import get_catalog
from digecon.cli import main
from digecon.dataset_paths import DATASET_VARIABLE, chosen_dataset, use_dataset
from digecon.evaluate import build as build_index
from digecon.evaluate import spec_from_dict
from digecon.factcheck import check_text
from digecon.facts import Facts
from digecon.store import Store
from publish import province

CQ = Path(__file__).parent / "fixtures" / "chongqing-2023"
FORMATS = ["html", "pdf", "docx", "xlsx"]
AS_OF = "2024-07-31"
REGION = "重庆市"
CODE = "500000"
# the other three regions' names, unit words and whole-words, codes, published or invented
# totals and folder names (全省/全区: a 直辖市 speaks of itself as 全市)
LEAKS = ("江西", "南昌", "赣州", "九江", "设区市", "360000", "360100", "10378", "1308.2", "jiangxi",
         "湖南", "长沙", "湘西", "市州", "430000", "433100", "14200", "12400", "hunan", "中部地区",
         "内蒙古", "呼和浩特", "包头", "鄂尔多斯", "盟市", "150000", "7260", "24600", "382.4",
         "neimenggu", "全省")
# the invented 2023 totals the 区县 add up to (亿元)
TOTALS = {"gdp": 30150, "de_va": 10620, "di_va": 2710, "id_va": 7910, "online_retail": 1748.6}
UNIT_FIGURES = ("fig_county_de", "fig_county_di", "fig_county_retail", "fig_county_5g")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with province.in_dataset(CQ):  # active for the whole module, as a user's build is
        yield province.build(CQ, tmp_path_factory.mktemp("chongqing-2023"))


@pytest.fixture(scope="module")
def texts(built):
    return province.texts(built)


@pytest.fixture(scope="module")
def narrative(built):
    return province.narrative(built)


@pytest.fixture()
def in_dataset():
    with province.in_dataset(CQ):
        yield


_flat = province.flat


def _units() -> list:
    return get_catalog().subunits(CODE)


def test_all_four_formats_build_every_sentence_with_its_facts(built):
    result = built[0]
    assert sorted(result.outputs) == sorted(FORMATS)
    for path in result.outputs.values():
        assert path.is_file() and path.stat().st_size > 1000
    assert [line for line in result.report.log if "跳过" in line] == []


def test_the_units_are_the_county_level_units_directly_under_the_municipality(in_dataset):
    cat = get_catalog()
    units = _units()
    assert len(units) == 38 and {u.level for u in units} == {"county"}
    assert {u.parent for u in units} == {CODE}  # no 市辖区/县 level in between
    kinds = pd.Series([u.kind for u in units]).value_counts().to_dict()
    assert kinds == {"市辖区": 26, "县": 8, "自治县": 4}
    assert cat.regions(level="city", parent=CODE) == []
    # the word follows from the kinds: the manifest sets none
    assert "unit_word" not in yaml.safe_load((CQ / "dataset.yaml").read_text(encoding="utf-8"))
    assert cat.unit_word(CODE) == "区县"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_municipality_its_unit_word_and_its_units(texts, fmt):
    text = _flat(texts[fmt])
    for word in ("重庆市", "区县", "渝中区", "城口县", "石柱土家族自治县", "示意"):
        assert word in text, f"{fmt}: no {word}"
    if fmt != "xlsx":  # the annex has no prose
        assert "全市" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_other_region_s_name_number_code_or_wording(texts, fmt):
    text = texts[fmt]
    found = {w: text[max(0, m.start() - 40):m.end() + 40]
             for w in LEAKS for m in [re.search(re.escape(w), text, re.IGNORECASE)] if m}
    # 全区 is an autonomous region's word for itself (全区县 is this text's own)
    stray = re.search(r"全区(?!县)", text)
    if stray:
        found["全区"] = text[max(0, stray.start() - 40):stray.end() + 40]
    assert not found, f"{fmt}: {found}"


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_generated_sentences_from_its_own_store(texts, fmt):
    text = _flat(texts[fmt])
    for s in ("全市数字经济增加值10620亿元※，首次跨过万亿元台阶，比上年增长12.0%※",
              "高于地区生产总值增速5.9个百分点※",
              "2019年以来，全市数字经济增加值增长64.1%※，年均增长13.2%※",
              "比2022年提升2.7个百分点※，低于全国平均水平7.6个百分点※",
              "全市38个区县按数字经济发展水平分为三个梯队",
              "两者之比约为“三七”※",
              "核心产业增加值2180亿元※，比上年增长15.3%※，相当于地区生产总值的7.2%※",
              "渝北区、渝中区、江北区三个区县数字经济增加值超1000亿元※",
              "渝中区数字经济增加值占地区生产总值的比重在全市区县中居第1位※",
              "网络零售额最多的三个区县是渝北区、江北区、渝中区"):
        assert s in text, f"{fmt}: no {s}"


@pytest.mark.parametrize("fig", UNIT_FIGURES)
def test_every_chart_of_units_shows_every_district_and_county(built, fig):
    """The charts of units compare the municipality's own units (its 区县, county level), not
    the prefecture-level units it does not have: each shows all 38, by their catalog names."""
    from digecon.figures import figure_data
    from digecon.publish.spec import load_spec

    result, store, _ = built
    spec = load_spec(CQ / "report.yaml")
    before = chosen_dataset()
    use_dataset(CQ.resolve())
    try:
        df = figure_data(fig, store, spec, as_of=AS_OF)
    finally:
        use_dataset(before)
    units = {u.code: u.name for u in _units()}
    fdef = spec.figures[fig]
    shown = df[df["region_code"] != CODE]
    for ind in [s.indicator for s in fdef.series]:
        rows = shown[shown["indicator"] == ind]
        assert dict(zip(rows["region_code"], rows["region_name"])) == units, (fig, ind)
    # and the annex lays each one out with a row per 区县
    import openpyxl

    wb = openpyxl.load_workbook(result.outputs["xlsx"])
    sheet = next(ws for ws in wb if str(ws.cell(1, 1).value or "").endswith(fdef.caption))
    names = {str(r[0]) for r in sheet.iter_rows(values_only=True) if r[0] in units.values()}
    assert names == set(units.values()), fig


def _claims(result: dict) -> list[dict]:
    return [c for c in result["claims"] if c["status"] != "consistent"]


def test_generated_text_fact_checks_with_nothing_inconsistent(built, narrative, in_dataset):
    store = built[1]
    claims = check_text(narrative, store=store, region=REGION, as_of=AS_OF)
    assert len(claims) >= 40
    assert [(c.text, c.quote) for c in claims if c.status == "inconsistent"] == []
    # checked, not merely not refuted: the municipality's levels match the store
    against_store = [c for c in claims if c.status == "consistent"
                     and any(k.rule == "store" and k.ok for k in c.checks)]
    assert len(against_store) >= 8
    assert {c.region for c in against_store} == {REGION}


def test_the_cli_fact_check_of_the_build_output(built, tmp_path):
    out_dir, db = built[2] / "out", built[1].path
    report = tmp_path / "checks.json"
    env = {**os.environ, DATASET_VARIABLE: str(CQ.resolve())}
    run = subprocess.run([sys.executable, "-m", "digecon.cli", "factcheck",
                          str(out_dir / "narrative.md"), "--db", str(db), "--region", REGION,
                          "--out", str(report)], capture_output=True, text=True, env=env,
                         check=False)
    assert run.returncode == 0, run.stderr
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["summary"]["inconsistent"] == 0, _claims(result)
    assert result["summary"]["claims"] >= 40


def test_units_named_by_code_short_name_alias_or_parent_resolve(built, in_dataset):
    cat = get_catalog()
    csv = pd.read_csv(CQ / "observations" / "observations.csv", dtype=str)
    written = set(csv["region"])
    # an editor's ways of naming a 区县: code, short name, alias, parent-prefixed name
    assert {"500103", "綦江", "石柱", "酉阳自治县", "重庆市江北区"} <= written
    assert cat.region("石柱").code == "500240" and cat.region("酉阳自治县").code == "500242"
    assert cat.region("重庆市江北区").code == "500105"
    facts = Facts(built[1], AS_OF)
    for u in _units():
        for ind in ("de_va", "online_retail", "bs5g_per_10k"):
            assert facts.get(ind, u.code, "2023") is not None, (u.name, ind)


def _index_tiers(store) -> pd.DataFrame:
    path = CQ / "index" / "units.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["observations"] = {**raw["observations"], "as_of": AS_OF}
    spec = spec_from_dict(raw, source=path.name, base_dir=path.parent, store=store)
    res = build_index(spec)
    top = spec.fw.top
    return res.tiers.merge(res.ranks[["uCode", top]].rename(columns={top: "rank"}), on="uCode")


def test_tiers_in_the_text_and_the_table_are_the_index_tiers(built, narrative, in_dataset):
    result, store, _ = built
    idx = _index_tiers(store)
    assert len(idx) == 38
    by_tier = {t: set(g["uName"]) for t, g in idx.groupby("tier")}
    assert sorted(by_tier) == [1, 2, 3]
    listing = re.search(r"梯队）：(.+?)。", _flat(narrative)).group(1)  # after the rule
    said: dict[int, set[str]] = {}
    for names, label in re.findall(r"([^，]+?)(?:[两三四五六七八九十]+个区县)?为第([一二三])梯队",
                                   listing):
        tier = "一二三".index(label) + 1
        said[tier] = (set(idx["uName"]) - set().union(*said.values())) if names == "其余区县" \
            else set(names.split("、"))
    assert said == by_tier
    # the 附表 shows the index's tier of every 区县, and a lower tier never ranks above a higher
    import docx

    doc = docx.Document(str(result.outputs["docx"]))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "区县")
    shown = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    assert shown == {r.uName: r.label for r in idx.itertuples()}
    worst = idx.groupby("tier")["rank"].max()
    best = idx.groupby("tier")["rank"].min()
    assert all(worst[t] < best[t + 1] for t in (1, 2))


def test_the_illustrative_units_add_up_to_the_municipality(built, narrative, in_dataset):
    facts = Facts(built[1], AS_OF)
    units = _units()
    for code, total in TOTALS.items():
        whole = facts.get(code, CODE, "2023")
        parts = [facts.get(code, u.code, "2023") for u in units]
        assert whole is not None and whole.value == pytest.approx(total)
        assert all(p is not None and p.status == "illustrative" for p in parts), code
        assert sum(p.value for p in parts) == pytest.approx(whole.value), code
    for u in units:  # and each 区县's two parts make its whole
        de, di, id_ = (facts.get(c, u.code, "2023").value for c in ("de_va", "di_va", "id_va"))
        assert di + id_ == pytest.approx(de), u.name
    flat = _flat(narrative)
    for stated in ("数字经济增加值10620亿元※", "数字产业化增加值2710亿元※",
                   "产业数字化增加值7910亿元※", "网络零售额1748.6亿元※"):
        assert stated in flat, stated


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_the_compilation_note_marks_the_data_illustrative(texts, fmt):
    text = _flat(texts[fmt])
    note = text[text.index("编制说明"):]
    note = note[:note.index("编制组")]
    assert "示意值" in note and "※" in note and "不是统计数据" in note


def test_the_years_follow_report_year(narrative, texts):
    body = re.sub(r"《[^》]*》|<!--.*?-->", "", narrative)  # a classification's own year
    years = set(re.findall(r"(?<!\d)(20\d\d)(?!\d)", body))
    assert years == {"2019", "2022", "2023"}, years  # 2023, 上年 2022, the series from 2019
    assert "截至2023年底" in body and "比2022年" in body and "2019年以来" in body
    assert "重庆市数字经济发展白皮书（2024年）" in texts["pdf"]


@pytest.mark.parametrize("fmt", ["narrative", "pdf", "docx"])
def test_no_english_words_in_the_chinese_body(narrative, texts, fmt):
    text = narrative if fmt == "narrative" else texts[fmt]
    text = re.sub(r"<!--.*?-->", "", text)  # the build header digecon factcheck reads
    words = set(re.findall(r"[A-Za-z]{2,}", text))
    assert words <= {"GDP", "II", "III"}, words  # GDP in captions, roman page numbers


def test_every_figure_and_table_names_its_source(built, texts):
    result = built[0]
    n = len(result.report.figures) + len(result.report.tables)
    assert n == 8
    for fmt in ("pdf", "docx"):
        assert _flat(texts[fmt]).count("数据来源：") == n, fmt


def test_narrative_section_without_data_exits_2_in_chinese(tmp_path):
    """A municipality's section asked of a store that has none of its data: 错误：… naming the
    section, exit 2 (input to correct), never 1 or click's English."""
    empty = Store(tmp_path / "empty.duckdb")
    empty.init()
    r = CliRunner().invoke(main, ["narrative", "section", "一(三)", "--region", REGION,
                                  "--year", "2023", "--db", str(empty.path),
                                  "--dataset", str(CQ.resolve())])
    assert r.exit_code == 2, (r.output, r.exception)
    assert r.output.startswith("错误：") and "Error" not in r.output
    assert "重庆市 2023 年没有可用于「一(三)」的数据" in r.output


def test_narrative_cli_writes_the_units_of_the_municipality(built):
    before = chosen_dataset()
    use_dataset(None)  # as a fresh `digecon narrative` process: only --dataset names it
    try:
        r = CliRunner().invoke(main, [
            "narrative", "section", "二(二)", "--region", REGION, "--year", "2023",
            "--as-of", AS_OF, "--db", str(built[1].path), "--dataset",
            str(CQ.resolve()), "-v"])
    finally:
        use_dataset(before)
    assert r.exit_code == 0, r.output
    assert "截至2023年底，全市每万人拥有5G基站26.8个※" in r.output and "跳过" not in r.output
    assert re.search(r"高于全市水平的有渝中区、.+?[十几两三四五六七八九]+个区县。", r.output)
