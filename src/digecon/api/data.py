"""Reading the store for the API: an in-memory snapshot of current observations, refreshed on change.

The DuckDB file allows one writer process or many readers, and opening it costs milliseconds, so
the newest vintage of every observation is held in memory and reloaded when the file changes.
`as_of` queries (older vintages) go to the store itself with parameterised SQL.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd

from digecon.catalog import get_catalog
from digecon.store import Store

# One lock per process around every DuckDB connection: an ingest opens the file read-write, and
# DuckDB refuses a read-only connection to the same file in the same process meanwhile.
db_lock = threading.RLock()

COLUMNS = ["region_code", "region_name", "indicator", "period", "value", "unit", "qualifier",
           "status", "vintage", "source", "section", "ref", "quote", "formula", "inputs", "note",
           "obs_id"]
MARKED = ("illustrative", "synthetic")
STATUS_ZH = {"published": "公开发布", "estimated": "估算", "derived": "派生",
             "illustrative": "示意", "synthetic": "合成"}


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


def records(df: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in zip(COLUMNS, row)} for row in df[COLUMNS].itertuples(
        index=False, name=None)]


@dataclass
class Snapshot:
    version: int
    rows: list[dict]
    json_rows: list[str]  # each row pre-serialised: most requests only join strings
    by_indicator: dict[str, list[int]]
    by_region: dict[str, list[int]]


def _positions(rows: list[dict], key: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        out.setdefault(r[key], []).append(i)
    return out


class StoreView:
    """The store as the server sees it: a snapshot keyed by the file's size and mtime."""

    def __init__(self, store: Store):
        self.store = store
        self.catalog = get_catalog()
        self._stamp: tuple | None = None
        self._snap: Snapshot | None = None
        self._version = 0
        self._reload = threading.Lock()

    def _file_stamp(self) -> tuple:
        parts = []
        for p in (self.store.path, self.store.path.with_name(self.store.path.name + ".wal")):
            try:
                st = os.stat(p)
                parts.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                parts.append(None)
        return tuple(parts)

    def snapshot(self) -> Snapshot:
        stamp = self._file_stamp()
        if self._snap is not None and stamp == self._stamp:
            return self._snap
        with self._reload:
            stamp = self._file_stamp()
            if self._snap is None or stamp != self._stamp:
                with db_lock:
                    df = self.store.query(latest_only=True)
                rows = records(df)
                self._version += 1
                self._snap = Snapshot(self._version, rows,
                                      [json.dumps(r, ensure_ascii=False) for r in rows],
                                      _positions(rows, "indicator"), _positions(rows, "region_code"))
                self._stamp = stamp
        return self._snap

    @property
    def version(self) -> int:
        return self.snapshot().version

    def filter(self, indicator: str | None = None, region: str | None = None,
               period: str | None = None, status: str | None = None) -> list[int]:
        """Row positions in the snapshot that match; names are resolved through the catalog."""
        snap = self.snapshot()
        ind = self.catalog.indicator(indicator).code if indicator else None
        reg = self.catalog.region(region).code if region else None
        if ind is not None:
            candidates = snap.by_indicator.get(ind, [])
        elif reg is not None:
            candidates = snap.by_region.get(reg, [])
        else:
            candidates = range(len(snap.rows))
        out = []
        for i in candidates:
            r = snap.rows[i]
            if ((ind is None or r["indicator"] == ind) and (reg is None or r["region_code"] == reg)
                    and (period is None or r["period"] == period)
                    and (status is None or r["status"] == status)):
                out.append(i)
        return out

    def query_as_of(self, indicator: str | None, region: str | None, period: str | None,
                    status: str | None, as_of: dt.date) -> list[dict]:
        with db_lock:
            df = self.store.query(indicator=indicator, region=region, period=period,
                                  status=status, as_of=as_of)
        return records(df)

    def best(self, region: str, period: str | None = None) -> dict[tuple[str, str], dict]:
        """Per (indicator, period): the exact value of best status (as Store.value chooses)."""
        from digecon.store.schema import STATUS_PRIORITY

        out: dict[tuple[str, str], dict] = {}
        for r in self.snapshot().rows:
            if r["region_code"] != region or r["qualifier"] != "eq":
                continue
            if period is not None and r["period"] != period:
                continue
            key = (r["indicator"], r["period"])
            cur = out.get(key)
            if cur is None or _better(r, cur, STATUS_PRIORITY):
                out[key] = r
        return out


def _better(a: dict, b: dict, prio: dict[str, int]) -> bool:
    """Store.value's order: status priority, then newest vintage, then first stored."""
    if prio[a["status"]] != prio[b["status"]]:
        return prio[a["status"]] < prio[b["status"]]
    if a["vintage"] != b["vintage"]:
        return a["vintage"] > b["vintage"]
    return a["obs_id"] < b["obs_id"]


def to_csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows, columns=COLUMNS).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(rows: list[dict], sheet: str = "observations") -> bytes:
    buf = io.BytesIO()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        frame.to_excel(xw, sheet_name=sheet, index=False)
        ws = xw.sheets[sheet]
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(frame), len(COLUMNS) - 1)
    return buf.getvalue()
