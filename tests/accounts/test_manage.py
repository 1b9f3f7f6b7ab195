"""Accounts: the shape each role needs, passwords only as argon2id hashes, disabling."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from digecon.accounts import (
    AccountError,
    authenticate,
    create_account,
    get_account,
    list_accounts,
    set_disabled,
    set_password,
)
from digecon.catalog import UnknownNameError

PASSWORD = "correct-horse-battery"


def test_city_user_gets_its_region_code(store):
    acc = create_account(store, "nc", "city", password=None, regions=["南昌市"])
    assert acc.regions == ("360100",)
    assert acc.principal().may("view_unpublished", "360100")
    assert not acc.has_password


@pytest.mark.parametrize(("role", "kwargs", "message"), [
    ("city", {"regions": []}, "市级用户应有且只有一个地区"),
    ("city", {"regions": ["南昌市", "九江市"]}, "发现 2 个"),
    ("reporter", {"regions": ["南昌市"]}, "部门填报员应给出所属部门"),
    ("reporter", {"department": "tjj"}, "部门填报员应给出所属部门"),
    ("reviewer", {"regions": ["南昌市"]}, "不按地区或部门划分"),
    ("boss", {}, "角色「boss」未知"),
    ("admin", {"indicators": ["gdp"]}, "只有部门填报员按指标划分"),
])
def test_each_role_gets_the_fields_it_needs(store, role, kwargs, message):
    with pytest.raises(AccountError, match=message):
        create_account(store, "someone", role, password=None, **kwargs)
    assert list_accounts(store) == []


def test_unknown_region_names_the_closest(store):
    with pytest.raises(UnknownNameError, match="南晶"):
        create_account(store, "x1", "city", password=None, regions=["南晶"])


def test_names_are_unique_and_checked(store):
    create_account(store, "li", "reviewer", password=None)
    with pytest.raises(AccountError, match="已存在"):
        create_account(store, "li", "admin", password=None)
    with pytest.raises(AccountError, match="不可用"):
        create_account(store, "a b", "admin", password=None)


def test_password_is_never_stored_plain(store):
    create_account(store, "boss", "admin", password=PASSWORD)
    with duckdb.connect(str(store.path)) as con:
        stored = con.execute("SELECT password_hash FROM accounts").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PASSWORD.encode() not in store.path.read_bytes()


def test_short_password_is_refused(store):
    with pytest.raises(AccountError, match="发现 5 个字符，应至少 10 个字符"):
        create_account(store, "boss", "admin", password="short")


def test_authenticate(store):
    create_account(store, "boss", "admin", password=PASSWORD)
    assert authenticate(store, "boss", PASSWORD).role == "admin"
    assert authenticate(store, "boss", PASSWORD + "x") is None
    assert authenticate(store, "nobody", PASSWORD) is None


def test_a_token_only_account_cannot_log_in(store):
    create_account(store, "bot", "admin", password=None)
    assert authenticate(store, "bot", "") is None
    assert authenticate(store, "bot", PASSWORD) is None


def test_disabled_account_cannot_log_in_and_its_sessions_end(store):
    from digecon.accounts import open_session, session_principal

    create_account(store, "boss", "admin", password=PASSWORD)
    secret = open_session(store, "boss", "10.0.0.1", hours=1)
    idle = dt.timedelta(minutes=30)
    assert session_principal(store, secret, idle).account == "boss"
    set_disabled(store, "boss", True)
    assert authenticate(store, "boss", PASSWORD) is None
    assert session_principal(store, secret, idle) is None
    set_disabled(store, "boss", False)
    assert authenticate(store, "boss", PASSWORD) is not None
    assert session_principal(store, secret, idle) is None  # an ended session stays ended
    assert get_account(store, "boss").active


def test_set_password(store):
    create_account(store, "boss", "admin", password=PASSWORD)
    set_password(store, "boss", "another-long-one")
    assert authenticate(store, "boss", PASSWORD) is None
    assert authenticate(store, "boss", "another-long-one") is not None
