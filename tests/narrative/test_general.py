"""What a province the code was not built from needs of the narrative (found building
内蒙古自治区 2023, tests/publish/test_third_province.py): tiers taken from the dataset's index
spec rather than typed in as data, a growth without a growth indicator, a multiple below 2 as a
percentage, the region's own word for itself (全区), and a template error that names its file
and line."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digecon.catalog import get_catalog
from digecon.facts import Facts
from digecon.ingest import write_frame
from digecon.narrative import Statements, TemplateError, render_template
from digecon.store import Store

HUNAN = Path(__file__).parent / "fixtures" / "hunan"
# the publish fixture of the same province: an index spec with a framework and a tier rule
HUNAN_DATASET = Path(__file__).parents[1] / "publish" / "fixtures" / "hunan-2022"


def _row(region, indicator, period, value, status="illustrative", vintage="2022-06-30"):
    return {"region": region, "indicator": indicator, "period": str(period), "value": str(value),
            "status": status, "vintage": vintage, "source": "测试数据（编造）"}


@pytest.fixture(scope="module")
def hunan(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("general") / "hunan.duckdb")
    store.init()
    csv = HUNAN_DATASET / "observations" / "observations.csv"
    write_frame(store, pd.read_csv(csv, dtype=str), origin=csv.name)
    # a stored tier that contradicts the index rule (长沙 4600亿元 is 第一梯队 by it), and two
    # regions with a GDP for the word they call themselves by
    rows = [_row("长沙市", "city_tier", 2021, 3, vintage="2022-07-15"),
            _row("内蒙古自治区", "gdp", 2021, 20000), _row("北京市", "gdp", 2021, 40000)]
    write_frame(store, pd.DataFrame(rows, dtype=str), origin="test rows")
    return store


def _template(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "narrative" / "t.md.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{#- section: 测试 -#}\n" + body, encoding="utf-8")
    return path


def test_tiers_from_the_index_spec_not_the_stored_tier(hunan):
    st = Statements(Facts(hunan), "湖南省", 2021, base_dir=HUNAN_DATASET)
    stored = st.tiers("city_tier", order_by="de_va")
    from_index = st.tiers(index="index/units.yaml", order_by="de_va")
    assert "长沙市" in stored[-1].names  # the contradicting row
    assert from_index[0].names == ("长沙市",) and str(from_index[0].text) == "第一梯队※"
    assert [g.n for g in from_index] == [1, 4, 9] and from_index[-1].rest
    assert from_index[1].names[0] == "岳阳市"  # 1350亿元, the largest of the second tier
    # every unit once, each in the tier the rule gives (4000 / 1000亿元 on de_va)
    named = [n for g in from_index for n in g.names]
    assert len(named) == len(set(named)) == 14
    for g in from_index:
        for name in g.names:
            va = st.fact("de_va", region=name).value
            assert g.value == (1 if va > 4000 else 2 if va > 1000 else 3)
    assert not st.tiers(index="index/none.yaml")  # Missing: the sentence is dropped


def test_growth_without_a_growth_indicator(hunan):
    st = Statements(Facts(hunan), "湖南省", 2021)
    assert str(st.growth(level="de_va")) == "增长14.5%※"  # 14200 / 12400
    assert str(st.growth("no_such_growth", level="de_va")) == "增长14.5%※"
    with pytest.raises(TypeError, match="应为"):
        st.growth()


def test_a_multiple_below_two_is_a_percentage(hunan):
    st = Statements(Facts(hunan), "湖南省", 2021)
    assert str(st.added_times("de_va", 2016)) == "增加了1.3倍※"  # 14200 / 6200 = 2.29
    assert str(st.added_times("de_va", 2020)) == "增长14.5%※"     # 1.145: not 增加了0.1倍
    assert str(st.added_times("de_va", 2020, pct_below=1)) == "增加了0.1倍※"


@pytest.mark.parametrize("region, word", [("内蒙古自治区", "全区"), ("湖南省", "全省"),
                                          ("北京市", "全市")])
def test_the_region_s_word_for_itself(hunan, tmp_path, region, word):
    out = render_template(_template(tmp_path, '{{ year }}年，{{ whole }}地区生产总值{{ v("gdp") }}。\n'),
                          hunan, region, 2021)
    assert out.text.startswith(f"2021年，{word}地区生产总值")


def test_a_template_error_names_its_file_and_line(hunan, tmp_path):
    path = _template(tmp_path, "{{ year }}年。\n\n\n{{ v(\"de_va\", region=\"不存在市\") }}。\n")
    with pytest.raises(TemplateError) as err:
        render_template(path, hunan, "湖南省", 2021)
    assert err.value.file == str(path) and err.value.row == 5
    assert "不存在市" in str(err.value) and "发现" in str(err.value) and "应为" in str(err.value)
    bad = _template(tmp_path, "{{ v(\"de_va\" }}\n")
    with pytest.raises(TemplateError) as err:
        render_template(bad, hunan, "湖南省", 2021)
    assert err.value.row == 2


def test_tiers_and_their_rule_take_the_index_spec_s_own_labels(hunan, tmp_path):
    spec = (HUNAN_DATASET / "index" / "units.yaml").read_text(encoding="utf-8")
    assert "labels: [第一梯队, 第二梯队, 第三梯队]" in spec
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "units.yaml").write_text(
        spec.replace("labels: [第一梯队, 第二梯队, 第三梯队]", "labels: [引领型, 追赶型, 起步型]"),
        encoding="utf-8")
    st = Statements(Facts(hunan), "湖南省", 2021, base_dir=tmp_path)
    groups = st.tiers(index="index/units.yaml")
    assert [str(g.text) for g in groups] == ["引领型※", "追赶型※", "起步型※"]
    rule = str(st.tier_rule("index/units.yaml", "市州"))
    assert rule.startswith("各市州数字经济增加值超过4000亿元的为引领型") and rule.endswith("其余为起步型")


def test_a_municipality_s_units_are_its_districts(tmp_path):
    # catalog.subunits: 北京市's 16 区; elsewhere the prefecture-level units
    cat = get_catalog()
    assert len(cat.subunits("110000")) == 16 and cat.unit_word("110000") == "区"
    assert len(cat.subunits("460000")) == 4  # 海南's 地级市 (its 县级 units: no values yet)
    assert len(cat.subunits("420000")) == 13  # 湖北's 市州; 仙桃、潜江 … are not among them
    assert len(cat.subunits("150000")) == 12
    # a district's values are stored by its parent-prefixed name (朝阳区 is also in 长春 …)
    store = Store(tmp_path / "units.duckdb")
    store.init()
    rows = [_row("北京市", "de_va", 2021, 20000)] + [
        _row(f"北京市{u.name}", "de_va", 2021, 3000 - 100 * i)
        for i, u in enumerate(cat.subunits("110000"))]
    write_frame(store, pd.DataFrame(rows, dtype=str), origin="test rows")
    st = Statements(Facts(store), "北京市", 2021)
    assert [u.name for u in st.units()][:3] == ["东城区", "西城区", "朝阳区"]
    out = render_template(_template(tmp_path, "{{ year }}年，{{ whole }}数字经济增加值{{ v(\"de_va\") }}，"
                                              "{{ cn(units()|length) }}个{{ unit_word }}……"
                                              "居前三位的是{{ top(\"de_va\", 3).joined }}。"
                                              "东城区居{{ rank(\"de_va\", region=\"110101\") }}。\n"),
                          store, "北京市", 2021)
    assert out.text.startswith("2021年，全市数字经济增加值20000亿元※，十六个区")
    assert "居前三位的是东城区、西城区、朝阳区。东城区居第1位※。" in out.text


def test_a_tier_rule_says_its_thresholds_as_written(hunan, tmp_path):
    spec = (HUNAN_DATASET / "index" / "units.yaml").read_text(encoding="utf-8")
    assert "{de_va: {gt: 4000}}" in spec
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "units.yaml").write_text(
        spec.replace("{de_va: {gt: 4000}}", "{de_va: {gt: 4000}, de_share_gdp: {ge: 32.5}}"),
        encoding="utf-8")
    st = Statements(Facts(hunan), "湖南省", 2021, base_dir=tmp_path)
    rule = str(st.tier_rule("index/units.yaml"))
    assert rule.startswith("数字经济增加值超过4000亿元且其占GDP比重不低于32.5%的为第一梯队"), rule


def test_an_empty_list_of_groups_drops_its_sentence(hunan, tmp_path):
    # no published bound of gdp for any 市州: the sentence is dropped and named, not "2021年，。"
    body = ('{% import "blocks.j2" as b %}{{ year }}年，全省数字经济增加值{{ v("de_va") }}。'
            '{{ year }}年，{{ b.bracket_list(brackets("gdp"), "地区生产总值", unit_word) }}。\n')
    out = render_template(_template(tmp_path, body), hunan, "湖南省", 2021)
    assert out.text.strip() == "2021年，全省数字经济增加值14200亿元※。"
    assert any("地区生产总值：没有公布的区间表述" in why for why, _ in out.skipped)
    tiers = '{% import "blocks.j2" as b %}{{ b.tier_list(tiers(index="index/units.yaml"), unit_word, short=true) }}。\n'
    short = render_template(_template(tmp_path, tiers), hunan, "湖南省", 2021, base_dir=HUNAN_DATASET)
    # without order_by: by index score
    assert short.text == "长沙为第一梯队※，株洲、岳阳、常德、衡阳四个市州为第二梯队※，其余市州为第三梯队※。\n"
    # a tier list over a spec that is not there: dropped, with the block's own reason
    none = render_template(_template(tmp_path, tiers), hunan, "湖南省", 2021, base_dir=tmp_path)
    assert none.text == "" and any("找不到指数规格文件" in why for why, _ in none.skipped)


def test_an_index_spec_without_a_period_is_read_at_the_report_year(hunan, tmp_path):
    spec = (HUNAN_DATASET / "index" / "units.yaml").read_text(encoding="utf-8")
    assert 'period: "2021", ' in spec
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "units.yaml").write_text(spec.replace('period: "2021", ', ""),
                                                    encoding="utf-8")
    st = Statements(Facts(hunan), "湖南省", 2021, base_dir=tmp_path)
    assert [g.n for g in st.tiers(index="index/units.yaml")] == [1, 4, 9]


def test_tiers_over_a_store_without_the_index_s_data_drop_their_sentence(hunan, tmp_path):
    # the index reads 2021; asked for 2019 the store has none of it: the tier sentence is
    # dropped and named (as any block that lacks a fact), not a build-stopping error
    body = ('{% import "blocks.j2" as b %}{{ year }}年，全省地区生产总值{{ v("gdp") }}。'
            '{{ b.tier_list(tiers(index="index/units.yaml", period=2019), unit_word) }}。\n')
    out = render_template(_template(tmp_path, body), hunan, "湖南省", 2021,
                          base_dir=HUNAN_DATASET)
    assert "梯队" not in out.text
    assert any(why.startswith("index/units.yaml：") and "2019" in why for why, _ in out.skipped)


def test_a_wrong_index_spec_is_its_own_error_at_the_template_line(hunan, tmp_path):
    spec = (HUNAN_DATASET / "index" / "units.yaml").read_text(encoding="utf-8")
    assert "iCode: de_va," in spec
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "units.yaml").write_text(spec.replace("iCode: de_va,", "iCode: de_vaa,"),
                                                    encoding="utf-8")
    path = _template(tmp_path, '{{ year }}年。\n{{ tiers(index="index/units.yaml") }}。\n')
    with pytest.raises(TemplateError) as err:
        render_template(path, hunan, "湖南省", 2021, base_dir=tmp_path)
    msg = str(err.value)
    # the spec's own 发现…应为… once, after the template's file and line (not wrapped in a second)
    assert msg.startswith(f"{path}:3: units.yaml: framework.de_vaa: 发现"), msg
    assert msg.count("发现") == 1 and msg.count("应为") == 1, msg
    assert err.value.row == 3
