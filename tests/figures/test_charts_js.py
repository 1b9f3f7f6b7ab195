"""charts.js in headless Chromium: a figure drawn in a phone's 390 px box and in a desktop's
box takes the layout of its real width (the option's `media`), so that no two value or category
labels overlap at either width, and turning the phone back to the wide box puts the static
layout back. Measured on the SVG the browser drew."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from digecon.figures.ssr import echarts_js_path
from figures.test_value_labels import _NUM, _option, overlaps, text_boxes

pytestmark = pytest.mark.slow

CHARTS_JS = Path(__file__).resolve().parents[2] / "src/digecon/api/static/charts.js"
SHOTS_ENV = "DIGECON_SCREENSHOTS_DIR"  # set it to keep the screenshots


def _page(tmp: Path, options: dict[str, dict]) -> Path:
    charts = "".join(
        f'<div class="chart" id="{k}" data-option="{k}-o"></div>'
        f'<script type="application/json" id="{k}-o">{json.dumps(o, ensure_ascii=False)}</script>'
        for k, o in options.items())
    page = tmp / "charts.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><style>body{margin:0} .chart{width:100%;"
        f"height:300px}}</style>{charts}<script src='{echarts_js_path().as_uri()}'></script>"
        f"<script src='{CHARTS_JS.as_uri()}'></script>", encoding="utf-8")
    return page


def _drawn(page, key: str) -> str:
    return page.evaluate(f"() => document.getElementById('{key}').innerHTML")


@pytest.mark.parametrize("n", [11, 14, 38])
def test_labels_clear_each_other_at_the_charts_real_width(browser, tmp_path, n):
    options = {"alone": _option(n, False), "paired": _option(n, True)}
    url = _page(tmp_path, options).as_uri()
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_timeout(300)
    wide_values = {}
    for width in (390, 1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        for key, option in options.items():
            svg = _drawn(page, key)
            assert f'width="{width}"' in svg
            assert overlaps(svg, set(option["xAxis"]["data"])) == [], (key, width)
            values = {b[1] for b in text_boxes(svg) if _NUM.fullmatch(b[1]) and "." in b[1]}
            if width == 1366:
                wide_values[key] = values
        if keep := os.environ.get(SHOTS_ENV):
            Path(keep).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(keep) / f"charts_{n}_{width}.png"), full_page=True)
    if n <= 14:  # a wide box writes every value of a short list
        for key, option in options.items():
            texts = {str(d["label"]["formatter"]) for s in option["series"] for d in s["data"]}
            assert texts <= wide_values[key], key
    ctx.close()
