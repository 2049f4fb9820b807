"""The lake file (``spark_lake``): its checks, and a lake table read with its own headers.

The whole pipeline on lake tables (through Spark Connect, on a standalone cluster) is tested
in ``test_spark_cluster.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tierwise.data.lake import load_lake
from tierwise.errors import ConfigError, DataError
from tierwise.store.spark import spark_session


def test_a_lake_file_is_checked_and_names_the_fix(tmp_path: Path) -> None:
    bad = tmp_path / "lake.yaml"
    for text, message in (
            ("tables:\n  order: {table: x}\n", "no canonical table order"),
            ("tables:\n  orders: {table: x, path: /y}\n", "give exactly one of table"),
            ("tables:\n  orders: {tabel: x}\n", "did you mean 'table'?"),
            ("tables:\n  orders: {path: /y, format: xls}\n", "tables.orders.format"),
            ("tabels: {}\n", "did you mean 'tables'?"),
            ("- orders\n", "a lake file is a YAML mapping")):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=message) as err:
            load_lake(bad)
        assert str(bad) in str(err.value)
    with pytest.raises(ConfigError, match="lake file not found"):
        load_lake(tmp_path / "nope.yaml")


@pytest.mark.slow
def test_a_lake_table_without_a_required_column_names_it(tmp_path: Path) -> None:
    from tierwise.data.lake import LakeTable, lake_frame

    spark = spark_session()
    path = tmp_path / "o.parquet"
    spark.createDataFrame([("C1", "2026-01-01")], ["客户编号", "下单日期"]).write.parquet(str(path))
    where = r"lake\.yaml: orders \(parquet files at .*o\.parquet\).*amount"
    with pytest.raises(DataError, match=where) as err:
        lake_frame(spark, "orders", LakeTable(path=str(path)), "lake.yaml")
    assert "客户编号" in str(err.value)


def test_the_duckdb_engine_says_it_does_not_read_the_lake(tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    from tierwise.metrics.table import engine_source
    from tierwise.settings import Settings
    from tierwise.workspace import Workspace

    lake = tmp_path / "lake.yaml"
    lake.write_text("tables:\n  orders: {table: sales.order_lines}\n", encoding="utf-8")
    with Workspace.open(Settings(db=tmp_path / "w.duckdb", spark_lake=lake), create=True) as ws, \
            engine_source(ws.db, "duckdb") as source:
        assert source is ws.db
    assert "the lake's tables are not read" in caplog.text and "--engine spark" in caplog.text


@pytest.mark.slow
def test_lake_follow_up_kinds_are_read_in_chinese_and_unknown_ones_named(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from tierwise.data.lake import LakeTable, lake_frame

    spark = spark_session()
    path = tmp_path / "visits.parquet"
    rows = [("A1", "C1", "2026-01-02", "拜访"), ("A2", "C1", "2026-01-03", " 电话 "),
            ("A3", "C2", "2026-01-04", "飞书"), ("A4", "C2", "2026-01-05", "飞书")]
    spark.createDataFrame(rows, ["跟进编号", "客户编号", "跟进日期", "跟进方式"]).write.parquet(str(path))
    spec = LakeTable(path=str(path), columns={"跟进编号": "activity_id", "跟进日期": "activity_date",
                                              "跟进方式": "kind"})
    frame = lake_frame(spark, "activities", spec, "lake.yaml")
    kinds = [r["kind"] for r in frame.orderBy("activity_id").collect()]
    assert kinds == ["visit", "call", "飞书", "飞书"]
    assert "lake.yaml: activities" in caplog.text and "飞书 ×2" in caplog.text
