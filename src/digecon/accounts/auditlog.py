"""The append-only audit log: one row per action, each chained to the one before by its hash.

Nothing in digecon updates or deletes a row of `audit_log`. Whoever edits the file directly
breaks the chain: every row stores sha256(previous row's hash + its own content), and
`verify_chain` recomputes them all and names the first row that no longer fits.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from digecon.errors import InputError

from .db import Target, opened, transaction, utcnow

GENESIS = "0" * 64
COLUMNS = ["seq", "at", "account", "action", "address", "detail", "checksum", "prev_hash",
           "row_hash"]
_SELECTED = ", ".join(f'"{c}"' for c in COLUMNS)
COLUMNS_ZH = ["序号", "时间(UTC)", "账号", "操作", "来源地址", "详情", "批次校验和", "前一行哈希",
              "本行哈希"]
ACTION_ZH = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_locked": "账号锁定期间的登录尝试",
    "account_locked": "账号因密码错误过多被暂时锁定",
    "account_unlocked": "解除账号锁定",
    "logout": "退出登录",
    "token_rejected": "令牌无效",
    "throttled": "因失败过多被限流",
    "refused_401": "拒绝：未认证",
    "refused_403": "拒绝：无权限",
    "csrf_refused": "拒绝：CSRF 校验失败",
    "account_created": "创建账号",
    "account_disabled": "停用账号",
    "account_enabled": "启用账号",
    "password_changed": "修改密码",
    "token_issued": "签发令牌",
    "token_revoked": "吊销令牌",
    "ingest": "导入数据",
    "submit": "报送数据",
    "approve": "审核通过",
    "return": "退回",
    "object": "提出异议",
    "resolve_objection": "处理异议",
    "revision": "修订",
}
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_chain_lock = threading.Lock()  # one appender at a time in this process: the chain is a line


class AuditQueryError(InputError):
    """A filter or export the audit log cannot answer (bad date, unknown format)."""


def _content(seq: int, at: dt.datetime, account: str | None, action: str, address: str | None,
             detail: str, checksum: str | None) -> str:
    return json.dumps([seq, at.isoformat(), account, action, address, detail, checksum],
                      ensure_ascii=False, separators=(",", ":"))


def row_hash(prev_hash: str, seq: int, at: dt.datetime, account: str | None, action: str,
             address: str | None, detail: str, checksum: str | None) -> str:
    content = _content(seq, at, account, action, address, detail, checksum)
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def _append(con: duckdb.DuckDBPyConnection, account, action, address, detail_text, checksum,
            at: dt.datetime) -> int:
    last = con.execute("SELECT seq, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    digest = row_hash(prev, seq, at, account, action, address, detail_text, checksum)
    con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, at, account, action, address, detail_text, checksum, prev, digest])
    return seq


def audit(store_or_conn: Target, *, account: str | None, action: str, address: str | None,
          detail: dict, checksum: str | None = None, at: dt.datetime | None = None) -> int:
    """Append one entry; returns its sequence number.

    Given a Store or a path, the entry is written in a transaction of its own. Given a
    connection, it is written in whatever transaction that connection has open, so that an
    action and its entry are committed together (make it the last statement before COMMIT:
    another writer appending meanwhile makes the commit fail rather than fork the chain)."""
    if not action or not isinstance(action, str):
        raise ValueError("审计日志的操作名（action）不能为空")
    detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    at = (at or utcnow()).replace(tzinfo=None)
    with _chain_lock:
        if isinstance(store_or_conn, duckdb.DuckDBPyConnection):
            with opened(store_or_conn) as con:
                return _append(con, account, action, address, detail_text, checksum, at)
        with opened(store_or_conn) as con, transaction(con):
            return _append(con, account, action, address, detail_text, checksum, at)


def _since(value: str | dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return dt.datetime.fromisoformat(str(value).strip()).replace(tzinfo=None)
    except ValueError:
        raise AuditQueryError(f"--since：发现「{value}」，应为日期 YYYY-MM-DD 或时间 "
                              f"YYYY-MM-DDTHH:MM（UTC）") from None


def entries(target: Target, *, account: str | None = None, action: str | None = None,
            since: str | dt.date | dt.datetime | None = None, limit: int | None = None,
            newest_first: bool = False) -> list[dict]:
    """Entries in order of their sequence number, filtered; `detail` parsed back to a dict."""
    where, params = [], []
    if account:
        where.append("account = ?")
        params.append(account)
    if action:
        where.append("action = ?")
        params.append(action)
    start = _since(since)
    if start is not None:
        where.append('"at" >= ?')
        params.append(start)
    sql = f"SELECT {_SELECTED} FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq" + (" DESC" if newest_first else "")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with opened(target) as con:
        rows = con.execute(sql, params).fetchall()
    out = []
    for row in rows:
        rec = dict(zip(COLUMNS, row))
        rec["at"] = rec["at"].isoformat(timespec="seconds") + "Z"
        rec["detail"] = json.loads(rec["detail"])
        rec["action_zh"] = ACTION_ZH.get(rec["action"], rec["action"])
        out.append(rec)
    return out


def _cell(v) -> str:
    text = "" if v is None else (json.dumps(v, ensure_ascii=False, sort_keys=True)
                                 if isinstance(v, dict) else str(v))
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Iterable[dict]) -> str:
    """CSV with Chinese headers (UTF-8; cells that a spreadsheet would run are quoted with ')."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS_ZH)
    for rec in rows:
        writer.writerow([_cell(rec[c]) for c in COLUMNS])
    return buf.getvalue()


def to_json(rows: Iterable[dict]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


def export(target: Target, path: Path, fmt: str | None = None, **filters) -> int:
    """Write the (filtered) log to `path` as CSV or JSON (by `fmt`, else by the file's suffix)."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("csv", "json"):
        raise AuditQueryError(f"{path}：导出格式「{fmt or '无后缀'}」不支持，应为 csv 或 json"
                              f"（文件后缀或 --format）")
    rows = entries(target, **filters)
    text = to_csv(rows) if fmt == "csv" else to_json(rows)
    # utf-8-sig: Excel opens a CSV with Chinese headers correctly only with the BOM
    path.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    ok: bool
    head: str  # the last row's hash: record it elsewhere to detect a cut-off tail later
    bad_seq: int | None = None
    problem: str = ""


def verify_chain(target: Target) -> ChainReport:
    """Recompute every row's hash from its content and the row before; the first mismatch,
    gap or reordering is reported with its sequence number."""
    with opened(target) as con:
        cur = con.execute(f"SELECT {_SELECTED} FROM audit_log ORDER BY seq")
        prev, expected_seq, n = GENESIS, 1, 0
        while batch := cur.fetchmany(5000):
            for seq, at, account, action, address, detail, checksum, prev_hash, digest in batch:
                n += 1
                if seq != expected_seq:
                    return ChainReport(n - 1, False, prev, seq,
                                       f"第 {seq} 条之前缺少第 {expected_seq} 条（记录被删除）")
                if prev_hash != prev:
                    return ChainReport(n - 1, False, prev, seq,
                                       f"第 {seq} 条所记的前一行哈希与第 {seq - 1} 条不符"
                                       f"（记录被删除、插入或改动）")
                again = row_hash(prev, seq, at, account, action, address, detail, checksum)
                if again != digest:
                    return ChainReport(n - 1, False, prev, seq,
                                       f"第 {seq} 条的内容与其哈希不符（记录被改动）")
                prev, expected_seq = digest, seq + 1
    return ChainReport(n, True, prev)
