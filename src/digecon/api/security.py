"""Who a request is (session cookie or API token), what it may do, CSRF, sign-in throttling,
and the security headers every response carries.

Routes call `require(action)` (a dependency returning the Principal), `current_principal`,
`csrf_token` and `request_address`; everything refused or failed is written to the audit log.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import math
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import NoReturn

from fastapi import HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders

from digecon.accounts import ACTION_ZH, Principal, TokenRejected, audit
from digecon.accounts.roles import LEGACY_ROLE, LEGACY_ROLE_ZH, refusal
from digecon.accounts.tokens import any_token, session_principal, token_principal

from .config import token_hash

# Inline styles are allowed because ECharts writes style attributes into tooltips; scripts and
# everything else come only from this server.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # same-origin: a browser sends the page's own Origin with a form POST (the CSRF check needs
    # it; under no-referrer Chromium sends "Origin: null"), and nothing to any other site.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Plain ASGI middleware (cheaper per request than BaseHTTPMiddleware).

    The app wraps its whole stack in it (see app.DigeconAPI), outside Starlette's error
    middleware, so a 500 carries the headers too.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in HEADERS.items():
                    headers.setdefault(k, v)
            await send(message)

        return await self.app(scope, receive, send_with_headers)


async def _send_json(send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """At most `per_minute` requests per client address in any 60-second window."""

    def __init__(self, per_minute: int, max_addresses: int = 10_000):
        self.per_minute = per_minute
        self.max_addresses = max_addresses
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, address: str, now: float | None = None) -> int:
        """0 if the request may go ahead (and it is counted), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.pop(address, None) or deque()
            while hits and now - hits[0] >= 60:
                hits.popleft()
            self._hits[address] = hits  # most recently seen last
            while len(self._hits) > self.max_addresses:
                self._hits.popitem(last=False)  # forget the longest-idle address
            if len(hits) >= self.per_minute:
                return max(1, math.ceil(60 - (now - hits[0])))
            hits.append(now)
            return 0


class GuardedPost:
    """Limits for one anonymous POST path: a per-address rate and a body size, both checked
    before the body is parsed (413 / 429 with a Chinese message). Bodies are read in full up to
    the limit, then handed on; a larger one is refused without reading the rest."""

    def __init__(self, app, path: str, max_bytes: int, per_minute: int, what: str):
        self.app = app
        self.path = path
        self.max_bytes = max_bytes
        self.limiter = RateLimiter(per_minute)
        self.what = what

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self.path:
            return await self.app(scope, receive, send)
        address = (scope.get("client") or ("?", 0))[0]
        wait = self.limiter.retry_after(address)
        if wait:
            return await _send_json(
                send, 429, f"{self.what}请求过于频繁：每个地址每分钟最多 {self.limiter.per_minute} 次，"
                           f"请 {wait} 秒后再试", {"Retry-After": str(wait)})
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await _send_json(send, 413, f"{self.what}请求体 {int(declared)} 字节，"
                                               f"超过上限 {self.max_bytes} 字节")
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                return await _send_json(send, 413, f"{self.what}请求体超过上限 {self.max_bytes} 字节")
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)


SESSION_COOKIE = "digecon_session"
LOGIN_CSRF_COOKIE = "digecon_csrf"  # before sign-in: the login form's double-submit value
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LEGACY_ACCOUNT = "DIGECON_API_TOKEN"

_UNSET = object()
_state_lock = threading.Lock()


class FailureThrottle:
    """At most `limit` events per address in any `window` seconds; then Retry-After seconds.

    Counts failed sign-ins and wrong tokens (and, in a second instance, the refusals written to
    the audit log). Bounded in memory: the longest-idle addresses are forgotten first."""

    def __init__(self, limit: int, window: float, max_addresses: int = 10_000):
        self.limit = limit
        self.window = window
        self.max_addresses = max_addresses
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        events = self._events.pop(address, None) or deque()
        while events and now - events[0] >= self.window:
            events.popleft()
        self._events[address] = events
        while len(self._events) > self.max_addresses:
            self._events.popitem(last=False)
        return events

    def _wait(self, events: deque[float], now: float) -> int:
        if len(events) < self.limit:
            return 0
        return max(1, math.ceil(self.window - (now - events[0])))

    def retry_after(self, address: str, now: float | None = None) -> int:
        """0 when `address` may try again, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if address not in self._events:  # asking does not make an address remembered
                return 0
            return self._wait(self._recent(address, now), now)

    def record(self, address: str, now: float | None = None) -> tuple[int, int]:
        """Count one event: (events in the window now, seconds to wait from now on or 0)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._recent(address, now)
            events.append(now)
            return len(events), self._wait(events, now)


def _throttles(request: Request) -> tuple[FailureThrottle, FailureThrottle]:
    """(failures, logged refusals) of this app, made on first use."""
    state = request.app.state
    pair = getattr(state, "auth_throttles", None)
    if pair is None:
        with _state_lock:
            pair = getattr(state, "auth_throttles", None)
            if pair is None:
                s = state.settings
                pair = (FailureThrottle(s.auth_failures, s.auth_window_seconds),
                        FailureThrottle(s.refusals_logged, s.auth_window_seconds))
                state.auth_throttles = pair
    return pair


def _store(request: Request):
    return request.app.state.view.store


def request_address(request: Request) -> str:
    """The client's address: the TCP peer, or the address a trusted proxy forwarded for it."""
    peer = request.client.host if request.client else "unknown"
    trusted = request.app.state.settings.trusted_proxies
    if peer in trusted:
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")
                if h.strip()]
        for hop in reversed(hops):  # the nearest hop not one of our own proxies
            if hop not in trusted:
                return hop[:64]
    return peer


def _is_https(request: Request) -> bool:
    if request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else ""
    return (peer in request.app.state.settings.trusted_proxies
            and request.headers.get("x-forwarded-proto", "").lower() == "https")


def audit_request(request: Request, action: str, *, account: str | None = None,
                  detail: dict | None = None, checksum: str | None = None) -> None:
    """One audit entry for this request: its address, method and path added to `detail`."""
    audit(_store(request), account=account, action=action, address=request_address(request),
          detail={"method": request.method, "path": request.url.path, **(detail or {})},
          checksum=checksum)


def _audit_refusal(request: Request, action: str, account: str | None, detail: dict) -> None:
    """Refusals are logged up to a budget per address, so a flood cannot fill the log."""
    count, _ = _throttles(request)[1].record(request_address(request))
    limit = request.app.state.settings.refusals_logged
    if count > limit:
        return
    if count == limit:
        detail = {**detail, "note": "此地址被拒次数已达上限，本时段内其后的拒绝不再逐条记录"}
    audit_request(request, action, account=account, detail=detail)


def audit_capped(request: Request, action: str, account: str | None, detail: dict) -> None:
    """An entry for an attempt that is refused without a check (e.g. while an account is
    locked): logged within the same per-address budget as refusals."""
    _audit_refusal(request, action, account, detail)


def _too_many(wait: int) -> HTTPException:
    return HTTPException(429, f"失败次数过多：此地址的登录或令牌校验已暂停，请 {wait} 秒后再试",
                         headers={"Retry-After": str(wait)})


def check_throttle(request: Request) -> None:
    """429 with Retry-After while this address is paused for too many failures."""
    wait = _throttles(request)[0].retry_after(request_address(request))
    if wait:
        raise _too_many(wait)


def record_failure(request: Request, action: str, detail: dict, account: str | None = None
                   ) -> None:
    """A wrong password or token: counted against the address and logged; the failure that
    reaches the limit also logs that the address is now paused."""
    count, wait = _throttles(request)[0].record(request_address(request))
    audit_request(request, action, account=account, detail={**detail, "failures": count})
    if wait and count == request.app.state.settings.auth_failures:
        audit_request(request, "throttled", account=account,
                      detail={"failures": count, "retry_after": wait})


def presented_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("x-digecon-token") or None


def _legacy_principal(request: Request, token: str) -> Principal | None:
    expected = request.app.state.settings.token_sha256
    # Compare digests of equal length so the comparison time says nothing about the token.
    if expected and hmac.compare_digest(token_hash(token), expected):
        return Principal(account=LEGACY_ACCOUNT, role=LEGACY_ROLE, display_name=LEGACY_ROLE_ZH)
    return None


def _token_principal(request: Request, token: str) -> Principal | None:
    check_throttle(request)
    legacy = _legacy_principal(request, token)
    if legacy is not None:
        return legacy
    try:
        principal, token_id = token_principal(_store(request), token)
    except TokenRejected as exc:
        record_failure(request, "token_rejected",
                       {"reason": exc.reason, "token_id": exc.token_id})
        return None
    request.state.digecon_token_id = token_id
    return principal


def current_principal(request: Request) -> Principal | None:
    """Who this request is: its API token (Authorization: Bearer …), else its session cookie;
    None for an anonymous request or a credential that is wrong, expired or revoked.

    A token is checked only while its address is not paused (429 otherwise), and a wrong one
    counts as a failure, so that no page is an oracle for guessing."""
    cached = getattr(request.state, "digecon_principal", _UNSET)
    if cached is not _UNSET:
        return cached
    principal, via = None, None
    token = presented_token(request)
    if token is not None:
        principal, via = _token_principal(request, token), "token"
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            idle = request.app.state.settings.session_idle_minutes
            principal = session_principal(_store(request), cookie,
                                          idle=dt.timedelta(minutes=idle))
            via = "session"
    request.state.digecon_principal = principal
    request.state.digecon_auth_via = via if principal is not None else None
    return principal


def _session_csrf(session_secret: str) -> str:
    """The CSRF token of a session: derived from its secret, so nothing more is stored."""
    return hashlib.sha256(("csrf:" + session_secret).encode("utf-8")).hexdigest()


def csrf_token(request: Request) -> str:
    """The value a form of this page must send back as `csrf_token` (or X-CSRF-Token).

    Signed in with a session: the session's own token. Anonymous (the login form): a random
    value also set as a cookie by `set_csrf_cookie` (double submit)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and current_principal(request) is not None \
            and request.state.digecon_auth_via == "session":
        return _session_csrf(cookie)
    value = request.cookies.get(LOGIN_CSRF_COOKIE) or getattr(request.state, "digecon_new_csrf",
                                                              None)
    if not value:
        value = secrets.token_urlsafe(32)
        request.state.digecon_new_csrf = value
    return value


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Set the anonymous CSRF cookie when `csrf_token` made a new one for this page."""
    value = getattr(request.state, "digecon_new_csrf", None)
    if value:
        response.set_cookie(LOGIN_CSRF_COOKIE, value, max_age=3600, path="/", httponly=True,
                            samesite="strict", secure=_is_https(request))


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    hours = request.app.state.settings.session_hours
    response.set_cookie(SESSION_COOKIE, secret, max_age=int(hours * 3600), path="/",
                        httponly=True, samesite="strict", secure=_is_https(request))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=_is_https(request))


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=_is_https(request))


async def _form_value(request: Request, name: str) -> str | None:
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    form = request._form  # already parsed by FastAPI for an endpoint with Form parameters
    if form is None:
        limit = request.app.state.settings.max_upload_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise HTTPException(413, f"请求体 {int(declared)} 字节，超过上限 {limit} 字节")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise HTTPException(413, f"请求体超过上限 {limit} 字节")
        request._body = bytes(body)  # kept, so the endpoint can still read the body
        form = await request.form()
    value = form.get(name)
    return value if isinstance(value, str) else None


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


async def verify_csrf(request: Request) -> None:
    """403 (logged) unless this cookie-authenticated or login POST carries its CSRF token and,
    when the browser says where it comes from, comes from this site."""
    session = request.cookies.get(SESSION_COOKIE)
    if session and getattr(request.state, "digecon_auth_via", None) == "session":
        expected = _session_csrf(session)
    else:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    given = request.headers.get(CSRF_HEADER) or await _form_value(request, CSRF_FIELD)
    if not _same_origin(request):
        reason = "跨站来源"
    elif not expected or not given:
        reason = "缺少 CSRF 令牌"
    elif not hmac.compare_digest(given.encode(), expected.encode()):
        reason = "CSRF 令牌不符"
    else:
        return
    principal = getattr(request.state, "digecon_principal", None)
    await run_in_threadpool(_audit_refusal, request, "csrf_refused",
                            principal.account if principal else None, {"reason": reason})
    raise HTTPException(403, f"请求被拒绝（{reason}）：请刷新页面后重新提交表单；"
                             f"脚本请改用 API 令牌（Authorization: Bearer）")


def _refuse_401(request: Request, action: str) -> NoReturn:
    what = ACTION_ZH[action]
    presented = presented_token(request) is not None
    if not presented:  # a wrong token was logged already (token_rejected)
        _audit_refusal(request, "refused_401", None, {"action": action})
    if not request.app.state.settings.token_sha256 and not any_token(_store(request)) \
            and not request.cookies.get(SESSION_COOKIE):
        detail = (f"服务器未配置写入令牌：还没有签发任何账号令牌，不能{what}；"
                  f"请用 digecon accounts token issue 账号 --days 30 签发")
    elif presented:
        detail = f"令牌无效、已过期或已吊销，不能{what}；请向管理员申请新令牌"
    else:
        detail = (f"需要登录才能{what}：网页请先登录（/login），"
                  f"接口请在 Authorization: Bearer <令牌> 中提供账号令牌")
    raise HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def deny(request: Request, principal: Principal, action: str, region: str | None = None,
         indicator: str | None = None) -> NoReturn:
    """403 with the Chinese reason, logged: for a route whose own check (a region, an
    indicator) refuses after `require` let the role in."""
    _audit_refusal(request, "refused_403", principal.account,
                   {"action": action, "region": region, "indicator": indicator,
                    "role": principal.role})
    raise HTTPException(403, refusal(principal, action, region, indicator))


def require(action: str) -> Callable:
    """A FastAPI dependency: the Principal when it may take `action` (on its own regions: the
    route checks the region with `principal.may(action, region)` and `deny`); 401 without an
    identity, 403 when the role may not, 403 when a cookie-authenticated POST lacks its CSRF
    token; every refusal logged."""
    if action not in ACTION_ZH:
        raise ValueError(f"未知的操作 {action!r}；应为 {', '.join(ACTION_ZH)} 之一")

    def identify(request: Request) -> Principal:
        principal = current_principal(request)
        if principal is None:
            _refuse_401(request, action)
        return principal

    async def dependency(request: Request) -> Principal:
        # The lookups and audit writes run in the thread pool, not on the event loop.
        principal = await run_in_threadpool(identify, request)
        if request.method in UNSAFE_METHODS and request.state.digecon_auth_via == "session":
            await verify_csrf(request)
        if not principal.may(action):
            await run_in_threadpool(deny, request, principal, action)
        return principal

    dependency.__name__ = f"require_{action}"
    return dependency


# POST /api/v1/ingest's dependency: routes.py may say `Depends(require("ingest"))` instead.
require_token = require("ingest")
