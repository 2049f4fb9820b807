"""The workspace database: one DuckDB file holding a company's data, reached through Ibis.

:class:`Database` is the lowest layer: the connection, transactions, the schema and its
migrations. Nothing here knows about metrics, schemes or people; the facade every front end
calls is :class:`tierwise.Workspace`, built on top of this.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import ibis
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import ibis.expr.schema as sch
import pyarrow as pa

from tierwise.errors import WorkspaceError
from tierwise.settings import Settings
from tierwise.store import audit, changes
from tierwise.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tierwise.store.schema import TABLES

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend as DuckDBBackend

log = logging.getLogger("tierwise.store")


@functools.lru_cache(maxsize=4096)
def _column_type(typ: str, nullable: bool) -> dt.DataType:
    """Ibis's type for a DuckDB column type (as DESCRIBE prints it)."""
    from ibis.backends.sql.datatypes import DuckDBType

    return DuckDBType.from_string(typ, nullable=nullable)


class Database:
    """A company's workspace database: its connection, transactions and tables.

    Parameters
    ----------
    backend
        An Ibis DuckDB backend connected to the workspace file.
    settings
        The settings it was opened with.
    """

    def __init__(self, backend: DuckDBBackend, settings: Settings) -> None:
        self.ibis = backend
        self.settings = settings
        self._depth = 0  # open transaction blocks (a block inside another joins it)
        self._after: list[Callable[[], None]] = []  # what runs once the open transaction commits

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings, *, create: bool = False) -> Database:
        """Open the workspace at ``settings.db``; with ``create``, make it if missing.

        An existing workspace of an older schema version is migrated in place.
        """
        path = Path(settings.db)
        if not path.exists() and not create:
            raise WorkspaceError(
                f"no workspace at {path}: create one with `tierwise init` "
                f"(or `tierwise demo` for sample data), or point --db / TIERWISE_DB at yours"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        config = settings.engine_config()
        try:
            backend = ibis.duckdb.connect(str(path), **config)
        except duckdb.OutOfMemoryException as exc:  # (its text says "block": not a lock)
            raise WorkspaceError(
                f"cannot open workspace {path} within memory_limit {settings.memory_limit} (the engine "
                f"gets {config.get('memory_limit')}): {str(exc).splitlines()[0]}; raise it "
                f"(--memory-limit 1GB or TIERWISE_MEMORY_LIMIT), or leave it at auto / "
                f"内存上限 {settings.memory_limit} 过低，无法打开工作区：请调高 memory_limit 设置"
            ) from None
        except duckdb.Error as exc:  # locked by another process, not a DuckDB file, ...
            if re.search(r"\block\b", str(exc), re.IGNORECASE):
                raise WorkspaceError(
                    f"workspace {path} is in use by another process ({exc}): another tierwise command "
                    "is still running on it; try again when it ends (while `tierwise serve` runs, "
                    "commands go through it and share the file) / "
                    "工作区正被另一个命令使用，请等它结束后重试（运行 tierwise serve 时各命令可同时使用）"
                ) from None
            raise WorkspaceError(f"cannot open workspace {path}: {exc}") from None
        ws = cls(backend, settings)
        ws._migrate()
        ws._currency()
        return ws

    def _currency(self) -> None:
        """Keep the ``currency`` setting in the workspace when given (a change is recorded in
        the audit trail), and write money in the workspace's from now on (CNY by default)."""
        from tierwise.settings import use_currency

        row = self.con.execute("SELECT value FROM tierwise_meta WHERE key = 'currency'").fetchone()
        kept = row[0] if row else None
        wanted = self.settings.currency
        if wanted is not None and wanted != kept:
            from tierwise.store import audit

            with self.transaction() as con:
                con.execute("INSERT OR REPLACE INTO tierwise_meta VALUES ('currency', ?)", [wanted])
                audit.record_many(con, [{"action": "workspace.currency", "subject": "currency", "old": kept,
                                         "new": wanted, "actor": audit.current_user(self.settings.user)}])
            kept = wanted
        use_currency(kept or "CNY")

    @property
    def currency(self) -> str:
        """The code of the currency the workspace's amounts are in."""
        row = self.con.execute("SELECT value FROM tierwise_meta WHERE key = 'currency'").fetchone()
        return str(row[0]) if row else "CNY"

    def close(self) -> None:
        self.ibis.disconnect()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return Path(self.settings.db)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The raw DuckDB connection (for file reading and transactions)."""
        return self.ibis.con

    # -- schema ------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tierwise_meta'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.con.execute(
            "SELECT value FROM tierwise_meta WHERE key = 'schema_version'"
        ).fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise WorkspaceError(
                f"{self.path} has schema version {current}, newer than this tierwise "
                f"understands ({SCHEMA_VERSION}): upgrade tierwise"
            )
        if current == SCHEMA_VERSION:
            return
        if current:  # an existing workspace: at a million customers this takes a minute, once
            log.warning(f"upgrading {self.path} from schema {current} to {SCHEMA_VERSION} (once; a minute "
                        "at a million customers) …" if self.settings.lang == "en" else
                        f"正在升级工作区 {self.path}（结构版本 {current} → {SCHEMA_VERSION}，只需一次；"
                        "百万客户约需一分钟）…")
        with self.transaction() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS tierwise_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
            )
            for step in MIGRATIONS[current:]:
                step(con)
            con.execute(
                "INSERT OR REPLACE INTO tierwise_meta VALUES ('schema_version', ?)",
                [str(SCHEMA_VERSION)],
            )

    @contextlib.contextmanager
    def transaction(self, *, writer: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block as one transaction: all of it lands, or none of it.

        Audit rows the block records (:mod:`tierwise.store.audit`) hold the workspace's one
        audit writer from the first of them until the COMMIT or ROLLBACK, so concurrent
        transactions chain them one after the other: record them last in the block.
        ``writer``: the block holds the writer from its start (waiting for another's commit),
        so it sees every change committed under the writer (the tasks: one sync at a time).

        A block opened inside another joins it: it lands with the outer one, or not at all (a
        credit-limit change and the tasks it re-checks are one transaction).
        """
        con = self.con
        if self._depth:
            self._depth += 1
            try:
                if writer:
                    audit.hold_writer(con)
                yield con
            finally:
                self._depth -= 1
            return
        con.execute("BEGIN TRANSACTION")
        audit.begin(con)
        self._depth = 1
        committed = False
        try:
            try:
                if writer:
                    audit.hold_writer(con, at_start=True)
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")  # a failed COMMIT rolls back: the audit head stays
            committed = True
        finally:
            self._depth = 0
            audit.end(con, committed=committed)
            after, self._after = self._after, []
        for fn in after if committed else ():
            fn()

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the open transaction has committed (not at all if it rolls back);
        outside a transaction, now (what was written is already committed)."""
        if self._depth:
            self._after.append(fn)
        else:
            fn()

    def tasks_changed(self, customers: Iterable[str] | None) -> None:
        """Report, once committed, that the tasks of ``customers`` (None: anyone's) changed
        (:mod:`tierwise.store.changes`)."""
        ids = None if customers is None else frozenset(customers)
        self.after_commit(lambda: changes.tasks_changed(self.path, ids))

    # -- reading -----------------------------------------------------------------------
    def table(self, name: str) -> ibis.Table:
        """The Ibis table ``name`` (a canonical table or a tierwise table).

        Like ``self.ibis.table(name)``, but with each column type parsed once per process: Ibis
        parses every type of a DESCRIBE with sqlglot (about 14 ms for the customers table), which
        the web app paid three times a request. The DESCRIBE itself (about 1 ms) still runs each
        time, so a changed table is always seen as it is.
        """
        try:
            rows = self.con.sql(f'DESCRIBE "{name.replace(chr(34), chr(34) * 2)}"').fetchall()
        except duckdb.CatalogException:
            return self.ibis.table(name)  # Ibis's own error for a missing table
        fields = {}
        for column, typ, null, *_ in rows:
            fields[column] = _column_type(str(typ), null == "YES")
            if fields[column].is_geospatial():
                return self.ibis.table(name)  # Ibis loads the spatial extension first
        return ops.DatabaseTable(
            name, schema=sch.Schema(fields), source=self.ibis, namespace=ops.Namespace()
        ).to_expr()

    def register(self, name: str, table: pa.Table) -> ibis.Table:
        """``table`` as a temporary engine table called ``name`` (replacing one of that name)."""
        return self.ibis.create_table(f"_tw_{name}", obj=table, temp=True, overwrite=True)

    def unregister(self, name: str) -> None:
        """Drop the temporary table :meth:`register` made for ``name``."""
        self.con.execute(f'DROP TABLE IF EXISTS "_tw_{name}"')

    def counts(self) -> dict[str, int]:
        """Row count of each canonical table."""
        out: dict[str, int] = {}
        for name in TABLES:
            row = self.con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            out[name] = int(row[0]) if row else 0
        return out
