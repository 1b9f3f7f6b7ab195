"""Checking an uploaded file against ingest's reader and validator, and against the task and the
submitter's rights, without writing anything: the transaction that stages it is rolled back."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from digecon.ingest.reader import prepare
from digecon.ingest.sources import source_map
from digecon.ingest.validate import ALLOW_IMPLAUSIBLE, Problem, install_catalog, validate_staged
from digecon.store import Store

from .tasks import Task

# The vintage is given at approval. The check uses a date no stored row has, so an upload is
# never compared with rows of some vintage it may not get (approval checks that itself).
CHECK_VINTAGE = "1900-01-01"


class CollectPermissionError(Exception):
    """The account may not do this (the API answers 403); nothing was written."""


@dataclass
class Check:
    """What an upload would submit: its rows (values in the catalog's unit) or its problems.

    `problems` are the file's own errors (ingest's validation, the task's period); `refused`
    are rows the account may not submit (another department's indicator, a region it does not
    cover). Each problem names file, sheet, row and column."""
    file: str
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    total: int = 0
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.refused and bool(self.rows)


def check_upload(store: Store, path: Path, task: Task, principal, *,
                 name: str | None = None) -> Check:
    """Read and validate `path` for `task` as `principal` would submit it; writes nothing.

    Raises CollectPermissionError when the account may not submit to this task at all and
    digecon.ingest's ReadError when the file cannot be read as a table."""
    require_submitter(task, principal)
    shown = name or path.name
    check = Check(shown)
    prepared = prepare(path, store.catalog, None, None, None, check.notices.append)
    defaults = {"status": "published", "vintage": CHECK_VINTAGE,
                "source": task.source, "file": shown}
    try:
        with store.connection(read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"SET VARIABLE {ALLOW_IMPLAUSIBLE} = false")
                prepared.stage(con, "staged")
                install_catalog(con, store.catalog)
                total, problems, chk = validate_staged(con, store.catalog, defaults)
                check.total, check.problems = total, problems
                sources = source_map(con)
                # Every row resolved to a region and an indicator, also when others have
                # problems: the task's period and the account's scope are checked at once.
                rows = con.execute(f"""
                    SELECT c._src, c._row, c.region_code, c.indicator_code, c.period_clean,
                           c.value_num * {chk.col('unit_factor', 'c')}, k.unit,
                           {chk.col('status_clean', 'c')}, {chk.col('note', 'c')}
                    FROM checked c JOIN cat_indicator_code k ON k.code = c.indicator_code
                    WHERE c.region_code IS NOT NULL
                    ORDER BY c._src, c._row""").fetchall()
            finally:
                con.execute("ROLLBACK")
    finally:
        prepared.close()
    prefix = str(path)
    check.problems = [_renamed(p, prefix, shown) for p in check.problems]
    check.notices = [n.replace(prefix, shown) for n in check.notices]
    for src, row, region, indicator, period, value, unit, status, note in rows:
        source = sources[src]
        cols = source["columns"]
        sheet = source["sheet"]
        if period != task.period:
            check.problems.append(Problem(shown, sheet, row, cols.get("period", "period"),
                                          f"发现时期「{period}」，应为任务「{task.name}」的时期 "
                                          f"{task.period}"))
        refusal = _refusal(task, principal, region, indicator, store)
        if refusal:
            column = cols.get(refusal[0], refusal[0])
            check.refused.append(Problem(shown, sheet, row, column, refusal[1]))
        if not total:
            check.rows.append({"region_code": region, "indicator": indicator, "period": period,
                               "value": float(value), "unit": unit, "status": status,
                               "note": note or "", "sheet": sheet, "row": int(row)})
    check.total += len(check.problems) - len(problems) + len(check.refused)
    check.problems.sort(key=lambda p: (p.sheet, p.row))
    return check


def require_submitter(task: Task, principal) -> None:
    """CollectPermissionError unless the account may submit to this task at all."""
    if principal is None:
        raise CollectPermissionError("请先登录：报送数据需要部门填报员账号")
    if principal.role == "admin":
        return
    if principal.role != "reporter":
        raise CollectPermissionError(f"账号「{principal.account}」的角色不能报送数据"
                                     "（需要部门填报员或省级管理员）")
    if principal.department != task.department:
        raise CollectPermissionError(
            f"账号「{principal.account}」属于「{principal.department or '未设部门'}」，"
            f"任务「{task.name}」由「{task.department}」报送")


def _refusal(task: Task, principal, region: str, indicator: str,
             store: Store) -> tuple[str, str] | None:
    """(field, message) when this row is outside the task or the account's regions."""
    cat = store.catalog
    if indicator not in task.indicators:
        names = "、".join(f"{i}（{cat.indicator(i).name_zh}）" for i in task.indicators)
        return "indicator", (f"发现指标「{indicator}」，应为任务「{task.name}」"
                             f"（{task.department}）的指标之一：{names}")
    if region not in task.regions:
        return "region", (f"发现地区「{cat.region(region).name}」，应为任务「{task.name}」"
                          f"的地区之一：{'、'.join(cat.region(r).name for r in task.regions)}")
    if not principal.may("submit", region, indicator):
        covered = "、".join(cat.region(r).name for r in principal.regions) or "无"
        if region not in principal.regions:
            return "region", (f"发现地区「{cat.region(region).name}」，应为账号"
                              f"「{principal.account}」负责的地区之一：{covered}")
        return "indicator", (f"发现指标「{indicator}」，应为账号「{principal.account}」"
                             f"负责的指标之一：{'、'.join(principal.indicators) or '无'}")
    return None


def _renamed(p: Problem, prefix: str, shown: str) -> Problem:
    return Problem(p.file.replace(prefix, shown), p.sheet, p.row, p.column,
                   p.message.replace(prefix, shown))
