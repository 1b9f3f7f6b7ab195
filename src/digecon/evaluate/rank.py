"""Competition ranking ("1224") on unrounded scores, and tiers (梯队)."""
from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from .errors import SpecError

TIER_METHODS = ("thresholds", "jenks", "mean_sd", "kmeans")


def rank_scores(s: np.ndarray, axis: int = -1) -> np.ndarray:
    """Rank 1 = highest; ties share the lowest rank (1, 2, 2, 4); missing stays missing."""
    s = np.asarray(s, dtype=float)
    r = rankdata(-s, method="min", axis=axis, nan_policy="omit")
    return np.where(np.isnan(s), np.nan, r)


def tiers_from_breaks(s: np.ndarray, breaks: list[float]) -> np.ndarray:
    """Tier 1 is the top. breaks are lower bounds, high to low: s ≥ b[0] → 1, s ≥ b[1] → 2, …"""
    b = sorted(breaks, reverse=True)
    t = np.full(s.shape, len(b) + 1, dtype=float)
    for k in range(len(b) - 1, -1, -1):
        t = np.where(s >= b[k], k + 1, t)
    return np.where(np.isnan(s), np.nan, t)


def tiers_mean_sd(s: np.ndarray, k: int = 4, axis: int = -1) -> np.ndarray:
    """Mean ± σ bands. k=4: ≥ μ+σ | [μ, μ+σ) | [μ−σ, μ) | < μ−σ; k=3 merges the two lowest; k=2 splits at μ."""
    mu = np.nanmean(s, axis=axis, keepdims=True)
    sd = np.nanstd(s, axis=axis, ddof=1, keepdims=True)
    t = np.where(s >= mu + sd, 1, np.where(s >= mu, 2, np.where(s >= mu - sd, 3, 4))).astype(float)
    if k == 3:
        t = np.minimum(t, 3)
    elif k == 2:
        t = np.where(s >= mu, 1.0, 2.0)
    elif k != 4:
        raise SpecError("steps.tiers.k", k, "mean_sd 的 k 为 2、3 或 4")
    return np.where(np.isnan(s), np.nan, t)


def tiers_jenks(s: np.ndarray, k: int) -> tuple[np.ndarray, list[float]]:
    """Exact Jenks natural breaks (jenkspy, Fisher's dynamic programme); top class is tier 1."""
    import jenkspy

    v = s[~np.isnan(s)]
    if np.unique(v).size < k:
        raise SpecError("steps.tiers.k", k, f"不超过不同分值的个数（{np.unique(v).size}）")
    br = jenkspy.jenks_breaks(v.tolist(), n_classes=k)  # k+1 edges, ascending
    # class j covers (br[j], br[j+1]]; the first class includes its minimum
    lower = br[1:-1]  # upper edges of classes 1..k-1, inclusive in the lower class
    t = np.full(s.shape, np.nan)
    ok = ~np.isnan(s)
    cls = np.searchsorted(lower, s[ok], side="left")  # 0 = lowest class
    t[ok] = k - cls
    return t, [float(b) for b in br]


def tiers_kmeans(s: np.ndarray, k: int, seed: int = 0) -> tuple[np.ndarray, list[float]]:
    """Seeded 1-D k-means; clusters numbered from the highest centre (tier 1)."""
    from sklearn.cluster import KMeans

    ok = ~np.isnan(s)
    km = KMeans(n_clusters=k, random_state=seed, n_init=10).fit(s[ok].reshape(-1, 1))
    centres = km.cluster_centers_.ravel()
    order = np.argsort(-centres)
    tier_of = np.empty(k)
    tier_of[order] = np.arange(1, k + 1)
    t = np.full(s.shape, np.nan)
    t[ok] = tier_of[km.labels_]
    return t, sorted(centres.tolist(), reverse=True)


OPS = {"gt": np.greater, "ge": np.greater_equal, "lt": np.less, "le": np.less_equal, "eq": np.equal}


def tiers_rules(columns: dict[str, np.ndarray], rules: list[dict], n: int) -> np.ndarray:
    """Ordered rules, first match wins: [{tier: 1, when: {de_va: {gt: 2500}, ...}}, {tier: 3}]."""
    t = np.full(n, np.nan)
    for i, rule in enumerate(rules):
        where = f"steps.tiers.rules[{i}]"
        if "tier" not in rule:
            raise SpecError(where, rule, "含 tier 的规则，如 {tier: 1, when: {de_va: {gt: 2500}}}")
        hit = np.ones(n, dtype=bool)
        for col, conds in (rule.get("when") or {}).items():
            if col not in columns:
                raise SpecError(f"{where}.when.{col}", col, f"已有的指标或汇总代码之一：{sorted(columns)[:12]}")
            if not isinstance(conds, dict):
                raise SpecError(f"{where}.when.{col}", conds, "如 {gt: 35}")
            for op, val in conds.items():
                if op not in OPS:
                    raise SpecError(f"{where}.when.{col}.{op}", op, "gt/ge/lt/le/eq 之一")
                hit &= OPS[op](columns[col], float(val))
        t = np.where(np.isnan(t) & hit, float(rule["tier"]), t)
    return t
