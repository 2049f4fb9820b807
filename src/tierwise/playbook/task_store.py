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
  hold and collection tasks in the transaction of the change (:func:`recheck_credit`), an
  override regenerates its customer's tasks, a payment import the credit tasks of the
  customers it paid for (:func:`refresh_customers`, :func:`refresh_in_batches`).

A task closed as done by an activity stays done when a later regeneration (for an earlier
day, say) generates it again; a lapsed one opens again when it applies again (a credit hold
after a limit cut).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from tierwise import _faults, progress
from tierwise.errors import ConflictError
from tierwise.playbook.task_kinds import CREDIT_ONLY
from tierwise.playbook.tasks import KINDS, NEW, Generated, TaskOptions
from tierwise.store import audit
from tierwise.store.buckets import BUCKETED_RANGES, KeyBuckets, files_sql
from tierwise.store.keys import (
    KEY,
    LOOKUP_IDS,
    customer_key,
    in_range_sql,
    key_ranges,
    key_sql,
    keyed_select,
    one_customer_args,
    one_customer_sql,
)

if TYPE_CHECKING:
    from tierwise.store.database import Database

CREDIT_KINDS = CREDIT_ONLY  # what a limit change re-checks; all there is before a classification
EVENT_DAYS = 30  # how far ahead an event refreshes its customers' tasks: as far as the server's daily run
BATCH = 1000  # customers refreshed in one transaction after an import


@dataclass
class Sync:
    opened: int
    updated: int
    done: int
    lapsed: int


def sync_tasks(ws: Database, tasks: pa.Table | Generated, options: TaskOptions, *,
               customers: Sequence[str] | None = None, kinds: Collection[str] | None = None,
               activities: str = "activities") -> Sync:
    """Store ``tasks`` (generated for ``options``: in the engine, or an Arrow table) in the
    ``tasks`` table and close what they replace.

    New ids are opened, open (or lapsed) ones rewritten (due date, priority, owner, reason).
    The stored open tasks of ``customers`` (default: all) and ``kinds`` (default: all) due by
    ``options.on + options.days`` that are not in ``tasks`` are closed: ``done`` by the first
    activity that does them on or after their ``since`` date (up to ``on``), else ``lapsed``.
    ``activities`` names the table those activities are found in (a refresh of a few
    customers: the copy of their rows). Inside a transaction of the caller, it is part of it.
    """
    con = ws.con
    if isinstance(tasks, pa.Table):
        con.register(NEW, tasks)
        new, rows = NEW, tasks.num_rows
    else:
        new, rows = tasks.name, tasks.rows
    # generated in the engine (tasks_into), each task has its customer's key; an Arrow table's
    # are made here
    keyed = not isinstance(tasks, pa.Table) or KEY in tasks.column_names
    kind_map = pa.table({"kind": [k for k, v in KINDS.items() for _ in v[2]],
                         "activity_kind": [a for v in KINDS.values() for a in v[2]]})
    con.register("_tw_task_kinds", kind_map)
    scope = ["t.status = 'open'", "t.due_date <= $until"]
    params: dict[str, Any] = {"until": options.on + timedelta(days=options.days)}
    if kinds is not None:
        scope.append("list_contains($kinds, t.kind)")
        params["kinds"] = sorted(kinds)
    known = "tasks"  # the stored tasks of the scope (a task's id names its customer)
    keys: list[int] | None = None  # a few customers': their keys
    progress.report(0.8, f"keeping {rows:,} tasks", f"保存 {rows:,} 条任务")
    try:
        # the task ids are unique by this: one transaction stores tasks at a time (they have no
        # index to refuse a second copy: store/keys.py)
        with ws.transaction(writer=True), contextlib.ExitStack() as stack:
            ws.tasks_changed(customers)  # once committed: the dashboards read these customers again
            if customers is not None:
                mine = list(dict.fromkeys(customers))
                known = _scope_tasks(ws, mine)
                if len(mine) <= LOOKUP_IDS:
                    keys = [customer_key(c) for c in mine]
            counts = con.execute(
                f"""SELECT count(*) FILTER (WHERE t.task_id IS NULL),
                          count(*) FILTER (WHERE t.task_id IS NOT NULL AND t.status = 'open'),
                          count(t.task_id)
                   FROM {new} n LEFT JOIN {known} t USING (task_id)""").fetchone()
            assert counts is not None
            # first the open tasks this sync closes (small when the scope is), then the
            # activities that did them; a manager visit is done only by a visit of its owner
            # (the manager), a condition kept out of the join (an OR there defeats the hash join)
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE _tw_due AS
                    SELECT t.task_id, t.kind, t.customer_id, t.rep_id, t.since_date FROM {known} t
                    WHERE {" AND ".join(scope)}
                      AND t.task_id NOT IN (SELECT task_id FROM {new})""", params)
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE _tw_closing AS
                   SELECT t.task_id,
                          arg_min(a.activity_id, a.activity_date) FILTER (WHERE t.kind <> 'manager_visit'
                                                                           OR a.rep_id = t.rep_id)
                              AS activity_id
                   FROM _tw_due t LEFT JOIN _tw_task_kinds k ON k.kind = t.kind
                   LEFT JOIN {activities} a ON a.customer_id = t.customer_id AND a.kind = k.activity_kind
                        AND CAST(a.activity_date AS DATE) >= t.since_date
                        AND CAST(a.activity_date AS DATE) <= $on
                   GROUP BY t.task_id""", {"on": options.on})
            closed = con.execute("SELECT count(activity_id), count(*) - count(activity_id) FROM _tw_closing"
                                 ).fetchone()
            assert closed is not None
            closing, closing_params = _rows(con, keys, "SELECT task_id FROM _tw_closing")
            con.execute(f"""UPDATE tasks SET
                                   status = CASE WHEN c.activity_id IS NULL THEN 'lapsed' ELSE 'done' END,
                                   closed_on = $on, closed_by_activity = c.activity_id
                            FROM _tw_closing c WHERE tasks.task_id = c.task_id {closing}""",
                        {"on": options.on, **closing_params})
            # the known tasks generated again are rewritten, unless an activity did them, and only
            # what changed: from one day to the next most open tasks change their overdue days and
            # priority only, two numbers updated in place; a task whose text changed is deleted and
            # inserted again (an UPDATE of a million rows of text holds them in memory to the commit)
            again, again_params = _rows(con, keys, f"""SELECT task_id FROM {known}
                WHERE closed_by_activity IS NULL AND task_id IN (SELECT task_id FROM {new})""")
            # a key range at a time for everyone (store/keys.py): joined whole, the two sides' text
            # did not fit in 200 MB at a million customers
            con.execute("CREATE OR REPLACE TEMP TABLE _tw_rewrite AS SELECT *, true AS _tw_numbers "
                        "FROM tasks LIMIT 0")
            # (none of them stored yet, as in a workspace's first sync: nothing to rewrite)
            ranges = [] if keys is None and not counts[2] else \
                _generated_by_range(con, new, rows, stack, whole=keys is not None, keyed=keyed)
            for low, high, generated in ranges:
                ours = in_range_sql(f"tasks.{KEY}", low, high)
                con.execute(f"""INSERT INTO _tw_rewrite
                    SELECT tasks.* REPLACE (n.due_date AS due_date, n.priority AS priority,
                                            n.overdue_days AS overdue_days, n.rep_id AS rep_id,
                                            n.reason_en AS reason_en, n.reason_zh AS reason_zh,
                                            'open' AS status, NULL::DATE AS closed_on,
                                            NULL::VARCHAR AS closed_by_activity),
                           (tasks.due_date, tasks.rep_id, tasks.reason_en, tasks.reason_zh, tasks.status,
                            tasks.closed_on) IS NOT DISTINCT FROM
                           (n.due_date, n.rep_id, n.reason_en, n.reason_zh, 'open', NULL::DATE) AS _tw_numbers
                    FROM tasks JOIN {generated} n USING (task_id)
                    WHERE tasks.closed_by_activity IS NULL {again} AND {ours}
                      AND (tasks.due_date, tasks.priority, tasks.overdue_days, tasks.rep_id, tasks.reason_en,
                           tasks.reason_zh, tasks.status, tasks.closed_on) IS DISTINCT FROM
                          (n.due_date, n.priority, n.overdue_days, n.rep_id, n.reason_en, n.reason_zh, 'open',
                           NULL::DATE)""", again_params)
            # the new rows found first (then written in customer key order: store/keys.py); one
            # sync at a time holds the workspace's writer, so two cannot open the same id
            key = "" if keyed else f", {key_sql('n.customer_id')} AS {KEY}"
            con.execute(f"""CREATE OR REPLACE TEMP TABLE _tw_fresh AS SELECT n.*, 'open' AS status,
                                   $on AS raised_on, $now AS created_at{key}
                            FROM {new} n ANTI JOIN {known} t USING (task_id)""",
                        {"on": options.on, "now": datetime.now().replace(microsecond=0)})
            if not audit.current(con):
                _check_unseen(ws, scoped=customers is not None)
            _insert_keyed(con, "SELECT * FROM _tw_fresh", int(counts[0]))
            numbers, numbers_params = _rows(con, keys, "SELECT task_id FROM _tw_rewrite WHERE _tw_numbers")
            con.execute(f"""UPDATE tasks SET priority = r.priority, overdue_days = r.overdue_days
                            FROM _tw_rewrite r WHERE r._tw_numbers AND tasks.task_id = r.task_id {numbers}""",
                        numbers_params)
            text, text_params = _rows(con, keys, "SELECT task_id FROM _tw_rewrite WHERE NOT _tw_numbers",
                                      everyone="AND tasks.task_id IN (SELECT task_id FROM _tw_rewrite "
                                               "WHERE NOT _tw_numbers)")
            con.execute(f"DELETE FROM tasks WHERE true {text}", text_params)
            _insert_keyed(con, "SELECT * EXCLUDE (_tw_numbers) FROM _tw_rewrite WHERE NOT _tw_numbers",
                          int(counts[1]))
            temps = ("_tw_closing", "_tw_due", "_tw_rewrite", "_tw_fresh")
            for temp in (*temps, *(() if known == "tasks" else (known,))):
                con.execute(f"DROP TABLE {temp}")
    finally:
        if isinstance(tasks, pa.Table):
            con.unregister(NEW)
        con.unregister("_tw_task_kinds")
        if customers is not None and len(customers) > LOOKUP_IDS:
            with contextlib.suppress(duckdb.Error):
                con.unregister("_tw_scope")
    return Sync(int(counts[0]), int(counts[1]), int(closed[0]), int(closed[1]))


def _rows(con: duckdb.DuckDBPyConnection, keys: list[int] | None, ids_sql: str, *, everyone: str = "",
          ) -> tuple[str, dict[str, Any]]:
    """The condition picking the stored rows an UPDATE changes, and its parameters: for a few
    customers (``keys``: theirs) the list of task ids ``ids_sql`` reads, among the rows of
    those customer keys (the zone maps skip every other row group: a few ms at millions of
    tasks, where the join alone reads them all); for everyone, ``everyone``."""
    if keys is None:
        return everyone, {}
    ids = [r[0] for r in con.execute(ids_sql).fetchall()]
    if len(ids) > LOOKUP_IDS:  # many: the join is quicker than so many look-ups
        return everyone, {}
    return (f"AND tasks.{KEY} IN (SELECT unnest($keys::UBIGINT[])) "
            "AND tasks.task_id IN (SELECT unnest($ids))", {"keys": keys, "ids": ids})


def _insert_keyed(con: duckdb.DuckDBPyConnection, rows_sql: str, rows: int) -> None:
    """Insert the rows ``rows_sql`` selects (about ``rows`` of them) into ``tasks`` in customer
    key order, a key range at a time (store/keys.py: one sort of a million customers' 3.8M
    tasks did not fit in 200 MB; two of half as many did, and are quicker). From
    :data:`~tierwise.store.buckets.BUCKETED_RANGES` ranges on, the rows are staged once in key
    buckets and each range is sorted from its own files (each range reading all the rows, ten
    million customers' 38M tasks were read 20 times)."""
    if len(key_ranges(rows)) < BUCKETED_RANGES:
        for low, high in key_ranges(rows):
            con.execute(f"INSERT INTO tasks BY NAME SELECT * FROM ({rows_sql}) "
                        f"WHERE {in_range_sql(KEY, low, high)} ORDER BY {KEY}")
        return
    with KeyBuckets(con, rows, prefix="tierwise-tasks-") as staged:
        staged.write(rows_sql)
        for _, _, files in staged.ranges():
            if files:
                con.execute(f"INSERT INTO tasks BY NAME SELECT * FROM {files_sql(files, '')} ORDER BY {KEY}")


def _generated_by_range(con: duckdb.DuckDBPyConnection, new: str, rows: int, stack: contextlib.ExitStack,
                        *, whole: bool, keyed: bool) -> Iterator[tuple[int, int | None, str]]:
    """Key ranges (low, high) covering every key, each with a relation of the generated tasks
    ``new`` (about ``rows``) of its customers: ``whole``, one range of all of them; a few ranges'
    worth, each range reading ``new``; more, staged once in key buckets (closed with ``stack``),
    each range reading its own files. ``keyed``: ``new`` has each customer's key (else each
    reading computes it)."""
    ranges = key_ranges(rows)
    if whole:
        yield 0, None, new
        return
    key = KEY if keyed else key_sql("customer_id")
    if len(ranges) < BUCKETED_RANGES:
        for low, high in ranges:
            yield low, high, f"(SELECT * FROM {new} WHERE {in_range_sql(key, low, high)})"
        return
    staged = stack.enter_context(KeyBuckets(con, rows, prefix="tierwise-tasks-"))
    added, none = ("", "") if keyed else (f", {key} AS {KEY}", f", NULL::UBIGINT AS {KEY}")
    staged.write(f"SELECT *{added} FROM {new}")
    empty = f"SELECT *{none} FROM {new} LIMIT 0"
    for low, high, files in staged.ranges():
        yield low, high, files_sql(files, empty)


def _check_unseen(ws: Database, *, scoped: bool) -> None:
    """Refuse to open the new tasks (``_tw_fresh``) when another transaction stored one of them
    after this transaction's snapshot was taken (it held the writer only once it had read: an
    override's refresh inside its own transaction). Read through a fresh cursor, which sees what
    is committed; with the writer held, nothing else is committed meanwhile."""
    if not scoped:
        raise RuntimeError("storing every customer's tasks needs a transaction of its own "
                           "(Database.transaction(writer=True) before anything is read)")
    con = ws.con
    fresh = con.execute(f"SELECT task_id, {KEY} FROM _tw_fresh").to_arrow_table()
    if not fresh.num_rows:
        return
    cur = con.cursor()
    try:
        cur.register("_tw_opening", fresh)
        (seen,) = cur.execute(f"""SELECT count(*) FROM tasks t
                                  WHERE t.{KEY} IN (SELECT {KEY} FROM _tw_opening)
                                    AND t.task_id IN (SELECT task_id FROM _tw_opening)""").fetchone() or (0,)
    finally:
        cur.close()
    if seen:
        raise ConflictError("another change to the same customer's tasks happened at the same time: "
                            "try again / 同时有其他操作修改了该客户的任务，请重试")


def _scope_tasks(ws: Database, ids: list[str]) -> str:
    """A temporary copy of the stored tasks of the customers ``ids`` (found by their keys); its
    name."""
    if len(ids) > LOOKUP_IDS:
        ws.con.register("_tw_scope", pa.table({"customer_id": pa.array(ids, pa.string())}))
    query, params = keyed_select("tasks", "task_id, kind, customer_id, rep_id, since_date, due_date, status, "
                                 "closed_by_activity", ids, many="_tw_scope")
    ws.con.execute(f"CREATE OR REPLACE TEMP TABLE _tw_known AS {query}", params)
    return "_tw_known"


def refresh_customers(ws: Database, customer_ids: Sequence[str], on: date | None = None, *,
                      days: int = EVENT_DAYS, kinds: Collection[str] | None = None) -> Sync:
    """Regenerate and store the tasks of ``customer_ids`` only, for ``on`` (default today)
    and ``days`` ahead, after something changed them (an override, a payment import, a
    classification, a limit change), in one transaction (the caller's, when one is open).

    Only those customers' rows are read and written, so a few customers cost milliseconds,
    not a workspace-wide run; their open tasks due after ``on + days`` stay as they are.
    ``kinds`` narrows it further (a limit change: the credit kinds). Before
    the first classification only those two kinds exist; the others give nothing.
    """
    from tierwise.playbook.inputs import scoped_inputs
    from tierwise.playbook.tasks import tasks_into

    ids = list(dict.fromkeys(customer_ids))
    wanted = set(KINDS) if kinds is None else set(kinds)
    if not ids:
        return Sync(0, 0, 0, 0)
    if not classified(ws):
        wanted &= set(CREDIT_KINDS)
        if not wanted:
            return Sync(0, 0, 0, 0)
    narrowed = None if wanted == set(KINDS) else wanted
    options = TaskOptions(on=on or date.today(), days=days)
    with ws.transaction(writer=True), scoped_inputs(ws, ids) as src:
        tasks = tasks_into(src, options, kinds=narrowed)
        try:
            return sync_tasks(ws, tasks, options, customers=ids, kinds=narrowed,
                              activities=src.name("activities"))
        finally:
            tasks.drop()


def refresh_in_batches(ws: Database, customer_ids: Sequence[str], *, kinds: Collection[str] | None = None,
                       batch: int = BATCH) -> Sync:
    """:func:`refresh_customers` of many customers, ``batch`` at a time (each its own
    transaction: memory and the time others wait stay bounded)."""
    ids = list(dict.fromkeys(customer_ids))
    total = Sync(0, 0, 0, 0)
    for start in range(0, len(ids), batch):
        done = refresh_customers(ws, ids[start:start + batch], kinds=kinds)
        total = Sync(total.opened + done.opened, total.updated + done.updated, total.done + done.done,
                     total.lapsed + done.lapsed)
    return total


def recheck_credit(ws: Database, customer_id: str, *, on: date | None = None, why_en: str = "",
                   why_zh: str = "") -> Sync:
    """Re-check ``customer_id``'s credit hold and collection tasks at once (after its credit
    limit changed): a hold that still applies is rewritten with the new figures, one that no
    longer does is closed as ``lapsed`` and its reason says why (``why_en`` / ``why_zh``,
    e.g. "credit limit changed from ¥5,000 to ¥20,000 by boss"). One transaction: inside
    the caller's (the limit change), it lands with it or not at all."""
    day = on or date.today()
    with ws.transaction(writer=True) as con:
        was_open = {r[0] for r in con.execute(
            f"WITH t AS MATERIALIZED (SELECT task_id, kind, status FROM tasks WHERE {one_customer_sql()}) "
            "SELECT task_id FROM t WHERE kind = 'credit_hold' AND status = 'open'",
            one_customer_args(customer_id)).fetchall()}
        synced = refresh_customers(ws, [customer_id], day, kinds=CREDIT_KINDS)
        if was_open:
            en = f"no longer on hold on {day}" + (f": {why_en}" if why_en else "")
            zh = f"{day} 起解除信用冻结" + (f"：{why_zh}" if why_zh else "")
            con.execute("""UPDATE tasks SET reason_en = $en, reason_zh = $zh
                           WHERE customer_key = $key::UBIGINT AND customer_id = $customer
                             AND list_contains($ids, task_id)
                             AND status = 'lapsed' AND closed_on = $day""",
                        {"en": en, "zh": zh, "key": customer_key(customer_id), "customer": customer_id,
                         "ids": sorted(was_open), "day": day})
        _faults.checkpoint("credit.recheck")
    return synced


def refresh_everyone(ws: Database, *, kinds: Collection[str] | None = None, days: int = EVENT_DAYS) -> Sync:
    """Regenerate and store the tasks of every customer (of ``kinds``) for today, in one run:
    after an import that touched too many customers for batches."""
    from tierwise.playbook.tasks import generated

    options = TaskOptions(on=date.today(), days=days)
    with ws.transaction(writer=True), generated(ws, options, kinds=kinds) as tasks:
        return sync_tasks(ws, tasks, options, kinds=kinds)


def tasks_kept(ws: Database) -> bool:
    """Whether tasks have been generated and stored (else an event has nothing to keep current)."""
    return ws.con.execute("SELECT EXISTS (SELECT 1 FROM tasks)").fetchone() == (True,)


def classified(ws: Database) -> bool:
    return ws.con.execute("SELECT count(*) > 0 FROM snapshots").fetchone() == (True,)
