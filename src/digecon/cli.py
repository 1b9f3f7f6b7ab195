"""The `digecon` command line: one group whose subcommands live beside the code they drive."""
from __future__ import annotations

import importlib

import click

# name -> "module:attribute". Loaded on first use so `digecon --help` stays fast and one
# broken subsystem cannot take the whole command line down.
_COMMANDS: dict[str, str] = {
    "init": "digecon.store.cli:init",
    "load-demo": "digecon.store.cli:load_demo",
    "ingest": "digecon.ingest.cli:ingest",
    "template": "digecon.ingest.cli:template",
    "query": "digecon.store.cli:query",
    "measure": "digecon.measure.cli:measure",
    "index": "digecon.evaluate.cli:index",
    "factcheck": "digecon.factcheck.cli:factcheck",
    "narrative": "digecon.narrative.cli:narrative",
    "report": "digecon.publish.cli:report",
    "figure": "digecon.figures.cli:figure",
    "serve": "digecon.api.cli:serve",
}


def _load(name: str) -> click.Command | None:
    target = _COMMANDS.get(name)
    if target is None:
        return None
    module_name, attr = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None  # subsystem not installed in this build
        raise
    return getattr(module, attr, None)


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n in _COMMANDS if _load(n) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return _load(cmd_name)

    def invoke(self, ctx: click.Context):
        # One place for every subcommand: a broken catalog extension file (a dataset's
        # catalog/ or $DIGECON_CATALOG_PATH) is bad input, reported as file:line:column.
        from digecon.catalog import CatalogError

        try:
            return super().invoke(ctx)
        except CatalogError as exc:
            click.echo(str(exc), err=True)
            click.echo("目录扩展文件有误（数据集的 catalog/ 或 $DIGECON_CATALOG_PATH 所列目录），"
                       "请修正后重试。", err=True)
            ctx.exit(2)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="digecon")
def main() -> None:
    """digecon：区域数字经济测度、评价与白皮书发布。

    Measure, evaluate and publish a regional digital economy from data.

    \b
    Example:
      digecon init && digecon load-demo
      digecon query --indicator de_va --region 江西省 --period 2021
      digecon report build datasets/jiangxi-2022/report.yaml --out out/
    """


if __name__ == "__main__":
    main()
