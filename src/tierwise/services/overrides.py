"""Manual overrides of a customer's class: set (managers), propose (anyone who sees the
customer), approve or reject (another manager), clear, list. Every change is audited under
the actor's name; the four-eyes rule (a proposer cannot approve) lives in
:mod:`tierwise.schemes.overrides`. An override that changes the class (set, approved, cleared)
regenerates the customer's tasks in its own transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from tierwise.errors import ConfigError, ConflictError, NotFoundError
from tierwise.schemes import overrides as ov
from tierwise.services.base import Service, checked_text, operation

STATES = ("proposed", "active", "expired", "rejected", "cleared", "replaced")


class Overrides(Service):
    """Overrides of the customers the actor may see."""

    @operation(cli="override list", api="GET /api/overrides")
    def list(
        self, *, status: str | None = None, customer_id: str | None = None, scheme: str | None = None
    ) -> list[ov.Override]:
        """Overrides of the customers in scope, newest first."""
        self._require("customers.read")
        checked_text(status=status, customer_id=customer_id, scheme=scheme)
        if status is not None and status not in STATES:
            raise ConfigError(
                f"status {status!r}: one of {', '.join(STATES)} / 状态取值：{', '.join(STATES)}"
            )
        if customer_id:
            self._check_customer(customer_id)
        found = ov.list_overrides(self.db, customer=customer_id, scheme=scheme, status=status)
        visible = self._visible({o.customer_id for o in found})
        return [o for o in found if o.customer_id in visible]

    @operation(cli="override set", api="POST /api/overrides/set")
    def set(
        self, customer_id: str, scheme: str, klass: str, *, reason: str, until: date | None = None
    ) -> ov.Override:
        """Hold a customer at ``klass`` now (managers and admins): it wins over the computed
        class until cleared or ``until``."""
        self._require("overrides.set")
        self._check_customer(customer_id)
        return self._with_tasks(lambda: ov.set_override(self.db, customer_id, scheme, klass, reason=reason,
                                                        by=self.actor.name, until=until))

    @operation(cli="override propose", api="POST /api/overrides")
    def propose(
        self, customer_id: str, scheme: str, klass: str, *, reason: str, until: date | None = None
    ) -> ov.Override:
        """Propose holding a customer at ``klass``; another manager approves or rejects it."""
        self._require("overrides.propose")
        self._check_customer(customer_id)
        return ov.propose(self.db, customer_id, scheme, klass, reason=reason, by=self.actor.name, until=until)

    def _in_scope(self, override_id: int) -> None:
        row = self.db.con.execute(
            "SELECT customer_id FROM overrides WHERE override_id = ?", [override_id]
        ).fetchone()
        if row is None or not self._visible({str(row[0])}):
            raise NotFoundError(f"no override {override_id} / 没有调整 {override_id}")

    @operation(cli="override approve", api="POST /api/overrides/{override_id}/approve")
    def approve(self, override_id: int, *, note: str | None = None) -> ov.Override:
        """Approve a proposal (managers and admins, not its proposer): it becomes active at once.
        One outside the actor's scope is not found, whatever their role."""
        self._in_scope(override_id)
        self._require("overrides.decide")
        return self._with_tasks(lambda: ov.approve(self.db, override_id, by=self.actor.name, note=note))

    @operation(cli="override reject", api="POST /api/overrides/{override_id}/reject")
    def reject(self, override_id: int, *, reason: str) -> ov.Override:
        """Reject a proposal, saying why (managers and admins)."""
        self._in_scope(override_id)
        self._require("overrides.decide")
        return ov.reject(self.db, override_id, by=self.actor.name, reason=reason)

    @operation(cli="override clear", api="POST /api/overrides/clear")
    def clear(self, customer_id: str, scheme: str, *, reason: str) -> ov.Override:
        """End a customer's active override in ``scheme``: the computed class applies again."""
        self._require("overrides.set")
        self._check_customer(customer_id)
        return self._with_tasks(lambda: ov.clear(self.db, customer_id, scheme, by=self.actor.name,
                                                 reason=reason))

    def _with_tasks(self, change: Callable[[], ov.Override], tries: int = 3) -> ov.Override:
        """``change`` and the customer's regenerated tasks as one transaction; run again (all of
        it rolled back first) when a tasks refresh at the same moment, such as the server's own
        after a classification, opened the same new tasks first: a person's click is not
        answered "conflict, try again" for the server's own work."""
        for attempt in range(tries):
            try:
                with self.db.transaction():
                    done = change()
                    self._refresh_tasks(done)
                return done
            except ConflictError:
                if attempt == tries - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _refresh_tasks(self, override: ov.Override) -> None:
        """The customer's class changed (held, approved or released): regenerate its tasks now,
        in the override's transaction, so its visits and reminders follow the class at once."""
        from tierwise.playbook.task_store import refresh_customers

        refresh_customers(self.db, [override.customer_id])
