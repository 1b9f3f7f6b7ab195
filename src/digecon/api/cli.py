"""`digecon serve`: run the API and dashboard with uvicorn."""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import click

from digecon.options import db_option


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口")
@db_option
@click.option("--reports", type=click.Path(path_type=Path), default=None,
              help="已生成报告的目录（digecon report build --out 的目录；默认 $DIGECON_REPORTS_DIR）")
@click.option("--spec", type=click.Path(path_type=Path), default=None,
              help="报告规格 YAML：总览的地区（report.region）、年份（report.year）、图表与地图"
                   "（默认 $DIGECON_REPORT_SPEC，否则内置数据集的 report.yaml）")
def serve(host: str, port: int, db: Path | None, reports: Path | None, spec: Path | None) -> None:
    """启动数据接口与仪表板（FastAPI + uvicorn）。读取开放；写入需要账号。

    \b
    总览的地区与年份、图表和地图都来自报告规格（--spec）；
    另一个省份或年份只需另一份数据和报告规格。
    写入需要账号：先用 digecon accounts create … 建账号（首个为 --role admin），
    脚本用 digecon accounts token issue … 签发的令牌，网页在 /login 登录。
    旧的共享令牌 DIGECON_API_TOKEN（或其摘要 DIGECON_API_TOKEN_SHA256）仅可用于
    POST /api/v1/ingest，已弃用。
    页面：/ 总览，/city/{代码} 各地数据回流，/collect 数据报送，/explorer 指数探索，
    /catalogue 数据目录，/docs 接口文档，/audit 审计日志（管理员）。

    \b
    Example:
      digecon load-demo && digecon accounts create admin --role admin && digecon serve --port 8000
      digecon serve --spec datasets/jiangxi-2022/report.yaml --db data/jx.duckdb
      digecon serve --db data/jx.duckdb --reports out/
    """
    import uvicorn

    from digecon.dataset_paths import dataset_of_spec, use_dataset
    from digecon.store.datasets import DatasetError

    from .app import create_app
    from .config import Settings
    from .scope import ScopeError, load_scope

    try:
        settings = Settings.from_env(db=db, reports_dir=reports, spec=spec)
        own = dataset_of_spec(settings.spec)  # the spec's dataset: its catalog/ and unit word
        if own is not None:
            use_dataset(own)
        scope = load_scope(settings.spec)  # checked before anything else, so a bad spec exits 2
    except (ScopeError, DatasetError) as exc:
        _fail(f"无法启动：{exc}")
    if not settings.db.exists():
        raise click.ClickException(f"数据库 {settings.db} 不存在；先运行 digecon init 或 digecon load-demo")
    click.echo(f"digecon 服务：http://{host}:{port}/ （数据库 {settings.db}；"
               f"{scope.region.name} {scope.year} 年，报告规格 {scope.path}）", err=True)
    from digecon.store.connection import StoreLockedError, share

    try:
        # Readers are served while an upload is written (one instance). DuckDB gets all cores
        # but one and a memory ceiling, so an upload leaves room for the requests.
        threads = os.environ.get("DIGECON_SERVE_DB_THREADS") or max(1, (os.cpu_count() or 2) - 1)
        memory = os.environ.get("DIGECON_SERVE_DB_MEMORY") or "512MB"
        share(settings.db, threads=int(threads), memory_limit=memory)
    except Exception as exc:  # DuckDB says a held lock in English: say it in Chinese
        if isinstance(exc, StoreLockedError) or "lock" in str(exc).lower():
            _fail(f"无法启动：数据库 {settings.db} 正被另一个进程占用（如正在写入），请稍后再试")
        raise
    app = create_app(settings)
    # The event loop takes the GIL back within 1 ms (Python's default: 5 ms) when a writer,
    # the refresh after a write or the index rebuild runs Python code in another thread.
    sys.setswitchinterval(float(os.environ.get("DIGECON_SERVE_SWITCH_INTERVAL") or 0.001))
    # Every index is rebuilt in the background after each write (and now), so the first
    # reader of a city page does not wait for its rank intervals.
    threading.Thread(target=app.state.indices.warm, args=(threading.Event(),), daemon=True,
                     name="digecon-warm-indices").start()
    # uvloop and httptools (pinned): the C event loop and HTTP parser, not the pure-Python ones.
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                loop="uvloop", http="httptools")
