"""The SQL each engine runs for the metrics, pinned per dialect.

The files under ``tests/snapshots/`` are what Ibis compiles the metrics expression to for
DuckDB and for Spark. A change to them is a change to what runs: review the diff, then
refresh them with ``TIERWISE_UPDATE_SNAPSHOTS=1 pytest tests/test_metrics_sql.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import ibis
import pytest

from sql_snapshot import check_sql
from tierwise.metrics.compute import MetricsOptions, compute_metrics, summary_for
from tierwise.metrics.frame import EvaluationFrame
from tierwise.store.database import Database
from tierwise.workspace import Workspace

FRAME = EvaluationFrame.build(date(2024, 3, 31), "12m")


def check(name: str, sql: str) -> None:
    check_sql(name, sql, "duckdb" if name.endswith(".duckdb.sql") else "spark")


@pytest.fixture(params=["duckdb", "pyspark"])
def source(request: pytest.FixtureRequest, ws: Workspace) -> Iterator[Any]:
    """The empty workspace's tables on each engine (Spark compiles only with a session)."""
    if request.param == "duckdb":
        yield ws.db
        return
    from tierwise.store.spark import SparkSource

    with SparkSource.from_workspace(ws.db) as spark:
        yield spark


def compiled(source: Any, expr: ibis.Table) -> str:
    return str(source.ibis.compile(expr))


def dialect(source: Any) -> str:
    return "duckdb" if isinstance(source, Database) else "pyspark"


def test_metrics_sql_is_pinned(source: Any) -> None:
    expr = compute_metrics(source, FRAME, MetricsOptions())
    check(f"metrics.{dialect(source)}.sql", compiled(source, expr))


@pytest.mark.parametrize("unit", ["days", "weeks"])
def test_btyd_summary_sql_is_pinned(source: Any, unit: str) -> None:
    expr = summary_for(source, FRAME, unit)  # type: ignore[arg-type]
    check(f"btyd_{unit}.{dialect(source)}.sql", compiled(source, expr))
