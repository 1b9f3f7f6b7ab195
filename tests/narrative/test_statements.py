"""Statement blocks and the renderer on small stores: a held-out province with templates of its
own, sentences left out for want of a fact, phrasing that follows the data, bounds quoted as
published, synthetic values never stated, the official core-industry indicator with its GDP."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digecon.factcheck import check_text
from digecon.facts import Facts
from digecon.ingest import write_frame
from digecon.narrative import Statements, render_template
from digecon.store import Store

HUNAN = Path(__file__).parent / "fixtures" / "hunan"


def _store(path: Path, rows: list[dict] | None = None, csv: Path | None = None) -> Store:
    store = Store(path)
    store.init()
    if csv is not None:
        write_frame(store, pd.read_csv(csv, dtype=str), origin=csv.name)
    if rows:
        write_frame(store, pd.DataFrame(rows, dtype=str), origin="test rows")
    return store


def _row(region, indicator, period, value, status="published", vintage="2022-06-30", **kw):
    return {"region": region, "indicator": indicator, "period": str(period), "value": str(value),
            "status": status, "vintage": vintage, "source": "测试数据（编造）", **kw}


@pytest.fixture(scope="module")
def hunan(tmp_path_factory):
    return _store(tmp_path_factory.mktemp("hunan") / "hunan.duckdb", csv=HUNAN / "observations.csv")


def _template(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "narrative" / "t.md.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{#- section: 测试 -#}\n" + body, encoding="utf-8")
    return path


def test_held_out_province_with_its_own_templates(hunan):
    out = [render_template(HUNAN / "narrative" / f"{name}.md.j2", hunan, "湖南省", 2021)
           for name in ("overview", "units")]
    text = "\n".join(o.text for o in out)
    for word in ("江西", "南昌", "设区市", "赣州"):
        assert word not in text
    assert "各市州发展梯次分明" in text and "十四个市州分为三个梯队" in text
    # numbers from its store: 14200 / 12400 − 1 = 14.5%; 14200 / 45000 = 31.56%, 12400 / 41000
    # = 30.24% (+1.3); (14200 / 6200)^(1/5) = 18.0%; 2300 / 14200 = 16.2% → “二八”
    for s in ("数字经济增加值14200亿元※", "比上年增长14.5%※", "比重为31.6%※", "提升1.3个百分点※",
              "增加了1.3倍※", "年均增长18.0%※", "“二八”※"):
        assert s in text
    # its own tier rule and bounds; 湘西州 by the catalog's short name
    assert "各市州数字经济增加值超过4000亿元的为第一梯队" in text
    assert "岳阳市、常德市、株洲市、衡阳市四个市州超过1000亿元※，其余市州低于1000亿元※" in text
    assert "怀化、湘西州、张家界" in text
    # 长沙 37.4%, 湘潭 35.3%, 株洲 33.8%, 常德 32.1% are above the province's 31.6%
    assert "高于全省水平的有长沙、湘潭、株洲、常德※四个市州" in text
    claims = check_text(text, store=hunan)
    assert claims and not [c.quote for c in claims if c.status == "inconsistent"]
    # the fixture has no core-industry value: that sentence is left out and said why
    assert [why for why, _ in out[0].skipped] == ["core_va 湖南省 2021：无数据"]


def test_missing_fact_drops_its_sentence_or_clause(hunan, tmp_path):
    path = _template(tmp_path, "**规模。**数字经济增加值{{ v('de_va') }}"
                     "{% call opt() %}，网络零售额{{ v('online_retail') }}{% endcall %}。"
                     "网络零售额{{ v('online_retail') }}。\n\n"
                     "**只有缺数的段落。**网络零售额{{ v('online_retail') }}。\n")
    out = render_template(path, hunan, "湖南省", 2021)
    assert out.text == "**规模。**数字经济增加值14200亿元※。\n"
    reasons = [why for why, _ in out.skipped]
    assert reasons.count("online_retail 湖南省 2021：无数据") == 3
    assert ("段落无正文", "**只有缺数的段落。**") in out.skipped
    assert "None" not in out.text and "\x00" not in out.text


def test_phrasing_follows_the_data(tmp_path):
    store = _store(tmp_path / "s.duckdb", [
        _row("湖南省", "online_retail", 2020, 2000), _row("湖南省", "online_retail", 2021, 1900),
        _row("湖南省", "de_share_gdp", 2020, 30.24), _row("湖南省", "de_share_gdp", 2021, 30.2),
        _row("湖南省", "di_share_de", 2020, 15.0), _row("湖南省", "di_share_de", 2021, 14.2),
    ])
    st = Statements(Facts(store), "湖南省", 2021)
    # 1900 / 2000 − 1 = −5.0%: 下降, never 增长-5.0%
    assert st.growth("online_retail_growth", level="online_retail") == "下降5.0%"
    assert st.pp("de_share_gdp") == "持平"  # 30.2 − 30.24 = −0.04 → 0.0
    p = st.pp("di_share_de")
    assert p == "下降0.8个百分点" and p.down and not p.up
    assert st.pp("di_share_de", up="提高", down="回落") == "回落0.8个百分点"


def test_brackets_quote_the_published_bound_not_the_value(tmp_path):
    store = _store(tmp_path / "s.duckdb", [
        _row("长沙市", "de_va", 2021, 4650, status="illustrative"),
        _row("长沙市", "de_va", 2021, 2500, qualifier="gt"),
        _row("株洲市", "de_va", 2021, 1180, status="illustrative"),
        _row("株洲市", "de_va", 2021, 1000, qualifier="gt"),
        _row("湘潭市", "de_va", 2021, 1320, status="illustrative"),
        _row("湘潭市", "de_va", 2021, 1000, qualifier="gt"),
    ])
    st = Statements(Facts(store), "湖南省", 2021)
    groups = st.brackets("de_va")
    assert [(g.joined, g.text, g.n) for g in groups] == [
        ("长沙市", "超2500亿元", 1), ("湘潭市、株洲市", "超1000亿元", 2)]  # largest value first
    assert st.bracket_text(groups[1], "超过") == "超过1000亿元"
    assert st.leader("de_va") == "长沙市"
    assert st.v("de_va", region="长沙市") == "4650亿元※"  # the value itself carries the mark


def test_synthetic_is_never_stated_and_core_names_its_gdp(tmp_path):
    store = _store(tmp_path / "s.duckdb", [
        _row("湖南省", "gdp", 2021, 45000, vintage="2022-03-01"),
        _row("湖南省", "core_va", 2021, 4000, status="synthetic", vintage="2022-05-01"),
    ])
    path = _template(tmp_path, "核心产业增加值{{ v('core_va') }}，占GDP的比重为{{ v('core_share_gdp') }}"
                     "（GDP采用{{ input_vintage('core_share_gdp', 'gdp') }}发布的数据）。\n")
    out = render_template(path, store, "湖南省", 2021)
    assert out.text == ""
    assert out.skipped[0][0].startswith("core_va 湖南省 2021：仅有合成值")
    # a measured value (e.g. `measure enterprises` on real records, then reviewed) is stated,
    # and its share of GDP (derived by the store: 4000 / 45000 = 8.9%) names the GDP vintage
    write_frame(store, pd.DataFrame([_row("湖南省", "core_va", 2021, 4000,
                                          vintage="2022-06-30")], dtype=str), origin="measured")
    out = render_template(path, store, "湖南省", 2021)
    assert out.text == "核心产业增加值4000亿元，占GDP的比重为8.9%（GDP采用2022年3月发布的数据）。\n"


def test_tiers_and_crossing(hunan):
    st = Statements(Facts(hunan), "湖南省", 2021)
    tiers = st.tiers("city_tier", order_by="de_va")
    assert [(g.text, g.n, g.rest) for g in tiers] == [
        ("第一梯队※", 1, False), ("第二梯队※", 4, False), ("第三梯队※", 9, True)]
    assert tiers[1].joined == "岳阳市、常德市、株洲市、衡阳市"
    m = st.crossed("de_va", 10000)
    assert m and m == ""  # 12400 in 2020 was already above: no 首次
    assert not st.crossed("de_va", 20000)
    assert st.crossed("de_va", 13000) == "首次"


def test_rank_among_units(hunan):
    st = Statements(Facts(hunan), "湖南省", 2021)
    # 4600, 1350, 1300, 1150, 1100, then 湘潭 900
    assert st.rank("de_va", region="湘潭市") == "第6位※"
    assert st.rank("de_va", region="长沙市") == "第1位※"
    assert not st.rank("online_retail", region="长沙市")  # no unit has a value: no rank


def test_rank_of_a_unit_its_parent_does_not_compare_says_so(tmp_path):
    """A county-level unit directly under a province that the catalog does not count among its
    units (湖北's 仙桃市 without a dataset saying so) has a value but no rank among them: the
    sentence is dropped with that reason, not with 无数据."""
    rows = [_row(code, "de_va", 2021, value) for code, value in
            (("420100", 9000), ("420200", 900), ("429004", 400))]
    st = Statements(Facts(_store(tmp_path / "s.duckdb", rows)), "湖北省", 2021)
    assert "429004" not in [u.code for u in st.units()]  # the packaged catalog alone
    missing = st.rank("de_va", region="仙桃市")
    assert not missing
    assert missing.why == "de_va 仙桃市 2021：不在湖北省的市州之中，无法排位"


def test_a_round_bound_of_ten_thousand_yi_is_written_in_wan_yi(tmp_path):
    """An editor writes 超1万亿元, not 超10000亿元; a bound that is no whole 千亿 keeps 亿元."""
    rows = [_row("420100", "de_va", 2021, 10000, qualifier="gt"),
            _row("420500", "de_va", 2021, 15000, qualifier="ge"),
            _row("420600", "de_va", 2021, 12500, qualifier="gt"),
            _row("420700", "de_va", 2021, 2000, qualifier="gt")]
    st = Statements(Facts(_store(tmp_path / "s.duckdb", rows)), "湖北省", 2021)
    assert st.v("de_va", region="武汉市") == "超1万亿元"
    assert st.v("de_va", region="宜昌市") == "不低于1.5万亿元"
    assert st.v("de_va", region="襄阳市") == "超12500亿元"
    assert st.v("de_va", region="鄂州市") == "超2000亿元"
    assert st.v("de_va", region="武汉市", q="多") == "1万多亿元"
