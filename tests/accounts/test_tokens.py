"""API tokens and sessions: shown once, stored as a hash, expiring, revocable."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from digecon.accounts import (
    AccountError,
    TokenRejected,
    create_account,
    end_session,
    issue_token,
    list_tokens,
    open_session,
    revoke_token,
    session_principal,
    set_disabled,
    token_principal,
)

T0 = dt.datetime(2026, 12, 1, 8, 0, 0)


@pytest.fixture
def city(store):
    create_account(store, "nc", "city", password=None, regions=["南昌市"])
    return store


def test_a_token_lets_its_account_in_and_is_stored_as_a_hash(city):
    secret, info = issue_token(city, "nc", days=30, now=T0)
    assert secret.startswith("dgc_") and len(secret) > 40
    principal, token_id = token_principal(city, secret, now=T0 + dt.timedelta(days=1))
    assert (principal.account, principal.regions, token_id) == ("nc", ("360100",), info.id)
    assert info.expires_at == T0 + dt.timedelta(days=30)
    with duckdb.connect(str(city.path)) as con:
        stored = con.execute("SELECT token_sha256 FROM api_tokens").fetchone()[0]
    assert len(stored) == 64 and secret not in stored
    assert secret.encode() not in city.path.read_bytes()


def test_last_use_is_recorded(city):
    secret, _ = issue_token(city, "nc", days=30, now=T0)
    token_principal(city, secret, now=T0 + dt.timedelta(hours=2))
    assert list_tokens(city)[0].last_used_at == T0 + dt.timedelta(hours=2)


def test_an_expired_token_is_rejected(city):
    secret, _ = issue_token(city, "nc", days=1, now=T0)
    token_principal(city, secret, now=T0 + dt.timedelta(hours=23, minutes=59))
    with pytest.raises(TokenRejected) as exc:
        token_principal(city, secret, now=T0 + dt.timedelta(days=1))
    assert exc.value.reason == "expired"
    assert list_tokens(city)[0].state(T0 + dt.timedelta(days=2)) == "已过期"


def test_a_revoked_token_is_rejected_at_once(city):
    secret, info = issue_token(city, "nc", days=30, now=T0)
    revoke_token(city, info.id, now=T0 + dt.timedelta(minutes=1))
    with pytest.raises(TokenRejected) as exc:
        token_principal(city, secret, now=T0 + dt.timedelta(minutes=2))
    assert (exc.value.reason, exc.value.token_id) == ("revoked", info.id)
    with pytest.raises(AccountError, match="已于 2026-12-01 08:01 吊销"):
        revoke_token(city, info.id)


def test_a_disabled_accounts_token_is_rejected(city):
    secret, _ = issue_token(city, "nc", days=30, now=T0)
    set_disabled(city, "nc", True)
    with pytest.raises(TokenRejected) as exc:
        token_principal(city, secret, now=T0)
    assert exc.value.reason == "disabled"
    with pytest.raises(AccountError, match="已停用"):
        issue_token(city, "nc", days=30)


def test_unknown_token_and_bad_days(city):
    with pytest.raises(TokenRejected) as exc:
        token_principal(city, "dgc_guess")
    assert exc.value.reason == "unknown"
    for days in (0, 367):
        with pytest.raises(AccountError, match=f"发现 {days}，应为 1–366 天"):
            issue_token(city, "nc", days=days)
    with pytest.raises(AccountError, match="不存在"):
        issue_token(city, "nobody", days=3)


def test_sessions_expire_idle_and_end(city):
    idle = dt.timedelta(minutes=30)
    s = open_session(city, "nc", "10.0.0.1", hours=2, now=T0)
    assert session_principal(city, s, idle, now=T0 + dt.timedelta(minutes=29)).account == "nc"
    # idle for longer than 30 minutes after the last request
    assert session_principal(city, s, idle, now=T0 + dt.timedelta(minutes=60)) is None
    s2 = open_session(city, "nc", "10.0.0.1", hours=2, now=T0)
    for minutes in (25, 50, 75, 100):  # kept alive by use …
        assert session_principal(city, s2, idle, now=T0 + dt.timedelta(minutes=minutes))
    assert session_principal(city, s2, idle, now=T0 + dt.timedelta(minutes=120)) is None  # … not past 2 h
    s3 = open_session(city, "nc", "10.0.0.1", hours=2)
    assert end_session(city, s3) == "nc"
    assert session_principal(city, s3, idle) is None
    assert end_session(city, s3) is None
