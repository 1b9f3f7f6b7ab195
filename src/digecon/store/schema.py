"""The store's tables: one tidy, append-only table of observations plus load batches."""
from __future__ import annotations

SCHEMA_VERSION = "2"

STATUSES = ("published", "estimated", "derived", "illustrative", "synthetic")
QUALIFIERS = ("eq", "gt", "ge", "lt", "le", "approx")

# Status order when one value has to be chosen for a region × indicator × period. Synthetic
# results (from generated enterprise records) come last: they demonstrate the method only.
STATUS_PRIORITY = {s: i for i, s in enumerate(STATUSES)}

# The one choice of a cell's value (region × indicator × period) at an `as_of`, used by every
# reader (digecon.facts, the index inputs, the derivations' inputs): among the exact values
# (qualifier 'eq') whose vintage is on or before `as_of`,
#   1. measured before marked: illustrative and synthetic values fill a cell only when nothing
#      else does;
#   2. the newest vintage: once GDP is revised, the share derived from the revision supersedes
#      the share published with the preliminary figure;
#   3. within one vintage, status priority (published, estimated, derived, illustrative,
#      synthetic): the document's own figure before our arithmetic on it;
#   4. the later load of one vintage before an earlier one: a correction written the same day
#      as the value it corrects (a second approval of a collection round) supersedes it;
#   5. within one load, the first stored.
MARKED_STATUSES = ("illustrative", "synthetic")
CHOICE_ORDER_SQL = (
    "status IN ('illustrative', 'synthetic'), vintage DESC, CASE status "
    + " ".join(f"WHEN '{k}' THEN {v}" for k, v in STATUS_PRIORITY.items())
    + " END, batch_id DESC, obs_id")

# What makes two observations "the same statement": a revision of it is a new vintage.
KEY_COLUMNS = ("region_code", "indicator", "period", "status", "qualifier", "source", "ref")

# Whether a row is current at an `as_of` (over the rows with vintage on or before it), what the
# observation listings (/api/v1/observations, `digecon query`) show by default: an exact value
# is current when it is its cell's one choice (CHOICE_ORDER_SQL, the value digecon.facts
# gives), so a cell has one current value and every other exact value of it (an earlier
# vintage, a same-day correction's predecessor, a lower-priority statement) is history; a bound
# (超2500亿元) is no value and competes with none: it is current at its statement's newest vintage.
CURRENT_EXACT_SQL = ("qualifier = 'eq' AND NOT isnan(value) QUALIFY row_number() OVER ("
                     f"PARTITION BY region_code, indicator, period ORDER BY {CHOICE_ORDER_SQL}) = 1")
CURRENT_BOUND_SQL = (f"qualifier <> 'eq' QUALIFY row_number() OVER (PARTITION BY "
                     f"{', '.join(KEY_COLUMNS)} ORDER BY vintage DESC, obs_id DESC) = 1")


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
    # Kept by every write (digecon.store.current): the rows not current for ever after their
    # vintage, and the first as_of at which they are not (their vintage: never current).
    """CREATE TABLE IF NOT EXISTS superseded (
        obs_id BIGINT NOT NULL,
        until  DATE   NOT NULL
    )""",
]
