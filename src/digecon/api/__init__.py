"""HTTP API and dashboard: open reading of the store, token-guarded writing, offline pages."""
from __future__ import annotations

from .app import create_app
from .config import Settings

__all__ = ["Settings", "create_app"]
