"""`digecon report build`: the white paper from a report spec and the store, in four formats."""
from __future__ import annotations

import logging
import sys
import time

import click

from digecon.options import db_option


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


@click.group()
def report() -> None:
    """白皮书：依据报告规格（YAML）和数据库生成 HTML、PDF、Word 与 Excel 附表。

    \b
    Example:
      digecon init && digecon load-demo
      digecon report build datasets/jiangxi-2022/report.yaml --out out/
    """


@report.command("build")
@click.argument("spec_path", metavar="SPEC.yaml", type=click.Path())
@click.option("--formats", default="html,pdf,docx,xlsx", show_default=True,
              help="输出格式，逗号分隔：html,pdf,docx,xlsx")
@db_option
@click.option("--out", "out", type=click.Path(file_okay=False), required=True, help="输出目录")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
              help="数据版本日期：只用该日及以前发布的数据（覆盖规格中的 report.as_of；latest 为最新）")
def build(spec_path: str, formats: str, db: str | None, out: str, as_of: str | None) -> None:
    """生成白皮书：先完整检查规格，出错时不写入输出目录。

    \b
    Example:
      digecon report build datasets/jiangxi-2022/report.yaml --formats html,pdf --out out/
      digecon report build datasets/jiangxi-2022/report.yaml --as-of 2024-01-01 --out out-2024/
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from digecon.figures.defs import SpecError
    from digecon.publish.build import build_report, parse_formats, step_count
    from digecon.publish.spec import parse_as_of
    from digecon.store import Store, StoreMissingError

    # Our build log (e.g. which narrative fell back to the authors' text) at INFO; libraries quiet.
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    logging.getLogger("digecon").setLevel(logging.INFO)
    from digecon.dataset_paths import dataset_of_spec, use_dataset

    own = dataset_of_spec(spec_path)  # the spec's dataset: its catalog/ and manifest apply
    if own is not None:
        use_dataset(own)
    try:
        fmts = parse_formats(formats)
        total = step_count(spec_path, fmts)
        if as_of is not None:
            as_of = parse_as_of(as_of) or "latest"  # SpecError for a bad date
    except SpecError as exc:
        if exc.file == "--as-of":
            _fail(f"--as-of：应为日期 YYYY-MM-DD 或 latest，收到 {as_of!r}")
        _fail(f"报告规格有误：{exc}")
    except ValueError as exc:
        _fail(str(exc))
    store = Store(db)
    if not store.exists():
        _fail(f"数据库 {store.path} 不存在；请先运行 digecon init && digecon load-demo，或用 --db 指定。")
    start = time.perf_counter()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=False) as bar:
        task = bar.add_task("生成白皮书", total=total)

        def tick(label: str) -> None:
            bar.update(task, advance=1, description=f"生成白皮书 · {label}")

        try:
            result = build_report(spec_path, store, out, fmts, progress=tick, as_of=as_of)
        except SpecError as exc:
            _fail(f"报告规格有误：{exc}")
        except (StoreMissingError, LookupError) as exc:
            _fail(f"数据库中缺少报告所需数据：{exc}")
    click.echo(result.report.as_of_line)
    for fmt, path in result.outputs.items():
        click.echo(f"{fmt}: {path}")
    timings = "，".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
    click.echo(f"完成，用时 {time.perf_counter() - start:.1f} 秒（{timings}）")
