"""The workspace's tables on Spark, for companies that outgrow one machine.

The metrics and schemes are Ibis expressions, so they run unchanged on Spark through Ibis's
PySpark backend: :class:`SparkSource` offers the same ``table(name)`` as the workspace. Here
the canonical tables are handed to Spark as Parquet files written from the workspace (a
cluster would read them from shared storage instead; ``master`` says which Spark to use).

PySpark is optional: ``pip install 'tierwise[spark]'``; it needs Java 17.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

    from tierwise.store.database import Database

# Settings that make a local session quiet, deterministic and quick to start.
SPARK_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "8",
    # Adaptive execution plans a query stage by stage: classifying by the 19 presets (one union
    # of 19 plans) ran as 114 jobs instead of 30, 97 s instead of 69 s for 300 customers and
    # 128 s instead of 102 s for the demo's 20,000 on local[2] (same classes). A cluster that
    # wants it back sets it in the lake file's ``conf:``.
    "spark.sql.adaptive.enabled": "false",
    # a value that does not cast (a lake table's "N/A" amount) stops the run, as on Spark 4,
    # instead of becoming NULL on Spark 3.5 and dropping the row from the sums unseen
    "spark.sql.ansi.enabled": "true",
    "spark.driver.memory": "2g",
}

CONNECT_COPY_ROWS = 1_000_000  # a bigger workspace table belongs on the lake under Spark Connect

_SESSIONS: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}


def spark_session(master: str = "local[2]", conf: Mapping[str, str] | None = None) -> Any:
    """A Spark session for ``master`` (``local[N]``, ``spark://host:7077``, ``yarn``... or a
    Spark Connect URL ``sc://host:15002``) with ``conf`` on top of :data:`SPARK_CONF`,
    started once per process and reused."""
    key = (master, tuple(sorted((conf or {}).items())))
    if key in _SESSIONS:
        return _SESSIONS[key]
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "the spark engine needs PySpark: pip install 'tierwise[spark]' (and Java 17) / "
            "Spark 引擎需要 PySpark：pip install 'tierwise[spark]'（以及 Java 17）"
        ) from None
    connect = master.startswith("sc://")
    builder = SparkSession.builder.remote(master) if connect else SparkSession.builder.master(master)
    builder = builder.appName("tierwise")
    # a Connect server was started with its own settings: only the session's SQL ones apply
    settings = {**SPARK_CONF, **(conf or {})}
    for name, value in settings.items():
        if not connect or name.startswith("spark.sql."):
            builder = builder.config(name, value)
    try:
        session = builder.getOrCreate()
    except ImportError as exc:  # Spark Connect's client needs grpcio and friends
        raise ConfigError(
            f"a Spark Connect URL needs the Connect client: pip install 'tierwise[spark]' ({exc}) / "
            "Spark Connect 需要其客户端：pip install 'tierwise[spark]'") from None
    if not connect:
        session.sparkContext.setLogLevel("ERROR")
    _SESSIONS[key] = session
    return session


class SparkSource:
    """Canonical tables registered in a Spark session, reached through Ibis.

    Parameters
    ----------
    backend
        An Ibis PySpark backend.
    names
        The tables registered in it.
    workdir
        A folder this object owns and removes on :meth:`close` (the Parquet copies).
    """

    def __init__(
        self, backend: Any, names: list[str], workdir: Path | None = None, prefix: str = "tw_"
    ) -> None:
        self.ibis = backend
        self._names = names
        self._workdir = workdir
        self._prefix = prefix  # the session is shared: each source's views have names of their own
        self.connect = type(backend._session).__module__.startswith("pyspark.sql.connect")

    @classmethod
    def from_workspace(cls, ws: Database, *, master: str = "local[2]",
                       frames: Mapping[str, Callable[[Any], Any]] | None = None,
                       conf: Mapping[str, str] | None = None) -> SparkSource:
        """Register the canonical tables in Spark: those ``frames`` makes (a function of the
        session giving a DataFrame: the company's lake tables) as they are, the others copied
        from the workspace (as Parquet files the cluster reads, or through a Spark Connect
        session's own upload)."""
        import ibis

        from tierwise.store.keys import KEY, KEYED_TABLES
        from tierwise.store.schema import TABLES

        session = spark_session(master, conf)
        backend = ibis.pyspark.connect(session)
        workdir = Path(tempfile.mkdtemp(prefix="tierwise-spark-"))
        prefix = f"tw_{uuid.uuid4().hex[:8]}_"
        source = cls(backend, [], workdir, prefix)
        try:
            for name in TABLES:
                # the workspace's own lookup key stays home (Spark has no unsigned 64-bit type)
                rows_sql = f'FROM "{name}"' + (f" SELECT * EXCLUDE ({KEY})" if name in KEYED_TABLES else "")
                if frames is not None and name in frames:
                    frames[name](session).createOrReplaceTempView(f"{prefix}{name}")
                elif source.connect:  # the server may not see this machine's files: sent whole
                    rows = ws.con.table(name).count("*").fetchone()
                    if rows and rows[0] > CONNECT_COPY_ROWS:
                        raise ConfigError(
                            f"the workspace's {name} has {rows[0]:,} rows: through Spark Connect a "
                            f"workspace table goes to the server whole (up to {CONNECT_COPY_ROWS:,} rows); "
                            f"map {name} to the lake in the spark_lake file / 通过 Spark Connect 时，"
                            f"工作区的 {name} 表过大（{rows[0]:,} 行），请在 spark_lake 湖表文件中映射该表")
                    rows_arrow = ws.con.sql(rows_sql).to_arrow_table()
                    if rows_arrow.num_rows:
                        frame = session.createDataFrame(rows_arrow)
                    else:  # Spark infers no schema from no rows (a workspace without targets): give it
                        from pyspark.sql.pandas.types import from_arrow_schema

                        frame = session.createDataFrame([], schema=from_arrow_schema(rows_arrow.schema))
                    frame.createOrReplaceTempView(f"{prefix}{name}")
                else:
                    path = workdir / f"{name}.parquet"
                    ws.con.execute(f"COPY ({rows_sql}) TO '{path}' (FORMAT parquet)")
                    backend.read_parquet(str(path), table_name=f"{prefix}{name}")
                source._names.append(name)
        except BaseException:
            source.close()
            raise
        return source

    def table(self, name: str) -> ir.Table:
        """The Ibis table ``name`` on Spark."""
        if name not in self._names:
            raise KeyError(name)
        return self.ibis.table(f"{self._prefix}{name}")

    def register(self, name: str, table: pa.Table) -> ir.Table:
        """``table`` (small) as a temporary view of this source: through a Parquet file we own,
        or a Spark Connect session's own upload (the server may not see this machine's files)."""
        import pyarrow.parquet as pq

        assert self._workdir is not None
        if name not in self._names:
            self._names.append(name)
        if self.connect:
            self.ibis._session.createDataFrame(table).createOrReplaceTempView(f"{self._prefix}{name}")
            return self.ibis.table(f"{self._prefix}{name}")
        path = self._workdir / f"{name.lstrip('_.')}.parquet"  # Spark skips files named _x or .x
        pq.write_table(table, path)
        return self.ibis.read_parquet(str(path), table_name=f"{self._prefix}{name}")

    @contextlib.contextmanager
    def persisted(self, expr: ir.Table) -> Iterator[ir.Table]:
        """``expr`` computed once and kept by the cluster (memory, then disk) inside the block.
        (Ibis's ``cache()`` asserts ``is_cached``, which a Spark Connect DataFrame can deny.)"""
        from pyspark import StorageLevel

        name = f"{self._prefix}kept_{uuid.uuid4().hex[:8]}"
        frame = self.ibis._session.sql(str(self.ibis.compile(expr))).persist(StorageLevel.MEMORY_AND_DISK)
        frame.createOrReplaceTempView(name)
        try:
            yield self.ibis.table(name)
        finally:
            self.ibis._session.catalog.dropTempView(name)
            frame.unpersist()

    def unregister(self, name: str) -> None:
        """Drop the view :meth:`register` made for ``name`` (and its file)."""
        if name in self._names:
            self._names.remove(name)
            self.ibis._session.catalog.dropTempView(f"{self._prefix}{name}")
        if self._workdir is not None:
            (self._workdir / f"{name.lstrip('_.')}.parquet").unlink(missing_ok=True)

    def close(self) -> None:
        for name in self._names:
            self.ibis._session.catalog.dropTempView(f"{self._prefix}{name}")
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> SparkSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
