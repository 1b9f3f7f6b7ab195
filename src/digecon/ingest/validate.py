"""Whole-batch validation in DuckDB: every problem of a staged batch found in one pass.

A batch is staged as a DuckDB table `staged` of strings with its own row numbers and, per
field, the name of the column it came from (so errors can point at file:row:column).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from digecon.catalog import AmbiguousNameError, Catalog, UnknownNameError
from digecon.errors import InputError
from digecon.store.schema import QUALIFIERS, STATUSES

from .layout import classify, relative_period
from .names import name_key
from .sources import record_lines, source_map, where
from .values import (
    ELLIPSIS,
    THOUSANDS_RE,
    body_sql,
    cast_sql,
    normalised_sql,
    number_sql,
    percent_sql,
    permille_sql,
    prefix_qualifier_sql,
)

FIELDS = ("region", "indicator", "period", "value", "unit", "status", "qualifier", "vintage",
          "source", "section", "ref", "quote", "formula", "inputs", "note")

PERIOD_RE = r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$|^[0-9]{4}-[0-9]{4}$"
MAX_ERRORS_SHOWN = 500
# Words of magnitude people write after a number in a cell (1.2万), beside the catalog's units.
UNIT_WORDS = ("万", "亿", "千", "百万", "千万", "万亿")
# A code or a year that a program wrote as a float (pandas reads a column with a gap as float:
# 360100.0, 2022.0): refused, as every cell that is not in the store's form, but named so.
FLOAT_TEXT = re.compile(r"^[0-9]{4}(?:[0-9]{2})?\.0+$")
# Rows that stand for the whole of the regions above them. 全省/全市/… is the one parent all
# the other rows of its table share; 合计/总计 is that parent only when the table lists every
# one of its units of that level (else it is the sum of some of them: not a region). Anything
# else (小计, a parent the rows do not agree on) is refused.
WHOLE_WORDS = ("全省", "全市", "全区", "全州", "全盟", "全自治区", "全国")
SUM_WORDS = ("合计", "总计", "全省合计", "全市合计", "全省总计", "全市总计", "全区合计", "小计")
# How far a 合计 may be from the sum of its rows (their rounding): a share of the sum.
SUM_TOLERANCE = 0.002
# A value this many times the median of the regions of its level for the same indicator and
# period is taken for a wrong unit (万元 entered as 亿元 is 10 000 times), unless
# --allow-implausible; only with at least MAGNITUDE_PEERS values. Small values are not tested:
# a small county or a new industry is often a thousandth of the median.
MAGNITUDE_RATIO = 1000.0
MAGNITUDE_PEERS = 4
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


class ValidationError(InputError):
    """The batch was rejected; nothing was written. Its text is the whole report."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(f"{self.total} 个问题，未写入任何数据")

    def __str__(self) -> str:
        return "导入被拒绝：\n" + self.report()

    def report(self) -> str:
        lines = [str(p) for p in self.problems[:MAX_ERRORS_SHOWN]]
        if self.total > len(lines):
            lines.append(f"……另有 {self.total - len(lines)} 个问题未列出")
        lines.append(f"共 {self.total} 个问题；未写入任何数据。")
        return "\n".join(lines)


_CATALOG_TABLES: list[tuple[Catalog, dict[str, pd.DataFrame]]] = []  # the last catalog's


def install_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Temp tables the validation joins against (small: regions, indicators, units)."""
    if _CATALOG_TABLES and _CATALOG_TABLES[0][0] is catalog:
        tables = _CATALOG_TABLES[0][1]  # a server ingesting again: the frames are built
    else:
        tables = _catalog_tables(catalog)
        _CATALOG_TABLES[:] = [(catalog, tables)]
    for name, frame in tables.items():
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(f"{name}_df")


def _catalog_tables(catalog: Catalog) -> dict[str, pd.DataFrame]:
    # Codes, then every name, short name, alias and parent-prefixed name that means one region
    # (湘西州, 湘西, 湘西土家族苗族自治州 …); a name several regions share is not a key.
    regions = catalog.regions() + catalog.regions(level="county")
    aliases: dict[str, str] = {r.code: r.code for r in regions}
    for key, r in catalog.region_keys(counties=True).items():
        aliases.setdefault(key, r.code)
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
        "cat_region": pd.DataFrame([(r.code, r.parent, r.level) for r in regions],
                                   columns=["code", "parent", "level"]),
        # Every convertible (from, to) pair once, so a row's factor is one small join.
        "cat_unit_factor": pd.DataFrame(
            [(a, b, fa / fb) for a, da, fa in units for b, db, fb in units if da == db],
            columns=["from_unit", "to_unit", "factor"]),
    }
    return tables


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


def check_staged(con: duckdb.DuckDBPyConnection, defaults: dict[str, str],
                 catalog: Catalog | None = None) -> Checked:
    """Resolve `staged` into temp table `checked`: codes, clean period, number, unit factor.

    Most files hold clean cells, so the first pass matches region, indicator, unit and period
    as they are (trimming a million strings costs a third of the pass). Only if some cell
    found nothing, or a period needs cleaning, is `checked` built again with every cell
    trimmed: the same result, paid for by untidy files only.
    """
    chk = _check_pass(con, defaults, trimmed=False)
    con.execute("CREATE OR REPLACE TEMP TABLE periods AS SELECT DISTINCT period_clean FROM checked")
    misses = ["region_code IS NULL", "indicator_code IS NULL", "value_num IS NULL"]
    if "unit_factor" in chk.varying:
        misses.append("unit_factor IS NULL")
    untidy = con.execute(f"""SELECT EXISTS (SELECT 1 FROM checked WHERE {' OR '.join(misses)})
        OR EXISTS (SELECT 1 FROM periods
                   WHERE NOT regexp_matches(period_clean, '{PERIOD_RE}'))""").fetchall()[0][0]
    if untidy:
        _name_keys(con, catalog)
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
    period = _period_sql("s.period") if trimmed else "coalesce(s.period, '')"
    # The plain cast takes most cells; only the others pay for trim and commas, and (in the
    # second pass, for untidy files only) full-width digits, a prefix such as < or 约, a % sign.
    value = (f"coalesce({cast_sql('s.value')}, {number_sql(body_sql('s.value'))} "
             f"* {permille_sql('s.value')})"
             if trimmed else
             f"coalesce({cast_sql('s.value')}, "
             f"CASE WHEN regexp_matches(trim(s.value), '{THOUSANDS_RE}') "
             "THEN TRY_CAST(replace(trim(s.value), ',', '') AS DOUBLE) END)")
    select = ["s._src", "s._row", "ra.code AS region_code", "ci.code AS indicator_code",
              f"{period} AS period_clean", f"{value} AS value_num"]
    # The second pass looks each distinct name up once by its plain form (names.name_key:
    # whitespace of every kind, a 其中 marker), instead of cleaning a million cells.
    joins = [("LEFT JOIN region_keys rk ON rk.raw = s.region "
              "LEFT JOIN cat_region_alias ra ON ra.alias = rk.key"),
             ("LEFT JOIN indicator_keys ik ON ik.raw = s.indicator "
              "LEFT JOIN cat_indicator ci ON ci.alias = ik.alias")] if trimmed else [
             "LEFT JOIN cat_region_alias ra ON ra.alias = s.region",
             "LEFT JOIN cat_indicator ci ON ci.alias = s.indicator"]
    expr = {"_vcol": "NULL::VARCHAR", "unit_factor": "1.0", "value_pct": "false",
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
    if "unit" in present or trimmed:
        # The second pass also takes a unit written after an indicator's name: 产值（亿元）.
        unit = (f"coalesce(nullif({normalised_sql('s.unit')}, ''), ik.unit)" if "unit" in present
                else "ik.unit") if trimmed else "s.unit"
        vary("unit_factor", f"CASE WHEN coalesce(nullif({unit}, ''), ci.unit) = ci.unit "
                            "THEN 1.0 ELSE uf.factor END")
        joins.append(f"LEFT JOIN cat_unit_factor uf ON uf.from_unit = {unit} "
                     "AND uf.to_unit = ci.unit")
    if trimmed:
        vary("value_pct", percent_sql("s.value"))
    if "status" in present:
        vary("status_clean", f"coalesce(nullif(trim(s.status), ''), {_literal(status)})")
    if "qualifier" in present or trimmed:
        given = "nullif(trim(s.qualifier), '')" if "qualifier" in present else "NULL"
        prefix = prefix_qualifier_sql("s.value") if trimmed else "NULL"
        vary("qualifier_clean", f"coalesce({prefix}, {given}, 'eq')")
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


def _name_keys(con: duckdb.DuckDBPyConnection, catalog: Catalog | None) -> None:
    """Temp tables region_keys (raw, key) and indicator_keys (raw, alias, unit): each distinct
    cell as written and the name to look it up by (names.name_key); for an indicator also the
    unit in brackets after it (数字经济增加值（亿元） → 数字经济增加值, 亿元)."""
    regions = [(raw, name_key(raw)[0]) for (raw,) in con.execute(
        "SELECT DISTINCT region FROM staged WHERE region IS NOT NULL").fetchall()]
    indicators = []
    for (raw,) in con.execute(
            "SELECT DISTINCT indicator FROM staged WHERE indicator IS NOT NULL").fetchall():
        key = name_key(raw)[0]
        kind = classify(key, catalog) if catalog is not None else None
        if kind is not None and kind.kind == "indicator":
            indicators.append((raw, kind.name, kind.unit or None))
        else:
            indicators.append((raw, key, None))
    for name, rows, columns in (("region_keys", regions, ["raw", "key"]),
                                ("indicator_keys", indicators, ["raw", "alias", "unit"])):
        con.register(f"{name}_df", pd.DataFrame(rows, columns=columns, dtype="string"))
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(f"{name}_df")


def _period_sql(cell: str) -> str:
    """SQL: a period as people write it, in the store's form where it has one (2022年 → 2022,
    2022年9月 → 2022-09, 2016—2021年 → 2016-2021); anything else as written, to be refused."""
    p = (f"translate(trim(coalesce({cell}, '')), '０１２３４５６７８９—－–～至', "
         "'0123456789-----')")
    month = r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月份?$"
    span = r"^([0-9]{4})\s*-\s*([0-9]{4})\s*年?$"
    return (f"CASE WHEN regexp_matches({p}, '{month}') THEN "
            f"regexp_extract({p}, '{month}', 1) || '-' || lpad(regexp_extract({p}, '{month}', 2), 2, '0') "
            f"WHEN regexp_matches({p}, '{span}') THEN "
            f"regexp_extract({p}, '{span}', 1) || '-' || regexp_extract({p}, '{span}', 2) "
            f"ELSE rtrim({p}, '年度') END")


def resolve_totals(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> dict:
    """Give the 全省/合计 rows of each source the region they stand for, where the other rows
    say which (WHOLE_WORDS, SUM_WORDS); returns {(src, row): why not} for those left unresolved
    and writes what was resolved to temp table `validation_notices`."""
    con.execute("CREATE TEMP TABLE IF NOT EXISTS validation_notices (_src INTEGER, _row BIGINT, "
                "message VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE sum_rows (_src INTEGER, _row BIGINT)")
    words = ", ".join(_literal(w) for w in WHOLE_WORDS + SUM_WORDS)
    rows = con.execute(f"""SELECT DISTINCT c._src, c._row, rk.key FROM checked c
        JOIN staged s ON s._src = c._src AND s._row = c._row
        JOIN region_keys rk ON rk.raw = s.region
        WHERE c.region_code IS NULL AND rk.key IN ({words})""").fetchall()
    why: dict = {}
    by_src: dict[int, list[tuple[int, str]]] = {}
    for src, row, word in rows:
        by_src.setdefault(src, []).append((row, word))
    for src, totals in by_src.items():
        codes = [r[0] for r in con.execute(
            "SELECT DISTINCT region_code FROM checked WHERE _src = ? AND region_code IS NOT NULL",
            [src]).fetchall()]
        found = [catalog.region(c) for c in codes]
        parents = sorted({r.parent for r in found})
        levels = sorted({r.level for r in found})
        for row, word in totals:
            if not found:
                why[(src, row)] = "表中没有其他地区，无法确定所指"
                continue
            if len(parents) != 1 or len(levels) != 1 or not parents[0]:
                names = "、".join(catalog.region(p).name for p in parents if p) or "不同层级"
                why[(src, row)] = f"表中其他各行分属 {names}，无法确定所指"
                continue
            parent = catalog.region(parents[0])
            units = catalog.regions(level=levels[0], parent=parent.code)
            if word == "小计":
                why[(src, row)] = "小计是部分地区之和，不是一个地区"
                continue
            if word in SUM_WORDS and {u.code for u in units} != set(codes):
                why[(src, row)] = (f"表中只列出{parent.name}的 {len(units)} 个下级地区中的 "
                                   f"{len(set(codes) & {u.code for u in units})} 个，合计不是"
                                   f"{parent.name}的数")
                continue
            con.execute("UPDATE checked SET region_code = ? WHERE _src = ? AND _row = ?",
                        [parent.code, src, row])
            if word in SUM_WORDS:
                con.execute("INSERT INTO sum_rows VALUES (?, ?)", [src, row])
            basis = (f"表中各行为{parent.name}的全部 {len(units)} 个下级地区"
                     if word in SUM_WORDS else f"表中其他各行都属于{parent.name}")
            con.execute("INSERT INTO validation_notices VALUES (?, ?, ?)",
                        [src, row, f"「{word}」按「{parent.name}」（{parent.code}）导入：{basis}"])
    return why


def validate_staged(con: duckdb.DuckDBPyConnection, catalog: Catalog,
                    defaults: dict[str, str]) -> tuple[int, list[Problem], Checked]:
    """Resolve `staged` into temp table `checked`; return (error count, first problems, how
    to read `checked`)."""
    chk = check_staged(con, defaults, catalog)
    totals = (resolve_totals(con, catalog) if con.execute(
        "SELECT EXISTS (SELECT 1 FROM checked WHERE region_code IS NULL)").fetchall()[0][0]
        else {})
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
    # A value that is no finite number is refused as such (code V), not also as out of range.
    finite = "NOT (isnan(value_num) OR isinf(value_num))"
    negative = (f"k.kind IN {NON_NEGATIVE_KINDS} AND {value_std()} < 0 AND {finite}" if plausible
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
        CASE WHEN k.kind = 'share' AND k.unit = '%' AND {finite} AND ({value_std()} < 0 OR {value_std()} > 100) THEN {{'field': 'value', 'found': CAST({value_std()} AS VARCHAR), 'code': 'SH'}} END,
        CASE WHEN {c('value_pct')} AND k.unit <> '%' THEN {{'field': 'value', 'found': NULL, 'code': 'PCT:' || k.unit}} END,
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
         OR (k.kind = 'share' AND k.unit = '%' AND {finite} AND ({value_std()} < 0 OR {value_std()} > 100))
         OR ({c('value_pct')} AND k.unit <> '%')
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
    # In a wide table one row gives a staged row per value cell; a cell that is no value cell
    # (the region, or an indicator or period in a column of its own) is reported once, not
    # once for every value beside it.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE problems AS
        SELECT q.* FROM ({checks}) q JOIN staged_sources ss USING (_src)
        QUALIFY q._vcol IS NULL OR q.field NOT IN ('region', 'indicator', 'period')
             OR list_contains(string_split(coalesce(ss.melt_as, ''), ','), q.field)
             OR row_number() OVER (PARTITION BY q._src, q._row, q.field, q.code
                                   ORDER BY q._vcol) = 1""")
    if totals is not None and _has_temp_table(con, "sum_rows"):
        _check_sums(con, chk)
    if _has_temp_table(con, "subitems"):
        _check_parts(con, chk)
    if plausible:
        _magnitudes(con, chk)
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
    _number_notices(con, sources)
    lines = _repeated_headers(_file_lines_of(rows, sources), sources)
    total -= len(rows) - len(lines)
    return total, [_describe(catalog, sources, r, totals) for r in lines], chk


def _repeated_headers(rows: list[tuple], sources: dict[int, dict]) -> list[tuple]:
    """A data row whose region cell is the region column's own header (files joined one after
    another, each with its header) is one problem, said as such, not one per cell."""
    header_rows = {(src, line) for line, src, _v, field, found, code in rows
                   if field == "region" and code == "R" and found
                   and name_key(found)[0] == name_key(sources[src]["columns"].get("region")
                                                      or "")[0]}
    out = [r for r in rows if (r[1], r[0]) not in header_rows]
    out += [(line, src, None, "region", sources[src]["columns"]["region"], "HDR")
            for src, line in header_rows]
    return sorted(out, key=lambda r: (r[1], r[0], r[3]))


def _check_sums(con: duckdb.DuckDBPyConnection, chk: Checked) -> None:
    """A 合计 row taken for its region must be the sum of the rows it totals (levels and counts;
    SUM_TOLERANCE for the rounding of the parts): otherwise it is refused, naming the sum."""
    if not con.execute("SELECT count(*) FROM sum_rows").fetchall()[0][0]:
        return
    c = chk.col
    std = f"c.value_num * {c('unit_factor', 'c')}"
    con.execute(f"""INSERT INTO problems
        WITH parts AS (
            SELECT c._src, c.indicator_code, c.period_clean, sum({std}) AS s
            FROM checked c ANTI JOIN sum_rows r ON r._src = c._src AND r._row = c._row
            WHERE c._src IN (SELECT _src FROM sum_rows) AND c.region_code IS NOT NULL
            GROUP BY ALL)
        SELECT c._row, c._src, {c('_vcol', 'c')}, 'value', NULL,
               'SUM:' || CAST(p.s / {c('unit_factor', 'c')} AS VARCHAR)
        FROM checked c SEMI JOIN sum_rows r ON r._src = c._src AND r._row = c._row
        JOIN parts p ON p._src = c._src AND p.indicator_code = c.indicator_code
                    AND p.period_clean = c.period_clean
        JOIN cat_indicator_code k ON k.code = c.indicator_code
        WHERE k.kind IN {NON_NEGATIVE_KINDS}
          AND abs({std} - p.s) > {SUM_TOLERANCE} * greatest(abs(p.s), 1)""")


def _check_parts(con: duckdb.DuckDBPyConnection, chk: Checked) -> None:
    """A 其中 part (table.subitems) is never more than its whole, and the parts of a flat group
    add up to no more than it (levels and counts in the same unit, SUM_TOLERANCE): the same
    region and period with another indicator, or the same indicator for a region directly
    under the whole's."""
    c = chk.col
    con.execute(f"""INSERT INTO problems
        WITH pairs AS (
            SELECT si._src, si.whole, si.part, si.flat, {c('_vcol', 'w')} AS vcol,
                   w.value_num AS w_raw, ch.value_num AS p_raw, {c('unit_factor', 'w')} AS wf,
                   w.value_num * {c('unit_factor', 'w')} AS wv,
                   ch.value_num * {c('unit_factor', 'ch')} AS pv
            FROM subitems si
            JOIN checked w ON w._src = si._src AND w._row = si.whole
            JOIN checked ch ON ch._src = si._src AND ch._row = si.part
             AND {c('_vcol', 'ch')} IS NOT DISTINCT FROM {c('_vcol', 'w')}
            JOIN cat_indicator_code kw ON kw.code = w.indicator_code
            JOIN cat_indicator_code kp ON kp.code = ch.indicator_code
            LEFT JOIN cat_region cr ON cr.code = ch.region_code
            WHERE kw.kind IN {NON_NEGATIVE_KINDS} AND kp.kind IN {NON_NEGATIVE_KINDS}
              AND kw.unit = kp.unit AND w.period_clean = ch.period_clean
              AND ((w.region_code = ch.region_code AND w.indicator_code <> ch.indicator_code)
                   OR (w.indicator_code = ch.indicator_code AND cr.parent = w.region_code))),
        over AS (SELECT * FROM pairs WHERE pv > wv + {SUM_TOLERANCE} * greatest(abs(wv), 1))
        SELECT part, _src, vcol, 'value', CAST(p_raw AS VARCHAR),
               'PART:' || CAST(whole AS VARCHAR) || '|' || CAST(w_raw AS VARCHAR) FROM over
        UNION ALL
        SELECT whole, _src, vcol, 'value', CAST(sum(pv) / any_value(wf) AS VARCHAR),
               'PARTS:' || string_agg(CAST(part AS VARCHAR), '、' ORDER BY part) || '|'
               || CAST(any_value(w_raw) AS VARCHAR)
        FROM pairs p WHERE flat AND NOT EXISTS (
            SELECT 1 FROM over o WHERE o._src = p._src AND o.whole = p.whole
               AND o.vcol IS NOT DISTINCT FROM p.vcol)
        GROUP BY _src, whole, vcol
        HAVING count(*) > 1
           AND sum(pv) > any_value(wv) + {SUM_TOLERANCE} * greatest(abs(any_value(wv)), 1)""")


def _magnitudes(con: duckdb.DuckDBPyConnection, chk: Checked) -> None:
    """Problems for values MAGNITUDE_RATIO times the median of their peers (the same
    indicator, period and level of region, levels and counts only). One aggregation; the rows
    are looked at only in groups whose extremes are that far apart."""
    c = chk.col
    std = f"value_num * {c('unit_factor')}"
    level = "(CASE WHEN region_code LIKE '%0000' THEN 0 WHEN region_code LIKE '%00' THEN 1 ELSE 2 END)"
    # A cheap first look (one hash aggregate, no quantile): the groups whose largest value is
    # that many times the geometric mean of the others (a single wrong value always is; several
    # in one group may hide each other). Only those are looked at row by row.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE magnitude_groups AS
        SELECT indicator_code, period_clean, lvl FROM (
            SELECT indicator_code, period_clean, {level} AS lvl, count(*) AS n,
                   sum(ln({std})) AS s, max({std}) AS top
            FROM checked SEMI JOIN cat_indicator_code k
              ON k.code = indicator_code AND k.kind IN {NON_NEGATIVE_KINDS}
            WHERE region_code IS NOT NULL AND {std} > 0
            GROUP BY ALL)
        WHERE n >= {MAGNITUDE_PEERS} AND top >= {MAGNITUDE_RATIO} * exp((s - ln(top)) / (n - 1))""")
    if con.execute("SELECT count(*) FROM magnitude_groups").fetchall()[0][0]:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE magnitude_groups AS
            SELECT ch.indicator_code, ch.period_clean, g.lvl, median(ch.value_num * {c('unit_factor', 'ch')}) AS m
            FROM checked ch JOIN magnitude_groups g
              ON g.indicator_code = ch.indicator_code AND g.period_clean = ch.period_clean
             AND g.lvl = {level.replace('region_code', 'ch.region_code')}
            WHERE ch.value_num * {c('unit_factor', 'ch')} > 0
            GROUP BY ALL""")
        con.execute(f"""INSERT INTO problems
            SELECT ch._row, ch._src, {c('_vcol', 'ch')}, 'value', NULL,
                   'MAG:' || CAST(g.m / {c('unit_factor', 'ch')} AS VARCHAR)
            FROM checked ch JOIN magnitude_groups g
              ON g.indicator_code = ch.indicator_code AND g.period_clean = ch.period_clean
             AND g.lvl = {level.replace('region_code', 'ch.region_code')}
            WHERE ch.value_num * {c('unit_factor', 'ch')} >= {MAGNITUDE_RATIO} * g.m""")
    _history_magnitudes(con, chk)


def _history_magnitudes(con: duckdb.DuckDBPyConnection, chk: Checked) -> None:
    """Problems for values MAGNITUDE_RATIO times larger or smaller than the median of what the
    store holds for the same region and indicator (published or estimated, two periods or
    more): a whole file in the wrong unit has no peers to differ from, but it has a history."""
    if not _has_store(con):
        return
    c = chk.col
    std = f"ch.value_num * {c('unit_factor', 'ch')}"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE magnitude_history AS
        SELECT o.region_code, o.indicator AS indicator_code, median(o.value) AS m
        FROM observations o
        WHERE o.status IN ('published', 'estimated') AND o.value > 0
          AND o.indicator IN (SELECT DISTINCT indicator_code FROM checked)
          AND o.region_code IN (SELECT DISTINCT region_code FROM checked)
          AND o.indicator IN (SELECT code FROM cat_indicator_code
                              WHERE kind IN {NON_NEGATIVE_KINDS})
        GROUP BY ALL HAVING count(DISTINCT o.period) >= 2""")
    con.execute(f"""INSERT INTO problems
        SELECT ch._row, ch._src, {c('_vcol', 'ch')}, 'value', NULL,
               'HIST:' || CAST(h.m / {c('unit_factor', 'ch')} AS VARCHAR)
        FROM checked ch JOIN magnitude_history h
          ON h.region_code = ch.region_code AND h.indicator_code = ch.indicator_code
        WHERE {std} > 0 AND ({std} >= {MAGNITUDE_RATIO} * h.m OR {std} * {MAGNITUDE_RATIO} <= h.m)
          AND NOT EXISTS (SELECT 1 FROM problems p WHERE p._src = ch._src AND p._row = ch._row
                          AND p.code LIKE 'MAG:%')""")


def _number_notices(con: duckdb.DuckDBPyConnection, sources: dict[int, dict]) -> None:
    """Turn the rows of `validation_notices` into file lines (CSV positions) and final text."""
    if not _has_temp_table(con, "validation_notices"):
        return
    rows = con.execute("SELECT _src, _row, message FROM validation_notices").fetchall()
    fixed = [(src, line, f"{where(sources[src])}:{line}: {message}")
             for line, src, _v, _f, message, _c in _file_lines_of(
                 [(row, src, None, "", msg, "NOTE") for src, row, msg in rows], sources)]
    con.execute("DELETE FROM validation_notices")
    if fixed:
        con.executemany("INSERT INTO validation_notices VALUES (?, ?, ?)", fixed)


def validation_notices(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What validation read in a way worth saying (a 合计 row taken for its province …)."""
    if not _has_temp_table(con, "validation_notices"):
        return []
    return [r[0] for r in con.execute(
        "SELECT message FROM validation_notices ORDER BY _src, _row").fetchall()]


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


def _describe(catalog: Catalog, sources: dict[int, dict], row: tuple,
              totals: dict | None = None) -> Problem:
    line, src, vcol, field, found, code = row
    source = sources[src]
    # In a wide layout the value (and the fields its header gives) came from the cell's column.
    melted = field == "value" or field in (source["melt_as"] or "").split(",")
    column = (vcol if vcol and melted else source["columns"].get(field)) or field
    file, sheet = source["file"], source["sheet"]
    found = "" if found is None else str(found)
    if code == "RAW":  # the reader's own problem: column and message as it gave them
        return Problem(file, sheet, int(line), vcol or "", found)
    return Problem(file, sheet, int(line), column, _message(catalog, sources, src, line, found,
                                                            code, totals or {}))


def _message(catalog: Catalog, sources: dict[int, dict], src: int, line: int, found: str,
             code: str, totals: dict) -> str:
    """The Chinese message of one problem: 发现…，应为…"""
    if code == "R":
        return _region_message(catalog, found, totals.get((src, line)))
    if code == "HDR":
        return (f"发现第 {line} 行是又一行表头（地区列写着「{found}」），应为每个文件只有一行表头："
                "文件可能由几个表首尾拼接而成，请删去这一行（或分成几个文件导入）")
    if code == "I":
        near = catalog.suggest_indicators(found) if found else []
        hint = f"；最接近：{'、'.join(near)}" if near else ""
        shown = f"「{found}」" if found else "空指标"
        return f"发现{shown}，应为已登记的指标代码或中文名{hint}"
    if code == "P":
        why = ""
        if "季" in found or "半年" in found or "Q" in found.upper():
            why = "；季度、半年的数据在库中没有对应的时期，请按年或按月填报"
        elif re.search(r"月.*[-—–~～至]|[-—–~～至].*月", found):
            why = "；累计期（如 1-9月）在库中没有对应的时期，请填全年或单月的数"
        elif relative_period(found):
            why = "；「本年」「上年」「同期」等所指的年份表中没有写明，不能推断，请写明年份或月份"
        elif "内置格式" in found:
            why = "；请把单元格设为文本填写时期（如 2022-11），或设为自定义格式 yyyy-mm / yyyy\"年\"m\"月\""
        elif FLOAT_TEXT.match(found):
            why = f"；它像是被程序存成小数的年份（{found}），请写 {found.split('.')[0]}"
        elif re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", found):
            why = ("；库中的时期是年、月或年份区间，没有某一天：年末数请填年份（如 2022），"
                   "月度数请填月份（如 2022-12）")
        return (f"发现「{found}」，应为时期格式 YYYY、YYYY-MM 或 YYYY-YYYY"
                f"（如 2021、2021年、2021-12、2021年12月、2016-2021）{why}")
    if code == "PI":
        low, high = PLAUSIBLE_YEARS
        return (f"发现「{found}」，应为 {low}–{high} 年间、起年早于止年的时期"
                f"（如 2021、2016-2021）；{OVERRIDE}")
    if code == "V":
        text = found.strip()
        if text in ELLIPSIS:
            return (f"发现「{text}」，应为数值：「{text}」既可表示“数值小于最小单位”，也可表示"
                    "“不详”，无法确定；有数请填数（很小的数可写 <0.1），无数据请留空或填「—」")
        if not text:
            return "发现空值，应为数值"
        comma = "（小数点用「.」，千位分隔符「,」只能每三位一个）" if "," in text or "，" in text else ""
        unit = re.match(r"^[+-]?[0-9.,]+\s*([^\s0-9.,]+)$", text)
        if unit and (unit.group(1) in UNIT_WORDS or any(
                u.unit == unit.group(1) for u in catalog.units())):
            comma += (f"：单元格里写了单位「{unit.group(1)}」，请只填数值，单位写在表头"
                      "（如 数值（亿元））或单位列")
        dash = re.match(r"^([—–―]+)\s*[0-9０-９]", text)
        if dash:  # a dash is no minus sign (values.py): say so, and how to write either
            comma += (f"：「{dash.group(1)}」是破折号，不是负号；负数请写 -{text[dash.end() - 1:]}，"
                      f"无数据请只填「{dash.group(1)}」")
        return f"发现「{found}」，应为数值{comma}"
    if code.startswith("U:"):
        return f"发现单位「{found}」，应为可换算为「{code[2:]}」的单位"
    if code == "S":
        return f"发现「{found}」，应为状态之一：{' / '.join(STATUSES)}"
    if code == "Q":
        return f"发现「{found}」，应为限定词之一：{' / '.join(QUALIFIERS)}"
    if code == "D":
        return f"发现「{found}」，应为版本日期 YYYY-MM-DD（用 --vintage 指定）"
    if code == "FV":
        return f"发现 {found}，应为不晚于今天（{dt.date.today()}）的版本日期（{OVERRIDE}）"
    if code == "SRC":
        return "发现空来源，应为数据来源（列 source 或 --source）"
    if code.startswith("SH"):
        return f"发现 {_num(found)}%，应为比重在 0–100 之间"
    if code.startswith("PCT:"):
        sign = "千分号" if "‰" in found else "百分号"
        return (f"发现「{found}」带{sign}，应为以「{code[4:]}」计的数值："
                "该指标不是百分比，请核对列或指标")
    if code.startswith("SUM:"):
        return (f"发现合计「{found}」与表中各行之和 {_num(code[4:])} 不符，应为各行之和："
                "请核对合计或各行；若它是另有来源的总数，请在地区列写明所指地区（如省名）")
    if code.startswith("PART:"):
        row, whole = code[5:].split("|")
        return (f"发现其中项 {_num(found)} 大于第 {row} 行所属项的 {_num(whole)}，应为不大于所属项："
                "请核对数值与单位；若这一行不是其中项，请删去行首的空格或「其中」")
    if code.startswith("PARTS:"):
        rows, whole = code[6:].split("|")
        return (f"发现第 {rows} 行各其中项之和 {_num(found)} 大于所属项 {_num(whole)}，"
                "应为其中项之和不大于所属项：请核对各其中项与所属项")
    if code.startswith(("MAG:", "HIST:")):
        ref = code.split(":", 1)[1]
        try:
            times = float(found.replace(",", "")) / float(ref)
        except (ValueError, ZeroDivisionError):
            times = 0
        ratio = (f"约为其 {times:,.0f} 倍" if times >= 1 else
                 f"约为其 1/{1 / times:,.0f}" if times else "")
        if code.startswith("MAG:"):
            return (f"发现「{found}」（同一指标、时期其他地区的中位数为 {_num(ref)}，{ratio}），"
                    "应为与其他地区同一单位的数值：请核对单位（如万元误作亿元）后改正；"
                    f"{OVERRIDE}")
        return (f"发现「{found}」（库中同一地区、同一指标的中位数为 {_num(ref)}，{ratio}），"
                f"应为与库中数值同一单位的数：请核对单位（如万元误作亿元）后改正；{OVERRIDE}")
    if code.startswith("NEG:"):
        what = "计数" if code == "NEG:count" else "总量"
        return f"发现 {_num(found)}，应为不为负的{what}（如确为负值，用 --allow-implausible 导入）"
    if code == "DUP":
        first_src, first_row = found.split("|")
        other = "" if int(first_src) == src else f" {where(sources[int(first_src)])} "
        return (f"发现与{other}第 {first_row} 行重复的键（地区×指标×时期×状态×来源），"
                "应为每个键在一批中只出现一次")
    if code.startswith("CONFLICT:"):
        old, vintage = code[len("CONFLICT:"):].split("|")
        return (f"发现 {_num(found)}，应为与库中同一版本（{vintage}）的已存值 {_num(old)} 一致；"
                "修订请用新的 --vintage")
    return f"发现「{found}」，应为可导入的值"  # pragma: no cover - every code is handled above


def _region_message(catalog: Catalog, found: str, total_why: str | None) -> str:
    if total_why:
        return (f"发现「{found}」（{total_why}），应为地区名称：删去这一行，"
                "或写明它所指的地区（如省名）")
    if not found:
        return "发现空地区，应为已登记的地区名称或 GB/T 2260 代码（全称、简称或六位代码）"
    try:
        catalog.region(found)
    except AmbiguousNameError as exc:
        return (f"发现「{found}」，可指 {'、'.join(exc.candidates)}，应为唯一的地区名称："
                "写六位代码或带上级的名称")
    except UnknownNameError:
        pass
    near = catalog.suggest_regions(found)
    hint = f"；最接近：{'、'.join(near)}" if near else ""
    if FLOAT_TEXT.match(found) and len(found.split(".")[0]) == 6:
        hint = f"；它像是被程序存成小数的代码（{found}），请写六位代码 {found.split('.')[0]}"
    return (f"发现「{found}」，应为已登记的地区名称或 GB/T 2260 代码"
            f"（全称、简称或六位代码）{hint}")


def _num(text: str) -> str:
    try:
        return f"{float(text):.10g}"
    except ValueError:
        return text

