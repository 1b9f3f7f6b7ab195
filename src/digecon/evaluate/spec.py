"""Read and check an index spec (YAML): inputs (iData/iMeta or framework + store observations) and steps."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from . import aggregate as agg_mod
from . import normalise as norm_mod
from .errors import SpecError
from .framework import Framework, framework_from_meta
from .rank import TIER_METHODS

WEIGHT_METHODS = ("metadata", "equal", "entropy", "critic", "cv", "ahp", "pca")
IMPUTE_METHODS = ("none", "mean", "median", "group_mean", "group_median")
TOP_KEYS = {"name", "description", "data", "meta", "framework", "observations", "steps", "uncertainty", "unit", "unit_name"}
STEP_KEYS = {"denominate", "impute", "screen", "treat", "normalise", "weights", "aggregate", "rank", "tiers"}

DEFAULT_STEPS: dict[str, Any] = {
    "denominate": False,
    "impute": {"method": "none", "max_missing": 0.5},
    "screen": {"min_data": 0.0},
    "treat": {"method": "none", "winmax": 5, "skew": 2.0, "kurt": 3.5},
    "normalise": {"method": "minmax", "range": [0, 100]},
    "weights": {"method": "metadata"},
    "aggregate": {"method": "arithmetic"},
    "rank": {"ties": "min", "indicators": False},
    "tiers": None,
}


@dataclass
class IndexSpec:
    source: str  # file name for messages
    raw: dict  # the spec exactly as written
    steps: dict  # with defaults filled in
    data: pd.DataFrame  # one row per unit: uCode, uName, groups, denominators, indicators
    fw: Framework
    uncertainty: dict = field(default_factory=dict)
    base_dir: Path = Path(".")
    provenance: dict = field(default_factory=dict)

    @property
    def units(self) -> list[str]:
        return self.data["uCode"].astype(str).tolist()

    def resolved(self) -> dict:
        out = copy.deepcopy(self.raw)
        out["steps"] = copy.deepcopy(self.steps)
        return out


def _choice(where: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SpecError(where, value, " / ".join(allowed) + " 之一")
    return value


def _as_dict(where: str, value: Any, key: str = "method") -> dict:
    if value is None:
        return {}
    if isinstance(value, (str, bool)):
        return {key: value}
    if not isinstance(value, dict):
        raise SpecError(where, value, f"字符串或映射（如 {{{key}: ...}}）")
    return dict(value)


def check_steps(steps: Any, where: str = "steps") -> dict:
    if steps is None:
        steps = {}
    if not isinstance(steps, dict):
        raise SpecError(where, steps, "映射（denominate/impute/treat/normalise/weights/aggregate/rank/tiers）")
    for k in steps:
        if k not in STEP_KEYS:
            raise SpecError(f"{where}.{k}", k, "以下键之一：" + ", ".join(sorted(STEP_KEYS)))
    out = copy.deepcopy(DEFAULT_STEPS)
    if "denominate" in steps:
        if not isinstance(steps["denominate"], bool):
            raise SpecError(f"{where}.denominate", steps["denominate"], "true 或 false")
        out["denominate"] = steps["denominate"]
    imp = {**out["impute"], **_as_dict(f"{where}.impute", steps.get("impute"))}
    _choice(f"{where}.impute.method", imp["method"], IMPUTE_METHODS)
    if imp["method"].startswith("group") and not imp.get("group"):
        raise SpecError(f"{where}.impute.group", None, "分组列名（如 EurAsia_group）")
    if not 0 <= float(imp["max_missing"]) <= 1:
        raise SpecError(f"{where}.impute.max_missing", imp["max_missing"], "0 到 1 之间的比例")
    out["impute"] = imp
    scr = {**out["screen"], **_as_dict(f"{where}.screen", steps.get("screen"), "min_data")}
    out["screen"] = scr
    tr = {**out["treat"], **_as_dict(f"{where}.treat", steps.get("treat"))}
    _choice(f"{where}.treat.method", tr["method"], ("none", "winsorise"))
    if not isinstance(tr["winmax"], int) or tr["winmax"] < 0:
        raise SpecError(f"{where}.treat.winmax", tr["winmax"], "非负整数")
    out["treat"] = tr
    out["normalise"] = check_normalise(steps.get("normalise", out["normalise"]), f"{where}.normalise")
    w = {**out["weights"], **_as_dict(f"{where}.weights", steps.get("weights"))}
    _choice(f"{where}.weights.method", w["method"], WEIGHT_METHODS)
    if w["method"] == "ahp" and not isinstance(w.get("matrices"), dict):
        raise SpecError(f"{where}.weights.matrices", w.get("matrices"), "每个汇总代码一个判断矩阵：{代码: {codes: [...], matrix: [[...]]}}")
    out["weights"] = w
    ag = {**out["aggregate"], **_as_dict(f"{where}.aggregate", steps.get("aggregate"))}
    methods = ag["method"] if isinstance(ag["method"], list) else [ag["method"]]
    for i, m in enumerate(methods):
        _choice(f"{where}.aggregate.method" + (f"[{i}]" if len(methods) > 1 else ""), m, agg_mod.METHODS)
    out["aggregate"] = ag
    rk = {**out["rank"], **_as_dict(f"{where}.rank", steps.get("rank"), "ties")}
    _choice(f"{where}.rank.ties", rk["ties"], ("min",))
    out["rank"] = rk
    if steps.get("tiers") is not None:
        ti = _as_dict(f"{where}.tiers", steps["tiers"])
        _choice(f"{where}.tiers.method", ti.get("method"), TIER_METHODS)
        if ti["method"] in ("jenks", "kmeans") and not isinstance(ti.get("k"), int):
            raise SpecError(f"{where}.tiers.k", ti.get("k"), "梯队个数（整数，如 3）")
        if ti["method"] == "thresholds" and not (ti.get("breaks") or ti.get("rules")):
            raise SpecError(f"{where}.tiers", ti, "breaks: [下限, ...] 或 rules: [{tier: 1, when: {...}}, ...]")
        ti.setdefault("on", None)
        ti.setdefault("labels", None)
        out["tiers"] = ti
    return out


def check_normalise(value: Any, where: str) -> dict:
    n = {"method": "minmax", "range": [0, 100], **_as_dict(where, value)}
    _choice(f"{where}.method", n["method"], norm_mod.METHODS)
    r = n.get("range")
    if not (isinstance(r, (list, tuple)) and len(r) == 2 and all(isinstance(v, (int, float)) for v in r) and r[0] < r[1]):
        raise SpecError(f"{where}.range", r, "[下限, 上限]，下限小于上限")
    return n


def _read_table(path: Path, where: str) -> pd.DataFrame:
    if not path.exists():
        raise SpecError(where, str(path), "存在的 CSV/XLSX 文件")
    if path.suffix.lower() in (".xlsx", ".xls"):
        return pd.read_excel(path)
    return pd.read_csv(path, keep_default_na=True, na_values=["", "NA"])


def load_spec(path: str | Path, store: Any = None) -> IndexSpec:
    path = Path(path)
    if not path.is_file():
        raise SpecError(str(path), "文件不存在或不是文件", "指数规格 YAML 文件")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SpecError(str(path), f"非 UTF-8 内容（字节 {exc.start}）", "UTF-8 编码的 YAML") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise SpecError(where, getattr(exc, "problem", "YAML 语法错误"), "合法的 YAML") from None
    return spec_from_dict(raw, source=path.name, base_dir=path.parent, store=store)


def spec_from_dict(raw: Any, source: str = "<spec>", base_dir: Path = Path("."), store: Any = None) -> IndexSpec:
    if not isinstance(raw, dict):
        raise SpecError(source, type(raw).__name__, "YAML 映射（data/meta 或 framework/observations，加 steps）")
    for k in raw:
        if k not in TOP_KEYS:
            raise SpecError(f"{source}: {k}", k, "以下键之一：" + ", ".join(sorted(TOP_KEYS)))
    steps = check_steps(raw.get("steps"), f"{source}: steps")
    if "framework" in raw:
        data, meta = _from_store(raw, source, base_dir, store)
    else:
        if "data" not in raw or "meta" not in raw:
            raise SpecError(source, sorted(raw), "同时给出 data 和 meta（COINr iData/iMeta），或 framework 和 observations")
        meta = _meta_table(raw["meta"], f"{source}: meta", base_dir)
        data = _data_table(raw, source, base_dir)
    fw = framework_from_meta(meta, _meta_name(raw.get("meta", raw.get("framework")), source))
    _check_data(data, fw, steps, _data_name(raw, source))
    unc = raw.get("uncertainty") or {}
    prov = dict(data.attrs.get("provenance", {}))
    return IndexSpec(source=source, raw=raw, steps=steps, data=data.reset_index(drop=True), fw=fw,
                     uncertainty=unc, base_dir=base_dir, provenance=prov)


def _meta_name(value: Any, source: str) -> str:
    return str(value) if isinstance(value, str) else f"{source}: meta"


def _data_name(raw: dict, source: str) -> str:
    d = raw.get("data")
    if isinstance(d, dict):
        d = d.get("path")
    return str(d) if isinstance(d, str) else f"{source}: observations"


def _meta_table(value: Any, where: str, base_dir: Path) -> pd.DataFrame:
    if isinstance(value, str):
        return _read_table(base_dir / value, where)
    if isinstance(value, list) and all(isinstance(r, dict) for r in value):
        meta = pd.DataFrame(value)
        for col, default in (("Weight", 1.0), ("Direction", 1)):
            if col not in meta.columns:
                meta[col] = default
            meta[col] = meta[col].fillna(default)
        return meta
    raise SpecError(where, value, "iMeta 文件路径或行的列表 [{iCode, Level, Parent, Weight, Direction}, ...]")


def _data_table(raw: dict, source: str, base_dir: Path) -> pd.DataFrame:
    d = raw["data"]
    opts = d if isinstance(d, dict) else {"path": d}
    if not isinstance(opts.get("path"), str):
        raise SpecError(f"{source}: data", d, "iData 文件路径，或 {path: ..., unit: 列名, name: 列名}")
    data = _read_table(base_dir / opts["path"], f"{source}: data")
    ucol, ncol = opts.get("unit", raw.get("unit", "uCode")), opts.get("name", raw.get("unit_name", "uName"))
    if ucol not in data.columns:
        raise SpecError(f"{opts['path']}: 列 {ucol}", list(data.columns)[:8], f"单位代码列 {ucol}（用 data.unit 指定）")
    data = data.rename(columns={ucol: "uCode"})
    if ncol in data.columns and ncol != "uCode":
        data = data.rename(columns={ncol: "uName"})
    if "uName" not in data.columns:
        data["uName"] = data["uCode"]
    dup = data["uCode"][data["uCode"].duplicated()]
    if len(dup):
        row = int(dup.index[0]) + 2
        raise SpecError(f"{opts['path']}:{row}:{ucol}", dup.iloc[0], "每个单位只出现一行")
    return data


def _check_data(data: pd.DataFrame, fw: Framework, steps: dict, name: str) -> None:
    needed = list(fw.indicators)
    if steps["denominate"]:
        needed += sorted(set(fw.denominator.values()))
    if steps["impute"]["method"].startswith("group"):
        needed.append(steps["impute"]["group"])
    for col in needed:
        if col not in data.columns:
            raise SpecError(f"{name}: 列 {col}", "缺失", f"iMeta 中声明的列 {col}")
    for col in fw.indicators + (sorted(set(fw.denominator.values())) if steps["denominate"] else []):
        vals = pd.to_numeric(data[col], errors="coerce")
        bad = vals.isna() & data[col].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise SpecError(f"{name}:{i + 2}:{col}", data[col].iloc[i], "数值或空白（缺失）")
        data[col] = vals.astype(float)
    mx = float(steps["impute"]["max_missing"])
    for col in fw.indicators:
        share = float(data[col].isna().mean())
        if share > mx:
            raise SpecError(f"{name}: 列 {col}", f"缺失 {share:.0%}（{int(data[col].isna().sum())}/{len(data)}）",
                            f"缺失比例不超过 steps.impute.max_missing = {mx:.0%}；补充数据、提高阈值或删去该指标")


def _from_store(raw: dict, source: str, base_dir: Path, store: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """framework (iMeta rows, inline or a file) + observations (which store rows) → iData/iMeta."""
    meta = _meta_table(raw["framework"], f"{source}: framework", base_dir)
    obs = raw.get("observations")
    if not isinstance(obs, dict) or "period" not in obs:
        raise SpecError(f"{source}: observations", obs, "{period: '2021', level: city, parent: '360000'[, as_of, status]}")
    if store is None:
        from digecon.store import Store
        store = Store(path=obs.get("db"))
    fwm = meta[meta.get("Type", pd.Series(dtype=str)).fillna("") != "Aggregate"] if "Type" in meta else meta
    codes = [str(c) for c, lev in zip(fwm["iCode"], fwm["Level"]) if float(lev) == 1]
    frames = []
    for code in codes:
        df = store.query(indicator=code, period=str(obs["period"]), as_of=obs.get("as_of"))
        if obs.get("status"):
            df = df[df["status"].isin(obs["status"] if isinstance(obs["status"], list) else [obs["status"]])]
        if df.empty:
            raise SpecError(f"{source}: framework.{code}", "库中无数据", f"指标 {code} 在 {obs['period']} 期的观测值（先运行 digecon load-demo 或 ingest）")
        frames.append(df)
    long = pd.concat(frames)
    # threshold statements ("超2500亿元", qualifier gt/lt) are not values: keep exact ones, then
    # the best status per region × indicator (published before estimated before illustrative …)
    if "qualifier" in long.columns:
        long = long[long["qualifier"].fillna("eq").isin(["eq", ""])]
    from digecon.store.schema import STATUS_PRIORITY
    long = long.assign(_p=long["status"].map(STATUS_PRIORITY).fillna(99)).sort_values(["_p", "vintage"], ascending=[True, False])
    long = long.drop_duplicates(["region_code", "indicator"])
    units = _store_units(obs)
    if units is not None:
        long = long[long["region_code"].isin(units)]
    wide = long.pivot_table(index=["region_code", "region_name"], columns="indicator", values="value", aggfunc="first")
    wide = wide.reset_index().rename(columns={"region_code": "uCode", "region_name": "uName"})
    wide.columns.name = None
    statuses = sorted(set(long["status"].astype(str)))
    wide.attrs["provenance"] = {"statuses": statuses, "rows": len(long), "period": str(obs["period"])}
    return wide, meta


def _store_units(obs: dict) -> list[str] | None:
    if not obs.get("level"):
        return None
    from digecon.catalog import get_catalog
    cat = get_catalog()
    return [r.code for r in cat.regions(level=obs["level"], parent=obs.get("parent"))]
