"""Recording a follow-up by hand (the CLI, the web app, the API), closing the tasks it does.

A follow-up is an event: it closes, as ``done``, the open tasks of its customer that it does
(a visit does a visit, a call, a care touch ...; :data:`tierwise.playbook.tasks.KINDS`) and
that were due on or before its date and wanted from on or before it (their ``since`` date).
It never lapses anything and never regenerates tasks: one UPDATE of that customer's rows, so
logging one costs the same in a workspace of a million customers as in one of ten. The next
cadence (the visit after this one) appears when tasks are next refreshed.

What is refused, before anything is written: a date in the future, a date more than the
``followup_max_days_back`` setting back, and a date before the customer's first order (a
customer without orders: before its ``created_date``, when the data gives one).

With an idempotency key (a page's hidden field, the API's ``Idempotency-Key`` header), the
same key sent again by the same actor within :data:`IDEMPOTENCY_HOURS` gets the first
result back and logs nothing (a double click logs once).
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import duckdb

from tierwise.errors import ConfigError, DataError
from tierwise.store import audit
from tierwise.store.keys import customer_key, one_customer_args, one_customer_sql
from tierwise.store.schema import ACTIVITY_KINDS

if TYPE_CHECKING:
    from tierwise.store.database import Database

IDEMPOTENCY_HOURS = 24
OPERATION = "activities.add"


def canonical_kind(text: str) -> str:
    """``拜访`` → ``visit`` and so on, as the importer reads activity kinds."""
    wanted = text.strip().lower()
    for kind, spellings in ACTIVITY_KINDS.items():
        if wanted in spellings:
            return kind
    raise ConfigError(f"activity kind {text!r}: one of {', '.join(ACTIVITY_KINDS)} (Chinese words such as "
                      f"拜访, 电话, 微信, 关怀, 投诉 work too) / "
                      f"跟进方式应为拜访、电话、消息、关怀、投诉或其他")


def add_activity(ws: Database, customer: str, kind: str, *, day: date, rep: str | None = None,
                 note: str | None = None, actor: str | None = None,
                 idempotency_key: str | None = None) -> dict[str, Any]:
    """Insert one activity of ``customer`` on ``day`` and close the open tasks it does.

    Parameters
    ----------
    rep
        Who followed up (default: the customer's rep); a manager visit is done only by a
        visit of the task's owner.
    actor, idempotency_key
        With a key, the first result of ``(actor, key)`` within :data:`IDEMPOTENCY_HOURS` is
        returned instead of logging again.

    Returns the activity and the tasks it closed (``closed``: id, kind and reasons).
    """
    from tierwise.playbook.tasks import KINDS

    canonical = canonical_kind(kind)
    who = actor or ""
    if idempotency_key is not None:
        if not idempotency_key.strip() or len(idempotency_key) > 200:
            raise ConfigError("idempotency key: 1 to 200 characters / 幂等键应为 1 到 200 个字符")
        first = _replay(ws, who, idempotency_key)
        if first is not None:
            return first
    row = ws.con.execute(f"SELECT rep_id, created_date FROM customers WHERE {one_customer_sql()}",
                         one_customer_args(customer)).fetchone()
    if row is None:
        raise DataError(f"no customer {customer!r}: import it first, or check the id / 没有客户 {customer!r}")
    _check_day(ws, customer, day, created=row[1])
    activity_id = f"TW-{day:%Y%m%d}-{uuid.uuid4().hex[:8]}"
    rep_id = rep or row[0]
    stamp = datetime.now().replace(microsecond=0)
    when = stamp if day == stamp.date() else datetime.combine(day, datetime.min.time())
    does = sorted(k for k, (_, _, by) in KINDS.items() if canonical in by)
    try:
        # tasks are stored one sync at a time: wait for a running one rather than fail on its
        # rows at the commit
        with ws.transaction(writer=True) as con:
            con.execute("INSERT INTO activities (activity_id, customer_id, activity_date, kind, rep_id, "
                        "note, customer_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [activity_id, customer, when, canonical, rep_id, note, customer_key(customer)])
            # the customer's rows by their key (store/keys.py; materialized first: with the
            # other conditions pushed into the scan, the engine would read every task), then
            # one UPDATE of those ids among the same key's rows
            mine = {"key": customer_key(customer), "customer": customer}
            ids = [r[0] for r in con.execute(
                f"""WITH mine AS MATERIALIZED (
                       SELECT task_id, kind, rep_id, status, due_date, since_date FROM tasks
                       WHERE {one_customer_sql("$key", "$customer")})
                   SELECT task_id FROM mine
                   WHERE status = 'open' AND due_date <= $day AND since_date <= $day
                     AND list_contains($does, kind) AND (kind <> 'manager_visit' OR rep_id = $rep)""",
                {**mine, "day": day, "does": does, "rep": rep_id}).fetchall()]
            rows = con.execute(
                f"""UPDATE tasks SET status = 'done', closed_on = $day, closed_by_activity = $activity
                   WHERE {one_customer_sql("$key", "$customer")} AND task_id = ANY($ids)
                   RETURNING task_id, kind, reason_en, reason_zh""",
                {**mine, "day": day, "activity": activity_id, "ids": ids}).fetchall() if ids else []
            if ids:
                ws.tasks_changed([customer])
            closed = [dict(zip(("task_id", "kind", "reason_en", "reason_zh"), r, strict=True))
                      for r in sorted(rows)]
            result = {"activity_id": activity_id, "customer_id": customer, "kind": canonical,
                      "date": day.isoformat(), "rep_id": rep_id, "closed": closed}
            if idempotency_key is not None:
                con.execute("DELETE FROM idempotency_keys WHERE created_at < $old",
                            {"old": stamp - timedelta(hours=IDEMPOTENCY_HOURS)})
                con.execute("INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, ?)",
                            [who, OPERATION, idempotency_key, stamp, json.dumps(result, ensure_ascii=False)])
            audit.record(con, actor=actor or audit.current_user(ws.settings.user), action="activity.add",
                         customer_id=customer, subject=activity_id, new=f"{canonical} on {day} by {rep_id}")
    except duckdb.Error:
        # the same key committed by a request running at the same time (a double click): its
        # result is the answer; anything else is a real error
        if idempotency_key is not None and (first := _replay(ws, who, idempotency_key, wait=2.0)) is not None:
            return first
        raise
    return result


def _check_day(ws: Database, customer: str, day: date, *, created: date | None) -> None:
    """Refuse a follow-up dated in the future, too far back, or before the customer existed
    (its first order; without orders, its ``created_date``)."""
    today = date.today()
    back = ws.settings.followup_max_days_back
    if day > today:
        raise ConfigError(f"date {day}: a follow-up cannot be in the future (today is {today}) / "
                          f"跟进日期 {day} 不能晚于今天（{today}）")
    if (today - day).days > back:
        raise ConfigError(
            f"date {day}: a follow-up may be dated at most {back} days back (the followup_max_days_back "
            f"setting); import older ones with `tierwise import activities` / "
            f"跟进日期 {day} 最多可往前 {back} 天（设置 followup_max_days_back）；更早的请用导入")
    first = _first_order(ws, customer, day)
    if first is not None and day < first:
        raise ConfigError(f"date {day}: before {customer}'s first order ({first}); a follow-up is dated on "
                          f"or after it / 跟进日期 {day} 早于客户 {customer} 的首单日期（{first}）")
    if first is None and created is not None and day < created and not _has_orders(ws, customer):
        raise ConfigError(f"date {day}: before {customer} was created ({created}) / "
                          f"跟进日期 {day} 早于客户 {customer} 的建档日期（{created}）")


def _first_order(ws: Database, customer: str, day: date) -> date | None:
    """The customer's first order day when it is after ``day``, else ``None``.

    The customer's order lines are found by its key (a row group or two per import, see
    store/keys.py); only when there is one after ``day`` is the whole history asked, first
    through the latest classification's facts (one snapshot's rows), then, for a customer new
    since then, through the orders themselves.
    """
    later = ws.con.execute(
        f"SELECT min(order_date) FROM orders WHERE {one_customer_sql()} AND order_date >= ?",
        [*one_customer_args(customer), day + timedelta(days=1)]).fetchone()
    if later is None or later[0] is None:
        return None  # nothing after the day: no orders at all, or the first is on or before it
    known = ws.con.execute(
        """SELECT min(first_order_date) FROM snapshot_customers
           WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshots) AND customer_id = ?""",
        [customer]).fetchone()
    if known is not None and known[0] is not None and known[0] <= day:
        return None
    first = ws.con.execute(f"SELECT min(order_date) FROM orders WHERE {one_customer_sql()}",
                           one_customer_args(customer)).fetchone()
    assert first is not None and first[0] is not None
    found: date = first[0].date() if isinstance(first[0], datetime) else first[0]
    return found if found > day else None


def _has_orders(ws: Database, customer: str) -> bool:
    return ws.con.execute(f"SELECT count(*) > 0 FROM orders WHERE {one_customer_sql()}",
                          one_customer_args(customer)).fetchone() == (True,)


def _replay(ws: Database, actor: str, key: str, *, wait: float = 0.0) -> dict[str, Any] | None:
    """The stored result of ``(actor, key)`` if it is younger than :data:`IDEMPOTENCY_HOURS`;
    with ``wait``, look again for that many seconds (the first request may still be committing)."""
    deadline = time.monotonic() + wait
    while True:
        row = ws.con.execute(
            """SELECT result FROM idempotency_keys
               WHERE actor = ? AND operation = ? AND key = ? AND created_at >= ?""",
            [actor, OPERATION, key, datetime.now() - timedelta(hours=IDEMPOTENCY_HOURS)]).fetchone()
        if row is not None:
            result: dict[str, Any] = json.loads(row[0])
            return result
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)
