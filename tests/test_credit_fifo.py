"""The credit metrics' FIFO allocation against a plain Python one, on generated ledgers.

:func:`tierwise.metrics.credit.credit_metrics` is a few window passes on the engine (fewer for
the balances alone, ``on_time=False``); here each generated customer's ledger is also settled
by hand, invoice by invoice, in the order a finance clerk would: invoices oldest first (then by
order id), money received (payments and returns) applied as it arrives. Same-day invoices,
receipts on a due day, returns larger than an order, customers with receipts and no invoice,
refunds (negative payments) are all drawn.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import ibis
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tierwise.metrics.credit import credit_metrics

AS_OF = 100
TERMS = 30

customer = st.sampled_from(["A", "B", "C", "D"])
orders_st = st.lists(
    st.tuples(customer, st.integers(0, AS_OF), st.integers(-300, 1000), st.none() | st.integers(0, 140)),
    max_size=25,
)
payments_st = st.lists(st.tuples(customer, st.integers(0, AS_OF), st.integers(-100, 900)), max_size=15)
terms_st = st.fixed_dictionaries({c: st.none() | st.integers(0, 60) for c in "ABCD"})


def by_hand(orders: list[tuple[Any, ...]], payments: list[tuple[Any, ...]],
            terms: dict[str, int | None]) -> dict[str, dict[str, Any]]:
    ledgers: dict[str, dict[str, list[Any]]] = defaultdict(lambda: {"inv": [], "rec": []})
    for oid, (cid, dn, net, due) in enumerate(orders):
        if net > 0:
            days = terms[cid] if terms[cid] is not None else TERMS
            ledgers[cid]["inv"].append((dn, f"O{oid:03d}", net, due if due is not None else dn + days))
        elif net < 0:
            ledgers[cid]["rec"].append((dn, -net))
    for cid, dn, amount in payments:
        ledgers[cid]["rec"].append((dn, amount))
    out = {}
    for cid, ledger in ledgers.items():
        received = sum(a for _, a in ledger["rec"])
        per_day: dict[int, int] = defaultdict(int)
        for dn, amount in ledger["rec"]:
            per_day[dn] += amount
        running, reached = 0, []  # (day, money received by the end of it)
        for dn in sorted(per_day):
            running += per_day[dn]
            reached.append((dn, running))
        billed = cum = overdue_amount = invoices_due = on_time = 0
        max_days = None
        for _, _, amount, due in sorted(ledger["inv"]):
            billed += amount
            cum += amount
            unpaid = min(amount, max(cum - received, 0))
            paid_off = next((d for d, r in reached if r >= cum), None)
            if due < AS_OF and unpaid > 0:
                overdue_amount += unpaid
                max_days = max(max_days or 0, AS_OF - due)
            if due <= AS_OF:
                invoices_due += 1
                on_time += paid_off is not None and paid_off <= due
        out[cid] = {"outstanding": billed - received,
                    "overdue_amount": overdue_amount if max_days is not None else None,
                    "max_days_overdue": max_days, "invoices_due": invoices_due, "paid_on_time": on_time}
    return out


@settings(max_examples=150, deadline=None)
@given(orders=orders_st, payments=payments_st, terms=terms_st)
def test_engine_fifo_equals_settling_by_hand(orders: list[tuple[Any, ...]], payments: list[tuple[Any, ...]],
                                             terms: dict[str, int | None]) -> None:
    con = ibis.duckdb.connect()
    order_rows = pa.table({
        "customer_id": pa.array([o[0] for o in orders], pa.string()),
        "order_id": pa.array([f"O{i:03d}" for i in range(len(orders))], pa.string()),
        "net": pa.array([o[2] for o in orders], pa.int64()),
        "dn": pa.array([o[1] for o in orders], pa.int64()),
        "due_dn": pa.array([o[3] for o in orders], pa.int64()),
    })
    payment_rows = pa.table({
        "customer_id": pa.array([p[0] for p in payments], pa.string()),
        "dn": pa.array([p[1] for p in payments], pa.int64()),
        "amount": pa.array([p[2] for p in payments], pa.int64()),
    })
    customer_rows = pa.table({"customer_id": list(terms), "payment_terms_days": pa.array(
        list(terms.values()), pa.int64())})
    expr = credit_metrics(ibis.memtable(order_rows), ibis.memtable(payment_rows),
                          ibis.memtable(customer_rows), as_of_dn=AS_OF, default_terms_days=TERMS)
    got = {r.pop("customer_id"): r for r in con.to_pyarrow(expr).to_pylist()}
    hand = by_hand(orders, payments, terms)
    assert got == hand
    # the balances alone (credit positions): the same balances, without the on-time counts
    expr = credit_metrics(ibis.memtable(order_rows), ibis.memtable(payment_rows),
                          ibis.memtable(customer_rows), as_of_dn=AS_OF, default_terms_days=TERMS,
                          on_time=False)
    balances = {r.pop("customer_id"): r for r in con.to_pyarrow(expr).to_pylist()}
    assert balances == {c: {k: v for k, v in row.items() if k not in ("invoices_due", "paid_on_time")}
                        for c, row in hand.items()}
