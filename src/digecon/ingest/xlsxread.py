"""An XLSX workbook read into plain tables before the store is locked: every data sheet to its
real last row, notes sheets skipped by name, and what the cell values alone do not show —
formulas without a computed result, merged cells — reported by sheet, row and column, and
hidden rows and columns named in a notice (they are read).

Values come from openpyxl (read-only, cached values). The sheet's own XML is scanned for
formulas, merged ranges and hidden rows or columns only when it has any (a byte search
first), since openpyxl's read-only mode shows none of them beside the values.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

from digecon.catalog import Catalog

from .errors import ReadError
from .table import Table, read_table

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
SKIP_SHEETS = re.compile(r"^(说明|填报说明|readme|_)", re.IGNORECASE)
HAS_EXTRAS = re.compile(rb"<(?:\w+:)?(?:f|mergeCell)[\s>/]|\shidden=\"(?:1|true)\"")
CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
SHOWN_HIDDEN = 10
LOCALE_DATE_FORMATS = frozenset([*range(27, 37), *range(50, 59)])
LEGACY_XLS = ("发现 Excel 97-2003 工作簿（.xls），应为 .xlsx：请在 Excel 中“另存为”"
              "Excel 工作簿（*.xlsx）后再导入")
PASSWORD = ("发现设有打开密码的加密工作簿，应为未加密的 .xlsx：请在 Excel 中“文件 → 信息 → "
            "保护工作簿 → 用密码进行加密”清除密码后另存")


Sheet = Table  # one data sheet's table (digecon.ingest.table)


@dataclass
class _Part:
    title: str
    member: str
    state: str


def check_container(path: Path) -> None:
    """ReadError in plain words for what is not an .xlsx: a legacy .xls, an encrypted workbook
    (both OLE2 files), or anything that is not a zip."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        data = path.read_bytes()
        raise ReadError(f"{path}: {PASSWORD if ENCRYPTED in data else LEGACY_XLS}")
    if path.suffix.lower() == ".xls":
        raise ReadError(f"{path}: {LEGACY_XLS}")
    if not zipfile.is_zipfile(path):
        raise ReadError(f"{path}: 发现不是 Excel 工作簿（文件开头为 {head[:4]!r}），"
                        "应为 .xlsx 工作簿（或把 CSV 文件的扩展名改为 .csv）")


def read_xlsx(path: Path, catalog: Catalog, indicator: str | None, period: str | None,
              sheet: str | None, notice: Callable[[str], None]) -> list[Sheet]:
    """Every data sheet of the workbook (or the one named); notices name the sheets skipped."""
    import openpyxl

    check_container(path)
    try:
        with zipfile.ZipFile(path) as archive:
            parts, recalc = _workbook_parts(archive)
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (KeyError, ET.ParseError, zipfile.BadZipFile, zlib.error, ValueError, OSError) as exc:
        raise ReadError(f"{path}: 发现无法打开的 Excel 文件（{type(exc).__name__}: {exc}），"
                        "应为完整的 .xlsx 工作簿：请用 Excel 打开后重新保存") from None
    sheets: list[Sheet] = []
    try:
        for part in parts:
            if sheet and part.title != sheet:
                continue
            if not sheet and SKIP_SHEETS.match(part.title):
                continue  # notes and lists by name (a template's own 说明 and _lists)
            if not sheet and part.state != "visible":
                notice(f"{path}: 跳过隐藏的工作表「{part.title}」，其中的数据未导入"
                       "（如需导入，请在 Excel 中取消隐藏，或用 --sheet 指定）")
                continue
            where = f"{path}:{part.title}"
            try:
                found = _read_sheet(path, book[part.title], part, recalc, catalog, indicator,
                                    period, explicit=bool(sheet), notice=notice)
            except ReadError:
                raise
            except Exception as exc:  # noqa: BLE001 - openpyxl and the XML parsers raise many types
                raise ReadError(f"{where}: 发现工作表内容不完整或已损坏（{type(exc).__name__}: "
                                f"{exc}），应为完整的 .xlsx：请用 Excel 打开后重新保存") from None
            if isinstance(found, str):
                notice(f"{path}: 跳过工作表「{part.title}」（{found}）")
                continue
            sheets.append(found)
    finally:
        book.close()
    if sheet and not any(p.title == sheet for p in parts):
        raise ReadError(f"{path}: 发现无工作表「{sheet}」，应为工作簿中存在的工作表"
                        f"（{'、'.join(p.title for p in parts)}）")
    if not sheets:
        raise ReadError(f"{path}: 发现没有可读取的数据工作表，应为至少一个有表头"
                        "（地区 / region 及指标、年份或数值列）的工作表")
    return sheets


def _read_sheet(path: Path, ws, part: _Part, recalc: bool, catalog: Catalog,
                indicator: str | None, period: str | None, explicit: bool,
                notice: Callable[[str], None]) -> Table | str:
    """The sheet's table, or why it was skipped."""
    where = f"{path}:{part.title}"
    ws.reset_dimensions()  # the declared size may be smaller than the data: read every row
    rows = [(n, [_shown_text(c) for c in row]) for n, row in enumerate(ws.iter_rows(), start=1)]
    formulas, merges, hidden = _sheet_extras(path, part.member)
    found = read_table(where, rows, catalog, title=part.title,
                       merges=[range_boundaries(m) for m in merges], indicator=indicator,
                       period=period, period_from_title=True, explicit=explicit, notice=notice)
    if isinstance(found, str):
        return found
    layout = found.layout
    columns = set(layout.used())
    _hidden_notice(where, hidden, found, columns, notice)
    for (row, col), (text, cached) in sorted(formulas.items()):
        if row > found.header_row and col in columns and not (cached and not recalc):
            why = "（文件由不计算公式的程序写出，其中的结果不可信）" if cached else ""
            found.problems.append((row, layout.label(col),
                                   (f"发现公式「={text}」没有计算结果{why}，应为数值："
                                   "请在 Excel 中打开并保存（重新计算）后再导入，或把公式改为数值")))
    return found


def _hidden_notice(where: str, hidden: tuple[set[int], set[int]], table: Table,
                   columns: set[int], notice: Callable[[str], None]) -> None:
    """Hidden rows and columns are read like the others (hiding is a view: Excel's SUM counts
    them, and the values are the sender's); a notice names those the table reads from."""
    rows = sorted(r for r in hidden[0] if r > table.header_row)
    cols = sorted(c for c in hidden[1] if c in columns)
    if not rows and not cols:
        return
    said = []
    if rows:
        said.append("第 " + "、".join(map(str, rows[:SHOWN_HIDDEN])) +
                    ("…" if len(rows) > SHOWN_HIDDEN else "") + " 行")
    if cols:
        said.append("列" + "、".join(f"「{table.layout.label(c)}」" for c in cols))
    notice(f"{where}: {'，'.join(said)}在 Excel 中是隐藏的，已照常导入（隐藏只影响显示）；"
           "不应导入的行或列请删除")


def _shown_text(cell) -> str | None:
    """A cell's value as text; a number formatted as a percentage as Excel shows it (0.123
    shown as 12.3% is read as "12.3%", which validation takes only where the unit is %); a
    date as the period its format shows (_date_text)."""
    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in str(
            getattr(cell, "number_format", "") or ""):
        return f"{round(value * 100, 12):.15g}%"
    if isinstance(value, (dt.date, dt.time)):
        return _date_text(value, str(getattr(cell, "number_format", "") or ""))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _locale_date(cell):
        day = from_excel(value, getattr(cell.parent.parent, "epoch", None) or WINDOWS_EPOCH)
        shown = day.isoformat(sep=" ") if isinstance(day, dt.datetime) and day.time() != dt.time(
            ) else str(day)[:10]
        return f"{shown}（日期，内置格式 {cell.style_array.numFmtId} 的显示随 Excel 的语言而定）"
    return _cell_text(value)


def _locale_date(cell) -> bool:
    """Whether a number cell has one of the built-in formats Excel leaves to the reader's
    language (ids 27–36, 50–58: a date or a time in Chinese, Japanese or Korean Excel, each
    differently): such a cell is a date, but whether a month or a day is shown cannot be told
    from the file, so it is not read as a period (and not as a number)."""
    style = getattr(cell, "style_array", None)
    return style is not None and style.numFmtId in LOCALE_DATE_FORMATS


def _date_text(value: dt.date | dt.time, number_format: str) -> str:
    """A date cell at the granularity its number format shows: Excel stores 2022年11月 typed
    into a cell as the day 2022-11-01 and shows it as the month, which is what the user means
    (2022-11); shown as a year, 2022-01-01 is 2022. A format that shows the day, or a date the
    format hides part of (2022-11-15 shown as 2022-11: the day is not the 1st), stays a day,
    to be refused as a period (with what the cell shows, for the second)."""
    if isinstance(value, dt.time):
        return value.isoformat()
    shows = _date_parts(number_format)
    timed = isinstance(value, dt.datetime) and value.time() != dt.time()
    day = value.isoformat(sep=" ") if timed else value.isoformat()[:10]
    if "d" in shows or "h" in shows or "s" in shows or "y" not in shows:
        return day
    month = "m" in shows
    shown = f"{value.year}-{value.month:02d}" if month else f"{value.year}"
    if value.day != 1 or (not month and value.month != 1) or timed:
        return f"{day}（单元格显示为 {shown}）"
    return shown


def _date_parts(number_format: str) -> set[str]:
    """Which of year (y), month (m), day (d), hour (h), second (s) a number format shows
    (text in quotes, escaped characters, [colour] and [$-locale] tags left out; an m next to
    h or s is minutes)."""
    code = number_format.split(";", 1)[0].lower()
    code = re.sub(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|general', "", code)
    parts = set()
    tokens = re.findall(r"y+|m+|d+|h+|s+|a+|e+|b+|g+", code)
    for k, tok in enumerate(tokens):
        kind = tok[0]
        if kind == "m":
            before = tokens[k - 1][0] if k else ""
            after = tokens[k + 1][0] if k + 1 < len(tokens) else ""
            kind = "minute" if "h" in (before,) or after == "s" else "m"
        elif kind in ("e", "b"):
            kind = "y"
        elif kind == "a" and len(tok) >= 3:
            kind = "d"  # aaa / aaaa: the weekday, so the day is shown
        parts.add(kind)
    return parts


def _header_text(value: object) -> str:
    text = _cell_text(value)
    return "" if text is None else text.strip()


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _workbook_parts(archive: zipfile.ZipFile) -> tuple[list[_Part], bool]:
    """The worksheets in order (title, zip member, visibility) and whether the workbook asks
    to be recalculated on open (then its stored formula results were not computed)."""
    rels = {}
    for rel in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
        target = rel.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        rels[rel.get("Id")] = member
    parts, recalc = [], False
    for elem in ET.fromstring(archive.read("xl/workbook.xml")).iter():
        name = _local(elem.tag)
        if name == "sheet":
            rid = next((v for k, v in elem.attrib.items() if _local(k) == "id"), "")
            member = rels.get(rid, "")
            if member.startswith("xl/worksheets/") or "worksheet" in member:
                parts.append(_Part(elem.get("name", ""), member, elem.get("state", "visible")))
        elif name == "calcPr":
            recalc = elem.get("fullCalcOnLoad") in ("1", "true")
    return parts, recalc


def _sheet_extras(path: Path, member: str) -> tuple[dict[tuple[int, int], tuple[str, bool]],
                                                  list[str], tuple[set[int], set[int]]]:
    """Formula cells ((row, column index) -> (formula, has a stored result)), merged ranges,
    and the hidden rows (numbers) and columns (indexes) of a sheet; the XML is parsed only if
    a byte search finds any of them."""
    hidden_rows: set[int] = set()
    hidden_cols: set[int] = set()
    with zipfile.ZipFile(path) as archive:
        if not _mentions_extras(archive, member):
            return {}, [], (hidden_rows, hidden_cols)
        formulas: dict[tuple[int, int], tuple[str, bool]] = {}
        merges: list[str] = []
        row = col = 0  # cells and rows may omit their reference: count them then
        with archive.open(member) as fh:
            for event, elem in ET.iterparse(fh, events=("start", "end")):
                name = _local(elem.tag)
                if event == "start":
                    if name == "row":
                        row = int(elem.get("r") or row + 1)
                        col = 0
                        if elem.get("hidden") in ("1", "true"):
                            hidden_rows.add(row)
                    elif name == "col" and elem.get("hidden") in ("1", "true"):
                        low, high = int(elem.get("min") or 1), int(elem.get("max") or 1)
                        hidden_cols.update(range(low - 1, min(high, low + 16383)))
                    continue
                if name == "c":
                    ref = CELL_REF.match(elem.get("r", ""))
                    if ref:
                        row, col = int(ref.group(2)), _column_index(ref.group(1))
                    f = next((c for c in elem if _local(c.tag) == "f"), None)
                    if f is not None:
                        v = next((c for c in elem if _local(c.tag) == "v"), None)
                        formulas[(row, col)] = (f.text or "（共享公式）",
                                                v is not None and v.text is not None)
                    col += 1
                elif name == "mergeCell":
                    merges.append(elem.get("ref", ""))
                elif name == "row":
                    elem.clear()
        return formulas, [m for m in merges if m], (hidden_rows, hidden_cols)


def _mentions_extras(archive: zipfile.ZipFile, member: str) -> bool:
    tail = b""
    with archive.open(member) as fh:
        while chunk := fh.read(1 << 20):
            if HAS_EXTRAS.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1
