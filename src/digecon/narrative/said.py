"""What a statement block returns: a phrase that remembers the facts it rests on, or a gap.

A `Said` is a str, so templates concatenate it freely; a `Missing` is a falsy Said whose text
is a sentinel. The renderer drops every sentence that still contains a sentinel after the
template has run and reports why, so a missing fact never prints as None or as a bare gap.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Self

from digecon.facts import Fact

from .fmt import ILLUSTRATIVE_MARK

SENTINEL = "\x00"
_GAP = re.compile("\x00([^\x00]*)\x00")


class Said(str):
    """A phrase of a generated text and the facts behind its numbers."""

    facts: tuple[Fact, ...] = ()
    value: float | None = None  # the number it states, when it states one (a change's sign)

    def __new__(cls, text: str, facts: Iterable[Fact] = (), value: float | None = None) -> Self:
        obj = super().__new__(cls, text)
        obj.facts = tuple(facts)
        obj.value = value
        return obj

    def __bool__(self) -> bool:
        return True  # a statement made, even an empty one ({{ m }}迈入… with m == "")

    @property
    def up(self) -> bool:
        """States a rise (or a positive number): lets a template choose 升至 over 降至."""
        return self.value is not None and self.value > 0

    @property
    def down(self) -> bool:
        return self.value is not None and self.value < 0

    @property
    def marked(self) -> bool:
        """Rests on an illustrative value (shown with the mark)."""
        return any(rests_on(f, ("illustrative",)) for f in self.facts)


class Missing(Said):
    """No fact for a statement: falsy in templates, and the sentence holding it is dropped."""

    def __new__(cls, why: str) -> Self:
        obj = super().__new__(cls, SENTINEL + why.replace(SENTINEL, "") + SENTINEL)
        obj.why = why
        return obj

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name: str):
        # `{{ leaders.joined_short }}` of a missing statement is missing too: the sentence is
        # dropped for the same reason instead of the template failing.
        if name.startswith("_"):
            raise AttributeError(name)
        return self


def rests_on(fact: Fact, statuses: tuple[str, ...]) -> bool:
    """The fact has one of `statuses`, or is derived from an input that has."""
    return fact.status in statuses or any(i.get("status") in statuses for i in fact.input_list())


def marked(text: str, facts: Iterable[Fact], value: float | None = None) -> Said:
    """The phrase with the illustrative mark when any fact it rests on is illustrative (or is
    derived from an illustrative input)."""
    facts = tuple(facts)
    if any(rests_on(f, ("illustrative",)) for f in facts) and not text.endswith(ILLUSTRATIVE_MARK):
        text += ILLUSTRATIVE_MARK
    return Said(text, facts, value)


def gaps(text: str) -> list[str]:
    """The reasons of the sentinels left in a text."""
    return _GAP.findall(text)


def has_gap(text: str) -> bool:
    return SENTINEL in text
