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

Positions are one Ibis expression over the workspace tables: no loop over customers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.errors import ConfigError, DataError
from tierwise.metrics.credit import credit_metrics
from tierwise.metrics.expr import EPOCH, MONEY, cents, day_number, money
from tierwise.playbook.credit_actions import action_rows, strictest_action
from tierwise.schemes import fmt
from tierwise.store.keys import KEYED_TABLES, customer_key

if TYPE_CHECKING:
    from tierwise.store.database import Database

POSITION_COLUMNS = (
    "customer_id", "name", "rep_id", "credit_limit", "outstanding", "overdue_amount",
    "max_days_overdue", "headroom", "over_limit", "overdue_beyond_grace", "credit_action",
    "action_from", "on_hold", "hold_reason_en", "hold_reason_zh",
)
HOLD_COLUMNS = (
    "customer_id", "name", "rep_id", "credit_limit", "outstanding", "over_by", "overdue_amount",
    "max_days_overdue", "headroom", "over_limit", "overdue_beyond_grace", "credit_action",
    "action_from", "hold_reason_en", "hold_reason_zh",
)
LIMIT_MAX = Decimal("9999999999999999.99")  # DECIMAL(18, 2)
_HOLD = {"en": "on hold: ", "zh": "信用冻结："}
NO_PAYMENTS = ("no payments imported: balances and overdue amounts are unknown, so nobody is held "
               "or chased for them; import the payments file (tierwise import payments FILE)",
               "未导入回款数据：无法计算应收余额和逾期，因此不会据此冻结或催收任何客户；请导入回款文件"
               "（tierwise import payments 文件）")
_SEP = {"en": "; ", "zh": "；"}


# -- money and reason text -------------------------------------------------------------
def yuan(value: Decimal | int | float) -> str:
    """``value`` in the workspace currency as reasons write it: ``¥120,000``, ``¥1,234.50``,
    ``-¥20`` (``£…`` for a workspace in GBP)."""
    hundredths = int((Decimal(value) * 100).to_integral_value())
    whole, frac = divmod(abs(hundredths), 100)
    return f"{'-' if hundredths < 0 else ''}{fmt.symbol()}{whole:,}" + (f".{frac:02d}" if frac else "")


def yuan_expr(value_cents: ir.IntegerValue) -> ir.StringValue:
    """The engine twin of :func:`yuan`, over integer cents."""
    size = value_cents.abs()
    whole = fmt.fmt_value(size // 100, "int", "en")
    frac = size % 100
    tail = ibis.ifelse(frac == 0, "", "." + frac.cast("string").lpad(2, "0"))
    return ibis.ifelse(value_cents < 0, "-", "") + fmt.symbol() + whole + tail


def _days(n: int, lang: str) -> str:
    return fmt.fmt_literal(n, "days", lang)


# The reason texts are written with ``+`` so that one function builds both the Python text
# (arguments are str) and the engine expression (arguments are Ibis strings): they cannot
# drift apart.
def _over_limit_text(lang: str, outstanding: Any, limit: Any, over_by: Any) -> Any:
    if lang == "zh":
        return "应收余额 " + outstanding + " 超过授信额度 " + limit + "（超出 " + over_by + "）"
    return "outstanding " + outstanding + " is over the credit limit " + limit + " by " + over_by


def _cash_only_text(lang: str, outstanding: Any) -> Any:
    if lang == "zh":
        return f"现款客户（授信额度 {fmt.symbol()}0），但有应收余额 " + outstanding
    return f"cash only (credit limit {fmt.symbol()}0), yet " + outstanding + " is outstanding"


def _overdue_text(lang: str, overdue: Any, days: Any, grace: int) -> Any:
    if lang == "zh":
        return "逾期应收 " + overdue + "，最长逾期 " + days + f"（宽限期 {_days(grace, lang)}）"
    return overdue + " overdue, up to " + days + f" (grace period {_days(grace, lang)})"


def _pick(lang: str, en: Any, zh: Any) -> Any:
    return zh if lang == "zh" else en


def _cash_class_text(lang: str, source: Any, outstanding: Any) -> Any:
    if lang == "zh":
        return source + "：款到发货，但仍有应收余额 " + outstanding
    return source + ": cash before shipping, yet " + outstanding + " is outstanding"



# -- positions -------------------------------------------------------------------------
def payments_recorded(ws: Database) -> bool:
    """Whether the workspace holds any payment (the whole workspace, whatever a query is scoped
    to): without one, balances and overdue amounts are unknown rather than everything unpaid."""
    (found,) = ws.con.execute("SELECT EXISTS (SELECT 1 FROM payments)").fetchone() or (False,)
    return bool(found)


# A list this long or shorter goes into the query as literals (the engine looks them up in the
# customer indexes); a longer one is a table the rows are semi-joined with (SQL text stays small).
LITERAL_IDS = 1000


def _scoped(ws: Database, name: str, customers: list[str] | None) -> ir.Table:
    """Table ``name``, only the rows of ``customers`` when given (filtered at the scan; a
    per-snapshot table by its customer keys first: store/keys.py)."""
    table = ws.table(name)
    if customers is None:
        return table
    if len(customers) <= LITERAL_IDS:
        if name in KEYED_TABLES:
            keys = [ibis.literal(customer_key(c), "uint64") for c in customers]
            table = table.filter(table.customer_key.isin(keys))
        return table.filter(table.customer_id.isin(customers))
    ids = ibis.memtable(pa.table({"customer_id": pa.array(customers, pa.string())}))
    return table.filter(table.customer_id.isin(ids.customer_id))


def position_expr(ws: Database, on: date, customers: list[str] | None = None, *, reasons: bool = True,
                  tables: Callable[[str], ir.Table] | None = None,
                  stage: Callable[[ir.Table], ir.Table] | None = None,
                  actions: ir.Table | None = None) -> ir.Table:
    """The expression behind :func:`credit_position`, plus ``over_by`` (yuan),
    ``hold_amount`` (cents, for sorting holds), ``needs_limit`` (the class asks to hold over a
    limit that is not set) and ``from_en`` / ``from_zh`` (the class of ``credit_action``);
    without ``reasons``, no reason columns (a smaller query, for the one-customer check).
    ``tables`` gives the input tables by name (task generation's copies of a few customers'
    rows) instead of the workspace's, filtered to ``customers``; ``stage`` computes the
    figures once (a temporary table), so that the reasons read them rather than repeat their
    formulas (a query the engine plans in a third of the time). ``actions``: the rows of
    :func:`action_rows` as an engine table (task generation registers them under a fixed
    name); by default read from the workspace's current classification."""
    settings = ws.settings
    grace = settings.credit_grace_days
    as_of_dn = (on - EPOCH).days
    if customers is not None:
        customers = list(dict.fromkeys(customers))
    source = tables or (lambda name: _scoped(ws, name, customers))

    lines = source("orders")
    lines = lines.select(
        "customer_id", "order_id", amount=cents(lines.amount), day=lines.order_date.date(),
        due_dn=day_number(lines.due_date),
    )
    lines = lines.filter(lines.day <= on).mutate(dn=day_number(ibis._.day))
    orders = lines.group_by("customer_id", "order_id").agg(
        net=lines.amount.sum(), dn=lines.dn.min(), due_dn=lines.due_dn.min(),
    )
    pay = source("payments")
    pay_day = pay.payment_date.date()
    payments = pay.filter(pay_day <= on).select(
        "customer_id", amount=cents(pay.amount), dn=day_number(pay_day)
    )
    cust = source("customers")
    credit = credit_metrics(
        orders, payments, cust.select("customer_id", "payment_terms_days"),
        as_of_dn=as_of_dn, default_terms_days=settings.payment_terms_days,
    ).mutate(seen=ibis.literal(True))

    t = cust.select("customer_id", "name", "rep_id", "credit_limit").left_join(credit, "customer_id")
    t = t.drop("customer_id_right")
    t = t.filter(t.credit_limit.notnull() | t.seen.notnull())
    if actions is None:
        rows = action_rows(ws)
        actions = ibis.memtable(rows) if rows.num_rows else None
    if actions is not None:
        t = t.left_join(strictest_action(source("classes"), actions), "customer_id").drop("customer_id_right")
    else:
        t = t.mutate(credit_action=ibis.null("string"), action_from=ibis.null("string"),
                     from_en=ibis.null("string"), from_zh=ibis.null("string"))

    limit_c = cents(t.credit_limit)
    if payments_recorded(ws):
        out_c = ibis.coalesce(t.outstanding, 0)
        overdue_c = ibis.coalesce(t.overdue_amount, 0)
        days = ibis.coalesce(t.max_days_overdue, 0).cast("int64")
        over = ibis.ifelse(t.credit_limit.notnull() & (out_c > limit_c), True, False)  # never null
    else:  # unknown, not "everything unpaid": no hold, no collection (module docstring)
        out_c = overdue_c = ibis.null("int64")
        days = ibis.null("int64")
        over = ibis.literal(False)
    t = t.select("customer_id", "name", "rep_id", "credit_limit", "credit_action", "action_from",
                 "from_en", "from_zh", limit_c=limit_c, out_c=out_c, overdue_c=overdue_c, days=days,
                 over=over, beyond=ibis.coalesce((overdue_c > 0) & (days > grace), False),
                 # the class says cash before shipping and something is owed (a limit of 0 says it already)
                 cash=ibis.coalesce((t.credit_action == "cash_only") & (out_c > 0) & ~over, False),
                 over_by_c=ibis.ifelse(over, out_c - limit_c, 0))
    if stage is not None:
        t = stage(t)
    columns: dict[str, ir.Value] = {
        "credit_limit": t.credit_limit.cast(MONEY),
        "outstanding": money(t.out_c),
        "overdue_amount": money(t.overdue_c),
        "max_days_overdue": t.days,
        "headroom": ibis.ifelse(t.credit_limit.notnull(), money(t.limit_c - t.out_c), ibis.null(MONEY)),
        "over_limit": t.over,
        "overdue_beyond_grace": t.beyond,
        "credit_action": t.credit_action,
        "action_from": t.action_from,
        "on_hold": t.over | t.beyond | t.cash,
    }
    if reasons:
        columns.update(_reasons(t, grace))
    return t.select(
        "customer_id", "name", "rep_id", **columns, over_by=money(t.over_by_c),
        hold_amount=ibis.greatest(t.over_by_c, ibis.ifelse(t.beyond, t.overdue_c, 0),
                                  ibis.ifelse(t.cash, t.out_c, 0)),
        needs_limit=ibis.coalesce((t.credit_action == "hold_over_limit") & t.credit_limit.isnull(), False),
        from_en=t.from_en, from_zh=t.from_zh,
    )


def _reasons(t: ir.Table, grace: int) -> dict[str, ir.StringValue]:
    """``hold_reason_en`` and ``hold_reason_zh`` of the positions ``t`` (empty when not held)."""
    out: dict[str, ir.StringValue] = {}
    with fmt.dialect("duckdb"):
        amounts = {"outstanding": yuan_expr(t.out_c), "limit": yuan_expr(t.limit_c),
                   "over_by": yuan_expr(t.over_by_c), "overdue": yuan_expr(t.overdue_c)}
        for lang in ("en", "zh"):
            over_text = ibis.ifelse(
                t.limit_c == 0, _cash_only_text(lang, amounts["outstanding"]),
                _over_limit_text(lang, amounts["outstanding"], amounts["limit"], amounts["over_by"]),
            )
            due_text = _overdue_text(lang, amounts["overdue"], fmt.fmt_value(t.days, "days", lang), grace)
            # each text once (the engine plans a query by its size): the parts that apply,
            # joined by the separator (CONCAT_WS leaves out the one that is NULL)
            cash_text = _cash_class_text(lang, t[f"from_{lang}"], amounts["outstanding"])
            parts = [ibis.ifelse(t.over, over_text, ibis.null("string")),
                     ibis.ifelse(t.cash, cash_text, ibis.null("string")),
                     ibis.ifelse(t.beyond, due_text, ibis.null("string"))]
            out[f"hold_reason_{lang}"] = ibis.ifelse(
                t.over | t.beyond | t.cash, _HOLD[lang] + ibis.literal(_SEP[lang]).join(parts),
                ibis.null("string"))
    return out


def credit_position(
    ws: Database, *, on: date | None = None, customers: list[str] | None = None
) -> pa.Table:
    """Each customer's credit position as of ``on``, and whether new orders are held.

    Parameters
    ----------
    ws
        The workspace; ``credit_grace_days`` and ``payment_terms_days`` come from its settings.
    on
        The day of the check (default: today: a credit check is about shipping now). Orders
        and payments dated after it are not seen.
    customers
        Only these customer ids (filtered before anything is computed, so checking one
        customer stays quick in a large workspace). Default: every customer with a credit
        limit or with an order or payment by ``on``.

    Returns
    -------
    One row per customer, ordered by id, columns :data:`POSITION_COLUMNS`: money in yuan
    (DECIMAL), ``headroom`` = ``credit_limit - outstanding`` (empty without a limit), and
    ``hold_reason_en`` / ``hold_reason_zh`` (empty when not on hold). The module docstring
    states the rules.
    """
    expr = position_expr(ws, on or date.today(), customers)
    return expr.select(*POSITION_COLUMNS).order_by("customer_id").to_pyarrow()


def credit_holds_table(ws: Database, *, on: date | None = None) -> pa.Table:
    """Customers on hold as of ``on``, columns :data:`HOLD_COLUMNS`, the biggest problem
    first: ordered by the larger of the amount over the limit and the overdue amount (when
    beyond grace), then by customer id."""
    expr = position_expr(ws, on or date.today(), None)
    held = expr.filter(expr.on_hold)
    return held.order_by([held.hold_amount.desc(), held.customer_id]).select(*HOLD_COLUMNS).to_pyarrow()


def credit_holds(ws: Database, *, on: date | None = None) -> list[dict[str, Any]]:
    """:func:`credit_holds_table` as one dict per customer (money as :class:`Decimal`)."""
    return credit_holds_table(ws, on=on).to_pylist()


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with money as JSON numbers (whole yuan as integers) and dates as text."""
    return {k: _number(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else v
            for k, v in row.items()}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


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
        pair = (_overdue_text("en", yuan(overdue), _days(days, "en"), grace),
                _overdue_text("zh", yuan(overdue), _days(days, "zh"), grace))
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
        con.execute("UPDATE customers SET credit_limit = ? WHERE customer_id = ?", [new, customer_id])
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
    row = ws.con.execute("SELECT name, rep_id, credit_limit FROM customers WHERE customer_id = ?",
                         [customer_id]).fetchone()
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
