"""The accounts' tables in the project's DuckDB file, created on first use, and how to reach them."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb

from digecon.store import Store
from digecon.store.connection import connect, shared_writes

DDL = [
    """CREATE TABLE IF NOT EXISTS accounts (
        name VARCHAR PRIMARY KEY,
        role VARCHAR NOT NULL,
        display_name VARCHAR NOT NULL,
        department VARCHAR,
        regions VARCHAR NOT NULL DEFAULT '[]',
        indicators VARCHAR NOT NULL DEFAULT '[]',
        password_hash VARCHAR,
        created_at TIMESTAMP NOT NULL,
        password_changed_at TIMESTAMP,
        disabled_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS api_tokens (
        id VARCHAR PRIMARY KEY,
        account VARCHAR NOT NULL,
        token_sha256 VARCHAR NOT NULL UNIQUE,
        label VARCHAR,
        created_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP,
        last_used_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS sessions (
        id_sha256 VARCHAR PRIMARY KEY,
        account VARCHAR NOT NULL,
        address VARCHAR,
        created_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL,
        last_seen_at TIMESTAMP NOT NULL,
        ended_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS audit_log (
        seq BIGINT PRIMARY KEY,
        "at" TIMESTAMP NOT NULL,
        account VARCHAR,
        action VARCHAR NOT NULL,
        address VARCHAR,
        detail VARCHAR NOT NULL,
        checksum VARCHAR,
        prev_hash VARCHAR NOT NULL,
        row_hash VARCHAR NOT NULL)""",
    # The lockout's own small state (digecon.accounts.lockout), so that a sign-in never reads
    # the audit log: wrong passwords within the lock window, by a digest of the name typed
    # (known or not: a name no account has is never stored as typed), pruned as they age out …
    """CREATE TABLE IF NOT EXISTS login_failures (
        name_sha256 VARCHAR NOT NULL,
        "at" TIMESTAMP NOT NULL)""",
    # … and each account's addresses of a successful sign-in, one row per address, pruned
    # after the days they stay known.
    """CREATE TABLE IF NOT EXISTS login_addresses (
        account VARCHAR NOT NULL,
        address VARCHAR NOT NULL,
        last_at TIMESTAMP NOT NULL,
        PRIMARY KEY (account, address))""",
]

Target = Store | str | os.PathLike[str] | duckdb.DuckDBPyConnection

_ready: set[str] = set()  # served files whose tables exist (checked once per process)
_ready_lock = threading.Lock()


# One writer at a time to the accounts' rows in this process: on the server's one DuckDB
# instance two requests updating the same row at once (disable and enable, a new password) make
# the second fail with "Conflict on update"; taken around each such write, it cannot happen.
write_lock = threading.RLock()


def utcnow() -> dt.datetime:
    """Now in UTC as a naive timestamp (how every time in these tables is stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in DDL:
        con.execute(stmt)


@contextlib.contextmanager
def opened(target: Target) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the accounts' tables of `target` (a Store, a path or a connection).

    A file this process serves (digecon serve) is reached through a cursor of its one DuckDB
    instance, opened without counting as a write: the write count keys the observation caches,
    and a login changes no observation. Otherwise the file is opened for writing, holding the
    store's writer lock for the moment it takes."""
    if isinstance(target, duckdb.DuckDBPyConnection):
        ensure_tables(target)
        yield target
        return
    path = target.path if isinstance(target, Store) else Path(target)
    if shared_writes(path) is not None:
        key = str(path.resolve())
        with connect(path, read_only=True) as con:
            if key not in _ready:
                with _ready_lock:
                    ensure_tables(con)
                    _ready.add(key)
            yield con
        return
    with connect(path, read_only=False) as con:
        ensure_tables(con)
        yield con


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN … COMMIT, rolled back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
