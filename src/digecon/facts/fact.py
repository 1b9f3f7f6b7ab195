"""A fact: one chosen value of a cell with everything a surface needs to show and explain it."""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .rounding import fact_text, format_number, round_half_up, rounded_float
from .status import is_marked, status_zh


@dataclass(frozen=True)
class Fact:
    indicator: str
    name: str            # the indicator's Chinese name from the catalog
    region: str          # GB/T 2260 code
    region_name: str
    period: str
    value: float         # full precision, as stored
    unit: str
    decimals: int        # from the catalog
    status: str
    source: str
    vintage: dt.date
    qualifier: str = "eq"
    section: str = ""
    ref: str = ""
    quote: str = ""
    formula: str = ""
    inputs: str = ""     # JSON list of the inputs of a derived value
    note: str = ""
    obs_id: int = 0
    kind: str = ""       # the indicator's catalog kind (level, count, share …)

    @property
    def rounded(self) -> Decimal:
        """The value at the catalog's decimals, half-up: what every surface prints."""
        return round_half_up(self.value, self.decimals)

    @property
    def text(self) -> str:
        """The rounded value as text, by the catalog's decimals and kind (35.0, 10378, 1.55):
        see rounding.fact_text."""
        return fact_text(self.value, self.decimals, self.kind)

    @property
    def number(self) -> float | int:
        """The rounded value as a JSON number (chart labels, API `value_rounded`)."""
        return rounded_float(self.value, self.decimals)

    @property
    def text_with_unit(self) -> str:
        return self.text + (self.unit if self.unit not in ("", "梯队") else "")

    @property
    def status_zh(self) -> str:
        return status_zh(self.status)

    @property
    def marked(self) -> bool:
        return is_marked(self.status)

    def input_list(self) -> list[dict]:
        return json.loads(self.inputs) if self.inputs else []

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the stored fields plus the rounded text and the status label."""
        return {
            "indicator": self.indicator, "name": self.name, "region_code": self.region,
            "region_name": self.region_name, "period": self.period, "value": self.value,
            "value_rounded": self.number, "text": self.text, "unit": self.unit,
            "decimals": self.decimals, "status": self.status, "status_zh": self.status_zh,
            "marked": self.marked, "qualifier": self.qualifier, "source": self.source,
            "section": self.section, "ref": self.ref, "quote": self.quote,
            "vintage": self.vintage.isoformat(), "formula": self.formula,
            "inputs": self.inputs, "note": self.note,
        }


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def fact_from_row(row: dict, catalog) -> Fact:
    """A Fact from one store row (Store.chosen / Store.query); name, decimals, unit and kind
    from the catalog."""
    code = str(row["indicator"])
    try:
        ind = catalog.indicator(code)
        name, decimals, unit, kind = ind.name_zh, int(ind.decimals or 0), ind.unit, ind.kind
    except KeyError:  # the store validates codes on write, so only a shrunken catalog gets here
        name, decimals, unit, kind = code, 1, "", ""
    vintage = row["vintage"]
    if not isinstance(vintage, dt.date):
        vintage = dt.date.fromisoformat(str(vintage)[:10])
    elif isinstance(vintage, dt.datetime):
        vintage = vintage.date()
    return Fact(
        indicator=code, name=name, region=str(row["region_code"]),
        region_name=_text(row.get("region_name")) or str(row["region_code"]),
        period=str(row["period"]), value=float(row["value"]),
        unit=_text(row.get("unit")) or unit, decimals=decimals, status=str(row["status"]),
        source=_text(row.get("source")), vintage=vintage,
        qualifier=_text(row.get("qualifier")) or "eq", section=_text(row.get("section")),
        ref=_text(row.get("ref")), quote=_text(row.get("quote")),
        formula=_text(row.get("formula")), inputs=_text(row.get("inputs")),
        note=_text(row.get("note")), obs_id=int(row.get("obs_id") or 0), kind=kind)


def series_texts(facts: list[Fact]) -> list[str]:
    """The texts of one chart series, read at one precision: when any of them keeps a fraction
    every one is written at its catalog decimals (6.5, 5.0, 5.0, 3.9 — not 6.5, 5, 5, 3.9);
    otherwise each fact's own text (10378, 7260)."""
    texts = [f.text for f in facts]
    if any("." in t for t in texts):
        return [format_number(f.value, f.decimals) for f in facts]
    return texts
