"""`digecon query`: a cell's current value as every surface prints it, and on request its history."""
from __future__ import annotations

import datetime as dt
import json
import sys

import click
from rich.console import Console
from rich.table import Table

from digecon.catalog import UnknownNameError, get_catalog
from digecon.options import db_option
from digecon.store import Store, StoreLockedError
from digecon.store.store import StoreMissingError

from .fact import fact_from_row

QUALIFIER_TEXT = {"eq": "", "gt": "超过 ", "ge": "不低于 ", "lt": "低于 ", "le": "不超过 ",
                  "approx": "约 "}


@click.command()
@click.option("--indicator", required=True, help="指标代码或中文名，如 de_va / 数字经济增加值")
@click.option("--region", default=None, help="地区：名称或代码，如 江西省 / 南昌 / 360100")
@click.option("--period", default=None, help="时期，如 2021、2021-12、2016-2021")
@click.option("--status", default=None, help="只看某一状态")
@click.option("--as-of", "as_of", default=None, help="只看该日期（含）之前发布的版本")
@click.option("--history", is_flag=True,
              help="列出截至 --as-of 的全部版本（被更正或被取代的值也列出，「当前」栏标明当前值）")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@db_option
def query(indicator, region, period, status, as_of, history, fmt, db) -> None:
    """查询观测值：数值、单位、状态、来源与公式。

    每格只列当前值（与报告、图表、接口相同的唯一取值，按目录规定的小数位四舍五入），
    以及原文的界限表述（超、约）；--history 另列历史版本。

    \b
    Example:
      digecon query --indicator de_va --region 江西省 --period 2021
      digecon query --indicator di_share_de --region 江西省 --history --format json
      digecon query --indicator gdp --region 江西省 --period 2021 --as-of 2022-07-31
    """
    store = Store(db)
    cat = get_catalog()
    if as_of is not None and not _is_date(as_of):
        click.echo(f"--as-of: 发现「{as_of}」，应为日期 YYYY-MM-DD", err=True)
        sys.exit(2)
    try:
        ind = cat.indicator(indicator)
        df = store.listing(indicator=ind.code, region=region, period=period, status=status,
                           as_of=as_of, history=history)
    except (UnknownNameError, StoreMissingError, StoreLockedError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    if df.empty:
        older = not history and not store.listing(indicator=ind.code, region=region,
                                                   period=period, status=status, as_of=as_of,
                                                   history=True).empty
        click.echo(f"没有找到 {ind.name_zh}（{ind.code}）的" + (
            "当前值（只有被更正或被取代的历史版本：加 --history 查看）" if older else "观测值"),
            err=True)
        sys.exit(1)
    facts = [fact_from_row(r, cat) for r in df.to_dict("records")]
    out = df.drop(columns=["obs_id"])
    out["vintage"] = out["vintage"].astype(str)
    out["text"] = [display(f) for f in facts]
    out["status_zh"] = [f.status_zh for f in facts]
    if fmt == "csv":
        click.echo(out.to_csv(index=False), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps(out.to_dict(orient="records"), ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{ind.name_zh}（{ind.code}，{ind.unit or '无单位'}）", show_lines=True)
    heads = ["地区", "时期", "数值", "状态", "版本", "来源 / 公式"] + (["当前"] if history else [])
    for col in heads:
        table.add_column(col, overflow="fold")
    for r in out.itertuples():
        provenance = r.formula if r.formula else r.source
        if r.quote:
            provenance += f"\n原文：「{r.quote}」（{r.section}）"
        if r.note:
            provenance += f"\n注：{r.note}"
        cells = [r.region_name, r.period, r.text, r.status_zh, r.vintage, provenance]
        table.add_row(*cells, *(["是" if r.current else "否（历史）"] if history else []))
    Console(width=160).print(table)


def display(fact) -> str:
    """The value as every surface prints it (Fact.text: half-up at the catalog's decimals), with
    the word of a bound and the unit."""
    unit = f" {fact.unit}" if fact.unit else ""
    return f"{QUALIFIER_TEXT.get(fact.qualifier, '')}{fact.text}{unit}"


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


__all__ = ["display", "query"]
