"""Reading the store for the API: SQL through read connections and facts, nothing held in memory.

Every request asks DuckDB for just the rows it shows (filters, one page, the total), so the
server's memory does not grow with the store. The values a page shows come from digecon.facts,
the layer every other surface reads: one choice, one rounding, one status vocabulary.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd

from digecon.catalog import get_catalog
from digecon.facts import MARKED_STATUSES, STATUS_ZH, Fact, Facts, fact_from_row
from digecon.store import Store
from digecon.store.connection import on_write, shared_writes

log = logging.getLogger("digecon.api")

# Writers in this process (POST /ingest) take this lock so that two uploads do not race for
# the writer's lock file; readers never take it (DuckDB serves them from a consistent snapshot).
db_lock = threading.RLock()

COLUMNS = ["region_code", "region_name", "indicator", "period", "value", "unit", "qualifier",
           "status", "vintage", "source", "section", "ref", "quote", "formula", "inputs", "note",
           "obs_id", "current"]
STORED = [c for c in COLUMNS if c != "region_name"]  # the columns a listing reads (Store.listing_sql)
# What an observation row adds for display: the rounded text every surface prints and the label.
DISPLAY = ["value_rounded", "text", "status_zh"]
MARKED = MARKED_STATUSES
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CACHED_ROWS = 200_000  # rows of recent answers the server keeps (a few tens of MB at most)
# After a write, the most recent answers are computed again on the committed data before
# readers move to the new version, for at most this long (the rest are computed when asked).
REFRESH_SECONDS = 3.0


def _clean(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (dt.date, pd.Timestamp)):
        return v.isoformat()[:10]
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    if v is pd.NA:
        return None
    return v


def _display(r: dict, catalog) -> dict:
    """A stored row with what a reader sees: its rounded text and status label (digecon.facts)."""
    fact = fact_from_row(r, catalog)
    r.update(value_rounded=fact.number, text=fact.text, status_zh=fact.status_zh)
    return r


def records(df: pd.DataFrame) -> list[dict]:
    """Rows of Store.listing (or Store.query, which has no `current`) as JSON-ready dicts, each
    with its rounded text and status label."""
    catalog = get_catalog()
    cols = [c for c in COLUMNS if c in df.columns]
    return [_display({k: _clean(v) for k, v in zip(cols, row)}, catalog)
            for row in df[cols].itertuples(index=False, name=None)]


class _Answers:
    """Recent answers keyed by (store version, question): bounded by the rows it holds, not by
    the store's size, and replaced whenever a batch is written (the version changes).

    A question asked by many clients at once while its answer is missing is computed once: the
    others wait for that answer instead of each running the query. After a write (`refresh`,
    in the writer's thread) the most recent questions are answered again on the committed data
    before the version moves, so readers are not left waiting for them after an upload."""

    def __init__(self, max_rows: int = MAX_CACHED_ROWS):
        self.max_rows = max_rows
        self._items: OrderedDict[tuple, tuple[int, Any]] = OrderedDict()
        self._computes: dict[tuple, Callable[[], tuple[int, Any]]] = {}
        self._rows = 0
        self._version: int | None = None
        self._lock = threading.Lock()
        self._pending: dict[tuple, threading.Event] = {}
        self._next: tuple[Any, OrderedDict, int] | None = None  # answers ready for a version

    def _current(self, version) -> None:
        if version != self._version:  # caller holds the lock
            ready = self._next
            if ready is not None and ready[0] == version:
                self._items, self._rows = ready[1], ready[2]
            else:
                self._items, self._rows = OrderedDict(), 0
            self._computes = {k: v for k, v in self._computes.items() if k in self._items}
            self._version, self._next = version, None

    def refresh(self, version, seconds: float = REFRESH_SECONDS) -> int:
        """Answer the most recently used questions again (newest first, for at most `seconds`)
        and keep the answers for `version`, which readers switch to when they next see it.
        Returns how many were answered."""
        with self._lock:
            todo = [(k, self._computes[k]) for k in reversed(self._items) if k in self._computes]
        fresh: OrderedDict[tuple, tuple[int, Any]] = OrderedDict()
        rows, deadline = 0, time.monotonic() + seconds
        for key, compute in todo:
            if time.monotonic() > deadline:
                break
            size, value = compute()
            if rows + size > self.max_rows:
                break
            fresh[key] = (size, value)
            fresh.move_to_end(key, last=False)  # the oldest first, as the cache keeps them
            rows += size
        with self._lock:
            self._next = (version, fresh, rows)
        return len(fresh)

    def peek(self, version, key: tuple) -> Any | None:
        """The cached answer, or None: cheap enough for the event loop (no query, no wait)."""
        with self._lock:
            self._current(version)
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def get(self, version, key: tuple, compute: Callable[[], tuple[int, Any]]) -> Any:
        while True:
            with self._lock:
                self._current(version)
                hit = self._items.get(key)
                if hit is not None:
                    self._items.move_to_end(key)
                    return hit[1]
                pending = self._pending.get((version, key))
                if pending is None:
                    mine = self._pending[(version, key)] = threading.Event()
                    break
            pending.wait(30)  # another thread is computing it; then look again
        try:
            size, value = compute()
            with self._lock:
                if version == self._version and size <= self.max_rows:
                    self._items[key] = (size, value)
                    self._computes[key] = compute
                    self._rows += size
                    while self._rows > self.max_rows:
                        gone, (old, _) = self._items.popitem(last=False)
                        self._computes.pop(gone, None)
                        self._rows -= old
            return value
        finally:
            with self._lock:
                self._pending.pop((version, key), None)
            mine.set()


class StoreView:
    """The store as the server sees it: queried per request, versioned by its last batch.

    Repeated questions are answered from a bounded cache of recent answers (`_Answers`), kept
    only while the store is unchanged."""

    def __init__(self, store: Store):
        self.store = store
        self.catalog = get_catalog()
        self._names: dict[str, str] = {}
        self._answers = _Answers()
        on_write(store.path, self._after_write)  # called only for a file this process serves

    def _after_write(self, count: int) -> None:
        """In the writer's thread, before the write count becomes `count`: the recent answers
        again on the committed data, so readers move to the new version with them ready."""
        started = time.monotonic()
        try:
            n = self._answers.refresh(("writes", count))
        except Exception:  # committed already: readers compute their answers when asked
            log.exception("写入后预先计算常用查询失败（读者请求时再计算）")
            return
        log.info("写入后预先计算 %d 个常用查询，用时 %.2f 秒", n, time.monotonic() - started)

    @property
    def version(self) -> int | tuple[str, int]:
        """Changes whenever a batch is written: the key of the answer, figure and index caches.

        A file this process serves can only be written here, so its write count is enough (no
        query); otherwise the newest batch id is asked for."""
        writes = shared_writes(self.store.path)
        if writes is not None:
            return ("writes", writes)
        with self.store.connection() as con:
            return int(con.execute("SELECT coalesce(max(batch_id), 0) FROM batches"
                                   ).fetchone()[0])

    def observations(self, indicator: str | None = None, region: str | None = None,
                     period: str | None = None, status: str | None = None,
                     as_of: dt.date | None = None, limit: int = 100,
                     offset: int = 0, history: bool = False) -> tuple[int, list[dict]]:
        """(total, one page of rows) at `as_of` (Store.listing_sql): each cell's one current
        value and the bounds stated about it; with `history`, every row stored up to `as_of`,
        each with `current` saying whether it is the one facts show.

        Names are resolved through the catalog (UnknownNameError for unknown ones)."""
        key = ("obs", indicator, region, period, status, str(as_of or ""), limit, offset,
               history)

        def compute() -> tuple[int, tuple[int, list[dict]]]:
            total, rows = self._observations(indicator, region, period, status, as_of, limit,
                                             offset, history)
            return len(rows) + 1, (total, rows)

        return self._answers.get(self.version, key, compute)

    def observations_json(self, indicator: str | None = None, region: str | None = None,
                          period: str | None = None, status: str | None = None,
                          as_of: dt.date | None = None, limit: int = 100,
                          offset: int = 0, history: bool = False) -> tuple[int, str]:
        """(total, the page's rows as a JSON array), the text cached with the rows."""
        key = ("obs_json", indicator, region, period, status, str(as_of or ""), limit, offset,
               history)

        def compute() -> tuple[int, tuple[int, str]]:  # never through the cache: see refresh
            total, rows = self._observations(indicator, region, period, status, as_of, limit,
                                             offset, history)
            text = "[" + ",".join(json.dumps(r, ensure_ascii=False) for r in rows) + "]"
            return len(rows) + 1, (total, text)

        return self._answers.get(self.version, key, compute)

    def cached_observations_json(self, indicator=None, region=None, period=None, status=None,
                                 as_of=None, limit: int = 100, offset: int = 0,
                                 history: bool = False) -> tuple[int, str] | None:
        """observations_json's answer if it is cached, else None (never queries)."""
        key = ("obs_json", indicator, region, period, status, str(as_of or ""), limit, offset,
               history)
        return self._answers.peek(self.version, key)

    def _observations(self, indicator, region, period, status, as_of, limit, offset,
                      history=False) -> tuple[int, list[dict]]:
        listed, params = self.store.listing_sql(indicator, region, period, status, as_of,
                                                history)
        # The page alone is a top-N (no sort of every matching row); the total is a count,
        # asked only when the page does not tell it.
        sql = f"""SELECT {', '.join(STORED)} FROM ({listed})
                  ORDER BY indicator, region_code, period, vintage, obs_id LIMIT ? OFFSET ?"""
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")  # the page and the count of one snapshot
            rows = con.execute(sql, params + [int(limit), int(offset)]).fetchall()
            if rows and len(rows) < limit:
                total = offset + len(rows)
            else:
                total = con.execute(f"SELECT count(*) FROM ({listed})", params).fetchone()[0]
            con.execute("COMMIT")
        out = []
        for row in rows:
            r = dict(zip(STORED, row))
            r["region_name"] = self._region_name(r["region_code"])
            out.append(_display({k: _clean(r[k]) for k in COLUMNS}, self.catalog))
        return int(total), out

    def _region_name(self, code: str) -> str:
        """The catalog name of a code (a county's too), remembered; unknown: the code."""
        name = self._names.get(code)
        if name is None:
            try:
                name = self.catalog.region(code).name
            except KeyError:
                name = code
            self._names[code] = name
        return name

    def facts(self, as_of: dt.date | str | None = None) -> Facts:
        return Facts(self.store, as_of)

    def best(self, region: str, period: str | None = None,
             as_of: dt.date | str | None = None) -> dict[tuple[str, str], Fact]:
        """Per (indicator, period): the region's facts (digecon.facts' choice) at `as_of`."""
        facts = self.facts_of(regions=[region], periods=None if period is None else [period],
                              as_of=as_of)
        return {(f.indicator, f.period): f for f in facts}

    def facts_of(self, indicators: list[str] | None = None, regions: list[str] | None = None,
                 periods: list[str] | None = None,
                 as_of: dt.date | str | None = None) -> list[Fact]:
        """The chosen facts of these cells (digecon.facts' choice), cached per store version."""
        key = ("facts", tuple(indicators or ()), tuple(regions or ()), tuple(periods or ()),
               str(as_of or ""))

        def compute() -> tuple[int, list[Fact]]:
            facts = self._facts_of(indicators, regions, periods, as_of)
            return len(facts) + 1, facts

        return self._answers.get(self.version, key, compute)

    def _facts_of(self, indicators, regions, periods, as_of) -> list[Fact]:
        df = self.store.chosen(indicators=indicators, regions=regions, periods=periods,
                               as_of=as_of)
        return [fact_from_row(r, self.catalog) for r in df.to_dict("records")]

    def facts_json(self, indicators: list[str] | None = None, regions: list[str] | None = None,
                   periods: list[str] | None = None, as_of: dt.date | str | None = None,
                   limit: int = 500, offset: int = 0) -> tuple[int, str]:
        """(total, one page of facts as a JSON array), cached per store version."""
        key = ("facts_json", tuple(indicators or ()), tuple(regions or ()),
               tuple(periods or ()), str(as_of or ""), limit, offset)

        def compute() -> tuple[int, tuple[int, str]]:  # never through the cache: see refresh
            facts = self._facts_of(indicators, regions, periods, as_of)
            page = facts[offset:offset + limit]
            text = "[" + ",".join(json.dumps(f.to_dict(), ensure_ascii=False) for f in page) + "]"
            return len(page) + 1, (len(facts), text)

        return self._answers.get(self.version, key, compute)

    def cached_facts_json(self, indicators=None, regions=None, periods=None, as_of=None,
                          limit: int = 500, offset: int = 0) -> tuple[int, str] | None:
        """facts_json's answer if it is cached, else None (never queries)."""
        key = ("facts_json", tuple(indicators or ()), tuple(regions or ()),
               tuple(periods or ()), str(as_of or ""), limit, offset)
        return self._answers.peek(self.version, key)

    def indicator_summary(self) -> dict[str, dict]:
        """Per indicator: the sources, statuses and periods the store holds, and a row count."""
        sql = """SELECT indicator, list(DISTINCT source) FILTER (WHERE source <> ''),
                        list(DISTINCT status), list(DISTINCT period), count(*)
                 FROM observations GROUP BY indicator"""
        with self.store.connection() as con:
            rows = con.execute(sql).fetchall()
        return {ind: {"sources": set(src or []), "statuses": set(st), "periods": set(per),
                      "n": int(n)} for ind, src, st, per, n in rows}


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _export_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS + DISPLAY)
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            frame[col] = frame[col].map(neutralise)
    return frame


def to_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    _export_frame(rows).to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict], sheet: str = "observations") -> bytes:
    buf = io.BytesIO()
    frame = _export_frame(rows)
    # strings_to_formulas off: a cell of text is written as text, never as a live formula.
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False}}) as xw:
        frame.to_excel(xw, sheet_name=sheet, index=False)
        ws = xw.sheets[sheet]
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    return buf.getvalue()


__all__ = ["COLUMNS", "MARKED", "STATUS_ZH", "StoreView", "db_lock", "neutralise", "records",
           "to_csv", "to_xlsx"]
