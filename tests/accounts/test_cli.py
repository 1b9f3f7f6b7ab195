"""`digecon accounts …` and `digecon audit …` end to end on a store of their own."""
from __future__ import annotations

import json

import duckdb
import pytest
from click.testing import CliRunner

from digecon.accounts import authenticate, entries, token_principal
from digecon.cli import main


@pytest.fixture
def run(store):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, [*args, "--db", str(store.path)], input=input)

    return invoke


def test_first_admin_then_a_city_user_and_a_token(run, store):
    r = run("accounts", "create", "boss", "--role", "admin", "--password-stdin",
            input="a-long-pass-phrase\n")
    assert r.exit_code == 0, r.output
    assert "已创建账号 boss（省级管理员）" in r.output
    assert authenticate(store, "boss", "a-long-pass-phrase").role == "admin"

    r = run("accounts", "create", "nc", "--role", "city", "--region", "南昌市", "--no-password")
    assert r.exit_code == 0 and "南昌市（360100）" in r.output

    r = run("accounts", "token", "issue", "nc", "--days", "30")
    assert r.exit_code == 0, r.output
    secret = r.stdout.strip().splitlines()[-1]
    principal, token_id = token_principal(store, secret)
    assert principal.regions == ("360100",)

    r = run("accounts", "token", "list", "--format", "json")
    listed = json.loads(r.stdout)
    assert [(t["id"], t["status"]) for t in listed] == [(token_id, "有效")]
    assert secret not in r.output

    r = run("accounts", "token", "revoke", token_id)
    assert r.exit_code == 0 and token_id in r.output
    assert json.loads(run("accounts", "token", "list", "--format", "json").stdout
                      )[0]["status"] == "已吊销"

    actions = [(e["action"], e["address"].startswith("cli")) for e in entries(store)]
    assert actions == [("account_created", True), ("account_created", True),
                       ("token_issued", True), ("token_revoked", True)]
    assert all(secret not in json.dumps(e) for e in entries(store))


def test_bad_input_exits_2_with_the_reason(run, store):
    r = run("accounts", "create", "x1", "--role", "city", "--region", "南晶", "--no-password")
    assert r.exit_code == 2 and "南晶" in r.output
    r = run("accounts", "create", "x2", "--role", "admin", "--password-stdin", input="short\n")
    assert r.exit_code == 2 and "应至少 10 个字符" in r.output
    r = run("accounts", "disable", "nobody")
    assert r.exit_code == 2 and "账号「nobody」不存在" in r.output
    assert entries(store) == []


def test_list_and_disable(run):
    run("accounts", "create", "rv", "--role", "reviewer", "--no-password")
    run("accounts", "create", "tj", "--role", "reporter", "--department", "统计局",
        "--region", "南昌市", "--region", "九江市", "--no-password")
    assert run("accounts", "disable", "rv").exit_code == 0
    rows = json.loads(run("accounts", "list", "--format", "json").stdout)
    assert [(r["name"], r["status"], r["regions"]) for r in rows] == [
        ("rv", "已停用", []), ("tj", "有效", ["360100", "360400"])]


def test_audit_show_export_verify_and_tampering(run, store, tmp_path):
    run("accounts", "create", "rv", "--role", "reviewer", "--no-password")
    run("accounts", "create", "rv2", "--role", "reviewer", "--no-password")
    r = run("audit", "show", "--format", "json")
    assert [e["detail"]["name"] for e in json.loads(r.stdout)] == ["rv", "rv2"]
    r = run("audit", "show", "--action", "account_created", "--limit", "1")
    assert r.exit_code == 0 and "rv2" in r.output and '"rv"' not in r.output
    out = tmp_path / "审计.csv"
    assert run("audit", "export", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8-sig").count("\n") == 3
    r = run("audit", "verify")
    assert r.exit_code == 0 and "2 条记录" in r.output

    with duckdb.connect(str(store.path)) as con:
        con.execute("UPDATE audit_log SET account = 'someone' WHERE seq = 1")
    r = run("audit", "verify")
    assert r.exit_code == 3
    assert "第 1 条的内容与其哈希不符" in r.output


def test_a_missing_store_is_named_not_created(tmp_path):
    missing = tmp_path / "typo.duckdb"
    r = CliRunner().invoke(main, ["audit", "show", "--db", str(missing)])
    assert r.exit_code == 2 and "不存在" in r.output
    assert not missing.exists()
