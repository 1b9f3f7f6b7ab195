"""Read and check an index spec (YAML): inputs (iData/iMeta or framework + store observations) and steps."""
from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from digecon.catalog import get_catalog
from digecon.store import Store

from . import aggregate as agg_mod
from . import normalise as norm_mod
from .errors import MissingInputError, SpecError
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


def _number(where: str, value: Any, lo: float, hi: float, expected: str) -> float:
    """A number in [lo, hi] (YAML may give a string or a bool where a number belongs)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(where, value, expected)
    if not lo <= float(value) <= hi:
        raise SpecError(where, value, expected)
    return float(value)


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
    _number(f"{where}.impute.max_missing", imp["max_missing"], 0, 1, "0 到 1 之间的比例（如 0.5）")
    out["impute"] = imp
    scr = {**out["screen"], **_as_dict(f"{where}.screen", steps.get("screen"), "min_data")}
    _number(f"{where}.screen.min_data", scr["min_data"], 0, 1, "0 到 1 之间的比例（如 0.6）")
    out["screen"] = scr
    tr = {**out["treat"], **_as_dict(f"{where}.treat", steps.get("treat"))}
    _choice(f"{where}.treat.method", tr["method"], ("none", "winsorise"))
    if isinstance(tr["winmax"], bool) or not isinstance(tr["winmax"], int) or tr["winmax"] < 0:
        raise SpecError(f"{where}.treat.winmax", tr["winmax"], "非负整数")
    for k in ("skew", "kurt"):
        _number(f"{where}.treat.{k}", tr[k], 0, float("inf"), "非负数值")
    out["treat"] = tr
    out["normalise"] = check_normalise(steps.get("normalise", out["normalise"]), f"{where}.normalise")
    w = {**out["weights"], **_as_dict(f"{where}.weights", steps.get("weights"))}
    _choice(f"{where}.weights.method", w["method"], WEIGHT_METHODS)
    if w["method"] == "ahp" and not isinstance(w.get("matrices"), dict):
        raise SpecError(f"{where}.weights.matrices", w.get("matrices"), "每个汇总代码一个判断矩阵：{代码: {codes: [...], matrix: [[...]]}}")
    lv = w.get("levels")
    if lv is not None and not (isinstance(lv, list) and lv
                               and all(isinstance(x, int) and not isinstance(x, bool) for x in lv)):
        raise SpecError(f"{where}.weights.levels", lv, "层级编号的列表，如 [1] 或 [1, 2]（1 = 指标层）")
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


def check_steps_against(steps: dict, fw: Framework, where: str) -> None:
    """Checks that need the framework: weight levels that exist, AHP matrices that fit their codes."""
    w = steps["weights"]
    top_level = len(fw.levels) - 1  # weights are set for levels 1 … n-1 (the top has none)
    for lv in w.get("levels") or []:
        if not 1 <= lv <= top_level:
            raise SpecError(f"{where}.weights.levels", lv,
                            f"1 到 {top_level} 之间的层级（1 = 指标层；框架共 {len(fw.levels)} 层）")
    if w["method"] != "ahp":
        return
    for parent, m in w["matrices"].items():
        at = f"{where}.weights.matrices.{parent}"
        if parent not in fw.children:
            raise SpecError(at, parent, f"框架中的汇总代码之一：{list(fw.children)}")
        kids = fw.children[parent]
        if not isinstance(m, dict) or "matrix" not in m:
            raise SpecError(at, m, "{codes: [...], matrix: [[...], ...]}")
        codes = m.get("codes", kids)
        if not isinstance(codes, list) or sorted(map(str, codes)) != sorted(kids):
            raise SpecError(f"{at}.codes", codes, f"{parent} 的下级代码 {kids}（顺序与矩阵的行列一致）")
        check_matrix(m["matrix"], len(kids), f"{at}.matrix")


def check_matrix(value: Any, n: int, where: str) -> np.ndarray:
    """A pairwise-comparison matrix as written: n rows of n positive reciprocal numbers."""
    from .weights import check_pairwise

    rows = value if isinstance(value, list) else []
    shape = (len(rows), *sorted({len(r) if isinstance(r, list) else 0 for r in rows}))
    if not rows or len(shape) != 2 or shape != (n, n):
        raise SpecError(where, shape if rows else value, f"{n}×{n} 的方阵（{n} 个下级代码各一行一列）")
    cells = [x for r in rows for x in r]
    bad = [x for x in cells if isinstance(x, bool) or not isinstance(x, (int, float))]
    if bad:
        raise SpecError(where, bad[0], "数值（如 3 或 0.3333）")
    A = np.asarray(rows, dtype=float)
    check_pairwise(A, where)
    return A


def check_normalise(value: Any, where: str) -> dict:
    n = {"method": "minmax", "range": [0, 100], **_as_dict(where, value)}
    _choice(f"{where}.method", n["method"], norm_mod.METHODS)
    r = n.get("range")
    if not (isinstance(r, (list, tuple)) and len(r) == 2 and all(isinstance(v, (int, float)) for v in r) and r[0] < r[1]):
        raise SpecError(f"{where}.range", r, "[下限, 上限]，下限小于上限")
    return n


def _read_table(path: Path, where: str) -> pd.DataFrame:
    if not path.is_file():
        raise SpecError(where, str(path), "存在的 CSV/XLSX 文件")
    if path.suffix.lower() in (".xlsx", ".xls"):
        try:
            return pd.read_excel(path)
        except (ValueError, OSError, zipfile.BadZipFile, KeyError) as exc:
            raise SpecError(str(path), f"无法读取的工作簿（{exc}）", "Excel .xlsx 文件") from None
    text = _decode(path, path.read_bytes())
    try:
        return pd.read_csv(io.StringIO(text), keep_default_na=True, na_values=["", "NA"])
    except pd.errors.EmptyDataError:
        raise SpecError(str(path), "空文件", "首行为列名的 CSV 表") from None
    except pd.errors.ParserError as exc:
        raise _csv_error(path, str(exc)) from None


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, what Excel writes in China)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first = exc
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        line = raw[:first.start].count(b"\n") + 1
        raise SpecError(f"{path}:{line}", f"字节 0x{raw[first.start]:02x}",
                        "UTF-8 或 GBK 编码的文本（Excel 中另存为「CSV UTF-8」）") from None


def _csv_error(path: Path, msg: str) -> SpecError:
    """pandas' tokenizer message → file:line and what is wrong, in words a user can act on."""
    if m := re.search(r"EOF inside string starting at row (\d+)", msg):
        # the row pandas counts from 0 includes the header, so it is the file's line − 1
        return SpecError(f"{path}:{int(m.group(1)) + 1}", "未闭合的引号（该行起直到文件末尾都在引号内）",
                         "成对的双引号；单元格中的引号写作两个双引号 \"\"")
    if m := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg):
        return SpecError(f"{path}:{m.group(2)}", f"{m.group(3)} 个字段",
                         f"与首行列名相同的 {m.group(1)} 个字段（含逗号的值请加双引号）")
    return SpecError(str(path), f"无法解析的 CSV（{msg.strip()}）", "逗号分隔、首行为列名的 CSV 表")


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
    check_steps_against(steps, fw, f"{source}: steps")
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
            raise MissingInputError(f"{name}: 列 {col}", f"缺失 {share:.0%}（{int(data[col].isna().sum())}/{len(data)}）",
                            f"缺失比例不超过 steps.impute.max_missing = {mx:.0%}；补充数据、提高阈值或删去该指标")


def _from_store(raw: dict, source: str, base_dir: Path, store: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """framework (iMeta rows, inline or a file) + observations (which store rows) → iData/iMeta."""
    meta = _meta_table(raw["framework"], f"{source}: framework", base_dir)
    obs = raw.get("observations")
    if not isinstance(obs, dict) or "period" not in obs:
        raise SpecError(f"{source}: observations", obs, "{period: '2021', level: city, parent: '360000'[, as_of, status]}")
    fw = framework_from_meta(meta, f"{source}: framework")  # its rows checked before the store
    codes = fw.indicators
    _known_indicators(codes, f"{source}: framework")
    as_of = _as_of(obs.get("as_of"), f"{source}: observations.as_of")
    if store is None:
        store = Store(path=obs.get("db"))
    if not store.exists():
        raise SpecError(f"{source}: observations", f"数据库 {store.path} 不存在",
                        "已有的数据库（检查 --db / $DIGECON_DB / observations.db，"
                        "或先运行 digecon init 与 digecon ingest / load-demo）")
    wanted = obs.get("status")
    statuses = None if not wanted else (wanted if isinstance(wanted, list) else [wanted])
    frames = []
    for code in codes:
        # Each cell's one value at as_of, chosen as every surface chooses it (Store.chosen, the
        # choice digecon.facts documents; bounds such as 超2500亿元 are no values and never
        # compete); `status` limits the candidates before the choice.
        df = store.chosen([code], periods=[str(obs["period"])], as_of=as_of, statuses=statuses)
        if df.empty:
            raise _no_rows(store, code, str(obs["period"]), as_of, f"{source}: framework.{code}")
        frames.append(df)
    long = pd.concat(frames)
    units = _store_units(obs)
    if units is not None:
        long = long[long["region_code"].isin(units)]
    wide = long.pivot_table(index=["region_code", "region_name"], columns="indicator", values="value", aggfunc="first")
    wide = wide.reset_index().rename(columns={"region_code": "uCode", "region_name": "uName"})
    wide.columns.name = None
    statuses = sorted(set(long["status"].astype(str)))
    wide.attrs["provenance"] = {"statuses": statuses, "rows": len(long), "period": str(obs["period"])}
    return wide, meta


def _no_rows(store: Any, code: str, period: str, as_of: str | None, where: str) -> MissingInputError:
    """Why an indicator has no rows: none at all, or none yet at the spec's as_of."""
    if as_of is not None:
        later = store.query(indicator=code, period=period)
        if not later.empty:
            first = str(min(later["vintage"]))[:10]
            return MissingInputError(
                where, f"数据版本截至 {as_of} 时库中还没有指标 {code} 在 {period} 期的观测值",
                f"as_of 不早于其最早版本 {first}，或先导入 {as_of} 之前发布的数据",
                indicator=code, period=period)
    return MissingInputError(where, "库中无数据",
                             f"指标 {code} 在 {period} 期的观测值（先运行 digecon load-demo 或 ingest）",
                             indicator=code, period=period)


def _known_indicators(codes: list[str], where: str) -> None:
    cat = get_catalog()
    for code in codes:
        if not cat.has_indicator(code):
            hint = cat.suggest_indicators(code)
            raise SpecError(f"{where}.{code}", f"未知指标 {code}",
                            "目录中的指标代码" + (f"（是否为 {'、'.join(hint)}？）" if hint else ""))


def _as_of(value: Any, where: str) -> str | None:
    """A vintage date as YAML gives it (a date, or text YYYY-MM-DD) → ISO text."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise SpecError(where, value, "日期 YYYY-MM-DD（如 2022-07-01）") from None


def _store_units(obs: dict) -> list[str] | None:
    """The regions an index ranks: `level` (and `parent`) as the catalog lists them, or
    `level: units` — the units of the province `parent` that every surface counts (its
    prefecture-level units, a 直辖市's 区县, plus any its dataset's subunits.csv adds)."""
    level = obs.get("level")
    if not level:
        return None
    cat = get_catalog()
    if level == "units":
        parent = obs.get("parent")
        try:
            province = cat.region(parent) if parent else None
        except (LookupError, ValueError):
            province = None
        if province is None or province.level != "province":
            raise SpecError("observations.parent", parent,
                            "level: units 需要 parent 为省级地区代码（如 420000）")
        return [r.code for r in cat.subunits(province.code)]
    return [r.code for r in cat.regions(level=level, parent=obs.get("parent"))]
