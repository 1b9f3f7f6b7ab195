"""Tooltips print the fact's own text (a share's 35.0, not the 35 ECharts would print), in every
renderer: the option carries each item's text, and a real chromium shows it."""
from __future__ import annotations

import json

import pytest

from digecon.figures import build_option, echarts_js_path, figure_data, resolve
from digecon.figures.options import load_geojson, map_name

from .test_options import FIGURE_IDS


@pytest.mark.parametrize("fid", FIGURE_IDS)
def test_every_drawn_value_has_its_text_in_its_tooltip(fid, store, spec):
    option = build_option(fid, store, spec)
    df = figure_data(fid, store, spec)
    texts = set(df["text"].astype(str))
    assert option["tooltip"] == {"trigger": "item"}  # an axis tooltip would print raw numbers
    items = [d for s in option["series"] for d in s["data"]
             if isinstance(d, dict) and d.get("value") is not None]
    assert items
    for d in items:
        tip = d["tooltip"]["formatter"]
        text = d["label"]["formatter"] if "label" in d and "formatter" in d["label"] else None
        if text and text.startswith("{b}\n"):  # a map unit's label: its name, then its value
            text = text.removeprefix("{b}\n")
        shown = text or next(t for t in texts if f"：{t}" in tip)
        assert shown in texts and f"：{shown}" in tip, (fid, d)


def test_time_tooltip_reads_period_indicator_text_unit_and_status(store, spec):
    option = build_option("fig_de_va", store, spec)
    bars = option["series"][0]["data"]
    assert bars[-1]["tooltip"]["formatter"] == "2021年<br/>数字经济增加值：10378亿元"
    assert bars[0]["tooltip"]["formatter"] == "2016年<br/>数字经济增加值：4051.1亿元（估）"


def test_map_tooltip_names_the_unit_in_full(store, spec):
    option = build_option("map_city_de", store, spec)
    df = figure_data("map_city_de", store, spec)
    row = df.iloc[0]
    item = next(d for d in option["series"][0]["data"] if d["name"] == row["region_name"])
    assert item["tooltip"]["formatter"] == (
        f"{row['region_name']}<br/>数字经济增加值：{row['text']}亿元（示意）")


def _shown_tip(browser, option: dict, series: int, index: int, geo: dict | None = None) -> str:
    context = browser.new_context(viewport={"width": 900, "height": 600})
    try:
        page = context.new_page()
        page.set_content('<div id="c" style="width:800px;height:450px"></div>')
        page.add_script_tag(path=str(echarts_js_path()))
        if geo is not None:
            page.evaluate("([n, g]) => echarts.registerMap(n, g)",
                          [option["series"][0]["map"], geo])
        page.evaluate("""([opt, s, i]) => {
            const chart = echarts.init(document.getElementById('c'));
            chart.setOption(opt);
            chart.dispatchAction({type: 'showTip', seriesIndex: s, dataIndex: i});
        }""", [json.loads(json.dumps(option)), series, index])
        page.wait_for_function(
            "() => [...document.querySelectorAll('#c div')].some(d => d.innerText.includes('：'))")
        return page.evaluate("""() => [...document.querySelectorAll('#c div')]
            .map(d => d.innerText).filter(t => t.includes('：')).pop()""")
    finally:
        context.close()


@pytest.mark.slow
def test_chromium_shows_the_text_in_the_tooltip(browser, store, spec):
    option = build_option("fig_de_va", store, spec)
    tip = _shown_tip(browser, option, 0, 5)
    assert "数字经济增加值：10378亿元" in tip and "2021年" in tip


@pytest.mark.slow
def test_chromium_shows_the_text_in_a_map_tooltip(browser, store, spec):
    option = build_option("map_city_de", store, spec)
    _, geo_path = resolve("map_city_de", spec)
    first = option["series"][0]["data"][0]
    tip = _shown_tip(browser, option, 0, 0, load_geojson(str(geo_path)))
    assert first["tooltip"]["formatter"].split("<br/>")[1] in tip
    assert map_name(str(geo_path)) == option["series"][0]["map"]
