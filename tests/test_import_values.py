"""Every value form the importer reads: dates, day/month order, Excel serials, amounts in
their many spellings, decimal commas, computed amounts, integers and activity kinds."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ORDER_HEADER, do_import, rejected_by_row, write_csv
from tierwise.data.values import REASONS
from tierwise.workspace import Workspace

D = Decimal
T = dt.datetime


def _orders_file(path: Path, column: str, values: list[str]) -> Path:
    """One order per value, the value in ``column`` (order_date or amount)."""
    rows: list[list[str]] = [ORDER_HEADER]
    for i, v in enumerate(values):
        date, amount = (v, "1") if column == "order_date" else ("2024-03-05", v)
        rows.append([f"O{i:02d}", "1", "C1", date, amount])
    return write_csv(path, rows)


def _stored(ws: Workspace, column: str) -> dict[str, object]:
    return dict(ws.db.con.execute(f"SELECT order_id, {column} FROM orders").fetchall())


# -- dates -----------------------------------------------------------------------------
DATES = {
    "2024-03-05": T(2024, 3, 5),
    "2024/3/5": T(2024, 3, 5),
    "2024/03/05": T(2024, 3, 5),
    "20240305": T(2024, 3, 5),
    "2024年3月5日": T(2024, 3, 5),
    "2024年3月5号": T(2024, 3, 5),
    "2024.3.5": T(2024, 3, 5),
    "45356": T(2024, 3, 5),  # Excel serial day number
    "45356.5": T(2024, 3, 5, 12, 0),  # ... with the time of day as a fraction
    "45356.75": T(2024, 3, 5, 18, 0),
    "2024-03-05 13:45:10": T(2024, 3, 5, 13, 45, 10),
    "2024-03-05 13:45": T(2024, 3, 5, 13, 45),
    "2024/3/5 8:05": T(2024, 3, 5, 8, 5),
    "2024年3月5日 09:30:00": T(2024, 3, 5, 9, 30),
    "2024-03-05T13:45:10": T(2024, 3, 5, 13, 45, 10),
    " 2024-03-05 ": T(2024, 3, 5),
    "1900-01-01": T(1900, 1, 1),
    "2100-12-31 23:59:59": T(2100, 12, 31, 23, 59, 59),
}


def test_date_forms(ws: Workspace, tmp_path: Path) -> None:
    values = list(DATES)
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "order_date", values))
    assert (s.read, s.accepted, s.rejected) == (len(values), len(values), 0)
    stored = _stored(ws, "order_date")
    assert {values[int(k[1:])]: v for k, v in stored.items()} == DATES


@pytest.mark.parametrize(("date_order", "expected"), [
    ("DMY", {"05/03/2024": T(2024, 3, 5), "5/3/2024": T(2024, 3, 5), "25/12/2023": T(2023, 12, 25),
             "05.03.2024": T(2024, 3, 5), "05/03/2024 14:30": T(2024, 3, 5, 14, 30)}),
    ("MDY", {"05/03/2024": T(2024, 5, 3), "5/3/2024": T(2024, 5, 3), "12/25/2023": T(2023, 12, 25),
             "05.03.2024": T(2024, 5, 3), "05/03/2024 14:30": T(2024, 5, 3, 14, 30)}),
])
def test_day_month_order_declared(ws: Workspace, tmp_path: Path, date_order: str,
                                  expected: dict[str, dt.datetime]) -> None:
    values = list(expected)
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "order_date", values),
                  date_order=date_order)
    assert (s.accepted, s.rejected) == (len(values), 0)
    stored = _stored(ws, "order_date")
    assert {values[int(k[1:])]: v for k, v in stored.items()} == expected


def test_day_month_order_from_mapping_file(ws: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("date_order: DMY\n", encoding="utf-8")
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "order_date", ["05/03/2024"]),
                  mapping=mapping)
    assert s.accepted == 1
    assert _stored(ws, "order_date") == {"O00": T(2024, 3, 5)}


def test_day_month_order_option_wins_over_mapping(ws: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("date_order: DMY\n", encoding="utf-8")
    do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "order_date", ["05/03/2024"]),
              mapping=mapping, date_order="MDY")
    assert _stored(ws, "order_date") == {"O00": T(2024, 5, 3)}


def test_day_month_dates_without_declared_order_are_ambiguous(ws: Workspace, tmp_path: Path) -> None:
    # no value proves an order (25/12/2023 would: see test_import_friction.py)
    values = ["05/03/2024", "12/11/2023", "3/5/2024", "05.03.2024", "2024-03-05"]
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "order_date", values))
    assert (s.accepted, s.rejected) == (1, 4)
    rej = rejected_by_row(s.rejected_file)
    assert {r: (v["tierwise_value"], v["tierwise_code"], v["tierwise_column"]) for r, v in rej.items()} == {
        2: ("05/03/2024", "ambiguous_date", "order_date"),
        3: ("12/11/2023", "ambiguous_date", "order_date"),
        4: ("3/5/2024", "ambiguous_date", "order_date"),
        5: ("05.03.2024", "ambiguous_date", "order_date")}
    assert rej[2]["tierwise_reason"] == (
        "'05/03/2024' could be day-first or month-first: declare it with --date-order DMY or MDY")
    assert _stored(ws, "order_date") == {"O04": T(2024, 3, 5)}


def test_bad_and_implausible_dates(ws: Workspace, tmp_path: Path) -> None:
    values = ["2024-02-30", "2024-13-01", "yesterday", "19991", "80001", "1899-12-31", "2101-01-01",
              "1800/1/1"]
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "order_date", values))
    assert (s.accepted, s.rejected) == (0, len(values))
    rej = rejected_by_row(s.rejected_file)
    assert {v["tierwise_value"]: v["tierwise_code"] for v in rej.values()} == {
        "2024-02-30": "bad_date", "2024-13-01": "bad_date", "yesterday": "bad_date",
        "19991": "bad_date", "80001": "bad_date", "1899-12-31": "implausible_date",
        "2101-01-01": "implausible_date", "1800/1/1": "implausible_date"}


def test_date_column_keeps_the_day_of_a_timestamp(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "c.csv", [["customer_id", "created_date"], ["C1", "2024-03-05 23:59:59"],
                                       ["C2", "45356.9"], ["C3", "2024年3月5日"]])
    s = do_import(ws, "customers", f)
    assert s.accepted == 3
    assert ws.db.con.execute("SELECT customer_id, created_date FROM customers ORDER BY 1").fetchall() == [
        ("C1", dt.date(2024, 3, 5)), ("C2", dt.date(2024, 3, 5)), ("C3", dt.date(2024, 3, 5))]


# -- amounts ---------------------------------------------------------------------------
AMOUNTS = {
    "1234.5": D("1234.50"),
    "1234": D("1234.00"),
    "-1234.5": D("-1234.50"),
    "+7": D("7.00"),
    ".5": D("0.50"),
    "¥1,234.50": D("1234.50"),
    "￥1,234.50": D("1234.50"),
    "$ 1,234.50": D("1234.50"),
    "1,234,567.891": D("1234567.89"),
    "(120.00)": D("-120.00"),
    "120-": D("-120.00"),
    "120.00-": D("-120.00"),
    "１２３４．５": D("1234.50"),
    "－１２０": D("-120.00"),
    "（１２０）": D("-120.00"),
    "1234.5元": D("1234.50"),
    "1,234.50 元": D("1234.50"),
    "RMB 1,234.50": D("1234.50"),
    "RMB1234.5": D("1234.50"),
    "CNY 88": D("88.00"),
    "1234.5 RMB": D("1234.50"),
    "  99  ": D("99.00"),
    "1234567890123456": D("1234567890123456.00"),
}


def test_amount_forms(ws: Workspace, tmp_path: Path) -> None:
    values = list(AMOUNTS)
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "amount", values))
    assert (s.read, s.accepted, s.rejected) == (len(values), len(values), 0), s.top_reasons
    stored = _stored(ws, "amount")
    assert {values[int(k[1:])]: v for k, v in stored.items()} == AMOUNTS


def test_decimal_comma_declared(ws: Workspace, tmp_path: Path) -> None:
    expected = {"1 234,50": D("1234.50"), "1.234,50": D("1234.50"), "12,5": D("12.50"),
                "-1.234.567,891": D("-1234567.89"), "(1.234,50)": D("-1234.50"),
                "1234": D("1234.00"), "€ 1.234,50": D("1234.50"), "1.234,50-": D("-1234.50")}
    values = list(expected)
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "amount", values),
                  decimal_comma=True)
    assert (s.accepted, s.rejected) == (len(values), 0), s.top_reasons
    stored = _stored(ws, "amount")
    assert {values[int(k[1:])]: v for k, v in stored.items()} == expected


def test_decimal_comma_from_mapping_file(ws: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("decimal_comma: true\n", encoding="utf-8")
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "amount", ["1.234,50"]),
                  mapping=mapping)
    assert s.accepted == 1
    assert _stored(ws, "amount") == {"O00": D("1234.50")}


def test_decimal_comma_undeclared_is_rejected_with_a_hint(ws: Workspace, tmp_path: Path) -> None:
    values = ["12,5", "1.234,50", "-3,75", "1,234"]
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "amount", values))
    assert (s.accepted, s.rejected) == (1, 3)
    assert _stored(ws, "amount") == {"O03": D("1234.00")}  # 1,234 is a thousands separator
    rej = rejected_by_row(s.rejected_file)
    assert {r: (v["tierwise_value"], v["tierwise_code"]) for r, v in rej.items()} == {
        2: ("12,5", "decimal_comma"), 3: ("1.234,50", "decimal_comma"), 4: ("-3,75", "decimal_comma")}
    assert rej[2]["tierwise_reason"] == (
        "'12,5' looks like a decimal comma: pass --decimal-comma if the file writes 1.234,50")


def test_bad_numbers(ws: Workspace, tmp_path: Path) -> None:
    values = ["abc", "12abc", "1,23,4.5", "--5", "¥", "1.2.3", "(5", "-5-"]
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "amount", values))
    assert (s.accepted, s.rejected) == (0, len(values))
    rej = rejected_by_row(s.rejected_file)
    assert {v["tierwise_value"]: v["tierwise_code"] for v in rej.values()} == dict.fromkeys(
        values, "bad_number")


def test_null_tokens_are_missing_values(ws: Workspace, tmp_path: Path) -> None:
    tokens = ["NULL", "none", "NaN", "N/A", "#N/A", "na", "nil", "—", "   ", "\u3000"]
    rows: list[list[str]] = [["customer_id", "name"], ["C0", "ok"]]
    rows += [[tok, "x"] for tok in tokens]
    s = do_import(ws, "customers", write_csv(tmp_path / "c.csv", rows))
    assert (s.accepted, s.rejected) == (1, len(tokens))
    rej = rejected_by_row(s.rejected_file)
    assert sorted(rej) == list(range(3, 3 + len(tokens)))
    assert {v["tierwise_code"] for v in rej.values()} == {"no_customer"}
    assert {v["tierwise_column"] for v in rej.values()} == {"customer_id"}


def test_too_large_numbers(ws: Workspace, tmp_path: Path) -> None:
    rows = [[*ORDER_HEADER, "quantity"],
            ["A", "1", "C1", "2024-03-05", "12345678901234567", "1"],  # 17 digits > DECIMAL(18,2)
            ["B", "1", "C1", "2024-03-05", "5", "123456789012345"]]  # 15 digits > DECIMAL(18,4)
    s = do_import(ws, "orders", write_csv(tmp_path / "o.csv", rows))
    assert (s.accepted, s.rejected) == (0, 2)
    rej = rejected_by_row(s.rejected_file)
    assert {r: (v["tierwise_column"], v["tierwise_value"], v["tierwise_code"]) for r, v in rej.items()} == {
        2: ("amount", "12345678901234567", "too_large"),
        3: ("quantity", "123456789012345", "too_large")}


def test_too_large_reason_states_the_limit_that_is_applied(ws: Workspace, tmp_path: Path) -> None:
    # The too_large reason names a digit limit; an amount one digit over it must be rejected.
    limit = int(re.search(r"at most (\d+) digits", REASONS["too_large"][0]).group(1))  # type: ignore[union-attr]
    over = "9" * (limit + 1)
    s = do_import(ws, "orders", _orders_file(tmp_path / "o.csv", "amount", [over]))
    stored = _stored(ws, "amount")
    assert (s.accepted, s.rejected) == (0, 1), (
        f"amount {over} ({limit + 1} digits) was stored as {stored}, but the too_large reason says "
        f"at most {limit} digits")


# -- computed amounts ------------------------------------------------------------------
def test_amount_from_quantity_times_unit_price(ws: Workspace, tmp_path: Path) -> None:
    rows = [["order_id", "line_no", "customer_id", "order_date", "quantity", "unit_price"],
            ["A", "1", "C1", "2024-03-05", "2", "3.255"],
            ["A", "2", "C1", "2024-03-05", "(3)", "¥10.00"],
            ["B", "1", "C1", "2024-03-05", "1,000", "0.5"],
            ["C", "1", "C1", "2024-03-05", "", "5"]]
    s = do_import(ws, "orders", write_csv(tmp_path / "o.csv", rows))
    assert s.columns == {"order_id": "order_id", "line_no": "line_no", "customer_id": "customer_id",
                         "order_date": "order_date", "quantity": "quantity",
                         "unit_price": "unit_price"}
    assert (s.accepted, s.rejected) == (3, 1)
    assert ws.db.con.execute(
        "SELECT order_id, line_no, quantity, unit_price, amount FROM orders ORDER BY 1, 2").fetchall() == [
        ("A", 1, D("2.0000"), D("3.2550"), D("6.51")),
        ("A", 2, D("-3.0000"), D("10.0000"), D("-30.00")),
        ("B", 1, D("1000.0000"), D("0.5000"), D("500.00"))]
    rej = rejected_by_row(s.rejected_file)
    assert list(rej) == [5]
    # the file has no amount column, so no header is named
    assert (rej[5]["tierwise_column"], rej[5]["tierwise_code"]) == ("", "no_amount")
    assert rej[5]["tierwise_reason"] == "no amount, and no quantity and unit price to compute it from"


def test_empty_amount_is_computed_when_quantity_and_price_exist(ws: Workspace, tmp_path: Path) -> None:
    rows = [[*ORDER_HEADER, "quantity", "unit_price"],
            ["A", "1", "C1", "2024-03-05", "", "4", "2.5"],
            ["A", "2", "C1", "2024-03-05", "7", "4", "2.5"],  # a given amount wins
            ["A", "3", "C1", "2024-03-05", "", "", ""]]
    s = do_import(ws, "orders", write_csv(tmp_path / "o.csv", rows))
    assert (s.accepted, s.rejected) == (2, 1)
    assert ws.db.con.execute("SELECT line_no, amount FROM orders ORDER BY 1").fetchall() == [
        (1, D("10.00")), (2, D("7.00"))]
    rej = rejected_by_row(s.rejected_file)
    assert (rej[4]["tierwise_column"], rej[4]["tierwise_code"]) == ("amount", "no_amount")


def test_bad_unit_price_is_reported_not_a_missing_amount(ws: Workspace, tmp_path: Path) -> None:
    # quantity and unit price are there, the unit price is not a number: the reason must
    # point at the unit price, not claim there is no quantity and unit price.
    rows = [[*ORDER_HEADER, "quantity", "unit_price"],
            ["A", "1", "C1", "2024-03-05", "", "2", "abc"]]
    s = do_import(ws, "orders", write_csv(tmp_path / "o.csv", rows))
    assert s.rejected == 1
    row = rejected_by_row(s.rejected_file)[2]
    assert (row["tierwise_column"], row["tierwise_value"], row["tierwise_code"]) == (
        "unit_price", "abc", "bad_number"), row["tierwise_reason"]


# -- integers --------------------------------------------------------------------------
def test_integers(ws: Workspace, tmp_path: Path) -> None:
    rows = [["customer_id", "payment_terms_days"], ["C1", "30"], ["C2", "1,200"], ["C3", "12.0"],
            ["C4", "1.5"], ["C5", "thirty"], ["C6", "３０"], ["C7", ""]]
    s = do_import(ws, "customers", write_csv(tmp_path / "c.csv", rows))
    assert (s.accepted, s.rejected) == (5, 2)
    con = ws.db.con
    assert con.execute("SELECT customer_id, payment_terms_days FROM customers ORDER BY 1").fetchall() == [
        ("C1", 30), ("C2", 1200), ("C3", 12), ("C6", 30), ("C7", None)]
    rej = rejected_by_row(s.rejected_file)
    assert {r: (v["tierwise_value"], v["tierwise_code"]) for r, v in rej.items()} == {
        5: ("1.5", "bad_integer"), 6: ("thirty", "bad_integer")}


# -- activity kinds --------------------------------------------------------------------
KINDS = {"拜访": "visit", "面谈": "visit", "上门": "visit", "电话": "call", "Phone Call": "call",
         "微信": "message", " WeChat ": "message", "邮件": "message", "关怀": "care", "回访": "care",
         "投诉": "complaint", "客诉": "complaint", "其他": "other", "VISIT": "visit"}


def _activities(path: Path, kinds: list[str]) -> Path:
    rows = [["跟进编号", "客户编号", "跟进日期", "跟进方式"]]
    rows += [[f"A{i:02d}", "C1", "2024-03-05", k] for i, k in enumerate(kinds)]
    return write_csv(path, rows)


def test_activity_kinds_in_chinese_and_english(ws: Workspace, tmp_path: Path) -> None:
    kinds = list(KINDS)
    s = do_import(ws, "activities", _activities(tmp_path / "a.csv", kinds))
    assert (s.accepted, s.rejected) == (len(kinds), 0)
    stored = dict(ws.db.con.execute("SELECT activity_id, kind FROM activities").fetchall())
    assert {kinds[int(k[1:])]: v for k, v in stored.items()} == KINDS


def test_unknown_activity_kind_then_mapped(ws: Workspace, tmp_path: Path) -> None:
    # (面谈 is already a known spelling of visit, so an unknown word is used here)
    f = _activities(tmp_path / "a.csv", ["拜访", "茶叙", "微信"])
    s = do_import(ws, "activities", f)
    assert (s.accepted, s.rejected) == (2, 1)
    rej = rejected_by_row(s.rejected_file)
    assert list(rej) == [3]
    assert (rej[3]["tierwise_column"], rej[3]["tierwise_value"], rej[3]["tierwise_code"]) == (
        "跟进方式", "茶叙", "bad_kind")
    assert "'茶叙' is not a known kind" in rej[3]["tierwise_reason"]

    mapping = tmp_path / "map.yaml"
    mapping.write_text("values:\n  kind: {茶叙: visit, 面谈: visit}\n", encoding="utf-8")
    s = do_import(ws, "activities", f, mapping=mapping)
    assert (s.read, s.accepted, s.inserted, s.unchanged, s.rejected) == (3, 3, 1, 2, 0)
    assert s.rejected_file is None
    assert not (tmp_path / "a.rejected.csv").exists()  # the stale rejected file is gone
    assert ws.db.con.execute("SELECT activity_id, kind FROM activities ORDER BY 1").fetchall() == [
        ("A00", "visit"), ("A01", "visit"), ("A02", "message")]


def test_value_mapping_for_text_columns(ws: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("values:\n  region: {沪: 上海, 京: 北京}\n", encoding="utf-8")
    f = write_csv(tmp_path / "c.csv", [["客户编号", "区域"], ["C1", "沪"], ["C2", "京"], ["C3", "广州"]])
    do_import(ws, "customers", f, mapping=mapping)
    assert ws.db.con.execute("SELECT customer_id, region FROM customers ORDER BY 1").fetchall() == [
        ("C1", "上海"), ("C2", "北京"), ("C3", "广州")]


def test_ids_lose_every_space_like_end(ws: Workspace, tmp_path: Path) -> None:
    """A quoted cell ending in a carriage return or a tab (Excel, CRLF files) is the same
    customer as without it (found by the messy-CSV property test)."""
    path = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["O1", 1, "C1\r", "2026-01-05", "10"],
                                          ["O2", 1, "C1\t", "2026-01-06", "10"],
                                          ["O3", 1, "\u3000C1\n", "2026-01-07", "10"]], lineterminator="\r\n")
    summary = do_import(ws, "orders", path)
    assert summary.accepted == 3
    assert ws.db.con.execute("SELECT DISTINCT customer_id FROM orders").fetchall() == [("C1",)]


def test_ids_are_one_whatever_the_format(ws: Workspace, tmp_path: Path) -> None:
    """A customer number kept as a float column is 17850.0 in a CSV, Parquet or JSON export
    and 17850 in xlsx; typed with a full-width IME it is １７８５０. They are one customer, so a
    month re-imported from another format updates its lines instead of adding them again."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["536365", "1", "17850.0", "2010-12-01", "15.30"],
                                         ["536366", "1", "１７８５０", "2010-12-01", "22.00"],
                                         ["536367", "1", "C17850.0", "2010-12-01", "1.00"]])
    assert do_import(ws, "orders", csv).accepted == 3
    table = pa.table({"order_id": pa.array([536365.0, 536366.0]), "line_no": pa.array([1, 1]),
                      "customer_id": pa.array([17850.0, 17850.0]),
                      "order_date": pa.array([dt.date(2010, 12, 1)] * 2),
                      "amount": pa.array([15.30, 22.00])})
    pq.write_table(table, tmp_path / "o.parquet")
    again = do_import(ws, "orders", tmp_path / "o.parquet")
    assert (again.accepted, again.inserted, again.unchanged) == (2, 0, 2)
    rows = ws.db.con.execute("SELECT order_id, customer_id FROM orders ORDER BY order_id").fetchall()
    assert rows == [("536365", "17850"), ("536366", "17850"), ("536367", "C17850.0")]  # only numbers lose .0
    assert ws.db.con.execute("SELECT count(*) FROM customers").fetchone() == (2,)


def test_amounts_in_scientific_notation(ws: Workspace, tmp_path: Path) -> None:
    """Float exports write rounding residue as 8.881784e-16 or -6e-5: that is 0.00, not ±0.01
    (DuckDB 1.5 casts such text to ±0.01), so the customer is not a buyer on its account."""
    rows = [["A", "1", "C1", "2024-03-05", "8.881784e-16"], ["B", "1", "C2", "2024-03-05", "-6e-5"],
            ["C", "1", "C3", "2024-03-05", "1.5E3"], ["D", "1", "C3", "2024-03-05", "1.23456789e2"]]
    assert do_import(ws, "orders", write_csv(tmp_path / "e.csv", [ORDER_HEADER, *rows])).accepted == 4
    got = dict(ws.db.con.execute("SELECT order_id, amount FROM orders").fetchall())
    assert got == {"A": Decimal("0.00"), "B": Decimal("0.00"), "C": Decimal("1500.00"),
                   "D": Decimal("123.46")}
