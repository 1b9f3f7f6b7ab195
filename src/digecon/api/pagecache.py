"""Whole pages for anonymous readers, kept per store version.

A page a city official opens (总览, a city's page, the catalogue) is the same for every
anonymous reader until a batch is written, so its rendered response is kept and replayed.
A request with a cookie or an Authorization header (someone logged in, who may see values in
review) is always rendered afresh, as is any response that sets a cookie or is not a 200.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

MAX_BYTES = 32 * 1024 * 1024
MAX_PAGE_BYTES = 2 * 1024 * 1024


class PageCache:
    """ASGI middleware caching GET responses of `paths` (exact paths, or prefixes ending in /)."""

    def __init__(self, app, version: Callable[[], object], paths: tuple[str, ...],
                 max_bytes: int = MAX_BYTES):
        self.app = app
        self.version = version
        self.exact = {p for p in paths if not p.endswith("/") or p == "/"}
        self.prefixes = tuple(p for p in paths if p.endswith("/") and p != "/")
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self._bytes = 0
        self._seen_version: object = None
        self._lock = threading.Lock()

    def _cacheable(self, scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        path = scope["path"]
        if path not in self.exact and not path.startswith(self.prefixes):
            return False
        return not any(k in (b"cookie", b"authorization") for k, _ in scope["headers"])

    def _lookup(self, version, key):
        with self._lock:
            if version != self._seen_version:
                self._items.clear()
                self._bytes, self._seen_version = 0, version
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def _keep(self, version, key, status: int, headers: list, body: bytes) -> None:
        with self._lock:
            if version != self._seen_version or len(body) > MAX_PAGE_BYTES:
                return
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old[2])
            self._items[key] = (status, headers, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes and self._items:
                _, (_, _, gone) = self._items.popitem(last=False)
                self._bytes -= len(gone)

    async def __call__(self, scope, receive, send):
        if not self._cacheable(scope):
            return await self.app(scope, receive, send)
        version = self.version()
        key = (scope["path"], scope.get("query_string", b""))
        hit = self._lookup(version, key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return None
        start: dict = {}
        chunks: list[bytes] = []
        complete = False

        async def capture(message):
            nonlocal complete
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, capture)
        headers = list(start.get("headers", []))
        if (complete and start.get("status") == 200
                and not any(k.lower() == b"set-cookie" for k, _ in headers)):
            self._keep(version, key, 200, headers, b"".join(chunks))
        return None


__all__ = ["PageCache"]
