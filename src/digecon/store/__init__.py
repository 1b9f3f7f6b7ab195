"""The observation store (DuckDB): append-only vintages, status and provenance on every value."""
from __future__ import annotations

from .connection import StoreLockedError
from .schema import STATUSES
from .store import Store, StoreMissingError

__all__ = ["STATUSES", "Store", "StoreLockedError", "StoreMissingError"]
