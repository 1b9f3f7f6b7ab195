"""The Excel annex: 说明, each figure laid out as its chart shows it, each table, and the long data.

Values are numbers (never text) shown at their indicator's catalog decimals; a percent is the
number 35.0 with % in its heading (Excel's % format would read it as 3500 %); text that a
spreadsheet would run as a formula is written as text.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import xlsxwriter

from digecon.facts import MARKED_STATUSES, STATUS_MARK, STATUS_ZH
from digecon.figures.data import indicator_meta
from digecon.figures.labels import period_label
from digecon.publish.document import Report
from digecon.store.derive import DERIVE_SOURCE

# The long data sheet: one row per figure value. It starts with 地区代码 and keeps the status
# code in 状态 (readers join it with the API's facts); 状态说明 is its Chinese label.
LONG_COLUMNS = {
    "region_code": "地区代码", "region_name": "地区", "indicator": "指标代码",
    "indicator_name": "指标", "period": "时期", "value": "数值", "unit": "单位",
    "status": "状态", "status_zh": "状态说明", "document": "来源", "vintage": "数据版本",
    "note": "备注", "figure": "所属图表",
}
LONG_SHEET = "图表数据"
INFO_SHEET = "说明"

STATUS_MEANING = {
    "published": "来源文件（统计公报、白皮书等）中写明的数值",
    "estimated": "由公开数值推得的估算值（推算方法见备注或来源）",
    "derived": "由库中数值按指标公式计算（比重、增速等），来源列出所据文件",
    "illustrative": "按公开文字中的阈值生成的示意值，不是统计数据，不得引用",
    "synthetic": "由合成企业记录计算，仅用于演示方法，不是统计数据",
}

# A spreadsheet runs a cell that begins with one of these as a formula (CSV/XLSX injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MARKED_FILL, ESTIMATED_FILL = "#FFF4D6", "#EAF1FB"
STYLES = {"plain": {}, "bold": {"bold": True},
          "head": {"bold": True, "bg_color": "#E7EEF6", "border": 1, "text_wrap": True,
                   "valign": "vcenter"},
          "title": {"bold": True, "font_size": 13}, "marked": {"bg_color": MARKED_FILL},
          "estimated": {"bg_color": ESTIMATED_FILL},
          "small": {"font_color": "#555555", "italic": True}}
# Styles whose text runs on over the empty cells to its right: they do not set column widths.
OVERFLOW = {"title", "small"}
# A table cell written as a number: no leading zero (a code such as 01 stays text).
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.(\d+))?")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def number_format(decimals: int) -> str:
    """0, 0.0, 0.00 …: a value shown at its catalog decimals (the number itself is kept whole)."""
    return "0" + ("." + "0" * decimals if decimals > 0 else "")


def shown_decimals(rec: dict) -> int:
    """The places a fact's cell shows: those of its text (10378 for a level at one decimal,
    35.0 for a share), so the annex reads as the charts and the text do."""
    text = rec.get("text")
    if isinstance(text, str) and text:
        return len(text.partition(".")[2])
    return int(rec["decimals"])


def text_width(text: str) -> float:
    """Columns a text takes in Excel's default font: CJK and full-width characters count two."""
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def sheet_names(wanted: list[str]) -> list[str]:
    """Valid, unique sheet names in order: at most 31 characters, none of []:*?/\\."""
    out: list[str] = []
    taken: set[str] = set()
    for name in wanted:
        base = _BAD_SHEET_CHARS.sub("_", name).strip("'")[:31] or "表"
        candidate, k = base, 2
        while candidate.lower() in taken:
            suffix = f"({k})"
            candidate, k = base[:31 - len(suffix)] + suffix, k + 1
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def documents_of(source: str, inputs: str = "") -> list[str]:
    """The documents a value rests on: its own source, or for a value the store derived, its
    inputs' sources (never the software that computed it)."""
    if source != DERIVE_SOURCE:
        return [source] if source else []
    own = [i.get("source", "") for i in (json.loads(inputs) if inputs else [])]
    return [s for s in dict.fromkeys(own) if s and s != DERIVE_SOURCE]


def document(source: str, inputs: str = "") -> str:
    """The 来源 of a value: its document, or 据《X》、《Y》推算 for a derived value."""
    if source != DERIVE_SOURCE:
        return source
    docs = documents_of(source, inputs)
    return f"据{'、'.join(docs)}推算" if docs else "编制单位据库中数值推算"


@dataclass
class Grid:
    """A figure's values as its chart lays them out: `rows` of (label, one record per column)."""
    corner: str
    columns: list[str]
    rows: list[tuple[str, list[dict | None]]] = field(default_factory=list)


def _series_heading(fdef, s, data: pd.DataFrame) -> str:
    sub = data[data["indicator"] == s.indicator]
    meta = indicator_meta(s.indicator, str(sub["unit"].iloc[0]) if len(sub) else "")
    unit = meta.unit if meta.unit not in ("", "梯队") else ""
    return (s.name or meta.name) + (f"（{unit}）" if unit else "")


def figure_grid(fdef, data: pd.DataFrame) -> Grid:
    """Time series: one row per series, the periods across, as the chart's axis runs. Units
    (cities, map): one row per unit in the chart's order, one column per series (per series and
    period when a figure shows several periods)."""
    recs = {(r["indicator"], r["region_code"], r["period"]): r for r in data.to_dict("records")}
    periods = list(fdef.periods) or sorted(data["period"].unique())
    if fdef.kind == "time":
        grid = Grid("指标", [period_label(p) for p in periods])
        for s in fdef.series:
            cells = [recs.get((s.indicator, fdef.region, p)) for p in periods]
            grid.rows.append((_series_heading(fdef, s, data), cells))
        return grid
    first = data[data["indicator"] == fdef.series[0].indicator]
    if fdef.sort == "desc":
        first = first.sort_values("value", ascending=False, kind="stable")
    else:
        first = first.sort_values("region_code", kind="stable")
    units = list(dict.fromkeys(first["region_code"].tolist()
                               + sorted(set(data["region_code"]) - set(first["region_code"]))))
    names = dict(zip(data["region_code"], data["region_name"]))
    shown = [p for p in periods if p in set(data["period"])]
    cols = [(s, p) for s in fdef.series for p in shown]
    headings = [_series_heading(fdef, s, data) + (f" {period_label(p)}" if len(shown) > 1 else "")
                for s, p in cols]
    grid = Grid("地区", headings)
    for code in units:
        grid.rows.append((names[code], [recs.get((s.indicator, code, p)) for s, p in cols]))
    return grid


class _Sheet:
    """A worksheet whose text is always text (a string that a spreadsheet would read as a
    formula gets Excel's quote prefix: shown as written, still text when edited), whose numbers
    carry a number format, and which sizes its columns to what was written in them."""

    def __init__(self, ws, fmt):
        self.ws, self._fmt = ws, fmt
        self.widths: dict[int, float] = {}

    def __getattr__(self, name):
        return getattr(self.ws, name)

    def _fit(self, col: int, text: str, style: str) -> None:
        if style not in OVERFLOW:
            self.widths[col] = max(self.widths.get(col, 0.0), text_width(text) + 2)

    def write(self, row: int, col: int, value, style: str = "plain") -> None:
        text = "" if value is None else str(value)
        self.ws.write_string(row, col, text, self._fmt(style, quoted=text.startswith(FORMULA_START)))
        self._fit(col, text, style)

    def write_number(self, row: int, col: int, value: float, decimals: int,
                     style: str = "plain") -> None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            self.write(row, col, "", style)
            return
        self.ws.write_number(row, col, float(value), self._fmt(style, decimals=decimals))
        self._fit(col, f"{float(value):.{decimals}f}", style)

    def fit_columns(self, least: float = 6, most: float = 60) -> None:
        for col, width in self.widths.items():
            self.ws.set_column(col, col, min(max(width, least), most))


def _cell_style(status: str) -> str:
    if status in MARKED_STATUSES:
        return "marked"
    return "estimated" if status in ("estimated", "derived") else "plain"


def _long_rows(report: Report, names: dict[int, str]) -> list[dict]:
    rows = []
    for fig in report.figures:
        for r in fig.data.to_dict("records"):
            inputs = r.get("inputs", "") or ""
            rows.append({**r, "status_zh": STATUS_ZH.get(r["status"], r["status"]),
                         "document": document(r["source"], inputs),
                         "documents": documents_of(r["source"], inputs),
                         "figure": names[id(fig)]})
    return rows


def _documents(report: Report, long_rows: list[dict]) -> dict[str, list[str]]:
    """Each source document → the sheets that draw on it, in order of first use."""
    used: dict[str, list[str]] = {}
    for r in long_rows:
        for doc in r["documents"]:
            sheets = used.setdefault(doc, [])
            if r["figure"] not in sheets:
                sheets.append(r["figure"])
    return used


def write_xlsx(report: Report, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    cache: dict[tuple, object] = {}

    def fmt(style: str, quoted: bool = False, decimals: int | None = None):
        key = (style, quoted, decimals)
        if key not in cache:
            props = dict(STYLES[style])
            if quoted:
                props["quote_prefix"] = True
            if decimals is not None:
                props["num_format"] = number_format(decimals)
            cache[key] = wb.add_format(props)
        return cache[key]

    figs, tabs = report.figures, report.tables
    wanted = ([INFO_SHEET] + [f"{f.block.label}{f.block.number}" for f in figs]
              + [f"{t.block.label or '表'}{t.block.number}" for t in tabs] + [LONG_SHEET])
    names = sheet_names(wanted)
    sheet_of = {id(o): n for o, n in zip([None, *figs, *tabs], names[:-1])}
    sheets = {n: _Sheet(wb.add_worksheet(n), fmt) for n in names}
    long_rows = _long_rows(report, sheet_of)

    _write_info(sheets[names[0]], report, sheet_of, names[-1], _documents(report, long_rows))
    for fig in figs:
        _write_figure(sheets[sheet_of[id(fig)]], fig, names[-1])
    for tab in tabs:
        _write_table(sheets[sheet_of[id(tab)]], tab)
    _write_long(sheets[names[-1]], long_rows)
    for ws in sheets.values():
        ws.fit_columns()
    wb.close()
    return path


def _write_info(ws: _Sheet, report: Report, sheet_of: dict, long_name: str,
                documents: dict[str, list[str]]) -> None:
    """Vintage, what each sheet holds, the source documents, the statuses and their marks."""
    ws.write(0, 0, report.title, "title")
    label, _, value = report.as_of_line.partition("：")
    ws.write(2, 0, label, "bold")
    ws.write(2, 1, value)
    ws.write(3, 0, "内容", "bold")
    ws.write(3, 1, "每幅图一个工作表，按图中的排列列出图中各值（时间序列的时期向右，地区图的地区向下）；"
                   f"每张表一个工作表；「{long_name}」为各图全部数值的长表，每行附状态、来源与版本。", "small")
    ws.write(4, 1, "数值以数字存放，按各指标的小数位数显示（单元格中保留全部精度）；百分数存为数值"
                   "（35.0 表示 35.0%），单位写在表头，不用 Excel 的百分比格式。", "small")
    row = 6
    ws.write(row, 0, "工作表", "head")
    ws.write(row, 1, "内容", "head")
    for out in [*report.figures, *report.tables]:
        row += 1
        ws.write(row, 0, sheet_of[id(out)])
        ws.write(row, 1, out.caption)
    row += 1
    ws.write(row, 0, long_name)
    ws.write(row, 1, "各图数值（长表）：地区、指标、时期、数值、单位、状态、来源、数据版本")

    row += 2
    for c, head in enumerate(("来源", "文件", "所用工作表")):
        ws.write(row, c, head, "head")
    for tab in report.tables:
        if tab.source:
            documents.setdefault(tab.source, []).append(sheet_of[id(tab)])
    for k, (doc, used) in enumerate(documents.items(), start=1):
        row += 1
        ws.write(row, 0, f"来源{k}")
        ws.write(row, 1, doc)
        ws.write(row, 2, "、".join(used))

    row += 2
    for c, head in enumerate(("状态", "含义", "状态代码", "标注")):
        ws.write(row, c, head, "head")
    for code, zh in STATUS_ZH.items():
        row += 1
        style = _cell_style(code)
        mark = f"图中类目标注（{STATUS_MARK[code]}）" if STATUS_MARK[code] else "无"
        shading = {"marked": "；本簿黄色底纹并附批注", "estimated": "；本簿浅蓝底纹"}.get(style, "")
        ws.write(row, 0, zh, style)
        ws.write(row, 1, STATUS_MEANING.get(code, ""))
        ws.write(row, 2, code)
        ws.write(row, 3, mark + shading)
    ws.freeze_panes(1, 0)


def _write_figure(ws: _Sheet, fig, long_name: str) -> None:
    ws.write(0, 0, fig.caption, "title")
    ws.write(1, 0, f"数据来源：{fig.source}", "small")
    for j, note in enumerate(fig.notes):
        ws.write(2 + j, 0, note, "small")
    top = 3 + len(fig.notes)
    grid = figure_grid(fig.fdef, fig.data)
    heads = [grid.corner, *grid.columns, "状态"]
    for c, head in enumerate(heads):
        ws.write(top, c, head, "head")
    for r, (label, cells) in enumerate(grid.rows, start=top + 1):
        ws.write(r, 0, label, "bold")
        statuses = []
        for c, rec in enumerate(cells, start=1):
            if rec is None:
                ws.write(r, c, "")
                continue
            style = _cell_style(rec["status"])
            ws.write_number(r, c, rec["value"], shown_decimals(rec), style)
            statuses.append(rec["status"])
            if rec["status"] in MARKED_STATUSES:
                ws.write_comment(r, c, f"{STATUS_ZH[rec['status']]}：不是统计数据，其来历见编制说明。")
        ws.write(r, len(heads) - 1, "、".join(STATUS_ZH.get(s, s) for s in dict.fromkeys(statuses)))
    end = top + len(grid.rows) + 2
    ws.write(end, 0, f"各值的来源与版本见「{long_name}」工作表；底纹：黄色为示意值，浅蓝为估算值或"
                     "推算值。", "small")
    ws.freeze_panes(top + 1, 1)


def _write_table(ws: _Sheet, tab) -> None:
    ws.write(0, 0, tab.caption, "title")
    ws.write(1, 0, f"数据来源：{tab.source}", "small")
    for j, note in enumerate(tab.notes):
        ws.write(2 + j, 0, note, "small")
    top = 3 + len(tab.notes)
    for c, name in enumerate(tab.frame.columns):
        ws.write(top, c, name, "head")
    for r, values in enumerate(tab.frame.values.tolist(), start=top + 1):
        style = "bold" if (r - top - 1) in tab.highlight_rows else (
            "marked" if tab.marked else "plain")
        for c, v in enumerate(values):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(r, c, v, 0 if isinstance(v, int) else 2, style)
            elif isinstance(v, str) and (m := _NUMBER.fullmatch(v.strip())):
                ws.write_number(r, c, float(v), len(m[1] or ""), style)
            else:
                ws.write(r, c, v, style)
    ws.freeze_panes(top + 1, 0)


def _write_long(ws: _Sheet, rows: list[dict]) -> None:
    cols = list(LONG_COLUMNS)
    for c, key in enumerate(cols):
        ws.write(0, c, LONG_COLUMNS[key], "head")
    for r, rec in enumerate(rows, start=1):
        style = _cell_style(rec["status"])
        for c, key in enumerate(cols):
            if key == "value":
                ws.write_number(r, c, rec["value"], shown_decimals(rec), style)
            else:
                ws.write(r, c, rec.get(key), style if key == "status_zh" else "plain")
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(cols) - 1)
