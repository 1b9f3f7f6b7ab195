"""A unit's page (数据回流): published statements with their bounds as stated, the rank interval
and tier rule in words, data in review only for accounts that may see it, and downloads named
after the unit with Chinese headers and a metadata sheet. Principals are monkeypatched."""
from __future__ import annotations

import csv
import html
import io
import re
import shutil
from types import SimpleNamespace
from urllib.parse import unquote

import duckdb
import openpyxl
import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from digecon.accounts import Principal
from digecon.api import Settings, create_app, pages
from digecon.catalog import get_catalog
from digecon.facts import Facts, format_number
from digecon.store import Store

NANCHANG, JIUJIANG, JIAN = "360100", "360400", "360800"
REVIEW_ROW = {"indicator": "de_va", "name_zh": "数字经济增加值", "period": "2022",
              "value": 3333.3, "unit": "亿元", "department": "省统计局", "submitted_by": "tj01",
              "submitted_at": "2026-12-01T09:00:00", "status": "submitted",
              "status_zh": "待审核", "reason": ""}


@pytest.fixture(scope="module")
def db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("citypage") / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(Settings(db=db, uncertainty_runs=20))) as c:
        yield c


def city_user(region: str) -> Principal:
    return Principal(account=f"city{region}", role="city", display_name=f"市级用户{region}",
                     regions=(region,))


@pytest.fixture
def as_principal(monkeypatch, client):
    """Make every request act as the principal given (None: anonymous); the in-review read
    returns REVIEW_ROW for whichever region it is asked about, and records the regions.

    A signed-in request carries a cookie, as a browser's does (the server replays cached
    pages only to requests without one)."""
    asked: list[str] = []

    def fake_in_review(store, region_code):
        asked.append(region_code)
        return [dict(REVIEW_ROW), {**REVIEW_ROW, "indicator": "online_retail",
                                   "name_zh": "网络零售额", "value": 56.0}]

    monkeypatch.setattr(pages, "in_review", fake_in_review)

    def use(principal):
        monkeypatch.setattr(pages, "current_principal", lambda request: principal)
        client.cookies.clear()
        if principal is not None:
            client.cookies.set("session", "stands-for-a-signed-in-browser")
        return asked

    yield use
    client.cookies.clear()



def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("<section", start)
    return page[start:end if end > 0 else len(page)]


def test_published_statements_keep_their_bounds(client, db, as_principal):
    as_principal(None)
    page = client.get(f"/city/{NANCHANG}").text
    stated = section(page, "h-stated")
    with duckdb.connect(str(db), read_only=True) as con:
        n_statements = con.execute(
            "SELECT count(DISTINCT (indicator, period, qualifier, value, source)) "
            "FROM observations WHERE region_code = ? AND status = 'published'",
            [NANCHANG]).fetchone()[0]
        illustrative = con.execute(
            "SELECT value FROM observations WHERE region_code = ? AND indicator = 'de_va' "
            "AND period = '2021' AND status = 'illustrative'", [NANCHANG]).fetchone()[0]
    assert stated.count("<tr><td") == n_statements > 30
    # the paper's words: a bound, never the illustrative exact value behind it
    assert '<span class="stated">超2500亿元</span>' in stated
    assert "「南昌市数字经济增加值超2500亿元」" in stated
    assert "前言；一(二)" in stated  # one statement, both sections that make it
    assert "近200亿元" in stated and "30余家" in stated  # the quote's own qualifier words
    shown = format_number(illustrative, 1)
    assert shown not in stated
    others = section(page, "h-rows")
    row = next(r for r in others.split("<tr") if f"<b>{shown}</b>" in r)
    assert "st-illustrative" in row and "超2500亿元" in row


def _stated_cells(page: str) -> dict[str, str]:
    """indicator name → the text of its 表述 cell, from the statements table."""
    out = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", section(page, "h-stated"), re.DOTALL):
        cells = [re.sub(r"<[^>]+>", "", c).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.DOTALL)]
        if len(cells) == 4:
            out.setdefault(cells[0].split("（")[0], cells[1])
    return out


def test_statements_word_ranks_and_yes_no_codes_by_the_catalog(client, as_principal):
    """A rank (catalog kind rank) reads as its position, 第40位 / 第1梯队; an indicator coded
    1/0 (kind other, no unit, no decimals) as 是/否 with the code beside it — never 40位 or 1."""
    as_principal(None)
    cat = pages.get_catalog()
    cells = _stated_cells(client.get(f"/city/{NANCHANG}").text)
    assert cells[cat.indicator("nanchang_comprehensive_bonded_zone_rank_after").name_zh] == "第40位"
    assert cells[cat.indicator("gigabit_city_first_batch").name_zh] == "是 （编码值 1）"
    names = {i.name_zh: i for i in cat.indicators()}
    ranks = {n: t for n, t in cells.items() if n in names and names[n].kind == "rank"}
    assert len(ranks) >= 4
    assert all(re.fullmatch(r"第\d+(位|梯队)", t) for t in ranks.values()), ranks


def test_yes_no_and_rank_rules_read_the_catalog_not_codes():
    from digecon.catalog import Indicator

    def ind(kind, unit, decimals):
        return Indicator("x", "某指标", "", unit, kind, decimals, "")

    assert pages.is_yes_no(ind("other", "", 0))
    assert not pages.is_yes_no(ind("other", "", 2))  # a ratio without unit (PUE 1.35)
    assert not pages.is_yes_no(ind("other", "%", 0))
    assert not pages.is_yes_no(ind("count", "", 0))


def test_rank_interval_and_tier_rule_in_words(client, as_principal):
    as_principal(None)
    units = {u["code"]: u for u in client.get("/api/v1/indices/city_de").json()["units"]}
    ri = units[JIUJIANG]["rank_interval"]
    lo, hi = format_number(ri["q5"], 0), format_number(ri["q95"], 0)
    assert lo != hi  # this city's rank does move under the weights' noise
    page = client.get(f"/city/{JIUJIANG}").text
    assert f"有九成的结果落在第 {lo} 名到第 {hi} 名之间（5%–95% 分位）" in page
    assert "随机改变 20 次" in page and "权重扰动" in page
    assert "第一梯队：数字经济增加值超过2500亿元且数字经济增加值占GDP比重超过40%" in page
    assert f"第 {units[JIUJIANG]['rank']} 名" in page
    stable = client.get(f"/city/{NANCHANG}").text
    assert "南昌市九成以上的结果都是第 1 名" in stable


def test_in_review_only_for_accounts_that_may_see_it(client, as_principal):
    asked = as_principal(None)
    anon = client.get(f"/city/{NANCHANG}")
    assert "报送中（未发布）" not in anon.text and "3333.3" not in anon.text
    assert 'href="/login"' in anon.text and "退出" not in anon.text
    assert "no-store" not in anon.headers.get("cache-control", "")

    as_principal(city_user(JIAN))  # another city's user
    other = client.get(f"/city/{NANCHANG}").text
    assert "3333.3" not in other and "报送中（未发布）" not in other
    assert asked == []  # not even read for someone who may not see it

    as_principal(city_user(NANCHANG))
    own = client.get(f"/city/{NANCHANG}")
    review = section(own.text, "h-review")
    assert "3333.3" in review and "待审核" in review and "省统计局" in review
    assert "<b>56</b>" in review and "56.0" not in review  # as submitted, not as a float prints
    assert asked == [NANCHANG]
    assert own.headers["cache-control"] == "private, no-store"
    assert "市级用户360100" in own.text and "退出" in own.text and 'href="/collect"' in own.text
    assert 'href="/login"' not in own.text
    assert "3333.3" not in client.get(f"/city/{JIAN}").text

    as_principal(Principal(account="rv", role="reviewer", display_name="审核员甲"))
    assert "3333.3" in client.get(f"/city/{JIAN}").text


def test_in_review_from_the_collection_store(client, monkeypatch):
    """With the real digecon.collect.in_review: nothing submitted yet, said so."""
    monkeypatch.setattr(pages, "current_principal", lambda request: city_user(NANCHANG))
    page = client.get(f"/city/{NANCHANG}", cookies={"session": "signed-in"}).text
    assert "目前没有报送中的数据" in section(page, "h-review")


def _filename(disposition: str) -> tuple[str, str]:
    fallback = re.search(r'filename="([^"]+)"', disposition).group(1)
    star = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    return fallback, unquote(star)


def test_xlsx_download_named_after_the_city(client, as_principal):
    as_principal(None)
    r = client.get(f"/city/{NANCHANG}/download", params={"format": "xlsx"})
    assert r.status_code == 200
    fallback, name = _filename(r.headers["content-disposition"])
    assert name == "南昌市数据回流_2022-07-01.xlsx"
    assert fallback == f"{NANCHANG}_data_2022-07-01.xlsx" and fallback.isascii()
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["数据", "说明"]
    rows = list(book["数据"].values)
    head, body = rows[0], rows[1:]
    assert head[:10] == ("地区代码", "地区", "指标代码", "指标", "时期", "表述", "限定", "数值",
                         "单位", "状态")
    col = {h: i for i, h in enumerate(head)}
    de_va = [b for b in body if b[col["指标代码"]] == "de_va" and b[col["时期"]] == "2021"]
    bound = next(b for b in de_va if b[col["限定"]] == "超过")
    assert (bound[col["表述"]], bound[col["数值"]], bound[col["状态"]]) == \
        ("超2500亿元", 2500, "公开发布值")
    assert bound[col["出处"]] == "前言；一(二)"
    exact = next(b for b in de_va if b[col["限定"]] == "等于")
    assert exact[col["状态"]] == "示意值"
    meta = dict(list(book["说明"].values)[1:])
    assert meta["版本日期"].endswith("2022-07-01") and meta["数据截至"] == "最新版本"
    counts = [int(v.split(" 行")[0]) for k, v in book["说明"].values if str(k).startswith("状态：")]
    assert sum(counts) == len(body)
    assert "报送中" not in meta


def test_xlsx_download_holds_review_only_for_who_may_see_it(client, as_principal):
    as_principal(city_user(JIAN))
    r = client.get(f"/city/{NANCHANG}/download", params={"format": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(r.content)).sheetnames == ["数据", "说明"]
    as_principal(city_user(NANCHANG))
    r = client.get(f"/city/{NANCHANG}/download", params={"format": "xlsx"})
    assert r.headers["cache-control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["数据", "说明", "报送中（未发布）"]
    review = list(book["报送中（未发布）"].values)
    assert review[0][:4] == ("指标代码", "指标", "时期", "数值") and review[1][3] == 3333.3


def test_csv_download_has_chinese_headers_and_never_review(client, as_principal):
    as_principal(city_user(NANCHANG))
    r = client.get(f"/city/{NANCHANG}/download", params={"format": "csv"})
    assert r.content.startswith("\ufeff".encode())
    _, name = _filename(r.headers["content-disposition"])
    assert name == "南昌市数据回流_2022-07-01.csv"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["地区代码", "地区", "指标代码", "指标", "时期"]
    assert all(row[0] == NANCHANG for row in rows[1:])
    assert "3333.3" not in r.text
    xlsx = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/city/{NANCHANG}/download", params={"format": "xlsx"}).content))
    assert len(rows) == len(list(xlsx["数据"].values))  # the same table in both


def test_download_refuses_bad_input(client, as_principal):
    as_principal(None)
    bad = client.get(f"/city/{NANCHANG}/download", params={"format": "pdf"})
    assert bad.status_code == 422 and "csv 或 xlsx" in bad.json()["detail"]
    assert client.get("/city/360000/download").status_code == 404
    assert client.get(f"/city/{NANCHANG}/download", params={"as_of": "x"}).status_code == 422
    early = client.get(f"/city/{NANCHANG}/download", params={"format": "csv", "as_of": "2000-01-01"})
    assert early.status_code == 200
    assert len(early.content.decode("utf-8-sig").strip().splitlines()) == 1  # headers only


def test_menu_is_a_disclosure_in_the_units_word(client, as_principal):
    as_principal(None)
    page = client.get("/").text
    word = client.app.state.scope.unit_word
    menu = page[page.index("<details class=\"menu"):page.index("</details>")]
    assert re.search(rf"<summary>{word}<", menu)
    assert len(re.findall(r'href="/city/\d{6}"', menu)) == len(pages.city_list("360000")) == 11
    assert '<a class="skip" href="#main">' in page and '<main id="main"' in page
    city = client.get(f"/city/{NANCHANG}").text
    assert f'<a href="/city/{NANCHANG}" aria-current="page">' in city


def test_another_provinces_units_in_their_own_word(demo_db, tmp_path):
    """A spec for 湖南省: the menu and the unit pages say 市州 (from the catalog's kinds); a
    unit the store knows nothing about still has its page and an empty, named download."""
    from tests.api.test_scope import spec_copy

    spec = spec_copy(tmp_path, region="430000")
    app = create_app(Settings(db=demo_db, spec=spec, uncertainty_runs=5))
    with TestClient(app) as c:
        home = c.get("/").text
        page = c.get("/city/430100").text
        dl = c.get("/city/430100/download", params={"format": "xlsx"})
        assert c.get(f"/city/{NANCHANG}").status_code == 404
    menu = home[home.index('<details class="menu'):home.index("</details>")]
    assert "<summary>市州<" in menu and len(re.findall(r'href="/city/43\d{4}"', menu)) == 14
    assert "<h1>长沙市<small>数据回流 · 湖南省市州</small></h1>" in page
    assert "数据库中没有关于长沙市的公开发布值" in page and "综合指数暂不可用" in page
    assert _filename(dl.headers["content-disposition"]) == ("430100_data.xlsx", "长沙市数据回流.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(dl.content))
    assert len(list(book["数据"].values)) == 1  # the Chinese headers, no rows


def test_a_computed_value_says_its_arithmetic_in_chinese_and_a_fixed_rank_reads_once(
        client, as_principal, db):
    """The page names where a computed value comes from in words a city official reads: its
    status and the catalog's names, each input at its own text and the result as the table
    prints it — no software name, no indicator code; a rank both ends of whose interval agree
    reads as one place (第 1 名), not 1–1."""
    as_principal(None)
    page = client.get(f"/city/{NANCHANG}").text
    facts = Facts(Store(db))
    fact = facts.get("di_share_de", NANCHANG, "2021")
    di, de = (facts.get(code, NANCHANG, "2021").text for code in ("di_va", "de_va"))
    shown = f"数字产业化增加值 ÷ 数字经济增加值 × 100 = {di} ÷ {de} × 100 ≈ {fact.text}"
    assert html.unescape(page).count(shown) == 1, shown
    assert "派生计算" not in page and "di_va / de_va" not in page
    assert "排名区间 第 1 名" in page and "第 1–1 名" not in page


def test_a_municipality_lists_and_serves_its_districts():
    """A 直辖市 has no prefecture level: its units are its 区县 (Catalog.subunits), in the menu
    and as pages; a unit of another province is still no page of it."""
    cat = get_catalog()
    units = pages.city_list("500000")
    assert [u["code"] for u in units] == [r.code for r in cat.subunits("500000")]
    assert {"code": "500101", "name": "万州区"} in units and len(units) > 30
    state = SimpleNamespace(scope=SimpleNamespace(region=cat.region("500000"), unit_word="区县"))
    assert pages._unit_region(state, "500101").name == "万州区"
    with pytest.raises(HTTPException) as info:
        pages._unit_region(state, "510100")
    assert info.value.status_code == 404
    assert [u["code"] for u in pages.city_list("360000")][:1] == [NANCHANG]
