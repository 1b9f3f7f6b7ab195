"""Ingest files into the store: stage every file, validate all of it, then append in one go."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb

from digecon.store import Store
from digecon.store.store import file_sha256

from .reader import ReadError, stage_csv, stage_xlsx
from .write import write_staged

SUPPORTED = (".csv", ".txt", ".xlsx", ".xlsm")


def ingest_files(store: Store, paths: list[Path], *, status: str | None = None,
                 vintage: str | dt.date | None = None, source: str | None = None,
                 indicator: str | None = None, period: str | None = None,
                 sheet: str | None = None,
                 on_stage: Callable[[str], None] | None = None) -> int:
    """Append all rows of all files, or nothing; raises ReadError or ValidationError."""
    for path in paths:
        if not path.exists():
            raise ReadError(f"{path}: found 文件不存在, expected 可读取的 CSV 或 XLSX 文件")
        if not path.is_file():
            raise ReadError(f"{path}: found 目录或特殊文件, expected 可读取的 CSV 或 XLSX 文件")
        if path.suffix.lower() not in SUPPORTED:
            raise ReadError(f"{path}: found 扩展名「{path.suffix}」, expected .csv 或 .xlsx")
        if path.stat().st_size == 0:
            raise ReadError(f"{path}: found 空文件, expected 带表头的数据")
    scratch: list[Path] = []
    notify = on_stage or (lambda _msg: None)

    def stage(con: duckdb.DuckDBPyConnection) -> None:
        parts = []
        for i, path in enumerate(paths):
            notify(f"读取 {path.name}")
            target = "staged" if len(paths) == 1 else f"staged_{i}"
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                stage_xlsx(con, path, store.catalog, indicator, period, sheet, target)
            else:
                stage_csv(con, path, store.catalog, indicator, period, scratch, target)
            parts.append(f"SELECT * FROM {target}")
        if len(parts) > 1:
            con.execute("CREATE OR REPLACE TEMP VIEW staged AS " + " UNION ALL ".join(parts))
        notify("校验")

    origin = ", ".join(str(p) for p in paths)
    default_source = source or ", ".join(p.name for p in paths)
    try:
        return write_staged(store, stage, status=status, vintage=vintage,
                            source=default_source, origin=origin,
                            sha256=",".join(file_sha256(p) for p in paths))
    except duckdb.InvalidInputException as exc:
        # The CSV is parsed lazily; a malformed line deep in the file surfaces here.
        first = str(exc).splitlines()[0]
        raise ReadError(f"{origin}: found 无法解析的 CSV 内容（{first}）, expected 每行列数与表头一致的 CSV") from exc
    finally:
        for tmp in scratch:
            tmp.unlink(missing_ok=True)
