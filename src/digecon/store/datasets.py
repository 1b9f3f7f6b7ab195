"""Bundled datasets: where they are, how their files are checked and read (observations,
manifest, synthetic-record city weights, the manifest's unit_word for the catalog)."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
from pathlib import Path

from digecon.catalog import UnknownNameError, get_catalog
from digecon.dataset_paths import (
    DEFAULT_DATASET,
    MANIFEST,
    DatasetError,
    active_dataset,
    catalog_extension_dir,
    dataset_dir,
    dataset_of_spec,
    datasets_root,
    use_dataset,
)
from digecon.textio import decode_utf8

__all__ = ["DEFAULT_DATASET", "MANIFEST", "DatasetError", "active_dataset",
           "catalog_extension_dir", "dataset_dir", "dataset_of_spec", "dataset_unit_word",
           "dataset_vintage", "datasets_root", "observation_files", "read_synthetic_cities",
           "report_year", "synthetic_cities_path", "unit_word", "use_dataset"]

SYNTHETIC_CITIES = Path("synthetic") / "cities.csv"
CITY_COLUMNS = ("region_code", "gdp_weight", "digital_intensity")


def observation_files(name: str | None = None) -> list[Path]:
    """The dataset's observation files in load order, each checked against SHA256SUMS."""
    folder = dataset_dir(name) / "observations"
    sums = folder / "SHA256SUMS"
    if not sums.exists():
        raise DatasetError(f"{sums}: found 文件缺失, expected 各观测文件的 sha256 清单")
    files = []
    for lineno, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, fname = line.split(maxsplit=1)
        path = folder / fname
        actual = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "（缺失）"
        if actual != digest:
            raise DatasetError(f"{sums}:{lineno}:{fname}: found sha256 {actual[:12]}…, expected "
                               f"{digest[:12]}…（发布版数据集不可修改；修订请发布新版本）")
        files.append(path)
    return files


def _manifest_nodes(path: Path, utf8_expected: str, yaml_expected: str) -> dict:
    """The manifest's top-level keys → YAML nodes (scalars kept as written, lines known);
    DatasetError naming the file (and line) for bytes or YAML that cannot be read."""
    import yaml

    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: 发现非 UTF-8 字节（第 {exc.start + 1} 个字节），"
                           f"应为{utf8_expected}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise DatasetError(f"{path}{where}: 发现无法解析的 YAML（{getattr(exc, 'problem', exc)}），"
                           f"应为{yaml_expected}") from None
    return {k.value: v for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


def dataset_vintage(name: str | None = None) -> str:
    """The edition's vintage (YYYY-MM-DD) from the dataset's manifest, dataset.yaml."""
    import yaml

    path = dataset_dir(name) / MANIFEST
    expected = "数据集清单 dataset.yaml，含 vintage: YYYY-MM-DD（本版数据集的发布日期）"
    if not path.is_file():
        raise DatasetError(f"{path}: 发现文件缺失，应为{expected}")
    found = _manifest_nodes(path, f" UTF-8 编码的{expected}", expected)
    value = found.get("vintage")
    if not isinstance(value, yaml.ScalarNode) or not value.value.strip():
        line = value.start_mark.line + 1 if value is not None else 1
        raise DatasetError(f"{path}:{line}:vintage: 发现该字段缺失，应为{expected}")
    try:
        return dt.date.fromisoformat(value.value.strip()).isoformat()
    except ValueError:
        raise DatasetError(f"{path}:{value.start_mark.line + 1}:vintage: 发现「{value.value}」，"
                           f"应为日期 YYYY-MM-DD") from None


def report_year(name: str | None = None) -> int:
    """`report.year` of the dataset's report spec (report.yaml): the year its edition is about.

    Read here rather than through the report builder, which sits above the store."""
    import yaml

    path = dataset_dir(name) / "report.yaml"
    expected = "报告规格 report.yaml，含 report.year（四位年份）"
    if not path.is_file():
        raise DatasetError(f"{path}: 发现文件缺失，应为{expected}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DatasetError(f"{path}: 发现无法读取的内容（{str(exc).splitlines()[0]}），"
                           f"应为 UTF-8 编码的{expected}") from None
    year = (raw.get("report") or {}).get("year") if isinstance(raw, dict) else None
    if not (isinstance(year, int) or (isinstance(year, str) and year.isdigit())) \
            or not 1900 <= int(year) <= 2200:
        raise DatasetError(f"{path}: report.year: 发现「{year}」，应为四位年份（如 2021）")
    return int(year)


def synthetic_cities_path(name: str | None = None) -> Path:
    """The dataset's city weights for synthetic enterprise records (synthetic/cities.csv)."""
    return dataset_dir(name) / SYNTHETIC_CITIES


def read_synthetic_cities(path: str | Path | None = None, name: str | None = None
                          ) -> dict[str, tuple[float, float]]:
    """region_code -> (gdp_weight, digital_intensity) in file order, every row checked.

    `path` is a user's file; without it, the dataset's synthetic/cities.csv. Lines starting
    with '#' are comments. Errors name file:line:column, what was found and what was expected.
    """
    path = Path(path) if path is not None else synthetic_cities_path(name)
    wanted = f"合成记录的城市权重 CSV（UTF-8，列 {', '.join(CITY_COLUMNS)}）"
    if not path.is_file():
        found = "一个目录" if path.is_dir() else "文件缺失"
        raise DatasetError(f"{path}: 发现{found}，应为{wanted}")
    text = decode_utf8(path, path.read_bytes(), DatasetError, wanted)
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), start=1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise DatasetError(f"{path}: 发现没有表头和数据行，应为{wanted}")
    head_line, head = lines[0]
    header = [h.strip() for h in next(csv.reader([head]))]
    missing = [c for c in CITY_COLUMNS if c not in header]
    if missing:
        raise DatasetError(f"{path}:{head_line}: 表头缺少列 {', '.join(missing)}；发现 "
                           f"{', '.join(header)}，应为 {', '.join(CITY_COLUMNS)}")
    if len(lines) == 1:
        raise DatasetError(f"{path}: 发现只有表头、没有数据行，应至少有一个地市级地区")
    cat = get_catalog()
    out: dict[str, tuple[float, float]] = {}
    first_seen: dict[str, int] = {}
    for lineno, ln in lines[1:]:
        cells = next(csv.reader([ln]))
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        code = row["region_code"]
        try:
            region = cat.region(code) if code else None
        except UnknownNameError:
            region = None
        if region is None or region.code != code or region.level != "city":
            if not code:
                found = "空值"
            elif region is None:
                found = f"「{code}」，目录中没有这个地区"
            elif region.code != code:
                found = f"「{code}」，是地区名称（{region.name} 的代码为 {region.code}）"
            else:
                found = f"「{code}」（{region.name}，不是地市级地区）"
            raise DatasetError(f"{path}:{lineno}:region_code: 发现{found}，"
                               f"应为目录中地市级地区的代码（GB/T 2260 六位数字）")
        if code in first_seen:
            raise DatasetError(f"{path}:{lineno}:region_code: 发现「{code}」重复"
                               f"（已在第 {first_seen[code]} 行），应为每个地区一行")
        first_seen[code] = lineno
        gdp = _number(path, lineno, "gdp_weight", row["gdp_weight"], positive=True,
                      expected="正数（该市企业数量的权重，如 GDP 亿元）")
        intensity = _number(path, lineno, "digital_intensity", row["digital_intensity"],
                            positive=False, expected="不小于 0 的数（数字产业企业的相对概率）")
        out[code] = (gdp, intensity)
    return out


def _number(path: Path, line: int, column: str, text: str, *, positive: bool,
            expected: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (value <= 0 if positive else value < 0):
        found = "空值" if text == "" else f"「{text}」"
        raise DatasetError(f"{path}:{line}:{column}: 发现{found}，应为{expected}")
    return value


def dataset_unit_word(province: str | None = None, name: str | None = None) -> str | None:
    """The dataset's own word for a province's prefecture-level units (dataset.yaml
    `unit_word:`), or None when the manifest does not set one.

    `unit_word: 州市` applies to every province; `unit_word: {"530000": 州（市）}` to the
    provinces listed. No manifest at all is the same as no unit_word.
    """
    import yaml

    try:
        path = dataset_dir(name) / MANIFEST
    except DatasetError:
        return None
    if not path.is_file():
        return None
    expected = ("unit_word: 下级单位的称谓（如 市州），或按省份代码列出（如 {\"430000\": 市州}）")
    found = _manifest_nodes(path, " UTF-8 编码的数据集清单", f"数据集清单，其中 {expected}")
    value = found.get("unit_word")
    if value is None:
        return None
    line = value.start_mark.line + 1
    if isinstance(value, yaml.ScalarNode):
        word = value.value.strip()
        if not word:
            raise DatasetError(f"{path}:{line}:unit_word: 发现空值，应为{expected}")
        return word
    if isinstance(value, yaml.MappingNode):
        words = {}
        for k, v in value.value:
            if not (isinstance(v, yaml.ScalarNode) and v.value.strip()
                    and len(k.value) == 6 and k.value.isdigit()):
                raise DatasetError(f"{path}:{k.start_mark.line + 1}:unit_word: 发现「{k.value}: "
                                   f"{getattr(v, 'value', '…')}」，应为六位省级代码: 称谓")
            words[k.value] = v.value.strip()
        return words.get(province) if province is not None else None
    raise DatasetError(f"{path}:{line}:unit_word: 发现列表，应为{expected}")


def unit_word(province: str, name: str | None = None) -> str:
    """The word the active dataset's reports use for `province`'s prefecture-level units:
    the manifest's unit_word if it sets one, else the catalog's rule (Catalog.unit_word)."""
    cat = get_catalog()
    code = cat.region(province).code
    return cat.unit_word(code, override=dataset_unit_word(code, name))
