"""Per-account lockout after repeated wrong passwords, read from the audit log.

The address throttle (digecon.api.security) stops one address guessing; this stops many
addresses guessing one account's password. The audit log is the record: every wrong password
for an existing account is a `login_failed` entry naming it, so the lock needs no table of its
own and the CLI and the server see the same state.

The rule, and why it cannot keep an administrator out for good:
- `FAILURES` wrong passwords for one account within `WINDOW`, counted since its last successful
  sign-in or unlock, lock password sign-in to it until the `FAILURES`-th most recent of them
  is `WINDOW` old. While locked, a password is not even checked (guessing gains nothing), and
  such an attempt is logged as `login_locked`, not counted as a failure: a lock ends on time
  however long the guessing goes on.
- An address the account signed in from successfully within `KNOWN_DAYS` is exempt: an
  attacker elsewhere can re-lock an account every `WINDOW`, but not for its owner at their
  usual machine (that address still has its own throttle).
- API tokens and sessions already open keep working; an administrator unlocks on the
  /accounts page, through the API, or with `digecon accounts unlock NAME` on the server itself.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .auditlog import audit
from .db import Target, opened, utcnow

FAILURES = 10
WINDOW = dt.timedelta(minutes=15)
KNOWN_DAYS = 30


@dataclass(frozen=True)
class Lock:
    """A password lock on an account: until when (UTC), after how many failures."""
    account: str
    until: dt.datetime
    failures: int

    def seconds_left(self, now: dt.datetime | None = None) -> int:
        left = (self.until - (now or utcnow())).total_seconds()
        return max(1, int(left + 0.999))


def _reset_at(con, name: str) -> dt.datetime | None:
    """When the account's failures were last wiped: its last sign-in or unlock."""
    row = con.execute("""
        SELECT max("at") FROM audit_log
        WHERE (action = 'login' AND account = ?)
           OR (action = 'account_unlocked' AND json_extract_string(detail, '$.name') = ?)""",
                      [name, name]).fetchone()
    return row[0] if row else None


def failures(target: Target, name: str, now: dt.datetime | None = None) -> list[dt.datetime]:
    """Times of the account's wrong passwords that count now (newest first)."""
    now = now or utcnow()
    with opened(target) as con:
        start = now - WINDOW
        reset = _reset_at(con, name)
        if reset is not None and reset > start:
            start = reset
        rows = con.execute("""SELECT "at" FROM audit_log
                              WHERE action = 'login_failed' AND account = ? AND "at" > ?
                                AND "at" <= ?
                              ORDER BY "at" DESC""", [name, start, now]).fetchall()
    return [r[0] for r in rows]


def lock_of(target: Target, name: str, now: dt.datetime | None = None) -> Lock | None:
    """The account's lock now, None when password sign-in to it is open."""
    now = now or utcnow()
    times = failures(target, name, now)
    if len(times) < FAILURES:
        return None
    until = times[FAILURES - 1] + WINDOW
    return Lock(name, until, len(times)) if until > now else None


def known_address(target: Target, name: str, address: str | None,
                  now: dt.datetime | None = None) -> bool:
    """Whether the account signed in successfully from `address` within KNOWN_DAYS."""
    if not address:
        return False
    now = now or utcnow()
    with opened(target) as con:
        row = con.execute("""SELECT 1 FROM audit_log
                             WHERE action = 'login' AND account = ? AND address = ?
                               AND "at" >= ? LIMIT 1""",
                          [name, address, now - dt.timedelta(days=KNOWN_DAYS)]).fetchone()
    return row is not None


def blocking_lock(target: Target, name: str, address: str | None,
                  now: dt.datetime | None = None) -> Lock | None:
    """The lock that refuses a password sign-in to `name` from `address` (None: go ahead)."""
    lock = lock_of(target, name, now)
    if lock is None or known_address(target, name, address, now):
        return None
    return lock


def locks(target: Target, now: dt.datetime | None = None) -> dict[str, Lock]:
    """Every account locked now, by name (for the administrator's list)."""
    now = now or utcnow()
    with opened(target) as con:
        names = [r[0] for r in con.execute("""
            SELECT account FROM audit_log
            WHERE action = 'login_failed' AND account IS NOT NULL AND "at" > ?
            GROUP BY account HAVING count(*) >= ?""", [now - WINDOW, FAILURES]).fetchall()]
    out = {}
    for name in names:
        lock = lock_of(target, name, now)
        if lock is not None:
            out[name] = lock
    return out


def unlock(target: Target, name: str, *, by: str | None, address: str | None,
           now: dt.datetime | None = None) -> bool:
    """Lift the account's lock (its failures so far stop counting); logged as
    `account_unlocked` whether or not it was locked. Returns whether it was."""
    was = lock_of(target, name, now)
    audit(target, account=by, action="account_unlocked", address=address,
          detail={"name": name, "was_locked": was is not None,
                  "failures": was.failures if was else 0}, at=now)
    return was is not None


__all__ = ["FAILURES", "KNOWN_DAYS", "WINDOW", "Lock", "blocking_lock", "failures",
           "known_address", "lock_of", "locks", "unlock"]
