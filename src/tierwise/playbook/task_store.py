"""Keeping tasks: the ``tasks`` table holds every task generated, by its stable id, and
closes the ones no longer generated as ``done`` (with the first activity that did them on or
after their ``since`` date) or ``lapsed`` (they no longer apply)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.playbook.tasks import KINDS, TaskOptions

if TYPE_CHECKING:
    from tierwise.store.database import Database


@dataclass
class Sync:
    opened: int
    updated: int
    done: int
    lapsed: int


def sync_tasks(ws: Database, tasks: pa.Table, options: TaskOptions, *,
               customers: list[str] | None = None) -> Sync:
    """Store ``tasks`` in the ``tasks`` table (new ids opened, open ones refreshed) and close
    the open tasks of the same scope no longer generated: ``done`` by the first activity that
    does them on or after their ``since`` date, else ``lapsed`` (no longer applies)."""
    con = ws.con
    con.register("_tw_new_tasks", tasks)
    kinds = pa.table({"kind": [k for k, v in KINDS.items() for _ in v[2]],
                      "activity_kind": [a for v in KINDS.values() for a in v[2]]})
    con.register("_tw_task_kinds", kinds)
    scope = "TRUE" if customers is None else "list_contains($customers, t.customer_id)"
    params: dict[str, Any] = {"on": options.on}
    if customers is not None:
        params["customers"] = customers
    try:
        with ws.transaction():
            counts = con.execute(
                """SELECT count(*) FILTER (WHERE t.task_id IS NULL),
                          count(*) FILTER (WHERE t.task_id IS NOT NULL AND t.status = 'open')
                   FROM _tw_new_tasks n LEFT JOIN tasks t USING (task_id)""").fetchone()
            assert counts is not None
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE _tw_closing AS
                    SELECT t.task_id, arg_min(a.activity_id, a.activity_date) AS activity_id,
                           min(a.activity_date) AS done_at
                    FROM tasks t LEFT JOIN _tw_task_kinds k ON k.kind = t.kind
                    LEFT JOIN activities a ON a.customer_id = t.customer_id AND a.kind = k.activity_kind
                         AND CAST(a.activity_date AS DATE) >= t.since_date
                         AND CAST(a.activity_date AS DATE) <= $on
                    WHERE t.status = 'open' AND {scope}
                      AND t.task_id NOT IN (SELECT task_id FROM _tw_new_tasks)
                    GROUP BY t.task_id""", params)
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
                           FROM _tw_new_tasks n WHERE tasks.task_id = n.task_id""")
            con.execute("DROP TABLE _tw_closing")
    finally:
        con.unregister("_tw_new_tasks")
        con.unregister("_tw_task_kinds")
    return Sync(int(counts[0]), int(counts[1]), int(closed[0]), int(closed[1]))
