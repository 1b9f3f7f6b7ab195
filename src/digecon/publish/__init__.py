"""Publish: a report spec and the store → the white paper as HTML, PDF, Word and an Excel annex."""
from __future__ import annotations

__all__: list[str] = []
