"""The collection API and pages with real accounts and tokens: a reporter's upload with two
errors (422, each problem at its cell, on the page beside the cell), refusals (403, nothing
written), submission, review and publication, the status export and the city's views."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from collect.conftest import TASKS, filled
from conftest import run_cli
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from digecon.accounts import create_account, entries, issue_token
from digecon.api import Settings, create_app
from digecon.store import Store


@pytest.fixture
def api(tmp_path):
    db = tmp_path / "api.duckdb"
    store = Store(db)
    store.init()
    tokens = {}
    for name, role, dept, regions in [
            ("it_nc", "reporter", "测试工信厅", ["南昌市"]),
            ("retail", "reporter", "测试商务厅", ["南昌市", "九江市"]),
            ("rev", "reviewer", None, []), ("nc", "city", None, ["南昌市"]),
            ("jj", "city", None, ["九江市"])]:
        create_account(store, name, role, password=None, department=dept, regions=regions)
        tokens[name] = {"Authorization": f"Bearer {issue_token(store, name, 1)[0]}"}
    app = create_app(Settings(db=db))
    app.state.collect_tasks = str(TASKS)
    with TestClient(app) as client:
        yield client, store, tokens


def _file(path):
    return {"file": (path.name, path.read_bytes(), "application/octet-stream")}


def _observations(store) -> int:
    with store.connection() as con:
        return con.execute("SELECT count(*) FROM observations").fetchone()[0]


def _task():
    from digecon.collect import find_task, load_tasks

    return find_task(load_tasks(TASKS), "it-test")


def test_upload_review_publish(api, tmp_path):
    client, store, auth = api
    bad = filled(tmp_path / "填报.xlsx", _task(), {(2, "D"): 123.4, (4, "D"): "5６.x",
                                                   (4, "A"): "南昌", (4, "F"): "publised"})
    r = client.post("/api/v1/collect/submissions", data={"task": "it-test"}, files=_file(bad),
                    headers=auth["it_nc"])
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["total"] == 2
    assert [(p["sheet"], p["row"], p["column"]) for p in body["problems"]] == [
        ("数据", 4, "status"), ("数据", 4, "value")]
    assert body["problems"][1]["text"] == "填报.xlsx:数据:4:value: 发现「5６.x」，应为数值"
    assert _observations(store) == 0 and client.get("/api/v1/collect/submissions",
                                                   headers=auth["it_nc"]).json() == []

    good = filled(tmp_path / "填报.xlsx", _task(), {(2, "D"): 123.4, (4, "D"): 56})
    r = client.post("/api/v1/collect/submissions", data={"task": "it-test"}, files=_file(good),
                    headers=auth["it_nc"])
    assert r.status_code == 201, r.text
    sid = r.json()["submission"]
    assert r.json()["rows"] == 2 and _observations(store) == 0

    # the city sees its values in review; the other city and the public do not
    r = client.get("/api/v1/collect/in-review/360100", headers=auth["nc"])
    assert [(x["indicator"], x["value"], x["status_zh"]) for x in r.json()] == [
        ("broadband_ports", 56.0, "待审核"), ("it_services_revenue", 123.4, "待审核")]
    assert client.get("/api/v1/collect/in-review/360100", headers=auth["jj"]).status_code == 403
    assert client.get("/api/v1/collect/submissions", headers=auth["jj"]).json() == []
    assert client.get(f"/api/v1/collect/submissions/{sid}", headers=auth["jj"]).status_code == 403
    assert client.get(f"/collect/review/{sid}", headers=auth["jj"]).status_code == 403
    assert client.get("/api/v1/collect/in-review/360100").status_code == 401
    public = client.get("/api/v1/observations", params={"indicator": "broadband_ports"}).json()
    assert public.get("total", len(public.get("rows", []))) == 0

    # only a reviewer decides
    for who in ("it_nc", "nc"):
        r = client.post(f"/api/v1/collect/submissions/{sid}/review",
                        json={"decision": "approve"}, headers=auth[who])
        assert r.status_code == 403
    assert _observations(store) == 0
    r = client.post(f"/api/v1/collect/submissions/{sid}/review",
                    json={"decision": "approve", "vintage": "2023-03-20"}, headers=auth["rev"])
    assert r.status_code == 200, r.text
    assert r.json()["written"] == 2
    row = store.value("broadband_ports", "360100", "2022")
    assert (row["value"], row["status"], str(row["vintage"])) == (56.0, "published", "2023-03-20")
    assert store.current_mismatches() == []  # the approval kept the current rows
    assert client.get("/api/v1/collect/in-review/360100", headers=auth["nc"]).json() == []
    mine = client.get("/api/v1/collect/submissions", headers=auth["it_nc"]).json()
    assert [(s["submission_id"], s["status_zh"]) for s in mine] == [(sid, "已通过")]
    actions = [e["action"] for e in entries(store) if e["action"] in
               ("submit", "approve", "refused_403")]
    assert actions == ["submit"] + ["refused_403"] * 5 + ["approve"]  # jj ×3, it_nc, nc


def test_refusals_write_nothing(api, tmp_path):
    client, store, auth = api
    path = filled(tmp_path / "f.xlsx", _task(), {(2, "D"): 1, (3, "D"): 2})
    # 九江 is not the reporter's region: 403 with the cell, nothing written
    r = client.post("/api/v1/collect/submissions", data={"task": "it-test"}, files=_file(path),
                    headers=auth["it_nc"])
    assert r.status_code == 403
    assert "f.xlsx:数据:3:region: 发现地区「九江市」，应为账号「it_nc」负责的地区之一：南昌市" in r.json()["detail"]
    for who in ("retail", "rev", "nc"):  # another department, a reviewer, a city
        r = client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                        files=_file(path), headers=auth[who])
        assert r.status_code == 403, who
    r = client.post("/api/v1/collect/submissions", data={"task": "it-test"}, files=_file(path))
    assert r.status_code == 401
    assert client.get("/api/v1/collect/submissions", headers=auth["rev"]).json() == []
    assert _observations(store) == 0
    assert client.get("/api/v1/collect/template", params={"task": "it-test"},
                      headers=auth["retail"]).status_code == 403


def test_template_download_is_the_departments(api):
    client, _store, auth = api
    r = client.get("/api/v1/collect/template", params={"task": "it-test"}, headers=auth["it_nc"])
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    # it_nc covers 南昌市 only: the task's 九江市 rows are not its to fill
    assert [c.value for c in book["数据"]["A"]] == ["region", "南昌市", "南昌市"]
    assert [c.value for c in book["_lists"]["A"] if c.value] == ["南昌市"]
    assert "it_nc.xlsx" in r.headers["content-disposition"]
    r = client.get("/api/v1/collect/template", params={"task": "retail-test"},
                   headers=auth["retail"])  # covers both of that task's regions
    book = load_workbook(io.BytesIO(r.content))
    assert [c.value for c in book["_lists"]["A"] if c.value] == ["南昌市", "九江市"]
    # the task list says which part of a task is the account's
    page = client.get("/collect", headers=auth["it_nc"]).text
    assert "本账号负责：南昌市（2 个指标）" in page
    assert "本账号负责" not in client.get("/collect", headers=auth["retail"]).text


def test_upload_page_shows_each_message_beside_its_cell(api, tmp_path):
    client, store, auth = api
    bad = filled(tmp_path / "f.xlsx", _task(), {(2, "D"): "abc", (4, "D"): 5, (4, "C"): "2021"})
    r = client.post("/collect/upload", data={"task": "it-test"}, files=_file(bad),
                    headers=auth["it_nc"])
    assert r.status_code == 422
    html = r.text
    cell = html.index('data-row="2" data-col="value"')
    assert html.index("发现「abc」，应为数值", cell) - cell < 200
    cell = html.index('data-row="4" data-col="period"')
    assert html.index("发现时期「2021」，应为任务「测试信息通信业数据」的时期 2022", cell) - cell < 200
    assert html.count('class="bad"') == 2 and "2 个问题" in html
    good = filled(tmp_path / "f.xlsx", _task(), {(2, "D"): 7})
    r = client.post("/collect/upload", data={"task": "it-test"}, files=_file(good),
                    headers=auth["it_nc"])
    assert r.status_code == 200 and "已提交报送 #" in r.text and "待审核" in r.text
    assert _observations(store) == 0


def test_status_export_and_objection(api, tmp_path):
    client, store, auth = api
    good = filled(tmp_path / "f.xlsx", _task(), {(2, "D"): 9.5})
    sid = client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                      files=_file(good), headers=auth["it_nc"]).json()["submission"]
    status = client.get("/api/v1/collect/status", headers=auth["rev"]).json()
    it = next(s for s in status["summary"] if s["task"] == "it-test")
    assert (it["待审核"], it["未报送"]) == (0, 2)  # 南昌 has one of its two indicators
    r = client.get("/api/v1/collect/status", params={"format": "csv"}, headers=auth["rev"])
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0][0] == "任务编号" and len(table) == 1 + 3 + 2  # 3 it cells, 2 overdue retail
    assert client.post(f"/api/v1/collect/submissions/{sid}/review",
                       json={"decision": "approve", "vintage": "2023-03-01"},
                       headers=auth["rev"]).status_code == 200
    body = {"region": "南昌市", "indicator": "it_services_revenue", "period": "2022",
            "reason": "漏报软件园"}
    assert client.post("/api/v1/collect/objections", json=body,
                       headers=auth["jj"]).status_code == 403
    r = client.post("/api/v1/collect/objections", json=body, headers=auth["nc"])
    assert r.status_code == 201, r.text
    oid = r.json()["objection"]
    assert [o["value"] for o in client.get("/api/v1/collect/objections",
                                           headers=auth["nc"]).json()] == [9.5]
    assert client.get("/api/v1/collect/objections", params={"region": "南昌市"},
                      headers=auth["jj"]).status_code == 403
    r = client.post(f"/api/v1/collect/objections/{oid}/resolve",
                    json={"decision": "revised", "value": "10.25", "note": "核实",
                          "vintage": "2023-04-01"}, headers=auth["rev"])
    assert r.status_code == 200, r.text
    assert store.value("it_services_revenue", "360100", "2022")["value"] == 10.25
    assert store.current_mismatches() == []  # and the revision that resolved the objection
    # the objection list says the values as every surface prints them (two decimals here)
    page = client.get("/collect", headers=auth["rev"]).text
    assert "9.50 亿元" in page and "修订为 10.25" in page


def test_bad_requests_are_refused_with_a_message_not_a_500(api, tmp_path):
    client, store, auth = api
    r = client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                    files={"file": ("数据.pdf", b"%PDF-1.4", "application/pdf")},
                    headers=auth["it_nc"])
    assert r.status_code == 422 and "发现扩展名「.pdf」" in r.json()["problems"][0]["message"]
    r = client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                    files={"file": ("空.csv", b"", "text/csv")}, headers=auth["it_nc"])
    assert r.status_code == 422 and "空文件" in r.json()["problems"][0]["message"]
    r = client.post("/api/v1/collect/submissions", data={"task": "nope"},
                    files=_file(filled(tmp_path / "f.xlsx", _task(), {(2, "D"): 1})),
                    headers=auth["it_nc"])
    assert r.status_code == 404 and "it-test、retail-test" in r.json()["detail"]
    assert client.get(f"/api/v1/collect/submissions/{2**70}",
                      headers=auth["rev"]).status_code == 422
    assert client.get("/api/v1/collect/submissions/99", headers=auth["rev"]).status_code == 404
    r = client.post("/api/v1/collect/submissions/1/review", content=b"{not json",
                    headers={**auth["rev"], "Content-Type": "application/json"})
    assert r.status_code == 400
    sid = client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                      files=_file(filled(tmp_path / "g.xlsx", _task(), {(2, "D"): 1})),
                      headers=auth["it_nc"]).json()["submission"]
    assert client.get(f"/api/v1/collect/submissions/{sid}",
                      headers=auth["retail"]).status_code == 403  # another reporter's
    r = client.post(f"/api/v1/collect/submissions/{sid}/review",
                    json={"decision": "return"}, headers=auth["rev"])
    assert r.status_code == 422 and "退回原因" in r.json()["detail"]
    r = client.post(f"/api/v1/collect/submissions/{sid}/review",
                    json={"decision": "maybe"}, headers=auth["rev"])
    assert r.status_code == 422
    assert _observations(store) == 0


def test_the_review_page_shows_what_an_approval_replaces_and_a_second_approval_wins(api, tmp_path):
    client, store, auth = api

    def submit(value, name):
        path = filled(tmp_path / name, _task(), {(2, "D"): value})
        r = client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                        files=_file(path), headers=auth["it_nc"])
        assert r.status_code == 201, r.text
        return r.json()["submission"]

    first = submit(123.4, "a.xlsx")
    page = client.get(f"/collect/review/{first}", headers=auth["rev"]).text
    assert "现已发布" in page and "通过后将被替换" not in page
    assert client.post(f"/api/v1/collect/submissions/{first}/review",
                       json={"decision": "approve"}, headers=auth["rev"]).status_code == 200
    second = submit(130, "b.xlsx")  # a correction the same day
    page = client.get(f"/collect/review/{second}", headers=auth["rev"]).text
    cell = re.search(r'data-label="现已发布">(.*?)</td>', page, re.DOTALL).group(1)
    # the value the public sees now, as the public sees it (the catalog's two decimals)
    assert "123.40" in cell and "通过后将被替换" in cell
    r = client.post(f"/api/v1/collect/submissions/{second}/review", json={"decision": "approve"},
                    headers=auth["rev"])
    assert r.status_code == 200, r.text
    assert store.value("it_services_revenue", "360100", "2022")["value"] == 130.0
    assert "现已发布" not in client.get(f"/collect/review/{second}", headers=auth["rev"]).text
    public = client.get("/api/v1/facts", params={"indicator": "it_services_revenue",
                                                 "region": "360100"}).json()["items"]
    assert [f["value"] for f in public] == [130.0]


def test_after_a_same_day_correction_every_surface_shows_one_current_value(api, tmp_path):
    """Issue 15: a cell corrected the same day has one current value on the observations API
    (JSON, CSV, XLSX), /facts, the city page, its downloads and `digecon query`; the corrected
    value is listed only with history=true, as not current."""
    client, store, auth = api
    for value, name in ((123.4, "a.xlsx"), (130, "b.xlsx")):
        path = filled(tmp_path / name, _task(), {(2, "D"): value})
        sid = client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                          files=_file(path), headers=auth["it_nc"]).json()["submission"]
        assert client.post(f"/api/v1/collect/submissions/{sid}/review",
                           json={"decision": "approve"}, headers=auth["rev"]).status_code == 200
    cell = {"indicator": "it_services_revenue", "region": "360100", "period": "2022"}
    items = client.get("/api/v1/observations", params=cell).json()["items"]
    assert [(i["value"], i["current"], i["text"]) for i in items] == [(130.0, True, "130.00")]
    everything = client.get("/api/v1/observations", params={**cell, "history": "true"}).json()
    assert [(i["value"], i["current"]) for i in everything["items"]] == [(123.4, False),
                                                                         (130.0, True)]
    assert everything["total"] == 2
    csv_rows = list(csv.DictReader(io.StringIO(client.get(
        "/api/v1/observations", params={**cell, "format": "csv"}).content.decode("utf-8-sig"))))
    assert [(r["value"], r["current"]) for r in csv_rows] == [("130.0", "True")]
    facts = client.get("/api/v1/facts", params=cell).json()["items"]
    assert [f["value"] for f in facts] == [130.0]
    page = client.get("/city/360100").text
    assert "130.00" in page and "123.40" not in page and "123.4" not in page
    data = client.get("/city/360100/download", params={"format": "csv"}).content.decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(data)) if r["指标代码"] == cell["indicator"]]
    assert [r["数值"] for r in rows] == ["130.0"]
    out = run_cli("query", "--indicator", cell["indicator"], "--region", "南昌", "--format",
                  "json", db=store.path)
    assert out.returncode == 0, out.stderr
    assert [(r["value"], r["text"]) for r in json.loads(out.stdout)] == [(130.0, "130.00 亿元")]
    out = run_cli("query", "--indicator", cell["indicator"], "--region", "南昌", "--history",
                  "--format", "json", db=store.path)
    assert [(r["value"], r["current"]) for r in json.loads(out.stdout)] == [(123.4, False),
                                                                            (130.0, True)]
    assert store.current_mismatches() == []
