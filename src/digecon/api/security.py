"""Write-token check and the security headers every response carries."""
from __future__ import annotations

import hmac

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
    """Plain ASGI middleware (cheaper per request than BaseHTTPMiddleware)."""

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
