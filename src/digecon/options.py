"""Command-line options that several commands share, defined once (one name, one help text)."""
from __future__ import annotations

from pathlib import Path

import click

DB_HELP = "DuckDB 数据库文件（默认 $DIGECON_DB，否则 ./digecon.duckdb）"

# --db: every command that reads or writes the store takes it in the same form. A missing file
# is an error naming the path for every command but init and load-demo (digecon.cli).
db_option = click.option("--db", type=click.Path(path_type=Path), default=None, help=DB_HELP)

__all__ = ["DB_HELP", "db_option"]
