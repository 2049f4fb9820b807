"""The audit trail: who changed what, when, old → new and why (append-only, hash-chained)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tierwise.errors import ConfigError
from tierwise.services.base import Service, checked_text, operation
from tierwise.store import audit as trail

ACTIONS = trail.ACTIONS  # action → (English, Chinese) description, for the front ends


class AuditTrail(Service):
    """Reading and verifying the audit trail (admins and managers)."""

    @operation(cli="audit", api="GET /api/audit")
    def list(
        self, *, customer_id: str | None = None, since: date | None = None, action: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Audit rows, oldest first: of one customer, on or after ``since``, of one action or
        family (``override``, ``credit``, ``scheme``, ``customer``, ``rep``, ``data``, ``activity``,
        ``user``, ``token``), the latest ``limit`` of them. Admins read every row; a manager
        reads the rows about the customers in their department (not scheme, import, rep, user
        or token changes)."""
        self._require("audit.read")
        checked_text(customer_id=customer_id, action=action)
        if action is not None and action not in trail.ACTIONS and not any(
            a.startswith(action + ".") for a in trail.ACTIONS
        ):
            families = sorted({a.split(".")[0] for a in trail.ACTIONS})
            raise ConfigError(
                f"action {action!r}: one of {', '.join(trail.ACTIONS)} or a family ({', '.join(families)}) "
                f"/ 操作应为 {', '.join(families)} 之一"
            )
        if limit is not None and limit < 1:
            raise ConfigError(f"limit {limit}: give 1 or more rows / 行数至少为 1")
        if customer_id is not None:
            self._check_customer(customer_id)
        if self.actor.scope.everything:
            return trail.read(self.db, customer=customer_id, since=since, action=action, limit=limit)
        rows = trail.read(self.db, customer=customer_id, since=since, action=action)
        visible = self._visible({r["customer_id"] for r in rows if r["customer_id"] is not None})
        rows = [r for r in rows if r["customer_id"] in visible]
        return rows[-limit:] if limit is not None else rows

    @operation(cli="audit", api="GET /api/audit/verify")
    def verify(self) -> trail.Verification:
        """Recompute the hash chain (admins): ``ok``, or the id of the first row that was
        edited (or follows one removed) outside tierwise."""
        self._require("audit.verify")
        return trail.verify(self.db)
