"""POST /api/v1/ingest: token required, store unchanged on rejection, the CLI's messages on bad files."""
from __future__ import annotations

import shutil

import pytest
from conftest import REPO, run_cli
from fastapi.testclient import TestClient

from digecon.api import Settings, create_app
from digecon.api.config import token_hash
from digecon.store import Store

from .conftest import TOKEN

FIXTURES = REPO / "tests" / "ingest" / "fixtures"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def app_client(demo_copy):
    app = create_app(Settings(db=demo_copy, token_sha256=token_hash(TOKEN),
                              max_upload_bytes=64 * 1024, max_upload_rows=500))
    with TestClient(app) as c:
        yield c, demo_copy


def _upload(path, name=None):
    return {"files": (name or path.name, path.read_bytes(), "text/csv")}


def test_without_token_401_and_store_unchanged(app_client):
    client, db = app_client
    before = Store(db).checksum()
    r = client.post("/api/v1/ingest", files=_upload(FIXTURES / "cities_long.csv"))
    assert r.status_code == 401
    assert "令牌" in r.json()["detail"]
    r = client.post("/api/v1/ingest", files=_upload(FIXTURES / "cities_long.csv"),
                    headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    assert Store(db).checksum() == before


def test_writing_is_off_when_no_token_is_configured(demo_copy):
    before = Store(demo_copy).checksum()
    with TestClient(create_app(Settings(db=demo_copy, token_sha256=None))) as c:
        r = c.post("/api/v1/ingest", files=_upload(FIXTURES / "cities_long.csv"), headers=AUTH)
    assert r.status_code == 401 and "未配置" in r.json()["detail"]
    assert Store(demo_copy).checksum() == before


def test_bad_file_gives_the_cli_messages(app_client, tmp_path):
    client, db = app_client
    before = Store(db).checksum()
    src = FIXTURES / "five_errors.csv"
    r = client.post("/api/v1/ingest", files=_upload(src), headers=AUTH)
    assert r.status_code == 422
    body = r.json()
    # the CLI on the same file, from a directory where its name is just "five_errors.csv"
    shutil.copy(src, tmp_path / src.name)
    cli_db = tmp_path / "cli.duckdb"
    shutil.copy(db, cli_db)
    cli = run_cli("ingest", src.name, "--db", str(cli_db), cwd=tmp_path)
    assert cli.returncode == 2
    cli_lines = [ln for ln in cli.stderr.strip().splitlines() if ln.startswith(src.name)]
    assert body["problems"] == cli_lines
    assert body["total"] == 5
    assert body["problems"][0].startswith("five_errors.csv:3:region: 发现「南晶」")
    assert Store(db).checksum() == before


def test_good_file_is_written(app_client):
    client, db = app_client
    r = client.post("/api/v1/ingest", files=_upload(FIXTURES / "cities_long.csv"),
                    data={"vintage": "2022-08-01"}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["written"] >= 2
    row = Store(db).value("gdp", "360400", "2021", as_of="2022-08-01")
    assert row is not None and row["value"] == pytest.approx(3735.68)
    # the snapshot follows the file: the API sees the new vintage at once
    items = client.get("/api/v1/observations", params={"indicator": "gdp", "region": "九江",
                                                       "period": "2021"}).json()["items"]
    assert any(str(i["vintage"]) == "2022-08-01" for i in items)
    assert Store(db).current_mismatches() == []  # the upload kept the current rows


def test_an_upload_is_audited_with_its_account_address_and_file_checksum(app_client):
    from digecon.accounts import entries
    from digecon.store.store import file_sha256

    client, db = app_client
    path = FIXTURES / "cities_long.csv"
    r = client.post("/api/v1/ingest", files=_upload(path), data={"vintage": "2022-08-01"},
                    headers=AUTH)
    assert r.status_code == 200, r.text
    (entry,) = entries(Store(db), action="ingest")
    assert entry["checksum"] == file_sha256(path) and entry["address"]
    assert entry["account"] and entry["detail"]["files"] == [path.name]
    assert entry["detail"]["written"] == r.json()["written"]


def test_unsupported_extension_is_422(app_client):
    client, _db = app_client
    r = client.post("/api/v1/ingest", headers=AUTH,
                    files={"files": ("evil.sh", b"rm -rf /\n", "text/plain")})
    assert r.status_code == 422
    assert r.json()["problems"] == ["evil.sh: 发现扩展名「.sh」，应为 .csv 或 .xlsx"]


def test_upload_limits_413(app_client):
    client, db = app_client
    before = Store(db).checksum()
    big = b"region,indicator,period,value,unit\n" + b"x" * (70 * 1024)
    r = client.post("/api/v1/ingest", headers=AUTH, files={"files": ("big.csv", big, "text/csv")})
    assert r.status_code == 413 and "超过上限" in r.json()["detail"]
    many = b"region,indicator,period,value,unit\n" + "360100,gdp,2021,1,亿元\n".encode() * 600
    r = client.post("/api/v1/ingest", headers=AUTH,
                    files={"files": ("many.csv", many, "text/csv")})
    assert r.status_code == 413 and "500 行" in r.json()["detail"]
    assert Store(db).checksum() == before


def test_path_in_the_file_name_is_stripped(app_client):
    client, _db = app_client
    r = client.post("/api/v1/ingest", headers=AUTH,
                    files={"files": ("../../../tmp/x.csv", b"region\n", "text/csv")})
    assert r.status_code == 422
    assert all(p.startswith("x.csv") for p in r.json()["problems"])


def test_skipped_cells_are_told_in_the_answer(app_client, tmp_path):
    client, _ = app_client
    src = tmp_path / "gaps.csv"
    src.write_text("region,indicator,period,value,unit,source\n"
                   "九江市,gdp,2021,3735.68,亿元,统计公报\n九江市,gdp,2020,,亿元,统计公报\n",
                   encoding="utf-8")
    r = client.post("/api/v1/ingest", files=_upload(src), headers=AUTH,
                    data={"vintage": "2022-03-01"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["notices"] and any("1" in n and "空" in n for n in body["notices"]), body
