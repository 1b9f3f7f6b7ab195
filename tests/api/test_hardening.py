"""The server under ordinary and hostile input: fractional weights, spreadsheet formulas in
downloads, a large or repeated anonymous /factcheck, reads beside a writer, headers on a 500."""
from __future__ import annotations

import csv
import io
import threading
import time

import openpyxl
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from digecon.api import Settings, create_app
from digecon.api.data import db_lock
from digecon.ingest import write_frame
from digecon.store import Store

FORMULAS = {"source": '=HYPERLINK("http://example.invalid","点此")', "note": "@SUM(A1:A2)",
            "quote": "+1 单元格", "section": "-2 节"}


def _client(db, **settings) -> TestClient:
    app = create_app(Settings(db=db, uncertainty_runs=5, **settings))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def hostile_db(demo_copy):
    """The demo store plus one row whose text fields each begin with a formula character."""
    frame = pd.DataFrame([{"region": "360100", "indicator": "de_va", "period": "2019",
                           "value": "1.5", "unit": "亿元", "status": "illustrative", **FORMULAS}])
    write_frame(Store(demo_copy), frame, vintage="2022-07-01", origin="hostile.csv")
    return demo_copy


# fractional weights ------------------------------------------------------------------------
def _editable(c: TestClient, index_id: str = "city_de") -> list[str]:
    spec = c.app.state.indices.spec(index_id)
    return list(spec.fw.children[spec.fw.top])


def test_recompute_takes_a_fractional_weight(demo_db):
    with _client(demo_db) as c:
        first, second = _editable(c)[:2]
        nominal = {w["code"]: w["weight"] for w in c.get("/api/v1/indices/city_de").json()["weights"]}
        r = c.post("/api/v1/indices/city_de/recompute", json={"weights": {first: 0.5}})
        assert r.status_code == 200, r.text[:500]
        got = {w["code"]: w["weight"] for w in r.json()["weights"]}
    spec_w = c.app.state.indices.spec("city_de").fw.weight
    siblings = _editable(c)
    expected = 0.5 / (0.5 + sum(float(spec_w[k]) for k in siblings if k != first))
    assert got[first] == pytest.approx(expected)
    assert got[second] != pytest.approx(nominal[second]) or len(siblings) == 1


def test_explorer_takes_a_fractional_weight(demo_db):
    with _client(demo_db) as c:
        first = _editable(c)[0]
        r = c.get("/explorer", params={"index": "city_de", f"w_{first}": "0.5"})
    assert r.status_code == 200, r.text[-1000:]
    assert "无法按此设置计算" not in r.text


# formulas in downloads ---------------------------------------------------------------------
def test_csv_download_neutralises_formula_text(hostile_db):
    with _client(hostile_db) as c:
        r = c.get("/api/v1/observations", params={"indicator": "de_va", "period": "2019",
                                                  "format": "csv"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    row = next(x for x in rows if x["region_code"] == "360100")
    for field, text in FORMULAS.items():
        assert row[field] == "'" + text
    assert row["value"] == "1.5"  # numbers stay numbers


def test_xlsx_download_writes_formula_text_as_text(hostile_db):
    with _client(hostile_db) as c:
        r = c.get("/api/v1/observations", params={"indicator": "de_va", "period": "2019",
                                                  "format": "xlsx"})
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    header = [cell.value for cell in ws[1]]
    cells = [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)]
    row = next(x for x in cells if x["region_code"].value == "360100")
    for field, text in FORMULAS.items():
        assert row[field].data_type == "s"
        assert row[field].value == "'" + text
    assert row["value"].value == pytest.approx(1.5)


# /factcheck --------------------------------------------------------------------------------
TEXT = "2021年江西省数字经济增加值达10378亿元，同比增长19.5%。"


def test_factcheck_does_not_hold_the_writers_lock(demo_db, monkeypatch):
    """A long check used to hold db_lock, so every upload (and, then, every as_of read) waited."""
    free: list[bool] = []

    def probe(text, **kw):
        t = threading.Thread(target=lambda: free.append(_try_lock()))
        t.start()
        t.join()
        return []

    monkeypatch.setattr("digecon.api.routes.check_text", probe)
    with _client(demo_db) as c:
        r = c.post("/api/v1/factcheck", json={"text": TEXT})
    assert r.status_code == 200, r.text
    assert free == [True]


def _try_lock() -> bool:
    ok = db_lock.acquire(timeout=0.2)
    if ok:
        db_lock.release()
    return ok


def test_factcheck_still_checks_against_the_store(demo_db):
    with _client(demo_db) as c:
        r = c.post("/api/v1/factcheck", json={"text": TEXT, "region": "江西省", "year": 2021})
    assert r.status_code == 200
    assert r.json()["summary"]["claims"] >= 2


def test_factcheck_over_the_size_limit_is_413(demo_db):
    with _client(demo_db, max_factcheck_chars=1000) as c:
        ok = c.post("/api/v1/factcheck", json={"text": "数" * 1000})
        big = c.post("/api/v1/factcheck", json={"text": "数" * 1001})
        raw = c.post("/api/v1/factcheck", content=b'{"text": "' + b"x" * 20_000 + b'"}',
                     headers={"content-type": "application/json"})
    assert ok.status_code == 200, ok.text[:300]
    assert big.status_code == 413 and "1001" in big.json()["detail"] and "1000" in big.json()["detail"]
    assert raw.status_code == 413 and "字节" in raw.json()["detail"]
    assert big.headers["x-content-type-options"] == "nosniff"


def test_factcheck_is_rate_limited_per_address(demo_db):
    with _client(demo_db, factcheck_per_minute=2) as c:
        codes = [c.post("/api/v1/factcheck", json={"text": TEXT}).status_code for _ in range(3)]
        last = c.post("/api/v1/factcheck", json={"text": TEXT})
        other = c.get("/api/v1/regions")  # other endpoints are not limited
    assert codes == [200, 200, 429]
    assert last.status_code == 429 and "每分钟" in last.json()["detail"]
    assert 1 <= int(last.headers["retry-after"]) <= 60
    assert other.status_code == 200


# reads beside a writer -------------------------------------------------------------------
def test_as_of_reads_do_not_wait_for_the_writers_lock(demo_db):
    """An upload holds db_lock while it writes; as_of reads used to queue behind it."""
    held = threading.Event()
    release = threading.Event()

    def writer():
        with db_lock:
            held.set()
            release.wait(10)

    with _client(demo_db) as c:
        t = threading.Thread(target=writer)
        t.start()
        held.wait(5)
        try:
            t0 = time.monotonic()
            r = c.get("/api/v1/observations", params={"indicator": "gdp", "as_of": "2022-07-31"})
            took = time.monotonic() - t0
        finally:
            release.set()
            t.join()
    assert r.status_code == 200 and r.json()["total"] > 0
    assert took < 5


# headers on errors -------------------------------------------------------------------------
def test_a_500_carries_the_security_headers_and_a_chinese_message(demo_db, monkeypatch):
    with _client(demo_db) as c:
        def boom(index_id):
            raise RuntimeError("bug")

        monkeypatch.setattr(c.app.state.indices, "get", boom)
        r = c.get("/api/v1/indices/city_de")
    assert r.status_code == 500
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert r.headers["x-frame-options"] == "DENY"
    assert "服务器内部错误" in r.json()["detail"]
    assert "bug" not in r.text  # no internals to an anonymous client
