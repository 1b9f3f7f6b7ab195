"""Reading CSV and XLSX files, long or wide, into the staged table that validation checks."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from digecon.catalog import Catalog

from .sources import register_source
from .validate import FIELDS

HEADER_ALIASES = {
    "region": ("region", "region_code", "region_name", "地区", "地区名称", "地区代码", "城市",
               "设区市", "省份", "行政区划代码"),
    "indicator": ("indicator", "indicator_code", "指标", "指标代码", "指标名称"),
    "period": ("period", "year", "时期", "年份", "年度", "时间"),
    "value": ("value", "数值", "值", "指标值"),
    "unit": ("unit", "单位", "计量单位"),
    "status": ("status", "状态", "数据状态"),
    "qualifier": ("qualifier", "限定词"),
    "vintage": ("vintage", "版本", "发布日期"),
    "source": ("source", "来源", "数据来源"),
    "section": ("section", "章节"),
    "ref": ("ref", "出处", "图表"),
    "quote": ("quote", "原文"),
    "formula": ("formula", "公式"),
    "inputs": ("inputs",),
    "note": ("note", "备注", "说明"),
}
PERIOD_HEADER = re.compile(r"^\d{4}(年)?$|^\d{4}-(0[1-9]|1[0-2])$|^\d{4}-\d{4}$")
SKIP_SHEETS = re.compile(r"^(说明|填报说明|readme|_)", re.IGNORECASE)


class ReadError(Exception):
    """The file cannot be read as a table at all (missing, empty, no header we recognise)."""


@dataclass
class Layout:
    fields: dict[str, str]      # field -> header it came from
    melt: list[str]             # headers to unpivot (wide layouts), else []
    melt_as: str = ""           # "period" or "indicator"


def _field_of(header: str) -> str | None:
    h = header.strip().lower()
    for field, names in HEADER_ALIASES.items():
        if h in names:
            return field
    return None


def detect_layout(headers: list[str], catalog: Catalog, where: str,
                  indicator: str | None, period: str | None) -> Layout:
    fields: dict[str, str] = {}
    rest: list[str] = []
    for h in headers:
        f = _field_of(h)
        if f and f not in fields:
            fields[f] = h
        else:
            rest.append(h)
    if "region" not in fields:
        raise ReadError(f"{where}:1: found 表头 {headers}, expected 一列地区（region / 地区）")
    if "value" in fields:
        missing = [f for f in ("indicator", "period") if f not in fields]
        if missing and not (set(missing) <= {"indicator"} and indicator or
                            set(missing) <= {"period"} and period):
            raise ReadError(f"{where}:1: found 表头 {headers}, expected 长表的列 region, "
                            f"indicator, period, value（缺少 {', '.join(missing)}）")
        return Layout(fields, [])
    period_cols = [h for h in rest if PERIOD_HEADER.match(h.strip())]
    if period_cols:
        if "indicator" not in fields and not indicator:
            raise ReadError(f"{where}:1: 宽表（各列为时期）found 无指标列, expected 一列 "
                            "indicator / 指标，或用 --indicator 指定")
        return Layout(fields, period_cols, "period")
    ind_cols = [h for h in rest if catalog.has_indicator(h.strip())
                or _is_indicator_name(catalog, h.strip())]
    if ind_cols:
        if "period" not in fields and not period:
            raise ReadError(f"{where}:1: 宽表（各列为指标）found 无时期列, expected 一列 "
                            "period / 年份，或用 --period 指定")
        return Layout(fields, ind_cols, "indicator")
    raise ReadError(f"{where}:1: found 表头 {headers}, expected 长表（region, indicator, period, "
                    "value）或宽表（地区 + 各年份列，或 地区 + 各指标列）")


def _is_indicator_name(catalog: Catalog, name: str) -> bool:
    try:
        catalog.indicator(name)
        return True
    except KeyError:
        return False


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def stage_table(con: duckdb.DuckDBPyConnection, source_sql: str, file: str, sheet: str,
                layout: Layout, indicator: str | None, period: str | None,
                target: str = "staged", lines_file: str = "") -> None:
    """Create view `target`: _src, _row, _vcol and every field as a string (NULL if absent)."""
    defaults = {"indicator": indicator, "period": period}
    columns: dict[str, str] = {}
    select = []
    for field in FIELDS:
        if layout.melt and field == "value":
            select.append("CAST(_melt_value AS VARCHAR) AS value")
        elif layout.melt and field == layout.melt_as:
            select.append(f"_melt_name AS {field}")
        elif field in layout.fields:
            select.append(f"CAST({_quote(layout.fields[field])} AS VARCHAR) AS {field}")
            columns[field] = layout.fields[field]
        elif defaults.get(field):
            select.append(f"{_literal(defaults[field])} AS {field}")
            columns[field] = f"--{field}"
        else:
            select.append(f"NULL::VARCHAR AS {field}")
    src_id = register_source(con, file, sheet, columns, layout.melt_as if layout.melt else "",
                             lines_file)
    head = [f"{src_id} AS _src", "_row"]
    if layout.melt:
        melted = ", ".join(_quote(c) for c in layout.melt)
        src = (f"(UNPIVOT (SELECT * FROM {source_sql}) ON {melted} "
               f"INTO NAME _melt_name VALUE _melt_value)")
        head.append("_melt_name AS _vcol")
        where = "WHERE trim(CAST(_melt_value AS VARCHAR)) <> ''"
    else:
        src = f"(SELECT * FROM {source_sql})"
        head.append("NULL::VARCHAR AS _vcol")
        value_col = _quote(layout.fields["value"])
        where = f"WHERE trim(CAST({value_col} AS VARCHAR)) <> ''"
    # A view: validation materialises it once; the strings it would repeat on every row
    # (file, column names) live in staged_sources instead.
    con.execute(f"CREATE OR REPLACE TEMP VIEW {target} AS SELECT {', '.join(head + select)} "
                f"FROM {src} {where}")


def _utf8_path(path: Path, scratch: list[Path]) -> Path:
    """DuckDB reads UTF-8; files saved by Excel in China are often GB18030: transcode those."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    try:
        head.decode("utf-8")
        return path
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a multi-byte char cut by the sample boundary
            return path
    try:
        text = path.read_bytes().decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{path}: found 无法识别的文字编码（字节 {exc.start}）, expected UTF-8 或 GB18030")
    tmp = path.with_name(f".{path.name}.utf8.csv")
    tmp.write_text(text, encoding="utf-8")
    scratch.append(tmp)
    return tmp


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, catalog: Catalog,
              indicator: str | None, period: str | None, scratch: list[Path],
              target: str = "staged") -> None:
    readable = _utf8_path(path, scratch)
    lit = str(readable).replace("'", "''")
    raw = f"raw_{target}"
    try:
        # The file is read once into a temp table, in parallel and in file order. (Numbering
        # rows with row_number() OVER () over the reader makes the whole read, and every join
        # after it, run on one thread.)
        con.execute(f"""CREATE OR REPLACE TEMP TABLE {raw}_lines AS
            SELECT * FROM read_csv('{lit}', all_varchar = true, header = true,
                                   auto_detect = true, null_padding = true,
                                   strict_mode = false)""")
    except duckdb.InvalidInputException as exc:
        first = str(exc).splitlines()[0]
        raise ReadError(f"{path}: found 无法解析的 CSV 内容（{first}）, "
                        "expected 每行列数与表头一致的 CSV") from None
    except duckdb.Error as exc:
        raise ReadError(f"{path}: found 无法解析为 CSV（{str(exc).splitlines()[0]}）, expected 带表头的 CSV 文件")
    _number_lines(con, raw)
    headers = [c[0] for c in con.execute(f"SELECT * FROM {raw} LIMIT 0").description][1:]
    layout = detect_layout(headers, catalog, str(path), indicator, period)
    stage_table(con, raw, str(path), "", layout, indicator, period, target,
                lines_file=str(readable))


def _number_lines(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    """View `raw`: the rows of table `{raw}_lines` with `_row` = position + 2 (header = line 1).

    Row ids of a freshly filled table are consecutive in insertion (= file) order, starting
    wherever the transaction's storage starts. The reader skips empty lines, so after one the
    position runs behind the file's line; the rows shown in an error report are corrected
    then (`sources.file_lines`), which keeps the file out of the way of a clean load.
    """
    first, last, n = con.execute(f"SELECT min(rowid), max(rowid), count(*) FROM {raw}_lines"
                                 ).fetchall()[0]
    if n and last - first + 1 == n:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {raw} AS "
                    f"SELECT rowid - {int(first)} + 2 AS _row, * FROM {raw}_lines")
    else:  # not expected; numbering in order on one thread is always right
        con.execute(f"CREATE OR REPLACE TEMP VIEW {raw} AS "
                    f"SELECT row_number() OVER () + 1 AS _row, * FROM {raw}_lines")

def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def stage_xlsx(con: duckdb.DuckDBPyConnection, path: Path, catalog: Catalog,
               indicator: str | None, period: str | None, sheet: str | None,
               target: str = "staged") -> list[str]:
    """Stage every data sheet (or the named one); returns the sheet names staged."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises several unrelated types
        raise ReadError(f"{path}: found 无法打开的 Excel 文件（{exc}）, expected .xlsx 工作簿")
    frames = []
    staged_sheets = []
    try:
        for ws in book.worksheets:
            if sheet and ws.title != sheet:
                continue
            if not sheet and (SKIP_SHEETS.match(ws.title) or ws.sheet_state != "visible"):
                continue
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            headers = [str(h).strip() if h is not None else f"列{i + 1}"
                       for i, h in enumerate(header)]
            where = f"{path}:{ws.title}"
            layout = detect_layout(headers, catalog, where, indicator, period)
            data = [[_cell_text(v) for v in r] for r in rows]
            df = pd.DataFrame(data, columns=headers, dtype="string")
            df.insert(0, "_row", range(2, len(df) + 2))
            con.register("xlsx_sheet", df)
            con.execute("CREATE OR REPLACE TEMP TABLE raw_sheet AS SELECT * FROM xlsx_sheet")
            con.unregister("xlsx_sheet")
            stage_table(con, "raw_sheet", str(path), ws.title, layout, indicator, period,
                        "sheet_view")
            frames.append(con.execute("SELECT * FROM sheet_view").df())
            staged_sheets.append(ws.title)
    finally:
        book.close()
    if sheet and not staged_sheets:
        raise ReadError(f"{path}: found 无工作表「{sheet}」, expected 工作簿中存在的工作表")
    if not frames:
        raise ReadError(f"{path}: found 没有可读取的数据工作表, expected 至少一个带表头的工作表")
    all_rows = pd.concat(frames, ignore_index=True)
    con.register("all_sheets", all_rows)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM all_sheets")
    con.unregister("all_sheets")
    return staged_sheets
