"""The administrator's account pages in headless Chromium, by keyboard only, at 1366 and 390 px:
reached from the header's 账号 link, an account created and a token issued and revoked with
Tab, Space and Enter; nothing scrolls sideways; screenshots kept in $DIGECON_COLLECT_SHOTS."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from digecon.accounts import create_account, entries, issue_token, list_accounts
from digecon.store import Store

from .conftest import start_server

pytestmark = pytest.mark.slow
SHOTS = Path(os.environ.get("DIGECON_COLLECT_SHOTS", "/tmp/shots"))
ADMIN_PW = "省管理员-pw-2023!"


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "admin.duckdb"
    store = Store(db)
    store.init()
    create_account(store, "root", "admin", password=ADMIN_PW, display_name="省级管理员")
    create_account(store, "gxt", "reporter", password=None, display_name="工信厅填报员",
                   department="省工业和信息化厅", regions=["南昌市", "九江市", "赣州市"])
    create_account(store, "nc", "city", password="南昌-pw-2023!", regions=["南昌市"])
    issue_token(store, "gxt", 30, label="报送脚本")
    proc, base = start_server(db, dict(os.environ))
    yield base, db, proc
    if proc.poll() is None:
        proc.terminate()
        proc.wait(10)


def _wide(page, width: int) -> dict:
    return page.evaluate("""(w) => ({scroll: document.documentElement.scrollWidth,
        wide: Array.from(document.querySelectorAll('main *'))
            .filter(e => e.getBoundingClientRect().right > w + 0.5)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)})""", width)


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        got = _wide(page, width)
        assert got["scroll"] <= width and got["wide"] == [], (name, width, got)
        page.screenshot(path=str(SHOTS / f"acc15_{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _tab_to(page, predicate_js: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies `predicate_js` (an expression of `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!({predicate_js}); }})()"):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_the_admin_manages_accounts_by_keyboard_on_a_phone_and_a_desktop(browser, server):
    base, db, proc = server
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/login?next=/collect")
    page.keyboard.type("root")  # the account field has focus
    page.keyboard.press("Tab")
    page.keyboard.type(ADMIN_PW)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/collect")
    assert page.locator("header .who a[href='/accounts']").inner_text() == "账号"
    assert page.locator("main .admin-nav a[href='/audit']").count() == 1
    _tab_to(page, "e.tagName === 'A' && e.getAttribute('href') === '/accounts'")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/accounts")
    text = page.locator("main").inner_text()
    for label in ("账号管理", "角色", "部门 / 地区", "状态", "最近登录", "新建账号"):
        assert label in text
    assert "从未登录" in page.locator("#acct-gxt").inner_text()
    assert "省级管理员" in page.locator("#acct-root").inner_text()
    _shoot(page, "accounts")

    # a new 市级用户 for 吉安市, by keyboard alone
    _tab_to(page, "e.name === 'name'")
    page.keyboard.type("ja_city")
    _tab_to(page, "e.name === 'role'")
    page.keyboard.press("End")  # the last role: 市级用户
    _tab_to(page, "e.name === 'password'")
    page.keyboard.type("吉安-pw-2023!")
    _tab_to(page, "e.name === 'regions' && e.value === '360800'")
    page.keyboard.press("Space")
    _tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('创建账号')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/accounts/ja_city\?done=created"))
    assert "账号已创建" in page.locator("[role=status]").inner_text()
    assert "吉安市（360800）" in page.locator("dl.facts").inner_text()

    # a token, shown once, then revoked
    _tab_to(page, "e.name === 'label'")
    page.keyboard.type("测试脚本")
    page.keyboard.press("Enter")
    page.wait_for_selector("#new-token")
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("dgc_")
    _shoot(page, "account_token")
    _tab_to(page, "e.tagName === 'BUTTON' && (e.getAttribute('aria-label') || '').startsWith('吊销令牌')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*\?done=revoked"))
    assert secret not in page.content() and "已吊销" in page.locator("table").inner_text()
    _shoot(page, "account_detail")
    assert errors == []
    ctx.close()
    proc.terminate()  # the server holds the file: read it once it has stopped
    proc.wait(10)

    assert [a.name for a in list_accounts(db)] == ["gxt", "ja_city", "nc", "root"]
    logged = [(e["action"], e["account"], e["address"]) for e in entries(db)
              if e["action"] in ("account_created", "token_issued", "token_revoked")]
    assert logged == [("account_created", "root", "127.0.0.1"), ("token_issued", "root", "127.0.0.1"),
                      ("token_revoked", "root", "127.0.0.1")]
