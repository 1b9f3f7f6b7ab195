"""Reading endpoints against the live server on the demo store: values, filters, paging, formats."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from conftest import run_cli


def test_regions_lists_the_eleven_cities(client):
    r = client.get("/api/v1/regions", params={"level": "city", "parent": "360000"})
    assert r.status_code == 200
    names = [x["name"] for x in r.json()]
    assert len(names) == 11
    assert names[0] == "南昌市" and "赣州市" in names


def test_indicators_carry_definition_unit_source_status(client):
    rows = {x["code"]: x for x in client.get("/api/v1/indicators").json()}
    de = rows["de_va"]
    assert de["name_zh"] == "数字经济增加值"
    assert de["unit"] == "亿元"
    assert de["definition"]
    assert "published" in de["statuses"] and "illustrative" in de["statuses"]
    assert de["sources"]


def test_observations_value_and_provenance(client):
    r = client.get("/api/v1/observations",
                   params={"indicator": "de_va", "region": "江西省", "period": "2021",
                           "status": "published"})
    body = r.json()
    assert r.status_code == 200 and body["total"] >= 1
    row = body["items"][0]
    assert row["value"] == pytest.approx(10378.0)
    assert row["unit"] == "亿元" and row["status"] == "published"
    assert row["source"] and row["vintage"].startswith("20")


def test_observations_match_the_cli_query(client, demo_db):
    cli = run_cli("query", "--indicator", "de_va", "--region", "360100", "--format", "json",
                  "--db", str(demo_db), check=True)
    import json

    cli_rows = json.loads(cli.stdout)
    api_rows = client.get("/api/v1/observations",
                          params={"indicator": "de_va", "region": "南昌"}).json()["items"]
    assert sorted(r["value"] for r in api_rows) == sorted(r["value"] for r in cli_rows)


def test_paging_total_and_offsets(client):
    all_rows = client.get("/api/v1/observations", params={"indicator": "de_va",
                                                          "limit": 1000}).json()
    total = all_rows["total"]
    assert total == len(all_rows["items"]) and total > 20
    p1 = client.get("/api/v1/observations", params={"indicator": "de_va", "limit": 10}).json()
    p2 = client.get("/api/v1/observations",
                    params={"indicator": "de_va", "limit": 10, "offset": 10}).json()
    assert p1["total"] == p2["total"] == total
    assert [r["obs_id"] for r in p1["items"] + p2["items"]] == \
        [r["obs_id"] for r in all_rows["items"][:20]]
    r = client.get("/api/v1/observations", params={"limit": 0})
    assert r.status_code == 422


def test_as_of_before_any_vintage_is_empty(client):
    r = client.get("/api/v1/observations", params={"indicator": "de_va", "as_of": "2000-01-01"})
    assert r.json() == {"total": 0, "limit": 100, "offset": 0, "items": []}
    later = client.get("/api/v1/observations",
                       params={"indicator": "de_va", "region": "360000", "period": "2021",
                               "status": "published", "as_of": "2030-01-01"}).json()
    assert later["items"][0]["value"] == pytest.approx(10378.0)


def test_csv_and_xlsx_downloads(client):
    params = {"indicator": "de_va", "region": "360100"}
    c = client.get("/api/v1/observations", params={**params, "format": "csv"})
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(c.content.decode("utf-8-sig"))))
    assert {r["status"] for r in rows} >= {"illustrative"}
    assert all(r["region_name"] == "南昌市" for r in rows)
    x = client.get("/api/v1/observations", params={**params, "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
    header = [c.value for c in ws[1]]
    assert header[:5] == ["region_code", "region_name", "indicator", "period", "value"]
    assert ws.max_row - 1 == len(rows) == int(x.headers["x-total-count"])


def test_unknown_names_are_422_with_suggestions(client):
    r = client.get("/api/v1/observations", params={"region": "南昌县城"})
    assert r.status_code == 422 and "南昌县城" in r.json()["detail"]
    r = client.get("/api/v1/observations", params={"status": "made-up"})
    assert r.status_code == 422


def test_city_index_ranks_tiers_and_intervals(client):
    p = client.get("/api/v1/indices/city_de").json()
    assert len(p["units"]) == 11 and p["marked"] is True
    first = p["units"][0]
    assert (first["name"], first["rank"], first["tier_label"]) == ("南昌市", 1, "第一梯队")
    assert [u["rank"] for u in p["units"]] == sorted(u["rank"] for u in p["units"])
    for u in p["units"]:
        iv = u["rank_interval"]
        assert 1 <= iv["q5"] <= iv["median"] <= iv["q95"] <= 11
    assert p["uncertainty"]["runs"] == 500
    assert client.get("/api/v1/indices/nope").status_code == 404


def test_table1_reproduces_the_paper(client):
    p = client.get("/api/v1/indices/table1").json()
    top = p["units"][0]
    assert top["name"] == "浙江" and top["score"] == pytest.approx(76.69)


def test_recompute_with_weights_changes_the_ranking(client):
    base = client.get("/api/v1/indices/city_de").json()
    heavy = client.post("/api/v1/indices/city_de/recompute",
                        json={"weights": {"governance": 100}}).json()
    base_order = [u["code"] for u in base["units"]]
    new_order = [u["code"] for u in heavy["units"]]
    assert new_order != base_order
    gov = {w["code"]: w["weight"] for w in heavy["weights"]}["governance"]
    assert gov == pytest.approx(100 / 104)
    bad = client.post("/api/v1/indices/city_de/recompute", json={"weights": {"nope": 1}})
    assert bad.status_code == 422 and "nope" in bad.json()["detail"]
    neg = client.post("/api/v1/indices/city_de/recompute", json={"weights": {"scale": -1}})
    assert neg.status_code == 422


def test_figures_option_and_data(client):
    ids = [f["id"] for f in client.get("/api/v1/figures").json()]
    assert "fig_de_va" in ids and "map_city_de" in ids
    f = client.get("/api/v1/figures/fig_de_va").json()
    assert f["option"]["series"][0]["type"] == "bar"
    v2021 = [d["value"] for d in f["data"] if d["period"] == "2021" and d["indicator"] == "de_va"]
    assert v2021 == [pytest.approx(10378.0)]
    m = client.get("/api/v1/figures/map_city_de").json()
    assert m["marked"] is True and len(m["option"]["series"][0]["data"]) == 11
    assert client.get("/api/v1/figures/../../etc/passwd").status_code == 404


def test_reports_only_from_the_listing(client):
    listing = {x["name"]: x for x in client.get("/api/v1/reports").json()}
    assert set(listing) == {"index.html", "data/fig_de_va.csv"}
    r = client.get("/api/v1/reports/data/fig_de_va.csv")
    assert r.status_code == 200 and "10378" in r.text
    for bad in ("link.txt", ".hidden", "../outside/passwd.txt", "%2e%2e/%2e%2e/etc/passwd",
                "/etc/passwd"):
        assert client.get(f"/api/v1/reports/{bad}").status_code == 404, bad


def test_factcheck_flags_the_inconsistent_share(client):
    text = "2021年，江西省数字经济增加值达到10378亿元，占GDP比重为35.0%。"
    r = client.post("/api/v1/factcheck", json={"text": text})
    body = r.json()
    assert r.status_code == 200
    values = {c["text"]: c["status"] for c in body["claims"]}
    assert values["10378亿元"] == "consistent"
    counts = body["summary"]
    assert counts["claims"] == len(body["claims"]) == 2
    assert counts["consistent"] + counts["inconsistent"] + counts["unverifiable"] == 2
    assert body["coverage"] == counts["coverage"] and isinstance(body["checks"], list)
    too_long = client.post("/api/v1/factcheck", json={"text": "x" * 200_001})
    assert too_long.status_code == 413 and "超过上限" in too_long.json()["detail"]


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/v1/regions"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "default-src 'self'" in csp and "http" not in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "same-origin"


def test_docs_are_offline(client):
    page = client.get("/docs").text
    assert "/api/v1/observations" in page and "/api/v1/ingest" in page
    assert "cdn" not in page.lower() and "https://" not in page and "http://" not in page
    spec = client.get("/openapi.json").json()
    assert "/api/v1/indices/{index_id}" in spec["paths"]
    assert client.get("/redoc").status_code == 404


def test_assets_whitelist(client):
    assert client.get("/assets/echarts.min.js").status_code == 200
    assert client.get("/assets/maps/jiangxi_360000.js").text.startswith("echarts.registerMap(")
    assert client.get("/assets/..%2Fapp.py").status_code == 404
    assert client.get("/assets/maps/..%2F..%2Freport.js").status_code == 404


def test_pages_escape_user_input(client):
    r = client.get("/explorer", params={"w_scale": "<script>alert(1)</script>"})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text


def test_city_page_content(client):
    page = client.get("/city/360100").text
    assert "南昌市" in page and "第一梯队" in page and "第 1 名" in page
    assert "示意" in page and "format=xlsx" in page
    assert client.get("/city/360000").status_code == 404
    assert client.get("/city/999999").status_code == 404


def test_serve_help_has_example():
    out = run_cli("serve", "--help", check=True).stdout
    assert "Example:" in out and "--port" in out and "--db" in out
    assert "digecon serve --spec datasets/jiangxi-2022/report.yaml" in out


def test_overview_states_the_uncertainty_factors_used(client):
    page = client.get("/").text
    assert "次蒙特卡洛模拟（扰动因素：权重扰动）" in page
