"""Every preset gives the same classes, scores and reasons on DuckDB and on local Spark.

A small demo company (300 customers, generated and imported like user files, with every
attribute the presets read) is classified by all presets on each engine; the stored rows must
agree exactly (scores to 9 significant digits: sums may differ in the last bit). The SQL each
preset's assignment compiles to is pinned per engine in ``tests/snapshots/schemes/``; refresh
with ``TIERWISE_UPDATE_SNAPSHOTS=1`` after reviewing the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from sql_snapshot import check_sql
from tierwise.data.importer import ImportOptions
from tierwise.demo.generator import generate_demo_files
from tierwise.schemes import registry
from tierwise.schemes.store import classes_from
from tierwise.settings import Settings
from tierwise.workspace import Workspace

ENGINES = ["duckdb", "spark"]


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("engines")
    files = generate_demo_files(folder / "data", customers=300, seed=11)
    ws = Workspace.open(Settings(db=folder / "w.duckdb"), create=True)
    for table, path in files.items():
        ws.imports.file(table, path, ImportOptions(lang="en"))
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture(scope="module")
def stored(demo_ws: Workspace) -> dict[str, dict[tuple[str, str], tuple[Any, ...]]]:
    """Each engine's classification of every preset, read back from the workspace."""
    out = {}
    for engine in ENGINES:
        result = demo_ws.snapshots.classify(engine=engine)
        assert not result.skipped, result.skipped  # the demo has every column the presets read
        rows = demo_ws.db.con.execute(
            "SELECT c.scheme, c.customer_id, c.class, c.score, c.reason_en, c.reason_zh "
            f"FROM {classes_from(demo_ws.db, [result.snapshot_id])} WHERE c.snapshot_id = ?",
            [result.snapshot_id]).fetchall()
        out[engine] = {(r[0], r[1]): (r[2], None if r[3] is None else float(f"{r[3]:.9g}"), r[4], r[5])
                       for r in rows}
    return out


@pytest.mark.slow
@pytest.mark.parametrize("scheme", list(registry.presets()))
def test_same_classes_on_both_engines(stored: dict[str, dict[Any, Any]], scheme: str) -> None:
    duck = {k: v for k, v in stored["duckdb"].items() if k[0] == scheme}
    spark = {k: v for k, v in stored["spark"].items() if k[0] == scheme}
    assert duck, f"{scheme} assigned nobody on the demo"
    assert set(duck) == set(spark)
    differ = [(k, duck[k], spark[k]) for k in duck if duck[k] != spark[k]]
    assert not differ, differ[:3]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_scheme_sql_is_pinned(demo_ws: Workspace, engine: str) -> None:
    from datetime import date

    from tierwise.metrics.compute import MetricsOptions
    from tierwise.metrics.table import engine_source, evaluation_frame, metrics_table
    from tierwise.schemes.classify import attribute_types, columns_for
    from tierwise.schemes.compiler import compile_scheme

    columns = columns_for(demo_ws.db)
    with engine_source(demo_ws.db, engine) as source:
        frame = evaluation_frame(source, date(2026, 9, 30), "12m")
        metrics, _ = metrics_table(source, frame, MetricsOptions())
        base = source.register("tw_metrics", metrics)
        attrs = list(attribute_types(demo_ws.db))
        base = base.left_join(source.table("customers").select("customer_id", *attrs), "customer_id")
        for name, file in registry.presets().items():
            scheme = compile_scheme(file.spec(), file.text, file.origin, columns)
            # only the columns the scheme reads, so a new metric does not rewrite every pinned file
            # what a classification runs: classes and the values their reasons quote
            rows, *_ = scheme.assign_slots(base.select(*scheme.reads))
            sql = str(source.ibis.compile(rows))
            check_sql(f"schemes/{name}.{'duckdb' if engine == 'duckdb' else 'pyspark'}.sql", sql, engine)


@pytest.mark.parametrize("by", [["period", "department"], ["period", "class"], ["rep"],
                                ["period", "category"], ["period", "outlet", "region"]])
def test_sales_is_the_same_on_both_engines(demo_ws: Workspace, stored: object, by: list[str]) -> None:
    from tierwise.reports.sales import sales

    def rows(engine: str) -> list[tuple[Any, ...]]:
        table = sales(demo_ws.db, by, period="quarter", scheme="abc", engine=engine)
        return sorted(tuple(round(float(v), 6) if isinstance(v, (float, Decimal)) else v
                            for v in r.values()) for r in table.to_pylist())

    duck = rows("duckdb")
    assert duck and duck == rows("spark")


@pytest.mark.slow
def test_service_and_targets_are_the_same_on_both_engines(demo_ws: Workspace, stored: object) -> None:
    """Service given against the plan and targets against what was done sum the follow-ups,
    orders and visits on Spark as on DuckDB (the classes they read are the workspace's)."""
    from tierwise.reports.service import service_vs_plan
    from tierwise.reports.targets import variance
    from tierwise.store.spark import spark_session

    def same(a: Any, b: Any) -> bool:  # floats to 1e-9: sums may differ in the last bit
        if isinstance(a, dict):
            return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list):
            return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
        return b == pytest.approx(a, rel=1e-9) if isinstance(a, float) and b is not None else a == b

    service = {engine: service_vs_plan(demo_ws.db, engine=engine).to_json() for engine in ENGINES}
    assert service["duckdb"]["classes"] and service["duckdb"]["reps"]
    assert same(service["duckdb"], service["spark"]), (service["duckdb"], service["spark"])
    jobs = spark_session().sparkContext.statusTracker()
    for period in ("month", "quarter"):
        before = len(jobs.getJobIdsForGroup())
        found = {engine: variance(demo_ws.db, period=period, engine=engine).rows for engine in ENGINES}
        assert len(jobs.getJobIdsForGroup()) > before  # summed on Spark, not in the workspace
        assert found["duckdb"].num_rows > 10 and found["duckdb"].schema == found["spark"].schema
        for name in found["duckdb"].column_names:  # money as decimals, counts as whole numbers
            duck, spark = found["duckdb"][name].to_pylist(), found["spark"][name].to_pylist()
            assert same(duck, spark), (name, duck, spark)
