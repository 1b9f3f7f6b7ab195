"""A department's template for one task: ingest's template restricted to the task's indicators,
regions and period, its region and indicator dropdowns listing only those."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from digecon.catalog import Catalog, get_catalog
from digecon.ingest.template import write_template

from .tasks import Task, TaskFileError


def department_template(path: Path, task: Task, department: str | None = None,
                        catalog: Catalog | None = None, principal=None) -> int:
    """Write the template of `task` for `department` (default: the task's); returns its rows.

    With `principal` (the account that will fill it in) a 部门填报员 gets only the task's
    regions it covers and, when the account is limited to some indicators, only those; a
    province-wide account (admin) gets the whole task. TaskFileError when the task is not that
    department's or leaves the account nothing to report; nothing is written then."""
    if department is not None and department != task.department:
        raise TaskFileError(f"--department: 发现「{department}」，应为任务「{task.name}」的责任部门"
                            f"「{task.department}」")
    cat = catalog or get_catalog()
    region_codes, indicator_codes = account_scope(task, principal, cat)
    indicators = [cat.indicator(code) for code in indicator_codes]
    regions = [cat.region(code) for code in region_codes]
    rows = write_template(path, indicators, regions, [task.period])
    _restrict_lists(path, [r.name for r in regions], [i.code for i in indicators], task,
                    principal if region_codes != task.regions
                    or indicator_codes != task.indicators else None)
    return rows


def account_scope(task: Task, principal, catalog: Catalog | None = None
                  ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(region codes, indicator codes) of `task` that `principal` reports: the whole task for
    no principal or a province-wide one, else the task's cells within the account's regions
    and indicators. TaskFileError when that leaves nothing."""
    if principal is None or not principal.regions:
        return task.regions, task.indicators
    cat = catalog or get_catalog()
    regions = tuple(r for r in task.regions if r in principal.regions)
    indicators = tuple(i for i in task.indicators
                       if not principal.indicators or i in principal.indicators)
    who = f"账号「{principal.account}」"
    if not regions:
        mine = "、".join(_region_name(cat, r) for r in principal.regions)
        theirs = "、".join(_region_name(cat, r) for r in task.regions)
        raise TaskFileError(f"--as: 发现{who}负责的地区（{mine}）都不在任务「{task.name}」中，"
                            f"应为任务的地区之一：{theirs}")
    if not indicators:
        raise TaskFileError(f"--as: 发现{who}负责的指标（{'、'.join(principal.indicators)}）"
                            f"都不在任务「{task.name}」中，应为任务的指标之一："
                            f"{'、'.join(task.indicators)}")
    return regions, indicators


def _region_name(cat: Catalog, code: str) -> str:
    try:
        return cat.region(code).name
    except KeyError:
        return code


def _restrict_lists(path: Path, region_names: list[str], indicator_codes: list[str],
                    task: Task, principal=None) -> None:
    """Rewrite the hidden lists behind the region and indicator dropdowns to the task's own,
    and name the task on the notes sheet."""
    book = load_workbook(path)
    lists = book["_lists"]
    for col, values in ((1, region_names), (2, indicator_codes)):
        for row in range(1, lists.max_row + 1):
            lists.cell(row, col).value = None
        for row, text in enumerate(values, start=1):
            lists.cell(row, col).value = text
    data = book["数据"]
    for dv in data.data_validations.dataValidation:
        ranges = str(dv.sqref)
        if ranges.startswith("A"):
            dv.formula1 = f"_lists!$A$1:$A${len(region_names)}"
        elif ranges.startswith("B"):
            dv.formula1 = f"_lists!$B$1:$B${len(indicator_codes)}"
    notes = book["说明"]
    for row in notes.iter_rows(min_col=1, max_col=1):
        if str(row[0].value or "").startswith("3."):  # ingest's own step, not a collection's
            row[0].value = "3. 填好后在报送页面上传（或 POST /api/v1/collect/submissions），审核通过后才发布。"
    head = [(f"报送任务：{task.name}（编号 {task.id}）；责任部门：{task.department}；"
             f"时期：{task.period}；截止日期：{task.deadline.isoformat()}")]
    if principal is not None:
        head.append(f"填报账号：{principal.account}；本模板只含该账号负责的地区"
                    f"（{'、'.join(region_names)}）与指标（{'、'.join(indicator_codes)}）。")
    head.append("source 列可留空：审核通过时记为本任务与部门。")
    notes.insert_rows(1, len(head))  # after the rewrite above
    for row, text in enumerate(head, start=1):
        notes.cell(row, 1).value = text
    book.save(path)
