"""`digecon collect`: collection tasks, templates, the status board and review."""
from __future__ import annotations

import click


@click.group()
def collect() -> None:
    """数据报送：报送任务、分部门模板、报送状态与审核。

    \b
    Example:
      digecon collect --help
    """
