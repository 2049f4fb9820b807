"""Credit control: who is on hold, may this order ship, and changing a credit limit (M12).

Finance gives a customer a credit limit (授信额度) and payment terms (账期). An order that
would take the outstanding balance over the limit, or any order from a customer whose
invoices are overdue beyond the grace period, is held for shipping. The balance, the
overdue amount and the days overdue are the FIFO credit metrics of
:mod:`tierwise.metrics.credit` (payments pay the oldest invoices first), computed as of a
day: everything dated on or before it counts, nothing after it.

The rules, decided once here:

- **No limit** (``credit_limit`` empty): the balance is not capped; such a customer is
  never over the limit (but can still be held for overdue invoices).
- **Limit 0**: cash only. Any positive balance is over the limit, so every order on credit
  is refused; a customer who paid in advance (balance below zero) may ship up to it.
- **Over the limit**: ``outstanding > credit_limit``; exactly at the limit is not over, and an
  order that brings the balance exactly to the limit is allowed.
- **Overdue beyond grace**: ``overdue_amount > 0`` and ``max_days_overdue`` is above the
  ``credit_grace_days`` setting (0 by default: one day overdue is enough). An invoice is
  overdue the day after its due date.
- **On hold**: over the limit, or overdue beyond grace.
- **The class's credit action** (``credit_action`` in the playbook of a current class; the
  strictest of the customer's classes counts: ``cash_only`` > ``hold_over_limit`` >
  ``collect`` > ``watch`` > ``none``): ``cash_only`` (款到发货) holds a customer with any balance
  and refuses every order on credit that a prepayment does not cover, whatever the limit;
  ``hold_over_limit`` without a limit asks a manager to set one (a ``set_limit`` task: the
  seed's "制定授信额度，超过额度不再发货" needs a limit to act on). The class is named in the
  reason (``poor (credit_rating)``).
- **No payments imported** (the ``payments`` table is empty): a balance would be every order
  ever shipped and everything would look overdue, so balances and overdue amounts are
  unknown (empty), nobody is held and no collection is asked for; :data:`NO_PAYMENTS` says
  why wherever holds are shown. Missing data is not bad behaviour.

Positions and holds are one Ibis expression over the workspace tables (no loop over
customers), in :mod:`tierwise.playbook.credit_positions`; their names are re-exported here.
This module keeps the decisions on one customer: may this order ship (:func:`credit_check`)
and changing a credit limit (:func:`set_credit_limit`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError, DataError
from tierwise.playbook.credit_positions import (
    HOLD_COLUMNS,
    NO_PAYMENTS,
    POSITION_COLUMNS,
    credit_holds,
    credit_holds_table,
    credit_position,
    days_text,
    jsonable,
    overdue_text,
    payments_recorded,
    position_expr,
    yuan,
    yuan_expr,
)
from tierwise.schemes import fmt
from tierwise.store.keys import one_customer_args, one_customer_sql

if TYPE_CHECKING:
    from tierwise.store.database import Database

__all__ = [
    "HOLD_COLUMNS", "LIMIT_MAX", "NO_PAYMENTS", "POSITION_COLUMNS", "CreditCheck", "credit_check",
    "credit_holds", "credit_holds_table", "credit_position", "jsonable", "parse_limit", "payments_recorded",
    "position_expr", "set_credit_limit", "yuan", "yuan_expr",
]

LIMIT_MAX = Decimal("9999999999999999.99")  # DECIMAL(18, 2)


# -- one order -------------------------------------------------------------------------
@dataclass(frozen=True)
class CreditCheck:
    """Whether a new order of ``amount`` may ship for ``customer_id`` on day ``on``, and why.

    ``reasons_en`` / ``reasons_zh`` explain the decision either way, the reasons for a
    refusal first. Without payments in the workspace (``payments_recorded`` false) the
    balance, the overdue amount and the days overdue are unknown (``None``) and only the
    limit's own rules decide.
    """

    customer_id: str
    name: str | None
    rep_id: str | None
    on: date
    amount: Decimal
    allowed: bool
    credit_limit: Decimal | None
    outstanding: Decimal | None
    overdue_amount: Decimal | None
    max_days_overdue: int | None
    grace_days: int
    reasons_en: tuple[str, ...] = field(default=())
    reasons_zh: tuple[str, ...] = field(default=())
    payments_recorded: bool = True

    @property
    def outstanding_after(self) -> Decimal | None:
        """The balance once this order is on the books (``None``: the balance is unknown)."""
        return None if self.outstanding is None else self.outstanding + self.amount

    @property
    def headroom(self) -> Decimal | None:
        """Credit left before this order (``credit_limit - outstanding``); ``None`` without a
        limit or without payments."""
        if self.credit_limit is None or self.outstanding is None:
            return None
        return self.credit_limit - self.outstanding

    def reasons(self, lang: str) -> tuple[str, ...]:
        return self.reasons_zh if lang == "zh" else self.reasons_en

    def to_json(self) -> dict[str, Any]:
        return jsonable({
            "customer_id": self.customer_id, "name": self.name, "rep_id": self.rep_id,
            "on": self.on, "amount": self.amount, "allowed": self.allowed,
            "credit_limit": self.credit_limit, "outstanding": self.outstanding,
            "outstanding_after": self.outstanding_after, "headroom": self.headroom,
            "overdue_amount": self.overdue_amount, "max_days_overdue": self.max_days_overdue,
            "grace_days": self.grace_days, "payments_recorded": self.payments_recorded,
            "reasons_en": list(self.reasons_en), "reasons_zh": list(self.reasons_zh),
        })


def credit_check(ws: Database, customer_id: str, amount: Decimal | int | float | str, *,
                 on: date | None = None) -> CreditCheck:
    """May a new order of ``amount`` (yuan) for ``customer_id`` ship on day ``on`` (default:
    today)? Yes when the customer has no limit or ``outstanding + amount <= credit_limit``,
    nothing is overdue beyond the ``credit_grace_days`` setting, and no current class of the
    customer says cash before shipping (``credit_action: cash_only``) unless a prepayment
    covers the order.

    Raises :class:`ConfigError` for an amount that is not above zero and :class:`DataError`
    for an unknown customer.
    """
    value = _decimal(amount, "order amount", "订单金额")
    if value <= 0:
        raise ConfigError(f"order amount {amount}: give an amount above 0 / 订单金额须大于 0")
    row = _customer_row(ws, customer_id)
    on = on or date.today()
    grace = ws.settings.credit_grace_days
    if not payments_recorded(ws):
        return CreditCheck(
            customer_id=customer_id, name=row[0], rep_id=row[1], on=on, amount=value, allowed=True,
            credit_limit=row[2], outstanding=None, overdue_amount=None, max_days_overdue=None,
            grace_days=grace, reasons_en=(NO_PAYMENTS[0],), reasons_zh=(NO_PAYMENTS[1],),
            payments_recorded=False)
    position = position_expr(ws, on, [customer_id], reasons=False).to_pyarrow().to_pylist()
    p = position[0] if position else {"credit_limit": row[2], "outstanding": Decimal(0),
                                      "overdue_amount": Decimal(0), "max_days_overdue": 0,
                                      "credit_action": None}
    limit, outstanding = p["credit_limit"], p["outstanding"]
    overdue, days = p["overdue_amount"], int(p["max_days_overdue"])
    after = outstanding + value
    within = limit is None or after <= limit
    overdue_ok = not (overdue > 0 and days > grace)
    refusals: list[tuple[str, str]] = []
    passes: list[tuple[str, str]] = []
    sums = {k: yuan(v) for k, v in (("o", outstanding), ("a", value), ("b", after))}
    if limit is None:
        passes.append(("no credit limit: the balance is not capped", "未设授信额度：应收余额不设上限"))
    elif within:
        passes.append((
            f"outstanding {sums['o']} plus this order {sums['a']} is {sums['b']}, within the credit "
            f"limit {yuan(limit)} ({yuan(limit - after)} to spare)",
            f"应收余额 {sums['o']} 加本单 {sums['a']} 共 {sums['b']}，未超授信额度 {yuan(limit)}"
            f"（尚余 {yuan(limit - after)}）"))
    elif limit == 0:
        refusals.append((
            f"cash only (credit limit {fmt.symbol()}0): this order {sums['a']} would leave {sums['b']} "
            f"outstanding",
            f"现款客户（授信额度 {fmt.symbol()}0）：本单 {sums['a']} 将使应收余额达到 {sums['b']}"))
    else:
        refusals.append((
            f"outstanding {sums['o']} plus this order {sums['a']} is {sums['b']}, over the credit "
            f"limit {yuan(limit)} by {yuan(after - limit)}",
            f"应收余额 {sums['o']} 加本单 {sums['a']} 共 {sums['b']}，超过授信额度 {yuan(limit)}"
            f"（超出 {yuan(after - limit)}）"))
    if overdue > 0:
        pair = (overdue_text("en", yuan(overdue), days_text(days, "en"), grace),
                overdue_text("zh", yuan(overdue), days_text(days, "zh"), grace))
        if overdue_ok:
            passes.append((pair[0] + ", within grace", pair[1] + "，仍在宽限期内"))
        else:
            refusals.append(pair)
    else:
        passes.append(("nothing overdue", "无逾期应收"))
    cash_ok = True
    if p["credit_action"] == "cash_only":  # the class: cash before shipping, whatever the limit
        cash_ok = after <= 0
        src = (p["from_en"], p["from_zh"])
        if cash_ok:
            paid = yuan(-outstanding)
            passes.append((f"{src[0]}: cash before shipping; the prepaid {paid} covers this order",
                           f"{src[1]}：款到发货；预付款 {paid} 足以支付本单"))
        else:
            refusals.insert(0, (f"{src[0]}: cash before shipping; this order {sums['a']} must be paid first",
                                f"{src[1]}：款到发货，本单 {sums['a']} 须先付款再发货"))
    elif p["credit_action"] == "hold_over_limit" and limit is None:
        src = (p["from_en"], p["from_zh"])
        passes.append((f"{src[0]} calls for shipping only within a credit limit, but none is set: a "
                       f"manager should set one (tierwise credit limit {customer_id} AMOUNT)",
                       f"{src[1]}要求超过授信额度不再发货，但尚未设定额度：请主管设定授信额度"))
    reasons = refusals + passes
    allowed = within and overdue_ok and cash_ok
    if not allowed:  # a release by hand (approved, when a chain asks) lets it ship all the same
        from tierwise.playbook.credit_decisions import active_release

        released = active_release(ws.con, customer_id, value, on)
        if released is not None:
            allowed = True
            reasons.insert(0, (
                f"released by {released.decided_by} (release {released.decision_id}: orders up to "
                f"{yuan(released.amount)} until {released.until}): {released.reason}",
                f"已由 {released.decided_by} 放行（放行 {released.decision_id}：{released.until} 前 "
                f"{yuan(released.amount)} 以内的订单）：{released.reason}"))
    return CreditCheck(
        customer_id=customer_id, name=row[0], rep_id=row[1], on=on, amount=value,
        allowed=allowed, credit_limit=limit, outstanding=outstanding,
        overdue_amount=overdue, max_days_overdue=days, grace_days=grace,
        reasons_en=tuple(e for e, _ in reasons), reasons_zh=tuple(z for _, z in reasons),
    )


# -- changing a limit ------------------------------------------------------------------
def set_credit_limit(ws: Database, customer_id: str, limit: Decimal | int | str | None, *, by: str,
                     reason: str, then: Callable[[Decimal | None, Decimal | None], None] | None = None,
                     ) -> tuple[Decimal | None, Decimal | None]:
    """Set ``customer_id``'s credit limit to ``limit`` (``None`` removes it) and record who,
    why, and the old and new values in the audit trail, in one transaction. ``limit`` may be
    text as a person types it (``100,000``, ``¥5000``). ``then(old, new)`` runs in the same
    transaction once the limit is set (the customer's credit tasks re-checked): all of it
    lands, or none.

    A change to the same value is still recorded: the reason (a review that kept the limit)
    is worth keeping. Returns ``(old, new)``.
    """
    if not reason or not reason.strip():
        raise ConfigError("a credit limit change needs a reason (--reason \"...\"); it goes into "
                          "the audit trail / 调整授信额度须注明原因（--reason）")
    new = parse_limit(limit)
    from tierwise.store import audit

    with ws.transaction() as con:
        old = _customer_row(ws, customer_id)[2]
        con.execute(f"UPDATE customers SET credit_limit = ? WHERE {one_customer_sql()}",
                    [new, *one_customer_args(customer_id)])
        if then is not None:
            then(old, new)
        # last: the workspace's audit writer is held from here to the commit
        audit.record(con, actor=by, action="credit.limit", customer_id=customer_id, old=old, new=new,
                     reason=reason.strip())
    return old, new


# -- helpers ---------------------------------------------------------------------------
def parse_limit(limit: Decimal | int | str | None) -> Decimal | None:
    """A credit limit as a person types it (``100,000``, ``¥5000``; ``None``: no limit), checked."""
    new = None if limit is None else _decimal(limit, "credit limit", "授信额度")
    if new is not None:
        if new < 0:
            raise ConfigError(f"credit limit {limit}: it cannot be negative; 0 means cash only, "
                              f"`none` removes the limit / 授信额度不能为负数")
        if new != new.quantize(Decimal("0.01")) or new > LIMIT_MAX:
            raise ConfigError(f"credit limit {limit}: give yuan with at most 2 decimals, below "
                              f"10^16 / 授信额度最多两位小数")
        new = new.quantize(Decimal("0.01"))
    return new


def _decimal(value: Decimal | int | float | str, en: str, zh: str) -> Decimal:
    """``value`` as a Decimal; text may carry thousands commas and a ¥ sign."""
    try:
        number = Decimal(str(value).strip().replace(",", "").lstrip("¥￥$£€").removeprefix(fmt.symbol()))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ConfigError(f"{en} {value!r} is not a number / {zh} {value!r} 不是数字")
    return number


def _customer_row(ws: Database, customer_id: str) -> tuple[Any, ...]:
    """``(name, rep_id, credit_limit)`` of ``customer_id``; :class:`DataError` when unknown."""
    row = ws.con.execute(f"SELECT name, rep_id, credit_limit FROM customers WHERE {one_customer_sql()}",
                         one_customer_args(customer_id)).fetchone()
    if row is None:
        raise DataError(f"no customer {customer_id!r}{_did_you_mean(ws, customer_id)} / "
                        f"没有客户 {customer_id!r}")
    return tuple(row)


def _did_you_mean(ws: Database, text: str) -> str:
    """``; did you mean C000123?`` from ids a few edits away, or a customer named ``text``."""
    rows = ws.con.execute(
        """SELECT customer_id FROM (
               SELECT customer_id, CASE WHEN name = ? THEN 0
                   ELSE levenshtein(lower(customer_id), lower(?)) END AS d
               FROM customers)
           WHERE d <= greatest(1, least(3, length(?) // 3)) ORDER BY d, customer_id LIMIT 3""",
        [text, text, text]).fetchall()
    return f"; did you mean {' or '.join(r[0] for r in rows)}?" if rows else ""
