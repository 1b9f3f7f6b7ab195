"""Opening the DuckDB file: one writer at a time across processes, readers retry while it writes."""
from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

DEFAULT_DB = "digecon.duckdb"
LOCK_WAIT_SECONDS = 30.0


class StoreLockedError(RuntimeError):
    """Another process holds the store for longer than we are willing to wait."""


# Files this process serves (digecon serve): one DuckDB instance each, opened read-write for
# the life of the process. Every connection to such a file is a cursor of that instance, so
# readers see a consistent snapshot while an upload is being written (DuckDB's MVCC) instead of
# waiting for it, and no connection is opened per request.
_SHARED: dict[str, duckdb.DuckDBPyConnection] = {}


def share(path: Path) -> None:
    """Hold `path` open in this process; later `connect` calls return cursors of it."""
    key = str(Path(path).resolve())
    if key not in _SHARED:
        _SHARED[key] = duckdb.connect(key, read_only=False)


def unshare(path: Path) -> None:
    con = _SHARED.pop(str(Path(path).resolve()), None)
    if con is not None:
        con.close()


def resolve_path(path: str | os.PathLike[str] | None) -> Path:
    if path is not None:
        return Path(path)
    return Path(os.environ.get("DIGECON_DB") or DEFAULT_DB)


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() or "Conflicting" in text


@contextlib.contextmanager
def connect(path: Path, read_only: bool, wait: float = LOCK_WAIT_SECONDS
            ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection; writers also hold an advisory lock file for the whole write."""
    shared = _SHARED.get(str(Path(path).resolve()))
    if shared is not None:
        cursor = shared.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
        return
    deadline = time.monotonic() + wait
    lock_fh = None
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_fh = open(f"{path}.lock", "a+")
        while True:
            try:
                fcntl.flock(lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    lock_fh.close()
                    raise StoreLockedError(f"数据库 {path} 正被另一个写入进程占用（等待 {wait:.0f} 秒后放弃）")
                time.sleep(0.05)
    try:
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(str(path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if not _is_lock_conflict(exc) or time.monotonic() > deadline:
                    raise StoreLockedError(f"无法打开数据库 {path}：{exc}") from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            yield con
        finally:
            con.close()
    finally:
        if lock_fh is not None:
            fcntl.flock(lock_fh, fcntl.LOCK_UN)
            lock_fh.close()
