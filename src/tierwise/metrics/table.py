"""The finished metrics table: the engine expression with the CLV models fitted and applied.

The per-customer expression (:mod:`tierwise.metrics.compute`) runs on the engine, and so do
the CLV columns (:mod:`tierwise.metrics.clv_engine`): the models are fitted on the engine's
counts of distinct BTYD rows and scored by engine expressions. The table stays on the engine
(:func:`engine_metrics`); it comes to Python whole only when a caller asks for it
(:func:`metrics_table`) and is otherwise written to a file in bounded batches
(:func:`run_metrics`). Its columns are exactly :data:`tierwise.metrics.catalog.NAMES`.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeGuard

import duckdb
import ibis.expr.types as ir
import pyarrow as pa

from tierwise import progress
from tierwise.errors import ConfigError, DataError
from tierwise.metrics.clv_engine import ClvFit, fit_clv, periods_per_month, with_clv
from tierwise.metrics.compute import EngineSource, MetricsOptions, Source, compute_metrics, summary_for
from tierwise.metrics.frame import EvaluationFrame, Window
from tierwise.store.buckets import attached
from tierwise.store.database import Database
from tierwise.store.schema import CUSTOMERS, extra_columns

__all__ = ["ClvFit", "EngineMetrics", "MetricsRun", "engine_metrics", "engine_source", "evaluation_frame",
           "fit_clv", "metrics_table", "output_format", "periods_per_month", "run_clv_fit", "run_metrics",
           "write_table"]

BATCH_ROWS = 65_536
"""Rows per batch when a metrics table is written to a file (bounded memory at any size)."""

log = logging.getLogger("tierwise.metrics")


def evaluation_frame(source: Source, as_of: date | None, window: str) -> EvaluationFrame:
    """The frame for ``as_of`` (default: the latest order date) and ``window``."""
    parsed = Window.parse(window)
    orders = source.table("orders")
    # the first order bounds "all" and says whether the previous window is covered (zone maps:
    # two aggregates read no rows)
    row = orders.aggregate(
        first=orders.order_date.min().date(), last=orders.order_date.max().date()
    ).to_pyarrow().to_pylist()[0]
    if as_of is None:
        as_of = row["last"]
        if as_of is None:
            raise DataError(
                "there are no orders to take the as-of date from: import orders, or give "
                "--as-of / 没有订单可确定评估日：请先导入订单，或指定 --as-of"
            )
    # any payment at all? without one, balances are unknown rather than every order unpaid
    payments = source.table("payments")
    paid = bool(payments.limit(1).count().to_pyarrow().as_py())
    return EvaluationFrame.build(as_of, parsed, row["first"], payments=paid)


@contextlib.contextmanager
def engine_memory() -> Iterator[None]:
    """The engine running out of memory, as a :class:`DataError` that says what to change."""
    try:
        yield
    except duckdb.OutOfMemoryException as exc:
        raise DataError(
            f"the engine ran out of memory computing metrics ({str(exc).splitlines()[0]}): "
            f"raise the memory_limit setting (--memory-limit 8GB or TIERWISE_MEMORY_LIMIT), "
            f"or leave it at auto / 计算指标时内存不足：请调高 memory_limit 设置"
        ) from None


@dataclass
class EngineMetrics:
    """The metrics table of one frame as an expression on the engine, and its CLV fit.

    ``table`` reads intermediate results materialised on the engine: it is valid inside the
    :func:`engine_metrics` block that made it.
    """

    table: ir.Table
    fit: ClvFit
    keep: Callable[[ir.Table], ir.Table]
    """Materialise an expression on the engine for the rest of the block (as the intermediate
    results are): see :func:`materialiser`."""


def limited(source: EngineSource) -> TypeGuard[Database]:
    """Whether ``source`` is the workspace under a memory limit the user set."""
    return isinstance(source, Database) and source.settings.memory_bytes() is not None


def materialiser(source: EngineSource, stack: contextlib.ExitStack) -> Callable[[ir.Table], ir.Table]:
    """``keep(expr)``: ``expr`` materialised on the engine, released when ``stack`` closes.

    On the workspace under a memory limit the user set, the tables are made in a database file
    of their own (:func:`tierwise.store.buckets.attached`), which the engine evicts by dropping
    blocks and reading them again; else they are Ibis's temporary tables (Spark: cached frames,
    each released in its turn: one that reads a table registered after it was made must go
    before that table does). Why a file: a temporary table's blocks leave memory only through
    the spill (the import's stage held 900 of the engine's 954 MiB that way), and at ten million
    customers a window's tables come to about 6 GB."""
    if not limited(source):
        return lambda t: stack.enter_context(t.cache())
    catalog = f"_tw_scratch_{uuid.uuid4().hex[:12]}"
    stack.enter_context(attached(source.con, catalog, "tierwise-scratch-", in_file=True))
    where = (catalog, "main")

    def keep(t: ir.Table) -> ir.Table:
        name = f"kept_{uuid.uuid4().hex[:12]}"
        source.ibis.create_table(name, t, database=where)
        return source.ibis.table(name, database=where)

    return keep


@contextlib.contextmanager
def engine_metrics(source: EngineSource, frame: EvaluationFrame, options: MetricsOptions, *,
                   report: bool = False) -> Iterator[EngineMetrics]:
    """The metrics table with CLV, kept on the engine ``source`` lives on.

    The per-order and per-day tables and the BTYD summary are materialised once on the engine
    (several parts read them) and released when the block ends; the CLV models are fitted on
    the summary's distinct rows before the table is built. ``report``: tell the running job
    (the metrics job, whose whole work this is) each step.
    """
    with engine_memory(), contextlib.ExitStack() as stack:
        fits: list[ClvFit] = []
        materialise = materialiser(source, stack)

        def keep(t: ir.Table) -> ir.Table:
            if report and not fits:
                progress.report(0.1, "order lines per order and per day", "按订单、按日汇总订单明细")
            elif report:  # after the fit: the per-customer parts, each materialised on its own
                progress.report(0.3, "each customer's figures", "每个客户的指标")
            return materialise(t)

        def register(rows: pa.Table) -> ir.Table:
            name = f"clv_{uuid.uuid4().hex[:12]}"
            table = source.register(name, rows)
            stack.callback(source.unregister, name)
            return table

        def clv(summary: ir.Table) -> ir.Table:
            summary = keep(summary)
            if report:
                progress.report(0.25, "fitting the CLV models", "拟合 CLV 模型")
            fits.append(fit_clv(summary, options.time_unit))
            return with_clv(summary, fits[-1], options, register)

        table = compute_metrics(source, frame, options, cache=keep, clv=clv, stepwise=limited(source))
        yield EngineMetrics(table, fits[0], materialise)


def metrics_table(
    source: EngineSource, frame: EvaluationFrame, options: MetricsOptions
) -> tuple[pa.Table, ClvFit]:
    """The whole metrics table in Python (for tests, tools and small workspaces)."""
    with engine_metrics(source, frame, options) as metrics, engine_memory():
        return metrics.table.to_pyarrow(), metrics.fit


def output_format(path: Path) -> str:
    """``.csv`` or ``.parquet``, from ``path``'s extension; anything else is an error."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ConfigError(f"{path}: write .csv or .parquet / 输出文件请用 .csv 或 .parquet 扩展名")
    return suffix


def write_table(table: pa.Table, path: Path) -> None:
    """Write ``table`` as CSV (UTF-8 with a BOM, so Excel shows Chinese right) or Parquet.

    Written to a temporary name first and renamed, so a failed write leaves no half file.
    """
    suffix = output_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, tmp)
        else:
            import pyarrow.csv as pcsv

            from tierwise.data.csvsafe import csv_safe

            with open(tmp, "wb") as fh:
                fh.write("\ufeff".encode())
                pcsv.write_csv(csv_safe(table), fh)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def engine_source(ws: Database, engine: str | None = None) -> Iterator[EngineSource]:
    """The workspace's tables on ``engine`` (default: the ``engine`` setting)."""
    engine = engine or ws.settings.engine
    if engine == "duckdb":
        if ws.settings.spark_lake is not None:
            log.warning(f"spark_lake is set ({ws.settings.spark_lake}) but the engine is duckdb: the "
                        "lake's tables are not read, only the workspace's; use --engine spark / "
                        "引擎为 duckdb 时不读取湖表，请使用 --engine spark")
        yield ws
        return
    if engine != "spark":
        raise ConfigError(f"unknown engine {engine!r}: use duckdb or spark / 未知引擎 {engine!r}")
    from tierwise.store.spark import SparkSource

    frames, conf = None, None
    if ws.settings.spark_lake is not None:
        from tierwise.data.lake import lake_frames, load_lake

        lake = load_lake(ws.settings.spark_lake)
        attributes = extra_columns(CUSTOMERS, ws.table("customers").columns)
        frames, conf = lake_frames(lake, str(ws.settings.spark_lake), attributes), lake.conf
    with SparkSource.from_workspace(ws, master=ws.settings.spark_master, frames=frames, conf=conf) as source:
        yield source


@dataclass(frozen=True)
class MetricsRun:
    """One metrics run: its frame, CLV fit and customers by status; ``table`` holds the rows
    when they were asked for in Python (not when they went to a file)."""

    frame: EvaluationFrame
    options: MetricsOptions
    fit: ClvFit
    engine: str
    customers: int
    by_status: dict[str, int] = field(default_factory=dict)
    table: pa.Table | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "as_of": self.frame.as_of.isoformat(),
            "window": self.frame.window.text,
            "window_start": self.frame.start.isoformat(),
            "engine": self.engine,
            "customers": self.customers,
            "by_status": dict(self.by_status),
            "clv": self.fit.to_json(),
            "notes": [{"en": en, "zh": zh} for en, zh in self.frame.notes()],
        }


def write_batches(batches: pa.RecordBatchReader, path: Path, total: int | None = None) -> Counter[str]:
    """Write ``batches`` to ``path`` as :func:`write_table` does, one batch at a time; return
    the customers by status (the summary, counted on the way). ``total``: the rows expected,
    for the progress of a job."""
    from tierwise.data.csvsafe import csv_safe

    schema = batches.schema
    suffix = output_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    statuses: Counter[str] = Counter()
    try:
        with open(tmp, "wb") as fh:
            writer: Any
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                writer = pq.ParquetWriter(fh, schema)
            else:
                import pyarrow.csv as pcsv

                fh.write("\ufeff".encode())
                writer = pcsv.CSVWriter(fh, schema)
            with writer:
                for batch in batches:
                    # DuckDB hands some integer sums over as DECIMAL(38, 0) where Ibis's schema
                    # (and the whole-table path) says int64: write what the schema promises
                    batch = batch if batch.schema == schema else batch.cast(schema)
                    writer.write_batch(batch if suffix == ".parquet" else csv_safe(batch))
                    statuses.update(_statuses(batch))
                    done = sum(statuses.values())
                    progress.report(0.4 + 0.6 * done / total if total else None,
                                    f"{done:,} customers written", f"已写出 {done:,} 位客户")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return statuses


def _statuses(rows: pa.RecordBatch | pa.Table) -> dict[str, int]:
    import pyarrow.compute as pc

    return {s["values"]: s["counts"] for s in pc.value_counts(rows["status"]).to_pylist()}


def run_metrics(
    ws: Database,
    *,
    as_of: date | None = None,
    window: str = "12m",
    engine: str | None = None,
    only: ir.Table | None = None,
    out: Path | None = None,
    **overrides: object,
) -> MetricsRun:
    """Compute the metrics table of ``ws`` (the facade's ``metrics`` command).

    ``only``: a table of the workspace with the ``customer_id`` of the rows wanted (the
    actor's scope; the CLV models are fitted on every customer either way). With ``out``
    the rows are written there in batches and not kept; without it they come back whole.
    """
    options = MetricsOptions.from_settings(ws.settings, **overrides)
    engine = engine or ws.settings.engine
    with engine_source(ws, engine) as source, contextlib.ExitStack() as stack:
        frame = evaluation_frame(source, as_of, window)
        metrics = stack.enter_context(engine_metrics(source, frame, options, report=out is not None))
        stack.enter_context(engine_memory())
        table = metrics.table
        wanted = None
        if only is not None:
            wanted = only.select("customer_id")
            if source is not ws:  # the scope is a workspace table: hand its ids to the engine
                name = f"scope_{uuid.uuid4().hex[:12]}"
                wanted = source.register(name, wanted.to_pyarrow())
                stack.callback(source.unregister, name)
            table = table.semi_join(wanted, "customer_id")
        if out is not None:
            counted = wanted if wanted is not None else source.table("customers")  # the rows to come
            total = int(counted.count().execute())
            statuses = write_batches(table.to_pyarrow_batches(chunk_size=BATCH_ROWS), out, total)
            return MetricsRun(frame, options, metrics.fit, engine, sum(statuses.values()), dict(statuses))
        rows = table.to_pyarrow()
    return MetricsRun(frame, options, metrics.fit, engine, rows.num_rows, _statuses(rows), rows)


def run_clv_fit(
    ws: Database, *, as_of: date | None = None, time_unit: str | None = None, engine: str | None = None
) -> tuple[EvaluationFrame, ClvFit]:
    """Fit the CLV models on the BTYD summary as of ``as_of`` (history up to it)."""
    unit = time_unit or ws.settings.time_unit
    if unit not in ("days", "weeks"):
        raise ConfigError(f"time unit {unit!r}: use days or weeks / 时间单位请用 days 或 weeks")
    with engine_source(ws, engine) as source, engine_memory():
        frame = evaluation_frame(source, as_of, "all")
        fit = fit_clv(summary_for(source, frame, unit, ws.settings.btyd_days), unit)  # type: ignore[arg-type]
    return frame, fit
