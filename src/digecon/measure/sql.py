"""The enterprise job as SQL text for Hive or StarRocks, for centres that accept only SQL jobs."""
from __future__ import annotations

import ibis
import sqlglot
from sqlglot import exp

from digecon.measure import accounts as acc
from digecon.measure.engines import LOOKUP_TABLE, RECORDS_TABLE

__all__ = ["DIALECTS", "job_sql"]

DIALECTS = {"hive": "hive", "starrocks": "starrocks"}


def _spark_compiler_ready() -> None:
    # The Spark SQL compiler reads backend options that exist only once registered;
    # registering them starts no Spark session.
    import ibis.backends.pyspark as ps

    if ibis.options.pyspark is None:
        ps.Backend.register_options()


def job_sql(dialect: str, *, aggregate_first: bool = False, typed: bool = False) -> str:
    """SQL of the accounts query over tables `digecon_records` and `digecon_lookup`.

    Compiled by ibis to Spark SQL (Hive's family), then transpiled by sqlglot to the dialect.
    `typed` assumes numeric money/year columns (Parquet/ORC tables) instead of text (CSV).
    """
    if dialect not in DIALECTS:
        raise ValueError(f"sql dialect: found '{dialect}', expected {' or '.join(DIALECTS)}")
    _spark_compiler_ready()
    records = ibis.table(acc.records_schema(all_strings=not typed), name=RECORDS_TABLE)
    lookup = ibis.table({"industry_code": "string", "de_code": "string", "share": "float64",
                         "counts": "int64"}, name=LOOKUP_TABLE)
    expr = acc.accounts(records, lookup, aggregate_first=aggregate_first)
    spark_sql = ibis.to_sql(expr, dialect="pyspark")
    tree = sqlglot.parse_one(str(spark_sql), read="spark")
    # Hive's TRIM takes one argument; plain TRIM (spaces) is what every target understands.
    tree = tree.transform(lambda n: exp.Trim(this=n.this) if isinstance(n, exp.Trim) else n)
    body = tree.sql(dialect=DIALECTS[dialect], pretty=True)
    header = (f"-- digecon measure enterprises: 数字产业化 accounts ({dialect})\n"
              f"-- inputs: {RECORDS_TABLE}({', '.join(acc.RECORD_COLUMNS)}, _row) with money in 万元;\n"
              f"--         {LOOKUP_TABLE}(industry_code, de_code, share, counts) from the concordance\n"
              f"-- output: region_code, de_code, year, value_added (亿元), enterprises\n"
              f"-- mode: {'aggregate-first (cells only)' if aggregate_first else 'per record'}\n")
    return header + body + ";\n"
