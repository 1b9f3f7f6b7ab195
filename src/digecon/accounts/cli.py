"""`digecon accounts` and `digecon audit`: manage accounts and tokens; read the audit log."""
from __future__ import annotations

import click


@click.group()
def accounts() -> None:
    """账号与令牌：创建账号、设定角色、签发与吊销令牌。

    \b
    Example:
      digecon accounts --help
    """


@click.group()
def audit() -> None:
    """审计日志：查看与导出（只追加，不可修改）。

    \b
    Example:
      digecon audit --help
    """
