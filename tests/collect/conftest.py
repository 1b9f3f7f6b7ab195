"""Collection fixtures: a small task file, an empty store, the accounts of each role, and a
filled-in template built with the real department template."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from digecon.accounts import Principal
from digecon.collect import department_template, find_task, load_tasks
from digecon.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
TASKS = FIXTURES / "tasks.yaml"

REPORTER = Principal("it_nc", "reporter", "工信填报员", "测试工信厅", ("360100",))
REPORTER_BOTH = Principal("it_all", "reporter", "工信填报员（两市）", "测试工信厅",
                          ("360100", "360400"))
RETAIL = Principal("retail", "reporter", "商务填报员", "测试商务厅", ("360100", "360400"))
REVIEWER = Principal("rev", "reviewer", "审核员")
ADMIN = Principal("root", "admin", "管理员")
CITY_NC = Principal("nc", "city", "南昌市用户", None, ("360100",))
CITY_JJ = Principal("jj", "city", "九江市用户", None, ("360400",))


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "collect.duckdb")
    s.init()
    return s


@pytest.fixture
def tasks():
    return load_tasks(TASKS)


@pytest.fixture
def it_task(tasks):
    return find_task(tasks, "it-test")


def filled(path: Path, task, values: dict[tuple[int, str], object]) -> Path:
    """The task's template with `values` written at (Excel row, column letter)."""
    department_template(path, task)
    book = load_workbook(path)
    ws = book["数据"]
    for (row, col), value in values.items():
        ws[f"{col}{row}"] = value
    book.save(path)
    return path
