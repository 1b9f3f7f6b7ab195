"""Value axes: round steps, the baseline of index series, and the two axes of bars with a line."""
from __future__ import annotations

import itertools
import math

NICE = (1, 2, 2.5, 3, 4, 5)  # × 10^k: steps whose ticks read (0, 2500, 5000; 0, 3, 6, 9)
SPLITS = (5, 4, 6)  # intervals both axes of a bar-and-line chart share, in order of preference
BAR_HIGH = 0.65  # of the plot: the tallest bar at most, leaving the upper part to the line
MIN_BAR_HEIGHT = 0.35  # of the plot: the tallest bar is never drawn shorter
LINE_GAP = 0.1  # of the plot: a line running above the tallest bar clears it by this much
BAR_TOP_ROOM = 0.07  # of the plot: a bar's value label above it and a line's marker above that
LINE_TOP = 0.92  # of the plot: the highest point leaves room for its label below the top
LABEL_ROOM = 0.08  # of the plot: a value label and its gap above a bar or a point
RIGHT_STEPS = 8
ABOVE_ALL = 0.05  # of the score: a line above every bar reads a little more easily  # right-axis steps tried from the finest that holds the line


def clean(x: float) -> float:
    return round(x, 10) + 0.0


def values(entries: list[dict]) -> list[float]:
    """The numbers of series' data items (plain numbers or {"value": …}), None left out."""
    out = []
    for e in entries:
        for d in e["data"]:
            v = d["value"] if isinstance(d, dict) else d
            if v is not None:
                out.append(float(v))
    return out


def nice(x: float) -> float:
    """The next round number (1, 2, 2.5, 5 × 10^k) at or above a positive x."""
    if x <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(x))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= x - 1e-12)


def nice_steps(x: float):
    """Axis steps (NICE × 10^k) from the first at or above a positive x upwards."""
    mag = 10 ** math.floor(math.log10(x)) if x > 0 else 1.0
    while True:
        for m in NICE:
            if m * mag >= x * (1 - 1e-9):
                yield clean(m * mag)
        mag *= 10


def index_baseline(axis: dict, metas: list, vals: list[float]) -> None:
    """An axis of index series (catalog kind `index`) whose values sit far from zero relative
    to their spread (上年=100 indices, scores of 47–50) starts near the data, not at 0: drawn
    from 0 the series would be flat. Other kinds, and bars, keep the zero baseline."""
    if not metas or not vals or any(m.kind != "index" for m in metas):
        return
    lo, hi = min(vals), max(vals)
    if lo <= 0 or (hi - lo) * 2 >= lo:
        return
    step = nice((hi - lo) / 4) if hi > lo else nice(abs(hi) / 10)
    axis.update({"min": clean(math.floor(lo / step) * step - step),
                 "max": clean(math.ceil(hi / step) * step + step), "interval": step})


def bar_line_pairs(series: list[dict]) -> list[tuple[float, list[float]]]:
    """Per category, the top of its bars (a stack's sum) and the values of the lines there."""
    bars = [e for e in series if e["type"] == "bar" and e["yAxisIndex"] == 0]
    lines = [e for e in series if e["type"] == "line" and e["yAxisIndex"] == 1]
    n = max((len(e["data"]) for e in bars + lines), default=0)

    def val(e, i):
        d = e["data"][i] if i < len(e["data"]) else None
        v = d.get("value") if isinstance(d, dict) else d
        return None if v is None else float(v)

    out = []
    for i in range(n):
        tops = [v for e in bars if (v := val(e, i)) is not None]
        top = (sum(tops) if bars and bars[0].get("stack") else max(tops)) if tops else 0.0
        out.append((top, [v for e in lines if (v := val(e, i)) is not None]))
    return out


def _candidates(top: float, lo: float, hi: float):
    """(intervals, left step, right step, right minimum) of axes that share their intervals:
    the tallest bar between MIN_BAR_HEIGHT and BAR_HIGH of the plot, the line's highest point
    at most LINE_TOP, and a non-negative line on an axis that starts at 0 or above."""
    spread = hi - lo if hi > lo else max(abs(hi), 1.0) * 0.2
    for n in SPLITS:
        for left in nice_steps(top / (n * BAR_HIGH)):
            if top / (n * left) < MIN_BAR_HEIGHT:
                break
            for right in itertools.islice(nice_steps(spread / (n * LINE_TOP)), RIGHT_STEPS):
                k_max = math.floor(lo / right + 1e-9)  # the axis starts at or below the line
                k_min = math.ceil((hi - LINE_TOP * n * right) / right - 1e-9)
                if lo >= 0:
                    k_min = max(k_min, 0)
                for k in range(k_min, k_max + 1):
                    yield n, left, right, clean(k * right)


def _grade(cand, pairs, lo: float, hi: float) -> tuple:
    """Lower is better: first whether the labels stay clear (the line above the tallest bar,
    or each point above its own bar and label; else the labels on bars get boxed); then the
    bars as tall as they can be — a bar axis far above the tallest bar reads as stretched —
    with the line's spread counting half and a line above every bar a little; then the
    preferred number of intervals."""
    n, left, right, low = cand
    left_max, total = n * left, n * right
    top = max(t for t, _ in pairs) / left_max
    pos = [(t / left_max, (v - low) / total) for t, vs in pairs for v in vs]
    above_all = min(y for _, y in pos) >= top + LINE_GAP - 1e-9
    clear = above_all or all(_clears(b, y) for b, y in pos)
    score = top + 0.5 * (hi - lo) / total + (ABOVE_ALL if above_all else 0.0)
    return not clear, -round(score, 6), SPLITS.index(n)


def _clears(bar: float, point: float) -> bool:
    """Whether a point of the line (plot fractions) passes above its own bar and the bar's
    label: a point within a label's height of the top needs a bar tall enough to hold its
    label inside (_clear_bar_labels)."""
    if point < bar + BAR_TOP_ROOM - 1e-9:
        return False
    return point >= bar + LABEL_ROOM - 1e-9 or bar >= 2 * LABEL_ROOM


def bars_and_line(series: list[dict], y_axes: list[dict]) -> None:
    """The two axes of bars (left) and a line (right): the same number of intervals, each in
    round steps, so that both read from the same grid lines; the bars in the lower part and
    the line above them (above the tallest bar, else above each bar) so that their value
    labels never collide. Where no axes lift the line clear, its labels on bars are boxed."""
    pairs = bar_line_pairs(series)
    bars = values([e for e in series if e["type"] == "bar" and e["yAxisIndex"] == 0])
    line = [v for _, vs in pairs for v in vs]
    if not bars or not line or min(bars) < 0 or max(t for t, _ in pairs) <= 0:
        return
    lo, hi = min(line), max(line)
    best = min(_candidates(max(t for t, _ in pairs), lo, hi),
               key=lambda c: _grade(c, pairs, lo, hi), default=None)
    if best is None:
        return
    n, left, right, low = best
    y_axes[0].update({"min": 0, "max": clean(n * left), "interval": left})
    y_axes[1].update({"min": low, "max": clean(low + n * right), "interval": right})
    if _grade(best, pairs, lo, hi)[0]:
        _box_line_labels_on_bars(series, pairs, y_axes)
    _clear_bar_labels(series, y_axes)


def _box_line_labels_on_bars(series: list[dict], pairs, y_axes: list[dict]) -> None:
    """No axes lift the line above every bar (a point near 0 over the tallest bar): the labels
    of the points that fall on a bar are set in a white box edged in the line's colour, so
    that they read as the line's and stay legible on the bar."""
    left_max = y_axes[0]["max"]
    lo, hi = y_axes[1]["min"], y_axes[1]["max"]
    lines = [e for e in series if e["type"] == "line" and e["yAxisIndex"] == 1]
    for e in lines:
        colour = e["label"].get("color", "#333333")
        for i, d in enumerate(e["data"]):
            if not isinstance(d, dict) or d.get("value") is None or i >= len(pairs):
                continue
            if (float(d["value"]) - lo) / (hi - lo) < pairs[i][0] / left_max + BAR_TOP_ROOM:
                d["label"] = {**d.get("label", {}), "backgroundColor": "#ffffff",
                              "borderColor": colour, "borderWidth": 0.6, "padding": [1, 3],
                              "textBorderWidth": 0}


def _clear_bar_labels(series: list[dict], y_axes: list[dict]) -> None:
    """A bar's value goes inside its bar where the line passes near its top (the two labels
    would overlap); elsewhere above it (short bars cannot hold a label)."""
    bars = [e for e in series if e["type"] == "bar" and e["yAxisIndex"] == 0]
    lines = [e for e in series if e["type"] == "line" and e["yAxisIndex"] == 1]
    if not bars or not lines or bars[0].get("stack"):
        return
    left_max = y_axes[0]["max"]
    lo, span = y_axes[1]["min"], y_axes[1]["max"] - y_axes[1]["min"]
    for e in bars:
        e["label"].update({"position": "top", "color": "#222222",
                           "textBorderColor": "#ffffff", "textBorderWidth": 2})
        for i, d in enumerate(e["data"]):
            if not isinstance(d, dict) or d.get("value") is None:
                continue
            top = float(d["value"]) / left_max
            near = [(float(ln["data"][i]["value"]) - lo) / span for ln in lines
                    if i < len(ln["data"]) and isinstance(ln["data"][i], dict)
                    and ln["data"][i].get("value") is not None]
            if any(abs(y - top) < LABEL_ROOM for y in near) and top >= 2 * LABEL_ROOM:
                d["label"] = {**d.get("label", {}), "position": "insideTop", "color": "#ffffff",
                              "textBorderWidth": 0}
