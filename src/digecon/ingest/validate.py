"""Whole-batch validation in DuckDB: every problem of a staged batch found in one pass.

A batch is staged as a DuckDB table `staged` of strings with its own row numbers and, per
field, the name of the column it came from (so errors can point at file:row:column).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from digecon.catalog import Catalog
from digecon.store.schema import QUALIFIERS, STATUSES

from .sources import record_lines, source_map, where

FIELDS = ("region", "indicator", "period", "value", "unit", "status", "qualifier", "vintage",
          "source", "section", "ref", "quote", "formula", "inputs", "note")

PERIOD_RE = r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$|^[0-9]{4}-[0-9]{4}$"
# Commas in a number are read only as thousands separators, three digits apart: `4000,1` is a
# decimal comma (refused), `4,000.1` is four thousand and a tenth.
THOUSANDS_RE = r"^[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]*)?$"
MAX_ERRORS_SHOWN = 500
# Plausibility, unless the batch is loaded with --allow-implausible: years in this range, a
# range's first year before its last, no vintage after today, no negative level or count.
PLAUSIBLE_YEARS = (1900, 2100)
ALLOW_IMPLAUSIBLE = "digecon_allow_implausible"
NON_NEGATIVE_KINDS = ("level", "count")
OVERRIDE = "如确属实，用 --allow-implausible 导入"


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.sheet}" if self.sheet else self.file
        return f"{where}:{self.row}:{self.column}: {self.message}"


class ValidationError(Exception):
    """The batch was rejected; nothing was written."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(f"{self.total} 个问题，未写入任何数据")

    def report(self) -> str:
        lines = [str(p) for p in self.problems[:MAX_ERRORS_SHOWN]]
        if self.total > len(lines):
            lines.append(f"……另有 {self.total - len(lines)} 个问题未列出")
        lines.append(f"共 {self.total} 个问题；未写入任何数据。")
        return "\n".join(lines)


def install_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Temp tables the validation joins against (small: regions, indicators, units)."""
    aliases: dict[str, str] = {}
    for r in catalog.regions():
        for a in (r.code, r.name, r.short):
            aliases.setdefault(a, r.code)
    aliases.setdefault("中国", "100000")
    indicators: dict[str, tuple] = {}
    for ind in catalog.indicators():
        for a in (ind.code, ind.name_zh, *ind.aliases):
            indicators.setdefault(a, (a, ind.code, ind.unit, ind.kind))
    units = [(u.unit, u.dimension, float(u.factor)) for u in catalog.units()]
    tables = {
        "cat_region_alias": pd.DataFrame(list(aliases.items()), columns=["alias", "code"]),
        "cat_indicator": pd.DataFrame(list(indicators.values()),
                                      columns=["alias", "code", "unit", "kind"]),
        "cat_indicator_code": pd.DataFrame(
            [(i.code, i.unit, i.kind) for i in catalog.indicators()],
            columns=["code", "unit", "kind"]),
        # Every convertible (from, to) pair once, so a row's factor is one small join.
        "cat_unit_factor": pd.DataFrame(
            [(a, b, fa / fb) for a, da, fa in units for b, db, fb in units if da == db],
            columns=["from_unit", "to_unit", "factor"]),
    }
    for name, frame in tables.items():
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(f"{name}_df")


def _literal(text: str | None) -> str:
    return "NULL::VARCHAR" if text is None else "'" + text.replace("'", "''") + "'"


@dataclass
class Checked:
    """Temp table `checked` (one row per staged row) and how to read each field from it.

    Fields the batch's files do not have are the same on every row (a default or nothing);
    they are not stored per row but given as SQL literals in `expr`, which saves a column
    per field in every statement over a million rows.
    """
    expr: dict[str, str]
    varying: set[str]

    def col(self, name: str, alias: str = "") -> str:
        if name in self.varying:
            return f"{alias}.{name}" if alias else name
        return self.expr[name]


def present_fields(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Fields that come from some staged file (a column, a melted header or an option)."""
    present = {"region", "indicator", "period", "value"}
    for source in source_map(con).values():
        present |= set(source["columns"])
        if source["melt_as"]:
            present |= {source["melt_as"], "_vcol"}
    return present


def check_staged(con: duckdb.DuckDBPyConnection, defaults: dict[str, str]) -> Checked:
    """Resolve `staged` into temp table `checked`: codes, clean period, number, unit factor.

    Most files hold clean cells, so the first pass matches region, indicator, unit and period
    as they are (trimming a million strings costs a third of the pass). Only if some cell
    found nothing, or a period needs cleaning, is `checked` built again with every cell
    trimmed: the same result, paid for by untidy files only.
    """
    chk = _check_pass(con, defaults, trimmed=False)
    con.execute("CREATE OR REPLACE TEMP TABLE periods AS SELECT DISTINCT period_clean FROM checked")
    misses = ["region_code IS NULL", "indicator_code IS NULL"]
    if "unit_factor" in chk.varying:
        misses.append("unit_factor IS NULL")
    untidy = con.execute(f"""SELECT EXISTS (SELECT 1 FROM checked WHERE {' OR '.join(misses)})
        OR EXISTS (SELECT 1 FROM periods
                   WHERE period_clean <> rtrim(trim(period_clean), '年'))""").fetchall()[0][0]
    if untidy:
        chk = _check_pass(con, defaults, trimmed=True)
        con.execute("CREATE OR REPLACE TEMP TABLE periods AS "
                    "SELECT DISTINCT period_clean FROM checked")
    return chk


def _check_pass(con: duckdb.DuckDBPyConnection, defaults: dict[str, str],
                trimmed: bool) -> Checked:
    present = present_fields(con)
    status = defaults.get("status") or "published"
    vintage = defaults.get("vintage") or ""
    source = defaults.get("source") or ""
    def cell(field: str) -> str:
        return f"trim(s.{field})" if trimmed else f"s.{field}"

    period = "rtrim(trim(coalesce(s.period, '')), '年')" if trimmed else "coalesce(s.period, '')"
    select = ["s._src", "s._row", "ra.code AS region_code", "ci.code AS indicator_code",
              f"{period} AS period_clean",
              # The plain cast takes most cells; only the others pay for trim and commas.
              ("coalesce(TRY_CAST(s.value AS DOUBLE), "
               f"CASE WHEN regexp_matches(trim(s.value), '{THOUSANDS_RE}') "
               "THEN TRY_CAST(replace(trim(s.value), ',', '') AS DOUBLE) END) AS value_num")]
    joins = [f"LEFT JOIN cat_region_alias ra ON ra.alias = {cell('region')}",
             f"LEFT JOIN cat_indicator ci ON ci.alias = {cell('indicator')}"]
    expr = {"_vcol": "NULL::VARCHAR", "unit_factor": "1.0",
            "status_clean": _literal(status), "qualifier_clean": "'eq'",
            "vintage_raw": _literal(vintage),
            "vintage_date": f"TRY_CAST({_literal(vintage)} AS DATE)",
            "source_clean": _literal(source)}
    for field in ("section", "ref", "quote", "formula", "inputs", "note"):
        expr[field] = "NULL::VARCHAR"
    varying: set[str] = set()

    def vary(name: str, sql: str) -> None:
        select.append(f"{sql} AS {name}")
        varying.add(name)

    if "_vcol" in present:
        vary("_vcol", "s._vcol")
    if "unit" in present:
        vary("unit_factor", f"CASE WHEN coalesce(nullif({cell('unit')}, ''), ci.unit) = ci.unit "
                            "THEN 1.0 ELSE uf.factor END")
        joins.append(f"LEFT JOIN cat_unit_factor uf ON uf.from_unit = {cell('unit')} "
                     "AND uf.to_unit = ci.unit")
    if "status" in present:
        vary("status_clean", f"coalesce(nullif(trim(s.status), ''), {_literal(status)})")
    if "qualifier" in present:
        vary("qualifier_clean", "coalesce(nullif(trim(s.qualifier), ''), 'eq')")
    if "vintage" in present:
        raw = f"coalesce(nullif(trim(s.vintage), ''), {_literal(vintage)})"
        vary("vintage_raw", raw)
        vary("vintage_date", f"TRY_CAST({raw} AS DATE)")
    if "source" in present:
        vary("source_clean", f"coalesce(nullif(trim(s.source), ''), {_literal(source)})")
    for field in ("section", "ref", "quote", "formula", "inputs", "note"):
        if field in present:
            vary(field, f"s.{field}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS SELECT {', '.join(select)} "
                f"FROM staged s {' '.join(joins)}")
    return Checked(expr, varying)


def validate_staged(con: duckdb.DuckDBPyConnection, catalog: Catalog,
                    defaults: dict[str, str]) -> tuple[int, list[Problem], Checked]:
    """Resolve `staged` into temp table `checked`; return (error count, first problems, how
    to read `checked`)."""
    chk = check_staged(con, defaults)
    c = chk.col
    statuses = ", ".join(f"'{s}'" for s in STATUSES)
    quals = ", ".join(f"'{q}'" for q in QUALIFIERS)
    plausible = not allows_implausible(con)
    today = dt.date.today().isoformat()

    def value_std(alias: str = "") -> str:
        return f"{alias + '.' if alias else ''}value_num * {c('unit_factor', alias)}"

    # Periods repeat a lot: test each distinct spelling once instead of a regex per row.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE bad_periods AS
        SELECT period_clean, 'P' AS code FROM periods
        WHERE NOT regexp_matches(period_clean, '{PERIOD_RE}')""")
    if plausible:
        odd = [(p, "PI") for (p,) in con.execute(f"""SELECT period_clean FROM periods
            WHERE regexp_matches(period_clean, '{PERIOD_RE}')""").fetchall()
               if not plausible_period(p)]
        if odd:
            con.executemany("INSERT INTO bad_periods VALUES (?, ?)", odd)
    # Duplicate keys, across every file and sheet of the batch: group on one 64-bit hash per
    # key (far faster than on eight strings); the few candidate rows are then compared on the
    # exact key. Key parts that are the same on every row cannot make two rows differ, so only
    # the varying ones are hashed.
    key = ["region_code", "indicator_code", "period_clean"] + [
        c(k) for k in ("status_clean", "qualifier_clean", "source_clean") if k in chk.varying]
    if "ref" in chk.varying:
        key.append("coalesce(ref, '')")
    key_hash = f"hash({', '.join(key)})"
    # The hashes are sorted in NumPy: a million of them in a few milliseconds, where a hash
    # table of a million groups in SQL takes ten times as long. Repeated hashes are few.
    hashes = np.sort(con.execute(f"""SELECT {key_hash} AS h FROM checked
        WHERE region_code IS NOT NULL AND indicator_code IS NOT NULL""").fetchnumpy()["h"])
    repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
    has_dups = bool(len(repeated))
    if has_dups:
        con.register("dup_keys_df", pd.DataFrame({"h": repeated}))
        con.execute("CREATE OR REPLACE TEMP TABLE dup_keys AS SELECT h FROM dup_keys_df")
        con.unregister("dup_keys_df")
    negative = (f"k.kind IN {NON_NEGATIVE_KINDS} AND {value_std()} < 0" if plausible
                else "false")
    future = f"{c('vintage_date')} > DATE '{today}'" if plausible else "false"
    # One scan of `checked`: each row yields a list of (column, field, found, code) problems.
    # Found text of a bad region, indicator, period, value or unit is read back from `staged`
    # for the rows shown only.
    checks = f"""
    SELECT _row, _src, _vcol, p.field, p.found, p.code FROM (
      SELECT _row, _src, {c('_vcol')} AS _vcol, unnest(list_filter([
        CASE WHEN region_code IS NULL THEN {{'field': 'region', 'found': NULL, 'code': 'R'}} END,
        CASE WHEN indicator_code IS NULL THEN {{'field': 'indicator', 'found': NULL, 'code': 'I'}} END,
        CASE WHEN bp.code IS NOT NULL THEN {{'field': 'period', 'found': NULL, 'code': bp.code}} END,
        CASE WHEN value_num IS NULL OR isnan(value_num) OR isinf(value_num) THEN {{'field': 'value', 'found': NULL, 'code': 'V'}} END,
        CASE WHEN indicator_code IS NOT NULL AND {c('unit_factor')} IS NULL THEN {{'field': 'unit', 'found': NULL, 'code': 'U:' || k.unit}} END,
        CASE WHEN {c('status_clean')} NOT IN ({statuses}) THEN {{'field': 'status', 'found': {c('status_clean')}, 'code': 'S'}} END,
        CASE WHEN {c('qualifier_clean')} NOT IN ({quals}) THEN {{'field': 'qualifier', 'found': {c('qualifier_clean')}, 'code': 'Q'}} END,
        CASE WHEN {c('vintage_date')} IS NULL THEN {{'field': 'vintage', 'found': {c('vintage_raw')}, 'code': 'D'}} END,
        CASE WHEN {future} THEN {{'field': 'vintage', 'found': CAST({c('vintage_date')} AS VARCHAR), 'code': 'FV'}} END,
        CASE WHEN {c('source_clean')} = '' THEN {{'field': 'source', 'found': '', 'code': 'SRC'}} END,
        CASE WHEN k.kind = 'share' AND k.unit = '%' AND ({value_std()} < 0 OR {value_std()} > 100) THEN {{'field': 'value', 'found': CAST({value_std()} AS VARCHAR), 'code': 'SH'}} END,
        CASE WHEN {negative} THEN {{'field': 'value', 'found': CAST({value_std()} AS VARCHAR), 'code': 'NEG:' || k.kind}} END
      ], lambda x: x IS NOT NULL)) AS p
      FROM checked LEFT JOIN cat_indicator_code k ON k.code = indicator_code
           LEFT JOIN bad_periods bp USING (period_clean)
      WHERE region_code IS NULL OR indicator_code IS NULL OR value_num IS NULL
         OR isnan(value_num) OR isinf(value_num) OR {c('unit_factor')} IS NULL
         OR {c('vintage_date')} IS NULL OR {future}
         OR {c('source_clean')} = '' OR {c('status_clean')} NOT IN ({statuses})
         OR {c('qualifier_clean')} NOT IN ({quals})
         OR bp.code IS NOT NULL
         OR (k.kind = 'share' AND k.unit = '%' AND ({value_std()} < 0 OR {value_std()} > 100))
         OR ({negative}))
    """
    if has_dups:
        checks += f"""
    UNION ALL
    SELECT _row, _src, NULL, 'key', CAST(first_src AS VARCHAR) || '|' || CAST(first_row AS VARCHAR),
           'DUP' FROM (
        SELECT c._row, c._src,
               first_value(c._src) OVER w AS first_src, first_value(c._row) OVER w AS first_row
        FROM checked c SEMI JOIN dup_keys d ON {key_hash} = d.h
        WINDOW w AS (PARTITION BY {', '.join(key)} ORDER BY c._src, c._row))
    WHERE _row <> first_row OR _src <> first_src
    """
    if _has_temp_table(con, "read_problems"):
        checks += """
    UNION ALL
    SELECT _row, _src, column_name, 'raw', message, 'RAW' FROM read_problems
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE problems AS {checks}")
    if overlaps_store(con, chk):
        con.execute(f"""
        INSERT INTO problems
        SELECT c._row, c._src, {c('_vcol', 'c')}, 'value', CAST({value_std('c')} AS VARCHAR),
               'CONFLICT:' || CAST(o.value AS VARCHAR) || '|' || CAST(o.vintage AS VARCHAR)
        FROM checked c JOIN observations o
          ON o.region_code = c.region_code AND o.indicator = c.indicator_code
         AND o.period = c.period_clean AND o.status = {c('status_clean', 'c')}
         AND o.qualifier = {c('qualifier_clean', 'c')} AND o.source = {c('source_clean', 'c')}
         AND o.ref = coalesce({c('ref', 'c')}, '') AND o.vintage = {c('vintage_date', 'c')}
        WHERE abs(o.value - {value_std('c')}) > 1e-9 * greatest(abs(o.value), 1)
        """)
    total = con.execute("SELECT count(*) FROM problems").fetchall()[0][0]
    # The raw text of a bad cell is looked up only for the rows shown (a second read of the
    # file, paid only when there are problems), so `checked` need not carry it.
    rows = con.execute(f"""
        WITH shown AS (SELECT * FROM problems ORDER BY 2, 1, 4 LIMIT {MAX_ERRORS_SHOWN})
        SELECT p._row, p._src, p._vcol, p.field,
               coalesce(p.found, CASE p.field WHEN 'region' THEN trim(s.region)
                                              WHEN 'indicator' THEN trim(s.indicator)
                                              WHEN 'period' THEN s.period
                                              WHEN 'unit' THEN trim(s.unit)
                                              WHEN 'value' THEN coalesce(s.value, '') END),
               p.code
        FROM shown p LEFT JOIN staged s ON s._src = p._src AND s._row = p._row
             AND s._vcol IS NOT DISTINCT FROM p._vcol AND p.code <> 'RAW'
        ORDER BY 2, 1, 4""").fetchall() if total else []
    sources = source_map(con)
    return total, [_describe(catalog, sources, r) for r in _file_lines_of(rows, sources)], chk


def allows_implausible(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the batch was staged with --allow-implausible (a session variable)."""
    return bool(con.execute(f"SELECT getvariable('{ALLOW_IMPLAUSIBLE}')").fetchall()[0][0])


def plausible_period(period: str) -> bool:
    """A well-formed period whose years lie in PLAUSIBLE_YEARS, a range's first before its last."""
    years = [int(p) for p in period.split("-") if len(p) == 4]
    low, high = PLAUSIBLE_YEARS
    if not all(low <= y <= high for y in years):
        return False
    return len(years) < 2 or years[0] < years[1]


def _has_temp_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND "
                            "table_name = ?", [name]).fetchall()[0][0])


def _file_lines_of(rows: list[tuple], sources: dict[int, dict]) -> list[tuple]:
    """Problem rows with a CSV record's position turned into its line in the file, where the
    two differ (empty lines, line breaks in cells, refused records); a repeated key's first
    row too. The reader's own problems already name lines."""
    lines: dict[int, list[int] | None] = {}

    def line_of(src: int, position: int) -> int:
        source = sources[src]
        if src not in lines:
            path = source["lines_file"]
            lines[src] = record_lines(path, source["skip_lines"]) if path else None
        known = lines[src]
        return known[position - 1] if known and position - 1 < len(known) else position

    out = []
    for line, src, vcol, field, found, code in rows:
        if code == "RAW":
            out.append((line, src, vcol, field, found, code))
            continue
        line = line_of(src, line)
        if code == "DUP":
            first_src, first_row = (int(x) for x in found.split("|"))
            found = f"{first_src}|{line_of(first_src, first_row)}"
        out.append((line, src, vcol, field, found, code))
    return out


def overlaps_store(con: duckdb.DuckDBPyConnection, chk: Checked) -> bool:
    """Whether a stored row could share a key and vintage with the batch (else no store join).

    Stored rows of other indicators or other vintages can neither conflict with the batch nor
    make a batch row a repeat, so the common first load of new data skips both joins.
    """
    if not _has_store(con):
        return False
    if "vintage_date" in chk.varying:
        same_vintage = "vintage IN (SELECT DISTINCT vintage_date FROM checked)"
    else:
        same_vintage = f"vintage = {chk.expr['vintage_date']}"
    indicators = [r[0] for r in con.execute(
        f"SELECT DISTINCT indicator FROM observations WHERE {same_vintage}").fetchall()]
    if not indicators:
        return False
    listed = ", ".join(_literal(i) for i in indicators)
    return bool(con.execute(f"SELECT EXISTS (SELECT 1 FROM checked WHERE indicator_code IN "
                            f"({listed}))").fetchall()[0][0])


def _has_store(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                            "'observations' AND NOT temporary").fetchall()[0][0])


def _describe(catalog: Catalog, sources: dict[int, dict], row: tuple) -> Problem:
    line, src, vcol, field, found, code = row
    source = sources[src]
    # In a wide layout the value (and the melted field) came from the cell's own column.
    melted = field in ("value", source["melt_as"])
    column = (vcol if vcol and melted else source["columns"].get(field)) or field
    file, sheet = source["file"], source["sheet"]
    found = "" if found is None else str(found)
    if code == "RAW":  # the reader's own problem: column and message as it gave them
        return Problem(file, sheet, int(line), vcol or "", found)
    if code == "R":
        near = catalog.suggest_regions(found) if found else []
        hint = f"；最接近：{'、'.join(near)}" if near else ""
        msg = f"found 「{found}」, expected 已登记的地区名称或 GB/T 2260 代码（如 南昌市 / 南昌 / 360100）{hint}"
    elif code == "I":
        near = catalog.suggest_indicators(found) if found else []
        hint = f"；最接近：{'、'.join(near)}" if near else ""
        msg = f"found 「{found}」, expected 已登记的指标代码或中文名{hint}"
    elif code == "P":
        msg = f"found 「{found}」, expected 时期格式 YYYY、YYYY-MM 或 YYYY-YYYY（如 2021、2021-12、2016-2021）"
    elif code == "PI":
        low, high = PLAUSIBLE_YEARS
        msg = (f"found 「{found}」, expected {low}–{high} 年间、起年早于止年的时期"
               f"（如 2021、2016-2021）；{OVERRIDE}")
    elif code == "V":
        comma = "（小数点用「.」，千位分隔符「,」只能每三位一个）" if "," in found or "，" in found else ""
        msg = (f"found 「{found}」, expected 数值{comma}" if found.strip()
               else "found 空值, expected 数值")
    elif code.startswith("U:"):
        msg = f"found 单位「{found}」, expected 可换算为「{code[2:]}」的单位"
    elif code == "S":
        msg = f"found 「{found}」, expected 状态之一：{' / '.join(STATUSES)}"
    elif code == "Q":
        msg = f"found 「{found}」, expected 限定词之一：{' / '.join(QUALIFIERS)}"
    elif code == "D":
        msg = f"found 「{found}」, expected 版本日期 YYYY-MM-DD（用 --vintage 指定）"
    elif code == "FV":
        msg = f"found {found}, expected 不晚于今天（{dt.date.today()}）的版本日期（{OVERRIDE}）"
    elif code == "SRC":
        msg = "found 空来源, expected 数据来源（列 source 或 --source）"
    elif code.startswith("SH"):
        msg = f"found {_num(found)}%, expected 比重在 0–100 之间"
    elif code.startswith("NEG:"):
        what = "计数" if code == "NEG:count" else "总量"
        msg = f"found {_num(found)}, expected 不为负的{what}（如确为负值，用 --allow-implausible 导入）"
    elif code == "DUP":
        first_src, first_row = found.split("|")
        other = "" if int(first_src) == src else f" {where(sources[int(first_src)])} "
        msg = (f"found 与{other}第 {first_row} 行重复的键（地区×指标×时期×状态×来源）, "
               "expected 每个键在一批中只出现一次")
    elif code.startswith("CONFLICT:"):
        old, vintage = code[len("CONFLICT:"):].split("|")
        msg = (f"found {_num(found)}, expected 与库中同一版本（{vintage}）的已存值 {_num(old)} 一致；"
               "修订请用新的 --vintage")
    else:  # pragma: no cover - every code above is produced by validate_staged
        msg = f"found 「{found}」"
    return Problem(file, sheet, int(line), column, msg)


def _num(text: str) -> str:
    try:
        return f"{float(text):.10g}"
    except ValueError:
        return text

