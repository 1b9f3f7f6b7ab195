"""Ingest of a long CSV through digecon (validate whole file, append, derive) against DuckDB's own
`read_csv` of the same file into a table, in the same run.

    python benchmarks/bench_ingest.py [--rows 1000000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

import duckdb

from digecon.catalog import get_catalog
from digecon.ingest.files import ingest_files
from digecon.store import Store

RESULTS = Path(__file__).parent / "results" / "ingest.json"


def make_csv(path: Path, rows: int, seed: int = 1) -> None:
    """Realistic mix: every region, a few hundred indicators, yearly and monthly periods."""
    cat = get_catalog()
    rng = random.Random(seed)
    regions = [r.name for r in cat.regions()]
    indicators = [i for i in cat.indicators() if i.kind not in ("share",)]
    cells = set()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("region,indicator,period,value,unit\n")
        while len(cells) < rows:
            reg = rng.choice(regions)
            ind = rng.choice(indicators)
            year = rng.randint(1990, 2021)
            period = str(year) if rng.random() < 0.5 else f"{year}-{rng.randint(1, 12):02d}"
            key = (reg, ind.code, period)
            if key in cells:
                continue
            cells.add(key)
            fh.write(f"{reg},{ind.code},{period},{rng.uniform(0, 5000):.2f},{ind.unit}\n")


def time_it(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "long.csv"
        make_csv(csv_path, args.rows)
        baseline, ours = [], []
        for i in range(args.repeat):
            db = Path(tmp) / f"duck{i}.duckdb"
            def plain(db=db):
                con = duckdb.connect(str(db))
                con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv_path}')")
                con.close()
            baseline.append(time_it(plain))
            store = Store(Path(tmp) / f"store{i}.duckdb")
            store.init()
            ours.append(time_it(lambda store=store: ingest_files(
                store, [csv_path], vintage="2022-01-01", source="bench")))
            assert store.row_count() >= args.rows
        # Runs alternate, so a slow spell of the machine hits both; the ratio of the fastest
        # runs is the headline, the median of the per-pair ratios shows the spread.
        pairs = sorted(o / b for o, b in zip(ours, baseline))
        result = {"rows": args.rows, "baseline": "duckdb read_csv into a table",
                  "baseline_seconds": min(baseline), "digecon_seconds": min(ours),
                  "ratio": min(ours) / min(baseline),
                  "median_pair_ratio": pairs[len(pairs) // 2],
                  "all_baseline_seconds": baseline, "all_digecon_seconds": ours}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"{args.rows:,} rows: duckdb read_csv {result['baseline_seconds']:.2f} s, "
          f"digecon ingest {result['digecon_seconds']:.2f} s, ratio {result['ratio']:.2f}x "
          f"(median of {len(pairs)} paired runs {result['median_pair_ratio']:.2f}x)")


if __name__ == "__main__":
    main()
