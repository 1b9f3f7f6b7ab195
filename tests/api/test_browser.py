"""Pages in headless Chromium: every chart drawn, no console error, no request leaves 127.0.0.1."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.slow

# Screenshots go to the test's tmp_path; a developer refreshing docs/screenshots sets this to it.
SHOTS_ENV = "DIGECON_SCREENSHOTS_DIR"
PAGES = [("overview", "/", 3), ("nanchang", "/city/360100", 2), ("explorer", "/explorer", 1),
         ("catalogue", "/catalogue", 0), ("docs", "/docs", 0)]


@pytest.mark.parametrize("name,path,n_charts", PAGES)
def test_page_renders_offline(browser, live_server, tmp_path, name, path, n_charts):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    resp = page.goto(live_server + path, wait_until="networkidle")
    assert resp.status == 200
    charts = page.locator(".chart")
    assert charts.count() == n_charts
    for i in range(n_charts):
        el = charts.nth(i)
        assert el.locator("svg, canvas").count() >= 1, f"chart {i} on {path} not drawn"
        box = el.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 200
    # every drawn chart has content (paths/text), not an empty svg
    for i in range(n_charts):
        assert charts.nth(i).locator("svg path").count() > 3
    assert errors == []
    hosts = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, requests
    shot = tmp_path / f"api_{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    keep = os.environ.get(SHOTS_ENV)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    page.close()


def test_overview_marks_illustrative_values(browser, live_server):
    page = browser.new_page()
    page.goto(live_server + "/", wait_until="networkidle")
    assert page.locator(".banner").inner_text().startswith("本页含示意值")
    assert page.locator("figure.fig.marked").count() >= 1
    cards = page.locator(".card .v").all_inner_texts()
    assert any(t.startswith("10378") and not t.startswith("10378.0") for t in cards)
    page.close()


def test_explorer_form_recomputes(browser, live_server):
    import httpx

    def order(units: list[dict]) -> list[str]:
        return [u["name"] for u in sorted(units, key=lambda u: (u["rank"], u["name"]))]

    weights = {"governance": 100, "scale": 0}
    nominal = order(httpx.get(f"{live_server}/api/v1/indices/city_de", timeout=60).json()["units"])
    recomputed = order(httpx.post(f"{live_server}/api/v1/indices/city_de/recompute",
                                  json={"weights": weights}, timeout=60).json()["units"])
    assert recomputed != nominal  # these weights do move the ranking
    page = browser.new_page()
    page.goto(live_server + "/explorer", wait_until="networkidle")
    shown = [r.split("\t")[1] for r in page.locator("table.data tbody tr").all_inner_texts()]
    assert shown[: len(nominal)] == nominal
    page.fill("input[name=w_governance]", "100")
    page.fill("input[name=w_scale]", "0")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "w_governance=100" in page.url
    shown = [r.split("\t")[1] for r in page.locator("table.data tbody tr").all_inner_texts()]
    assert shown[: len(recomputed)] == recomputed  # the page shows what the index computes
    assert page.locator("#chart-ranking svg").count() == 1
    page.close()
