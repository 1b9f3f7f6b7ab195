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


def derive_for_regions(con: duckdb.DuckDBPyConnection, regions: list[str], batch_id: int) -> int:
    """Append any derived values that are new for these regions; returns rows written."""
    if not regions:
        return 0
    placeholders = ", ".join("?" for _ in regions)
    inds = ", ".join(f"'{i}'" for i in INPUT_INDICATORS)
    cur = con.execute(f"""
        SELECT obs_id, region_code, indicator, period, value, unit, status, vintage, source, ref
        FROM observations
        WHERE qualifier = 'eq' AND indicator IN ({inds}) AND region_code IN ({placeholders})
        ORDER BY obs_id""", regions)
    cols = [c[0] for c in cur.description]
    by_key: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    existing: dict[tuple[str, str, str, str], list[dict]] = defaultdict(list)
    # (region, period) pairs per indicator: each rule's targets without a scan of all keys
    by_indicator: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for tup in cur.fetchall():
        row = dict(zip(cols, tup))
        key = (row["region_code"], row["indicator"], row["period"])
        if row["source"] == DERIVE_SOURCE:
            existing[key + (row["ref"],)].append(row)
        by_key[key].append(row)
        by_indicator[key[1]].add((key[0], key[2]))

    written: list[dict] = []
    for rule in RULES:
        new_rows = []
        for region, period in sorted(by_indicator.get(rule.inputs[0], ())):
            if rule.lag:
                if not period.isdigit():
                    continue
                keys = [(region, rule.inputs[0], period), (region, rule.inputs[0], str(int(period) - 1))]
            else:
                keys = [(region, i, period) for i in rule.inputs]
            # Inputs for the same output exclude this rule's own results (no self-reference).
            candidates = [[r for r in by_key.get(k, []) if not (r["source"] == DERIVE_SOURCE
                                                              and r["ref"] == rule.output)]
                          for k in keys]
            history = existing.get((region, rule.output, period, rule.output), [])
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
                new_rows.extend(rows)
        for row in new_rows:
            by_key[(row["region_code"], row["indicator"], row["period"])].append(row)
            by_indicator[row["indicator"]].add((row["region_code"], row["period"]))
        written.extend(new_rows)
    # One append for all rules (ids in rule order, as one append per rule would give them).
    if written:
        _append(con, written, batch_id)
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


def _append(con: duckdb.DuckDBPyConnection, rows: list[dict], batch_id: int) -> None:
    # A registered frame inserts thousands of rows at once; executemany goes row by row.
    frame = pd.DataFrame({
        "region_code": [r["region_code"] for r in rows],
        "indicator": [r["indicator"] for r in rows],
        "period": [r["period"] for r in rows], "value": [r["value"] for r in rows],
        "unit": [_unit(r["indicator"]) for r in rows], "status": [r["status"] for r in rows],
        "vintage": [r["vintage"] for r in rows], "source": DERIVE_SOURCE,
        "ref": [r["ref"] for r in rows],
        "formula": [r["formula"] for r in rows], "inputs": [r["inputs"] for r in rows],
        "batch_id": batch_id})
    base = con.execute("SELECT coalesce(max(obs_id), 0) + 1 FROM observations").fetchall()[0][0]
    frame.insert(0, "obs_id", range(int(base), int(base) + len(frame)))
    con.register("derived_rows", frame)
    try:
        con.execute("""INSERT INTO observations (obs_id, region_code, indicator, period, value,
                           unit, qualifier, status, vintage, source, section, ref, quote,
                           formula, inputs, note, batch_id)
                       SELECT obs_id, region_code, indicator, period, value, unit, 'eq', status,
                              vintage, source, '', ref, '', formula, inputs, '', batch_id
                       FROM derived_rows""")
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
