"""Approval chains as each person meets them: the requests waiting for them, their decisions,
and the chains themselves (admins). The requests come from the services that need them: an
override proposed to a class a chain covers (:mod:`tierwise.services.overrides`), a credit
limit above a chain's amount (:mod:`tierwise.services.credit`); the rules live in
:mod:`tierwise.access.approvals`."""

from __future__ import annotations

import builtins
from typing import Any

from tierwise.access import approvals as ap
from tierwise.errors import ConfigError, ConflictError
from tierwise.services.base import Service, checked_text, operation

STATES = ("pending", "approved", "rejected")


class Approvals(Service):
    """Requests under approval the actor may see, and the workspace's chains."""

    @operation(cli="approvals list", api="GET /api/approvals")
    def list(self, *, mine: bool = False, status: str = "pending", lang: str | None = None
             ) -> builtins.list[dict[str, Any]]:
        """Requests of customers in scope, oldest first: ``mine``, those whose next step the
        actor decides (the dashboard's "待我审批"); else every one of ``status`` (a rep: the ones
        they asked for)."""
        self._require("customers.read")
        if status not in STATES:
            raise ConfigError(f"status {status!r}: one of {', '.join(STATES)} / "
                              f"状态取值：{', '.join(STATES)}")
        con = self.db.con
        if mine:
            found = ap.waiting_for(con, self.actor)
        else:
            rows = con.execute("SELECT approval_id FROM approvals WHERE status = ? "
                               "ORDER BY requested_at DESC, approval_id DESC LIMIT 500", [status]).fetchall()
            found = [ap.get(con, int(r[0])) for r in rows]
            if self.actor.role == "rep":
                found = [r for r in found if r.requested_by == self.actor.name]
        visible = self._visible({r.customer_id for r in found if r.customer_id})
        language = self._lang(lang)
        return [r.to_json(language) for r in found if r.customer_id is None or r.customer_id in visible]

    @operation(cli="approvals approve", api="POST /api/approvals/{approval_id}/approve")
    def approve(self, approval_id: int, *, note: str | None = None,
                lang: str | None = None) -> dict[str, Any]:
        """Approve the next step of a request (the person its step names); the last step makes
        it take effect (the override active, the credit limit set)."""
        return self._decide(approval_id, approve=True, note=note, lang=lang)

    @operation(cli="approvals reject", api="POST /api/approvals/{approval_id}/reject")
    def reject(self, approval_id: int, *, reason: str, lang: str | None = None) -> dict[str, Any]:
        """Reject a request at its next step, saying why: it ends there."""
        return self._decide(approval_id, approve=False, note=reason, lang=lang)

    def _decide(self, approval_id: int, *, approve: bool, note: str | None,
                lang: str | None) -> dict[str, Any]:
        checked_text(note=note)
        request = ap.get(self.db.con, approval_id)
        if request.customer_id is not None:
            self._check_customer(request.customer_id)
        if request.kind == "override":
            o = (self._ws.overrides.approve(int(request.ref), note=note) if approve
                 else self._ws.overrides.reject(int(request.ref), reason=note or ""))
            return ap.get(self.db.con, approval_id).to_json(self._lang(lang)) | {"override": o.to_json()}
        if request.kind not in ("credit_limit", "hold_release", "order_refusal"):
            raise ConfigError(f"approval {approval_id}: unknown kind {request.kind!r}")
        from tierwise.playbook.credit_decisions import decide as decide_credit

        with self.db.transaction() as con:
            fresh = ap.get(con, approval_id)
            if fresh.status != "pending":
                raise ConflictError(f"approval {approval_id} was decided meanwhile / 审批单已被处理")
            done = ap.decide(con, fresh, self.actor, approve=approve, note=note)
            extra: dict[str, Any] = {}
            if done.kind == "credit_limit":  # the limit, set by the last approver
                extra["limit_set"] = None if done.status != "approved" else self._ws.credit.apply_limit(
                    done.customer_id or "", done.payload["limit"],
                    reason=f"{done.payload['reason']} (approval {approval_id}: {done.chain.path('en')} / "
                           f"{done.chain.path('zh')})")
            else:  # a release or refusal: active once approved, ended by a rejection
                extra["decision"] = None if done.status == "pending" else decide_credit(
                    con, int(done.ref), by=self.actor.name, approved=done.status == "approved").to_json()
        return done.to_json(self._lang(lang)) | extra

    @operation(cli="approvals chains", api="GET /api/approvals/chains")
    def chains(self) -> dict[str, Any]:
        """The workspace's approval chains: the YAML text and each chain's path."""
        self._require("customers.read")
        text, found = ap.load(self.db.con)
        return {"text": text, "chains": [{"name": c.name, "title": c.title.get(self._lang(None)),
                                          "action": c.action, "path": c.path(self._lang(None))}
                                         for c in found.chains]}

    @operation(cli="approvals chains", api="PUT /api/approvals/chains")
    def set_chains(self, text: str) -> dict[str, Any]:
        """Replace the approval chains with the YAML ``text`` (admins; checked first, audited).
        Requests under way keep the chain they started with."""
        self._require("users.manage")
        ap.save(self.db, text, by=self.actor.name)
        return self.chains()
