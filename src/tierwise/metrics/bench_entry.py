"""Benchmark entry: tierwise's metrics on a bare order log, Parquet in, Parquet out.

``python -m tierwise.metrics.bench_entry [--full] INPUT.parquet OUTPUT.parquet``, run by
``benchmarks/bench_metrics.py`` side by side with a hand-written DuckDB query and other
libraries. ``INPUT`` has ``customer_id``, ``order_date`` and ``amount``, one row per order.

- Without ``--full``: the "same work" (:func:`tierwise.metrics.compute.rfm_summary`): the
  BTYD summary in days, revenue, its percent rank and R/F/M quintiles, as of the latest order.
- With ``--full``: the whole metrics table of :mod:`tierwise.metrics.catalog` (CLV fitted
  and scored on the engine), written in batches as ``tierwise metrics --out`` does, the log
  standing in for the ``orders`` table of a workspace with no payments or activities.

Both run the same expressions the product runs, on an embedded DuckDB at the default
settings (memory limit, threads).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends.sql.datatypes import DuckDBType

from tierwise.metrics.compute import MetricsOptions, daily_totals, rfm_summary
from tierwise.metrics.expr import cents
from tierwise.store.schema import TABLES


class LogSource:
    """An order log as the ``orders`` table, with empty companion tables."""

    def __init__(self, con: ibis.BaseBackend, path: Path) -> None:
        self.con = con
        log = con.read_parquet(str(path), table_name="order_log", file_row_number=True)
        orders = log.select(
            "customer_id",
            # the row's place in the file: a free unique id (a window row number would not be)
            order_id=log.file_row_number.cast("string"),
            order_date=log.order_date.cast("timestamp"),
            amount=log.amount.cast("decimal(18, 2)"),
            cost=ibis.null("decimal(18, 2)"),
            due_date=ibis.null("date"),
        )
        self._tables: dict[str, ir.Table] = {"orders": orders}
        self._tables["customers"] = orders.select("customer_id").distinct().select(
            "customer_id",
            **{c.name: ibis.null(_ibis_type(c.sql_type)) for c in TABLES["customers"].columns
               if c.name != "customer_id"},
        )
        for name in ("payments", "activities"):
            schema = ibis.schema({c.name: _ibis_type(c.sql_type) for c in TABLES[name].columns})
            self._tables[name] = con.create_table(f"empty_{name}", schema=schema, temp=True)

    def table(self, name: str) -> ir.Table:
        return self._tables[name]

    def register(self, name: str, table: pa.Table) -> ir.Table:
        return self.con.create_table(f"_tw_{name}", obj=table, temp=True, overwrite=True)

    def unregister(self, name: str) -> None:
        self.con.drop_table(f"_tw_{name}", force=True)


def _ibis_type(sql_type: str) -> ibis.DataType:
    return DuckDBType.from_string(sql_type)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the whole metrics table")
    parser.add_argument("input", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    from tierwise.settings import Settings

    settings = Settings.from_env()
    con = ibis.duckdb.connect(**settings.engine_config())
    if args.full:
        from tierwise.metrics.table import BATCH_ROWS, engine_metrics, evaluation_frame, write_batches

        source = LogSource(con, args.input)
        frame = evaluation_frame(source, None, "12m")
        # as `tierwise metrics --out` does: computed and scored on the engine, written in batches
        with engine_metrics(source, frame, MetricsOptions.from_settings(settings)) as metrics:
            write_batches(metrics.table.to_pyarrow_batches(chunk_size=BATCH_ROWS), args.output)
        return
    log = con.read_parquet(str(args.input), table_name="order_log")
    lines = log.select("customer_id", day=log.order_date.cast("date"), amount=cents(log.amount))
    # As of the latest order, found in the same query (as a hand-written one would).
    con.to_parquet(rfm_summary(daily_totals(lines)), str(args.output))

if __name__ == "__main__":
    main()
