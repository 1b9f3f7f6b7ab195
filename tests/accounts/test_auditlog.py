"""The audit log: appended only, each row chained to the one before, tampering found."""
from __future__ import annotations

import csv
import datetime as dt
import json

import duckdb
import pytest

from digecon.accounts import audit, entries, export, verify_chain
from digecon.accounts.auditlog import GENESIS, AuditQueryError, row_hash

T0 = dt.datetime(2026, 12, 1, 8, 0, 0)


def _fill(store, n=4):
    for i in range(n):
        audit(store, account="li" if i % 2 else "wang", action="login" if i < 3 else "submit",
              address=f"10.0.0.{i}", detail={"i": i, "文件": "甲.xlsx"},
              checksum="ab" * 32 if i == 3 else None, at=T0 + dt.timedelta(minutes=i))


def _raw(store, sql, params=()):
    with duckdb.connect(str(store.path)) as con:
        con.execute(sql, list(params))


def test_entries_carry_who_when_where_what(store):
    _fill(store)
    rows = entries(store)
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    last = rows[-1]
    assert (last["account"], last["action"], last["address"], last["at"]) == (
        "li", "submit", "10.0.0.3", "2026-12-01T08:03:00Z")
    assert last["detail"] == {"i": 3, "文件": "甲.xlsx"}
    assert last["checksum"] == "ab" * 32
    assert rows[0]["prev_hash"] == GENESIS


def test_each_row_hash_is_sha256_of_the_previous_and_its_content(store):
    _fill(store, 2)
    first, second = entries(store)
    detail = json.dumps(second["detail"], ensure_ascii=False, sort_keys=True,
                        separators=(",", ":"))
    again = row_hash(first["row_hash"], 2, T0 + dt.timedelta(minutes=1), "li", "login",
                     "10.0.0.1", detail, None)
    assert second["prev_hash"] == first["row_hash"] and second["row_hash"] == again


def test_an_intact_log_verifies(store):
    _fill(store)
    report = verify_chain(store)
    assert (report.ok, report.rows, report.head) == (True, 4, entries(store)[-1]["row_hash"])


@pytest.mark.parametrize(("sql", "bad_seq", "problem"), [
    ("UPDATE audit_log SET address = '1.1.1.1' WHERE seq = 2", 2, "内容与其哈希不符"),
    ("UPDATE audit_log SET detail = '{\"i\":9}' WHERE seq = 3", 3, "内容与其哈希不符"),
    ("UPDATE audit_log SET \"at\" = \"at\" + INTERVAL 1 SECOND WHERE seq = 1", 1, "内容与其哈希不符"),
    ("DELETE FROM audit_log WHERE seq = 2", 3, "缺少第 2 条"),
    ("DELETE FROM audit_log WHERE seq = 1", 2, "缺少第 1 条"),
])
def test_tampering_is_found_with_its_row(store, sql, bad_seq, problem):
    _fill(store)
    _raw(store, sql)
    report = verify_chain(store)
    assert not report.ok
    assert report.bad_seq == bad_seq
    assert problem in report.problem


def test_a_rewritten_row_with_a_fresh_hash_still_breaks_the_next_link(store):
    _fill(store)
    row = entries(store)[1]
    forged = row_hash(row["prev_hash"], 2, T0 + dt.timedelta(minutes=1), "li", "login",
                      "6.6.6.6", json.dumps({"i": 1}, separators=(",", ":")), None)
    _raw(store, "UPDATE audit_log SET address = '6.6.6.6', detail = '{\"i\":1}', row_hash = ? "
                "WHERE seq = 2", [forged])
    report = verify_chain(store)
    assert (report.ok, report.bad_seq) == (False, 3)
    assert "前一行哈希" in report.problem


def test_audit_inside_a_callers_transaction_commits_with_it(store):
    with duckdb.connect(str(store.path)) as con:
        con.execute("BEGIN TRANSACTION")
        audit(con, account="li", action="approve", address="10.0.0.9", detail={"n": 3})
        con.execute("ROLLBACK")
        assert entries(con) == []
        con.execute("BEGIN TRANSACTION")
        audit(con, account="li", action="approve", address="10.0.0.9", detail={"n": 3})
        con.execute("COMMIT")
    assert [e["action"] for e in entries(store)] == ["approve"]
    assert verify_chain(store).ok


def test_filters(store):
    _fill(store)
    assert [r["seq"] for r in entries(store, account="li")] == [2, 4]
    assert [r["seq"] for r in entries(store, action="submit")] == [4]
    assert [r["seq"] for r in entries(store, since="2026-12-01T08:02")] == [3, 4]
    assert [r["seq"] for r in entries(store, limit=2, newest_first=True)] == [4, 3]
    with pytest.raises(AuditQueryError, match="发现「昨天」"):
        entries(store, since="昨天")


def test_export_csv_has_chinese_headers_and_defuses_formulas(store, tmp_path):
    audit(store, account="x", action="login_failed", address="10.0.0.1",
          detail={"account": "=HYPERLINK(\"http://evil\")"})
    audit(store, account="=cmd|' /C calc'!A0", action="login_failed", address="10.0.0.1",
          detail={})
    out = tmp_path / "audit.csv"
    assert export(store, out) == 2
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:6] == ["序号", "时间(UTC)", "账号", "操作", "来源地址", "详情"]
    assert rows[2][2] == "'=cmd|' /C calc'!A0"
    assert json.loads(rows[1][5]) == {"account": "=HYPERLINK(\"http://evil\")"}


def test_export_json_and_bad_format(store, tmp_path):
    _fill(store, 2)
    out = tmp_path / "audit.json"
    assert export(store, out) == 2
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["seq"] for d in data] == [1, 2] and data[0]["detail"]["文件"] == "甲.xlsx"
    with pytest.raises(AuditQueryError, match="应为 csv 或 json"):
        export(store, tmp_path / "audit.xlsx")


def test_no_update_or_delete_path_in_the_package():
    """Nothing in digecon writes audit_log but the one INSERT of auditlog._append."""
    from pathlib import Path

    import digecon

    root = Path(digecon.__file__).parent
    writers = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        for verb in ("update audit_log", "delete from audit_log", "insert into audit_log",
                     "drop table audit_log", "truncate audit_log"):
            if verb in text:
                writers.append((path.relative_to(root).as_posix(), verb))
    assert writers == [("accounts/auditlog.py", "insert into audit_log")]
