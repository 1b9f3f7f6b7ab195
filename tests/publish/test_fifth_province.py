"""A fifth region the code was never built from, of a shape none of the others has: 湖北省 2023,
whose breakdown is 17 市州 — 12 个地级市、恩施州 (an 自治州) and the four county-level units the
province administers directly (仙桃市、潜江市、天门市 直管市 and 神农架林区), which hang from the
province in GB/T 2260 and which the dataset counts as units (its catalog/units.csv). From its own
spec, templates, text, index spec and catalog extension (tests/publish/fixtures/hubei-2023; every
value invented and marked illustrative). All four formats build; every chart, table and the
dashboard list the 17; the units are called 市州; no other region's name, number, code or wording
appears; the 县级 units are units of the breakdown, not counties of a 地级市; the tiers are the
index's; the text fact-checks; a second edition lists its revisions."""
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
from digecon.dataset_paths import DATASET_VARIABLE
from digecon.evaluate import build as build_index
from digecon.evaluate import spec_from_dict
from digecon.factcheck import check_text
from digecon.facts import Facts
from digecon.ingest import write_frame
from digecon.publish.revisions import DERIVED as DERIVED_REVISION
from digecon.publish.revisions import DIRECT as DIRECT_REVISION
from publish import province

HB = Path(__file__).parent / "fixtures" / "hubei-2023"
FIXTURES = HB.parent
FORMATS = province.FORMATS
AS_OF = "2024-07-31"
REGION = "湖北省"
CODE = "420000"
# the 17 市州 in code order: 12 地级市, 恩施州, then the four directly administered units
PREFECTURES = ["420100", "420200", "420300", "420500", "420600", "420700", "420800", "420900",
               "421000", "421100", "421200", "421300", "422800"]
DIRECT = {"429004": "仙桃市", "429005": "潜江市", "429006": "天门市", "429021": "神农架林区"}
UNITS = PREFECTURES + list(DIRECT)
# the invented 2023 totals the 17 市州 add up to (亿元)
TOTALS = {"gdp": 55800, "de_va": 22300, "di_va": 4680, "id_va": 17620, "online_retail": 3860.4}
UNIT_FIGURES = ("fig_units_de", "fig_units_di", "fig_units_retail", "fig_units_5g")
# other regions' names, unit words, whole-words, codes, totals and folder names (the Jiangxi
# paper and the three other test provinces)
LEAKS = ("江西", "南昌", "赣州", "九江", "360000", "360100", "10378", "1308.2", "jiangxi",
         "湖南", "长沙", "湘西", "430000", "433100", "14200", "12400", "hunan",
         "内蒙古", "呼和浩特", "鄂尔多斯", "150000", "7260", "24600", "382.4", "neimenggu",
         "重庆", "渝中", "渝北", "500000", "10620", "30150", "1748.6", "chongqing")
OTHER_WORDS = ("设区市", "区县", "盟市", "地州市", "市县")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with province.in_dataset(HB):  # active for the whole module, as a user's build is
        yield province.build(HB, tmp_path_factory.mktemp("hubei-2023"))


@pytest.fixture(scope="module")
def texts(built):
    return province.texts(built)


@pytest.fixture(scope="module")
def narrative(built):
    return province.narrative(built)


@pytest.fixture()
def in_dataset():
    with province.in_dataset(HB):
        yield


_flat = province.flat


def _names() -> dict[str, str]:
    cat = get_catalog()
    return {c: cat.region(c).name for c in UNITS}


def test_all_four_formats_build(built):
    result = built[0]
    assert sorted(result.outputs) == sorted(FORMATS)
    for path in result.outputs.values():
        assert path.is_file() and path.stat().st_size > 1000


def test_every_sentence_finds_its_facts(built):
    """The rank of 仙桃市 and of 神农架林区 among the 市州 needs them among the 市州."""
    assert [line for line in built[0].report.log if "跳过" in line] == []


def test_the_direct_units_hang_from_the_province_not_from_a_prefecture(in_dataset):
    cat = get_catalog()
    for code, name in DIRECT.items():
        r = cat.region(code)
        assert (r.name, r.level, r.parent) == (name, "county", CODE)
    assert [r.kind for r in map(cat.region, DIRECT)] == ["县级市", "县级市", "县级市", "林区"]
    # the dataset's catalog/ also knows 襄阳市's former name, which one observation row uses
    assert cat.region("襄樊市").code == "420600"
    csv = pd.read_csv(HB / "observations" / "observations.csv", dtype=str)
    assert {"襄樊市", "420500", "恩施州", "潜江", "黄石"} <= set(csv["region"])
    # the word follows from the kinds (an 自治州 among them): the manifest sets none
    assert "unit_word" not in yaml.safe_load((HB / "dataset.yaml").read_text(encoding="utf-8"))
    assert cat.unit_word(CODE) == "市州"


def test_the_breakdown_is_the_17_units_the_dataset_names():
    with province.in_dataset(HB):
        assert [r.code for r in get_catalog().subunits(CODE)] == UNITS
    # only where the dataset says so (its catalog/subunits.csv): elsewhere 湖北省's units are
    # its 13 prefecture-level ones, and the four stay county-level units under the province
    with province.in_dataset(FIXTURES / "hunan-2022"):
        assert [r.code for r in get_catalog().subunits(CODE)] == PREFECTURES


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_province_its_unit_word_and_no_other(texts, fmt):
    text = _flat(texts[fmt])
    for word in ("湖北省", "市州", "武汉市", "恩施土家族苗族自治州", "示意"):
        assert word in text, f"{fmt}: no {word}"
    if fmt != "xlsx":  # the annex has no prose
        assert "全省" in text
    found = {w: text[max(0, text.index(w) - 30):text.index(w) + 30]
             for w in OTHER_WORDS if w in text}
    assert not found, f"{fmt}: {found}"


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_every_format_shows_the_direct_units_as_often_as_a_prefecture(texts, fmt):
    """咸宁(市) is named in no sentence, only in the charts of units (by its short name) and in
    the tier table; each directly administered unit is shown at least as often (the prose and
    the compilation note name them besides). (The PDF's and the Word file's charts are drawn
    from the SVGs below; their text is not read back from the page.)"""
    text = _flat(texts[fmt])
    shorts = [get_catalog().region(c).short for c in DIRECT]  # 仙桃 … 神农架
    seen = text.count("咸宁")
    assert seen >= len(UNIT_FIGURES), fmt
    fewer = {n: text.count(n) for n in shorts if text.count(n) < seen}
    assert not fewer, f"{fmt}: 咸宁 {seen}, {fewer}"


@pytest.mark.parametrize("fig", UNIT_FIGURES)
def test_every_printed_chart_of_units_labels_the_17(built, fig):
    """The static chart (the SVG the PDF sets and the Word picture is drawn from) has an axis
    label for each of the 17 市州, by its catalog short name."""
    svg = (built[2] / "out" / "html" / "figures" / f"{fig}.svg").read_text(encoding="utf-8")
    with province.in_dataset(HB):
        shorts = [get_catalog().region(c).short for c in UNITS]
    labels = re.findall(r">([^<>]+)</text>", svg)
    assert [n for n in shorts if n not in labels] == [], fig


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_print_formats_name_the_17_in_the_tier_table(texts, fmt):
    text = _flat(texts[fmt])
    table = text[text.rindex("附表1"):]  # the caption, not its line in 表目录
    assert [n for n in _names().values() if n not in table] == [], fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_other_region_s_name_number_code_or_wording(texts, fmt):
    text = texts[fmt]
    found = {w: text[max(0, m.start() - 40):m.end() + 40]
             for w in LEAKS for m in [re.search(re.escape(w), text, re.IGNORECASE)] if m}
    # 全区 and 全市 are how an autonomous region and a 直辖市 name themselves
    for word in ("全区", "全市"):
        m = re.search(word, text)
        if m:
            found[word] = text[max(0, m.start() - 40):m.end() + 40]
    assert not found, f"{fmt}: {found}"


def _other_sentences() -> set[str]:
    """The sentences of the Jiangxi paper (its seedfacts quotes), and the literal text of the
    Jiangxi dataset's and the other test provinces' templates and text files, cut at the
    template tags and at 。；！？，: every piece of 14 characters or more."""
    pieces: set[str] = set()
    cut = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|[。；！？，：（）\n]|\*\*", re.DOTALL)
    folders = [FIXTURES.parents[2] / "datasets" / "jiangxi-2022"] + \
        [p for p in FIXTURES.iterdir() if p.is_dir() and p != HB]
    for folder in folders:
        for path in [*folder.glob("narrative/*.j2"), *folder.glob("text/*.md")]:
            pieces |= {s.strip() for s in cut.split(path.read_text(encoding="utf-8"))}
    quotes = pd.read_csv(folders[0] / "seedfacts" / "facts.csv", dtype=str)["quote"].dropna()
    for q in quotes:
        pieces |= {s.strip() for s in cut.split(q)}
    return {p for p in pieces if len(p) >= 14 and not p.startswith(("#", "-", "|"))}


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_none_of_another_paper_s_sentences(texts, fmt):
    text = _flat(texts[fmt])
    found = sorted(p for p in _other_sentences() if _flat(p) in text)
    assert found == [], f"{fmt}: {found}"


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_generated_sentences_from_its_own_store(texts, fmt):
    text = _flat(texts[fmt])
    for s in ("2023年，全省数字经济增加值达到22300亿元※，首次站上2万亿元台阶，比上年增长12.6%※",
              "增速高于同期地区生产总值增速8.8个百分点※",
              "较2022年提升3.1个百分点※，比全国低2.8个百分点※",
              ("2019—2023年，全省数字经济增加值由15600亿元※增至22300亿元※，累计增长42.9%※，"
              "年均增长9.3%※"),
              "大致为“二八”※格局",
              "核心产业增加值3350亿元※，比上年增长13.2%※，占地区生产总值的6.0%※",
              "武汉市数字经济增加值超1万亿元※，宜昌市、襄阳市两个市州超过2000亿元※",
              "网络零售额排在前三位的依次是武汉市、襄阳市、宜昌市",
              "比上年末增加4.7个※"):
        assert s in text, f"{fmt}: no {s}"


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_the_text_counts_17_units_and_ranks_the_direct_ones_among_them(texts, built, fmt):
    text = _flat(texts[fmt])
    assert "全省17个市州" in text and "13个市州" not in text
    facts = Facts(built[1], AS_OF)
    for code, ind in (("429004", "de_share_gdp"), ("429021", "bs5g_per_10k")):
        values = {c: facts.get(ind, c, "2023").rounded for c in UNITS}
        place = 1 + sum(v > values[code] for v in values.values())
        assert f"{DIRECT[code]}" in text and f"在全省市州中排第{place}位" in text, (code, place)


@pytest.mark.parametrize("fig", UNIT_FIGURES)
def test_every_chart_of_units_shows_the_17(built, fig):
    """The charts of units compare the 17 市州 by their catalog names (仙桃市, 神农架林区 as
    units beside the 地级市), and the annex lays each one out with a row per 市州."""
    import openpyxl

    from digecon.figures import figure_data
    from digecon.publish.spec import load_spec

    result, store, _ = built
    spec = load_spec(HB / "report.yaml")
    with province.in_dataset(HB):
        df = figure_data(fig, store, spec, as_of=AS_OF)
        names = _names()
    shown = df[df["region_code"] != CODE]
    for ind in [s.indicator for s in spec.figures[fig].series]:
        rows = shown[shown["indicator"] == ind]
        assert dict(zip(rows["region_code"], rows["region_name"])) == names, (fig, ind)
    wb = openpyxl.load_workbook(result.outputs["xlsx"])
    caption = spec.figures[fig].caption
    sheet = next(ws for ws in wb if str(ws.cell(1, 1).value or "").endswith(caption))
    listed = {str(r[0]) for r in sheet.iter_rows(values_only=True) if r[0] in names.values()}
    assert listed == set(names.values()), fig


def test_every_label_and_cell_is_the_fact_s_own_text(built):
    """One text per cell on every surface (issue 11; the lead's decision of 20:14): a chart's
    value label and tooltip, and a tier-table cell, read the fact's own text — 黄石市's
    数字经济增加值 stored as 714.0 is 714 under its bar and in the 附表, as in the text."""
    import docx

    from digecon.figures import build_option
    from digecon.publish.spec import load_spec

    result, store, _ = built
    spec = load_spec(HB / "report.yaml")
    facts = Facts(store, AS_OF)
    with province.in_dataset(HB):
        cat = get_catalog()
        by_short = {cat.region(c).short: c for c in UNITS}
        checked = 0
        for fig in UNIT_FIGURES:
            option = build_option(fig, store, spec, as_of=AS_OF)
            axis = option["xAxis"][0] if isinstance(option["xAxis"], list) else option["xAxis"]
            codes = [by_short[re.sub(r"（.*?）$", "", str(c))] for c in axis["data"]]
            for fseries, series in zip(spec.figures[fig].series, option["series"]):
                for code, item in zip(codes, series["data"]):
                    text = facts.get(fseries.indicator, code, "2023").text
                    if isinstance(item, dict) and "label" in item:
                        assert item["label"]["formatter"] == text, (fig, code)
                        checked += 1
                    if isinstance(item, dict) and "tooltip" in item:
                        assert f"：{text}" in item["tooltip"]["formatter"], (fig, code)
        assert checked >= len(UNITS)  # some bars are too narrow for a label; most are not
        table = next(t for t in docx.Document(str(result.outputs["docx"])).tables
                     if t.rows[0].cells[0].text == "市州")
        names = {cat.region(c).name: c for c in UNITS}
        for row in table.rows[1:]:
            code = names[row.cells[0].text]
            assert row.cells[2].text == facts.get("de_va", code, "2023").text, row.cells[0].text
            assert row.cells[3].text == facts.get("de_share_gdp", code, "2023").text
    assert facts.get("de_va", "420200", "2023").text == "714"


def _claims(result: dict) -> list[dict]:
    return [c for c in result["claims"] if c["status"] != "consistent"]


def test_generated_text_fact_checks_with_nothing_inconsistent(built, narrative, in_dataset):
    claims = check_text(narrative, store=built[1], region=REGION, as_of=AS_OF)
    assert len(claims) >= 30
    assert [(c.text, c.quote) for c in claims if c.status == "inconsistent"] == []
    against_store = [c for c in claims if c.status == "consistent"
                     and any(k.rule == "store" and k.ok for k in c.checks)]
    assert len(against_store) >= 8
    assert REGION in {c.region for c in against_store}
    assert {c.region for c in against_store} <= {REGION, *_names().values()}


def test_the_cli_fact_check_of_the_build_output(built, tmp_path):
    out_dir, db = built[2] / "out", built[1].path
    report = tmp_path / "checks.json"
    env = {**os.environ, DATASET_VARIABLE: str(HB.resolve())}
    run = subprocess.run([sys.executable, "-m", "digecon.cli", "factcheck",
                          str(out_dir / "narrative.md"), "--db", str(db), "--out", str(report)],
                         capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0, run.stderr
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["summary"]["inconsistent"] == 0, _claims(result)
    assert result["summary"]["claims"] >= 30


def test_the_illustrative_units_add_up_to_the_province(built, narrative, in_dataset):
    facts = Facts(built[1], AS_OF)
    for code, total in TOTALS.items():
        whole = facts.get(code, CODE, "2023")
        parts = [facts.get(code, u, "2023") for u in UNITS]
        assert whole is not None and whole.value == pytest.approx(total)
        assert all(p is not None and p.status == "illustrative" for p in parts), code
        assert sum(p.value for p in parts) == pytest.approx(whole.value), code
    for u in UNITS:
        de, di, id_ = (facts.get(c, u, "2023").value for c in ("de_va", "di_va", "id_va"))
        assert di + id_ == pytest.approx(de), u
    flat = _flat(narrative)
    for stated in ("数字经济增加值达到22300亿元※", "数字产业化增加值4680亿元※",
                   "产业数字化增加值17620亿元※", "网络零售额3860.4亿元※"):
        assert stated in flat, stated


def _index_tiers(store) -> pd.DataFrame:
    path = HB / "index" / "units.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["observations"] = {**raw["observations"], "as_of": AS_OF}
    spec = spec_from_dict(raw, source=path.name, base_dir=path.parent, store=store)
    res = build_index(spec)
    top = spec.fw.top
    return res.tiers.merge(res.ranks[["uCode", top]].rename(columns={top: "rank"}), on="uCode")


def _said_tiers(narrative: str, everyone: set[str]) -> dict[int, set[str]]:
    listing = re.search(r"梯队）：(.+?)。", _flat(narrative)).group(1)  # after the rule
    said: dict[int, set[str]] = {}
    for names, label in re.findall(r"([^，]+?)(?:[两三四五六七八九十]+个市州)?为第([一二三])梯队",
                                   listing):
        tier = "一二三".index(label) + 1
        said[tier] = (everyone - set().union(*said.values())) if names == "其余市州" \
            else set(names.split("、"))
    return said


def test_tiers_agree_with_the_index_and_its_rule(built, narrative, in_dataset):
    """Whatever units the index reads, the text's and the 附表's tiers are the index's, the
    rule is the spec's in words, and no lower tier outranks a higher one."""
    import docx

    result, store, _ = built
    idx = _index_tiers(store)
    by_tier = {t: set(g["uName"]) for t, g in idx.groupby("tier")}
    assert sorted(by_tier) == [1, 2, 3]
    assert _said_tiers(narrative, set(idx["uName"])) == by_tier
    assert ("各市州数字经济增加值超过2000亿元且其占GDP比重超过35%的为第一梯队，数字经济增加值超过"
            "700亿元的为第二梯队，其余为第三梯队") in _flat(narrative)
    table = next(t for t in docx.Document(str(result.outputs["docx"])).tables
                 if t.rows[0].cells[0].text == "市州")
    shown = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    assert shown == {r.uName: r.label for r in idx.itertuples()}
    worst, best = idx.groupby("tier")["rank"].max(), idx.groupby("tier")["rank"].min()
    assert all(worst[t] < best[t + 1] for t in (1, 2))
    # the rule, applied to the stored values, gives the same tiers
    facts = Facts(store, AS_OF)
    for r in idx.itertuples():
        de, share = (facts.get(c, r.uCode, "2023").value for c in ("de_va", "de_share_gdp"))
        rule = 1 if de > 2000 and share > 35 else 2 if de > 700 else 3
        assert rule == r.tier, r.uName


def test_the_index_and_its_table_cover_the_17(built, in_dataset):
    idx = _index_tiers(built[1])
    assert sorted(idx["uCode"]) == UNITS
    assert set(DIRECT.values()) <= set(idx[idx["tier"] == 3]["uName"])


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_the_compilation_note_marks_the_data_illustrative(texts, fmt):
    text = _flat(texts[fmt])
    note = text[text.index("编制说明"):]
    note = note[:note.index("编制组")]
    assert "示意值" in note and "※" in note and "不是统计数据" in note
    assert "4个省直辖县级行政单位，共17个" in note  # the reader is told what 市州 means


def test_the_years_follow_report_year(narrative, texts):
    body = re.sub(r"<!--.*?-->", "", narrative)
    years = set(re.findall(r"(?<!\d)(20\d\d)(?=年|—)", body))  # not 超过2000亿元
    assert years == {"2019", "2022", "2023"}, years
    assert "湖北省数字经济发展白皮书（2023年度）" in texts["pdf"]


@pytest.mark.parametrize("fmt", ["narrative", "pdf", "docx"])
def test_no_english_words_in_the_chinese_body(narrative, texts, fmt):
    text = narrative if fmt == "narrative" else texts[fmt]
    text = re.sub(r"<!--.*?-->", "", text)
    words = set(re.findall(r"[A-Za-z]{2,}", text))
    assert words <= {"GDP", "II", "III"}, words


def test_every_figure_and_table_names_its_source(built, texts):
    result = built[0]
    n = len(result.report.figures) + len(result.report.tables)
    assert n == 8
    for fmt in ("pdf", "docx"):
        assert _flat(texts[fmt]).count("数据来源：") == n, fmt


# the dashboard ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dashboard(built):
    from fastapi.testclient import TestClient

    from digecon.api.app import create_app
    from digecon.api.config import Settings

    with province.in_dataset(HB):
        app = create_app(Settings(db=built[1].path, spec=HB / "report.yaml", uncertainty_runs=5))
        with TestClient(app) as client:
            home = client.get("/").text
            pages = {c: client.get(f"/city/{c}") for c in UNITS}
    return home, pages


def test_the_dashboard_lists_and_serves_the_17(dashboard):
    home, pages = dashboard
    menu = home[home.index('<details class="menu'):home.index("</details>")]
    assert "<summary>市州<" in menu
    assert re.findall(r'href="/city/(\d{6})"', menu) == UNITS
    for code, page in pages.items():
        assert page.status_code == 200, code
        assert "数据回流 · 湖北省市州</small>" in page.text, code


def test_the_dashboard_says_市州(dashboard):
    home, pages = dashboard
    assert "<summary>市州<" in home
    for text in (home, *(p.text for p in pages.values())):
        assert [w for w in OTHER_WORDS if w in text] == []
    assert pages["420100"].status_code == 200 and "湖北省市州" in pages["420100"].text


# a second edition ---------------------------------------------------------------------------
SECOND = "2025-07-31"
REVISED = pd.DataFrame([  # a later vintage of two GDP values (the 17 still add up), and 2024
    {"region": "湖北省", "indicator": "gdp", "period": "2023", "value": "56120"},
    {"region": "武汉市", "indicator": "gdp", "period": "2023", "value": "20119"},
    {"region": "湖北省", "indicator": "gdp", "period": "2024", "value": "59100"},
    {"region": "湖北省", "indicator": "de_va", "period": "2024", "value": "24650"},
]).assign(status="illustrative", vintage="2025-03-31", unit="亿元",
          source="测试用示意数据（编造，非统计数据；第二版修订）")


@pytest.fixture(scope="module")
def second(built, tmp_path_factory):
    """Next year's edition: the store with the revised and new values, a copy of the spec with
    report.year + 1, as_of the new date and a 修订说明 since the first edition's as_of."""
    import shutil

    from digecon.publish.build import build_report
    from digecon.store import Store

    tmp = tmp_path_factory.mktemp("hubei-2024")
    shutil.copy(built[1].path, tmp / "store.duckdb")
    store = Store(tmp / "store.duckdb")
    dataset = tmp / "hubei-2023"  # the same dataset, its spec copied as next year's
    shutil.copytree(HB, dataset)
    with province.in_dataset(dataset):
        write_frame(store, REVISED, origin="修订-2025.csv")
        raw = yaml.safe_load((HB / "report.yaml").read_text(encoding="utf-8"))
        raw["report"].update(year=2024, as_of=SECOND, title="湖北省数字经济发展白皮书（2024年度）")
        raw["figures"] = {"fig_scale": {**raw["figures"]["fig_scale"],
                                        "periods": [2020, 2021, 2022, 2023, 2024]}}
        raw.pop("tables"), raw.pop("dashboard")
        raw["sections"] = [
            {"title": "数字经济总量", "blocks": [
                {"narrative": {"template": "narrative/s1_1.md.j2"}}, {"figure": "fig_scale"}]},
            {"title": "修订说明", "numbered": False,
             "blocks": [{"revisions": {"since": AS_OF}}]}]
        spec = dataset / "report-2024.yaml"
        spec.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        result = build_report(spec, store, tmp / "out", formats=["docx", "xlsx"])
    return result, store


def test_the_second_edition_lists_exactly_its_revisions(second):
    import docx

    result, store = second
    [table] = [t for t in result.report.tables if "修订" in t.caption]
    rows = {(r["指标"], r["地区"], r["时期"]): r for r in table.frame.to_dict("records")}
    gdp = "地区生产总值（亿元）"
    notes = {n.split("：", 1)[0]: n.split("：", 1)[1] for n in table.notes if n.startswith("注")}
    assert rows[(gdp, "湖北省", "2023")]["原数"] == "55800（示意）"
    assert rows[(gdp, "湖北省", "2023")]["修订数"] == "56120（示意）"
    assert rows[(gdp, "武汉市", "2023")]["修订数"] == "20119（示意）"
    ingested = {k for k, r in rows.items() if notes[r["注"]].startswith(DIRECT_REVISION)}
    assert ingested == {(gdp, "湖北省", "2023"), (gdp, "武汉市", "2023")}  # 2024 is new, not revised
    derived = {k[:2] for k, r in rows.items() if notes[r["注"]].startswith(DERIVED_REVISION)}
    assert {("数字经济增加值占GDP比重（%）", "湖北省"), ("数字经济增加值占GDP比重（%）", "武汉市"),
            ("地区生产总值名义增速（%）", "湖北省")} <= derived
    assert set(rows) == ingested | {k for k in rows if k[:2] in derived}
    facts_then, facts_now = Facts(store, AS_OF), Facts(store, SECOND)
    for ind, reg, per in rows:  # every row listed changed as printed
        code = next(i.code for i in get_catalog().indicators()
                    if ind.startswith(i.name_zh + "（"))
        region = get_catalog().region(reg).code
        assert facts_then.get(code, region, per).text != facts_now.get(code, region, per).text
    text = _flat("\n".join(p.text for p in docx.Document(str(result.outputs["docx"])).paragraphs))
    assert "修订说明" in text and "2024年，全省数字经济增加值24650亿元※" in text
