"""Reading CSV and XLSX files, long or wide, into the staged views that validation checks.

`prepare` does what can be done before the store is locked (a workbook is parsed whole, a CSV's
encoding and header are settled); `Prepared.stage` then makes the views inside the write
transaction. Problems the reader finds itself (a record with too many fields, a formula with
no result) go to temp table `read_problems` and are reported with the validation's.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from digecon.catalog import Catalog

from .csvread import CsvFile, open_csv, read_rows
from .errors import ReadError
from .layout import (
    HEADER_ALIASES,
    PERIOD_HEADER,
    Layout,
    detect_layout,
    ignored_notice,
    plain_header,
    recognised,
)
from .sources import record_lines, register_source
from .table import Table, read_table
from .validate import FIELDS
from .values import no_data_sql
from .xlsxread import read_xlsx

__all__ = ["HEADER_ALIASES", "PERIOD_HEADER", "Prepared", "ReadError", "prepare"]

SHOWN_ROWS = 5
Notice = Callable[[str], None]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Prepared:
    """A file read as far as it can be without the store: a parsed workbook, or a CSV whose
    encoding, delimiter and layout are known."""
    path: Path
    indicator: str | None
    period: str | None
    notice: Notice
    csv: CsvFile | None = None
    layout: Layout | None = None
    sheets: list[Table] = field(default_factory=list)   # tables of a workbook or a laid-out CSV

    def close(self) -> None:
        if self.csv is not None:
            self.csv.close()

    def stage(self, con: duckdb.DuckDBPyConnection, target: str) -> None:
        """Create view (or table) `target` of this file's staged rows; ReadError if the file
        has no value to write."""
        if self.csv is not None and self.layout is not None:
            self._stage_csv(con, target)
        else:
            self._stage_sheets(con, target)

    def _stage_csv(self, con: duckdb.DuckDBPyConnection, target: str) -> None:
        csv, layout = self.csv, self.layout
        lines = f"{target}_lines"
        rejected = csv.read(con, lines)
        _number_rows(con, lines)
        raw = f"{target}_raw"
        cols = ", ".join(f"c{i} AS {_quote(_name(layout, i))}" for i in layout.used())
        con.execute(f"CREATE OR REPLACE TEMP VIEW {raw} AS SELECT _row, {cols} FROM {lines}")
        skip = [r.line for r in rejected]
        src = stage_table(con, raw, str(self.path), "", layout, self.indicator, self.period,
                          target, lines_file=csv.readable, skip_lines=skip)
        problems = [(r.line, r.column, r.message) for r in rejected if r.message]
        add_read_problems(con, src, problems)
        unnamed = [i for i in range(len(layout.headers)) if not layout.headers[i]]
        layout.ignored += [i for i in unnamed if con.execute(
            f"SELECT count(*) FROM {lines} WHERE trim(c{i}) <> ''").fetchall()[0][0]]
        if layout.ignored:
            self.notice(ignored_notice(str(self.path), layout))
        empty, rows, marks = _empty_values(con, raw, layout)
        if empty or marks:  # positions to the file's lines (empty lines, breaks inside cells)
            known = record_lines(csv.readable, set(skip))
            rows = [known[r - 1] for r in rows] if known else rows
            if empty:
                self.notice(_skipped(str(self.path), empty, rows))
            for mark, at in marks.items():
                at = [known[r - 1] for r in at] if known else at
                self.notice(no_data_notice(str(self.path), mark, at))
        has_rows = bool(con.execute(f"SELECT count(*) FROM {lines}").fetchall()[0][0])
        _require_values(con, target, str(self.path), layout, empty, rows, has_rows,
                        bool(problems))

    def _stage_sheets(self, con: duckdb.DuckDBPyConnection, target: str) -> None:
        views = []
        csv_like = self.csv is not None
        for k, sh in enumerate(self.sheets):
            name = f"{target}_s{k}"
            src = stage_long(con, sh, str(self.path), "" if csv_like else sh.title, name)
            add_read_problems(con, src, sh.problems)
            add_subitems(con, src, sh.subitems)
            views.append(f"SELECT * FROM {name}")
            if sh.empty_cells:
                where = str(self.path) if csv_like else f"{self.path}:{sh.title}"
                self.notice(_skipped(where, sh.empty_cells, sh.empty_rows))
        con.execute(f"CREATE OR REPLACE TEMP VIEW {target} AS " + " UNION ALL ".join(views))
        first = self.sheets[0]
        where = (str(self.path) if csv_like else f"{self.path}:{first.title}"
                 ) if len(self.sheets) == 1 else str(self.path)
        _require_values(con, target, where, first.layout,
                        sum(sh.empty_cells for sh in self.sheets),
                        next((sh.empty_rows for sh in self.sheets if sh.empty_rows), []),
                        any(sh.data_rows for sh in self.sheets),
                        any(sh.problems for sh in self.sheets), first.header_row + 1)


def _require_values(con: duckdb.DuckDBPyConnection, target: str, where: str, layout: Layout,
                    empty: int, rows: list[int], has_rows: bool, problems: bool,
                    first_row: int = 2) -> None:
    """ReadError when a file gives nothing to write: a header only, or every value empty
    (unless the reader already found problems, which say more)."""
    if problems or con.execute(f"SELECT EXISTS (SELECT 1 FROM {target})").fetchall()[0][0]:
        return
    if not has_rows:
        raise ReadError(f"{where}:{first_row}: 发现只有表头、没有数据行，应为至少一行数据")
    column = layout.label(layout.melt[0] if layout.melt else layout.fields["value"])
    raise ReadError(f"{where}:{rows[0] if rows else first_row}:{column}: 发现全部 {empty} 个"
                    "数值单元格为空，应为至少一个数值")


def prepare(path: Path, catalog: Catalog, indicator: str | None, period: str | None,
            sheet: str | None, notice: Notice) -> Prepared:
    """Read `path` as far as possible before the store is locked (ReadError if unreadable)."""
    found = Prepared(path, indicator, period, notice)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        found.sheets = read_xlsx(path, catalog, indicator, period, sheet, notice)
        return found
    found.csv = open_csv(path)
    try:
        headers = found.csv.headers
        if recognised(headers, catalog) and all(plain_header(h, catalog) for h in headers):
            found.layout = detect_layout(headers, catalog, str(path), indicator, period)
        else:  # a title or 单位 line first, units in the header: read as a laid-out table
            table = read_table(str(path), read_rows(found.csv), catalog, indicator=indicator,
                               period=period, notice=notice)
            found.sheets = [table]
    except ReadError:
        found.close()
        raise
    return found


def stage_long(con: duckdb.DuckDBPyConnection, table: Table, file: str, sheet: str,
               target: str) -> int:
    """Create table `target` of a table reader's long rows (every field as a string, NULL if
    absent); returns the source's number."""
    frame = table.frame
    con.register(f"{target}_df", frame)
    select = [f"CAST({_quote(f)} AS VARCHAR) AS {f}" if f in frame.columns
              else f"NULL::VARCHAR AS {f}" for f in FIELDS]
    src = register_source(con, file, sheet, table.columns, table.melt_as)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT {src} AS _src, "
                f"CAST(_row AS BIGINT) AS _row, CAST(_vcol AS VARCHAR) AS _vcol, "
                f"{', '.join(select)} FROM {target}_df")
    con.unregister(f"{target}_df")
    return src


def stage_table(con: duckdb.DuckDBPyConnection, source_sql: str, file: str, sheet: str,
                layout: Layout, indicator: str | None, period: str | None,
                target: str = "staged", lines_file: str = "",
                skip_lines: list[int] | None = None) -> int:
    """Create view `target`: _src, _row, _vcol and every field as a string (NULL if absent);
    returns the source's number. `source_sql` has `_row` and the layout's used columns, named
    by field (or by header, for the columns a wide layout unpivots)."""
    defaults = {"indicator": indicator, "period": period}
    columns: dict[str, str] = {}
    select = []
    for name in FIELDS:
        if layout.melt and name == "value":
            select.append("CAST(_melt_value AS VARCHAR) AS value")
        elif layout.melt and name == layout.melt_as:
            select.append(f"_melt_name AS {name}")
        elif name in layout.fields:
            select.append(f"CAST({_quote(name)} AS VARCHAR) AS {name}")
            columns[name] = layout.label(layout.fields[name])
        elif defaults.get(name):
            select.append(f"{_literal(defaults[name])} AS {name}")
            columns[name] = f"--{name}"
        else:
            select.append(f"NULL::VARCHAR AS {name}")
    src_id = register_source(con, file, sheet, columns, layout.melt_as if layout.melt else "",
                             lines_file, skip_lines)
    head = [f"{src_id} AS _src", "_row"]
    if layout.melt:
        melted = ", ".join(_quote(layout.headers[i]) for i in layout.melt)
        src = (f"(UNPIVOT (SELECT * FROM {source_sql}) ON {melted} "
               f"INTO NAME _melt_name VALUE _melt_value)")
        head.append("_melt_name AS _vcol")
        cell = "CAST(_melt_value AS VARCHAR)"
    else:
        src = f"(SELECT * FROM {source_sql})"
        head.append("NULL::VARCHAR AS _vcol")
        cell = "CAST(value AS VARCHAR)"
    # Empty cells and the marks for "no value" (—, /) are not rows; the reader says how many.
    where = f"WHERE trim({cell}) <> '' AND NOT {no_data_sql(cell)}"
    # A view: validation materialises it once; the strings it would repeat on every row
    # (file, column names) live in staged_sources instead.
    con.execute(f"CREATE OR REPLACE TEMP VIEW {target} AS SELECT {', '.join(head + select)} "
                f"FROM {src} {where}")
    return src_id


def add_read_problems(con: duckdb.DuckDBPyConnection, src: int,
                      problems: list[tuple[int, str, str]]) -> None:
    """Problems the reader found (row, column, message), reported with validation's."""
    con.execute("CREATE TEMP TABLE IF NOT EXISTS read_problems (_src INTEGER, _row INTEGER, "
                "column_name VARCHAR, message VARCHAR)")
    if problems:
        con.executemany("INSERT INTO read_problems VALUES (?, ?, ?, ?)",
                        [[src, row, column, message] for row, column, message in problems])


def add_subitems(con: duckdb.DuckDBPyConnection, src: int,
                 pairs: list[tuple[int, int, bool]]) -> None:
    """The table's 其中 structure (whole's row, part's row, flat), for validation to check."""
    if pairs:
        con.execute("CREATE TEMP TABLE IF NOT EXISTS subitems (_src INTEGER, whole BIGINT, "
                    "part BIGINT, flat BOOLEAN)")
        con.executemany("INSERT INTO subitems VALUES (?, ?, ?, ?)",
                        [[src, w, p, f] for w, p, f in pairs])


def _name(layout: Layout, index: int) -> str:
    for name, i in layout.fields.items():
        if i == index:
            return name
    return layout.headers[index]


def _number_rows(con: duckdb.DuckDBPyConnection, lines: str) -> None:
    """Add `_row` = position + 2 (header = line 1) to table `lines`, as view `lines`.

    Row ids of a freshly filled table are consecutive in insertion (= file) order, starting
    wherever the transaction's storage starts. Where the position and the file's line differ
    (empty lines, line breaks inside cells, refused records) the rows shown in an error report
    are corrected (`sources.record_lines`), which keeps the file out of the way of a clean load.
    """
    first, last, n = con.execute(f"SELECT min(rowid), max(rowid), count(*) FROM {lines}"
                                 ).fetchall()[0]
    con.execute(f"ALTER TABLE {lines} RENAME TO {lines}_t")
    if not n or last - first + 1 == n:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {lines} AS "
                    f"SELECT rowid - {int(first or 0)} + 2 AS _row, * FROM {lines}_t")
    else:  # not expected; numbering in order on one thread is always right
        con.execute(f"CREATE OR REPLACE TEMP VIEW {lines} AS "
                    f"SELECT row_number() OVER () + 1 AS _row, * FROM {lines}_t")


def _empty_values(con: duckdb.DuckDBPyConnection, raw: str,
                  layout: Layout) -> tuple[int, list[int], dict[str, list[int]]]:
    """How many value cells of non-empty rows are empty, the first rows holding one, and the
    rows of each "no value" mark (—, /) found."""
    keys = [f for f in ("region", "indicator", "period") if f in layout.fields]
    filled = " OR ".join(f"trim(coalesce({_quote(f)}, '')) <> ''" for f in keys)
    cells = ([_quote(layout.headers[i]) for i in layout.melt] if layout.melt
             else [_quote("value")])
    empty = " + ".join(f"(trim(coalesce({c}, '')) = '')::INTEGER" for c in cells)
    marks = " + ".join(f"({no_data_sql(c)})::INTEGER" for c in cells)
    n, rows, m = con.execute(f"""SELECT coalesce(sum(e), 0),
            (list(_row ORDER BY _row) FILTER (WHERE e > 0))[1:{SHOWN_ROWS}], coalesce(sum(m), 0)
        FROM (SELECT _row, {empty} AS e, {marks} AS m FROM {raw} WHERE {filled})""").fetchall()[0]
    found: dict[str, list[int]] = {}
    if m:
        for c in cells:
            for mark, row in con.execute(f"""SELECT trim({c}), _row FROM {raw}
                    WHERE {no_data_sql(c)} ORDER BY _row""").fetchall():
                found.setdefault(mark, []).append(row)
    return int(n or 0), list(rows or []), found


def no_data_notice(where: str, mark: str, rows: list[int]) -> str:
    shown = "、".join(str(r) for r in rows[:SHOWN_ROWS]) + ("…" if len(rows) > SHOWN_ROWS else "")
    return f"{where}: {len(rows)} 个单元格为「{mark}」（无数据），未导入（第 {shown} 行）"


def _skipped(where: str, n: int, rows: list[int]) -> str:
    more = len(rows) >= SHOWN_ROWS and n > len(rows)
    shown = "、".join(str(r) for r in rows[:SHOWN_ROWS]) + ("…" if more else "")
    return f"{where}: 跳过 {n} 个空数值单元格（第 {shown} 行）"
