"""Derived indicators (shares, growth, DE = DI + ID) computed from whatever inputs the store holds.

Each derived value keeps its formula, its inputs (with their vintages) and a status no better
than its inputs': a share computed from illustrative values is illustrative. A derived value is
re-computed at every vintage at which one of its inputs changed, so `as_of` queries see the
value that could have been computed on that date.
"""
from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import pandas as pd

from .schema import STATUS_PRIORITY

DERIVE_SOURCE = "digecon 派生计算"


@dataclass(frozen=True)
class Rule:
    output: str
    inputs: tuple[str, ...]
    lag: bool  # True: second input is the first one a year earlier (growth)
    compute: Callable[..., float]
    formula: str


def _ratio(a: float, b: float) -> float:
    return a / b * 100.0


RULES: tuple[Rule, ...] = (
    Rule("de_va", ("di_va", "id_va"), False, lambda a, b: a + b, "di_va + id_va"),
    Rule("de_share_gdp", ("de_va", "gdp"), False, _ratio, "de_va / gdp × 100"),
    Rule("di_share_de", ("di_va", "de_va"), False, _ratio, "di_va / de_va × 100"),
    Rule("id_share_de", ("id_va", "de_va"), False, _ratio, "id_va / de_va × 100"),
    Rule("di_share_gdp", ("di_va", "gdp"), False, _ratio, "di_va / gdp × 100"),
    Rule("id_share_gdp", ("id_va", "gdp"), False, _ratio, "id_va / gdp × 100"),
    Rule("de_growth", ("de_va",), True, lambda a, b: (a / b - 1) * 100.0,
         "(de_va[t] / de_va[t−1] − 1) × 100"),
    Rule("di_growth", ("di_va",), True, lambda a, b: (a / b - 1) * 100.0,
         "(di_va[t] / di_va[t−1] − 1) × 100"),
    Rule("id_growth", ("id_va",), True, lambda a, b: (a / b - 1) * 100.0,
         "(id_va[t] / id_va[t−1] − 1) × 100"),
    Rule("gdp_growth", ("gdp",), True, lambda a, b: (a / b - 1) * 100.0,
         "(gdp[t] / gdp[t−1] − 1) × 100"),
    Rule("gdp_growth_real", ("gdp_real_index",), False, lambda a: a - 100.0,
         "gdp_real_index − 100"),
)

# Rows derived in this pass have no obs_id yet; distinct negative ids keep them apart.
_PLACEHOLDER_IDS = itertools.count(-1, -1)

INPUT_INDICATORS = sorted({i for r in RULES for i in r.inputs} | {r.output for r in RULES})


def _status_of(statuses: list[str]) -> str:
    for weakest in ("illustrative", "synthetic"):
        if weakest in statuses:
            return weakest
    return "derived"


def _best(rows: list[dict], as_of) -> dict | None:
    if len(rows) == 1:
        return rows[0] if rows[0]["vintage"] <= as_of else None
    live = [r for r in rows if r["vintage"] <= as_of]
    if not live:
        return None
    return min(live, key=lambda r: (STATUS_PRIORITY[r["status"]], -r["vintage"].toordinal(),
                                    r["obs_id"]))


POOL = "derive_pool"      # the input and derived rows of the regions at hand (temp table)
KEYS = "derive_keys"      # one stage's (rule, region, period) targets with all inputs present
NEW_ROWS = "derive_new"   # one stage's values computed in SQL
CANDIDATES = "derive_candidates"  # one stage's input values: simple or not
BEST = "derive_best"      # one stage's best input value per kind


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Per pool row: the year after (a growth rate's target) and the rank `_best` gives its status.
_POOL_EXTRA = (
    "CASE WHEN regexp_full_match(period, '[0-9]{4}') "
    "THEN CAST(CAST(period AS BIGINT) + 1 AS VARCHAR) END AS period_next, "
    "CASE status " + " ".join(f"WHEN {_lit(k)} THEN {v}" for k, v in STATUS_PRIORITY.items())
    + " END AS priority")


def _input_periods(rule: Rule) -> list[tuple[str, str]]:
    """(indicator, pool column that must equal the target's period) per input of the rule.

    A growth rate's second input is the year before: its `period_next` is the target period.
    """
    if rule.lag:
        return [(rule.inputs[0], "period"), (rule.inputs[0], "period_next")]
    return [(i, "period") for i in rule.inputs]


def derive_for_regions(con: duckdb.DuckDBPyConnection, regions: list[str], batch_id: int,
                       *, in_sql: bool = True) -> int:
    """Append any derived values that are new for these regions; returns rows written.

    A target whose inputs each hold values of one vintage only and whose output has no
    earlier result (the bulk of any load) is computed in SQL: the best value of each input
    is chosen as `_best` chooses it. The rest (revisions, earlier results) go through
    `_history` in Python. `in_sql=False` sends every target through Python; both give the
    same rows (tests/store/test_derive_sql.py).
    """
    if not regions:
        return 0
    inds = ", ".join(_lit(i) for i in INPUT_INDICATORS)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {POOL} AS
        SELECT obs_id, region_code, indicator, period, value, status, vintage, source, ref,
               {_POOL_EXTRA}
        FROM observations
        WHERE qualifier = 'eq' AND indicator IN ({inds})
          AND region_code IN (SELECT unnest(?::VARCHAR[]))""", [list(regions)])
    first_id = con.execute("SELECT coalesce(max(obs_id), 0) + 1 FROM observations"
                           ).fetchall()[0][0]
    written = 0
    try:
        # Rules of one stage do not read each other's results, so each stage is one statement
        # per step (a statement's planning costs more than these small tables' work).
        for stage in _stages():
            counts = _find_targets(con, stage)
            if in_sql and any(simple for simple, _ in counts.values()):
                written += _derive_in_sql(con, stage, batch_id, first_id + written)
            for rule in stage:
                simple, other = counts.get(rule.output, (0, 0))
                if other or (simple and not in_sql):
                    written += _derive_in_python(con, rule, batch_id, first_id + written,
                                                 every_target=not in_sql)
    finally:
        for table in (POOL, KEYS, NEW_ROWS, CANDIDATES, BEST):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return written


def _stages() -> list[list[Rule]]:
    """RULES in dependency stages: a rule comes one stage after the rules whose outputs it reads."""
    level: dict[str, int] = {}
    for rule in RULES:  # producers are listed before the rules that read them
        level[rule.output] = 1 + max((level.get(i, -1) for i in rule.inputs), default=-1)
    return [[r for r in RULES if level[r.output] == n] for n in range(max(level.values()) + 1)]


def _targets_sql(rule: Rule) -> str:
    """The rule's targets (k) with every input present; `simple` when all inputs are simple
    and the output has no earlier result."""
    (first, _), *others = _input_periods(rule)
    digits = " AND regexp_full_match(k.period, '[0-9]{4}')" if rule.lag else ""
    joins = "".join(f"""
        JOIN {CANDIDATES} c{n} ON c{n}.region_code = k.region_code
             AND c{n}.indicator = {_lit(ind)} AND c{n}.{column} = k.period"""
                    for n, (ind, column) in enumerate(others, 1))
    simple = " AND ".join(["k.simple"] + [f"c{n}.simple" for n in range(1, len(others) + 1)])
    return f"""
        SELECT {_lit(rule.output)} AS rule, k.region_code, k.period,
               ({simple} AND e.period IS NULL) AS simple
        FROM {CANDIDATES} k {joins}
        LEFT JOIN (SELECT DISTINCT region_code, period FROM {POOL}
                   WHERE indicator = {_lit(rule.output)} AND source = {_lit(DERIVE_SOURCE)}
                     AND ref = {_lit(rule.output)}) e
               ON e.region_code = k.region_code AND e.period = k.period
        WHERE k.indicator = {_lit(first)}{digits}"""


def _find_targets(con: duckdb.DuckDBPyConnection,
                  stage: list[Rule]) -> dict[str, tuple[int, int]]:
    """Tables CANDIDATES, BEST and KEYS for a stage; returns per rule the number of simple
    and other targets.

    CANDIDATES: per input value set, whether it is simple. BEST: the value `_best` picks
    within one vintage, per kind (synthetic or not). A row that calls itself a derived
    result of some other indicator (only possible by hand) sends its targets to Python,
    which excludes a rule's own results exactly.
    """
    inputs = ", ".join(_lit(i) for i in sorted({i for r in stage for i in r.inputs}))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {CANDIDATES} AS
        WITH kinds AS (
            SELECT region_code, indicator, period, any_value(period_next) AS period_next,
                   count(DISTINCT vintage) = 1 AS one_vintage,
                   bool_or(source = {_lit(DERIVE_SOURCE)} AND ref <> indicator) AS claimed
            FROM {POOL} WHERE indicator IN ({inputs})
            GROUP BY region_code, indicator, period, status = 'synthetic')
        SELECT region_code, indicator, period, any_value(period_next) AS period_next,
               bool_and(one_vintage) AND NOT bool_or(claimed) AS simple
        FROM kinds GROUP BY ALL""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {BEST} AS
        SELECT *, status = 'synthetic' AS synthetic FROM {POOL} WHERE indicator IN ({inputs})
        QUALIFY row_number() OVER (PARTITION BY region_code, indicator, period,
                                   status = 'synthetic' ORDER BY priority, obs_id) = 1""")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {KEYS} AS "
                + " UNION ALL ".join(_targets_sql(rule) for rule in stage))
    counts = con.execute(f"SELECT rule, count(*) FILTER (WHERE simple), "
                         f"count(*) FILTER (WHERE NOT simple) FROM {KEYS} GROUP BY rule"
                         ).fetchall()
    return {rule: (int(simple), int(other)) for rule, simple, other in counts}


def _g(expr: str, digits: int) -> str:
    """Python's f"{x:.{digits}g}" in DuckDB (the same text; checked in the tests)."""
    return f"format('{{:.{digits}g}}', {expr})"


def _json_number(expr: str) -> str:
    """json.dumps of a float: shortest round-trip text, NaN and Infinity spelt as Python does."""
    return (f"CASE WHEN isnan({expr}) THEN 'NaN' WHEN {expr} = 'inf'::DOUBLE THEN 'Infinity' "
            f"WHEN {expr} = '-inf'::DOUBLE THEN '-Infinity' ELSE CAST({expr} AS VARCHAR) END")


def _input_json_sql(a: str) -> str:
    return (f"""'{{"indicator": ' || to_json({a}.indicator) || ', "region": ' """
            f"""|| to_json({a}.region_code) || ', "period": ' || to_json({a}.period) """
            f"""|| ', "value": ' || {_json_number(f"{a}.value")} || ', "status": ' """
            f"""|| to_json({a}.status) || ', "vintage": "' || strftime({a}.vintage, '%Y-%m-%d') """
            f"""|| '", "source": ' || to_json({a}.source) || '}}'""")


def _value_and_formula_sql(rule: Rule) -> tuple[str, str, str]:
    """(value, formula text, condition) as SQL over inputs x1, x2: as `compute`/_formula_text."""
    a, b = "x1.value", "x2.value"
    f = _lit(rule.formula)
    if rule.output == "de_va":
        v = f"{a} + {b}"
        text = f"{f} || ' = ' || {_g(a, 10)} || ' + ' || {_g(b, 10)} || ' = ' || {_g(v, 10)}"
        return v, text, "TRUE"
    if rule.lag:
        v = f"({a} / {b} - 1) * 100.0"
        text = (f"{f} || ' = (' || {_g(a, 10)} || ' / ' || {_g(b, 10)} || ' − 1) × 100 = ' "
                f"|| {_g(v, 6)}")
        return v, text, f"{b} <> 0"
    if len(rule.inputs) == 1:
        v = f"{a} - 100.0"
        return v, f"{f} || ' = ' || {_g(a, 10)} || ' − 100 = ' || {_g(v, 6)}", "TRUE"
    v = f"{a} / {b} * 100.0"
    text = f"{f} || ' = ' || {_g(a, 10)} || ' / ' || {_g(b, 10)} || ' × 100 = ' || {_g(v, 6)}"
    return v, text, f"{b} <> 0"


def _new_rows_sql(rule: Rule, order: int) -> str:
    """The rule's simple targets computed: value, status, vintage, formula and inputs."""
    periods = _input_periods(rule)
    aliases = [f"x{n}" for n in range(1, len(periods) + 1)]
    # Each input's best value per kind (synthetic or not): as `_best` within one vintage.
    joins = "".join(f"""
        JOIN {BEST} {x} ON {x}.region_code = k.region_code AND {x}.indicator = {_lit(ind)}
                      AND {x}.{column} = k.period"""
                    for x, (ind, column) in zip(aliases, periods))
    # Synthetic results (generated records) are never combined with other data.
    same_kind = " AND ".join(f"x1.synthetic = {x}.synthetic" for x in aliases[1:]) or "TRUE"
    statuses = ", ".join(f"{x}.status" for x in aliases)
    value, formula, defined = _value_and_formula_sql(rule)
    inputs = " || ', ' || ".join(_input_json_sql(x) for x in aliases)
    return f"""
        SELECT {order} AS rule_order, x1.synthetic AS _synthetic,
               k.region_code, {_lit(rule.output)} AS indicator, k.period, {value} AS value,
               {_lit(_unit(rule.output))} AS unit,
               CASE WHEN list_contains([{statuses}], 'illustrative') THEN 'illustrative'
                    WHEN list_contains([{statuses}], 'synthetic') THEN 'synthetic'
                    ELSE 'derived' END AS status,
               greatest({", ".join(f"{x}.vintage" for x in aliases)}) AS vintage,
               {formula} AS formula, '[' || {inputs} || ']' AS inputs
        FROM (SELECT * FROM {KEYS} WHERE simple AND rule = {_lit(rule.output)}) k {joins}
        WHERE {same_kind} AND {defined}"""


def _derive_in_sql(con: duckdb.DuckDBPyConnection, stage: list[Rule], batch_id: int,
                   first_id: int) -> int:
    """Every simple target of the stage, appended to the store and to the pool."""
    union = " UNION ALL ".join(_new_rows_sql(rule, n) for n, rule in enumerate(stage))
    n = con.execute(f"""CREATE OR REPLACE TEMP TABLE {NEW_ROWS} AS
        SELECT {int(first_id)} + row_number() OVER (ORDER BY rule_order, region_code, period,
                                                    _synthetic) - 1 AS obs_id, *
        FROM ({union})""").fetchall()[0][0]
    if n:
        _store_rows(con, NEW_ROWS, batch_id)
    return int(n)


def _store_rows(con: duckdb.DuckDBPyConnection, table: str, batch_id: int) -> None:
    """Append derived rows (obs_id, region_code, indicator, period, value, unit, status,
    vintage, formula, inputs) to the store, and to the pool the later rules read (de_va feeds
    the shares). A derived row's source is DERIVE_SOURCE and its ref the rule's output."""
    source = _lit(DERIVE_SOURCE)
    con.execute(f"""INSERT INTO observations (obs_id, region_code, indicator, period, value,
                        unit, qualifier, status, vintage, source, section, ref, quote,
                        formula, inputs, note, batch_id)
                    SELECT obs_id, region_code, indicator, period, value, unit, 'eq', status,
                           vintage, {source}, '', indicator, '', formula, inputs, '',
                           {int(batch_id)}
                    FROM {table}""")
    con.execute(f"""INSERT INTO {POOL} BY NAME
        SELECT obs_id, region_code, indicator, period, value, status, vintage,
               {source} AS source, indicator AS ref, {_POOL_EXTRA}
        FROM {table}""")


def _derive_in_python(con: duckdb.DuckDBPyConnection, rule: Rule, batch_id: int,
                      first_id: int, every_target: bool) -> int:
    """The targets SQL left (or all of them): each value chosen vintage by vintage."""
    where = f"WHERE k.rule = {_lit(rule.output)}" + ("" if every_target else " AND NOT k.simple")
    match = " OR ".join(
        [f"(p.indicator = {_lit(ind)} AND p.{column} = k.period)"
         for ind, column in _input_periods(rule)]
        + [(f"(p.indicator = {_lit(rule.output)} AND p.period = k.period "
            f"AND p.source = {_lit(DERIVE_SOURCE)} AND p.ref = {_lit(rule.output)})")])
    cur = con.execute(f"""
        SELECT DISTINCT p.obs_id, p.region_code, p.indicator, p.period, p.value, p.status,
               p.vintage, p.source, p.ref
        FROM (SELECT * FROM {KEYS} k {where}) k
        JOIN {POOL} p ON p.region_code = k.region_code AND ({match})
        ORDER BY p.obs_id""")
    cols = [c[0] for c in cur.description]
    by_key: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for tup in cur.fetchall():
        row = dict(zip(cols, tup))
        by_key[(row["region_code"], row["indicator"], row["period"])].append(row)
    targets = con.execute(f"SELECT region_code, period FROM {KEYS} k {where} "
                          f"ORDER BY region_code, period").fetchall()
    written: list[dict] = []
    for region, period in targets:
        if rule.lag:
            keys = [(region, rule.inputs[0], period),
                    (region, rule.inputs[0], str(int(period) - 1))]
        else:
            keys = [(region, i, period) for i in rule.inputs]
        candidates = [[r for r in by_key.get(k, []) if not (r["source"] == DERIVE_SOURCE
                                                          and r["ref"] == rule.output)]
                      for k in keys]
        history = [r for r in by_key.get((region, rule.output, period), [])
                   if r["source"] == DERIVE_SOURCE and r["ref"] == rule.output]
        # Synthetic results (generated records) are never combined with other data: a
        # growth rate from a synthetic 2020 and an illustrative 2021 would mean nothing.
        for synthetic in (False, True):
            pools = [[r for r in pool if (r["status"] == "synthetic") == synthetic]
                     for pool in candidates]
            if not all(pools):
                continue
            own = [h for h in history if (h["status"] == "synthetic") == synthetic]
            rows = _history(rule, region, period, pools, own)
            history.extend(rows)
            written.extend(rows)
    if not written:
        return 0
    _append(con, written, batch_id, first_id)
    return len(written)


def _history(rule: Rule, region: str, period: str, pools: list[list[dict]],
             history: list[dict]) -> list[dict]:
    """The rule's value at each vintage at which its chosen inputs change, if new."""
    history = list(history)
    out: list[dict] = []
    if all(len(pool) == 1 for pool in pools):
        # The usual case (one value per input): only the vintage at which all are known.
        vintages = [max(pool[0]["vintage"] for pool in pools)]
    else:
        vintages = sorted({r["vintage"] for pool in pools for r in pool})
    last_ids: tuple | None = None
    for v in vintages:
        chosen = [_best(pool, v) for pool in pools]
        if any(c is None for c in chosen):
            continue
        ids = tuple(c["obs_id"] for c in chosen)
        if ids == last_ids:
            continue
        last_ids = ids
        try:
            value = rule.compute(*[c["value"] for c in chosen])
        except ZeroDivisionError:
            continue
        vintage = max(c["vintage"] for c in chosen)
        if any(h["vintage"] == vintage and abs(h["value"] - value) <= 1e-9 * max(1, abs(value))
               for h in history):
            continue
        status = _status_of([c["status"] for c in chosen])
        row = {"obs_id": next(_PLACEHOLDER_IDS), "region_code": region, "indicator": rule.output,
               "period": period, "value": value, "status": status, "vintage": vintage,
               "source": DERIVE_SOURCE, "ref": rule.output,
               "formula": _formula_text(rule, chosen, value),
               "inputs": "[" + ", ".join(_input_json(c) for c in chosen) + "]"}
        history.append(row)
        out.append(row)
    return out


@lru_cache(maxsize=4096)
def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _input_json(c: dict) -> str:
    """One input as JSON; written by hand because json.dumps per row dominated bulk loads."""
    value = json.dumps(c["value"])  # repr of a float, NaN-safe
    return ('{"indicator": ' + _json_text(c["indicator"]) + ', "region": '
            + _json_text(c["region_code"]) + ', "period": ' + _json_text(c["period"])
            + ', "value": ' + value + ', "status": ' + _json_text(c["status"])
            + ', "vintage": "' + c["vintage"].isoformat() + '", "source": '
            + _json_text(c["source"]) + "}")


def _append(con: duckdb.DuckDBPyConnection, rows: list[dict], batch_id: int,
            first_id: int) -> None:
    # A registered frame inserts thousands of rows at once; executemany goes row by row.
    frame = pd.DataFrame({
        "obs_id": range(int(first_id), int(first_id) + len(rows)),
        "region_code": [r["region_code"] for r in rows],
        "indicator": [r["indicator"] for r in rows],
        "period": [r["period"] for r in rows], "value": [r["value"] for r in rows],
        "unit": [_unit(r["indicator"]) for r in rows], "status": [r["status"] for r in rows],
        "vintage": [r["vintage"] for r in rows],
        "formula": [r["formula"] for r in rows], "inputs": [r["inputs"] for r in rows]})
    con.register("derived_rows", frame)
    try:
        _store_rows(con, "derived_rows", batch_id)
    finally:
        con.unregister("derived_rows")


def _unit(code: str) -> str:
    return "亿元" if code == "de_va" else "%"


def _formula_text(rule: Rule, chosen: list[dict], value: float) -> str:
    numbers = [f"{c['value']:.10g}" for c in chosen]
    if rule.output == "de_va":
        return f"{rule.formula} = {numbers[0]} + {numbers[1]} = {value:.10g}"
    if rule.lag:
        return f"{rule.formula} = ({numbers[0]} / {numbers[1]} − 1) × 100 = {value:.6g}"
    if len(numbers) == 1:
        return f"{rule.formula} = {numbers[0]} − 100 = {value:.6g}"
    return f"{rule.formula} = {numbers[0]} / {numbers[1]} × 100 = {value:.6g}"
