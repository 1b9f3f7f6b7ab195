"""The HTML site: offline (no http(s) resource), interactive figures rendered in real chromium."""
from __future__ import annotations

import re

import pytest


def test_no_remote_resources(built):
    site = built.outputs["html"].parent
    html = built.outputs["html"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.IGNORECASE)
    assert not re.search(r"@import", html)
    assert (site / "assets" / "echarts.min.js").stat().st_size > 500_000
    assert (site / "assets" / "maps" / "jiangxi_360000.js").is_file()
    assert len(list((site / "data").glob("*.csv"))) == 21  # 18 figures + 3 tables
    assert html.count('class="chart"') == 18


def test_figure_csv_has_status_and_source(built):
    site = built.outputs["html"].parent
    text = (site / "data" / "fig_de_va.csv").read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["region_code", "region_name", "indicator"]
    assert "status" in header and "source" in header
    assert any(line.startswith("360000,江西省,de_va,数字经济增加值,2021,10378.0")
               for line in text.splitlines())


@pytest.mark.slow
def test_chromium_renders_every_figure_offline(built, browser):
    index = built.outputs["html"]
    external, errors = [], []
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.on("request", lambda r: external.append(r.url)
                if not r.url.startswith(("file://", "data:", "about:")) else None)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(index.as_uri(), wait_until="load")
        rendered = page.eval_on_selector_all(
            ".chart", "els => els.map(e => [e.dataset.rendered, e.querySelectorAll('svg path').length])")
        map_text = page.inner_text("#map_city_de")
    finally:
        context.close()
    assert external == [] and errors == []
    assert len(rendered) == 18
    assert all(flag == "true" and paths > 5 for flag, paths in rendered), rendered
    assert "附图1" in map_text
