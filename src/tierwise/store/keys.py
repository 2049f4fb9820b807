"""The key that finds one customer's rows in the big tables without an index.

``classes`` and ``snapshot_customers`` (14 rows per customer per snapshot at 19 schemes) are
written sorted by ``customer_key`` within each snapshot, so a lookup by the key reads one
row group per snapshot through DuckDB's min/max zone maps (under a millisecond at a million
customers) instead of keeping an ART index on ``customer_id``: the index made writing a
snapshot 11 s slower and replacing one (same as-of date) take five minutes at that size.

The order lines, payments and follow-ups (:data:`FACT_TABLES`) are written the same way, each
import's new rows sorted by the key: a lookup reads about one row group per import. Their ART
indexes held 2.1 GB of memory for 103M order lines until the import committed, so no import
of that size could finish under a 2 GB memory limit.

The ``tasks`` too: each sync writes the tasks it opens in key order, so one
customer's tasks are found in a row group or two per sync. Their ART indexes (the task id as a
primary key and the customer) had to be whole in memory when a refresh of ten million
customers' 38M tasks committed, and did not fit in 2 GB.

And the ``customers``: each import writes the customers it adds in key order (those a file of
orders names too). Their ART index held 408 MiB at ten million customers, which DuckDB cannot
spill: in the process that had imported them, importing 103M order lines under the engine's
half of a 2 GB limit ran out.

The key is the low 64 bits of the MD5 of the id, exactly what DuckDB's ``md5_number_lower``
returns, so SQL writes it and Python computes it for a lookup. MD5 is fixed by its RFC: the
key of an id never changes between versions (DuckDB's ``hash()`` gives no such promise).
A collision only costs the lookup a second row: queries also compare ``customer_id``.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

FACT_TABLES = ("orders", "payments", "activities")
# every table found by the key
KEYED_TABLES = ("customers", *FACT_TABLES, "classes", "snapshot_customers", "tasks")
KEY = "customer_key"
SORT_ROWS = 2_000_000  # rows sorted at once when a snapshot is written in key order
MAX_SORT_RANGES = 64


def customer_key(customer_id: str) -> int:
    """``customer_id``'s key (an unsigned 64-bit integer), as ``md5_number_lower`` computes it."""
    digest = hashlib.md5(customer_id.encode("utf-8"), usedforsecurity=False).digest()
    return int.from_bytes(digest[8:], "little")


def key_sql(column: str) -> str:
    """The SQL expression of the key of the customer id in ``column``."""
    return f"md5_number_lower({column})"


def one_customer_sql(key: str = "?", customer: str = "?", alias: str = "") -> str:
    """The condition that a row of a table of :data:`KEYED_TABLES` (``alias``) is one
    customer's: its key first (the zone maps skip every other row group), then the id (a key
    shared by two ids). ``key`` and ``customer`` are the parameters, in that order."""
    of = f"{alias}." if alias else ""
    return f"{of}customer_key = {key}::UBIGINT AND {of}customer_id = {customer}"


def one_customer_args(customer: str) -> list[object]:
    """The positional parameters of :func:`one_customer_sql`'s default ``?`` marks."""
    return [customer_key(customer), customer]


def has_customer(con: duckdb.DuckDBPyConnection, customer: str) -> bool:
    """Whether the workspace holds the customer ``customer`` (found by its key)."""
    return con.execute(f"SELECT count(*) FROM customers WHERE {one_customer_sql()}",
                       one_customer_args(customer)).fetchone() != (0,)


def customers_in_sql(alias: str = "") -> str:
    """The condition that a row of a table of :data:`KEYED_TABLES` (``alias``) is one of a list
    of customers (up to tens of thousands): their keys first, then their ids; the parameters,
    positional, are :func:`customers_in_args`."""
    of = f"{alias}." if alias else ""
    return f"{of}customer_key IN (SELECT unnest(?::UBIGINT[])) AND {of}customer_id IN (SELECT unnest(?))"


def customers_in_args(customers: Sequence[str]) -> list[object]:
    """The positional parameters of :func:`customers_in_sql`."""
    return [[customer_key(c) for c in customers], list(customers)]


def key_ranges(rows: int) -> list[tuple[int, int | None]]:
    """Ranges of the key (low, high; None: to the end) that split ``rows`` rows into sorts of
    about :data:`SORT_ROWS`: written one range after the other, each sorted, the rows are in key
    order while a sort holds a bounded part of them (sorting the 13.7M class rows of a million
    customers at once peaked at 10.6 GiB; in 8 ranges at 6.7 GiB, and no slower)."""
    ranges = max(1, min(MAX_SORT_RANGES, -(-rows // SORT_ROWS)))
    bounds: list[int | None] = [i * (1 << 64) // ranges for i in range(ranges)]
    return [(int(low or 0), high) for low, high in itertools.pairwise([*bounds, None])]


def in_range_sql(column: str, low: int, high: int | None) -> str:
    """The SQL condition that the key in ``column`` is in the range ``low`` … ``high``."""
    return f"{column} >= {low}::UBIGINT" + ("" if high is None else f" AND {column} < {high}::UBIGINT")


# Up to this many ids go into a query as a list (of the ids, and of their keys for a keyed table);
# more are a table the rows are semi-joined with.
LOOKUP_IDS = 1000
# Up to this many customers' rows of a keyed table are read one customer at a time (a UNION ALL
# of key lookups, ~1 ms each through the zone maps); more are one pass over the table. A list of
# keys is not pruned key by key: 25 customers' tasks took 400 ms at a million customers.
UNION_IDS = 64


def id_filter(ids: Sequence[str], *, table: str, keyed: bool = False) -> tuple[str, dict[str, object]]:
    """A ``WHERE`` condition on ``customer_id`` for ``ids`` and its parameters: a list (``keyed``:
    and their customer keys, for a table of :data:`KEYED_TABLES`), or, for a long list, a
    semi-join with ``table`` (a one-column table of the ids the caller has registered)."""
    if len(ids) > LOOKUP_IDS:
        return f"customer_id IN (SELECT customer_id FROM {table})", {}
    if not keyed:
        return "customer_id IN (SELECT unnest($ids))", {"ids": list(ids)}
    return ("customer_key IN (SELECT unnest($keys::UBIGINT[])) AND customer_id IN (SELECT unnest($ids))",
            {"ids": list(ids), "keys": [customer_key(i) for i in ids]})


def keyed_select(table: str, columns: str, ids: Sequence[str], *, many: str) -> tuple[str, dict[str, object]]:
    """``SELECT columns FROM table`` for the rows of the customers ``ids`` in a table of
    :data:`KEYED_TABLES` (no index, written in key order) and its parameters.

    A few customers are looked up one by one, each by its key (the zone maps skip all but a row
    group or two); more go through :func:`id_filter` (``many``: the registered table of ids for
    a long list), a pass over the table whatever their number, which the lookups beat up to
    :data:`UNION_IDS` (measured at a million customers: 32 customers' tasks 28 ms one by one,
    187 ms in one pass; 512: 491 ms vs 341 ms)."""
    if not 0 < len(ids) <= UNION_IDS:
        where, params = id_filter(ids, table=many, keyed=True)
        return f"SELECT {columns} FROM {table} WHERE {where}", params
    parts = [f"(SELECT {columns} FROM {table} WHERE {one_customer_sql(f'$_tw_k{i}', f'$_tw_c{i}')})"
             for i in range(len(ids))]
    looked: dict[str, object] = {}
    for i, customer in enumerate(ids):
        looked[f"_tw_k{i}"], looked[f"_tw_c{i}"] = customer_key(customer), customer
    return " UNION ALL ".join(parts), looked
