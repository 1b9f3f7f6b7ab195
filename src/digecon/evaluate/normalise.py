"""Normalisation of indicator columns (units down, indicators across); direction is applied first."""
from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

METHODS = ("none", "minmax", "zscore", "rank", "percentile", "goalposts", "dist_to_max", "dist_to_target")


def _colwise(X: np.ndarray, f) -> np.ndarray:
    return np.column_stack([f(X[:, j], j) for j in range(X.shape[1])]) if X.shape[1] else X.copy()


def normalise(X: np.ndarray, direction: np.ndarray, method: str = "minmax",
              range_: tuple[float, float] = (0.0, 100.0), mean_sd: tuple[float, float] = (0.0, 1.0),
              goalposts: np.ndarray | None = None, targets: np.ndarray | None = None,
              scale: float = 100.0, codes: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Return the normalised matrix and notes on columns that needed special handling.

    A constant column carries no information; rather than divide by zero it is set to the
    middle of the target range (minmax), to the mean (zscore) or left tied (ranks), and noted.
    """
    notes: list[str] = []
    name = (lambda j: codes[j]) if codes else str
    Xd = X.astype(float) * direction[None, :]
    lo_t, hi_t = range_

    def minmax(x, j):
        lo, hi = np.nanmin(x), np.nanmax(x)
        if hi == lo:
            notes.append(f"{name(j)}: constant, set to mid-range")
            return np.where(np.isnan(x), np.nan, (lo_t + hi_t) / 2)
        return (x - lo) / (hi - lo) * (hi_t - lo_t) + lo_t

    def zscore(x, j):
        sd = np.nanstd(x, ddof=1)
        if not sd > 0:
            notes.append(f"{name(j)}: constant, set to the mean")
            return np.where(np.isnan(x), np.nan, mean_sd[0])
        return (x - np.nanmean(x)) / sd * mean_sd[1] + mean_sd[0]

    def rank(x, j):
        r = rankdata(x, method="average", nan_policy="omit")
        return np.where(np.isnan(x), np.nan, r)

    def percentile(x, j):
        ok = ~np.isnan(x)
        n = ok.sum()
        r = rankdata(x, method="average", nan_policy="omit")
        # (rank-1)/(n-1): lowest 0, highest 1, ties share their mean rank, times the scale
        p = (r - 1) / (n - 1) if n > 1 else np.full_like(x, 0.5)
        return np.where(ok, p * scale, np.nan)

    def dist_to_max(x, j):
        lo, hi = np.nanmin(x), np.nanmax(x)
        if hi == lo:
            notes.append(f"{name(j)}: constant, distance to max is 0 for all")
            return np.where(np.isnan(x), np.nan, scale)
        return (1 - (hi - x) / (hi - lo)) * scale

    if method == "none":
        return X.astype(float), notes  # raw values, direction not applied (nothing to orient)
    if method == "minmax":
        return _colwise(Xd, minmax), notes
    if method == "zscore":
        return _colwise(Xd, zscore), notes
    if method == "rank":
        return _colwise(Xd, rank), notes
    if method == "percentile":
        return _colwise(Xd, percentile), notes
    if method == "dist_to_max":
        return _colwise(Xd, dist_to_max), notes
    if method == "goalposts":
        # goalposts: rows (low, high) in original units; scaled then clipped to [0, scale]
        assert goalposts is not None
        lo, hi = goalposts[:, 0], goalposts[:, 1]
        raw = X.astype(float)
        v = np.where(direction[None, :] > 0, (raw - lo) / (hi - lo), (hi - raw) / (hi - lo))
        return np.clip(v, 0, 1) * scale, notes
    if method == "dist_to_target":
        # distance to target: 1 - |target - x| / |target - worst|, capped at 1 once the target is met
        assert targets is not None
        raw = X.astype(float)
        out = np.empty_like(raw)
        for j in range(raw.shape[1]):
            x, t = raw[:, j], targets[j]
            worst = np.nanmin(x) if direction[j] > 0 else np.nanmax(x)
            gap = abs(t - worst)
            met = (x >= t) if direction[j] > 0 else (x <= t)
            v = 1 - np.abs(t - x) / gap if gap > 0 else np.ones_like(x)
            out[:, j] = np.where(np.isnan(x), np.nan, np.where(met, 1.0, v) * scale)
        return out, notes
    raise ValueError(method)
