"""Submissions held for review, approval into published values, returns, and objections (异议).

Submissions live in their own tables beside the observations; nothing reaches `observations`
until a reviewer approves (then digecon.ingest.write_frame writes the rows with a new vintage).
Every step is written to the audit log (digecon.accounts.audit) in the same transaction.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from digecon import accounts
from digecon.errors import InputError
from digecon.facts import fact_text
from digecon.ingest import write_frame
from digecon.store import Store

from .tasks import Task
from .upload import Check, CollectPermissionError

STATUS_ZH = {"submitted": "待审核", "returned": "已退回", "approved": "已通过"}
OBJECTION_ZH = {"open": "处理中", "rejected": "已驳回", "revised": "已修订"}

DDL = [
    "CREATE SEQUENCE IF NOT EXISTS collect_seq START 1",
    """CREATE TABLE IF NOT EXISTS submissions (
        submission_id BIGINT NOT NULL, task VARCHAR NOT NULL, task_name VARCHAR NOT NULL,
        department VARCHAR NOT NULL, source VARCHAR NOT NULL, account VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, submitted_at TIMESTAMP NOT NULL,
        status VARCHAR NOT NULL, reviewer VARCHAR, reviewed_at TIMESTAMP, reason VARCHAR,
        vintage DATE, written BIGINT)""",
    """CREATE TABLE IF NOT EXISTS submission_rows (
        submission_id BIGINT NOT NULL, region_code VARCHAR NOT NULL, indicator VARCHAR NOT NULL,
        period VARCHAR NOT NULL, value DOUBLE NOT NULL, unit VARCHAR NOT NULL,
        status VARCHAR NOT NULL, note VARCHAR NOT NULL, sheet VARCHAR NOT NULL,
        row_no INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS objections (
        objection_id BIGINT NOT NULL, region_code VARCHAR NOT NULL, indicator VARCHAR NOT NULL,
        period VARCHAR NOT NULL, value DOUBLE NOT NULL, unit VARCHAR NOT NULL,
        vintage DATE NOT NULL, source VARCHAR NOT NULL, account VARCHAR NOT NULL,
        raised_at TIMESTAMP NOT NULL, reason VARCHAR NOT NULL, status VARCHAR NOT NULL,
        resolver VARCHAR, resolved_at TIMESTAMP, resolution VARCHAR, revised_value DOUBLE,
        revised_vintage DATE)""",
]


class CollectError(InputError):
    """A review step that cannot be taken as asked (wrong state, missing reason); the message
    says what was found and what was expected. Nothing was written."""


def ensure_tables(con) -> None:
    for stmt in DDL:
        con.execute(stmt)


def _has_tables(con) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE NOT temporary AND "
                            "table_name = 'submissions'").fetchone()[0])


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def submit(store: Store, check: Check, task: Task, principal, *, checksum: str,
           address: str | None = None) -> int:
    """Store a checked upload as a submission (status submitted); returns its number.

    Refuses (CollectPermissionError) a check with rows the account may not submit and
    (CollectError) one with problems: nothing is written then."""
    if check.refused:
        raise CollectPermissionError(f"{len(check.refused)} 行超出账号的报送范围，未写入任何数据")
    if check.problems or not check.rows:
        raise CollectError(f"{check.total} 个问题，未写入任何数据")
    with store.connection(read_only=False) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            ensure_tables(con)
            sid = con.execute("SELECT nextval('collect_seq')").fetchone()[0]
            con.execute("INSERT INTO submissions (submission_id, task, task_name, department, "
                        "source, account, file_name, checksum, submitted_at, status) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted')",
                        [sid, task.id, task.name, task.department, task.source,
                         principal.account, check.file, checksum, _now()])
            con.executemany("INSERT INTO submission_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [[sid, r["region_code"], r["indicator"], r["period"], r["value"],
                              r["unit"], r["status"], r["note"], r["sheet"], r["row"]]
                             for r in check.rows])
            accounts.audit(con, account=principal.account, action="submit",
                           address=address, checksum=checksum,
                           detail={"submission": int(sid), "task": task.id,
                                   "department": task.department, "file": check.file,
                                   "rows": len(check.rows)})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return int(sid)


def submission(store: Store, submission_id: int) -> dict:
    """One submission with its rows; CollectError if there is none of that number."""
    with store.connection(read_only=True) as con:
        found = _has_tables(con) and con.execute(
            "SELECT * FROM submissions WHERE submission_id = ?", [submission_id]).df()
        if found is False or found.empty:
            raise CollectError(f"报送编号: 发现 {submission_id}，应为已有的报送编号")
        rows = con.execute("SELECT * FROM submission_rows WHERE submission_id = ? "
                           "ORDER BY sheet, row_no", [submission_id]).df()
    out = _records(found)[0]
    out["status_zh"] = STATUS_ZH[out["status"]]
    out["rows"] = _records(rows)
    return out


def submissions(store: Store, *, account: str | None = None, status: str | None = None,
                task: str | None = None) -> list[dict]:
    """Submissions, newest first, with their row counts (filtered by account/status/task)."""
    with store.connection(read_only=True) as con:
        if not _has_tables(con):
            return []
        where, params = ["1 = 1"], []
        for column, wanted in (("account", account), ("status", status), ("task", task)):
            if wanted:
                where.append(f"s.{column} = ?")
                params.append(wanted)
        df = con.execute(f"""SELECT s.*, (SELECT count(*) FROM submission_rows r
                                           WHERE r.submission_id = s.submission_id) AS n_rows
                             FROM submissions s WHERE {' AND '.join(where)}
                             ORDER BY submission_id DESC""", params).df()
    out = _records(df)
    for r in out:
        r["status_zh"] = STATUS_ZH[r["status"]]
    return out


def approve(store: Store, submission_id: int, principal, *, vintage: str | dt.date | None = None,
            address: str | None = None) -> int:
    """Write a submission's rows as published observations with a new vintage (default today);
    returns the rows written (derived ones included). The reviewer's decision is recorded.

    A cell already published at that vintage by an earlier approval of the same task (a second
    approval the same day) is written as its own statement, ref 报送 #N: a statement holds one
    value per vintage, and the store reads the later load of a vintage before the earlier one.
    The earlier value stays in the store's history; every value this approval replaces is
    named in the audit entry (`replaced`)."""
    _require_reviewer(principal)
    sub = _pending(store, submission_id)
    vintage_text = (vintage.isoformat() if isinstance(vintage, dt.date)
                    else (vintage or dt.date.today().isoformat()))
    cells = [(r["region_code"], r["indicator"], r["period"]) for r in sub["rows"]]
    taken = _stated_at(store, cells, sub["source"], vintage_text)
    before = _chosen(store, cells, vintage_text)
    own_ref = f"报送 #{submission_id}"
    frame = pd.DataFrame([{"region": r["region_code"], "indicator": r["indicator"],
                           "period": r["period"], "value": repr(float(r["value"])),
                           "unit": r["unit"], "status": r["status"], "note": r["note"],
                           "ref": own_ref if (r["region_code"], r["indicator"], r["period"])
                           in taken else ""}
                          for r in sub["rows"]])
    written = write_frame(store, frame, vintage=vintage_text, source=sub["source"],
                          origin=f"报送 #{submission_id}（{sub['task']}，{sub['department']}）")
    replaced = [{"region": c[0], "indicator": c[1], "period": c[2], "old": old["value"],
                 "old_vintage": old["vintage"], "old_source": old["source"],
                 "new": float(r["value"])}
                for c, r in zip(cells, sub["rows"])
                if (old := before.get(c)) is not None and old["value"] != float(r["value"])]
    detail = {"vintage": vintage_text, "written": int(written), "replaced": len(replaced)}
    if replaced:
        detail["previous"] = replaced[:50]
    _decide(store, submission_id, principal, "approved", None, address, detail,
            sub["checksum"], vintage=vintage_text, written=int(written))
    return int(written)


def _stated_at(store: Store, cells: list[tuple[str, str, str]], source: str,
               vintage: str) -> set[tuple[str, str, str]]:
    """The cells that already hold a statement of `source` (ref '') at `vintage`."""
    if not cells:
        return set()
    with store.connection(read_only=True) as con:
        rows = con.execute("""
            SELECT DISTINCT region_code, indicator, period FROM observations
            WHERE source = ? AND ref = '' AND vintage = CAST(? AS DATE)
              AND indicator IN (SELECT unnest(?::VARCHAR[]))
              AND region_code IN (SELECT unnest(?::VARCHAR[]))""",
                           [source, vintage, sorted({c[1] for c in cells}),
                            sorted({c[0] for c in cells})]).fetchall()
    return {tuple(r) for r in rows} & set(cells)


def published_values(store: Store, rows: list[dict]) -> dict:
    """The value the public sees now of each (region_code, indicator, period) of `rows`: what
    approving them would replace ({value, vintage, source}); cells without one are absent."""
    return _chosen(store, [(r["region_code"], r["indicator"], r["period"]) for r in rows],
                   None)


def _chosen(store: Store, cells: list[tuple[str, str, str]], as_of: str | None) -> dict:
    """Each cell's value as readers see it at `as_of` (before an approval writes)."""
    if not cells:
        return {}
    df = store.chosen(indicators=sorted({c[1] for c in cells}),
                      regions=sorted({c[0] for c in cells}),
                      periods=sorted({c[2] for c in cells}), as_of=as_of)
    return {(r.region_code, r.indicator, r.period): {
        "value": float(r.value), "vintage": str(r.vintage), "source": r.source}
        for r in df.itertuples()}


def return_submission(store: Store, submission_id: int, principal, reason: str, *,
                      address: str | None = None) -> None:
    """Send a submission back to its department with a reason; nothing is published."""
    _require_reviewer(principal)
    reason = (reason or "").strip()
    if not reason:
        raise CollectError("退回原因: 发现空值，应为退回的原因（填报员会看到）")
    sub = _pending(store, submission_id)
    _decide(store, submission_id, principal, "returned", reason, address, {"reason": reason},
            sub["checksum"])


def _require_reviewer(principal) -> None:
    if principal is None:
        raise CollectPermissionError("请先登录：审核需要审核员账号")
    if not principal.may("review"):
        raise CollectPermissionError(f"账号「{principal.account}」的角色不能审核报送"
                                     "（需要审核员或省级管理员）")


def _pending(store: Store, submission_id: int) -> dict:
    sub = submission(store, submission_id)
    if sub["status"] != "submitted":
        raise CollectError(f"报送 #{submission_id}: 发现状态「{sub['status_zh']}」，"
                           "应为待审核的报送")
    return sub


def _decide(store: Store, submission_id: int, principal, status: str, reason: str | None,
            address: str | None, detail: dict, checksum: str, *, vintage: str | None = None,
            written: int | None = None) -> None:
    with store.connection(read_only=False) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("UPDATE submissions SET status = ?, reviewer = ?, reviewed_at = ?, "
                        "reason = ?, vintage = CAST(? AS DATE), written = ? "
                        "WHERE submission_id = ?",
                        [status, principal.account, _now(), reason, vintage, written,
                         submission_id])
            action = "approve" if status == "approved" else "return"
            accounts.audit(con, account=principal.account, action=action, address=address,
                           checksum=checksum, detail={"submission": submission_id, **detail})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def in_review(store: Store, region_code: str) -> list[dict]:
    """A region's submitted values not yet published: each cell's latest submission when it is
    waiting for review or was returned. Not for the public (the caller checks
    view_unpublished)."""
    with store.connection(read_only=True) as con:
        if not _has_tables(con):
            return []
        df = con.execute("""
            SELECT r.indicator, r.period, r.value, r.unit, s.department, s.account AS submitted_by,
                   s.submitted_at, s.status, s.reason, s.submission_id, s.task
            FROM submission_rows r JOIN submissions s USING (submission_id)
            WHERE r.region_code = ?
            QUALIFY row_number() OVER (PARTITION BY r.indicator, r.period
                                       ORDER BY s.submission_id DESC) = 1
            ORDER BY r.indicator, r.period""", [region_code]).df()
    cat = store.catalog
    out = []
    for r in _records(df):
        if r["status"] == "approved":
            continue
        r["name_zh"] = cat.indicator(r["indicator"]).name_zh
        r["status_zh"] = STATUS_ZH[r["status"]]
        r["reason"] = r["reason"] or ""
        out.append(r)
    return out


def raise_objection(store: Store, principal, region: str, indicator: str, period: str,
                    reason: str, *, address: str | None = None) -> int:
    """Record a city's objection (异议) to the value the public sees for one cell."""
    cat = store.catalog
    region_code = cat.region(region).code
    code = cat.indicator(indicator).code
    if principal is None or not principal.may("object", region_code):
        who = f"账号「{principal.account}」" if principal is not None else "未登录的访问"
        raise CollectPermissionError(f"{who}不能对「{cat.region(region_code).name}」的数据提出异议"
                                     "（需要该市的市级用户或省级管理员）")
    reason = (reason or "").strip()
    if not reason:
        raise CollectError("异议理由: 发现空值，应为异议的理由")
    current = store.value(code, region_code, str(period))
    if current is None:
        raise CollectError(f"异议: 发现「{cat.region(region_code).name}」{period} 年没有"
                           f"「{cat.indicator(code).name_zh}」的已发布数值，应为已发布的数值")
    with store.connection(read_only=False) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            ensure_tables(con)
            oid = int(con.execute("SELECT nextval('collect_seq')").fetchone()[0])
            con.execute("INSERT INTO objections (objection_id, region_code, indicator, period, "
                        "value, unit, vintage, source, account, raised_at, reason, status) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                        [oid, region_code, code, str(period), float(current["value"]),
                         current["unit"], current["vintage"], current["source"],
                         principal.account, _now(), reason])
            accounts.audit(con, account=principal.account, action="object",
                           address=address, detail={
                               "objection": oid, "region": region_code, "indicator": code,
                               "period": str(period), "value": float(current["value"]),
                               "reason": reason})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return oid


def resolve_objection(store: Store, objection_id: int, principal, decision: str, note: str, *,
                      value: float | None = None, vintage: str | dt.date | None = None,
                      address: str | None = None) -> int:
    """Close an objection: `rejected` (the value stands, with the reviewer's note) or `revised`
    (the new value is written as a new vintage). Returns the observations written."""
    _require_reviewer(principal)
    if decision not in ("rejected", "revised"):
        raise CollectError(f"处理结果: 发现「{decision}」，应为 rejected（驳回）或 revised（修订）")
    note = (note or "").strip()
    if not note:
        raise CollectError("处理说明: 发现空值，应为处理异议的说明")
    obj = _objection(store, objection_id)
    if obj["status"] != "open":
        raise CollectError(f"异议 #{objection_id}: 发现状态「{obj['status_zh']}」，应为处理中的异议")
    written, vintage_text = 0, None
    if decision == "revised":
        if value is None:
            raise CollectError("修订值: 发现空值，应为修订后的数值")
        vintage_text = (vintage.isoformat() if isinstance(vintage, dt.date)
                        else (vintage or dt.date.today().isoformat()))
        if vintage_text < str(obj["vintage"])[:10]:
            raise CollectError(f"修订版本: 发现 {vintage_text}，应为不早于现有版本 "
                               f"{str(obj['vintage'])[:10]} 的日期（修订是新的版本；同一天的修订"
                               "在读取时排在先写入的数值之前）")
        frame = pd.DataFrame([{"region": obj["region_code"], "indicator": obj["indicator"],
                               "period": obj["period"], "value": repr(float(value)),
                               "unit": obj["unit"], "status": "published",
                               "note": f"异议 #{objection_id} 修订：{note}"}])
        written = write_frame(store, frame, vintage=vintage_text,
                              source=f"异议处理修订（异议 #{objection_id}，原来源：{obj['source']}）",
                              origin=f"异议 #{objection_id}")
    with store.connection(read_only=False) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("UPDATE objections SET status = ?, resolver = ?, resolved_at = ?, "
                        "resolution = ?, revised_value = ?, revised_vintage = CAST(? AS DATE) "
                        "WHERE objection_id = ?",
                        [decision, principal.account, _now(), note,
                         None if value is None or decision != "revised" else float(value),
                         vintage_text, objection_id])
            if decision == "revised":
                accounts.audit(con, account=principal.account, action="revision",
                               address=address, detail={
                                   "objection": objection_id, "region": obj["region_code"],
                                   "indicator": obj["indicator"], "period": obj["period"],
                                   "old": obj["value"], "new": float(value),
                                   "vintage": vintage_text, "written": int(written)})
            accounts.audit(con, account=principal.account, action="resolve_objection",
                           address=address, detail={
                               "objection": objection_id, "decision": decision, "note": note,
                               "value": None if decision != "revised" else float(value),
                               "vintage": vintage_text, "written": int(written)})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return int(written)


def _objection(store: Store, objection_id: int) -> dict:
    found = [o for o in _objections(store, "objection_id = ?", [objection_id])]
    if not found:
        raise CollectError(f"异议编号: 发现 {objection_id}，应为已有的异议编号")
    return found[0]


def objections(store: Store, region_code: str | None = None) -> list[dict]:
    """Objections, newest first: every one, or a region's (None: all regions)."""
    if region_code is None:
        return _objections(store, "1 = 1", [])
    return _objections(store, "region_code = ?", [region_code])


def _objections(store: Store, where: str, params: list) -> list[dict]:
    with store.connection(read_only=True) as con:
        if not _has_tables(con):
            return []
        df = con.execute(f"SELECT * FROM objections WHERE {where} ORDER BY objection_id DESC",
                         params).df()
    cat = store.catalog
    out = _records(df)
    for o in out:
        ind = cat.indicator(o["indicator"])
        o["name_zh"] = ind.name_zh
        o["region_name"] = cat.region(o["region_code"]).name
        o["status_zh"] = OBJECTION_ZH[o["status"]]
        o["raised_by"] = o["account"]
        # a published value and its revision, in the words every surface prints them (facts)
        o["value_text"] = fact_text(o["value"], ind.decimals, ind.kind)
        revised = o.get("revised_value")
        o["revised_text"] = None if revised is None else fact_text(revised, ind.decimals,
                                                                   ind.kind)
    return out


def _records(df: pd.DataFrame) -> list[dict]:
    """Plain Python values (no NaN/NaT, dates as ISO text) for templates and JSON."""
    out = json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False,
                                double_precision=15))
    for r in out:
        for k, v in r.items():
            if isinstance(v, str) and len(v) >= 19 and v[10:11] == "T" and v[4:5] == "-":
                r[k] = v[:19].replace("T", " ").removesuffix(" 00:00:00")
                if k in ("vintage", "revised_vintage"):
                    r[k] = r[k][:10]
    return out
