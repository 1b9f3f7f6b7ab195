"""Where each staged source's fields came from (file, sheet, column), kept once per source."""
from __future__ import annotations

import duckdb


def register_source(con: duckdb.DuckDBPyConnection, file: str, sheet: str,
                    columns: dict[str, str], melt_as: str = "") -> int:
    """Record where each field of a staged source came from; returns the source's number.

    Errors name file, sheet and column from this small table, so the staged rows themselves
    carry no repeated strings (cheaper to validate a million rows).
    """
    con.execute("""CREATE TEMP TABLE IF NOT EXISTS staged_sources (
        _src INTEGER, file VARCHAR, sheet VARCHAR, columns MAP(VARCHAR, VARCHAR),
        melt_as VARCHAR)""")
    src = con.execute("SELECT count(*) FROM staged_sources").fetchone()[0]
    con.execute("INSERT INTO staged_sources VALUES (?, ?, ?, MAP(?, ?), ?)",
                [src, file, sheet, list(columns), list(columns.values()), melt_as])
    return int(src)


def source_map(con: duckdb.DuckDBPyConnection) -> dict[int, dict]:
    rows = con.execute("SELECT _src, file, sheet, columns, melt_as FROM staged_sources").fetchall()
    return {r[0]: {"file": r[1], "sheet": r[2], "columns": dict(r[3]), "melt_as": r[4]}
            for r in rows}
