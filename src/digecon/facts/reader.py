"""Reading facts from the store at one `as_of`: the only way a surface gets a number."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .fact import Fact, fact_from_row

Key = tuple[str, str, str]  # (indicator, region code, period)


class Facts:
    """The store as known at `as_of` (None: the newest vintages), one Fact per cell.

    Cells are read in bulk by indicator and cached, so a report or a page that asks for
    hundreds of cells costs a few queries. Bounds (超2500亿元) are not facts a chart can draw;
    `bounds()` returns them for the texts that quote them.
    """

    def __init__(self, store, as_of: str | dt.date | None = None):
        self.store = store
        self.catalog = store.catalog
        self.as_of = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
        self._by_indicator: dict[str, dict[tuple[str, str], Fact]] = {}

    # one cell -----------------------------------------------------------------------------
    def get(self, indicator: str, region: str, period: str | int) -> Fact | None:
        code = self._indicator_code(indicator)
        if code is None:
            return None
        try:
            reg = self.catalog.region(region).code
        except KeyError:
            return None
        return self._load([code])[code].get((reg, str(period)))

    # many cells ---------------------------------------------------------------------------
    def select(self, indicators: Iterable[str], regions: Iterable[str] | None = None,
               periods: Iterable[str | int] | None = None) -> list[Fact]:
        """The facts of these indicators (in the order given), optionally only these regions
        and periods, ordered by indicator, region code and period."""
        codes = [c for c in (self._indicator_code(i) for i in indicators) if c is not None]
        loaded = self._load(codes)
        regs = None if regions is None else {self.catalog.region(r).code for r in regions}
        pers = None if periods is None else {str(p) for p in periods}
        out = []
        for code in dict.fromkeys(codes):
            cells = loaded[code]
            for key in sorted(cells):
                if (regs is None or key[0] in regs) and (pers is None or key[1] in pers):
                    out.append(cells[key])
        return out

    def all(self) -> list[Fact]:
        """Every cell of the store (for audits and the consistency test)."""
        df = self.store.chosen(as_of=self.as_of)
        return [fact_from_row(r, self.catalog) for r in df.to_dict("records")]

    def bounds(self, indicator: str, region: str, period: str | int) -> list[Fact]:
        """Published statements of a bound (超X, 不到X) about a cell, newest vintage first."""
        df = self.store.query(indicator=indicator, region=region, period=str(period),
                              as_of=self.as_of)
        df = df[df["qualifier"] != "eq"].sort_values("vintage", ascending=False)
        return [fact_from_row(r, self.catalog) for r in df.to_dict("records")]

    def history(self, indicator: str, region: str, period: str | int) -> list[Fact]:
        """Every exact value ever stored for a cell up to `as_of`, oldest vintage first
        (revisions, and the vintage a quoted number came from)."""
        df = self.store.query(indicator=indicator, region=region, period=str(period),
                              as_of=self.as_of, latest_only=False)
        df = df[df["qualifier"] == "eq"].sort_values(["vintage", "obs_id"])
        return [fact_from_row(r, self.catalog) for r in df.to_dict("records")]

    # internals ----------------------------------------------------------------------------
    def _indicator_code(self, indicator: str) -> str | None:
        try:
            return self.catalog.indicator(indicator).code
        except KeyError:
            return None

    def _load(self, codes: list[str]) -> dict[str, dict[tuple[str, str], Fact]]:
        missing = [c for c in dict.fromkeys(codes) if c not in self._by_indicator]
        if missing:
            for c in missing:
                self._by_indicator[c] = {}
            df = self.store.chosen(indicators=missing, as_of=self.as_of)
            for row in df.to_dict("records"):
                fact = fact_from_row(row, self.catalog)
                self._by_indicator[fact.indicator][(fact.region, fact.period)] = fact
        return {c: self._by_indicator[c] for c in codes}
