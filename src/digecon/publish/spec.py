"""Read and check a report spec (YAML): metadata, figures, tables and the section outline."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from digecon.figures.defs import FigureDef, SpecError, parse_figure

BLOCK_KINDS = ("narrative", "text", "figure", "table")


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


# The columns an index table can show (a `columns` mapping picks and renames them).
INDEX_COLUMNS = {"uName": "设区市", "label": "梯队", "score": "发展指数得分", "rank": "指数排名"}


@dataclass
class Block:
    kind: str  # narrative | text | figure | table
    ref: str  # narrative section name, text path, figure id or table id
    fallback: Path | None = None
    path: Path | None = None
    number: int = 0
    label: str = ""


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


def _need(cond: bool, file: str, path: str, message: str) -> None:
    if not cond:
        raise SpecError(file, path, message)


def _table(tid: str, raw: Any, file: str, base: Path) -> TableDef:
    kp = f"tables.{tid}"
    _need(isinstance(raw, dict), file, kp, "expected a mapping with caption, file, columns, source")
    label = str(raw.get("label") or "表")
    if "index" in raw:
        for key in ("caption", "index", "source"):
            _need(isinstance(raw.get(key), str) and raw[key].strip() != "", file, f"{kp}.{key}",
                  "expected a non-empty text")
        path = base / raw["index"]
        _need(path.is_file(), file, f"{kp}.index", f"index spec not found: {path}")
        cols = raw.get("columns") or dict(INDEX_COLUMNS)
        _need(isinstance(cols, dict) and len(cols) > 0, file, f"{kp}.columns",
              "expected a mapping of column -> heading")
        # indicator codes of the index spec are checked when it is built against the store
        return TableDef(tid, raw["caption"].strip(), None, dict(cols), raw["source"].strip(),
                        raw.get("highlight"), index=path, label=label)
    for key in ("caption", "file", "source"):
        _need(isinstance(raw.get(key), str) and raw[key].strip() != "", file, f"{kp}.{key}",
              "expected a non-empty text")
    path = base / raw["file"]
    _need(path.is_file(), file, f"{kp}.file", f"file not found: {path}")
    header = list(pd.read_csv(path, nrows=0, dtype=str).columns)
    cols = raw.get("columns")
    _need(isinstance(cols, dict) and len(cols) > 0, file, f"{kp}.columns",
          "expected a mapping of CSV column -> heading")
    for col in cols:
        _need(col in header, file, f"{kp}.columns.{col}",
              f"no such column in {path.name}; expected one of {', '.join(header)}")
    return TableDef(tid, raw["caption"].strip(), path, dict(cols), raw["source"].strip(),
                    raw.get("highlight"), label=label)


def _blocks(raw: Any, kp: str, file: str, spec_dir: Path, figures: dict, tables: dict
            ) -> list[Block]:
    _need(isinstance(raw, list), file, kp, "expected a list of blocks")
    out = []
    for i, b in enumerate(raw):
        bp = f"{kp}[{i}]"
        _need(isinstance(b, dict) and len(b) == 1 and next(iter(b)) in BLOCK_KINDS, file, bp,
              f"expected one key among {', '.join(BLOCK_KINDS)}")
        kind, value = next(iter(b.items()))
        if kind == "figure":
            _need(value in figures, file, f"{bp}.figure",
                  f"unknown figure {value!r}; expected one of {', '.join(figures)}")
            out.append(Block("figure", value))
        elif kind == "table":
            _need(value in tables, file, f"{bp}.table",
                  f"unknown table {value!r}; expected one of {', '.join(tables)}")
            out.append(Block("table", value))
        elif kind == "text":
            path = spec_dir / str(value)
            _need(path.is_file(), file, f"{bp}.text", f"Markdown file not found: {path}")
            out.append(Block("text", str(value), path=path))
        else:
            _need(isinstance(value, dict) and isinstance(value.get("section"), str), file,
                  f"{bp}.narrative", "expected {section: NAME, fallback: FILE.md}")
            fb = value.get("fallback")
            fb_path = spec_dir / fb if fb else None
            _need(fb_path is None or fb_path.is_file(), file, f"{bp}.narrative.fallback",
                  f"Markdown file not found: {fb_path}")
            out.append(Block("narrative", value["section"], fallback=fb_path))
    return out


def _sections(raw: Any, kp: str, level: int, file: str, spec_dir: Path, figures: dict,
              tables: dict) -> list[Section]:
    _need(isinstance(raw, list) and raw, file, kp, "expected a non-empty list of sections")
    out, n = [], 0
    for i, s in enumerate(raw):
        sp = f"{kp}[{i}]"
        _need(isinstance(s, dict) and isinstance(s.get("title"), str), file, f"{sp}.title",
              "expected a section title")
        numbered = s.get("numbered", True)
        n += 1 if numbered else 0
        sec = Section(s["title"], level, n if numbered else 0)
        if "blocks" in s:
            sec.blocks = _blocks(s["blocks"], f"{sp}.blocks", file, spec_dir, figures, tables)
        if "sections" in s:
            _need(level < 3, file, f"{sp}.sections", "expected at most three heading levels")
            sec.children = _sections(s["sections"], f"{sp}.sections", level + 1, file,
                                     spec_dir, figures, tables)
        out.append(sec)
    return out


def load_spec(path: str | Path) -> ReportSpec:
    """Parse and check a report spec; raises SpecError naming file, key path and expectation."""
    path = Path(path)
    file = str(path)
    _need(path.is_file(), file, "(file)", "report spec not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SpecError(file, "(file)", f"expected UTF-8 YAML, found a non-UTF-8 byte at {exc.start}") from None
    except yaml.YAMLError as exc:
        raise SpecError(file, "(yaml)", f"not valid YAML: {exc}") from exc
    _need(isinstance(raw, dict), file, "(top)", "expected a mapping with report, figures, sections")
    meta = raw.get("report")
    _need(isinstance(meta, dict) and isinstance(meta.get("title"), str), file, "report.title",
          "expected the report title")
    region = check_region(meta.get("region"), file, "report.region")
    meta["region"] = region.code  # a name (江西省) is read as its code
    meta["year"] = int(check_year(meta.get("year"), file, "report.year"))
    meta["as_of"] = parse_as_of(meta.get("as_of"), file, "report.as_of")
    known = _known_indicators()
    figs_raw = raw.get("figures") or {}
    _need(isinstance(figs_raw, dict), file, "figures", "expected a mapping of figure id -> figure")
    figures = {fid: parse_figure(fid, f, file, known, region.code) for fid, f in figs_raw.items()}
    for fid, f in figures.items():
        if f.region != region.code:  # a figure about another region names it; check that too
            own = check_region(f.region, file, f"figures.{fid}.region")
            figures[fid] = f = replace(f, region=own.code)
        if f.geo:
            _need((path.parent / f.geo).is_file(), file, f"figures.{fid}.geo",
                  f"GeoJSON not found: {path.parent / f.geo}")
    tabs_raw = raw.get("tables") or {}
    _need(isinstance(tabs_raw, dict), file, "tables", "expected a mapping of table id -> table")
    tables = {tid: _table(tid, t, file, path.parent) for tid, t in tabs_raw.items()}
    sections = _sections(raw.get("sections"), "sections", 1, file, path.parent, figures, tables)
    spec = ReportSpec(path, meta, figures, tables, sections)
    _number(spec)
    return spec


REGION_EXPECTED = "目录中的地区代码（GB/T 2260，如 \"360000\" 江西省）"
YEAR_EXPECTED = "四位年份（如 2021）"


def _bad(file: str, path: str, found: str, expected: str) -> SpecError:
    return SpecError(file, path, f"发现{found}，应为{expected}", found=found, expected=expected)


def check_region(value: Any, file: str, path: str = "report.region"):
    """The catalog region a spec names (code, or a name the catalog knows); SpecError if not."""
    from digecon.catalog import UnknownNameError, get_catalog

    if value is None or str(value).strip() == "":
        raise _bad(file, path, "该字段缺失", REGION_EXPECTED)
    try:
        return get_catalog().region(str(value).strip())
    except UnknownNameError as exc:
        hint = f"；最接近：{'、'.join(exc.suggestions)}" if exc.suggestions else ""
        raise _bad(file, path, f"「{value}」，目录中没有这个地区", REGION_EXPECTED + hint) from None


def check_year(value: Any, file: str, path: str = "report.year") -> str:
    """The report year as four digits ("2021"); SpecError naming what was found otherwise."""
    text = "" if value is None else str(value).strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        raise _bad(file, path, "该字段缺失" if value is None else f"「{value}」", YEAR_EXPECTED)
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
        raise SpecError(file, path, f"expected a date YYYY-MM-DD or 'latest', found {value!r}") from None


def _number(spec: ReportSpec) -> None:
    """Number figures (per label: 图, 附图) and tables in order of appearance."""
    counters: dict[str, int] = {}
    seen: set[str] = set()
    for _, block in spec.blocks():
        if block.kind not in ("figure", "table"):
            continue
        if block.ref in seen:
            raise SpecError(str(spec.path), f"sections: {block.kind} {block.ref}",
                            "each figure and table may appear once")
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
