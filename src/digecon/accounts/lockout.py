"""Per-account lockout after repeated wrong passwords, kept in two small tables of its own.

The address throttle (digecon.api.security) stops one address guessing; this stops many
addresses guessing one account's password. The audit log still records every attempt, but a
sign-in never reads it: the lock is decided from `login_failures` (the wrong passwords of the
last `WINDOW`, pruned as they age out) and `login_addresses` (where each account signed in,
pruned after `KNOWN_DAYS`), whose size follows the accounts and the guessing of the last minutes,
never the length of the log. The CLI and the server read the same tables in the same file.

A name no account has is counted like one that exists, by the same digest, and locks the same
way with the same message: what the login page says never tells whether an account exists.

The rule, and why it cannot keep an administrator out for good:
- `FAILURES` wrong passwords for one name within `WINDOW`, counted since its last successful
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
import hashlib
from dataclasses import dataclass

from .auditlog import audit
from .db import Target, opened, utcnow, write_lock

FAILURES = 10
WINDOW = dt.timedelta(minutes=15)
KNOWN_DAYS = 30


def name_digest(name: str) -> str:
    """The key of a name typed at the login (it may be a password typed in the wrong box)."""
    return hashlib.sha256(("digecon-login:" + name).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Lock:
    """A password lock on an account: until when (UTC), after how many failures."""
    account: str
    until: dt.datetime
    failures: int

    def seconds_left(self, now: dt.datetime | None = None) -> int:
        left = (self.until - (now or utcnow())).total_seconds()
        return max(1, int(left + 0.999))


def failures(target: Target, name: str, now: dt.datetime | None = None) -> list[dt.datetime]:
    """Times of the wrong passwords for `name` that count now (newest first)."""
    now = now or utcnow()
    with opened(target) as con:
        rows = con.execute("""SELECT "at" FROM login_failures
                              WHERE name_sha256 = ? AND "at" > ? AND "at" <= ?
                              ORDER BY "at" DESC""",
                           [name_digest(name), now - WINDOW, now]).fetchall()
    return [r[0] for r in rows]


def record_failure(target: Target, name: str, now: dt.datetime | None = None) -> None:
    """A wrong password for `name` (an account's or not); failures older than WINDOW go."""
    now = now or utcnow()
    with write_lock, opened(target) as con:
        con.execute('DELETE FROM login_failures WHERE "at" <= ?', [now - WINDOW])
        con.execute("INSERT INTO login_failures VALUES (?, ?)", [name_digest(name), now])


def record_sign_in(target: Target, name: str, address: str | None,
                   now: dt.datetime | None = None) -> None:
    """A successful password sign-in: the name's failures stop counting and the address is
    known to the account for KNOWN_DAYS."""
    now = now or utcnow()
    with write_lock, opened(target) as con:
        con.execute("DELETE FROM login_failures WHERE name_sha256 = ?", [name_digest(name)])
        con.execute("DELETE FROM login_addresses WHERE last_at < ?",
                    [now - dt.timedelta(days=KNOWN_DAYS)])
        if address:
            con.execute("""INSERT INTO login_addresses VALUES (?, ?, ?)
                           ON CONFLICT (account, address) DO UPDATE SET last_at = excluded.last_at""",
                        [name, address, now])


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
        row = con.execute("""SELECT 1 FROM login_addresses
                             WHERE account = ? AND address = ? AND last_at >= ?""",
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
    """Every account locked now, by name (for the administrator's list); names no account
    has are locked too but not listed."""
    now = now or utcnow()
    with opened(target) as con:
        digests = {r[0] for r in con.execute("""
            SELECT name_sha256 FROM login_failures WHERE "at" > ? AND "at" <= ?
            GROUP BY name_sha256 HAVING count(*) >= ?""", [now - WINDOW, now, FAILURES]).fetchall()}
        names = [r[0] for r in con.execute("SELECT name FROM accounts").fetchall()] \
            if digests else []
    out = {}
    for name in names:
        if name_digest(name) in digests and (lock := lock_of(target, name, now)) is not None:
            out[name] = lock
    return out


def unlock(target: Target, name: str, *, by: str | None, address: str | None,
           now: dt.datetime | None = None) -> bool:
    """Lift the account's lock (its failures so far stop counting); logged as
    `account_unlocked` whether or not it was locked. Returns whether it was."""
    was = lock_of(target, name, now)
    with write_lock, opened(target) as con:
        con.execute("DELETE FROM login_failures WHERE name_sha256 = ?", [name_digest(name)])
    audit(target, account=by, action="account_unlocked", address=address,
          detail={"name": name, "was_locked": was is not None,
                  "failures": was.failures if was else 0}, at=now)
    return was is not None


__all__ = ["FAILURES", "KNOWN_DAYS", "WINDOW", "Lock", "blocking_lock", "failures",
           "known_address", "lock_of", "locks", "name_digest", "record_failure",
           "record_sign_in", "unlock"]
