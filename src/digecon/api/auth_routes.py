"""Login and logout pages, who-am-I, and the admin's accounts, tokens and audit log over HTTP
(so that a running server need not be stopped to add an account or revoke a token)."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Annotated, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from digecon.accounts import (
    AUDIT_ACTION_ZH,
    Principal,
    authenticate,
    create_account,
    end_session,
    entries,
    get_account,
    issue_token,
    list_accounts,
    list_tokens,
    lockout,
    open_session,
    revoke_token,
    set_disabled,
    set_password,
)
from digecon.accounts.auditlog import AuditQueryError, to_csv
from digecon.accounts.manage import MIN_PASSWORD, account_exists, last_logins, region_label
from digecon.accounts.roles import ROLE_ZH
from digecon.accounts.tokens import MAX_TOKEN_DAYS, get_token
from digecon.errors import InputError

from . import security
from .pages import city_list, render
from .security import (
    SESSION_COOKIE,
    audit_request,
    check_throttle,
    clear_session_cookie,
    csrf_token,
    current_principal,
    deny,
    record_failure,
    request_address,
    require,
    set_csrf_cookie,
    set_session_cookie,
    verify_csrf,
)

router = APIRouter()
MAX_AUDIT_ROWS = 10_000
PAGE_ROWS = 500  # rows the /audit page shows; the CSV download has up to MAX_AUDIT_ROWS


def _next_url(value: str | None) -> str:
    """Only a path of this site (no scheme, no //host): a login link cannot send anyone away."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value[:500]
    return "/"


def _login_page(request: Request, *, error: str | None = None, account: str | None = None,
                next_url: str = "/", status: int = 200) -> Response:
    principal = current_principal(request)
    resp = render(request, "login.html.j2", title="登录", nav="login", error=error,
                  account=account, next_url=next_url,
                  login_csrf=None if principal else csrf_token(request))
    resp.status_code = status
    resp.headers["Cache-Control"] = "no-store"
    set_csrf_cookie(request, resp)
    return resp


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str | None = None):
    return _login_page(request, next_url=_next_url(next))


@router.post("/login", include_in_schema=False)
async def login(request: Request, account: Annotated[str, Form(max_length=64)] = "",
                password: Annotated[str, Form(max_length=1024)] = "",
                next: Annotated[str, Form(max_length=500)] = "/"):
    next_url = _next_url(next)
    try:
        check_throttle(request)
    except HTTPException as exc:
        resp = _login_page(request, error=exc.detail, account=account, next_url=next_url,
                           status=429)
        resp.headers["Retry-After"] = exc.headers["Retry-After"]
        return resp
    request.state.digecon_auth_via = None  # a login form is checked against its own cookie
    try:
        await verify_csrf(request)
    except HTTPException as exc:
        return _login_page(request, error=f"{exc.detail}", account=account, next_url=next_url,
                           status=403)
    # argon2 takes tens of milliseconds of CPU: off the event loop, with the writes
    return await run_in_threadpool(_sign_in, request, account.strip(), password, next_url)


def _sign_in(request: Request, account: str, password: str, next_url: str) -> Response:
    store = request.app.state.view.store
    address = request_address(request)
    known = bool(account) and account_exists(store, account)
    # A name no account has is counted and locked as one that exists (lockout.py): the page
    # says the same either way, so it never tells whether an account exists.
    lock = lockout.blocking_lock(store, account, address) if account else None
    if lock is not None:
        # The password is not checked while the name is locked, and the attempt is not a
        # failure: the lock ends on time however long the guessing goes on (lockout.py).
        wait = lock.seconds_left()
        security.audit_capped(request, "login_locked", account if known else None,
                              {"account": account, "until": _iso(lock.until)} if known
                              else {"account_unknown": True})
        resp = _login_page(request, error=lock_message(lock), account=account,
                           next_url=next_url, status=429)
        resp.headers["Retry-After"] = str(wait)
        return resp
    principal = authenticate(store, account, password) if account and password else None
    if principal is None:
        # A name no account has is not logged: it is often a password typed in the wrong box.
        record_failure(request, "login_failed",
                       {"account": account} if known else {"account_unknown": True},
                       account=account if known else None)
        if account:
            lockout.record_failure(store, account)
        if known:
            lock = lockout.lock_of(store, account)
            if lock is not None and lock.failures == lockout.FAILURES:
                audit_request(request, "account_locked", account=account, detail={
                    "failures": lock.failures, "until": _iso(lock.until),
                    "window_minutes": int(lockout.WINDOW.total_seconds() // 60)})
        return _login_page(request, error="账号或密码错误，或账号已停用", account=account,
                           next_url=next_url, status=401)
    secret = open_session(store, principal.account, address,
                          request.app.state.settings.session_hours)
    lockout.record_sign_in(store, principal.account, address)
    audit_request(request, "login", account=principal.account, detail={"role": principal.role})
    resp = RedirectResponse(next_url, status_code=303)
    set_session_cookie(request, resp, secret)
    return resp


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds") + "Z"


def lock_message(lock: lockout.Lock) -> str:
    """The same words for every name locked, an account's or not (it names no account)."""
    minutes = max(1, -(-lock.seconds_left() // 60))
    window = int(lockout.WINDOW.total_seconds() // 60)
    return (f"此账号名的密码错误次数过多（{window} 分钟内 {lockout.FAILURES} 次），密码登录已暂停："
            f"请约 {minutes} 分钟后再试，或请省级管理员解锁。"
            f"近 {lockout.KNOWN_DAYS} 天内用本账号成功登录过的地址不受此限。")


@router.post("/logout", include_in_schema=False)
async def logout(request: Request):
    principal = await run_in_threadpool(current_principal, request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if principal is not None and request.state.digecon_auth_via == "session":
        await verify_csrf(request)
        await run_in_threadpool(end_session, request.app.state.view.store, cookie)
        await run_in_threadpool(audit_request, request, "logout", account=principal.account)
    resp = RedirectResponse("/", status_code=303)
    clear_session_cookie(request, resp)
    return resp


@router.get("/audit", include_in_schema=False)
def audit_page(request: Request, account: str | None = None, action: str | None = None,
               since: str | None = None):
    principal = current_principal(request)
    if principal is None:
        return RedirectResponse("/login?next=/audit", status_code=303)
    ctx = {"title": "审计日志", "nav": "audit", "account": account, "action": action,
           "since": since, "actions": sorted(AUDIT_ACTION_ZH.items()), "rows": []}
    if not principal.may("view_audit"):
        try:
            deny(request, principal, "view_audit")
        except HTTPException as exc:
            resp = render(request, "audit.html.j2", error=exc.detail, **ctx)
            resp.status_code = 403
            return resp
    account = (account or "").strip()[:64] or None
    action = (action or "").strip()[:64] or None
    try:
        rows = entries(request.app.state.view.store, account=account, action=action,
                       since=since or None, limit=PAGE_ROWS, newest_first=True)
    except AuditQueryError as exc:
        resp = render(request, "audit.html.j2", error=str(exc), **ctx)
        resp.status_code = 422
        return resp
    for r in rows:
        r["detail_text"] = json.dumps(r["detail"], ensure_ascii=False, sort_keys=True)
    query = urlencode({k: v for k, v in (("account", account), ("action", action),
                                         ("since", since), ("format", "csv"),
                                         ("limit", MAX_AUDIT_ROWS)) if v})
    return render(request, "audit.html.j2", **{**ctx, "rows": rows,
                                               "csv_url": f"/api/v1/audit?{query}",
                                               "total_note": f"最多 {PAGE_ROWS} 条，较早的请下载"
                                               if len(rows) == PAGE_ROWS else ""})


def _principal_json(p: Principal) -> dict:
    return {"account": p.account, "role": p.role, "role_zh": p.role_zh,
            "display_name": p.display_name, "department": p.department,
            "regions": list(p.regions), "indicators": list(p.indicators)}


@router.get("/api/v1/me", summary="当前身份（会话或令牌）", tags=["账号"],
            responses={401: {"description": "未登录，也未提供有效令牌"}})
def me(request: Request):
    principal = current_principal(request)
    if principal is None:
        raise HTTPException(401, "未登录，也未提供有效的 API 令牌",
                            headers={"WWW-Authenticate": "Bearer"})
    return JSONResponse(_principal_json(principal), headers={"Cache-Control": "no-store"})


@router.get("/api/v1/accounts", summary="账号列表（省级管理员）", tags=["账号"],
            responses={401: {"description": "未认证"}, 403: {"description": "无权管理账号"}})
def accounts_list(request: Request, _p: Annotated[Principal, Depends(require("manage_accounts"))]):
    rows = [_account_json(a) for a in list_accounts(request.app.state.view.store)]
    return JSONResponse(rows, headers={"Cache-Control": "no-store"})


class NewAccount(BaseModel):
    name: str = Field(min_length=2, max_length=64)
    role: Literal["admin", "reviewer", "reporter", "city"]
    display_name: str | None = Field(None, max_length=64)
    department: str | None = Field(None, max_length=64)
    regions: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list,
                                                                 max_length=100)
    indicators: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list,
                                                                     max_length=500)
    password: str | None = Field(None, max_length=1024,
                                 description="省略则账号只能使用 API 令牌，不能登录网页")


class NewToken(BaseModel):
    days: int = Field(30, ge=1, le=MAX_TOKEN_DAYS)
    label: str | None = Field(None, max_length=100)


MANAGE_RESPONSES = {401: {"description": "未认证"}, 403: {"description": "无权管理账号"},
                    422: {"description": "输入有误（账号名、角色、地区、密码长度……）"}}


def _account_json(a) -> dict:
    return {"name": a.name, "role": a.role, "role_zh": ROLE_ZH.get(a.role, a.role),
            "display_name": a.display_name, "department": a.department,
            "regions": list(a.regions), "indicators": list(a.indicators),
            "active": a.active, "created_at": a.created_at.isoformat(timespec="seconds") + "Z"}


def _token_json(t) -> dict:
    def iso(x):
        return x.isoformat(timespec="seconds") + "Z" if x else None

    return {"id": t.id, "account": t.account, "label": t.label, "status": t.state(),
            "created_at": iso(t.created_at), "expires_at": iso(t.expires_at),
            "revoked_at": iso(t.revoked_at), "last_used_at": iso(t.last_used_at)}


def _input_error(exc: Exception) -> HTTPException:
    return HTTPException(422, str(exc).strip("'\""))


@router.post("/api/v1/accounts", status_code=201, summary="创建账号（省级管理员）", tags=["账号"],
             responses=MANAGE_RESPONSES)
def account_create(request: Request, body: NewAccount,
                   who: Annotated[Principal, Depends(require("manage_accounts"))]):
    store = request.app.state.view.store
    try:
        acc = create_account(store, body.name, body.role, password=body.password,
                             display_name=body.display_name, department=body.department,
                             regions=body.regions, indicators=body.indicators)
    except InputError as exc:
        raise _input_error(exc) from None
    audit_request(request, "account_created", account=who.account,
                  detail={"name": acc.name, "role": acc.role, "department": acc.department,
                          "regions": list(acc.regions), "indicators": list(acc.indicators),
                          "password": acc.has_password})
    return JSONResponse(_account_json(acc), status_code=201, headers={"Cache-Control": "no-store"})


@router.post("/api/v1/accounts/{name}/disable", summary="停用账号（其会话与令牌立即失效）",
             tags=["账号"], responses=MANAGE_RESPONSES)
def account_disable(request: Request, name: Annotated[str, Path(max_length=64)],
                    who: Annotated[Principal, Depends(require("manage_accounts"))]):
    return _set_disabled(request, who, name, True)


@router.post("/api/v1/accounts/{name}/enable", summary="重新启用账号", tags=["账号"],
             responses=MANAGE_RESPONSES)
def account_enable(request: Request, name: Annotated[str, Path(max_length=64)],
                   who: Annotated[Principal, Depends(require("manage_accounts"))]):
    return _set_disabled(request, who, name, False)


def _set_disabled(request: Request, who: Principal, name: str, disabled: bool) -> JSONResponse:
    if disabled and name == who.account:
        raise HTTPException(422, "不能停用自己正在使用的账号")
    try:
        acc = set_disabled(request.app.state.view.store, name, disabled)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from None
    audit_request(request, "account_disabled" if disabled else "account_enabled",
                  account=who.account, detail={"name": name})
    return JSONResponse(_account_json(acc), headers={"Cache-Control": "no-store"})


class NewPassword(BaseModel):
    password: str = Field(min_length=1, max_length=1024)


@router.post("/api/v1/accounts/{name}/password", summary="重设账号密码（省级管理员）",
             tags=["账号"], responses={**MANAGE_RESPONSES, 404: {"description": "没有这个账号"}})
def account_password(request: Request, name: Annotated[str, Path(max_length=64)],
                     body: NewPassword,
                     who: Annotated[Principal, Depends(require("manage_accounts"))]):
    store = request.app.state.view.store
    if not account_exists(store, name):
        raise HTTPException(404, f"账号「{name}」不存在")
    try:
        set_password(store, name, body.password)
    except InputError as exc:
        raise _input_error(exc) from None
    audit_request(request, "password_changed", account=who.account, detail={"name": name})
    return JSONResponse(_account_json(get_account(store, name)),
                        headers={"Cache-Control": "no-store"})


@router.post("/api/v1/accounts/{name}/unlock",
             summary="解除账号因密码错误过多而加的锁定（省级管理员）", tags=["账号"],
             responses={**MANAGE_RESPONSES, 404: {"description": "没有这个账号"}})
def account_unlock(request: Request, name: Annotated[str, Path(max_length=64)],
                   who: Annotated[Principal, Depends(require("manage_accounts"))]):
    store = request.app.state.view.store
    if not account_exists(store, name):
        raise HTTPException(404, f"账号「{name}」不存在")
    was = lockout.unlock(store, name, by=who.account, address=request_address(request))
    return JSONResponse({**_account_json(get_account(store, name)), "was_locked": was},
                        headers={"Cache-Control": "no-store"})


@router.post("/api/v1/accounts/{name}/tokens", status_code=201,
             summary="为账号签发 API 令牌（令牌只在此响应中出现一次）", tags=["账号"],
             responses=MANAGE_RESPONSES)
def token_create(request: Request, name: Annotated[str, Path(max_length=64)], body: NewToken,
                 who: Annotated[Principal, Depends(require("manage_accounts"))]):
    try:
        secret, info = issue_token(request.app.state.view.store, name, body.days,
                                   label=body.label)
    except InputError as exc:
        raise _input_error(exc) from None
    audit_request(request, "token_issued", account=who.account,
                  detail={"token_id": info.id, "name": name, "days": body.days,
                          "label": body.label,
                          "expires_at": info.expires_at.isoformat(timespec="seconds")})
    return JSONResponse({**_token_json(info), "token": secret}, status_code=201,
                        headers={"Cache-Control": "no-store"})


@router.get("/api/v1/tokens", summary="令牌列表（不含令牌本身）", tags=["账号"],
            responses=MANAGE_RESPONSES)
def token_list(request: Request, who: Annotated[Principal, Depends(require("manage_accounts"))],
               account: Annotated[str | None, Query(max_length=64)] = None):
    rows = [_token_json(t) for t in list_tokens(request.app.state.view.store, account)]
    return JSONResponse(rows, headers={"Cache-Control": "no-store"})


@router.post("/api/v1/tokens/{token_id}/revoke", summary="吊销令牌（立即失效）", tags=["账号"],
             responses={**MANAGE_RESPONSES, 404: {"description": "没有这个令牌"}})
def token_revoke(request: Request, token_id: Annotated[str, Path(max_length=32)],
                 who: Annotated[Principal, Depends(require("manage_accounts"))]):
    try:
        info = revoke_token(request.app.state.view.store, token_id)
    except InputError as exc:
        raise HTTPException(404 if "不存在" in str(exc) else 409, str(exc)) from None
    audit_request(request, "token_revoked", account=who.account,
                  detail={"token_id": info.id, "name": info.account})
    return JSONResponse(_token_json(info), headers={"Cache-Control": "no-store"})


@router.get("/api/v1/audit", summary="审计日志（省级管理员；只读）", tags=["账号"],
            responses={401: {"description": "未认证"}, 403: {"description": "无权查看审计日志"},
                       422: {"description": "参数有误"}})
def audit_list(request: Request, _p: Annotated[Principal, Depends(require("view_audit"))],
               account: Annotated[str | None, Query(max_length=64)] = None,
               action: Annotated[str | None, Query(max_length=64)] = None,
               since: Annotated[dt.date | None, Query(description="YYYY-MM-DD（UTC）")] = None,
               limit: Annotated[int, Query(ge=1, le=MAX_AUDIT_ROWS)] = 1000,
               format: Literal["json", "csv"] = "json"):
    try:
        rows = entries(request.app.state.view.store, account=account, action=action,
                       since=since, limit=limit, newest_first=True)
    except AuditQueryError as exc:
        raise HTTPException(422, str(exc)) from None
    rows.reverse()
    headers = {"Cache-Control": "no-store"}
    if format == "csv":
        return Response(("\ufeff" + to_csv(rows)).encode("utf-8"), headers={
            **headers, "Content-Disposition": "attachment; filename*=UTF-8''audit.csv"},
            media_type="text/csv; charset=utf-8")
    return JSONResponse(rows, headers=headers)


# the administrator's accounts pages ---------------------------------------------------------

ACCOUNT_DONE = {
    "created": "账号已创建。", "disabled": "账号已停用：其会话与令牌均已失效。",
    "enabled": "账号已重新启用。", "unlocked": "已解除锁定。", "password": "密码已重设。",
    "revoked": "令牌已吊销，立即失效。",
}


def _utc(t: dt.datetime | None) -> str:
    return f"{t:%Y-%m-%d %H:%M}" if t else ""


def _lock_rule() -> str:
    minutes = int(lockout.WINDOW.total_seconds() // 60)
    return (f"{minutes} 分钟内密码错误 {lockout.FAILURES} 次，账号的密码登录暂时锁定，"
            f"直到其中最早的一次满 {minutes} 分钟；近 {lockout.KNOWN_DAYS} 天内用本账号成功登录过"
            "的地址、API 令牌和已登录的会话不受影响。")


def _account_view(acc, locks: dict, logins: dict, tokens: int = 0) -> dict:
    lock = locks.get(acc.name)
    if not acc.active:
        state, cls = "已停用", "off"
    elif lock is not None:
        state, cls = f"已锁定（至 {_utc(lock.until)} UTC）", "locked"
    else:
        state, cls = "启用", ""
    dept = acc.department or ""
    places = "、".join(region_label(r) for r in acc.regions)
    return {"name": acc.name, "display_name": acc.display_name,
            "role_zh": ROLE_ZH.get(acc.role, acc.role), "department": dept, "regions": places,
            "indicators": "、".join(acc.indicators), "where": " · ".join(x for x in (dept, places)
                                                                          if x),
            "state": state, "state_class": cls, "active": acc.active, "locked": lock is not None,
            "lock_note": (f"{lock.failures} 次密码错误；锁定至 {_utc(lock.until)} UTC。"
                          if lock else ""),
            "has_password": acc.has_password, "created_at": _utc(acc.created_at),
            "last_login": _utc(logins.get(acc.name)), "tokens": tokens}


def _admin_for_page(request: Request, path: str) -> tuple[Principal | None, Response | None]:
    """(the administrator, None), or (None, the page to answer instead): a sign-in redirect
    for no account, a 403 page (logged) for an account that may not manage accounts."""
    principal = current_principal(request)
    if principal is None:
        return None, RedirectResponse(f"/login?next={path}", status_code=303)
    if not principal.may("manage_accounts"):
        try:
            deny(request, principal, "manage_accounts")
        except HTTPException as exc:
            resp = render(request, "accounts.html.j2", title="账号管理", nav="accounts",
                          refused=exc.detail, rows=[])
            resp.status_code = 403
            return None, resp
    return principal, None


async def _admin_post(request: Request, path: str) -> tuple[Principal | None, Response | None]:
    """As _admin_for_page, for a form POST: a session must also send its CSRF token."""
    who, refused = await run_in_threadpool(_admin_for_page, request, path)
    if refused is None and request.state.digecon_auth_via == "session":
        await verify_csrf(request)
    return who, refused


async def _admin_form(request: Request, path: str,
                      apply: Callable[[Principal], Response]) -> Response:
    """An administrator's form POST from the page at `path`: the refusal (sign-in, 403, CSRF),
    or `apply(administrator)` run off the event loop (argon2, the database)."""
    who, refused = await _admin_post(request, path)
    if refused is not None:
        return refused
    return await run_in_threadpool(apply, who)


def _accounts_page(request: Request, *, done: str | None = None, error: str | None = None,
                   form: dict | None = None, status: int = 200) -> Response:
    store = request.app.state.view.store
    locks, logins = lockout.locks(store), last_logins(store)
    live: dict[str, int] = {}
    for t in list_tokens(store):
        if t.state() == "有效":
            live[t.account] = live.get(t.account, 0) + 1
    rows = [_account_view(a, locks, logins, live.get(a.name, 0)) for a in list_accounts(store)]
    scope = request.app.state.scope
    choices = city_list(scope.region.code)
    form = {"regions": [], **(form or {})}
    resp = render(request, "accounts.html.j2", title="账号管理", nav="accounts", rows=rows,
                  done=ACCOUNT_DONE.get(done or ""), error=error, form=form,
                  roles=list(ROLE_ZH.items()), min_password=MIN_PASSWORD,
                  region_choices=[{"code": scope.region.code, "name": scope.region.name},
                                  *choices])
    resp.status_code = status
    return resp


def _detail_page(request: Request, name: str, *, done: str | None = None,
                 error: str | None = None, new_token: tuple[str, object] | None = None,
                 status: int = 200) -> Response:
    store = request.app.state.view.store
    try:
        acc = get_account(store, name)
    except InputError as exc:
        resp = _accounts_page(request, error=str(exc), status=404)
        return resp
    tokens = [_token_json(t) for t in list_tokens(store, acc.name)]
    for t in tokens:
        for k in ("created_at", "expires_at", "last_used_at"):
            t[k] = (t[k] or "").replace("T", " ").removesuffix("Z")[:16]
    view = _account_view(acc, {acc.name: lock} if (lock := lockout.lock_of(store, acc.name))
                         else {}, last_logins(store))
    ctx = {}
    if new_token is not None:
        secret, info = new_token
        ctx = {"new_token": secret, "new_token_id": info.id,
               "new_token_expires": _utc(info.expires_at)}
    resp = render(request, "accounts_detail.html.j2", title=f"账号 {acc.name}", nav="accounts",
                  acct=view, tokens=tokens, done=ACCOUNT_DONE.get(done or ""), error=error,
                  min_password=MIN_PASSWORD, max_days=MAX_TOKEN_DAYS, lock_rule=_lock_rule(),
                  **ctx)
    resp.status_code = status
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _split(text: str) -> list[str]:
    for sep in ("、", "，", ";", "；", "\n"):
        text = text.replace(sep, ",")
    return [x.strip() for x in text.split(",") if x.strip()]


@router.get("/accounts", include_in_schema=False)
def accounts_page(request: Request, done: str | None = None):
    _who, refused = _admin_for_page(request, "/accounts")
    return refused or _accounts_page(request, done=done)


@router.post("/accounts", include_in_schema=False)
async def accounts_create_page(
        request: Request, name: Annotated[str, Form(max_length=64)] = "",
        role: Annotated[str, Form(max_length=16)] = "",
        display_name: Annotated[str, Form(max_length=64)] = "",
        department: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=1024)] = "",
        indicators: Annotated[str, Form(max_length=2000)] = "",
        regions: Annotated[list[str] | None, Form(max_length=100)] = None):
    form = {"name": name, "role": role, "display_name": display_name,
            "department": department, "indicators": indicators, "regions": regions or []}

    def create(who: Principal) -> Response:
        try:
            acc = create_account(request.app.state.view.store, name, role,
                                 password=password or None,
                                 display_name=display_name.strip() or None,
                                 department=department or None, regions=regions or [],
                                 indicators=_split(indicators))
        except InputError as exc:
            return _accounts_page(request, error=str(exc).strip("'\""), form=form, status=422)
        audit_request(request, "account_created", account=who.account,
                      detail={"name": acc.name, "role": acc.role, "department": acc.department,
                              "regions": list(acc.regions), "indicators": list(acc.indicators),
                              "password": acc.has_password, "via": "page"})
        return RedirectResponse(f"/accounts/{quote(acc.name)}?done=created", status_code=303)

    return await _admin_form(request, "/accounts", create)


@router.get("/accounts/{name}", include_in_schema=False)
def account_page(request: Request, name: Annotated[str, Path(max_length=64)],
                 done: str | None = None):
    _who, refused = _admin_for_page(request, f"/accounts/{quote(name)}")
    return refused or _detail_page(request, name, done=done)


def _back(name: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"/accounts/{quote(name)}?done={done}", status_code=303)


async def _account_change(request: Request, name: str, change: str) -> Response:
    """Disable, enable or unlock an account from its page; logged, then back to the page."""

    def apply(who: Principal) -> Response:
        store = request.app.state.view.store
        if change == "disable" and name == who.account:
            return _detail_page(request, name, error="不能停用自己正在使用的账号", status=422)
        try:
            get_account(store, name)
            if change == "unlock":
                lockout.unlock(store, name, by=who.account, address=request_address(request))
                return _back(name, "unlocked")
            set_disabled(store, name, change == "disable")
        except InputError as exc:
            return _accounts_page(request, error=str(exc), status=404)
        audit_request(request, f"account_{change}d", account=who.account,
                      detail={"name": name, "via": "page"})
        return _back(name, f"{change}d")

    return await _admin_form(request, f"/accounts/{quote(name)}", apply)


@router.post("/accounts/{name}/disable", include_in_schema=False)
async def account_disable_page(request: Request, name: Annotated[str, Path(max_length=64)]):
    return await _account_change(request, name, "disable")


@router.post("/accounts/{name}/enable", include_in_schema=False)
async def account_enable_page(request: Request, name: Annotated[str, Path(max_length=64)]):
    return await _account_change(request, name, "enable")


@router.post("/accounts/{name}/unlock", include_in_schema=False)
async def account_unlock_page(request: Request, name: Annotated[str, Path(max_length=64)]):
    return await _account_change(request, name, "unlock")


@router.post("/accounts/{name}/password", include_in_schema=False)
async def account_password_page(request: Request, name: Annotated[str, Path(max_length=64)],
                                password: Annotated[str, Form(max_length=1024)] = "",
                                password2: Annotated[str, Form(max_length=1024)] = ""):
    def apply(who: Principal) -> Response:
        if password != password2:
            return _detail_page(request, name, error="两次输入的新密码不一致：未修改密码",
                                status=422)
        try:
            set_password(request.app.state.view.store, name, password)
        except InputError as exc:
            return _detail_page(request, name, error=f"{exc}：未修改密码", status=422)
        audit_request(request, "password_changed", account=who.account,
                      detail={"name": name, "via": "page"})
        return _back(name, "password")

    return await _admin_form(request, f"/accounts/{quote(name)}", apply)


@router.post("/accounts/{name}/tokens", include_in_schema=False)
async def account_token_page(request: Request, name: Annotated[str, Path(max_length=64)],
                             days: Annotated[str, Form(max_length=8)] = "30",
                             label: Annotated[str, Form(max_length=100)] = ""):
    def apply(who: Principal) -> Response:
        if not days.strip().isdigit():
            return _detail_page(request, name, error=f"有效天数：发现「{days}」，应为 1–"
                                                     f"{MAX_TOKEN_DAYS} 的整数", status=422)
        try:
            secret, info = issue_token(request.app.state.view.store, name, int(days),
                                       label=label.strip() or None)
        except InputError as exc:
            return _detail_page(request, name, error=str(exc), status=422)
        audit_request(request, "token_issued", account=who.account, detail={
            "token_id": info.id, "name": name, "days": int(days), "label": label or None,
            "expires_at": info.expires_at.isoformat(timespec="seconds"), "via": "page"})
        return _detail_page(request, name, new_token=(secret, info))

    return await _admin_form(request, f"/accounts/{quote(name)}", apply)


@router.post("/accounts/{name}/tokens/{token_id}/revoke", include_in_schema=False)
async def account_revoke_page(request: Request, name: Annotated[str, Path(max_length=64)],
                              token_id: Annotated[str, Path(max_length=32)]):
    def apply(who: Principal) -> Response:
        store = request.app.state.view.store
        try:
            info = get_token(store, token_id)
            if info.account != name:
                raise InputError(f"令牌「{token_id}」不属于账号「{name}」")
            revoke_token(store, token_id)
        except InputError as exc:
            return _detail_page(request, name, error=str(exc), status=409)
        audit_request(request, "token_revoked", account=who.account,
                      detail={"token_id": token_id, "name": name, "via": "page"})
        return _back(name, "revoked")

    return await _admin_form(request, f"/accounts/{quote(name)}", apply)
