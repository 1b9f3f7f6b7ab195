"""Collection tasks (报送任务) read from a YAML file: indicators × regions × period, the
responsible department and the deadline. Errors name the file, line, key, what was found and
what was expected."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from digecon.catalog import Catalog, UnknownNameError, get_catalog
from digecon.dataset_paths import DatasetError, dataset_dir
from digecon.errors import InputError

TASKS_FILE = Path("collection") / "tasks.yaml"
FIELDS = {"id": "任务编号", "name": "任务名称", "department": "责任部门",
          "indicators": "指标代码列表", "regions": "地区名称或代码列表", "period": "时期",
          "deadline": "截止日期"}


class TaskFileError(InputError):
    """A task file that cannot be used; the message names file, line and key."""


@dataclass(frozen=True)
class Task:
    """One round of collection: what a department reports for which regions, and by when."""
    id: str
    name: str
    department: str
    indicators: tuple[str, ...]
    regions: tuple[str, ...]  # region codes
    period: str
    deadline: dt.date

    @property
    def source(self) -> str:
        """The source written with the values this task collects, once approved."""
        return f"报送任务「{self.name}」（{self.department}）"

    def covers(self, indicator: str, region: str) -> bool:
        return indicator in self.indicators and region in self.regions


def default_tasks_path() -> Path:
    """The active dataset's collection/tasks.yaml."""
    try:
        return dataset_dir() / TASKS_FILE
    except DatasetError as exc:
        raise TaskFileError(f"{exc}；请用 --tasks 指定任务文件") from None


def load_tasks(path: str | Path | None = None, catalog: Catalog | None = None) -> list[Task]:
    """Every task of a task file (default: the active dataset's); TaskFileError if unusable."""
    path = Path(path) if path is not None else default_tasks_path()
    catalog = catalog or get_catalog()
    where = str(path)
    if not path.is_file():
        raise TaskFileError(f"{where}: 发现文件不存在，应为报送任务文件（YAML，含 tasks: 列表）")
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise TaskFileError(f"{where}: 发现非 UTF-8 编码，应为 UTF-8 编码的 YAML") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise TaskFileError(f"{where}{line}: 发现 YAML 语法错误（{getattr(exc, 'problem', exc)}），"
                            "应为合法的 YAML") from None
    top = _mapping(root, where, "（文件）", "含 tasks: 列表的映射")
    if "tasks" not in top:
        raise TaskFileError(f"{where}:1:tasks: 发现缺少键 tasks，应为报送任务列表")
    node = top["tasks"]
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise TaskFileError(f"{where}:{_line(node)}:tasks: 发现{_kind(node)}，应为非空的任务列表")
    tasks: list[Task] = []
    for item in node.value:
        task = _task(item, where, catalog)
        if any(t.id == task.id for t in tasks):
            raise TaskFileError(f"{where}:{_line(item)}:id: 发现重复的任务编号「{task.id}」，"
                                "应为每个任务唯一的编号")
        tasks.append(task)
    return tasks


def find_task(tasks: list[Task], task_id: str) -> Task:
    for t in tasks:
        if t.id == task_id:
            return t
    known = "、".join(t.id for t in tasks)
    raise TaskFileError(f"--task: 发现「{task_id}」，应为任务文件中的任务编号之一：{known}")


def _task(node, where: str, catalog: Catalog) -> Task:
    m = _mapping(node, where, "tasks", "任务映射（id, name, department, indicators, regions, "
                                       "period, deadline）")
    for key, what in FIELDS.items():
        if key not in m:
            raise TaskFileError(f"{where}:{_line(node)}:{key}: 发现缺少键 {key}，应为{what}")
    unknown = [k for k in m if k not in FIELDS]
    if unknown:
        k = unknown[0]
        raise TaskFileError(f"{where}:{_line(m[k])}:{k}: 发现未知的键 {k}，"
                            f"应为 {', '.join(FIELDS)} 之一")
    text = {k: _scalar(m[k], where, k, FIELDS[k]) for k in
            ("id", "name", "department", "period", "deadline")}
    indicators = []
    for item in _list(m["indicators"], where, "indicators"):
        name = _scalar(item, where, "indicators", "指标代码")
        try:
            indicators.append(catalog.indicator(name).code)
        except UnknownNameError:
            near = catalog.suggest_indicators(name)
            hint = f"（最接近：{'、'.join(near)}）" if near else ""
            raise TaskFileError(f"{where}:{_line(item)}:indicators: 发现「{name}」，"
                                f"应为已登记的指标代码或中文名{hint}") from None
    regions = []
    for item in _list(m["regions"], where, "regions"):
        name = _scalar(item, where, "regions", "地区名称或代码")
        try:
            regions.append(catalog.region(name).code)
        except UnknownNameError:
            near = catalog.suggest_regions(name)
            hint = f"（最接近：{'、'.join(near)}）" if near else ""
            raise TaskFileError(f"{where}:{_line(item)}:regions: 发现「{name}」，"
                                f"应为已登记的地区名称或 GB/T 2260 代码{hint}") from None
    try:
        deadline = dt.date.fromisoformat(text["deadline"])
    except ValueError:
        raise TaskFileError(f"{where}:{_line(m['deadline'])}:deadline: 发现「{text['deadline']}」，"
                            "应为日期 YYYY-MM-DD") from None
    period = text["period"]
    if not (len(period) == 4 and period.isdigit()) and not _is_month(period):
        raise TaskFileError(f"{where}:{_line(m['period'])}:period: 发现「{period}」，"
                            "应为时期 YYYY 或 YYYY-MM")
    return Task(text["id"], text["name"], text["department"], tuple(dict.fromkeys(indicators)),
                tuple(dict.fromkeys(regions)), period, deadline)


def _is_month(text: str) -> bool:
    year, _, month = text.partition("-")
    return len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12 \
        and len(month) == 2


def _line(node) -> int:
    return node.start_mark.line + 1


def _kind(node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "映射"
    if isinstance(node, yaml.SequenceNode):
        return "空列表" if not node.value else "列表"
    if node is None:
        return "空文件"
    return f"「{node.value}」" if node.value != "" else "空值"


def _mapping(node, where: str, key: str, expected: str) -> dict:
    if not isinstance(node, yaml.MappingNode):
        line = _line(node) if node is not None else 1
        raise TaskFileError(f"{where}:{line}:{key}: 发现{_kind(node)}，应为{expected}")
    return {k.value: v for k, v in node.value}


def _list(node, where: str, key: str) -> list:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise TaskFileError(f"{where}:{_line(node)}:{key}: 发现{_kind(node)}，应为{FIELDS[key]}"
                            f"（非空的 YAML 列表）")
    return node.value


def _scalar(node, where: str, key: str, expected: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise TaskFileError(f"{where}:{_line(node)}:{key}: 发现{_kind(node)}，应为{expected}")
    return str(node.value).strip()
