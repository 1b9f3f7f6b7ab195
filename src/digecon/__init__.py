"""digecon: measure, evaluate and publish a regional digital economy from data."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
