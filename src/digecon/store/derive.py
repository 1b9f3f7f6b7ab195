"""Derived indicators: the catalog's relations (digecon.catalog.relations) computed in DuckDB.

Every indicator whose catalog `formula` parses is derived for any region and period whose
inputs the store holds, by SQL generated from its Relation (the relation's expression tree is
the only definition of the arithmetic). Each derived row keeps its formula with the numbers,
its inputs (with their vintages) as JSON, the output's unit from the catalog, and a status no
better than its inputs': a share computed from illustrative values is illustrative.
Synthetic results (generated records) are never combined with other data.

A derived value is computed at every vintage at which the value chosen for one of its inputs
changes, so `as_of` queries see the value that could have been computed on that date. The
inputs are chosen as every reader chooses a cell (schema.CHOICE_ORDER_SQL), among the rows
of the same kind (synthetic or not) known at that vintage.
"""
from __future__ import annotations

from functools import lru_cache

import duckdb

from digecon.catalog import Catalog, get_catalog
from digecon.catalog.relations import Expr, Relation, fold, relations_of

from .schema import CHOICE_ORDER_SQL

DERIVE_SOURCE = "digecon 派生计算"

POOL = "derive_pool"    # the input and derived rows of the regions at hand (temp table)
NEW_ROWS = "derive_new"  # one stage's rows computed

# Result digits in the formula text: a sum or difference of stated numbers is exact, a
# quotient is shown to six significant digits (12.6055).
_EXACT_KINDS = ("sum", "difference")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_POOL_EXTRA = (
    "CASE WHEN regexp_full_match(period, '[0-9]{4}') THEN CAST(period AS BIGINT) END AS year, "
    "status = 'synthetic' AS synthetic")


def derive_for_regions(con: duckdb.DuckDBPyConnection, regions: list[str], batch_id: int,
                       *, catalog: Catalog | None = None) -> int:
    """Append any derived values that are new for these regions; returns rows written.

    `catalog` (default: `get_catalog()`) gives the relations and the output units.
    """
    if not regions:
        return 0
    catalog = catalog if catalog is not None else get_catalog()
    stages = _stages(relations_of(catalog))
    if not stages:
        return 0
    codes = sorted({t.indicator for s in stages for r in s for t in r.terms}
                   | {r.output for s in stages for r in s})
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {POOL} AS
        SELECT obs_id, region_code, indicator, period, value, status, vintage, source, ref,
               batch_id, {_POOL_EXTRA}
        FROM observations
        WHERE qualifier = 'eq' AND NOT isnan(value)
          AND indicator IN (SELECT unnest(?::VARCHAR[]))
          AND region_code IN (SELECT unnest(?::VARCHAR[]))""", [codes, list(regions)])
    first_id = con.execute("SELECT coalesce(max(obs_id), 0) + 1 FROM observations"
                           ).fetchall()[0][0]
    written = 0
    try:
        # Relations of one stage do not read each other's results: one statement per stage
        # (planning a statement costs more than these small tables' work).
        for stage in stages:
            units = tuple(catalog.indicator(r.output).unit for r in stage)
            n = con.execute(f"""CREATE OR REPLACE TEMP TABLE {NEW_ROWS} AS
                SELECT {int(first_id) + written} - 1 + row_number() OVER (
                           ORDER BY rel_order, region_code, period, synthetic, vintage) AS obs_id,
                       * EXCLUDE (rel_order, synthetic)
                FROM ({_stage_sql(tuple(stage), units)})""").fetchall()[0][0]
            if n:
                _store_rows(con, batch_id)
            written += int(n)
    finally:
        for table in (POOL, NEW_ROWS):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return written


def _stages(relations: tuple[Relation, ...]) -> list[list[Relation]]:
    """The relations in dependency stages: each one stage after those whose outputs it reads
    (relations_of lists producers first)."""
    level: dict[str, int] = {}
    for rel in relations:
        level[rel.output] = 1 + max((level.get(i, -1) for i in rel.inputs), default=-1)
    if not level:
        return []
    return [[r for r in relations if level[r.output] == n]
            for n in range(max(level.values()) + 1)]


def sql_expression(expr: Expr, operand: list[str]) -> str:
    """The relation's expression tree as a DuckDB expression over the operands' SQL."""
    def binary(op: str, a: str, b: str) -> str:
        return f"power({a}, {b})" if op == "^" else f"({a} {op} {b})"

    return fold(expr, lambda i: operand[i], lambda v: f"{float(v)!r}::DOUBLE", binary)


def _formula_format(rel: Relation) -> str:
    """A DuckDB format() string: the catalog's formula, the arithmetic with the inputs' numbers
    ({0:.10g} …) and the result: `di_va / de_va × 100 = 1308.2 / 10378 × 100 = 12.6055`."""
    n = len(rel.terms)
    digits = 10 if rel.kind in _EXACT_KINDS else 6
    numbers = rel.template([f"{{{i}:.10g}}" for i in range(n)])
    escaped = rel.formula.replace("{", "{{").replace("}", "}}")
    return f"{escaped} = {numbers} = {{{n}:.{digits}g}}"


def _input_json_sql() -> str:
    """One input row as JSON (indicator, region, period, value, status, vintage, source)."""
    # Only finite inputs make a row (the relation's conditions), so a value's text is JSON.
    return ("""'{"indicator": ' || to_json(indicator) || ', "region": ' """
            """|| to_json(region_code) || ', "period": ' || to_json(period) """
            """|| ', "value": ' || CAST(value AS VARCHAR) || ', "status": ' || to_json(status) """
            """|| ', "vintage": "' || strftime(vintage, '%Y-%m-%d') """
            """|| '", "source": ' || to_json(source) || '}'""")


def _case(stage: tuple[Relation, ...], sql_of) -> str:
    """CASE rel WHEN n THEN sql_of(relation n) … END: the one place a stage's relations differ."""
    whens = " ".join(f"WHEN {n} THEN {sql_of(rel)}" for n, rel in enumerate(stage))
    return f"CASE rel {whens} END"


@lru_cache(maxsize=64)
def _stage_sql(stage: tuple[Relation, ...], units: tuple[str, ...]) -> str:
    """One stage's new rows: per relation, target (region, period, kind) and vintage at which
    the chosen value of an input changes, the output with status, formula and inputs.

    The stage's relations share one query (a statement per relation cost more than the
    work); their terms are a small table, their arithmetic one CASE over the relation.
    Relations and units are cached with the catalog, so this text is built once per catalog.
    """
    source = _lit(DERIVE_SOURCE)
    width = max(len(rel.terms) for rel in stage)
    terms = ", ".join(f"({n}, {i}, {_lit(t.indicator)}, {t.offset}, {_lit(rel.output)}, "
                      f"{len(rel.terms)})"
                      for n, rel in enumerate(stage) for i, t in enumerate(rel.terms))
    xs = [f"x{i}" for i in range(width)]
    values = ", ".join(f"max(value) FILTER (WHERE term = {i}) AS x{i}" for i in range(width))

    def defined(rel: Relation) -> str:
        used = xs[:len(rel.terms)]
        value = sql_expression(rel.expression, used)
        return " AND ".join(
            [f"isfinite({x})" for x in used] + [f"isfinite({value})"]
            + [f"{sql_expression(e, used)} {'<> 0' if test == 'nonzero' else '> 0'}"
               for test, e in rel.conditions])

    def formula(rel: Relation) -> str:
        return f"format({_lit(_formula_format(rel))}, {', '.join(xs[:len(rel.terms)])}, value)"

    unit_of = dict(zip(stage, units))
    return f"""
        WITH terms(rel, term, indicator, lag, output, width) AS (VALUES {terms}),
        c AS (  -- each term's candidate rows, keyed by the target period (t = period − offset)
            SELECT m.rel, m.term, m.width, m.output, p.region_code, p.synthetic,
                   CASE WHEN m.lag = 0 THEN p.period ELSE CAST(p.year - m.lag AS VARCHAR) END
                       AS target,
                   p.obs_id, p.batch_id, p.indicator, p.period, p.value, p.status, p.vintage,
                   p.source
            FROM {POOL} p JOIN terms m ON p.indicator = m.indicator
            WHERE NOT (p.source = {source} AND p.ref = m.output)
              AND (m.lag = 0 OR p.year IS NOT NULL)),
        events AS (  -- the vintages of a target whose every term has a candidate
            SELECT DISTINCT rel, region_code, synthetic, target, vintage AS v
            FROM c SEMI JOIN (SELECT rel, region_code, synthetic, target FROM c GROUP BY ALL
                              HAVING count(DISTINCT term) = any_value(width)) k
                   USING (rel, region_code, synthetic, target)),
        chosen AS (  -- each term's value as chosen at that vintage
            SELECT e.v, c.*, {_input_json_sql()} AS j
            FROM events e JOIN c USING (rel, region_code, synthetic, target)
            WHERE c.vintage <= e.v
            QUALIFY row_number() OVER (PARTITION BY rel, region_code, synthetic, target, e.v,
                                                    term
                                       ORDER BY {CHOICE_ORDER_SQL}) = 1),
        computed AS (
            SELECT rel, any_value(output) AS output, region_code, synthetic, target, v,
                   {values},
                   CASE WHEN bool_or(status = 'illustrative') THEN 'illustrative'
                        WHEN bool_or(status = 'synthetic') THEN 'synthetic'
                        ELSE 'derived' END AS out_status,
                   '[' || string_agg(j, ', ' ORDER BY term) || ']' AS inputs_json
            FROM chosen GROUP BY rel, region_code, synthetic, target, v
            HAVING max(vintage) = v),  -- a chosen input is new at v, else nothing changed
        valued AS (
            SELECT *, {_case(stage, lambda r: sql_expression(r.expression, xs[:len(r.terms)]))}
                          AS value
            FROM computed WHERE {_case(stage, defined)})
        SELECT rel AS rel_order, region_code, output AS indicator, target AS period, value,
               {_case(stage, lambda r: _lit(unit_of[r]))} AS unit, out_status AS status,
               v AS vintage, synthetic, {_case(stage, formula)} AS formula,
               inputs_json AS inputs
        FROM valued r
        WHERE NOT coalesce((  -- the same value is already the latest stored at this vintage
            SELECT abs(arg_max(h.value, h.batch_id) - r.value) <= 1e-9 * greatest(1, abs(r.value))
            FROM {POOL} h
            WHERE h.indicator = r.output AND h.source = {source} AND h.ref = r.output
              AND h.region_code = r.region_code AND h.period = r.target
              AND h.synthetic = r.synthetic AND h.vintage = r.v), false)"""


def _store_rows(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    """Append the stage's rows to the store, and to the pool the later stages read (de_va
    feeds the shares). A derived row's source is DERIVE_SOURCE and its ref the output."""
    source = _lit(DERIVE_SOURCE)
    con.execute(f"""INSERT INTO observations (obs_id, region_code, indicator, period, value,
                        unit, qualifier, status, vintage, source, section, ref, quote,
                        formula, inputs, note, batch_id)
                    SELECT obs_id, region_code, indicator, period, value, unit, 'eq', status,
                           vintage, {source}, '', indicator, '', formula, inputs, '',
                           {int(batch_id)}
                    FROM {NEW_ROWS}""")
    con.execute(f"""INSERT INTO {POOL} BY NAME
        SELECT obs_id, region_code, indicator, period, value, status, vintage,
               {source} AS source, indicator AS ref, {int(batch_id)} AS batch_id, {_POOL_EXTRA}
        FROM {NEW_ROWS}""")


__all__ = ["DERIVE_SOURCE", "derive_for_regions", "sql_expression"]
