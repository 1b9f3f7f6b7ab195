"""Sample skewness and kurtosis as Excel SKEW/KURT (e1071 type 2), the statistics COINr's outlier test uses."""
from __future__ import annotations

import numpy as np


def skew(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    n = x.size
    if n < 3:
        return float("nan")
    d = x - x.mean()
    s2 = np.sum(d**2)
    if s2 == 0:
        return 0.0
    y = np.sqrt(n) * np.sum(d**3) / s2**1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    n = x.size
    if n < 4:
        return float("nan")
    d = x - x.mean()
    s2 = np.sum(d**2)
    if s2 == 0:
        return 0.0
    r = n * np.sum(d**4) / s2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))
