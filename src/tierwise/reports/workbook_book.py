"""What the workbook's sheet builders share (reports/workbook.py and reports/workbook_credit.py
build the sheets): :class:`Book`, what every sheet reads; :class:`Sheet`, one sheet's name and
rows; and :class:`Staged`, a sheet's rows kept on DuckDB until the workbook is written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tierwise.reports.snapshot import SnapshotInfo, pick, registered
from tierwise.store.buckets import quoted

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from tierwise.access.scope import Scope
    from tierwise.store.database import Database

SCOPE = "_tw_wb_scope"
ROW_GROUP = 65_536  # rows per row group of a staged sheet: what the writer reads at a time


@dataclass
class Sheet:
    """One sheet: its name, its rows, and headers that differ from
    :data:`tierwise.reports.workbook.HEADERS`."""

    name: str
    table: pa.Table | Staged
    heads: dict[str, tuple[str, str]] = field(default_factory=dict)
    scheme: str | None = None  # a scheme's class list: its scheme


class Staged:
    """A sheet's rows written in their order to a Parquet file until the workbook is written,
    and read back in batches: a sheet of a million customers is never whole in Python, and the
    waiting sheets hold no engine memory (at ten million customers they filled a 1 GB engine
    and the next sheet's query ran out). ``offset`` and ``rows`` make it a part of the file (a
    sheet of more rows than Excel holds keeps its first); ``schema`` is the query's own (what
    the engine gives Arrow: a HUGEINT sum stays a decimal, which Parquet would keep as a
    double)."""

    def __init__(self, path: Path, schema: pa.Schema, offset: int = 0, rows: int | None = None,
                 total: int | None = None) -> None:
        self.path, self.schema, self.offset = path, schema, offset
        self._file = pq.ParquetFile(path)
        meta = self._file.metadata
        self._groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        self.num_rows: int = max(0, meta.num_rows - offset) if rows is None else int(rows)
        self.total: int = self.num_rows if total is None else total  # the query's rows, kept or not

    @property
    def column_names(self) -> list[str]:
        return list(self.schema.names)

    def part(self, offset: int, length: int) -> Staged:
        """Rows ``offset`` .. ``offset + length`` of this one, as a Staged of their own."""
        return Staged(self.path, self.schema, self.offset + offset,
                      max(0, min(length, self.num_rows - offset)))

    def slice(self, offset: int = 0, length: int | None = None) -> pa.Table:
        """Rows ``offset`` .. ``offset + length`` (all to the end without a length)."""
        end = self.num_rows if length is None else min(self.num_rows, offset + length)
        batches = list(self._batches(self.offset + offset, self.offset + end, 65_536))
        return pa.Table.from_batches(batches, self.schema)

    def to_batches(self, max_chunksize: int | None = None) -> Iterator[pa.RecordBatch]:
        yield from self._batches(self.offset, self.offset + self.num_rows, max_chunksize or 65_536)

    def _batches(self, start: int, end: int, size: int) -> Iterator[pa.RecordBatch]:
        """The file's rows ``start`` .. ``end`` in batches of at most ``size``, as ``schema``."""
        groups: list[int] = []
        first = at = 0
        for i, n in enumerate(self._groups):  # the row groups holding the rows wanted
            if at + n > start and at < end:
                if not groups:
                    first = at
                groups.append(i)
            at += n
        if not groups or start >= end:
            return
        at = first
        for batch in self._file.iter_batches(batch_size=size, row_groups=groups):
            lo, hi = max(start - at, 0), min(end - at, batch.num_rows)
            at += batch.num_rows
            if hi > lo:
                piece = batch.slice(lo, hi - lo)
                yield (piece if piece.schema.equals(self.schema)
                       else pa.RecordBatch.from_arrays(
                           [c.cast(f.type) for c, f in zip(piece.columns, self.schema, strict=True)],
                           schema=self.schema))
            if at >= end:
                return


class Placed(Staged):
    """A sheet's rows written in no order, each with its place (``_tw_n``), in Parquet files
    partitioned by place (``_tw_part``: :data:`ROW_GROUP` places each) and put in order a
    partition at a time as they are read: sorting a million rows with their reasons written
    out ran out of a 1 GB engine, and a partition is a few MB for Arrow to sort."""

    def __init__(self, path: Path, schema: pa.Schema, offset: int = 0, rows: int = 0,
                 total: int | None = None) -> None:
        self.path, self.schema, self.offset = path, schema, offset
        self.num_rows = rows
        self.total = self.num_rows if total is None else total

    def part(self, offset: int, length: int) -> Staged:
        return Placed(self.path, self.schema, self.offset + offset,
                      max(0, min(length, self.num_rows - offset)))

    def _batches(self, start: int, end: int, size: int) -> Iterator[pa.RecordBatch]:
        for part in range(start // ROW_GROUP, -(-end // ROW_GROUP)):
            files = sorted((self.path / f"_tw_part={part}").glob("*.parquet"))
            table = pa.concat_tables([pq.ParquetFile(f).read() for f in files])
            table = table.take(pc.sort_indices(table["_tw_n"])).drop_columns(["_tw_n"])
            lo = max(start - part * ROW_GROUP, 0)
            table = table.slice(lo, min(end - part * ROW_GROUP, table.num_rows) - lo)
            if not table.schema.equals(self.schema):
                table = table.cast(self.schema)
            yield from table.combine_chunks().to_batches(max_chunksize=size)


def note_table(lang: str, en: str, zh: str) -> pa.Table:
    """A sheet's rows when its data is missing: one note, in ``lang``."""
    return pa.table({"note": [pick(lang, en, zh)]})


@dataclass
class Book:
    """What every sheet reads: the snapshot, the language, the reference day and the scope."""

    ws: Database
    snap: SnapshotInfo
    lang: str
    on: date
    scope: Scope | None
    ids: pa.Table | None  # the scope's customer ids, registered as _tw_wb_scope (None: everyone)
    sheet_rows: int  # the rows one sheet holds (Excel's limit, given where the workbook is made)

    folder: Path | None = None  # where the sheets are staged (see :meth:`stage`)
    tables: list[str] = field(default_factory=list)  # the engine's temporary tables (see :meth:`table`)

    def only(self, alias: str) -> str:
        """SQL narrowing ``alias.customer_id`` to the scope ('' when everyone is in it)."""
        return "" if self.ids is None else f" AND {alias}.customer_id IN (SELECT customer_id FROM {SCOPE})"

    def table(self, sql: str, params: Any = None, **tables: pa.Table) -> str:
        """The rows of ``sql`` kept as a temporary table of the engine, for the statements after
        to join (dropped when the workbook is written); its name."""
        name = f"_tw_wb_table_{len(self.tables)}_{uuid.uuid4().hex[:8]}"
        with registered(self.ws, **tables):
            self.ws.con.execute(f"CREATE TEMP TABLE {name} AS {sql}", params or [])
        self.tables.append(name)
        return name

    def kept(self, expr: ir.Table) -> str:
        """The rows of the Ibis expression ``expr`` kept as a temporary table of the engine (its
        in-memory tables registered by Ibis), as :meth:`table` keeps SQL; its name."""
        name = f"_tw_wb_table_{len(self.tables)}_{uuid.uuid4().hex[:8]}"
        self.ws.ibis.create_table(name, obj=expr, temp=True)
        self.tables.append(name)
        return name

    def drop(self, name: str) -> None:
        """Drop the temporary table ``name`` (:meth:`table`, :meth:`kept`) now: once a sheet is
        staged its rows are in the Parquet file, and the engine's memory is the next sheet's."""
        self.ws.con.execute(f"DROP TABLE IF EXISTS {name}")
        self.tables.remove(name)

    def stage(self, sql: str, params: Any = None, *, sheet: bool = True, **tables: pa.Table) -> Staged:
        """The rows of ``sql`` in its order, written to a Parquet file of :attr:`folder` until the
        workbook is written. A ``sheet``'s rows are kept only up to what one Excel sheet holds
        (the query's top rows, a top-N instead of a whole sort: at ten million customers each
        class list is ten times what a sheet shows), with how many there are in all
        (``Staged.total``)."""
        if self.folder is None:
            raise RuntimeError("Book.stage outside build_sheets (no staging folder)")
        path = self.folder / f"sheet{len(list(self.folder.iterdir()))}.parquet"
        limit = f" LIMIT {self.sheet_rows + 1}" if sheet else ""
        con = self.ws.con
        with registered(self.ws, **tables):
            schema = con.execute(f"SELECT * FROM ({sql}) LIMIT 0", params or []).to_arrow_table().schema
            done = con.execute(f"COPY ({sql}{limit}) TO '{quoted(str(path))}' "
                               f"(FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP})", params or []).fetchone()
            staged = Staged(path, schema, rows=int(done[0]) if done else 0)
            if sheet and staged.num_rows > self.sheet_rows:  # cut: how many in all (without the
                # columns, which the engine then leaves out: the reasons' text is not made again)
                counted = self.ws.con.execute(f"SELECT count(*) FROM ({sql})", params or []).fetchone()
                staged.total = int(counted[0]) if counted else staged.num_rows
        return staged

    def stage_top(self, keys: str, order: str, rows: str, params: Any = None, **tables: pa.Table) -> Staged:
        """A sheet whose rows cost to make (their reasons written out), made for the rows it
        shows only: ``keys`` (the sheet's ``customer_id`` and the columns ``order`` sorts by,
        by name, and nothing costly) is ranked and cut to what a sheet holds first, counted in
        all when cut; then ``rows`` is made for those customers: it joins ``{top}`` (the kept
        keys), selects ``{top}.rowid AS _tw_n`` (the row's place) last and is not ordered
        (:class:`Placed` puts it in order). At ten million customers a class list is ten times a
        sheet.

        ``keys`` is kept as a table before it is sorted: sorted as it was joined (ten million
        classes with their customers' revenue), the sort and the join's hash table did not fit
        the engine's half of 2GB together; one after the other they do (3.6 s + 1.4 s)."""
        if self.folder is None:
            raise RuntimeError("Book.stage_top outside build_sheets (no staging folder)")
        con = self.ws.con
        ranked = self.table(keys, params, **tables)
        top = self.table(f"SELECT customer_id FROM {ranked} ORDER BY {order} LIMIT {self.sheet_rows + 1}")
        made = rows.replace("{top}", top)
        path = self.folder / f"placed{len(list(self.folder.iterdir()))}"
        with registered(self.ws, **tables):
            schema = con.execute(f"SELECT * EXCLUDE (_tw_n) FROM ({made}) LIMIT 0",
                                 params or []).to_arrow_table().schema
            done = con.execute(f"COPY (SELECT *, _tw_n // {ROW_GROUP} AS _tw_part FROM ({made})) "
                               f"TO '{quoted(str(path))}' (FORMAT parquet, PARTITION_BY (_tw_part))",
                               params or []).fetchone()
            kept = con.execute(f"SELECT count(*) FROM {top}").fetchone()
            written = int(done[0]) if done else 0
            if kept is None or written != kept[0]:
                raise AssertionError(f"{written} rows made for {kept} kept: {rows[:200]}")
            staged = Placed(path, schema, rows=written)
            if written > self.sheet_rows:  # cut: how many in all
                counted = con.execute(f"SELECT count(*) FROM {ranked}").fetchone()
                staged.total = int(counted[0]) if counted else written
        for name in (top, ranked):
            self.drop(name)
        return staged
