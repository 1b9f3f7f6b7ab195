"""Outlier treatment: COINr's skew/kurtosis test, iterative winsorisation up to winmax, then a log fallback."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .stats import kurt, skew


@dataclass(frozen=True)
class TreatInfo:
    code: str
    action: str  # none | winsorised | log
    n_winsorised: int
    high: tuple[int, ...]  # row positions winsorised at the top
    low: tuple[int, ...]
    skew: float
    kurt: float


def passes(x: np.ndarray, t_skew: float, t_kurt: float) -> bool:
    return bool(abs(skew(x)) < t_skew or kurt(x) < t_kurt)


def winsorise(x: np.ndarray, winmax: int, t_skew: float, t_kurt: float) -> tuple[np.ndarray, int, list, list]:
    """Winsorise one column the way COINr does: move the extreme point(s) to the next value.

    The side follows the sign of the current skew (it may switch between iterations);
    the count is the number of points currently sitting at the winsorised extremes, so tied
    points count together, exactly as COINr counts them.
    """
    x = x.astype(float).copy()
    imax: np.ndarray = np.array([], dtype=int)
    imin: np.ndarray = np.array([], dtype=int)
    nwin = 0
    ok = passes(x, t_skew, t_kurt)
    while not ok and nwin < winmax:
        finite = ~np.isnan(x)
        if skew(x) >= 0:
            top = np.nanmax(x)
            imax = np.flatnonzero(finite & (x == top))
            rest = x[finite & (x != top)]
            if rest.size == 0:
                break
            x[imax] = rest.max()
        else:
            bot = np.nanmin(x)
            imin = np.flatnonzero(finite & (x == bot))
            rest = x[finite & (x != bot)]
            if rest.size == 0:
                break
            x[imin] = rest.min()
        nwin = imax.size + imin.size
        ok = passes(x, t_skew, t_kurt)
    return x, nwin, imax.tolist(), imin.tolist()


def log_ct(x: np.ndarray) -> np.ndarray:
    """COIN Tool log: log(x - min + 0.01 (max - min)); keeps order and handles zeros/negatives."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo))


def treat_column(code: str, x: np.ndarray, winmax: int, t_skew: float = 2.0,
                 t_kurt: float = 3.5) -> tuple[np.ndarray, TreatInfo]:
    sk, ku = skew(x), kurt(x)
    if np.isnan(sk) or np.isnan(ku) or passes(x, t_skew, t_kurt):
        return x.astype(float), TreatInfo(code, "none", 0, (), (), sk, ku)
    xw, nwin, hi, lo = winsorise(x, winmax, t_skew, t_kurt)
    if passes(xw, t_skew, t_kurt):
        return xw, TreatInfo(code, "winsorised", nwin, tuple(hi), tuple(lo), skew(xw), kurt(xw))
    # COINr discards the winsorisation and logs the untreated column.
    xl = log_ct(x.astype(float))
    return xl, TreatInfo(code, "log", 0, (), (), skew(xl), kurt(xl))


def treat_matrix(codes: list[str], X: np.ndarray, winmax: int, t_skew: float = 2.0,
                 t_kurt: float = 3.5) -> tuple[np.ndarray, list[TreatInfo]]:
    out = np.empty_like(X, dtype=float)
    infos = []
    for j, code in enumerate(codes):
        out[:, j], info = treat_column(code, X[:, j], winmax, t_skew, t_kurt)
        infos.append(info)
    return out, infos
