"""Follow-ups (visits, calls, care ...) logged with a customer, and the tasks they close."""

from __future__ import annotations

from datetime import date
from typing import Any

from tierwise.services.base import Service, checked_text, operation


class Activities(Service):
    """Logging follow-ups with the customers the actor may see."""

    @operation(cli="activity add", api="POST /api/activities")
    def add(
        self, customer_id: str, kind: str, *, day: date | None = None, note: str | None = None,
        rep_id: str | None = None, idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """Log a follow-up with an in-scope customer; the open tasks of that customer it does,
        due on or before its day, close as done (nothing else changes).

        Refused: a day in the future, more than the ``followup_max_days_back`` setting back, or
        before the customer's first order. The same ``idempotency_key`` from the same actor
        within 24 hours returns the first result and logs nothing (a double click logs once).

        Who made it (the activity's ``rep_id``): a rep, always themselves; a manager, the rep
        they name, else themselves: the manager code the reps data gives the customer's rep (or
        the department), so that the follow-up counts as a manager visit and not as the rep's,
        else the manager's user name; an admin, the rep they name, else the customer's rep.
        """
        from tierwise.playbook.activity import add_activity

        self._require("activities.add")
        self._check_customer(customer_id)
        checked_text(kind=kind, rep_id=rep_id, idempotency_key=idempotency_key)
        if self.actor.role == "rep":
            rep = self.actor.rep_id
        elif self.actor.role == "manager" and not rep_id:
            rep = self._manager_code(customer_id) or self.actor.name
        else:
            rep = rep_id
        return add_activity(self.db, customer_id, kind, day=day or date.today(), rep=rep, note=note,
                            actor=self.actor.name, idempotency_key=idempotency_key)

    def _manager_code(self, customer_id: str) -> str | None:
        """The acting manager's code in the reps data: the manager of the customer's rep, else
        the manager most reps of the manager's department report to."""
        row = self.db.con.execute(
            """SELECT coalesce(
                   (SELECT r.manager_id FROM customers c JOIN reps r USING (rep_id)
                    WHERE c.customer_id = $customer),
                   (SELECT manager_id FROM reps WHERE department = $department AND manager_id IS NOT NULL
                    GROUP BY manager_id ORDER BY count(*) DESC, manager_id LIMIT 1))""",
            {"customer": customer_id, "department": self.actor.department},
        ).fetchone()
        return row[0] if row else None
