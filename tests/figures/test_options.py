"""Figure options: snapshot of every option, and the numbers and marks that matter, asserted."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from digecon.figures import build_option, figure_data

SNAPSHOTS = Path(__file__).parent / "snapshots"
FIGURE_IDS = [
    "fig_de_va", "fig_de_share", "fig_structure", "fig_city_de", "fig_city_di", "fig_city_id",
    "map_city_de", "fig_patents", "fig_it_revenue", "fig_iif", "fig_agri_iot",
    "fig_online_retail", "fig_bandwidth", "fig_ports", "fig_5g", "fig_computing",
    "fig_homework", "fig_health",
]


@pytest.mark.parametrize("fid", FIGURE_IDS)
def test_option_matches_snapshot(fid, store, spec):
    option = build_option(fid, store, spec)
    text = json.dumps(option, ensure_ascii=False, indent=1, sort_keys=True)
    snap = SNAPSHOTS / f"{fid}.json"
    if os.environ.get("DIGECON_UPDATE_SNAPSHOTS") == "1":
        snap.write_text(text + "\n", encoding="utf-8")
    # A missing snapshot fails: the test never writes the answer it checks against.
    assert snap.exists(), f"{snap} missing; write it with DIGECON_UPDATE_SNAPSHOTS=1 and review it"
    assert text + "\n" == snap.read_text(encoding="utf-8")


def test_spec_defines_all_figures(spec):
    # every figure the bundled data draws has its snapshot; the optional one without data
    # (数字经济核心产业, not measured in the bundle) is left out of the paper
    drawn = sorted(f for f, d in spec.figures.items() if not d.optional)
    assert drawn == sorted(FIGURE_IDS)
    assert [f for f, d in spec.figures.items() if d.optional] == ["fig_core"]


def test_de_va_bars_and_growth_line(store, spec):
    option = build_option("fig_de_va", store, spec)
    bars, line = option["series"]
    assert [d["value"] for d in bars["data"]] == [4051.1, 4890.2, 5903.0, 7125.4, 8684.5, 10378.0]
    assert option["xAxis"]["data"][0] == "2016（估）" and option["xAxis"]["data"][-1] == "2021"
    assert option["xAxis"]["name"] == "年份"
    assert line["type"] == "line" and line["yAxisIndex"] == 1
    assert line["data"][0] is None and line["data"][-1]["value"] == 19.5
    assert bars["data"][0]["itemStyle"]["borderType"] == "dashed"  # estimated looks different
    assert "itemStyle" not in bars["data"][-1]  # published 2021 is plain
    assert option["animation"] is False and "graphic" not in option


def test_city_figure_sorted_and_marked_illustrative(store, spec):
    option = build_option("fig_city_de", store, spec)
    assert option["xAxis"]["data"][:3] == ["南昌", "赣州", "九江"]
    assert option["series"][0]["data"][0]["value"] == 2620.0
    assert option["series"][0]["name"].endswith("【示意】")
    assert option["graphic"][0]["style"]["text"] == "示意数据 · 非统计数据"


def test_structure_is_stacked(store, spec):
    option = build_option("fig_structure", store, spec)
    assert {s["stack"] for s in option["series"]} == {"structure"}
    assert [d["value"] for d in option["series"][0]["data"]] == [8.5, 12.6]


def test_choropleth_has_eleven_cities(store, spec):
    option = build_option("map_city_de", store, spec)
    data = option["series"][0]["data"]
    assert len(data) == 11
    assert {(d["name"], d["value"]) for d in data} >= {("南昌市", 2620.0)}
    # a printed map's legend: classes with their unit, each unit in exactly one, darker up
    pieces = option["visualMap"]["pieces"]
    assert option["visualMap"]["type"] == "piecewise" and len(pieces) >= 3
    assert pieces[0]["label"].endswith("亿元及以上") and pieces[-1]["label"].endswith("亿元以下")
    assert all("亿元" in p["label"] for p in pieces)
    for d in data:
        inside = [p for p in pieces if p.get("gte", -1e18) <= d["value"] < p.get("lt", 1e18)]
        assert len(inside) == 1, d
    assert len({p["color"] for p in pieces}) == len(pieces)
    # each unit prints its value, the fact's own text (2620.0, not 2620)
    df = figure_data("map_city_de", store, spec)
    texts = dict(zip(df["region_name"], df["text"]))
    assert all(d["label"]["formatter"] == f"{{b}}\n{texts[d['name']]}" for d in data)
    assert "高" not in str(option["visualMap"]) and "低" not in str(option["visualMap"])


def test_class_breaks_are_round_and_inside_the_range():
    from digecon.figures.options import class_breaks, class_pieces

    values = [18.4, 12.1, 11.5, 9.8, 8.2, 9.1, 10.4, 7.7, 8.8, 9.6, 8.1, 7.2, 6.9, 6.0]
    breaks = class_breaks(values)
    assert breaks == sorted(set(breaks)) and all(6.0 < b <= 18.4 for b in breaks)
    assert [p["label"] for p in class_pieces([8.0, 10.0], 0, "个", 6.0)] == [
        "10个及以上", "8–10个", "8个以下"]
    assert class_breaks([5.0, 5.0]) == []
    assert class_pieces([], 1, "%", 5.0)[0]["label"] == "5.0%"


def test_figure_data_carries_status_and_source(store, spec):
    df = figure_data("fig_de_va", store, spec)
    row = df[(df.indicator == "de_va") & (df.period == "2021")].iloc[0]
    assert row.value == 10378 and row.status == "published"
    assert "白皮书" in row.source
    assert set(df.columns) >= {"region_code", "indicator", "period", "value", "unit", "status",
                               "source"}


def test_unknown_figure_id(store, spec):
    with pytest.raises(KeyError, match="未知图表"):
        build_option("fig_nope", store, spec)


@pytest.mark.parametrize("fid", ["fig_de_va", "fig_city_de", "fig_online_retail"])
def test_right_axis_is_ticked_round_and_never_negative_for_positive_lines(fid, store, spec):
    option = build_option(fid, store, spec)
    right = option["yAxis"][1]
    line = [d["value"] for d in option["series"][1]["data"] if d]
    assert right["axisTick"]["show"] is True and right["name"] == "%"
    assert right["min"] >= 0 and right["min"] <= min(line) and right["max"] >= max(line)
    steps = (right["max"] - right["min"]) / right["interval"]
    assert steps == pytest.approx(round(steps)) and right["min"] % right["interval"] == 0



@pytest.mark.parametrize("fid", ["fig_de_va", "fig_city_de", "fig_city_di", "fig_city_id",
                                 "fig_online_retail"])
def test_bar_and_line_value_labels_never_meet(fid, store, spec):
    """Where a point of the line (its label above it) comes within a label's height of a bar's
    top, that bar's value is written inside the bar; elsewhere above it. Bars stay readable."""
    option = build_option(fid, store, spec)
    bars, line = option["series"][0], option["series"][1]
    left, right = option["yAxis"]
    tops = [d["value"] / left["max"] if d else None for d in bars["data"]]
    points = [(d["value"] - right["min"]) / (right["max"] - right["min"]) if d else None
              for d in line["data"]]
    assert max(t for t in tops if t is not None) >= 0.35
    for d, top, y in zip(bars["data"], tops, points):
        position = d.get("label", {}).get("position", bars["label"]["position"])
        if y is not None and abs(y - top) < 0.08:
            assert position == "insideTop" and top >= 0.16, (fid, d)
        else:
            assert position == "top", (fid, d)


def test_growth_line_runs_above_the_bars(store, spec):
    option = build_option("fig_de_va", store, spec)
    bars, line = option["series"][0], option["series"][1]
    left, right = option["yAxis"]
    # bars up to 10378, line 19.5–21.9 %: both axes in 4 round steps (0–16000 by 4000, 8–24
    # by 4), so they read from the same grid lines; the bar axis no longer runs to 20000
    assert (left["min"], left["max"], left["interval"]) == (0, 16000, 4000)
    assert (right["min"], right["max"], right["interval"]) == (8, 24, 4)
    tallest = max(d["value"] for d in bars["data"]) / left["max"]  # 10378 / 16000
    assert tallest == pytest.approx(0.6486, abs=1e-4)
    for b, p in zip(bars["data"], line["data"]):
        if p:  # each point above its own bar: (19.5 - 8) / 16 = 0.719 over 0.649 in 2021
            assert (p["value"] - 8) / 16 >= b["value"] / 16000 + 0.07 - 1e-9


@pytest.mark.parametrize("fid", ["fig_de_va", "fig_city_de", "fig_city_di", "fig_city_id",
                                 "fig_online_retail"])
def test_both_axes_share_their_intervals_in_round_steps(fid, store, spec):
    left, right = build_option(fid, store, spec)["yAxis"]
    n_left = left["max"] / left["interval"]
    n_right = (right["max"] - right["min"]) / right["interval"]
    assert n_left == pytest.approx(n_right) and round(n_left) in (4, 5, 6)
    for step in (left["interval"], right["interval"]):
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert round(mantissa, 6) in (1, 2, 2.5, 3, 4, 5), (fid, step)
    tallest = max(d["value"] for d in build_option(fid, store, spec)["series"][0]["data"] if d)
    assert 0.35 <= tallest / left["max"] <= 0.65, fid  # bars neither stretched nor crowding


def test_bandwidth_in_tbps_at_the_papers_precision(store, spec):
    option = build_option("fig_bandwidth", store, spec)
    bars = option["series"][0]
    assert option["yAxis"][0]["name"] == "Tbps" and bars["name"].startswith("省际出口带宽（Tbps）")
    # a level at two decimals keeps both on every bar: one precision for the series
    assert [d["label"]["formatter"] for d in bars["data"]] == ["18.00", "24.50", "31.00", "39.60"]
    assert bars["data"][-1]["tooltip"]["formatter"].endswith("39.60Tbps（示意）")
