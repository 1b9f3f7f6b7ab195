"""Accounts fixtures: an empty store of its own per test (the accounts' tables are made on use)."""
from __future__ import annotations

import pytest

from digecon.store import Store


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "accounts.duckdb")
    s.init()
    return s
