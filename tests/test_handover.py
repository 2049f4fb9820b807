"""Handing customers over (playbook/handover.py): previewed, then applied in one transaction —
the owner and department, the open tasks (a manager's to the new rep's manager), an audit row
per customer — with history and overrides staying with the customer; spread by room; scoped.

Reps: M1 manages East (R1, R2), M3 manages West (R3). R1 owns A1 (top), A2 and A3 (low);
R2 owns B1 (low); R3 owns W1 (low). Capacities: R2 4, R3 1, R1 none. The scheme ``tier`` asks
a visit every 30 days of everyone and a manager's visit every 90 days of ``top``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import do_import, query, run_cli, write_csv
from schemes_fixture import company, order, tier_scheme
from server_fixture import PASSWORD, add_user, running_server
from tierwise.access.users import User
from tierwise.errors import ConfigError, ForbiddenError, NotFoundError
from tierwise.settings import Settings
from tierwise.workspace import Workspace

ON = date(2026, 6, 30)
SCHEME = tier_scheme("visit_every_days: 30, manager_visit_every_days: 90", "visit_every_days: 30")
REPS = [["rep_id", "name", "department", "manager_id", "capacity"],
        ["M1", "Boss East", "East", "", ""], ["R1", "Wang", "East", "M1", ""],
        ["R2", "Li", "East", "M1", 4],
        ["M3", "Boss West", "West", "", ""], ["R3", "Zhao", "West", "M3", 1]]
OWNER = {"A1": ("R1", 5000), "A2": ("R1", 300), "A3": ("R1", 200), "B1": ("R2", 100), "W1": ("R3", 50)}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True) as ws:
        assert do_import(ws, "reps", write_csv(tmp_path / "reps.csv", REPS)).rejected == 0
        company(ws, tmp_path,
                customers=[{"customer_id": c, "name": f"Customer {c}", "rep_id": r,
                            "department": "West" if r == "R3" else "East"} for c, (r, _) in OWNER.items()],
                orders=[order(c, "2026-05-10", amount) for c, (_, amount) in OWNER.items()])
        ws.schemes.save("tier", SCHEME)
        ws.snapshots.classify(["tier"], as_of=ON)
        ws.tasks.refresh(on=ON)
        ws.overrides.set("A2", "tier", "top", reason="big prospect")
    return path


def _owners(db: Path) -> dict[str, tuple[str, str]]:
    return {c: (r, d) for c, r, d in query(db, "SELECT customer_id, rep_id, department FROM customers")}


def _open_tasks(db: Path, customer: str) -> dict[str, str]:
    return dict(query(db, "SELECT kind, rep_id FROM tasks WHERE customer_id = ? AND status = 'open'",
                      [customer]))


def test_a_preview_changes_nothing_and_applying_moves_customers_tasks_and_audits(db: Path) -> None:
    before = _owners(db)
    with Workspace.open(Settings(db=db)) as ws:
        preview = ws.customers.handover(["R2"], from_rep="R1")
        assert not preview.applied and [m.customer_id for m in preview.moves] == ["A1", "A2", "A3"]  # revenue
        assert {m.from_rep for m in preview.moves} == {"R1"} and preview.open_tasks > 3
        assert _owners(db) == before
        with pytest.raises(ConfigError, match="reason"):
            ws.customers.handover(["R2"], from_rep="R1", apply=True)
        done = ws.customers.handover(["R2"], from_rep="R1", reason="Wang left", apply=True)
    assert done.applied and done.per_rep() == {"R2": 3} and done.open_tasks == preview.open_tasks
    owners = _owners(db)
    assert [owners[c] for c in ("A1", "A2", "A3", "B1", "W1")] == [("R2", "East")] * 4 + [("R3", "West")]
    a1 = _open_tasks(db, "A1")
    assert a1["visit"] == "R2" and a1["manager_visit"] == "M1"  # the manager's visit: R2's manager
    assert query(db, "SELECT count(*) FROM tasks WHERE status = 'open' AND rep_id = 'R1'") == [(0,)]
    audit = query(db, "SELECT customer_id, actor, old_value, new_value, reason FROM audit "
                      "WHERE action = 'customer.handover' ORDER BY customer_id")
    assert [(a[0], a[2], a[3], a[4]) for a in audit] == [(c, "R1", "R2", "Wang left")
                                                          for c in ("A1", "A2", "A3")]
    held = query(db, "SELECT customer_id, class, status FROM overrides WHERE customer_id = 'A2'")
    assert held == [("A2", "top", "active")]  # the override stays with the customer


def test_spread_by_room_across_departments_by_an_admin(db: Path) -> None:
    """A1, A2, A3 (largest first) to R2 (capacity 4, owns B1: room 3) and R3 (capacity 1, owns W1:
    room 0): all three to R2, whose room stays largest (3, 2, 1 against 0). With R3 named first
    and B1 too, the same: room decides, not the order."""
    with Workspace.open(Settings(db=db)) as ws:
        spread = ws.customers.handover(["R3", "R2"], from_rep="R1")
        assert [(m.customer_id, m.to_rep) for m in spread.moves] == [("A1", "R2"), ("A2", "R2"), ("A3", "R2")]
        one = ws.customers.handover(["R3"], customer_ids=["A3"], reason="closer to West", apply=True)
    assert one.per_rep() == {"R3": 1} and _owners(db)["A3"] == ("R3", "West")  # the department follows
    assert _open_tasks(db, "A3") == {"visit": "R3"}


def test_mistakes_and_a_managers_scope(db: Path) -> None:
    with Workspace.open(Settings(db=db)) as ws:
        with pytest.raises(NotFoundError, match="no rep 'R9'"):
            ws.customers.handover(["R9"], from_rep="R1")
        with pytest.raises(ConfigError, match="both --from and --to"):
            ws.customers.handover(["R1"], from_rep="R1")
        with pytest.raises(ConfigError, match="--customer"):
            ws.customers.handover(["R2"])
        with pytest.raises(NotFoundError, match="no customer 'ZZ'"):
            ws.customers.handover(["R2"], customer_ids=["A1", "ZZ"])
        east = ws.acting_as(User("m1", "manager", department="East"))
        with pytest.raises(ForbiddenError, match="R3 is not a rep of East"):
            east.customers.handover(["R3"], from_rep="R1")
        with pytest.raises(NotFoundError):  # West's customer: not theirs to see
            east.customers.handover(["R2"], customer_ids=["W1"])
        assert east.customers.handover(["R2"], from_rep="R1").per_rep() == {"R2": 3}
        with pytest.raises(ForbiddenError):
            ws.acting_as(User("r1", "rep", rep_id="R1")).customers.handover(["R2"], from_rep="R1")
        same = ws.customers.handover(["R2"], customer_ids=["B1", "A1"])
        assert [m.customer_id for m in same.moves] == ["A1"] and same.skipped == ("B1",)


def test_cli_and_api(db: Path) -> None:
    done = run_cli("--db", db, "--lang", "zh", "handover", "--from", "R1", "--to", "R2")
    assert done.returncode == 0, done.stderr
    assert "预览：将移交 3 个客户" in done.stdout and _owners(db)["A1"][0] == "R1"
    token = add_user(db, "boss", "admin")
    with running_server(db) as base:
        auth = {"Authorization": f"Bearer {token}"}
        body: dict[str, Any] = {"to": ["R2"], "customer_ids": ["A1"], "reason": "key account", "apply": True}
        r = httpx.post(base + "/api/handovers", json=body, headers=auth, timeout=60)
        assert r.status_code == 200, r.text
        assert r.json()["applied"] and r.json()["moves"][0] == {
            "customer_id": "A1", "name": "Customer A1", "from_rep": "R1", "to_rep": "R2",
            "open_tasks": r.json()["open_tasks"]}
        bad = httpx.post(base + "/api/handovers", json={"to": ["R9"], "from_rep": "R1"}, headers=auth,
                         timeout=60)
        assert bad.status_code == 404 and "R9" in bad.json()["error"]["message"]
        extra = httpx.post(base + "/api/handovers", json={"to": ["R2"], "from_rep": "R1", "x": 1},
                           headers=auth, timeout=60)
        assert extra.status_code == 422
        with httpx.Client(base_url=base, follow_redirects=True, timeout=60) as page:  # the page, signed in
            pre = re.search(r'name="csrf" value="([^"]+)"', page.get("/login").text)
            assert pre is not None
            page.post("/login", data={"name": "boss", "password": PASSWORD, "csrf": pre.group(1)})
            form = page.get("/handover").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form)
            assert csrf is not None and 'id="apply"' not in form
            fields = {"csrf": csrf.group(1), "from": "R1", "to": "R3", "reason": "territory"}
            shown = page.post("/handover", data={**fields, "action": "preview"})
            assert 'data-customer="A2"' in shown.text and 'id="apply"' in shown.text
            owner = lambda: httpx.get(f"{base}/api/customers/A2", headers=auth).json()["customer"]  # noqa: E731
            assert owner()["rep_id"] == "R1"  # a preview
            forged = page.post("/handover", data={**fields, "csrf": "forged", "action": "apply"})
            assert forged.status_code == 403
            done = page.post("/handover", data={**fields, "action": "apply"})
            assert done.status_code == 200 and (owner()["rep_id"], owner()["department"]) == ("R3", "West")
    out = json.loads(run_cli("--db", db, "audit", "--json").stdout)
    assert any(a["action"] == "customer.handover" and a["actor"] == "boss" for a in out), out
