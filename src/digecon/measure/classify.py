"""Industry classifications and versioned concordances: GB/T 4754-2017 codes → digital-economy categories."""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from digecon.errors import InputError

__all__ = [
    "CORE_CODES",
    "DE_CATEGORIES",
    "Concordance",
    "ConcordanceError",
    "caict_scope",
    "datasets_dir",
    "gbt4754",
    "load_concordance",
    "load_concordance_file",
    "load_nbs_annex",
    "read_csv_text",
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


class ConcordanceError(InputError):
    """A concordance or annex file that cannot be used, with file:row:column in the message."""


_CONCORDANCE_COLUMNS = ("industry_code", "de_code", "share")
_ANNEX_COLUMNS = ("代码", "名称", "国民经济行业代码及名称")
_EXCEL = {".xlsx", ".xlsm", ".xls"}


def _check_file(path: Path, error: type[ValueError], expected: str) -> None:
    if not path.exists():
        raise error(f"{path}: 文件不存在，应为{expected}")
    if not path.is_file():
        raise error(f"{path}: 是目录或特殊文件，应为{expected}")


def read_csv_text(path: str | Path, error: type[ValueError], expected: str) -> pd.DataFrame:
    """A user's CSV as text cells (UTF-8, header on line 1, at least one data row).

    Anything else raises `error` with the file, the line where known, what was found and
    `expected` (a Chinese phrase such as "带表头的 UTF-8 CSV 文件") — never a reader's own wording.
    """
    path = Path(path)
    _check_file(path, error, expected)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # not utf-8-sig: its offsets skip the BOM
    except UnicodeDecodeError as exc:
        # Excel in China saves "CSV" as GB18030 (GBK); `digecon ingest` reads those too.
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw[:exc.start].count(b"\n") + 1
            raise error(f"{path}:{line}: 不是 UTF-8 或 GB18030 编码的文本（第 {exc.start + 1} 个字节为 "
                        f"0x{raw[exc.start]:02x}，可能是二进制文件），应为{expected}"
                        ) from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise error(f"{path}:{line}: 含有 NUL 字节，像是二进制文件，应为{expected}")
    if not text.strip():
        raise error(f"{path}: 文件为空，应为{expected}")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    start = 1
    try:
        for fields in reader:
            if fields:  # empty lines are skipped, as pandas does
                rows.append(fields)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise error(f"{path}:{start}: 从这一行起无法解析为 CSV（多半是双引号没有闭合），"
                    f"应为{expected}（{exc}）") from None
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:  # trailing empty header cells, as Excel may export
        header.pop()
    dup = sorted({h for h in header if h and header.count(h) > 1})
    if dup:
        raise error(f"{path}:1: 表头中 {', '.join(dup)} 出现不止一次，应为各不相同的列名")
    width = len(header)
    for i, fields in enumerate(rows[1:], start=2):
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            raise error(f"{path}:{i}: 有 {len(fields)} 个字段，应为 {width} 个（与表头列数相同；"
                        f"含逗号的取值请加双引号）")
    if len(rows) < 2:
        raise error(f"{path}: 只有表头 {', '.join(header)}，没有数据行；应为{expected}，至少一行数据")
    # Short rows are padded, as spreadsheets leave trailing empty cells out.
    return pd.DataFrame([(f + [""] * width)[:width] for f in rows[1:]], columns=header, dtype=str)


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
            errors.append(f"{source}:{i}:industry_code: 取值 '{r.industry_code}' 不是 GB/T 4754-2017 "
                          f"代码，应为 gbt4754_2017.csv 中的 2–4 位代码")
        if not re.fullmatch(r"0[1-5]\d*", str(r.de_code)):
            errors.append(f"{source}:{i}:de_code: 取值 '{r.de_code}'，应为分类代码 01–05"
                          f"（可带中类/小类位数，如 0301）")
        try:
            share = float(r.share)
        except (TypeError, ValueError):
            errors.append(f"{source}:{i}:share: 取值 '{r.share}' 不是数字，应为 (0, 1] 内的份额")
            continue
        if not 0 < share <= 1:
            errors.append(f"{source}:{i}:share: 取值 '{r.share}'，应为 (0, 1] 内的份额")
    if not errors:
        sums = table.assign(share=table["share"].astype(float)).groupby("industry_code")["share"].sum()
        for code, s in sums[sums > 1 + 1e-9].items():
            errors.append(f"{source}:industry_code {code}: 份额合计 {s:g}，应不超过 1")
    if errors:
        raise ConcordanceError("\n".join(errors))


def load_concordance(path: str | Path, gbt: pd.DataFrame | None = None) -> Concordance:
    """Read a concordance CSV named `<name>.v<N>.csv` with columns industry_code, de_code, share."""
    path = Path(path)
    table = read_csv_text(path, ConcordanceError, "对照表 CSV（列 industry_code, de_code, share）")
    return _concordance(table, path, gbt4754() if gbt is None else gbt)


def _concordance(table: pd.DataFrame, path: Path, gbt: pd.DataFrame) -> Concordance:
    table = table.set_axis([str(c).strip() for c in table.columns], axis=1)
    missing = [c for c in _CONCORDANCE_COLUMNS if c not in table.columns]
    if missing:
        raise ConcordanceError(f"{path}:1: 缺少列 {', '.join(missing)}；表头为 "
                               f"{', '.join(table.columns)}；应为 {', '.join(_CONCORDANCE_COLUMNS)}")
    table = table[list(_CONCORDANCE_COLUMNS)].apply(lambda s: s.str.strip())
    _validate(table, str(path), gbt)
    table = table.assign(share=table["share"].astype(float))
    m = _VERSIONED.match(path.stem)
    name, version = (m["name"], m["version"]) if m else (path.stem, "0")
    return Concordance(name, version, table.reset_index(drop=True))


def load_concordance_file(path: str | Path, *, partial_share: float = 0.5,
                          gbt: pd.DataFrame | None = None) -> Concordance:
    """A concordance CSV or an NBS annex (CSV or XLSX), told apart by the header."""
    path = Path(path)
    if path.suffix.lower() in _EXCEL:
        return load_nbs_annex(path, partial_share=partial_share, gbt=gbt)
    both = (f"对照表 CSV（列 {', '.join(_CONCORDANCE_COLUMNS)}）或国家统计局分类附表"
            f"（列 {', '.join(_ANNEX_COLUMNS)}）")
    table = read_csv_text(path, ConcordanceError, both)
    columns = [str(c).strip() for c in table.columns]
    if set(columns) & set(_CONCORDANCE_COLUMNS):
        return _concordance(table, path, gbt4754() if gbt is None else gbt)
    if set(columns) & set(_ANNEX_COLUMNS):
        return load_nbs_annex(path, partial_share=partial_share, gbt=gbt, raw=table)
    hint = "（分隔符应为英文逗号）" if len(columns) == 1 and re.search(r"[;\t，；]", columns[0]) else ""
    raise ConcordanceError(f"{path}:1: 表头为 {', '.join(columns)}；应为{both}{hint}")


def caict_scope() -> Concordance:
    """CAICT's 数字产业化 scope at GB/T 4754 大类 level (39 → 01; 63, 64, 65 → 03)."""
    return load_concordance(datasets_dir() / "concordances" / "caict_di_2017.v1.csv")


# One entry of the annex's GB/T column: optional '*' before or after a 2–4 digit code, then a name.
_ANNEX_ENTRY = re.compile(r"(\*?)\s*(\d{2,4})\s*(\*?)\s*([^\d*\n;；]*)")


def load_nbs_annex(path: str | Path, *, level: str = "大类", partial_share: float = 0.5,
                   version: str = "1", gbt: pd.DataFrame | None = None,
                   raw: pd.DataFrame | None = None) -> Concordance:
    """Load the NBS 2021 classification annex as users hold it (CSV or XLSX).

    Columns: 代码 (the category code, 2/4/6 digits; rows without GB/T codes are headings),
    名称, 国民经济行业代码及名称 (one or more entries like "3911 计算机整机制造", '*' marking a
    partial correspondence). `level` ("大类", "中类" or "小类") truncates category codes to 2, 4
    or 6 digits. A '*' code gets `partial_share`, divided equally when the same code is partial
    in several categories — the annex marks partial correspondences without quantifying them.
    `raw`: the file's cells when the caller has already read them.
    """
    path = Path(path)
    gbt = gbt4754() if gbt is None else gbt
    width = {"大类": 2, "中类": 4, "小类": 6}.get(level)
    if width is None:
        raise ValueError(f"level: 取值 '{level}'，应为 大类、中类 或 小类")
    if not 0 < partial_share <= 1:
        raise ValueError(f"partial_share（--partial-share）: 取值 {partial_share}，应为 (0, 1] 内的份额")
    expected = f"国家统计局分类附表（CSV 或 XLSX，列 {', '.join(_ANNEX_COLUMNS)}）"
    if raw is None:
        raw = (_read_excel(path, expected) if path.suffix.lower() in _EXCEL
               else read_csv_text(path, ConcordanceError, expected))
    raw = raw.set_axis([str(c).strip() for c in raw.columns], axis=1)
    missing = [c for c in _ANNEX_COLUMNS if c not in raw.columns]
    if missing:
        raise ConcordanceError(f"{path}:1: 缺少列 {', '.join(missing)}；表头为 "
                               f"{', '.join(raw.columns)}；应为 {', '.join(_ANNEX_COLUMNS)}")
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
            errors.append(f"{path}:{i}:代码: 取值 '{de}'，应为 01–05 开头的 2、4 或 6 位分类代码")
            continue
        found = _ANNEX_ENTRY.findall(cell)
        if not found:
            errors.append(f"{path}:{i}:{col}: 取值 '{cell}'，应为如 '3911 计算机整机制造' 的条目"
                          f"（部分对应加 '*'）")
        for star_a, code, star_b, _name in found:
            if code not in known:
                errors.append(f"{path}:{i}:{col}: 代码 '{code}' 不在 GB/T 4754-2017 中"
                              f"（取值 '{cell}'），应为 gbt4754_2017.csv 中的 2–4 位代码")
                continue
            entries.append((code, de[:width], bool(star_a or star_b)))
    if errors:
        raise ConcordanceError("\n".join(errors))
    if not entries:
        raise ConcordanceError(f"{path}:{col}: 没有一行填写了国民经济行业代码（只有标题行），"
                               f"应至少有一行如 '3911 计算机整机制造'")
    df = pd.DataFrame(entries, columns=["industry_code", "de_code", "partial"])
    # The same GB/T code may be listed under several 小类 of one category: count it once.
    df = df.drop_duplicates(["industry_code", "de_code"])
    conflicts = df.groupby("industry_code")["partial"].agg(["size", "all"])
    bad = conflicts[(conflicts["size"] > 1) & ~conflicts["all"]]
    if len(bad):
        codes = ", ".join(bad.index)
        raise ConcordanceError(f"{path}:{col}: 代码 {codes} 出现在多个分类中，但并非每处都带 '*'；"
                               f"应为只对应一个分类，或每处都标 '*'（部分对应）")
    n_partial = df[df["partial"]].groupby("industry_code")["industry_code"].transform("size")
    df["share"] = 1.0
    df.loc[df["partial"], "share"] = partial_share / n_partial
    return Concordance(f"nbs_2021_{level}", version, df[["industry_code", "de_code", "share"]]
                       .reset_index(drop=True))


def _read_excel(path: Path, expected: str) -> pd.DataFrame:
    _check_file(path, ConcordanceError, expected)
    try:
        raw = pd.read_excel(path, dtype=str).fillna("")
    except ImportError as exc:
        raise ConcordanceError(f"{path}: 读取 {path.suffix} 需要未安装的库，应为 .xlsx 或 UTF-8 CSV"
                               f"（{exc}）") from None
    except Exception as exc:  # noqa: BLE001 - whatever the Excel reader rejects is the user's file
        raise ConcordanceError(f"{path}: 无法作为 Excel 工作簿读取，应为{expected}"
                               f"（{type(exc).__name__}: {exc}）") from None
    if raw.empty:
        raise ConcordanceError(f"{path}: 第一个工作表没有数据行，应为{expected}")
    return raw
