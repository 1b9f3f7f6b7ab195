"""What a category chart prints at a given width: its category labels, its value labels and the
rows its legend takes. One rule for every renderer: the static SVG draws the 800 px layout,
the browser the one of the chart's own width (ECharts `media`, chosen by the chart's width)."""
from __future__ import annotations

import copy
import itertools
import math

from digecon.figures.axes import clean, nice_steps
from digecon.figures.labels import label_width

CHART_SIZE = (800, 450)  # px: the size every static rendering draws a chart at
LABEL_PX = (12, 11)  # a category label's font size, then the smaller one tried before turning
LABEL_GAP = 6  # px: the least space between two neighbouring category labels
ANGLES = (30, 45, 90)  # degrees a category label is turned to, the least that clears first
VALUE_PX = 11  # a value label's font size
VALUE_GAP = 4  # px: the least space between two value labels side by side
ROTATED_ROOM = 6  # px: above an upright value label, below the plot's top
BROWSER_HEIGHT = 300  # px: the least height a browser chart is given (a phone's dashboard)
BAR_SHARE = 0.8  # of a category's slot: what its bars take (ECharts' barCategoryGap 20 %)
LEGEND_PX, LEGEND_ICON, LEGEND_GAP, LEGEND_ROW = 12, 25 + 5, 10, 22  # ECharts' plain legend
# px: the lower edges of the width bands a browser chart is laid out for (each band at its
# narrowest width); from CHART_SIZE[0] up the static layout holds.
BANDS = (320, 360, 400, 440, 480, 540, 600, 660, 720)


def category_labels(cats: list[str], plot_w: float) -> tuple[list[str], dict, int]:
    """How the category axis prints its labels so that none overlaps its neighbour (锡林郭勒盟
    beside 乌兰察布 on a narrow slot): at 12 px, else at 11 px, else a label with a status
    mark breaks before its （ onto a second line, else every label is turned by the least of
    ANGLES at which their lines clear each other, else upright and only every k-th (the least
    k whose labels clear). Returns the labels as drawn, the axisLabel
    settings and the px the labels take below the axis beyond one line (the grid and the
    axis name move down by as much)."""
    if not cats:
        return cats, {"fontSize": LABEL_PX[0]}, 0
    slot = plot_w / len(cats)
    for size in LABEL_PX:
        if max(label_width(c, size) for c in cats) + LABEL_GAP <= slot:
            return cats, {"fontSize": size}, 0
    size = LABEL_PX[-1]
    line = size + 3
    parts = [c.split("（", 1) for c in cats]
    if all(len(p) == 2 for p in parts) and max(
            label_width(x, size) for p in parts for x in (p[0], "（" + p[1])) + LABEL_GAP <= slot:
        return [f"{a}\n（{b}" for a, b in parts], {"fontSize": size, "lineHeight": line}, line
    widest = max(label_width(c, size) for c in cats)
    for angle in ANGLES:
        rad = math.radians(angle)
        if slot * math.sin(rad) >= line:
            drop = widest * math.sin(rad) + size * math.cos(rad) - size
            return cats, {"fontSize": size, "rotate": angle}, math.ceil(drop)
    # upright labels that still overlap: every k-th one, as few left out as clear each other
    every = math.ceil(line / slot)
    return cats, {"fontSize": size, "rotate": 90, "interval": every - 1}, math.ceil(widest - size)


def _texts(entry: dict) -> list[str]:
    out = []
    for d in entry["data"]:
        if isinstance(d, dict) and d.get("value") is not None:
            out.append(str((d.get("label") or {}).get("formatter", d["value"])))
    return out


def value_labels(series: list[dict], n: int, plot_w: float) -> list[dict]:
    """Per series, how its value labels print at this plot width: level when the widest fits
    its room (a line point or a bar above its bar: its share of the category's slot; a value
    inside a bar: the bar's width); else turned upright above the bars when the chart is one
    bar series and a label's height fits the bar's room; else none — the axis shows the
    magnitudes, the tooltip and the figure's data table the values."""
    if not n:
        return [{"show": e["label"].get("show", True), "rotate": 0} for e in series]
    slot = plot_w / n
    groups = {e.get("stack") or f"#{i}" for i, e in enumerate(series) if e["type"] == "bar"}
    share = slot / max(len(groups), 1)
    out = []
    for e in series:
        texts = _texts(e)
        widest = max((label_width(t, VALUE_PX) for t in texts), default=0.0)
        inside = str(e["label"].get("position", "")).startswith("inside")
        if e["type"] != "bar":
            room = slot
        elif inside:
            room = min(float(e.get("barMaxWidth", share)), share * BAR_SHARE)
        else:
            room = share
        shown = bool(e["label"].get("show", True))
        if not shown or widest + VALUE_GAP <= room:
            out.append({"show": shown, "rotate": 0})
        elif len(series) == 1 and e["type"] == "bar" and not inside \
                and VALUE_PX + VALUE_GAP <= room:
            out.append({"show": True, "rotate": 90, "align": "left", "verticalAlign": "middle",
                        "distance": 4})
        else:
            out.append({"show": False, "rotate": 0})
    return out


def legend_rows(names: list[str], width: float) -> int:
    """The rows a plain legend of these names takes across a chart `width` px wide."""
    rows, used = 1, 0.0
    for name in names:
        item = LEGEND_ICON + label_width(name, LEGEND_PX)
        if used and used + LEGEND_GAP + item > width - 2 * LEGEND_GAP:
            rows, used = rows + 1, item
        else:
            used += (LEGEND_GAP if used else 0) + item
    return rows


def _headroom(series: list[dict], labels: list[dict], plot_h: float) -> dict:
    """A bar axis whose top leaves room for the upright labels above the tallest bar (round
    steps, as ECharts would choose them); ECharts' own axis when no label is upright."""
    tops = [(float(d["value"]), label_width(t, VALUE_PX))
            for e, lb in zip(series, labels) if lb["rotate"]
            for d, t in zip((d for d in e["data"] if isinstance(d, dict)
                             and d.get("value") is not None), _texts(e))]
    if not tops or max(v for v, _ in tops) <= 0:
        return {"max": None, "interval": None}
    need = max(v * plot_h / (plot_h - w - ROTATED_ROOM) for v, w in tops if v > 0)
    step = next(nice_steps(need / 5))
    return {"max": clean(math.ceil(need / step - 1e-9) * step), "interval": step}


def at_width(option: dict, cats: list[str], width: float, height: float,
             bar_axis: bool) -> dict:
    """The parts of a category chart's option that depend on its size, every key present
    (None where ECharts' default holds), so that one band's settings replace another's;
    `bar_axis`: the first value axis is free to lift (no figure rule fixed its range)."""
    grid = option["grid"]
    plot_w = width - grid["left"] - grid["right"]
    drawn, axis_label, below = category_labels(cats, plot_w)
    names = [str(e.get("name", "")) for e in option["series"]]
    top = option["grid"]["top"] + LEGEND_ROW * (legend_rows(names, width) - 1)
    labels = value_labels(option["series"], len(cats), plot_w)
    parts: dict = {
        "grid": {"top": top, "bottom": 64 + below},
        "xAxis": {"data": drawn, "nameGap": 30 + below,
                  "axisLabel": {"fontSize": axis_label["fontSize"],
                                "rotate": axis_label.get("rotate", 0),
                                "interval": axis_label.get("interval", 0),
                                "lineHeight": axis_label.get("lineHeight")}},
        "series": [{"label": {"align": None, "verticalAlign": None, "distance": None,
                              **lb}} for lb in labels],
    }
    if bar_axis:
        parts["yAxis"] = [_headroom(option["series"], labels, height - top - 64 - below)]
    return parts


def _merge(base: dict, parts: dict) -> None:
    """`parts` written into `base` (dicts merged, lists of dicts by index), None keys left out."""
    for key, value in parts.items():
        if isinstance(value, dict):
            _merge(base.setdefault(key, {}), value)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for into, part in zip(base[key], value):
                _merge(into, part)
        elif value is not None:
            base[key] = copy.deepcopy(value)


def responsive(option: dict, cats: list[str]) -> dict:
    """The option laid out at CHART_SIZE's width, with a `media` entry for every narrower band
    whose layout differs from it (and a default that puts the static layout back)."""
    free = "max" not in option["yAxis"][0]
    static = at_width(option, cats, *CHART_SIZE, free)
    _merge(option, static)
    media = []
    bounds = [*BANDS, CHART_SIZE[0]]
    for lo, hi in itertools.pairwise(bounds):
        parts = at_width(option, cats, lo, BROWSER_HEIGHT, free)
        if parts != static:
            query = {"maxWidth": hi - 1} if lo == BANDS[0] else {"minWidth": lo, "maxWidth": hi - 1}
            media.append({"query": query, "option": parts})
    lower = at_width(option, cats, CHART_SIZE[0], BROWSER_HEIGHT, free)
    if lower != static:  # a wide browser chart that is less tall than the static one
        media.append({"query": {"minWidth": CHART_SIZE[0], "maxHeight": CHART_SIZE[1] - 1},
                      "option": lower})
    if media:
        option["media"] = [{"option": static}, *media]
    return option
