"""Grading over time: migration (counts and revenue), provisional grades, overrides that
survive re-classification and expire, proposals and approvals, the audit trail, the
schedule, and a snapshot write killed half-way."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DUCKDB_CONFIG, query, run_cli, table_state
from schemes_fixture import company
from tierwise.access.users import User
from tierwise.errors import ConfigError, DataError, NotFoundError
from tierwise.schemes import overrides
from tierwise.schemes.classify import evaluation_due
from tierwise.schemes.migration import migration
from tierwise.schemes.store import class_table, history
from tierwise.settings import Settings
from tierwise.store import audit, keys
from tierwise.store.buckets import KeyBuckets
from tierwise.store.keys import customer_key, key_sql
from tierwise.workspace import Workspace

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


def _scheme(tmp_path: Path, text: str = HALVES) -> None:
    """Put the scheme ``mine`` in the workspace's schemes/ folder (found by name)."""
    folder = tmp_path / "schemes"
    folder.mkdir(exist_ok=True)
    (folder / "mine.yaml").write_text(text, encoding="utf-8")


def _classes(ws: Workspace, snapshot_id: int) -> dict[str, tuple[str, str | None, int | None]]:
    rows = ws.db.con.execute("SELECT customer_id, class, computed_class, override_id FROM classes "
                          "WHERE snapshot_id = ? AND scheme = 'mine'", [snapshot_id]).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


# -- migration ----------------------------------------------------------------------------
def test_migration_matrix_and_revenue_between_two_snapshots(ws: Workspace, tmp_path: Path) -> None:
    # As of 2024-01-31 the buyers are P 400, Q 300, R 100: A = top 50% of 3 = 2 ranks (P, Q).
    # As of 2024-03-31 S buys 1,000 and R 500 more: P 400, Q 300, R 600, S 1,000; A = S, R.
    early = [{"customer_id": c, "order_date": "2024-01-10", "amount": a} for c, a in
             (("P", 400), ("Q", 300), ("R", 100))]
    late = [{"customer_id": "S", "order_date": "2024-03-01", "amount": 1000},
            {"customer_id": "R", "order_date": "2024-03-01", "amount": 500}]
    # the order history goes back beyond both 12-month windows (Z bought before either): the
    # windows are covered, their revenues comparable
    history = [{"customer_id": "Z", "order_date": "2023-01-05", "amount": 5}]
    company(ws, tmp_path, orders=history + early + late)
    _scheme(tmp_path)
    later = ws.snapshots.classify(["mine"], as_of=date(2024, 3, 31))  # the later one first
    earlier = ws.snapshots.classify(["mine"], as_of=date(2024, 1, 31))
    moved = migration(ws.db, "mine")  # default: the two latest by as-of date, earlier → later
    assert (moved.start, moved.end) == (earlier.snapshot_id, later.snapshot_id)
    assert moved.matrix == {"A": {"A": 0, "B": 2, "(out)": 0}, "B": {"A": 1, "B": 0, "(out)": 0},
                            "(new)": {"A": 1, "B": 0, "(out)": 0}}
    rows = {k: sum(v.values()) for k, v in moved.matrix.items() if k != "(new)"}
    assert sum(rows.values()) == earlier.schemes["mine"].population == 3
    cols = {c: sum(r[c] for r in moved.matrix.values()) for c in ("A", "B")}
    assert sum(cols.values()) == later.schemes["mine"].population == 4
    assert (moved.upgrades, moved.downgrades) == (1, 2)
    assert {m["customer_id"]: m["direction"] for m in moved.movers} == {
        "P": "down", "Q": "down", "R": "up", "S": "moved"}
    # revenue of each cell's customers then and now: P+Q 700 → 700, R 100 → 600, S 0 → 1,000
    zero = {"before": 0.0, "after": 0.0}
    assert moved.revenue == {
        "A": {"A": zero, "B": {"before": 700.0, "after": 700.0}, "(out)": zero},
        "B": {"A": {"before": 100.0, "after": 600.0}, "B": zero, "(out)": zero},
        "(new)": {"A": {"before": 0.0, "after": 1000.0}, "B": zero, "(out)": zero}}
    db = tmp_path / "w.duckdb"
    ws.close()
    r = run_cli("--db", db, "migration", "--scheme", "mine", "--json", "--out", tmp_path / "m.csv")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"scheme": "mine", "from": earlier.snapshot_id, "to": later.snapshot_id,
                                    "matrix": moved.matrix, "revenue": moved.revenue, "upgrades": 1,
                                    "downgrades": 2, "from_as_of": "2024-01-31", "to_as_of": "2024-03-31",
                                    "coverage": {"before": 1.0, "after": 1.0}, "notes": []}
    movers = list(csv.DictReader((tmp_path / "m.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [(m["customer_id"], m["from"], m["to"]) for m in movers] == [
        ("P", "A", "B"), ("Q", "A", "B"), ("S", "(new)", "A"), ("R", "B", "A")]
    shown = run_cli("--db", db, "migration", "--scheme", "mine")
    assert "¥700" in shown.stdout and "+500.0%" in shown.stdout  # B row: 100 → 600
    listed = json.loads(run_cli("--db", db, "snapshots", "--json").stdout)
    assert [s["as_of"] for s in listed] == ["2024-01-31", "2024-03-31"]  # newest run first
    lonely = run_cli("--db", db, "migration", "--scheme", "abc")
    assert lonely.returncode == 1 and "migration needs two" in lonely.stderr


def test_migration_leaves_revenue_empty_where_the_data_does_not_cover_the_window(
        ws: Workspace, tmp_path: Path) -> None:
    """Orders from 2024-01-10 only: the 12-month window of 2024-01-31 holds 22 days of them.
    Its revenue against the next window's is the data growing, not the customers: left empty,
    with a note (was "B +500%")."""
    company(ws, tmp_path, orders=[{"customer_id": c, "order_date": d, "amount": a} for c, d, a in (
        ("P", "2024-01-10", 400), ("Q", "2024-01-10", 300), ("R", "2024-01-10", 100),
        ("R", "2024-12-01", 500), ("S", "2024-12-01", 1000))])
    _scheme(tmp_path)
    ws.snapshots.classify(["mine"], as_of=date(2024, 1, 31))
    ws.snapshots.classify(["mine"], as_of=date(2024, 12, 31))
    moved = migration(ws.db, "mine")
    assert moved.coverage == {"before": pytest.approx(22 / 365), "after": pytest.approx(357 / 366)}
    assert all(cell["before"] is None and cell["after"] is not None
               for row in moved.revenue.values() for cell in row.values())
    assert moved.revenue["B"]["A"]["after"] == 600.0
    (en, zh), = moved.notes
    assert en.startswith("snapshot 1's window (2023-02-01 to 2024-01-31) is only 6% covered by the orders")
    assert zh.startswith("快照 1 的窗口（2023-02-01 至 2024-01-31）只有 6% 在订单数据范围内")
    ws.close()
    shown = run_cli("--db", tmp_path / "w.duckdb", "migration", "--scheme", "mine")
    assert shown.returncode == 0, shown.stderr
    assert "is only 6% covered" in shown.stdout and "+" not in shown.stdout, shown.stdout  # no change


# -- provisional grades -------------------------------------------------------------------
def test_provisional_marks_flip_at_six_months(ws: Workspace, tmp_path: Path) -> None:
    # N's first order is 2024-01-15: provisional up to 2024-07-14, settled from 2024-07-15.
    company(ws, tmp_path, orders=[
        {"customer_id": "OLD", "order_date": "2023-09-05", "amount": 900},
        {"customer_id": "N", "order_date": "2024-01-15", "amount": 100}])
    _scheme(tmp_path)
    young = ws.snapshots.classify(["mine"], as_of=date(2024, 7, 14))
    table = class_table(ws.db, snapshot_id=young.snapshot_id, scheme="mine").to_pylist()
    marks = {r["customer_id"]: r["provisional_until"] for r in table}
    assert marks == {"OLD": None, "N": date(2024, 7, 15)}
    reason = next(r["reason"] for r in table if r["customer_id"] == "N")
    assert reason.endswith("; provisional: first order 2024-01-15, under 6 months; review on 2024-07-15")
    zh = class_table(ws.db, snapshot_id=young.snapshot_id, scheme="mine", lang="zh", customer="N")
    assert zh.column("reason")[0].as_py().endswith("；暂定：首单 2024-01-15 未满 6 个月，2024-07-15 复评")
    flagged = class_table(ws.db, snapshot_id=young.snapshot_id, provisional=True)
    assert flagged.column("customer_id").to_pylist() == ["N"]
    settled = ws.snapshots.classify(["mine"], as_of=date(2024, 7, 15))
    assert class_table(ws.db, snapshot_id=settled.snapshot_id, provisional=True).num_rows == 0
    assert "provisional" not in " ".join(class_table(ws.db, snapshot_id=settled.snapshot_id)
                                         .column("reason").to_pylist())
    assert [h["provisional_until"] for h in history(ws.db, "N")] == ["2024-07-15", None]


def test_provisional_grades_can_be_turned_off(tmp_path: Path) -> None:
    with Workspace.open(Settings(db=tmp_path / "w.duckdb", provisional_months=0), create=True) as ws:
        company(ws, tmp_path, orders=[{"customer_id": "N", "order_date": "2024-01-15", "amount": 100}])
        _scheme(tmp_path)
        result = ws.snapshots.classify(["mine"], as_of=date(2024, 2, 1))
        assert class_table(ws.db, snapshot_id=result.snapshot_id, provisional=True).num_rows == 0


# -- overrides ----------------------------------------------------------------------------
def _three(ws: Workspace, tmp_path: Path) -> None:
    """P 400, Q 300, R 100 (June 2026): A = P, Q; B = R. Z is a prospect."""
    company(ws, tmp_path, customers=[{"customer_id": c} for c in "PQRZ"], orders=[
        {"customer_id": c, "order_date": "2026-06-10", "amount": a} for c, a in
        (("P", 400), ("Q", 300), ("R", 100))])
    _scheme(tmp_path)


def test_override_survives_reclassification_and_expires_on_its_date(ws: Workspace, tmp_path: Path) -> None:
    _three(ws, tmp_path)
    first = ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30))
    o = overrides.set_override(ws.db, "R", "mine", "A", reason="strategic partner", by="li",
                               until=date(2027, 1, 31))
    # the current classification holds R at A at once, the computed class kept beside it
    assert _classes(ws, first.snapshot_id)["R"] == ("A", "B", o.override_id)
    # a later evaluation before its date keeps it; the summary counts the held class
    again = ws.snapshots.classify(["mine"], as_of=date(2026, 12, 31))
    assert _classes(ws, again.snapshot_id)["R"] == ("A", "B", o.override_id)
    assert again.schemes["mine"].classes["A"]["customers"] == 3
    assert again.notes[0].en == "1 class(es) held by manual overrides"
    reason = class_table(ws.db, snapshot_id=again.snapshot_id, customer="R").column("reason")[0].as_py()
    assert reason.startswith("computed B, held at A by li until 2027-01-31: strategic partner. Computed: B ")
    # on its date it no longer applies
    expired = ws.snapshots.classify(["mine"], as_of=date(2027, 1, 31))
    assert _classes(ws, expired.snapshot_id)["R"] == ("B", None, None)
    assert [n for n in expired.notes if "override" in n.en] == []  # (the coverage note stays)
    # once the date has passed in the calendar too, the next run marks it expired, audited
    with ws.db.transaction():
        overrides.expire(ws.db, date(2027, 2, 28), today=date(2027, 2, 28))
    assert [x.status for x in overrides.list_overrides(ws.db)] == ["expired"]
    assert audit.read(ws.db, action="override")[-1]["action"] == "override.expire"


def test_override_outside_the_population_and_clear(ws: Workspace, tmp_path: Path) -> None:
    _three(ws, tmp_path)
    snap = ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30)).snapshot_id
    assert "Z" not in _classes(ws, snap)  # a prospect: not a buyer
    o = overrides.set_override(ws.db, "Z", "mine", "A", reason="tender won, first order next month", by="li")
    assert _classes(ws, snap)["Z"] == ("A", None, o.override_id)
    row = class_table(ws.db, snapshot_id=snap, customer="Z").to_pylist()[0]
    assert row["reason"] == ("computed (outside the population), held at A by li: tender won, first order "
                             "next month")
    assert ws.snapshots.classify(["mine"], as_of=date(2026, 7, 31)).schemes["mine"].population == 4
    overrides.clear(ws.db, "Z", "mine", by="li", reason="tender cancelled")
    assert "Z" not in _classes(ws, latest := int(ws.db.con.execute("SELECT max(snapshot_id) FROM snapshots")
                                                 .fetchone()[0]))  # type: ignore[index]
    overrides.set_override(ws.db, "P", "mine", "B", reason="disputed invoices", by="li")
    overrides.clear(ws.db, "P", "mine", by="li", reason="settled")
    assert _classes(ws, latest)["P"] == ("A", None, None)
    with pytest.raises(DataError, match="P has no active override in mine"):
        overrides.clear(ws.db, "P", "mine", by="li", reason="again")


def test_override_mistakes_are_refused(ws: Workspace, tmp_path: Path) -> None:
    _three(ws, tmp_path)
    ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30))
    with pytest.raises(ConfigError, match=r"scheme mine has no class 'a' \(did you mean 'A'\?\)"):
        overrides.set_override(ws.db, "P", "mine", "a", reason="x", by="li")
    with pytest.raises(DataError, match="no customer 'PP'; did you mean P"):
        overrides.set_override(ws.db, "PP", "mine", "A", reason="x", by="li")
    with pytest.raises(ConfigError, match="--reason"):
        overrides.set_override(ws.db, "P", "mine", "A", reason="  ", by="li")
    with pytest.raises(ConfigError, match="would expire at once"):
        overrides.set_override(ws.db, "P", "mine", "A", reason="x", by="li", until=date(2020, 1, 1))
    assert ws.db.con.execute("SELECT count(*) FROM overrides").fetchone() == (0,)
    assert audit.read(ws.db, action="override") == []


def test_propose_approve_reject_and_the_audit_trail(ws: Workspace, tmp_path: Path) -> None:
    _three(ws, tmp_path)
    snap = ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30)).snapshot_id
    p = overrides.propose(ws.db, "R", "mine", "A", reason="big order coming", by="rep.wang")
    assert _classes(ws, snap)["R"] == ("B", None, None)  # a proposal changes nothing yet
    with pytest.raises(ConfigError, match="already waiting"):
        overrides.propose(ws.db, "R", "mine", "A", reason="again", by="rep.wang")
    with pytest.raises(ConfigError, match=r"rep\.wang proposed override"):
        overrides.approve(ws.db, p.override_id, by="rep.wang")
    overrides.approve(ws.db, p.override_id, by="manager.li", note="confirmed at the review")
    assert _classes(ws, snap)["R"] == ("A", "B", p.override_id)
    with pytest.raises(ConfigError, match="is active, not waiting"):
        overrides.approve(ws.db, p.override_id, by="manager.li")
    q = overrides.propose(ws.db, "P", "mine", "B", reason="pays late", by="rep.wang")
    overrides.reject(ws.db, q.override_id, by="manager.li", reason="not late enough")
    assert _classes(ws, snap)["P"] == ("A", None, None)
    # a second set for the same customer replaces the active override
    overrides.set_override(ws.db, "R", "mine", "B", reason="back to normal", by="manager.li")
    assert [(x.customer_id, x.klass, x.status) for x in overrides.list_overrides(ws.db)] == [
        ("R", "B", "active"), ("P", "B", "rejected"), ("R", "A", "replaced")]
    trail = [(r["actor"], r["action"], r["customer_id"], r["old_value"], r["new_value"], r["reason"])
             for r in audit.read(ws.db, action="override")]
    assert trail == [
        ("rep.wang", "override.propose", "R", "B", "A", "big order coming"),
        ("manager.li", "override.approve", "R", "B", "A", "confirmed at the review"),
        ("rep.wang", "override.propose", "P", "A", "B", "pays late"),
        ("manager.li", "override.reject", "P", "B", None, "not late enough"),
        ("manager.li", "override.set", "R", "A", "B", "back to normal")]
    assert audit.verify(ws.db).ok and audit.verify(ws.db).rows == 2 + 5  # the two imports, then these
    assert [r["action"] for r in audit.read(ws.db, customer="P")] == ["override.propose", "override.reject"]
    assert len(audit.read(ws.db, limit=2)) == 2 and audit.read(ws.db, limit=2)[-1]["audit_id"] == 7


def test_audit_rows_cannot_be_changed_unnoticed(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        _three(ws, tmp_path)
        ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30))
        for c in "PQR":
            overrides.set_override(ws.db, c, "mine", "B", reason=f"why {c}", by="li")
    assert run_cli("--db", db, "audit", "--verify").returncode == 0
    con = duckdb.connect(str(db), config=dict(DUCKDB_CONFIG))
    con.execute("UPDATE audit SET actor = 'someone else' WHERE audit_id = 4")  # after the 2 imports
    con.close()
    r = run_cli("--db", db, "audit", "--verify")
    assert r.returncode == 1 and "audit row 4 does not match the hash chain" in r.stderr
    rows = json.loads(run_cli("--db", db, "audit", "--action", "override", "--json").stdout)
    assert [r["actor"] for r in rows] == ["li", "someone else", "li"]  # reading still works


def test_scheme_edit_is_audited_at_the_next_classification(ws: Workspace, tmp_path: Path) -> None:
    _three(ws, tmp_path)
    ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30))
    _scheme(tmp_path, HALVES.replace("top: 50%", "top: 34%"))
    ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30))
    rows = audit.read(ws.db, action="scheme")
    assert [(r["action"], r["scheme"]) for r in rows] == [("scheme.change", "mine")]
    assert rows[0]["old_value"] != rows[0]["new_value"]


# -- the CLI ------------------------------------------------------------------------------
def test_override_history_and_audit_commands(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        _three(ws, tmp_path)
        ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30))
        ws.snapshots.classify(["mine"], as_of=date(2026, 7, 31))
    r = run_cli("--db", db, "override", "propose", "R", "mine", "A", "--reason", "大客户潜力", "--by", "wang",
                "--json")
    assert r.returncode == 0, r.stderr
    proposal = json.loads(r.stdout)
    assert (proposal["state"], proposal["class"], proposal["proposed_by"]) == ("proposed", "A", "wang")
    r = run_cli("--db", db, "override", "approve", str(proposal["override_id"]), env={"TIERWISE_USER": "li"})
    assert r.returncode == 0 and "approved: R held at A in mine" in r.stdout
    listed = json.loads(run_cli("--db", db, "override", "list", "--status", "active", "--json").stdout)
    assert [(o["customer_id"], o["decided_by"]) for o in listed] == [("R", "li")]
    hist = json.loads(run_cli("--db", db, "history", "R", "--json").stdout)
    assert [(h["as_of"], h["class"], h["computed_class"]) for h in hist["history"]] == [
        ("2026-06-30", "B", None), ("2026-07-31", "A", "B")]
    assert hist["history"][1]["reason"].startswith("computed B, held at A by li: 大客户潜力")
    shown = run_cli("--db", db, "--lang", "zh", "history", "R")
    assert "计算为 B，由 li 调整为 A：大客户潜力" in shown.stdout and "（手工）" in shown.stdout
    listed = json.loads(run_cli("--db", db, "classes", "list", "--overridden", "--json").stdout)
    assert listed["total"] == 1 and listed["items"][0]["customer_id"] == "R"
    trail = json.loads(run_cli("--db", db, "audit", "--customer", "R", "--json").stdout)
    assert [(t["actor"], t["action"]) for t in trail] == [("wang", "override.propose"),
                                                           ("li", "override.approve")]
    missing = run_cli("--db", db, "history", "NOPE")
    assert missing.returncode == 1 and "no customer 'NOPE'" in missing.stderr
    bad = run_cli("--db", db, "override", "set", "R", "mine", "A")
    assert bad.returncode == 2 and "--reason" in bad.stderr


def test_classify_due_runs_once_per_period(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        _three(ws, tmp_path)
        assert evaluation_due(ws.db, ["mine"]).due  # nothing yet
    first = run_cli("--db", db, "classify", "--due", "--scheme", "mine", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["due"] is True
    again = run_cli("--db", db, "classify", "--due", "--scheme", "mine")
    assert again.returncode == 0 and again.stdout.startswith("not due: evaluated on ")
    assert query(db, "SELECT trigger FROM snapshots") == [("due",)]
    with Workspace.open(Settings(db=db)) as ws:
        # a run today covers this month, not next month's evaluation
        today = date.today()
        nxt = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
        assert evaluation_due(ws.db, ["mine"], today=nxt).due
        assert not evaluation_due(ws.db, ["mine"], today=today).due
    yearly = run_cli("--db", db, "classify", "--due", "--scheme", "mine", "--json",
                     env={"TIERWISE_SCHEDULE": "yearly:02-29..03-01"})
    assert yearly.returncode == 1 and "schedule" in yearly.stderr


# -- crash safety ---------------------------------------------------------------------------
@pytest.mark.parametrize("fault", ["classify.store:kill", "classify.after_classes:kill",
                                   "classify.before_commit:kill", "classify.before_commit:raise"])
def test_killed_snapshot_write_leaves_the_previous_snapshot(tmp_path: Path, fault: str) -> None:
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        _three(ws, tmp_path)
        ws.snapshots.classify(["mine"], as_of=date(2026, 6, 30))
        overrides.set_override(ws.db, "R", "mine", "A", reason="kept", by="li")
    before = table_state(db)
    # the same as-of date and spec: this run replaces snapshot 1 (its rows are deleted first)
    for as_of in ("2026-06-30", "2026-07-31"):
        r = run_cli("--db", db, "classify", "--scheme", "mine", "--as-of", as_of,
                    env={"TIERWISE_FAULT": fault})
        if fault.endswith(":kill"):
            assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr)
        else:
            assert r.returncode == 1 and "fault injected" in r.stderr
        assert table_state(db) == before
    rows = query(db, "SELECT customer_id, class, computed_class FROM classes ORDER BY 1")
    assert rows == [("P", "A", None), ("Q", "A", None), ("R", "A", "B")]
    # a killed run leaves its staged rows behind (no process is left to remove them); the next
    # run removes them
    left = sorted(p.name.split("-")[1] for p in tmp_path.rglob("tierwise-*-*") if p.is_dir())
    assert left == (["stage"] if fault.endswith(":kill") else [])  # (the second run swept the first's)
    ok = run_cli("--db", db, "classify", "--scheme", "mine", "--as-of", "2026-07-31", "--json")
    assert ok.returncode == 0
    assert [p for p in tmp_path.rglob("tierwise-*-*") if p.is_dir()] == []
    # a new snapshot beside the first (ids are not contiguous: the failed runs' jobs committed
    # their "failed" rows, and a sequence does not give back a number a rolled-back run drew)
    second = json.loads(ok.stdout)["snapshot_id"]
    assert query(db, "SELECT snapshot_id FROM snapshots ORDER BY 1") == [(1,), (second,)]


def test_staging_without_a_spill_folder_sweeps_the_system_temporary_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workspace whose engine has no spill folder stages in the system's temporary folder:
    the folders killed runs left there are removed too, those of running processes stay."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.Popen(["true"])  # a process that has ended: its pid names a left folder
    ended.wait()
    dead = tmp_path / f"tierwise-stage-{ended.pid}-abc"
    running = tmp_path / f"tierwise-tasks-{os.getpid()}-def"
    dead_sheets = tmp_path / f"tierwise-sheets-{ended.pid}-ghi"  # a workbook's, killed while written
    other = tmp_path / "tierwise-stage-notes"  # not a staging folder's name: left alone
    for folder in (dead, dead_sheets, running, other):
        folder.mkdir()
    con = duckdb.connect()  # in memory: no spill folder
    with KeyBuckets(con, 10) as staged:
        assert staged.folder.parent == tmp_path
        assert sorted(p.name for p in tmp_path.iterdir() if p != staged.folder) == sorted(
            [running.name, other.name])


def _workspace_at(db: Path, version: int) -> duckdb.DuckDBPyConnection:
    """A new workspace file at schema ``version`` (as a release of that time made it), open."""
    from tierwise.store.migrations import MIGRATIONS

    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE tierwise_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for step in MIGRATIONS[:version]:
        step(con)
    con.execute("INSERT INTO tierwise_meta VALUES ('schema_version', ?)", [str(version)])
    return con


def test_a_version_2_workspace_is_upgraded_and_keeps_its_snapshots(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "w.duckdb"
    con = _workspace_at(db, 2)
    con.execute("SELECT nextval('snapshot_seq')")  # snapshot 1 below took it
    con.execute("INSERT INTO customers (customer_id) VALUES ('P'), ('Q')")
    con.execute("INSERT INTO snapshots VALUES (1, '2026-01-31', '2026-02-01 08:00:00', 'duckdb', 2)")
    con.execute("INSERT INTO snapshot_schemes VALUES (1, 'mine', '12m', 'h', ?, 'old', 2)", [HALVES])
    con.execute("INSERT INTO classes VALUES (1, 'mine', 'P', 'A', 1, 'A first: old', 'A 甲：旧'), "
                "(1, 'mine', 'Q', 'B', 2, 'B second: old', 'B 乙：旧')")
    con.close()
    with Workspace.open(Settings(db=db)) as ws:
        assert "from schema 2 to" in caplog.text  # said before the minute it takes at scale
        assert [h["reason"] for h in history(ws.db, "P")] == ["A first: old"]
        _scheme(tmp_path)
        company(ws, tmp_path, orders=[{"customer_id": c, "order_date": "2026-02-10", "amount": a}
                                      for c, a in (("P", 100), ("Q", 300))])
        ws.snapshots.classify(["mine"], as_of=date(2026, 2, 28))
        moved = migration(ws.db, "mine")
        assert moved.matrix["A"]["B"] == 1 and moved.matrix["B"]["A"] == 1
        # not stored back then; and the orders (of one day) cover neither window
        assert moved.revenue["A"]["B"] == {"before": None, "after": None} and len(moved.notes) == 2


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_a_customers_key_is_duckdbs_md5_number_lower(customer_id: str) -> None:
    # SQL writes the key, Python computes it for a look-up: they must agree on every id
    con = duckdb.connect()
    (sql,) = con.execute(f"SELECT {key_sql('$id')}", {"id": customer_id}).fetchone() or (None,)
    assert customer_key(customer_id) == sql


def _key_order(con: duckdb.DuckDBPyConnection, table: str, batch: str = "snapshot_id",
               where: str = "TRUE") -> list[tuple[int, bool]]:
    """Per snapshot (``batch``: import) of ``table``: whether its rows (``where``), as stored,
    are in customer key order and every key is its customer's."""
    return con.execute(f"""SELECT {batch}, bool_and(ok) FROM (
        SELECT {batch}, customer_key = {key_sql('customer_id')} AND customer_key >= coalesce(
            lag(customer_key) OVER (PARTITION BY {batch} ORDER BY rowid), 0) AS ok FROM {table}
        WHERE {where}) GROUP BY ALL ORDER BY 1 NULLS FIRST""").fetchall()


def test_imports_write_order_lines_payments_and_follow_ups_in_key_order(ws: Workspace,
                                                                        tmp_path: Path) -> None:
    # no customer index on the big tables: each import's new rows are in key order, an update
    # keeps its row and moves its key with its customer, and one customer's rows found by the
    # key are exactly those a scan finds
    ids = [f"客户{i:02d}" if i % 2 else f"C{i}" for i in range(24)]
    lines = [{"order_id": f"O{i}", "customer_id": c, "order_date": "2026-01-10", "amount": 10 + i}
             for i, c in enumerate(ids)]
    company(ws, tmp_path, customers=[{"customer_id": c, "rep_id": "R1"} for c in ids], orders=lines,
            payments=[{"customer_id": c, "payment_date": "2026-01-20", "amount": 5} for c in ids[:15]],
            activities=[{"customer_id": c, "activity_date": "2026-01-12", "kind": "电话"} for c in ids[::2]])
    # the second file: three lines changed (one to another customer), four new
    again = [dict(r, amount=99) if i < 2 else dict(r) for i, r in enumerate(lines)]
    again[2]["customer_id"] = ids[5]
    again += [{"order_id": f"N{i}", "customer_id": ids[i * 5], "order_date": "2026-02-10", "amount": 7}
              for i in range(4)]
    company(ws, tmp_path, orders=again)
    # the customers too: a second file moving three to another rep and adding four
    company(ws, tmp_path, customers=[{"customer_id": c, "rep_id": "R2"} for c in ids[:3]]
            + [{"customer_id": f"新{i}", "rep_id": "R2"} for i in range(4)])
    con = ws.db.con
    for table in ("payments", "activities"):
        order = _key_order(con, table, "import_id")
        assert order and all(ok for _, ok in order), (table, order)
    [(first, moved)] = con.execute("SELECT min(import_id), max(import_id) FROM customers").fetchall()
    where_they_were = [(c,) for c in sorted(ids[:3], key=customer_key)]
    assert con.execute("SELECT customer_id FROM customers WHERE import_id = ? ORDER BY rowid", [moved]
                       ).fetchall()[:3] == where_they_were
    assert _key_order(con, "customers", "import_id", "customer_id NOT LIKE '新%'") == [
        (first, True), (moved, True)]
    assert _key_order(con, "customers", "import_id", "customer_id LIKE '新%'") == [(moved, True)]
    assert con.execute("SELECT count(*) FILTER (rep_id = 'R2'), count(*) FROM customers"
                       ).fetchone() == (7, 28)
    # the first import of orders in key order, the second's new lines too; its updates stay
    # where they were, the moved line with its new customer's key
    [(second, _)] = con.execute("SELECT import_id, 1 FROM orders WHERE order_id = 'N0'").fetchall()
    assert _key_order(con, "orders", "import_id", "order_id LIKE 'N%'") == [(second, True)]
    assert _key_order(con, "orders", "import_id", "order_id LIKE 'O%'") == [
        (second - 3, True), (second, False)]
    keyed = f"SELECT bool_and(customer_key = {key_sql('customer_id')}) FROM orders"
    assert con.execute(keyed).fetchone() == (True,)
    assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name IN "
                       "('customers', 'orders', 'payments', 'activities')").fetchone() == (0,)
    assert con.execute("SELECT count(*), count(DISTINCT import_id) FROM orders").fetchone() == (28, 2)
    assert con.execute("SELECT customer_id, amount FROM orders WHERE order_id = 'O2'").fetchone() == (
        ids[5], 12)
    for c in ids:
        page = ws.customers.get(c)
        for table, key in (("orders", "order_id"), ("payments", "payment_id"), ("activities", "activity_id")):
            scanned = {r[0] for r in con.execute(f"SELECT {key} FROM {table} WHERE customer_id = ?", [c]
                                                 ).fetchall()}
            assert {r[key] for r in page[table]} == scanned, (c, table)
    # a follow-up finds its customer's orders by key: before the first order is refused
    today = date.today()
    company(ws, tmp_path, orders=[{"order_id": "F1", "customer_id": "F", "amount": 5,
                                   "order_date": (today - timedelta(days=5)).isoformat()}])
    # (F is new: the orders' import made its customer, with its key, in key order)
    assert con.execute(f"SELECT created_by_import, customer_key = {key_sql('customer_id')} FROM customers "
                       "WHERE customer_id = 'F'").fetchone() == (True, True)
    with pytest.raises(ConfigError, match="first order"):
        ws.activities.add("F", "visit", day=today - timedelta(days=7))
    added = ws.activities.add("F", "visit", day=today - timedelta(days=4))
    assert con.execute(f"SELECT customer_key = {key_sql('customer_id')} FROM activities "
                       "WHERE activity_id = ?", [added["activity_id"]]).fetchone() == (True,)
    assert [r["activity_id"] for r in ws.customers.get("F")["activities"]] == [added["activity_id"]]


def test_a_snapshot_is_stored_in_key_order_and_one_customers_rows_are_found_by_key(
        ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 40 customers, two snapshots, one override outside the population: each customer's rows
    # read by its key (customer page, history, a rep's counts, task inputs) are exactly the
    # rows a scan of the whole table finds
    ids = [f"客户{i:02d}" if i % 2 else f"C{i}.0" for i in range(40)]
    company(ws, tmp_path, customers=[{"customer_id": c, "rep_id": "R1"} for c in ids],
            orders=[{"customer_id": c, "order_date": d, "amount": 10 * (i + 1)}
                    for i, c in enumerate(ids[:30]) for d in ("2026-01-10", "2026-03-10")[: 1 + i % 2]])
    _scheme(tmp_path)
    ws.snapshots.classify(["mine"], as_of=date(2026, 1, 31))
    monkeypatch.setattr(keys, "SORT_ROWS", 7)  # the second snapshot sorted in 5 key ranges
    second = ws.snapshots.classify(["mine"], as_of=date(2026, 3, 31))
    con = ws.db.con
    assert con.execute("SELECT count(*) FROM classes WHERE snapshot_id = ?", [second.snapshot_id]
                       ).fetchone() == (second.schemes["mine"].population,) == (30,)
    assert _key_order(con, "classes") == _key_order(con, "snapshot_customers") == [(1, True), (2, True)]
    # a prospect has no class row: the override adds one, with its key
    overrides.set_override(ws.db, ids[35], "mine", "A", reason="key account", by="boss")
    assert con.execute(f"SELECT customer_key = {key_sql('customer_id')} FROM classes "
                       "WHERE override_id IS NOT NULL").fetchall() == [(True,)]
    assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name IN "
                       "('classes', 'snapshot_customers')").fetchone() == (0,)
    for c in ids:
        scanned = con.execute("SELECT snapshot_id, class FROM classes WHERE customer_id = ? "
                              "ORDER BY 1", [c]).fetchall()
        assert [(h["snapshot_id"], h["class"]) for h in history(ws.db, c)] == scanned
        assert [(r["snapshot_id"], r["class"]) for r in class_table(ws.db, customer=c).to_pylist()] == \
            scanned[-1:]
        page = ws.customers.get(c)
        assert [k["class"] for k in page["classes"]] == [r[1] for r in scanned[-1:]]
    assert [k["class"] for k in ws.customers.get(ids[35])["classes"]] == ["A"]
    # the next evaluation holds both overrides while its rows are staged in key buckets: the
    # prospect's own row and a buyer's staged row at its held class, each in its key range
    overrides.set_override(ws.db, ids[1], "mine", "B", reason="disputed invoices", by="boss")
    third = ws.snapshots.classify(["mine"], as_of=date(2026, 4, 30))
    assert third.schemes["mine"].population == 31
    third_id = third.snapshot_id
    assert _key_order(con, "classes", where=f"snapshot_id = {third_id}") == [(third_id, True)]
    held = con.execute("SELECT customer_id, class, computed_class, reason_zh IS NOT NULL, revenue "
                       "FROM classes WHERE snapshot_id = ? AND override_id IS NOT NULL ORDER BY 1",
                       [third.snapshot_id]).fetchall()
    computed = dict(con.execute("SELECT customer_id, class FROM classes WHERE snapshot_id = ?",
                                [second.snapshot_id]).fetchall())
    assert held == [(ids[1], "B", computed[ids[1]], False, 40), (ids[35], "A", None, True, 0)]
    for c in ids:
        scanned = con.execute("SELECT class FROM classes WHERE snapshot_id = ? AND customer_id = ?",
                              [third_id, c]).fetchall()
        assert [r["class"] for r in class_table(ws.db, snapshot_id=third_id, customer=c).to_pylist()] == \
            [r[0] for r in scanned]


def test_a_version_8_workspace_finds_its_snapshot_rows_by_key(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # version 8 kept customer_id indexes on classes and snapshot_customers; version 9 drops
    # them, gives every stored row its key and rewrites each snapshot in key order
    db = tmp_path / "w.duckdb"
    con = _workspace_at(db, 8)
    con.execute("SELECT nextval('snapshot_seq')")
    con.execute("INSERT INTO customers (customer_id) VALUES ('P'), ('Q'), ('R')")
    con.execute("INSERT INTO snapshots VALUES (1, '2026-01-31', '2026-02-01', 'duckdb', 3, 6, 'manual')")
    con.execute("INSERT INTO snapshot_schemes VALUES (1, 'mine', '12m', 'h', ?, 'old', 3)", [HALVES])
    con.execute("""INSERT INTO classes (snapshot_id, scheme, customer_id, class, score, reason_en, reason_zh)
                   VALUES (1, 'mine', 'R', 'B', 3, 'B: r', 'B：r'), (1, 'mine', 'P', 'A', 1, 'A: p', 'A：p'),
                          (1, 'mine', 'Q', 'A', 2, 'A: q', 'A：q')""")
    con.execute("""INSERT INTO snapshot_customers (snapshot_id, "window", customer_id, revenue)
                   VALUES (1, '12m', 'Q', 2), (1, '12m', 'R', 3), (1, '12m', 'P', 1)""")
    # a second snapshot, stored before the first's rows (as a replaced snapshot leaves them)
    con.execute("INSERT INTO snapshots VALUES (2, '2025-12-31', '2026-01-01', 'duckdb', 3, 6, 'manual')")
    con.execute("""INSERT INTO classes (snapshot_id, scheme, customer_id, class)
                   SELECT 2, 'mine', customer_id, 'B' FROM classes WHERE snapshot_id = 1""")
    con.execute("INSERT INTO classes SELECT * FROM classes WHERE snapshot_id = 1")
    con.execute("DELETE FROM classes WHERE rowid < 3")
    con.close()
    monkeypatch.setattr(keys, "SORT_ROWS", 2)  # each snapshot rewritten in two key ranges
    with Workspace.open(Settings(db=db)) as ws:
        con = ws.db.con
        assert _key_order(con, "classes") == [(1, True), (2, True)]
        assert _key_order(con, "snapshot_customers") == [(1, True)]
        assert con.execute("SELECT snapshot_id, count(*) FROM classes GROUP BY 1 ORDER BY 1").fetchall() == [
            (1, 3), (2, 3)]
        assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name IN "
                           "('classes', 'snapshot_customers')").fetchone() == (0,)
        assert [(h["class"], h["reason"]) for h in history(ws.db, "Q")] == [("A", "A: q")]
        assert ws.customers.get("R")["facts"]["revenue"] == 3


def test_a_version_9_workspace_finds_its_order_lines_payments_and_follow_ups_by_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # version 9 kept customer_id indexes on orders, payments and activities; version 10 drops
    # them, gives every stored row its key and rewrites each import's rows in key order
    db = tmp_path / "w.duckdb"
    con = _workspace_at(db, 9)
    con.execute("INSERT INTO customers (customer_id) VALUES ('P'), ('Q'), ('R'), ('S')")
    con.execute("""INSERT INTO orders (order_id, line_no, customer_id, order_date, amount, import_id)
                   VALUES ('O1', 1, 'S', '2026-01-05', 40, 1), ('O2', 1, 'P', '2026-01-06', 10, 1),
                          ('O3', 1, 'R', '2026-01-07', 30, 1), ('O4', 1, 'Q', '2026-01-08', 20, 1),
                          ('O5', 1, 'P', '2026-02-01', 11, 2), ('O6', 1, 'R', '2026-02-02', 31, 2),
                          ('O7', 1, 'Q', '2026-02-03', 21, NULL)""")
    con.execute("""INSERT INTO payments (payment_id, customer_id, payment_date, amount, import_id)
                   VALUES ('Y1', 'R', '2026-01-20', 30, 3), ('Y2', 'P', '2026-01-21', 10, 3)""")
    con.execute("""INSERT INTO activities (activity_id, customer_id, activity_date, kind, import_id)
                   VALUES ('A1', 'Q', '2026-01-09', 'call', 4), ('A2', 'S', '2026-01-10', 'visit', 4)""")
    con.close()
    monkeypatch.setattr(keys, "SORT_ROWS", 2)  # each import rewritten in two key ranges
    with Workspace.open(Settings(db=db)) as ws:
        con = ws.db.con
        assert _key_order(con, "orders", "import_id") == [(None, True), (1, True), (2, True)]
        assert _key_order(con, "payments", "import_id") == [(3, True)]
        assert _key_order(con, "activities", "import_id") == [(4, True)]
        assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name IN "
                           "('orders', 'payments', 'activities')").fetchone() == (0,)
        page = ws.customers.get("P")
        assert sorted(r["order_id"] for r in page["orders"]) == ["O2", "O5"]
        assert [r["payment_id"] for r in page["payments"]] == ["Y2"]
        assert [r["activity_id"] for r in ws.customers.get("S")["activities"]] == ["A2"]


def test_a_version_17_workspace_finds_its_tasks_by_key(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # version 17 kept the tasks under a primary key (the task id) and a customer index, both
    # whole in memory at a sync's commit; version 18 drops them, gives every task its key and
    # rewrites the tasks in key order, a day they were raised at a time
    db = tmp_path / "w.duckdb"
    con = _workspace_at(db, 17)
    con.execute("INSERT INTO customers (customer_id, rep_id) VALUES ('P', 'R1'), ('Q', 'R1'), "
                "('客户R', 'R1')")
    rows = [(f"visit:{c}:2026-0{m}-01", c, f"2026-0{m}-01", f"2026-0{m}-01") for m in (1, 2)
            for c in ("客户R", "Q", "P")]
    con.executemany("INSERT INTO tasks (task_id, kind, customer_id, rep_id, due_date, since_date, status, "
                    "raised_on, reason_en) VALUES (?, 'visit', ?, 'R1', ?, ?, 'open', ?, 'visit')",
                    [(*r, r[2]) for r in rows])
    con.close()
    monkeypatch.setattr(keys, "SORT_ROWS", 2)  # each day rewritten in two key ranges
    with Workspace.open(Settings(db=db)) as ws:
        con = ws.db.con
        assert _key_order(con, "tasks", "raised_on") == [(date(2026, 1, 1), True), (date(2026, 2, 1), True)]
        assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'tasks'"
                           ).fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'tasks' "
                           "AND constraint_type = 'PRIMARY KEY'").fetchone() == (0,)
        for c in ("P", "Q", "客户R"):
            assert [t["task_id"] for t in ws.customers.get(c)["tasks"]] == [
                f"visit:{c}:2026-01-01", f"visit:{c}:2026-02-01"]


def test_a_version_18_workspace_finds_its_customers_by_key(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # version 18 kept a customer_id index on the customers (408 MiB at ten million, unspillable);
    # version 19 drops it, gives every customer its key and rewrites them in key order, an
    # import at a time; every lookup of one customer then goes by the key
    db = tmp_path / "w.duckdb"
    con = _workspace_at(db, 18)
    con.execute("""INSERT INTO customers (customer_id, name, rep_id, credit_limit, import_id,
                                         created_by_import)
                   VALUES ('客户R', 'R 店', 'R1', 100, 1, false), ('Q', 'Q shop', 'R1', NULL, 1, false),
                          ('P', 'P shop', 'R1', 50, 1, false), ('T', NULL, NULL, NULL, 2, true),
                          ('S', 'S shop', 'R1', NULL, 2, false), ('U', 'U shop', 'R1', NULL, NULL, false)""")
    con.execute("INSERT INTO reps (rep_id, name) VALUES ('R1', 'Rep One')")
    con.close()
    monkeypatch.setattr(keys, "SORT_ROWS", 2)  # each import rewritten in two key ranges
    with Workspace.open(Settings(db=db)) as ws:
        con = ws.db.con
        assert _key_order(con, "customers", "import_id") == [(None, True), (1, True), (2, True)]
        assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'customers'"
                           ).fetchone() == (0,)
        boss = ws.acting_as(User("boss", "admin"))
        for c, name in (("P", "P shop"), ("客户R", "R 店"), ("T", None), ("U", "U shop")):
            page = boss.customers.get(c)["customer"]
            assert page["name"] == name and "customer_key" not in page, page
        boss.credit.set_limit("P", "80", reason="paid on time")
        boss.customers.set_attribute("Q", "wechat", "q_shop", reason="found on a card")
        boss.activities.add("S", "visit")
        assert con.execute("SELECT customer_id, credit_limit, wechat FROM customers WHERE customer_id IN "
                           "('P', 'Q') ORDER BY 1").fetchall() == [("P", 80, None), ("Q", None, "q_shop")]
        with pytest.raises(NotFoundError):
            boss.customers.get("V")
        assert "customer_key" not in ws.customers.list()["items"][0]
        assert "customer_key" not in ws.customers.export().column_names


def test_manager_flag_is_set_audited_and_survives_a_reimport(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        _three(ws, tmp_path)
    r = run_cli("--db", db, "customer", "set", "R", "flag", "key", "--reason", "named key account",
                "--by", "li")
    assert r.returncode == 0 and "R flag: — → key" in r.stdout, r.stderr
    run_cli("--db", db, "customer", "set", "R", "flag", "model", "--reason", "showcase store", "--by", "li")
    assert query(db, "SELECT flag FROM customers WHERE customer_id = 'R'") == [("model",)]
    trail = json.loads(run_cli("--db", db, "audit", "--action", "customer", "--json").stdout)
    assert [(t["subject"], t["old_value"], t["new_value"], t["reason"]) for t in trail] == [
        ("flag", None, "key", "named key account"), ("flag", "key", "model", "showcase store")]
    # a customers file without the flag column leaves the flag as it is
    with Workspace.open(Settings(db=db)) as ws:
        company(ws, tmp_path, customers=[{"customer_id": "R", "name": "Arr"}])
    assert query(db, "SELECT name, flag FROM customers WHERE customer_id = 'R'") == [("Arr", "model")]
    for args, message in ((("R", "credit_limit", "5"), "tierwise credit limit"),
                          (("R", "region", "华东"), "a column of your customers file"),
                          (("NOPE", "flag", "key"), "no customer 'NOPE'")):
        bad = run_cli("--db", db, "customer", "set", *args, "--reason", "x")
        assert bad.returncode == 1 and message in bad.stderr, bad.stderr
