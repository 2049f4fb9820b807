"""The dashboard's task part kept between clicks (issue 18, latency): a small scope's open tasks
are kept and only the customers whose tasks changed are read again, so what it shows after
follow-ups and a limit change is what a fresh count shows; a large scope's count is kept for
``LIVE_SECONDS`` unless a task it shows changes, and the page says when it was counted.

On the session's demo company (600 customers, tasks of 2026-09-30, all due by today)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import demo_copy
from tierwise.access.users import User
from tierwise.playbook.tasks import KINDS
from tierwise.services import dashboard as dash
from tierwise.settings import Settings
from tierwise.workspace import Workspace


@pytest.fixture
def root(demo_company: Path, tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(Settings(db=demo_copy(demo_company, tmp_path))) as ws:
        dash.LIVE.clear()
        yield ws
    dash.LIVE.clear()


def _busiest_rep(ws: Workspace) -> str:
    row = ws.db.con.execute(
        """SELECT c.rep_id FROM tasks t JOIN customers c USING (customer_id)
           WHERE t.status = 'open' AND c.rep_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"""
    ).fetchone()
    assert row is not None
    return str(row[0])


def _without_clock(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "tasks_counted_at"}


@contextlib.contextmanager
def _forked(root: Workspace) -> Iterator[Workspace]:
    """A workspace over its own cursor, closed at the end (as the server's warmer gets one)."""
    ws = root.fork()
    try:
        yield ws
    finally:
        ws.close()


def _fresh(ws: Workspace) -> dict[str, Any]:
    """The dashboard counted anew (nothing kept)."""
    dash.LIVE.clear()
    return ws.reports.dashboard()


def _closable(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The tasks due shown that a follow-up does (a review is not done by one)."""
    return [t for t in data["tasks"] if KINDS[t["kind"]][2]]


def _close_one(ws: Workspace, task: dict[str, Any]) -> int:
    """Log the follow-up that does ``task`` (a shown task due); the tasks it closed."""
    kind = next(iter(KINDS[task["kind"]][2]))
    done = ws.activities.add(task["customer_id"], kind, note="test")
    return len(done["closed"])


def test_a_reps_dashboard_mends_the_customers_that_changed(root: Workspace,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    rep = root.acting_as(User("rita", "rep", rep_id=_busiest_rep(root)))
    first = rep.reports.dashboard()
    assert first["figures"]["open"] > 0 and first["tasks"], "the rep has open tasks due to close"
    reads: list[int] = []
    real = dash._read_small
    monkeypatch.setattr(dash, "_read_small", lambda *a, **k: reads.append(1) or real(*a, **k))

    assert rep.reports.dashboard() == first  # nothing changed: kept as it was
    open_before = first["figures"]["open"]
    closed = 0
    for task in _closable(first)[:3]:
        closed += _close_one(rep, task)
        kept = rep.reports.dashboard()
        assert not reads, "a follow-up reads its customer's tasks again, not the scope's"
        assert kept["figures"]["open"] == open_before - closed
        assert _without_clock(kept) == _without_clock(_fresh_read(rep, reads))
    assert closed > 0

    # a limit cut (by the admin, another actor and connection) opens a hold at once, a raise
    # rewrites or clears it
    found = root.db.con.execute(
        """SELECT f.customer_id FROM snapshot_customers f JOIN customers c USING (customer_id)
           WHERE c.rep_id = ? AND f.outstanding > 0 AND coalesce(f.overdue_amount, 0) = 0
             AND f.snapshot_id = (SELECT max(snapshot_id) FROM snapshots)  -- owing now, not in March
             AND f.customer_id NOT IN (SELECT customer_id FROM tasks WHERE kind = 'credit_hold')
           ORDER BY f.customer_id LIMIT 1""", [rep.actor.rep_id]).fetchone()
    assert found is not None
    before = rep.reports.dashboard()
    root.credit.set_limit(found[0], "1", reason="test: over the limit")
    cut = rep.reports.dashboard()
    assert cut["figures"]["holds"] == before["figures"]["holds"] + 1
    assert _without_clock(cut) == _without_clock(_fresh_read(rep, reads))
    root.credit.set_limit(found[0], "1000000000", reason="test: paid up")
    raised = rep.reports.dashboard()  # (its orders are overdue by today: the hold may stay, rewritten)
    assert _without_clock(raised) == _without_clock(_fresh_read(rep, reads))
    assert not reads


def _fresh_read(ws: Workspace, reads: list[int]) -> dict[str, Any]:
    """A fresh count that does not count as a full read of the test above."""
    found = _fresh(ws)
    reads.clear()
    return found


def test_a_large_scope_is_counted_again_when_a_shown_task_changes_or_time_passes(
        root: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dash, "ONE_PASS_SCOPE", 10)  # the demo's 600 customers count as a large company
    first = root.reports.dashboard()
    shown = {t["customer_id"] for t in first["tasks"]} | {h["customer_id"] for h in first["holds"]}
    others = root.db.con.execute(
        """SELECT t.customer_id, any_value(t.kind) FROM tasks t
           WHERE t.status = 'open' AND t.due_date <= current_date AND NOT list_contains($shown, t.customer_id)
             AND t.kind IN ('visit', 'call', 'care', 'reminder')
           GROUP BY 1 ORDER BY 1 LIMIT 2""", {"shown": sorted(shown)}).fetchall()
    assert len(others) == 2
    closed = _close_one(root, {"customer_id": others[0][0], "kind": others[0][1]})
    assert closed > 0

    kept = root.reports.dashboard()  # a task not shown changed: the count of a moment ago stands
    assert kept["tasks_counted_at"] == first["tasks_counted_at"]
    assert kept["figures"]["open"] == first["figures"]["open"]

    shown_task = _closable(first)[0]
    closed += _close_one(root, shown_task)  # a task shown changed: counted again
    again = root.reports.dashboard()
    assert again["figures"]["open"] == first["figures"]["open"] - closed
    assert shown_task["task_id"] not in {t["task_id"] for t in again["tasks"]}
    assert _without_clock(again) == _without_clock(_fresh(root))

    # a task not shown again, and LIVE_SECONDS over: counted again
    closed += _close_one(root, {"customer_id": others[1][0], "kind": others[1][1]})
    assert root.reports.dashboard()["figures"]["open"] == again["figures"]["open"]
    monkeypatch.setattr(dash, "LIVE_SECONDS", 0.0)
    last = root.reports.dashboard()
    assert last["figures"]["open"] == first["figures"]["open"] - closed < again["figures"]["open"]


def test_a_rolled_back_change_reports_nothing(root: Workspace) -> None:
    from tierwise.store import changes

    at = changes.position(root.db.path)
    with pytest.raises(RuntimeError), root.db.transaction():
        root.db.tasks_changed(["C0001"])
        raise RuntimeError("rolled back")
    assert changes.since(root.db.path, at) == frozenset()
    with root.db.transaction():
        root.db.tasks_changed(["C0001"])
        assert changes.since(root.db.path, at) == frozenset(), "reported once committed, not before"
    assert changes.since(root.db.path, at) == frozenset({"C0001"})


def test_the_warmer_computes_each_scope_before_anyone_asks(root: Workspace,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from tierwise.access.users import add_user
    from tierwise.services.warmer import Warmer

    con = root.db.con
    department = con.execute("SELECT min(department) FROM reps").fetchone()
    assert department is not None and department[0]
    add_user(root.db, "mia", "manager", department=department[0], password="pw-long-enough-1", by="t",
             lang="zh")
    add_user(root.db, "rita", "rep", rep_id=_busiest_rep(root), password="pw-long-enough-2", by="t")
    add_user(root.db, "rex", "rep", rep_id=_busiest_rep(root), password="pw-long-enough-3", by="t")

    dash.STORED.clear()
    warmer = Warmer(lambda: _forked(root), "en")
    assert warmer.tick() == 3  # the company (en), the department (zh), the rep (rex shares rita's scope)
    assert warmer.tick() == 0  # nothing changed

    def computed(*a: Any, **k: Any) -> Any:
        raise AssertionError("the warmer computed it already")

    with monkeypatch.context() as m:
        m.setattr(dash, "_stored_part", computed)
        from tierwise.access.users import get_user
        for name in ("mia", "rita"):
            person = get_user(root.db, name)
            root.acting_as(person).reports.dashboard(lang=person.lang)

    customer = con.execute("SELECT min(customer_id) FROM customers").fetchone()
    assert customer is not None
    root.customers.set_attribute(customer[0], "flag", "key", reason="test")  # the data changed
    assert warmer.tick() == 3


def test_the_warmer_counts_a_large_scope_ahead_of_the_clicks(root: Workspace,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A large scope's count expires after LIVE_SECONDS; the warmer counts it again shortly
    before, so no click waits for the count, not even while one is under way."""
    import threading

    from tierwise.services.warmer import Warmer

    monkeypatch.setattr(dash, "ONE_PASS_SCOPE", 10)  # the demo's 600 customers count as a large company
    monkeypatch.setattr(dash, "LIVE_SECONDS", 10.0)  # the warmer (every 5 s) counts 10 s ahead: now
    dash._ASKED.clear()
    counts: list[int] = []
    real = dash._read_large
    monkeypatch.setattr(dash, "_read_large", lambda *a, **k: counts.append(1) or real(*a, **k))

    warmer = Warmer(lambda: _forked(root), "en")
    assert warmer.tick() == 1 and len(counts) == 1  # the company, counted when warmed
    assert warmer.tick() == 0 and len(counts) == 1, "nobody opened it: not counted ahead"
    first = root.reports.dashboard()  # a person opens it: the warmer's count serves
    assert len(counts) == 1
    assert warmer.tick() == 0 and len(counts) == 2, "opened: counted again ahead of its expiry"
    assert _without_clock(root.reports.dashboard()) == _without_clock(first) and len(counts) == 2

    # a count of the same scope under way (its lock held): a click takes the last count at once
    (key,) = dash._ASKED
    answer: list[dict[str, Any]] = []

    def click() -> None:
        ws = root.fork()
        try:
            answer.append(ws.reports.dashboard())
        finally:
            ws.close()

    with dash._FLIGHTS[hash(key) % len(dash._FLIGHTS)]:
        clicker = threading.Thread(target=click)
        clicker.start()
        clicker.join(timeout=30)
        assert answer, "the click waited for the count under way"
    assert _without_clock(answer[0]) == _without_clock(first) and len(counts) == 2

    # the data changes: the warmer computes the dashboard again, and goes on counting it ahead
    # (someone had it open), before anyone opens it again
    customer = root.db.con.execute("SELECT min(customer_id) FROM customers").fetchone()
    assert customer is not None
    root.customers.set_attribute(customer[0], "flag", "key", reason="test")
    assert warmer.tick() == 1 and len(counts) == 3
    assert warmer.tick() == 0 and len(counts) == 4
