"""What a numeric claim is and what a check on it says."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Check:
    """One test of a claim: the rule, its verdict, what the arithmetic expects, the working in Chinese."""

    rule: str
    ok: bool | None  # None = could not be decided, or the failure is blamed on another number
    expected: str
    explanation: str
    explanation_en: str = ""
    related: list[tuple[int, int]] = field(default_factory=list)  # spans of the other numbers used


@dataclass
class Claim:
    """A number stated in a text, with what it speaks of and how it was checked."""

    quote: str            # the clause around the number
    start: int            # character span of the number and its unit in the text
    end: int
    text: str             # the number as written (1,234.5亿元, 三成, 18.4万公里)
    value: str            # the number in digits, signed as meant (下降3.2% -> -3.2)
    unit: str
    qualifier: str = "eq"  # eq gt ge lt le approx
    kind: str = "other"    # level growth_rate increment share pp_change gap multiple cagr avg_pp_change
    #                        avg_increment rank count other
    region: str = ""
    period: str = ""
    indicator: str = ""    # catalog code when the quantity is a catalog indicator
    quantity: str = ""     # the noun phrase naming what it measures
    role: str = ""         # base period, whole or comparator, in words
    status: str = "unverifiable"
    suggested: str | None = None
    checks: list[Check] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
