"""Issue 15 acceptance 2 for the collection actions: every role × submit / review / object /
resolve over HTTP with its own token — allowed (2xx, something written) or refused (401/403 with
a Chinese message, nothing written: observations, submissions, their rows and objections all
unchanged, and one audit entry for the refusal)."""
from __future__ import annotations

import hashlib
import shutil

import pytest
from collect.conftest import ADMIN, CITY_NC, REPORTER, TASKS, filled
from fastapi.testclient import TestClient

from digecon import collect
from digecon.accounts import create_account, entries, issue_token
from digecon.api import Settings, create_app
from digecon.store import Store

ACCOUNTS = {  # name → (role, department, regions)
    "root": ("admin", None, []),
    "rev": ("reviewer", None, []),
    "it_nc": ("reporter", "测试工信厅", ["南昌市"]),
    "retail": ("reporter", "测试商务厅", ["南昌市", "九江市"]),
    "nc": ("city", None, ["南昌市"]),
    "jj": ("city", None, ["九江市"]),
}
ALLOWED = {  # action → the accounts that may take it (the others: 403; no account: 401)
    "submit": {"root", "it_nc"},
    "review": {"root", "rev"},
    "object": {"root", "nc"},
    "resolve": {"root", "rev"},
}
TABLES = ("observations", "submissions", "submission_rows", "objections")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A store with one published value (南昌 it_services_revenue 2022 = 123.4), an open
    objection to it and a second submission waiting for review; a token per account."""
    tmp_path = tmp_path_factory.mktemp("roles")
    db = tmp_path / "roles.duckdb"
    store = Store(db)
    store.init()
    headers = {}
    for name, (role, dept, regions) in ACCOUNTS.items():
        create_account(store, name, role, password=None, department=dept, regions=regions)
        headers[name] = {"Authorization": f"Bearer {issue_token(store, name, 1)[0]}"}
    task = collect.find_task(collect.load_tasks(TASKS), "it-test")
    first = _submit(store, tmp_path / "a.xlsx", task, {(2, "D"): 123.4})
    collect.approve(store, first, ADMIN, vintage="2023-03-20")
    oid = collect.raise_objection(store, CITY_NC, "南昌市", "it_services_revenue", "2022", "偏高")
    waiting = _submit(store, tmp_path / "b.xlsx", task, {(4, "D"): 56})
    upload = filled(tmp_path / "c.xlsx", task, {(2, "D"): 130.2}).read_bytes()
    return db, headers, {"waiting": waiting, "objection": oid, "upload": upload}


def _served(world, tmp_path, **settings) -> tuple[TestClient, Store]:
    """The world on a private copy of its store, served in process."""
    db = tmp_path / "roles.duckdb"
    shutil.copy(world[0], db)
    app = create_app(Settings(db=db, **settings))
    app.state.collect_tasks = str(TASKS)
    return TestClient(app), Store(db)


@pytest.fixture
def site(world, tmp_path):
    client, store = _served(world, tmp_path)
    with client:
        yield client, store, world[1], world[2]


def _submit(store, path, task, values) -> int:
    check = collect.check_upload(store, filled(path, task, values), task, REPORTER)
    assert check.ok, [str(p) for p in check.problems + check.refused]
    return collect.submit(store, check, task, REPORTER, checksum="sha-" + path.name)


def _digest(store) -> str:
    digest = hashlib.sha256()
    with store.connection() as con:
        for table in TABLES:
            digest.update(repr(con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall())
                          .encode())
    return digest.hexdigest()


def _do(client, action: str, ids: dict, headers: dict):
    if action == "submit":
        return client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                           files={"file": ("c.xlsx", ids["upload"], "application/octet-stream")},
                           headers=headers)
    if action == "review":
        return client.post(f"/api/v1/collect/submissions/{ids['waiting']}/review",
                           json={"decision": "approve", "vintage": "2023-05-01"}, headers=headers)
    if action == "object":
        return client.post("/api/v1/collect/objections", headers=headers, json={
            "region": "南昌市", "indicator": "it_services_revenue", "period": "2022",
            "reason": "未含软件园"})
    return client.post(f"/api/v1/collect/objections/{ids['objection']}/resolve",
                       json={"decision": "rejected", "note": "已核实无误"}, headers=headers)


@pytest.mark.parametrize("name", [*ACCOUNTS, None])
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_collection_action_by_role(site, action, name):
    client, store, headers, ids = site
    before, logged = _digest(store), len(entries(store))
    r = _do(client, action, ids, headers[name] if name else {})
    new = entries(store)[logged:]
    if name in ALLOWED[action]:
        assert r.status_code in (200, 201), r.text
        assert _digest(store) != before
        assert [e["account"] for e in new] == [name]
        return
    assert r.status_code == (403 if name else 401), r.text
    detail = r.json()["detail"]
    assert detail and any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail
    assert _digest(store) == before
    assert [(e["action"], e["account"], e["address"]) for e in new] == [
        ("refused_403" if name else "refused_401", name, "testclient")]


def test_an_approval_publishes_only_what_was_submitted(site):
    client, store, headers, ids = site
    assert store.value("broadband_ports", "360100", "2022") is None
    r = _do(client, "review", ids, headers["rev"])
    assert r.status_code == 200 and r.json()["written"] == 1
    row = store.value("broadband_ports", "360100", "2022")
    assert (row["value"], row["status"], str(row["vintage"])) == (56.0, "published", "2023-05-01")


def test_refusals_are_logged_within_the_per_address_budget(world, tmp_path):
    client, store = _served(world, tmp_path, refusals_logged=3)
    logged = len(entries(store))
    with client:
        for _ in range(5):
            r = client.get("/api/v1/collect/in-review/360100", headers=world[1]["jj"])
            assert r.status_code == 403 and "不能查看「360100」的未发布数据" in r.json()["detail"]
    new = entries(store)[logged:]
    assert [(e["action"], e["account"]) for e in new] == [("refused_403", "jj")] * 3
    assert "不再逐条记录" in new[-1]["detail"]["note"]
    assert new[0]["detail"]["path"] == "/api/v1/collect/in-review/360100"


def test_an_upload_over_the_row_limit_is_413_and_writes_nothing(world, tmp_path):
    client, store = _served(world, tmp_path, max_upload_rows=6)
    before = _digest(store)
    lines = ["region,indicator,period,value"] + ["南昌市,it_services_revenue,2022,1"] * 6
    with client:
        r = client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                        files={"file": ("多.csv", "\n".join(lines).encode(), "text/csv")},
                        headers=world[1]["it_nc"])
        assert r.status_code == 413, r.text
        assert r.json()["detail"].startswith("多.csv：文件超过 6 行（每次报送的上限），未写入任何数据")
        # the department's own template (a header and 4 rows) is within the limit
        r = client.post("/api/v1/collect/submissions", data={"task": "it-test"},
                        files={"file": ("c.xlsx", world[2]["upload"], "text/csv")},
                        headers=world[1]["it_nc"])
        assert r.status_code == 201, r.text
    assert _digest(store) != before


def test_the_upload_page_says_why_a_file_is_refused_as_a_page(world, tmp_path):
    client, store = _served(world, tmp_path, max_upload_rows=6)
    before = _digest(store)
    lines = ["region,indicator,period,value"] + ["南昌市,it_services_revenue,2022,1"] * 6
    with client:
        r = client.post("/collect/upload", data={"task": "it-test"},
                        files={"file": ("多.csv", "\n".join(lines).encode(), "text/csv")},
                        headers=world[1]["it_nc"])
        assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
        assert "多.csv：文件超过 6 行（每次报送的上限），未写入任何数据" in r.text
        r = client.post("/collect/upload", data={"task": "it-test"},
                        files={"file": ("填报.pdf", b"%PDF-1.4", "application/pdf")},
                        headers=world[1]["it_nc"])
        assert r.status_code == 422 and "发现扩展名「.pdf」" in r.text
    assert _digest(store) == before
