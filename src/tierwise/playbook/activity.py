"""Recording a follow-up by hand (the CLI, later the web app), closing the tasks it does."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError, DataError
from tierwise.store.schema import ACTIVITY_KINDS

if TYPE_CHECKING:
    from tierwise.store.database import Database


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
                 note: str | None = None) -> dict[str, Any]:
    """Insert one activity and re-plan the customer's tasks for ``day``: the open tasks it does
    are closed as done by it. Returns the activity and the tasks it closed."""
    from tierwise.playbook.task_store import sync_tasks
    from tierwise.playbook.tasks import TaskOptions, generate_tasks

    canonical = canonical_kind(kind)
    row = ws.con.execute("SELECT rep_id FROM customers WHERE customer_id = ?", [customer]).fetchone()
    if row is None:
        raise DataError(f"no customer {customer!r}: import it first, or check the id / 没有客户 {customer!r}")
    if day > date.today():
        raise ConfigError(f"--date {day}: a follow-up cannot be in the future / 跟进日期不能晚于今天")
    activity_id = f"TW-{day:%Y%m%d}-{uuid.uuid4().hex[:8]}"
    rep_id = rep or row[0]
    stamp = datetime.now().replace(microsecond=0)
    when = stamp if day == stamp.date() else datetime.combine(day, datetime.min.time())
    with ws.transaction() as con:
        con.execute("INSERT INTO activities (activity_id, customer_id, activity_date, kind, rep_id, note) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [activity_id, customer, when, canonical, rep_id, note])
    closed: list[dict[str, Any]] = []
    has_classes = ws.con.execute("SELECT count(*) > 0 FROM snapshots").fetchone() == (True,)
    if has_classes:
        options = TaskOptions(on=day)
        sync_tasks(ws, generate_tasks(ws, options, customers=[customer]), options, customers=[customer])
        rows = ws.con.execute("SELECT task_id, kind, reason_en, reason_zh FROM tasks "
                              "WHERE closed_by_activity = ? ORDER BY task_id", [activity_id]).fetchall()
        closed = [dict(zip(("task_id", "kind", "reason_en", "reason_zh"), r, strict=True)) for r in rows]
    return {"activity_id": activity_id, "customer_id": customer, "kind": canonical, "date": day.isoformat(),
            "rep_id": rep_id, "closed": closed}
