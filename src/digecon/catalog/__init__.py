"""The catalog: regions (GB/T 2260: every province, prefecture-level unit and county, with
short names, kinds, aliases and the groupings 东部/中部/西部/东北), indicators and units that
every other part refers to.

The packaged tables can be extended by data: the active dataset's `catalog/` folder and the
folders in $DIGECON_CATALOG_PATH add regions.csv and indicators.csv rows (see docs/store.md).
Importing the catalog loads neither duckdb nor pandas.
"""
from __future__ import annotations

from .extend import get_catalog
from .model import (
    AmbiguousNameError,
    Catalog,
    CatalogError,
    Indicator,
    Region,
    RegionGroup,
    UnknownNameError,
)
from .relations import (
    FormulaError,
    Relation,
    RelationError,
    Term,
    parse_formula,
    relations_of,
)

__all__ = ["AmbiguousNameError", "Catalog", "CatalogError", "FormulaError", "Indicator", "Region",
           "RegionGroup", "Relation", "RelationError", "Term", "UnknownNameError", "get_catalog",
           "parse_formula", "relations_of"]
