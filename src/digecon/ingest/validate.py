"""Whole-batch validation in DuckDB: every problem of a staged batch found in one pass.

A batch is staged as a DuckDB table `staged` of strings with its own row numbers and, per
field, the name of the column it came from (so errors can point at file:row:column).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import duckdb
import pandas as pd

from digecon.catalog import Catalog

from .sources import source_map
from digecon.store.schema import QUALIFIERS, STATUSES

FIELDS = ("region", "indicator", "period", "value", "unit", "status", "qualifier", "vintage",
          "source", "section", "ref", "quote", "formula", "inputs", "note")

PERIOD_RE = r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$|^[0-9]{4}-[0-9]{4}$"
MAX_ERRORS_SHOWN = 500


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
    tables = {
        "cat_region_alias": pd.DataFrame(list(aliases.items()), columns=["alias", "code"]),
        "cat_indicator": pd.DataFrame(list(indicators.values()),
                                      columns=["alias", "code", "unit", "kind"]),
        "cat_unit": pd.DataFrame([(u.unit, u.dimension, float(u.factor)) for u in catalog.units()],
                                 columns=["unit", "dimension", "factor"]),
    }
    for name, frame in tables.items():
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(f"{name}_df")


def _problems(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def validate_staged(con: duckdb.DuckDBPyConnection, catalog: Catalog,
                    defaults: dict[str, str]) -> tuple[int, list[Problem]]:
    """Resolve `staged` into temp table `checked`; return (error count, first problems)."""
    d = {k: (v or "").replace("'", "''") for k, v in defaults.items()}
    con.execute(f"""
    CREATE OR REPLACE TEMP VIEW resolved AS
    SELECT s._src, s._row, s._vcol, s.section, s.ref, s.quote, s.formula, s.inputs, s.note,
        ra.code AS region_code,
        ci.code AS indicator_code, ci.unit AS ind_unit, ci.kind AS ind_kind,
        rtrim(trim(coalesce(s.period, '')), '年') AS period_clean,
        TRY_CAST(replace(trim(s.value), ',', '') AS DOUBLE) AS value_num,
        coalesce(nullif(trim(s.unit), ''), ci.unit) AS unit_in,
        coalesce(nullif(trim(s.status), ''), '{d.get("status", "published")}') AS status_clean,
        coalesce(nullif(trim(s.qualifier), ''), 'eq') AS qualifier_clean,
        coalesce(nullif(trim(s.vintage), ''), '{d.get("vintage", "")}') AS vintage_raw,
        coalesce(nullif(trim(s.source), ''), '{d.get("source", "")}') AS source_clean
    FROM staged s
    LEFT JOIN cat_region_alias ra ON ra.alias = trim(s.region)
    LEFT JOIN cat_indicator ci ON ci.alias = trim(s.indicator)
    """)
    con.execute("""
    CREATE OR REPLACE TEMP TABLE checked AS
    SELECT r.*,
        TRY_CAST(r.vintage_raw AS DATE) AS vintage_date,
        CASE WHEN r.unit_in = r.ind_unit THEN 1.0
             ELSE uf.factor / ut.factor END AS unit_factor,
        r.value_num * CASE WHEN r.unit_in = r.ind_unit THEN 1.0
             ELSE uf.factor / ut.factor END AS value_std
    FROM resolved r
    LEFT JOIN cat_unit uf ON uf.unit = r.unit_in
    LEFT JOIN cat_unit ut ON ut.unit = r.ind_unit AND ut.dimension = uf.dimension
    """)
    statuses = ", ".join(f"'{s}'" for s in STATUSES)
    quals = ", ".join(f"'{q}'" for q in QUALIFIERS)
    # Periods repeat a lot: test each distinct spelling once instead of a regex per row.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE bad_periods AS
        SELECT DISTINCT period_clean FROM checked
        WHERE NOT regexp_matches(period_clean, '{PERIOD_RE}')""")
    # Duplicate keys: group on one 64-bit hash per key (far faster than on eight strings);
    # the few candidate rows are then compared on the exact key.
    con.execute("""CREATE OR REPLACE TEMP TABLE dup_candidates AS
        SELECT _src, unnest(rows) AS _row FROM (
            SELECT _src, list(_row) AS rows FROM checked
            WHERE region_code IS NOT NULL AND indicator_code IS NOT NULL
            GROUP BY _src, hash(region_code, indicator_code, period_clean, status_clean,
                                qualifier_clean, source_clean, coalesce(ref, ''))
            HAVING count(*) > 1)""")
    # One scan of `checked`: each row yields a list of (column, field, found, code) problems.
    checks = f"""
    SELECT _row, _src, _vcol, p.field, p.found, p.code FROM (
      SELECT _row, _src, _vcol, unnest(list_filter([
        CASE WHEN region_code IS NULL THEN {{'field': 'region', 'found': NULL, 'code': 'R'}} END,
        CASE WHEN indicator_code IS NULL THEN {{'field': 'indicator', 'found': NULL, 'code': 'I'}} END,
        CASE WHEN period_clean IN (SELECT period_clean FROM bad_periods) THEN {{'field': 'period', 'found': NULL, 'code': 'P'}} END,
        CASE WHEN value_num IS NULL OR isnan(value_num) OR isinf(value_num) THEN {{'field': 'value', 'found': NULL, 'code': 'V'}} END,
        CASE WHEN indicator_code IS NOT NULL AND unit_factor IS NULL THEN {{'field': 'unit', 'found': unit_in, 'code': 'U:' || ind_unit}} END,
        CASE WHEN status_clean NOT IN ({statuses}) THEN {{'field': 'status', 'found': status_clean, 'code': 'S'}} END,
        CASE WHEN qualifier_clean NOT IN ({quals}) THEN {{'field': 'qualifier', 'found': qualifier_clean, 'code': 'Q'}} END,
        CASE WHEN vintage_date IS NULL THEN {{'field': 'vintage', 'found': vintage_raw, 'code': 'D'}} END,
        CASE WHEN source_clean = '' THEN {{'field': 'source', 'found': '', 'code': 'SRC'}} END,
        CASE WHEN ind_kind = 'share' AND ind_unit = '%' AND (value_std < 0 OR value_std > 100) THEN {{'field': 'value', 'found': CAST(value_std AS VARCHAR), 'code': 'SH:' || unit_in}} END,
        CASE WHEN ind_kind = 'count' AND value_std < 0 THEN {{'field': 'value', 'found': CAST(value_std AS VARCHAR), 'code': 'NEG'}} END
      ], lambda x: x IS NOT NULL)) AS p
      FROM checked
      WHERE region_code IS NULL OR indicator_code IS NULL OR value_num IS NULL
         OR isnan(value_num) OR isinf(value_num) OR unit_factor IS NULL OR vintage_date IS NULL
         OR source_clean = '' OR status_clean NOT IN ({statuses})
         OR qualifier_clean NOT IN ({quals})
         OR period_clean IN (SELECT period_clean FROM bad_periods)
         OR (ind_kind = 'share' AND ind_unit = '%' AND (value_std < 0 OR value_std > 100))
         OR (ind_kind = 'count' AND value_std < 0))
    UNION ALL
    SELECT _row, _src, NULL, 'key', CAST(first_row AS VARCHAR), 'DUP' FROM (
        SELECT c._row, c._src,
               min(c._row) OVER (PARTITION BY c._src, c.region_code, c.indicator_code,
                   c.period_clean, c.status_clean, c.qualifier_clean, c.source_clean,
                   coalesce(c.ref, '')) AS first_row
        FROM checked c SEMI JOIN dup_candidates d ON c._src = d._src AND c._row = d._row)
    WHERE _row <> first_row
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE problems AS {checks}")
    if _has_store(con) and con.execute("SELECT count(*) > 0 FROM observations").fetchone()[0]:
        con.execute("""
        INSERT INTO problems
        SELECT c._row, c._src, c._vcol, 'value', CAST(c.value_std AS VARCHAR),
               'CONFLICT:' || CAST(o.value AS VARCHAR) || '|' || CAST(o.vintage AS VARCHAR)
        FROM checked c JOIN observations o
          ON o.region_code = c.region_code AND o.indicator = c.indicator_code
         AND o.period = c.period_clean AND o.status = c.status_clean
         AND o.qualifier = c.qualifier_clean AND o.source = c.source_clean
         AND o.ref = coalesce(c.ref, '') AND o.vintage = c.vintage_date
        WHERE abs(o.value - c.value_std) > 1e-9 * greatest(abs(o.value), 1)
        """)
    total = con.execute("SELECT count(*) FROM problems").fetchone()[0]
    # The raw text of a bad cell is looked up only for the rows shown (a second read of the
    # file, paid only when there are problems), so `checked` need not carry it.
    rows = con.execute(f"""
        WITH shown AS (SELECT * FROM problems ORDER BY 2, 1, 4 LIMIT {MAX_ERRORS_SHOWN})
        SELECT p._row, p._src, p._vcol, p.field,
               coalesce(p.found, CASE p.field WHEN 'region' THEN trim(s.region)
                                              WHEN 'indicator' THEN trim(s.indicator)
                                              WHEN 'period' THEN s.period
                                              WHEN 'value' THEN coalesce(s.value, '') END),
               p.code
        FROM shown p LEFT JOIN staged s ON s._src = p._src AND s._row = p._row
             AND s._vcol IS NOT DISTINCT FROM p._vcol
        ORDER BY 2, 1, 4""").fetchall()
    sources = source_map(con)
    return total, [_describe(catalog, sources, r) for r in rows]


def _has_store(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                            "'observations' AND NOT temporary").fetchone()[0])


def _describe(catalog: Catalog, sources: dict[int, dict], row: tuple) -> Problem:
    line, src, vcol, field, found, code = row
    source = sources[src]
    # In a wide layout the value (and the melted field) came from the cell's own column.
    melted = field in ("value", source["melt_as"])
    column = (vcol if vcol and melted else source["columns"].get(field)) or field
    file, sheet = source["file"], source["sheet"]
    found = "" if found is None else str(found)
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
    elif code == "V":
        msg = (f"found 「{found}」, expected 数值" if found.strip()
               else "found 空值, expected 数值")
    elif code.startswith("U:"):
        msg = f"found 单位「{found}」, expected 可换算为「{code[2:]}」的单位"
    elif code == "S":
        msg = f"found 「{found}」, expected 状态之一：{' / '.join(STATUSES)}"
    elif code == "Q":
        msg = f"found 「{found}」, expected 限定词之一：{' / '.join(QUALIFIERS)}"
    elif code == "D":
        msg = f"found 「{found}」, expected 版本日期 YYYY-MM-DD（用 --vintage 指定）"
    elif code == "SRC":
        msg = "found 空来源, expected 数据来源（列 source 或 --source）"
    elif code.startswith("SH:"):
        msg = f"found {_num(found)}%, expected 比重在 0–100 之间"
    elif code == "NEG":
        msg = f"found {_num(found)}, expected 计数不为负"
    elif code == "DUP":
        msg = f"found 与第 {found} 行重复的键（地区×指标×时期×状态×来源）, expected 每个键只出现一次"
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


def closest(word: str, options: list[str]) -> list[str]:
    return difflib.get_close_matches(word, options, n=3, cutoff=0.5)
