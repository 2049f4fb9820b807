"""What the workbook's sheet builders share (reports/workbook.py and reports/workbook_credit.py
build the sheets): :class:`Book`, what every sheet reads; :class:`Sheet`, one sheet's name and
rows; and :class:`Staged`, a sheet's rows kept on DuckDB until the workbook is written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.reports.snapshot import SnapshotInfo, pick, registered

if TYPE_CHECKING:
    from tierwise.access.scope import Scope
    from tierwise.store.database import Database

SCOPE = "_tw_wb_scope"


@dataclass
class Sheet:
    """One sheet: its name, its rows, and headers that differ from
    :data:`tierwise.reports.workbook.HEADERS`."""

    name: str
    table: pa.Table | Staged
    heads: dict[str, tuple[str, str]] = field(default_factory=dict)
    scheme: str | None = None  # a scheme's class list: its scheme


class Staged:
    """A sheet's rows kept on DuckDB (a temporary table, in the order of its query) and read
    back in batches of consecutive row ids: a sheet of a million customers is never whole in
    Python, and no query result stays open while the workbook is written. ``offset`` and
    ``rows`` make it a part of the table (a sheet of more rows than Excel holds keeps its first)."""

    def __init__(self, con: Any, name: str, offset: int = 0, rows: int | None = None,
                 total: int | None = None) -> None:
        self.con, self.name, self.offset = con, name, offset
        if rows is None:
            (rows,) = con.execute(f"SELECT count(*) FROM {name}").fetchone()
        self.num_rows: int = int(rows)
        self.total: int = self.num_rows if total is None else total  # the query's rows, kept or not
        self.schema: pa.Schema = con.execute(f"SELECT * FROM {name} LIMIT 0").to_arrow_table().schema

    @property
    def column_names(self) -> list[str]:
        return list(self.schema.names)

    def part(self, offset: int, length: int) -> Staged:
        """Rows ``offset`` .. ``offset + length`` of this one, as a Staged of their own."""
        return Staged(self.con, self.name, self.offset + offset, max(0, min(length, self.num_rows - offset)))

    def slice(self, offset: int = 0, length: int | None = None) -> pa.Table:
        """Rows ``offset`` .. ``offset + length`` (all to the end without a length)."""
        end = self.num_rows if length is None else min(self.num_rows, offset + length)
        return self.con.execute(f"SELECT * FROM {self.name} WHERE rowid >= ? AND rowid < ?",
                                [self.offset + offset, self.offset + end]).to_arrow_table()

    def to_batches(self, max_chunksize: int | None = None) -> Iterator[pa.RecordBatch]:
        size = max_chunksize or 65_536
        for start in range(0, self.num_rows, size):
            yield from self.slice(start, size).combine_chunks().to_batches()


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

    staged: list[str] = field(default_factory=list)

    def only(self, alias: str) -> str:
        """SQL narrowing ``alias.customer_id`` to the scope ('' when everyone is in it)."""
        return "" if self.ids is None else f" AND {alias}.customer_id IN (SELECT customer_id FROM {SCOPE})"

    def stage(self, sql: str, params: Any = None, *, sheet: bool = True, **tables: pa.Table) -> Staged:
        """The rows of ``sql`` kept on DuckDB, in its order, until the workbook is written. A
        ``sheet``'s rows are kept only up to what one Excel sheet holds (the query's top rows,
        a top-N instead of a whole sort: at ten million customers each class list is ten times
        what a sheet shows), with how many there are in all (``Staged.total``)."""
        name = f"_tw_wb_sheet_{len(self.staged)}_{uuid.uuid4().hex[:8]}"
        with registered(self.ws, **tables):
            self.ws.con.execute(f"CREATE TEMP TABLE {name} AS {sql}"
                                + (f" LIMIT {self.sheet_rows + 1}" if sheet else ""), params or [])
            self.staged.append(name)
            staged = Staged(self.ws.con, name)
            if sheet and staged.num_rows > self.sheet_rows:  # cut: how many in all (without the
                # columns, which the engine then leaves out: the reasons' text is not made again)
                counted = self.ws.con.execute(f"SELECT count(*) FROM ({sql})", params or []).fetchone()
                staged.total = int(counted[0]) if counted else staged.num_rows
        return staged
