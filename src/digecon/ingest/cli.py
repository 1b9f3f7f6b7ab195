"""`digecon ingest` and `digecon template`: the way departments' files come in."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from digecon.catalog import get_catalog
from digecon.errors import InputError
from digecon.options import db_option
from digecon.store import Store, StoreLockedError

from .errors import Refused
from .files import ingest_files
from .template import write_template
from .validate import ValidationError

err = Console(stderr=True)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--status", default=None, help="默认状态：published / estimated / illustrative …")
@click.option("--vintage", default=None, help="版本日期 YYYY-MM-DD（默认今天）")
@click.option("--source", default=None, help="数据来源（文件中无 source 列时使用）")
@click.option("--indicator", default=None, help="宽表（各列为年份）缺指标列时使用的指标")
@click.option("--period", default=None, help="宽表（各列为指标）缺时期列时使用的时期")
@click.option("--sheet", default=None, help="只读取 Excel 的这个工作表")
@click.option("--allow-implausible", is_flag=True,
              help="接受通常不合理的值：为负的总量或计数、1900–2100 年以外或起止颠倒的时期、"
                   "晚于今天的版本日期（确属实时才用）")
def ingest(files, db, status, vintage, source, indicator, period, sheet,
           allow_implausible) -> None:
    """导入 CSV / XLSX 数据文件（长表或宽表）。整批校验通过才写入；任何问题都不写入。

    Exit 0: written; exit 2: rejected, nothing written, every problem on stderr as
    FILE[:SHEET]:ROW:COLUMN: 发现…，应为…
    Skipped empty cells, titles, footnotes, hidden and notes sheets and unknown columns are
    listed before the summary.

    \b
    Example:
      digecon ingest cities_2021.xlsx --vintage 2022-03-15 --source 江西省统计局
      digecon ingest gdp_wide.csv --indicator gdp --status published
    """
    store = Store(db)
    notices: list[str] = []
    try:
        with err.status("导入中…") as status_line:
            written = ingest_files(store, list(files), status=status, vintage=vintage,
                                   source=source, indicator=indicator, period=period,
                                   sheet=sheet, allow_implausible=allow_implausible,
                                   on_stage=lambda m: status_line.update(m),
                                   on_notice=notices.append)
    except ValidationError:
        _echo_notices(notices, err=True)
        raise  # digecon.cli prints it and exits 2, as for every input error
    except (InputError, StoreLockedError) as exc:
        _echo_notices(notices, err=True)
        raise Refused(exc) from exc
    _echo_notices(notices)
    click.echo(f"已写入 {written} 条观测值（含派生指标）到 {store.path}")


def _echo_notices(notices: list[str], err: bool = False) -> None:
    for line in notices:
        click.echo(f"提示：{line}", err=err)


@click.command()
@click.option("--indicator", "indicators", multiple=True, required=True,
              help="指标代码或中文名（可重复）")
@click.option("--region", "regions", multiple=True,
              help="地区（可重复）；默认为报告规格 report.region 所指地区及其设区市"
                   "（规格取 $DIGECON_REPORT_SPEC，否则内置数据集的 report.yaml）")
@click.option("--period", "periods", multiple=True, required=True, help="时期（可重复）")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="输出 .xlsx")
def template(indicators, regions, periods, out) -> None:
    """生成供各部门填报的 Excel 模板（下拉选择、显示单位），填好后用 digecon ingest 读回。

    不给 --region 时，地区取报告规格的 report.region 及其下属设区市（目录中有的）。

    \b
    Example:
      digecon template --indicator de_va --indicator di_va --period 2021 --out 填报模板.xlsx
      digecon template --indicator gdp --region 南昌 --region 九江 --period 2021 --out gdp.xlsx
    """
    from digecon.figures.defs import SpecError

    cat = get_catalog()
    inds = [cat.indicator(i) for i in indicators]  # an unknown name: exit 2 (digecon.cli)
    try:
        regs = [cat.region(r) for r in regions] if regions else _report_regions()
    except SpecError as exc:
        raise InputError(f"--region: 发现未给 --region，而默认地区所取自的报告规格不可用（{exc}），"
                         "应为可用的报告规格：请修正规格，或用 --region 指定地区") from exc
    if out.suffix.lower() != ".xlsx":
        raise InputError(file=str(out), found=f"扩展名「{out.suffix}」", expected=".xlsx")
    n = write_template(out, inds, regs, list(periods))
    click.echo(f"已生成模板 {out}（{n} 行待填）")


def _report_regions() -> list:
    """The report spec's region and the units under it (Catalog.subunits: its prefecture-level
    units, or a 直辖市's 区县), as the catalog lists them.

    Raises SpecError naming the spec when there is none or it is unusable.
    """
    from digecon.figures.defs import SpecError
    from digecon.publish.spec import SPEC_ENV, load_spec, resolve_spec_path
    from digecon.store.datasets import DatasetError

    try:
        path = resolve_spec_path()
    except DatasetError as exc:  # no $DIGECON_REPORT_SPEC and no bundled dataset
        raise SpecError(f"${SPEC_ENV}", "(unset)", str(exc)) from None
    cat = get_catalog()
    region = cat.region(load_spec(path).meta["region"])
    return [region, *cat.subunits(region.code)]
