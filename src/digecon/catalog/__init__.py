"""The catalog: regions (GB/T 2260), indicators and units that every other part refers to."""
from __future__ import annotations

from .model import Catalog, Indicator, Region, UnknownNameError, get_catalog

__all__ = ["Catalog", "Indicator", "Region", "UnknownNameError", "get_catalog"]
