"""Approval chains (access/approvals.py): an override to the top class walks 科长 → 部长 → 总经理,
each step by its own person and audited; a rejection ends it; a credit limit above the chain's
amount waits for its chain; the chains are checked when saved; the same through the API and
the pages (the dashboard's "待我审批").

East: R1 (rep, li), R2; zhang (科长) and wang (部长) manage East; boss is the admin (总经理).
The scheme ``tier``: ``top`` (revenue ≥ 1,000) and ``low``; C1 (R1) is low.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import do_import, run_cli, write_csv
from schemes_fixture import company, order, tier_scheme
from server_fixture import PASSWORD, add_user, running_server
from tierwise.access.users import User
from tierwise.errors import ConfigError, ForbiddenError
from tierwise.settings import Settings
from tierwise.workspace import Workspace

CHAINS = """chains:
  - name: top_grade
    title: {zh: 重点客户审批, en: top-grade approval}
    action: override
    scheme: tier
    classes: [top]
    steps:
      - {title: {zh: 科长, en: section head}, users: [zhang]}
      - {title: {zh: 部长, en: department head}, role: manager}
      - {title: {zh: 总经理, en: general manager}, role: admin}
  - name: big_limit
    title: {zh: 大额授信, en: large credit limit}
    action: credit_limit
    above: 100000
    steps:
      - {title: {zh: 部长, en: department head}, role: manager}
      - {title: {zh: 总经理, en: general manager}, role: admin}
"""
REPS = [["rep_id", "name", "department"], ["R1", "Li", "East"], ["R2", "Qian", "East"]]
BOSS = User("boss", "admin", lang="zh")
LI = User("li", "rep", rep_id="R1", lang="zh")
ZHANG = User("zhang", "manager", department="East", lang="zh")
WANG = User("wang", "manager", department="East", lang="zh")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True, actor=BOSS) as ws:
        assert do_import(ws, "reps", write_csv(tmp_path / "reps.csv", REPS)).rejected == 0
        company(ws, tmp_path,
                customers=[{"customer_id": c, "name": f"客户{c}", "rep_id": "R1", "department": "East"}
                           for c in ("C1", "C2")],
                orders=[order("C1", "2026-05-10", 300), order("C2", "2026-05-10", 200)],
                payments=[{"customer_id": "C2", "payment_date": "2026-05-20", "amount": 200}])
        ws.schemes.save("tier", tier_scheme("visit_every_days: 30", "visit_every_days: 90"))
        ws.snapshots.classify(["tier"], as_of=date(2026, 6, 30))
        ws.approvals.set_chains(CHAINS)
    return path


def _as(db: Path, user: User) -> Workspace:
    return Workspace.open(Settings(db=db), actor=user)


def _class(ws: Workspace, customer: str) -> str:
    row = ws.db.con.execute("SELECT c.class FROM classes c WHERE c.customer_id = ? AND c.scheme = 'tier' "
                            "ORDER BY snapshot_id DESC LIMIT 1", [customer]).fetchone()
    assert row is not None
    return str(row[0])


def test_an_override_to_the_top_class_walks_three_steps(db: Path) -> None:
    with _as(db, BOSS) as boss:
        li, zhang, wang = boss.acting_as(LI), boss.acting_as(ZHANG), boss.acting_as(WANG)
        with pytest.raises(ForbiddenError, match="科长 → 部长 → 总经理"):
            zhang.overrides.set("C1", "tier", "top", reason="big order coming")  # no shortcut past the chain
        o = li.overrides.propose("C1", "tier", "top", reason="年底大单")
        assert o.approval is not None and o.approval["next"] == "科长" and o.approval["next_who"] == "zhang"
        number = o.approval["approval_id"]
        assert [a["approval_id"] for a in zhang.approvals.list(mine=True)] == [number]
        assert wang.approvals.list(mine=True) == []
        assert boss.approvals.list(mine=True) == []
        with pytest.raises(ForbiddenError, match=r"第 1 步（科长）由zhang审批"):
            wang.overrides.approve(o.override_id)
        with pytest.raises(ForbiddenError, match="申请人不能自己审批"):
            li.approvals.approve(number)
        step1 = zhang.approvals.approve(number, note="同意")
        assert (step1["status"], step1["done"], step1["next"]) == ("pending", 1, "部长")
        assert _class(boss, "C1") == "low"  # not yet
        with pytest.raises(ForbiddenError, match="同一人只能审批其中一步"):
            zhang.approvals.approve(number)
        assert [a["approval_id"] for a in wang.approvals.list(mine=True)] == [number]
        step2 = wang.overrides.approve(o.override_id, note="可以")  # the override's own button walks it too
        assert step2.status == "proposed"
        assert step2.approval is not None and step2.approval["next"] == "总经理"
        done = boss.approvals.approve(number)
        assert done["status"] == "approved" and done["override"]["status"] == "active"
        assert _class(boss, "C1") == "top"
        steps = boss.db.con.execute("SELECT actor, subject FROM audit WHERE action = 'approval.step' "
                                    "ORDER BY audit_id").fetchall()
        assert [s[0] for s in steps] == ["zhang", "wang", "boss"]
        assert "step 1/3: 科长" in steps[0][1] and "step 3/3: 总经理" in steps[2][1]
        approved = boss.db.con.execute("SELECT actor FROM audit WHERE action = 'override.approve'").fetchall()
        assert approved == [("boss",)]
        assert boss.approvals.list(mine=True) == [] and boss.approvals.list(status="approved")[0]["done"] == 3


def test_a_rejection_ends_the_chain_and_other_classes_take_one_step(db: Path) -> None:
    with _as(db, BOSS) as boss:
        li, zhang, wang = boss.acting_as(LI), boss.acting_as(ZHANG), boss.acting_as(WANG)
        o = li.overrides.propose("C2", "tier", "top", reason="试一试")
        with pytest.raises(ConfigError, match="驳回请说明原因"):
            zhang.approvals.reject(o.approval["approval_id"] if o.approval else 0, reason=" ")
        rejected = zhang.overrides.reject(o.override_id, reason="证据不足")
        assert rejected.status == "rejected" and rejected.approval is not None
        assert rejected.approval["status"] == "rejected"
        assert zhang.approvals.list(mine=True) == []
        # a class no chain covers: one step by another manager, as before
        low = li.overrides.propose("C1", "tier", "low", reason="hold it")
        assert low.approval is None
        assert wang.overrides.approve(low.override_id).status == "active"


def test_a_credit_limit_above_the_amount_waits_for_its_chain(db: Path) -> None:
    with _as(db, BOSS) as boss:
        zhang, wang = boss.acting_as(ZHANG), boss.acting_as(WANG)
        small = zhang.credit.set_limit("C1", "50,000", reason="首次授信")
        assert small["new"] == 50000.0 and "pending" not in small
        big = zhang.credit.set_limit("C1", "¥150,000", reason="年度合同")
        assert big["new"] is None and big["pending"]["path"] == "部长 → 总经理"
        limit = lambda: boss.db.con.execute(  # noqa: E731
            "SELECT credit_limit FROM customers WHERE customer_id = 'C1'").fetchone()[0]
        assert limit() == 50000
        number = big["pending"]["approval_id"]
        with pytest.raises(ForbiddenError):
            zhang.approvals.approve(number)  # asked for it
        assert wang.approvals.approve(number)["next"] == "总经理"
        done = boss.approvals.approve(number)
        assert done["status"] == "approved" and done["limit_set"]["new"] == 150000.0 and limit() == 150000
        row = boss.db.con.execute("SELECT actor, reason FROM audit WHERE action = 'credit.limit' "
                                  "ORDER BY audit_id DESC LIMIT 1").fetchone()
        assert row[0] == "boss" and "年度合同" in row[1] and "部长 → 总经理" in row[1]


def test_chains_are_checked_when_saved(db: Path) -> None:
    with _as(db, BOSS) as boss:
        with pytest.raises(ConfigError, match=r"steps\.0"):
            boss.approvals.set_chains("chains:\n  - {name: x, title: {zh: 甲, en: x}, action: override, "
                                      "steps: [{title: {zh: 科长, en: head}}]}")
        with pytest.raises(ConfigError, match="not YAML"):
            boss.approvals.set_chains("chains: [")
        with pytest.raises(ForbiddenError):
            boss.acting_as(ZHANG).approvals.set_chains("")
        paths = [c["path"] for c in boss.approvals.chains()["chains"]]
        assert paths == ["科长 → 部长 → 总经理", "部长 → 总经理"]
        audit = boss.db.con.execute("SELECT actor, new_value FROM audit WHERE action = 'approval.chains'"
                                    ).fetchall()
        assert audit == [("boss", "2 chains: top_grade, big_limit")]


CREDIT_CHAINS = CHAINS + """  - name: release
    title: {zh: 冻结放行, en: hold release}
    action: hold_release
    above: 1000
    steps:
      - {title: {zh: 部长, en: department head}, role: manager}
      - {title: {zh: 总经理, en: general manager}, role: admin}
  - name: refuse_low
    title: {zh: 拒单审批, en: order refusal}
    action: order_refusal
    scheme: tier
    classes: [low]
    steps:
      - {title: {zh: 部长, en: department head}, role: manager}
"""


def test_a_hold_release_and_an_order_refusal_walk_their_chains(db: Path) -> None:
    with _as(db, BOSS) as boss:
        boss.approvals.set_chains(CREDIT_CHAINS)
        li, zhang, wang = boss.acting_as(LI), boss.acting_as(ZHANG), boss.acting_as(WANG)
        boss.credit.set_limit("C1", "100", reason="试用额度")  # C1 owes 300: held
        assert not boss.credit.check("C1", "200").allowed
        with pytest.raises(ForbiddenError):
            li.credit.release("C1", "500", reason="急单")  # below the chain's amount: a manager's call
        small = zhang.credit.release("C1", "500", reason="老客户急单")
        assert small["pending"] is None and small["decision"]["status"] == "active"
        check = boss.credit.check("C1", "400")
        assert check.allowed and check.reasons_zh[0].startswith("已由 zhang 放行")
        assert not boss.credit.check("C1", "600").allowed  # beyond what was released
        big = li.credit.release("C1", "5,000", reason="年底大单")  # a rep asks; the chain decides
        assert big["pending"]["path"] == "部长 → 总经理" and big["decision"]["status"] == "pending"
        assert not boss.credit.check("C1", "5000").allowed
        number = big["pending"]["approval_id"]
        assert wang.approvals.approve(number)["next"] == "总经理"
        done = boss.approvals.approve(number)
        assert done["status"] == "approved" and done["decision"]["status"] == "active"
        assert boss.credit.check("C1", "5000").allowed
        refusal = li.credit.refuse("C2", "800", reason="库存不足")  # C2 is low: refusing it needs a 部长
        assert refusal["pending"]["next"] == "部长"
        rejected = zhang.approvals.reject(refusal["pending"]["approval_id"], reason="先调货，不要拒单")
        assert rejected["status"] == "rejected" and rejected["decision"]["status"] == "rejected"
        audit = boss.db.con.execute("SELECT action, actor, new_value FROM audit "
                                    "WHERE action LIKE 'credit.re%' ORDER BY audit_id").fetchall()
    assert audit == [("credit.release", "zhang", "active"), ("credit.release", "li", "pending"),
                     ("credit.release", "boss", "active"), ("credit.refusal", "li", "pending"),
                     ("credit.refusal", "zhang", "rejected")]


def _sign_in(page: httpx.Client, name: str) -> str:
    pre = re.search(r'name="csrf" value="([^"]+)"', page.get("/login").text)
    assert pre is not None
    shown = page.post("/login", data={"name": name, "password": PASSWORD, "csrf": pre.group(1), "lang": "zh"})
    csrf = re.search(r'name="csrf" value="([^"]+)"', shown.text)
    assert csrf is not None
    return csrf.group(1)


def test_api_cli_and_pages(db: Path) -> None:
    li = add_user(db, "li", "rep", "--rep-id", "R1")
    zhang = add_user(db, "zhang", "manager", "--department", "East")
    add_user(db, "wang", "manager", "--department", "East")
    with running_server(db) as base:
        def call(token: str, method: str, path: str, body: Any = None) -> httpx.Response:
            return httpx.request(method, base + path, json=body, params={"lang": "zh"}, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"})

        r = call(li, "POST", "/api/overrides", {"customer_id": "C1", "scheme": "tier", "class": "top",
                                                "reason": "年底大单"})
        assert r.status_code == 201, r.text
        number = r.json()["approval"]["approval_id"]
        waiting = call(zhang, "GET", "/api/approvals?mine=true")
        assert [a["approval_id"] for a in waiting.json()] == [number] and waiting.json()[0]["next"] == "科长"
        assert call(li, "POST", f"/api/approvals/{number}/approve").status_code == 403
        assert call(zhang, "POST", f"/api/approvals/{number}/reject", {}).status_code == 422
        with httpx.Client(base_url=base, follow_redirects=True, timeout=60) as page:
            csrf = _sign_in(page, "zhang")
            dashboard = page.get("/").text
            assert 'id="waiting-approvals"' in dashboard and "待我审批" in dashboard
            assert f"#{number}" in dashboard
            listed = page.get("/approvals").text
            assert f'data-approval="{number}"' in listed and "科长 → 部长 → 总经理" in listed
            form = {"csrf": csrf, "decision": "approve", "note": "同意"}
            done = page.post(f"/approvals/{number}", data=form)
            assert f"#{number}：第 1 步已批准；下一步 部长" in done.text
        done = run_cli("--db", db, "--lang", "zh", "approvals", "approve", str(number), "--by", "wang")
        assert done.returncode == 0, done.stderr
        assert "等待第 3/3 步：总经理" in done.stdout
    listed = json.loads(run_cli("--db", db, "approvals", "list", "--json").stdout)
    assert [(a["approval_id"], a["done"]) for a in listed] == [(number, 2)]
