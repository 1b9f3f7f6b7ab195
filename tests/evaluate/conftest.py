"""Shared fixtures for evaluate tests: paths to the COINr reference files and the datasets."""
from pathlib import Path

import pytest

FIX = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parents[2]


@pytest.fixture
def fix() -> Path:
    return FIX
