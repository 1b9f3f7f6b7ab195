"""`digecon collect`: collection tasks, templates, the status board and review."""
from __future__ import annotations

import datetime as dt
import getpass
import sys
from pathlib import Path

import click

from digecon.accounts import audit, get_account
from digecon.errors import EXIT_INPUT
from digecon.ingest.errors import ReadError
from digecon.ingest.validate import ValidationError
from digecon.options import db_option
from digecon.store import Store
from digecon.store.store import file_sha256

from .board import STATES, board, export_missing, missing, summary
from .rounds import (
    approve,
    published_values,
    return_submission,
    submission,
    submissions,
    submit,
)
from .tasks import find_task, load_tasks
from .template import account_scope, department_template
from .upload import CollectPermissionError, check_upload, require_submitter

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
      digecon collect tasks --tasks 本轮任务.yaml
    """
    for t in load_tasks(tasks_file):
        click.echo(f"{t.id}\t{t.name}\t{t.department}\t指标 {'、'.join(t.indicators)}\t"
                   f"地区 {len(t.regions)} 个\t时期 {t.period}\t截止 {t.deadline.isoformat()}")


@collect.command("template")
@tasks_option
@db_option
@click.option("--task", "task_id", required=True, help="任务编号（见 digecon collect tasks）")
@click.option("--department", default=None, help="责任部门（须与任务一致；默认任务的部门）")
@click.option("--as", "account", default=None,
              help="为哪个填报员账号生成：只含该账号负责的地区与指标（需要 --db 中的账号）")
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="输出的 .xlsx 文件")
def template_cmd(tasks_file, db, task_id, department, account, out) -> None:
    """生成某部门某任务的填报模板：只含该任务的指标、地区与时期，下拉只列这些。

    With --as ACCOUNT the template holds only the regions (and indicators) that account
    reports; an account of another department is refused (exit 2, logged), nothing written.

    \b
    Example:
      digecon collect template --task it-2022 --department 省工业和信息化厅 -o 填报.xlsx
      digecon collect template --task it-2022 --as gxt -o 填报_gxt.xlsx
    """
    if out.suffix.lower() != ".xlsx":
        raise click.UsageError(f"-o: 发现「{out.name}」，应为 .xlsx 文件")
    task = find_task(load_tasks(tasks_file), task_id)
    who = None
    if account is not None:
        store = _open(db)
        who = _as(store, account)
        try:
            require_submitter(task, who)
        except CollectPermissionError as exc:
            _refused(store, who, "template", str(exc), task=task.id)
    rows = department_template(out, task, department, principal=who)
    regions, indicators = account_scope(task, who)
    mine = f"，账号 {who.account}" if who is not None and who.regions else ""
    click.echo(f"已生成 {out}：{rows} 行（{len(indicators)} 个指标 × {len(regions)} 个地区{mine}）")


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
    store = _open(db)
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


def _as(store: Store, account: str):
    """The account a command acts as (digecon.accounts); disabled accounts are refused."""
    acc = get_account(store, account)
    if not acc.active:
        raise click.UsageError(f"--as: 账号「{account}」已停用")
    return acc.principal()


def _open(db) -> Store:
    store = Store(db)
    if not store.exists():
        click.echo(f"错误：数据库 {store.path} 不存在；先运行 digecon init（或 digecon load-demo），"
                   "或用 --db 指定数据库", err=True)
        sys.exit(EXIT_INPUT)
    return store


def _address() -> str:
    """Where a command-line action comes from: this machine's user (there is no network peer)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _refused(store: Store, who, command: str, message: str, **detail) -> None:
    """The account may not do this: logged in the audit log as on the web, exit 2."""
    audit(store, account=who.account, action="refused_403", address=_address(),
          detail={"command": f"collect {command}", "message": message, **detail})
    click.echo(f"错误：{message}", err=True)
    sys.exit(EXIT_INPUT)


@collect.command("submit")
@tasks_option
@db_option
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--task", "task_id", required=True, help="任务编号")
@click.option("--as", "account", required=True, help="以哪个填报员账号报送")
def submit_cmd(tasks_file, db, file, task_id, account) -> None:
    """报送一个填好的模板：校验（不写入观测值），通过后待审核。

    Exit 0: submitted (waiting for review); exit 2: problems or rows outside the account,
    each as FILE:SHEET:ROW:COLUMN: message, nothing written.

    \b
    Example:
      digecon collect submit 填报.xlsx --task it-2022 --as gxt_reporter
    """
    store = _open(db)
    task = find_task(load_tasks(tasks_file), task_id)
    who = _as(store, account)
    try:
        check = check_upload(store, file, task, who, name=str(file))
    except CollectPermissionError as exc:
        _refused(store, who, "submit", str(exc), task=task.id)
    except ReadError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_INPUT)
    if check.refused:
        audit(store, account=who.account, action="refused_403", address=_address(),
              detail={"command": "collect submit", "task": task.id,
                      "refused_rows": len(check.refused)})
    if not check.ok:
        for p in check.refused + check.problems:
            click.echo(str(p), err=True)
        click.echo(f"共 {check.total} 个问题；未写入任何数据。", err=True)
        sys.exit(EXIT_INPUT)
    sid = submit(store, check, task, who, checksum=file_sha256(file), address=_address())
    click.echo(f"已提交报送 #{sid}：{len(check.rows)} 个数值，待审核")


@collect.command("submissions")
@db_option
@click.option("--status", type=click.Choice(["submitted", "returned", "approved"]), default=None,
              help="只列这一状态")
def submissions_cmd(db, status) -> None:
    """列出报送：编号、任务、部门、填报员、提交时间、数值个数、状态与退回原因。

    \b
    Example:
      digecon collect submissions --status submitted
    """
    for s in submissions(_open(db), status=status):
        click.echo(f"#{s['submission_id']}\t{s['task']}\t{s['department']}\t{s['account']}\t"
                   f"{s['submitted_at']}\t{s['n_rows']} 个数值\t{s['status_zh']}\t"
                   f"{s['reason'] or ''}")


@collect.command("approve")
@db_option
@click.argument("submission_id", type=int)
@click.option("--as", "account", required=True, help="审核员账号")
@click.option("--vintage", default=None, help="发布版本日期 YYYY-MM-DD（默认今天）")
def approve_cmd(db, submission_id, account, vintage) -> None:
    """审核通过：把报送的数值以新版本写入（已发布）。

    \b
    Example:
      digecon collect approve 3 --as reviewer1 --vintage 2023-04-01
    """
    store = _open(db)
    who = _as(store, account)
    try:
        rows = submission(store, submission_id)["rows"]
        before = published_values(store, rows)
        written = approve(store, submission_id, who, vintage=vintage, address=_address())
    except ValidationError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(EXIT_INPUT)
    except CollectPermissionError as exc:
        _refused(store, who, "approve", str(exc), submission=submission_id)
    replaced = sum(1 for r in rows if (old := before.get((r["region_code"], r["indicator"],
                                                          r["period"]))) is not None
                   and old["value"] != float(r["value"]))
    note = f"；替换了 {replaced} 个已发布的数值（原值保留在历史中）" if replaced else ""
    click.echo(f"报送 #{submission_id} 已通过：写入 {written} 条观测值{note}")


@collect.command("return")
@db_option
@click.argument("submission_id", type=int)
@click.option("--as", "account", required=True, help="审核员账号")
@click.option("--reason", required=True, help="退回原因（填报员会看到）")
def return_cmd(db, submission_id, account, reason) -> None:
    """退回报送并说明原因；不发布任何数值。

    \b
    Example:
      digecon collect return 3 --as reviewer1 --reason 第 5 行数值偏高，请核实
    """
    store = _open(db)
    who = _as(store, account)
    try:
        return_submission(store, submission_id, who, reason, address=_address())
    except CollectPermissionError as exc:
        _refused(store, who, "return", str(exc), submission=submission_id)
    click.echo(f"报送 #{submission_id} 已退回")
