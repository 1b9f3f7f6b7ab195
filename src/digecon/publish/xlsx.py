"""The Excel annex: a readme sheet, one sheet per figure and table, status and source on every row."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from digecon.figures.data import MARKED_STATUSES, STATUS_ZH
from digecon.publish.document import Report

FIG_HEADINGS = {
    "region_code": "地区代码", "region_name": "地区", "indicator": "指标代码",
    "indicator_name": "指标", "period": "时期", "value": "数值", "unit": "单位",
    "status": "状态", "source": "来源", "vintage": "数据版本", "note": "备注",
}


def sheet_name(label: str, number: int) -> str:
    return f"{label}{number}"


# A spreadsheet runs a cell that begins with one of these as a formula (CSV/XLSX injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
STYLES = {"plain": {}, "bold": {"bold": True},
          "head": {"bold": True, "bg_color": "#E7EEF6", "border": 1},
          "title": {"bold": True, "font_size": 13}, "marked": {"bg_color": "#FFF4D6"},
          "small": {"font_color": "#555555", "italic": True}}


class _Sheet:
    """A worksheet whose text is always text: every string is written as a string cell, and one
    that a spreadsheet would read as a formula gets Excel's quote prefix (shown as written,
    still text when edited)."""

    def __init__(self, ws, formats: dict, quoted: dict):
        self.ws, self._formats, self._quoted = ws, formats, quoted

    def __getattr__(self, name):
        return getattr(self.ws, name)

    def write(self, row: int, col: int, value, style: str = "plain") -> None:
        if isinstance(value, str):
            fmt = self._quoted if value.startswith(FORMULA_START) else self._formats
            self.ws.write_string(row, col, value, fmt[style])
        else:
            self.ws.write(row, col, value, self._formats[style])

    def write_number(self, row: int, col: int, value: float, style: str = "plain") -> None:
        self.ws.write_number(row, col, value, self._formats[style])


def write_xlsx(report: Report, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    formats = {k: wb.add_format(v) for k, v in STYLES.items()}
    quoted = {k: wb.add_format({**v, "quote_prefix": True}) for k, v in STYLES.items()}

    def add_sheet(name: str) -> _Sheet:
        return _Sheet(wb.add_worksheet(name), formats, quoted)

    bold, head, title, marked, small = "bold", "head", "title", "marked", "small"

    info = add_sheet("说明")
    info.set_column(0, 0, 16)
    info.set_column(1, 1, 80)
    info.write(0, 0, report.title, title)
    info.write(2, 0, "内容", bold)
    info.write(2, 1, "每幅图、每张表一个工作表；每行数据附状态与来源。")
    info.write(3, 0, "状态", bold)
    for i, (code, zh) in enumerate(STATUS_ZH.items()):
        info.write(4 + i, 0, code)
        info.write(4 + i, 1, zh + ("（黄色底纹标出，非统计数据）" if code in MARKED_STATUSES else ""))
    row = 5 + len(STATUS_ZH)
    info.write(row, 0, "工作表", bold)
    for fig in report.figures:
        row += 1
        info.write(row, 0, sheet_name(fig.block.label, fig.block.number))
        info.write(row, 1, fig.caption)
    for tab in report.tables:
        row += 1
        info.write(row, 0, sheet_name(tab.block.label or "表", tab.block.number))
        info.write(row, 1, tab.caption)

    for fig in report.figures:
        ws = add_sheet(sheet_name(fig.block.label, fig.block.number))
        ws.write(0, 0, fig.caption, title)
        ws.write(1, 0, f"数据来源：{fig.source}", small)
        for j, note in enumerate(fig.notes):
            ws.write(2 + j, 0, note, small)
        top = 3 + len(fig.notes)
        cols = list(FIG_HEADINGS)
        for c, key in enumerate(cols):
            ws.write(top, c, FIG_HEADINGS[key], head)
        value_col = cols.index("value")
        for r, rec in enumerate(fig.data[cols].itertuples(index=False), start=top + 1):
            is_marked = rec.status in MARKED_STATUSES
            fmt = marked if is_marked else "plain"
            for c, v in enumerate(rec):
                if c == value_col:
                    ws.write_number(r, c, float(v), fmt)
                else:
                    ws.write(r, c, "" if v is None else str(v), fmt)
            if is_marked:
                ws.write_comment(r, value_col, f"{STATUS_ZH[rec.status]}（{rec.status}）："
                                               "演示数据，非统计数据。")
        ws.set_column(0, 0, 10)
        ws.set_column(1, 4, 14)
        ws.set_column(8, 8, 40)
        ws.freeze_panes(top + 1, 0)

    for tab in report.tables:
        ws = add_sheet(sheet_name(tab.block.label or "表", tab.block.number))
        ws.write(0, 0, tab.caption, title)
        ws.write(1, 0, f"数据来源：{tab.source}", small)
        for j, note in enumerate(tab.notes):
            ws.write(2 + j, 0, note, small)
        top = 3 + len(tab.notes)
        for c, name in enumerate(tab.frame.columns):
            ws.write(top, c, name, head)
        for r, values in enumerate(tab.frame.values.tolist(), start=top + 1):
            fmt = bold if (r - top - 1) in tab.highlight_rows else (marked if tab.marked else "plain")
            for c, v in enumerate(values):
                try:
                    ws.write_number(r, c, float(v), fmt)
                except (TypeError, ValueError):
                    ws.write(r, c, "" if v is None else v, fmt)
        ws.set_column(0, len(tab.frame.columns), 12)
    wb.close()
    return path
