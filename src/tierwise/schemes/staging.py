"""The class rows of a classification between their assignment and the snapshot.

A snapshot's class rows are stored in customer-key order (one customer's rows are then found
through the key's zone maps), sorted a bounded key range at a time (:func:`~tierwise.store.keys.
key_ranges`). Each range used to be read from one temporary table of every staged row, so each
range read all of them: at a million customers (13.7M rows, a 2.5 GB table) seven ranges took
13.7 s where one unsorted write takes 6.4 s, 18.5 s under a 2GB limit (the table spilled and
was read back seven times), and at ten million customers the 64 ranges read 137M rows 64 times
from the spill. Here the rows are staged once, as Parquet files split by the top bits of the
customer key, and each range reads only its own files: 15.5 s under 2GB at a million customers.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tierwise.store import keys
from tierwise.store.keys import key_sql

if TYPE_CHECKING:
    import duckdb

    from tierwise.store.database import Database

MAX_BITS = 6  # at most 64 buckets (key_ranges sorts at most 64 ranges)
# the columns of a staged row, with the types the classes table stores
COLUMNS = (("customer_id", "VARCHAR"), ("class", "VARCHAR"), ("score", "DOUBLE"), ("why", "DOUBLE[]"),
           ("why_text", "VARCHAR[]"), ("scheme", "VARCHAR"), ("revenue", "DECIMAL(18,2)"))


def _spill_folder(con: duckdb.DuckDBPyConnection) -> str | None:
    """Where DuckDB spills (``<workspace>.tmp`` by default; its folder while that does not
    exist): staged rows are about as large as what a classification would spill, and the
    system's temporary folder may be small or in memory."""
    row = con.execute("SELECT current_setting('temp_directory')").fetchone()
    folder = Path(str(row[0])) if row and row[0] else None
    if folder is None or not folder.is_absolute():
        return None
    return str(folder if folder.is_dir() else folder.parent) if folder.parent.is_dir() else None


class Staged:
    """Staged class rows: Parquet files under a private folder (deleted by :meth:`close`), in
    ``2 ** bits`` buckets by the top bits of the customer key, enough that a bucket holds at most
    about :data:`~tierwise.store.keys.SORT_ROWS` of the ``expected`` rows."""

    def __init__(self, ws: Database, expected: int) -> None:
        ranges = max(1, -(-expected // keys.SORT_ROWS))
        self.bits = min(MAX_BITS, (ranges - 1).bit_length())
        self.con = ws.con
        self.folder = Path(tempfile.mkdtemp(prefix="tierwise-stage-", dir=_spill_folder(ws.con)))
        self._parts = 0

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, sql: str) -> int:
        """Stage the rows of the query ``sql`` (columns :data:`COLUMNS`) in one pass; how many."""
        select = ", ".join(f"CAST({name} AS {kind}) AS {name}" for name, kind in COLUMNS)
        key = key_sql("customer_id")
        target = _quoted(str(self.folder / f"part{self._parts}"))
        self._parts += 1
        rows = f"SELECT {select}, {key} AS customer_key FROM ({sql})"
        if self.bits == 0:
            done = self.con.execute(f"COPY ({rows}) TO '{target}.parquet' (FORMAT parquet)").fetchone()
        else:
            bucket = f"(customer_key >> {64 - self.bits})::UTINYINT"
            done = self.con.execute(f"COPY (SELECT *, {bucket} AS bucket FROM ({rows})) TO '{target}' "
                                    "(FORMAT parquet, PARTITION_BY (bucket))").fetchone()
        return int(done[0]) if done else 0

    def files(self) -> dict[int, list[str]]:
        """Each bucket's files."""
        found: dict[int, list[str]] = {}
        for path in sorted(self.folder.rglob("*.parquet")):
            bucket = int(path.parent.name.removeprefix("bucket=")) if self.bits else 0
            found.setdefault(bucket, []).append(str(path))
        return found

    def ranges(self) -> Iterator[tuple[int, int | None, list[str]]]:
        """Key ranges (low, high; None: to the end) covering every key, adjacent buckets taken
        together up to about :data:`~tierwise.store.keys.SORT_ROWS` rows, with the files that hold
        their rows."""
        files = self.files()
        rows = {}
        if files:
            counted = self.con.execute("SELECT file_name, num_rows FROM parquet_file_metadata(?)",
                                       [[f for fs in files.values() for f in fs]]).fetchall()
            rows = {str(name): int(n) for name, n in counted}
        shift = 64 - self.bits
        low, total = 0, 0
        held: list[str] = []
        for bucket in range(1 << self.bits):
            mine = files.get(bucket, [])
            size = sum(rows[f] for f in mine)
            if held and total + size > keys.SORT_ROWS:
                yield low, bucket << shift, held
                low, held, total = bucket << shift, [], 0
            held, total = held + mine, total + size
        yield low, None, held

    def everything(self) -> str:
        """A relation of every staged row (SQL), for the few lookups that need them all."""
        return source_sql([f for fs in self.files().values() for f in fs])


def source_sql(files: list[str]) -> str:
    """The staged rows of ``files`` as a relation; an empty one with no file."""
    if not files:
        columns = ", ".join(f"NULL::{kind} AS {name}" for name, kind in COLUMNS)
        return f"(SELECT {columns}, NULL::UBIGINT AS customer_key LIMIT 0)"
    quoted = ", ".join(f"'{_quoted(f)}'" for f in files)
    return f"read_parquet([{quoted}], hive_partitioning = false)"


def _quoted(path: str) -> str:
    """``path`` inside a SQL string literal."""
    return path.replace("'", "''")
