"""Which rows are current at an `as_of`, kept at write time so that reading it is a filter.

A row is current on an interval of `as_of` dates: from its vintage until the first vintage of a
row that beats it (schema.CHOICE_ORDER_SQL for an exact value in its cell, the newer vintage of
the same statement for a bound), or never when a row of its vintage or an earlier one beats it.
(The candidates at `as_of` d are the rows of vintage <= d; if a row wins at some d it wins at
its own vintage, where the candidates are fewer, so the dates it wins on are one interval.)

Table `superseded` holds, per row that is not current for ever after its vintage, the first
date it is no longer current (`until`; equal to its vintage when it never is). A row absent
from it is current from its vintage on. Every write (Store.append_checked, which every ingest,
approval, correction and revision goes through) recomputes the rows of the cells it touched, in
its own transaction; readers filter on it (current_sql) instead of ranking the store.
"""
from __future__ import annotations

import duckdb

from .schema import CHOICE_ORDER_SQL, DDL, KEY_COLUMNS

TABLE = "superseded"  # created with the store (schema.DDL)
# The store was created (or brought up to date) with the table filled for every row.
META_KEY = "superseded_complete"

CELL = ("region_code", "indicator", "period")
EXACT = "qualifier = 'eq' AND NOT isnan(value)"
# (rows that compete, partition, order): an exact value against its cell's other exact values
# (the facts layer's one choice), a bound against the other vintages of its statement.
KINDS = (
    (EXACT, CELL, CHOICE_ORDER_SQL),
    ("qualifier <> 'eq'", KEY_COLUMNS, "vintage DESC, obs_id DESC"),
)


def current_sql(as_of: bool) -> str:
    """A boolean SQL expression over `observations o LEFT JOIN superseded s USING (obs_id)`:
    is the row current at the newest vintages (as_of False) or at the date of one parameter
    (as_of True; the caller also keeps only rows of vintage <= it)? NaN is never a value."""
    alive = "s.until > CAST(? AS DATE)" if as_of else "false"
    return f"(NOT (o.qualifier = 'eq' AND isnan(o.value)) AND (s.until IS NULL OR {alive}))"


def _recompute(con, where: str, cells: str, params: list, part: tuple[str, ...],
               order: str) -> None:
    """Rows `where` in the partitions listed by the SELECT `cells`: their `until` again."""
    keys = ", ".join(part)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _cur_rows AS
        SELECT o.* FROM observations o SEMI JOIN ({cells}) c USING ({keys})
        WHERE {where}""", params)
    con.execute(f"DELETE FROM {TABLE} WHERE obs_id IN (SELECT obs_id FROM _cur_rows)")
    con.execute(f"""INSERT INTO {TABLE}
        WITH events AS (SELECT DISTINCT {keys}, vintage AS v FROM _cur_rows),
        spans AS (SELECT *, lead(v) OVER (PARTITION BY {keys} ORDER BY v) AS next_v
                  FROM events),
        won AS (  -- each event vintage's winner among the rows known by then
            SELECT e.v, r.obs_id FROM events e JOIN _cur_rows r USING ({keys})
            WHERE r.vintage <= e.v
            QUALIFY row_number() OVER (PARTITION BY {', '.join('r.' + k for k in part)}, e.v
                                       ORDER BY {order}) = 1),
        last AS (SELECT obs_id, max(v) AS last_v FROM won GROUP BY obs_id)
        SELECT r.obs_id, CASE WHEN l.last_v IS NULL THEN r.vintage ELSE s.next_v END
        FROM _cur_rows r LEFT JOIN last l USING (obs_id)
        LEFT JOIN spans s ON {' AND '.join(f's.{k} = r.{k}' for k in part)} AND s.v = l.last_v
        WHERE l.last_v IS NULL OR s.next_v IS NOT NULL""")
    con.execute("DROP TABLE _cur_rows")


def update_for_batch(con, batch_id: int) -> None:
    """Bring `superseded` up to date after batch `batch_id` was appended (same transaction).

    Only partitions that now hold two or more competing rows can have a superseded row: those
    of the batch's rows that repeat within the batch or meet an earlier row."""
    for where, part, order in KINDS:
        keys = ", ".join(part)
        cells = f"""SELECT {keys} FROM observations WHERE batch_id = ? AND {where}
                    GROUP BY ALL HAVING count(*) > 1
                    UNION SELECT {keys} FROM observations o
                    SEMI JOIN (SELECT {keys} FROM observations WHERE batch_id = ? AND {where}) b
                    USING ({keys}) WHERE o.batch_id <> ? AND {where}"""
        _recompute(con, where, cells, [batch_id] * 3, part, order)


def rebuild(con) -> None:
    """`superseded` for the whole store (a store written before the table existed)."""
    for stmt in DDL:  # a store older than the table has the others
        con.execute(stmt)
    con.execute(f"DELETE FROM {TABLE}")
    for where, part, order in KINDS:
        keys = ", ".join(part)
        cells = f"SELECT {keys} FROM observations WHERE {where} GROUP BY ALL HAVING count(*) > 1"
        _recompute(con, where, cells, [], part, order)
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, 'true')", [META_KEY])


def is_complete(con) -> bool:
    """Has this store's `superseded` table been kept for every row (rebuild, then each write)?"""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", [META_KEY]).fetchone()
    except duckdb.CatalogException:  # no meta table: not a store of this schema
        return False
    return row is not None and row[0] == "true"


__all__ = ["TABLE", "current_sql", "is_complete", "rebuild", "update_for_batch"]
