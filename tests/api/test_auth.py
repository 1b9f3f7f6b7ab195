"""Accounts on the web: login, sessions, CSRF, roles per action, token expiry and revocation,
throttling of wrong passwords and tokens, and the audit entries each leaves."""
from __future__ import annotations

import datetime as dt
import json
import re
from types import SimpleNamespace

import pytest
from conftest import REPO
from fastapi.testclient import TestClient

from digecon.accounts import create_account, entries, issue_token, list_accounts, revoke_token
from digecon.api import Settings, create_app
from digecon.api.config import token_hash
from digecon.store import Store

FIXTURE = REPO / "tests" / "ingest" / "fixtures" / "cities_long.csv"
PASSWORDS = {"boss": "boss-pass-phrase", "rv": "review-pass-phrase",
             "tj": "report-pass-phrase", "nc": "city-pass-phrase"}
ROLES = {"boss": "admin", "rv": "reviewer", "tj": "reporter", "nc": "city"}


@pytest.fixture
def site(tmp_path):
    db = tmp_path / "site.duckdb"
    Store(db).init()
    create_account(db, "boss", "admin", password=PASSWORDS["boss"])
    create_account(db, "rv", "reviewer", password=PASSWORDS["rv"])
    create_account(db, "tj", "reporter", password=PASSWORDS["tj"], department="统计局",
                   regions=["南昌市", "九江市"])
    create_account(db, "nc", "city", password=PASSWORDS["nc"], regions=["南昌市"])
    tokens = {name: issue_token(db, name, days=30)[0] for name in ROLES}
    settings = Settings(db=db, token_sha256=token_hash("legacy-shared-secret"),
                        max_upload_bytes=64 * 1024)
    return SimpleNamespace(db=db, app=create_app(settings), tokens=tokens)


def _client(site, https=True, address="testclient"):
    return TestClient(site.app, base_url="https://testserver" if https else "http://testserver",
                      client=(address, 50000))


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(c, name, password=None, next_url="/login"):
    page = c.get("/login")
    return c.post("/login", data={"account": name, "password": password or PASSWORDS[name],
                                  "csrf_token": _csrf(page.text), "next": next_url},
                  follow_redirects=False)


def _bearer(site, name):
    return {"Authorization": f"Bearer {site.tokens[name]}"}


def _upload():
    return {"files": (FIXTURE.name, FIXTURE.read_bytes(), "text/csv")}


def _actions(db):
    return [(e["action"], e["account"], e["address"]) for e in entries(db)]


# login and sessions ------------------------------------------------------------------------

def test_login_sets_a_strict_httponly_secure_session_cookie(site):
    with _client(site) as c:
        r = _login(c, "nc")
        assert r.status_code == 303 and r.headers["location"] == "/login"
        cookie = next(h for h in r.headers.get_list("set-cookie")
                      if h.startswith("digecon_session="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
        me = c.get("/api/v1/me").json()
        assert (me["account"], me["role"], me["regions"]) == ("nc", "city", ["360100"])
    assert ("login", "nc", "testclient") in _actions(site.db)


def test_over_plain_http_the_cookie_is_not_marked_secure(site):
    with _client(site, https=False) as c:
        r = _login(c, "nc")
        cookie = next(h for h in r.headers.get_list("set-cookie")
                      if h.startswith("digecon_session="))
        assert "Secure" not in cookie and "HttpOnly" in cookie


def test_wrong_password_is_refused_and_logged(site):
    with _client(site) as c:
        r = _login(c, "nc", "not-the-password")
        assert r.status_code == 401
        assert "账号或密码错误" in r.text
        assert c.get("/api/v1/me").status_code == 401
    failed = [e for e in entries(site.db) if e["action"] == "login_failed"]
    assert [(e["account"], e["detail"]["account"], e["address"], e["detail"]["failures"])
            for e in failed] == [("nc", "nc", "testclient", 1)]


def test_a_name_no_account_has_is_not_logged(site):
    with _client(site) as c:
        assert _login(c, "city-pass-phrase", "x" * 12).status_code == 401
    failed = [e for e in entries(site.db) if e["action"] == "login_failed"]
    assert [(e["account"], e["detail"]) for e in failed] == [
        (None, {"account_unknown": True, "failures": 1, "method": "POST", "path": "/login"})]


def test_logout_ends_the_session_for_good(site):
    with _client(site) as c:
        _login(c, "rv")
        stolen = c.cookies.get("digecon_session")
        page = c.get("/login")
        assert "已登录为" in page.text
        r = c.post("/logout", data={"csrf_token": _csrf(page.text)}, follow_redirects=False)
        assert r.status_code == 303
        assert c.get("/api/v1/me").status_code == 401
    with _client(site) as other:
        other.cookies.set("digecon_session", stolen)
        assert other.get("/api/v1/me").status_code == 401
    assert [a for a in _actions(site.db) if a[0] in ("login", "logout")] == [
        ("login", "rv", "testclient"), ("logout", "rv", "testclient")]


def test_login_redirects_only_within_the_site(site):
    with _client(site) as c:
        assert _login(c, "nc", next_url="//evil.example/x").headers["location"] == "/"
    with _client(site) as c:
        assert _login(c, "nc", next_url="/city/360100").headers["location"] == "/city/360100"


# CSRF --------------------------------------------------------------------------------------

def test_login_without_its_csrf_token_is_refused(site):
    with _client(site) as c:
        c.get("/login")
        r = c.post("/login", data={"account": "nc", "password": PASSWORDS["nc"]})
        assert r.status_code == 403 and "CSRF" in r.text
        r = c.post("/login", data={"account": "nc", "password": PASSWORDS["nc"],
                                   "csrf_token": "forged"})
        assert r.status_code == 403
        assert c.get("/api/v1/me").status_code == 401
    assert [a[0] for a in _actions(site.db)] == ["csrf_refused", "csrf_refused"]


def test_logout_without_csrf_is_refused_and_the_session_stays(site):
    with _client(site) as c:
        _login(c, "nc")
        assert c.post("/logout").status_code == 403
        assert c.get("/api/v1/me").status_code == 200


def test_cookie_authenticated_post_needs_csrf_and_nothing_is_written(site):
    before = Store(site.db).checksum()
    with _client(site) as c:
        _login(c, "boss")
        r = c.post("/api/v1/ingest", files=_upload())
        assert r.status_code == 403 and "CSRF" in r.json()["detail"]
        assert Store(site.db).checksum() == before
        token = _csrf(c.get("/login").text)
        r = c.post("/api/v1/ingest", files=_upload(), headers={"X-CSRF-Token": token,
                                                               "Origin": "https://evil.example"})
        assert r.status_code == 403 and "跨站" in r.json()["detail"]
        assert Store(site.db).checksum() == before
        r = c.post("/api/v1/ingest", files=_upload(), headers={"X-CSRF-Token": token})
        assert r.status_code == 200, r.text
        assert Store(site.db).checksum() != before


def test_the_csrf_token_may_come_as_a_form_field_and_is_the_sessions_own(site):
    with _client(site) as c:
        _login(c, "boss")
        mine = _csrf(c.get("/login").text)
    with _client(site) as c:
        _login(c, "boss")
        theirs = _csrf(c.get("/login").text)
        assert theirs != mine
        r = c.post("/api/v1/ingest", files=_upload(), data={"csrf_token": mine})
        assert r.status_code == 403
        r = c.post("/api/v1/ingest", files=_upload(), data={"csrf_token": theirs})
        assert r.status_code == 200, r.text


def test_a_token_needs_no_csrf(site):
    with _client(site) as c:
        r = c.post("/api/v1/ingest", files=_upload(), headers=_bearer(site, "boss"))
        assert r.status_code == 200, r.text


# roles × actions over HTTP ------------------------------------------------------------------

ENDPOINTS = {  # action → (method, path)
    "manage_accounts": ("GET", "/api/v1/accounts"),
    "view_audit": ("GET", "/api/v1/audit"),
    "ingest": ("POST", "/api/v1/ingest"),
}


@pytest.mark.parametrize("name", sorted(ROLES))
@pytest.mark.parametrize("action", sorted(ENDPOINTS))
def test_role_by_action_over_http(site, name, action):
    method, path = ENDPOINTS[action]
    before = Store(site.db).checksum()
    with _client(site) as c:
        kwargs = {"files": _upload()} if method == "POST" else {}
        r = c.request(method, path, headers=_bearer(site, name), **kwargs)
    allowed = ROLES[name] == "admin"
    assert r.status_code == (200 if allowed else 403), r.text
    if not allowed:
        assert r.json()["detail"].startswith(f"账号 {name}（")
        assert Store(site.db).checksum() == before
        refused = [e for e in entries(site.db) if e["action"] == "refused_403"]
        assert [(e["account"], e["address"], e["detail"]["action"]) for e in refused] == [
            (name, "testclient", action)]


@pytest.mark.parametrize("name", sorted(ROLES))
def test_each_role_can_log_in_and_only_the_admin_reads_the_audit_log(site, name):
    with _client(site) as c:
        assert _login(c, name).status_code == 303
        assert c.get("/api/v1/me").json()["role"] == ROLES[name]
        assert c.get("/api/v1/audit").status_code == (200 if name == "boss" else 403)


def test_anonymous_refusal_is_401_and_logged(site):
    with _client(site) as c:
        r = c.get("/api/v1/audit")
        assert r.status_code == 401 and "需要登录" in r.json()["detail"]
        assert r.headers["www-authenticate"] == "Bearer"
    assert _actions(site.db) == [("refused_401", None, "testclient")]


def test_the_audit_log_has_no_write_path(site):
    with _client(site) as c:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            r = c.request(method, "/api/v1/audit", headers=_bearer(site, "boss"))
            assert r.status_code == 405, method
        paths = c.get("/openapi.json").json()["paths"]
    for path, ops in paths.items():
        if "audit" in path:
            assert set(ops) == {"get"}, path


def test_the_admin_reads_the_audit_log_as_json_and_csv(site):
    with _client(site) as c:
        _login(c, "nc", "wrong-password-x")
        rows = c.get("/api/v1/audit", headers=_bearer(site, "boss")).json()
        assert [(r["action"], r["detail"]["account"]) for r in rows] == [("login_failed", "nc")]
        r = c.get("/api/v1/audit", params={"format": "csv", "action": "login_failed"},
                  headers=_bearer(site, "boss"))
        assert r.headers["content-type"].startswith("text/csv")
        assert r.content.decode("utf-8-sig").splitlines()[0].startswith("序号,时间(UTC),账号")


def test_the_audit_page_is_the_admins(site):
    with _client(site) as c:
        r = c.get("/audit", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/audit"
        _login(c, "nc")
        r = c.get("/audit")
        assert r.status_code == 403 and "无权查看审计日志" in r.text
    with _client(site) as c:
        _login(c, "boss")
        r = c.get("/audit", params={"action": "login"})
        assert r.status_code == 200
        cells = re.findall(r'<td data-label="账号">([^<]*)</td>', r.text)
        assert cells == ["boss", "nc"]  # newest first
        assert "/api/v1/audit?action=login&amp;format=csv" in r.text
        assert c.get("/audit", params={"since": "昨天"}).status_code == 422


# tokens: revoked, expired, the legacy shared token ------------------------------------------

def test_revoked_and_expired_tokens_are_refused(site):
    old, old_info = issue_token(site.db, "boss", days=1,
                                now=dt.datetime.now(dt.UTC).replace(tzinfo=None)
                                - dt.timedelta(days=2))
    with _client(site) as c:
        assert c.get("/api/v1/audit", headers={"Authorization": f"Bearer {old}"}
                     ).status_code == 401
        good = _bearer(site, "boss")
        assert c.get("/api/v1/audit", headers=good).status_code == 200
        token_id = next(e for e in entries(site.db) if e["action"] == "token_rejected"
                        )["detail"]["token_id"]
        assert token_id == old_info.id
        from digecon.accounts import list_tokens

        boss_token = next(t for t in list_tokens(site.db, "boss") if t.id != old_info.id)
        assert boss_token.last_used_at is not None
        revoke_token(site.db, boss_token.id)
        r = c.get("/api/v1/audit", headers=good)
        assert r.status_code == 401 and "已吊销" in r.json()["detail"]
    reasons = [e["detail"]["reason"] for e in entries(site.db) if e["action"] == "token_rejected"]
    assert reasons == ["expired", "revoked"]


def test_the_legacy_shared_token_only_ingests(site):
    legacy = {"Authorization": "Bearer legacy-shared-secret"}
    with _client(site) as c:
        assert c.post("/api/v1/ingest", files=_upload(), headers=legacy).status_code == 200
        r = c.get("/api/v1/audit", headers=legacy)
        assert r.status_code == 403 and "环境变量写入令牌" in r.json()["detail"]


# throttling --------------------------------------------------------------------------------

def test_twenty_wrong_tokens_from_one_address_are_throttled(site):
    with _client(site, address="198.51.100.7") as c:
        codes = [c.get("/api/v1/audit", headers={"Authorization": f"Bearer dgc_guess{i}"})
                 for i in range(20)]
        assert [r.status_code for r in codes] == [401] * 10 + [429] * 10
        assert 1 <= int(codes[-1].headers["retry-after"]) <= 300
        assert "失败次数过多" in codes[-1].json()["detail"]
        # while the address is paused even the right token is not looked at
        assert c.get("/api/v1/audit", headers=_bearer(site, "boss")).status_code == 429
    with _client(site, address="198.51.100.8") as other:
        assert other.get("/api/v1/audit", headers=_bearer(site, "boss")).status_code == 200
    logged = [(e["action"], e["address"]) for e in entries(site.db)
              if e["address"] == "198.51.100.7"]
    assert logged == [("token_rejected", "198.51.100.7")] * 10 + [("throttled", "198.51.100.7")]


def test_wrong_passwords_are_throttled_per_address(site):
    with _client(site, address="198.51.100.9") as c:
        statuses = [_login(c, "boss", f"guess-number-{i}").status_code for i in range(10)]
        assert statuses == [401] * 10
        r = _login(c, "boss")  # the right password, too late
        assert r.status_code == 429 and "Retry-After" in r.headers
        assert c.get("/api/v1/me").status_code == 401
    failed = [e for e in entries(site.db) if e["action"] == "login_failed"]
    assert len(failed) == 10 and failed[-1]["detail"]["failures"] == 10
    assert any(e["action"] == "throttled" for e in entries(site.db))


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(site, tmp_path):
    with _client(site) as c:
        c.get("/api/v1/audit", headers={"X-Forwarded-For": "203.0.113.5"})
    assert _actions(site.db)[-1][2] == "testclient"
    trusting = create_app(Settings(db=site.db, trusted_proxies=("testclient",)))
    with TestClient(trusting) as c:
        c.get("/api/v1/audit", headers={"X-Forwarded-For": "203.0.113.5, testclient"})
    assert _actions(site.db)[-1][2] == "203.0.113.5"


# managing accounts and tokens while the server runs ----------------------------------------

def test_the_admin_manages_accounts_and_tokens_over_http(site):
    boss = _bearer(site, "boss")
    with _client(site) as c:
        r = c.post("/api/v1/accounts", headers=boss, json={
            "name": "ja", "role": "city", "regions": ["吉安市"], "password": "ji-an-pass-phrase"})
        assert r.status_code == 201, r.text
        assert (r.json()["regions"], r.json()["role_zh"]) == (["360800"], "市级用户")
        r = c.post("/api/v1/accounts/ja/tokens", headers=boss, json={"days": 7, "label": "脚本"})
        assert r.status_code == 201 and r.headers["cache-control"] == "no-store"
        new = r.json()
        ja = {"Authorization": f"Bearer {new['token']}"}
        assert c.get("/api/v1/me", headers=ja).json()["regions"] == ["360800"]
        listed = c.get("/api/v1/tokens", params={"account": "ja"}, headers=boss).json()
        assert [(t["id"], t["status"]) for t in listed] == [(new["id"], "有效")]
        assert "token" not in listed[0]
        assert c.post(f"/api/v1/tokens/{new['id']}/revoke", headers=boss).status_code == 200
        assert c.get("/api/v1/me", headers=ja).status_code == 401
        assert c.post(f"/api/v1/tokens/{new['id']}/revoke", headers=boss).status_code == 409
        assert c.post("/api/v1/accounts/ja/disable", headers=boss).json()["active"] is False
        assert _login(c, "ja", "ji-an-pass-phrase").status_code == 401
    done = [(e["action"], e["account"]) for e in entries(site.db)
            if e["action"] in ("account_created", "token_issued", "token_revoked",
                               "account_disabled")]
    assert done == [("account_created", "boss"), ("token_issued", "boss"),
                    ("token_revoked", "boss"), ("account_disabled", "boss")]
    assert all(new["token"] not in str(e) for e in entries(site.db))


@pytest.mark.parametrize(("body", "message"), [
    ({"name": "x1", "role": "city", "regions": ["南晶"]}, "南晶"),
    ({"name": "x2", "role": "reporter", "regions": ["南昌市"]}, "所属部门"),
    ({"name": "x3", "role": "admin", "password": "short"}, "应至少 10 个字符"),
    ({"name": "nc", "role": "reviewer"}, "已存在"),
])
def test_account_input_errors_are_422_with_the_reason(site, body, message):
    with _client(site) as c:
        r = c.post("/api/v1/accounts", headers=_bearer(site, "boss"), json=body)
    assert r.status_code == 422 and message in r.json()["detail"]


@pytest.mark.parametrize("name", ["rv", "tj", "nc"])
def test_only_the_admin_manages_accounts(site, name):
    with _client(site) as c:
        r = c.post("/api/v1/accounts", headers=_bearer(site, name),
                   json={"name": "sneaky", "role": "admin", "password": "sneaky-pass-phrase"})
        assert r.status_code == 403
        r = c.post("/api/v1/accounts/boss/tokens", headers=_bearer(site, name), json={})
        assert r.status_code == 403
    assert [a.name for a in list_accounts(site.db)] == ["boss", "nc", "rv", "tj"]


def test_the_admin_cannot_disable_itself(site):
    with _client(site) as c:
        r = c.post("/api/v1/accounts/boss/disable", headers=_bearer(site, "boss"))
    assert r.status_code == 422 and "自己" in r.json()["detail"]


def test_a_session_manages_accounts_only_with_its_csrf_header(site):
    with _client(site) as c:
        _login(c, "boss")
        body = {"name": "rv2", "role": "reviewer"}
        assert c.post("/api/v1/accounts", json=body).status_code == 403
        token = _csrf(c.get("/login").text)
        r = c.post("/api/v1/accounts", json=body, headers={"X-CSRF-Token": token})
        assert r.status_code == 201, r.text


# the administrator's accounts pages --------------------------------------------------------

def _page_csrf(c, path="/accounts"):
    return _csrf(c.get(path).text)


def test_the_accounts_page_lists_every_account_with_its_state(site):
    with _client(site) as c:
        _login(c, "nc")  # a last login to show
    with _client(site) as c:
        _login(c, "boss")
        r = c.get("/accounts")
        assert r.status_code == 200 and r.headers["cache-control"] == "private, no-store"
        rows = re.findall(r'<tr id="acct-([^"]+)">(.*?)</tr>', r.text, re.DOTALL)
        assert [name for name, _ in rows] == ["boss", "nc", "rv", "tj"]
        cells = {name: re.sub(r"<[^>]+>", " ", body) for name, body in rows}
        assert "市级用户" in cells["nc"] and "南昌市（360100）" in cells["nc"]
        assert "部门填报员" in cells["tj"] and "统计局" in cells["tj"] and "九江市" in cells["tj"]
        assert "从未登录" in cells["rv"] and "从未登录" not in cells["nc"]
        live = {n: re.search(r'data-label="有效令牌" class="r">(\d+)<', b).group(1) for n, b in rows}
        assert live == {"boss": "1", "nc": "1", "rv": "1", "tj": "1"}
        assert "启用" in cells["rv"]


def test_an_admin_creates_disables_enables_and_resets_on_the_page(site):
    with _client(site) as c:
        _login(c, "boss")
        token = _page_csrf(c)
        r = c.post("/accounts", data={"csrf_token": token, "name": "赣州用户", "role": "city",
                                      "regions": ["360700"], "password": "gan-zhou-pass-1"},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].endswith("?done=created")
        page = c.get(r.headers["location"])
        assert "账号已创建" in page.text and "赣州市（360700）" in page.text
        # a wrong form is 422 with the reason, the values kept, nothing created
        r = c.post("/accounts", data={"csrf_token": token, "name": "x9", "role": "reporter",
                                      "regions": ["360100"]})
        assert r.status_code == 422 and "所属部门" in r.text and 'value="x9"' in r.text
        base = "/accounts/" + "%E8%B5%A3%E5%B7%9E%E7%94%A8%E6%88%B7"
        r = c.post(base + "/disable", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        assert "已停用" in c.get(base).text
    with _client(site) as other:
        assert _login(other, "赣州用户", "gan-zhou-pass-1").status_code == 401
    with _client(site) as c:
        _login(c, "boss")
        token = _page_csrf(c)
        assert c.post(base + "/enable", data={"csrf_token": token},
                      follow_redirects=False).status_code == 303
        r = c.post(base + "/password", data={"csrf_token": token, "password": "new-pass-phrase",
                                             "password2": "other-phrase"})
        assert r.status_code == 422 and "不一致" in r.text
        r = c.post(base + "/password", data={"csrf_token": token, "password": "short",
                                             "password2": "short"})
        assert r.status_code == 422 and "应至少 10 个字符" in r.text
        r = c.post(base + "/password", data={"csrf_token": token, "password": "new-pass-phrase",
                                             "password2": "new-pass-phrase"},
                   follow_redirects=False)
        assert r.status_code == 303
    with _client(site) as other:
        assert _login(other, "赣州用户", "gan-zhou-pass-1").status_code == 401
        assert _login(other, "赣州用户", "new-pass-phrase").status_code == 303
    done = [(e["action"], e["account"], e["detail"].get("name")) for e in entries(site.db)
            if e["action"] in ("account_created", "account_disabled", "account_enabled",
                               "password_changed")]
    assert done == [("account_created", "boss", "赣州用户"), ("account_disabled", "boss", "赣州用户"),
                    ("account_enabled", "boss", "赣州用户"), ("password_changed", "boss", "赣州用户")]


def test_a_token_issued_on_the_page_is_shown_once_and_can_be_revoked(site):
    with _client(site) as c:
        _login(c, "boss")
        token = _page_csrf(c, "/accounts/rv")
        r = c.post("/accounts/rv/tokens", data={"csrf_token": token, "days": "7",
                                                "label": "夜间脚本"})
        assert r.status_code == 200 and r.headers["cache-control"] == "private, no-store"
        secret = re.search(r'<code id="new-token">([^<]+)</code>', r.text).group(1)
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).json()[
            "account"] == "rv"
        page = c.get("/accounts/rv").text
        assert secret not in page and "夜间脚本" in page
        tid = re.findall(r'<tr id="token-([^"]+)">', page)[-1]
        r = c.post("/accounts/rv/tokens/" + tid + "/revoke", data={"csrf_token": token},
                   follow_redirects=False)
        assert r.status_code == 303
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
                     ).status_code == 401
        # a token of another account is not revoked through this account's page
        other = re.findall(r'<tr id="token-([^"]+)">', c.get("/accounts/nc").text)[0]
        r = c.post(f"/accounts/rv/tokens/{other}/revoke", data={"csrf_token": token})
        assert r.status_code == 409 and "不属于账号「rv」" in r.text
        r = c.post("/accounts/rv/tokens", data={"csrf_token": token, "days": "九十"})
        assert r.status_code == 422 and "发现「九十」" in r.text
    assert all(secret not in str(e) for e in entries(site.db))
    logged = [e["action"] for e in entries(site.db) if e["action"].startswith("token_")]
    assert logged == ["token_issued", "token_revoked", "token_rejected"]  # the revoked one tried


@pytest.mark.parametrize("name", ["rv", "tj", "nc"])
def test_the_accounts_pages_are_the_admins_only(site, name):
    with _client(site) as c:
        assert c.get("/accounts", follow_redirects=False).headers["location"] == \
            "/login?next=/accounts"
        _login(c, name)
        r = c.get("/accounts")
        assert r.status_code == 403 and "无权管理账号与令牌" in r.text and "acct-" not in r.text
        token = _csrf(r.text)
        r = c.post("/accounts", data={"csrf_token": token, "name": "sneaky", "role": "admin",
                                      "password": "sneaky-pass-phrase"})
        assert r.status_code == 403
        assert c.post("/accounts/boss/disable", data={"csrf_token": token}).status_code == 403
        assert c.post("/accounts/boss/tokens", data={"csrf_token": token}).status_code == 403
    assert [a.name for a in list_accounts(site.db)] == ["boss", "nc", "rv", "tj"]
    assert all(a.active for a in list_accounts(site.db))


def test_the_accounts_page_forms_need_their_csrf_token(site):
    with _client(site) as c:
        _login(c, "boss")
        r = c.post("/accounts", data={"name": "nocsrf", "role": "reviewer"})
        assert r.status_code == 403
        r = c.post("/accounts/rv/disable", data={"csrf_token": "forged"})
        assert r.status_code == 403
    assert [a.name for a in list_accounts(site.db)] == ["boss", "nc", "rv", "tj"]
    assert all(a.active for a in list_accounts(site.db))
    assert [e["action"] for e in entries(site.db)].count("csrf_refused") == 2


def test_guessing_one_password_from_many_addresses_locks_that_account(site):
    with _client(site, address="10.9.9.9") as own:  # rv's usual machine
        assert _login(own, "rv").status_code == 303

    def guess(n, first):
        for i in range(n):
            with _client(site, address=f"198.51.100.{first + i}") as c:
                assert _login(c, "rv", f"guess-{first + i}-password").status_code == 401

    guess(10, 1)  # ten addresses, one wrong password each: no address is throttled
    with _client(site, address="198.51.100.50") as c:
        r = _login(c, "rv")  # the right password, but the account is locked
        assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 15 * 60
        assert "此账号名的密码错误次数过多" in r.text and "请省级管理员解锁" in r.text
        assert c.get("/api/v1/me").status_code == 401
    with _client(site) as c:
        assert c.get("/api/v1/me", headers=_bearer(site, "rv")).json()["account"] == "rv"
        _login(c, "boss")
        page = c.get("/accounts").text
        assert re.search(r'id="acct-rv">.*?已锁定（至 ', page, re.DOTALL)
        token = _page_csrf(c, "/accounts/rv")
        r = c.post("/accounts/rv/unlock", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
    with _client(site, address="198.51.100.50") as c:
        assert _login(c, "rv").status_code == 303
    guess(10, 60)  # locked again ...
    with _client(site, address="198.51.100.99") as c:
        assert _login(c, "rv").status_code == 429
    with _client(site, address="10.9.9.9") as own:  # ... but not for its own known address
        assert _login(own, "rv").status_code == 303
    log = [(e["action"], e["account"]) for e in entries(site.db)
           if e["action"] in ("account_locked", "login_locked", "account_unlocked")]
    assert log == [("account_locked", "rv"), ("login_locked", "rv"),
                   ("account_unlocked", "boss"), ("account_locked", "rv"), ("login_locked", "rv")]
    over = next(e for e in entries(site.db) if e["action"] == "account_locked")
    assert over["detail"]["failures"] == 10 and over["address"] == "198.51.100.10"


def _error(page: str) -> str:
    """The login page's message, with the minutes it names (they tick) left out."""
    found = re.search(r'role="alert"[^>]*>(.*?)</', page, re.DOTALL)
    assert found, page[-2000:]
    return re.sub(r"\d+ 分钟后", "N 分钟后", found.group(1).strip())


def test_the_lock_reads_the_same_for_a_name_no_account_has(site):
    """Ten wrong passwords for an account and for a name nobody has: the same status, the same
    words, the same Retry-After range; so the page never tells whether an account exists. The
    unknown name is not written to the audit log."""
    answers = {}
    for name in ("rv", "nobody-here"):
        for i in range(10):
            with _client(site, address=f"198.51.{100 + len(answers)}.{i + 1}") as c:
                r = _login(c, name, f"guess-{i}-password")
                assert r.status_code == 401 and "账号或密码错误" in r.text
        with _client(site, address=f"203.0.113.{7 + len(answers)}") as c:
            r = _login(c, name, "one-more-guess-password")
        assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 15 * 60
        answers[name] = _error(r.text)
    assert answers["rv"] == answers["nobody-here"]
    assert "nobody-here" not in json.dumps(entries(site.db), ensure_ascii=False)
