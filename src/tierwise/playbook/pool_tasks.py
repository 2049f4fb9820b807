"""The public pool's rules as engine expressions (see :mod:`tierwise.playbook.pool` for the
rules themselves): who is neglected and when each customer goes back to the pool
(:func:`neglected`), the rep's warning task (``pool``, 公海预警) and the manager's escalation
(``pool_escalation``) that task generation adds, and the texts saying why, in English and
Chinese. Recycling (pool.py) reads the same expressions, so a warning and the move it warns of
never disagree on the day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from tierwise.metrics.expr import EPOCH, day_number

if TYPE_CHECKING:
    from tierwise.playbook.inputs import Inputs


def _lit(text: str) -> ir.StringValue:
    return ibis.literal(text, "string")


def join_text(*parts: Any) -> ir.StringValue:
    """One string expression of ``parts``: literal texts and expressions (cast to text)."""
    return _lit("").join([_lit(p) if isinstance(p, str) else p.cast("string") for p in parts])


def _date_text(dn: ir.IntegerValue) -> ir.StringValue:
    return (ibis.literal(EPOCH) + dn.as_interval("D")).strftime("%Y-%m-%d")


# -- who is neglected --------------------------------------------------------------------------
def neglected(src: Inputs, current: ir.Table, books: ir.Table, last: ir.Table, on_dn: int) -> ir.Table:
    """Per owned customer in a class with a recycling rule, the rule that falls due first:
    ``customer_id``, ``rep_id``, ``scheme``, ``klass``, ``deadline_dn`` (the rule's day),
    ``warn_dn`` (the day the warning starts), ``final_dn`` (the day it goes to the pool: the rule's
    day, or later when the warning was raised less than ``warn_before_days`` before it),
    ``warned_dn`` (the day the open warning was raised, null if none), ``seen_dn`` (the last
    follow-up or order, null if none), ``owned_dn`` and the rule (``pool_after``,
    ``pool_without``, ``priority``, the class's labels and title). ``current``/``books``/``last``:
    as task generation stages them."""
    req = current.join(books, [current.scheme == books.scheme, current.klass == books["class"]])
    req = req.filter(req.pool_after.notnull())
    customers = src.table("customers")
    owned = customers.filter(customers.rep_id.notnull()).select("customer_id", owner=customers.rep_id)
    owners = src.table("owners")
    owners = owners.select("customer_id", owner_since=day_number(owners.since), owner_rep=owners.rep_id)
    orders = src.table("orders")
    lines = orders.mutate(dn=day_number(orders.order_date.date())).filter(
        lambda t: (t.dn <= on_dn) & (t.amount > 0))
    bought = lines.group_by("customer_id").agg(last_order=lines.dn.max())
    t = req.join(owned, "customer_id")
    t = t.left_join(owners, "customer_id").drop("customer_id_right")
    t = t.left_join(last.select("customer_id", "last_contact"), "customer_id").drop("customer_id_right")
    t = t.left_join(bought, "customer_id").drop("customer_id_right")
    seen = ibis.ifelse(t.pool_without == "order", t.last_order, t.last_contact)
    # the day the owner got it counts only for the owner it names (an import may have moved it since)
    got = ibis.ifelse(t.owner_rep == t.owner, t.owner_since, ibis.null("int64"))
    start = ibis.coalesce(ibis.greatest(seen, got), day_number(t.first_order), t.as_dn)
    t = t.mutate(seen_dn=seen, owned_dn=got, deadline_dn=start + t.pool_after)
    ranked = t.mutate(rn=ibis.row_number().over(
        group_by=t.customer_id, order_by=[t.deadline_dn, t.priority.fill_null(5), t.scheme]))
    t = ranked.filter(ranked.rn == 0)
    # nobody goes to the pool unwarned: the warning runs its full days from when it was raised
    # (the first run of a rule finds customers long past the deadline; they get the days too)
    tasks = src.table("tasks")
    raised = tasks.filter((tasks.kind == "pool") & (tasks.status == "open"))
    raised = raised.group_by("customer_id").agg(warned_dn=day_number(raised.raised_on).min())
    t = t.left_join(raised, "customer_id").drop("customer_id_right")
    final = ibis.greatest(t.deadline_dn, ibis.coalesce(t.warned_dn, on_dn) + t.pool_warn)
    return t.select("customer_id", rep_id=t.owner, scheme=t.scheme, klass=t.klass, deadline_dn=t.deadline_dn,
                    warn_dn=t.deadline_dn - t.pool_warn, final_dn=final, warned_dn=t.warned_dn,
                    seen_dn=t.seen_dn, owned_dn=t.owned_dn,
                    pool_after=t.pool_after, pool_without=t.pool_without, pool_warn=t.pool_warn,
                    pool_escalate=t.pool_escalate, priority=t.priority, label_en=t.label_en,
                    label_zh=t.label_zh, title_en=t.title_en, title_zh=t.title_zh)


def since_text(t: ir.Table) -> tuple[ir.StringValue, ir.StringValue]:
    """Why the clock runs, in English and Chinese: the last follow-up (order) or its absence,
    and the day the rep got the customer when that is later."""
    order = t.pool_without == "order"
    what_en = ibis.ifelse(order, _lit("order"), _lit("follow-up"))
    what_zh = ibis.ifelse(order, _lit("下单"), _lit("跟进"))
    en = ibis.ifelse(t.seen_dn.isnull(), join_text("no ", what_en, " yet"),
                     join_text("last ", what_en, " ", _date_text(t.seen_dn)))
    zh = ibis.ifelse(t.seen_dn.isnull(), join_text("从未", what_zh),
                     join_text("上次", what_zh, " ", _date_text(t.seen_dn)))
    got = t.owned_dn.notnull() & (t.seen_dn.isnull() | (t.owned_dn > t.seen_dn))
    en = ibis.ifelse(got, join_text(en, ", owned since ", _date_text(t.owned_dn)), en)
    zh = ibis.ifelse(got, join_text(zh, "，", _date_text(t.owned_dn), " 起负责"), zh)
    return en, zh


def rule_text(t: ir.Table) -> tuple[ir.StringValue, ir.StringValue]:
    order = t.pool_without == "order"
    en = join_text(t.label_en, ", ", t.title_en, ": back to the pool after ", t.pool_after,
                   ibis.ifelse(order, _lit(" days without an order"), _lit(" days without a follow-up")))
    zh = join_text(t.label_zh, "，", t.title_zh, "：", t.pool_after,
                   ibis.ifelse(order, _lit(" 天未下单收回公海"), _lit(" 天未跟进收回公海")))
    return en, zh


def warning_tasks(late: ir.Table, on_dn: int) -> ir.Table:
    """The ``pool`` task (公海预警) of each customer inside its warning days: follow up before
    the day it goes to the pool. Due when the warning starts (the day it was first raised, for
    a customer the rule found already past its day), so it is in today's list; done by a
    follow-up (which moves the day: a new warning comes when the next one nears). ``late``:
    :func:`neglected`."""
    t = late.filter(late.warn_dn <= on_dn)
    since_en, since_zh = since_text(t)
    rule_en, rule_zh = rule_text(t)
    day = _date_text(t.final_dn)
    order = t.pool_without == "order"
    due = ibis.greatest(t.warn_dn, ibis.coalesce(t.warned_dn, on_dn))
    return t.select(
        task_id=join_text("pool:", t.customer_id, ":", _date_text(t.deadline_dn)), kind=_lit("pool"),
        customer_id=t.customer_id, to_manager=ibis.literal(False), due_dn=due,
        since_dn=t.warn_dn, base_priority=t.priority.fill_null(5), scheme=t.scheme, **{"class": t.klass},
        reason_en=join_text(ibis.ifelse(order, _lit("get an order"), _lit("follow up")), " before ", day,
                            ", when the customer goes back to the public pool: ", since_en,
                            " (", rule_en, ")"),
        reason_zh=join_text("请在 ", day, " 前", ibis.ifelse(order, _lit("促成下单"), _lit("跟进")),
                            "，届时客户将收回公海：", since_zh, "（", rule_zh, "）"))


def escalation_tasks(late: ir.Table, on_dn: int) -> ir.Table:
    """The ``pool_escalation`` task of the owner's manager, ``escalate_before_days`` before the
    customer goes to the pool (the rep's warning came earlier and is still open): rep → manager
    → pool. Done by a follow-up, which moves the day. ``late``: :func:`neglected`."""
    t = late.filter(late.pool_escalate.notnull())
    t = t.filter(t.final_dn - t.pool_escalate <= on_dn)
    since_en, since_zh = since_text(t)
    rule_en, rule_zh = rule_text(t)
    day = _date_text(t.final_dn)
    return t.select(
        task_id=join_text("pool_escalation:", t.customer_id, ":", _date_text(t.deadline_dn)),
        kind=_lit("pool_escalation"), customer_id=t.customer_id, to_manager=ibis.literal(True),
        due_dn=t.final_dn - t.pool_escalate, since_dn=t.warn_dn,
        base_priority=ibis.greatest(t.priority.fill_null(5) - 1, 1), scheme=t.scheme, **{"class": t.klass},
        reason_en=join_text(t.rep_id, "'s customer goes back to the public pool on ", day,
                            " unless followed up: ", since_en, " (", rule_en, ")"),
        reason_zh=join_text(t.rep_id, " 的客户将于 ", day, " 收回公海，除非尽快跟进：", since_zh,
                            "（", rule_zh, "）"))
