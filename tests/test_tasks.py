"""Tasks from playbooks on hand-made timelines: 333 care touches on the right days and gone
when done, cadences counted from the last matching activity, the six-month review firing
once, class reviews counted from entering the class, reminders, and the commands (tasks
--json / .ics, activity add closing tasks)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli
from schemes_fixture import company
from tierwise.playbook.activity import add_activity
from tierwise.playbook.task_store import sync_tasks
from tierwise.playbook.tasks import TaskOptions, generate_tasks
from tierwise.settings import Settings
from tierwise.workspace import Workspace

CARE = """name: care
title: {zh: 关怀, en: Care}
kind: thresholds
population: customers
rules:
  - {class: b, when: lifetime_revenue > 0}
  - {class: x, otherwise: true}
classes:
  - id: b
    label: {zh: 蝴蝶, en: butterfly}
    playbook: {care_after_purchase_days: [3, 21, 90], visit_every_days: 30, priority: 2}
  - id: x
    label: {zh: 其他, en: other}
"""


BACK = (date.today() - date(2026, 1, 1)).days


@pytest.fixture
def care_ws(tmp_path: Path) -> Workspace:
    """B bought on 2026-01-10 and is classed ``b`` (333 care, a visit every 30 days) as of
    2026-01-31; X is a prospect of class ``x`` (no playbook)."""
    # the timeline is early 2026: follow-ups are logged as of then, however long ago that is
    ws = Workspace.open(Settings(db=tmp_path / "w.duckdb", followup_max_days_back=BACK), create=True)
    company(ws, tmp_path, customers=[{"customer_id": "B", "name": "Bee", "rep_id": "R1"},
                                     {"customer_id": "X", "rep_id": "R1"}],
            orders=[{"customer_id": "B", "order_date": "2026-01-10", "amount": 100}])
    (tmp_path / "schemes").mkdir()
    (tmp_path / "schemes" / "care.yaml").write_text(CARE, encoding="utf-8")
    ws.snapshots.classify(["care"], as_of=date(2026, 1, 31))
    yield ws
    ws.close()


def _tasks(ws: Workspace, on: str, days: int = 0, kind: str | None = None) -> dict[str, str]:
    table = generate_tasks(ws.db, TaskOptions(on=date.fromisoformat(on), days=days))
    return {r["task_id"]: r["due_date"].isoformat() for r in table.to_pylist()
            if kind is None or r["kind"] == kind}


def test_333_touches_appear_on_their_days_and_go_when_done(care_ws: Workspace) -> None:
    ws = care_ws
    assert _tasks(ws, "2026-01-12", kind="care") == {}
    assert _tasks(ws, "2026-01-13", kind="care") == {"care:B:2026-01-10:3": "2026-01-13"}
    assert _tasks(ws, "2026-01-31", kind="care") == {"care:B:2026-01-10:3": "2026-01-13",
                                                      "care:B:2026-01-10:21": "2026-01-31"}
    # a call on the 20th does the 3-day touch; the 21-day touch counts from the 22nd (midway)
    add_activity(ws.db, "B", "电话", day=date(2026, 1, 20))
    assert _tasks(ws, "2026-01-31", kind="care") == {"care:B:2026-01-10:21": "2026-01-31"}
    add_activity(ws.db, "B", "care", day=date(2026, 1, 25))
    assert _tasks(ws, "2026-01-31", kind="care") == {}
    assert _tasks(ws, "2026-04-10", kind="care") == {"care:B:2026-01-10:90": "2026-04-10"}
    assert _tasks(ws, "2026-04-03", days=7, kind="care") == {"care:B:2026-01-10:90": "2026-04-10"}


def test_a_new_purchase_starts_the_care_again_instead_of_stacking(care_ws: Workspace, tmp_path: Path) -> None:
    ws = care_ws
    # B buys again on the 20th: the touches of the 10th lapse, those of the 20th begin
    (tmp_path / "again").mkdir()
    (tmp_path / "back").mkdir()
    company(ws, tmp_path / "again", orders=[{"customer_id": "B", "order_date": "2026-01-20", "amount": 50,
                                             "order_id": "O-again"}])
    assert _tasks(ws, "2026-01-19", kind="care") == {"care:B:2026-01-10:3": "2026-01-13"}
    assert _tasks(ws, "2026-02-10", kind="care") == {"care:B:2026-01-20:3": "2026-01-23",
                                                      "care:B:2026-01-20:21": "2026-02-10"}
    # a return on the 25th is no purchase: the sequence of the 20th goes on
    company(ws, tmp_path / "back", orders=[{"customer_id": "B", "order_date": "2026-01-25", "amount": -50,
                                            "order_id": "O-back"}])
    assert set(_tasks(ws, "2026-02-10", kind="care")) == {"care:B:2026-01-20:3", "care:B:2026-01-20:21"}


def test_cadence_counts_from_the_last_matching_activity(care_ws: Workspace) -> None:
    ws = care_ws
    # never visited: due on the classification's as-of date
    assert _tasks(ws, "2026-01-31", kind="visit") == {"visit:B:2026-01-31": "2026-01-31"}
    add_activity(ws.db, "B", "call", day=date(2026, 2, 1))  # a call is not a visit
    assert _tasks(ws, "2026-02-05", kind="visit") == {"visit:B:2026-01-31": "2026-01-31"}
    add_activity(ws.db, "B", "拜访", day=date(2026, 2, 5))
    assert _tasks(ws, "2026-03-06", kind="visit") == {}
    assert _tasks(ws, "2026-03-07", kind="visit") == {"visit:B:2026-03-07": "2026-03-07"}
    rows = generate_tasks(ws.db, TaskOptions(on=date(2026, 3, 20), days=0)).to_pylist()
    visit = next(r for r in rows if r["kind"] == "visit")
    assert visit["reason_en"] == ("visit due 2026-03-07: every 30 days for butterfly (Care); "
                                  "last visit 2026-02-05")
    assert visit["reason_zh"] == "拜访到期 2026-03-07：蝴蝶（关怀）每 30 天一次；上次拜访 2026-02-05"
    # the class's priority 2, one step more urgent for being late
    assert (visit["rep_id"], visit["overdue_days"], visit["priority"]) == ("R1", 13, 1)


def test_six_month_review_fires_once(care_ws: Workspace) -> None:
    ws = care_ws  # B's first order 2026-01-10: provisional until 2026-07-10
    assert _tasks(ws, "2026-07-09", kind="review") == {}
    options = TaskOptions(on=date(2026, 7, 10), days=0)
    first = generate_tasks(ws.db, options)
    assert [r["task_id"] for r in first.to_pylist() if r["kind"] == "review"] == ["review:B:2026-07-10"]
    synced = sync_tasks(ws.db, first, options)
    again = sync_tasks(ws.db, generate_tasks(ws.db, options), options)
    assert again.opened == 0  # the same task, not a new one
    assert synced.opened == len(first)
    # the classification at six months settles the grade: the review goes and is closed
    ws.snapshots.classify(["care"], as_of=date(2026, 7, 31))
    later = TaskOptions(on=date(2026, 7, 31), days=0)
    again = generate_tasks(ws.db, later)
    assert not [r for r in again.to_pylist() if r["kind"] == "review"]
    sync_tasks(ws.db, again, later)
    status = ws.db.con.execute("SELECT status FROM tasks WHERE task_id = 'review:B:2026-07-10'").fetchone()
    assert status == ("lapsed",)


FRESH = """name: fresh
title: {zh: 新鲜度, en: Freshness}
kind: thresholds
population: customers
rules:
  - {class: fresh, when: recency_days <= 45}
  - {class: stale, otherwise: true}
classes:
  - id: fresh
    label: {zh: 活跃, en: fresh}
    playbook: {review_after_days: 30, priority: 2}
  - id: stale
    label: {zh: 沉寂, en: stale}
    playbook: {review_after_days: 40}
"""


def test_review_after_days_counts_from_entering_the_class(care_ws: Workspace, tmp_path: Path) -> None:
    """B bought on 2026-01-10 (provisional until 2026-07-10): fresh as of 01-31, stale from
    02-28, fresh again after buying on 04-20. Each class's review counts from the first
    classification of the current run in it, fires once, and only the earliest review of a
    customer is a task."""
    ws = care_ws
    (tmp_path / "schemes" / "fresh.yaml").write_text(FRESH, encoding="utf-8")
    ws.snapshots.classify(["fresh"], as_of=date(2026, 1, 31))
    assert _tasks(ws, "2026-03-01", kind="review") == {}
    due = _tasks(ws, "2026-03-02", kind="review")
    assert due == {"review:fresh:fresh:B:2026-03-02": "2026-03-02"}  # 01-31 + 30 days, before 07-10
    row = next(r for r in generate_tasks(ws.db, TaskOptions(on=date(2026, 3, 2))).to_pylist()
               if r["kind"] == "review")
    assert row["reason_en"] == ("grade review due 2026-03-02: fresh (Freshness) since 2026-01-31, reviewed "
                                "after 30 days; the next classification settles it")
    assert row["reason_zh"] == ("等级复评到期 2026-03-02：自 2026-01-31 起为活跃（新鲜度），30 天后复评；"
                                "下次分类时确定等级")
    assert (row["scheme"], row["class"], row["priority"]) == ("fresh", "fresh", 2)
    # stale from 02-28 on: the count starts again there, and holds across classifications in it
    ws.snapshots.classify(["fresh"], as_of=date(2026, 2, 28))
    ws.snapshots.classify(["fresh"], as_of=date(2026, 3, 15))
    assert _tasks(ws, "2026-04-09", kind="review") == {"review:fresh:stale:B:2026-04-09": "2026-04-09"}
    # a classification on the due day settles it: the provisional review is next (07-10)
    ws.snapshots.classify(["fresh"], as_of=date(2026, 4, 9))
    assert _tasks(ws, "2026-04-20", kind="review") == {}
    assert _tasks(ws, "2026-07-10", kind="review") == {"review:B:2026-07-10": "2026-07-10"}
    # fresh again after a purchase: counted from that classification, not from January
    more = tmp_path / "more.csv"
    more.write_text("customer_id,order_date,amount\nB,2026-04-20,50\n", encoding="utf-8")
    ws.imports.file("orders", more)
    ws.snapshots.classify(["fresh"], as_of=date(2026, 4, 25))
    assert _tasks(ws, "2026-05-25", kind="review") == {"review:fresh:fresh:B:2026-05-25": "2026-05-25"}
    # nothing for a class without review_after_days (care's b) or a customer outside the classes
    assert all(r["kind"] != "review" or r["customer_id"] == "B"
               for r in generate_tasks(ws.db, TaskOptions(on=date(2026, 12, 1), days=0)).to_pylist())


def test_activity_add_closes_the_task_it_does(care_ws: Workspace) -> None:
    ws = care_ws
    options = TaskOptions(on=date(2026, 1, 31), days=0)
    sync_tasks(ws.db, generate_tasks(ws.db, options), options)
    result = add_activity(ws.db, "B", "visit", day=date(2026, 1, 31), note="walked the warehouse")
    assert {t["task_id"] for t in result["closed"]} == {"visit:B:2026-01-31", "care:B:2026-01-10:3",
                                                         "care:B:2026-01-10:21"}
    row = ws.db.con.execute(
        "SELECT status, closed_by_activity FROM tasks WHERE task_id = 'visit:B:2026-01-31'").fetchone()
    assert row == ("done", result["activity_id"])
    with pytest.raises(Exception, match="activity kind 'lunch'"):
        add_activity(ws.db, "B", "lunch", day=date(2026, 1, 31))
    with pytest.raises(Exception, match="no customer 'NOPE'"):
        add_activity(ws.db, "NOPE", "visit", day=date(2026, 1, 31))


def test_a_later_refresh_rewrites_what_changed_and_keeps_when_a_task_was_raised(care_ws: Workspace) -> None:
    """The visit due 2026-01-31 regenerated a month later: its overdue days and priority move
    (written in place), its row keeps when it was raised; a task whose reason changes is
    written again whole; an untouched one stays byte for byte, a done one stays done."""
    ws = care_ws
    con = ws.db.con
    first = TaskOptions(on=date(2026, 1, 31), days=0)
    sync_tasks(ws.db, generate_tasks(ws.db, first), first)
    add_activity(ws.db, "B", "call", day=date(2026, 1, 31))  # a call does the first care touches only
    cols = "status, due_date, overdue_days, priority, raised_on, created_at, reason_en, closed_by_activity"
    before = {r[0]: r[1:] for r in con.execute(f"SELECT task_id, {cols} FROM tasks").fetchall()}
    assert before["visit:B:2026-01-31"][:4] == ("open", date(2026, 1, 31), 0, 2)
    later = TaskOptions(on=date(2026, 3, 5), days=0)
    synced = sync_tasks(ws.db, generate_tasks(ws.db, later), later)
    after = {r[0]: r[1:] for r in con.execute(f"SELECT task_id, {cols} FROM tasks").fetchall()}
    visit = after["visit:B:2026-01-31"]
    assert visit[:4] == ("open", date(2026, 1, 31), 33, 1)  # 33 days late: more than a month, first
    assert visit[4:7] == before["visit:B:2026-01-31"][4:7]  # raised and worded as it was
    done = [t for t, row in before.items() if row[0] == "done"]
    assert done and all(after[t] == before[t] for t in done)
    assert synced.updated >= 1 and set(after) >= set(before)
    # a reason that changes (the class renamed) rewrites the text of the task, nothing else
    con.execute("UPDATE tasks SET reason_en = 'stale wording' WHERE task_id = 'visit:B:2026-01-31'")
    sync_tasks(ws.db, generate_tasks(ws.db, later), later)
    again = con.execute(f"SELECT {cols} FROM tasks WHERE task_id = 'visit:B:2026-01-31'").fetchone()
    assert again == visit
    assert con.execute("SELECT count(*), count(DISTINCT task_id) FROM tasks").fetchone() == (len(after),) * 2


def test_tasks_command_json_ics_and_filters(care_ws: Workspace, tmp_path: Path) -> None:
    db = care_ws.db.path
    care_ws.close()
    r = run_cli("--db", db, "tasks", "--date", "2026-01-31", "--days", "0", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    wanted = {"id", "due_date", "customer_id", "rep_id", "kind", "priority", "reason_en", "reason_zh"}
    assert wanted <= set(rows[0])
    assert rows[0]["id"] == rows[0]["task_id"] and rows[0]["due_date"] == "2026-01-13"
    # by priority (the late 3-day touch is more urgent), then kind (visits before care)
    assert [(t["task_id"], t["priority"]) for t in rows] == [
        ("care:B:2026-01-10:3", 1), ("visit:B:2026-01-31", 2), ("care:B:2026-01-10:21", 2)]
    only = json.loads(run_cli("--db", db, "tasks", "--date", "2026-01-31", "--days", "0", "--kind", "visit",
                              "--json").stdout)
    assert [t["kind"] for t in only] == ["visit"]
    r = run_cli("--db", db, "tasks", "--date", "2026-01-31", "--days", "0", "--rep", "R1", "--out",
                tmp_path / "r1.ics")
    assert r.returncode == 0, r.stderr
    ics = (tmp_path / "r1.ics").read_bytes().decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.count("BEGIN:VEVENT") == 3
    assert "UID:visit:B:2026-01-31@tierwise" in ics and "DTSTART;VALUE=DATE:20260131" in ics
    r = run_cli("--db", db, "--lang", "zh", "activity", "add", "B", "拜访", "--date", "2026-01-31",
                env={"TIERWISE_FOLLOWUP_MAX_DAYS_BACK": str(BACK)})
    assert r.returncode == 0 and "已完成：visit:B:2026-01-31" in r.stdout
    bad = run_cli("--db", db, "tasks", "--kind", "lunch")
    assert bad.returncode == 1 and "--kind 'lunch'" in bad.stderr


GRADE = """name: grade
title: {zh: 等级, en: Grade}
kind: thresholds
population: customers
roles: [primary_grade]
rules:
  - {class: a, when: lifetime_revenue >= 1000}
  - {class: c, otherwise: true}
classes:
  - id: a
    label: {zh: 重点, en: key}
    playbook: {complaint_priority: 1}
  - id: c
    label: {zh: 普通, en: ordinary}
    playbook: {complaint_priority: 3}
"""
LOUD = """name: loud
title: {zh: 活跃, en: Active}
kind: thresholds
population: customers
rules:
  - {class: busy, otherwise: true}
classes:
  - id: busy
    label: {zh: 活跃, en: busy}
    playbook: {complaint_priority: 1}
"""


def test_a_complaint_is_as_urgent_as_the_customers_main_grade_says(tmp_path: Path) -> None:
    """Not the most urgent over every scheme (any scheme putting everyone first would make
    every complaint first): the scheme with the role primary_grade decides."""
    with Workspace.open(Settings(db=tmp_path / "w.duckdb", followup_max_days_back=BACK), create=True) as ws:
        company(ws, tmp_path, customers=[{"customer_id": c, "rep_id": "R1"} for c in ("BIG", "SMALL", "NEW")],
                orders=[{"customer_id": "BIG", "order_date": "2026-01-10", "amount": 5000},
                        {"customer_id": "SMALL", "order_date": "2026-01-10", "amount": 10}],
                activities=[{"customer_id": c, "activity_date": "2026-01-20", "kind": "complaint",
                             "rep_id": "R1"} for c in ("BIG", "SMALL")])
        (tmp_path / "schemes").mkdir()
        for name, text in (("grade", GRADE), ("loud", LOUD)):
            (tmp_path / "schemes" / f"{name}.yaml").write_text(text, encoding="utf-8")
        ws.snapshots.classify(["grade", "loud"], as_of=date(2026, 1, 31))
        rows = generate_tasks(ws.db, TaskOptions(on=date(2026, 1, 21), days=0)).to_pylist()
        got = {r["customer_id"]: r for r in rows if r["kind"] == "complaint"}
        assert {c: (r["priority"], r["scheme"], r["class"]) for c, r in got.items()} == {
            "BIG": (1, "grade", "a"), "SMALL": (3, "grade", "c")}
        assert got["SMALL"]["reason_en"] == ("complaint of 2026-01-20 not yet answered by a visit, call or "
                                             "care touch (ordinary, Grade)")
        assert got["SMALL"]["reason_zh"] == "2026-01-20 的投诉尚未通过拜访、电话或关怀回应（普通，等级）"


def test_the_current_classes_and_the_owners_in_key_ranges_give_the_same_tasks(
        demo_company: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # at ten million customers the current classes are joined with the snapshot facts, and the
    # due tasks with their customers' names and reps, a key range at a time (all at once did not
    # fit the engine's half of 2GB); the tasks are the same
    from conftest import demo_copy
    from tierwise.playbook import tasks as tk
    from tierwise.store import keys

    with Workspace.open(Settings(db=demo_copy(demo_company, tmp_path))) as ws:
        options = TaskOptions(on=date(2026, 9, 30), days=7)
        whole = generate_tasks(ws.db, options)
        monkeypatch.setattr(keys, "SORT_ROWS", 500)  # the demo's ~9,000 current class rows in 18 ranges
        ranges = tk._current_ranges(tk.inp.Inputs(ws.db), tk._playbooks(ws.db))
        assert len(ranges) == 18
        staged: list[str] = []
        monkeypatch.setattr(tk.inp.Plan, "run", lambda self, w, sql, temp, run=tk.inp.Plan.run: (
            staged.append(sql) if temp == "_tw_gen_current" else None, run(self, w, sql, temp))[1])
        in_ranges = generate_tasks(ws.db, options)
        assert len(staged) == 18 and all("customer_key" in sql for sql in staged)
        plan = next(reversed(tk.PLANS.plans.values()))
        assert len(plan.queries) == 18 and all("customer_key" in sql for sql in plan.queries)
        assert whole.num_rows > 1000
        assert in_ranges.sort_by("task_id").equals(whole.sort_by("task_id"))
        # the kept plan runs its 18 parts again
        assert generate_tasks(ws.db, options).sort_by("task_id").equals(whole.sort_by("task_id"))


def _cadence_scheme(name: str, title: str, every: int, priority: int | None) -> str:
    book = f"visit_every_days: {every}" + (f", priority: {priority}" if priority is not None else "")
    return f"""name: {name}
title: {{zh: {title}, en: {title}}}
kind: thresholds
population: customers
rules:
  - {{class: k, otherwise: true}}
classes:
  - id: k
    label: {{zh: {title}类, en: {title} class}}
    playbook: {{{book}}}
"""


@pytest.mark.parametrize(("books", "winner"), [
    # the shortest interval wins, whatever the priority
    ({"s_a": (30, 1), "s_b": (14, 5)}, ("s_b", 14, 5)),
    # equal intervals: the more urgent priority (none counts as 5)
    ({"s_a": (14, None), "s_b": (14, 3)}, ("s_b", 14, 3)),
    # equal interval and priority: the scheme first by name
    ({"s_b": (14, 4), "s_a": (14, 4)}, ("s_a", 14, 4)),
])
def test_the_strictest_visit_cadence_wins(tmp_path: Path, books: dict[str, tuple[int, int | None]],
                                          winner: tuple[str, int, int]) -> None:
    """A customer in classes of several schemes gets one visit task, from the class with the
    shortest interval, then the best priority, then the scheme's name."""
    with Workspace.open(Settings(db=tmp_path / "w.duckdb", followup_max_days_back=BACK), create=True) as ws:
        company(ws, tmp_path, customers=[{"customer_id": "C", "rep_id": "R1"}],
                orders=[{"customer_id": "C", "order_date": "2026-01-10", "amount": 100}],
                activities=[{"customer_id": "C", "activity_date": "2026-01-05", "kind": "visit",
                             "rep_id": "R1"}])
        (tmp_path / "schemes").mkdir()
        for name, (every, priority) in books.items():
            (tmp_path / "schemes" / f"{name}.yaml").write_text(
                _cadence_scheme(name, name.upper(), every, priority), encoding="utf-8")
        ws.snapshots.classify(sorted(books), as_of=date(2026, 1, 31))
        rows = [r for r in generate_tasks(ws.db, TaskOptions(on=date(2026, 3, 31), days=0)).to_pylist()
                if r["kind"] == "visit"]
        scheme, every, priority = winner
        due = date(2026, 1, 5).toordinal() + every
        assert [(r["scheme"], r["class"], r["due_date"].toordinal(), r["priority"] + 2) for r in rows] == [
            (scheme, "k", due, priority)]  # two steps more urgent: overdue by more than 30 days
        assert rows[0]["reason_en"].startswith(f"visit due {date.fromordinal(due)}: every {every} days "
                                               f"for {scheme.upper()} class ({scheme.upper()})")
