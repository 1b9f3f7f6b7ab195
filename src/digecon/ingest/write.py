"""Writing validated data: a staged table or a DataFrame checked whole, then appended in one
transaction (nothing is written unless every row is right)."""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

import duckdb
import pandas as pd

from .sources import register_source
from .validate import (
    FIELDS,
    ValidationError,
    install_catalog,
    overlaps_store,
    validate_staged,
    validation_notices,
)


def write_staged(store, stage: Callable[[duckdb.DuckDBPyConnection], None], *,
                 status: str | None, vintage: str | dt.date | None, source: str | None,
                 origin: str, sha256: str = "",
                 on_notice: Callable[[str], None] | None = None) -> int:
    """Run `stage(con)` to create temp table `staged`, validate it, and append it atomically.

    Raises ValidationError (nothing written) listing every problem with its row and column.
    `on_notice` hears what validation read in a way worth saying (a 合计 row's region).
    """
    if not store.path.exists():
        store.init(explicit=False)  # refused for a mistyped --db (digecon.cli)
    vintage_text = (vintage.isoformat() if isinstance(vintage, dt.date)
                    else (vintage or dt.date.today().isoformat()))
    defaults = {"status": status or "published", "vintage": vintage_text,
                "source": source or "", "file": origin}
    with store.connection(read_only=False) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            stage(con)
            install_catalog(con, store.catalog)
            total, problems, chk = validate_staged(con, store.catalog, defaults)
            for line in validation_notices(con):
                if on_notice:
                    on_notice(line)
            if total:
                raise ValidationError(problems, total)
            # Only a stored row of the same indicator and vintage can make a batch row a
            # repeat; without one the anti-join against the whole store is skipped.
            written = store.append_checked(con, chk, origin=origin, sha256=sha256,
                                           may_repeat=overlaps_store(con, chk))
            con.execute("COMMIT")
            return written
        except BaseException:
            _rollback(con)
            raise


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the transaction. A COMMIT that failed (a full disk) has ended it already, and an
    error from ROLLBACK here would replace the one that says why."""
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("ROLLBACK")


def write_frame(store, frame: pd.DataFrame, *, status: str | None = None,
                vintage: str | dt.date | None = None, source: str | None = None,
                origin: str = "<DataFrame>") -> int:
    """Validate a long frame (region, indicator, period, value[, unit, status, …]) and append it.

    Raises ValidationError (nothing written) listing every problem with its row and column.
    """
    staged = pd.DataFrame({"_src": 0, "_row": range(1, len(frame) + 1), "_vcol": None})
    for field in FIELDS:
        col = frame[field] if field in frame.columns else None
        staged[field] = (col.astype("string").fillna("").to_numpy() if col is not None
                         else None)
    staged["_vcol"] = staged["_vcol"].astype("string")

    def stage(con) -> None:
        register_source(con, origin, "", {f: f for f in FIELDS if f in frame.columns})
        con.register("staged_df", staged)
        con.execute("CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM staged_df")
        con.unregister("staged_df")

    return write_staged(store, stage, status=status, vintage=vintage, source=source,
                        origin=origin)
