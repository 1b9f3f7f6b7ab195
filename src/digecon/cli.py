"""The `digecon` command line: one group whose subcommands live beside the code they drive."""
from __future__ import annotations

import importlib

import click

# name -> ("module:attribute", one-line help). Loaded on first use so `digecon --help` stays
# fast (it prints these lines without importing any subsystem) and one broken subsystem
# cannot take the whole command line down.
_COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("digecon.store.cli:init", "创建（或升级）数据库文件。"),
    "load-demo": ("digecon.store.cli:load_demo",
                  "载入内置数据集（默认江西 2022）：白皮书数值、GDP 两个版本、表1–表2、推算值与示意值。"),
    "ingest": ("digecon.ingest.cli:ingest",
               "导入 CSV / XLSX 数据文件（长表或宽表）。整批校验通过才写入；任何问题都不写入。"),
    "template": ("digecon.ingest.cli:template",
                 "生成供各部门填报的 Excel 模板（下拉选择、显示单位），填好后用 digecon ingest 读回。"),
    "query": ("digecon.facts.cli:query", "查询观测值：数值、单位、状态、来源与公式。"),
    "measure": ("digecon.measure.cli:measure", "数字经济核算：数字产业化（企业记录）与产业数字化（增长核算）。"),
    "index": ("digecon.evaluate.cli:index",
              "综合指数：按规格文件构建指数、排名、梯队，并做不确定性与敏感性分析。"),
    "factcheck": ("digecon.factcheck.cli:factcheck",
                  "核查文本中的数字：提取每个数值表述，做文内算术核查并与数据库比对。"),
    "narrative": ("digecon.narrative.cli:narrative", "由数据库生成白皮书段落（前言、一(一)、一(二) …）。"),
    "report": ("digecon.publish.cli:report",
               "白皮书：依据报告规格（YAML）和数据库生成 HTML、PDF、Word 与 Excel 附表。"),
    "figure": ("digecon.figures.cli:figure",
               "图表：列出报告规格中的图表，或将单个图表渲染为 SVG / PNG / ECharts JSON。"),
    "accounts": ("digecon.accounts.cli:accounts", "账号与令牌：创建账号、设定角色、签发与吊销令牌。"),
    "audit": ("digecon.accounts.cli:audit", "审计日志：查看与导出（只追加，不可修改）。"),
    "collect": ("digecon.collect.cli:collect", "数据报送：报送任务、分部门模板、报送状态与审核。"),
    "serve": ("digecon.api.cli:serve", "启动数据接口与仪表板（FastAPI + uvicorn）。读取开放；写入需要账号。"),
}


def _load(name: str) -> click.Command | None:
    if name not in _COMMANDS:
        return None
    module_name, attr = _COMMANDS[name][0].split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None  # subsystem not installed in this build
        raise
    return getattr(module, attr, None)


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, _COMMANDS[name][1]) for name in self.list_commands(ctx)])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return _load(cmd_name)

    def invoke(self, ctx: click.Context):
        # One place for every subcommand: input a person has to correct (digecon.errors:
        # a broken catalog extension, a bad spec, an unknown name …) that a command did not
        # report itself becomes its message and exit 2, never a traceback.
        from digecon.catalog import CatalogError
        from digecon.dataset_paths import chosen_dataset, use_dataset
        from digecon.errors import EXIT_INPUT, InputError
        from digecon.store.connection import (
            StoreNotFoundError,
            allow_new_stores,
            new_stores_allowed,
        )

        # A mistyped --db must not silently become a new, empty store: only `init` and
        # `load-demo` (which say so themselves) may create one. Both settings are put back
        # afterwards, so a command run inside another program leaves it as it was.
        before = (new_stores_allowed(), chosen_dataset())
        allow_new_stores(False)
        try:
            return super().invoke(ctx)
        except StoreNotFoundError as exc:
            click.echo(f"错误：{exc}", err=True)
            ctx.exit(EXIT_INPUT)
        except CatalogError as exc:
            click.echo(str(exc), err=True)
            click.echo("目录扩展文件有误（数据集的 catalog/ 或 $DIGECON_CATALOG_PATH 所列目录），"
                       "请修正后重试。", err=True)
            ctx.exit(EXIT_INPUT)
        except InputError as exc:
            click.echo(f"错误：{exc}", err=True)
            ctx.exit(EXIT_INPUT)
        finally:
            allow_new_stores(before[0])
            use_dataset(before[1])


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
