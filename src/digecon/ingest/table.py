"""A table as people lay it out in a sheet, found in a grid of cells: title and 单位 rows above
the header, a header of one or more rows (merged cells spread over the columns they cover),
units inside header cells, footnotes below, blank rows and columns anywhere.

The grid comes from a worksheet or from a CSV whose first line is not a plain header. Every
cell is accounted for: a header, a value to stage (long rows, one per value cell), or a notice
(title, 单位 line, footnote, empty or "no data" cell) — or a problem that refuses the file.
What a value, period or region means is decided by validation, the same for every reader.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from openpyxl.utils.cell import get_column_letter

from digecon.catalog import Catalog

from .errors import ReadError
from .layout import (
    ALIAS_FIELD,
    COMMENT_PREFIX,
    Layout,
    check_fields,
    classify,
    close_to_known,
    header_name,
    relative_period,
    relative_period_problem,
)
from .names import indent, name_key
from .values import NO_DATA

# A 单位 line above a table: 单位：万元 / （单位：亿元） / 计量单位: 个.
UNIT_LINE = re.compile(r"^[（(]?\s*(?:计量)?单位\s*[：:]\s*([^（）()]+?)\s*[)）]?$")
# A footnote below a table: 注：… / 注1：… / 资料来源：… / 说明：…
FOOTNOTE = re.compile(r"^(?:注|备注|附注|注释|说明|资料来源|数据来源|来源|填表说明|填报说明)"
                      r"\s*[0-9０-９一二三四五六七八九十]*\s*[：:]")
HEADER_SCAN_ROWS = 30      # the header is looked for among the first rows that hold anything
MAX_HEADER_ROWS = 3
SHOWN = 5
Notice = Callable[[str], None]


@dataclass
class Table:
    """One table: the layout of its header, its long rows and what the reader found itself."""
    title: str
    layout: Layout
    frame: pd.DataFrame                  # _row, _vcol and the fields, as strings
    columns: dict[str, str]              # field -> column label (for messages)
    melt_as: str                         # fields that come from a value column's header
    header_row: int
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, message
    empty_rows: list[int] = field(default_factory=list)
    empty_cells: int = 0
    data_rows: int = 0
    # 其中 structure: (row of the whole, row of a part, whether its group is flat, so that the
    # parts may also be summed); see subitems().
    subitems: list[tuple[int, int, bool]] = field(default_factory=list)


def _text(v: object) -> str:
    return "" if v is None else str(v).strip()


def _spread(rows: dict[int, list], merges: list[tuple[int, int, int, int]]) -> dict[tuple, str]:
    """Each merged cell's text at every position of its range: (row, col index) -> text."""
    filled: dict[tuple, str] = {}
    for c1, r1, c2, r2 in merges:
        top = rows.get(r1, [])
        text = _text(top[c1 - 1]) if c1 - 1 < len(top) else ""
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    filled[(r, c - 1)] = text
    return filled


def read_table(where: str, rows: list[tuple[int, list]], catalog: Catalog, *,
               title: str = "", merges: list[tuple[int, int, int, int]] | None = None,
               indicator: str | None = None, period: str | None = None,
               period_from_title: bool = False, explicit: bool = True,
               notice: Notice = lambda _m: None) -> Table | str:
    """The table in `rows` ((row number, cells) in order), or why there is none (a string)
    when not `explicit`. ReadError `where:ROW:COLUMN: 发现…，应为…` for a header that cannot be
    read. `period_from_title`: a sheet named like a period gives the period of a table that
    has no period column."""
    merges = merges or []
    by_number = {n: list(cells) for n, cells in rows}
    filled = _spread(by_number, merges)

    def cell(n: int, i: int) -> str:
        cells = by_number.get(n, [])
        own = _text(cells[i]) if i < len(cells) else ""
        return own or filled.get((n, i), "")

    def heading(n: int, i: int) -> str:  # a header cell on one line (a wrapped one joined)
        return header_name(cell(n, i), catalog)

    numbers = [n for n, cells in rows if any(_text(c) for c in cells)]
    if not numbers:
        return "工作表为空"
    width = max(len(by_number[n]) for n in numbers)
    for c1, _r1, c2, _r2 in merges:
        width = max(width, c2)
    head = _header_row(numbers, width, heading, catalog)
    if head is None:
        if not explicit:
            return "没有可识别的表头"
        first = numbers[0]
        shown = [cell(first, i) for i in range(width)]
        raise ReadError(f"{where}:{first}: 发现表头 {[s for s in shown if s]}，应为一列地区"
                        "（region / 地区）加上长表的指标、时期、数值列，或宽表的各年份列、各指标列")
    preamble = [n for n in numbers if n < head]
    table_unit, unit_row = _preamble(where, preamble, width, cell, notice)
    header_rows = [head]
    while len(header_rows) < MAX_HEADER_ROWS:
        nxt = next((n for n in numbers if n > header_rows[-1]), None)
        if nxt is None or not _continues_header(nxt, header_rows[0], width, by_number,
                                                catalog):
            break
        header_rows.append(nxt)
    # In a header of several rows an empty cell of an upper row belongs to the group label on
    # its left, as a merged cell does (and as a merged cell exported to CSV looks).
    group: dict[tuple[int, int], str] = {}
    for n in header_rows[:-1]:
        left = ""
        for i in range(width):
            own = heading(n, i)
            left = own or (left if i and any(heading(m, i) for m in header_rows[1:]) else "")
            if not own and left:
                group[(n, i)] = left

    def head_cell(n: int, i: int) -> str:
        return heading(n, i) or group.get((n, i), "")

    labels, parts = [], []
    for i in range(width):
        texts = list(dict.fromkeys(t for t in (head_cell(n, i) for n in header_rows) if t))
        labels.append("·".join(texts))
        parts.append(texts)
    while labels and not labels[-1]:
        labels.pop()
        parts.pop()
    width = len(labels)
    _refuse_split_header(where, head, merges, labels)
    for i, texts in enumerate(parts):  # 单位：万元 written in a cell of the header row itself
        m = UNIT_LINE.match(texts[0]) if len(texts) == 1 else None
        if m and not table_unit:
            table_unit, unit_row = m.group(1).strip(), head
            parts[i], labels[i] = [], ""
    layout = _layout(where, head, header_rows, labels, parts, catalog, table_unit, unit_row)
    unnamed = [i for i in range(width) if not labels[i]]
    if unnamed:  # a column without a header that holds something: named in a notice
        for n in numbers:
            if n > header_rows[-1]:
                cells = by_number.get(n, [])
                for i in list(unnamed):
                    if i < len(cells) and _text(cells[i]):
                        layout.ignored.append(i)
                        unnamed.remove(i)
        layout.ignored.sort()
    sheet_period = None
    if (not layout.fields.get("period") and "period" not in layout.melt_fields_all()
            and not period and period_from_title and title
            and classify(title, catalog).kind == "period"):
        sheet_period = title
        notice(f"{where}: 表中没有时期列，时期取自工作表名「{title}」")
    check_fields(layout, f"{where}:{head}", indicator, period or sheet_period)
    from_headers = layout.melt_fields_all()
    if layout.melt and layout.units and "unit" not in layout.fields:
        from_headers.add("unit")  # a unit in a value column's header: named by that column
    table = Table(title, layout, pd.DataFrame(), {}, ",".join(sorted(from_headers)),
                  header_rows[-1])
    table.frame = _records(where, table, numbers, width, cell, by_number, merges,
                           indicator, period or sheet_period, notice,
                           period_label="--period" if period else f"工作表名「{title}」")
    if layout.ignored:
        names = "、".join(f"「{layout.label(i)}」" for i in layout.ignored)
        notice(f"{where}: 已忽略不认识的列{names}")
    return table


def _header_row(numbers: list[int], width: int, cell, catalog: Catalog) -> int | None:
    """The first row that names a region column and one more column we recognise."""
    for n in numbers[:HEADER_SCAN_ROWS]:
        texts = [cell(n, i) for i in range(width)]
        kinds = [classify(t, catalog) for t in texts if t]
        if len({t for t in texts if t}) < 2:
            continue
        # a column named by a relative period (本年, 1月) counts: the layout then refuses it
        if any(k.kind == "field" and k.name == "region" for k in kinds) and (any(
                k.kind in ("field", "period", "indicator") and k.name != "region" for k in kinds)
                or any(relative_period(t) for t in texts if t)):
            return n
        # regions across: two or more region names beside an indicator or period column
        if sum(k.kind == "region" for k in kinds) >= 2 and any(
                k.kind == "field" and k.name in ("indicator", "period") for k in kinds):
            return n
    return None


def _preamble(where: str, preamble: list[int], width: int, cell,
              notice: Notice) -> tuple[str, int]:
    """The unit a 单位 line gives (or ''), its row; every other line above is a title."""
    unit, unit_row, titles = "", 0, []
    for n in preamble:
        texts = list(dict.fromkeys(t for t in (cell(n, i) for i in range(width)) if t))
        rest = []
        for t in texts:
            m = UNIT_LINE.match(t)
            if m and not unit:
                unit, unit_row = m.group(1).strip(), n
            else:
                rest.append(t)
        if rest:
            titles.append(f"第 {n} 行「{' '.join(rest)}」")
    if titles:
        notice(f"{where}: 表头之上的标题行未作为数据导入：{'；'.join(titles)}")
    return unit, unit_row


def _continues_header(n: int, head: int, width: int, by_number, catalog: Catalog) -> bool:
    """Whether row `n` is a second header row: its first column is empty or merged down from
    the header, and every other cell it has is a period, an indicator or a field name."""
    own = by_number.get(n, [])
    first_own = _text(own[0]) if own else ""
    if first_own:
        return False
    texts = [header_name(_text(own[i]), catalog) if i < len(own) else "" for i in range(1, width)]
    if not any(texts):
        return False
    return all(classify(t, catalog).kind in ("period", "indicator", "field") for t in texts if t)


def _refuse_split_header(where: str, head: int, merges, labels: list[str]) -> None:
    """A header cell merged over several columns that no lower header row tells apart."""
    seen: dict[str, int] = {}
    problems = []
    for i, label in enumerate(labels):
        if label and label in seen:
            merge = next(((c1, r1, c2, r2) for c1, r1, c2, r2 in merges
                          if c1 - 1 <= i <= c2 - 1 and r1 <= head), None)
            if merge:
                c1, r1, c2, r2 = merge
                ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
                problems.append(f"{where}:{r1}:{get_column_letter(c1)}: 发现合并单元格 {ref}"
                                f"（「{label}」），应为每列一个表头单元格：取消合并，并为每列填写列名")
            else:
                problems.append(f"{where}:{head}:{get_column_letter(i + 1)}: 发现列「{label}」与第 "
                                f"{seen[label] + 1} 列重复，应为每列表头各不相同")
        seen.setdefault(label, i)
    if problems:
        raise ReadError("\n".join(dict.fromkeys(problems)))


def _layout(where: str, head: int, header_rows: list[int], labels: list[str],
            parts: list[list[str]], catalog: Catalog, table_unit: str, unit_row: int) -> Layout:
    fields: dict[str, list[int]] = {}
    melt: dict[int, dict[str, str]] = {}
    units: dict[int, str] = {}
    ignored: list[int] = []
    problems: list[str] = []
    dims = {u.unit: u.dimension for u in catalog.units()}
    for i, texts in enumerate(parts):
        if not texts or texts[0].startswith(COMMENT_PREFIX):
            continue
        kinds = [classify(t, catalog) for t in texts]
        unit = next((k.unit for k in kinds if k.unit), "")
        named = [k for k in kinds if k.kind == "field"]
        if named:
            fields.setdefault(named[-1].name, []).append(i)
        else:
            consts = {k.kind: k.name for k in kinds if k.kind in ("period", "indicator", "region")}
            if consts:
                melt[i] = consts
            else:
                near = close_to_known(labels[i], catalog)
                if relative_period(labels[i]):
                    problems.append(relative_period_problem(f"{where}:{head}", labels[i]))
                elif near:
                    problems.append(f"{where}:{head}:{labels[i]}: {near}")
                else:
                    ignored.append(i)
                continue
        if unit and table_unit and unit != table_unit and dims.get(unit) == dims.get(table_unit):
            problems.append(f"{where}:{header_rows[-1]}:{labels[i]}: 发现表头单位「{unit}」与第 "
                            f"{unit_row} 行「单位：{table_unit}」不一致，应为同一单位：删去其中一个"
                            "或改为一致")
        if unit:
            units[i] = unit
    for f, cols in fields.items():
        if len(cols) > 1:
            listed = "、".join(f"第 {i + 1} 列「{labels[i]}」" for i in cols)
            problems.append(f"{where}:{head}:{labels[cols[-1]]}: 发现两列都是 {f}（{listed}），"
                            "应为每个字段只有一列：删除或改名其中一列")
    if "value" in fields and melt:
        listed = "、".join(f"「{labels[i]}」" for i in melt)
        problems.append(f"{where}:{head}:{labels[fields['value'][0]]}: 发现数值列之外还有年份或"
                        f"指标列 {listed}，应为长表（一列数值）或宽表（各列为年份或指标）之一")
    kinds = {frozenset(c) for c in melt.values()}
    if len(kinds) > 1:
        problems.append(f"{where}:{head}: 发现各数值列的表头有的写年份、有的写指标"
                        f"（{'、'.join(labels[i] for i in melt)}），应为同一种：都是年份，"
                        "或都是指标，或上行指标、下行年份")
    if problems:
        raise ReadError("\n".join(problems))
    layout = Layout(labels, {f: cols[0] for f, cols in fields.items()})
    layout.melt = sorted(melt) if "value" not in fields else []
    layout.melt_values = melt if "value" not in fields else {}
    layout.melt_as = "period" if kinds == {frozenset({"period"})} else (
        "indicator" if kinds == {frozenset({"indicator"})} else "")
    layout.units = units
    layout.table_unit = table_unit
    layout.ignored = ignored
    return layout


def _records(where: str, table: Table, numbers: list[int], width: int, cell, by_number,
             merges, indicator: str | None, period: str | None,
             notice: Notice, period_label: str = "--period") -> pd.DataFrame:
    layout = table.layout
    head_end = table.header_row
    fields = layout.fields
    used = set(fields.values()) | set(layout.melt)
    value_cols = layout.melt or [fields["value"]]
    footnotes: list[str] = []
    no_data: dict[str, list[int]] = {}
    records: list[dict] = []
    in_notes = False
    for n in numbers:
        if n <= head_end:
            continue
        own = by_number.get(n, [])
        texts = [_text(own[i]) if i < len(own) else "" for i in range(max(width, len(own)))]
        filled_texts = [t for t in texts if t]
        if len(filled_texts) == 1 and (FOOTNOTE.match(filled_texts[0]) or in_notes):
            footnotes.append(f"第 {n} 行「{filled_texts[0]}」")
            in_notes = True
            continue
        table.data_rows += 1
        for i in range(width, len(texts)):
            if texts[i]:
                table.problems.append((n, get_column_letter(i + 1),
                                       (f"发现表头之外的单元格 {get_column_letter(i + 1)}{n}"
                                       f"「{texts[i]}」，应为数据只写在有表头的列中")))
        base = {}
        for f, i in fields.items():
            if f != "value":  # as written (a note keeps its spaces); validation trims keys
                mine = own[i] if i < len(own) and own[i] is not None else ""
                base[f] = str(mine) if str(mine) else cell(n, i)
        if indicator and "indicator" not in base:
            base["indicator"] = indicator
        if period and "period" not in base:
            base["period"] = period
        for i in value_cols:
            value = texts[i] if i < len(texts) else ""
            if not value:
                table.empty_cells += 1
                if not table.empty_rows or table.empty_rows[-1] != n:
                    table.empty_rows.append(n)
                continue
            if value in NO_DATA:
                no_data.setdefault(value, []).append(n)
                continue
            rec = dict(base)
            rec.update({"_row": n, "_vcol": layout.label(i) if layout.melt else None,
                        "value": str(own[i]) if i < len(own) else value})
            rec.update(layout.melt_values.get(i, {}))
            unit = layout.units.get(i) or ("" if "unit" in fields else layout.table_unit)
            if unit and not (rec.get("unit") or ""):
                rec["unit"] = unit
            records.append(rec)
    for c1, r1, c2, r2 in merges:
        touched = [c - 1 for c in range(c1, c2 + 1) if c - 1 in used]
        if r1 > head_end and touched:
            ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
            table.problems.append((r1, layout.label(touched[0]),
                                   f"发现合并单元格 {ref}，应为每行各自填写：取消合并并在每行填入值"))
    names = {rec["_row"]: {f: rec.get(f) or "" for f in ("region", "indicator") if f in fields}
             for rec in records}
    table.subitems = subitems([(n, names[n]) for n in sorted(names)])
    if table.subitems:
        parts = "、".join(str(c) for _p, c, _f in table.subitems[:SHOWN]) + (
            "…" if len(table.subitems) > SHOWN else "")
        notice(f"{where}: 第 {parts} 行为其上一项的其中项（「其中」或缩进），按各自的名称导入，"
               "总量与计数核对不大于所属项")
    if footnotes:
        notice(f"{where}: 表下的注释未作为数据导入：{'；'.join(footnotes)}")
    for mark, rows_ in no_data.items():
        shown = "、".join(str(r) for r in rows_[:SHOWN]) + ("…" if len(rows_) > SHOWN else "")
        notice(f"{where}: {len(rows_)} 个单元格为「{mark}」（无数据），未导入（第 {shown} 行）")
    columns = {f: layout.label(i) for f, i in fields.items() if f != "value"}
    columns["value"] = layout.label(fields["value"]) if "value" in fields else "value"
    if "unit" not in fields and (layout.units or layout.table_unit):
        columns["unit"] = (layout.label(fields["value"]) if "value" in fields
                           else "单位")
    for f, given, label in (("indicator", indicator, "--indicator"),
                            ("period", period, period_label)):
        if f not in columns and f not in layout.melt_fields_all() and given:
            columns[f] = label
    table.columns = columns
    frame = pd.DataFrame(records, columns=["_row", "_vcol", *sorted(
        {k for r in records for k in r} - {"_row", "_vcol"})])
    if frame.empty:
        frame = pd.DataFrame({"_row": pd.Series([], dtype="int64"),
                              "_vcol": pd.Series([], dtype="string")})
    frame["_row"] = frame["_row"].astype("int64")
    for c in frame.columns:
        if c != "_row":
            frame[c] = frame[c].astype("string")
    return frame


def subitems(rows: list[tuple[int, dict[str, str]]]) -> list[tuple[int, int, bool]]:
    """The parts of a whole in a name column, as tables mark them: a row whose name starts
    with 其中 or is indented more than the last row that is not (the whole), the other name
    cells the same. Returns (whole's row, part's row, flat): flat when the whole's parts are
    one level (at most one 其中, on the first part, and no other change of indent), so that
    their sum too must not exceed it; any part of any level is never more than its whole."""
    for f in ("indicator", "region"):
        groups: list[tuple[int, list[tuple[int, int, bool]]]] = []  # whole, [(row, indent, 其中)]
        whole: tuple[int, dict] | None = None
        top = 0
        for n, cells in rows:
            raw = cells.get(f, "")
            if not raw:
                continue
            others = {k: name_key(v)[0] for k, v in cells.items() if k != f}
            depth, marked = indent(raw), name_key(raw)[1]
            if whole and others == whole[1] and (marked or depth > top):
                groups[-1][1].append((n, depth, marked))
            else:
                whole, top = (n, others), depth
                groups.append((n, []))
        out = []
        for w, parts in groups:
            if not parts:
                continue
            marks = [m for _n, _i, m in parts]
            depths = {i for _n, i, _m in (parts[1:] if marks[0] else parts)}
            flat = not any(marks[1:]) and len(depths) <= 1
            out += [(w, n, flat) for n, _i, _m in parts]
        if out:
            return out
    return []


__all__ = ["ALIAS_FIELD", "FOOTNOTE", "UNIT_LINE", "Table", "read_table"]
