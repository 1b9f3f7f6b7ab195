"""`digecon init` and `digecon load-demo` (`digecon query` reads facts: digecon.facts.cli)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from digecon.ingest.errors import WriteError
from digecon.ingest.files import ingest_files
from digecon.ingest.reader import ReadError
from digecon.ingest.validate import ValidationError
from digecon.options import db_option

from .connection import StoreLockedError, allow_new_stores
from .datasets import (
    DEFAULT_DATASET,
    DatasetError,
    active_dataset,
    dataset_vintage,
    observation_files,
    synthetic_cities_path,
    use_dataset,
)
from .store import Store, file_sha256

DB_OPTION = db_option  # the one --db of every command (digecon.options)
err = Console(stderr=True)


@click.command()
@DB_OPTION
def init(db) -> None:
    """创建（或升级）数据库文件。

    \b
    Example:
      digecon init --db jiangxi.duckdb
    """
    store = Store(db)
    allow_new_stores(True)  # creating the store is what this command is for
    try:
        store.init()
    except (StoreLockedError, OSError) as exc:
        click.echo(f"{store.path}: {exc}", err=True)
        sys.exit(2)
    click.echo(f"数据库已就绪：{store.path}")


@click.command("load-demo")
@DB_OPTION
@click.option("--dataset", default=None,
              help=f"datasets/ 下的数据集（默认当前数据集：$DIGECON_DATASET，否则 {DEFAULT_DATASET}）")
def load_demo(db, dataset) -> None:
    """载入内置数据集（默认江西 2022）：白皮书数值、GDP 两个版本、表1–表2、推算值与示意值。

    重复运行不会重复写入（相同的观测值被跳过）。

    \b
    Example:
      digecon load-demo
      digecon load-demo --db /tmp/demo.duckdb
    """
    # The dataset is the active one before the store (and its catalog, which reads the
    # dataset's own catalog/ folder) is opened.
    dataset = dataset or active_dataset()
    use_dataset(dataset)
    store = Store(db)
    try:  # every input checked before the store is touched
        files = observation_files(dataset)
        extra = _demo_extras(dataset, dataset_vintage(dataset))
    except DatasetError as exc:
        click.echo(str(exc), err=True)
        click.echo("未写入任何数据。", err=True)
        sys.exit(2)
    allow_new_stores(True)  # as `init`: the demo store may be new
    try:
        store.init()
        changed = _changed_files(store, files)
    except (StoreLockedError, OSError) as exc:
        click.echo(f"{store.path}: {exc}", err=True)
        sys.exit(2)
    if changed:
        # Another edition of a file stored beside this one would leave two values of one
        # statement at one vintage: the store would contradict itself.
        for path, old in changed:
            click.echo(f"{store.path}: 发现数据集文件 {path.name} 的另一个版本已载入（sha256 "
                       f"{old[:12]}…，现为 {file_sha256(path)[:12]}…），应为同一版本；"
                       f"请载入新的数据库（--db 另一个文件），或删除旧库后重新运行", err=True)
        click.echo("未写入任何数据。", err=True)
        sys.exit(2)
    total = 0
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=err) as progress:
        task = progress.add_task("载入数据集", total=len(files) + len(extra))
        for path in files:
            progress.update(task, description=f"载入 {path.name}")
            try:
                total += ingest_files(store, [path])
            except (ValidationError, ReadError, WriteError) as exc:
                click.echo(exc.report() if isinstance(exc, ValidationError) else str(exc), err=True)
                sys.exit(2)
            progress.advance(task)
        for name, fn in extra:
            progress.update(task, description=name)
            total += fn(store) or 0
            progress.advance(task)
    click.echo(f"数据集 {dataset} 已载入 {store.path}：新增 {total} 条观测值"
               f"（共 {store.row_count()} 条）")


def _changed_files(store: Store, files: list[Path]) -> list[tuple[Path, str]]:
    """Dataset files whose name the store has loaded before with other contents."""
    with store.connection() as con:
        loaded = con.execute("SELECT origin, sha256 FROM batches WHERE sha256 <> ''").fetchall()
    by_name: dict[str, set[str]] = {}
    for origin, digest in loaded:
        by_name.setdefault(Path(origin).name, set()).add(digest)
    out = []
    for path in files:
        seen = by_name.get(path.name)
        if seen and file_sha256(path) not in seen:
            out.append((path, min(seen)))
    return out


def _demo_extras(dataset: str, vintage: str) -> list[tuple[str, object]]:
    """Optional steps of other subsystems (e.g. synthetic accounts) that the demo includes,
    their inputs checked now; DatasetError names the file that is missing or malformed."""
    steps = []
    try:
        from digecon.measure import synthetic
        from digecon.measure.demo import load_into
    except ImportError:
        return steps
    from digecon.figures.defs import SpecError

    cities = synthetic_cities_path(dataset)
    synthetic.read_cities(cities)  # the dataset's synthetic/cities.csv, checked now
    try:
        years = synthetic.default_years(dataset)
    except SpecError as exc:
        raise DatasetError(f"合成企业数据核算的年份取自数据集的报告规格，但规格不可用：{exc}") from None
    # The dataset's own vintage (dataset.yaml), not today, keeps the demo store reproducible.
    steps.append(("合成企业数据核算（synthetic）",
                  lambda store: load_into(store, vintage=vintage, years=years, cities=cities)))
    return steps
