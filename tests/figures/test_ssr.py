"""Static rendering: SVG from ECharts SSR is byte-identical between builds; PNG via resvg."""
from __future__ import annotations

import subprocess
import sys

from digecon.figures import build_option, figure_svg, render_png, render_svg, resolve

SIMPLE = {"xAxis": {"type": "category", "data": ["南昌", "赣州"]}, "yAxis": {},
          "series": [{"type": "bar", "data": [3, 5]}]}


def test_svg_is_deterministic_within_a_process():
    first = render_svg(SIMPLE, 400, 300)
    render_svg({"series": []}, 200, 100)  # another chart in between must not change ids
    assert render_svg(SIMPLE, 400, 300) == first
    assert first.startswith("<svg") and 'width="400"' in first and "南昌" in first


def test_svg_identical_across_processes(store, spec):
    _, geo = resolve("map_city_de", spec)
    here = figure_svg(build_option("map_city_de", store, spec), geo)
    code = (
        "import sys; from digecon.store import Store; from digecon.figures import *;"
        "from digecon.publish.spec import load_spec;"
        f"sp = load_spec({str(spec.path)!r}); f, g = resolve('map_city_de', sp);"
        f"sys.stdout.write(figure_svg(build_option('map_city_de', Store({str(store.path)!r}), sp), g))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout
    assert other == here
    assert here.count("<path") > 11 and "南昌市" in here


def test_png_has_expected_size():
    png = render_png(render_svg(SIMPLE, 400, 300), scale=2.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (800, 600)
