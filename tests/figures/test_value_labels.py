"""Value and category labels of long category lists, measured in the rendered SVG at the static
800 px and at a phone's 390 px (ECharts applies the option's `media` for its width): no two
labels overlap, an upright label stays inside the plot, and a label left out is left out
whole. Invented lists of 11, 14 and 38 units with wide values (1403.3) and narrow ones."""
from __future__ import annotations

import copy
import math
import re
import unicodedata

import pandas as pd
import pytest

from digecon.figures import figure_svg
from digecon.figures.defs import FigureDef, SeriesDef
from digecon.figures.layout import value_labels
from digecon.figures.options import option_for

_NUM = re.compile(r"-?\d+(?:\.\d+)?%?")
_MATRIX = re.compile(r"matrix\(([-\d.e]+),([-\d.e]+),([-\d.e]+),([-\d.e]+),([-\d.e]+),([-\d.e]+)\)")


def _width(text: str, size: float) -> float:
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def text_boxes(svg: str) -> list[tuple[list[tuple[float, float]], str]]:
    """Every drawn text as its four corners on the page and its text: turned texts (matrix
    transforms) included; white halo copies left out."""
    out = []
    for m in re.finditer(r"<text([^>]*)>([^<]*)</text>", svg):
        attrs, text = m[1], m[2].strip()
        if not text or ('stroke="' in attrs and re.search(r'fill="#fff', attrs)):
            continue
        size = re.search(r"font-size:(\d+(?:\.\d+)?)px", attrs)
        fs = float(size[1]) if size else 12.0
        if mt := _MATRIX.search(attrs):
            a, b, c, d, e, f = map(float, mt.groups())
        elif tr := re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", attrs):
            a, b, c, d, e, f = 1.0, 0.0, 0.0, 1.0, float(tr[1]), float(tr[2])
        else:
            continue
        if rot := re.search(r"rotate\(([-\d.]+)\)", attrs):  # translate(..) rotate(..)
            t = math.radians(float(rot[1]))
            a, b, c, d = math.cos(t), math.sin(t), -math.sin(t), math.cos(t)
        dx = re.search(r'\sx="([-\d.]+)"', attrs)
        dy = re.search(r'\sy="([-\d.]+)"', attrs)
        u, v = float(dx[1]) if dx else 0.0, float(dy[1]) if dy else 0.0
        w = _width(text, fs)
        anchor = re.search(r'text-anchor="(\w+)"', attrs)
        u0 = u - {"middle": w / 2, "end": w}.get(anchor[1] if anchor else "start", 0.0)
        corners = [(a * x + c * y + e, b * x + d * y + f)
                   for x, y in ((u0, v - fs / 2), (u0 + w, v - fs / 2),
                                (u0 + w, v + fs / 2), (u0, v + fs / 2))]
        out.append((corners, text))
    return out


def _overlap(p, q, pad: float = 0.5) -> bool:
    """Whether two rectangles (corners in order) overlap by more than `pad` px (separating
    axes: the normals of their edges)."""
    for poly in (p, q):
        for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
            nx, ny = y0 - y1, x1 - x0
            norm = math.hypot(nx, ny) or 1.0
            a = [(x * nx + y * ny) / norm for x, y in p]
            b = [(x * nx + y * ny) / norm for x, y in q]
            if max(a) <= min(b) + pad or max(b) <= min(a) + pad:
                return False
    return True


def overlaps(svg: str, names: set[str]) -> list[str]:
    """Pairs of value labels, or of category labels (`names`), whose boxes overlap."""
    boxes = text_boxes(svg)
    found = []
    for kind in (lambda t: bool(_NUM.fullmatch(t)), lambda t: t in names):
        group = [b for b in boxes if kind(b[1])]
        found += [f"{a[1]} × {b[1]}" for i, a in enumerate(group) for b in group[i + 1:]
                  if _overlap(a[0], b[0])]
    return found


def _values(n: int, top: float) -> list[float]:
    return [round(top * 0.9 ** k + 0.8, 1) for k in range(n)]


def _frame(n: int, bars: list[float], line: list[float] | None) -> pd.DataFrame:
    rows = []
    for k in range(n):
        code = f"50{k + 1:02d}00"  # invented units, not a province's
        pairs = [("di_va", bars[k], "亿元")] + ([("di_share_gdp", line[k], "%")] if line else [])
        for ind, v, unit in pairs:
            rows.append({"region_code": code, "region_name": f"测试{k + 1}区", "indicator": ind,
                         "indicator_name": ind, "period": "2023", "value": v, "unit": unit,
                         "status": "published", "source": "测试", "vintage": "2024-01-01",
                         "note": "", "text": f"{v:.1f}", "decimals": 1, "inputs": ""})
    return pd.DataFrame(rows)


def _option(n: int, with_line: bool, top: float = 1403.3) -> dict:
    series = (SeriesDef("di_va", "bar"),) + ((SeriesDef("di_share_gdp", "line", axis=1),)
                                             if with_line else ())
    fdef = FigureDef("t", "测试", "cities", series, "500000", periods=("2023",), sort="desc")
    line = [round(60 - 40 * k / n, 1) for k in range(n)] if with_line else None
    return option_for(fdef, _frame(n, _values(n, top), line))


CASES = [(n, line) for n in (11, 14, 38) for line in (False, True)]


@pytest.mark.parametrize("width", [800, 390])
@pytest.mark.parametrize("n,with_line", CASES)
def test_no_two_labels_overlap(n, with_line, width):
    option = _option(n, with_line)
    svg = figure_svg(option, width=width, height=450 if width == 800 else 300)
    names = set(option["xAxis"]["data"])
    assert overlaps(svg, names) == []
    shown = [b for b in text_boxes(svg) if _NUM.fullmatch(b[1]) and "." in b[1]]
    values = {str(d["label"]["formatter"]) for s in option["series"] for d in s["data"]}
    printed = {b[1] for b in shown} & values
    # all of a series' values or none: a reader never meets a chart with some bars unlabelled
    for s in option["series"]:
        texts = {str(d["label"]["formatter"]) for d in s["data"]}
        assert not texts & printed or texts <= printed, (s["name"], texts - printed)
    if width == 800 and n <= 14:
        assert values <= printed  # room enough: every value is written
    plot_top = (option["grid"]["top"] if width == 800 else
                next(m["option"]["grid"]["top"] for m in option["media"]
                 if "query" in m and m["query"].get("maxWidth", 1e9) >= width
                 and m["query"].get("minWidth", 0) <= width))
    for corners, text in shown:  # an upright label over the tallest bar stays in the plot
        assert min(y for _, y in corners) >= plot_top - 1, text


def test_38_units_alone_turn_their_values_upright_and_with_a_line_leave_them_out():
    alone, paired = _option(38, False), _option(38, True)
    assert alone["series"][0]["label"]["rotate"] == 90 and alone["series"][0]["label"]["show"]
    assert alone["yAxis"][0]["max"] >= 1403.3  # lifted for the label above the tallest bar
    assert [s["label"]["show"] for s in paired["series"]] == [False, False]
    assert [s["label"]["show"] for s in _option(11, True)["series"]] == [True, True]


def test_the_check_sees_overprinted_values():
    """The measure can fail: the 38 values forced level at 800 px overlap."""
    option = copy.deepcopy(_option(38, False))
    option.pop("media")
    option["series"][0]["label"].update({"rotate": 0, "align": None, "verticalAlign": None})
    option["yAxis"][0].pop("max"), option["yAxis"][0].pop("interval")
    svg = figure_svg(option)
    assert len(overlaps(svg, set())) >= 10


def test_the_rule_reads_the_room_of_each_label():
    """Level at a slot wide enough for the widest value and its gap, upright when one bar
    series has a label's height of room, else none."""
    bar = {"type": "bar", "label": {"show": True, "position": "top"},
           "data": [{"value": 1403.3, "label": {"formatter": "1403.3"}}]}
    wide = 6 * 11 * 0.6 + 4  # 1403.3 at 11 px and the gap
    assert value_labels([bar], 10, 10 * wide)[0]["rotate"] == 0
    assert value_labels([bar], 10, 10 * (wide - 1))[0]["rotate"] == 90
    assert value_labels([bar], 10, 10 * 14)[0]["show"] is False
    line = {**bar, "type": "line"}
    assert [v["show"] for v in value_labels([bar, line], 10, 10 * (wide - 1))] == [False, False]
