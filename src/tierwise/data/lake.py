"""The company's own tables on its Spark cluster: a lake file says where each canonical table is.

A company whose order lines live in a data lake does not copy them into a workspace file. The
``spark_lake`` setting (``TIERWISE_SPARK_LAKE``) names a YAML file that maps canonical tables to
a table of the Spark catalog (Hive metastore, Delta, Iceberg: whatever the session is set up
with), to files the cluster reads (Parquet, Delta, ORC, CSV or JSON on HDFS, S3 or a shared
disk), or to a Spark SQL query. ``--engine spark`` then computes the metrics and classes on the
cluster from those tables; the tables the file does not name are taken from the workspace as
before (the customers, reps and products a page shows usually live there).

Headers are matched as an import matches a file's (the canonical names, their English and
Chinese aliases, or ``columns:``), the values are cast to the canonical types by Spark (a value
that does not cast stops the run with Spark's error, naming the value), and follow-up kinds
are read in the spellings an import accepts (拜访 → visit). Example::

    tables:
      orders: {table: sales.order_lines}
      payments: {path: /lake/finance/payments, format: parquet}
      activities:
        sql: SELECT cust_no, visit_ts, kind FROM crm.visits WHERE kind IS NOT NULL
        columns: {cust_no: customer_id, visit_ts: activity_date}
    output: {path: /lake/tierwise}   # classes/ and metrics/, partitioned by snapshot_id
    conf:                       # extra Spark settings for tierwise's session
      spark.sql.shuffle.partitions: "64"
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tierwise.data.headers import MappingSpec, load_yaml_model, map_headers, missing_column_error
from tierwise.errors import ConfigError
from tierwise.store.schema import ACTIVITY_KINDS, TABLES, Kind, Table, system_columns

log = logging.getLogger("tierwise.data")

SPARK_TYPES: dict[Kind, str] = {
    "id": "string", "text": "string", "activity_kind": "string", "timestamp": "timestamp",
    "date": "date", "money": "decimal(18,2)", "number": "decimal(18,4)", "integer": "bigint",
}


class LakeTable(BaseModel):
    """Where one canonical table is: ``table``, ``path`` (with ``format`` and reader
    ``options``) or ``sql``; ``columns`` maps headers that are neither canonical names nor
    aliases (``null`` skips one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str | None = None
    path: str | None = None
    format: Literal["parquet", "delta", "orc", "csv", "json"] = "parquet"
    options: dict[str, str] = Field(default_factory=dict)
    sql: str | None = None
    columns: dict[str, str | None] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_source(self) -> LakeTable:
        given = [k for k in ("table", "path", "sql") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("give exactly one of table (a catalog table), path (files) or sql (a query)"
                             + (f"; this one has {' and '.join(given)}" if given else "")
                             + " / table、path、sql 三者只能给一个")
        return self

    def describe(self) -> str:
        if self.table:
            return f"table {self.table}"
        if self.path:
            return f"{self.format} files at {self.path}"
        return "query"


class LakeOutput(BaseModel):
    """Where ``--engine spark`` writes what it computed: ``classes`` (every snapshot's class
    rows, overrides included) and ``metrics`` (each window's metrics table), as files under
    ``path`` partitioned by ``snapshot_id`` (and ``window``), written by the cluster."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    format: Literal["parquet", "orc"] = "parquet"


class Lake(BaseModel):
    """A lake file: the canonical tables on the cluster, where results go, extra Spark settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tables: dict[str, LakeTable] = Field(default_factory=dict)
    output: LakeOutput | None = None
    conf: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_tables(self) -> Lake:
        unknown = sorted(set(self.tables) - set(TABLES))
        if unknown:
            raise ValueError(f"no canonical table {', '.join(unknown)}; the tables are {', '.join(TABLES)} / "
                             f"没有标准表 {', '.join(unknown)}")
        return self


def load_lake(path: Path) -> Lake:
    """Read and check a lake file; errors name the file, the field and the fix."""
    return load_yaml_model(path, Lake, "lake file")


def lake_output(path: Path | None) -> LakeOutput | None:
    """The ``output`` of the lake file at ``path`` (None without a file or an output)."""
    return None if path is None else load_lake(path).output


def write_partition(source: Any, expr: Any, output: LakeOutput, table: str, **partition: Any) -> str:
    """Write ``expr`` (an Ibis table on the Spark ``source``) as the partition ``partition``
    (e.g. ``snapshot_id=7``) of ``table`` under ``output.path``, replacing that partition
    only; the cluster writes the files. Returns the table's path."""
    import ibis

    expr = expr.mutate(**{k: ibis.literal(v) for k, v in partition.items()})
    target = f"{output.path.rstrip('/')}/{table}"
    frame = source.ibis._session.sql(str(source.ibis.compile(expr)))
    (frame.write.format(output.format).mode("overwrite").option("partitionOverwriteMode", "dynamic")
     .partitionBy(*partition).save(target))
    return target


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _kind_sql(column: str) -> str:
    """The canonical follow-up kind of ``column``'s spellings (others as they are)."""
    cases = " ".join(f"WHEN '{spelling}' THEN '{kind}'" for kind, spellings in ACTIVITY_KINDS.items()
                     for spelling in dict.fromkeys((kind, *spellings)))
    return f"CASE lower(trim({column})) {cases} ELSE {column} END"


def lake_frame(session: Any, name: str, spec: LakeTable, where: str,
               attributes: list[str] | None = None) -> Any:
    """The Spark DataFrame of canonical table ``name`` read as ``spec`` says: every canonical
    column (absent optional ones as NULL) cast to its type, the system columns as NULL and, for
    the customers, the ``attributes`` the workspace's customers carry (which must be there)."""
    if spec.table:
        frame = session.table(spec.table)
    elif spec.path:
        frame = session.read.format(spec.format).options(**spec.options).load(spec.path)
    else:
        frame = session.sql(spec.sql)
    table: Table = TABLES[name]
    source = f"{where}: {name} ({spec.describe()})"
    headers = list(frame.columns)
    found = map_headers(table, headers, MappingSpec(columns=spec.columns), source)
    select = []
    for col in table.columns:
        header = found.canonical.get(col.name)
        if header is None and col.required:
            raise missing_column_error(table, col.name, headers, source)
        value = "NULL" if header is None else _quoted(header)
        if col.kind == "activity_kind" and header is not None:
            value = _kind_sql(value)
        select.append(f"CAST({value} AS {SPARK_TYPES[col.kind]}) AS {_quoted(col.name)}")
    select += [f"CAST(NULL AS {sql_type}) AS {_quoted(system)}" for system, sql_type in system_columns(table)]
    if attributes:
        missing = [a for a in attributes if a not in found.extras]
        if missing:
            raise ConfigError(
                f"{source}: no column for the customer attributes {', '.join(missing)} the workspace's "
                f"customers have (schemes read them); add them to the lake table or map them in "
                f"columns: / 湖表缺少工作区客户属性列 {', '.join(missing)}")
        select += [f"{_quoted(found.extras[a])} AS {_quoted(a)}" for a in attributes]
    frame = frame.selectExpr(*select)
    if name == "activities" and "kind" in found.canonical:
        _warn_unknown_kinds(frame, source)
    return frame


def _warn_unknown_kinds(frame: Any, source: str) -> None:
    """Say which follow-up kinds of a lake table tierwise does not know (an import rejects such
    rows; here they stay, and count as no visit, call or care)."""
    known = ", ".join(f"'{k}'" for k in ACTIVITY_KINDS)
    found = (frame.where(f"kind IS NOT NULL AND kind NOT IN ({known})").groupBy("kind").count()
             .orderBy("count", ascending=False).limit(6).collect())
    if found:
        listed = ", ".join(f"{r['kind']} ×{r['count']:,}" for r in found[:5])
        listed += ", …" if len(found) > 5 else ""
        log.warning(f"{source}: follow-ups of kinds tierwise does not know ({listed}) count as no contact; "
                    f"spell them as {', '.join(ACTIVITY_KINDS)} in the lake table or its query / "
                    f"湖表中有无法识别的跟进类型（{listed}），不计为拜访、电话或关怀")


def lake_frames(lake: Lake, where: str, attributes: list[str]) -> dict[str, Callable[[Any], Any]]:
    """For :class:`tierwise.store.spark.SparkSource`: how to make each mapped table from a session."""

    def maker(name: str, spec: LakeTable) -> Callable[[Any], Any]:
        return lambda session: lake_frame(session, name, spec, where,
                                          attributes if name == "customers" else None)

    return {name: maker(name, spec) for name, spec in lake.tables.items()}
