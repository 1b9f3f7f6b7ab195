"""Accounts: create, list, disable; passwords kept only as argon2id hashes."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from digecon.catalog import get_catalog
from digecon.errors import InputError

from .db import Target, opened, utcnow, write_lock
from .roles import ROLE_ZH, Principal

NAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,64}$")
MIN_PASSWORD = 10

_hasher = PasswordHasher()
# Checked against when the account is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("digecon-no-such-account")


class AccountError(InputError):
    """An account request a person has to correct (name taken, role unknown, weak password …)."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    display_name: str
    department: str | None
    regions: tuple[str, ...]
    indicators: tuple[str, ...]
    has_password: bool
    created_at: dt.datetime
    disabled_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def principal(self) -> Principal:
        return Principal(account=self.name, role=self.role, display_name=self.display_name,
                         department=self.department, regions=self.regions,
                         indicators=self.indicators)


_SELECT = ("SELECT name, role, display_name, department, regions, indicators, "
           "password_hash IS NOT NULL, created_at, disabled_at FROM accounts")


def _account(row) -> Account:
    return Account(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])),
                   tuple(json.loads(row[5])), bool(row[6]), row[7], row[8])


def region_codes(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Region names or codes → catalog codes (UnknownNameError names the closest ones)."""
    catalog = get_catalog()
    codes: list[str] = []
    for name in names:
        code = catalog.region(name).code
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def region_label(code: str) -> str:
    """南昌市（360100）: how a stored region code is shown to a person."""
    try:
        return f"{get_catalog().region(code).name}（{code}）"
    except KeyError:
        return code


def indicator_codes(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    catalog = get_catalog()
    return tuple(dict.fromkeys(catalog.indicator(n).code for n in names))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码过短：发现 {len(password)} 个字符，应至少 {MIN_PASSWORD} 个字符")
    if password.strip() != password:
        raise AccountError("密码首尾不能是空白字符（常见于误复制的换行）")


def _check_shape(name: str, role: str, department: str | None, regions: tuple[str, ...]) -> None:
    if not NAME_RE.match(name):
        raise AccountError(f"账号名「{name}」不可用：应为 2–64 个字母、数字、汉字或 _ . -")
    if role not in ROLE_ZH:
        raise AccountError(f"角色「{role}」未知：应为 "
                           + "、".join(f"{k}（{v}）" for k, v in ROLE_ZH.items()))
    if role == "city" and len(regions) != 1:
        raise AccountError(f"市级用户应有且只有一个地区（--region），发现 {len(regions)} 个")
    if role == "reporter" and (not department or not regions):
        raise AccountError("部门填报员应给出所属部门（--department）和负责的地区（--region，可多个）")
    if role in ("admin", "reviewer") and (regions or department):
        raise AccountError(f"{ROLE_ZH[role]}不按地区或部门划分：请去掉 --region / --department")


def create_account(target: Target, name: str, role: str, *, password: str | None,
                   display_name: str | None = None, department: str | None = None,
                   regions: tuple[str, ...] | list[str] = (),
                   indicators: tuple[str, ...] | list[str] = (),
                   now: dt.datetime | None = None) -> Account:
    """A new account; `regions` and `indicators` may be names or codes (stored as codes).
    `password` None makes an account that can only use API tokens."""
    name = name.strip()
    department = department.strip() if department else None
    codes = region_codes(list(regions))
    inds = indicator_codes(list(indicators))
    _check_shape(name, role, department, codes)
    if inds and role != "reporter":
        raise AccountError("只有部门填报员按指标划分（--indicator）")
    if password is not None:
        check_password(password)
    digest = _hasher.hash(password) if password is not None else None
    now = now or utcnow()
    with write_lock, opened(target) as con:
        if con.execute("SELECT 1 FROM accounts WHERE name = ?", [name]).fetchone():
            raise AccountError(f"账号「{name}」已存在")
        con.execute("INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    [name, role, display_name or name, department,
                     json.dumps(list(codes)), json.dumps(list(inds)), digest, now,
                     now if digest else None])
    return get_account(target, name)


def get_account(target: Target, name: str) -> Account:
    with opened(target) as con:
        row = con.execute(_SELECT + " WHERE name = ?", [name]).fetchone()
    if row is None:
        raise AccountError(f"账号「{name}」不存在（digecon accounts list 列出全部账号）")
    return _account(row)


def account_exists(target: Target, name: str) -> bool:
    with opened(target) as con:
        return con.execute("SELECT 1 FROM accounts WHERE name = ?", [name]).fetchone() is not None


def list_accounts(target: Target) -> list[Account]:
    with opened(target) as con:
        return [_account(r) for r in con.execute(_SELECT + " ORDER BY name").fetchall()]


def set_disabled(target: Target, name: str, disabled: bool,
                 now: dt.datetime | None = None) -> Account:
    """Disable (every session and token of it stops working at once) or enable again."""
    get_account(target, name)
    now = now or utcnow()
    with write_lock, opened(target) as con:
        con.execute("UPDATE accounts SET disabled_at = ? WHERE name = ?",
                    [now if disabled else None, name])
        if disabled:
            con.execute("UPDATE sessions SET ended_at = ? WHERE account = ? AND ended_at IS NULL",
                        [now, name])
    return get_account(target, name)


def set_password(target: Target, name: str, password: str, now: dt.datetime | None = None) -> None:
    check_password(password)
    get_account(target, name)
    with write_lock, opened(target) as con:
        con.execute("UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE name = ?",
                    [_hasher.hash(password), now or utcnow(), name])


def authenticate(target: Target, name: str, password: str) -> Principal | None:
    """The account's Principal when `password` is its password and it is active, else None.
    An unknown name takes as long as a wrong password."""
    with opened(target) as con:
        row = con.execute("SELECT password_hash, disabled_at FROM accounts WHERE name = ?",
                          [name]).fetchone()
    digest = row[0] if row and row[0] else _DUMMY_HASH
    try:
        _hasher.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row[0] or row[1] is not None:
        return None
    if _hasher.check_needs_rehash(digest):
        with write_lock, opened(target) as con:
            con.execute("UPDATE accounts SET password_hash = ? WHERE name = ?",
                        [_hasher.hash(password), name])
    return get_account(target, name).principal()


def active_principal(target: Target, name: str) -> Principal | None:
    """The Principal of an active account, None when it is missing or disabled."""
    with opened(target) as con:
        row = con.execute(_SELECT + " WHERE name = ? AND disabled_at IS NULL", [name]).fetchone()
    return _account(row).principal() if row else None


def last_logins(target: Target) -> dict[str, dt.datetime]:
    """Each account's last successful web sign-in (UTC), from its sessions."""
    with opened(target) as con:
        rows = con.execute("SELECT account, max(created_at) FROM sessions GROUP BY account"
                           ).fetchall()
    return {name: at for name, at in rows}
