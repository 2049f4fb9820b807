"""The class rows of a classification between their assignment and the snapshot.

A snapshot's class rows are stored in customer-key order (one customer's rows are then found
through the key's zone maps), sorted a bounded key range at a time. Each range used to be read
from one temporary table of every staged row, so each range read all of them: at a million
customers (13.7M rows, a 2.5 GB table) seven ranges took 13.7 s where one unsorted write takes
6.4 s, 18.5 s under a 2GB limit (the table spilled and was read back seven times), and at ten
million customers the 64 ranges read 137M rows 64 times from the spill. Here the rows are
staged once in key buckets (:class:`~tierwise.store.buckets.KeyBuckets`) and each range reads
only its own files: 10.7 s at a million customers under 2GB; at ten million classify took
686.8 s instead of 2,798.5.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tierwise.store.buckets import KeyBuckets, files_sql
from tierwise.store.keys import KEY, key_sql

if TYPE_CHECKING:
    from tierwise.store.database import Database

# the columns of a staged row, with the types the classes table stores
COLUMNS = (("customer_id", "VARCHAR"), ("class", "VARCHAR"), ("score", "DOUBLE"), ("why", "DOUBLE[]"),
           ("why_text", "VARCHAR[]"), ("scheme", "VARCHAR"), ("revenue", "DECIMAL(18,2)"))
_TYPED = ", ".join(f"CAST({name} AS {kind}) AS {name}" for name, kind in COLUMNS)
_NULLS = ", ".join(f"NULL::{kind} AS {name}" for name, kind in COLUMNS)
EMPTY = f"SELECT {_NULLS}, NULL::UBIGINT AS {KEY} LIMIT 0"


class Staged(KeyBuckets):
    """Staged class rows (columns :data:`COLUMNS` and the key), for about ``expected`` rows."""

    def __init__(self, ws: Database, expected: int) -> None:
        super().__init__(ws.con, expected)

    def write(self, sql: str, *, keyed: bool = False) -> int:
        """Stage the class rows of the query ``sql`` (columns :data:`COLUMNS`, and :data:`KEY`
        when ``keyed``: the key computed once per customer, not per row), keyed; how many."""
        key = f"CAST({KEY} AS UBIGINT)" if keyed else key_sql("customer_id")
        return super().write(f"SELECT {_TYPED}, {key} AS {KEY} FROM ({sql})")

    def everything_sql(self) -> str:
        """A relation of every staged row (SQL), for the few lookups that need them all."""
        return source_sql(self.everything())


def source_sql(files: list[str]) -> str:
    """The staged class rows of ``files`` as a relation; an empty one with no file."""
    return files_sql(files, EMPTY)
