"""The measure commands print their sums by the one rounding rule (half-up on the decimal text,
digecon.facts), not by float formatting: 170008.5 万元 is 17.0009 亿元, not 17.0008."""
from __future__ import annotations

from digecon.facts import format_number
from digecon.measure.cli import _yi


def test_wan_yuan_as_yi_yuan_half_up():
    assert f"{170008.5 / 1e4:.4f}" == "17.0008"  # what the message printed before
    assert _yi(170008.5) == "17.0009" == format_number(17.00085, 4)
    assert _yi(12345.0) == "1.2345"
