"""Sales analysis on a hand-made company: periods, dimensions, gross profit only where cost
exists, change vs the previous period, nothing dropped, and totals that reconcile."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli
from schemes_fixture import company
from tierwise.errors import ConfigError
from tierwise.reports.sales import parse_by, sales
from tierwise.workspace import Workspace

CUSTOMERS = [{"customer_id": "A", "department": "East", "region": "上海", "rep_id": "R1"},
             {"customer_id": "B", "department": "West", "region": "成都", "rep_id": "R2"},
             {"customer_id": "C"}]  # no department, region or rep
ORDERS = [
    # January: A 100 (cost 60) + 50 (no cost) in one order; B 200 (cost 150); C 30
    {"order_id": "O1", "line_no": 1, "customer_id": "A", "order_date": "2026-01-05", "amount": 100,
     "cost": 60, "product_id": "P1"},
    {"order_id": "O1", "line_no": 2, "customer_id": "A", "order_date": "2026-01-05", "amount": 50,
     "product_id": "P2"},
    {"order_id": "O2", "line_no": 1, "customer_id": "B", "order_date": "2026-01-20", "amount": 200,
     "cost": 150, "product_id": "P1"},
    {"order_id": "O3", "line_no": 1, "customer_id": "C", "order_date": "2026-01-31", "amount": 30},
    # February: A 300; B returns 20 (a line sold by the West dept for the customer's own dept)
    {"order_id": "O4", "line_no": 1, "customer_id": "A", "order_date": "2026-02-02", "amount": 300,
     "department": "Online", "product_id": "P2"},
    {"order_id": "O5", "line_no": 1, "customer_id": "B", "order_date": "2026-02-10", "amount": -20,
     "product_id": "P1"},
]


@pytest.fixture
def shop(ws: Workspace, tmp_path: Path) -> Workspace:
    company(ws, tmp_path, customers=CUSTOMERS, orders=ORDERS)
    return ws


def _rows(ws: Workspace, by: str, **kw: object) -> list[dict[str, object]]:
    return sales(ws.db, parse_by(by), **kw).to_pylist()  # type: ignore[arg-type]


def test_months_by_department_with_gross_profit_and_change(shop: Workspace) -> None:
    rows = _rows(shop, "period,department")
    got = {(r["period"], r["department"]): (r["revenue"], r["orders"], r["customers"], r["gross_profit"])
           for r in rows}
    jan, feb = date(2026, 1, 1), date(2026, 2, 1)
    assert got == {
        (jan, "East"): (Decimal("150.00"), 1, 1, Decimal("40.00")),  # profit only on the costed line
        (jan, "West"): (Decimal("200.00"), 1, 1, Decimal("50.00")),
        (jan, "(none)"): (Decimal("30.00"), 1, 1, None),  # no cost at all: empty, not 0
        (feb, "Online"): (Decimal("300.00"), 1, 1, None),  # the line's own department wins
        (feb, "West"): (Decimal("-20.00"), 1, 1, None)}
    west = {r["period"]: r["change"] for r in rows if r["department"] == "West"}
    assert west[jan] is None and west[feb] == pytest.approx(-1.1)  # -20 vs 200
    assert [r["department"] for r in rows][:3] == ["West", "East", "(none)"]  # by period, then revenue


@pytest.mark.parametrize("dimension", ["department", "rep", "outlet", "product", "region"])
def test_every_dimension_adds_up_to_the_company(shop: Workspace, dimension: str) -> None:
    total = {r["period"]: r["revenue"] for r in _rows(shop, "period,company", period="month")}
    split: dict[object, Decimal] = {}
    for r in _rows(shop, f"period,{dimension}", period="month"):
        split[r["period"]] = split.get(r["period"], Decimal(0)) + r["revenue"]  # type: ignore[operator]
    assert split == total == {date(2026, 1, 1): Decimal("380.00"), date(2026, 2, 1): Decimal("280.00")}


def test_periods_and_date_range(shop: Workspace) -> None:
    weeks = [(r["period"], r["revenue"]) for r in _rows(shop, "period", period="week")]
    # ISO weeks start on Monday: 2026-01-05 is a Monday, the 20th a Tuesday, the 31st a Saturday
    assert weeks == [(date(2026, 1, 5), Decimal("150.00")), (date(2026, 1, 19), Decimal("200.00")),
                     (date(2026, 1, 26), Decimal("30.00")), (date(2026, 2, 2), Decimal("300.00")),
                     (date(2026, 2, 9), Decimal("-20.00"))]
    feb = _rows(shop, "period", start=date(2026, 2, 1))  # still compared with January
    assert [(r["period"], r["revenue"], r["change"]) for r in feb] == [
        (date(2026, 2, 1), Decimal("280.00"), pytest.approx((280 - 380) / 380))]
    only = _rows(shop, "company", start=date(2026, 1, 20), end=date(2026, 2, 2))
    assert [(r["revenue"], r["orders"], r["customers"]) for r in only] == [(Decimal("530.00"), 3, 3)]
    with pytest.raises(ConfigError, match="--by 'dept'"):
        parse_by("period,dept")
    with pytest.raises(ConfigError, match="needs --scheme"):
        _rows(shop, "class")


def test_by_class_of_the_current_classification(shop: Workspace) -> None:
    # buyers A 450, B 180, C 30: A key, the rest below
    shop.snapshots.classify(["abc"], as_of=date(2026, 2, 28))
    rows = {r["class"]: r["revenue"] for r in _rows(shop, "class", scheme="abc")}
    assert sum(rows.values()) == Decimal("660.00") and rows["A"] == Decimal("450.00")
    assert _rows(shop, "class") == _rows(shop, "class", scheme="abc")  # the main grade, by its role


def test_sales_command(shop: Workspace, tmp_path: Path) -> None:
    db = shop.db.path
    shop.close()
    r = run_cli("--db", db, "sales", "--by", "period,department", "--json", "--out", tmp_path / "s.xlsx")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows[0] == {"period": "2026-01-01", "department": "West", "revenue": 200.0, "orders": 1,
                       "customers": 1, "avg_order_value": 200.0, "gross_profit": 50.0, "change": None}
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx")["sales"]
    assert [c.value for c in sheet[1]][:3] == ["period", "department", "revenue"] and sheet.max_row == 6
    zh = run_cli("--db", db, "--lang", "zh", "sales", "--by", "department", "--period", "year")
    assert zh.returncode == 0 and "销售额" in zh.stdout and "毛利" in zh.stdout
    bad = run_cli("--db", db, "sales", "--period", "fortnight")
    assert bad.returncode == 1 and "--period 'fortnight'" in bad.stderr


def test_an_empty_result_still_makes_a_valid_excel_table(shop: Workspace, tmp_path: Path) -> None:
    import openpyxl

    from tierwise.schemes.store import write_export

    empty = sales(shop.db, ["period", "rep"], start=date(2030, 1, 1))
    assert empty.num_rows == 0
    write_export(empty, tmp_path / "none.xlsx", sheet="sales")
    sheet = openpyxl.load_workbook(tmp_path / "none.xlsx")["sales"]
    assert sheet.tables["sales"].ref == "A1:H2"  # Excel wants a row under the header
