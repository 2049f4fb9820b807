"""The workspace's tables on Spark, for companies that outgrow one machine.

The metrics and schemes are Ibis expressions, so they run unchanged on Spark through Ibis's
PySpark backend: :class:`SparkSource` offers the same ``table(name)`` as the workspace. Here
the canonical tables are handed to Spark as Parquet files written from the workspace (a
cluster would read them from shared storage instead; ``master`` says which Spark to use).

PySpark is optional: ``pip install 'tierwise[spark]'``; it needs Java 17.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
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
    "spark.sql.adaptive.enabled": "true",
    "spark.driver.memory": "2g",
}

_SESSIONS: dict[str, Any] = {}


def spark_session(master: str = "local[2]") -> Any:
    """A Spark session for ``master``, started once per process and reused."""
    if master in _SESSIONS:
        return _SESSIONS[master]
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "the spark engine needs PySpark: pip install 'tierwise[spark]' (and Java 17) / "
            "Spark 引擎需要 PySpark：pip install 'tierwise[spark]'（以及 Java 17）"
        ) from None
    builder = SparkSession.builder.master(master).appName("tierwise")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    _SESSIONS[master] = session
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

    @classmethod
    def from_workspace(cls, ws: Database, *, master: str = "local[2]") -> SparkSource:
        """Copy the workspace's canonical tables to Parquet and register them in Spark."""
        import ibis

        from tierwise.store.schema import TABLES

        session = spark_session(master)
        backend = ibis.pyspark.connect(session)
        workdir = Path(tempfile.mkdtemp(prefix="tierwise-spark-"))
        prefix = f"tw_{uuid.uuid4().hex[:8]}_"
        for name in TABLES:
            path = workdir / f"{name}.parquet"
            ws.con.execute(f'COPY "{name}" TO \'{path}\' (FORMAT parquet)')
            backend.read_parquet(str(path), table_name=f"{prefix}{name}")
        return cls(backend, list(TABLES), workdir, prefix)

    def table(self, name: str) -> ir.Table:
        """The Ibis table ``name`` on Spark."""
        if name not in self._names:
            raise KeyError(name)
        return self.ibis.table(f"{self._prefix}{name}")

    def register(self, name: str, table: pa.Table) -> ir.Table:
        """``table`` as a temporary view of this source (through a Parquet file we own)."""
        import pyarrow.parquet as pq

        assert self._workdir is not None
        path = self._workdir / f"{name}.parquet"
        pq.write_table(table, path)
        if name not in self._names:
            self._names.append(name)
        return self.ibis.read_parquet(str(path), table_name=f"{self._prefix}{name}")

    def unregister(self, name: str) -> None:
        """Drop the view :meth:`register` made for ``name`` (and its file)."""
        if name in self._names:
            self._names.remove(name)
            self.ibis._session.catalog.dropTempView(f"{self._prefix}{name}")
        if self._workdir is not None:
            (self._workdir / f"{name}.parquet").unlink(missing_ok=True)

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
