"""Credit metrics: outstanding balance, overdue amount and days, on-time payment ratio.

Payments carry no reliable link to the orders they pay (a customer pays "what we owe"), so
money received is allocated the way finance departments do it by hand: **oldest order
first** (FIFO). Returns and credit notes (orders whose lines sum below zero) count as money
received on their date. With invoices ordered by order date (then order id) and their
running total ``C_i``, and all money received up to the as-of date ``P``:

- the unpaid part of invoice *i* is ``min(amount_i, max(C_i − P, 0))``;
- invoice *i* was paid off on the first day the running total of money received reached
  ``C_i``: found by merging invoices and receipts into one stream ordered by running total
  and taking, for each invoice, the earliest receipt day at or after it (a window minimum
  over the following rows; receipt days increase with the running total).

Everything here is an Ibis expression over epoch-day integers (portable date arithmetic),
so DuckDB and Spark compute the same thing.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from tierwise.metrics.expr import count_if


def credit_metrics(
    orders: ir.Table,
    payments: ir.Table,
    customers: ir.Table,
    *,
    as_of_dn: int,
    default_terms_days: int,
) -> ir.Table:
    """Per-customer ``outstanding``, ``overdue_amount`` (both in cents), ``max_days_overdue``,
    ``invoices_due`` and ``paid_on_time``, for customers with an order or a payment.

    Parameters
    ----------
    orders
        One row per order id up to the as-of date: ``customer_id``, ``order_id``, ``net``
        (sum of its lines in integer cents), ``dn`` (epoch day of its first line), ``due_dn``
        (epoch day of its earliest line due date, null when no line has one).
    payments
        Payments up to the as-of date: ``customer_id``, ``dn``, ``amount`` (integer cents).
    customers
        ``customer_id`` and ``payment_terms_days`` (null: use ``default_terms_days``).
    as_of_dn
        The as-of date as an epoch day.
    default_terms_days
        Days of credit for an order without a due date whose customer has no terms.
    """
    # A view: the caller joins the customers table again, and Ibis must tell the two apart.
    view = customers.view()
    terms = view.select("customer_id", terms=view.payment_terms_days)
    inv = orders.filter(orders.net > 0).left_join(terms, "customer_id")
    # Integer cents: exact like DECIMAL, and running sums over int64 are much cheaper than
    # over DuckDB's 128-bit decimal accumulators.
    money = "int64"
    invoices = inv.select(
        "customer_id", "dn", kind=ibis.literal(0), seq=inv.order_id, amount=inv.net,
        due=ibis.coalesce(inv.due_dn, inv.dn + ibis.coalesce(inv.terms, default_terms_days)),
    )
    received = ibis.union(
        payments.select("customer_id", "dn", "amount"),
        orders.filter(orders.net < 0).select("customer_id", "dn", amount=-ibis._.net),
    )
    receipts = received.group_by("customer_id", "dn").agg(amount=received.amount.sum()).select(
        "customer_id", "dn", kind=ibis.literal(1), seq=ibis.literal(""), amount="amount",
        due=ibis.null("int64"),
    )
    # One pass in time order gives both running totals (invoices in FIFO order: by date,
    # then order id) and the customer's total received.
    stream = ibis.union(invoices, receipts)
    in_time = dict(group_by="customer_id", order_by=["dn", "kind", "seq"])
    is_invoice = stream.kind == 0
    zero = ibis.literal(0, type=money)
    stream = stream.mutate(
        cum=ibis.ifelse(is_invoice, stream.amount, zero).sum().over(
            ibis.window(**in_time, preceding=None, following=0)),
        cum_received=ibis.ifelse(is_invoice, zero, stream.amount).sum().over(
            ibis.window(**in_time, preceding=None, following=0)),
        received=ibis.ifelse(is_invoice, zero, stream.amount).sum().over(
            ibis.window(**in_time, preceding=None, following=None)),
    )
    stream = stream.mutate(
        cum=ibis.ifelse(stream.kind == 0, stream.cum, stream.cum_received),
        pay_dn=ibis.ifelse(stream.kind == 0, ibis.null("int64"), stream.dn),
    )
    # The paid-off day of each invoice: the first receipt whose running total reaches it.
    after = ibis.window(group_by="customer_id", order_by=["cum", "kind"], preceding=0, following=None)
    stream = stream.mutate(paid_dn=stream.pay_dn.min().over(after))
    stream = stream.mutate(open=ibis.least(stream.amount, ibis.greatest(stream.cum - stream.received, 0)))
    is_invoice = stream.kind == 0
    overdue = is_invoice & (stream.due < as_of_dn) & (stream.open > 0)
    due = is_invoice & (stream.due <= as_of_dn)
    # Invoices less money received is the balance: payments and returns are the receipts.
    per_customer = stream.group_by("customer_id").agg(
        outstanding=ibis.ifelse(is_invoice, stream.amount, -stream.amount).sum(),
        overdue_amount=stream.open.sum(where=overdue),
        max_days_overdue=(as_of_dn - stream.due).max(where=overdue),
        invoices_due=count_if(due),
        paid_on_time=count_if(due & (stream.paid_dn <= stream.due)),
    )
    return per_customer
