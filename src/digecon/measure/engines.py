"""The edge where enterprise records meet an engine: DuckDB (default) or Spark, files in, frames out."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from digecon.errors import InputError
from digecon.measure import accounts as acc
from digecon.measure.classify import Concordance

__all__ = [
    "LOOKUP_TABLE",
    "RECORDS_TABLE",
    "EnterpriseAccounts",
    "RecordsError",
    "connect",
    "find_duplicates",
    "load_records",
    "measure_enterprises",
    "spark_session",
]

log = logging.getLogger(__name__)

RECORDS_TABLE = "digecon_records"
LOOKUP_TABLE = "digecon_lookup"
DUPLICATES_TABLE = "digecon_duplicates"
CANDIDATES_TABLE = "digecon_duplicate_candidates"


class RecordsError(InputError):
    """An enterprise-records file that cannot be read at all (missing file or columns)."""


@dataclass
class EnterpriseAccounts:
    """The accounts with everything needed to trust them: reconciliation, bad rows, outside codes."""

    accounts: pd.DataFrame
    reconciliation: dict[str, Any]
    bad: pd.DataFrame
    outside: pd.DataFrame
    concordance: str
    engine: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def reconciles(self) -> bool:
        r = self.reconciliation
        lhs = r["in_scope_va"] + r["outside_va"] + r["bad_va"]
        return abs(lhs - r["input_va"]) <= 1e-9 * max(1.0, abs(r["input_va"]))


def spark_session(master: str = "local[2]") -> Any:
    """A Spark session tuned for small local jobs (no UI, few shuffle partitions)."""
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master).appName("digecon-measure")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())


def connect(engine: str = "duckdb", master: str | None = None, session: Any = None) -> Any:
    """An ibis backend: `duckdb` (in memory) or `spark` (local[2] unless a master URL is given)."""
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "spark":
        return ibis.pyspark.connect(session or spark_session(master or "local[2]"))
    raise ValueError(f"engine: found '{engine}', expected duckdb or spark")


def _check_columns(path: Path, columns: list[str]) -> None:
    missing = [c for c in acc.RECORD_COLUMNS if c not in columns]
    if missing:
        raise RecordsError(f"{path}:1: 缺少列 {', '.join(missing)}；表头为 "
                           f"{', '.join(columns) or '（空）'}；应为 {', '.join(acc.RECORD_COLUMNS)}")


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        return "parquet"
    if suffix in {".csv", ".txt"}:
        return "csv"
    raise RecordsError(f"{path}: 文件类型为「{suffix or '无扩展名'}」，应为 .csv 或 .parquet")


def load_records(con: Any, path: str | Path) -> ir.Table:
    """Register the records under RECORDS_TABLE with `_row`: the CSV line (header = 1) or Parquet record number."""
    path = Path(path)
    if not path.exists():
        raise RecordsError(f"{path}: 文件不存在，应为企业记录 CSV 或 Parquet 文件")
    kind = _kind(path)
    cols = ", ".join(f'"{c}"' for c in acc.RECORD_COLUMNS)
    if con.name == "duckdb":
        p = str(path).replace("'", "''")
        if kind == "parquet":
            rel = f"read_parquet('{p}', file_row_number=true)"
            row = "file_row_number + 1"
        else:
            # CSV as text so a word in a money column is reported, not a failed load.
            # DuckDB keeps insertion order, so row_number() over () is the file's order.
            rel = f"read_csv('{p}', all_varchar=true, header=true)"
            row = "row_number() OVER () + 1"
        try:
            found = [r[0] for r in con.raw_sql(f"DESCRIBE SELECT * FROM {rel}").fetchall()]
        except Exception as exc:  # noqa: BLE001 - a reader error is the user's file
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise RecordsError(f"{path}: 无法作为 {kind.upper()} 读取，应为企业记录 "
                               f"{kind.upper()} 文件（{first}）") from None
        _check_columns(path, [c for c in found if c != "file_row_number"])
        con.raw_sql(f"CREATE OR REPLACE VIEW {RECORDS_TABLE} AS "
                    f"SELECT {cols}, CAST({row} AS BIGINT) AS _row FROM {rel}")
        return con.table(RECORDS_TABLE)
    session = con._session
    try:
        if kind == "parquet":
            df = session.read.parquet(str(path))
            offset = 1
        else:
            df = session.read.csv(str(path), header=True, inferSchema=False)
            offset = 2
    except Exception as exc:  # noqa: BLE001 - Spark raises its own types for a bad file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RecordsError(f"{path}: Spark 无法作为 {kind.upper()} 读取，应为企业记录 "
                           f"{kind.upper()} 文件（{first}）") from None
    _check_columns(path, list(df.columns))
    df = df.select(*acc.RECORD_COLUMNS)
    # zipWithIndex numbers rows in file order across partitions (unlike monotonically_increasing_id).
    indexed = df.rdd.zipWithIndex().map(lambda p: (*p[0], p[1] + offset))
    from pyspark.sql.types import LongType, StructField, StructType

    schema = StructType([*df.schema.fields, StructField("_row", LongType(), False)])
    session.createDataFrame(indexed, schema).createOrReplaceTempView(RECORDS_TABLE)
    return con.table(RECORDS_TABLE)


def _register(con: Any, name: str, df: pd.DataFrame) -> ir.Table:
    if con.name == "duckdb":
        con.con.register(f"_{name}_df", df)
        con.raw_sql(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _{name}_df")
        con.con.unregister(f"_{name}_df")
    else:
        from pyspark.sql.types import LongType, StructField, StructType

        # An empty frame has no rows to infer types from, so integer columns are spelt out.
        schema = (StructType([StructField(c, LongType(), False) for c in df.columns])
                  if len(df.columns) and all(str(t) == "int64" for t in df.dtypes) else None)
        con._session.createDataFrame(df, schema=schema).createOrReplaceTempView(name)
    return con.table(name)


def load_lookup(con: Any, conc: Concordance) -> ir.Table:
    return _register(con, LOOKUP_TABLE, acc.lookup_table(conc))


def _hash_candidates(con: Any) -> np.ndarray:
    """Rows whose enterprise-year key shares its 64-bit hash with another row (DuckDB only).

    Every true duplicate is among them, because equal keys hash alike; the exact check then
    runs on these few rows alone. The key is normalised as the exact check reads it (id as
    text, year parsed), so " 2021" and "2021" meet here as they do there. Sorting 10 million
    hashes in NumPy takes a fraction of the time a 10-million-key hash table does in SQL.
    """
    key = ("hash(CAST(enterprise_id AS VARCHAR), "
           "TRY_CAST(trim(CAST(year AS VARCHAR)) AS BIGINT))")
    ordered = np.sort(np.asarray(
        con.con.sql(f"SELECT {key} AS h FROM {RECORDS_TABLE}").fetchnumpy()["h"]))
    shared = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(shared):
        return np.empty(0, dtype=np.int64)
    con.con.register("_digecon_shared_hashes", pd.DataFrame({"h": shared}))
    try:
        return np.asarray(con.con.sql(
            f"SELECT _row FROM {RECORDS_TABLE} WHERE {key} IN "
            f"(SELECT h FROM _digecon_shared_hashes)").fetchnumpy()["_row"], dtype=np.int64)
    finally:
        con.con.unregister("_digecon_shared_hashes")


def find_duplicates(con: Any, records: ir.Table, lookup: ir.Table) -> ir.Table:
    """The duplicate enterprise-year rows (`_dup_row`), found once and kept as a small table.

    Every report reads this table, so the costly check runs once per job. On DuckDB the exact
    check (`accounts.duplicates`) runs only on the rows a hash prefilter leaves; elsewhere it
    runs on all records. Both give the same rows.
    """
    if con.name == "duckdb":
        rows = _hash_candidates(con)
        if not len(rows):
            found = pd.DataFrame({"_dup_row": pd.Series([], dtype="int64")})
            return _register(con, DUPLICATES_TABLE, found)
        cand = _register(con, CANDIDATES_TABLE, pd.DataFrame({"_row": rows}))
        records = records.semi_join(cand, "_row")
    found = con.to_pandas(acc.duplicates(records, lookup)).astype({"_dup_row": "int64"})
    return _register(con, DUPLICATES_TABLE, found)


def measure_enterprises(path: str | Path, conc: Concordance, *, engine: str = "duckdb",
                        aggregate_first: bool = False, con: Any = None,
                        examples: int = 10) -> EnterpriseAccounts:
    """Run the enterprise job on one engine and collect accounts, reconciliation and reports."""
    con = con or connect(engine)
    records = load_records(con, path)
    lookup = load_lookup(con, conc)
    log.info("measuring %s on %s with %s", path, con.name, conc.label)
    dups = find_duplicates(con, records, lookup)
    out = con.to_pandas(acc.accounts(records, lookup, aggregate_first=aggregate_first, dups=dups))
    out = out.sort_values(["region_code", "year", "de_code"], kind="stable").reset_index(drop=True)
    rec = con.to_pandas(acc.reconciliation(records, lookup, dups=dups)).iloc[0].to_dict()
    rec = {k: (int(v) if k.endswith("records") or k == "records" or k.startswith("records")
               else float(v)) for k, v in rec.items()}
    bad = con.to_pandas(acc.bad_records(records, lookup, dups=dups)).reset_index(drop=True)
    outside = con.to_pandas(acc.outside_examples(records, lookup, examples, dups=dups)
                            ).reset_index(drop=True)
    return EnterpriseAccounts(out, rec, bad, outside, conc.label,
                              "spark" if con.name == "pyspark" else con.name,
                              {"aggregate_first": aggregate_first, "source": str(path)})
