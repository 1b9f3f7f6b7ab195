"""The index tree read from a COINr-style iMeta table: indicators at level 1, aggregates above."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import SpecError

META_COLUMNS = ("Level", "iCode", "Parent", "Weight", "Direction", "Type")


@dataclass
class Framework:
    meta: pd.DataFrame
    indicators: list[str]
    levels: list[list[str]]  # levels[0] = indicators, levels[k] = aggregates at level k+1
    children: dict[str, list[str]]
    weight: dict[str, float]
    direction: dict[str, float]
    denominator: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def aggregates(self) -> list[str]:
        return [c for lev in self.levels[1:] for c in lev]

    @property
    def all_codes(self) -> list[str]:
        return [c for lev in self.levels for c in lev]

    @property
    def top(self) -> str:
        return self.levels[-1][0]

    def weight_vector(self, overrides: dict[str, float] | None = None) -> np.ndarray:
        w = dict(self.weight)
        w.update(overrides or {})
        return np.array([w[c] for c in self.all_codes], dtype=float)

    def without(self, code: str) -> Framework:
        """The same tree with one indicator removed (its parent keeps its other children)."""
        meta = self.meta[self.meta["iCode"] != code]
        return framework_from_meta(meta, "(indicator removed)")


def _positive_int(value: object) -> bool:
    if isinstance(value, bool):
        return False
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return np.isfinite(f) and f >= 1 and f == int(f)


def framework_from_meta(meta: pd.DataFrame, source: str) -> Framework:
    meta = meta.copy()
    for col in ("Level", "iCode", "Parent", "Weight"):
        if col not in meta.columns:
            raise SpecError(f"{source}: 列 {col}", list(meta.columns), "COINr iMeta 列 Level, iCode, Parent, Weight[, Direction, Type]")
    if "Direction" not in meta.columns:
        meta["Direction"] = 1
    for i, level in meta["Level"].items():
        if "Type" in meta.columns and meta.at[i, "Type"] not in ("Indicator", "Aggregate"):
            continue  # COINr's denominator and group rows have no level
        if not _positive_int(level):
            raise SpecError(f"{source}:{i + 2}:Level", level, "正整数层级（1 = 指标，2 起为汇总）")
    if "Type" not in meta.columns:
        meta["Type"] = np.where(meta["Level"].astype(float) == 1, "Indicator", "Aggregate")
    tree = meta[meta["Type"].isin(["Indicator", "Aggregate"])].copy()
    for i, row in tree.iterrows():
        row_no = i + 2  # header is line 1
        for col in ("Weight", "Direction"):
            try:
                value = float(row[col])
            except (TypeError, ValueError):
                raise SpecError(f"{source}:{row_no}:{col}", row[col], "数值") from None
            if not np.isfinite(value):
                raise SpecError(f"{source}:{row_no}:{col}", row[col], "有限的数值")
        if float(row["Weight"]) < 0:
            raise SpecError(f"{source}:{row_no}:Weight", row["Weight"],
                            "非负的权重（0 表示不计入；同一上级内按比例归一）")
        if row["Type"] == "Indicator" and float(row["Direction"]) not in (1.0, -1.0):
            raise SpecError(f"{source}:{row_no}:Direction", row["Direction"], "1 或 -1")
    tree["Level"] = tree["Level"].astype(float).astype(int)
    tree["Weight"] = tree["Weight"].astype(float)
    tree["Direction"] = tree["Direction"].astype(float)
    dup = tree["iCode"][tree["iCode"].duplicated()]
    if len(dup):
        raise SpecError(f"{source}: iCode", dup.iloc[0], "唯一的指标代码")
    nlev = int(tree["Level"].max())
    levels = [tree.loc[tree["Level"] == k, "iCode"].astype(str).tolist() for k in range(1, nlev + 1)]
    if any(not lev for lev in levels):
        raise SpecError(f"{source}: Level", sorted(tree["Level"].unique()), f"从 1 到 {nlev} 每一层都有指标")
    if len(levels[-1]) != 1:
        raise SpecError(f"{source}: Level {nlev}", levels[-1], "最高层只有一个总指数")
    codes = set(tree["iCode"].astype(str))
    children: dict[str, list[str]] = {c: [] for lev in levels[1:] for c in lev}
    for i, row in tree.iterrows():
        if row["Level"] == nlev:
            continue
        parent = str(row["Parent"])
        if parent not in codes:
            raise SpecError(f"{source}:{i + 2}:Parent", row["Parent"], f"上一层（Level {row['Level'] + 1}）中的某个 iCode")
        plevel = int(tree.loc[tree["iCode"] == parent, "Level"].iloc[0])
        if plevel != row["Level"] + 1:
            raise SpecError(f"{source}:{i + 2}:Parent", parent, f"Level {row['Level'] + 1} 的代码（实际在 Level {plevel}）")
        children[parent].append(str(row["iCode"]))
    for agg, kids in children.items():
        if not kids:
            raise SpecError(f"{source}: {agg}", "没有下级指标", "每个汇总指标至少有一个下级")
    den = {}
    if "Denominator" in tree.columns:
        den = {str(r.iCode): str(r.Denominator) for r in tree.itertuples()
               if isinstance(r.Denominator, str) and r.Denominator.strip()}
    names = {}
    if "iName" in tree.columns:
        names = {str(r.iCode): str(r.iName) for r in tree.itertuples()}
    return Framework(meta=meta, indicators=levels[0], levels=levels, children=children,
                     weight=dict(zip(tree["iCode"].astype(str), tree["Weight"])),
                     direction=dict(zip(tree["iCode"].astype(str), tree["Direction"])),
                     denominator=den, names=names)
