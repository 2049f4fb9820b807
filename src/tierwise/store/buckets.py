"""Rows staged once in files by customer-key bucket, for writing them in key order a bounded
range at a time.

Tables read by customer (classes, tasks, order lines ...) are written in customer-key order
(:mod:`tierwise.store.keys`), sorted a key range at a time so that one sort holds a bounded
part of them. When every range is read from one temporary table, every range reads all of its
rows: at ten million customers the 64 ranges of a snapshot read 137M class rows back from the
spill 64 times. Here the rows are staged once, as Parquet files split by the top bits of the key,
and each range reads only its own files (measured in schemes/staging.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tierwise.store import keys
from tierwise.store.keys import KEY

if TYPE_CHECKING:
    import duckdb

MAX_BITS = 6  # at most 64 buckets (as key_ranges: at most 64 ranges)
# From this many key ranges on, tasks are staged in buckets: staging 3.8M tasks costs about 6 s,
# a pass over them about 1.4 s (1M customers in memory, ranges forced; more once they spill).
# A snapshot's class rows are always staged (equal at 7 ranges in memory, quicker under a limit).
BUCKETED_RANGES = 4


def spill_folder(con: duckdb.DuckDBPyConnection) -> str | None:
    """Where DuckDB spills (``<workspace>.tmp`` by default; its folder while that does not
    exist): staged rows are about as large as what the same work would spill, and the system's
    temporary folder may be small or in memory."""
    row = con.execute("SELECT current_setting('temp_directory')").fetchone()
    folder = Path(str(row[0])) if row and row[0] else None
    if folder is None or not folder.is_absolute():
        return None
    return str(folder if folder.is_dir() else folder.parent) if folder.parent.is_dir() else None


# a staging folder, named with its process
STAGED = re.compile(r"tierwise-(?:stage|tasks|sheets|import|scratch)-(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep(folder: str) -> None:
    """Remove the staging folders in ``folder`` left by processes that ended without removing
    them (killed in the middle of a classification or a sync: at ten million customers about
    4 GB each); those of running processes stay."""
    for path in Path(folder).iterdir():
        found = STAGED.match(path.name)
        if found and path.is_dir() and not _alive(int(found.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def staging_folder(con: duckdb.DuckDBPyConnection, prefix: str) -> Path:
    """A new private folder for staged rows, beside the engine's spill (the system's temporary
    folder when there is none), named ``<prefix><pid>-`` so that :func:`sweep` knows whose it is;
    the folders killed runs left there are swept first. The caller removes it."""
    if not STAGED.match(f"{prefix}{os.getpid()}-"):
        raise ValueError(f"{prefix!r}: not a staging folder's name (store.buckets.STAGED)")
    where = spill_folder(con)
    sweep(where or tempfile.gettempdir())
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=where))


class KeyBuckets:
    """Rows staged as Parquet files under a private folder (deleted by :meth:`close`), in
    ``2 ** bits`` buckets by the top bits of their customer key (column :data:`KEY`), enough
    that a bucket holds at most about :data:`~tierwise.store.keys.SORT_ROWS` of ``expected``
    rows."""

    def __init__(self, con: duckdb.DuckDBPyConnection, expected: int, prefix: str = "tierwise-stage-",
                 ) -> None:
        ranges = max(1, -(-expected // keys.SORT_ROWS))
        self.bits = min(MAX_BITS, (ranges - 1).bit_length())
        self.con = con
        self.folder = staging_folder(con, prefix)
        self._parts = 0

    def __enter__(self) -> KeyBuckets:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, sql: str) -> int:
        """Stage the rows of the query ``sql`` (with a :data:`KEY` column) in one pass; how many."""
        target = quoted(str(self.folder / f"part{self._parts}"))
        self._parts += 1
        if self.bits == 0:
            done = self.con.execute(f"COPY ({sql}) TO '{target}.parquet' (FORMAT parquet)").fetchone()
        else:
            bucket = f"({KEY} >> {64 - self.bits})::UTINYINT"
            done = self.con.execute(f"COPY (SELECT *, {bucket} AS _tw_bucket FROM ({sql})) TO '{target}' "
                                    "(FORMAT parquet, PARTITION_BY (_tw_bucket))").fetchone()
        return int(done[0]) if done else 0

    def files(self) -> dict[int, list[str]]:
        """Each bucket's files."""
        found: dict[int, list[str]] = {}
        for path in sorted(self.folder.rglob("*.parquet")):
            bucket = int(path.parent.name.removeprefix("_tw_bucket=")) if self.bits else 0
            found.setdefault(bucket, []).append(str(path))
        return found

    def ranges(self) -> Iterator[tuple[int, int | None, list[str]]]:
        """Key ranges (low, high; None: to the end) covering every key, adjacent buckets taken
        together up to about :data:`~tierwise.store.keys.SORT_ROWS` rows, with the files that
        hold their rows."""
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

    def everything(self) -> list[str]:
        """Every file."""
        return [f for fs in self.files().values() for f in fs]


def files_sql(files: list[str], empty: str) -> str:
    """The rows of ``files`` as a relation; ``empty`` (a query of no rows, of the same columns)
    with no file."""
    if not files:
        return f"({empty})"
    listed = ", ".join(f"'{quoted(f)}'" for f in files)
    return f"read_parquet([{listed}], hive_partitioning = false)"


@contextlib.contextmanager
def attached(con: duckdb.DuckDBPyConnection, name: str, prefix: str, *, in_file: bool) -> Iterator[None]:
    """A new database attached as ``name`` for the block: with ``in_file``, a file in a private
    staging folder (``prefix``: :func:`staging_folder`) deleted after it; else one in memory.

    Why a file under a memory limit: an in-memory table's blocks (a temporary table's too) leave
    memory only by being written to the spill, a file's are dropped and read again (measured on
    the import's stage: :func:`tierwise.data.importer.stage_database`). The database is the
    engine's, seen by every cursor: ``name`` must be unique to its user."""
    folder = staging_folder(con, prefix) if in_file else None
    try:
        where = quoted(str(folder / "scratch.duckdb")) if folder is not None else ":memory:"
        con.execute(f"ATTACH '{where}' AS \"{name}\"")
        try:
            yield
        finally:
            con.execute(f'DETACH DATABASE IF EXISTS "{name}"')
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def quoted(path: str) -> str:
    """``path`` inside a SQL string literal."""
    return path.replace("'", "''")
