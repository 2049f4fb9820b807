"""Schema versions of the workspace database, applied in order inside one transaction.

Version N's function takes the database from N-1 to N. Never edit a released step: add one.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from tierwise.store.schema import TABLES, system_columns


def _v1(con: duckdb.DuckDBPyConnection) -> None:
    """Canonical tables, the import log and the key-value metadata table."""
    for table in TABLES.values():
        cols = [f'"{c.name}" {c.sql_type}' for c in table.columns]
        cols += [f'"{n}" {typ}' for n, typ in system_columns(table)]
        con.execute(f'CREATE TABLE "{table.name}" ({", ".join(cols)})')
    con.execute("CREATE SEQUENCE import_seq START 1")
    con.execute(
        """CREATE TABLE imports (
            import_id BIGINT PRIMARY KEY, table_name VARCHAR, file VARCHAR, format VARCHAR,
            encoding VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, rows_read BIGINT,
            accepted BIGINT, inserted BIGINT, updated BIGINT, unchanged BIGINT,
            rejected BIGINT, customers_created BIGINT, rejected_file VARCHAR, options JSON)"""
    )


MIGRATIONS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [_v1]
SCHEMA_VERSION = len(MIGRATIONS)
