"""Ingest files into the store: read every file, stage and validate all of it, append in one go.

Workbooks are parsed and CSV encodings settled before the store is locked; inside the write
only DuckDB's parallel CSV read, the validation and the append remain.
"""
from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Callable
from pathlib import Path

import duckdb

from digecon.store import Store
from digecon.store.connection import StoreNotFoundError
from digecon.store.store import file_sha256

from .errors import ReadError, WriteError
from .reader import Prepared, prepare
from .validate import ALLOW_IMPLAUSIBLE
from .write import write_staged
from .xlsxread import check_container

__all__ = ["SUPPORTED", "WriteError", "ingest_files"]

SUPPORTED = (".csv", ".txt", ".xlsx", ".xlsm")


def ingest_files(store: Store, paths: list[Path], *, status: str | None = None,
                 vintage: str | dt.date | None = None, source: str | None = None,
                 indicator: str | None = None, period: str | None = None,
                 sheet: str | None = None, allow_implausible: bool = False,
                 on_stage: Callable[[str], None] | None = None,
                 on_notice: Callable[[str], None] | None = None) -> int:
    """Append all rows of all files, or nothing; returns the rows written (derived included).

    Raises ReadError (a file cannot be read), ValidationError (every problem of the batch) or
    WriteError (the store cannot be written). `on_notice` hears what was skipped: empty value
    cells, notes sheets, unknown columns. `allow_implausible` lets negative levels, odd periods
    and future vintages through.
    """
    paths = [Path(p) for p in paths]
    for path in paths:
        _check_path(path)
    notify = on_stage or (lambda _msg: None)
    notice = on_notice or (lambda _msg: None)
    prepared: list[Prepared] = []
    try:
        for path in paths:
            notify(f"读取 {path.name}")
            prepared.append(prepare(path, store.catalog, indicator, period, sheet, notice))

        def stage(con: duckdb.DuckDBPyConnection) -> None:
            con.execute(f"SET VARIABLE {ALLOW_IMPLAUSIBLE} = {bool(allow_implausible)}")
            for i, found in enumerate(prepared):
                notify(f"暂存 {found.path.name}")
                found.stage(con, "staged" if len(prepared) == 1 else f"staged_{i}")
            if len(prepared) > 1:
                con.execute("CREATE OR REPLACE TEMP VIEW staged AS " + " UNION ALL ".join(
                    f"SELECT * FROM staged_{i}" for i in range(len(prepared))))
            notify("校验")

        origin = ", ".join(str(p) for p in paths)
        default_source = source or ", ".join(p.name for p in paths)
        try:
            return write_staged(store, stage, status=status, vintage=vintage,
                                source=default_source, origin=origin,
                                sha256=",".join(file_sha256(p) for p in paths),
                                on_notice=notice)
        except StoreNotFoundError:
            raise  # a mistyped --db: the store's own message says so
        except (OSError, duckdb.IOException, duckdb.TransactionException,
                duckdb.FatalException) as exc:
            raise _write_error(store.path, exc) from exc
    finally:
        for found in prepared:
            found.close()


def _check_path(path: Path) -> None:
    if not path.exists():
        raise ReadError(f"{path}: 发现文件不存在，应为可读取的 CSV 或 XLSX 文件")
    if not path.is_file():
        raise ReadError(f"{path}: 发现目录或特殊文件，应为可读取的 CSV 或 XLSX 文件")
    if path.suffix.lower() == ".xls":
        check_container(path)
    if path.suffix.lower() not in SUPPORTED:
        raise ReadError(f"{path}: 发现扩展名「{path.suffix}」，应为 .csv 或 .xlsx")
    if path.stat().st_size == 0:
        raise ReadError(f"{path}: 发现空文件，应为带表头的数据")


def _write_error(db: Path, exc: BaseException) -> WriteError:
    """The store's own failure in plain words. A failed commit is followed by a failed
    rollback in the store's handler, so the cause is looked for down the exception chain."""
    causes = []
    while exc is not None and len(causes) < 10:
        causes.append(exc)
        exc = exc.__context__ or exc.__cause__
    text = " / ".join(str(c).splitlines()[0] for c in causes if str(c))
    codes = {getattr(c, "errno", None) for c in causes}
    if errno.ENOSPC in codes or "No space left" in text:
        why, hint = "磁盘已满", "有足够空间的磁盘：清理空间或用 --db 换一个位置"
    elif codes & {errno.EACCES, errno.EPERM, errno.EROFS} or any(
            s in text for s in ("Permission denied", "Read-only file system")):
        why, hint = "目录不可写", "可写的目录：检查权限，或用 --db 指定可写的位置"
    else:
        why, hint = "存储出错", "可写入的数据库文件：检查磁盘与权限，或用 --db 换一个位置"
    return WriteError(f"{db}: 发现无法写入数据库（{why}：{text}），应为{hint}")
