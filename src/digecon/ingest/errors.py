"""What ingest raises besides a validation report: a file it cannot read, a store it cannot write."""
from __future__ import annotations


class ReadError(Exception):
    """The file cannot be read as a table at all (missing, empty, no header we recognise)."""


class WriteError(Exception):
    """The batch was valid but the store could not take it (disk full, directory not writable);
    nothing was written."""
