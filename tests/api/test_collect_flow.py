"""A collection round in headless Chromium against `digecon serve`: a reporter signs in,
downloads its template, uploads it with two errors and sees each beside its cell, fixes and
submits; the public does not see the values until a reviewer approves them."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from collect.conftest import TASKS
from conftest import REPO
from openpyxl import load_workbook

from digecon.accounts import create_account
from digecon.store import Store

from .conftest import free_port

pytestmark = pytest.mark.slow
SHOTS = Path(os.environ.get("DIGECON_COLLECT_SHOTS", "/tmp/shots"))
PASSWORDS = {"it_all": "填报-pw-2023!", "rev": "审核-pw-2023!", "nc": "南昌-pw-2023!"}


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "flow.duckdb"
    store = Store(db)
    store.init()
    create_account(store, "it_all", "reporter", password=PASSWORDS["it_all"],
                   display_name="工信厅填报员", department="测试工信厅", regions=["南昌市", "九江市"])
    create_account(store, "rev", "reviewer", password=PASSWORDS["rev"], display_name="审核员")
    create_account(store, "nc", "city", password=PASSWORDS["nc"], display_name="南昌市用户",
                   regions=["南昌市"])
    port = free_port()
    env = dict(os.environ, DIGECON_COLLECT_TASKS=str(TASKS))
    proc = subprocess.Popen([sys.executable, "-m", "digecon.cli", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--db", str(db)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/api/v1/regions", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"server did not start: {proc.communicate()[1].decode()[-2000:]}")
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _public(base: str) -> list[float]:
    body = httpx.get(base + "/api/v1/observations",
                     params={"indicator": "it_services_revenue"}, timeout=30).json()
    return sorted(r["value"] for r in body["items"])


def _sign_in(page, base, account, timeout=30_000):
    """Through the login form, as a person would (the browser sends its own Origin)."""
    page.goto(base + "/login?next=/collect")
    page.fill("input[name=account]", account)
    page.fill("input[name=password]", PASSWORDS[account])
    page.locator("form.login button[type=submit], form.login input[type=submit]").first.click()
    page.wait_for_url(base + "/collect", timeout=timeout)


def _context(browser, **kw):
    return browser.new_context(viewport={"width": 1366, "height": 900}, **kw)


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        path = SHOTS / f"{name}_{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5_000
        # nothing but the wide grid itself may scroll sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.set_viewport_size({"width": 1366, "height": 900})


def test_reporter_uploads_fixes_submits_and_the_reviewer_publishes(browser, server, tmp_path):
    context = _context(browser, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, server, "it_all")
    row = page.locator("tr", has_text="测试信息通信业数据")
    with page.expect_download() as dl:
        row.get_by_role("link", name="下载模板").click()
    template = tmp_path / "填报.xlsx"
    dl.value.save_as(template)
    book = load_workbook(template)
    ws = book["数据"]
    assert [ws[f"A{r}"].value for r in range(2, 6)] == ["南昌市", "九江市", "南昌市", "九江市"]
    ws["D2"], ws["D3"], ws["D4"], ws["D5"] = 123.4, "二百", 56, 40
    ws["A5"] = "九将市"
    book.save(template)

    row.locator("input[type=file]").set_input_files(str(template))
    row.get_by_role("button", name="校验并提交").click()
    page.wait_for_load_state()
    bad = page.locator("td.bad")
    assert bad.count() == 2
    assert bad.nth(0).get_attribute("data-row") == "3"
    assert bad.nth(0).get_attribute("data-col") == "value"
    assert "found 「二百」, expected 数值" in bad.nth(0).inner_text()
    assert bad.nth(1).get_attribute("data-row") == "5"
    assert bad.nth(1).get_attribute("data-col") == "region"
    assert "「九将市」" in bad.nth(1).inner_text()
    alert = page.locator("[role=alert]").inner_text()
    assert "2 个问题" in alert and "第 3 行 value：found 「二百」" in alert  # listed above too
    _shoot(page, "collect_upload_errors")
    assert _public(server) == []

    ws["D3"], ws["A5"] = 78.9, "九江市"
    book.save(template)
    page.locator("input[type=file]").last.set_input_files(str(template))
    page.get_by_role("button", name="校验并提交").last.click()
    page.wait_for_load_state()
    status = page.locator("[role=status]").inner_text()
    assert "已提交报送 #" in status and "4 个数值" in status and "待审核" in status
    _shoot(page, "collect_submitted")
    assert _public(server) == []  # submitted is not published
    page.goto(server + "/collect")
    assert page.locator("tr[id^=sub-] >> text=待审核").count() == 1
    _shoot(page, "collect_home_reporter")
    context.close()

    context = _context(browser)
    page = context.new_page()
    _sign_in(page, server, "rev")
    page.get_by_role("link", name="审核").first.click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 4
    _shoot(page, "collect_review")
    page.check("input[name=decision][value=approve]")
    page.get_by_role("button", name="提交审核结果").click()
    page.wait_for_url(server + "/collect?done=approved")
    assert _public(server) == [78.9, 123.4]
    page.goto(server + "/collect/status")
    summary = page.locator("#summary tbody tr", has_text="测试信息通信业数据").inner_text()
    assert "测试工信厅" in summary
    _shoot(page, "collect_status")
    context.close()

    # the city objects to a published value; the reviewer sees it on the same page
    context = _context(browser)
    page = context.new_page()
    _sign_in(page, server, "nc")
    page.select_option("select[name=indicator]", "it_services_revenue")
    page.fill("input[name=period]", "2022")
    page.fill("textarea[name=reason]", "未含南昌软件园，约为 130 亿元")
    page.get_by_role("button", name="提出异议").click()
    page.wait_for_url(server + "/collect?done=object")
    objection = page.locator("tr[id^=obj-]").inner_text()
    assert "123.4 亿元" in objection and "处理中" in objection
    _shoot(page, "collect_home_city")
    context.close()
    assert errors == []
