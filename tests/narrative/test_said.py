"""A missing statement stays missing through attribute access, so its sentence is dropped."""
from __future__ import annotations

from digecon.narrative.said import Missing, gaps, has_gap


def test_an_attribute_of_a_missing_statement_is_missing_for_the_same_reason():
    m = Missing("没有各市的数值")
    part = m.joined_short
    assert isinstance(part, Missing) and not part
    text = f"其中{part}{m.text}高于全省平均水平。"
    assert has_gap(text) and gaps(text) == ["没有各市的数值", "没有各市的数值"]
