"""Sample skewness and kurtosis as Excel SKEW/KURT (e1071 type 2), the statistics COINr's outlier test uses."""
from __future__ import annotations

import numpy as np


def _centred(x: np.ndarray) -> tuple[int, np.ndarray, float]:
    """(n, deviations from the mean, their sum of squares) of the values that are not NaN."""
    x = x[~np.isnan(x)]
    d = x - x.mean() if x.size else x
    return x.size, d, float(np.sum(d**2))


def skew(x: np.ndarray) -> float:
    n, d, s2 = _centred(x)
    if n < 3:
        return float("nan")
    if s2 == 0:
        return 0.0
    y = np.sqrt(n) * np.sum(d**3) / s2**1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    n, d, s2 = _centred(x)
    if n < 4:
        return float("nan")
    if s2 == 0:
        return 0.0
    r = n * np.sum(d**4) / s2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))
