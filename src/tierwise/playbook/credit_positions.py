"""Credit positions and holds (M12): each customer's balance, overdue amount and days overdue
as of a day, whether new orders are held and why, as one Ibis expression over the workspace
tables (no loop over customers).

The rules are stated once, in :mod:`tierwise.playbook.credit` (which re-exports the names here
and keeps the one-order check and changing a limit). The figures are the FIFO credit metrics of
:mod:`tierwise.metrics.credit`; the class's credit action is read through
:mod:`tierwise.playbook.credit_actions`. The money and reason texts are here too: one function
builds a reason both as Python text and as an engine expression, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

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


def days_text(n: int, lang: str) -> str:
    """``n`` days as reasons write them (``1 day``, ``30 days``, ``30天``)."""
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


def overdue_text(lang: str, overdue: Any, days: Any, grace: int) -> Any:
    """The overdue part of a reason (a hold's, or a credit check's): ``overdue`` and ``days``
    as text, or as engine strings."""
    if lang == "zh":
        return "逾期应收 " + overdue + "，最长逾期 " + days + f"（宽限期 {days_text(grace, lang)}）"
    return overdue + " overdue, up to " + days + f" (grace period {days_text(grace, lang)})"


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
        as_of_dn=as_of_dn, default_terms_days=settings.payment_terms_days, on_time=False,
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
    else:  # unknown, not "everything unpaid": no hold, no collection (the rules: playbook/credit.py)
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
            due_text = overdue_text(lang, amounts["overdue"], fmt.fmt_value(t.days, "days", lang), grace)
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
    ``hold_reason_en`` / ``hold_reason_zh`` (empty when not on hold). The rules are in
    :mod:`tierwise.playbook.credit`.
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
