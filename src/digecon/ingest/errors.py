"""What ingest raises besides a validation report: a file it cannot read, a store it cannot write.

Both are digecon.errors.InputError (the one family the command line turns into exit 2)."""
from __future__ import annotations

from digecon.errors import InputError


class ReadError(InputError):
    """The file cannot be read as a table at all (missing, empty, no header we recognise)."""


class WriteError(InputError):
    """The batch was valid but the store could not take it (disk full, directory not writable);
    nothing was written."""


class Refused(InputError):
    """What the ingest command reports when a batch is refused for any reason but its
    validation: the reason on lines of its own (each FILE[:SHEET]:ROW:COLUMN: …), then that
    nothing was written."""

    def __init__(self, reason: object):
        self.reason = reason
        super().__init__(f"导入被拒绝：\n{reason}\n未写入任何数据。")
