"""Composite indices: COINr-compatible build steps, Chinese weighting methods, tiers and uncertainty."""
from __future__ import annotations

from .build import IndexResult, build
from .errors import MethodError, SpecError
from .spec import IndexSpec, load_spec, spec_from_dict
from .uncertainty import UAResult, run_uncertainty

__all__ = ["IndexResult", "IndexSpec", "MethodError", "SpecError", "UAResult", "build", "load_spec",
           "run_uncertainty", "spec_from_dict"]
