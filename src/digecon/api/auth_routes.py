"""Login and logout pages, who-am-I, and the admin's accounts, tokens and audit log over HTTP
(so that a running server need not be stopped to add an account or revoke a token)."""
from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal
from urllib.parse import urlencode

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
    issue_token,
    list_accounts,
    list_tokens,
    open_session,
    revoke_token,
    set_disabled,
)
from digecon.accounts.auditlog import AuditQueryError, to_csv
from digecon.accounts.manage import account_exists
from digecon.accounts.roles import ROLE_ZH
from digecon.accounts.tokens import MAX_TOKEN_DAYS
from digecon.errors import InputError

from .pages import render
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
    principal = authenticate(store, account, password) if account and password else None
    if principal is None:
        # A name no account has is not logged: it is often a password typed in the wrong box.
        known = bool(account) and account_exists(store, account)
        record_failure(request, "login_failed",
                       {"account": account} if known else {"account_unknown": True},
                       account=account if known else None)
        return _login_page(request, error="账号或密码错误，或账号已停用", account=account,
                           next_url=next_url, status=401)
    secret = open_session(store, principal.account, request_address(request),
                          request.app.state.settings.session_hours)
    audit_request(request, "login", account=principal.account, detail={"role": principal.role})
    resp = RedirectResponse(next_url, status_code=303)
    set_session_cookie(request, resp, secret)
    return resp


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
