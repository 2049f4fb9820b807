"""Writing an import's accepted rows into the workspace, inside the import's transaction
(:mod:`tierwise.data.importer` stages, checks and counts them first): placeholder customers the
rows name, new attribute columns, an insert in key order or an update of the rows that changed,
the audit rows of the changes a person would be audited for, and the import's own record."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from tierwise import _faults
from tierwise.data.columns import Col, existing_attributes
from tierwise.data.values import ident
from tierwise.store import audit
from tierwise.store.keys import KEY, KEYED_TABLES, in_range_sql, key_ranges, key_sql
from tierwise.store.owners import record_owners
from tierwise.store.schema import CREATED_BY_IMPORT, IMPORT_ID, Table

if TYPE_CHECKING:
    from tierwise.data.importer import ImportOptions, ImportSummary

STAGE_DB = "_tw_import"
"""The database the stage lives in, attached for one import (a file of its own under a memory
limit the user set, else in memory: :func:`tierwise.data.importer.stage_database`)."""
STAGE = f"{STAGE_DB}._tw_stage"  # the staging table: every row of the file, parsed and checked

# The customers the accepted rows of the stage name that the workspace lacks, each once: the
# file's distinct ids first, then those the customers do not hold (an anti join). Asking whether
# each of 103M order lines' ids was NOT IN the 10M customers ran out of 954 MiB; this takes 6 s.
UNKNOWN_CUSTOMERS = (f"SELECT s.customer_id FROM (SELECT DISTINCT customer_id FROM {STAGE} "
                     f"WHERE _err IS NULL AND customer_id IS NOT NULL) s "
                     f"ANTI JOIN customers c ON c.customer_id = s.customer_id")


def key_join(table: Table) -> str:
    return " AND ".join(f"t.{ident(k)} = s.{ident(k)}" for k in table.key)


def differs(con: duckdb.DuckDBPyConnection, table: Table, cols: list[Col]) -> str:
    have = existing_attributes(con, table)
    parts = []
    for c in cols:
        if c.name in table.key:
            continue
        if c.name in have:
            parts.append(f"t.{ident(c.name)} IS DISTINCT FROM s.{ident(c.name)}")
        else:  # a new attribute column: a value in it is a change
            parts.append(f"s.{ident(c.name)} IS NOT NULL")
    if table.name == "customers":
        parts.append(f"t.{CREATED_BY_IMPORT}")
    return " OR ".join(parts) or "false"


# -- writing -----------------------------------------------------------------------------
# What an import changes on existing rows that the audit trail records one row each, as if
# changed by hand: (table, column, action)
AUDITED_CHANGES = (("customers", "credit_limit", "credit.limit"), ("customers", "rep_id", "customer.move"),
                   ("customers", "department", "customer.move"), ("reps", "department", "rep.move"),
                   ("reps", "manager_id", "rep.move"))


CHANGES = "_tw_changes"  # the audited changes of an import, staged before its update
AUDIT_BATCH = 50_000  # audit rows chained and written at a time


def _stage_changes(con: duckdb.DuckDBPyConnection, table: Table, names: list[str]) -> bool:
    """Stage the changes of :data:`AUDITED_CHANGES` the accepted rows make on existing, real
    rows (not the placeholder customers an orders import created) in the temporary table
    :data:`CHANGES`, in the engine, by key, then column (its row ids in that order); whether
    the import can make any. A file changing every credit limit of ten million customers has
    millions: gathered as Python objects they took 5.7 GiB before a row was written."""
    key = table.key[0]
    real = f"AND NOT coalesce(t.{CREATED_BY_IMPORT}, false)" if table.name == "customers" else ""
    parts = []
    for order, (name, column, action) in enumerate(AUDITED_CHANGES):
        if name != table.name or column not in names:
            continue
        customer = f"s.{key}" if name == "customers" else "NULL"
        subject = ("NULL" if action == "credit.limit" else f"'{column}'" if name == "customers"
                   else f"'rep ' || s.{key} || ': {column}'")
        parts.append(
            f"SELECT s.{key} AS _k, {order} AS _o, '{action}' AS action, {customer}::VARCHAR AS customer_id, "
            f"{subject}::VARCHAR AS subject, t.{column}::VARCHAR AS old, s.{column}::VARCHAR AS new "
            f"FROM {STAGE} s JOIN {name} t ON t.{key} = s.{key} "
            f"WHERE s._err IS NULL {real} AND t.{column} IS DISTINCT FROM s.{column}")
    if not parts:
        return False
    con.execute(f"CREATE OR REPLACE TEMP TABLE {CHANGES} AS SELECT action, customer_id, subject, old, new "
                f"FROM ({' UNION ALL '.join(parts)}) ORDER BY _k, _o")
    return True


def _changes(con: duckdb.DuckDBPyConnection, actor: str, why: str) -> Iterator[list[dict[str, Any]]]:
    """The audit rows of the staged changes (:func:`_stage_changes`), in order, in batches of
    :data:`AUDIT_BATCH` (each read by its row ids, which follow the order the table was written
    in from the first, a transaction's own; the chain is written between two reads)."""
    first, rows = con.execute(f"SELECT min(rowid), count(*) FROM {CHANGES}").fetchone() or (0, 0)
    read = 0
    for low in range(int(first or 0), int(first or 0) + int(rows), AUDIT_BATCH):
        batch = con.execute(f"SELECT action, customer_id, subject, old, new FROM {CHANGES} "
                            f"WHERE rowid >= ? AND rowid < ? ORDER BY rowid", [low, low + AUDIT_BATCH]
                            ).fetch_arrow_table().to_pylist()
        read += len(batch)
        yield [{"actor": actor, "reason": why, **row} for row in batch]
    if read != rows:  # row ids with a gap: better no import than one with changes left unaudited
        raise RuntimeError(f"read {read} of the import's {rows} audited changes")


FRESH = "_tw_fresh"  # the rows of an import that are new to a table it also updates
# An update of more rows than this, and of a quarter of the table or more, writes the table anew
# (:func:`_rewrite`): DuckDB holds every updated value in memory it cannot spill until the commit
# (a customers file raising the credit limits of 7M of 10M customers: over 5 GiB).
REWRITE_ROWS = 200_000


def _rewrites(con: duckdb.DuckDBPyConnection, table: Table, updated: int) -> bool:
    """Whether an import updating ``updated`` rows of ``table`` writes the table anew: the
    customers (found by their key, the key they are matched by), when it changes many of them."""
    if table.key != ("customer_id",) or table.name not in KEYED_TABLES or updated <= REWRITE_ROWS:
        return False
    (rows,) = con.execute(f"SELECT count(*) FROM {ident(table.name)}").fetchone() or (0,)
    return updated * 4 >= int(rows)


def _rewrite(con: duckdb.DuckDBPyConnection, table: Table, assigned: dict[str, str], changed: str) -> None:
    """Update the rows of ``table`` the accepted rows change (``changed``, a condition on ``t``
    and ``s``) by writing the table anew: each of its columns the accepted row's value
    (``assigned``: column → SQL over ``s``) when it changes the row, else the stored one. A key
    range at a time, stored and accepted rows alike, each range sorted: the table comes out in
    key order (each customer in a row group or two), every sort and hash table bounded."""
    name, new = ident(table.name), f"_tw_rewrite_{table.name}"
    columns = [str(r[0]) for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index", [table.name]).fetchall()]
    con.execute(f"CREATE TABLE {new} AS SELECT * FROM {name} LIMIT 0")
    values = {c: f"_tw_v{i}" for i, c in enumerate(c for c in columns if c in assigned)}
    inner = ", ".join(f"{assigned[c]} AS {v}" for c, v in values.items())
    outer = ", ".join(f"CASE WHEN _tw_changed THEN {values[c]} ELSE {ident(c)} END AS {ident(c)}"
                      if c in values else ident(c) for c in columns)
    (rows,) = con.execute(f"SELECT count(*) FROM {name}").fetchone() or (0,)
    for low, high in key_ranges(int(rows)):
        inside = in_range_sql(KEY, low, high)
        con.execute(
            f"INSERT INTO {new} SELECT {outer} FROM ("
            f"SELECT t.*, coalesce(s.{KEY} IS NOT NULL AND ({changed}), false) AS _tw_changed, {inner} "
            f"FROM (SELECT * FROM {name} WHERE {inside}) AS t LEFT JOIN "
            f"(SELECT *, {key_sql('customer_id')} AS {KEY} FROM {STAGE} WHERE _err IS NULL "
            f"AND {in_range_sql(key_sql('customer_id'), low, high)}) AS s ON {key_join(table)}"
            f") ORDER BY {KEY}")
    con.execute(f"DROP TABLE {name}")
    con.execute(f"ALTER TABLE {new} RENAME TO {name}")


def _insert(con: duckdb.DuckDBPyConnection, name: str, targets: str, values: str, source: str,
            keyed: bool) -> None:
    """Insert the rows of ``source`` (accepted rows, as ``s``, with their customer's key when
    ``keyed``); into a table of :data:`KEYED_TABLES` in key order, so that one customer's rows of
    the import are in a row group or two (store/keys.py). One sort: it spills under the
    import's memory cap (10M order lines: 8.6 s, where sorting them in six key ranges took 15.5 s
    and the index they replace 6 s)."""
    con.execute(f"INSERT INTO {name} ({targets}) SELECT {values} FROM {source}"
                + (f" ORDER BY s.{KEY}" if keyed else ""))


def write_rows(con: duckdb.DuckDBPyConnection, table: Table, cols: list[Col],
           summary: ImportSummary, options: ImportOptions, started_at: dt.datetime,
           import_id: int, actor: str) -> None:
    """Upsert the accepted rows (and the customers they need); the caller holds the
    transaction. A credit limit, rep or department the import changes on an existing customer
    (a department or manager on a rep) gets an audit row, like one changed by hand; the
    import itself one more, last."""
    name = ident(table.name)
    names = [c.name for c in cols]
    _faults.checkpoint("import.before_write")
    if table.name == "targets":  # the file is the plan of the months it names
        con.execute(f"DELETE FROM targets WHERE month IN "
                    f"(SELECT DISTINCT month FROM {STAGE} WHERE _err IS NULL)")
    if table.references_customers and summary.customers_created:
        con.execute(  # in key order, as every import writes customers (store/keys.py)
            f"INSERT INTO customers (customer_id, {CREATED_BY_IMPORT}, {IMPORT_ID}, {KEY}) "
            f"SELECT customer_id, true, {import_id}, {key_sql('customer_id')} AS k "
            f"FROM ({UNKNOWN_CUSTOMERS}) ORDER BY k"
        )
    # Measured: writing the stage into the workspace file and renaming it into place on a
    # first import is slower than this copy (the temporary stage spills to disk cheaply).
    have = existing_attributes(con, table)
    for c in cols:
        if c.is_attribute and c.name not in have:
            con.execute(f"ALTER TABLE {name} ADD COLUMN {ident(c.name)} {c.sql_type}")
    system = {IMPORT_ID: str(import_id)}
    if table.name == "customers":
        system[CREATED_BY_IMPORT] = "false"
    keyed = table.name in KEYED_TABLES
    if keyed:
        system[KEY] = f"s.{KEY}"
    targets = ", ".join(ident(n) for n in [*names, *system])
    values = ", ".join([*(f"s.{ident(n)}" for n in names), *system.values()])
    why = f"import #{import_id} of {summary.source or Path(summary.file).name} / 导入 #{import_id}"
    staged = False
    # the customer's key made from the staged id as the rows are written (a column of the stage
    # would be a copy of every row: 103M order lines ran out of 954 MiB copying them)
    key = f", {key_sql('customer_id')} AS {KEY}" if keyed else ""
    accepted = f"(SELECT *{key} FROM {STAGE} WHERE _err IS NULL) AS s"
    if summary.inserted == summary.accepted:
        _insert(con, name, targets, values, accepted, keyed)
    elif summary.inserted or summary.updated:
        staged = _stage_changes(con, table, names)
        # a row's key moves with its customer; a customer's own key (the key it is matched by) never
        # does, and rewriting it would hold one more column of every updated row in memory
        fixed = {KEY} if "customer_id" in table.key else set()
        sets = ", ".join([*(f"{ident(n)} = s.{ident(n)}" for n in names if n not in table.key),
                          *(f"{k} = {v}" for k, v in system.items() if k not in fixed)])
        if keyed:  # the new rows go in key order (a MERGE writes them as they come)
            if summary.updated and _rewrites(con, table, summary.updated):
                assigned = {**{n: f"s.{ident(n)}" for n in names if n not in table.key},
                            **{k: v for k, v in system.items() if k not in fixed}}
                _rewrite(con, table, assigned, differs(con, table, cols))
            elif summary.updated:
                con.execute(f"UPDATE {name} AS t SET {sets} FROM {accepted} "
                            f"WHERE {key_join(table)} AND ({differs(con, table, cols)})")
            if summary.inserted:
                con.execute(f"CREATE OR REPLACE TEMP TABLE {FRESH} AS SELECT s.* FROM {accepted} "
                            f"ANTI JOIN {name} AS t ON {key_join(table)}")
                _insert(con, name, targets, values, f"{FRESH} AS s", keyed)
                con.execute(f"DROP TABLE {FRESH}")
        else:
            con.execute(
                f"MERGE INTO {name} AS t USING {accepted} ON {key_join(table)} "
                f"WHEN MATCHED AND ({differs(con, table, cols)}) THEN UPDATE SET {sets} "
                f"WHEN NOT MATCHED THEN INSERT ({targets}) VALUES ({values})"
            )
        if staged:
            (summary.credit_limits_changed,) = con.execute(
                f"SELECT count(*) FROM {CHANGES} WHERE action = 'credit.limit'").fetchone() or (0,)
            record_owners(con, f"SELECT customer_id, new AS rep_id, new AS file_rep FROM {CHANGES} "
                               f"WHERE action = 'customer.move' AND subject = 'rep_id'", "import")
    _faults.checkpoint("import.after_write")
    con.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [import_id, table.name, summary.file, summary.format, summary.encoding,
         started_at, dt.datetime.now(), summary.read, summary.accepted, summary.inserted,
         summary.updated, summary.unchanged, summary.rejected, summary.customers_created,
         summary.rejected_file, json.dumps({
             "strict": options.strict, "date_order": options.date_order,
             "decimal_comma": options.decimal_comma,
             "mapping": str(options.mapping) if options.mapping else None, "source": options.source})],
    )
    # last in the transaction: the workspace's audit writer is held from here to the commit
    if staged:
        for batch in _changes(con, actor, why):
            audit.record_many(con, batch)
        con.execute(f"DROP TABLE {CHANGES}")
    audit.record_many(con, [{
        "actor": actor, "action": "data.import",
        "subject": f"import #{import_id} into {table.name}: {summary.source or Path(summary.file).name}",
        "new": f"read {summary.read}, accepted {summary.accepted} (inserted {summary.inserted}, updated "
               f"{summary.updated}, unchanged {summary.unchanged}), rejected {summary.rejected}"}])
