"""The data catalogue's filter: `?q=` on the server (works without a script) and catalogue.js in
Chromium as one types, both keeping the same rows; definitions open by keyboard; the explorer's
index select shows its whole value at 1366 px."""
from __future__ import annotations

import html
import re

import pytest

from digecon.api.pages import catalogue_match


def _rows(page: str) -> tuple[list[str], list[str]]:
    """(shown, hidden) indicator codes of the catalogue table."""
    shown, hidden = [], []
    for attrs in re.findall(r'<tr id="ind-([^"]+)"([^>]*)>', page):
        (hidden if "hidden" in attrs[1] else shown).append(attrs[0])
    return shown, hidden


def test_server_filter_keeps_rows_holding_every_word(client):
    everything = client.get("/api/v1/indicators", params={"limit": 1000}).json()
    total = len(everything["items"]) if "items" in everything else len(everything)
    page = client.get("/catalogue", params={"q": "5G  基站"}).text
    shown, hidden = _rows(page)
    assert len(shown) + len(hidden) == total > 400  # every row is sent; the others hidden
    assert 3 <= len(shown) < 20
    text = html.unescape(page)
    assert f"「5G 基站」：显示 {len(shown)} / {total} 个指标" in text
    assert 'value="5G 基站"' in text and 'href="/catalogue">全部</a>' in text
    for code in shown:  # each kept row says both words somewhere in its row
        row = text[text.index(f'id="ind-{code}"'):]
        row = row[:row.index("</tr>")].lower()
        assert "5g" in row and "基站" in row, code
    assert not re.search(r'id="q-none"(?! hidden)', page)


def test_match_rule_is_every_word_case_insensitive():
    row = {"code": "bs5g_per_10k", "name_zh": "每万人拥有5G基站数", "name_en": "5G base stations",
           "unit": "个", "definition": "", "formula": "", "aliases": ["五G"], "sources": ["甲"] * 4}
    assert catalogue_match(row, "")
    assert catalogue_match(row, "5g 基站") and catalogue_match(row, "BASE 五g")
    assert not catalogue_match(row, "5g 光纤")
    row["sources"] = ["甲", "乙", "丙", "丁"]
    assert catalogue_match(row, "丙") and not catalogue_match(row, "丁")  # the listed three only


def test_nothing_matches_says_so(client):
    page = client.get("/catalogue", params={"q": "没有这样的指标zzz"}).text
    shown, hidden = _rows(page)
    assert shown == [] and len(hidden) > 400
    assert re.search(r'<p class="empty" id="q-none">没有符合「<span data-q-echo>没有这样的指标zzz'
                     r'</span>」的指标。</p>', page)


@pytest.mark.slow
def test_script_filters_as_one_types_and_keeps_the_address(browser, live_server, client):
    from playwright.sync_api import expect

    expected, _ = _rows(client.get("/catalogue", params={"q": "5g 基站"}).text)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True)
    page = ctx.new_page()
    page.goto(live_server + "/catalogue", wait_until="networkidle")
    full = page.evaluate("document.documentElement.scrollHeight")
    box = page.locator("input[name=q]")
    box.fill("5g 基站")
    expect(page.locator("#q-count")).to_contain_text("「5g 基站」：显示")
    visible = page.evaluate("""() => Array.from(document.querySelectorAll('#catalogue-rows tbody tr'))
        .filter(tr => tr.offsetParent !== null).map(tr => tr.id.slice(4))""")
    assert visible == expected
    assert page.url.endswith("/catalogue?q=5g%20%E5%9F%BA%E7%AB%99")
    filtered = page.evaluate("document.documentElement.scrollHeight")
    # a phone's screenful or few, not the whole catalogue (whose height follows the store's
    # indicators and the length of their notes, so it is compared, not fixed)
    assert filtered < 5000 and filtered * 5 < full, (filtered, full)
    box.press("Escape")
    expect(page.locator("#q-count")).to_have_text(re.compile("^显示全部"))
    assert page.evaluate("document.querySelectorAll('#catalogue-rows tbody tr[hidden]').length") == 0
    # a definition opens from the keyboard and shows its formula and sources
    summary = page.locator("#ind-de_va details.def summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#ind-de_va details.def").evaluate("d => d.open")
    assert "来源：" in page.locator("#ind-de_va details.def").inner_text()
    ctx.close()


@pytest.mark.slow
def test_explorer_index_select_shows_its_value_at_1366(browser, live_server):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    page.goto(live_server + "/explorer", wait_until="networkidle")
    sel = page.locator("select[name=index]")
    text_w = sel.evaluate("""s => { const c = document.createElement('canvas').getContext('2d');
        c.font = getComputedStyle(s).font; return c.measureText(s.value).width; }""")
    assert sel.bounding_box()["width"] >= text_w + 30  # its text plus the arrow
    ctx.close()
