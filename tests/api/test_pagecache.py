"""Anonymous pages are replayed per store version; anything personal is rendered afresh."""
from __future__ import annotations

from fastapi import FastAPI, Response
from fastapi.testclient import TestClient

from digecon.api.pagecache import PageCache


def _app(cookie: bool = False):
    app = FastAPI()
    calls = {"n": 0}
    version = {"v": 1}

    @app.get("/city/{code}")
    def city(code: str):
        calls["n"] += 1
        r = Response(f"{code} render {calls['n']}", media_type="text/html")
        if cookie and code == "set":
            r.set_cookie("session", "x")
        return r

    @app.get("/login")
    def login():
        calls["n"] += 1
        return Response(f"login {calls['n']}")

    @app.get("/city/missing/x")
    def missing():
        calls["n"] += 1
        return Response("no", status_code=404)

    app.add_middleware(PageCache, version=lambda: version["v"], paths=("/", "/city/"))
    return TestClient(app), calls, version


def test_an_anonymous_page_is_rendered_once_per_store_version():
    client, calls, version = _app()
    assert client.get("/city/360100").text == "360100 render 1"
    assert client.get("/city/360100").text == "360100 render 1" and calls["n"] == 1
    assert client.get("/city/360100?as_of=2022-07-31").text.endswith("render 2")  # own key
    version["v"] = 2  # a batch was written
    assert client.get("/city/360100").text == "360100 render 3"


def test_logged_in_readers_other_paths_errors_and_cookies_are_never_replayed():
    client, calls, _ = _app(cookie=True)
    client.get("/city/360100")
    assert client.get("/city/360100", headers={"Cookie": "session=abc"}).text.endswith("2")
    assert client.get("/city/360100", headers={"Authorization": "Bearer t"}).text.endswith("3")
    client.get("/login")
    assert client.get("/login").text == "login 5"  # not a cached path
    client.get("/city/missing/x")
    client.get("/city/missing/x")
    assert calls["n"] == 7  # a 404 is not kept
    client.cookies.clear()
    client.get("/city/set")
    client.cookies.clear()
    client.get("/city/set")
    assert calls["n"] == 9  # a response that sets a cookie is not kept
