"""Tasks kept current by events (issue 18): stored tasks are the truth, a view's ``days`` never
closes tasks beyond it, a follow-up closes only its customer's tasks due by its date (and is
refused outside its bounds), a limit change re-checks the hold at once and in its own
transaction, an override and a payment import change their customers' tasks at once, a limit
change in the server queues a re-evaluation (and the classification the tasks), a repeated
idempotency key logs once, and a refresh of a few customers touches only them.

The small company lives relative to today (T): B bought on T-20 (¥12,000, due T+10, credit
limit ¥5,000: on hold), classed ``b`` as of T-19 (a visit every 30 days, care touches 3, 21
and 90 days after a purchase); X is a prospect without orders who paid a ¥100 deposit on T-20
(a workspace without any payment has no balances to hold anyone for).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from conftest import demo_copy, do_import, write_csv
from schemes_fixture import company
from test_tasks import CARE  # the same butterfly scheme: care after a purchase, a visit a month
from tierwise.access.users import User
from tierwise.errors import ConfigError, ConflictError
from tierwise.playbook.task_store import refresh_customers
from tierwise.playbook.tasks import TaskOptions, generate_tasks
from tierwise.services import imports as imports_module
from tierwise.services.jobs import JobRunner, Live
from tierwise.settings import Settings
from tierwise.store import keys as keys_module
from tierwise.store.buckets import BUCKETED_RANGES
from tierwise.store.keys import key_sql
from tierwise.workspace import Workspace

HOLD = "credit_hold:B"


def _days(today: date) -> tuple[date, date, str, str, str]:
    """Today, B's purchase (20 days ago), and the ids of its visit and care tasks (due T-17, T+1)."""
    purchase = today - timedelta(days=20)
    return (today, purchase, f"visit:B:{today - timedelta(days=19)}", f"care:B:{purchase}:3",
            f"care:B:{purchase}:21")


T, P, VISIT, CARE3, CARE21 = _days(date.today())


@pytest.fixture(autouse=True)
def _today() -> None:
    """The days above as of the day each test starts, not the day the module was imported: a
    run crossing midnight otherwise compares yesterday's dates with today's tasks."""
    global T, P, VISIT, CARE3, CARE21
    T, P, VISIT, CARE3, CARE21 = _days(date.today())


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """The company above with the tasks of today and 30 days ahead stored."""
    workspace = Workspace.open(Settings(db=tmp_path / "w.duckdb"), create=True)
    company(workspace, tmp_path,
            customers=[{"customer_id": "B", "name": "Bee", "rep_id": "R1", "credit_limit": 5000},
                       {"customer_id": "X", "rep_id": "R1"}],
            orders=[{"customer_id": "B", "order_date": P.isoformat(), "amount": 12000,
                     "due_date": (T + timedelta(days=10)).isoformat()}],
            payments=[{"customer_id": "X", "payment_date": P.isoformat(), "amount": 100}])
    (tmp_path / "schemes").mkdir()
    (tmp_path / "schemes" / "care.yaml").write_text(CARE, encoding="utf-8")
    workspace.snapshots.classify(["care"], as_of=T - timedelta(days=19))
    workspace.tasks.refresh(on=T, days=30)
    try:
        yield workspace
    finally:
        workspace.close()


def _tasks(ws: Workspace) -> dict[str, dict[str, Any]]:
    rows = ws.db.con.execute("SELECT * FROM tasks ORDER BY task_id").to_arrow_table().to_pylist()
    return {r["task_id"]: r for r in rows}


def _state(ws: Workspace) -> tuple[Any, ...]:
    """Every row of the tasks and the activities (to show that nothing changed)."""
    con = ws.db.con
    return (con.execute("SELECT * FROM tasks ORDER BY task_id").fetchall(),
            con.execute("SELECT * FROM activities ORDER BY activity_id").fetchall())


def test_the_company_starts_with_the_tasks_this_file_is_about(ws: Workspace) -> None:
    tasks = _tasks(ws)
    assert {t: (r["due_date"], r["status"]) for t, r in tasks.items()} == {
        VISIT: (T - timedelta(days=19), "open"), CARE3: (T - timedelta(days=17), "open"),
        CARE21: (T + timedelta(days=1), "open"), HOLD: (T, "open")}
    assert "over the credit limit ¥5,000" in tasks[HOLD]["reason_en"]


# -- a credit-limit change -----------------------------------------------------------------
def test_a_limit_raise_rewrites_or_clears_the_hold_at_once(ws: Workspace) -> None:
    ws.credit.set_limit("B", "10,000", reason="review")  # still over: ¥12,000 > ¥10,000
    hold = _tasks(ws)[HOLD]
    assert hold["status"] == "open"
    assert "over the credit limit ¥10,000 by ¥2,000" in hold["reason_en"]
    assert "¥5,000" not in hold["reason_en"]
    assert "超过授信额度 ¥10,000" in hold["reason_zh"]

    ws.credit.set_limit("B", "20000", reason="good payer")  # the excess is gone: the hold with it
    tasks = _tasks(ws)
    hold = tasks[HOLD]
    assert (hold["status"], hold["closed_on"], hold["closed_by_activity"]) == ("lapsed", T, None)
    assert hold["reason_en"] == (f"no longer on hold on {T}: credit limit changed from ¥10,000 to ¥20,000 "
                                 f"by {ws.actor.name}")
    assert hold["reason_zh"] == f"{T} 起解除信用冻结：授信额度由 ¥10,000 调整为 ¥20,000（{ws.actor.name}）"
    assert all(tasks[t]["status"] == "open" for t in (VISIT, CARE3, CARE21))  # nothing else moved

    ws.credit.set_limit("B", "1000", reason="risk")  # a cut holds the customer again
    hold = _tasks(ws)[HOLD]
    assert hold["status"] == "open" and "over the credit limit ¥1,000 by ¥11,000" in hold["reason_en"]


def _limit(ws: Workspace, customer: str) -> Any:
    row = ws.db.con.execute("SELECT credit_limit FROM customers WHERE customer_id = ?", [customer]).fetchone()
    assert row is not None
    return row[0]


def _audit_rows(ws: Workspace) -> int:
    row = ws.db.con.execute("SELECT count(*) FROM audit").fetchone()
    assert row is not None
    return int(row[0])


def test_a_limit_change_and_its_tasks_are_one_transaction(ws: Workspace,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the limit is set and the hold re-checked (here: injected at the end of
    the re-check) leaves the limit, the tasks and the audit trail as they were: the limit
    never lands without its tasks."""
    before, limit, audited = _state(ws), _limit(ws, "B"), _audit_rows(ws)
    monkeypatch.setenv("TIERWISE_FAULT", "credit.recheck:raise")
    with pytest.raises(RuntimeError, match=re.escape("fault injected at credit.recheck")):
        ws.credit.set_limit("B", "20000", reason="good payer")  # would lapse the hold
    assert (_limit(ws, "B"), _state(ws), _audit_rows(ws)) == (limit, before, audited)
    assert _tasks(ws)[HOLD]["status"] == "open" and "¥5,000" in _tasks(ws)[HOLD]["reason_en"]

    monkeypatch.delenv("TIERWISE_FAULT")  # the same change goes through afterwards, audited once
    done = ws.credit.set_limit("B", "20000", reason="good payer")
    assert (done["old"], done["new"], done["reevaluation"]) == (5000.0, 20000.0, None)  # no server: no job
    assert _tasks(ws)[HOLD]["status"] == "lapsed" and _audit_rows(ws) == audited + 1
    assert ws.audit.verify().ok


# -- an override -----------------------------------------------------------------------------
def test_an_override_changes_its_customers_tasks_at_once(ws: Workspace) -> None:
    """Held at ``x`` (no playbook), B's visit and care touches are no longer wanted the moment
    the override is set; cleared, they are open again. The credit hold is not the class's."""
    ws.overrides.set("B", "care", "x", reason="key account reviewed")
    tasks = _tasks(ws)
    assert {t: tasks[t]["status"] for t in (VISIT, CARE3, CARE21, HOLD)} == {
        VISIT: "lapsed", CARE3: "lapsed", CARE21: "lapsed", HOLD: "open"}
    assert all(tasks[t]["closed_on"] == T for t in (VISIT, CARE3, CARE21))

    ws.overrides.clear("B", "care", reason="back to the computed class")
    tasks = _tasks(ws)
    assert {t: tasks[t]["status"] for t in (VISIT, CARE3, CARE21, HOLD)} == {
        VISIT: "open", CARE3: "open", CARE21: "open", HOLD: "open"}


def test_an_approved_proposal_changes_the_tasks_a_pending_one_does_not(ws: Workspace) -> None:
    proposed = ws.overrides.propose("B", "care", "x", reason="quiet buyer")
    assert _tasks(ws)[VISIT]["status"] == "open"  # only proposed: the class is as it was
    ws.acting_as(User("wang", "admin")).overrides.approve(proposed.override_id, note="ok")  # four eyes
    assert _tasks(ws)[VISIT]["status"] == "lapsed"


# -- a payment import ------------------------------------------------------------------------
def _pay(ws: Workspace, folder: Path, amount: int) -> None:
    path = write_csv(folder / "payments.csv", [("customer_id", "payment_date", "amount"),
                                               ("B", (T - timedelta(days=1)).isoformat(), amount)])
    summary = do_import(ws, "payments", path)
    assert summary.inserted == 1


def test_a_payment_import_closes_the_hold_of_the_customer_it_pays_for(ws: Workspace, tmp_path: Path) -> None:
    others = {t: r for t, r in _tasks(ws).items() if t != HOLD}
    _pay(ws, tmp_path, 10_000)  # ¥12,000 - ¥10,000 = ¥2,000 outstanding: within the ¥5,000 limit
    tasks = _tasks(ws)
    assert (tasks[HOLD]["status"], tasks[HOLD]["closed_on"]) == ("lapsed", T)
    assert {t: r for t, r in tasks.items() if t != HOLD} == others  # only the credit tasks are refreshed


def test_a_payment_import_too_small_to_clear_the_hold_rewrites_it(ws: Workspace, tmp_path: Path) -> None:
    _pay(ws, tmp_path, 5_000)  # ¥7,000 outstanding: still over
    hold = _tasks(ws)[HOLD]
    assert hold["status"] == "open"
    assert "outstanding ¥7,000 is over the credit limit ¥5,000" in hold["reason_en"]


def test_a_payment_import_for_very_many_customers_refreshes_everyone_at_the_shell(
        ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports_module, "QUEUE_OVER", 0)  # B alone is "very many"
    _pay(ws, tmp_path, 10_000)
    assert _tasks(ws)[HOLD]["status"] == "lapsed"


# -- re-evaluation in the server ---------------------------------------------------------------
@pytest.fixture
def runner(ws: Workspace) -> Iterator[JobRunner]:
    """A job runner over the company, as the server holds it (no HTTP)."""
    ws.runner = JobRunner(ws)
    try:
        yield ws.runner
    finally:
        ws.runner.stop()
        ws.runner = None


def _finished(runner: JobRunner, kind: str) -> Live:
    """The job of ``kind`` the runner queued, once it has finished."""
    for _ in range(600):
        found = [live for live in runner.live.values() if live.kind == kind]
        if found and found[-1].finished.is_set():
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no finished {kind} job: {[(j.kind, j.state) for j in runner.live.values()]}")


def test_a_limit_change_in_the_server_queues_a_reevaluation_then_the_tasks(ws: Workspace,
                                                                        runner: JobRunner) -> None:
    done = ws.credit.set_limit("B", "20000", reason="good payer")
    job = done["reevaluation"]
    assert job is not None and job["kind"] == "classify" and job["state"] in ("queued", "running", "done")
    assert _tasks(ws)[HOLD]["status"] == "lapsed"  # at once, not by the job
    assert _finished(runner, "classify").state == "done"
    tasks_job = _finished(runner, "tasks")  # the classification done, the tasks follow it the same day
    assert tasks_job.state == "done" and tasks_job.kwargs == {"days": 30}
    assert ws.jobs.get(job["job_id"])["state"] == "done"


def test_a_large_payment_import_in_the_server_queues_a_task_refresh(
        ws: Workspace, runner: JobRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports_module, "QUEUE_OVER", 0)
    _pay(ws, tmp_path, 10_000)
    assert _finished(runner, "tasks").state == "done"
    assert _tasks(ws)[HOLD]["status"] == "lapsed"


# -- the days of a view -------------------------------------------------------------------
def test_a_short_view_closes_nothing_due_after_it(ws: Workspace) -> None:
    done = ws.tasks.refresh(on=T, days=0)  # CARE21 is due tomorrow: outside this view
    assert {r["task_id"] for r in done.tasks.to_pylist()} == {VISIT, CARE3, HOLD}
    assert (done.done, done.lapsed) == (0, 0)
    assert _tasks(ws)[CARE21]["status"] == "open"


def test_days_7_after_days_30_closes_nothing_beyond_day_7(demo_company: Path, tmp_path: Path) -> None:
    """The issue's scenario on the demo company: thousands of tasks were marked no longer
    needed only because their due date was beyond the shorter view."""
    on = date(2026, 9, 30)
    with Workspace.open(Settings(db=demo_copy(demo_company, tmp_path))) as ws:
        ws.tasks.refresh(on=on, days=30)
        later = "SELECT * FROM tasks WHERE due_date > ? ORDER BY task_id"
        before = ws.db.con.execute(later, [on + timedelta(days=7)]).fetchall()
        assert sum(1 for r in before if r[14] == "open") > 50  # the view below leaves these out
        week = ws.tasks.refresh(on=on, days=7)
        assert ws.db.con.execute(later, [on + timedelta(days=7)]).fetchall() == before
        assert week.tasks.num_rows > 0
        closed_late = ws.db.con.execute(
            "SELECT count(*) FROM tasks WHERE status <> 'open' AND closed_on = ? AND due_date > ?",
            [on, on + timedelta(days=7)]).fetchone()
        assert closed_late == (0,)


# -- follow-ups ---------------------------------------------------------------------------
@pytest.mark.parametrize(("back", "message"), [
    (None, "at most 30 days back"),  # 1 January 2000
    (-1, "cannot be in the future"),
    (25, "before B's first order ({P})"),
])
def test_a_follow_up_out_of_bounds_is_refused_and_changes_nothing(ws: Workspace, back: int | None,
                                                                  message: str) -> None:
    day = date(2000, 1, 1) if back is None else T - timedelta(days=back)
    message = message.format(P=P)
    before = _state(ws)
    with pytest.raises(ConfigError, match=re.escape(message)) as refused:
        ws.activities.add("B", "visit", day=day)
    assert " / " in str(refused.value) and "跟进日期" in str(refused.value)  # English / Chinese
    assert _state(ws) == before
    assert _tasks(ws)[HOLD]["status"] == "open"


def test_a_prospect_has_no_first_order_to_be_before(ws: Workspace) -> None:
    logged = ws.activities.add("X", "call", day=T - timedelta(days=25))
    assert logged["closed"] == []


def test_the_days_back_bound_is_a_setting(ws: Workspace) -> None:
    strict = Workspace.open(Settings(db=ws.db.path, followup_max_days_back=3), actor=ws.actor)
    with strict, pytest.raises(ConfigError, match="at most 3 days back"):
        strict.activities.add("B", "visit", day=T - timedelta(days=4))


def test_a_follow_up_closes_only_the_tasks_due_by_its_date(ws: Workspace) -> None:
    first = ws.activities.add("B", "visit", day=T - timedelta(days=18))
    assert [t["task_id"] for t in first["closed"]] == [VISIT]  # CARE3 is due a day later
    tasks = _tasks(ws)
    assert (tasks[VISIT]["status"], tasks[VISIT]["closed_by_activity"]) == ("done", first["activity_id"])
    assert tasks[VISIT]["closed_on"] == T - timedelta(days=18)
    assert all(tasks[t]["status"] == "open" for t in (CARE3, CARE21, HOLD))

    today = ws.activities.add("B", "call", day=T)  # a call is a care touch: CARE3, not CARE21
    assert [t["task_id"] for t in today["closed"]] == [CARE3]
    tasks = _tasks(ws)
    assert tasks[CARE21]["status"] == "open" and tasks[HOLD]["status"] == "open"
    # the next refresh sees the call (CARE21 wanted from T-8): it closes it as done by it
    ws.tasks.refresh(on=T + timedelta(days=1), days=0)
    assert (_tasks(ws)[CARE21]["status"], _tasks(ws)[CARE21]["closed_by_activity"]) == (
        "done", today["activity_id"])


# -- idempotency ---------------------------------------------------------------------------
def _activities(ws: Workspace) -> int:
    row = ws.db.con.execute("SELECT count(*) FROM activities").fetchone()
    assert row is not None
    return int(row[0])


def test_the_same_idempotency_key_logs_once(ws: Workspace) -> None:
    before = _activities(ws)
    first = ws.activities.add("B", "visit", day=T, note="double click", idempotency_key="k-1")
    again = ws.activities.add("B", "visit", day=T, note="double click", idempotency_key="k-1")
    assert again == first and [t["task_id"] for t in first["closed"]] == [CARE3, VISIT]
    assert _activities(ws) == before + 1
    other = ws.activities.add("B", "call", day=T, idempotency_key="k-2")  # another key: logged
    assert other["activity_id"] != first["activity_id"]
    someone = ws.acting_as(User("li", "admin")).activities.add("B", "call", day=T, idempotency_key="k-1")
    assert someone["activity_id"] != first["activity_id"]  # keys are per actor
    assert _activities(ws) == before + 3


def _twice_at_once(ws: Workspace, call: Any) -> list[Any]:
    """``call(fork)`` on two forks of ``ws`` in two threads started together: their results (or
    the exception each raised)."""
    results: list[Any] = []
    start = threading.Barrier(2)

    def run() -> None:
        fork = ws.fork()
        try:
            start.wait()
            results.append(call(fork))
        except Exception as exc:  # the caller's assertion shows it
            results.append(exc)
        finally:
            fork.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_double_click_at_the_same_moment_logs_once(ws: Workspace) -> None:
    before = _activities(ws)
    results = _twice_at_once(ws, lambda fork: fork.activities.add("B", "visit", day=T,
                                                                 idempotency_key="same-click"))
    assert all(isinstance(r, dict) for r in results), results
    assert results[0] == results[1]
    assert _activities(ws) == before + 1


def _doubles(ws: Workspace) -> tuple[int, int]:
    """B's stored tasks: rows, distinct ids."""
    row = ws.db.con.execute("SELECT count(*), count(DISTINCT task_id) FROM tasks WHERE customer_id = 'B'"
                            ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_two_refreshes_of_a_customer_at_once_open_each_task_once(ws: Workspace) -> None:
    # the tasks have no index to refuse a second copy of an id (store/keys.py): one transaction
    # stores tasks at a time, the second waits for the first's commit and then sees its tasks
    con = ws.db.con
    con.execute("DELETE FROM tasks WHERE customer_id = 'B'")
    results = _twice_at_once(ws, lambda fork: refresh_customers(fork.db, ["B"], T).opened)
    rows, ids = _doubles(ws)
    assert sorted(results) == [0, ids] and rows == ids >= 3, results  # a hold, a visit, care
    # a refresh inside a transaction that read before another stored B's tasks cannot see
    # them: it is refused (an override retries), not stored twice
    con.execute("DELETE FROM tasks WHERE customer_id = 'B'")
    early, late = ws.fork(), ws.fork()
    try:
        with late.db.transaction():
            late.db.con.execute("SELECT count(*) FROM tasks").fetchone()  # its snapshot, taken here
            assert refresh_customers(early.db, ["B"], T).opened == ids
            with pytest.raises(ConflictError, match="try again"):
                refresh_customers(late.db, ["B"], T)
    finally:
        early.close()
        late.close()
    assert _doubles(ws) == (ids, ids)


# -- a refresh of a few customers -------------------------------------------------------------
def test_refreshing_some_customers_leaves_the_others_as_they_are(demo_company: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    on = date(2026, 9, 30)
    with Workspace.open(Settings(db=demo_copy(demo_company, tmp_path))) as ws:
        con = ws.db.con
        pair = [r[0] for r in con.execute(
            "SELECT customer_id FROM tasks WHERE status = 'open' AND kind IN ('visit', 'call') "
            "GROUP BY customer_id ORDER BY customer_id LIMIT 2").fetchall()]
        for i, customer in enumerate(pair):  # a visit of each arrives (as an import would bring it)
            con.execute("INSERT INTO activities (activity_id, customer_id, activity_date, kind, "
                        "customer_key) VALUES (?, ?, ?, 'visit', md5_number_lower(?))",
                        [f"IMP{i}", customer, on, customer])
        rest = "SELECT * FROM tasks WHERE customer_id <> ? ORDER BY task_id"
        others = con.execute(rest, [pair[0]]).fetchall()
        synced = refresh_customers(ws.db, [pair[0]], on)
        assert synced.done >= 1
        assert con.execute(rest, [pair[0]]).fetchall() == others  # pair[1]'s visit waits its turn
        done = con.execute("SELECT count(*) FROM tasks WHERE customer_id = ? AND closed_by_activity = 'IMP0'",
                           [pair[0]]).fetchone()
        assert done is not None and done[0] >= 1
        # the tasks have no index: each sync wrote the tasks it opened in key order, and one
        # customer's open tasks found by the key (its page) are those a scan finds
        assert con.execute(f"""SELECT bool_and(ok) FROM (SELECT customer_key = {key_sql('customer_id')}
                                   AND customer_key >= coalesce(lag(customer_key) OVER (
                                       PARTITION BY raised_on, created_at ORDER BY rowid), 0) AS ok
                               FROM tasks)""").fetchone() == (True,)
        assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'tasks'"
                           ).fetchone() == (0,)
        for customer in [*pair, *(r[0] for r in con.execute(
                "SELECT DISTINCT customer_id FROM tasks ORDER BY 1 LIMIT 20").fetchall())]:
            scanned = con.execute("SELECT task_id FROM tasks WHERE customer_id = ? AND status = 'open' "
                                  "ORDER BY task_id", [customer]).fetchall()
            page = ws.customers.get(customer)["tasks"]
            assert sorted(t["task_id"] for t in page) == [r[0] for r in scanned]

        # a few customers' tasks are the workspace's tasks of those customers, to the row, whether
        # their rows are looked up by a list of ids or semi-joined with a table of them
        options = TaskOptions(on=on, days=30)
        everyone = generate_tasks(ws.db, options)
        some = sorted(set(everyone.column("customer_id").to_pylist()))[::7]
        expected = everyone.filter(pc.is_in(everyone["customer_id"], pa.array(some)))
        assert generate_tasks(ws.db, options, customers=some).equals(expected)
        monkeypatch.setattr(keys_module, "LOOKUP_IDS", 5)
        assert generate_tasks(ws.db, options, customers=some).equals(expected)
        # a handful are looked up one customer at a time (a union of key lookups), the same rows
        few = some[:12]
        alike = everyone.filter(pc.is_in(everyone["customer_id"], pa.array(few)))
        assert len(few) <= keys_module.UNION_IDS and alike.num_rows > len(few)
        assert generate_tasks(ws.db, options, customers=few).equals(alike)
        monkeypatch.setattr(keys_module, "UNION_IDS", 0)
        assert generate_tasks(ws.db, options, customers=few).equals(alike)
        credit = generate_tasks(ws.db, options, customers=some, kinds=["credit_hold", "collect"])
        money = pa.array(["credit_hold", "collect"])
        assert credit.equals(expected.filter(pc.is_in(expected["kind"], money)))


def test_tasks_kept_from_key_buckets_are_the_tasks_kept_in_one_range(demo_company: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # with many key ranges a sync stages the generated and the new tasks once in key buckets
    # (store/buckets.py) and writes each range from its own files: a first sync (nothing to
    # rewrite) and the next day's (rewrites, new ids, lapses) keep the same tasks to the value
    on = date(2026, 9, 30)

    def kept(name: str, sort_rows: int) -> list[tuple[Any, ...]]:
        monkeypatch.setattr(keys_module, "SORT_ROWS", sort_rows)
        with Workspace.open(Settings(db=demo_copy(demo_company, tmp_path / name))) as ws:
            con = ws.db.con
            con.execute("DELETE FROM tasks")
            first = ws.tasks.refresh(on=on, days=30).tasks.num_rows
            ranges = len(keys_module.key_ranges(first))
            assert ranges == 1 if sort_rows > first else ranges >= BUCKETED_RANGES
            in_order = f"""SELECT bool_and(ok) FROM (SELECT customer_key = {key_sql('customer_id')}
                AND customer_key >= coalesce(lag(customer_key) OVER (ORDER BY rowid), 0) AS ok FROM tasks)"""
            assert con.execute(in_order).fetchone() == (True,)
            ws.tasks.refresh(on=on + timedelta(days=1), days=30)
            return con.execute("SELECT * EXCLUDE (created_at) FROM tasks ORDER BY task_id").fetchall()

    whole = kept("whole", 10_000_000)
    assert {r[14] for r in whole} >= {"open", "lapsed"} and len(whole) >= 1000
    assert kept("buckets", 50) == whole
