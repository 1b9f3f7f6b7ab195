"""digecon: measure, evaluate and publish a regional digital economy from data.

The public surface is this module's ``__all__``; everything else is private. Names load on
first use, so ``import digecon`` stays cheap.

>>> from digecon import Store, check_text
>>> Store("digecon.duckdb").value("de_va", "江西省", "2021")["value"]   # doctest: +SKIP
10378.0
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    # catalog and store
    "get_catalog": "digecon.catalog", "Region": "digecon.catalog", "Indicator": "digecon.catalog",
    "UnknownNameError": "digecon.catalog",
    "Store": "digecon.store", "STATUSES": "digecon.store", "StoreLockedError": "digecon.store",
    "StoreMissingError": "digecon.store",
    # ingest
    "ingest_files": "digecon.ingest.files", "ValidationError": "digecon.ingest.validate",
    "ReadError": "digecon.ingest.reader",
    # measure
    "growth": "digecon.measure.derive", "cagr": "digecon.measure.derive",
    "share": "digecon.measure.derive", "multiple_added": "digecon.measure.derive",
    "multiple_of": "digecon.measure.derive", "pp_change": "digecon.measure.derive",
    "avg_annual_pp_change": "digecon.measure.derive", "growth_gap": "digecon.measure.derive",
    "contribution": "digecon.measure.derive", "Derived": "digecon.measure.derive",
    # evaluate
    "build_index": ("digecon.evaluate", "build"), "load_index_spec": ("digecon.evaluate", "load_spec"),
    "run_uncertainty": "digecon.evaluate", "IndexResult": "digecon.evaluate",
    # narrative and fact-check
    "generate": "digecon.narrative", "check_text": "digecon.factcheck", "Claim": "digecon.factcheck",
    # figures
    "build_option": "digecon.figures", "figure_data": "digecon.figures",
    "render_svg": "digecon.figures", "render_png": "digecon.figures",
}

__all__ = ["__version__", *sorted(_EXPORTS)]  # noqa: PLE0604 - the lazily exported names


def __getattr__(name: str):
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'digecon' has no attribute {name!r}")
    module, attr = target if isinstance(target, tuple) else (target, name)
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
