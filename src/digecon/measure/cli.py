"""`digecon measure`: enterprise accounts, growth accounting and synthetic records from the command line."""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from digecon.facts import format_number
from digecon.options import db_option

EXIT_OK = 0
EXIT_REJECTED = 2      # input unusable: nothing written
EXIT_BAD_RECORDS = 3   # accounts written without the bad records, which are reported

_err = Console(stderr=True)


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=_err, transient=True)


def _yi(wan_yuan: float) -> str:
    """万元 as 亿元 text at four places, half-up like every number digecon prints."""
    return format_number(wan_yuan / 1e4, 4)


def _say(msg: str) -> None:
    # Plain text (no wrapping) so file:row:column lines stay whole for people and scripts.
    click.echo(msg, err=True)


def _reject(msg: str) -> None:
    _say(f"错误：{msg}")
    sys.exit(EXIT_REJECTED)


def _write_frame(df: pd.DataFrame, out: Path) -> None:
    if out.suffix.lower() == ".parquet":
        df.to_parquet(out, index=False)
    else:
        df.to_csv(out, index=False)


def _check_out(out: Path, allowed: tuple[str, ...], option: str = "--out") -> None:
    if out.suffix.lower() not in allowed:
        _reject(f"{option} {out}: 不支持的文件类型 '{out.suffix}'，应为 {' 或 '.join(allowed)}")


def _check_targets(*paths: Path) -> None:
    """Reject before any work when an output path cannot be a file, so nothing is half written."""
    for p in paths:
        if p.exists() and not p.is_file():
            _reject(f"{p}: 是目录或特殊文件，应为要写出的文件路径")
        parent = next((a for a in p.parents if a.exists()), None)
        if parent is not None and not parent.is_dir():
            _reject(f"{p}: 上级路径 {parent} 是文件，应为目录")


def _write_all(writers: list[tuple[Path, Callable[[Path], object]]]) -> None:
    """Write every output or none: on an OS error the files already written are removed."""
    done: list[Path] = []
    try:
        for path, write in writers:
            path.parent.mkdir(parents=True, exist_ok=True)
            write(path)
            done.append(path)
    except OSError as exc:
        for d in done:
            d.unlink(missing_ok=True)
        _reject(f"{path}: 无法写出（{exc.strerror or exc}），应为可写的文件路径；未写出任何文件")


def _check_records(file: Path) -> None:
    """Problems the record readers would report in a library's words: a folder, a binary or non-UTF-8 CSV."""
    if file.exists() and not file.is_file():
        _reject(f"{file}: 是目录或特殊文件，应为企业记录 CSV 或 Parquet 文件")
    if file.suffix.lower() not in {".csv", ".txt"} or not file.is_file():
        return
    with open(file, "rb") as fh:
        head = fh.read(1 << 16)
    bad = head.find(b"\x00")
    if bad < 0:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start <= len(head) - 4:  # not a character cut by the sample's end
                bad = exc.start
    if bad >= 0:
        line = head[:bad].count(b"\n") + 1
        _reject(f"{file}:{line}: 不是 UTF-8 编码的文本（第 {bad + 1} 个字节为 "
                f"0x{head[bad]:02x}，可能是二进制文件或 GBK 编码），应为 UTF-8 编码的企业记录 CSV；"
                f"Excel 中请另存为「CSV UTF-8」")


def _check_has_rows(file: Path) -> None:
    """A records file with a header and no record would give empty accounts: refuse it."""
    if not file.is_file():
        return  # the reader names a missing file
    if file.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            rows = pq.ParquetFile(file).metadata.num_rows
        except Exception:  # noqa: BLE001 - not a Parquet file: the reader says so in its words
            return
    else:
        rows = 0
        with open(file, "rb") as fh:
            fh.readline()  # the header
            for line in fh:
                if line.strip(b" \t\r\n,"):
                    rows = 1
                    break
    if not rows:
        _reject(f"{file}: 只有表头，没有数据行，应为至少一条企业记录")


def _non_finite_cells(file: Path, limit: int = 5) -> list[tuple[int, str, str]]:
    """(row, column, text) of money cells that read as ±inf or NaN: a number, but none to add up.

    Rows are numbered as the record readers number them: the CSV line (header = 1) or the
    Parquet record (first = 1).
    """
    import duckdb

    from digecon.measure.accounts import MONEY_COLUMNS

    con = duckdb.connect()
    try:
        if file.suffix.lower() == ".parquet":
            rel = "(SELECT *, file_row_number + 1 AS _row FROM read_parquet(?, file_row_number=true))"
            num = 'CAST("{c}" AS DOUBLE)'
        else:
            rel = ("(SELECT *, row_number() OVER () + 1 AS _row "
                   "FROM read_csv(?, all_varchar=true, header=true))")
            num = 'TRY_CAST(trim("{c}") AS DOUBLE)'
        found: list[tuple[int, str, str]] = []
        for c in MONEY_COLUMNS:
            rows = con.execute(
                f'SELECT _row, CAST("{c}" AS VARCHAR) FROM {rel} '
                f"WHERE NOT isfinite({num.format(c=c)}) ORDER BY _row LIMIT {limit}",
                [str(file)]).fetchall()
            found += [(int(r), c, str(v)) for r, v in rows]
    except duckdb.Error:
        return []
    finally:
        con.close()
    return sorted(found)[:limit]


def _spark_reason(exc: Exception) -> str:
    """The first line of a Spark error that carries its error class, e.g. [FAILED_READ_FILE...] …"""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    tagged = [m[0] for ln in lines if (m := re.search(r"\[[A-Z_.]+\].*", ln))]
    return (tagged or lines or [type(exc).__name__])[0][:300]


@click.group()
def measure() -> None:
    """数字经济核算：数字产业化（企业记录）与产业数字化（增长核算）。

    \b
    Example:
      digecon measure synthetic --records 100000 --out records.parquet
      digecon measure enterprises records.parquet --out di.csv
      digecon measure growth-accounting industries.csv --out id.csv
    """


@measure.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--concordance", type=click.Path(path_type=Path), default=None,
              help="对照表 CSV（industry_code,de_code,share）或国家统计局分类附表（代码,名称,国民经济行业代码及名称）；默认 CAICT 口径。")
@click.option("--partial-share", type=float, default=0.5, show_default=True,
              help="分类附表中带'*'（部分对应）行业代码的份额。")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True)
@click.option("--master", default=None, help="Spark master URL（默认 local[2]）。")
@click.option("--sql", "dialect", type=click.Choice(["hive", "starrocks"]), default=None,
              help="不执行，输出作业的 SQL（写入 --out），对照表写入 <out>.lookup.csv。")
@click.option("--typed", is_flag=True, help="与 --sql 合用：记录表的金额和年份列为数值类型。")
@click.option("--aggregate-first", is_flag=True,
              help="先汇总为 地区×行业×年份 单元再对照分类（只有单元离开安全环境）。")
@click.option("--into-store", is_flag=True, help="把核心产业（01–04）合计作为 di_va 写入数据库，状态 derived。")
@db_option
@click.option("--out", type=click.Path(path_type=Path), required=True, help="结果文件 .csv 或 .parquet（--sql 时为 .sql）。")
def enterprises(file: Path, concordance: Path | None, partial_share: float, engine: str,
                master: str | None, dialect: str | None, typed: bool, aggregate_first: bool,
                into_store: bool, db: Path | None, out: Path) -> None:
    """由企业记录测算数字产业化增加值（亿元，记录金额单位万元）。

    FILE 为 CSV 或 Parquet，列：enterprise_id, region_code, industry_code, year,
    labour_compensation, net_production_taxes, depreciation, operating_surplus, revenue。
    结果按 地区×分类×年份 汇总，另有 core（01–04）、total 及全省汇总行；
    旁边写出 <out>.bad.csv（问题记录：行号、列、取值、原因）和 <out>.reconciliation.json。

    \b
    退出码：0 全部记录有效；3 已写出结果，但有问题记录被排除（见 .bad.csv）；
            2 输入无法使用，未写出任何文件。

    \b
    Example:
      digecon measure enterprises records.csv --out di.csv
      digecon measure enterprises records.parquet --engine spark --aggregate-first --out di.parquet
      digecon measure enterprises records.csv --sql starrocks --out job.sql
    """
    from digecon.measure.classify import ConcordanceError, caict_scope, load_concordance_file

    if into_store:
        from digecon.store.connection import resolve_path

        store_path = resolve_path(db)
        if not store_path.is_file():
            _reject(f"--db: 数据库 {store_path} 不存在，应为已有的数据库（检查 --db / $DIGECON_DB "
                    f"是否写错；新建请先运行 digecon init --db {store_path}）")
    try:
        conc = (caict_scope() if concordance is None
                else load_concordance_file(concordance, partial_share=partial_share))
    except (ConcordanceError, ValueError) as exc:
        _reject(str(exc))
    if dialect:
        from digecon.measure.accounts import lookup_table
        from digecon.measure.sql import job_sql

        lookup_path = out.with_suffix(".lookup.csv")
        _check_targets(out, lookup_path)
        text = job_sql(dialect, aggregate_first=aggregate_first, typed=typed)
        _write_all([(out, lambda p: p.write_text(text, encoding="utf-8")),
                    (lookup_path, lambda p: lookup_table(conc).to_csv(p, index=False))])
        _say(f"已写出 {dialect} SQL：{out}；对照表：{lookup_path}")
        return
    _check_out(out, (".csv", ".parquet"))
    stem = out.with_suffix("")
    bad_path, rec_path = Path(f"{stem}.bad.csv"), Path(f"{stem}.reconciliation.json")
    _check_targets(out, bad_path, rec_path)
    _check_records(file)
    _check_has_rows(file)
    from digecon.measure.engines import RecordsError, connect, measure_enterprises

    with _progress() as prog:
        task = prog.add_task(f"启动 {engine} …", total=None)
        con = connect(engine, master)
        prog.update(task, description=f"测算 {file.name}（{engine}）…")
        try:
            res = measure_enterprises(file, conc, con=con, aggregate_first=aggregate_first)
        except RecordsError as exc:
            _reject(str(exc))
        except Exception as exc:
            # Spark reads lazily, so a file it cannot parse fails here with a JVM error.
            if not type(exc).__module__.startswith(("pyspark", "py4j")):
                raise
            _reject(f"{file}: Spark 无法读取或处理该文件，应为企业记录 CSV 或 Parquet"
                    f"（{_spark_reason(exc)}）")
    _check_reconciles(file, res)
    report = {"source": str(file), "engine": res.engine, "concordance": res.concordance,
              "aggregate_first": aggregate_first, "units": {"input": "万元", "value_added": "亿元"},
              "reconciliation_wan_yuan": res.reconciliation, "reconciles": res.reconciles,
              "outside_scope_examples": res.outside.to_dict(orient="records"),
              "bad_record_examples": res.bad.head(10).to_dict(orient="records")}
    _write_all([(out, lambda p: _write_frame(res.accounts, p)),
                (bad_path, lambda p: res.bad.to_csv(p, index=False)),
                (rec_path, lambda p: p.write_text(json.dumps(report, ensure_ascii=False, indent=2,
                                                              default=str), encoding="utf-8"))])
    r = res.reconciliation
    _say(f"记录 {r['records']} 条；问题记录 {r['bad_records']} 条；"
               f"增加值合计 {_yi(r['input_va'])} 亿元 = 范围内 {_yi(r['in_scope_va'])}"
               f" + 范围外 {_yi(r['outside_va'])} + 问题记录 {_yi(r['bad_va'])}"
               f"{'（已核对）' if res.reconciles else '（不平衡！）'}")
    for row in res.bad.head(5).itertuples(index=False):
        _say(f"  {file}:{row.row}:{row.column}: {row.reason}（取值 '{row.found}'）")
    if into_store:
        from digecon.ingest import write_frame
        from digecon.measure.demo import store_frame
        from digecon.store import Store

        # Accounts computed from generated records must never pass as real ones.
        status = "synthetic" if _is_synthetic(file) else "derived"
        frame = store_frame(res, status=status, source=f"digecon measure enterprises {file.name}")
        n = write_frame(Store(db), frame, status=status, vintage=dt.date.today().isoformat(),
                        source=frame.source.iloc[0], origin=str(file))
        _say(f"已写入数据库 {n} 条（di_va，状态 {status}）")
    _say(f"已写出 {out}、{bad_path}")
    if r["bad_records"]:
        sys.exit(EXIT_BAD_RECORDS)


def _check_reconciles(file: Path, res) -> None:
    """Accounts whose parts do not add up to the input are not written (exit 2, not 0)."""
    import math

    r = res.reconciliation
    if res.reconciles and all(math.isfinite(v) for v in r.values()):
        return
    cells = _non_finite_cells(file)
    if cells:
        lines = "\n".join(f"  {file}:{row}:{col}: 取值 '{text}'，应为有限数值（万元）"
                           for row, col, text in cells)
        _reject(f"{file}: 有 {len(cells)}{'+' if len(cells) >= 5 else ''} 个金额不是有限数值"
                f"（inf / NaN），无法核算；未写出任何文件\n{lines}")
    _reject(f"{file}: 增加值不平衡：合计 {r['input_va']} 万元 ≠ 范围内 {r['in_scope_va']} + 范围外 "
            f"{r['outside_va']} + 问题记录 {r['bad_va']}，结果不可信；未写出任何文件")


def _is_synthetic(file: Path) -> bool:
    """True when the records carry the synthetic generator's label (column data_status)."""
    import duckdb

    reader = "read_parquet" if file.suffix.lower() == ".parquet" else "read_csv"
    con = duckdb.connect()
    try:
        cols = [c[0] for c in con.execute(f"SELECT * FROM {reader}(?) LIMIT 0", [str(file)]).description]
        if "data_status" not in cols:
            return False
        return bool(con.execute(f"SELECT bool_or(data_status = 'synthetic') FROM {reader}(?)",
                                [str(file)]).fetchone()[0])
    finally:
        con.close()


@measure.command("growth-accounting")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--delta-ict", type=float, default=0.20, show_default=True, help="ICT 资本折旧率 δ_ICT。")
@click.option("--delta-nonict", type=float, default=0.08, show_default=True, help="非 ICT 资本折旧率。")
@click.option("--rho", type=float, default=0.04, show_default=True, help="使用者成本中的实际利率 ρ。")
@click.option("--initial", type=click.Choice(["growth", "first"]), default="growth", show_default=True,
              help="初始资本存量：growth = I0/(P0(g+δ))；first = I0/P0。")
@click.option("--init-years", type=int, default=5, show_default=True, help="计算 g 的年数。")
@click.option("--sensitivity", "sens_out", type=click.Path(path_type=Path), default=None,
              help="敏感性表（δ_ICT × ρ × 初始存量规则），默认 <out>.sensitivity.csv。")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="结果 CSV（行业×年份）。")
def growth_accounting_cmd(file: Path, delta_ict: float, delta_nonict: float, rho: float,
                          initial: str, init_years: int, sens_out: Path | None, out: Path) -> None:
    """增长核算测算产业数字化增加值（ICT 资本贡献 × 行业增加值）。

    FILE 为 CSV，每个 行业×年份 一行：industry, year, va（现价增加值）, va_real（不变价）,
    labour, labour_compensation, inv_ict, p_ict, inv_nonict, p_nonict[, traditional]。
    写出 <out>（行业×年份明细）、<out>.id_totals.csv（按年合计）和敏感性表。

    \b
    Example:
      digecon measure growth-accounting industries.csv --delta-ict 0.25 --rho 0.05 --out id.csv
    """
    from digecon.measure.growth import (
        GAParams,
        GrowthInputError,
        growth_accounting,
        id_totals,
        read_inputs,
        sensitivity,
    )

    _check_out(out, (".csv",))
    stem = out.with_suffix("")
    totals_path = Path(f"{stem}.id_totals.csv")
    sens_path = sens_out or Path(f"{stem}.sensitivity.csv")
    _check_out(sens_path, (".csv",), "--sensitivity")
    _check_targets(out, totals_path, sens_path)
    try:
        params = GAParams(delta_ict, delta_nonict, rho, initial, init_years)
        inputs = read_inputs(file)
    except (GrowthInputError, ValueError) as exc:
        _reject(str(exc))
    if "traditional" in inputs and not inputs.traditional.any():
        _reject(f"{file}:traditional: 没有一行为 true，应至少有一个传统产业（traditional 为 true），"
                f"产业数字化增加值只在传统产业上合计")
    with _progress() as prog:
        prog.add_task("增长核算与敏感性分析 …", total=None)
        try:
            result = growth_accounting(inputs, params)
        except GrowthInputError as exc:
            _reject(f"{file}: {exc}；可改用 --initial first 或调整 --init-years")
        totals = id_totals(result)
        sens = sensitivity(inputs, base=params)
    _write_all([(out, lambda p: _write_frame(result.assign(**params.__dict__), p)),
                (totals_path, lambda p: totals.to_csv(p, index=False)),
                (sens_path, lambda p: sens.to_csv(p, index=False))])
    last = totals.iloc[-1]
    _say(f"{int(last.year)}年产业数字化增加值 {format_number(last.id_va, 2)}（占传统产业增加值 "
               f"{format_number(last.id_share_of_va, 2)}%）；δ_ICT={delta_ict}, ρ={rho}, 初始存量={initial}")
    unusable = sens[sens.note != ""].drop_duplicates(["delta_ict", "rho", "initial"])
    if len(unusable):
        _say(f"敏感性表 {sens_path} 中有 {len(unusable)} 组参数无法用于这些输入（数值留空，原因见 note 列），"
             f"例如：{unusable.note.iloc[0]}")


@measure.command("synthetic")
@click.option("--records", type=int, default=100_000, show_default=True, help="记录条数。")
@click.option("--seed", type=int, default=2022, show_default=True)
@click.option("--years", default=None,
              help="年份，逗号分隔；默认为内置数据集报告规格（report.yaml）report.year 的前一年和当年。")
@click.option("--cities", type=click.Path(path_type=Path), default=None,
              help="设区市权重 CSV（列 region_code, gdp_weight, digital_intensity）；"
                   "默认内置数据集的 synthetic/cities.csv。")
@click.option("--out", type=click.Path(path_type=Path), required=True, help=".parquet 或 .csv。")
def synthetic_cmd(records: int, seed: int, years: str | None, cities: Path | None,
                  out: Path) -> None:
    """生成确定性的合成企业记录（标注为 synthetic，非真实数据）。

    企业按 --cities 文件中各设区市的 gdp_weight 分布；digital_intensity 是虚构的相对概率
    （非估计值）。年份与城市权重默认都取自同一个内置数据集（$DIGECON_DATASETS 可改）。

    \b
    Example:
      digecon measure synthetic --records 1000000 --seed 7 --out synthetic.parquet
      digecon measure synthetic --years 2021,2022 --cities my_cities.csv --out s.parquet
    """
    from digecon.measure import synthetic
    from digecon.store.datasets import DatasetError

    _check_out(out, (".csv", ".parquet"))
    if records < 1:
        _reject(f"--records: 取值 {records}，应为正整数")
    try:
        yrs = tuple(int(y) for y in years.split(",")) if years is not None else None
    except ValueError:
        _reject(f"--years: 取值 '{years}'，应为逗号分隔的年份，如 2020,2021")
    _check_targets(out)
    if yrs is None:
        try:
            yrs = synthetic.default_years()
        except DatasetError as exc:
            _reject(f"未给 --years，年份取自数据集的报告规格，但规格不可用：{exc}；"
                    f"请用 --years 指定，如 2020,2021")
    try:
        synthetic.read_cities(cities)  # checked whole before anything is written
    except DatasetError as exc:
        _reject(str(exc))
    with _progress() as prog:
        prog.add_task(f"生成 {records} 条合成记录 …", total=None)
        synthetic.write(out, records, seed, yrs, cities)
    _say(f"已写出 {out}（合成数据 synthetic，seed={seed}，年份 {','.join(map(str, yrs))}）")
