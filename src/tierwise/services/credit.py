"""Credit control for the customers the actor may see: limits (audited), holds, and whether a
new order may ship (the rules are in :mod:`tierwise.playbook.credit`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from tierwise.errors import ConfigError, DataError, NotFoundError
from tierwise.services.base import Service, checked_text, helper, operation
from tierwise.store.keys import one_customer_args, one_customer_sql

if TYPE_CHECKING:
    from tierwise.playbook.credit import CreditCheck


@dataclass(frozen=True)
class Holds:
    """The customers on hold on day ``on`` that the actor may see.

    ``table`` has the columns of :data:`tierwise.playbook.credit.HOLD_COLUMNS` (money in yuan
    as DECIMAL), the biggest problem first; ``grace_days`` is the setting the holds used.
    """

    on: date
    grace_days: int
    table: pa.Table
    payments_recorded: bool = True  # False: nobody can be held for a balance nobody knows

    def rows(self) -> list[dict[str, Any]]:
        return self.table.to_pylist()

    def note(self, lang: str) -> str | None:
        """Why the list is empty by construction (no payments imported), else None."""
        from tierwise.playbook.credit import NO_PAYMENTS

        return None if self.payments_recorded else NO_PAYMENTS[lang == "zh"]

    def to_json(self) -> dict[str, Any]:
        """The holds as JSON data (money as numbers), as ``credit holds --json`` prints them."""
        from tierwise.playbook.credit import jsonable

        rows = self.rows()
        return {"on": self.on.isoformat(), "grace_days": self.grace_days, "customers": len(rows),
                "payments_recorded": self.payments_recorded, "note_en": self.note("en"),
                "note_zh": self.note("zh"), "holds": [jsonable(r) for r in rows]}


class Credit(Service):
    """Credit limits, holds and order checks."""

    @operation(cli="credit holds", api="GET /api/credit/holds")
    def holds(self, on: date | None = None) -> Holds:
        """Customers whose new orders are held on ``on`` (default today): over the credit
        limit, or overdue beyond the grace days. A rep sees their customers', a manager the
        department's."""
        from tierwise.playbook.credit import credit_holds_table, payments_recorded

        self._require("credit.read")
        day = on or date.today()
        table = credit_holds_table(self.db, on=day)
        if not self.actor.scope.everything:
            ids = set(table.column("customer_id").to_pylist())
            mine = pa.array(sorted(self._visible(ids)), pa.string())
            table = table.filter(pc.is_in(table["customer_id"], mine))
        return Holds(day, self.settings.credit_grace_days, table, payments_recorded(self.db))

    @operation(cli="credit check", api="GET /api/credit/check")
    def check(self, customer_id: str, amount: Decimal | int | str, on: date | None = None) -> CreditCheck:
        """May a new order of ``amount`` yuan (text as typed: ``25,000``, ``¥5000``) ship for an
        in-scope customer on ``on`` (default today)? A
        :class:`~tierwise.playbook.credit.CreditCheck` with the reasons either way."""
        from tierwise.playbook.credit import credit_check

        self._require("credit.read")
        checked_text(customer_id=customer_id)
        if not self.actor.scope.everything:
            self._check_customer(customer_id)  # no "did you mean" hint from outside the scope
        try:
            return credit_check(self.db, customer_id, amount, on=on)
        except DataError as exc:  # an unknown customer, with a "did you mean" for who sees them all
            raise NotFoundError(str(exc)) from None

    @operation(cli="credit limit", api="PUT /api/customers/{customer_id}/credit-limit")
    def set_limit(self, customer_id: str, limit: str | None, *, reason: str) -> dict[str, Any]:
        """Set an in-scope customer's credit limit (managers and admins; audited with the reason);
        ``None``, empty or ``none`` removes it.

        The customer's credit hold and collection tasks are re-checked in the same transaction:
        a hold the new limit clears is closed (its reason says so), one that stays is rewritten
        with the new limit, and a cut that puts the customer over it opens one. In the server a
        re-evaluation is queued too (``reevaluation``: the job; None at the shell, where the
        next ``classify`` applies the limit to the classes).
        """
        from tierwise.access import approvals
        from tierwise.playbook.credit import parse_limit

        self._check_customer(customer_id)
        self._require("credit.limit")
        value = None if limit is None or limit.strip().lower() in ("none", "") else limit
        new = parse_limit(value)
        chain = None if new is None else approvals.chain_for(self.db.con, "credit_limit", amount=float(new))
        if chain is None:
            return self.apply_limit(customer_id, value, reason=reason)
        if not reason or not reason.strip():
            raise ConfigError("a credit limit change needs a reason (--reason \"...\"); it goes into "
                              "the audit trail / 调整授信额度须注明原因（--reason）")
        checked_text(reason=reason)
        old = self.db.con.execute(f"SELECT credit_limit FROM customers WHERE {one_customer_sql()}",
                                  one_customer_args(customer_id)).fetchone()
        with self.db.transaction() as con:
            request = approvals.open_request(
                con, "credit_limit", customer_id, chain, by=self.actor.name, customer_id=customer_id,
                summary=(f"credit limit of {customer_id} to {new:,.2f}: {reason.strip()}",
                         f"{customer_id} 授信额度调整为 {new:,.2f}：{reason.strip()}"),
                payload={"limit": str(new), "reason": reason.strip()})
        return {"customer_id": customer_id, "old": float(old[0]) if old and old[0] is not None else None,
                "new": None, "reevaluation": None, "pending": request.to_json(self._lang(None))}

    @helper("a credit limit an approval chain approved takes effect as its last approver set it")
    def apply_limit(self, customer_id: str, limit: str | None, *, reason: str) -> dict[str, Any]:
        """Set the limit now (the caller checked who may), re-checking the credit tasks."""
        from tierwise.playbook.credit import set_credit_limit

        old, new = set_credit_limit(self.db, customer_id, limit, by=self.actor.name, reason=reason,
                                    then=lambda old, new: self._recheck(customer_id, old, new))
        return {
            "customer_id": customer_id,
            "old": float(old) if old is not None else None,
            "new": float(new) if new is not None else None,
            "reevaluation": self._ws.jobs._queue("classify", None),
        }

    @operation(cli="credit release", api="POST /api/customers/{customer_id}/credit-releases")
    def release(self, customer_id: str, amount: str, *, reason: str,
                until: date | None = None) -> dict[str, Any]:
        """Let orders of up to ``amount`` ship for a customer on credit hold until ``until``
        (default a week on): managers and admins at once; above a ``hold_release`` approval
        chain's amount, anyone who sees the customer asks and the chain decides. Audited."""
        from tierwise.access import approvals
        from tierwise.playbook.credit import parse_limit

        self._check_customer(customer_id)
        checked_text(reason=reason)
        value = parse_limit(amount)
        if value is None:
            raise ConfigError("give the amount of the orders to let through / 请给出放行的订单金额")
        chain = approvals.chain_for(self.db.con, "hold_release", amount=float(value))
        self._require("credit.limit" if chain is None else "credit.read")
        summary = (f"release the credit hold of {customer_id} for orders up to {value:,.2f}: "
                   f"{reason.strip()}",
                   f"{customer_id} 信用冻结放行 {value:,.2f} 以内的订单：{reason.strip()}")
        return self._decided("release", "hold_release", customer_id, value, reason, chain, summary, until)

    @operation(cli="credit refuse", api="POST /api/customers/{customer_id}/order-refusals")
    def refuse(self, customer_id: str, amount: str, *, reason: str) -> dict[str, Any]:
        """Record that an order of ``amount`` was refused, and why (anyone who sees the
        customer); a customer of a class an ``order_refusal`` approval chain covers (the seed:
        refusing an A customer's order needs a 部长) waits for the chain. Audited."""
        from tierwise.access import approvals
        from tierwise.playbook.credit import parse_limit
        from tierwise.schemes.facts import current_schemes
        from tierwise.store.keys import one_customer_args, one_customer_sql

        self._check_customer(customer_id)
        self._require("credit.read")
        checked_text(reason=reason)
        value = parse_limit(amount)
        if value is None:
            raise ConfigError("give the order's amount / 请给出订单金额")
        snapshots = [s.snapshot_id for s in current_schemes(self.db.con).values()]
        classes = dict(self.db.con.execute(
            f"SELECT scheme, class FROM classes WHERE {one_customer_sql()} "
            "AND snapshot_id IN (SELECT unnest(?))",
            [*one_customer_args(customer_id), snapshots]).fetchall())
        chain = approvals.chain_for(self.db.con, "order_refusal", classes=classes)
        summary = (f"refuse an order of {value:,.2f} from {customer_id}: {reason.strip()}",
                   f"拒绝 {customer_id} 的 {value:,.2f} 订单：{reason.strip()}")
        return self._decided("refusal", "order_refusal", customer_id, value, reason, chain, summary, None)

    def _decided(self, kind: str, action: str, customer_id: str, value: Decimal, reason: str, chain: Any,
                 summary: tuple[str, str], until: date | None) -> dict[str, Any]:
        """Record the decision: active now, or pending with its approval request."""
        from tierwise.access import approvals
        from tierwise.playbook.credit_decisions import record_decision

        with self.db.transaction() as con:
            d = record_decision(self.db, kind, customer_id, value, reason=reason, by=self.actor.name,
                                pending=chain is not None, until=until)
            request = None if chain is None else approvals.open_request(
                con, action, str(d.decision_id), chain, by=self.actor.name, customer_id=customer_id,
                summary=summary)
        return {"decision": d.to_json(), "pending": request.to_json(self._lang(None)) if request else None}

    def _recheck(self, customer_id: str, old: Decimal | None, new: Decimal | None) -> None:
        """Re-check the customer's credit tasks after its limit went from ``old`` to ``new``."""
        from tierwise.playbook.credit import yuan
        from tierwise.playbook.task_store import recheck_credit

        def text(v: Decimal | None, lang: str) -> str:
            return yuan(v) if v is not None else ("none" if lang == "en" else "无")

        recheck_credit(
            self.db, customer_id,
            why_en=f"credit limit changed from {text(old, 'en')} to {text(new, 'en')} by {self.actor.name}",
            why_zh=f"授信额度由 {text(old, 'zh')} 调整为 {text(new, 'zh')}（{self.actor.name}）",
        )
