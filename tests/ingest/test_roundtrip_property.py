"""Property (issue 14): any valid table written as CSV (UTF-8, GBK, UTF-8 with BOM; LF or CRLF;
quoted line breaks) or XLSX (openpyxl, xlsxwriter, pandas) ingests to exactly its values, and
any single corruption of it is refused at its file, row and column with the store unchanged."""
from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digecon.ingest.files import ingest_files
from digecon.ingest.reader import ReadError
from digecon.ingest.validate import ValidationError
from digecon.store import Store

REGIONS = ["南昌市", "九江", "360700", "江西省", "上饶市"]
INDICATORS = ["gdp", "broadband_ports", "数字经济增加值"]
HEADERS = {"en": ["region", "indicator", "period", "value", "note"],
           "zh": ["地区", "指标", "年份", "数值", "备注"]}
# Text a department might put in a note: Chinese, quotes, commas, line breaks (all GBK-safe).
NOTE_CHARS = "南昌市统计局初步核算修订，。“”（）ab 1,\"\n"
VINTAGE = "2022-07-01"
_sources = itertools.count()
# 25 examples of two ingests each: about 25 s per test on 2 busy cores.
pytestmark = pytest.mark.slow


@dataclass
class Table:
    rows: list[list[str]]       # region, indicator, period, value, note — as written
    header: str


@st.composite
def tables(draw) -> Table:
    keys = draw(st.lists(st.tuples(st.sampled_from(REGIONS), st.sampled_from(INDICATORS),
                                   st.sampled_from(["2019", "2020", "2021", "2021-06"])),
                         min_size=1, max_size=5, unique_by=lambda k: (k[0][:2], k[1], k[2])))
    rows = []
    for region, indicator, period in keys:
        # Values of one magnitude (0, or 1 to 999 with up to 4 decimals): ingest refuses a value
        # 1000 times its peers or its stored history as a likely wrong unit.
        value = draw(st.one_of(st.just(Decimal(0)), st.decimals(
            min_value=1, max_value=999, places=draw(st.integers(0, 4)), allow_nan=False,
            allow_infinity=False)))
        note = draw(st.text(NOTE_CHARS, max_size=12))
        rows.append([region, indicator, period, str(value), note])
    return Table(rows, draw(st.sampled_from(sorted(HEADERS))))


def write_csv(path: Path, table: Table, encoding: str, newline: str) -> list[int]:
    """Write the table; returns the line each data row starts on."""
    text, lines, line = io.StringIO(), [], 1
    for i, row in enumerate([HEADERS[table.header], *table.rows]):
        buf = io.StringIO()
        csv.writer(buf, lineterminator=newline).writerow(row)
        if i:
            lines.append(line)
        line += buf.getvalue().count("\n")
        text.write(buf.getvalue())
    path.write_bytes(text.getvalue().encode(encoding))
    return lines


def _number_or_text(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def write_xlsx(path: Path, table: Table, writer: str) -> str:
    """Write the table to sheet 数据 (a value cell as a number where it is one, else as
    text); returns the sheet name."""
    rows = [[r[0], r[1], r[2], _number_or_text(r[3]), r[4] or None, *r[5:]] for r in table.rows]
    header = HEADERS[table.header]
    if writer == "openpyxl":
        book = openpyxl.Workbook()
        ws = book.active
        ws.title = "数据"
        for row in [header, *rows]:
            ws.append(row)
        book.save(path)
    elif writer == "xlsxwriter":
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("数据")
        for r, row in enumerate([header, *rows]):
            for c, cell in enumerate(row):
                if isinstance(cell, float):
                    ws.write_number(r, c, cell)
                elif cell is not None:
                    ws.write_string(r, c, cell)
        book.close()
    else:
        width = max(len(r) for r in rows)
        columns = header + [""] * (width - len(header))  # pandas needs a name for an extra
        frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], columns=columns)
        frame.to_excel(path, sheet_name="数据", index=False)
    return "数据"


def corrupt(table: Table, kind: str, k: int) -> tuple[Table, str]:
    """One corruption of data row k; returns the table and the column the error must name."""
    rows = [list(r) for r in table.rows]
    header = HEADERS[table.header]
    k %= len(rows)
    if kind == "value":
        rows[k][3] = "4000,1"
    elif kind == "negative":
        rows[k][3] = "-" + rows[k][3] if float(rows[k][3]) else "-1"
    elif kind == "region":
        rows[k][0] = "火星市"
    elif kind == "indicator":
        rows[k][1] = "gdpp"
    elif kind == "period":
        rows[k][2] = "2021-2016"
    elif kind == "repeat":
        rows.append(list(rows[k]))
        return Table(rows, table.header), "key"
    elif kind == "extra":  # a sixth cell: CSV names the field count, XLSX the cell
        rows[k].append("多余")
        return Table(rows, table.header), "列6|F"
    return Table(rows, table.header), header[{"value": 3, "negative": 3, "region": 0,
                                              "indicator": 1, "period": 2}[kind]]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    s = Store(tmp_path_factory.mktemp("prop") / "p.duckdb")
    s.init()
    return s


def assert_ingested_exactly(store: Store, path: Path, table: Table) -> None:
    source = f"prop{next(_sources)}"
    ingest_files(store, [path], vintage=VINTAGE, source=source)
    got = store.query(status="published")
    got = got[got["source"] == source]
    cat = store.catalog
    expected = {(cat.region(r[0]).code, cat.indicator(r[1]).code, r[2]): (float(r[3]), r[4])
                for r in table.rows}
    assert {(r.region_code, r.indicator, r.period): (r.value, r.note)
            for r in got.itertuples()} == expected


def assert_refused_at(store: Store, path: Path, where: str, row: int, column: str) -> None:
    before = store.checksum()
    with pytest.raises((ValidationError, ReadError)) as exc:
        ingest_files(store, [path], vintage=VINTAGE, source=f"prop{next(_sources)}")
    err = exc.value
    found = [str(p) for p in err.problems] if isinstance(err, ValidationError) else [str(err)]
    assert found and all(f.startswith(f"{where}:{row}:") for f in found), found
    assert any(f.startswith(f"{where}:{row}:{c}: 发现") for c in column.split("|")
               for f in found), found
    assert store.checksum() == before


CORRUPTIONS = ["value", "negative", "region", "indicator", "period", "repeat", "extra"]
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(table=tables(), encoding=st.sampled_from(["utf-8", "gbk", "utf-8-sig"]),
       newline=st.sampled_from(["\n", "\r\n"]), kind=st.sampled_from(CORRUPTIONS),
       k=st.integers(0, 10))
def test_csv_ingests_exactly_and_any_corruption_is_refused(store, tmp_path_factory, table,
                                                           encoding, newline, kind, k):
    folder = tmp_path_factory.mktemp("csv")
    good = folder / "good.csv"
    write_csv(good, table, encoding, newline)
    assert_ingested_exactly(store, good, table)
    bad_table, column = corrupt(table, kind, k)
    bad = folder / "bad.csv"
    lines = write_csv(bad, bad_table, encoding, newline)
    row = lines[-1] if kind == "repeat" else lines[k % len(table.rows)]
    assert_refused_at(store, bad, str(bad), row, column)


@SETTINGS
@given(table=tables(), writer=st.sampled_from(["openpyxl", "xlsxwriter", "pandas"]),
       kind=st.sampled_from(CORRUPTIONS), k=st.integers(0, 10))
def test_xlsx_ingests_exactly_and_any_corruption_is_refused(store, tmp_path_factory, table,
                                                            writer, kind, k):
    folder = tmp_path_factory.mktemp("xlsx")
    good = folder / "good.xlsx"
    write_xlsx(good, table, writer)
    assert_ingested_exactly(store, good, table)
    bad_table, column = corrupt(table, kind, k)
    bad = folder / "bad.xlsx"
    sheet = write_xlsx(bad, bad_table, writer)
    row = len(bad_table.rows) + 1 if kind == "repeat" else k % len(table.rows) + 2
    assert_refused_at(store, bad, f"{bad}:{sheet}", row, column)
