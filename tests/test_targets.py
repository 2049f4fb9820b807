"""Targets per rep, department and class against what was done (reports/targets.py): the
import (Chinese headers, any day of the month, duplicates rejected, a file replaces its
months), revenue / new customers / visits per month rolled up to quarter and year, the
statuses, the scope, and the CLI, API, page and workbook sheet.

East: R1, R2; West: R3. The scheme ``tier`` is the main grade: ``top`` (revenue ≥ 1,000) and
``low``. A (R1) buys 800 in January and 700 in February (top); B (R1) 100 in January (first
order; low); C (R2) 300 in March (low); W (R3) 2,000 in February (top). R1 visits A twice in
January, R2 visits C once in March.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from conftest import do_import, query, run_cli, write_csv
from schemes_fixture import company, order, tier_scheme
from server_fixture import PASSWORD, add_user, running_server
from tierwise.access.users import User
from tierwise.settings import Settings
from tierwise.workspace import Workspace

BOSS = User("boss", "admin", lang="zh")
REPS = [["rep_id", "name", "department"], ["R1", "Li", "East"], ["R2", "Qian", "East"],
        ["R3", "Zhao", "West"]]
TARGETS = [["月份", "业务员", "部门", "客户类别", "销售额目标", "销售额挑战目标", "新客户目标", "拜访目标"],
           ["2026-01-15", "R1", "", "", "800", "1000", "1", "3"],      # done 900, 2 new, 2 visits
           ["2026-02-01", "R1", "", "", "600", "700", "", ""],         # done 700: stretch met
           ["2026-03-01", "R2", "", "", "500", "600", "1", "1"],       # done 300 (the month under way)
           ["2026-01-01", "", "East", "", "1000", "1200", "2", ""],    # done 900
           ["2026-02-01", "", "", "重点", "2500", "3000", "", ""],     # top: A 700 + W 2,000
           ["2026-01-01", "R1", "", "", "1", "1", "1", "1"],          # the same key again: rejected
           ["2026-13-01", "R3", "", "", "1", "1", "1", "1"]]          # no such month: rejected


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True, actor=BOSS) as ws:
        assert do_import(ws, "reps", write_csv(tmp_path / "reps.csv", REPS)).rejected == 0
        owners = {"A": ("R1", "East"), "B": ("R1", "East"), "C": ("R2", "East"), "W": ("R3", "West")}
        company(ws, tmp_path,
                customers=[{"customer_id": c, "name": f"客户{c}", "rep_id": r, "department": d}
                           for c, (r, d) in owners.items()],
                orders=[order("A", "2026-01-10", 800), order("A", "2026-02-10", 700),
                        order("B", "2026-01-20", 100), order("C", "2026-03-05", 300),
                        order("W", "2026-02-03", 2000)],
                activities=[{"customer_id": "A", "activity_date": d, "kind": "visit", "rep_id": "R1"}
                            for d in ("2026-01-05", "2026-01-25")]
                + [{"customer_id": "C", "activity_date": "2026-03-04", "kind": "visit", "rep_id": "R2"}])
        ws.schemes.save("tier", tier_scheme("visit_every_days: 30", "visit_every_days: 90").replace(
            "kind: thresholds", "roles: [primary_grade]\nkind: thresholds"))
        ws.snapshots.classify(["tier"], as_of=date(2026, 3, 5))
        summary = do_import(ws, "targets", write_csv(tmp_path / "目标.csv", TARGETS))
        assert (summary.accepted, summary.rejected) == (5, 2)
    return path


def _rows(found: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["period"], r["rep_id"] or r["department"] or (r["class"] or "company")): r
            for r in found["rows"]}


def test_months_against_what_was_done(db: Path) -> None:
    with Workspace.open(Settings(db=db), actor=BOSS) as ws:
        found = ws.reports.targets().to_json("zh")
    assert found["as_of"] == "2026-03-05"  # the last order
    rows = _rows(found)
    jan = rows[("2026-01", "R1")]
    assert (jan["revenue_done"], jan["revenue_variance"], jan["revenue_status"]) == (
        Decimal("900.00"), Decimal("100.00"), "met")
    assert (jan["new_customers_done"], jan["new_customers_status"]) == (2, "met")  # no stretch set
    assert (jan["visits_done"], jan["visits_attainment"], jan["visits_status_text"]) == (2, 2 / 3, "未达成")
    feb = rows[("2026-02", "R1")]
    assert feb["revenue_status"] == "stretch" and feb["visits_target"] is None and feb["visits_done"] is None
    assert rows[("2026-03", "R2")]["revenue_status"] == "open"  # March is not over on 5 March
    assert rows[("2026-01", "East")]["revenue_done"] == Decimal("900.00")
    top = rows[("2026-02", "top")]
    assert (top["class_label"], top["revenue_done"]) == ("重点", Decimal("2700.00"))
    # the same revenue computed by hand: the order lines of the month of the rep's customers
    by_hand = query(db, "SELECT sum(amount) FROM orders o JOIN customers c USING (customer_id) "
                        "WHERE c.rep_id = 'R1' AND o.order_date >= '2026-01-01' "
                        "AND o.order_date < '2026-02-01'")
    assert jan["revenue_done"] == by_hand[0][0]


def test_quarter_and_year_roll_up_and_the_scope(db: Path) -> None:
    with Workspace.open(Settings(db=db), actor=BOSS) as ws:
        quarter = _rows(ws.reports.targets(period="quarter").to_json("en"))
        year = _rows(ws.reports.targets(period="year", year=2026).to_json("en"))
        li = ws.acting_as(User("li", "rep", rep_id="R1")).reports.targets(period="quarter").to_json("en")
        east = ws.acting_as(User("m", "manager", department="East")).reports.targets().to_json("en")
    r1 = quarter[("2026-Q1", "R1")]
    assert (r1["revenue_target"], r1["revenue_stretch"], r1["revenue_done"]) == (
        Decimal("1400.00"), Decimal("1700.00"), Decimal("1600.00"))
    assert r1["revenue_status"] == "met"  # under way, and the target is reached already
    r2 = quarter[("2026-Q1", "R2")]
    assert (r2["revenue_done"], r2["revenue_status"]) == (Decimal("300.00"), "open")  # below, not over yet
    assert year[("2026", "R1")]["revenue_done"] == Decimal("1600.00")
    assert {r["rep_id"] for r in li["rows"]} == {"R1"}
    assert {r["rep_id"] or r["department"] for r in east["rows"]} == {"R1", "R2", "East"}


def test_a_file_replaces_the_months_it_names(db: Path, tmp_path: Path) -> None:
    with Workspace.open(Settings(db=db), actor=BOSS) as ws:
        again = [TARGETS[0], ["2026-02-20", "R1", "", "", "650", "", "", ""]]
        assert do_import(ws, "targets", write_csv(tmp_path / "feb.csv", again)).accepted == 1
        rows = _rows(ws.reports.targets().to_json("en"))
    assert rows[("2026-02", "R1")]["revenue_target"] == Decimal("650.00")
    assert ("2026-02", "top") not in rows and ("2026-01", "R1") in rows  # February replaced, January kept


def test_cli_api_page_and_workbook(db: Path, tmp_path: Path) -> None:
    done = run_cli("--db", db, "--lang", "zh", "targets", "--period", "quarter", "--json")
    assert done.returncode == 0, done.stderr
    assert {r["rep_id"] for r in json.loads(done.stdout)["rows"]} >= {"R1", "R2"}
    shown = run_cli("--db", db, "--lang", "zh", "targets")
    assert "目标达成（截至 2026-03-05）" in shown.stdout and "达成挑战目标" in shown.stdout
    book = tmp_path / "报表.xlsx"
    assert run_cli("--db", db, "--lang", "zh", "report", "--out", book).returncode == 0
    sheet = openpyxl.load_workbook(book, read_only=True)["目标达成"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("期间", "对象", "客户类别", "销售额目标")
    assert ("2026-Q1", "R1") in {(r[0], r[1]) for r in rows[1:]}
    token = add_user(db, "boss", "admin")
    with running_server(db) as base:
        r = httpx.get(base + "/api/reports/targets", params={"period": "year", "lang": "zh"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=60)
        assert r.status_code == 200, r.text
        r1 = next(x for x in r.json()["rows"] if x["rep_id"] == "R1")
        assert r1["revenue_done"] == "1600.00" and r1["period"] == "2026"
        assert httpx.get(base + "/api/reports/targets", params={"period": "week"},
                         headers={"Authorization": f"Bearer {token}"}, timeout=60).status_code == 422
        with httpx.Client(base_url=base, follow_redirects=True, timeout=60) as page:
            pre = re.search(r'name="csrf" value="([^"]+)"', page.get("/login").text)
            assert pre is not None
            page.post("/login", data={"name": "boss", "password": PASSWORD, "csrf": pre.group(1),
                                      "lang": "zh"})
            html = page.get("/targets?period=month").text
            assert 'id="targets"' in html and "达成率" in html
            assert 'data-period="2026-01" data-for="R1"' in html
