"""The observation store: append-only vintages in one DuckDB file, read with `as_of`."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pandas as pd

from digecon.catalog import get_catalog

from . import current
from .connection import connect, resolve_path
from .derive import derive_for_regions
from .schema import (
    CHOICE_ORDER_SQL,
    CURRENT_BOUND_SQL,
    CURRENT_EXACT_SQL,
    DDL,
    KEY_COLUMNS,
    SCHEMA_VERSION,
)

QUERY_COLUMNS = ["region_code", "region_name", "indicator", "period", "value", "unit",
                 "qualifier", "status", "vintage", "source", "section", "ref", "quote",
                 "formula", "inputs", "note"]


class StoreMissingError(FileNotFoundError):
    pass


class Store:
    """A DuckDB-backed store of observations. Cheap to create; connections are short-lived."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = resolve_path(path)
        self.catalog = get_catalog()
        self._current_kept = False  # superseded is complete here (never turns false again)

    # set-up ------------------------------------------------------------------------------
    def init(self, *, explicit: bool = True) -> None:
        """Create the tables if they are missing. `explicit=False` (a first write creating its
        store) obeys the command line's refusal of new stores (a mistyped --db)."""
        with connect(self.path, read_only=False, create=explicit) as con:
            for stmt in DDL:
                con.execute(stmt)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                        [SCHEMA_VERSION])
            self._keep_current(con)

    def _keep_current(self, con) -> None:
        """Fill the current-row table of a store written before it existed (once)."""
        if not current.is_complete(con):
            con.execute("BEGIN TRANSACTION")
            current.rebuild(con)
            con.execute("COMMIT")

    def exists(self) -> bool:
        return self.path.exists()

    def _require(self) -> None:
        if not self.path.exists():
            raise StoreMissingError(f"数据库 {self.path} 不存在；先运行 digecon init（或 digecon load-demo）")

    # writing -----------------------------------------------------------------------------
    def append_checked(self, con, chk, *, origin: str, sha256: str = "",
                       may_repeat: bool = True) -> int:
        """Append the rows of temp table `checked` (validated by digecon.ingest, which calls
        this inside its transaction), derive what they make computable, and record the batch.

        `chk` describes the checked table's columns (which are constant, which vary);
        `may_repeat` False skips the search for rows the store already holds. Returns
        the rows written, derived ones included. Validation lives in digecon.ingest, above the
        store: the store only appends what it is given, in the caller's transaction.
        """
        batch_id = con.execute("SELECT nextval('batch_seq')").fetchone()[0]
        base = con.execute("SELECT coalesce(max(obs_id), 0) + 1 FROM observations"
                           ).fetchall()[0][0]
        c = chk.col
        repeat = ""
        if may_repeat:
            repeat = f"""WHERE NOT EXISTS (SELECT 1 FROM observations o
                WHERE o.region_code = n.region_code AND o.indicator = n.indicator_code
                  AND o.period = n.period_clean AND o.status = {c('status_clean', 'n')}
                  AND o.qualifier = {c('qualifier_clean', 'n')}
                  AND o.source = {c('source_clean', 'n')}
                  AND o.ref = coalesce({c('ref', 'n')}, '')
                  AND o.vintage = {c('vintage_date', 'n')})"""
        # Fields no file has are left to the table's defaults ('' and 'eq'): a
        # constant column written a million times costs as much as a real one.
        extra = [(f, f"coalesce({c(f, 'n')}, '')") for f in
                 ("section", "ref", "quote", "formula", "inputs", "note")
                 if f in chk.varying]
        if "qualifier_clean" in chk.varying:
            extra.append(("qualifier", "n.qualifier_clean"))
        con.execute(f"""
            INSERT INTO observations (obs_id, region_code, indicator, period, value,
                unit, status, vintage, source, batch_id
                {''.join(', ' + name for name, _ in extra)})
            SELECT {int(base)} + n._src * 4294967296 + n._row, n.region_code,
                   n.indicator_code, n.period_clean,
                   n.value_num * {c('unit_factor', 'n')}, k.unit,
                   {c('status_clean', 'n')}, {c('vintage_date', 'n')},
                   {c('source_clean', 'n')}, {int(batch_id)}
                   {''.join(', ' + sql for _, sql in extra)}
            FROM checked n JOIN cat_indicator_code k ON k.code = n.indicator_code
            {repeat}""")
        per_region = con.execute(
            "SELECT region_code, count(*) FROM observations WHERE batch_id = ? "
            "GROUP BY 1", [int(batch_id)]).fetchall()
        written = sum(n for _, n in per_region)
        regions = [r for r, _ in per_region]
        written += derive_for_regions(con, regions, int(batch_id), catalog=self.catalog)
        # which rows are current, for the cells this batch touched (or, once, for the store)
        if current.is_complete(con):
            current.update_for_batch(con, int(batch_id))
        else:
            current.rebuild(con)
        con.execute("INSERT INTO batches (batch_id, origin, sha256, rows) "
                    "VALUES (?, ?, ?, ?)", [batch_id, origin, sha256, written])
        return int(written)

    # reading -----------------------------------------------------------------------------
    def filters(self, indicator: str | None = None, region: str | None = None,
                period: str | None = None, status: str | None = None,
                as_of: str | dt.date | None = None) -> tuple[list[str], list]:
        """WHERE conditions and parameters over observations; names resolved by the catalog
        (UnknownNameError for unknown ones)."""
        where, params = ["1 = 1"], []
        if indicator:
            where.append("indicator = ?")
            params.append(self.catalog.indicator(indicator).code)
        if region:
            where.append("region_code = ?")
            params.append(self.catalog.region(region).code)
        if period:
            where.append("period = ?")
            params.append(str(period))
        if status:
            where.append("status = ?")
            params.append(status)
        if as_of:
            where.append("vintage <= CAST(? AS DATE)")
            params.append(str(as_of))
        return where, params

    def query(self, indicator: str | None = None, region: str | None = None,
              period: str | None = None, status: str | None = None,
              as_of: str | dt.date | None = None, latest_only: bool = True) -> pd.DataFrame:
        """Observations as a DataFrame; each statement at its newest vintage on or before as_of."""
        self._require()
        where, params = self.filters(indicator, region, period, status, as_of)
        keys = ", ".join(KEY_COLUMNS)
        latest = (f"QUALIFY row_number() OVER (PARTITION BY {keys} "
                  "ORDER BY vintage DESC, obs_id DESC) = 1") if latest_only else ""
        sql = f"""SELECT * FROM observations WHERE {' AND '.join(where)} {latest}
                  ORDER BY indicator, region_code, period, obs_id"""
        with connect(self.path, read_only=True) as con:
            df = con.execute(sql, params).df()
        df.insert(1, "region_name", self.region_names(df["region_code"]))
        df["vintage"] = pd.to_datetime(df["vintage"]).dt.date
        return df[QUERY_COLUMNS + ["obs_id"]].reset_index(drop=True)

    def listing_sql(self, indicator: str | None = None, region: str | None = None,
                    period: str | None = None, status: str | None = None,
                    as_of: str | dt.date | None = None, history: bool = False, con=None
                    ) -> tuple[str, list]:
        """(SELECT, parameters) of the observation rows a listing shows, each with a boolean
        `current`: only the current ones (a cell's one value, and the bounds stated about it),
        or with `history` every row stored up to `as_of`.

        Which rows are current is kept at write time (digecon.store.current), so this is one
        filtered scan; a store written before that table existed is ranked as it is read
        (schema.CURRENT_EXACT_SQL, CURRENT_BOUND_SQL), which is the same choice.
        `status` selects among the rows after the choice: a cell whose current value is
        derived is not listed by status='published' unless `history` is asked for."""
        where, params = self.filters(indicator, region, period, status, as_of)
        cond = " AND ".join(where)
        if self._current_table(con):
            alive = current.current_sql(as_of is not None)
            alive_params = [str(as_of)] if as_of else []
            rows = f"observations o LEFT JOIN {current.TABLE} s USING (obs_id) WHERE {cond}"
            if history:
                return f"SELECT o.*, {alive} AS current FROM {rows}", alive_params + params
            return (f"SELECT o.*, true AS current FROM {rows} AND {alive}",
                    params + alive_params)
        return self._ranked_listing_sql(indicator, region, period, status, as_of, history)

    def _ranked_listing_sql(self, indicator, region, period, status, as_of, history
                            ) -> tuple[str, list]:
        """listing_sql over a store without the current-row table: ranked as it is read."""
        where, params = self.filters(indicator, region, period, None, as_of)
        cond = " AND ".join(where)
        # each row takes part in one window only: an exact value in its cell's, a bound in its
        # statement's
        cur = (f"SELECT *, true AS current FROM observations WHERE {cond} AND "
               f"{CURRENT_EXACT_SQL} UNION ALL SELECT *, true AS current FROM observations "
               f"WHERE {cond} AND {CURRENT_BOUND_SQL}")
        if history:
            sql = (f"SELECT o.*, c.obs_id IS NOT NULL AS current "
                   f"FROM (SELECT * FROM observations WHERE {cond}) o "
                   f"LEFT JOIN (SELECT obs_id FROM ({cur})) c ON c.obs_id = o.obs_id")
            params = params * 3
        else:
            sql = f"SELECT * FROM ({cur})"
            params = params * 2
        if status:
            sql = f"SELECT * FROM ({sql}) WHERE status = ?"
            params.append(status)
        return sql, params

    def _current_table(self, con=None) -> bool:
        """Does this store keep its current rows (digecon.store.current)? Remembered once true."""
        if not self._current_kept:
            if con is not None:
                self._current_kept = current.is_complete(con)
            else:
                self._require()
                with connect(self.path, read_only=True) as own:
                    self._current_kept = current.is_complete(own)
        return self._current_kept

    def listing(self, indicator: str | None = None, region: str | None = None,
                period: str | None = None, status: str | None = None,
                as_of: str | dt.date | None = None, history: bool = False) -> pd.DataFrame:
        """The rows of `listing_sql` as a DataFrame (Store.query's columns plus `current`),
        ordered by indicator, region, period, vintage and load."""
        self._require()
        sql, params = self.listing_sql(indicator, region, period, status, as_of, history)
        with connect(self.path, read_only=True) as con:
            df = con.execute(sql + " ORDER BY indicator, region_code, period, vintage, obs_id",
                             params).df()
        df.insert(1, "region_name", self.region_names(df["region_code"]))
        df["vintage"] = pd.to_datetime(df["vintage"]).dt.date
        df["current"] = df["current"].astype(bool)
        return df[QUERY_COLUMNS + ["obs_id", "current"]].reset_index(drop=True)

    def chosen(self, indicators: list[str] | None = None, regions: list[str] | None = None,
               periods: list[str] | None = None, as_of: str | dt.date | None = None,
               con=None, statuses: list[str] | None = None) -> pd.DataFrame:
        """One row per region × indicator × period: the value chosen by schema.CHOICE_ORDER_SQL.

        Only exact values (qualifier 'eq') compete; bounds such as 超2500亿元 are read with
        `query`. Codes and names are resolved through the catalog. `statuses` limits the
        candidates (an index spec that asks for published values only) before the choice.
        """
        where, params = ["qualifier = 'eq'", "NOT isnan(value)"], []
        # The current rows are kept at write time (digecon.store.current): a filter. Limited
        # candidates (`statuses`) are another choice, ranked here by the same order.
        kept = statuses is None and self._current_table(con)
        if statuses is not None:
            where.append("status IN (SELECT unnest(?::VARCHAR[]))")
            params.append([str(s) for s in statuses])
        for column, wanted, resolve in (
                ("indicator", indicators, lambda x: self.catalog.indicator(x).code),
                ("region_code", regions, lambda x: self.catalog.region(x).code),
                ("period", periods, str)):
            if wanted is not None:
                where.append(f"{column} IN (SELECT unnest(?::VARCHAR[]))")
                params.append([resolve(w) for w in wanted])
        if as_of:
            where.append("vintage <= CAST(? AS DATE)")
            params.append(str(as_of))
        if kept:
            sql = f"""SELECT o.* FROM observations o LEFT JOIN {current.TABLE} s USING (obs_id)
                      WHERE {' AND '.join(where)} AND {current.current_sql(bool(as_of))}
                      ORDER BY indicator, region_code, period"""
            params += [str(as_of)] if as_of else []
        else:
            sql = f"""SELECT * FROM observations WHERE {' AND '.join(where)}
                      QUALIFY row_number() OVER (PARTITION BY region_code, indicator, period
                                                 ORDER BY {CHOICE_ORDER_SQL}) = 1
                      ORDER BY indicator, region_code, period"""
        if con is not None:
            df = con.execute(sql, params).df()
        else:
            self._require()
            with connect(self.path, read_only=True) as own:
                df = own.execute(sql, params).df()
        df.insert(1, "region_name", self.region_names(df["region_code"]))
        df["vintage"] = pd.to_datetime(df["vintage"]).dt.date
        return df[QUERY_COLUMNS + ["obs_id"]].reset_index(drop=True)

    def region_names(self, codes: pd.Series) -> pd.Series:
        """The catalog name of each code (a county's too: Catalog.regions() lists provinces and
        prefectures only), looked up once per distinct code; an unknown code stands for itself."""
        names = {}
        for code in codes.unique():
            try:
                names[code] = self.catalog.region(str(code)).name
            except KeyError:
                names[code] = str(code)
        return codes.map(names)

    def value(self, indicator: str, region: str, period: str,
              as_of: str | dt.date | None = None) -> dict | None:
        """The chosen value of one cell (see `chosen`), as a dict, or None."""
        df = self.chosen([indicator], [region], [str(period)], as_of=as_of)
        return None if df.empty else df.iloc[0].to_dict()

    # integrity ---------------------------------------------------------------------------
    def row_count(self) -> int:
        self._require()
        with connect(self.path, read_only=True) as con:
            return con.execute("SELECT count(*) FROM observations").fetchone()[0]

    def checksum(self) -> str:
        """A digest of every stored observation, to show that a rejected batch changed nothing."""
        self._require()
        with connect(self.path, read_only=True) as con:
            digest = hashlib.sha256()
            cur = con.execute("SELECT * FROM observations ORDER BY obs_id")
            while batch := cur.fetchmany(10000):
                digest.update(repr(batch).encode())
            return digest.hexdigest()

    def current_mismatches(self) -> list[tuple[str | None, int]]:
        """(as_of, obs_id) of every row whose kept current flag (digecon.store.current) differs
        from the one the choice ranks, at the newest vintages and on, the day before and the day
        after every stored vintage: empty when the table is right (an audit; also the tests')."""
        self._require()
        if not self._current_table():
            return []
        with connect(self.path, read_only=True) as con:
            vintages = [r[0] for r in con.execute(
                "SELECT DISTINCT vintage FROM observations").fetchall()]
            one = dt.timedelta(days=1)
            dates = [None] + sorted({d + k for d in vintages for k in (-one, 0 * one, one)})
            out = []
            for as_of in dates:
                kept, params = self.listing_sql(as_of=as_of, history=True, con=con)
                ranked, more = self._ranked_listing_sql(None, None, None, None, as_of, True)
                rows = con.execute(f"""SELECT obs_id FROM ({kept}) k FULL JOIN ({ranked}) r
                    USING (obs_id) WHERE k.current IS DISTINCT FROM r.current""",
                                   params + more).fetchall()
                out += [(None if as_of is None else as_of.isoformat(), r[0]) for r in rows]
        return out

    def connection(self, read_only: bool = True):
        """A context-managed DuckDB connection for callers that need SQL (API, reports)."""
        if read_only:
            self._require()
        return connect(self.path, read_only=read_only)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["Store", "StoreMissingError", "file_sha256"]
