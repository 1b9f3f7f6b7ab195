"""Value labels read from the rendered SVG: no label on another series' bar, no two labels on
each other. Cases: the bundled charts with a bar and a line, and invented bar/line pairs the
rule was not built from (a line that dips onto the tallest bar, flat lines, tall thin bars)."""
from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest

from digecon.figures import figure_svg
from digecon.figures.defs import FigureDef, SeriesDef
from digecon.figures.options import option_for

_NUM = re.compile(r"-?\d+(?:\.\d+)?%?")


def _text_width(text: str, size: float) -> float:
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def boxes(svg: str) -> tuple[list[tuple], list[tuple]]:
    """(bars as (x0, y0, x1, y1, series), value labels as (x0, y0, x1, y1, text, fill))."""
    bars = []
    for m in re.finditer(r'<path d="M([\d.]+) ([\d.]+)l([\d.]+) 0l0 (-?[\d.]+)l[^"]*Z"[^>]*'
                         r'ecmeta_series_index="(\d+)"', svg):
        x, y, w, h, s = float(m[1]), float(m[2]), float(m[3]), float(m[4]), int(m[5])
        bars.append((x, min(y, y + h), x + w, max(y, y + h), s))
    labels = []
    for m in re.finditer(r"<text([^>]*)>([^<]*)</text>", svg):
        attrs, text = m[1], m[2].strip()
        if not _NUM.fullmatch(text) or 'stroke="' in attrs and 'fill="#fff' in attrs:
            continue  # not a value, or the white halo copy under a label
        pos = re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", attrs)
        size = re.search(r"font-size:(\d+(?:\.\d+)?)px", attrs)
        if not pos or not size:
            continue
        x, y, fs = float(pos[1]), float(pos[2]), float(size[1])
        dy = re.search(r'\sy="([-\d.]+)"', attrs)
        y += float(dy[1]) if dy else 0.0
        anchor = re.search(r'text-anchor="(\w+)"', attrs)
        w = _text_width(text, fs)
        x0 = x - w / 2 if not anchor or anchor[1] == "middle" else x - w if anchor[1] == "end" \
            else x
        fill = re.search(r'fill="([^"]+)"', attrs)
        labels.append((x0, y - fs / 2, x0 + w, y + fs / 2, text, fill[1] if fill else ""))
    return bars, labels


def _overlap(a, b, pad: float = 0.5) -> bool:
    return a[0] < b[2] - pad and b[0] < a[2] - pad and a[1] < b[3] - pad and b[1] < a[3] - pad


def collisions(svg: str, plot_left: float = 70, plot_right: float = 730) -> list[str]:
    """Every value label inside the plot that overlaps another label, or a bar it is not
    written inside of in white (a bar's own value inside it)."""
    bars, labels = boxes(svg)
    labels = [lb for lb in labels if plot_left - 5 < (lb[0] + lb[2]) / 2 < plot_right + 5]
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if _overlap(a, b):
                found.append(f"{a[4]} × {b[4]}")
        inside_own = a[5].lower() in ("#ffffff", "#fff")
        for bar in bars:
            if _overlap(a, bar):
                within = bar[0] <= a[0] and a[2] <= bar[2] and bar[1] <= a[1] and a[3] <= bar[3]
                if not (inside_own and within):
                    found.append(f"{a[4]} on a bar at x={bar[0]:.0f}")
    return found


def _frame(bars: list[float], line: list[float], unit_bar="亿元", unit_line="%") -> pd.DataFrame:
    rows = []
    for k, (b, ln) in enumerate(zip(bars, line)):
        code = f"36{k + 1:02d}00"
        for ind, v, unit in (("di_va", b, unit_bar), ("di_share_gdp", ln, unit_line)):
            rows.append({"region_code": code, "region_name": f"第{k + 1}市", "indicator": ind,
                         "indicator_name": ind, "period": "2021", "value": v, "unit": unit,
                         "status": "published", "source": "测试", "vintage": "2022-01-01",
                         "note": "", "text": f"{v:.1f}", "decimals": 1, "inputs": ""})
    return pd.DataFrame(rows)


CASES = {
    # 图5's shape: the line's low point (4.5) falls on the tallest bar (301.0), and three
    # equal values (3.1) sit beside bars of about 100
    "dip_on_tallest": ([301.0, 216.6, 215.6, 127.6, 115.9, 98.4, 80.8, 70.6, 35.4, 24.4, 21.9],
                       [4.5, 8.6, 7.1, 3.1, 3.1, 3.1, 7.1, 3.9, 3.1, 2.2, 2.0]),
    "flat_line": ([900.0, 850.0, 800.0, 120.0, 100.0, 90.0, 60.0, 50.0],
                  [12.0, 12.0, 12.1, 12.0, 11.9, 12.0, 12.0, 12.0]),
    "line_falls_with_bars": ([2783.4, 1508.9, 1352.7, 1153.5, 1118.9, 886.1, 503.7],
                             [41.9, 36.2, 36.2, 37.9, 35.1, 35.1, 28.1]),
}
# No axes lift a line at 1.0 over a bar of 500 when the line reaches 15 further on: those
# points' labels are boxed (white, edged in the line's colour), and still clear of each other.
BOXED = ([500.0, 420.0, 300.0, 200.0, 120.0, 60.0, 30.0, 10.0],
         [1.0, 2.0, 3.5, 5.0, 7.0, 9.5, 12.0, 15.0])


def _option(bars, line):
    fdef = FigureDef("t", "测试", "cities", (SeriesDef("di_va", "bar"),
                                             SeriesDef("di_share_gdp", "line", axis=1)),
                     "360000", periods=("2021",))
    return option_for(fdef, _frame(bars, line))


@pytest.mark.parametrize("case", sorted(CASES))
def test_bar_and_line_labels_never_collide(case):
    bars, line = CASES[case]
    option = _option(bars, line)
    assert not any("backgroundColor" in d.get("label", {}) for d in option["series"][1]["data"])
    svg = figure_svg(option)
    _, labels = boxes(svg)
    assert len(labels) >= 2 * len(bars)  # every value printed
    assert collisions(svg) == []


def test_a_line_that_cannot_clear_the_bars_has_boxed_labels():
    option = _option(*BOXED)
    boxed = [d["label"]["formatter"] for d in option["series"][1]["data"]
             if "backgroundColor" in d.get("label", {})]
    assert boxed and "15.0" not in boxed  # the points on bars only
    svg = figure_svg(option)
    assert [c for c in collisions(svg) if " × " in c] == []  # no label on another label
    on_bars = {c.split(" on ")[0] for c in collisions(svg) if " on a bar" in c}
    assert on_bars <= set(boxed)


def test_the_bundled_bar_and_line_charts(store, spec):
    from digecon.figures import build_option

    for fid, fdef in spec.figures.items():
        if {s.type for s in fdef.series} != {"bar", "line"} or fdef.optional:
            continue  # (an optional figure has no values in the bundled data)
        svg = figure_svg(build_option(fid, store, spec))
        assert collisions(svg) == [], fid


def test_the_detector_sees_a_label_on_a_bar():
    """The check can fail: a line label drawn across a bar is reported."""
    svg = ('<path d="M82 386l36 0l0 -198.7l-36 0Z" fill="#1f5fa8" ecmeta_series_index="0"/>'
           '<text dominant-baseline="central" text-anchor="middle" style="font-size:11px;" '
           'transform="translate(100 250)" fill="#b25a12">4.5</text>'
           '<text dominant-baseline="central" text-anchor="middle" style="font-size:11px;" '
           'transform="translate(104 254)" fill="#222222">3.1</text>')
    assert collisions(svg) == ["4.5 × 3.1", "4.5 on a bar at x=82", "3.1 on a bar at x=82"]
