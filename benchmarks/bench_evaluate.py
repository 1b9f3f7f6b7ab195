"""Benchmark: vectorised Monte Carlo (digecon.evaluate.run_uncertainty) vs a per-run loop of full builds.

Synthetic index: UNITS units × IND indicators (pillars of 6, two sub-indices, one index), lognormal
data with gaps. Factors: winmax (1–5), normalisation (minmax[1,100] / zscore(10,2)), ±25 % weight
noise at levels 2–3 (100 sets), aggregation (arithmetic / geometric). The baseline is the obvious
loop: one ordinary `build()` per run with that run's choices. It is timed on --loop-runs runs and
extrapolated linearly to --runs (the output says so).

    python benchmarks/bench_evaluate.py [--units 3000] [--indicators 60] [--runs 10000] [--loop-runs 20]
"""
from __future__ import annotations

import argparse
import copy
import json
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from digecon.evaluate import build, spec_from_dict
from digecon.evaluate.uncertainty import run_uncertainty

HERE = Path(__file__).parent


def make_spec(units: int, ind: int, seed: int, tmp: Path):
    rng = np.random.default_rng(seed)
    X = rng.lognormal(0, 1, size=(units, ind))
    X[rng.random(X.shape) < 0.02] = np.nan
    df = pd.DataFrame(X, columns=[f"i{j}" for j in range(ind)])
    df.insert(0, "uCode", [f"U{u:05d}" for u in range(units)])
    df.insert(1, "grp", np.where(np.arange(units) % 2, "a", "b"))
    df.to_csv(tmp / "data.csv", index=False)
    npil = max(2, ind // 6)
    meta = [{"iCode": f"i{j}", "Level": 1, "Parent": f"P{j % npil}", "Weight": 1, "Direction": 1} for j in range(ind)]
    meta += [{"iCode": f"P{p}", "Level": 2, "Parent": f"S{p % 2}", "Weight": 1} for p in range(npil)]
    meta += [{"iCode": "S0", "Level": 3, "Parent": "Index", "Weight": 1}, {"iCode": "S1", "Level": 3, "Parent": "Index", "Weight": 1},
             {"iCode": "Index", "Level": 4, "Weight": 1}]
    raw = {"data": "data.csv", "meta": meta,
           "steps": {"impute": {"method": "group_mean", "group": "grp"},
                     "treat": {"method": "winsorise", "winmax": 5},
                     "normalise": {"method": "minmax", "range": [1, 100]}, "aggregate": "arithmetic"},
           "uncertainty": {"sobol": False, "factors": {
               "winmax": [1, 2, 3, 4, 5],
               "normalise": [{"method": "minmax", "range": [1, 100]}, {"method": "zscore", "mean": 10, "sd": 2}],
               "weights_noise": {"levels": {2: 0.25, 3: 0.25}, "sets": 100},
               "aggregate": ["arithmetic", "geometric"]}}}
    return raw


def loop_baseline(raw: dict, tmp: Path, ua, n: int) -> tuple[float, np.ndarray]:
    """The straightforward way: rebuild the whole index for each run with its choices."""
    norms = {"minmax[1,100]": {"method": "minmax", "range": [1, 100]}, "zscore(m=10,sd=2)": {"method": "zscore", "mean": 10, "sd": 2}}
    f = next(f for f in ua.factors if f.name == "weights_noise")
    out = []
    t = time.perf_counter()
    for i in range(n):
        row = ua.runs.iloc[i]
        r = copy.deepcopy(raw)
        r.pop("uncertainty")
        r["steps"]["treat"]["winmax"] = int(row["winmax"])
        r["steps"]["normalise"] = norms[row["normalise"]]
        r["steps"]["aggregate"] = {"method": row["aggregate"]}
        spec = spec_from_dict(r, base_dir=tmp)
        for code, m in zip(spec.fw.all_codes, f.values[f.labels.index(row["weights_noise"])]):
            spec.fw.weight[code] *= m
        out.append(build(spec).scores["Index"].to_numpy())
    return time.perf_counter() - t, np.vstack(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=3000)
    ap.add_argument("--indicators", type=int, default=60)
    ap.add_argument("--runs", type=int, default=10000)
    ap.add_argument("--loop-runs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        raw = make_spec(a.units, a.indicators, a.seed, tmp)
        spec = spec_from_dict(copy.deepcopy(raw), base_dir=tmp)
        t0 = time.perf_counter()
        ua = run_uncertainty(spec, runs=a.runs, seed=a.seed, sobol=False)
        t_vec = time.perf_counter() - t0
        t_loop_n, loop_scores = loop_baseline(raw, tmp, ua, a.loop_runs)
    t_loop = t_loop_n / a.loop_runs * a.runs
    agree = float(np.max(np.abs(loop_scores - ua.scores[: a.loop_runs])))
    res = {"units": a.units, "indicators": a.indicators, "runs": a.runs,
           "vectorised_s": round(t_vec, 3), "vectorised_runs_per_s": round(a.runs / t_vec, 1),
           "loop_measured_runs": a.loop_runs, "loop_measured_s": round(t_loop_n, 3),
           "loop_extrapolated_s": round(t_loop, 1), "speedup": round(t_loop / t_vec, 1),
           "max_abs_diff_first_runs": agree, "baseline": "per-run loop of digecon.evaluate.build (full pipeline each run)",
           "machine": platform.platform(), "python": platform.python_version()}
    print(f"{a.units} units × {a.indicators} indicators × {a.runs} runs")
    print(f"vectorised: {t_vec:.2f} s ({a.runs / t_vec:.0f} runs/s)")
    print(f"per-run loop: {t_loop_n:.2f} s for {a.loop_runs} runs, extrapolated to {a.runs}: {t_loop:.0f} s")
    print(f"speed-up vs loop: {t_loop / t_vec:.1f}×  (scores agree to {agree:.1e}; vectorised stores float32)")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "evaluate.json").write_text(json.dumps(res, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
