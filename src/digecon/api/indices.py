"""Composite indices for the API: the dataset's index specs built on the store, with rank ranges."""
from __future__ import annotations

import contextlib
import copy
import dataclasses
import logging
import math
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from digecon.errors import InputError
from digecon.evaluate import build, load_spec, run_uncertainty
from digecon.evaluate.framework import framework_from_meta

from .data import MARKED, StoreView, db_lock

log = logging.getLogger("digecon.api")
# Specs without their own `uncertainty` section get this one: ±25 % noise on the weights.
# Enough for a rank interval on a page; the page states the factors actually used.
DEFAULT_FACTORS = {"weights_noise": {"levels": {1: 0.25, 2: 0.25}, "sets": 100}}
FACTOR_ZH = {"weights_noise": "权重扰动", "weighting": "赋权方法", "normalise": "标准化方法",
             "aggregate": "聚合方法", "winmax": "异常值处理", "remove_indicator": "剔除单个指标"}
WEIGHT_CHOICES = ("metadata", "equal", "entropy", "critic", "cv", "pca")


class IndexInputError(InputError):
    """A recompute request the index cannot take; the message says what was expected."""


def spec_files(folder: Path) -> dict[str, Path]:
    """The whitelist of index ids: the spec files in the dataset's index/ (never a request path)."""
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


class IndexService:
    """The index specs beside the report spec (its dataset's index/), built on the store."""

    def __init__(self, view: StoreView, folder: Path, runs: int = 500):
        self.view = view
        self.folder = folder
        self.runs = runs
        self._cache: dict[tuple[str, int], dict] = {}
        self._specs: dict[tuple[str, int], Any] = {}
        self._lock = threading.Lock()

    def ids(self) -> list[str]:
        return list(spec_files(self.folder))

    def spec(self, index_id: str):

        files = spec_files(self.folder)
        if index_id not in files:
            raise KeyError(index_id)
        key = (index_id, self.view.version)
        if key not in self._specs:
            with db_lock:
                self._specs[key] = load_spec(files[index_id], store=self.view.store)
        return self._specs[key]

    def get(self, index_id: str) -> dict:
        """Nominal scores, ranks and tiers plus Monte Carlo rank intervals, cached per store state."""
        key = (index_id, self.view.version)
        with self._lock:
            if key not in self._cache:

                spec = self.spec(index_id)
                res = build(spec)
                ua_spec = spec if spec.uncertainty.get("factors") else dataclasses.replace(
                    spec, uncertainty={"factors": copy.deepcopy(DEFAULT_FACTORS), "sobol": False})
                ua = run_uncertainty(ua_spec, runs=self.runs, seed=0, sobol=False)
                self._cache[key] = payload(index_id, spec, res, ua, self.runs)
            return self._cache[key]

    def warm(self, stop: threading.Event, interval: float = 1.0, nice: int = 10) -> None:
        """Until `stop`: whenever the store's version changes, build every index (with its rank
        intervals) before a reader asks, so the first city page after a publication does not
        wait for the Monte Carlo runs. Runs at a lowered CPU priority in its own thread."""

        if nice > 0 and hasattr(os, "setpriority"):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        seen = None
        while not stop.is_set():
            try:
                version = self.view.version
                if version != seen:
                    for index_id in self.ids():
                        if stop.is_set():
                            return
                        self.get(index_id)
                    seen = version
            except Exception as exc:  # noqa: BLE001 - a reader will see the same error itself
                log.warning("指数预计算失败（将在读者请求时重试）：%s", exc)
                seen = self.view.version
            stop.wait(interval)

    def recompute(self, index_id: str, weights: dict[str, float],
                  method: str | None = None) -> dict:
        """The ranking again with some framework weights (and the level-1 method) changed."""

        spec = self.spec(index_id)
        fw = spec.fw
        unknown = sorted(set(weights) - set(fw.all_codes))
        if unknown:
            raise IndexInputError(f"未知的指标或分项代码 {', '.join(unknown)}；可用："
                                  f"{', '.join(fw.all_codes)}")
        for code, w in weights.items():
            if w is None or not math.isfinite(w) or w < 0 or w > 1000:
                raise IndexInputError(f"{code} 的权重 {w!r} 无效；应为 0–1000 之间的数")
        meta = fw.meta.copy()
        # an iMeta of whole-number weights reads as int64; a weight of 0.5 must still fit
        meta["Weight"] = meta["Weight"].astype(float)
        for code, w in weights.items():
            meta.loc[meta["iCode"] == code, "Weight"] = float(w)
        for parent, kids in fw.children.items():
            if sum(float(meta.loc[meta["iCode"] == k, "Weight"].iloc[0]) for k in kids) <= 0:
                raise IndexInputError(f"{parent} 之下的权重全为 0；至少一个应大于 0")
        steps = copy.deepcopy(spec.steps)
        if method is not None:
            if method not in WEIGHT_CHOICES:
                raise IndexInputError(f"赋权方法 {method!r} 无效；应为 {' / '.join(WEIGHT_CHOICES)}")
            w = steps.get("weights") or {}
            levels = w.get("levels", [1]) if isinstance(w, dict) else [1]
            steps["weights"] = ({"method": method, "levels": levels}
                                if method != "metadata" else {"method": "metadata"})
        new = dataclasses.replace(spec, fw=framework_from_meta(meta, spec.source), steps=steps,
                                  data=spec.data.copy())
        res = build(new)
        out = payload(index_id, new, res, None, 0)
        out["changed"] = {"weights": weights, "method": method}
        return out


def payload(index_id: str, spec, res, ua, runs: int) -> dict:
    """The JSON shape of an index result: one row per unit, sorted by rank."""
    fw = spec.fw
    top = fw.top
    names = dict(zip(spec.data["uCode"].astype(str), spec.data["uName"].astype(str)))
    scores = res.scores.set_index("uCode")
    ranks = res.ranks.set_index("uCode")
    tiers = res.tiers.set_index("uCode") if res.tiers is not None else None
    stats = ua.rank_stats.set_index("uCode") if ua is not None else None
    units = []
    for code in res.units:
        row: dict[str, Any] = {
            "code": str(code), "name": names.get(str(code), str(code)),
            "score": _num(scores.at[code, top]), "rank": int(ranks.at[code, top]),
            "components": {c: _num(scores.at[code, c]) for c in fw.aggregates if c != top},
        }
        if tiers is not None:
            row["tier"] = int(tiers.at[code, "tier"])
            row["tier_label"] = str(tiers.at[code, "label"])
        if stats is not None:
            row["rank_interval"] = {"q5": _num(stats.at[code, "Q5"]),
                                    "median": _num(stats.at[code, "Median"]),
                                    "q95": _num(stats.at[code, "Q95"]),
                                    "mean": _num(stats.at[code, "Mean"])}
        units.append(row)
    units.sort(key=lambda r: (r["rank"], r["code"]))
    wt = res.weights
    statuses = list(spec.provenance.get("statuses", [])) or ["published"]
    return {
        "id": index_id,
        "name": str(spec.raw.get("name", index_id)),
        "description": str(spec.raw.get("description", "")),
        "target": top,
        "target_name": fw.names.get(top, top),
        "aggregates": [{"code": c, "name": fw.names.get(c, c), "level": lev + 1}
                       for lev, codes in enumerate(fw.levels) for c in codes if lev > 0],
        "weights": [{"code": str(r.iCode), "name": fw.names.get(str(r.iCode), str(r.iCode)),
                     "level": int(r.Level), "parent": str(r.Parent) if r.Parent else "",
                     "weight": _num(r.Weight), "method": str(r.method)}
                    for r in wt.itertuples()],
        "weights_spec": spec.steps.get("weights"),
        "statuses": statuses,
        "marked": any(s in MARKED for s in statuses),
        "period": spec.provenance.get("period"),
        "units": units,
        "uncertainty": None if ua is None else {
            "runs": runs, "seed": 0, "interval": "5%–95% 分位（蒙特卡洛）",
            "factors": [f.name for f in ua.factors],
            "factors_zh": "、".join(FACTOR_ZH.get(f.name, f.name) for f in ua.factors)},
        "notes": list(res.notes),
    }


def mean_components(p: dict) -> dict[str, float]:
    comps = [u["components"] for u in p["units"]]
    keys = comps[0].keys() if comps else []
    return {k: float(np.mean([c[k] for c in comps if c[k] is not None])) for k in keys}
