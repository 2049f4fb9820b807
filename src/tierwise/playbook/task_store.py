"""Keeping tasks: the ``tasks`` table holds every task generated, by its stable id, and is the
truth about what is open.

Two ways change it:

- **Regenerating** (:func:`sync_tasks`, :func:`refresh_customers`): the tasks generated for a
  day ``on`` (due up to ``on + days``) are stored (new ids opened, open ones rewritten), and
  the stored open tasks of the same customers and kinds, due within that window, that are no
  longer generated are closed: ``done`` by the first activity that did them on or after their
  ``since`` date, else ``lapsed`` (they no longer apply). A task due after the window is not
  the window's business and stays as it is: a 7-day view after a 30-day one closes nothing.
- **Events** change the few tasks they touch: a follow-up closes its customer's matching
  tasks (:mod:`tierwise.playbook.activity`), a credit-limit change re-checks that customer's
  hold and collection tasks (:func:`recheck_credit`).

A task closed as done by an activity stays done when a later regeneration (for an earlier
day, say) generates it again; a lapsed one opens again when it applies again (a credit hold
after a limit cut).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.playbook.tasks import KINDS, TaskOptions

if TYPE_CHECKING:
    from tierwise.store.database import Database

CREDIT_KINDS = ("credit_hold", "collect")


@dataclass
class Sync:
    opened: int
    updated: int
    done: int
    lapsed: int


def sync_tasks(ws: Database, tasks: pa.Table, options: TaskOptions, *,
               customers: Sequence[str] | None = None, kinds: Collection[str] | None = None) -> Sync:
    """Store ``tasks`` (generated for ``options``) in the ``tasks`` table and close what they
    replace.

    New ids are opened, open (or lapsed) ones rewritten (due date, priority, owner, reason).
    The stored open tasks of ``customers`` (default: all) and ``kinds`` (default: all) due by
    ``options.on + options.days`` that are not in ``tasks`` are closed: ``done`` by the first
    activity that does them on or after their ``since`` date (up to ``on``), else ``lapsed``.
    """
    con = ws.con
    con.register("_tw_new_tasks", tasks)
    kind_map = pa.table({"kind": [k for k, v in KINDS.items() for _ in v[2]],
                         "activity_kind": [a for v in KINDS.values() for a in v[2]]})
    con.register("_tw_task_kinds", kind_map)
    scope = ["t.status = 'open'", "t.due_date <= $until"]
    if customers is not None:
        con.register("_tw_scope", pa.table({"customer_id": pa.array(list(customers), pa.string())}))
        scope.append("t.customer_id IN (SELECT customer_id FROM _tw_scope)")
    if kinds is not None:
        scope.append("list_contains($kinds, t.kind)")
    params: dict[str, Any] = {"until": options.on + timedelta(days=options.days)}
    if kinds is not None:
        params["kinds"] = sorted(kinds)
    try:
        with ws.transaction():
            counts = con.execute(
                """SELECT count(*) FILTER (WHERE t.task_id IS NULL),
                          count(*) FILTER (WHERE t.task_id IS NOT NULL AND t.status = 'open')
                   FROM _tw_new_tasks n LEFT JOIN tasks t USING (task_id)""").fetchone()
            assert counts is not None
            # first the open tasks this sync closes (small when the scope is), then the
            # activities that did them; a manager visit is done only by a visit of its owner
            # (the manager), a condition kept out of the join (an OR there defeats the hash join)
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE _tw_due AS
                    SELECT t.task_id, t.kind, t.customer_id, t.rep_id, t.since_date FROM tasks t
                    WHERE {" AND ".join(scope)}
                      AND t.task_id NOT IN (SELECT task_id FROM _tw_new_tasks)""", params)
            con.execute(
                """CREATE OR REPLACE TEMP TABLE _tw_closing AS
                   SELECT t.task_id,
                          arg_min(a.activity_id, a.activity_date) FILTER (WHERE t.kind <> 'manager_visit'
                                                                           OR a.rep_id = t.rep_id)
                              AS activity_id
                   FROM _tw_due t LEFT JOIN _tw_task_kinds k ON k.kind = t.kind
                   LEFT JOIN activities a ON a.customer_id = t.customer_id AND a.kind = k.activity_kind
                        AND CAST(a.activity_date AS DATE) >= t.since_date
                        AND CAST(a.activity_date AS DATE) <= $on
                   GROUP BY t.task_id""", {"on": options.on})
            closed = con.execute("SELECT count(activity_id), count(*) - count(activity_id) FROM _tw_closing"
                                 ).fetchone()
            assert closed is not None
            con.execute("""UPDATE tasks SET
                                  status = CASE WHEN c.activity_id IS NULL THEN 'lapsed' ELSE 'done' END,
                                  closed_on = $on, closed_by_activity = c.activity_id
                           FROM _tw_closing c WHERE tasks.task_id = c.task_id""", {"on": options.on})
            con.execute("""INSERT INTO tasks BY NAME SELECT n.*, 'open' AS status, $on AS raised_on,
                                  $now AS created_at
                           FROM _tw_new_tasks n ANTI JOIN tasks t USING (task_id)""",
                        {"on": options.on, "now": datetime.now().replace(microsecond=0)})
            con.execute("""UPDATE tasks SET due_date = n.due_date, priority = n.priority,
                                  overdue_days = n.overdue_days, rep_id = n.rep_id, reason_en = n.reason_en,
                                  reason_zh = n.reason_zh, status = 'open', closed_on = NULL,
                                  closed_by_activity = NULL
                           FROM _tw_new_tasks n
                           WHERE tasks.task_id = n.task_id AND tasks.closed_by_activity IS NULL""")
            con.execute("DROP TABLE _tw_closing")
            con.execute("DROP TABLE _tw_due")
    finally:
        con.unregister("_tw_new_tasks")
        con.unregister("_tw_task_kinds")
        if customers is not None:
            con.unregister("_tw_scope")
    return Sync(int(counts[0]), int(counts[1]), int(closed[0]), int(closed[1]))


def refresh_customers(ws: Database, customer_ids: Sequence[str], on: date | None = None, *, days: int = 7,
                      kinds: Collection[str] | None = None) -> Sync:
    """Regenerate and store the tasks of ``customer_ids`` only, for ``on`` (default today)
    and ``days`` ahead, after something changed them (an override, a payment import, a
    classification, a limit change).

    Only those customers' rows are read and written, so a few customers cost milliseconds,
    not a workspace-wide run; their open tasks due after ``on + days`` stay as they are.
    ``kinds`` narrows it further (a limit change: ``credit_hold`` and ``collect``). Before
    the first classification only those two kinds exist; the others give nothing.
    """
    from tierwise.playbook.tasks import generate_tasks

    ids = list(dict.fromkeys(customer_ids))
    wanted = set(KINDS) if kinds is None else set(kinds)
    if not ids:
        return Sync(0, 0, 0, 0)
    if not _classified(ws):
        wanted &= set(CREDIT_KINDS)
        if not wanted:
            return Sync(0, 0, 0, 0)
    options = TaskOptions(on=on or date.today(), days=days)
    table = generate_tasks(ws, options, customers=ids, kinds=None if wanted == set(KINDS) else wanted)
    return sync_tasks(ws, table, options, customers=ids, kinds=None if wanted == set(KINDS) else wanted)


def recheck_credit(ws: Database, customer_id: str, *, on: date | None = None, why_en: str = "",
                   why_zh: str = "") -> Sync:
    """Re-check ``customer_id``'s credit hold and collection tasks at once (after its credit
    limit changed): a hold that still applies is rewritten with the new figures, one that no
    longer does is closed as ``lapsed`` and its reason says why (``why_en`` / ``why_zh``,
    e.g. "credit limit changed from ¥5,000 to ¥20,000 by boss")."""
    day = on or date.today()
    was_open = {r[0] for r in ws.con.execute(
        "SELECT task_id FROM tasks WHERE customer_id = ? AND kind = 'credit_hold' AND status = 'open'",
        [customer_id]).fetchall()}
    synced = refresh_customers(ws, [customer_id], day, kinds=CREDIT_KINDS)
    if was_open:
        en = f"no longer on hold on {day}" + (f": {why_en}" if why_en else "")
        zh = f"{day} 起解除信用冻结" + (f"：{why_zh}" if why_zh else "")
        ws.con.execute("""UPDATE tasks SET reason_en = $en, reason_zh = $zh
                          WHERE list_contains($ids, task_id) AND status = 'lapsed' AND closed_on = $day""",
                       {"en": en, "zh": zh, "ids": sorted(was_open), "day": day})
    return synced


def _classified(ws: Database) -> bool:
    return ws.con.execute("SELECT count(*) > 0 FROM snapshots").fetchone() == (True,)
