"""Where each staged source's fields came from (file, sheet, column), kept once per source."""
from __future__ import annotations

from pathlib import Path

import duckdb


def register_source(con: duckdb.DuckDBPyConnection, file: str, sheet: str,
                    columns: dict[str, str], melt_as: str = "", lines_file: str = "",
                    skip_lines: list[int] | None = None) -> int:
    """Record where each field of a staged source came from; returns the source's number.

    Errors name file, sheet and column from this small table, so the staged rows themselves
    carry no repeated strings (cheaper to validate a million rows). `lines_file`: a CSV whose
    rows are numbered by position, to be turned into the file's own lines for the rows shown;
    `skip_lines`: the lines of records the reader refused (they hold no position).
    """
    con.execute("""CREATE TEMP TABLE IF NOT EXISTS staged_sources (
        _src INTEGER, file VARCHAR, sheet VARCHAR, columns MAP(VARCHAR, VARCHAR),
        melt_as VARCHAR, lines_file VARCHAR, skip_lines INTEGER[])""")
    src = con.execute("SELECT count(*) FROM staged_sources").fetchall()[0][0]
    con.execute("INSERT INTO staged_sources VALUES (?, ?, ?, MAP(?, ?), ?, ?, ?)",
                [src, file, sheet, list(columns), list(columns.values()), melt_as, lines_file,
                 list(skip_lines or [])])
    return int(src)


def source_map(con: duckdb.DuckDBPyConnection) -> dict[int, dict]:
    rows = con.execute("SELECT _src, file, sheet, columns, melt_as, lines_file, skip_lines "
                       "FROM staged_sources").fetchall()
    return {r[0]: {"file": r[1], "sheet": r[2], "columns": dict(r[3]), "melt_as": r[4],
                   "lines_file": r[5] or "", "skip_lines": set(r[6] or ())} for r in rows}


def where(source: dict) -> str:
    """FILE or FILE:SHEET, as messages name a source."""
    return f"{source['file']}:{source['sheet']}" if source["sheet"] else source["file"]


def record_lines(path: str, skip: set[int] = frozenset()) -> list[int] | None:
    """The line on which each record of a CSV starts (header first), leaving out the records
    the reader refused (`skip`); None when record k is simply on line k.

    The reader skips empty lines and a quoted cell may hold line breaks, so a record's position
    and its line differ only then. With `"` as both quote and escape, a line break is inside a
    cell exactly when an odd number of quotes precede it in the record. Read only to report
    problems, never on the way to a write.
    """
    data = Path(path).read_bytes()
    body = data.rstrip(b"\r\n")
    if (not skip and b'"' not in data and b"\n\n" not in body and b"\n\r\n" not in body
            and not data.startswith((b"\n", b"\r\n"))):
        return None
    starts = []
    quoted = False
    for number, text in enumerate(data.split(b"\n"), start=1):
        if not quoted and text.rstrip(b"\r"):
            starts.append(number)
        if text.count(b'"') % 2:
            quoted = not quoted
    return [n for n in starts if n not in skip]
