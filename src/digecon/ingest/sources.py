"""Where each staged source's fields came from (file, sheet, column), kept once per source."""
from __future__ import annotations

from pathlib import Path

import duckdb


def register_source(con: duckdb.DuckDBPyConnection, file: str, sheet: str,
                    columns: dict[str, str], melt_as: str = "", lines_file: str = "") -> int:
    """Record where each field of a staged source came from; returns the source's number.

    Errors name file, sheet and column from this small table, so the staged rows themselves
    carry no repeated strings (cheaper to validate a million rows). `lines_file`: a CSV whose
    rows are numbered by position, to be turned into the file's own lines for the rows shown.
    """
    con.execute("""CREATE TEMP TABLE IF NOT EXISTS staged_sources (
        _src INTEGER, file VARCHAR, sheet VARCHAR, columns MAP(VARCHAR, VARCHAR),
        melt_as VARCHAR, lines_file VARCHAR)""")
    src = con.execute("SELECT count(*) FROM staged_sources").fetchone()[0]
    con.execute("INSERT INTO staged_sources VALUES (?, ?, ?, MAP(?, ?), ?, ?)",
                [src, file, sheet, list(columns), list(columns.values()), melt_as, lines_file])
    return int(src)


def source_map(con: duckdb.DuckDBPyConnection) -> dict[int, dict]:
    rows = con.execute("SELECT _src, file, sheet, columns, melt_as, lines_file "
                       "FROM staged_sources").fetchall()
    return {r[0]: {"file": r[1], "sheet": r[2], "columns": dict(r[3]), "melt_as": r[4],
                   "lines_file": r[5] or ""} for r in rows}


def file_lines(path: str) -> list[int] | None:
    """The line numbers of a CSV's non-empty lines (header first), or None when it has no
    empty line before its end: the reader skips empty lines, so a record's position and its
    line differ only then. Read only to report problems, never on the way to a write."""
    data = Path(path).read_bytes().rstrip(b"\r\n")
    if b"\n\n" not in data and b"\n\r\n" not in data:
        return None
    return [i for i, text in enumerate(data.split(b"\n"), start=1) if text.rstrip(b"\r")]
