"""A tiny company whose every metric is worked out by hand in the tests.

As of 2024-03-31 with the default 12-month window (2023-04-01 – 2024-03-31, 366 days):

- A: orders O1 (two lines) and O2 on 5 Jan (one purchase day), O3 on 10 Feb, a return R1 on
  15 Feb, O4 on 1 Mar, and O9 on 2 Apr (after the as-of date: never seen). No payments; the
  return pays the oldest order first. Contacts: a visit and a complaint in the window, a
  call before it and a visit after the as-of date.
- B and G: one order of 80.00 each (a revenue tie, broken by customer id).
- C: three orders, two payments, the second spanning C1 and C2; C3 has its own due date.
- D: an order, a return and a payment that together settle it before it is due.
- L: one order in 2022 (lapsed; revenue only in the previous window).
- P: a prospect created in January. F: created after the as-of date (not seen at all).
- X: only a return (1 Feb). K: one order cancelled in full on the day it was placed (2 Feb).
"""

from __future__ import annotations

from pathlib import Path

from conftest import do_import, write_csv
from tierwise.workspace import Workspace

CUSTOMERS = [
    ["customer_id", "name", "created_date", "credit_limit", "payment_terms_days", "rep_id"],
    ["A", "Alpha", "2023-06-01", "5000", "30", "R1"],
    ["B", "Beta", "", "", "", "R1"],
    ["C", "Gamma", "2023-01-01", "1000", "30", "R2"],
    ["D", "Delta", "", "", "", "R2"],
    ["G", "Golf", "", "", "", ""],
    ["L", "Lapsed", "", "", "", ""],
    ["P", "Prospect", "2024-01-15", "", "", ""],
    ["F", "Future", "2024-05-01", "", "", ""],
    ["X", "Returns only", "", "", "", ""],
    ["K", "Cancelled", "", "", "", ""],
]
ORDERS = [
    ["order_id", "line_no", "customer_id", "order_date", "amount", "cost", "due_date"],
    ["O1", "1", "A", "2024-01-05", "100.00", "60.00", ""],
    ["O1", "2", "A", "2024-01-05 15:30", "50.00", "", ""],
    ["O2", "1", "A", "2024-01-05", "30.00", "10.00", ""],
    ["O3", "1", "A", "2024-02-10", "200.00", "150.00", ""],
    ["R1", "1", "A", "2024-02-15", "-20.00", "-12.00", ""],
    ["O4", "1", "A", "2024-03-01", "70.00", "40.00", ""],
    ["O9", "1", "A", "2024-04-02", "999.00", "", ""],
    ["B1", "1", "B", "2024-03-20", "80.00", "", ""],
    ["G1", "1", "G", "2024-03-25", "80.00", "", ""],
    ["C1", "1", "C", "2024-01-01", "1000.00", "", ""],
    ["C2", "1", "C", "2024-02-01", "500.00", "", ""],
    ["C3", "1", "C", "2024-03-20", "300.00", "", "2024-03-25"],
    ["D1", "1", "D", "2024-01-01", "1000.00", "", ""],
    ["DR", "1", "D", "2024-01-10", "-200.00", "", ""],
    ["L1", "1", "L", "2022-06-01", "400.00", "", ""],
    ["XR", "1", "X", "2024-02-01", "-50.00", "", ""],
    ["K1", "1", "K", "2024-02-02", "60.00", "", ""],
    ["K1", "2", "K", "2024-02-02", "-60.00", "", ""],
]
PAYMENTS = [
    ["payment_id", "customer_id", "payment_date", "amount"],
    ["p1", "C", "2024-01-20", "600.00"],
    ["p2", "C", "2024-01-28", "700.00"],
    ["p3", "D", "2024-01-25", "800.00"],
    ["p4", "A", "2024-04-05", "100.00"],
]
ACTIVITIES = [
    ["activity_id", "customer_id", "activity_date", "kind"],
    ["a1", "A", "2024-03-10", "拜访"],
    ["a2", "A", "2023-01-01", "电话"],
    ["a3", "A", "2024-02-01", "投诉"],
    ["a4", "A", "2024-04-10", "visit"],
    ["a5", "B", "2024-03-21", "微信"],
]


def build(ws: Workspace, folder: Path) -> None:
    """Import the tiny company into ``ws`` through the real import path."""
    for table, rows in (("customers", CUSTOMERS), ("orders", ORDERS), ("payments", PAYMENTS),
                        ("activities", ACTIVITIES)):
        summary = do_import(ws, table, write_csv(folder / f"{table}.csv", rows))
        assert summary.rejected == 0, summary
