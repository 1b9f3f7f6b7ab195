"""`digecon figure`: list the figures of a report spec and render one as SVG, PNG or option JSON."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from digecon.options import db_option


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


@click.group()
def figure() -> None:
    """图表：列出报告规格中的图表，或将单个图表渲染为 SVG / PNG / ECharts JSON。

    \b
    Example:
      digecon figure list
      digecon figure render fig_de_va --format svg --out out/fig1.svg
    """


@figure.command("list")
@click.option("--spec", "spec_path", type=click.Path(), default=None,
              help="报告规格 YAML（默认：datasets/jiangxi-2022/report.yaml）")
def list_figures(spec_path: str | None) -> None:
    """列出规格中的全部图表（编号、ID、标题）。

    \b
    Example:
      digecon figure list --spec datasets/jiangxi-2022/report.yaml
    """
    from digecon.figures.defs import SpecError
    from digecon.publish.spec import default_spec_path, load_spec

    try:
        spec = load_spec(spec_path or default_spec_path())
    except SpecError as exc:
        _fail(f"报告规格有误：{exc}")
    for _, block in spec.blocks():
        if block.kind == "figure":
            fdef = spec.figures[block.ref]
            # an optional figure is printed only when the store has its values; the paper's
            # numbers after it close up when it is left out
            mark = "\t（可选：数据库有数值时印出，缺数时后续图号前移）" if fdef.optional else ""
            click.echo(f"{block.label}{block.number}\t{block.ref}\t{fdef.caption}{mark}")


@figure.command("render")
@click.argument("figure_id")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "json"]), default="svg",
              show_default=True, help="输出格式")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="输出文件")
@db_option
@click.option("--spec", "spec_path", type=click.Path(), default=None, help="报告规格 YAML")
@click.option("--width", type=int, default=800, show_default=True)
@click.option("--height", type=int, default=450, show_default=True)
def render(figure_id: str, fmt: str, out: str, db: str | None, spec_path: str | None,
           width: int, height: int) -> None:
    """从数据库生成一个图表：SVG、PNG（无需浏览器）或 ECharts 配置 JSON。

    \b
    Example:
      digecon figure render fig_city_de --format png --out out/fig4.png
      digecon figure render map_city_de --format json --out out/map.json
    """
    from digecon.figures import build_option, figure_svg, render_png, resolve
    from digecon.figures.defs import SpecError
    from digecon.publish.spec import default_spec_path, load_spec
    from digecon.store import Store, StoreMissingError

    try:
        spec = load_spec(spec_path or default_spec_path())
        fdef, geo = resolve(figure_id, spec)
        option = build_option(figure_id, Store(db), spec)
    except SpecError as exc:
        _fail(f"报告规格有误：{exc}")
    except KeyError as exc:
        _fail(str(exc.args[0]))
    except (StoreMissingError, LookupError) as exc:
        _fail(f"无法取得图表数据：{exc}")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.write_text(json.dumps(option, ensure_ascii=False, indent=1, sort_keys=True),
                        encoding="utf-8")
    else:
        svg = figure_svg(option, geo, width, height)
        if fmt == "svg":
            path.write_text(svg, encoding="utf-8")
        else:
            path.write_bytes(render_png(svg))
    click.echo(f"已生成 {fdef.label}：{fdef.caption} → {path}")
