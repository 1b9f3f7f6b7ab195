"""`digecon accounts` and `digecon audit`: manage accounts and tokens; read the audit log."""
from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from digecon.options import db_option
from digecon.store import Store

from . import auditlog as audit_log
from . import lockout
from .manage import (
    AccountError,
    create_account,
    get_account,
    list_accounts,
    region_label,
    set_disabled,
    set_password,
)
from .roles import ROLE_ZH
from .tokens import issue_token, list_tokens, revoke_token

EXIT_TAMPERED = 3


def _store(db: Path | None) -> Store:
    return Store(db)


def _cli_address() -> str:
    """Where a command-line action comes from: this machine's user (there is no network peer)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _record(store: Store, action: str, detail: dict) -> None:
    audit_log.audit(store, account=None, action=action, address=_cli_address(), detail=detail)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise AccountError("--password-stdin：标准输入没有读到密码（应为一行）")
        return password
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


@click.group()
def accounts() -> None:
    """账号与令牌：创建账号、设定角色、签发与吊销令牌。

    \b
    角色：admin 省级管理员，reviewer 审核员，reporter 部门填报员，city 市级用户。
    第一个管理员：digecon accounts create 管理员账号名 --role admin

    \b
    Example:
      digecon accounts create zhangsan --role admin
      digecon accounts token issue zhangsan --days 30
    """


@accounts.command("create")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(list(ROLE_ZH)),
              help="角色：admin 省级管理员 / reviewer 审核员 / reporter 部门填报员 / city 市级用户")
@click.option("--display-name", default=None, help="显示名（默认同账号名）")
@click.option("--department", default=None, help="部门填报员所属部门（代码或名称，与报送任务一致）")
@click.option("--region", "regions", multiple=True,
              help="负责的地区（名称或代码，可重复）：市级用户一个，部门填报员一个或多个")
@click.option("--indicator", "indicators", multiple=True,
              help="部门填报员只可报送这些指标（代码或名称，可重复；默认由报送任务决定）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行），不交互提示")
@click.option("--no-password", is_flag=True, help="不设密码：账号只能用 API 令牌，不能登录网页")
@db_option
def create(name, role, display_name, department, regions, indicators, password_stdin,
           no_password, db) -> None:
    """创建账号。密码只以 argon2id 摘要保存，至少 10 个字符。

    \b
    Example:
      digecon accounts create admin --role admin
      echo 's3cret-pass-phrase' | digecon accounts create nc_user --role city \\
          --region 南昌市 --password-stdin
      digecon accounts create tjj_li --role reporter --department 省统计局 \\
          --region 南昌市 --region 九江市
    """
    if no_password and password_stdin:
        raise AccountError("--no-password 与 --password-stdin 只能选一个")
    password = None if no_password else _read_password(password_stdin)
    store = _store(db)
    acc = create_account(store, name, role, password=password, display_name=display_name,
                         department=department, regions=regions, indicators=indicators)
    _record(store, "account_created", {"name": acc.name, "role": acc.role,
                                       "department": acc.department,
                                       "regions": list(acc.regions),
                                       "indicators": list(acc.indicators),
                                       "password": acc.has_password})
    where = f"，地区 {'、'.join(map(region_label, acc.regions))}" if acc.regions else ""
    dept = f"，部门 {acc.department}" if acc.department else ""
    click.echo(f"已创建账号 {acc.name}（{ROLE_ZH[acc.role]}{dept}{where}）")


def _account_row(acc, locks: dict | None = None) -> dict:
    lock = (locks or {}).get(acc.name)
    status = "有效" if acc.active else "已停用"
    if lock is not None and acc.active:
        status = f"已锁定（至 {lock.until:%Y-%m-%d %H:%M} UTC）"
    return {"name": acc.name, "role": acc.role, "role_zh": ROLE_ZH.get(acc.role, acc.role),
            "display_name": acc.display_name, "department": acc.department,
            "regions": list(acc.regions), "indicators": list(acc.indicators),
            "password": acc.has_password,
            "created_at": acc.created_at.isoformat(timespec="seconds") + "Z",
            "status": status}


@accounts.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="输出格式")
@db_option
def list_(fmt, db) -> None:
    """列出全部账号：角色、部门、地区、状态（不显示任何密码或令牌）。

    \b
    Example:
      digecon accounts list
      digecon accounts list --format json
    """
    store = _store(db)
    locks = lockout.locks(store)
    rows = [_account_row(a, locks) for a in list_accounts(store)]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("还没有账号；先创建管理员：digecon accounts create NAME --role admin")
        return
    for r in rows:
        places = "、".join(map(region_label, r["regions"]))
        extra = " ".join(x for x in (r["department"] or "", places) if x)
        click.echo(f"{r['name']}\t{r['role_zh']}\t{r['status']}\t{extra}".rstrip())


@accounts.command("disable")
@click.argument("name")
@db_option
def disable(name, db) -> None:
    """停用账号：其会话与令牌立即失效（记录保留，可再启用）。

    \b
    Example:
      digecon accounts disable nc_user
    """
    store = _store(db)
    set_disabled(store, name, True)
    _record(store, "account_disabled", {"name": name})
    click.echo(f"已停用账号 {name}：其会话与令牌均已失效")


@accounts.command("enable")
@click.argument("name")
@db_option
def enable(name, db) -> None:
    """重新启用已停用的账号（已结束的会话不恢复；未过期、未吊销的令牌恢复有效）。

    \b
    Example:
      digecon accounts enable nc_user
    """
    store = _store(db)
    set_disabled(store, name, False)
    _record(store, "account_enabled", {"name": name})
    click.echo(f"已启用账号 {name}")


@accounts.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取新密码（一行）")
@db_option
def password(name, password_stdin, db) -> None:
    """设置或重设账号的密码。

    \b
    Example:
      digecon accounts password nc_user
      echo 'new-pass-phrase-2' | digecon accounts password nc_user --password-stdin
    """
    store = _store(db)
    set_password(store, name, _read_password(password_stdin))
    _record(store, "password_changed", {"name": name})
    click.echo(f"已设置账号 {name} 的密码")


@accounts.command("unlock")
@click.argument("name")
@db_option
def unlock(name, db) -> None:
    """解除账号因密码错误过多而加的临时锁定（此前的失败次数不再计入）。

    A lock also ends by itself (see README: accounts); this ends it now. Logged.

    \b
    Example:
      digecon accounts unlock admin
    """
    store = _store(db)
    acc = get_account(store, name)
    was = lockout.unlock(store, acc.name, by=None, address=_cli_address())
    click.echo(f"已解除账号 {name} 的锁定" if was else f"账号 {name} 未被锁定；已记录解锁")


@accounts.group("token")
def token() -> None:
    """API 令牌：签发（只显示一次）、吊销、列出。

    \b
    Example:
      digecon accounts token issue zhangsan --days 30
    """


@token.command("issue")
@click.argument("name")
@click.option("--days", type=int, default=30, show_default=True, help="有效天数（1–366）")
@click.option("--label", default=None, help="用途说明，如「统计局批量上传脚本」")
@db_option
def token_issue(name, days, label, db) -> None:
    """为账号签发 API 令牌。令牌只在此显示一次，数据库只保存其 SHA-256。

    \b
    使用：curl -H "Authorization: Bearer <令牌>" ...

    \b
    Example:
      digecon accounts token issue tjj_li --days 30 --label 批量上传
    """
    store = _store(db)
    secret, info = issue_token(store, name, days, label=label)
    _record(store, "token_issued", {"token_id": info.id, "name": name, "days": days,
                                    "label": label,
                                    "expires_at": info.expires_at.isoformat(timespec="seconds")})
    click.echo(f"令牌 {info.id}（账号 {name}，{info.expires_at:%Y-%m-%d %H:%M} UTC 到期）；"
               f"只显示这一次，请妥善保存：", err=True)
    click.echo(secret)


@token.command("revoke")
@click.argument("token_id")
@db_option
def token_revoke(token_id, db) -> None:
    """吊销令牌（按 token list 显示的编号），立即失效。

    \b
    Example:
      digecon accounts token revoke t1a2b3c4d5
    """
    store = _store(db)
    info = revoke_token(store, token_id)
    _record(store, "token_revoked", {"token_id": info.id, "name": info.account})
    click.echo(f"已吊销令牌 {info.id}（账号 {info.account}）")


@token.command("list")
@click.option("--account", default=None, help="只列这个账号的令牌")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="输出格式")
@db_option
def token_list(account, fmt, db) -> None:
    """列出令牌：编号、账号、到期时间、状态、最近使用时间（不显示令牌本身）。

    \b
    Example:
      digecon accounts token list --account tjj_li
    """
    def t(x):
        return x.isoformat(timespec="seconds") + "Z" if x else None

    rows = [{"id": i.id, "account": i.account, "label": i.label, "created_at": t(i.created_at),
             "expires_at": t(i.expires_at), "revoked_at": t(i.revoked_at),
             "last_used_at": t(i.last_used_at), "status": i.state()}
            for i in list_tokens(_store(db), account)]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        used = r["last_used_at"] or "从未使用"
        click.echo(f"{r['id']}\t{r['account']}\t{r['status']}\t到期 {r['expires_at']}\t"
                   f"最近使用 {used}\t{r['label'] or ''}".rstrip())


@click.group()
def audit() -> None:
    """审计日志：查看与导出（只追加，不可修改）。

    \b
    每条记录含账号、时间、来源地址、操作、详情与批次校验和，并以哈希链相连：
    digecon audit verify 能发现被改动或删除的记录。

    \b
    Example:
      digecon audit show --since 2026-12-01
      digecon audit verify
    """


_filters = [
    click.option("--account", default=None, help="只看这个账号"),
    click.option("--action", default=None,
                 help="只看这种操作（如 login、login_failed、token_issued、refused_403）"),
    click.option("--since", default=None, help="从此时起（UTC）：YYYY-MM-DD 或 YYYY-MM-DDTHH:MM"),
]


def _with_filters(f):
    for option in reversed(_filters):
        f = option(f)
    return f


@audit.command("show")
@_with_filters
@click.option("--limit", type=click.IntRange(1), default=None, help="最多显示多少条（最新的）")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="输出格式")
@db_option
def show(account, action, since, limit, fmt, db) -> None:
    """查看审计日志（按时间先后）。

    \b
    Example:
      digecon audit show --action login_failed --since 2026-12-01
      digecon audit show --account zhangsan --format csv > zhangsan.csv
    """
    rows = audit_log.entries(_store(db), account=account, action=action, since=since,
                             limit=limit, newest_first=limit is not None)
    if limit is not None:
        rows.reverse()
    if fmt == "csv":
        click.echo(audit_log.to_csv(rows), nl=False)
    elif fmt == "json":
        click.echo(audit_log.to_json(rows), nl=False)
    else:
        if not rows:
            click.echo("没有符合条件的审计记录")
        for r in rows:
            detail = json.dumps(r["detail"], ensure_ascii=False, sort_keys=True)
            click.echo(f"{r['seq']}\t{r['at']}\t{r['account'] or '-'}\t{r['action_zh']}\t"
                       f"{r['address'] or '-'}\t{detail}"
                       + (f"\t校验和 {r['checksum']}" if r["checksum"] else ""))


@audit.command("export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@_with_filters
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default=None,
              help="导出格式（默认按文件后缀：.csv 或 .json）")
@db_option
def export_(file, account, action, since, fmt, db) -> None:
    """把审计日志导出为 CSV（中文表头，Excel 可直接打开）或 JSON，含每行的哈希。

    \b
    Example:
      digecon audit export 审计日志.csv
      digecon audit export audit.json --since 2026-12-01
    """
    n = audit_log.export(_store(db), file, fmt, account=account, action=action, since=since)
    click.echo(f"已导出 {n} 条审计记录到 {file}")


@audit.command("verify")
@db_option
def verify(db) -> None:
    """校验审计日志的哈希链：发现被改动、删除或插入的记录时退出码为 3。

    \b
    末行哈希可另行保存；日后比对可发现末尾被截去的记录。

    \b
    Example:
      digecon audit verify
    """
    report = audit_log.verify_chain(_store(db))
    if report.ok:
        click.echo(f"审计日志完好：{report.rows} 条记录，哈希链一致；末行哈希 {report.head}")
        return
    click.echo(f"审计日志已被篡改：{report.problem}；此前 {report.rows} 条一致", err=True)
    sys.exit(EXIT_TAMPERED)
