"""Extension folders: the regions and indicators that a dataset (its `catalog/`) or
$DIGECON_CATALOG_PATH adds to the packaged catalog, every row checked before it is merged."""
from __future__ import annotations

import csv
import difflib
import io
import os
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from digecon.dataset_paths import catalog_extension_dir
from digecon.textio import decode_utf8

from .model import (
    INDICATOR_KINDS,
    REGION_LEVELS,
    Catalog,
    CatalogError,
    Indicator,
    Region,
    indicator_from_row,
    packaged,
)
from .regions import kind_from_name
from .relations import check_formula

PATH_VARIABLE = "DIGECON_CATALOG_PATH"
REGIONS_FILE = "regions.csv"
INDICATORS_FILE = "indicators.csv"
SUBUNITS_FILE = "subunits.csv"
REGION_COLUMNS = ("code", "name", "short", "level", "kind", "parent", "name_en", "aliases")
REGION_REQUIRED = ("code", "name", "level", "parent")
INDICATOR_COLUMNS = ("code", "name_zh", "name_en", "unit", "kind", "decimals", "definition",
                     "formula", "aliases")
INDICATOR_REQUIRED = ("code", "name_zh", "unit", "kind")
SUBUNIT_COLUMNS = ("parent", "code")
REGION_CODE = re.compile(r"[0-9]{6}")
INDICATOR_CODE = re.compile(r"[a-z0-9][a-z0-9_]*")
PACKAGED = "内置目录"


def extension_dirs() -> list[Path]:
    """The folders merged after the packaged tables, in order: the active dataset's
    `catalog/` (when it has one; see digecon.dataset_paths), then each entry of
    $DIGECON_CATALOG_PATH."""
    dirs = []
    own = catalog_extension_dir()
    if own is not None:
        dirs.append(own)
    dirs += [Path(e.strip()) for e in os.environ.get(PATH_VARIABLE, "").split(os.pathsep)
             if e.strip()]
    return dirs


def get_catalog() -> Catalog:
    """The catalog: the packaged tables, then the extension folders' regions and indicators.

    Cached by its inputs (each folder and the size and modification time of its files), so
    another $DIGECON_CATALOG_PATH, dataset or edited file gives a freshly checked catalog.
    Raises CatalogError for an extension file that cannot be merged.
    """
    key = tuple((str(d), *(tuple((f.name, _stamp(f)) for f in _files(d, name))
                           for name in (REGIONS_FILE, INDICATORS_FILE, SUBUNITS_FILE)))
                for d in extension_dirs())
    return _build(key)


def _files(folder: Path, name: str) -> list[Path]:
    """`indicators.csv`, then any `indicators_*.csv` (e.g. one generated from a paper's facts)
    in name order; the same for regions."""
    stem = name.removesuffix(".csv")
    extra = sorted(folder.glob(f"{stem}_*.csv")) if folder.is_dir() else []
    return [f for f in [folder / name, *extra] if f.is_file()]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


@lru_cache(maxsize=8)
def _build(key: tuple) -> Catalog:
    return merge([Path(d) for d, *_ in key]) if key else Catalog()


def merge(dirs: list[Path]) -> Catalog:
    """The packaged catalog with the extension folders' rows added; CatalogError if any row
    is malformed, contradicts the catalog or repeats within its file."""
    base_regions, base_indicators, units = packaged()
    regions: dict[str, tuple[Region, str]] = {r.code: (r, PACKAGED) for r in base_regions}
    indicators: dict[str, tuple[Indicator, str]] = {i.code: (i, PACKAGED)
                                                    for i in base_indicators}
    known_units = sorted(({u.unit for u in units} | {i.unit for i in base_indicators}) - {""})
    added: list[tuple[Region, Path, int]] = []
    subunit_files: list[Path] = []
    files = f"{REGIONS_FILE}、{INDICATORS_FILE} 或 {SUBUNITS_FILE}"
    for folder in dirs:
        if not folder.is_dir():
            raise CatalogError(f"{folder}: 发现目录不存在，应为含 {files} 的目录"
                               f"（${PATH_VARIABLE} 所列或数据集的 catalog/）")
        region_files, indicator_files = (_files(folder, REGIONS_FILE),
                                         _files(folder, INDICATORS_FILE))
        own_subunits = _files(folder, SUBUNITS_FILE)
        if not region_files and not indicator_files and not own_subunits:
            raise CatalogError(f"{folder}: 发现目录中没有 {files}，应至少有其中一个")
        for path in region_files:
            added += _add_regions(path, regions)
        for path in indicator_files:
            _add_indicators(path, indicators, known_units)
        subunit_files += own_subunits
    for region, path, line in added:
        _check_parent(region, path, line, regions)
    known = {code: r for code, (r, _) in regions.items()}
    extra: dict[str, list[str]] = {}
    for path in subunit_files:
        for parent, codes in _read_subunits(path, known).items():
            extra.setdefault(parent, [])
            extra[parent] += [c for c in codes if c not in extra[parent]]
    return Catalog(regions=list(known.values()),
                   indicators=[i for i, _ in indicators.values()], subunits=extra)


# units of a province's breakdown -------------------------------------------------------------
def _read_subunits(path: Path, regions: dict[str, Region]) -> dict[str, list[str]]:
    """`subunits.csv` (parent, code): county-level units directly under a province that its
    breakdown counts beside its prefecture-level units (湖北's 仙桃市, 潜江市, 天门市 and
    神农架林区 among its 17 市州). Each row is checked: the parent a province, the code a
    county-level region of the catalog directly under it, each code once."""
    out: dict[str, list[str]] = {}
    first_seen: dict[str, int] = {}
    for line, row in _read(path, SUBUNIT_COLUMNS, SUBUNIT_COLUMNS):
        parent, code = row["parent"], row["code"]
        province = regions.get(parent)
        if province is None or province.level != "province":
            raise _bad(path, line, "parent", parent,
                       "省级地区的六位代码（如 420000），下级单位按省份列出")
        region = regions.get(code)
        if region is None or region.level != "county" or region.parent != parent:
            found = f"{code}（{region.name}，上级 {region.parent}）" if region else code
            raise _bad(path, line, "code", found,
                       f"直属于 {province.name}（{parent}）的县级地区代码"
                       f"（如省直辖县级行政单位；地级单位已自动计入）")
        _once(path, line, code, first_seen)
        out.setdefault(parent, []).append(code)
    return out


# regions ---------------------------------------------------------------------------------
def _add_regions(path: Path, regions: dict[str, tuple[Region, str]]) -> list[tuple[Region, Path, int]]:
    """New regions are added; a code already in the catalog must say the same (name, level,
    parent, kind), may fill in an empty short name or English name, may make one of its
    aliases the short name, and adds its aliases to the region's."""
    added = []
    first_seen: dict[str, int] = {}
    by_name: dict[str, list[tuple[Region, str]]] = {}
    for r, origin in regions.values():
        by_name.setdefault(r.name, []).append((r, origin))
    for line, row in _read(path, REGION_COLUMNS, REGION_REQUIRED):
        code = row["code"]
        if not REGION_CODE.fullmatch(code):
            raise _bad(path, line, "code", code, "六位数字的行政区划代码（GB/T 2260，如 430100）")
        _once(path, line, code, first_seen)
        if not row["name"]:
            raise _bad(path, line, "name", "", "地区全称，如 长沙市")
        if row["level"] not in REGION_LEVELS:
            raise _bad(path, line, "level", row["level"], f"{'、'.join(REGION_LEVELS)} 之一")
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        if code in regions:
            old, origin = regions[code]
            regions[code] = (_repeat(path, line, row, aliases, old, origin), origin)
            continue
        region = Region(code=code, name=row["name"], short=row["short"] or row["name"],
                        level=row["level"], parent=row["parent"], name_en=row["name_en"],
                        kind=row["kind"] or kind_from_name(row["name"], row["level"]),
                        aliases=aliases)
        for other, where in by_name.get(region.name, []):
            if region.level != "county" or other.level != "county" or other.parent == region.parent:
                raise _bad(path, line, "name", region.name,
                           f"另一个名称（「{region.name}」已是地区 {other.code} 的名称，"
                           f"见 {where}；同一地区请用代码 {other.code}）")
        regions[code] = (region, f"{path}:{line}")
        by_name.setdefault(region.name, []).append(regions[code])
        added.append((region, path, line))
    return added


def _repeat(path: Path, line: int, row: dict[str, str], aliases: tuple[str, ...], old: Region,
            origin: str) -> Region:
    label = f"{old.name}（{old.code}）"
    _same(path, line, row, old, origin, label, strict=("name", "level", "parent"),
          optional=("kind",))
    short = row["short"] or old.short
    if short not in (old.short, old.name, *old.aliases):
        raise _bad(path, line, "short", short,
                   f"「{old.short}」或该地区的别名之一（{'、'.join(old.aliases) or '无'}；代码 "
                   f"{old.code} 已在 {origin} 定义为 {label}）")
    name_en = row["name_en"]
    if name_en and old.name_en and name_en != old.name_en:
        raise _bad(path, line, "name_en", name_en,
                   f"「{old.name_en}」（代码 {old.code} 已在 {origin} 定义为 {label}）")
    merged = tuple(dict.fromkeys(a for a in (*old.aliases, old.short, *aliases)
                                 if a not in (short, old.name)))
    return replace(old, short=short, name_en=name_en or old.name_en, aliases=merged)


def _check_parent(region: Region, path: Path, line: int,
                  regions: dict[str, tuple[Region, str]]) -> None:
    parent = region.parent
    if region.level == "country":
        if parent:
            raise _bad(path, line, "parent", parent, "空值（国家一级没有上级地区）")
        return
    if parent in regions:
        return
    named = next((r for r, _ in regions.values() if parent in (r.name, r.short)), None)
    if not parent:
        found = "空值"
    elif named is not None:
        found = f"「{parent}」，是地区名称（{named.name} 的代码为 {named.code}）"
    else:
        found = f"「{parent}」，目录中没有这个地区"
    raise CatalogError(f"{path}:{line}:parent: 发现{found}，应为目录中已有地区的六位代码"
                       f"（如省级 430000；新的省也可在同一文件中先列出）")


# indicators ------------------------------------------------------------------------------
def _add_indicators(path: Path, indicators: dict[str, tuple[Indicator, str]],
                    known_units: list[str]) -> None:
    first_seen: dict[str, int] = {}
    for line, row in _read(path, INDICATOR_COLUMNS, INDICATOR_REQUIRED):
        code = row["code"]
        if not INDICATOR_CODE.fullmatch(code):
            raise _bad(path, line, "code", code,
                       "小写字母、数字和下划线组成的指标代码，如 broadband_users")
        _once(path, line, code, first_seen)
        if not row["name_zh"]:
            raise _bad(path, line, "name_zh", "", "指标中文名，如 固定宽带用户数")
        unit = row["unit"]
        if unit and unit not in known_units:
            close = difflib.get_close_matches(unit, known_units, n=3, cutoff=0.3)
            hint = f"；最接近：{'、'.join(close)}" if close else ""
            raise _bad(path, line, "unit", unit, "目录已有的单位（units.csv 或已有指标所用，"
                       f"如 亿元、%、万人；无单位留空）{hint}")
        if row["kind"] not in INDICATOR_KINDS:
            raise _bad(path, line, "kind", row["kind"], f"{'、'.join(INDICATOR_KINDS)} 之一")
        decimals = row["decimals"]
        if decimals and not (decimals.isascii() and decimals.isdigit() and int(decimals) <= 6):
            raise _bad(path, line, "decimals", decimals, "0–6 的整数（显示的小数位数），或留空")
        ind = indicator_from_row(row)
        check_formula(path, line, code, row.get("formula") or "")  # file:line:formula
        if code in indicators:
            old, origin = indicators[code]
            _same(path, line, row, old, origin, f"{old.name_zh}（{code}）",
                  strict=("name_zh", "unit", "kind"),
                  optional=("name_en", "decimals", "definition", "formula", "aliases"))
            continue
        indicators[code] = (ind, f"{path}:{line}")


# shared ----------------------------------------------------------------------------------
def _read(path: Path, columns: tuple[str, ...], required: tuple[str, ...]
          ) -> list[tuple[int, dict[str, str]]]:
    """(line, row) for each data row; blank lines and lines starting with '#' are skipped."""
    wanted = f"UTF-8 编码的 CSV，列 {', '.join(columns)}（必填 {', '.join(required)}）"
    text = decode_utf8(path, path.read_bytes(), CatalogError, wanted)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CatalogError(f"{path}:{start}: 发现无法解析的 CSV（{exc}），应为{wanted}") from None
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if header is None:
            header = cells
            _check_header(path, start, header, columns, required)
            continue
        if len(cells) != len(header):
            raise CatalogError(f"{path}:{start}: 发现 {len(cells)} 列，应为 {len(header)} 列"
                               f"（与表头一致）")
        row = dict.fromkeys(columns, "")
        row.update(zip(header, cells))
        rows.append((start, row))
    if header is None:
        raise CatalogError(f"{path}: 发现没有表头，应为{wanted}")
    return rows


def _check_header(path: Path, line: int, header: list[str], columns: tuple[str, ...],
                  required: tuple[str, ...]) -> None:
    expected = f"{', '.join(columns)}（必填 {', '.join(required)}）"
    for i, name in enumerate(header):
        if name not in columns:
            raise CatalogError(f"{path}:{line}:{i + 1}: 发现未知列「{name}」，应为 {expected}")
        if name in header[:i]:
            raise CatalogError(f"{path}:{line}:{name}: 发现列「{name}」重复，应为每列一次")
    missing = [c for c in required if c not in header]
    if missing:
        raise CatalogError(f"{path}:{line}: 表头缺少列 {', '.join(missing)}；发现 "
                           f"{', '.join(header)}，应为 {expected}")


def _once(path: Path, line: int, code: str, first_seen: dict[str, int]) -> None:
    if code in first_seen:
        raise _bad(path, line, "code", code,
                   f"每个代码一行（已在本文件第 {first_seen[code]} 行）")
    first_seen[code] = line


def _same(path: Path, line: int, row: dict[str, str], old: Region | Indicator, origin: str,
          label: str, strict: tuple[str, ...], optional: tuple[str, ...]) -> None:
    """A repeat of a code already in the catalog is fine only when it says the same thing;
    optional cells left empty are not compared."""
    for column in (*strict, *optional):
        value = getattr(old, column)
        current = "|".join(value) if isinstance(value, tuple) else str(value)
        if row[column] != current and (column in strict or row[column]):
            raise _bad(path, line, column, row[column],
                       f"「{current}」（代码 {row['code']} 已在 {origin} 定义为 {label}；"
                       f"重复列出已有代码时各列须相同，新的条目请用新代码）")


def _bad(path: Path, line: int, column: str, found: str, expected: str) -> CatalogError:
    shown = f"「{found}」" if found else "空值"
    return CatalogError(f"{path}:{line}:{column}: 发现{shown}，应为{expected}")
