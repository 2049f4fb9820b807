"""Snapshots, schemes, overrides, the audit trail and customer attributes through the facade:
each operation's answer, and the refusals of each role and scope. Then the CLI's `--by` with
users present, and the API routes over a real server.

The company: P and Q belong to rep R1 (department East), R and Z to rep R2 (West). In June
2026 P buys 400, Q 300, R 100; Z is a prospect. The scheme ``mine`` puts the top half of the
buyers in A (P, Q) and the rest in B (R).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from conftest import run_cli
from schemes_fixture import company
from server_fixture import running_server
from tierwise.access.users import User
from tierwise.errors import ConfigError, DataError, ForbiddenError, NotFoundError
from tierwise.schemes.classify import Classification
from tierwise.services.snapshots import Scheduled
from tierwise.settings import Settings
from tierwise.workspace import Workspace

WAIT = {"wait": 60}  # long operations run as jobs: wait for them, as a script would

HALVES = """name: mine
title: {zh: 我的, en: Mine}
kind: rank_tiers
rank_by: revenue
tiers:
  - {class: A, top: 50%}
  - {class: B}
classes:
  - {id: A, label: {zh: 甲, en: first}}
  - {id: B, label: {zh: 乙, en: second}}
"""
BOSS = User("boss", "admin")
EAST = User("mx", "manager", department="East")
WEST = User("my", "manager", department="West")
REP1 = User("ra", "rep", rep_id="R1")
VIEWER = User("vw", "viewer")
PASSWORD = "correct-horse-battery"


def build(ws: Workspace, folder: Path) -> None:
    """The company above, with ``mine`` in the workspace's schemes/ folder."""
    company(
        ws, folder,
        customers=[{"customer_id": c, "rep_id": r, "department": d}
                   for c, r, d in (("P", "R1", "East"), ("Q", "R1", "East"), ("R", "R2", "West"),
                                   ("Z", "R2", "West"))],
        orders=[{"customer_id": c, "order_date": "2026-06-10", "amount": a}
                for c, a in (("P", 400), ("Q", 300), ("R", 100))],
    )
    (folder / "schemes").mkdir(exist_ok=True)
    (folder / "schemes" / "mine.yaml").write_text(HALVES, encoding="utf-8")


@pytest.fixture
def firm(ws: Workspace, tmp_path: Path) -> Workspace:
    """The company, classified by ``mine`` as of 2026-06-30 (the workspace as the shell's admin)."""
    build(ws, tmp_path)
    ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30))
    return ws


def _as(ws: Workspace, user: User) -> Workspace:
    return ws.acting_as(user)


# -- classify and snapshots ------------------------------------------------------------------
def test_classify_when_due_runs_once_per_period(ws: Workspace, tmp_path: Path) -> None:
    build(ws, tmp_path)
    for who in (REP1, VIEWER):
        with pytest.raises(ForbiddenError, match=r"classify\.run"):
            _as(ws, who).snapshots.classify(["mine"], due=True)
    first = _as(ws, EAST).snapshots.classify(["mine"], due=True)  # managers may classify
    assert isinstance(first, Scheduled) and first.due.due and first.result is not None
    assert first.to_json()["due"] is True and first.to_json()["snapshot_id"] == first.result.snapshot_id
    again = ws.snapshots.classify(["mine"], due=True)
    assert not again.due.due and again.result is None
    assert again.to_json()["due"] is False and again.to_json()["reason"].startswith("not due: evaluated on")
    manual = ws.snapshots.classify(["mine"], as_of=date(2026, 6, 15))  # without due: always runs
    assert isinstance(manual, Classification)
    triggers = ws.db.con.execute("SELECT trigger FROM snapshots ORDER BY snapshot_id").fetchall()
    assert triggers == [("due",), ("manual",)]


def test_snapshots_are_listed_newest_first(firm: Workspace) -> None:
    later = firm.snapshots.classify(["mine"], as_of=date(2026, 7, 31))
    listed = _as(firm, VIEWER).snapshots.list()  # counts only: viewers may read it
    assert [(s["snapshot_id"], s["as_of"]) for s in listed] == [
        (later.snapshot_id, "2026-07-31"), (later.snapshot_id - 1, "2026-06-30")]
    assert [s["assignments"] for s in listed] == [3, 3] and listed[0]["schemes"] == ["mine"]


def test_migration_counts_the_customers_in_scope(firm: Workspace) -> None:
    with pytest.raises(DataError, match="migration needs two"):
        firm.snapshots.migration("mine")
    firm.snapshots.classify(["mine"], as_of=date(2026, 7, 31))
    moved = firm.snapshots.migration("mine")
    assert moved.matrix["A"]["A"] + moved.matrix["B"]["B"] == 3 and moved.movers == []

    def counted(who: User) -> int:
        matrix = _as(firm, who).snapshots.migration("mine").matrix
        return sum(n for row in matrix.values() for n in row.values())

    # East holds P and Q (bought), West holds R (bought) and Z (never bought: in no class)
    assert (counted(BOSS), counted(EAST), counted(WEST), counted(REP1)) == (3, 2, 1, 2)
    with pytest.raises(ForbiddenError):
        _as(firm, VIEWER).snapshots.migration("mine")


# -- a customer's history and the classes of a snapshot -------------------------------------
def test_history_of_a_customer_in_scope(firm: Workspace) -> None:
    firm.overrides.set("R", "mine", "A", reason="strategic partner")
    seen = _as(firm, WEST).snapshots.history("R", lang="zh")
    assert [(h["class"], h["computed_class"], h["label"]) for h in seen.rows] == [("A", "B", "甲")]
    assert [(o.klass, o.status) for o in seen.overrides] == [("A", "active")]
    assert seen.to_json()["overrides"][0]["reason"] == "strategic partner"
    assert _as(firm, REP1).snapshots.history("P").rows[0]["class"] == "A"
    for who, customer in ((REP1, "R"), (EAST, "R"), (BOSS, "NOPE")):
        with pytest.raises(NotFoundError, match=f"no customer '{customer}'"):
            _as(firm, who).snapshots.history(customer)
    with pytest.raises(ForbiddenError):
        _as(firm, VIEWER).snapshots.history("P")


def test_classes_are_scoped_and_paged(firm: Workspace) -> None:
    every = firm.snapshots.classes(scheme="mine")
    assert every["total"] == 3 and [r["customer_id"] for r in every["items"]] == ["P", "Q", "R"]
    rep = _as(firm, REP1).snapshots.classes(scheme="mine", page_size=1, page=2)
    assert rep["total"] == 2 and [r["customer_id"] for r in rep["items"]] == ["Q"]
    assert _as(firm, REP1).snapshots.classes(klass="B")["total"] == 0  # R is not theirs
    west = _as(firm, WEST).snapshots.export_classes(lang="zh")
    assert west.column("客户编号").to_pylist() == ["R"]  # a Chinese file: headers and names in Chinese
    assert west.column("依据")[0].as_py().startswith("B 乙")
    firm.overrides.set("Q", "mine", "B", reason="pays late")
    held = _as(firm, EAST).snapshots.classes(overridden=True)
    assert [(r["customer_id"], r["class"], r["computed_class"]) for r in held["items"]] == [("Q", "B", "A")]
    with pytest.raises(ForbiddenError):
        _as(firm, VIEWER).snapshots.classes()
    with pytest.raises(ConfigError, match="page"):
        firm.snapshots.classes(page=0)


# -- schemes -----------------------------------------------------------------------------------
def test_scheme_copy_and_save_are_for_admins_and_audited(firm: Workspace, tmp_path: Path) -> None:
    made = firm.schemes.new("my_abc", "abc")
    target = (tmp_path / "schemes" / "my_abc.yaml").resolve()
    assert made["path"] == str(target)
    assert "\nname: my_abc\n" in target.read_text(encoding="utf-8")
    assert firm.schemes.text("my_abc")["origin"] == str(target)
    with pytest.raises(ConfigError, match="exists"):
        firm.schemes.new("my_abc", "abc")
    firm.schemes.new("my_abc", "mine", force=True)
    assert "rank_by: revenue" in target.read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match="schemes save NAME FILE"):
        firm.schemes.new("other", str(target))  # a file is no scheme name
    with pytest.raises(NotFoundError, match="did you mean 'abc'"):
        firm.schemes.new("other", "abd")
    with pytest.raises(NotFoundError):
        firm.schemes.text("../w.duckdb")  # names only: no file is read by its path
    with pytest.raises(ForbiddenError, match=r"schemes\.save"):
        _as(firm, EAST).schemes.new("other", "abc")
    saved = firm.schemes.save("halves", HALVES.replace("name: mine", "name: halves"))
    assert (saved["kind"], saved["classes"]) == ("rank_tiers", 2)
    trail = [(r["action"], r["scheme"], r["actor"]) for r in firm.audit.list(action="scheme")]
    me = firm.actor.name
    assert trail == [("scheme.create", "my_abc", me), ("scheme.change", "my_abc", me),
                     ("scheme.create", "halves", me)]
    checked = firm.schemes.check(None, HALVES, origin="x.yaml")
    assert checked["name"] == "mine"
    with pytest.raises(ConfigError, match=r"^x\.yaml: rank_by: unknown column 'revenu'"):
        firm.schemes.check(None, HALVES.replace("rank_by: revenue", "rank_by: revenu"), origin="x.yaml")


# -- overrides -----------------------------------------------------------------------------------
def test_overrides_by_role_and_scope(firm: Workspace) -> None:
    rep = _as(firm, REP1)
    proposal = rep.overrides.propose("Q", "mine", "B", reason="pays late")
    for attempt in (lambda: rep.overrides.approve(proposal.override_id),
                    lambda: rep.overrides.reject(proposal.override_id, reason="no"),
                    lambda: rep.overrides.set("Q", "mine", "B", reason="x"),
                    lambda: rep.overrides.clear("Q", "mine", reason="x")):
        with pytest.raises(ForbiddenError, match="ra is a rep"):
            attempt()
    with pytest.raises(NotFoundError):  # another department's proposal reads as missing
        _as(firm, WEST).overrides.approve(proposal.override_id)
    with pytest.raises(NotFoundError):
        _as(firm, WEST).overrides.set("Q", "mine", "B", reason="x")
    approved = _as(firm, EAST).overrides.approve(proposal.override_id, note="agreed")
    assert (approved.status, approved.decided_by) == ("active", "mx")
    held = _as(firm, WEST).overrides.set("R", "mine", "A", reason="strategic", until=date(2099, 1, 1))
    assert (held.status, held.proposed_by) == ("active", "my")
    cleared = _as(firm, WEST).overrides.clear("R", "mine", reason="over")
    assert cleared.status == "cleared"
    assert [o.customer_id for o in rep.overrides.list()] == ["Q"]  # not R: out of scope


# -- the audit trail and customer attributes ----------------------------------------------------
def test_audit_rows_by_scope_and_the_hash_chain(firm: Workspace) -> None:
    _as(firm, EAST).customers.set_attribute("P", "flag", "key", reason="named key account")
    _as(firm, WEST).overrides.set("R", "mine", "A", reason="strategic")
    firm.schemes.new("copy", "abc")  # no customer: admins only
    every = firm.audit.list()
    imports = len(firm.audit.list(action="data"))  # the firm's imports, audited too (admins only)
    assert [(r["action"], r["customer_id"]) for r in every[imports:]] == [
        ("customer.attribute", "P"), ("override.set", "R"), ("scheme.create", None)]
    assert [r["customer_id"] for r in _as(firm, EAST).audit.list()] == ["P"]
    assert [r["action"] for r in _as(firm, WEST).audit.list(action="override")] == ["override.set"]
    assert _as(firm, WEST).audit.list(action="customer") == []
    assert [r["action"] for r in firm.audit.list(limit=1)] == ["scheme.create"]
    assert [r["action"] for r in _as(firm, EAST).audit.list(limit=1)] == ["customer.attribute"]
    assert firm.audit.list(since=date.today()) == every
    assert firm.audit.list(since=date(2999, 1, 1)) == []
    with pytest.raises(NotFoundError):
        _as(firm, EAST).audit.list(customer_id="R")
    with pytest.raises(ConfigError, match="action 'overide'"):
        firm.audit.list(action="overide")
    for who in (REP1, VIEWER):
        with pytest.raises(ForbiddenError, match=r"audit\.read"):
            _as(firm, who).audit.list()
    check = firm.audit.verify()
    assert (check.ok, check.rows) == (True, imports + 3)
    with pytest.raises(ForbiddenError, match=r"audit\.verify"):
        _as(firm, EAST).audit.verify()


def test_customer_attribute_by_role_and_scope(firm: Workspace) -> None:
    east = _as(firm, EAST).customers
    assert east.set_attribute("P", "flag", "key", reason="key account") == {
        "customer_id": "P", "key": "flag", "old": None, "new": "key"}
    assert east.set_attribute("P", "flag", None, reason="no longer")["old"] == "key"
    assert firm.db.con.execute("SELECT flag FROM customers WHERE customer_id = 'P'").fetchone() == (None,)
    with pytest.raises(NotFoundError):
        east.set_attribute("R", "flag", "key", reason="x")
    with pytest.raises(ForbiddenError, match=r"customers\.write"):
        _as(firm, REP1).customers.set_attribute("P", "flag", "key", reason="x")
    with pytest.raises(ConfigError, match="a column of your customers file"):
        east.set_attribute("P", "region", "华东", reason="x")
    with pytest.raises(ConfigError, match="tierwise handover --customer P --to REP"):  # the owner: a handover
        east.set_attribute("P", "rep_id", "R2", reason="x")
    assert [r["actor"] for r in firm.audit.list(customer_id="P")] == ["mx", "mx"]


# -- the CLI: --by names a user once users exist ------------------------------------------------
def test_a_rep_named_by_by_cannot_approve(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        build(ws, tmp_path)
        ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30))
        ws.users.add("ra", "rep", password=PASSWORD, rep_id="R1")
        ws.users.add("mx", "manager", password=PASSWORD, department="East")
    proposed = run_cli("--db", db, "override", "propose", "P", "mine", "B", "--reason", "slow payer",
                       "--by", "ra", "--json")
    assert proposed.returncode == 0, proposed.stderr
    oid = str(json.loads(proposed.stdout)["override_id"])
    refused = run_cli("--db", db, "override", "approve", oid, "--by", "ra")
    assert refused.returncode == 1
    assert "ra is a rep and cannot do overrides.decide (allowed: admin, manager)" in refused.stderr
    stranger = run_cli("--db", db, "override", "approve", oid, "--by", "nobody")
    assert stranger.returncode == 1 and "'nobody' is not a user of this workspace" in stranger.stderr
    done = run_cli("--db", db, "override", "approve", oid, "--by", "mx")
    assert done.returncode == 0 and "approved: P held at B in mine" in done.stdout, done.stderr


# -- the API over a real server ----------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The company (not classified yet), users of each role with tokens, and a running server."""
    folder = tmp_path_factory.mktemp("facade_api")
    db = folder / "w.duckdb"
    tokens: dict[str, str] = {}
    with Workspace.open(Settings(db=db), create=True) as ws:
        build(ws, folder)
        for user in (BOSS, EAST, WEST, REP1, VIEWER):
            ws.users.add(user.name, user.role, password=PASSWORD, department=user.department,
                         rep_id=user.rep_id)
            tokens[user.name] = ws.users.token(user.name)["token"]
    with running_server(db) as base:
        yield {"base": base, "tokens": tokens, "folder": folder}


@pytest.fixture(scope="module")
def call(site: dict[str, Any]) -> Any:
    def request(user: str, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {site['tokens'][user]}"}
        return httpx.request(method, site["base"] + path, headers=headers, timeout=60, **kw)

    return request


def _code(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, (r.status_code, r.text)
    return str(r.json()["error"]["code"])


def test_api_classify_snapshots_and_migration(call: Any) -> None:
    _code(call("ra", "POST", "/api/classify", json={"schemes": ["mine"]}, params=WAIT), 403)
    _code(call("boss", "POST", "/api/classify", json={"schemes": ["../../etc/passwd"]}, params=WAIT), 422)
    _code(call("boss", "POST", "/api/classify", json={"schemes": ["mine"], "engine": "spark"}), 422)
    due = call("my", "POST", "/api/classify", json={"schemes": ["mine"], "due": True}, params=WAIT).json()
    assert due["due"] is True and due["as_of"] == "2026-06-10"  # the latest order date
    again = call("my", "POST", "/api/classify", json={"schemes": ["mine"], "due": True}, params=WAIT).json()
    assert again["due"] is False and again["reason"].startswith("not due") and "snapshot_id" not in again
    r = call("boss", "POST", "/api/classify", json={"schemes": ["mine"], "as_of": "2026-06-30"}, params=WAIT)
    assert r.status_code == 200, r.text
    first = r.json()
    assert set(first) == {"snapshot_id", "as_of", "schemes", "skipped", "notes"}  # as `classify --json`
    assert first["schemes"]["mine"] == {"A": {"customers": 2, "revenue": "700.00"},
                                        "B": {"customers": 1, "revenue": "100.00"}}
    listed = call("vw", "GET", "/api/snapshots").json()
    assert [s["snapshot_id"] for s in listed["items"]] == [first["snapshot_id"], due["snapshot_id"]]
    moved = call("boss", "GET", "/api/migration", params={"scheme": "mine"})
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert (body["from"], body["to"]) == (due["snapshot_id"], first["snapshot_id"])
    assert body["upgrades"] == body["downgrades"] == 0
    # the orders are of one day: neither 12-month window is covered, so no revenue to compare
    assert body["revenue"]["A"]["A"] == {"before": None, "after": None}
    assert len(body["notes"]) == 2 and "covered by the orders" in body["notes"][0]["en"]
    east = call("mx", "GET", "/api/migration", params={"scheme": "mine"}).json()  # East: P and Q only
    assert sum(n for row in east["matrix"].values() for n in row.values()) == 2
    _code(call("vw", "GET", "/api/migration", params={"scheme": "mine"}), 403)
    _code(call("boss", "GET", "/api/migration", params={"scheme": "mine", "from": 99}), 400)


def test_api_history_classes_and_export(call: Any) -> None:
    call("boss", "POST", "/api/classify", json={"schemes": ["mine"], "as_of": "2026-06-30"}, params=WAIT)
    r = call("ra", "GET", "/api/customers/P/history", params={"lang": "zh"})
    assert r.status_code == 200, r.text
    assert {(h["class"], h["label"]) for h in r.json()["history"]} == {("A", "甲")}
    _code(call("ra", "GET", "/api/customers/R/history"), 404)
    _code(call("vw", "GET", "/api/customers/P/history"), 403)
    page = call("ra", "GET", "/api/classes", params={"scheme": "mine", "page_size": 1}).json()
    assert page["total"] == 2 and [(i["customer_id"], i["class"]) for i in page["items"]] == [("P", "A")]
    only_b = call("boss", "GET", "/api/classes", params={"scheme": "mine", "class": "B"}).json()
    assert [i["customer_id"] for i in only_b["items"]] == ["R"]
    _code(call("boss", "GET", "/api/classes", params={"scheme": "mine", "class": "C"}), 400)
    text = call("my", "GET", "/api/exports/classes", params={"format": "csv"})
    assert text.status_code == 200 and text.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert [r["customer_id"] for r in rows] == ["R"]  # West's customers only
    book = call("boss", "GET", "/api/exports/classes", params={"format": "xlsx", "scheme": "mine"})
    assert book.status_code == 200 and 'filename="classes-' in book.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(book.content))["classes"]
    assert sheet.max_row - 1 == 3


def test_api_scheme_copy_overrides_audit_and_attributes(call: Any, site: dict[str, Any]) -> None:
    call("boss", "POST", "/api/classify", json={"schemes": ["mine"], "as_of": "2026-06-30"}, params=WAIT)
    made = call("boss", "POST", "/api/schemes/api_abc/copy", json={"from": "abc"})
    assert made.status_code == 201, made.text
    assert "\nname: api_abc\n" in (site["folder"] / "schemes" / "api_abc.yaml").read_text(encoding="utf-8")
    _code(call("boss", "POST", "/api/schemes/api_abc/copy", json={"from": "abc"}), 400)  # exists
    _code(call("mx", "POST", "/api/schemes/other/copy", json={"from": "abc"}), 403)
    _code(call("boss", "POST", "/api/schemes/other/copy", json={"from": "../w"}), 422)

    held = call("my", "POST", "/api/overrides/set",
                json={"customer_id": "R", "scheme": "mine", "class": "A", "reason": "strategic"})
    assert held.status_code == 201, held.text
    assert (held.json()["class"], held.json()["state"], held.json()["proposed_by"]) == ("A", "active", "my")
    _code(call("ra", "POST", "/api/overrides/set",
               json={"customer_id": "P", "scheme": "mine", "class": "B", "reason": "x"}), 403)
    _code(call("mx", "POST", "/api/overrides/set",
               json={"customer_id": "R", "scheme": "mine", "class": "B", "reason": "x"}), 404)
    cleared = call("my", "POST", "/api/overrides/clear", json={"customer_id": "R", "scheme": "mine",
                                                                "reason": "over"})
    assert cleared.status_code == 200 and cleared.json()["state"] == "cleared", cleared.text

    flag = call("mx", "PUT", "/api/customers/P/attributes/flag", json={"value": "key", "reason": "big"})
    assert flag.json() == {"customer_id": "P", "key": "flag", "old": None, "new": "key"}, flag.text
    _code(call("my", "PUT", "/api/customers/P/attributes/flag", json={"value": "key", "reason": "x"}), 404)
    _code(call("mx", "PUT", "/api/customers/P/attributes/Flag", json={"value": "key", "reason": "x"}), 400)

    east = call("mx", "GET", "/api/audit").json()["items"]
    assert [(r["action"], r["customer_id"]) for r in east] == [("customer.attribute", "P")]
    every = call("boss", "GET", "/api/audit", params={"action": "override"}).json()
    assert [r["action"] for r in every["items"]] == ["override.set", "override.clear"]
    _code(call("ra", "GET", "/api/audit"), 403)
    assert call("boss", "GET", "/api/audit/verify").json()["ok"] is True
    _code(call("mx", "GET", "/api/audit/verify"), 403)
