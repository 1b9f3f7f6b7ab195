"""Errors a person can act on: every message names where, what was found and what was expected."""
from __future__ import annotations

from digecon.errors import InputError


class SpecError(InputError):
    """Bad index spec or input data; the message is shown to the user as is (Chinese + codes)."""

    def __init__(self, where: str, found: object, expected: str) -> None:
        self.where, self.found, self.expected = where, found, expected
        super().__init__(f"{where}: 发现 {found!r}，应为 {expected}")


class MethodError(InputError):
    """A method cannot run on these data (e.g. zeros under a geometric mean); message is user-facing."""


class MissingInputError(SpecError, LookupError):
    """The store lacks data the spec reads (none at its as_of, or too many units without it).

    A LookupError too, as the other "not in the store" errors: a report build turns it into
    「数据库中缺少报告所需数据」 rather than a traceback."""

    def __init__(self, where: str, found: object, expected: str, indicator: str | None = None,
                 period: str | None = None) -> None:
        super().__init__(where, found, expected)
        # what is missing, for a message in a reader's words (the dashboard's public pages)
        self.indicator, self.period = indicator, period
