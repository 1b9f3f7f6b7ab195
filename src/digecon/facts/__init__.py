"""Facts: the one place that turns the store's observations into the numbers every surface shows.

A cell's value at an `as_of` is chosen by one rule (digecon.store.schema.CHOICE_ORDER_SQL:
measured before illustrative/synthetic, newest vintage, then published > estimated > derived),
rounded and written by one rule (half-up at the catalog's decimals; a level or a count drops
a zero fraction: fact_text) and labelled in one vocabulary (STATUS_ZH). Narrative, figures,
publish, the API and the fact-checker read Facts only.
"""
from __future__ import annotations

from .fact import Fact, fact_from_row, series_texts
from .provenance import formula_zh, provenance_zh
from .reader import Facts
from .rounding import (
    WHOLE_KINDS,
    fact_text,
    format_number,
    round_half_up,
    rounded_float,
    to_decimal,
)
from .status import MARKED_STATUSES, STATUS_MARK, STATUS_ZH, is_marked, status_zh
from .words import unit_word

__all__ = ["MARKED_STATUSES", "STATUS_MARK", "STATUS_ZH", "WHOLE_KINDS", "Fact", "Facts",
           "fact_from_row", "fact_text", "format_number", "formula_zh", "is_marked",
           "provenance_zh", "round_half_up", "rounded_float", "series_texts", "status_zh",
           "to_decimal", "unit_word"]
