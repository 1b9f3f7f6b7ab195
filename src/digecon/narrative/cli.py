"""`digecon narrative`: print a generated section for a region and year from the store."""
from __future__ import annotations

from pathlib import Path

import click

from digecon.narrative.generate import SECTIONS, generate


@click.group()
def narrative() -> None:
    """由数据库生成白皮书段落（前言、一(一)、一(二)）。

    \b
    Example:
      digecon narrative section 前言 --region 江西省 --year 2021
    """


@narrative.command("section")
@click.argument("section", type=click.Choice(list(SECTIONS)))
@click.option("--region", required=True, help="地区名称或代码，如 江西省 / 360000")
@click.option("--year", required=True, type=int, help="年份")
@click.option("--db", type=click.Path(path_type=Path), default=None, help="数据库路径")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
              help="数据版本日期：只用该日及以前发布的数据（默认最新）")
def section(section: str, region: str, year: int, db: Path | None, as_of: str | None) -> None:
    """打印一节生成的段落（Markdown；※ 标记示意数据）。

    \b
    Example:
      digecon narrative section 一(一) --region 江西省 --year 2021 --db digecon.duckdb
      digecon narrative section 前言 --region 江西省 --year 2021 --as-of 2022-07-31
    """
    import datetime as dt

    from digecon.store import Store

    store = Store(db)
    if not store.exists():
        raise click.ClickException(f"数据库 {store.path} 不存在；先运行 digecon load-demo")
    try:
        store.catalog.region(region)
    except KeyError:
        raise click.ClickException(f"未知地区：{region}") from None
    if as_of:
        try:
            as_of = dt.date.fromisoformat(as_of).isoformat()
        except ValueError:
            raise click.ClickException(f"--as-of：应为日期 YYYY-MM-DD，收到 {as_of!r}") from None
    text = generate(section, store, region, year, as_of=as_of)
    if not text.strip():
        raise click.ClickException(
            f"{region} {year} 年没有可用于「{section}」的数据（found 空结果, expected 该地区该年的数字经济指标）")
    click.echo(text)
