"""Industry classifications and versioned concordances: GB/T 4754-2017 codes → digital-economy categories."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "CORE_CODES",
    "DE_CATEGORIES",
    "Concordance",
    "ConcordanceError",
    "caict_scope",
    "datasets_dir",
    "gbt4754",
    "load_concordance",
    "load_nbs_annex",
]

# 《数字经济及其核心产业统计分类（2021）》 大类; 01–04 are the core industries (数字产业化).
DE_CATEGORIES: dict[str, str] = {
    "01": "数字产品制造业",
    "02": "数字产品服务业",
    "03": "数字技术应用业",
    "04": "数字要素驱动业",
    "05": "数字化效率提升业",
}
CORE_CODES: tuple[str, ...] = ("01", "02", "03", "04")

_VERSIONED = re.compile(r"^(?P<name>.+)\.v(?P<version>\d+)$")


class ConcordanceError(ValueError):
    """A concordance or annex file that cannot be used, with file:row:column in the message."""


def datasets_dir() -> Path:
    """The bundled dataset folder (located like every other reader: `store.datasets`)."""
    from digecon.store.datasets import dataset_dir

    return dataset_dir()


@functools.lru_cache(maxsize=4)
def gbt4754(path: str | None = None) -> pd.DataFrame:
    """GB/T 4754-2017 codes: columns code, level (门类/大类/中类/小类), name, parent."""
    p = Path(path) if path else datasets_dir() / "reference" / "gbt4754_2017.csv"
    return pd.read_csv(p, dtype=str, keep_default_na=False)


def _numeric_codes(gbt: pd.DataFrame) -> list[str]:
    return [c for c in gbt["code"] if c.isdigit()]


@dataclass(frozen=True)
class Concordance:
    """A versioned concordance `industry_code, de_code, share` (codes at any GB/T level)."""

    name: str
    version: str
    table: pd.DataFrame

    @property
    def label(self) -> str:
        return f"{self.name}.v{self.version}"

    def expanded(self, gbt: pd.DataFrame | None = None) -> pd.DataFrame:
        """Every GB/T 4754 code (2, 3 and 4 digits) covered, with its categories and shares.

        A code is covered by the most specific concordance entry that is a prefix of it, so
        a 大类 entry reaches all its 中类 and 小类 and a more specific entry overrides it.
        """
        gbt = gbt4754() if gbt is None else gbt
        by_code = {c: g[["de_code", "share"]].to_numpy().tolist()
                   for c, g in self.table.groupby("industry_code", sort=False)}
        rows: list[tuple[str, str, float]] = []
        for code in _numeric_codes(gbt):
            for n in range(len(code), 1, -1):
                hit = by_code.get(code[:n])
                if hit is not None:
                    rows.extend((code, de, float(sh)) for de, sh in hit)
                    break
        return pd.DataFrame(rows, columns=["industry_code", "de_code", "share"])


def _validate(table: pd.DataFrame, source: str, gbt: pd.DataFrame, first_row: int = 2) -> None:
    known = set(gbt["code"])
    errors: list[str] = []
    for i, r in enumerate(table.itertuples(index=False), start=first_row):
        if r.industry_code not in known:
            errors.append(f"{source}:{i}:industry_code: '{r.industry_code}' is not a GB/T 4754-2017 "
                          f"code (expected a 2–4 digit code listed in gbt4754_2017.csv)")
        if not re.fullmatch(r"0[1-5]\d*", str(r.de_code)):
            errors.append(f"{source}:{i}:de_code: found '{r.de_code}', expected a category code 01–05 "
                          f"(optionally with 中类/小类 digits, e.g. 0301)")
        try:
            share = float(r.share)
        except (TypeError, ValueError):
            errors.append(f"{source}:{i}:share: found '{r.share}', expected a number in (0, 1]")
            continue
        if not 0 < share <= 1:
            errors.append(f"{source}:{i}:share: found {share}, expected a number in (0, 1]")
    if not errors:
        sums = table.assign(share=table["share"].astype(float)).groupby("industry_code")["share"].sum()
        for code, s in sums[sums > 1 + 1e-9].items():
            errors.append(f"{source}:industry_code {code}: shares sum to {s:g}, expected ≤ 1")
    if errors:
        raise ConcordanceError("\n".join(errors))


def load_concordance(path: str | Path, gbt: pd.DataFrame | None = None) -> Concordance:
    """Read a concordance CSV named `<name>.v<N>.csv` with columns industry_code, de_code, share."""
    path = Path(path)
    gbt = gbt4754() if gbt is None else gbt
    if not path.exists():
        raise ConcordanceError(f"{path}: file not found (expected a CSV with columns "
                               f"industry_code, de_code, share)")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"industry_code", "de_code", "share"} - set(table.columns)
    if missing:
        raise ConcordanceError(f"{path}:1: missing column(s) {', '.join(sorted(missing))}; found "
                               f"{', '.join(table.columns)}; expected industry_code, de_code, share")
    table = table[["industry_code", "de_code", "share"]].apply(lambda s: s.str.strip())
    _validate(table, str(path), gbt)
    table = table.assign(share=table["share"].astype(float))
    m = _VERSIONED.match(path.stem)
    name, version = (m["name"], m["version"]) if m else (path.stem, "0")
    return Concordance(name, version, table.reset_index(drop=True))


def caict_scope() -> Concordance:
    """CAICT's 数字产业化 scope at GB/T 4754 大类 level (39 → 01; 63, 64, 65 → 03)."""
    return load_concordance(datasets_dir() / "concordances" / "caict_di_2017.v1.csv")


# One entry of the annex's GB/T column: optional '*' before or after a 2–4 digit code, then a name.
_ANNEX_ENTRY = re.compile(r"(\*?)\s*(\d{2,4})\s*(\*?)\s*([^\d*\n;；]*)")


def load_nbs_annex(path: str | Path, *, level: str = "大类", partial_share: float = 0.5,
                   version: str = "1", gbt: pd.DataFrame | None = None) -> Concordance:
    """Load the NBS 2021 classification annex as users hold it (CSV or XLSX).

    Columns: 代码 (the category code, 2/4/6 digits; rows without GB/T codes are headings),
    名称, 国民经济行业代码及名称 (one or more entries like "3911 计算机整机制造", '*' marking a
    partial correspondence). `level` ("大类", "中类" or "小类") truncates category codes to 2, 4
    or 6 digits. A '*' code gets `partial_share`, divided equally when the same code is partial
    in several categories — the annex marks partial correspondences without quantifying them.
    """
    path = Path(path)
    gbt = gbt4754() if gbt is None else gbt
    width = {"大类": 2, "中类": 4, "小类": 6}.get(level)
    if width is None:
        raise ValueError(f"level: found '{level}', expected 大类, 中类 or 小类")
    if not 0 < partial_share <= 1:
        raise ValueError(f"partial_share: found {partial_share}, expected a number in (0, 1]")
    if not path.exists():
        raise ConcordanceError(f"{path}: file not found")
    if path.suffix.lower() in {".xlsx", ".xls"}:
        raw = pd.read_excel(path, dtype=str).fillna("")
    else:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.columns = [str(c).strip() for c in raw.columns]
    need = ["代码", "名称", "国民经济行业代码及名称"]
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise ConcordanceError(f"{path}:1: missing column(s) {', '.join(missing)}; found "
                               f"{', '.join(raw.columns)}; expected {', '.join(need)}")
    known = set(gbt["code"])
    errors: list[str] = []
    entries: list[tuple[str, str, bool]] = []
    col = "国民经济行业代码及名称"
    for i, r in enumerate(raw.itertuples(index=False), start=2):
        de = str(r.代码).strip()
        cell = str(getattr(r, col)).strip()
        if not cell:
            continue
        if not re.fullmatch(r"0[1-5](\d{2}){0,2}", de):
            errors.append(f"{path}:{i}:代码: found '{de}', expected a category code 01–05 "
                          f"with 2, 4 or 6 digits")
            continue
        found = _ANNEX_ENTRY.findall(cell)
        if not found:
            errors.append(f"{path}:{i}:{col}: found '{cell}', expected entries like "
                          f"'3911 计算机整机制造' ('*' for partial)")
        for star_a, code, star_b, _name in found:
            if code not in known:
                errors.append(f"{path}:{i}:{col}: code '{code}' does not exist in GB/T 4754-2017 "
                              f"(found in '{cell}')")
                continue
            entries.append((code, de[:width], bool(star_a or star_b)))
    if errors:
        raise ConcordanceError("\n".join(errors))
    df = pd.DataFrame(entries, columns=["industry_code", "de_code", "partial"])
    # The same GB/T code may be listed under several 小类 of one category: count it once.
    df = df.drop_duplicates(["industry_code", "de_code"])
    conflicts = df.groupby("industry_code")["partial"].agg(["size", "all"])
    bad = conflicts[(conflicts["size"] > 1) & ~conflicts["all"]]
    if len(bad):
        codes = ", ".join(bad.index)
        raise ConcordanceError(f"{path}:{col}: code(s) {codes} appear in more than one category "
                               f"without '*' on every entry; expected one full correspondence or "
                               f"'*' entries only")
    n_partial = df[df["partial"]].groupby("industry_code")["industry_code"].transform("size")
    df["share"] = 1.0
    df.loc[df["partial"], "share"] = partial_share / n_partial
    return Concordance(f"nbs_2021_{level}", version, df[["industry_code", "de_code", "share"]]
                       .reset_index(drop=True))
