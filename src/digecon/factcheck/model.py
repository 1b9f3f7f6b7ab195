"""What a numeric claim is and what a check on it says."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any


@dataclass
class Check:
    """One test of a claim: the rule, what the arithmetic expects, and the working in Chinese and English."""

    rule: str
    ok: bool | None  # None = could not be decided
    expected: str
    explanation: str
    explanation_en: str = ""


@dataclass
class Claim:
    """A number stated in a text, with what it speaks of and how it was checked."""

    quote: str            # the clause around the number
    start: int            # character span of the number and its unit in the text
    end: int
    text: str             # the number as written (10378亿元, 三个, 万亿)
    value: str            # the number in digits as written (35.0, 2/3)
    unit: str
    qualifier: str = "eq"  # eq gt ge lt approx
    kind: str = "other"    # level growth_rate share pp_change multiple rank count index_score other
    region: str = ""
    period: str = ""
    indicator: str = ""
    quantity: str = ""     # words before the number naming what it measures
    role: str = ""         # sub-kind used by the rules: gap, avg_pp, cagr, added, of, change, increment
    status: str = "unverifiable"
    checks: list[Check] = field(default_factory=list)

    @property
    def number(self) -> Fraction:
        return Fraction(self.value)

    @property
    def decimals(self) -> int:
        return len(self.value.split(".")[1]) if "." in self.value else 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return d
