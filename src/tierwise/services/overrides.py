"""Manual overrides of a customer's class: set (managers), propose (anyone who sees the
customer), approve or reject (another manager), clear, list. Every change is audited under
the actor's name; the four-eyes rule (a proposer cannot approve) lives in
:mod:`tierwise.schemes.overrides`. An override that changes the class (set, approved, cleared)
regenerates the customer's tasks in its own transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from tierwise.access import approvals
from tierwise.errors import ConfigError, ConflictError, ForbiddenError, NotFoundError
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
        shown = [o for o in found if o.customer_id in visible]
        lang = self._lang(None)
        for o in shown:
            if o.status == "proposed":
                request = approvals.of(self.db.con, "override", str(o.override_id))
                o.approval = request.to_json(lang) if request is not None else None
        return shown

    @operation(cli="override set", api="POST /api/overrides/set")
    def set(
        self, customer_id: str, scheme: str, klass: str, *, reason: str, until: date | None = None
    ) -> ov.Override:
        """Hold a customer at ``klass`` now (managers and admins): it wins over the computed
        class until cleared or ``until``."""
        self._require("overrides.set")
        self._check_customer(customer_id)
        chain = approvals.chain_for(self.db.con, "override", scheme=scheme, klass=klass)
        if chain is not None:
            raise ForbiddenError(
                f"an override to {klass} in {scheme} goes through the approval chain {chain.name} "
                f"({chain.path('en')}): propose it (`override propose`) / 调整为 {klass} 须经审批链"
                f"（{chain.path('zh')}）：请提交调整申请")
        return self._with_tasks(lambda: ov.set_override(self.db, customer_id, scheme, klass, reason=reason,
                                                        by=self.actor.name, until=until))

    @operation(cli="override propose", api="POST /api/overrides")
    def propose(
        self, customer_id: str, scheme: str, klass: str, *, reason: str, until: date | None = None
    ) -> ov.Override:
        """Propose holding a customer at ``klass``; another manager approves or rejects it."""
        self._require("overrides.propose")
        self._check_customer(customer_id)
        with self.db.transaction() as con:
            o = ov.propose(self.db, customer_id, scheme, klass, reason=reason, by=self.actor.name,
                           until=until)
            chain = approvals.chain_for(con, "override", scheme=scheme, klass=klass)
            if chain is not None:
                n, (en, zh) = o.override_id, _scheme_titles(con, scheme, klass)
                summary = (f"override {n}: {customer_id} to {en}: {o.reason}",
                           f"类别调整 {n}：{customer_id} 调整为 {zh}：{o.reason}")
                request = approvals.open_request(con, "override", str(n), chain, by=self.actor.name,
                                                 customer_id=customer_id, summary=summary)
                o.approval = request.to_json(self._lang(None))
        return o

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
        if approvals.of(self.db.con, "override", str(override_id)) is None:
            self._require("overrides.decide")
            return self._with_tasks(lambda: ov.approve(self.db, override_id, by=self.actor.name, note=note))

        def step() -> ov.Override:  # the chain's next step; its last makes the override active
            request = approvals.of(self.db.con, "override", str(override_id))
            if request is None:
                raise ConflictError(f"override {override_id} was decided meanwhile / "
                                    f"调整 {override_id} 已被处理")
            done = approvals.decide(self.db.con, request, self.actor, approve=True, note=note)
            o = ov.approve(self.db, override_id, by=self.actor.name, note=note) if done.status == "approved" \
                else ov.get(self.db.con, override_id)
            o.approval = done.to_json(self._lang(None))
            return o

        return self._with_tasks(step)

    @operation(cli="override reject", api="POST /api/overrides/{override_id}/reject")
    def reject(self, override_id: int, *, reason: str) -> ov.Override:
        """Reject a proposal, saying why (managers and admins)."""
        self._in_scope(override_id)
        request = approvals.of(self.db.con, "override", str(override_id))
        if request is None:
            self._require("overrides.decide")
            return ov.reject(self.db, override_id, by=self.actor.name, reason=reason)
        with self.db.transaction() as con:
            done = approvals.decide(con, request, self.actor, approve=False, note=reason)
            o = ov.reject(self.db, override_id, by=self.actor.name, reason=reason)
        o.approval = done.to_json(self._lang(None))
        return o

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

        if override.status == "proposed":  # a step of its approval chain: the class has not changed
            return
        refresh_customers(self.db, [override.customer_id])


def _scheme_titles(con: object, scheme: str, klass: str) -> tuple[str, str]:
    """How people read ``klass`` of ``scheme``: "key (A), ABC Pareto tiers", "ABC 客户分类的关键客户（A）"."""
    from tierwise.schemes.facts import current_schemes
    from tierwise.schemes.fmt import class_text

    stored = current_schemes(con).get(scheme)
    if stored is None:
        return f"{klass} in {scheme}", f"{scheme} 的 {klass}"
    found = next((c for c in stored.spec.classes if c.id == klass), None)
    en = class_text(klass, found.label.en if found else None, "en")
    zh = class_text(klass, found.label.zh if found else None, "zh")
    return f"{en}, {stored.spec.title.en}", f"{stored.spec.title.zh}的{zh}"

