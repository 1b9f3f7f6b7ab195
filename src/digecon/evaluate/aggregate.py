"""Aggregation level by level, batched over Monte Carlo runs: arithmetic, geometric, harmonic, sum, TOPSIS.

Values are units × children (one run) or runs × units × children; weights are children (one
run) or runs × children. Missing values are dropped and the weights renormalised, as COINr does.
"""
from __future__ import annotations

import numpy as np

from .errors import MethodError

METHODS = ("arithmetic", "geometric", "harmonic", "sum", "topsis")


def _wsum(V: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ_c V[..., u, c] w[..., c]; a shared 2-D V against per-run weights is one matrix product."""
    if V.ndim == 2 and w.ndim == 2:
        return w @ V.T  # runs × units
    return np.einsum("...uc,...c->...u", V, w)


def aggregate_block(V: np.ndarray, w: np.ndarray, method: str, codes: list[str] | None = None,
                    units: list[str] | None = None) -> np.ndarray:
    ok = ~np.isnan(V)
    Vf = np.where(ok, V, 0.0)
    den = _wsum(ok.astype(float), w)
    if method in ("geometric", "harmonic") and np.any(ok & (V <= 0)):
        idx = np.argwhere(ok & (V <= 0))[0]
        u, c = idx[-2], idx[-1]
        where = f"单位 {units[u] if units else u} 指标 {codes[c] if codes else c}"
        name = "几何平均" if method == "geometric" else "调和平均"
        raise MethodError(f"{name}要求数值为正：{where} 的值为 {V[tuple(idx)]:.6g}；"
                          "请将 normalise 区间设为 [1, 100] 等正区间")
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "arithmetic":
            out = _wsum(Vf, w) / den
        elif method == "sum":
            out = _wsum(Vf, w)
            out = np.where(ok.all(axis=-1), out, np.nan)  # a total with a missing part is no total
        elif method == "geometric":
            out = np.exp(_wsum(np.where(ok, np.log(np.where(ok, V, 1.0)), 0.0), w) / den)
        elif method == "harmonic":
            out = den / _wsum(np.where(ok, 1.0 / np.where(ok, V, 1.0), 0.0), w)
        elif method == "topsis":
            out = topsis(V, w)
        else:
            raise ValueError(method)
    return np.where(den > 0, out, np.nan) if method != "topsis" else out


def topsis(V: np.ndarray, w: np.ndarray) -> np.ndarray:
    """TOPSIS closeness ×100 on already-normalised, benefit-oriented values.

    Weighted values v = w·x (weights scaled to sum 1); the ideal and anti-ideal are the best and
    worst unit on each column; closeness D⁻ / (D⁺ + D⁻). Missing cells are left out of both sums.
    """
    wn = w / w.sum(axis=-1, keepdims=True)
    wn = wn[..., None, :]  # broadcast over units
    if V.ndim == 2 and wn.ndim == 3:
        V = np.broadcast_to(V, (wn.shape[0],) + V.shape)
    Vw = V * wn
    best = np.nanmax(Vw, axis=-2, keepdims=True)
    worst = np.nanmin(Vw, axis=-2, keepdims=True)
    dp = np.sqrt(np.nansum((Vw - best) ** 2, axis=-1))
    dm = np.sqrt(np.nansum((Vw - worst) ** 2, axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        c = dm / (dp + dm)
    return np.where(dp + dm > 0, c, 0.5) * 100.0


def aggregate_tree(X: np.ndarray, fw, w: np.ndarray, methods: list[str],
                   units: list[str] | None = None) -> dict[str, np.ndarray]:
    """Aggregate indicator values X (units × indicators, or runs × units × indicators) up the tree.

    w is one weight per code of fw.all_codes (or runs × codes). methods[k] aggregates level k+1
    into level k+2. Returns code → values (units, or runs × units) for every aggregate.
    """
    pos = {c: i for i, c in enumerate(fw.all_codes)}
    vals: dict[str, np.ndarray] = {}
    ind_pos = {c: j for j, c in enumerate(fw.indicators)}
    for k, level in enumerate(fw.levels[1:]):
        for agg in level:
            kids = fw.children[agg]
            if k == 0:
                V = X[..., [ind_pos[c] for c in kids]]
            else:
                V = np.stack([vals[c] for c in kids], axis=-1)
            wk = w[..., [pos[c] for c in kids]]
            vals[agg] = aggregate_block(V, wk, methods[k], kids, units)
    return vals
