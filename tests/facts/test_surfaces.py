"""One source of truth: every cell of the demo store shows the same value, rounded text and
status on every surface — the API, the dashboard pages, the figure options, the Excel annex
and the narrative's facts — at the report's `as_of`."""
from __future__ import annotations

import html
import re
from collections import Counter

import openpyxl
import pytest
from conftest import BUNDLED_SPEC
from fastapi.testclient import TestClient

from digecon.facts import Facts, fact_text
from digecon.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spec():
    from digecon.publish.spec import load_spec

    return load_spec(BUNDLED_SPEC)


@pytest.fixture(scope="module")
def as_of(spec) -> str:
    return str(spec.meta["as_of"])


@pytest.fixture(scope="module")
def store(demo_db):
    return Store(demo_db)


@pytest.fixture(scope="module")
def truth(store, as_of) -> dict[tuple[str, str, str], object]:
    cells = {(f.indicator, f.region, f.period): f for f in Facts(store, as_of).all()}
    assert len(cells) > 500  # the whole demo store, not a sample
    return cells


@pytest.fixture(scope="module")
def client(demo_db):
    from digecon.api.app import create_app
    from digecon.api.config import Settings

    return TestClient(create_app(Settings(db=demo_db, spec=BUNDLED_SPEC)))


def test_api_facts_agree_with_every_cell(client, truth, as_of):
    items = client.get("/api/v1/facts", params={"as_of": as_of, "limit": 5000}).json()["items"]
    got = {(r["indicator"], r["region_code"], r["period"]): r for r in items}
    assert got.keys() == truth.keys()
    bad = [k for k, f in truth.items()
           if (got[k]["value"], got[k]["text"], got[k]["status"], got[k]["status_zh"])
           != (f.value, f.text, f.status, f.status_zh)]
    assert bad == []


def test_api_observations_list_one_current_value_per_cell(client, truth, as_of):
    """/api/v1/observations lists each cell's one current value, the very fact /facts gives
    (same row), beside the bounds stated about it; history=true adds every other row as not
    current, and still exactly one current value per cell."""
    items = client.get("/api/v1/observations", params={"as_of": as_of, "limit": 5000}
                       ).json()["items"]
    exact = [r for r in items if r["qualifier"] == "eq"]
    keys = [(r["indicator"], r["region_code"], r["period"]) for r in exact]
    assert len(keys) == len(set(keys)) and set(keys) == truth.keys()
    got = dict(zip(keys, exact))
    bad = [k for k, f in truth.items()
           if (got[k]["obs_id"], got[k]["value"], got[k]["text"], got[k]["status"])
           != (f.obs_id, f.value, f.text, f.status)]
    assert bad == [] and all(r["current"] for r in items)
    every = client.get("/api/v1/observations", params={"as_of": as_of, "limit": 5000,
                                                       "history": "true"}).json()
    assert every["total"] > len(items)  # the demo store has revisions and restatements
    current = Counter((r["indicator"], r["region_code"], r["period"]) for r in every["items"]
                      if r["current"] and r["qualifier"] == "eq")
    assert current.keys() == truth.keys() and set(current.values()) == {1}


def _city_rows(page: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(indicator name, period) → (text, status label) from a city page's table of published
    values: its rows are 指标（时期） | 数值 | 单位 | 状态 | 公开表述 | 来源."""
    out = {}
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.DOTALL):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.DOTALL)]
        head = re.fullmatch(r"(.+)（([^（）]+)）", cells[0]) if cells else None
        if len(cells) == 6 and head:
            out[(head.group(1), head.group(2))] = (cells[1], cells[3])
    return out


def _city_statements(page: str) -> dict[tuple[str, str], str]:
    """(indicator name, period) → the published statement as stated, from the page's table of
    statements: 指标（时期） | 表述 | 原文 | 出处."""
    out = {}
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.DOTALL):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.DOTALL)]
        head = re.fullmatch(r"(.+)（([^（）]+)）", cells[0]) if cells else None
        if len(cells) == 4 and head:
            out.setdefault((head.group(1), head.group(2)), cells[1])
    return out


def test_city_pages_agree_with_every_city_cell(client, truth, store, as_of, spec):
    cities = [r for r in store.catalog.regions(level="city", parent=spec.meta["region"])]
    assert cities
    checked = 0
    for city in cities:
        page = client.get(f"/city/{city.code}", params={"as_of": as_of}).text
        rows, stated = _city_rows(page), _city_statements(page)
        for (ind, reg, per), f in truth.items():
            if reg != city.code:
                continue
            if f.status == "published":  # shown as stated (超2500亿元), with its source
                assert f.text in stated.get((f.name, per), ""), (city.name, f.name, per)
                checked += 1
                continue
            assert rows.get((f.name, per)) is not None, (city.name, f.name, per)
            text, label = rows[(f.name, per)]
            assert text == f.text and f.status_zh in label, (city.name, f.name, per, text, label)
            checked += 1
    assert checked >= 50


def test_overview_cards_agree(client, truth, as_of, spec):
    page = client.get("/", params={"as_of": as_of}).text
    cards = re.findall(r'<div class="card[^"]*">\s*<div[^>]*>(.*?)</div>\s*'
                       r'<div class="v">(.*?)<small>', page, re.DOTALL)
    assert cards
    region, year = spec.meta["region"], str(spec.meta["year"])
    by_name = {f.name: f for (i, r, p), f in truth.items() if r == region and p == year}
    for name, value in cards:
        name = html.unescape(re.sub(r"<[^>]+>", "", name)).strip()
        assert by_name[name].text == value.strip(), name


def test_figures_and_annex_agree(store, truth, as_of, spec, tmp_path):
    from digecon.figures import build_option, figure_data
    from digecon.publish.build import build_report

    built = build_report(BUNDLED_SPEC, store, tmp_path / "out", formats=["xlsx"], as_of=as_of)
    book = openpyxl.load_workbook(next((tmp_path / "out").rglob("*.xlsx")), read_only=True)
    annex = {}
    for ws in book.worksheets[1:]:
        rows = list(ws.iter_rows(values_only=True))
        head = next((i for i, r in enumerate(rows) if r and r[0] == "地区代码"), None)
        if head is None:
            continue
        cols = list(rows[head])
        for r in rows[head + 1:]:
            rec = dict(zip(cols, r))
            annex[(rec["指标代码"], str(rec["地区代码"]), str(rec["时期"]))] = rec
    assert built is not None and annex
    checked = 0
    shown = {f.fdef.id for f in built.report.figures}
    # an optional figure the store has no values for is left out of every surface
    assert {fid for fid, f in spec.figures.items() if not f.optional} <= shown
    for fid in sorted(shown):
        frame = figure_data(fid, store, spec, as_of=as_of)
        option = build_option(fid, store, spec, as_of=as_of)
        for rec in frame.to_dict("records"):
            f = truth[(rec["indicator"], rec["region_code"], rec["period"])]
            assert (rec["value"], rec["text"], rec["status"]) == (f.value, f.text, f.status)
            a = annex[(f.indicator, f.region, f.period)]
            # Excel keeps 15 significant digits; the rounded text must be the fact's
            assert a["数值"] == pytest.approx(f.value, rel=1e-13) and a["状态"] == f.status
            assert fact_text(a["数值"], f.decimals, f.kind) == f.text  # the facts layer's rule
            checked += 1
        # every label the chart draws is a fact's rounded number
        drawn, labels = Counter(), Counter()
        for s in option.get("series", []):
            for item in s.get("data", []):
                v = item.get("value") if isinstance(item, dict) else item
                if v is not None:
                    drawn[float(v)] += 1
                if isinstance(item, dict) and "label" in item:
                    # a map's label is the region's name ({b}) above its value
                    labels[item["label"]["formatter"].rsplit("\n", 1)[-1]] += 1
            for line in (s.get("markLine") or {}).get("data", []):
                if line["name"].startswith("平均值"):
                    continue  # a mean of the values drawn is not a stored fact
                drawn[float(line["yAxis"])] += 1  # the region's own value (全省平均 1.55)
                labels[line["name"].rsplit(" ", 1)[-1]] += 1
        expected = Counter(float(truth[(r["indicator"], r["region_code"], r["period"])].number)
                           for r in frame.to_dict("records"))
        assert drawn == expected, fid
        if labels:  # the printed label is the fact's text (35.0, not 35)
            assert labels == Counter(truth[(r["indicator"], r["region_code"], r["period"])].text
                                     for r in frame.to_dict("records")), fid
    assert checked >= 100


def test_narrative_reads_the_same_facts(store, truth, as_of):
    from digecon.narrative.generate import _Facts

    reader = _Facts(store, "", as_of)
    for (ind, reg, per), f in truth.items():
        assert reader.get(ind, int(per) if per.isdigit() else per, reg) == (f.value, f.status)
