"""Opening the DuckDB file: one writer at a time across processes, readers retry while it writes."""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

DEFAULT_DB = "digecon.duckdb"
LOCK_WAIT_SECONDS = 30.0


class StoreLockedError(RuntimeError):
    """Another process holds the store for longer than we are willing to wait (or the file
    cannot be opened as a store at all); the message says which, in Chinese."""


class StoreNotFoundError(FileNotFoundError):
    """A store was to be opened for writing where none exists, and new stores are refused."""


# Whether a write may create a missing store file. The library creates one (Store.init, the
# first ingest); a command line turns this off for every command but `init` and `load-demo`,
# so that a mistyped --db is an error naming the path instead of a new, empty store.
_ALLOW_NEW_STORES = True


def allow_new_stores(allowed: bool) -> None:
    """Process-wide: may `connect(..., read_only=False)` create a store file that is missing?"""
    global _ALLOW_NEW_STORES
    _ALLOW_NEW_STORES = bool(allowed)


def new_stores_allowed() -> bool:
    return _ALLOW_NEW_STORES


def lock_wait_seconds() -> float:
    """How long to wait for another process's lock: $DIGECON_LOCK_WAIT_SECONDS, else 30 s."""
    raw = os.environ.get("DIGECON_LOCK_WAIT_SECONDS", "")
    try:
        return max(0.0, float(raw)) if raw else LOCK_WAIT_SECONDS
    except ValueError:
        return LOCK_WAIT_SECONDS


# Files this process serves (digecon serve): one DuckDB instance each, opened read-write for
# the life of the process. Every connection to such a file is a cursor of that instance, so
# readers see a consistent snapshot while an upload is being written (DuckDB's MVCC) instead of
# waiting for it, and no connection is opened per request.
_SHARED: dict[str, duckdb.DuckDBPyConnection] = {}
# Per shared file: how many write connections have closed. Only this process can write a file
# it shares (DuckDB's lock keeps others out), so the count changes exactly when the data may have.
_WRITES: dict[str, int] = {}
# Per shared file: what to run after a write connection closes and before its count moves
# (on_write), and the lock that makes one write's callbacks and count a step of their own.
_ON_WRITE: dict[str, list[weakref.WeakMethod]] = {}
_WRITE_STEP = threading.Lock()
# The paths a shared file was asked for by, as written, to its resolved key: a server asks on
# every request, and resolving a path costs a system call per directory.
_ALIASES: dict[str, str] = {}


def _key(path: str | os.PathLike[str]) -> str:
    raw = os.fspath(path)
    if not os.path.isabs(raw):
        raw = os.path.join(os.getcwd(), raw)
    key = _ALIASES.get(raw)
    if key is None:
        key = str(Path(raw).resolve())
        if key in _SHARED:
            _ALIASES[raw] = key
    return key


def shared_writes(path: Path) -> int | None:
    """The write count of a file this process shares, or None when it does not share it."""
    key = _key(path)
    return _WRITES.get(key, 0) if key in _SHARED else None


def on_write(path: Path, method: Callable[[int], None]) -> None:
    """Call the bound `method(count)` in the writer's thread after each write connection to the
    shared file `path` closes (its transaction committed or rolled back) and before the write
    count becomes `count`. Readers keep the old count meanwhile, so what they are answered
    from can be rebuilt on the committed data while they are still answered from the old.
    Held weakly: a server's view that is gone is not called."""
    _ON_WRITE.setdefault(_key(path), []).append(weakref.WeakMethod(method))


def share(path: Path, threads: int | None = None, memory_limit: str | None = None) -> None:
    """Hold `path` open in this process; later `connect` calls return cursors of it.

    `threads` and `memory_limit` bound what DuckDB takes for itself (a server leaves a core
    and memory to the requests it answers while an upload is written)."""
    key = str(Path(path).resolve())
    if key not in _SHARED:
        config = {}
        if threads:
            config["threads"] = int(threads)
        if memory_limit:
            config["memory_limit"] = str(memory_limit)
        _SHARED[key] = duckdb.connect(key, read_only=False, config=config)


def unshare(path: Path) -> None:
    key = str(Path(path).resolve())
    con = _SHARED.pop(key, None)
    _ON_WRITE.pop(key, None)
    for raw in [raw for raw, k in _ALIASES.items() if k == key]:
        del _ALIASES[raw]
    if con is not None:
        con.close()


def resolve_path(path: str | os.PathLike[str] | None) -> Path:
    if path is not None:
        return Path(path)
    return Path(os.environ.get("DIGECON_DB") or DEFAULT_DB)


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() or "Conflicting" in text


def _open_error(path: Path, exc: Exception, wait: float) -> StoreLockedError:
    """DuckDB's English reason for not opening `path`, said in Chinese with what to do."""
    text = str(exc)
    if _is_lock_conflict(exc):
        pid = re.search(r"\(PID (\d+)\)", text)
        who = f"另一个进程（PID {pid.group(1)}）" if pid else "另一个进程"
        return StoreLockedError(
            f"数据库 {path} 正被{who}占用（例如正在运行的 digecon serve 或一次导入），"
            f"等待 {wait:.0f} 秒后放弃；请待其结束后重试，服务运行时可通过其接口读取"
            f"（等待时间可用 $DIGECON_LOCK_WAIT_SECONDS 设置）")
    if "not a valid DuckDB database" in text:
        return StoreLockedError(f"无法打开数据库 {path}：不是 DuckDB 数据库文件，或文件已损坏；"
                                f"请检查 --db / $DIGECON_DB 所指的文件")
    if "older version" in text or "newer version" in text or "storage version" in text:
        return StoreLockedError(f"无法打开数据库 {path}：文件由另一版本的 DuckDB 写入，"
                                f"与本机的 DuckDB {duckdb.__version__} 不兼容")
    if "Permission denied" in text:
        return StoreLockedError(f"无法打开数据库 {path}：没有读写权限")
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return StoreLockedError(f"无法打开数据库 {path}（DuckDB：{first}）")


@contextlib.contextmanager
def connect(path: Path, read_only: bool, wait: float | None = None, create: bool = False
            ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection; writers also hold an advisory lock file for the whole write.

    `wait` defaults to lock_wait_seconds(). Raises StoreLockedError (a Chinese message) when
    the file stays locked or is no store, StoreNotFoundError when a write would create a store
    and new stores are refused (allow_new_stores).
    """
    wait = lock_wait_seconds() if wait is None else wait
    key = _key(path)
    shared = _SHARED.get(key)
    if shared is not None:
        cursor = shared.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            if not read_only:
                with _WRITE_STEP:
                    count = _WRITES.get(key, 0) + 1
                    for ref in _ON_WRITE.get(key, ()):
                        method = ref()
                        if method is not None:
                            method(count)
                    _WRITES[key] = count
        return
    deadline = time.monotonic() + wait
    lock_fh = None
    if not read_only and not create and not _ALLOW_NEW_STORES and not Path(path).exists():
        raise StoreNotFoundError(f"数据库 {path} 不存在；请检查 --db / $DIGECON_DB 是否写错，"
                                 f"新建数据库请先运行 digecon init --db {path}")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_fh = open(f"{path}.lock", "a+")  # noqa: SIM115 - held until the finally below
        while True:
            try:
                fcntl.flock(lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    lock_fh.close()
                    raise StoreLockedError(f"数据库 {path} 正被另一个写入进程占用（等待 {wait:.0f} 秒后放弃）；"
                                           f"请待其结束后重试")
                time.sleep(0.05)
    try:
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(str(path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if not _is_lock_conflict(exc) or time.monotonic() > deadline:
                    raise _open_error(path, exc, wait) from None
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
