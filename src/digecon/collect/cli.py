"""`digecon collect`: collection tasks, templates, the status board and review."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from digecon.errors import EXIT_INPUT
from digecon.options import db_option
from digecon.store import Store

from .board import STATES, board, export_missing, missing, summary
from .tasks import find_task, load_tasks
from .template import department_template

tasks_option = click.option("--tasks", "tasks_file", type=click.Path(path_type=Path),
                            default=None,
                            help="报送任务文件（默认：当前数据集的 collection/tasks.yaml）")


@click.group()
def collect() -> None:
    """数据报送：报送任务、分部门模板、报送状态与审核。

    \b
    Example:
      digecon collect tasks
      digecon collect template --task it-2022 --department 省工业和信息化厅 -o 填报.xlsx
      digecon collect status --missing 未报送.xlsx
    """


@collect.command("tasks")
@tasks_option
def tasks_cmd(tasks_file) -> None:
    """列出报送任务：编号、名称、责任部门、指标、地区数、时期与截止日期。

    \b
    Example:
      digecon collect tasks --tasks datasets/jiangxi-2022/collection/tasks.yaml
    """
    for t in load_tasks(tasks_file):
        click.echo(f"{t.id}\t{t.name}\t{t.department}\t指标 {'、'.join(t.indicators)}\t"
                   f"地区 {len(t.regions)} 个\t时期 {t.period}\t截止 {t.deadline.isoformat()}")


@collect.command("template")
@tasks_option
@click.option("--task", "task_id", required=True, help="任务编号（见 digecon collect tasks）")
@click.option("--department", default=None, help="责任部门（须与任务一致；默认任务的部门）")
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="输出的 .xlsx 文件")
def template_cmd(tasks_file, task_id, department, out) -> None:
    """生成某部门某任务的填报模板：只含该任务的指标、地区与时期，下拉只列这些。

    \b
    Example:
      digecon collect template --task it-2022 --department 省工业和信息化厅 -o 填报.xlsx
    """
    if out.suffix.lower() != ".xlsx":
        raise click.UsageError(f"-o: 发现「{out.name}」，应为 .xlsx 文件")
    task = find_task(load_tasks(tasks_file), task_id)
    rows = department_template(out, task, department)
    click.echo(f"已生成 {out}：{rows} 行（{len(task.indicators)} 个指标 × {len(task.regions)} 个地区）")


@collect.command("status")
@tasks_option
@db_option
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="按这一天判断是否逾期（默认今天）")
@click.option("--missing", "missing_out", type=click.Path(path_type=Path), default=None,
              help="把未报送、已退回和逾期的单元格导出到 .xlsx 或 .csv（中文表头）")
@click.option("--regions", is_flag=True, help="逐个地区列出状态")
def status_cmd(tasks_file, db, today, missing_out, regions) -> None:
    """报送状态：每个任务与部门的 未报送 / 待审核 / 已退回 / 已通过 / 逾期 地区数。

    \b
    Example:
      digecon collect status --regions
      digecon collect status --missing 未报送.xlsx
    """
    store = Store(db)
    if not store.exists():
        click.echo(f"错误：数据库 {store.path} 不存在；先运行 digecon init（或 digecon load-demo），"
                   "或用 --db 指定数据库", err=True)
        sys.exit(EXIT_INPUT)
    tasks = load_tasks(tasks_file)
    day = today.date() if today else dt.date.today()
    rows = board(store, tasks, day)
    click.echo("\t".join(["任务", "责任部门", "截止日期", *STATES]))
    for s in summary(rows):
        click.echo("\t".join([s["task"], s["department"], s["deadline"],
                              *(str(s[k]) for k in STATES)]))
    if regions:
        click.echo("")
        for r in rows:
            click.echo(f"{r['task']}\t{r['department']}\t{r['region']}\t{r['status']}")
    if missing_out is not None:
        if missing_out.suffix.lower() not in (".xlsx", ".csv"):
            raise click.UsageError(f"--missing: 发现「{missing_out.name}」，应为 .xlsx 或 .csv 文件")
        cells = missing(store, tasks, day)
        export_missing(cells, missing_out)
        click.echo(f"已导出 {len(cells)} 个未报送单元格到 {missing_out}")
