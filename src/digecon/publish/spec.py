"""Read and check a report spec (YAML): metadata, figures, tables and the section outline."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from digecon.dataset_paths import DatasetError, dataset_dir
from digecon.facts import unit_word
from digecon.figures.defs import (
    MISSING,
    FigureDef,
    SpecError,
    found_at,
    one_of,
    parse_basemap,
    parse_figure,
    shown,
)
from digecon.narrative.render import find_template, template_section

BLOCK_KINDS = ("narrative", "text", "figure", "table", "revisions")


@dataclass(frozen=True)
class TableDef:
    id: str
    caption: str
    file: Path | None  # a CSV; None when the table is computed from an index spec
    columns: dict[str, str]
    source: str
    highlight: dict[str, str] | None = None
    index: Path | None = None  # an index spec (evaluate): one row per unit with its 梯队
    label: str = "表"  # 表, or e.g. 附表 (numbered separately)
    revisions_since: str | None = None  # a 修订说明: values changed since this vintage


# The columns an index table can show (a `columns` mapping picks and renames them).
# The index table's default headings; the units' column is headed with the region's unit word
# (设区市, 市州, 盟市 … from the catalog or the dataset's manifest).
INDEX_COLUMNS = {"uName": None, "label": "梯队", "score": "发展指数得分", "rank": "指数排名"}


@dataclass
class Block:
    kind: str  # narrative | text | figure | table
    ref: str  # narrative section name, text path, figure id or table id
    # (path: the text file or the narrative template)
    fallback: Path | None = None
    path: Path | None = None
    number: int = 0
    label: str = ""
    key: str = ""  # its key path in the spec (sections[1].blocks[0].figure), for messages


@dataclass
class Section:
    title: str
    level: int
    number: int  # 1-based among numbered siblings; 0 when unnumbered (前言)
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass
class ReportSpec:
    path: Path
    meta: dict[str, Any]
    figures: dict[str, FigureDef]
    tables: dict[str, TableDef]
    sections: list[Section]
    layout: Layout = field(default_factory=lambda: Layout())

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def blocks(self) -> list[tuple[Section, Block]]:
        out: list[tuple[Section, Block]] = []

        def walk(sec: Section) -> None:
            out.extend((sec, b) for b in sec.blocks)
            for child in sec.children:
                walk(child)

        for s in self.sections:
            walk(s)
        return out


def _known_indicators() -> set[str] | None:
    from digecon.catalog import get_catalog

    return {i.code for i in get_catalog().indicators()}


def _need(cond: bool, file: str, path: str, found: str, expected: str) -> None:
    if not cond:
        raise SpecError(file, path, found=found, expected=expected)


def _no_file(written: Any, path: Path) -> str:
    return f"「{written}」，文件不存在（{path}）"


TABLE_TEXTS = {"caption": "非空的表题文字", "source": "非空的资料来源文字",
               "file": "CSV 文件的路径（相对于报告规格所在的文件夹）",
               "index": "指数规格 YAML 文件的路径（相对于报告规格所在的文件夹）"}


def _table(tid: str, raw: Any, file: str, base: Path, region: str) -> TableDef:
    kp = f"tables.{tid}"
    _need(isinstance(raw, dict), file, kp, shown(raw),
          "表的定义：含 caption、file（或 index）、columns、source 的映射")
    label = str(raw.get("label") or "表")
    if "index" in raw:
        for key in ("caption", "index", "source"):
            _need(isinstance(raw.get(key), str) and raw[key].strip() != "", file, f"{kp}.{key}",
                  found_at(raw, key), TABLE_TEXTS[key])
        path = base / raw["index"]
        _need(path.is_file(), file, f"{kp}.index", _no_file(raw["index"], path),
              "相对于报告规格的指数规格 YAML 文件")
        cols = raw.get("columns") or {k: v or unit_word(region) for k, v in INDEX_COLUMNS.items()}
        _need(isinstance(cols, dict) and len(cols) > 0, file, f"{kp}.columns", shown(cols),
              "列 → 表头的映射，可用的列：" + "、".join(INDEX_COLUMNS))
        # indicator codes of the index spec are checked when it is built against the store
        return TableDef(tid, raw["caption"].strip(), None, dict(cols), raw["source"].strip(),
                        raw.get("highlight"), index=path, label=label)
    for key in ("caption", "file", "source"):
        _need(isinstance(raw.get(key), str) and raw[key].strip() != "", file, f"{kp}.{key}",
              found_at(raw, key), TABLE_TEXTS[key])
    path = base / raw["file"]
    _need(path.is_file(), file, f"{kp}.file", _no_file(raw["file"], path),
          "相对于报告规格的 CSV 文件")
    header = list(pd.read_csv(path, nrows=0, dtype=str).columns)
    cols = raw.get("columns")
    _need(isinstance(cols, dict) and len(cols) > 0, file, f"{kp}.columns",
          found_at(raw, "columns"), f"CSV 列名 → 表头的映射（{path.name} 的列：{'、'.join(header)}）")
    for col in cols:
        _need(col in header, file, f"{kp}.columns.{col}", f"「{col}」，{path.name} 中没有这一列",
              f"{path.name} 的列名之一：{'、'.join(header)}")
    return TableDef(tid, raw["caption"].strip(), path, dict(cols), raw["source"].strip(),
                    raw.get("highlight"), label=label)


def _blocks(raw: Any, kp: str, file: str, spec_dir: Path, figures: dict, tables: dict
            ) -> list[Block]:
    _need(isinstance(raw, list), file, kp, shown(raw),
          "块的列表，如 [{text: 文件.md}, {figure: 图 id}, {table: 表 id}]")
    out = []
    for i, b in enumerate(raw):
        bp = f"{kp}[{i}]"
        _need(isinstance(b, dict) and len(b) == 1 and next(iter(b)) in BLOCK_KINDS, file, bp,
              shown(b), f"只有一个键的块，键为 {one_of(BLOCK_KINDS)}")
        kind, value = next(iter(b.items()))
        if kind == "figure":
            _need(value in figures, file, f"{bp}.figure", f"「{value}」，figures 下没有这个图",
                  f"已定义的图（figures 下的键）：{'、'.join(figures) or '（figures 为空）'}")
            out.append(Block("figure", value, key=f"{bp}.figure"))
        elif kind == "table":
            _need(value in tables, file, f"{bp}.table", f"「{value}」，tables 下没有这个表",
                  f"已定义的表（tables 下的键）：{'、'.join(tables) or '（tables 为空）'}")
            out.append(Block("table", value, key=f"{bp}.table"))
        elif kind == "revisions":  # a table of its own, numbered and rendered as the others
            tid = _revisions_table(value, f"{bp}.revisions", file, tables)
            out.append(Block("table", tid, key=f"{bp}.revisions"))
        elif kind == "text":
            path = spec_dir / str(value)
            _need(path.is_file(), file, f"{bp}.text", _no_file(value, path),
                  "相对于报告规格的 Markdown 文件")
            out.append(Block("text", str(value), path=path))
        else:
            _need(isinstance(value, dict) and any(isinstance(value.get(k), str)
                                                   for k in ("template", "section")), file,
                  f"{bp}.narrative", shown(value),
                  "{template: narrative/模板.md.j2, fallback: 文件.md}，"
                  "或 {section: 节名}（用声明这一节的模板）")
            fb = value.get("fallback")
            fb_path = spec_dir / fb if fb else None
            _need(fb_path is None or fb_path.is_file(), file, f"{bp}.narrative.fallback",
                  _no_file(fb, fb_path), "相对于报告规格的 Markdown 文件（模板缺数时用的原文）")
            template = _narrative_template(value, spec_dir, file, f"{bp}.narrative")
            ref = value.get("section") or template_section(template) or template.name
            out.append(Block("narrative", ref, fallback=fb_path, path=template))
    return out


REVISIONS_CAPTION = "修订说明：上一版（数据截至{since}）以来修订的数值"


def _revisions_table(value: Any, kp: str, file: str, tables: dict) -> str:
    """`revisions: {since: YYYY-MM-DD[, caption, label, id]}` → a TableDef in `tables`."""
    _need(isinstance(value, dict) and value.get("since") is not None, file, kp, shown(value),
          "{since: YYYY-MM-DD}（上一版的数据截至日期 as_of）")
    since = parse_as_of(value["since"], file, f"{kp}.since")
    _need(since is not None, file, f"{kp}.since", shown(value["since"]),
          "上一版的数据截至日期 YYYY-MM-DD（不能是 latest）")
    tid = str(value.get("id") or "revisions")
    _need(tid not in tables, file, f"{kp}.id", f"「{tid}」，已是 tables 下另一张表的 id",
          "未被占用的表 id（用 id: 另取一个）")
    caption = str(value.get("caption") or REVISIONS_CAPTION).replace("{since}", since)
    tables[tid] = TableDef(tid, caption, None, {}, "本数据库各版本的数值（版本与来源见表注）",
                           label=str(value.get("label") or "附表"), revisions_since=since)
    return tid


def _narrative_template(value: dict, spec_dir: Path, file: str, kp: str) -> Path:
    """A narrative block's template: `template` relative to the spec's folder, or the template
    of that folder's narrative/ declaring `section`; a copy of the spec outside its dataset
    finds them in the active dataset's folder."""
    bases = [spec_dir]
    try:
        bases.append(dataset_dir())
    except DatasetError:
        pass
    if isinstance(value.get("template"), str):
        for base in bases:
            if (base / value["template"]).is_file():
                return base / value["template"]
        raise SpecError(file, f"{kp}.template",
                        found=_no_file(value["template"], spec_dir / value["template"]),
                        expected="相对于报告规格的叙述模板文件（.md.j2）")
    for base in bases:
        if (base / "narrative").is_dir():
            try:
                return find_template(value["section"], base / "narrative")
            except LookupError:
                continue
    raise SpecError(file, f"{kp}.section",
                    found=f"「{value['section']}」，{spec_dir / 'narrative'} 中没有声明这一节的模板",
                    expected="narrative/ 下某个模板声明的节名（模板中的 section）")


def _sections(raw: Any, kp: str, level: int, file: str, spec_dir: Path, figures: dict,
              tables: dict) -> list[Section]:
    _need(isinstance(raw, list) and raw, file, kp, MISSING if raw is None else shown(raw),
          "非空的章节列表，如 [{title: 章标题, blocks: [...]}]")
    out, n = [], 0
    for i, s in enumerate(raw):
        sp = f"{kp}[{i}]"
        _need(isinstance(s, dict) and isinstance(s.get("title"), str), file, f"{sp}.title",
              found_at(s, "title") if isinstance(s, dict) else shown(s), "章节标题文字")
        numbered = s.get("numbered", True)
        n += 1 if numbered else 0
        sec = Section(s["title"], level, n if numbered else 0)
        if "blocks" in s:
            sec.blocks = _blocks(s["blocks"], f"{sp}.blocks", file, spec_dir, figures, tables)
        if "sections" in s:
            _need(level < 3, file, f"{sp}.sections", "第四级标题",
                  "至多三级标题（一、（一）、1.）")
            sec.children = _sections(s["sections"], f"{sp}.sections", level + 1, file,
                                     spec_dir, figures, tables)
        out.append(sec)
    return out


def load_spec(path: str | Path) -> ReportSpec:
    """Parse and check a report spec; raises SpecError naming file, key path and expectation."""
    path = Path(path)
    file = str(path)
    _need(path.is_file(), file, "(file)", "一个目录" if path.is_dir() else "文件不存在",
          "报告规格 YAML 文件")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SpecError(file, "(file)", found=f"非 UTF-8 内容（第 {exc.start + 1} 个字节）",
                        expected="UTF-8 编码的 YAML 报告规格") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark else ""
        problem = getattr(exc, "problem", None) or "语法错误"
        raise SpecError(file, "(yaml)", found=f"无法解析的 YAML（{where}{problem}）",
                        expected="YAML 报告规格") from exc
    _need(isinstance(raw, dict), file, "(top)", "不是键值映射的内容",
          "含 report、figures、sections 的 YAML 映射")
    meta = raw.get("report")
    _need(isinstance(meta, dict), file, "report", found_at(raw, "report"),
          "报告信息：含 title、region、year 的映射")
    _need(isinstance(meta.get("title"), str) and meta["title"].strip() != "", file,
          "report.title", found_at(meta, "title"), "非空的报告标题文字")
    region = check_region(meta.get("region"), file, "report.region")
    meta["region"] = region.code  # a name (江西省) is read as its code
    meta["year"] = int(check_year(meta.get("year"), file, "report.year"))
    meta["as_of"] = parse_as_of(meta.get("as_of"), file, "report.as_of")
    known = _known_indicators()
    figs_raw = raw.get("figures") or {}
    _need(isinstance(figs_raw, dict), file, "figures", shown(figs_raw),
          "图 id → 图的定义的映射")
    # `report.basemap` ({source, review_no}) is every map's unless the map names its own.
    basemap = meta.get("basemap")
    if basemap is not None:  # checked here, whether or not a map takes it
        parse_basemap(basemap, file, "report.basemap")
    figures = {fid: parse_figure(fid, f, file, known, region.code, default_basemap=basemap)
               for fid, f in figs_raw.items()}
    for fid, f in figures.items():
        if f.region != region.code:  # a figure about another region names it; check that too
            own = check_region(f.region, file, f"figures.{fid}.region")
            figures[fid] = f = replace(f, region=own.code)
        if f.geo:
            _need((path.parent / f.geo).is_file(), file, f"figures.{fid}.geo",
                  _no_file(f.geo, path.parent / f.geo), "相对于报告规格的 GeoJSON 文件")
    tabs_raw = raw.get("tables") or {}
    _need(isinstance(tabs_raw, dict), file, "tables", shown(tabs_raw),
          "表 id → 表的定义的映射")
    tables = {tid: _table(tid, t, file, path.parent, region.code) for tid, t in tabs_raw.items()}
    sections = _sections(raw.get("sections"), "sections", 1, file, path.parent, figures, tables)
    spec = ReportSpec(path, meta, figures, tables, sections, parse_layout(meta, file, path.parent))
    _number(spec)
    return spec


REGION_EXPECTED = "目录中的地区代码（GB/T 2260，如 \"360000\" 江西省）"
YEAR_EXPECTED = "四位年份（如 2021）"


def _bad(file: str, path: str, found: str, expected: str) -> SpecError:
    return SpecError(file, path, found=found, expected=expected)


def check_region(value: Any, file: str, path: str = "report.region"):
    """The catalog region a spec names (code, or a name the catalog knows); SpecError if not."""
    from digecon.catalog import UnknownNameError, get_catalog

    if value is None or str(value).strip() == "":
        raise _bad(file, path, MISSING, REGION_EXPECTED)
    try:
        return get_catalog().region(str(value).strip())
    except UnknownNameError as exc:
        hint = f"；最接近：{'、'.join(exc.suggestions)}" if exc.suggestions else ""
        raise _bad(file, path, f"「{value}」，目录中没有这个地区", REGION_EXPECTED + hint) from None


def check_year(value: Any, file: str, path: str = "report.year") -> str:
    """The report year as four digits ("2021"); SpecError naming what was found otherwise."""
    text = "" if value is None else str(value).strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        raise _bad(file, path, MISSING if value is None else f"「{value}」", YEAR_EXPECTED)
    return text


def parse_as_of(value: Any, file: str = "--as-of", path: str = "as_of") -> str | None:
    """The vintage a report is as of: a YYYY-MM-DD date, or None for the latest in the store."""
    import datetime as dt

    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "latest")):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise SpecError(file, path, found=shown(value),
                        expected="日期 YYYY-MM-DD，或 latest（数据库中最新的数值）") from None


def _number(spec: ReportSpec) -> None:
    """Number figures (per label: 图, 附图) and tables in order of appearance."""
    counters: dict[str, int] = {}
    seen: set[str] = set()
    for _, block in spec.blocks():
        if block.kind not in ("figure", "table"):
            continue
        if block.ref in seen:
            what = "图" if block.kind == "figure" else "表"
            raise SpecError(str(spec.path), block.key or "sections",
                            found=f"{what}「{block.ref}」第二次出现",
                            expected="每个图、表在 sections 中只出现一次")
        seen.add(block.ref)
        label = (spec.figures[block.ref].label if block.kind == "figure"
                 else spec.tables[block.ref].label)
        counters[label] = counters.get(label, 0) + 1
        block.label, block.number = label, counters[label]


SPEC_ENV = "DIGECON_REPORT_SPEC"


def default_spec_path() -> Path:
    """The bundled dataset's report.yaml (follows $DIGECON_DATASETS, not $DIGECON_REPORT_SPEC)."""
    from digecon.store.datasets import dataset_dir

    return dataset_dir() / "report.yaml"


def resolve_spec_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The report spec in use: `path`, else $DIGECON_REPORT_SPEC, else the bundled report.yaml.

    One rule for every command that needs the report's region or year without a spec
    argument (the dashboard, `digecon template`), so one variable points them all elsewhere.
    """
    if path:
        return Path(path)
    env = os.environ.get(SPEC_ENV)
    if env:
        return Path(env)
    return default_spec_path()


# --- Layout: fonts, page and front matter (report.fonts, report.page, report.guided_by …) -----

# role → (the font Chinese offices name, the open font we ship that stands in for it)
FONT_ROLES = {
    "title": ("方正小标宋简体", "Noto Serif CJK SC"),    # cover title
    "heading": ("黑体", "Noto Sans CJK SC"),             # 一、 headings, captions, table heads
    "subheading": ("楷体_GB2312", "Noto Serif CJK SC"),  # （一） headings
    "body": ("仿宋_GB2312", "Noto Serif CJK SC"),        # text, tables, 1. headings (bold)
    "latin": ("Times New Roman", "Noto Serif CJK SC"),   # digits and Latin letters in Word
}
FONT_FILE_SUFFIXES = (".ttf", ".otf", ".ttc", ".woff", ".woff2")
# GB/T 9704-2012: 天头 37 mm, 订口 28 mm; the bottom and right margins that give its 156 × 225 mm
# text block on A4.
GB9704_MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}


@dataclass(frozen=True)
class FontRole:
    family: str  # the name written into Word and tried first by the PDF
    fallback: tuple[str, ...] = ()  # tried next (PDF), and aliased for previews (fontconfig)
    file: Path | None = None  # a licensed font file the PDF embeds under `family`


@dataclass(frozen=True)
class PageSetup:
    margins_mm: dict[str, float] = field(default_factory=lambda: dict(GB9704_MARGINS_MM))
    body_pt: float = 12.0  # 小四; 16 is 三号, the official-document size
    line_pitch_pt: float | None = None  # exact line distance (28 for 三号 text); None: 1.5 lines


@dataclass(frozen=True)
class TeamRow:
    role: str  # 顾问, 组长, 副组长, 成员 …
    names: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    fonts: dict[str, FontRole] = field(default_factory=lambda: {
        role: FontRole(name, (open_font,)) for role, (name, open_font) in FONT_ROLES.items()})
    page: PageSetup = field(default_factory=PageSetup)
    header: str = ""  # running header; the title when empty
    guided_by: tuple[str, ...] = ()  # 指导单位
    compiled_by: tuple[str, ...] = ()  # 编制单位
    compilation_note: str = ""  # 编制说明 (Markdown)
    team: tuple[TeamRow, ...] = ()  # 编制组
    copyright: str = ""  # 版权声明 (Markdown)


def _texts(value: Any, file: str, kp: str) -> tuple[str, ...]:
    """One text or a list of texts, each non-empty."""
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        where = f"{kp}[{i}]" if isinstance(value, list) else kp
        if not isinstance(item, str) or not item.strip():
            raise _bad(file, where, f"「{item}」" if item is not None else "空值",
                       "非空文字（单位名称），或由这样的文字组成的列表")
    return tuple(item.strip() for item in items)


def _markdown_value(value: Any, file: str, kp: str, base: Path) -> str:
    """Markdown given inline, or as {file: text/x.md} relative to the spec."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict) and set(value) == {"file"} and isinstance(value["file"], str):
        path = base / value["file"]
        if not path.is_file():
            raise _bad(file, f"{kp}.file", f"「{value['file']}」，文件不存在（{path}）",
                       "相对于报告规格的 Markdown 文件")
        return path.read_text(encoding="utf-8").strip()
    raise _bad(file, kp, f"「{value}」", "Markdown 文字，或 {file: text/说明.md}")


def _font(role: str, value: Any, file: str, base: Path) -> FontRole:
    kp = f"report.fonts.{role}"
    default = FontRole(FONT_ROLES[role][0], (FONT_ROLES[role][1],))
    if isinstance(value, str) and value.strip():
        return replace(default, family=value.strip())
    if not isinstance(value, dict) or not (set(value) <= {"family", "fallback", "file"}):
        raise _bad(file, kp, f"「{value}」",
                   "字体名称，或 {family: 名称, fallback: [备选字体…], file: 字体文件}")
    family = value.get("family", default.family)
    if not isinstance(family, str) or not family.strip():
        raise _bad(file, f"{kp}.family", f"「{family}」", "非空的字体名称（如 仿宋_GB2312）")
    fallback = default.fallback
    if "fallback" in value:
        fallback = _texts(value["fallback"], file, f"{kp}.fallback")
    path = None
    if value.get("file") is not None:
        path = base / str(value["file"])
        if path.suffix.lower() not in FONT_FILE_SUFFIXES or not path.is_file():
            raise _bad(file, f"{kp}.file", f"「{value['file']}」" + (
                "，文件不存在" if not path.is_file() else "，不是字体文件"),
                f"相对于报告规格的字体文件（{'、'.join(FONT_FILE_SUFFIXES)}）")
    return FontRole(family.strip(), fallback, path)


def _number_in(value: Any, file: str, kp: str, low: float, high: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise _bad(file, kp, f"「{value}」", f"{low:g}–{high:g} 之间的数（{what}）")
    return float(value)


def _page(value: Any, file: str) -> PageSetup:
    kp = "report.page"
    if not isinstance(value, dict) or not set(value) <= {"margins_mm", "body_pt", "line_pitch_pt"}:
        raise _bad(file, kp, f"「{value}」", "{margins_mm: {top, bottom, left, right}, body_pt, "
                   "line_pitch_pt}")
    margins = dict(GB9704_MARGINS_MM)
    raw = value.get("margins_mm", {})
    if not isinstance(raw, dict) or not set(raw) <= set(margins):
        raise _bad(file, f"{kp}.margins_mm", f"「{raw}」", "{top, bottom, left, right}（毫米）")
    for side, mm in raw.items():
        margins[side] = _number_in(mm, file, f"{kp}.margins_mm.{side}", 5, 80, "页边距，毫米")
    body = _number_in(value.get("body_pt", PageSetup.body_pt), file, f"{kp}.body_pt", 9, 22,
                      "正文字号，磅；三号为 16")
    pitch = value.get("line_pitch_pt")
    if pitch is not None:
        pitch = _number_in(pitch, file, f"{kp}.line_pitch_pt", body, 3 * body,
                           "固定行距，磅，不小于正文字号；三号正文常用 28")
    return PageSetup(margins, body, pitch)


def _team(value: Any, file: str) -> tuple[TeamRow, ...]:
    if not isinstance(value, list):
        raise _bad(file, "report.team", f"「{value}」", "列表：[{role: 组长, names: [姓名…]}, …]")
    rows = []
    for i, row in enumerate(value):
        kp = f"report.team[{i}]"
        if not isinstance(row, dict) or set(row) != {"role", "names"}:
            raise _bad(file, kp, f"「{row}」", "{role: 组长, names: [姓名…]}")
        role = _texts(row["role"], file, f"{kp}.role")
        if len(role) != 1:
            raise _bad(file, f"{kp}.role", f"「{row['role']}」", "一个职务名称（如 组长）")
        rows.append(TeamRow(role[0], _texts(row["names"], file, f"{kp}.names")))
    return tuple(rows)


def parse_layout(meta: dict[str, Any], file: str, base: Path) -> Layout:
    """The fonts, page and front matter a spec's `report:` block asks for, defaults filled in."""
    layout = Layout()
    fonts = dict(layout.fonts)
    raw_fonts = meta.get("fonts") or {}
    if not isinstance(raw_fonts, dict):
        raise _bad(file, "report.fonts", f"「{raw_fonts}」", f"角色 → 字体的映射（角色：{'、'.join(FONT_ROLES)}）")
    for role, value in raw_fonts.items():
        if role not in FONT_ROLES:
            raise _bad(file, f"report.fonts.{role}", f"未知角色「{role}」",
                       f"{'、'.join(FONT_ROLES)} 之一")
        fonts[role] = _font(role, value, file, base)
    opt: dict[str, Any] = {}
    for key in ("guided_by", "compiled_by"):
        if meta.get(key) is not None:
            opt[key] = _texts(meta[key], file, f"report.{key}")
    for key in ("compilation_note", "copyright"):
        if meta.get(key) is not None:
            opt[key] = _markdown_value(meta[key], file, f"report.{key}", base)
    if meta.get("header") is not None:
        opt["header"] = _texts(meta["header"], file, "report.header")[0]
    if meta.get("team") is not None:
        opt["team"] = _team(meta["team"], file)
    page = _page(meta["page"], file) if meta.get("page") is not None else layout.page
    return Layout(fonts=fonts, page=page, **opt)
