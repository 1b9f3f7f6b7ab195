"""Weighting methods over a block of (normalised) columns: equal, entropy 熵权法, CRITIC, CV, AHP, PCA.

Each function takes units × columns and returns weights summing to 1, plus notes on any column
that needed special handling. Missing values are left out column by column.
"""
from __future__ import annotations

import numpy as np

from .errors import MethodError

# Saaty's random consistency index by matrix order (1-based; orders 1 and 2 are always consistent).
SAATY_RI = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
            11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}


def _normalised(w: np.ndarray, what: str) -> np.ndarray:
    s = w.sum()
    if not np.isfinite(s) or s <= 0:
        raise MethodError(f"{what}: 所有指标的权重均为 0（各列均为常数？），无法确定权重")
    return w / s


def equal(X: np.ndarray) -> np.ndarray:
    return np.full(X.shape[1], 1.0 / X.shape[1])


def entropy(X: np.ndarray, codes: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """熵权法: p = x / Σx per column; e = −Σ p ln p / ln n; weight ∝ 1 − e.

    Needs non-negative values (normalise first). Zeros are allowed: 0·ln 0 is taken as 0, the
    usual limit. A constant column has e = 1 and gets weight 0 (noted).
    """
    codes = codes or [str(j) for j in range(X.shape[1])]
    notes = []
    if np.nanmin(X) < 0:
        j = int(np.nanargmin(np.nanmin(X, axis=0)))
        raise MethodError(f"熵权法需要非负数据：指标 {codes[j]} 有负值 {np.nanmin(X[:, j]):.6g}；请先用 minmax 等归一化")
    d = np.empty(X.shape[1])
    for j in range(X.shape[1]):
        x = X[:, j][~np.isnan(X[:, j])]
        n, s = x.size, x.sum()
        if n < 2 or s == 0:
            d[j] = 0.0
            notes.append(f"{codes[j]}: all zero or < 2 values, entropy weight 0")
            continue
        p = x / s
        pl = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
        e = -pl.sum() / np.log(n)
        d[j] = 1.0 - e if 1.0 - e > 1e-12 else 0.0  # rounding leaves ~1e-16 on a constant column
        if d[j] == 0:
            notes.append(f"{codes[j]}: constant column, entropy weight 0")
    return _normalised(d, "熵权法"), notes


def critic(X: np.ndarray, codes: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """CRITIC: weight ∝ σ_j Σ_k (1 − r_jk), σ the sample standard deviation, r Pearson correlation."""
    codes = codes or [str(j) for j in range(X.shape[1])]
    notes = []
    sd = np.nanstd(X, axis=0, ddof=1)
    const = ~(sd > 0)
    C = np.zeros((X.shape[1], X.shape[1]))
    live = np.flatnonzero(~const)
    if live.size:
        # pairwise-complete correlations would differ by pair; complete rows keep it one matrix
        rows = ~np.isnan(X[:, live]).any(axis=1)
        C_live = np.corrcoef(X[rows][:, live], rowvar=False) if live.size > 1 else np.ones((1, 1))
        C[np.ix_(live, live)] = C_live
    for j in np.flatnonzero(const):
        notes.append(f"{codes[j]}: constant column, CRITIC weight 0")
    # a constant column has no correlation; it is left out of the others' conflict sums
    conflict = (1 - C[:, ~const]).sum(axis=1)
    info = np.where(const, 0.0, np.nan_to_num(sd) * conflict)
    return _normalised(info, "CRITIC"), notes


def cv(X: np.ndarray, codes: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Coefficient of variation: weight ∝ σ_j / |mean_j|; a zero mean is refused."""
    codes = codes or [str(j) for j in range(X.shape[1])]
    m = np.nanmean(X, axis=0)
    sd = np.nanstd(X, axis=0, ddof=1)
    for j in range(X.shape[1]):
        if m[j] == 0:
            raise MethodError(f"变异系数法：指标 {codes[j]} 的均值为 0，变异系数无定义；请改用 minmax 到 [1,100] 等正区间")
    notes = [f"{codes[j]}: constant column, CV weight 0" for j in range(X.shape[1]) if not sd[j] > 0]
    return _normalised(np.nan_to_num(sd / np.abs(m)), "变异系数法"), notes


def ahp(matrix: np.ndarray) -> tuple[np.ndarray, float, float]:
    """AHP: principal eigenvector of a reciprocal pairwise matrix; returns (weights, λmax, CR)."""
    A = np.asarray(matrix, dtype=float)
    n = A.shape[0]
    vals, vecs = np.linalg.eig(A)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = SAATY_RI.get(n, 1.59)
    cr = ci / ri if ri > 0 else 0.0
    return w, lam, cr


def check_pairwise(A: np.ndarray, where: str) -> None:
    from .errors import SpecError
    n = A.shape[0]
    if A.ndim != 2 or A.shape[1] != n:
        raise SpecError(where, A.shape, "方阵（n×n）")
    if np.any(A <= 0):
        raise SpecError(where, A[A <= 0][0], "全部为正数的判断矩阵")
    bad = np.argwhere(~np.isclose(A * A.T, 1.0, rtol=1e-3))
    if bad.size:
        i, j = bad[0]
        raise SpecError(f"{where}[{i}][{j}]", float(A[i, j]), f"互反矩阵，即 a[{i}][{j}] = 1 / a[{j}][{i}] = {1 / A[j, i]:.4g}")


def pca(X: np.ndarray, codes: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """PCA weights: squared loadings of the first principal component of the correlation matrix.

    The eigenvector has unit length, so its squared loadings already sum to 1 (the OECD/JRC
    handbook's rule, restricted to the first factor). Complete rows only; constant columns get 0.
    """
    codes = codes or [str(j) for j in range(X.shape[1])]
    sd = np.nanstd(X, axis=0, ddof=1)
    live = np.flatnonzero(sd > 0)
    notes = [f"{codes[j]}: constant column, PCA weight 0" for j in range(X.shape[1]) if j not in set(live)]
    w = np.zeros(X.shape[1])
    if live.size == 1:
        w[live] = 1.0
        return w, notes
    Y = X[:, live]
    Y = Y[~np.isnan(Y).any(axis=1)]
    R = np.corrcoef(Y, rowvar=False)
    vals, vecs = np.linalg.eigh(R)
    v = vecs[:, -1]
    w[live] = v**2
    share = vals[-1] / vals.sum()
    notes.append(f"first component explains {share:.1%} of variance")
    return _normalised(w, "PCA"), notes
