"""Axes a reader can read: both axes of a bar-and-line chart in round steps on shared grid
lines, the bar axis not stretched far above the tallest bar; category labels that never run
into each other (long unit names turned, status marks on a second line)."""
from __future__ import annotations

import math

import pytest

from digecon.figures import figure_svg
from digecon.figures.axes import NICE, nice_steps
from digecon.figures.labels import label_width
from digecon.figures.layout import category_labels
from figures.test_label_overlap import BOXED, CASES, _option, collisions

# (bars, line): a region's six years (bars up to 7260, growth 8.1–17.8 %) and its 12 units
# (bars up to 1620, shares 22.5–37.9 %) — invented, of the third province's shape
SHAPES = {
    **CASES,
    "boxed": BOXED,
    "years": ([3950.0, 4420.0, 4780.0, 5630.0, 6410.0, 7260.0],
              [11.9, 11.9, 8.1, 17.8, 13.9, 13.3]),
    "units": ([1620.0, 1480.0, 1390.0, 560.0, 430.0, 410.0, 340.0, 320.0, 290.0, 180.0, 150.0,
               90.0], [26.1, 37.9, 33.9, 26.7, 25.3, 26.5, 29.6, 30.5, 26.4, 25.7, 23.1, 22.5]),
}


def _round(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step))
    return round(mantissa, 6) in NICE


@pytest.mark.parametrize("case", sorted(SHAPES))
def test_both_axes_share_round_intervals_and_bars_are_not_stretched(case):
    bars, line = SHAPES[case]
    left, right = _option(bars, line)["yAxis"]
    n = left["max"] / left["interval"]
    assert n == pytest.approx((right["max"] - right["min"]) / right["interval"])
    assert round(n) in (4, 5, 6) and _round(left["interval"]) and _round(right["interval"])
    k = right["min"] / right["interval"]
    assert left["min"] == 0 and k == pytest.approx(round(k))
    assert 0.35 <= max(bars) / left["max"] <= 0.65
    assert right["min"] <= min(line) and max(line) <= right["min"] + 0.92 * (
        right["max"] - right["min"]) + 1e-9
    assert right["min"] >= 0  # a non-negative line gets no negative ticks


def test_the_bar_axis_of_a_7260_maximum_stops_well_below_20000():
    left, _ = _option(*SHAPES["years"])["yAxis"]
    assert left["max"] < 20000 and left["max"] / left["interval"] in (4, 5, 6)
    # 7260 / 15000: nearly half the plot (the previous rule drew it a third of 20000 high)
    assert left["max"] == 15000


@pytest.mark.parametrize("case", ["years", "units"])
def test_new_shapes_keep_labels_clear(case):
    option = _option(*SHAPES[case])
    boxed = {d["label"]["formatter"] for d in option["series"][1]["data"]
             if "backgroundColor" in d.get("label", {})}
    found = collisions(figure_svg(option))
    assert [c for c in found if " × " in c] == []  # no label on another label
    assert {c.split(" on ")[0] for c in found} <= boxed  # on a bar only in its white box


def test_nice_steps_climb_through_the_round_mantissas():
    steps = nice_steps(0.0021)
    assert [next(steps) for _ in range(8)] == [0.0025, 0.003, 0.004, 0.005, 0.01, 0.02, 0.025,
                                               0.03]


LEAGUES = ["鄂尔多斯", "呼和浩特", "包头", "赤峰", "呼伦贝尔", "通辽", "锡林郭勒盟", "乌兰察布",
           "巴彦淖尔", "乌海", "兴安盟", "阿拉善盟"]


def _clear(cats, label, plot_w):
    """Neighbouring labels as drawn do not overlap: side by side, or turned so that their
    lines stand apart by at least a line's height."""
    size, slot = label["fontSize"], plot_w / len(cats)
    angle = label.get("rotate", 0)
    if not angle:
        return max(label_width(part, size) for c in cats for part in c.split("\n")) < slot
    return slot * math.sin(math.radians(angle)) >= size * 1.2


def test_short_names_that_fit_stay_level():
    cats = ["长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州",
            "永州", "怀化", "娄底", "湘西州"]
    drawn, label, below = category_labels(cats, 660)
    assert drawn == cats and "rotate" not in label and below == 0 and _clear(cats, label, 660)


def test_twelve_units_with_five_character_names_are_turned():
    drawn, label, below = category_labels(LEAGUES, 660)
    assert drawn == LEAGUES and label["rotate"] == 30 and _clear(LEAGUES, label, 660)
    # 锡林郭勒盟 at 11 px turned 30°: 55·sin30° + 11·cos30° − 11 = 26.03 → 27 px more below
    assert below == 27


def test_a_crowded_axis_turns_its_labels_upright():
    cats = [f"{name}区" for name in ("万州", "涪陵", "渝中", "大渡口", "江北", "沙坪坝", "九龙坡",
                                      "南岸", "北碚", "綦江", "大足", "渝北", "巴南", "黔江", "长寿",
                                      "江津", "合川", "永川", "南川", "璧山", "铜梁", "潼南", "荣昌",
                                      "开州", "梁平", "武隆")] + ["城口县", "丰都县", "垫江县",
                                                                "忠县", "云阳县", "奉节县", "巫山县",
                                                                "巫溪县", "石柱县", "秀山县", "酉阳县",
                                                                "彭水县"]
    drawn, label, below = category_labels(cats, 660)
    assert drawn == cats and len(cats) == 38 and label["rotate"] == 90 and _clear(cats, label, 660)
    assert below == math.ceil(label_width("沙坪坝区", 11) - 11)


def test_status_marks_go_to_a_second_line_before_labels_turn():
    cats = [f"2021年{m}月（示意）" for m in range(1, 13)][:8]
    drawn, label, below = category_labels(cats, 660)
    assert drawn[0] == "2021年1月\n（示意）" and "rotate" not in label
    assert below == label["lineHeight"] and _clear(drawn, label, 660)
