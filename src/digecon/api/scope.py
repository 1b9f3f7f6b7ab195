"""What the dashboard shows: the region and year a report spec names, checked in the catalog."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from digecon.catalog import Region, get_catalog

WHOLE_FILE = "(file)"  # the error is about the file as a whole, not one field


class ScopeError(ValueError):
    """A report spec the dashboard cannot use; the message names the file and the field."""

    def __init__(self, file: str | Path, field: str, found: str, expected: str):
        self.file, self.field, self.found, self.expected = str(file), field, found, expected
        where = "" if field == WHOLE_FILE else f"字段 {field}："
        super().__init__(f"报告规格 {file}：{where}发现{found}，应为{expected}")


@dataclass(frozen=True)
class Scope:
    spec: object  # digecon.publish.spec.ReportSpec: figures and maps come from the same spec
    region: Region
    year: str

    @property
    def path(self) -> Path:
        return self.spec.path

    @property
    def base_dir(self) -> Path:
        """The spec's dataset folder: its index specs and GeoJSON live beside it."""
        return self.spec.base_dir


def spec_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The given path, else $DIGECON_REPORT_SPEC, else the bundled dataset's report.yaml."""
    from digecon.publish.spec import resolve_spec_path

    return resolve_spec_path(path)


def load_scope(path: str | os.PathLike[str]) -> Scope:
    """The spec, read by the report builder's loader; `report.region` and `report.year` checked."""
    from digecon.figures.defs import SpecError
    from digecon.publish.spec import load_spec

    path = Path(path)
    if not path.is_file():
        found = "一个目录" if path.is_dir() else "文件不存在"
        raise ScopeError(path, WHOLE_FILE, found,
                         "报告规格 YAML 文件（如 datasets/jiangxi-2022/report.yaml）")
    try:
        spec = load_spec(path)  # checks report.region (in the catalog) and report.year
    except SpecError as exc:
        whole = exc.path in ("(file)", "(yaml)", "(top)")
        raise ScopeError(path, WHOLE_FILE if whole else exc.path, *_zh(exc)) from None
    return Scope(spec, get_catalog().region(spec.meta["region"]), str(spec.meta["year"]))


def _zh(exc) -> tuple[str, str]:
    """(found, expected) from the loader's error; Chinese for the whole-file failures."""
    if exc.found is not None and exc.expected is not None:
        return exc.found, exc.expected
    detail = str(exc).split(f"{exc.path}: ", 1)[-1]
    if exc.path == "(file)":
        at = re.search(r"at (\d+)", detail)
        where = f"（第 {int(at.group(1)) + 1} 个字节）" if at else ""
        return f"非 UTF-8 内容{where}", "UTF-8 编码的 YAML 报告规格"
    if exc.path == "(yaml)":
        mark = getattr(exc.__cause__, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        problem = getattr(exc.__cause__, "problem", None) or "语法错误"
        return f"无法解析的 YAML（{where}：{problem}）", "YAML 报告规格"
    if exc.path == "(top)":
        return "不是键值映射的内容", "含 report、figures、sections 的 YAML 映射"
    return f"不可用的值（{detail}）", "docs/report-spec.md 所述的写法"
