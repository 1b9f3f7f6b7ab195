"""Per-account lockout: counted from its own small table of wrong passwords (never the audit log),
ending on time, reset by a sign-in or an unlock, never blocking the account's own known
addresses, and locking a name no account has the same way."""
from __future__ import annotations

import datetime as dt

from conftest import run_cli

from digecon.accounts import create_account, entries
from digecon.accounts import lockout as lo
from digecon.accounts.db import opened

T0 = dt.datetime(2026, 5, 4, 9, 0, 0)


def _fail(store, name, at, address="203.0.113.1"):
    lo.record_failure(store, name, at)


def _guesses(store, name, n, start=T0, step=dt.timedelta(seconds=30), spread=True):
    """n wrong passwords, each from its own address when `spread` (a distributed guesser)."""
    for i in range(n):
        _fail(store, name, start + i * step, f"198.51.100.{i + 1}" if spread else "203.0.113.1")
    return start + (n - 1) * step


def test_ten_wrong_passwords_in_the_window_lock_the_account_until_the_first_ages_out(store):
    create_account(store, "boss", "admin", password="boss-pass-phrase")
    last = _guesses(store, "boss", lo.FAILURES - 1)
    assert lo.lock_of(store, "boss", last) is None  # nine are not enough
    last = _guesses(store, "boss", 1, start=last + dt.timedelta(seconds=30))
    lock = lo.lock_of(store, "boss", last)
    assert lock is not None and lock.failures == lo.FAILURES
    assert lock.until == T0 + lo.WINDOW
    assert lo.lock_of(store, "boss", T0 + lo.WINDOW - dt.timedelta(seconds=1)) is not None
    assert lo.lock_of(store, "boss", T0 + lo.WINDOW) is None  # over by itself
    assert lo.locks(store, last) == {"boss": lock}


def test_failures_spread_wider_than_the_window_never_lock(store):
    create_account(store, "rv", "reviewer", password="review-pass-phrase")
    step = lo.WINDOW / (lo.FAILURES - 1) + dt.timedelta(seconds=1)
    last = _guesses(store, "rv", 3 * lo.FAILURES, step=step)
    assert all(lo.lock_of(store, "rv", T0 + k * step) is None for k in range(3 * lo.FAILURES))
    assert lo.lock_of(store, "rv", last) is None


def test_a_sign_in_or_an_unlock_wipes_the_count(store):
    create_account(store, "boss", "admin", password="boss-pass-phrase")
    last = _guesses(store, "boss", lo.FAILURES)
    assert lo.lock_of(store, "boss", last) is not None
    at = last + dt.timedelta(seconds=5)
    assert lo.unlock(store, "boss", by="root", address="10.0.0.1", now=at) is True
    assert lo.lock_of(store, "boss", at) is None
    assert lo.unlock(store, "boss", by="root", address="10.0.0.1", now=at) is False
    assert [(e["action"], e["account"], e["detail"]) for e in entries(store)][-2:] == [
        ("account_unlocked", "root", {"name": "boss", "was_locked": True, "failures": 10}),
        ("account_unlocked", "root", {"name": "boss", "was_locked": False, "failures": 0})]
    last = _guesses(store, "boss", lo.FAILURES, start=at + dt.timedelta(seconds=1))
    assert lo.lock_of(store, "boss", last) is not None
    lo.record_sign_in(store, "boss", "10.1.1.1", last + dt.timedelta(seconds=1))
    assert lo.lock_of(store, "boss", last + dt.timedelta(seconds=2)) is None


def test_the_accounts_known_address_is_not_blocked(store):
    create_account(store, "boss", "admin", password="boss-pass-phrase")
    lo.record_sign_in(store, "boss", "10.0.0.7", T0 - dt.timedelta(days=lo.KNOWN_DAYS - 1))
    last = _guesses(store, "boss", lo.FAILURES + 5)
    assert lo.lock_of(store, "boss", last) is not None
    assert lo.blocking_lock(store, "boss", "10.0.0.7", last) is None
    assert lo.blocking_lock(store, "boss", "198.51.100.200", last) is not None
    # an address used longer ago than KNOWN_DAYS is not known any more
    assert not lo.known_address(store, "boss", "10.0.0.7",
                                T0 + dt.timedelta(days=2))
    # another account's failures are its own
    create_account(store, "nc", "city", password="city-pass-phrase", regions=["南昌市"])
    assert lo.lock_of(store, "nc", last) is None


def test_digecon_accounts_unlock(store):
    create_account(store, "boss", "admin", password="boss-pass-phrase")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _guesses(store, "boss", lo.FAILURES, start=now - dt.timedelta(minutes=5),
             step=dt.timedelta(seconds=1))
    r = run_cli("accounts", "list", "--db", str(store.path))
    assert "boss\t省级管理员\t已锁定（至 " in r.stdout, r.stdout + r.stderr
    r = run_cli("accounts", "unlock", "boss", "--db", str(store.path))
    assert r.returncode == 0 and "已解除账号 boss 的锁定" in r.stdout, r.stderr
    assert lo.lock_of(store, "boss") is None
    assert entries(store)[-1]["action"] == "account_unlocked"
    assert entries(store)[-1]["address"].startswith("cli")
    r = run_cli("accounts", "unlock", "nobody", "--db", str(store.path))
    assert r.returncode == 2 and "账号「nobody」不存在" in r.stderr


def test_a_name_no_account_has_locks_the_same_way(store):
    last = _guesses(store, "nobody", lo.FAILURES)
    lock = lo.lock_of(store, "nobody", last)
    assert lock is not None and (lock.failures, lock.until) == (lo.FAILURES, T0 + lo.WINDOW)
    assert lo.blocking_lock(store, "nobody", "198.51.100.1", last) is not None
    assert lo.locks(store, last) == {}  # the administrator's list names accounts only
    with opened(store) as con:  # the name typed is not stored as typed
        assert con.execute("SELECT count(*) FROM login_failures WHERE name_sha256 = 'nobody'"
                           ).fetchone()[0] == 0


def test_the_lock_check_reads_its_own_small_tables_not_the_audit_log(store):
    """The check does not grow with the log: with the audit log gone from under it, the lock
    and the known address are decided as before; failures past the window are pruned, so the
    table holds only the last minutes' guesses."""
    create_account(store, "boss", "admin", password="boss-pass-phrase")
    lo.record_sign_in(store, "boss", "10.0.0.7", T0 - dt.timedelta(days=1))
    _guesses(store, "boss", 2, start=T0 - 2 * lo.WINDOW)  # long gone by T0
    last = _guesses(store, "boss", lo.FAILURES)
    with opened(store) as con:
        assert con.execute("SELECT count(*) FROM login_failures").fetchone()[0] == lo.FAILURES
        con.execute("ALTER TABLE audit_log RENAME TO audit_log_elsewhere")
    lock = lo.lock_of(store, "boss", last)
    assert lock is not None and lock.failures == lo.FAILURES
    assert lo.known_address(store, "boss", "10.0.0.7", last)
    assert lo.blocking_lock(store, "boss", "10.0.0.7", last) is None
    assert lo.blocking_lock(store, "boss", "198.51.100.99", last) == lock
    assert lo.locks(store, last) == {"boss": lock}
