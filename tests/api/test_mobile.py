"""The dashboard on a 390 px phone and a 1366 px desktop in headless Chromium: no page scrolls
sideways, charts fit their box, the unit menu opens by tap and by keyboard (Escape closes it,
focus stays visible), the skip link goes to the content."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.slow

SHOTS_ENV = "DIGECON_SCREENSHOTS_DIR"  # set it to keep the screenshots (e.g. /tmp/shots)
PAGES = [("overview", "/"), ("city", "/city/360100"), ("city-as-of", "/city/360400?as_of=2022-07-01"),
         ("explorer", "/explorer"), ("catalogue", "/catalogue"), ("docs", "/docs"),
         ("login", "/login"), ("collect", "/collect")]
WIDTHS = {"phone": 390, "desktop": 1366}


def _context(browser, width: int):
    phone = width < 600
    return browser.new_context(viewport={"width": width, "height": 844 if phone else 900},
                               has_touch=phone, is_mobile=phone, device_scale_factor=1)


def _overflow(page) -> dict:
    return page.evaluate("""() => ({
        scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth,
        inner: window.innerWidth,
        wide: Array.from(document.querySelectorAll('body *'))
            .filter(e => !e.closest('svg') && !e.closest('.table-wrap'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)})""")


def _keep(shot: Path) -> None:
    keep = os.environ.get(SHOTS_ENV)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


@pytest.mark.parametrize("device", list(WIDTHS))
@pytest.mark.parametrize("name,path", PAGES)
def test_no_page_scrolls_sideways(browser, live_server, tmp_path, name, path, device):
    width = WIDTHS[device]
    ctx = _context(browser, width)
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    resp = page.goto(live_server + path, wait_until="networkidle")
    if resp.status == 404:
        ctx.close()
        pytest.skip(f"{path} is not served by this build")
    assert resp.status == 200
    hosts = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, requests  # nothing from the internet
    got = _overflow(page)
    assert got["scroll"] <= got["inner"] == width and got["body"] <= width, got
    assert got["wide"] == [], got
    for i in range(page.locator(".chart").count()):
        box = page.locator(".chart").nth(i).bounding_box()
        svg = page.locator(".chart").nth(i).locator("svg").first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
        assert svg["width"] <= box["width"] + 0.5  # redrawn for its box, not clipped
    if page.locator("details.menu summary").count():
        page.locator("details.menu summary").click()
        opened = _overflow(page)
        assert opened["scroll"] <= width and opened["wide"] == [], opened
        page.keyboard.press("Escape")
    shot = tmp_path / f"{name}_{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5_000
    _keep(shot)
    ctx.close()


def _focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
        return {tag: e.tagName, cls: e.className, text: (e.textContent || '').trim().slice(0, 20),
                outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")


def test_menu_and_skip_link_by_keyboard(browser, live_server):
    ctx = _context(browser, WIDTHS["desktop"])
    page = ctx.new_page()
    page.goto(live_server + "/", wait_until="networkidle")
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert skip["cls"] == "skip" and skip["text"] == "跳到正文"
    assert skip["outline"] != "none" and skip["width"] >= 2
    page.keyboard.press("Enter")
    assert page.url.endswith("#main") and _focused(page)["tag"] == "MAIN"

    page.goto(live_server + "/", wait_until="networkidle")
    for _ in range(6):  # skip link, brand, 总览, then the unit menu
        page.keyboard.press("Tab")
        if _focused(page)["tag"] == "SUMMARY":
            break
    focus = _focused(page)
    assert focus["tag"] == "SUMMARY" and focus["outline"] != "none" and focus["width"] >= 2
    menu, summary = page.locator("details.menu"), page.locator("details.menu summary")
    links = page.locator("details.menu .drop a")
    assert summary.get_attribute("aria-expanded") == "false" and not links.first.is_visible()
    page.keyboard.press("Enter")
    assert menu.evaluate("d => d.open") and summary.get_attribute("aria-expanded") == "true"
    assert links.count() == 11 and all(links.nth(i).is_visible() for i in range(links.count()))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.drop') !== null")
    assert _focused(page)["outline"] != "none"
    page.keyboard.press("Escape")
    assert not menu.evaluate("d => d.open") and _focused(page)["tag"] == "SUMMARY"
    assert summary.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Space")
    assert menu.evaluate("d => d.open")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    target = page.evaluate("() => document.activeElement.getAttribute('href')")
    with page.expect_navigation(wait_until="networkidle"):
        page.keyboard.press("Enter")
    assert target.startswith("/city/") and page.url.endswith(target)
    ctx.close()


def test_menu_by_tap_on_a_phone(browser, live_server, tmp_path):
    ctx = _context(browser, WIDTHS["phone"])
    page = ctx.new_page()
    page.goto(live_server + "/city/360100", wait_until="networkidle")
    menu = page.locator("details.menu")
    page.locator("details.menu summary").tap()
    assert menu.evaluate("d => d.open")
    links = page.locator("details.menu .drop a")
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert links.nth(i).is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert box["height"] >= 30  # a finger's target
    shot = tmp_path / "menu_open_390.png"
    page.screenshot(path=str(shot))
    _keep(shot)
    page.locator("h1").tap()  # a tap elsewhere closes it
    assert not menu.evaluate("d => d.open")
    page.locator("details.menu summary").tap()
    href = links.last.get_attribute("href")
    with page.expect_navigation(wait_until="networkidle"):
        links.last.tap()
    assert page.url.endswith(href)
    assert not page.locator("details.menu").evaluate("d => d.open")
    ctx.close()


def test_forms_post_from_this_site(browser, live_server):
    """The pages' referrer policy lets a form say where it comes from: the login form's POST
    reaches the password check (401, wrong password) instead of the cross-site refusal that
    an "Origin: null" gets."""
    ctx = _context(browser, WIDTHS["phone"])
    page = ctx.new_page()
    page.goto(live_server + "/login", wait_until="networkidle")
    page.fill("input[name=account]", "nobody-here")
    page.fill("input[name=password]", "not-the-password")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("form.login button").click()
    assert posted.value.request.headers.get("origin") == live_server
    assert posted.value.status == 401
    page.wait_for_load_state("networkidle")
    assert "账号或密码错误" in page.locator("main").inner_text()
    ctx.close()
