"""Write-token check and the security headers every response carries."""
from __future__ import annotations

import hmac
import json
import math
import threading
import time
from collections import OrderedDict, deque

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders

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
    "Referrer-Policy": "no-referrer",
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


def presented_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-digecon-token")


def require_token(request: Request) -> None:
    """401 unless the request carries the token whose SHA-256 the server was configured with."""
    expected = request.app.state.settings.token_sha256
    given = presented_token(request)
    if not expected:
        raise HTTPException(401, "服务器未配置写入令牌（DIGECON_API_TOKEN），写入接口已关闭",
                            headers={"WWW-Authenticate": "Bearer"})
    # Compare digests of equal length so the comparison time says nothing about the token.
    if not given or not hmac.compare_digest(token_hash(given), expected):
        raise HTTPException(401, "缺少或错误的写入令牌：请在 Authorization: Bearer <令牌> 中提供",
                            headers={"WWW-Authenticate": "Bearer"})
