"""`digecon index build|uncertainty`: run an index spec and write its results to a directory."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from digecon.facts import format_number

log = logging.getLogger(__name__)


def _fail(exc: Exception) -> None:
    click.echo(f"错误：{exc}", err=True)
    click.echo("未写入任何文件。", err=True)
    sys.exit(2)


@click.group("index")
def index() -> None:
    """综合指数：按规格文件构建指数、排名、梯队，并做不确定性与敏感性分析。

    \b
    Example:
      digecon index build datasets/jiangxi-2022/index/table1.yaml --out out/table1
      digecon index uncertainty tests/evaluate/fixtures/asem_ua.yaml --runs 500 --seed 1 --out out/ua
    """


@index.command("build")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="输出目录：scores.csv, ranks.csv, tiers.csv, stages/*.csv, weights.csv, spec.yaml")
def build_cmd(spec: Path, out: Path) -> None:
    """按 SPEC.yaml 构建综合指数（步骤与 COINr 同名）。

    \b
    Example:
      digecon index build datasets/jiangxi-2022/index/table1.yaml --out out/table1
      digecon index build datasets/jiangxi-2022/index/city_de.yaml --out out/city
    """
    from .build import build
    from .errors import MethodError, SpecError
    from .output import write_result
    from .spec import load_spec

    try:
        s = load_spec(spec)
        res = build(s)
        if res.scores[s.fw.top].isna().all():
            raise MethodError(f"{s.fw.top} 的得分全部为空（NaN）：检查权重、缺失值与聚合方法")
    except (SpecError, MethodError) as exc:
        _fail(exc)
        return
    files = write_result(res, out)
    log.info("index build %s -> %s (%d files)", spec, out, len(files))
    top = s.fw.top
    best = res.scores.sort_values(top, ascending=False).iloc[0]
    click.echo(f"已构建 {len(res.units)} 个单位、{len(s.fw.indicators)} 个指标的指数 {top}；"
               f"第一名 {best['uCode']}（{format_number(best[top], 2)}）。结果写入 {out}/（{len(files)} 个文件）")


@index.command("uncertainty")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--runs", type=int, required=True, help="基础样本数 N；开启 Sobol 时共运行 N×(因素数+2) 次")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="随机种子：同一种子结果逐字节相同")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-sobol", is_flag=True, help="只做不确定性分析（N 次），不估计 Sobol 指数")
def uncertainty_cmd(spec: Path, runs: int, seed: int, out: Path, no_sobol: bool) -> None:
    """蒙特卡洛不确定性分析：每个单位的中位排名、5–95% 区间、梯队概率与 Sobol 敏感性指数。

    因素在规格文件的 uncertainty.factors 中给出：winmax、normalise、weights_noise、
    weighting、aggregate、remove_indicator。

    \b
    Example:
      digecon index uncertainty tests/evaluate/fixtures/asem_ua.yaml --runs 500 --seed 1 --out out/ua
    """
    from rich.progress import Progress

    from .errors import MethodError, SpecError
    from .spec import load_spec
    from .ua_output import write_ua
    from .uncertainty import parse_factors, run_uncertainty

    try:
        s = load_spec(spec)
        sobol = False if no_sobol else bool((s.uncertainty or {}).get("sobol", True))
        d = len(parse_factors(s, seed))
        total = runs * (d + 2) if sobol else runs
        with Progress(transient=True) as bar:
            task = bar.add_task("蒙特卡洛", total=total)
            res = run_uncertainty(s, runs, seed, sobol=sobol, progress=lambda k: bar.advance(task, k))
    except (SpecError, MethodError) as exc:
        _fail(exc)
        return
    files = write_ua(res, s, out, runs=runs, seed=seed)
    worst = res.rank_stats.assign(w=res.rank_stats.Q95 - res.rank_stats.Q5).sort_values("w").iloc[-1]
    click.echo(f"完成 {len(res.runs)} 次运行；排名区间最宽的是 {worst['uCode']}"
               f"（{format_number(worst['Q5'], 0)}–{format_number(worst['Q95'], 0)}）。结果写入 {out}/（{len(files)} 个文件）")
