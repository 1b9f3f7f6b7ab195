"""The dashboard's own index charts (the city page's pillar scores, the explorer's ranking) read
like the figures: every bar carries its score's text, rounded half-up as the tables print it, and
its own tooltip (an axis tooltip printed ECharts' raw numbers)."""
from __future__ import annotations

import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient

from digecon.api import Settings, create_app
from digecon.api.pages import score_item
from digecon.facts import format_number


def test_a_score_item_is_its_text():
    item = score_item(54.25, 1, "数字基础设施", "南昌市")
    assert item["label"]["formatter"] == "54.3"  # half-up, as the tables print (round() gives 54.2)
    assert item["value"] == 54.3
    assert item["tooltip"]["formatter"] == "数字基础设施<br/>南昌市：54.3 分"
    assert score_item(54.0, 1, "a", "b")["label"]["formatter"] == "54.0"
    assert score_item(7.0, 2, "<b>", "x", marked=True)["tooltip"]["formatter"] == \
        "&lt;b&gt;<br/>x：7.00 分（示意）"
    assert score_item(None, 1, "a", "b") is None
    assert score_item(float("nan"), 1, "a", "b") is None


@pytest.fixture(scope="module")
def client(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("charts") / "demo.duckdb"
    shutil.copy(demo_db, path)
    with TestClient(create_app(Settings(db=path, uncertainty_runs=20))) as c:
        yield c


def _option(html: str, dom_id: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{dom_id}-option">(.*?)</script>',
                      html, re.DOTALL)
    assert found, dom_id
    return json.loads(found.group(1))


def test_the_pillar_chart_reads_as_the_pages_scores(client):
    r = client.get("/city/360400")
    assert r.status_code == 200
    opt = _option(r.text, "chart-pillars")
    assert opt["tooltip"]["trigger"] == "item"
    heads = opt["xAxis"]["data"]
    mine, mean = opt["series"]
    assert len(mine["data"]) == len(heads) == len(mean["data"]) >= 3
    for series in (mine, mean):
        for head, item in zip(heads, series["data"]):
            text = item["label"]["formatter"]
            assert re.fullmatch(r"\d+\.\d", text) and item["value"] == float(text)
            assert item["tooltip"]["formatter"].startswith(f"{head}<br/>{series['name']}：{text} 分")
    assert mine["name"] == "九江市" and mean["name"].endswith("平均")


def test_the_explorer_ranking_labels_are_the_tables_scores(client):
    r = client.get("/explorer")
    assert r.status_code == 200
    opt = _option(r.text, "chart-ranking")
    assert opt["tooltip"]["trigger"] == "item"
    names = opt["yAxis"]["data"]
    items = opt["series"][0]["data"]
    ranking = r.text.split('<caption id="cap-rank">', 1)[1].split("</table>", 1)[0]
    table = dict(re.findall(r'<tr><td>\d+</td><td>(?:<a href="/city/\d+">)?([^<]+)(?:</a>)?</td>'
                            r'\s*<td class="r">([\d.]+)</td>', ranking))
    assert len(items) == len(names) == 11
    for name, item in zip(names, items):
        text = item["label"]["formatter"]
        assert text == format_number(item["value"], 2) and re.fullmatch(r"\d+\.\d\d", text)
        assert item["tooltip"]["formatter"].startswith(f"{name}<br/>得分：{text} 分")
        assert table[name] == text  # the chart says what the table says
