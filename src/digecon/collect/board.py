"""The status board of a collection round: 未报送 / 待审核 / 已退回 / 已通过 / 逾期 per task and
region, and what is still missing, as CSV or XLSX with Chinese headers."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import xlsxwriter

from digecon.store import Store

from .rounds import _has_tables
from .tasks import Task

STATES = ("未报送", "待审核", "已退回", "已通过", "逾期")
# A region's status is its least advanced cell's: one overdue indicator makes the region overdue.
_ORDER = {"逾期": 0, "已退回": 1, "未报送": 2, "待审核": 3, "已通过": 4}
_FROM_STATUS = {"submitted": "待审核", "returned": "已退回", "approved": "已通过"}
MISSING_HEADERS = ["任务编号", "任务名称", "责任部门", "地区代码", "地区", "指标代码", "指标",
                   "单位", "时期", "截止日期", "状态", "退回原因"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cells(store: Store, tasks: list[Task], today: dt.date | None = None) -> list[dict]:
    """One row per task × region × indicator with its status (the latest submission's, or
    未报送; 逾期 when after the deadline nothing is approved or waiting for review)."""
    today = today or dt.date.today()
    latest: dict[tuple[str, str, str], tuple[str, str]] = {}
    with store.connection(read_only=True) as con:
        if _has_tables(con):
            for task, region, indicator, status, reason in con.execute("""
                    SELECT s.task, r.region_code, r.indicator, s.status, s.reason
                    FROM submission_rows r JOIN submissions s USING (submission_id)
                    QUALIFY row_number() OVER (PARTITION BY s.task, r.region_code, r.indicator
                                               ORDER BY s.submission_id DESC) = 1""").fetchall():
                latest[(task, region, indicator)] = (status, reason or "")
    cat = store.catalog
    out = []
    for t in tasks:
        for region in t.regions:
            for ind in t.indicators:
                status, reason = latest.get((t.id, region, ind), (None, ""))
                state = _FROM_STATUS.get(status, "未报送")
                if state in ("未报送", "已退回") and today > t.deadline:
                    state = "逾期"
                indicator = cat.indicator(ind)
                out.append({"task": t.id, "task_name": t.name, "department": t.department,
                            "region_code": region, "region": cat.region(region).name,
                            "indicator": ind, "name_zh": indicator.name_zh,
                            "unit": indicator.unit, "period": t.period,
                            "deadline": t.deadline.isoformat(), "status": state,
                            "reason": reason})
    return out


def board(store: Store, tasks: list[Task], today: dt.date | None = None) -> list[dict]:
    """Per task (its department) × region: the status, plus per task the count of each state."""
    by_region: dict[tuple[str, str], dict] = {}
    for c in cells(store, tasks, today):
        key = (c["task"], c["region_code"])
        row = by_region.setdefault(key, {k: c[k] for k in (
            "task", "task_name", "department", "region_code", "region", "deadline")} | {
            "status": "已通过", "indicators": 0})
        row["indicators"] += 1
        if _ORDER[c["status"]] < _ORDER[row["status"]]:
            row["status"] = c["status"]
    return list(by_region.values())


def summary(rows: list[dict]) -> list[dict]:
    """Per task and department: how many regions are in each state."""
    out: dict[str, dict] = {}
    for r in rows:
        s = out.setdefault(r["task"], {"task": r["task"], "task_name": r["task_name"],
                                       "department": r["department"], "deadline": r["deadline"],
                                       **{k: 0 for k in STATES}})
        s[r["status"]] += 1
    return list(out.values())


def missing(store: Store, tasks: list[Task], today: dt.date | None = None) -> list[dict]:
    """The cells still to be reported: not submitted, returned, or overdue."""
    return [c for c in cells(store, tasks, today) if c["status"] in ("未报送", "已退回", "逾期")]


def _row(c: dict) -> list[str]:
    values = [c["task"], c["task_name"], c["department"], c["region_code"], c["region"],
              c["indicator"], c["name_zh"], c["unit"], c["period"], c["deadline"], c["status"],
              c["reason"]]
    return ["'" + v if v.startswith(_FORMULA_START) else v for v in map(str, values)]


def missing_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(MISSING_HEADERS)
    writer.writerows(_row(c) for c in rows)
    return buf.getvalue().encode("utf-8-sig")  # Excel reads Chinese headers only with the BOM


def missing_xlsx(rows: list[dict], path: Path | io.BytesIO) -> None:
    book = xlsxwriter.Workbook(path if isinstance(path, io.BytesIO) else str(path),
                               {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    ws = book.add_worksheet("未报送")
    for col, text in enumerate(MISSING_HEADERS):
        ws.write_string(0, col, text, head)
    for i, c in enumerate(rows, start=1):
        for col, text in enumerate(_row(c)):
            ws.write_string(i, col, text)
    ws.set_column(0, len(MISSING_HEADERS) - 1, 14)
    ws.freeze_panes(1, 0)
    book.close()


def export_missing(rows: list[dict], path: Path) -> None:
    """Write the missing cells to `path` (.csv or .xlsx)."""
    if path.suffix.lower() == ".xlsx":
        missing_xlsx(rows, path)
    else:
        path.write_bytes(missing_csv(rows))
