"""Chart rules on a case the bundled data is not: Hunan (14 市州, 湘西州 among them), a monthly
series, an index around 100, average lines, and maps with and without a 审图号.

The values are our own, invented for the test and stored as illustrative."""
from __future__ import annotations

import logging

import pandas as pd
import pytest
from conftest import spec_variant

from digecon.catalog import get_catalog
from digecon.figures import build_option, figure_data, figure_notes
from digecon.figures.defs import SpecError
from digecon.ingest import write_frame
from digecon.publish.spec import load_spec
from digecon.store import Store

HUNAN = "430000"
# 每万人拥有5G基站数 per 市州 in code order (14 values, invented), and the province's own value
BS5G = [18.4, 12.1, 11.5, 9.8, 8.2, 9.1, 10.4, 7.7, 8.8, 9.6, 8.1, 7.2, 6.9, 6.0]
BS5G_PROVINCE = 10.3
PORTS = {"2021-03": 2801, "2021-06": 2866, "2021-09": 2930}  # 万个, monthly
GDP_INDEX = {"2019": 107.6, "2020": 103.8, "2021": 107.7}  # 上年=100
SHARE = {"2019": 30.1, "2020": 31.4, "2021": 33.0}  # %

FIGURES = {
    "t_cities": {"caption": "各市州每万人拥有5G基站数", "kind": "cities", "periods": [2021],
                 "series": [{"indicator": "bs5g_per_10k", "type": "bar", "average": "region"}]},
    "t_mean": {"caption": "各市州每万人拥有5G基站数（平均）", "kind": "cities", "periods": [2021],
               "sort": "desc", "series": [{"indicator": "bs5g_per_10k", "average": True}]},
    "t_monthly": {"caption": "2021年互联网宽带接入端口", "kind": "time", "periods": "all",
                  "series": [{"indicator": "broadband_ports", "type": "bar"}]},
    "t_index": {"caption": "地区生产总值指数", "kind": "time", "periods": [2019, 2020, 2021],
                "series": [{"indicator": "gdp_real_index", "type": "line"}]},
    "t_index_bars": {"caption": "地区生产总值指数（柱）", "kind": "time",
                     "periods": [2019, 2020, 2021],
                     "series": [{"indicator": "gdp_real_index", "type": "bar"}]},
    "t_share": {"caption": "数字经济占比", "kind": "time", "periods": [2019, 2020, 2021],
                "series": [{"indicator": "de_share_gdp", "type": "line"}]},
    "t_map_sketch": {"caption": "各市州5G基站分布", "kind": "choropleth", "periods": [2021],
                     "geo": "geo/jiangxi_360000.geojson",
                     "series": [{"indicator": "bs5g_per_10k"}]},
    "t_map_standard": {"caption": "各市州5G基站分布（标准地图）", "kind": "choropleth",
                       "periods": [2021], "geo": "geo/jiangxi_360000.geojson",
                       "series": [{"indicator": "bs5g_per_10k"}],
                       "basemap": {"source": "自然资源部标准地图服务",
                                   "review_no": "GS(2024)0650号"}},
}


def _hunan(raw: dict) -> None:
    raw["report"]["region"] = HUNAN
    raw["figures"].update(FIGURES)


@pytest.fixture(scope="module")
def hunan(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hunan")
    cities = [r.code for r in get_catalog().regions(level="city", parent=HUNAN)]
    assert len(cities) == 14 and "433100" in cities
    rows = [(c, "bs5g_per_10k", "2021", v, "个") for c, v in zip(cities, BS5G)]
    rows.append((HUNAN, "bs5g_per_10k", "2021", BS5G_PROVINCE, "个"))
    rows += [(HUNAN, "broadband_ports", p, v, "万个") for p, v in PORTS.items()]
    rows += [(HUNAN, "gdp_real_index", p, v, "%") for p, v in GDP_INDEX.items()]
    rows += [(HUNAN, "de_share_gdp", p, v, "%") for p, v in SHARE.items()]
    frame = pd.DataFrame(rows, columns=["region", "indicator", "period", "value", "unit"])
    frame["value"] = frame["value"].astype(str)
    store = Store(tmp / "hunan.duckdb")
    store.init()
    write_frame(store, frame, status="illustrative", vintage="2022-07-01",
                source="测试用示意数据")
    spec = load_spec(spec_variant(tmp, _hunan))
    return store, spec, cities


def test_city_axis_uses_short_names_and_the_unit_word(hunan):
    store, spec, _ = hunan
    option = build_option("t_cities", store, spec)
    cats = option["xAxis"]["data"]
    assert len(cats) == 14 and cats[0] == "长沙" and "湘西州" in cats
    assert not [c for c in cats if c.endswith(("自治州", "市"))]
    assert option["xAxis"]["name"] == "市州"
    assert option["xAxis"]["axisTick"]["show"] is True
    assert option["yAxis"][0]["name"] == "个" and option["yAxis"][0]["axisTick"]["show"] is True
    # the province's own value is the average line, not a bar
    assert [d["value"] for d in option["series"][0]["data"]] == BS5G


def test_average_region_is_the_provinces_own_value(hunan):
    store, spec, _ = hunan
    line = build_option("t_cities", store, spec)["series"][0]["markLine"]
    assert line["data"] == [{"yAxis": 10.3, "name": "全省平均 10.3"}]
    assert line["label"]["formatter"] == "全省平均 10.3"
    assert line["lineStyle"]["type"] == "dashed"
    # and the annex data names it: one row more than the 14 bars
    assert len(figure_data("t_cities", store, spec)) == 15


def test_average_mean_is_the_mean_of_the_bars_at_the_series_decimals(hunan):
    store, spec, _ = hunan
    line = build_option("t_mean", store, spec)["series"][0]["markLine"]
    # (18.4 + 12.1 + … + 6.0) / 14 = 133.8 / 14 = 9.557… → 9.6 at bs5g_per_10k's one decimal
    assert sum(BS5G) == pytest.approx(133.8)
    assert line["data"][0]["yAxis"] == 9.6 and line["label"]["formatter"] == "平均值 9.6"


def test_monthly_periods_are_labelled_in_chinese(hunan):
    store, spec, _ = hunan
    option = build_option("t_monthly", store, spec)
    # each category carries its status mark (all illustrative here)
    assert option["xAxis"]["data"] == ["2021年3月（示意）", "2021年6月（示意）", "2021年9月（示意）"]
    assert option["xAxis"]["name"] == "时间"
    assert [d["value"] for d in option["series"][0]["data"]] == [2801, 2866, 2930]


def test_status_note_names_months_in_chinese(hunan):
    store, spec, _ = hunan
    fdef = spec.figures["t_monthly"]
    _, notes = figure_notes(fdef, figure_data("t_monthly", store, spec))
    assert notes[0].startswith("注：2021年3月、2021年6月、2021年9月互联网宽带接入端口为示意值")


def test_index_series_is_not_forced_to_zero(hunan):
    store, spec, _ = hunan
    axis = build_option("t_index", store, spec)["yAxis"][0]
    # 103.8…107.7: step nice(3.9 / 4) = 1, axis 102 … 109
    assert (axis["min"], axis["max"], axis["interval"]) == (102, 109, 1)


def test_index_bars_stand_on_zero(hunan):
    store, spec, _ = hunan
    option = build_option("t_index_bars", store, spec)
    # a bar's length is its value: 103.8 drawn from 102 would look a third of 107.7
    assert "min" not in option["yAxis"][0]
    assert [d["value"] for d in option["series"][0]["data"]] == [107.6, 103.8, 107.7]


def test_share_series_keeps_the_zero_baseline(hunan):
    store, spec, _ = hunan
    axis = build_option("t_share", store, spec)["yAxis"][0]
    assert "min" not in axis and axis["name"] == "%"


def test_map_without_review_number_is_a_sketch_and_warns(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="digecon.figures.defs"):
        spec = load_spec(spec_variant(tmp_path, _hunan))
    warned = [r.getMessage() for r in caplog.records if "t_map_sketch" in r.getMessage()]
    assert len(warned) == 1 and "没有审图号" in warned[0]
    assert not [r for r in caplog.records if "t_map_standard" in r.getMessage()]
    assert spec.figures["t_map_sketch"].caption == "各市州5G基站分布（示意）"
    assert spec.figures["t_map_standard"].caption == "各市州5G基站分布（标准地图）"


def test_basemap_line_is_printed_under_every_map(hunan):
    store, spec, _ = hunan
    df = figure_data("t_map_standard", store, spec)
    _, notes = figure_notes(spec.figures["t_map_standard"], df)
    assert notes[-1] == "审图号：GS(2024)0650号（底图来源：自然资源部标准地图服务）"
    _, notes = figure_notes(spec.figures["t_map_sketch"], df)
    assert notes[-1].startswith("底图来源未注明；未经审图（无审图号），本图为示意图")
    _, notes = figure_notes(spec.figures["fig_5g"], df)
    assert not [n for n in notes if "审图" in n]  # a chart is no map


@pytest.mark.parametrize("patch, path, message", [
    ({"t_cities": {**FIGURES["t_cities"], "basemap": {"source": "x"}}},
     "figures.t_cities.basemap",
     "发现 basemap 写在 kind: cities 的图上，应为只有地图（kind: choropleth）才写 basemap"),
    ({"t_map_sketch": {**FIGURES["t_map_sketch"], "basemap": {"review_no": "GS(2024)1号"}}},
     "figures.t_map_sketch.basemap.source", "发现该字段缺失，应为底图来源文字"),
    ({"t_cities": {**FIGURES["t_cities"],
                   "series": [{"indicator": "bs5g_per_10k", "average": "median"}]}},
     "figures.t_cities.series[0].average",
     "发现「median」，应为 true 或 mean（所画数值的平均）、region（本地区自身的数值）"),
])
def test_bad_basemap_or_average_names_the_key(tmp_path, patch, path, message):
    def mutate(raw):
        _hunan(raw)
        raw["figures"].update(patch)

    spec_path = spec_variant(tmp_path, mutate)
    with pytest.raises(SpecError) as err:
        load_spec(spec_path)
    assert err.value.path == path
    assert str(err.value).startswith(f"{spec_path}: {path}: {message}")


def test_a_mixed_axis_writes_every_period_out(tmp_path):
    # years among months: 2020年, 2021年9月 (not 2020 beside 2021年9月)
    from digecon.figures.defs import parse_figure
    from digecon.figures.options import option_for

    fdef = parse_figure("f", {"caption": "端口", "kind": "time", "periods": ["2020", "2021-09"],
                              "series": [{"indicator": "broadband_ports"}]}, "r.yaml", None, HUNAN)
    df = pd.DataFrame({"region_code": HUNAN, "indicator": "broadband_ports",
                       "period": ["2020", "2021-09"], "value": [2412.0, 2617.0], "unit": "万个",
                       "status": "published", "text": ["2412", "2617"]})
    option = option_for(fdef, df)
    assert option["xAxis"]["data"] == ["2020年", "2021年9月"] and option["xAxis"]["name"] == "时间"
