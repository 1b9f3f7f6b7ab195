"""Monte Carlo uncertainty and Sobol sensitivity over index choices, vectorised across runs.

Each factor is sampled as a uniform number mapped to one of its alternatives (as COINr does).
Runs that share the structural choices (winmax, normalisation, weighting, aggregation, removed
indicator) are aggregated together: their weights differ, so each level is one matrix product
over all of them. With `sobol`, the design is Saltelli's: A, B and the d mixed matrices AB_i
(N·(d+2) runs); first-order indices by Saltelli (2010), total by Jansen (1999), both on the mean
absolute rank shift from the nominal ranks — COINr's target quantity.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import METHODS as AGG_METHODS
from .aggregate import aggregate_tree
from .build import build, compute_weights_and_aggregate, denominate, impute, normalise_step
from .errors import SpecError
from .rank import rank_scores, tiers_from_breaks, tiers_jenks, tiers_kmeans, tiers_mean_sd
from .spec import WEIGHT_METHODS, IndexSpec, check_normalise
from .treat import treat_matrix

FACTOR_KEYS = ("winmax", "normalise", "weights_noise", "weighting", "aggregate", "remove_indicator")


@dataclass
class Factor:
    name: str
    labels: list[str]
    values: list[Any]


@dataclass
class UAResult:
    units: list[str]
    nominal_scores: np.ndarray
    nominal_ranks: np.ndarray
    scores: np.ndarray  # runs × units (float32)
    ranks: np.ndarray  # runs × units (float32)
    runs: pd.DataFrame  # one row per run: design block, every factor's alternative
    rank_stats: pd.DataFrame
    tier_probs: pd.DataFrame | None
    sobol: pd.DataFrame | None
    factors: list[Factor]
    notes: list[str] = field(default_factory=list)


def parse_factors(spec: IndexSpec, seed: int) -> list[Factor]:
    fs = (spec.uncertainty or {}).get("factors")
    where = f"{spec.source}: uncertainty.factors"
    if not isinstance(fs, dict) or not fs:
        raise SpecError(where, fs, "至少一个因素：" + ", ".join(FACTOR_KEYS))
    out: list[Factor] = []
    for name, val in fs.items():
        w = f"{where}.{name}"
        if name == "winmax":
            if not (isinstance(val, list) and val and all(isinstance(v, int) and v >= 0 for v in val)):
                raise SpecError(w, val, "非负整数列表，如 [1, 2, 3, 4, 5]")
            out.append(Factor(name, [str(v) for v in val], list(val)))
        elif name == "normalise":
            if not isinstance(val, list) or not val:
                raise SpecError(w, val, "归一化方案列表，如 [{method: minmax, range: [1, 100]}, {method: zscore, mean: 10, sd: 2}]")
            alts = [check_normalise(v, f"{w}[{i}]") for i, v in enumerate(val)]
            out.append(Factor(name, [_norm_label(a) for a in alts], alts))
        elif name == "weighting":
            if not isinstance(val, list) or not val or any(v not in WEIGHT_METHODS or v == "ahp" for v in val):
                raise SpecError(w, val, "赋权方法列表（metadata/equal/entropy/critic/cv/pca）")
            out.append(Factor(name, list(val), list(val)))
        elif name == "aggregate":
            if not isinstance(val, list) or not val or any(v not in AGG_METHODS for v in val):
                raise SpecError(w, val, "汇总方法列表（" + "/".join(AGG_METHODS) + "）")
            out.append(Factor(name, list(val), list(val)))
        elif name == "weights_noise":
            if not isinstance(val, dict) or not isinstance(val.get("levels"), dict):
                raise SpecError(w, val, "{levels: {2: 0.25, 3: 0.25}, sets: 100}")
            sets = int(val.get("sets", 100))
            mult = noisy_weight_multipliers(spec, {int(k): float(v) for k, v in val["levels"].items()}, sets, seed)
            out.append(Factor(name, [f"set{i + 1}" for i in range(sets)], list(mult)))
        elif name == "remove_indicator":
            codes = spec.fw.indicators if val is True else val
            if not isinstance(codes, list) or any(c not in spec.fw.indicators for c in codes):
                raise SpecError(w, val, "true（逐个删去每个指标）或指标代码列表")
            out.append(Factor(name, ["none"] + list(codes), [None] + list(codes)))
        else:
            raise SpecError(w, name, "以下因素之一：" + ", ".join(FACTOR_KEYS))
    return out


def _norm_label(n: dict) -> str:
    if n["method"] == "minmax":
        return f"minmax[{n['range'][0]},{n['range'][1]}]"
    if n["method"] == "zscore":
        return f"zscore(m={n.get('mean', 0)},sd={n.get('sd', 1)})"
    return n["method"]


def noisy_weight_multipliers(spec: IndexSpec, levels: dict[int, float], sets: int, seed: int) -> np.ndarray:
    """sets × codes multipliers: weight · (1 + U(−f, f)) at the chosen levels, 1 elsewhere (COINr's noise)."""
    rng = np.random.default_rng([seed, 1])
    lev = {c: k + 1 for k, codes in enumerate(spec.fw.levels) for c in codes}
    f = np.array([levels.get(lev[c], 0.0) for c in spec.fw.all_codes])
    return 1.0 + (rng.random((sets, f.size)) * 2 - 1) * f[None, :]


def design(n: int, d: int, seed: int, sobol: bool) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng([seed, 0])
    A = rng.random((n, d))
    if not sobol:
        return A, ["A"] * n
    B = rng.random((n, d))
    blocks = [A, B]
    names = ["A"] * n + ["B"] * n
    for i in range(d):
        ABi = A.copy()
        ABi[:, i] = B[:, i]
        blocks.append(ABi)
        names += [f"AB{i + 1}"] * n
    return np.vstack(blocks), names


class _Pipeline:
    """The build up to normalised data, cached per structural choice (what each MC run reuses)."""

    def __init__(self, spec: IndexSpec):
        self.spec = spec
        steps, data, fw = spec.steps, spec.data, spec.fw
        X = denominate(data, fw) if steps["denominate"] else data[fw.indicators].to_numpy(float)
        imp = steps["impute"]
        groups = data[imp["group"]].to_numpy() if imp["method"].startswith("group") else None
        self.X = impute(X, imp["method"], groups)
        self._treated: dict = {}
        self._norm: dict = {}
        self._w: dict = {}

    def treated(self, winmax: int | None) -> np.ndarray:
        t = self.spec.steps["treat"]
        if t["method"] != "winsorise":
            return self.X
        winmax = int(t["winmax"]) if winmax is None else winmax
        if winmax not in self._treated:
            self._treated[winmax] = treat_matrix(self.spec.fw.indicators, self.X, winmax, float(t["skew"]), float(t["kurt"]))[0]
        return self._treated[winmax]

    def normalised(self, winmax, norm_idx, norm) -> np.ndarray:
        key = (winmax, norm_idx)
        if key not in self._norm:
            self._norm[key] = normalise_step(self.treated(winmax), self.spec.fw, norm or self.spec.steps["normalise"])[0]
        return self._norm[key]

    def base_weights(self, key, Xn, fw, weighting, agg) -> np.ndarray:
        if key not in self._w:
            steps = copy.deepcopy(self.spec.steps)
            if weighting:
                steps["weights"] = {**steps["weights"], "method": weighting}
            if agg:
                steps["aggregate"] = {"method": agg}
            w, _ = compute_weights_and_aggregate(Xn, fw, steps, self.spec.units, [])
            self._w[key] = np.array([w[c] for c in fw.all_codes])
        return self._w[key]


def run_uncertainty(spec: IndexSpec, runs: int, seed: int = 0, sobol: bool | None = None,
                    target: str | None = None, chunk: int = 512,
                    progress: Callable[[int], None] | None = None) -> UAResult:
    if runs < 2:
        raise SpecError("--runs", runs, "至少 2 次")
    factors = parse_factors(spec, seed)
    unc = spec.uncertainty or {}
    sobol = bool(unc.get("sobol", True)) if sobol is None else sobol
    fw0 = spec.fw
    target = target or unc.get("target") or fw0.top
    if target not in fw0.aggregates:
        raise SpecError(f"{spec.source}: uncertainty.target", target, f"汇总代码之一：{fw0.aggregates}")
    nominal = build(spec)
    units = nominal.units
    if len(units) != len(spec.units):
        raise SpecError(f"{spec.source}: steps.screen", "筛除了单位", "不确定性分析暂不支持 screen 删除单位")
    nom_scores = nominal.scores.set_index("uCode")[target].to_numpy(float)
    nom_ranks = rank_scores(nom_scores)
    d = len(factors)
    U, blocks = design(runs, d, seed, sobol)
    idx = np.minimum((U * np.array([len(f.values) for f in factors])).astype(int),
                     np.array([len(f.values) - 1 for f in factors]))
    R, nU = idx.shape[0], len(units)
    pipe = _Pipeline(spec)
    fpos = {f.name: i for i, f in enumerate(factors)}

    def alt(row: np.ndarray, name: str):
        return factors[fpos[name]].values[row[fpos[name]]] if name in fpos else None

    scores = np.empty((R, nU), dtype=np.float32)
    structural = [i for i, f in enumerate(factors) if f.name != "weights_noise"]
    keys = [tuple(r) for r in idx[:, structural]] if structural else [()] * R
    groups: dict[tuple, list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    done = 0
    for key, rows in groups.items():
        r0 = idx[rows[0]]
        winmax = alt(r0, "winmax")
        norm_i = r0[fpos["normalise"]] if "normalise" in fpos else None
        Xn = pipe.normalised(winmax, norm_i, alt(r0, "normalise"))
        fw = fw0
        removed = alt(r0, "remove_indicator")
        if removed:
            j = fw0.indicators.index(removed)
            Xn = np.delete(Xn, j, axis=1)
            fw = fw0.without(removed)
        agg = alt(r0, "aggregate") or spec.steps["aggregate"]["method"]
        base = pipe.base_weights(key, Xn, fw, alt(r0, "weighting"), alt(r0, "aggregate"))
        methods = agg if isinstance(agg, list) else [agg] * (len(fw.levels) - 1)
        rows_a = np.array(rows)
        if "weights_noise" in fpos:
            mult_all = np.array(factors[fpos["weights_noise"]].values)
            col = [fw0.all_codes.index(c) for c in fw.all_codes]
            W = base[None, :] * mult_all[idx[rows_a, fpos["weights_noise"]]][:, col]
        else:
            W = np.broadcast_to(base, (len(rows), base.size))
        for s in range(0, len(rows), chunk):
            sl = slice(s, s + chunk)
            vals = aggregate_tree(Xn, fw, W[sl], methods, units)
            scores[rows_a[sl]] = vals[target]
            done += len(rows_a[sl])
            if progress:
                progress(len(rows_a[sl]))
    ranks = rank_scores(scores, axis=1).astype(np.float32)
    runs_df = pd.DataFrame({"run": np.arange(1, R + 1), "block": blocks})
    for i, f in enumerate(factors):
        runs_df[f.name] = [f.labels[j] for j in idx[:, i]]
        runs_df[f"{f.name}_u"] = U[:, i]
    stats = rank_statistics(units, nom_ranks, ranks)
    tier_probs = tier_probabilities(spec, units, scores, unc.get("tiers") or spec.steps.get("tiers"))
    sob = sobol_indices(ranks, nom_ranks, runs, factors) if sobol else None
    return UAResult(units, nom_scores, nom_ranks, scores, ranks, runs_df, stats, tier_probs, sob, factors)


def rank_statistics(units: list[str], nominal: np.ndarray, ranks: np.ndarray) -> pd.DataFrame:
    """Per unit: nominal, mean, median and the 5–95 % interval of its rank (quantiles as R type 7)."""
    q = np.quantile(ranks.astype(float), [0.05, 0.5, 0.95], axis=0)
    return pd.DataFrame({"uCode": units, "Nominal": nominal, "Mean": ranks.astype(float).mean(axis=0),
                         "Median": q[1], "Q5": q[0], "Q95": q[2]})


def tier_probabilities(spec: IndexSpec, units: list[str], scores: np.ndarray, tspec: dict | None) -> pd.DataFrame | None:
    """Share of runs in which each unit lands in each tier, re-tiering every run's scores."""
    if not tspec or tspec.get("rules"):
        return None  # rule tiers on raw indicator values do not move with the index choices
    m, k = tspec["method"], tspec.get("k")
    S = scores.astype(float)
    if m == "mean_sd":
        T = tiers_mean_sd(S, int(k or 4), axis=1)
    elif m == "thresholds":
        T = tiers_from_breaks(S, [float(b) for b in tspec["breaks"]])
    elif m == "jenks":
        T = np.vstack([tiers_jenks(s, int(k))[0] for s in S])
    else:
        T = np.vstack([tiers_kmeans(s, int(k), int(tspec.get("seed", 0)))[0] for s in S])
    ntier = int(np.nanmax(T))
    out = pd.DataFrame({"uCode": units})
    for t in range(1, ntier + 1):
        out[f"P_tier{t}"] = (T == t).mean(axis=0)
    out["modal_tier"] = out[[f"P_tier{t}" for t in range(1, ntier + 1)]].to_numpy().argmax(axis=1) + 1
    return out


def sobol_indices(ranks: np.ndarray, nominal: np.ndarray, n: int, factors: list[Factor]) -> pd.DataFrame:
    """First-order (Saltelli 2010) and total (Jansen 1999) indices of the mean absolute rank shift."""
    y = np.nanmean(np.abs(ranks.astype(float) - nominal[None, :]), axis=1)
    yA, yB = y[:n], y[n:2 * n]
    var = np.var(np.concatenate([yA, yB]), ddof=1)
    rows = []
    for i, f in enumerate(factors):
        yABi = y[(2 + i) * n:(3 + i) * n]
        si = np.mean(yB * (yABi - yA)) / var if var > 0 else 0.0
        sti = 0.5 * np.mean((yA - yABi) ** 2) / var if var > 0 else 0.0
        rows.append({"factor": f.name, "Si": si, "STi": sti})
    return pd.DataFrame(rows)
