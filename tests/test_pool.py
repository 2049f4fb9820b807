"""The public pool (公海, playbook/pool.py): a neglected customer is warned, then recycled
after the warning has run its days, then claimed by another rep within the class's daily
limit, ceiling and cooldown; releases; re-imports that keep or change the owner; each step
audited, and the same through the CLI, the API and the pages.

East: M1 manages R1 and R2; West: M3 manages R3. The scheme ``tier``: ``top`` (revenue ≥
1,000) back to the pool after 30 days without a follow-up (warned 7 days before), one claim a
day, at most 2 per rep, 10 days' cooldown; ``low`` has no rule. T1 (R1) was last visited on
1 May, T2 (R1) never, first order 10 May; T3 (R2) visited 10 June; L1 (R1) is low.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import do_import, query, run_cli, write_csv
from schemes_fixture import company, order, tier_scheme
from server_fixture import PASSWORD, add_user, running_server
from tierwise.access.users import User
from tierwise.errors import ConfigError, ConflictError, ForbiddenError, NotFoundError
from tierwise.settings import Settings
from tierwise.workspace import Workspace

RULE = ("visit_every_days: 60, pool: {recycle_after_days: 30, warn_before_days: 7, escalate_before_days: 3, "
        "claim_limit_per_day: 1, max_customers_per_rep: 2, cooldown_days: 10}")
SCHEME = tier_scheme(RULE, "visit_every_days: 90")
REPS = [["rep_id", "name", "department", "manager_id"], ["M1", "Boss East", "East", ""],
        ["R1", "Wang", "East", "M1"], ["R2", "Li", "East", "M1"], ["M3", "Boss West", "West", ""],
        ["R3", "Zhao", "West", "M3"]]
CUSTOMERS = [["customer_id", "name", "rep_id", "department"], ["T1", "甲公司", "R1", "East"],
             ["T2", "乙公司", "R1", "East"], ["T3", "丙公司", "R2", "East"], ["L1", "丁公司", "R1", "East"]]
BOSS = User("boss", "admin", lang="zh")
WARNED, DUE = date(2026, 6, 20), date(2026, 6, 27)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True, actor=BOSS) as ws:
        assert do_import(ws, "reps", write_csv(tmp_path / "reps.csv", REPS)).rejected == 0
        assert do_import(ws, "customers", write_csv(tmp_path / "customers.csv", CUSTOMERS)).rejected == 0
        company(ws, tmp_path,
                orders=[order("T1", "2026-04-20", 5000), order("T2", "2026-05-10", 3000),
                        order("T3", "2026-05-12", 4000), order("L1", "2026-05-12", 100)],
                activities=[
                    {"customer_id": "T1", "activity_date": "2026-05-01", "kind": "visit", "rep_id": "R1"},
                    {"customer_id": "T3", "activity_date": "2026-06-10", "kind": "visit", "rep_id": "R2"}])
        ws.schemes.save("tier", SCHEME)
        ws.snapshots.classify(["tier"], as_of=date(2026, 6, 15))
    return path


def _ws(db: Path, user: User = BOSS) -> Workspace:
    return Workspace.open(Settings(db=db), actor=user)


def query_one(ws: Workspace, sql: str) -> tuple[Any, ...] | None:
    return ws.db.con.execute(sql).fetchone()


def _rep(rep_id: str) -> User:
    return User(f"user_{rep_id}", "rep", rep_id=rep_id, lang="zh")


def _audit(ws: Workspace, action: str) -> list[tuple[Any, ...]]:
    return ws.db.con.execute("SELECT actor, customer_id, old_value, new_value, reason FROM audit "
                             "WHERE action = ? ORDER BY audit_id", [action]).fetchall()


def _warned_then_recycled(ws: Workspace) -> None:
    ws.tasks.refresh(on=WARNED, days=7)
    done = ws.pool.recycle(on=DUE, apply=True)
    assert done.applied and done.total == 2


def test_a_neglected_customer_is_warned_then_recycled_with_its_rule(db: Path) -> None:
    with _ws(db) as ws:
        assert ws.pool.recycle(on=DUE).total == 0  # nobody goes unwarned, however long neglected
        ws.tasks.refresh(on=WARNED, days=7)
        warnings = dict(ws.db.con.execute("SELECT customer_id, reason_zh FROM tasks WHERE kind = 'pool' AND "
                                          "status = 'open'").fetchall())
        assert set(warnings) == {"T1", "T2"}  # T3 was visited; L1's class has no rule
        # T1's 30 days ran out on 31 May, but the warning gets its 7 days from when it came
        assert warnings["T1"].startswith("请在 2026-06-27 前跟进，届时客户将收回公海：上次跟进 2026-05-01")
        assert "从未跟进" in warnings["T2"] and "30 天未跟进收回公海" in warnings["T2"]
        assert ws.pool.recycle(on=DUE - timedelta(days=1)).total == 0
        preview = ws.pool.recycle(on=DUE, lang="zh")
        assert (preview.total, preview.applied, preview.per_rep) == (2, False, {"R1": 2})
        east = ws.acting_as(User("m1", "manager", department="East")).pool.recycle(on=DUE)
        west = ws.acting_as(User("m3", "manager", department="West")).pool.recycle(on=DUE)
        assert (east.total, west.total) == (2, 0)  # a manager previews their department only
        assert query(db, "SELECT count(*) FROM pool") == [(0,)]  # a preview changes nothing
        done = ws.pool.recycle(on=DUE, apply=True)
        assert done.applied and [m["customer_id"] for m in done.moves] == ["T1", "T2"]
        assert dict(ws.db.con.execute("SELECT customer_id, rep_id FROM customers").fetchall()) == {
            "T1": None, "T2": None, "T3": "R2", "L1": "R1"}
        assert ws.db.con.execute("SELECT count(*) FROM tasks WHERE customer_id IN ('T1', 'T2') "
                                 "AND status = 'open'").fetchone() == (0,)
        rows = _audit(ws, "customer.recycle")
        assert [(r[0], r[1], r[2], r[3]) for r in rows] == [("boss", "T1", "R1", "pool"),
                                                            ("boss", "T2", "R1", "pool")]
        assert "30 days without a follow-up" in rows[0][4]
        pooled = ws.pool.list(lang="zh")["items"]
        assert [(p["customer_id"], p["previous_rep"], p["cooldown_until"]) for p in pooled] == [
            ("T1", "R1", DUE + timedelta(days=10)), ("T2", "R1", DUE + timedelta(days=10))]
        # the pool's customers have no tasks until someone claims them
        again = ws.tasks.refresh(on=DUE, days=7)
        assert not {t["customer_id"] for t in again.tasks.to_pylist()} & {"T1", "T2"}
        assert ws.pool.recycle(on=DUE, apply=True).total == 0  # nothing twice


def test_the_rep_then_the_manager_then_the_pool(db: Path) -> None:
    """Rep → manager → pool: the manager is told ``escalate_before_days`` before the day."""
    with _ws(db) as ws:
        ws.tasks.refresh(on=WARNED, days=7)
        escalated = ws.db.con.execute("SELECT count(*) FROM tasks WHERE kind = 'pool_escalation'").fetchone()
        assert escalated == (0,)  # the rep first
        ws.tasks.refresh(on=DUE - timedelta(days=3), days=7)
        told = ws.db.con.execute("SELECT customer_id, rep_id, due_date, reason_zh FROM tasks "
                                 "WHERE kind = 'pool_escalation' AND status = 'open' ORDER BY 1").fetchall()
        assert [(c, r, d) for c, r, d, _ in told] == [("T1", "M1", DUE - timedelta(days=3)),
                                                     ("T2", "M1", DUE - timedelta(days=3))]
        assert told[0][3].startswith("R1 的客户将于 2026-06-27 收回公海，除非尽快跟进")


def test_a_follow_up_moves_the_day_and_closes_the_warning(db: Path) -> None:
    with Workspace.open(Settings(db=db, followup_max_days_back=3650), actor=BOSS) as ws:
        ws.tasks.refresh(on=WARNED, days=7)
        ws.activities.add("T1", "call", day=date(2026, 6, 21), note="跟进")
        ws.tasks.refresh(on=date(2026, 6, 22), days=7)
        assert ws.db.con.execute("SELECT status FROM tasks WHERE kind = 'pool' AND customer_id = 'T1'"
                                 ).fetchone() == ("done",)
        assert [m["customer_id"] for m in ws.pool.recycle(on=DUE).moves] == ["T2"]


def test_claims_keep_the_limit_the_ceiling_and_the_cooldown(db: Path) -> None:
    with _ws(db) as ws:
        _warned_then_recycled(ws)
        li, zhao = ws.acting_as(_rep("R2")), ws.acting_as(_rep("R3"))
        assert li.pool.list()["total"] == 2 and zhao.pool.list()["total"] == 0  # East's pool
        with pytest.raises(NotFoundError, match="T1"):
            zhao.pool.claim(["T1"])
        with pytest.raises(ConflictError, match="每天最多领取 1 个，今天已领 0 个，本次 2 个"):
            li.pool.claim(["T1", "T2"])
        assert query(db, "SELECT count(*) FROM pool") == [(2,)]  # all or none
        moved = li.pool.claim(["T1"])
        assert (moved.action, moved.rep_id, moved.customer_ids) == ("customer.claim", "R2", ("T1",))
        assert query_one(ws, "SELECT rep_id FROM customers WHERE customer_id = 'T1'") == ("R2",)
        assert ws.db.con.execute("SELECT count(*) FROM tasks WHERE customer_id = 'T1' AND status = 'open' "
                                 "AND rep_id = 'R2'").fetchone()[0] >= 1  # its visit, for the new rep at once
        with pytest.raises(ConflictError, match="今天已领 1 个"):
            li.pool.claim(["T2"])
        with pytest.raises(ForbiddenError):
            li.pool.claim(["T2"], rep_id="R1")  # a rep claims for themself only
        manager = ws.acting_as(User("m1", "manager", department="East"))
        with pytest.raises(ConflictError, match="最多 2 个，R2 已有 2 个"):
            manager.pool.claim(["T2"], rep_id="R2")  # R2 has T3 and T1
        with pytest.raises(ForbiddenError):
            manager.pool.claim(["T2"], rep_id="R3")  # another department's rep
        assert manager.pool.claim(["T2"], rep_id="R1").action == "customer.assign"
        # the owner releases it: back in the pool, and they wait the cooldown to claim it again
        wang = ws.acting_as(_rep("R1"))
        with pytest.raises(NotFoundError):
            wang.pool.release(["T1"], reason="not mine")  # R2's customer
        wang.pool.release(["T2"], reason="客户已转向竞争对手")
        with pytest.raises(ConflictError, match=f"须到 {date.today() + timedelta(days=10)} 后才能重新领取"):
            wang.pool.claim(["T2"])
        claims = [(a[0], a[1], a[2], a[3]) for a in _audit(ws, "customer.claim")]
        assert claims == [("user_R2", "T1", "R1", "R2")]
        assert [(a[0], a[3]) for a in _audit(ws, "customer.assign")] == [("m1", "R1")]
        releases = [(a[0], a[2], a[4]) for a in _audit(ws, "customer.release")]
        assert releases == [("user_R1", "R1", "客户已转向竞争对手")]


def test_a_re_import_keeps_the_teams_owners_until_the_file_moves_them(db: Path, tmp_path: Path) -> None:
    with _ws(db) as ws:
        _warned_then_recycled(ws)
        ws.acting_as(_rep("R2")).pool.claim(["T1"])
        # the company's monthly list still says R1 for both: the claim and the pool stand
        summary = do_import(ws, "customers", write_csv(tmp_path / "again.csv", CUSTOMERS))
        assert summary.updated == 0 and summary.rejected == 0
        owners = dict(ws.db.con.execute("SELECT customer_id, rep_id FROM customers").fetchall())
        assert (owners["T1"], owners["T2"]) == ("R2", None)
        assert ws.pool.list()["total"] == 1
        # the company's system moves T2 to R3: that is a move, audited, and T2 leaves the pool
        moved = [r if r[0] != "T2" else ["T2", "乙公司", "R3", "West"] for r in CUSTOMERS]
        assert do_import(ws, "customers", write_csv(tmp_path / "moved.csv", moved)).updated == 1
        assert ws.pool.list()["total"] == 0
        assert ("T2", None, "R3") in [(a[1], a[2], a[3]) for a in _audit(ws, "customer.move")]


def test_the_rules_are_checked_and_can_be_switched_off(db: Path) -> None:
    with _ws(db) as ws:
        bad = tier_scheme("pool: {recycle_after_days: 7, warn_before_days: 7}", "visit_every_days: 90")
        with pytest.raises(ConfigError, match="warn_before_days 7 must be less than recycle_after_days 7"):
            ws.schemes.check("tier", bad)
    with Workspace.open(Settings(db=db, pool_recycle=False), actor=BOSS) as ws:
        ws.tasks.refresh(on=WARNED, days=7)
        assert ws.db.con.execute("SELECT count(*) FROM tasks WHERE kind = 'pool'").fetchone() == (0,)
        assert ws.pool.recycle(on=DUE, apply=True).total == 0


def _sign_in(page: httpx.Client, name: str) -> None:
    pre = re.search(r'name="csrf" value="([^"]+)"', page.get("/login").text)
    assert pre is not None
    page.post("/login", data={"name": name, "password": PASSWORD, "csrf": pre.group(1), "lang": "zh"})


def test_cli_api_and_pages(db: Path) -> None:
    with _ws(db) as ws:
        ws.tasks.refresh(on=WARNED, days=7)
    done = run_cli("--db", db, "--lang", "zh", "pool", "recycle", "--date", DUE.isoformat())
    assert done.returncode == 0, done.stderr
    assert "预览：将有 2 个客户收回公海（R1 2）" in done.stdout
    token = add_user(db, "boss", "admin")
    rep = add_user(db, "li", "rep", "--rep-id", "R2")
    with running_server(db) as base:
        auth, li = {"Authorization": f"Bearer {token}"}, {"Authorization": f"Bearer {rep}"}
        r = httpx.post(base + "/api/pool/recycle", json={"on": DUE.isoformat(), "apply": True}, headers=auth,
                       params={"wait": 30}, timeout=60)
        assert r.status_code == 200 and r.json()["customers"] == 2 and r.json()["applied"], r.text
        listed = httpx.get(base + "/api/pool", headers=li, params={"lang": "zh"}, timeout=60).json()
        assert [i["customer_id"] for i in listed["items"]] == ["T1", "T2"]
        assert listed["items"][0]["class"] == "top"
        refused = httpx.post(base + "/api/pool/claim", json={"customer_ids": ["T1", "T2"]}, headers=li,
                             timeout=60)
        assert refused.status_code == 409 and "at most 1 a day" in refused.json()["error"]["message"]
        assert httpx.post(base + "/api/pool/claim", json={"customer_ids": ["T1"], "x": 1}, headers=li,
                          timeout=60).status_code == 422
        with httpx.Client(base_url=base, follow_redirects=True, timeout=60) as page:  # the boss, signed in
            _sign_in(page, "boss")
            one = page.get("/customers/T2").text
            assert 'id="in-pool"' in one and "在公海中" in one and "分配" in one
        with httpx.Client(base_url=base, follow_redirects=True, timeout=60) as page:  # the rep, signed in
            _sign_in(page, "li")
            shown = page.get("/pool").text
            assert 'data-customer="T1"' in shown and "领取所选客户" in shown
            assert "30 天未跟进收回公海" in shown
            csrf = re.search(r'name="csrf" value="([^"]+)"', shown)
            assert csrf is not None
            look = page.get("/customers/T2").text  # not theirs, but theirs to claim: they may look
            assert 'id="in-pool"' in look and 'id="claim-one"' in look and 'id="log-activity"' not in look
            claimed = page.post("/pool/claim", data={"csrf": csrf.group(1), "customer": "T1"})
            assert claimed.status_code == 200 and "1 个客户已归 R2 负责" in claimed.text
            assert 'data-customer="T1"' not in claimed.text
            mine = page.get("/customers/T1").text
            assert 'id="release"' in mine and 'id="in-pool"' not in mine
            forged = page.post("/pool/release", data={"csrf": "forged", "customer": "T1", "reason": "x"})
            assert forged.status_code == 403
    out = json.loads(run_cli("--db", db, "audit", "--json").stdout)
    assert [(a["actor"], a["customer_id"]) for a in out if a["action"] == "customer.claim"] == [("li", "T1")]
    assert sum(a["action"] == "customer.recycle" for a in out) == 2
