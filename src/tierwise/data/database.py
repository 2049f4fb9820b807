"""Importing from a database (the ERP's or the shop system's) instead of a file.

``tierwise import orders --from-db URL (--source-table NAME | --query SQL)`` reads the rows with
SQLAlchemy (any database it has a driver for: SQLite with Python itself, MySQL with
``pymysql``, PostgreSQL with ``psycopg``, SQL Server, Oracle, ...), streamed in batches, into
a Parquet extract in the workspace's ``imports/`` folder, then imports that extract like any
file: the same header mapping, value rules, reasons and rejected-rows file
(``imports/<extract>.rejected.csv``). The extract stays as the record of what was read.

Every value is written as the text the database gives (numbers and dates in their plain
form), so the import reads it exactly as it reads a CSV export of the same query; row N of
the rejected file is the N-th row of the query's result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tierwise.errors import ConfigError, DataError
from tierwise.progress import Message, report

if TYPE_CHECKING:
    from tierwise.data.importer import ImportOptions, ImportSummary
    from tierwise.store.database import Database

BATCH = 50_000
EXTRACTS = "imports"
DRIVERS = {  # SQLAlchemy dialect: tierwise's extra that installs a driver, and the URL that uses it
    "mysql": ("mysql", "mysql+pymysql://"),
    "mariadb": ("mysql", "mariadb+pymysql://"),
    "postgresql": ("postgres", "postgresql+psycopg://"),
}


@dataclass(frozen=True)
class DatabaseSource:
    """Where the rows come from: a SQLAlchemy URL and a table or a query."""

    url: str
    table: str | None = None
    query: str | None = None

    def __post_init__(self) -> None:
        if (self.table is None) == (self.query is None):
            raise ConfigError("--from-db needs exactly one of --source-table NAME or --query SQL / "
                              "--from-db 需要 --source-table 或 --query 之一")

    @property
    def shown(self) -> str:
        """The URL without its password, and what is read (for messages and the summary)."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(self.url).render_as_string(hide_password=True)
        except ArgumentError:
            url = "(not a database URL)"
        what = f"table {self.table}" if self.table is not None else f"query {_one_line(self.query or '')}"
        return f"{url} {what}"


def import_database(ws: Database, table: str, source: DatabaseSource,
                    options: ImportOptions) -> ImportSummary:
    """Extract ``source`` into ``imports/`` and import the extract into ``table``."""
    from tierwise.data.importer import import_file

    folder = ws.path.parent / EXTRACTS
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = re.sub(r"[^\w.-]+", "_", source.table or "query")[:40]
    extract = folder / f"{table}-{name}-{stamp}.parquet"
    extract_rows(source, extract, options.progress or (lambda message: report(None, message)))
    try:
        return import_file(ws, table, extract, replace(options, source=source.shown))
    finally:
        if options.dry_run:  # nothing was imported: keep no extract
            extract.unlink(missing_ok=True)


def extract_rows(source: DatabaseSource, target: Path, step: Callable[[Message], None] | None = None) -> int:
    """Stream the rows of ``source`` into the Parquet file ``target`` (one text column per
    result column, named as the database names them); returns how many rows."""
    import sqlalchemy as sa
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    shown = source.shown
    try:
        engine = sa.create_engine(source.url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ConfigError(f"--from-db {shown}: {exc}. Write a SQLAlchemy URL such as "
                          f"sqlite:///erp.db, mysql+pymysql://user:pw@host/db or "
                          f"postgresql+psycopg://user:pw@host/db / 数据库地址格式有误") from None
    except ModuleNotFoundError as exc:
        raise ConfigError(_missing_driver(source.url, exc)) from None
    statement: Any
    if source.table is not None:
        schema, _, name = source.table.rpartition(".")  # sales.orders: table orders of schema sales
        statement = sa.select(sa.text("*")).select_from(sa.table(name, schema=schema or None))
    else:
        statement = sa.text(source.query or "")
    part = target.with_name(target.name + ".part")
    count = 0
    try:
        with engine.connect() as con:
            result = con.execution_options(stream_results=True, yield_per=BATCH).execute(statement)
            headers = _headers(list(result.keys()), shown)
            schema = pa.schema([(h, pa.string()) for h in headers])
            with pq.ParquetWriter(part, schema) as writer:
                for batch in result.partitions(BATCH):
                    columns = list(zip(*batch, strict=True)) if batch else [()] * len(headers)
                    writer.write_table(pa.table([_column(col) for col in columns], schema=schema))
                    count += len(batch)
                    if step:
                        step(Message(f"read {count:,} rows from the database",
                                     f"已从数据库读取 {count:,} 行"))
        part.replace(target)
    except ModuleNotFoundError as exc:
        raise ConfigError(_missing_driver(source.url, exc)) from None
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise DataError(f"--from-db {shown}: the database said: {first} / 数据库报错：{first}") from None
    finally:
        part.unlink(missing_ok=True)
        engine.dispose()
    return count


def _headers(names: list[str], shown: str) -> list[str]:
    if not names:
        raise DataError(f"--from-db {shown}: the query returns no columns / 查询没有返回任何列")
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise DataError(f"--from-db {shown}: two result columns are called {n!r}; give one an "
                            f"alias (SELECT a.id AS order_id, ...) / 结果中有重名列 {n!r}，请用 AS 改名")
        seen.add(n)
    return names


def _column(values: tuple[Any, ...]) -> pa.Array:
    """One result column as text: whole columns of text, integers or floats go through Arrow
    in one step; anything else (decimals, dates, a mix) value by value with :func:`_text`."""
    kinds = {type(v) for v in values} - {type(None)}
    if kinds <= {str}:
        return pa.array(values, pa.string())
    if kinds <= {int}:
        return pa.array(values, pa.int64()).cast(pa.string())
    if kinds <= {int, float, str} and all(
            -(2**53) < v < 2**53 for v in values if type(v) is int):  # SQLite NUMERIC mixes them
        # numbers through Arrow in one step; a few text values (an amount typed as 'abc') kept as text
        text = pa.array([v if type(v) is str else None for v in values], pa.string())
        numbers = pa.array([None if type(v) is str else v for v in values], pa.float64()).cast(pa.string())
        if not pc.any(pc.match_substring(numbers, "e")).as_py():  # 1e+20 would not read as an amount
            return pc.coalesce(text, numbers)
    return pa.array([_text(v) for v in values], pa.string())


def _text(value: Any) -> str | None:
    """A database value as the text a CSV export would hold."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f") if "e" in repr(value) else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.hex()
    return str(value)


def _missing_driver(url: str, exc: ModuleNotFoundError) -> str:
    dialect = url.split(":", 1)[0].split("+", 1)[0].lower()
    if dialect in DRIVERS:
        extra, prefix = DRIVERS[dialect]
        how = f"pip install 'tierwise[{extra}]' and write the URL as {prefix}..."
    else:
        how = f"pip install {exc.name or 'the driver of ' + dialect}"
    return (f"--from-db: the Python driver {exc.name!r} for {dialect} is not installed: {how} / "
            f"未安装 {dialect} 数据库驱动：{how}")


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 80 else flat[:77] + "..."
