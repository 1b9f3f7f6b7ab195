"""API tokens and web sessions: random secrets shown once, stored only as their SHA-256.

A token or session id carries 256 random bits, so a fast hash is enough to keep the stored
value useless to whoever reads the file; passwords (chosen by people) get argon2 instead.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import duckdb

from .db import Target, opened, utcnow, write_lock
from .manage import AccountError, active_principal, get_account
from .roles import Principal

TOKEN_PREFIX = "dgc_"
MAX_TOKEN_DAYS = 366
# last_used_at / last_seen_at are written at most this often per token or session.
TOUCH_EVERY = dt.timedelta(seconds=60)


def _touch(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> None:
    """Note a use; two requests noting the same use at once conflict, and one note is enough
    (taken with the accounts' write lock, so it does not fail a disable or a revocation)."""
    try:
        with write_lock:
            con.execute(sql, params)
    except duckdb.TransactionException:
        pass


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    id: str
    account: str
    label: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    def state(self, now: dt.datetime | None = None) -> str:
        now = now or utcnow()
        if self.revoked_at is not None:
            return "已吊销"
        return "已过期" if self.expires_at <= now else "有效"


class TokenRejected(Exception):
    """A presented token that does not let anyone in; `reason` is unknown/expired/revoked/disabled."""

    def __init__(self, reason: str, token_id: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.token_id = token_id


_TOKEN_COLUMNS = "id, account, label, created_at, expires_at, revoked_at, last_used_at"


def issue_token(target: Target, account: str, days: int, label: str | None = None,
                now: dt.datetime | None = None) -> tuple[str, TokenInfo]:
    """(the token — shown this once and never stored —, its record)."""
    if not 1 <= int(days) <= MAX_TOKEN_DAYS:
        raise AccountError(f"--days：发现 {days}，应为 1–{MAX_TOKEN_DAYS} 天")
    acc = get_account(target, account)
    if not acc.active:
        raise AccountError(f"账号「{account}」已停用，不能签发令牌")
    now = now or utcnow()
    token_id = "t" + secrets.token_hex(5)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with write_lock, opened(target) as con:
        con.execute("INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                    [token_id, account, secret_hash(secret), label, now,
                     now + dt.timedelta(days=int(days))])
    return secret, get_token(target, token_id)


def get_token(target: Target, token_id: str) -> TokenInfo:
    with opened(target) as con:
        row = con.execute(f"SELECT {_TOKEN_COLUMNS} FROM api_tokens WHERE id = ?",
                          [token_id]).fetchone()
    if row is None:
        raise AccountError(f"令牌「{token_id}」不存在（digecon accounts token list 列出全部令牌）")
    return TokenInfo(*row)


def list_tokens(target: Target, account: str | None = None) -> list[TokenInfo]:
    sql = f"SELECT {_TOKEN_COLUMNS} FROM api_tokens"
    params = []
    if account:
        sql += " WHERE account = ?"
        params.append(account)
    with opened(target) as con:
        return [TokenInfo(*r) for r in con.execute(sql + " ORDER BY created_at, id", params)
                .fetchall()]


def revoke_token(target: Target, token_id: str, now: dt.datetime | None = None) -> TokenInfo:
    info = get_token(target, token_id)
    if info.revoked_at is not None:
        raise AccountError(f"令牌「{token_id}」已于 {info.revoked_at:%Y-%m-%d %H:%M} 吊销")
    with write_lock, opened(target) as con:
        con.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", [now or utcnow(), token_id])
    return get_token(target, token_id)


def any_token(target: Target) -> bool:
    """Whether any token was ever issued (a 401 can then say writing is switched off)."""
    with opened(target) as con:
        return con.execute("SELECT count(*) FROM api_tokens").fetchone()[0] > 0


def token_principal(target: Target, secret: str, now: dt.datetime | None = None
                    ) -> tuple[Principal, str]:
    """(Principal, token id) for a valid token of an active account; else TokenRejected."""
    now = now or utcnow()
    with opened(target) as con:
        row = con.execute("SELECT id, account, expires_at, revoked_at, last_used_at "
                          "FROM api_tokens WHERE token_sha256 = ?", [secret_hash(secret)]
                          ).fetchone()
        if row is None:
            raise TokenRejected("unknown")
        token_id, account, expires_at, revoked_at, last_used = row
        if revoked_at is not None:
            raise TokenRejected("revoked", token_id)
        if expires_at <= now:
            raise TokenRejected("expired", token_id)
        if last_used is None or now - last_used >= TOUCH_EVERY:
            _touch(con, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [now, token_id])
    principal = active_principal(target, account)
    if principal is None:
        raise TokenRejected("disabled", token_id)
    return principal, token_id


# sessions ----------------------------------------------------------------------------------

def open_session(target: Target, account: str, address: str | None, hours: float,
                 now: dt.datetime | None = None) -> str:
    """A new session for an account that has just logged in; returns the cookie's value."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(32)
    with opened(target) as con:
        con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    [secret_hash(secret), account, address, now,
                     now + dt.timedelta(hours=hours), now])
    return secret


def session_principal(target: Target, secret: str, idle: dt.timedelta,
                      now: dt.datetime | None = None) -> Principal | None:
    """The Principal of a live session (not ended, not expired, not idle longer than `idle`,
    its account active); None otherwise."""
    now = now or utcnow()
    with opened(target) as con:
        row = con.execute("SELECT account, expires_at, last_seen_at, ended_at FROM sessions "
                          "WHERE id_sha256 = ?", [secret_hash(secret)]).fetchone()
        if row is None:
            return None
        account, expires_at, last_seen, ended_at = row
        if ended_at is not None or expires_at <= now or now - last_seen > idle:
            return None
        if now - last_seen >= TOUCH_EVERY:
            _touch(con, "UPDATE sessions SET last_seen_at = ? WHERE id_sha256 = ?",
                   [now, secret_hash(secret)])
    return active_principal(target, account)


def end_session(target: Target, secret: str, now: dt.datetime | None = None) -> str | None:
    """End a session (logout); returns its account, None if there was no live session."""
    with write_lock, opened(target) as con:
        row = con.execute("SELECT account FROM sessions WHERE id_sha256 = ? AND ended_at IS NULL",
                          [secret_hash(secret)]).fetchone()
        if row is None:
            return None
        con.execute("UPDATE sessions SET ended_at = ? WHERE id_sha256 = ?",
                    [now or utcnow(), secret_hash(secret)])
    return row[0]
