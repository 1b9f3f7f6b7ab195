"""`digecon narrative`: print a generated section for a region and year from the store."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from digecon.dataset_paths import use_dataset
from digecon.errors import InputError
from digecon.narrative.generate import generate_section, templates_dir
from digecon.narrative.render import render_template
from digecon.options import db_option


class NarrativeInputError(InputError):
    """Input of `digecon narrative` a person has to correct (a store, region, date, section or
    a year without data): digecon's command line prints it as 错误：… and exits 2."""


@click.group()
def narrative() -> None:
    """由数据库生成白皮书段落（前言、一(一)、一(二) …）。

    各节的模板在数据集的 narrative/ 目录中（首行声明节名，如 前言、二(三)）。

    \b
    Example:
      digecon narrative section 前言 --region 湖南省 --year 2021 --dataset datasets/hunan-2022
    """


@narrative.command("section")
@click.argument("section")
@click.option("--region", required=True, help="地区名称或代码，如 湖南省 / 430000")
@click.option("--year", required=True, type=int, help="年份")
@db_option
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
              help="数据版本日期：只用该日及以前发布的数据（默认最新）")
@click.option("--dataset", default=None, help="数据集名称或目录（默认当前数据集）")
@click.option("--template", "template", type=click.Path(path_type=Path, exists=True,
              dir_okay=False), default=None, help="直接指定模板文件（*.md.j2）")
@click.option("--verbose", "-v", is_flag=True, help="同时列出因缺少数据而跳过的句子")
def section(section: str, region: str, year: int, db: Path | None, as_of: str | None,
            dataset: str | None, template: Path | None, verbose: bool) -> None:
    """打印一节生成的段落（Markdown；※ 标记示意数据）。SECTION 是模板首行声明的节名，如 前言、二(三)。

    \b
    Example:
      digecon narrative section 一(一) --region 湖南省 --year 2021 --db hunan.duckdb
      digecon narrative section 前言 --region 湖南省 --year 2021 --as-of 2022-07-31 -v
      digecon narrative section x --template my/section.md.j2 --region 湖南省 --year 2021
    """
    from digecon.store import Store

    if dataset is not None:
        # the dataset's own catalog/ (indicators it adds) is read from here on, before the
        # store takes its catalog
        use_dataset(dataset)
    store = Store(db)
    if not store.exists():
        raise NarrativeInputError(file=str(store.path), found="数据库不存在",
                                  expected="已有的数据库（--db；先运行 digecon init 与 digecon "
                                           "ingest，或 digecon load-demo）")
    try:
        store.catalog.region(region)
    except KeyError as exc:  # UnknownNameError / AmbiguousNameError, with the closest names
        raise NarrativeInputError(f"--region：{exc}；应为目录中的地区名称或六位代码") from None
    if as_of:
        try:
            as_of = dt.date.fromisoformat(as_of).isoformat()
        except ValueError:
            raise NarrativeInputError(f"--as-of：发现「{as_of}」，应为日期 YYYY-MM-DD") from None
    try:
        if template is not None:
            out = render_template(template, store, region, year, as_of)
        else:
            out = generate_section(section, store, region, year, as_of, dataset)
    except LookupError as exc:  # no template declares the section
        raise NarrativeInputError(str(exc)) from None
    if verbose:
        for line in out.log_lines():
            click.echo(line, err=True)
    if not out.text.strip():
        folder = template or templates_dir(dataset)
        raise NarrativeInputError(
            f"{region} {year} 年没有可用于「{section}」的数据（{folder}: 发现生成结果为空，"
            f"应为该地区该年的指标数值；先用 digecon ingest 导入，或加 -v 查看跳过的句子）")
    click.echo(out.text)
