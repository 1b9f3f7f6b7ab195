"""产业数字化 by growth accounting: perpetual-inventory ICT capital, Törnqvist shares, ID value added."""
from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from digecon.errors import InputError
from digecon.measure.classify import read_csv_text

__all__ = [
    "INPUT_COLUMNS",
    "GAParams",
    "GrowthInputError",
    "growth_accounting",
    "id_totals",
    "perpetual_inventory",
    "read_inputs",
    "sensitivity",
]

INPUT_COLUMNS = ("industry", "year", "va", "va_real", "labour", "labour_compensation",
                 "inv_ict", "p_ict", "inv_nonict", "p_nonict")
INITIAL_RULES = ("growth", "first")


class GrowthInputError(InputError):
    """Growth-accounting inputs that cannot be used; the message names file, row and column."""


@dataclass(frozen=True)
class GAParams:
    """The choices behind 产业数字化; published beside every result.

    delta_ict / delta_nonict: geometric depreciation rates; rho: exogenous real rate in the
    user cost; initial: 'growth' (K0 = I0 / (P0 (g + δ)), g the average growth of real
    investment over the first `init_years` years) or 'first' (K0 = I0 / P0, no history).
    """

    delta_ict: float = 0.20
    delta_nonict: float = 0.08
    rho: float = 0.04
    initial: str = "growth"
    init_years: int = 5

    def __post_init__(self) -> None:
        # Each message names the field and its command-line option (delta_ict ↔ --delta-ict).
        for name in ("delta_ict", "delta_nonict"):
            v = getattr(self, name)
            if not 0 < v < 1:
                raise ValueError(f"{_option(name)}: 取值 {v}，应为 (0, 1) 内的折旧率")
        if not -0.5 < self.rho < 1:
            raise ValueError(f"{_option('rho')}: 取值 {self.rho}，应为 (−0.5, 1) 内的实际利率")
        if self.initial not in INITIAL_RULES:
            raise ValueError(f"{_option('initial')}: 取值 '{self.initial}'，应为 "
                             f"{' 或 '.join(INITIAL_RULES)}")
        if self.init_years < 1:
            raise ValueError(f"{_option('init_years')}: 取值 {self.init_years}，应为不小于 1 的整数")


def _option(field: str) -> str:
    return f"{field}（--{field.replace('_', '-')}）"


def perpetual_inventory(real_inv: np.ndarray, delta: float, initial: str = "growth",
                        init_years: int = 5) -> np.ndarray:
    """K_t = (1 − δ) K_{t−1} + I_t/P_t, with K_0 by the chosen initial-stock rule.

    Raises GrowthInputError when the 'growth' rule has no positive K_0 (g + δ ≤ 0).
    """
    r = np.asarray(real_inv, dtype=float)
    k = np.empty_like(r)
    if initial == "growth":
        m = min(init_years, len(r) - 1)
        g = (r[m] / r[0]) ** (1.0 / m) - 1.0 if m >= 1 else 0.0
        if g + delta <= 0:
            raise GrowthInputError(f"初始存量：第 1 至第 {m + 1} 年实际投资年均增长 g = {g:.4f}，g + δ = "
                                   f"{g + delta:.4f} ≤ 0（投资下降快于折旧，δ = {delta}）；growth 规则要求 "
                                   f"g + δ > 0")
        k[0] = r[0] / (g + delta)
    else:
        k[0] = r[0]
    for t in range(1, len(r)):
        k[t] = (1.0 - delta) * k[t - 1] + r[t]
    return k


def _stock(g: pd.DataFrame, kind: str, delta: float, p: GAParams) -> np.ndarray:
    try:
        return perpetual_inventory((g[f"inv_{kind}"] / g[f"p_{kind}"]).to_numpy(), delta, p.initial,
                                   p.init_years)
    except GrowthInputError as exc:
        raise GrowthInputError(f"industry '{g.industry.iloc[0]}' inv_{kind}/p_{kind}: {exc}") from None


def _one_industry(g: pd.DataFrame, p: GAParams) -> pd.DataFrame:
    g = g.sort_values("year")
    k_ict = _stock(g, "ict", p.delta_ict, p)
    k_n = _stock(g, "nonict", p.delta_nonict, p)
    va = g.va.to_numpy(float)
    v_l = g.labour_compensation.to_numpy(float) / va
    # Capital income split by user cost c_j K_j, c_j = P_j (ρ + δ_j).
    cost_ict = g.p_ict.to_numpy(float) * (p.rho + p.delta_ict) * k_ict
    cost_n = g.p_nonict.to_numpy(float) * (p.rho + p.delta_nonict) * k_n
    v_cap = 1.0 - v_l
    v_ict = v_cap * cost_ict / (cost_ict + cost_n)
    v_n = v_cap - v_ict
    out = pd.DataFrame({"industry": g.industry.to_numpy(), "year": g.year.to_numpy(),
                        "va": va, "k_ict": k_ict, "k_nonict": k_n,
                        "v_l": v_l, "v_ict": v_ict, "v_nonict": v_n})

    def dln(x: np.ndarray) -> np.ndarray:
        return np.r_[np.nan, np.diff(np.log(x))]

    def avg(x: np.ndarray) -> np.ndarray:
        return np.r_[np.nan, (x[1:] + x[:-1]) / 2.0]

    out["dln_va_real"] = dln(g.va_real.to_numpy(float))
    out["contrib_ict"] = avg(v_ict) * dln(k_ict)
    out["contrib_nonict"] = avg(v_n) * dln(k_n)
    out["contrib_labour"] = avg(v_l) * dln(g.labour.to_numpy(float))
    out["contrib_tfp"] = out.dln_va_real - out.contrib_ict - out.contrib_nonict - out.contrib_labour
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ict_share_of_growth"] = np.where(out.dln_va_real != 0,
                                              out.contrib_ict / out.dln_va_real, np.nan)
    out["id_va"] = va * v_ict
    return out


def growth_accounting(inputs: pd.DataFrame, params: GAParams | None = None) -> pd.DataFrame:
    """Per industry × year: capital stocks, factor shares, Törnqvist contributions and ID value added.

    Industries with `traditional` False (digital industries, counted in 数字产业化) are kept in
    the output but excluded from ID totals (see `id_totals`).
    """
    p = params or GAParams()
    frames = [_one_industry(g, p) for _, g in inputs.groupby("industry", sort=False)]
    out = pd.concat(frames, ignore_index=True)
    trad = inputs.set_index(["industry", "year"])["traditional"] if "traditional" in inputs else None
    out["traditional"] = (True if trad is None else
                          trad.reindex(pd.MultiIndex.from_frame(out[["industry", "year"]])).to_numpy())
    return out


def id_totals(result: pd.DataFrame) -> pd.DataFrame:
    """产业数字化 by year: Σ over traditional industries of VA × v_ICT, with the ICT contribution."""
    t = result[result.traditional.astype(bool)]
    by = t.groupby("year")
    return pd.DataFrame({"id_va": by.id_va.sum(), "va": by.va.sum(),
                         "id_share_of_va": by.id_va.sum() / by.va.sum() * 100.0}).reset_index()


def sensitivity(inputs: pd.DataFrame, *, delta_ict: tuple[float, ...] = (0.15, 0.20, 0.25, 0.30),
                rho: tuple[float, ...] = (0.02, 0.04, 0.06), initial: tuple[str, ...] = INITIAL_RULES,
                base: GAParams | None = None) -> pd.DataFrame:
    """ID totals by year over a grid of δ_ICT × ρ × initial-stock rule, with % change from the base.

    A combination the inputs do not allow (e.g. the growth-rate rule where ICT investment falls
    faster than δ) gets empty values and the reason in `note`; the base run must work.
    """
    base = base or GAParams()
    ref = id_totals(growth_accounting(inputs, base)).set_index("year").id_va
    rows = []
    for d, r, ini in itertools.product(delta_ict, rho, initial):
        p = GAParams(**(asdict(base) | {"delta_ict": d, "rho": r, "initial": ini}))
        grid = {"delta_ict": d, "delta_nonict": p.delta_nonict, "rho": r, "initial": ini,
                "init_years": p.init_years}
        try:
            totals = id_totals(growth_accounting(inputs, p)).set_index("year").id_va
        except GrowthInputError as exc:
            rows += [grid | {"year": year, "id_va": np.nan, "change_from_base_pct": np.nan,
                             "note": f"此组参数不可用：{exc}"} for year in ref.index]
            continue
        rows += [grid | {"year": year, "id_va": v, "change_from_base_pct": (v / ref[year] - 1.0)
                         * 100.0, "note": ""} for year, v in totals.items()]
    return pd.DataFrame(rows)


def read_inputs(path: str | Path) -> pd.DataFrame:
    """Read and check a growth-accounting input CSV (one row per industry × year)."""
    path = Path(path)
    raw = read_csv_text(path, GrowthInputError,
                        f"增长核算输入 CSV（UTF-8，列 {', '.join(INPUT_COLUMNS)}[, traditional]）")
    missing = [c for c in INPUT_COLUMNS if c not in raw.columns]
    if missing:
        raise GrowthInputError(f"{path}:1: 缺少列 {', '.join(missing)}；表头为 "
                               f"{', '.join(raw.columns)}；应为 {', '.join(INPUT_COLUMNS)}")
    errors: list[str] = []
    df = pd.DataFrame({"industry": raw.industry.str.strip()})
    for i in np.flatnonzero((df.industry == "").to_numpy()):
        errors.append(f"{path}:{i + 2}:industry: 为空，应为行业名称")
    for c in INPUT_COLUMNS[1:]:
        num = pd.to_numeric(raw[c].str.strip(), errors="coerce")
        bad = ~np.isfinite(num.to_numpy(float))
        for i in np.flatnonzero(bad):
            errors.append(f"{path}:{i + 2}:{c}: 取值 '{raw[c].iloc[i]}' 不是数字，应为"
                          f"{'四位整数年份' if c == 'year' else '正数'}")
        if c == "year":
            for i in np.flatnonzero(~bad & ((num % 1 != 0) | (num < 1000) | (num > 9999)).to_numpy()):
                errors.append(f"{path}:{i + 2}:year: 取值 '{raw[c].iloc[i]}'，应为四位整数年份（如 2021）")
        else:
            for i in np.flatnonzero(~bad & (num <= 0).to_numpy()):
                errors.append(f"{path}:{i + 2}:{c}: 取值 '{raw[c].iloc[i]}'，应为正数")
        df[c] = num
    # Labour compensation above value added leaves a negative capital share: no ICT income to split.
    for i in np.flatnonzero((df.labour_compensation > df.va).to_numpy()):
        errors.append(f"{path}:{i + 2}:labour_compensation: 取值 '{raw.labour_compensation.iloc[i]}' "
                      f"大于同一行的 va '{raw.va.iloc[i]}'，应不超过增加值（否则资本份额为负，"
                      f"无法按 Törnqvist 份额分出 ICT 资本的贡献；亏损行业请合并到上一级行业）")
    if "traditional" in raw.columns:
        flag = raw.traditional.str.strip().str.lower()
        ok = flag.isin(["1", "0", "true", "false", "yes", "no", "是", "否"])
        for i in np.flatnonzero(~ok.to_numpy()):
            errors.append(f"{path}:{i + 2}:traditional: 取值 '{raw.traditional.iloc[i]}'，"
                          f"应为 true/false（或 1/0、是/否）")
        df["traditional"] = flag.isin(["1", "true", "yes", "是"])
    if not errors:
        df["year"] = df.year.astype(int)
        dup = df.duplicated(["industry", "year"], keep="first")
        for i in np.flatnonzero(dup.to_numpy()):
            errors.append(f"{path}:{i + 2}:industry,year: '{df.industry.iloc[i]}, {df.year.iloc[i]}' "
                          f"重复出现，应为每个行业每年一行")
        for ind, g in df.groupby("industry"):
            years = np.sort(g.year.to_numpy())
            if len(years) < 2 or np.any(np.diff(years) != 1):
                errors.append(f"{path}:industry '{ind}': 年份为 {years.tolist()}，应为至少两个"
                              f"连续、无缺口的年份")
    if errors:
        raise GrowthInputError("\n".join(errors))
    return df
