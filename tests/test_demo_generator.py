"""The demo company generator: files, headers, determinism and the shapes the demo relies on."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tierwise.demo import generate_demo_files

N = 2000
END = dt.date(2026, 9, 30)
ORDER_COLUMNS = ["order_id", "line_no", "customer_id", "order_date", "amount", "product_id",
                 "quantity", "unit_price", "cost", "due_date", "outlet", "rep_id", "department"]
CUSTOMER_HEADERS = ["客户编号", "客户名称", "客户类型", "区域", "部门", "门店", "业务员",
                    "建档日期", "授信额度", "账期", "scale", "management_level", "purchasing_power",
                    "marketing_level", "growth_ability", "competitive_advantage", "intent",
                    "share_of_wallet", "upcoming_purchases", "flag", "annual_agreement",
                    "personality", "credit_grade_finance"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One generated company, shared by the tests that only read it."""
    return generate_demo_files(tmp_path_factory.mktemp("demo"), customers=N)


@pytest.fixture(scope="module")
def db(demo: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    """The demo files as DuckDB views (o, p, c, a) for checks written in SQL."""
    con = duckdb.connect()
    con.execute(f"CREATE VIEW o AS SELECT * FROM read_parquet('{demo['orders']}')")
    con.execute(f"CREATE VIEW p AS SELECT * FROM read_parquet('{demo['payments']}')")
    con.execute(f"CREATE VIEW c AS SELECT * FROM read_csv('{demo['customers']}', header=true, "
                f"all_varchar=true)")
    utf8 = demo["activities"].with_suffix(".utf8.csv")
    utf8.write_text(demo["activities"].read_bytes().decode("gbk"), encoding="utf-8")
    con.execute(f"CREATE VIEW a AS SELECT * FROM read_csv('{utf8}', header=true, all_varchar=true)")
    return con


def one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The single value ``sql`` returns."""
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def csv_header(path: Path, encoding: str) -> list[str]:
    """The first line of a CSV file, split on commas."""
    with path.open(encoding=encoding) as fh:
        return fh.readline().rstrip("\n").split(",")


def test_files_in_import_order(demo: dict[str, Path]) -> None:
    assert list(demo) == ["reps", "products", "customers", "orders", "payments", "activities", "targets"]
    assert [p.name for p in demo.values()] == ["reps.xlsx", "products.csv", "customers.csv",
                                               "orders.parquet", "payments.parquet",
                                               "activities.csv", "targets.xlsx"]
    assert all(p.stat().st_size > 0 for p in demo.values())


def test_headers(demo: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(demo["reps"], read_only=True).worksheets[0]
    reps = list(ws.iter_rows(values_only=True))
    assert list(reps[0]) == ["业务员编号", "姓名", "部门", "门店", "主管", "容量"]
    heads = [r for r in reps[1:] if r[4] is None]
    assert 1 <= len(heads) <= 6 and all(80 <= r[5] <= 400 for r in reps[1:])
    assert {r[4] for r in reps[1:]} - {None} <= {r[0] for r in heads}

    for name in ("products", "customers"):
        assert demo[name].read_bytes().startswith(codecs.BOM_UTF8)
    products = csv_header(demo["products"], "utf-8-sig")
    assert products[:4] == ["产品编号", "产品名称", "类别", "消耗周期"]
    assert csv_header(demo["customers"], "utf-8-sig") == CUSTOMER_HEADERS
    assert csv_header(demo["activities"], "gbk") == ["跟进编号", "客户编号", "跟进日期", "跟进方式",
                                                     "业务员", "跟进结果", "备注"]

    orders = pq.read_schema(demo["orders"])
    assert orders.names == ORDER_COLUMNS
    for col in ("amount", "cost"):
        assert orders.field(col).type == pa.decimal128(18, 2)
    for col in ("quantity", "unit_price"):
        assert orders.field(col).type == pa.decimal128(18, 4)
    assert pa.types.is_timestamp(orders.field("order_date").type)
    assert pq.read_schema(demo["payments"]).names == ["payment_id", "customer_id", "payment_date",
                                                      "amount", "order_id"]


def test_same_seed_same_bytes_other_seed_differs(demo: dict[str, Path], tmp_path: Path) -> None:
    again = generate_demo_files(tmp_path / "again", customers=N)
    for name, path in demo.items():
        assert again[name].read_bytes() == path.read_bytes(), name
    other = generate_demo_files(tmp_path / "other", customers=N, seed=8)
    for name in ("customers", "orders", "payments", "activities"):
        assert other[name].read_bytes() != demo[name].read_bytes(), name


def test_revenue_is_heavy_tailed(db: duckdb.DuckDBPyConnection) -> None:
    revenue = np.array([r[0] for r in db.execute(
        "SELECT sum(amount)::DOUBLE AS r FROM o GROUP BY customer_id ORDER BY r DESC").fetchall()])

    def top(share: float) -> float:
        return float(revenue[: int(len(revenue) * share)].sum() / revenue.sum())

    assert top(0.20) >= 0.60
    assert 0.30 <= top(0.05) <= 0.70


def test_prospects_have_no_orders(db: duckdb.DuckDBPyConnection) -> None:
    prospects = one(db, "SELECT count(*) FROM c WHERE 客户编号 NOT IN (SELECT customer_id FROM o)")
    assert 0.05 * N <= prospects <= 0.15 * N
    with_intent = one(db, "SELECT count(intent) FROM c WHERE 客户编号 NOT IN "
                          "(SELECT customer_id FROM o)")
    assert with_intent == prospects


def test_returns_are_negative_lines_of_earlier_purchases(db: duckdb.DuckDBPyConnection) -> None:
    share = one(db, "SELECT avg((amount < 0)::INT) FROM o")
    assert 0.01 <= share <= 0.04
    assert one(db, "SELECT count(*) FROM o WHERE amount < 0 AND (quantity >= 0 OR cost > 0)") == 0
    orphan = one(db, """
        SELECT count(*) FROM o r WHERE r.amount < 0 AND NOT EXISTS (
            SELECT 1 FROM o s WHERE s.amount > 0 AND s.customer_id = r.customer_id
              AND s.product_id = r.product_id AND s.order_date <= r.order_date)""")
    assert orphan == 0


def test_amounts_are_exact_and_costs_plausible(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "SELECT count(*) FROM o WHERE amount <> round(quantity * unit_price, 2)") == 0
    low, high = db.execute("SELECT min(cost / amount), max(cost / amount) FROM o "
                           "WHERE amount > 1").fetchone() or (0, 0)
    assert low >= 0.55 and high <= 0.9


def test_nothing_after_end_date(db: duckdb.DuckDBPyConnection) -> None:
    end = f"DATE '{END}' + INTERVAL 1 DAY"
    assert one(db, f"SELECT count(*) FROM o WHERE order_date >= {end}") == 0
    assert one(db, f"SELECT count(*) FROM p WHERE payment_date >= {end}") == 0
    assert one(db, f"SELECT count(*) FROM a WHERE 跟进日期::TIMESTAMP >= {end}") == 0
    assert one(db, f"SELECT count(*) FROM c WHERE 建档日期::DATE > DATE '{END}'") == 0


def test_orders_and_payments_follow_their_causes(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "SELECT count(*) FROM o JOIN c ON o.customer_id = c.客户编号 "
                   "WHERE o.order_date::DATE < c.建档日期::DATE") == 0
    assert one(db, "SELECT count(*) FROM a JOIN c ON a.客户编号 = c.客户编号 "
                   "WHERE a.跟进日期::DATE < c.建档日期::DATE") == 0
    assert one(db, "SELECT count(*) FROM p JOIN (SELECT order_id, min(order_date) d FROM o "
                   "GROUP BY 1) s USING (order_id) WHERE p.payment_date < s.d") == 0
    assert one(db, "SELECT count(*) FROM p WHERE amount <= 0") == 0


def test_every_reference_exists(db: duckdb.DuckDBPyConnection) -> None:
    for table, col in (("o", "customer_id"), ("p", "customer_id"), ("a", "客户编号")):
        missing = one(db, f"SELECT count(*) FROM {table} WHERE {col} NOT IN "
                          f"(SELECT 客户编号 FROM c)")
        assert missing == 0, table
    assert one(db, "SELECT count(*) FROM p WHERE order_id NOT IN (SELECT order_id FROM o)") == 0
    assert one(db, "SELECT count(DISTINCT 客户编号) FROM c") == N


def test_credit_and_follow_up_have_something_to_show(db: duckdb.DuckDBPyConnection) -> None:
    over_limit = one(db, """
        SELECT count(*) FROM c JOIN (SELECT customer_id, sum(amount) s FROM o GROUP BY 1) o
          ON o.customer_id = c.客户编号
        LEFT JOIN (SELECT customer_id, sum(amount) s FROM p GROUP BY 1) p
          ON p.customer_id = c.客户编号
        WHERE o.s - coalesce(p.s, 0) > c.授信额度::DECIMAL(18,2)""")
    assert over_limit > 0
    assert one(db, "SELECT count(*) FROM a WHERE 跟进方式 = '投诉'") >= 3
    never = one(db, "SELECT count(*) FROM c WHERE 客户编号 NOT IN (SELECT 客户编号 FROM a)")
    assert 0.05 * N <= never <= 0.4 * N
    assert {r[0] for r in db.execute("SELECT DISTINCT 跟进方式 FROM a").fetchall()} == {
        "拜访", "电话", "微信", "关怀", "投诉", "其他"}


def test_activities_are_gbk_not_utf8(demo: dict[str, Path]) -> None:
    raw = demo["activities"].read_bytes()
    assert "拜访" in raw.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_line_count_scales_with_customers(demo: dict[str, Path], tmp_path: Path) -> None:
    big = pq.read_metadata(demo["orders"]).num_rows
    small = pq.read_metadata(generate_demo_files(tmp_path, customers=N // 4)["orders"]).num_rows
    assert 40 * N <= big <= 60 * N  # ~50 lines per customer: 1,000,000 for 20,000
    assert 0.8 <= big / (4 * small) <= 1.25


def test_other_window_stays_inside_it(tmp_path: Path) -> None:
    paths = generate_demo_files(tmp_path, customers=300, end_date=dt.date(2028, 2, 29), years=1)
    dates = pq.read_table(paths["orders"], columns=["order_date"]).column(0).to_numpy()
    assert dates.min() >= np.datetime64("2027-03-01") and dates.max() < np.datetime64("2028-03-01")
