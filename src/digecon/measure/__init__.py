"""Digital-economy accounts: derived measures, 数字产业化 from records, 产业数字化 by growth accounting."""
from digecon.measure.derive import (
    Derived,
    avg_annual_pp_change,
    cagr,
    contribution,
    growth,
    growth_gap,
    multiple_added,
    multiple_of,
    pp_change,
    share,
)

__all__ = [
    "Derived",
    "avg_annual_pp_change",
    "cagr",
    "contribution",
    "growth",
    "growth_gap",
    "multiple_added",
    "multiple_of",
    "pp_change",
    "share",
]
