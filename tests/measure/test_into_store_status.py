"""Accounts computed from the synthetic generator's records are stored as synthetic, never derived."""
from __future__ import annotations

from conftest import run_cli

from digecon.store import Store


def test_synthetic_records_into_store_are_synthetic(tmp_path):
    records = tmp_path / "syn.parquet"
    db = tmp_path / "s.duckdb"
    assert run_cli("measure", "synthetic", "--records", "3000", "--out", str(records)).returncode == 0
    assert run_cli("init", db=db).returncode == 0  # --into-store writes to an existing store only
    out = run_cli("measure", "enterprises", str(records), "--into-store", "--out",
                  str(tmp_path / "di.csv"), db=db)
    assert out.returncode in (0, 3), out.stderr
    rows = Store(db).query(indicator="di_va")
    assert len(rows) > 0
    assert set(rows["status"]) == {"synthetic"}
