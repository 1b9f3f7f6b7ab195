"""A department's template for one task: ingest's template restricted to the task's indicators,
regions and period, its region and indicator dropdowns listing only those."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from digecon.catalog import Catalog, get_catalog
from digecon.ingest.template import write_template

from .tasks import Task, TaskFileError


def department_template(path: Path, task: Task, department: str | None = None,
                        catalog: Catalog | None = None) -> int:
    """Write the template of `task` for `department` (default: the task's); returns its rows.

    TaskFileError when the task is not that department's."""
    if department is not None and department != task.department:
        raise TaskFileError(f"--department: 发现「{department}」，应为任务「{task.name}」的责任部门"
                            f"「{task.department}」")
    cat = catalog or get_catalog()
    indicators = [cat.indicator(code) for code in task.indicators]
    regions = [cat.region(code) for code in task.regions]
    rows = write_template(path, indicators, regions, [task.period])
    _restrict_lists(path, [r.name for r in regions], [i.code for i in indicators], task)
    return rows


def _restrict_lists(path: Path, region_names: list[str], indicator_codes: list[str],
                    task: Task) -> None:
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
    notes.insert_rows(1, 2)  # after the rewrite above
    notes.cell(1, 1).value = (f"报送任务：{task.name}（编号 {task.id}）；责任部门：{task.department}；"
                              f"时期：{task.period}；截止日期：{task.deadline.isoformat()}")
    notes.cell(2, 1).value = "source 列可留空：审核通过时记为本任务与部门。"
    book.save(path)
