"""A third province the code was never built from: 内蒙古自治区 2023 (12 盟市: 9 个地级市与
兴安盟、锡林郭勒盟、阿拉善盟; invented values marked illustrative), from its own spec, templates,
text, index spec and catalog extension (tests/publish/fixtures/neimenggu-2023). All four formats
build; no Jiangxi or Hunan name, number, code or wording reaches them; the generated text
fact-checks; the 盟 keep their 盟; the tiers are the index's; the 盟市 add up to the region; the
years follow report.year."""
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

from digecon.catalog import get_catalog
from digecon.dataset_paths import DATASET_VARIABLE, chosen_dataset, use_dataset
from digecon.evaluate import build as build_index
from digecon.evaluate import spec_from_dict
from digecon.factcheck import check_text
from digecon.facts import Facts
from publish import province

NMG = Path(__file__).parent / "fixtures" / "neimenggu-2023"
FORMATS = ["html", "pdf", "docx", "xlsx"]
AS_OF = "2024-07-31"
REGION = "内蒙古自治区"
# Jiangxi's and Hunan's names, unit words, codes, published or invented totals and folder names
LEAKS = ("江西", "南昌", "赣州", "九江", "设区市", "360000", "360100", "10378", "1308.2", "jiangxi",
         "湖南", "长沙", "湘西", "市州", "430000", "433100", "14200", "12400", "hunan", "中部地区")
LEAGUES = {"152200": ("兴安盟", "兴安"), "152500": ("锡林郭勒盟", "锡林郭勒"),
           "152900": ("阿拉善盟", "阿拉善")}
# the invented 2023 totals the 盟市 add up to (亿元)
TOTALS = {"gdp": 24600, "de_va": 7260, "di_va": 1180, "id_va": 6080, "online_retail": 382.4}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with province.in_dataset(NMG):  # active for the whole module, as a user's build is
        yield province.build(NMG, tmp_path_factory.mktemp("neimenggu-2023"))


@pytest.fixture(scope="module")
def texts(built):
    return province.texts(built)


@pytest.fixture(scope="module")
def narrative(built):
    return province.narrative(built)


@pytest.fixture()
def in_dataset():
    with province.in_dataset(NMG):
        yield


_flat = province.flat


def test_all_four_formats_build_every_sentence_with_its_facts(built):
    result = built[0]
    assert sorted(result.outputs) == sorted(FORMATS)
    for path in result.outputs.values():
        assert path.is_file() and path.stat().st_size > 1000
    assert [line for line in result.report.log if "跳过" in line] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_region_its_unit_word_and_its_leagues(texts, fmt):
    text = _flat(texts[fmt])
    for word in ("内蒙古", "盟市", "兴安盟", "锡林郭勒盟", "阿拉善盟", "示意"):
        assert word in text, f"{fmt}: no {word}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_jiangxi_or_hunan_name_number_code_or_wording(texts, fmt):
    text = texts[fmt]
    found = {w: text[max(0, m.start() - 40):m.end() + 40]
             for w in LEAKS for m in [re.search(re.escape(w), text, re.IGNORECASE)] if m}
    assert not found, f"{fmt}: {found}"


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_generated_sentences_from_its_own_store(texts, fmt):
    text = _flat(texts[fmt])
    for s in ("全区数字经济增加值达到7260亿元※，首次突破7000亿元，比上年增长13.3%※",
              "高于地区生产总值增速6.2个百分点※",
              "2018—2023年，全区数字经济增加值增长83.8%※，年均增长12.9%※",
              "比2022年提升1.5个百分点※，低于全国平均水平13.2个百分点※",
              "全区十二个盟市按数字经济发展水平分为三个梯队",
              "大体呈“二八”※结构",
              "核心产业增加值为1650亿元※，比上年增长16.2%※，占地区生产总值的比重为6.7%※",
              # the dataset's own indicator (catalog/indicators.csv) and its derived growth
              "全区算力总规模达到5680PFlops※，比上年增长77.5%※"):
        assert s in text, f"{fmt}: no {s}"


def _claims(result: dict) -> list[dict]:
    return [c for c in result["claims"] if c["status"] != "consistent"]


def test_generated_text_fact_checks_with_nothing_inconsistent(built, narrative, in_dataset):
    store = built[1]
    claims = check_text(narrative, store=store, region=REGION, as_of=AS_OF)
    assert len(claims) >= 50
    assert [(c.text, c.quote) for c in claims if c.status == "inconsistent"] == []
    # checked, not merely not refuted: the region's levels, shares and growths match the store
    against_store = [c for c in claims if c.status == "consistent"
                     and any(k.rule == "store" and k.ok for k in c.checks)]
    assert len(against_store) >= 15
    assert {c.region for c in against_store} == {REGION}


def test_the_cli_fact_check_of_the_build_output(built, tmp_path):
    out_dir, db = built[2] / "out", built[1].path
    report = tmp_path / "checks.json"
    env = {**os.environ, DATASET_VARIABLE: str(NMG.resolve())}
    run = subprocess.run([sys.executable, "-m", "digecon.cli", "factcheck",
                          str(out_dir / "narrative.md"), "--db", str(db), "--region", REGION,
                          "--out", str(report)], capture_output=True, text=True, env=env,
                         check=False)
    assert run.returncode == 0, run.stderr
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["summary"]["inconsistent"] == 0, _claims(result)
    assert result["summary"]["claims"] >= 50


def test_fact_check_reads_the_region_from_the_build_header(built, narrative, in_dataset):
    claims = check_text(narrative, store=built[1], as_of=AS_OF)
    total = next(c for c in claims if c.text == "7260亿元")
    assert total.region == REGION


def test_leagues_resolve_and_are_written_with_their_catalog_short_names(built, narrative, texts,
                                                                        in_dataset):
    cat = get_catalog()
    for code, (full, stem) in LEAGUES.items():
        for name in (full, stem):
            assert cat.region(name).code == code
        assert cat.region(code).short == full  # a 盟 keeps 盟, as an 自治州 keeps 州
    assert cat.region("锡盟").code == "152500" and cat.region("阿盟").code == "152900"
    assert cat.unit_word("150000") == "盟市"
    # the fixture names some leagues' rows by short name or abbreviation; ingest resolved them
    csv = pd.read_csv(NMG / "observations" / "observations.csv", dtype=str)
    assert {"锡盟", "阿盟", "兴安", "锡林郭勒", "阿拉善"} <= set(csv["region"])
    facts = Facts(built[1], AS_OF)
    for code in LEAGUES:
        for ind in ("online_retail", "bs5g_per_10k"):
            assert facts.get(ind, code, "2023") is not None, (code, ind)
    # never a league's bare stem (兴安、阿拉善) in the text or under a chart's bar
    for fmt, text in [("narrative", narrative), ("pdf", texts["pdf"]), ("docx", texts["docx"])]:
        bare = re.search(r"(兴安|锡林郭勒|阿拉善)(?!盟)", _flat(text))
        assert bare is None, f"{fmt}: {_flat(text)[max(0, bare.start() - 30):bare.end() + 30]}"


def _index_tiers(store) -> pd.DataFrame:
    path = NMG / "index" / "units.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["observations"] = {**raw["observations"], "as_of": AS_OF}
    spec = spec_from_dict(raw, source=path.name, base_dir=path.parent, store=store)
    res = build_index(spec)
    top = spec.fw.top
    return res.tiers.merge(res.ranks[["uCode", top]].rename(columns={top: "rank"}), on="uCode")


def test_tiers_in_the_text_and_the_table_are_the_index_tiers(built, narrative, in_dataset):
    result, store, _ = built
    idx = _index_tiers(store)
    by_tier = {t: set(g["uName"]) for t, g in idx.groupby("tier")}
    assert sorted(by_tier) == [1, 2, 3]
    listing = re.search(r"梯队）：(.+?)。", _flat(narrative)).group(1)  # after the rule
    said: dict[int, set[str]] = {}
    for names, label in re.findall(r"([^，]+?)(?:[两三四五六七八九十]+个盟市)?为第([一二三])梯队",
                                   listing):
        tier = "一二三".index(label) + 1
        said[tier] = (set(idx["uName"]) - set().union(*said.values())) if names == "其余盟市" \
            else set(names.split("、"))
    assert said == by_tier
    # the 附表 shows the index's tier of every 盟市, and a lower tier never ranks above a higher
    import docx

    doc = docx.Document(str(result.outputs["docx"]))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "盟市")
    shown = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    assert shown == {r.uName: r.label for r in idx.itertuples()}
    worst = idx.groupby("tier")["rank"].max()
    best = idx.groupby("tier")["rank"].min()
    assert all(worst[t] < best[t + 1] for t in (1, 2))


def test_the_illustrative_units_add_up_to_the_region(built, narrative, in_dataset):
    store = built[1]
    facts = Facts(store, AS_OF)
    cat = facts.catalog
    units = cat.regions(level="city", parent="150000")
    assert len(units) == 12 and sum(u.kind == "盟" for u in units) == 3
    for code, total in TOTALS.items():
        whole = facts.get(code, "150000", "2023")
        parts = [facts.get(code, u.code, "2023") for u in units]
        assert whole is not None and whole.value == pytest.approx(total)
        assert all(p is not None and p.status == "illustrative" for p in parts), code
        assert sum(p.value for p in parts) == pytest.approx(whole.value), code
    # the totals the text states are those the 盟市 add up to
    flat = _flat(narrative)
    for stated in ("数字经济增加值达到7260亿元※", "数字产业化增加值1180亿元※",
                   "产业数字化增加值6080亿元※", "网络零售额382.4亿元※"):
        assert stated in flat, stated


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_the_compilation_note_marks_the_data_illustrative(texts, fmt):
    text = _flat(texts[fmt])
    note = text[text.index("编制说明"):]
    note = note[:note.index("编制组")]
    assert "示意值" in note and "※" in note and "不是统计数据" in note


def test_the_years_follow_report_year(narrative, texts):
    body = re.sub(r"《[^》]*》|<!--.*?-->", "", narrative)  # a classification's own year
    # (（2021）) and the build header (as_of 2024-07-31) are not the text's years
    years = set(re.findall(r"(?<!\d)(20\d\d)(?!\d)", body))
    assert years == {"2018", "2022", "2023"}, years  # 2023, 上年 2022, the span 2018—2023
    assert "2023年" in body and "比2022年" in body and "比上年" in body and "2018—2023年" in body
    # the cover and running header: the 2024 edition
    assert "内蒙古自治区数字经济发展白皮书（2024年）" in texts["pdf"]


@pytest.mark.parametrize("fmt", ["narrative", "pdf", "docx"])
def test_no_english_words_in_the_chinese_body(narrative, texts, fmt):
    text = narrative if fmt == "narrative" else texts[fmt]
    text = re.sub(r"<!--.*?-->", "", text)  # the build header digecon factcheck reads
    words = set(re.findall(r"[A-Za-z]{2,}", text))
    assert words <= {"GDP", "PFlops", "II", "III"}, words  # units, roman page numbers


def test_every_figure_and_table_names_its_source(built, texts):
    result = built[0]
    n = len(result.report.figures) + len(result.report.tables)
    assert n == 9
    assert _flat(texts["pdf"]).count("数据来源：") == n


def test_narrative_cli_reads_the_dataset_s_own_catalog(built):
    from click.testing import CliRunner

    from digecon.narrative.cli import narrative as narrative_cli

    before = chosen_dataset()
    use_dataset(None)  # as a fresh `digecon narrative` process: only --dataset names it
    try:
        r = CliRunner().invoke(narrative_cli, [
            "section", "二(二)", "--region", REGION, "--year", "2023", "--as-of", AS_OF,
            "--db", str(built[1].path), "--dataset", str(NMG.resolve()), "-v"])
    finally:
        use_dataset(before)
    assert r.exit_code == 0, r.output
    assert "全区算力总规模达到5680PFlops※，比上年增长77.5%※" in r.output and "跳过" not in r.output
