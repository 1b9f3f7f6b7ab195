"""Issue 15's acceptance 1 and 3 in headless Chromium against `digecon serve`: a reporter signs
in, downloads its template, uploads it with two errors and sees each beside its cell, fixes and
submits; its city sees the values in review on its page, the public and a second city do not
(page, API, downloads) until a reviewer approves them; the audit log then holds one entry per
action, each with its account and address, in order, and its chain verifies."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from collect.conftest import TASKS
from conftest import REPO
from openpyxl import load_workbook

from digecon.accounts import create_account, entries
from digecon.store import Store

from .conftest import start_server

pytestmark = pytest.mark.slow
SHOTS = Path(os.environ.get("DIGECON_COLLECT_SHOTS", "/tmp/shots"))
PASSWORDS = {"it_all": "填报-pw-2023!", "rev": "审核-pw-2023!", "nc": "南昌-pw-2023!",
             "jj": "九江-pw-2023!"}
NC, JJ = "360100", "360400"


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
    create_account(store, "jj", "city", password=PASSWORDS["jj"], display_name="九江市用户",
                   regions=["九江市"])
    before = len(entries(store))
    proc, base = start_server(db, dict(os.environ, DIGECON_COLLECT_TASKS=str(TASKS)))
    srv = Server(base, db, proc, before)
    yield srv
    srv.stop()


class Server:
    def __init__(self, base: str, db: Path, proc: subprocess.Popen, before: int):
        self.base, self.db, self.proc, self.before = base, db, proc, before

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


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


def _values(response, region: str) -> list[float]:
    """The values of `region` in an observations or facts answer (its items)."""
    assert response.status == 200, response.text()
    return sorted(r["value"] for r in response.json()["items"] if r["region_code"] == region)


def _download(request, base: str, region: str, kind: str):
    r = request.get(f"{base}/city/{region}/download?format={kind}")
    assert r.status == 200, r.text()
    if kind == "csv":
        return r.body().decode("utf-8-sig")
    return load_workbook(io.BytesIO(r.body()))


def _cells(book) -> list:
    return [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]


def _no_unpublished(request, base: str, region: str, text: str) -> None:
    """Nothing of `region`'s values in review (123.4 and 56 for 南昌) reaches this identity:
    not the city page, the observations or facts API, nor either download."""
    page_text = text
    assert "报送中（未发布）" not in page_text and "123.4" not in page_text
    for path in ("/api/v1/observations", "/api/v1/facts"):
        assert _values(request.get(f"{base}{path}?region={region}"), region) == [], path
    csv_text = _download(request, base, region, "csv")
    assert "123.4" not in csv_text and "56" not in csv_text.split("\\n", 1)[-1]
    book = _download(request, base, region, "xlsx")
    assert "报送中（未发布）" not in book.sheetnames
    cells = _cells(book)
    assert 123.4 not in cells and 56 not in cells and "123.4" not in map(str, cells)


def test_reporter_uploads_fixes_submits_and_the_reviewer_publishes(browser, server, tmp_path):
    base = server.base
    context = _context(browser, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, base, "it_all")
    row = page.locator("tr", has_text="测试信息通信业数据")
    with page.expect_download() as dl:
        row.get_by_role("link", name="下载模板").click()
    template = tmp_path / "填报.xlsx"
    dl.value.save_as(template)
    book = load_workbook(template)
    ws = book["数据"]
    assert [ws[f"A{r}"].value for r in range(2, 6)] == ["南昌市", "九江市", "南昌市", "九江市"]
    assert ws["B2"].value == ws["B3"].value != ws["B4"].value == ws["B5"].value
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
    assert "发现「二百」，应为数值" in bad.nth(0).inner_text()
    assert bad.nth(1).get_attribute("data-row") == "5"
    assert bad.nth(1).get_attribute("data-col") == "region"
    assert "「九将市」" in bad.nth(1).inner_text()
    alert = page.locator("[role=alert]").inner_text()
    assert "2 个问题" in alert and "第 3 行 value：发现「二百」" in alert  # listed above too
    _shoot(page, "acc15_upload_errors")
    # on a phone the grid scrolls inside its box: each listed problem jumps to its cell
    page.set_viewport_size({"width": 390, "height": 900})
    for i in range(2):
        page.locator("ol.problems a").nth(i).click()
        box = bad.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, box
        assert 0 <= box["y"] < 900, box
    page.screenshot(path=str(SHOTS / "acc15_upload_errors_390_jump.png"))
    page.set_viewport_size({"width": 1366, "height": 900})
    assert _public(base) == []

    ws["D3"], ws["A5"] = 78.9, "九江市"
    book.save(template)
    page.locator("input[type=file]").last.set_input_files(str(template))
    page.get_by_role("button", name="校验并提交").last.click()
    page.wait_for_load_state()
    status = page.locator("[role=status]").inner_text()
    assert "已提交报送 #" in status and "4 个数值" in status and "待审核" in status
    _shoot(page, "acc15_submitted")
    assert _public(base) == []  # submitted is not published
    page.goto(base + "/collect")
    assert page.locator("tr[id^=sub-] >> text=待审核").count() == 1
    _shoot(page, "acc15_home_reporter")
    context.close()

    # 南昌's city user sees its values in review on its page and in its download
    context = _context(browser)
    page = context.new_page()
    _sign_in(page, base, "nc")
    page.goto(f"{base}/city/{NC}")
    review = page.locator("section[aria-labelledby=h-review]")
    assert review.count() == 1
    shown = review.locator("tbody tr").all_inner_texts()
    assert len(shown) == 2 and all("待审核" in t and "测试工信厅" in t for t in shown)
    shown = review.locator("tbody td[data-label=数值]").all_inner_texts()
    assert sorted(float(v) for v in shown) == [56, 123.4]
    _shoot(page, "acc15_city_in_review")
    r = page.request.get(f"{base}/api/v1/collect/in-review/{NC}")
    assert r.status == 200 and sorted(v["value"] for v in r.json()) == [56, 123.4]
    # what holds unpublished values is never kept by a shared cache
    assert r.headers["cache-control"] == "private, no-store"
    r = page.request.get(f"{base}/city/{NC}")
    assert "123.4" in r.text() and r.headers["cache-control"] == "private, no-store"
    book = _download(page.request, base, NC, "xlsx")
    assert "报送中（未发布）" in book.sheetnames
    assert 123.4 in _cells(book) and 56 in _cells(book)
    context.close()

    # the public: the page, the API and the downloads hold none of it
    context = _context(browser)
    page = context.new_page()
    page.goto(f"{base}/city/{NC}")
    _no_unpublished(page.request, base, NC, page.locator("main").inner_text())
    _shoot(page, "acc15_city_public_before")
    assert page.request.get(f"{base}/api/v1/collect/in-review/{NC}").status == 401
    context.close()

    # a second city (九江) sees its own values in review, never 南昌's
    context = _context(browser)
    page = context.new_page()
    _sign_in(page, base, "jj")
    r = page.request.get(f"{base}/api/v1/collect/in-review/{JJ}")
    assert r.status == 200 and sorted(v["value"] for v in r.json()) == [40, 78.9]
    page.goto(f"{base}/city/{NC}")
    _no_unpublished(page.request, base, NC, page.locator("main").inner_text())
    _shoot(page, "acc15_city_other_city")
    r = page.request.get(f"{base}/api/v1/collect/in-review/{NC}")
    assert r.status == 403 and "123.4" not in r.text()
    r = page.request.get(f"{base}/api/v1/collect/submissions")
    assert r.status == 200 and r.json() == []
    r = page.request.get(f"{base}/api/v1/collect/submissions/1")
    assert r.status == 403 and "123.4" not in r.text()
    r = page.request.get(f"{base}/collect/review/1")
    assert r.status == 403 and "123.4" not in r.text()
    page.goto(f"{base}/collect")
    assert "123.4" not in page.locator("main").inner_text()
    context.close()

    context = _context(browser)
    page = context.new_page()
    _sign_in(page, base, "rev")
    page.get_by_role("link", name="审核").first.click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 4
    _shoot(page, "acc15_review")
    page.check("input[name=decision][value=approve]")
    page.get_by_role("button", name="提交审核结果").click()
    page.wait_for_url(base + "/collect?done=approved")
    assert _public(base) == [78.9, 123.4]
    page.goto(base + "/collect/status")
    summary = page.locator("#summary tbody tr", has_text="测试信息通信业数据").inner_text()
    assert "测试工信厅" in summary
    _shoot(page, "acc15_status")
    context.close()

    # after approval the public sees them: page, API, downloads
    context = _context(browser)
    page = context.new_page()
    page.goto(f"{base}/city/{NC}")
    main = page.locator("main").inner_text()
    assert "123.4" in main and "报送中（未发布）" not in main
    _shoot(page, "acc15_city_public_after")
    for path in ("/api/v1/observations", "/api/v1/facts"):
        assert _values(page.request.get(f"{base}{path}?region={NC}"), NC) == [56, 123.4], path
    assert "123.4" in _download(page.request, base, NC, "csv")
    assert 123.4 in _cells(_download(page.request, base, NC, "xlsx"))
    context.close()

    # the city objects to a published value; the reviewer sees it on the same page
    context = _context(browser)
    page = context.new_page()
    _sign_in(page, base, "nc")
    page.select_option("select[name=indicator]", "it_services_revenue")
    page.fill("input[name=period]", "2022")
    page.fill("textarea[name=reason]", "未含南昌软件园，约为 130 亿元")
    page.get_by_role("button", name="提出异议").click()
    page.wait_for_url(base + "/collect?done=object")
    objection = page.locator("tr[id^=obj-]").inner_text()
    # the published value as every surface prints it (the catalog's two decimals)
    assert "123.40 亿元" in objection and "处理中" in objection
    _shoot(page, "acc15_home_city")
    context.close()
    assert errors == []

    # no interface edits the log: every audit route only reads
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert httpx.request(method, base + "/api/v1/audit", timeout=10).status_code == 405
    server.stop()

    # acceptance 3: one entry per action above, in order, with its account and address
    log = entries(server.db)[server.before:]
    assert [(e["account"], e["action"]) for e in log] == [
        ("it_all", "login"), ("it_all", "submit"),
        ("nc", "login"),
        (None, "refused_401"),  # the public asked for 南昌's values in review
        ("jj", "login"), ("jj", "refused_403"), ("jj", "refused_403"), ("jj", "refused_403"),
        ("rev", "login"), ("rev", "approve"),
        ("nc", "login"), ("nc", "object")]
    assert {e["address"] for e in log} == {"127.0.0.1"}
    assert [e["seq"] for e in log] == sorted(e["seq"] for e in log)
    assert [e["at"] for e in log] == sorted(e["at"] for e in log)
    submit, approve = log[1], log[9]
    assert submit["detail"]["rows"] == 4 and len(submit["checksum"]) == 64
    assert approve["detail"]["submission"] == submit["detail"]["submission"]
    assert [e["detail"]["path"] for e in log[3:8] if e["action"].startswith("refused")] == [
        f"/api/v1/collect/in-review/{NC}", f"/api/v1/collect/in-review/{NC}", "/api/v1/collect/submissions/1",
        "/collect/review/1"]
    done = subprocess.run([sys.executable, "-m", "digecon.cli", "audit", "verify", "--db",
                           str(server.db)], cwd=REPO, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
