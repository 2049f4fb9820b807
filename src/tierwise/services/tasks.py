"""The stored tasks of the customers the actor may see, regenerating them from the current
classes' playbooks, and the same tasks as a calendar a phone can subscribe to."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.errors import ConfigError
from tierwise.services.base import Service, check_page, checked_text, operation

STATUSES = ("open", "done", "lapsed", "all")
MAX_DAYS = 366


@dataclass(frozen=True)
class Refresh:
    """What :meth:`Tasks.refresh` did.

    ``open`` counts the open tasks generated for ``on`` (due up to ``on + days``) that the view
    asked for (rep, team, department, kind), ``kinds`` them per kind (the most common first);
    ``tasks`` holds the first ``rows`` of them, most urgent first, columns
    :data:`tierwise.playbook.tasks.COLUMNS` (all of them when the caller asked for all).
    ``opened``, ``updated``, ``done`` and ``lapsed`` count how the stored tasks changed (for
    every task refreshed, not only the view's; only tasks due by ``on + days`` are ever closed).
    """

    on: date
    days: int
    tasks: pa.Table
    open: int
    kinds: dict[str, int]
    opened: int
    updated: int
    done: int
    lapsed: int

    def by_kind(self) -> dict[str, int]:
        """Open tasks of the view per kind, the most common first."""
        return dict(self.kinds)

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "days": self.days, "open": self.open,
                "by_kind": self.by_kind(), "opened": self.opened, "updated": self.updated,
                "done": self.done, "lapsed": self.lapsed}


class Tasks(Service):
    """Tasks: a rep's own, a manager's department's, everything for an admin."""

    @operation(cli="tasks", api="GET /api/tasks")
    def list(
        self,
        *,
        status: str = "open",
        due_by: date | None = None,
        rep_id: str | None = None,
        kind: str | None = None,
        customer_id: str | None = None,
        lang: str | None = None,
        page: int = 1,
        page_size: int = 100,
    ) -> dict[str, Any]:
        """Stored tasks of the customers in scope, by due date then priority."""
        self._require("customers.read")
        checked_text(rep_id=rep_id, kind=kind, customer_id=customer_id)
        lang = self._lang(lang)
        if status not in STATUSES:
            raise ConfigError(
                f"status {status!r}: open, done, lapsed or all / 状态应为 open、done、lapsed 或 all"
            )
        check_page(page, page_size)
        t = self._stored()
        if status != "all":
            t = t.filter(t.status == status)
        for column, value in (("rep_id", rep_id), ("kind", kind), ("customer_id", customer_id)):
            if value:
                t = t.filter(t[column] == value)
        if due_by is not None:
            t = t.filter(t.due_date <= due_by)
        total = int(t.count().execute())
        t = t.select(
            "task_id",
            "kind",
            "customer_id",
            "customer_name",
            "rep_id",
            "department",
            "due_date",
            "priority",
            "overdue_days",
            "scheme",
            "class",
            "status",
            "closed_on",
            "closed_by_activity",
            reason=t.reason_zh if lang == "zh" else t.reason_en,
        )
        t = t.order_by([t.due_date, ibis.desc(t.priority), t.task_id])
        items = t.limit(page_size, offset=(page - 1) * page_size).to_pyarrow().to_pylist()
        return {"items": items, "total": total, "page": page, "page_size": page_size}

    @operation(cli="tasks", api="POST /api/tasks/refresh")
    def refresh(
        self,
        *,
        on: date | None = None,
        days: int = 7,
        rep_id: str | None = None,
        manager: str | None = None,
        department: str | None = None,
        kind: str | None = None,
        rows: int | None = 1000,
    ) -> Refresh:
        """Generate the tasks of ``on`` (default today, due up to ``days`` after it) from the
        playbooks of the current classes and store them, closing the stored open tasks due
        within that window that are no longer generated (``done`` by the activity that did
        them, else ``lapsed``). Stored tasks due after ``on + days`` are outside the view and
        stay as they are: ``days`` never closes anything. Admins refresh every customer's
        tasks, a manager their department's.

        ``rep_id``, ``manager`` (a rep code: the reps reporting to it and its own tasks),
        ``department`` and ``kind`` narrow the tasks returned, not the ones refreshed; ``rows``
        caps how many come back (``None``: all of them, for an export), not the counts.
        """
        from tierwise.playbook.task_store import sync_tasks
        from tierwise.playbook.tasks import TaskOptions, generated

        self._require("tasks.refresh")
        self._check_view(rep_id=rep_id, manager=manager, department=department, kind=kind)
        if not 0 <= days <= MAX_DAYS:
            raise ConfigError(f"days {days}: 0 to {MAX_DAYS} / 天数应为 0 到 {MAX_DAYS}")
        if rows is not None and rows < 0:
            raise ConfigError(f"rows {rows}: 0 or more / 行数不能为负")
        team = self._team(manager)
        customers = None
        if not self.actor.scope.everything:
            customers = self._customers().customer_id.to_pyarrow().to_pylist()
        options = TaskOptions(on=on or date.today(), days=days)
        # the tasks stay in the engine (a million of them at a million customers): the view's
        # count, kinds and first rows are read from there
        view: list[str] = []
        params: dict[str, Any] = {}
        if team is not None:
            view.append("list_contains($team, rep_id)")
            params["team"] = team
        for column, value in (("rep_id", rep_id), ("department", department), ("kind", kind)):
            if value is not None:
                view.append(f"{column} = ${column}")
                params[column] = value
        where = " AND ".join(view)
        with generated(self.db, options, customers=customers) as tasks:
            synced = sync_tasks(self.db, tasks, options, customers=customers)
            kinds = tasks.by_kind(where, params)
            table = tasks.arrow(where, params, limit=rows)
        return Refresh(options.on, days, table, sum(kinds.values()), kinds, synced.opened, synced.updated,
                       synced.done, synced.lapsed)

    @operation(cli="tasks", api="GET /api/tasks/calendar.ics")
    def calendar(
        self,
        rep_id: str | None = None,
        *,
        unassigned: bool = False,
        manager: str | None = None,
        department: str | None = None,
        kind: str | None = None,
        lang: str | None = None,
    ) -> str:
        """The open tasks in scope as an iCalendar (RFC 5545) text: one all-day event per task
        on its due day, the task id as the event's UID, so a calendar app that imports or
        subscribes to it again updates its events instead of doubling them.

        A rep gets their own tasks. ``rep_id``, ``unassigned`` (only tasks without an owner),
        ``manager``, ``department`` and ``kind`` narrow it as in :meth:`refresh`.
        """
        self._require("customers.read")
        self._check_view(rep_id=rep_id, manager=manager, department=department, kind=kind)
        lang = self._lang(lang)
        t = self._stored()
        t = t.filter(t.status == "open")
        if self.actor.role == "rep":
            t = t.filter(t.rep_id == self.actor.rep_id)
        team = self._team(manager)
        if team is not None:
            t = t.filter(t.rep_id.isin(team))
        if unassigned:
            t = t.filter(t.rep_id.isnull())
        for column, value in (("rep_id", rep_id), ("department", department), ("kind", kind)):
            if value is not None:
                t = t.filter(t[column] == value)
        t = t.order_by([t.due_date, t.priority, t.task_id])
        return _ics(t.to_pyarrow().to_pylist(), lang)

    # -- shared ------------------------------------------------------------------------
    def _stored(self) -> ir.Table:
        """The stored tasks of the customers in scope."""
        t = self.db.table("tasks")
        return t.filter(t.customer_id.isin(self._customers().customer_id))

    def _check_view(self, *, kind: str | None, **text: str | None) -> None:
        from tierwise.playbook.tasks import KINDS

        checked_text(kind=kind, **text)
        if kind is not None and kind not in KINDS:
            raise ConfigError(f"--kind {kind!r}: one of {', '.join(KINDS)} / 任务类型应为 {', '.join(KINDS)}")

    def _team(self, manager: str | None) -> builtins.list[str] | None:
        """The rep codes of ``manager``'s team: the reps reporting to it, and itself."""
        if manager is None:
            return None
        reps = self.db.table("reps")
        team = reps.filter((reps.manager_id == manager) | (reps.rep_id == manager)).rep_id
        found: builtins.list[str] = team.to_pyarrow().to_pylist()
        if not found:
            raise ConfigError(
                f"--manager {manager!r}: no such rep in the reps table / 业务员表中没有主管 {manager!r}"
            )
        return found


# -- iCalendar -------------------------------------------------------------------------
def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> builtins.list[str]:
    """RFC 5545 lines are at most 75 octets; longer ones continue with a leading space."""
    out, chunk = [], ""
    for ch in line:
        if len((chunk + ch).encode("utf-8")) > 74:
            out.append(chunk)
            chunk = " "
        chunk += ch
    return [*out, chunk]


def _ics(rows: builtins.list[dict[str, Any]], lang: str) -> str:
    """``rows`` (stored tasks) as an iCalendar text, labels and reasons in ``lang``."""
    from tierwise.playbook.tasks import KINDS

    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    name = "tierwise 任务" if lang == "zh" else "tierwise tasks"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tierwise//tasks//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{name}"]
    for r in rows:
        day = r["due_date"].strftime("%Y%m%d")
        label = KINDS[r["kind"]][1 if lang == "zh" else 0] if r["kind"] in KINDS else r["kind"]
        why = (r["reason_zh"] if lang == "zh" else r["reason_en"]) or ""
        summary = f"{label}: {r['customer_id']} {r['customer_name'] or ''}".strip()
        lines += ["BEGIN:VEVENT", f"UID:{_ics_text(r['task_id'])}@tierwise", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day}", f"SUMMARY:{_ics_text(summary)}",
                  f"DESCRIPTION:{_ics_text(why)}", f"PRIORITY:{min(int(r['priority'] or 9), 9)}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(part for line in lines for part in _fold(line)) + "\r\n"
