"""The catalog: regions (GB/T 2260), indicators and units that every other part refers to.

The packaged tables can be extended by data: a dataset's `catalog/` folder and the folders
in $DIGECON_CATALOG_PATH add regions.csv and indicators.csv rows (see docs/store.md).
"""
from __future__ import annotations

from .extend import get_catalog
from .model import Catalog, CatalogError, Indicator, Region, UnknownNameError

__all__ = ["Catalog", "CatalogError", "Indicator", "Region", "UnknownNameError", "get_catalog"]
