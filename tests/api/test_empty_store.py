"""Every dashboard page on a store without the report spec's data answers 200 and says, in plain
Chinese, which data is missing: a freshly initialised store, and one holding only another
province's values."""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from conftest import run_cli
from fastapi.testclient import TestClient

from digecon.api import Settings, create_app
from digecon.catalog import get_catalog
from digecon.ingest import write_frame
from digecon.store import Store

PAGES = ["/", "/city/360100", "/explorer", "/catalogue", "/docs"]


def _text(page: str) -> str:
    main = page[page.index("<main"):page.index("</main>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    result = run_cli("init", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def other_province_db(tmp_path_factory):
    """A store with values for 湖南省 and 长沙市 only (none of the bundled spec's region)."""
    path = tmp_path_factory.mktemp("other") / "other.duckdb"
    Store(path).init()
    frame = pd.DataFrame([
        {"region": code, "indicator": "de_va", "period": "2021", "value": value, "unit": "亿元",
         "status": "published", "source": "测试来源", "quote": f"数字经济增加值{value}亿元"}
        for code, value in (("430000", "15000"), ("430100", "5000"))])
    write_frame(Store(path), frame, vintage="2022-07-01", origin="hunan.csv")
    return path


def _pages(db) -> dict[str, tuple[int, str]]:
    with TestClient(create_app(Settings(db=db, uncertainty_runs=5)),
                    raise_server_exceptions=False) as c:
        return {p: (r.status_code, r.text) for p in PAGES for r in [c.get(p)]}


@pytest.mark.parametrize("which", ["empty_db", "other_province_db"])
def test_every_page_answers_and_says_what_is_missing(which, request):
    pages = _pages(request.getfixturevalue(which))
    assert {p: code for p, (code, _) in pages.items()} == dict.fromkeys(PAGES, 200)
    overview = _text(pages["/"][1])
    assert "暂无数据：数据库中没有江西省 2021 年的数值" in overview
    assert "数字经济增加值（de_va）" in overview  # the headline indicators it lacks, by name
    # a public page says what is missing in a reader's words: no spec path, code or command
    assert re.search(r"综合指数暂不可用：数据库中还没有计算它所需的2021年数字经济增加值\S*等数据。", overview)
    assert "city_de.yaml" not in overview and "framework.de_" not in overview
    city = _text(pages["/city/360100"][1])
    assert "数据库中没有关于南昌市的公开发布值" in city
    assert "综合指数暂不可用：数据库中还没有计算它所需的" in city
    assert "city_de.yaml" not in city and "digecon load-demo" not in city
    assert "数据库中没有南昌市其他指标的数值" in city
    explorer = _text(pages["/explorer"][1])
    assert "指数 city_de 暂不可用：数据库缺少它的输入数据" in explorer
    assert "digecon load-demo" in explorer
    assert 'href="/explorer?index=table1"' in pages["/explorer"][1]  # the other index offered
    assert f"共 {len(get_catalog().indicators())} 个指标" in _text(pages["/catalogue"][1])
    assert "API 文档" in pages["/docs"][1]


def test_catalogue_says_the_store_is_empty(empty_db):
    page = _text(_pages(empty_db)["/catalogue"][1])
    assert "数据库中还没有任何观测值" in page


def test_unknown_index_is_still_404(empty_db):
    with TestClient(create_app(Settings(db=empty_db, uncertainty_runs=5))) as c:
        r = c.get("/explorer", params={"index": "no_such_index"})
    assert r.status_code == 404 and "未知指数" in r.json()["detail"]
