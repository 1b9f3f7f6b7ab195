"""Ingest: departments' CSV/XLSX files and DataFrames, validated whole and written in one go."""
from __future__ import annotations

from .write import write_frame, write_staged

__all__ = ["write_frame", "write_staged"]
