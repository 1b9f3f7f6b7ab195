"""The store's tables: one tidy, append-only table of observations plus load batches."""
from __future__ import annotations

SCHEMA_VERSION = "2"

STATUSES = ("published", "estimated", "derived", "illustrative", "synthetic")
QUALIFIERS = ("eq", "gt", "ge", "lt", "le", "approx")

# Status order when one value has to be chosen for a region × indicator × period. Synthetic
# results (from generated enterprise records) come last: they demonstrate the method only.
STATUS_PRIORITY = {s: i for i, s in enumerate(STATUSES)}

# What makes two observations "the same statement": a revision of it is a new vintage.
KEY_COLUMNS = ("region_code", "indicator", "period", "status", "qualifier", "source", "ref")


DDL = [
    """CREATE TABLE IF NOT EXISTS observations (
        obs_id      BIGINT  NOT NULL,  -- increasing in load order; no index (appends stay fast)
        region_code VARCHAR NOT NULL,
        indicator   VARCHAR NOT NULL,
        period      VARCHAR NOT NULL,
        value       DOUBLE  NOT NULL,
        unit        VARCHAR NOT NULL,
        qualifier   VARCHAR NOT NULL DEFAULT 'eq',
        status      VARCHAR NOT NULL,
        vintage     DATE    NOT NULL,
        source      VARCHAR NOT NULL,
        section     VARCHAR NOT NULL DEFAULT '',
        ref         VARCHAR NOT NULL DEFAULT '',
        quote       VARCHAR NOT NULL DEFAULT '',
        formula     VARCHAR NOT NULL DEFAULT '',
        inputs      VARCHAR NOT NULL DEFAULT '',
        note        VARCHAR NOT NULL DEFAULT '',
        batch_id    BIGINT  NOT NULL
    )""",
    """CREATE SEQUENCE IF NOT EXISTS batch_seq START 1""",
    """CREATE TABLE IF NOT EXISTS batches (
        batch_id  BIGINT PRIMARY KEY,
        origin    VARCHAR NOT NULL,
        sha256    VARCHAR NOT NULL DEFAULT '',
        rows      BIGINT NOT NULL,
        loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
]
