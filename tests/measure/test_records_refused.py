"""`digecon measure enterprises` refuses records it cannot account for: no rows at all, or an
amount that is not a finite number — exit 2, the cell named, nothing written (it used to crash
on the first and write 「不平衡」 accounts with exit 0 on the second)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from digecon.measure.cli import EXIT_REJECTED, measure

from .conftest import FIXTURES

RECORDS = FIXTURES / "two_industries.csv"
HEADER = RECORDS.read_text(encoding="utf-8").splitlines()[0] + "\n"


def _run(records: Path, out: Path):
    return CliRunner().invoke(measure, ["enterprises", str(records), "--out", str(out / "di.csv")])


def _refused(r, out: Path, *needles: str) -> None:
    assert isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code == EXIT_REJECTED, r.output
    for n in needles:
        assert n in r.output, r.output
    assert not out.exists()


def test_header_only_csv_is_refused(tmp_path):
    f = tmp_path / "h.csv"
    f.write_text(HEADER, encoding="utf-8")
    _refused(_run(f, tmp_path / "out"), tmp_path / "out", "h.csv", "没有数据行")


def test_header_only_parquet_is_refused(tmp_path):
    f = tmp_path / "h.parquet"
    pd.read_csv(RECORDS).head(0).to_parquet(f, index=False)
    _refused(_run(f, tmp_path / "out"), tmp_path / "out", "h.parquet", "没有数据行")


@pytest.mark.parametrize("word", ["inf", "-inf", "Infinity", "nan"])
def test_non_finite_amount_in_csv_is_named(tmp_path, word):
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[7] = word  # operating_surplus of E002, line 3 of the file
    lines[2] = ",".join(cells)
    f = tmp_path / "r.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _refused(_run(f, tmp_path / "out"), tmp_path / "out",
             f"r.csv:3:operating_surplus: 取值 '{word}'", "有限数值")


def test_non_finite_amount_in_parquet_is_named(tmp_path):
    # codes as text, as the synthetic generator writes them
    df = pd.read_csv(RECORDS, dtype={"region_code": str, "industry_code": str})
    df["depreciation"] = df["depreciation"].astype(float)
    df.loc[3, "depreciation"] = float("inf")
    f = tmp_path / "r.parquet"
    df.to_parquet(f, index=False)
    _refused(_run(f, tmp_path / "out"), tmp_path / "out", "r.parquet:4:depreciation", "有限数值")


def test_finite_records_still_reconcile(tmp_path):
    r = _run(RECORDS, tmp_path / "out")
    assert r.exit_code in (0, 3), r.output
    assert "（已核对）" in r.output
    acc = pd.read_csv(tmp_path / "out" / "di.csv")
    assert len(acc) > 0 and acc["value_added"].notna().all()
