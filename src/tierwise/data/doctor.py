"""Find and mend ids stored before they were normalised on import (``tierwise doctor``).

An import writes every id the same way from every format (:func:`tierwise.data.values.parse_id`:
trimmed, full-width characters as ASCII, an integral number's ``.0`` dropped). A workspace
filled before that holds ``17850.0`` from a CSV export of a float column beside ``17850`` from
xlsx: two customers, and the order lines a re-import inserted again under the other id.

:func:`diagnose` counts, per id column of every canonical table, the stored values that are
not canonical and the rows they would collide with. :func:`mend` rewrites them in one
transaction:

- **ids**: every id column (customers, reps, products, order lines, payments, follow-ups,
  tasks and overrides) written as an import writes it now; the customer key of a rewritten
  row follows its id;
- **duplicates**: rows that now share their key (an order line, a payment, a follow-up, a
  rep, a product) keep one: the one imported last (the re-import that should have updated
  the row); a customer keeps its row under the canonical id, filled in with what the other
  knew where its own is empty;
- **audit**: one ``customer.merge`` row per customer id rewritten (merged into an existing
  customer or only renamed), under the actor, with the rows it moved and dropped.

Snapshots are history: their class rows keep the ids they were graded under; the next
classification grades the merged customers. Nothing else is removed: rows in = rows kept +
duplicates dropped, per table, in the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tierwise.data.values import clean_text, parse_id
from tierwise.store import audit
from tierwise.store.keys import KEY, KEYED_TABLES, key_sql
from tierwise.store.schema import CUSTOMERS, IMPORT_ID, TABLES, own_columns

if TYPE_CHECKING:
    from tierwise.store.database import Database

__all__ = ["Diagnosis", "diagnose", "mend"]

# the id columns tierwise keeps outside the canonical tables (its own records of customers)
OWN_ID_COLUMNS = {"tasks": ("customer_id",), "overrides": ("customer_id",)}


def canonical_sql(column: str) -> str:
    """``column`` written as an import writes an id now."""
    return parse_id(clean_text(column))


def _id_columns() -> dict[str, tuple[str, ...]]:
    out = {name: tuple(c.name for c in table.columns if c.kind == "id") for name, table in TABLES.items()}
    out.update(OWN_ID_COLUMNS)
    return out


@dataclass
class Diagnosis:
    """What :func:`diagnose` found (and :func:`mend` did): per ``table.column``, the stored ids
    that are not canonical; per table, the rows before, and the duplicates (dropped by a mend)."""

    ids: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    customers_merged: int = 0
    customers_renamed: int = 0
    mended: bool = False

    @property
    def clean(self) -> bool:
        return not any(self.ids.values()) and not any(self.duplicates.values())

    def to_json(self) -> dict[str, Any]:
        return {"clean": self.clean, "mended": self.mended, "ids": self.ids,
                "examples": {k: [list(p) for p in v] for k, v in self.examples.items()},
                "rows": self.rows, "duplicates": self.duplicates,
                "kept": {t: n - self.duplicates.get(t, 0) for t, n in self.rows.items()},
                "customers_merged": self.customers_merged, "customers_renamed": self.customers_renamed}


def _tables(ws: Database) -> list[str]:
    present = {r[0] for r in ws.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return [t for t in _id_columns() if t in present]


def _key(table: str) -> tuple[str, ...]:
    return TABLES[table].key if table in TABLES else ()


def diagnose(ws: Database) -> Diagnosis:
    """Count the ids not written as an import writes them now, and the rows that would then
    share their key; nothing is changed."""
    con = ws.con
    found = Diagnosis()
    for table in _tables(ws):
        found.rows[table] = _one(con, f'SELECT count(*) FROM "{table}"')
        for column in _id_columns()[table]:
            bad = f'"{column}" IS NOT NULL AND "{column}" IS DISTINCT FROM {canonical_sql(column)}'
            n = _one(con, f'SELECT count(*) FROM "{table}" WHERE {bad}')
            if n:
                found.ids[f"{table}.{column}"] = n
                found.examples[f"{table}.{column}"] = [
                    (str(a), str(b)) for a, b in con.execute(
                        f'SELECT DISTINCT "{column}", {canonical_sql(column)} FROM "{table}" WHERE {bad} '
                        f'ORDER BY 1 LIMIT 5').fetchall()]
        key = _key(table)
        if key and any(f"{table}.{c}" in found.ids for c in key):
            keyed = ", ".join(canonical_sql(c) if c in _id_columns()[table] else f'"{c}"' for c in key)
            extra = _one(con, f'SELECT count(*) - count(DISTINCT ({keyed})) FROM "{table}"')
            if extra:
                found.duplicates[table] = int(extra)
    return found


def _one(con: Any, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def mend(ws: Database, *, actor: str) -> Diagnosis:
    """Rewrite the ids :func:`diagnose` finds and drop the rows that then duplicate a key (the
    last imported kept), in one transaction, audited under ``actor`` (see the module docstring)."""
    found = diagnose(ws)
    if found.clean:
        return found
    renamed = ws.con.execute(
        f"""SELECT c.customer_id, {canonical_sql('c.customer_id')} AS canon,
                   EXISTS (SELECT 1 FROM customers k WHERE k.customer_id = {canonical_sql('c.customer_id')})
            FROM customers c WHERE c.customer_id IS DISTINCT FROM {canonical_sql('c.customer_id')}
            ORDER BY 1""").fetchall()
    with ws.transaction() as con:
        for table in _tables(ws):
            columns = [c for c in _id_columns()[table] if f"{table}.{c}" in found.ids]
            key = _key(table)
            if table == "customers" and "customers.customer_id" in found.ids:
                _fill_from_duplicates(con)
            if key and table in found.duplicates:
                # of the rows sharing a canonical key, the one imported last stays
                keyed = ", ".join(canonical_sql(c) if c in _id_columns()[table] else f'"{c}"' for c in key)
                order = f'"{IMPORT_ID}" DESC NULLS LAST, rowid DESC' if table in TABLES else "rowid DESC"
                if table == "customers":  # the customer under its canonical id stays (filled in above)
                    order = f"(customer_id IS NOT DISTINCT FROM {canonical_sql('customer_id')}) DESC, {order}"
                con.execute(f"""DELETE FROM "{table}" WHERE rowid IN (
                                SELECT rowid FROM (SELECT rowid, row_number() OVER (
                                    PARTITION BY {keyed} ORDER BY {order}) AS n FROM "{table}")
                                WHERE n > 1)""")
            if columns:
                sets = [f'"{c}" = {canonical_sql(c)}' for c in columns]
                if table in KEYED_TABLES and "customer_id" in columns:
                    sets.append(f'"{KEY}" = {key_sql(canonical_sql("customer_id"))}')
                con.execute(f'UPDATE "{table}" SET {", ".join(sets)} WHERE '
                            + " OR ".join(f'"{c}" IS DISTINCT FROM {canonical_sql(c)}' for c in columns))
        dropped = ", ".join(f"{t} {n:,}" for t, n in found.duplicates.items()) or "none"
        audit.record_many(con, [{
            "action": "customer.merge", "actor": actor, "customer_id": canon, "subject": "customer_id",
            "old": old, "new": canon,
            "reason": ("merged into the existing customer" if exists else "renamed")
                      + f"; tierwise doctor wrote the ids as an import writes them now (duplicate rows "
                        f"dropped: {dropped})"}
            for old, canon, exists in renamed])
    found.customers_merged = sum(1 for r in renamed if r[2])
    found.customers_renamed = len(renamed) - found.customers_merged
    found.mended = True
    return found


def _fill_from_duplicates(con: Any) -> None:
    """Where a customer kept under its canonical id has an empty attribute, take the value its
    duplicate (the non-canonical id) holds; the duplicate row itself goes with the duplicates."""
    columns = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'customers' AND column_name <> "
        "'customer_id' AND NOT list_contains(?, column_name)", [sorted(own_columns(CUSTOMERS))]).fetchall()]
    if not columns:
        return
    sets = ", ".join(f'"{c}" = coalesce(k."{c}", d."{c}")' for c in columns)
    con.execute(f"""UPDATE customers AS k SET {sets}
                    FROM (SELECT * FROM customers WHERE customer_id IS DISTINCT FROM
                          {canonical_sql('customer_id')}) d
                    WHERE k.customer_id = {canonical_sql('d.customer_id')}""")
