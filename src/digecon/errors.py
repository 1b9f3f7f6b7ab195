"""The one family of errors about a user's input: where it is, what was found, what was expected.

Every part of digecon raises a subclass of InputError for input a person has to correct (a file,
a spec, a name, a request); the command line turns any of them into exit code 2 with its message,
in one place (digecon.cli), and nothing is written. Imports nothing of digecon, so every layer
may use it.
"""
from __future__ import annotations


class InputError(ValueError):
    """Bad input: FILE[:SHEET][:ROW][:COLUMN]: 发现 FOUND，应为 EXPECTED.

    Subclasses may pass a finished message instead (their own wording), or set the fields and
    let `format()` write it; either way the fields say where the problem is when known."""

    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    found: object = ""
    expected: str = ""

    def __init__(self, message: str = "", *, file: str = "", sheet: str = "",
                 row: int | None = None, column: str = "", found: object = "",
                 expected: str = ""):
        # A subclass may have set these before calling up: only what is given replaces them.
        given = {"file": str(file), "sheet": sheet, "row": row, "column": column,
                 "found": found, "expected": expected}
        for name, value in given.items():
            if value not in ("", None):
                setattr(self, name, value)
        super().__init__(message or self.format())

    @property
    def location(self) -> str:
        return ":".join(str(x) for x in (self.file, self.sheet, self.row, self.column)
                        if x not in ("", None))

    def format(self) -> str:
        head = f"{self.location}: " if self.location else ""
        return f"{head}发现{self.found}，应为{self.expected}"


EXIT_INPUT = 2  # every command's exit code for input it refused

__all__ = ["EXIT_INPUT", "InputError"]
