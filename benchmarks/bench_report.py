"""Time each stage of the full white-paper build on the demo store (not part of the test run).

Usage: .venv/bin/python benchmarks/bench_report.py [--db PATH] [--runs N] [--out DIR]
Without --db, a fresh store is made with `digecon init` + the demo dataset in a temp dir.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "datasets" / "jiangxi-2022" / "report.yaml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="digecon-bench-"))
    db = args.db
    timings: dict[str, list[float]] = {}
    if db is None:
        db = str(tmp / "demo.duckdb")
        t = time.perf_counter()
        env = {"DIGECON_DB": db, "PATH": "/usr/bin:/bin"}
        for cmd in (["init"], ["load-demo"]):
            subprocess.run([sys.executable, "-m", "digecon.cli", *cmd], check=True, env=env,
                           capture_output=True)
        timings["load_demo"] = [time.perf_counter() - t]

    from digecon.publish.build import build_report
    from digecon.store import Store

    store = Store(db)
    for i in range(args.runs):
        t = time.perf_counter()
        result = build_report(SPEC, store, Path(args.out or tmp) / f"run{i}")
        timings.setdefault("total", []).append(time.perf_counter() - t)
        for stage, sec in result.timings.items():
            timings.setdefault(stage, []).append(sec)
    print(f"{'stage':<16}{'median s':>10}{'min s':>10}  runs={args.runs}")
    for stage, values in timings.items():
        print(f"{stage:<16}{statistics.median(values):>10.2f}{min(values):>10.2f}")
    svg = [(Path(args.out or tmp) / f"run{i}" / "html" / "figures" / "map_city_de.svg").read_bytes()
           for i in range(args.runs)]
    print("SVG identical across runs:", all(s == svg[0] for s in svg))


if __name__ == "__main__":
    main()
