"""What the dashboard shows: the region and year a report spec names, checked in the catalog."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from digecon.catalog import Region, get_catalog
from digecon.errors import InputError
from digecon.facts import unit_word

WHOLE_FILE = "(file)"  # the error is about the file as a whole, not one field


class ScopeError(InputError):
    """A report spec the dashboard cannot use; the message names the file and the field."""

    def __init__(self, file: str | Path, field: str, found: str, expected: str):
        self.file, self.field, self.found, self.expected = str(file), field, found, expected
        where = "" if field == WHOLE_FILE else f"字段 {field}："
        super().__init__(f"报告规格 {file}：{where}发现{found}，应为{expected}")


@dataclass(frozen=True)
class Dashboard:
    """What the overview and the city pages show, from the spec's `dashboard:` block."""

    headlines: tuple[str, ...] = ()        # indicator codes of the overview's cards
    overview_figures: tuple[str, ...] = ()  # figure ids drawn on the overview
    city_figure: str | None = None         # the figure each city page repeats
    city_index: str | None = None          # the index (datasets/…/index/<id>.yaml) ranking cities
    platform: str | None = None            # the site's name (江西省数字经济数据平台); else the region's


@dataclass(frozen=True)
class Scope:
    spec: object  # digecon.publish.spec.ReportSpec: figures and maps come from the same spec
    region: Region
    year: str
    dashboard: Dashboard = Dashboard()
    unit_word: str = "下级地区"  # 设区市, 市州, 盟市 … (catalog kinds or the dataset's manifest)

    @property
    def path(self) -> Path:
        return self.spec.path

    @property
    def platform(self) -> str:
        """The name the pages carry in their header and title: the spec's `dashboard.platform`, else
        「<region>数字经济」 — the centre's own platform, not the software's name."""
        return self.dashboard.platform or f"{self.region.name}数字经济"

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
    region = get_catalog().region(spec.meta["region"])
    return Scope(spec, region, str(spec.meta["year"]), _dashboard(path, spec),
                 _unit_word(region))


def _unit_word(region: Region) -> str:
    return unit_word(region.code)


def _dashboard(path: Path, spec) -> Dashboard:
    """The spec's `dashboard:` block, each id checked against the spec and the catalog."""
    import yaml

    raw = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("dashboard") or {}
    if not isinstance(raw, dict):
        raise ScopeError(path, "dashboard", f"「{raw}」", "键值映射（headlines, overview_figures, "
                         "city_figure, city_index, platform）")
    known = {"headlines", "overview_figures", "city_figure", "city_index", "platform"}
    for key in raw:
        if key not in known:
            raise ScopeError(path, f"dashboard.{key}", f"未知的键「{key}」",
                             "、".join(sorted(known)) + " 之一")

    def ids(key: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ScopeError(path, f"dashboard.{key}", f"「{value}」", "字符串列表")
        return tuple(value)

    cat = get_catalog()
    headlines = ids("headlines")
    for code in headlines:
        try:
            cat.indicator(code)
        except KeyError:
            raise ScopeError(path, "dashboard.headlines", f"未知指标「{code}」",
                             "目录中的指标代码") from None
    figures = ids("overview_figures")
    city_figure = raw.get("city_figure")
    for fid in (*figures, *([city_figure] if city_figure else [])):
        if fid not in spec.figures:
            raise ScopeError(path, "dashboard", f"未知图表「{fid}」",
                             "本规格 figures 中的图表 id：" + "、".join(spec.figures))
    city_index = raw.get("city_index")
    if city_index and not (spec.base_dir / "index" / f"{city_index}.yaml").is_file():
        raise ScopeError(path, "dashboard.city_index", f"「{city_index}」（找不到 "
                         f"{spec.base_dir / 'index' / (city_index + '.yaml')}）",
                         "数据集 index/ 文件夹中的指数规格名")
    platform = raw.get("platform")
    if platform is not None and (not isinstance(platform, str) or not platform.strip()):
        raise ScopeError(path, "dashboard.platform", f"「{platform}」", "平台名称（非空文字）")
    return Dashboard(headlines, figures, city_figure, city_index,
                     platform.strip() if platform else None)


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
