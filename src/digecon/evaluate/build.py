"""Run an index spec: denominate → impute → screen → treat → normalise → weight → aggregate → rank → tier."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import weights as wmod
from .aggregate import aggregate_block
from .errors import MethodError, SpecError
from .framework import Framework
from .normalise import normalise
from .rank import (
    rank_scores,
    tiers_from_breaks,
    tiers_jenks,
    tiers_kmeans,
    tiers_mean_sd,
    tiers_rules,
)
from .spec import IndexSpec, check_matrix
from .treat import TreatInfo, treat_matrix


@dataclass
class IndexResult:
    units: list[str]
    names: list[str]
    stages: dict[str, pd.DataFrame]  # uCode + codes, full precision
    scores: pd.DataFrame
    ranks: pd.DataFrame
    tiers: pd.DataFrame | None
    weights: pd.DataFrame  # iCode, Level, Parent, Weight (normalised within parent), method
    treatment: list[TreatInfo]
    notes: list[str]
    spec: dict  # the resolved spec that made these results
    tier_info: dict = field(default_factory=dict)


def _frame(units: list[str], codes: list[str], X: np.ndarray) -> pd.DataFrame:
    df = pd.DataFrame(X, columns=codes)
    df.insert(0, "uCode", units)
    return df


def denominate(data: pd.DataFrame, fw: Framework) -> np.ndarray:
    X = data[fw.indicators].to_numpy(dtype=float).copy()
    for j, code in enumerate(fw.indicators):
        den = fw.denominator.get(code)
        if den:
            d = data[den].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                X[:, j] = np.where(d != 0, X[:, j] / d, np.nan)
    return X


def impute(X: np.ndarray, method: str, groups: np.ndarray | None = None) -> np.ndarray:
    """Fill gaps with the column mean/median, overall or within the unit's group.

    A gap whose whole group is missing stays missing (and is dropped at aggregation).
    """
    if method == "none":
        return X.copy()
    f = np.nanmean if method.endswith("mean") else np.nanmedian
    out = X.copy()
    if method in ("mean", "median"):
        with np.errstate(all="ignore"):
            fill = f(X, axis=0) if X.size else np.array([])
        return np.where(np.isnan(X), fill[None, :], X)
    assert groups is not None
    for g in pd.unique(groups):
        rows = groups == g
        if not np.any(rows & np.isnan(X).any(axis=1)):
            continue
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            fill = f(X[rows], axis=0)
        out[rows] = np.where(np.isnan(X[rows]), fill[None, :], X[rows])
    return out


def level_weights(fw: Framework, steps: dict, values: dict[str, np.ndarray], level: int,
                  notes: list[str], normalise: bool = True) -> dict[str, float]:
    """Weights of the codes at `level` (1 = indicators), normalised within each parent."""
    wspec = steps["weights"]
    method = wspec["method"]
    levels_on = wspec.get("levels")
    if levels_on is not None and level not in levels_on:
        method = "metadata"
    out: dict[str, float] = {}
    parents = fw.levels[level] if level < len(fw.levels) else []
    for parent in parents:
        kids = fw.children[parent]
        if method == "metadata":
            w = np.array([fw.weight[k] for k in kids], float)
        elif method == "equal":
            w = np.ones(len(kids))
        elif method == "ahp":
            m = wspec["matrices"].get(parent)
            where = f"steps.weights.matrices.{parent}"
            if m is None:
                w = np.array([fw.weight[k] for k in kids], float)
                notes.append(f"AHP: no matrix for {parent}, metadata weights used")
            else:
                order = m.get("codes", kids)
                if sorted(order) != sorted(kids):
                    raise SpecError(f"{where}.codes", order, f"{parent} 的下级代码 {kids}")
                A = check_matrix(m.get("matrix"), len(kids), f"{where}.matrix")
                wa, lam, cr = wmod.ahp(A)
                notes.append(f"AHP {parent}: lambda_max={lam:.6f} CR={cr:.6f}")
                if cr >= 0.1 and not wspec.get("force", False):
                    raise SpecError(f"{where}.matrix", f"一致性比率 CR = {cr:.4f}", "CR < 0.1（请调整判断矩阵，或设 force: true 强制使用）")
                w = np.array([wa[order.index(k)] for k in kids])
        else:
            V = np.column_stack([values[k] for k in kids])
            fn = {"entropy": wmod.entropy, "critic": wmod.critic, "cv": wmod.cv, "pca": wmod.pca}[method]
            w, n = fn(V, kids) if len(kids) > 1 else (np.ones(1), [])
            notes.extend(f"{method} {parent}: {x}" for x in n)
        total = float(np.sum(w))
        if not np.isfinite(total) or total <= 0:
            raise MethodError(f"{parent} 之下的权重全为 0（{', '.join(kids)}；方法 {method}），"
                              f"无法汇总；应至少有一个下级的权重大于 0")
        # a weighted sum (method: sum) keeps the weights as written; everything else sums to 1
        w = w / total if normalise else w
        out.update(dict(zip(kids, w)))
    return out


def compute_weights_and_aggregate(Xn: np.ndarray, fw: Framework, steps: dict, units: list[str],
                                  notes: list[str]) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    methods = steps["aggregate"]["method"]
    nlev = len(fw.levels)
    methods = methods if isinstance(methods, list) else [methods] * (nlev - 1)
    if len(methods) != nlev - 1:
        raise SpecError("steps.aggregate.method", methods, f"一个方法或每层一个（共 {nlev - 1} 个）")
    values = {c: Xn[:, j] for j, c in enumerate(fw.indicators)}
    weights: dict[str, float] = {fw.top: 1.0}
    for k in range(1, nlev):
        wk = level_weights(fw, steps, values, k, notes, normalise=methods[k - 1] != "sum")
        weights.update(wk)
        for parent in fw.levels[k]:
            kids = fw.children[parent]
            V = np.column_stack([values[c] for c in kids])
            values[parent] = aggregate_block(V, np.array([wk[c] for c in kids]), methods[k - 1], kids, units)
    return weights, values


def assign_tiers(spec_t: dict, scores: dict[str, np.ndarray], top: str, n: int, notes: list[str],
                 seed: int = 0) -> tuple[np.ndarray, dict]:
    on = spec_t.get("on") or top
    method, k = spec_t["method"], spec_t.get("k")
    info: dict = {"method": method, "on": on}
    if method == "thresholds" and spec_t.get("rules"):
        return tiers_rules(scores, spec_t["rules"], n), info
    if on not in scores:
        raise SpecError("steps.tiers.on", on, f"已有的代码之一：{sorted(scores)[:12]}")
    s = scores[on]
    if method == "thresholds":
        t = tiers_from_breaks(s, [float(b) for b in spec_t["breaks"]])
        info["breaks"] = spec_t["breaks"]
    elif method == "mean_sd":
        t = tiers_mean_sd(s, int(k or 4))
    elif method == "jenks":
        t, info["breaks"] = tiers_jenks(s, int(k))
    else:
        t, info["centres"] = tiers_kmeans(s, int(k), int(spec_t.get("seed", seed)))
    return t, info


def build(spec: IndexSpec) -> IndexResult:
    fw, steps, data = spec.fw, spec.steps, spec.data
    notes: list[str] = []
    units = data["uCode"].astype(str).tolist()
    names = data["uName"].astype(str).tolist()
    I = fw.indicators
    X = data[I].to_numpy(dtype=float)
    stages = {"Raw": _frame(units, I, X)}
    if steps["denominate"]:
        X = denominate(data, fw)
        stages["Denominated"] = _frame(units, I, X)
    imp = steps["impute"]
    groups = data[imp["group"]].to_numpy() if imp["method"].startswith("group") else None
    X = impute(X, imp["method"], groups)
    stages["Imputed"] = _frame(units, I, X)
    min_data = float(steps["screen"].get("min_data", 0) or 0)
    if min_data > 0:
        # COINr screens the data set it is given (after imputation in its example); `on: raw`
        # screens on the raw availability instead, which is usually what a report means
        basis = stages["Raw"][I].to_numpy() if steps["screen"].get("on") == "raw" else X
        keep = (~np.isnan(basis)).mean(axis=1) >= min_data
        if not keep.all():
            dropped = [u for u, k in zip(units, keep) if not k]
            notes.append(f"screen: dropped {dropped} (data availability < {min_data:.0%})")
            X = X[keep]
            units = [u for u, k in zip(units, keep) if k]
            names = [u for u, k in zip(names, keep) if k]
            stages = {k: v[keep].reset_index(drop=True) for k, v in stages.items()}
        stages["Screened"] = _frame(units, I, X)
    infos: list[TreatInfo] = []
    if steps["treat"]["method"] == "winsorise":
        t = steps["treat"]
        X, infos = treat_matrix(I, X, int(t["winmax"]), float(t["skew"]), float(t["kurt"]))
        stages["Treated"] = _frame(units, I, X)
    Xn, nnotes = normalise_step(X, fw, steps["normalise"], data)
    notes.extend(nnotes)
    stages["Normalised"] = _frame(units, I, Xn)
    weights, values = compute_weights_and_aggregate(Xn, fw, steps, units, notes)
    aggs = fw.aggregates
    stages["Aggregated"] = _frame(units, I + aggs, np.column_stack([values[c] for c in I + aggs]))
    score_codes = (I + aggs) if steps["rank"].get("indicators") else aggs
    if steps["rank"].get("indicators"):
        # indicator scores/ranks: the normalised values, or raw values oriented by Direction if not normalised
        for j, c in enumerate(I):
            values[c] = Xn[:, j] * (fw.direction[c] if steps["normalise"]["method"] == "none" else 1)
    S = np.column_stack([values[c] for c in score_codes])
    scores = _frame(units, score_codes, S)
    # ranks use unrounded scores unless the spec asks otherwise (COINr 0.6 ranked 2-dp scores)
    rnd = steps["rank"].get("round")
    ranks = _frame(units, score_codes, rank_scores(S if rnd is None else np.round(S, int(rnd)), axis=0))
    ranks[score_codes] = ranks[score_codes].astype("Int64")
    tiers = None
    tier_info: dict = {}
    if steps["tiers"]:
        cols = {**{c: stages["Raw"][c].to_numpy(float) for c in I}, **{c: values[c] for c in aggs}}
        t, tier_info = assign_tiers(steps["tiers"], cols, fw.top, len(units), notes)
        labels = steps["tiers"].get("labels")
        tiers = pd.DataFrame({"uCode": units, "uName": names, "score": values[fw.top], "tier": pd.array(t, dtype="Float64").astype("Int64")})
        if labels:
            tiers["label"] = [labels[int(x) - 1] if not np.isnan(x) and int(x) - 1 < len(labels) else "" for x in t]
    wdf = pd.DataFrame({"iCode": list(weights), "Weight": list(weights.values())})
    lev = {c: k + 1 for k, lev_ in enumerate(fw.levels) for c in lev_}
    parent = {kid: p for p, kids in fw.children.items() for kid in kids}
    wdf.insert(1, "Level", [lev[c] for c in wdf["iCode"]])
    wdf.insert(2, "Parent", [parent.get(c, "") for c in wdf["iCode"]])
    wdf["method"] = steps["weights"]["method"]
    resolved = spec.resolved()
    if spec.provenance:
        resolved["provenance"] = spec.provenance
    return IndexResult(units, names, stages, scores, ranks, tiers, wdf, infos, notes, resolved, tier_info)


def normalise_step(X: np.ndarray, fw: Framework, nspec: dict, data: pd.DataFrame | None = None):
    direction = np.array([fw.direction[c] for c in fw.indicators])
    method = nspec["method"]
    kw: dict = {"range_": tuple(nspec["range"]), "codes": fw.indicators,
                "mean_sd": (float(nspec.get("mean", 0.0)), float(nspec.get("sd", 1.0))),
                "scale": float(nspec.get("scale", 100.0))}
    if method == "goalposts":
        gp = nspec.get("goalposts") or {}
        missing = [c for c in fw.indicators if c not in gp]
        if missing:
            raise SpecError("steps.normalise.goalposts", missing[:5], "每个指标的 [低, 高] 目标值")
        kw["goalposts"] = np.array([gp[c] for c in fw.indicators], dtype=float)
    if method == "dist_to_target":
        tg = nspec.get("targets")
        if tg is None:
            col = fw.meta.set_index("iCode").get("Target")
            tg = {} if col is None else col.to_dict()
        vals = [tg.get(c) for c in fw.indicators]
        if any(pd.isna(v) for v in vals):
            raise SpecError("steps.normalise.targets", [c for c, v in zip(fw.indicators, vals) if pd.isna(v)][:5],
                            "每个指标的目标值（iMeta 的 Target 列或 targets: {代码: 值}）")
        kw["targets"] = np.array(vals, dtype=float)
    return normalise(X, direction, method, **kw)
