"""Service given against the plan (reports/service.py): one hand-made company, every figure
worked out by hand here.

The scheme ``tier``: ``top`` (revenue ≥ 1,000: visit every 30 days, call every 15) and ``low``
(call every 45 days, no visits). The period is the 90 days 2026-04-02 – 2026-06-30.

cust  class  rep  logged in the period                 plan: visits / contacts
T1    top    R1   2 visits, 1 call                     3 / 6
T2    top    R1   nothing                              3 / 6
L1    low    R1   4 calls                              0 / 2
L2    low    R2   1 care touch, 1 complaint (not service)  0 / 2
L3    low    R2   a visit on 2026-03-01 (before the period)  0 / 2

top: 2 customers, visits 2 of 6, contacts 3 of 12 (1.5 per customer), T2 never visited.
low: 3 customers, contacts 5 of 6 (1.67 per customer): more than top's 1.5, so 倒置; and top
gets less than 1.5 x low's, so 大锅饭. Contacts 3 + 5 = 8: top's share 3/8.
R1: contacts 7 of 14 (50%), T2 never visited; R2: 1 of 4 (25%), listed first.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli
from schemes_fixture import company, order, tier_scheme
from tierwise.access.users import User
from tierwise.errors import ConfigError
from tierwise.settings import Settings
from tierwise.workspace import Workspace

AS_OF = date(2026, 6, 30)
SCHEME = tier_scheme("visit_every_days: 30, call_every_days: 15", "call_every_days: 45")
REP = {"T1": "R1", "T2": "R1", "L1": "R1", "L2": "R2", "L3": "R2"}


def _activities() -> list[dict[str, str]]:
    rows = [("T1", "2026-05-01", "visit"), ("T1", "2026-06-01", "visit"), ("T1", "2026-06-10", "call"),
            *(("L1", f"2026-0{m}-05", "call") for m in (4, 5, 6)), ("L1", "2026-06-20", "call"),
            ("L2", "2026-05-05", "care"), ("L2", "2026-05-06", "complaint"), ("L3", "2026-03-01", "visit")]
    return [{"customer_id": c, "activity_date": d, "kind": k} for c, d, k in rows]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("service")
    path = tmp / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True) as ws:
        company(ws, tmp,
                customers=[{"customer_id": c, "name": f"Customer {c}", "rep_id": r} for c, r in REP.items()],
                orders=[order("T1", "2026-05-10", 2000), order("T2", "2026-04-15", 1500),
                        order("L1", "2026-06-01", 100), order("L2", "2026-05-20", 200),
                        order("L3", "2026-06-15", 300)],
                activities=_activities())
        ws.schemes.save("tier", SCHEME)
        ws.snapshots.classify(["tier"], as_of=AS_OF)
    return path


def test_the_figures_per_class_and_per_rep(db: Path) -> None:
    with Workspace.open(Settings(db=db)) as ws:
        found = ws.reports.service(scheme="tier")
    assert (found.start, found.end, found.title) == (date(2026, 4, 2), AS_OF, "Tier")
    top, low = found.classes.to_pylist()
    assert {k: top[k] for k in ("class", "customers", "planned_visits", "visits", "planned_contacts",
                                "contacts", "never_visited", "never_contacted")} == {
        "class": "top", "customers": 2, "planned_visits": 6.0, "visits": 2, "planned_contacts": 12.0,
        "contacts": 3, "never_visited": 1, "never_contacted": 1}
    assert {k: low[k] for k in ("class", "customers", "planned_visits", "visits", "planned_contacts",
                                "contacts", "never_visited", "never_contacted")} == {
        "class": "low", "customers": 3, "planned_visits": 0.0, "visits": 0, "planned_contacts": 6.0,
        "contacts": 5, "never_visited": 0, "never_contacted": 1}  # a complaint, March's visit: not service
    assert (top["contacts_per_customer"], top["planned_per_customer"], top["coverage"]) == (1.5, 6.0, 0.25)
    assert low["contacts_per_customer"] == pytest.approx(5 / 3) and low["coverage"] == pytest.approx(5 / 6)
    assert (top["effort_share"], low["effort_share"]) == (3 / 8, 5 / 8)
    assert top["revenue_share"] == pytest.approx(3500 / 4100) and top["revenue"] == 3500.0
    assert (top["inverted"], low["inverted"]) == (False, True)
    assert found.inverted == [("low", "top")] and found.plan_inverted == [] and found.flat
    reps = found.reps.to_pylist()
    assert [(r["rep_id"], r["customers"], r["planned_contacts"], r["contacts"], r["coverage"],
             r["never_visited"], r["top_never_visited"]) for r in reps] == [
        ("R2", 2, 4.0, 1, 0.25, 0, 0), ("R1", 3, 14.0, 7, 0.5, 1, 1)]
    assert found.warnings("zh") == [
        "倒置：一般每户获得 1.67 次跟进，多于更高等级的重点（1.50 次）",
        "大锅饭：重点每户 1.50 次跟进，不到一般（1.67 次）的 1.5 倍"]


def test_a_period_a_rep_and_mistakes(db: Path) -> None:
    with Workspace.open(Settings(db=db)) as ws:
        june = ws.reports.service(scheme="tier", start=date(2026, 6, 1))  # 30 days: 1 visit, 2 calls each
        assert [r["planned_contacts"] for r in june.classes.to_pylist()] == [4.0, pytest.approx(2.0)]
        assert [r["contacts"] for r in june.classes.to_pylist()] == [2, 2]  # T1: visit and call; L1: 2 calls
        mine = ws.acting_as(User("r2", "rep", rep_id="R2")).reports.service(scheme="tier")
        assert [(r["class"], r["customers"], r["contacts"]) for r in mine.classes.to_pylist()] == [
            ("top", 0, 0), ("low", 2, 1)]
        assert [r["rep_id"] for r in mine.reps.to_pylist()] == ["R2"]
        with pytest.raises(ConfigError, match="not classified"):
            ws.reports.service(scheme="abc")
        with pytest.raises(ConfigError, match="is after"):
            ws.reports.service(scheme="tier", start=date(2026, 7, 1))


def test_cli_json_and_the_workbook_sheets(db: Path, tmp_path: Path) -> None:
    done = run_cli("--db", db, "--lang", "zh", "service", "--scheme", "tier")
    assert done.returncode == 0, done.stderr
    assert "等级：服务执行与计划，2026-04-02 至 2026-06-30" in done.stdout and "倒置：一般每户" in done.stdout
    body = json.loads(run_cli("--db", db, "service", "--scheme", "tier", "--json").stdout)
    assert body["days"] == 90 and body["inverted"] == [{"lower": "low", "higher": "top"}] and body["flat"]
    with Workspace.open(Settings(db=db)) as ws:
        sheets = ws.reports.build("xlsx", tmp_path / "r.xlsx", lang="zh", on=AS_OF)["sheets"]
    assert "服务与计划（按类别）" in sheets and "服务与计划（按业务员）" in sheets
    book = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    rows = list(book["服务与计划（按类别）"].iter_rows(values_only=True))
    assert rows[0][:4] == ("类别", "客户数", "计划拜访", "实际拜访") and rows[1][:4] == ("重点", 2, 6, 2)
    assert any(r[0] == "倒置：一般每户获得 1.67 次跟进，多于更高等级的重点（1.50 次）" for r in rows)
