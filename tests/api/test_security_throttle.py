"""FailureThrottle's window arithmetic, and the cap on refusals written to the audit log."""
from __future__ import annotations

from fastapi.testclient import TestClient

from digecon.accounts import entries
from digecon.api import Settings, create_app
from digecon.api.security import FailureThrottle
from digecon.store import Store


def test_the_window_slides():
    t = FailureThrottle(limit=3, window=300)
    assert [t.record("a", now=n) for n in (0, 10, 20)] == [(1, 0), (2, 0), (3, 280)]
    assert t.retry_after("a", now=100) == 200
    assert t.retry_after("b", now=100) == 0  # another address is not paused
    assert t.retry_after("a", now=299.5) == 1
    assert t.retry_after("a", now=300) == 0  # the first failure has left the window
    assert t.record("a", now=301) == (3, 9)  # 10, 20, 301 are in it: paused until 310


def test_memory_is_bounded_by_forgetting_the_longest_idle():
    t = FailureThrottle(limit=1, window=300, max_addresses=2)
    t.record("a", now=0)
    t.record("b", now=1)
    t.record("c", now=2)
    assert t.retry_after("a", now=3) == 0  # forgotten
    assert t.retry_after("c", now=3) == 299


def test_refusals_are_logged_up_to_a_cap_per_address(tmp_path):
    db = tmp_path / "s.duckdb"
    Store(db).init()
    app = create_app(Settings(db=db, refusals_logged=3))
    with TestClient(app) as c:
        codes = [c.get("/api/v1/audit").status_code for _ in range(6)]
    assert codes == [401] * 6
    logged = entries(db)
    assert [e["action"] for e in logged] == ["refused_401"] * 3
    assert "不再逐条记录" in logged[-1]["detail"]["note"]
