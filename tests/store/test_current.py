"""The current rows kept at write time (digecon.store.current) are the rows the choice ranks as
current (schema.CURRENT_EXACT_SQL / CURRENT_BOUND_SQL over the store as read), at every as_of,
after each kind of write: a first load, a revision, a back-filled older vintage, a same-day
correction, a lower-priority status, a marked value before and after a measured one, a restated
bound, and a store written before the table existed."""
from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pandas as pd
import pytest

from digecon.ingest import write_frame
from digecon.store import Store
from digecon.store.current import META_KEY


def _flags(store: Store, as_of, kept: bool) -> dict[int, bool]:
    sql, params = (store.listing_sql(as_of=as_of, history=True) if kept
                   else store._ranked_listing_sql(None, None, None, None, as_of, True))
    with store.connection() as con:
        return dict(con.execute(f"SELECT obs_id, current FROM ({sql})", params).fetchall())


def assert_kept(store: Store) -> int:
    """The kept flags equal the ranked ones at the newest vintages and on, just before and just
    after every vintage in the store; returns how many dates were compared."""
    assert store._current_table()
    with store.connection() as con:
        vintages = [r[0] for r in con.execute("SELECT DISTINCT vintage FROM observations"
                                              ).fetchall()]
    one = dt.timedelta(days=1)
    dates = [None] + sorted({d + k for d in vintages for k in (-one, 0 * one, one)})
    for as_of in dates:
        got, want = _flags(store, as_of, True), _flags(store, as_of, False)
        assert got == want, as_of
    assert store.current_mismatches() == []  # the audit agrees
    return len(dates)


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "current.duckdb")
    s.init()
    return s


def _write(store, rows, *, vintage, source="白皮书", status=None, **cols):
    frame = pd.DataFrame([{"region": r, "indicator": i, "period": p, "value": v, **cols}
                          for r, i, p, v in rows])
    return write_frame(store, frame, vintage=vintage, source=source, status=status,
                       origin=f"{source} {vintage}")


def _current(store, indicator, region, as_of=None) -> list[float]:
    df = store.listing(indicator, region, as_of=as_of)
    return sorted(df.loc[df["qualifier"] == "eq", "value"])


def test_every_kind_of_write_keeps_the_current_rows(store):
    _write(store, [("360100", "de_va", "2021", "100"), ("360100", "gdp", "2021", "1000")],
           vintage="2022-03-01")
    assert_kept(store)
    # a revision: the new vintage is current from its date, the old one before it
    _write(store, [("360100", "gdp", "2021", "1100")], vintage="2022-09-01")
    assert _current(store, "gdp", "360100") == [1100.0]
    assert _current(store, "gdp", "360100", as_of="2022-08-31") == [1000.0]
    assert_kept(store)
    # an older vintage loaded later: current only until the vintage after it
    _write(store, [("360100", "gdp", "2021", "900")], vintage="2022-01-01", source="快报")
    assert _current(store, "gdp", "360100", as_of="2022-02-01") == [900.0]
    assert _current(store, "gdp", "360100", as_of="2022-03-01") == [1000.0]
    assert_kept(store)
    # a same-day correction, and back again
    _write(store, [("360100", "gdp", "2021", "1150")], vintage="2022-09-01", source="更正")
    assert _current(store, "gdp", "360100") == [1150.0]
    _write(store, [("360100", "gdp", "2021", "1100")], vintage="2022-09-01", source="再更正")
    assert _current(store, "gdp", "360100") == [1100.0]
    assert_kept(store)
    # a lower-priority status of the same vintage never becomes current
    _write(store, [("360100", "de_va", "2021", "99")], vintage="2022-03-01", status="estimated",
           source="估算")
    assert _current(store, "de_va", "360100") == [100.0]
    # an illustrative value fills a cell until a measured one arrives, even an older one
    _write(store, [("360400", "de_va", "2021", "50")], vintage="2022-06-01",
           status="illustrative", source="示意")
    assert _current(store, "de_va", "360400") == [50.0]
    _write(store, [("360400", "de_va", "2021", "48")], vintage="2022-02-01", source="年鉴")
    assert _current(store, "de_va", "360400") == [48.0]
    assert _current(store, "de_va", "360400", as_of="2022-01-31") == []
    assert_kept(store)
    # a bound restated at a later vintage; an exact value beside it does not compete with it
    _write(store, [("360400", "de_va", "2020", "40")], vintage="2022-03-01", qualifier="gt",
           ref="超40")
    _write(store, [("360400", "de_va", "2020", "45")], vintage="2022-09-01", qualifier="gt",
           ref="超40")
    _write(store, [("360400", "de_va", "2020", "46.5")], vintage="2022-09-01")
    df = store.listing("de_va", "360400", period="2020")
    assert sorted(zip(df["qualifier"], df["value"])) == [("eq", 46.5), ("gt", 45.0)]
    assert assert_kept(store) > 10
    # facts read the same rows (Store.chosen on the kept table)
    assert store.value("gdp", "360100", "2021", as_of="2022-02-01")["value"] == 900.0
    assert store.value("de_va", "360100", "2021")["value"] == 100.0


def test_the_demo_store_is_kept(demo_copy):
    assert assert_kept(Store(demo_copy)) > 3


def test_a_store_written_before_the_table_is_ranked_then_filled(demo_copy, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copy(demo_copy, old)
    con = duckdb.connect(str(old))
    con.execute("DROP TABLE superseded")
    con.execute("DELETE FROM meta WHERE key = ?", [META_KEY])
    con.close()
    before = Store(old)
    assert not before._current_table()
    listed = before.listing(as_of="2022-07-31")  # ranked as it is read: the same rows
    assert list(listed["obs_id"]) == list(Store(demo_copy).listing(as_of="2022-07-31")["obs_id"])
    _write(before, [("360100", "gdp", "2021", "1")], vintage="2025-01-01", source="新")
    after = Store(old)
    assert after._current_table()  # the first write filled it for the whole store
    assert_kept(after)
    assert _current(after, "gdp", "360100") == [1.0]


def test_the_audit_finds_a_wrong_flag(demo_copy):
    store = Store(demo_copy)
    assert store.current_mismatches() == []
    con = duckdb.connect(str(demo_copy))
    victim = con.execute("SELECT obs_id FROM observations o ANTI JOIN superseded USING (obs_id) "
                         "WHERE qualifier = 'eq' LIMIT 1").fetchone()[0]
    con.execute("INSERT INTO superseded VALUES (?, DATE '1900-01-01')", [victim])
    con.close()
    assert (None, victim) in Store(demo_copy).current_mismatches()


def test_the_ingest_command_keeps_them(demo_copy, tmp_path):
    from conftest import run_cli

    path = tmp_path / "revision.csv"
    path.write_text("region,indicator,period,value,unit\n南昌市,gdp,2021,7300,亿元\n"
                    "江西省,de_va,2021,10400,亿元\n", encoding="utf-8")
    out = run_cli("ingest", str(path), "--vintage", "2024-06-30", db=demo_copy)
    assert out.returncode == 0, out.stderr
    store = Store(demo_copy)
    assert _current(store, "gdp", "360100") == [7300.0]
    assert store.value("de_va", "360000", "2021")["value"] == 10400.0
    assert_kept(store)
