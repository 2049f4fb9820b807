"""Playbooks into work: the dated tasks of every rep, from the current classification.

For the day ``on`` (default today) tasks are derived from the current classes (the latest
snapshot holding each scheme, overrides included), their playbooks, the orders, payments and
activities up to that day. A customer has a class in several schemes; for each cadence the
strictest playbook wins (the shortest interval, then the best priority) and the task names
the scheme and class that set it. Kinds:

- ``visit`` / ``call`` / ``manager_visit``: due ``every`` days after the last matching
  activity (a visit also counts as a call; a manager visit is a visit logged by the rep's
  manager); a customer never contacted is due on the classification's as-of date;
- ``care``: the touches ``care_after_purchase_days`` (333: 3, 21, 90) after each purchase
  day; a touch is done by any contact (visit, call, message, care) on or after the midpoint
  between the previous touch and this one (the day after the purchase for the first);
- ``reminder``: a class whose playbook says ``remind: true`` (the M13 reminder states), due
  on the classification's as-of date, done by a contact on or after that day;
- ``restock``: a product with ``consumption_days`` bought on day L is probably used up on
  L + days; done by a new purchase of it or a contact from a week before;
- ``review``: a provisional grade (first order younger than ``provisional_months``) is due
  for review on the day the customer reaches that age, a class with ``review_after_days``
  that many days after the customer entered it; it fires once and goes when a
  classification at or after that day settles the grade (:mod:`tierwise.playbook.reviews`);
- ``collect``: an overdue balance, every ``collect_every_days`` from when it fell overdue or
  from the last contact; ``credit_hold``: the customer is on credit hold (over the limit, or
  overdue beyond the grace days), due at once;
- ``complaint``: the latest complaint not yet answered by a visit, call or care touch, due
  the next day, at the class's complaint priority (A-class complaints first).

Every "done" test compares with the customer's latest matching activity, so it is one join,
not a search. Care, restock and collect tasks more than ``stale_days`` overdue are dropped as
stale. Priority is the class's priority (1 = first; 5 without one), one step more urgent when
overdue and another when overdue by more than 30 days; tasks are listed by priority, then
kind (credit holds, complaints, visits, ... as in :data:`KINDS`), then due date. Owner: the
customer's rep; customers without one go to their department's manager (the manager most of
the department's reps report to); manager visits go to the rep's manager.

Each task has a stable id (kind, customer, and the dates that define it), so generating again
finds the same task; :func:`tierwise.playbook.task_store.sync_tasks` keeps them in the
``tasks`` table, closing those no longer generated (``done`` with the activity that did it,
or ``lapsed``).

Generating for a few customers (``customers=``) reads copies of their rows made first
through the customer indexes (:mod:`tierwise.playbook.inputs`), so the tasks of one customer
cost about as much as reading that customer's rows; ``kinds=`` computes only the kinds asked
for (a credit-limit change needs ``credit_hold`` and ``collect``, nothing else). The
statements of a generation are kept and run again, without Ibis, by the next one of the same
shape (the same day, kinds and playbooks).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise import progress
from tierwise.errors import ConfigError, DataError
from tierwise.metrics.expr import EPOCH, cents, day_number
from tierwise.playbook import inputs as inp
from tierwise.schemes import facts as stored_facts
from tierwise.schemes import fmt
from tierwise.schemes import spec as sp

if TYPE_CHECKING:
    from tierwise.playbook.inputs import Inputs, Recorder
    from tierwise.store.database import Database

CONTACT = ("visit", "call", "message", "care")
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # kind: (English, Chinese, activity kinds that do it)
    "credit_hold": ("credit hold", "信用冻结", ()),
    "complaint": ("complaint", "投诉处理", ("visit", "call", "care")),
    "visit": ("visit", "拜访", ("visit",)),
    "manager_visit": ("manager visit", "主管拜访", ("visit",)),
    "call": ("call", "电话", ("call", "visit")),
    "care": ("care touch", "关怀", CONTACT),
    "reminder": ("reminder", "提醒", CONTACT),
    "restock": ("restock", "补货提醒", CONTACT),
    "review": ("grade review", "复评", ()),
    "collect": ("collect payment", "催收", ("call", "visit", "message")),
}
COLUMNS = ("task_id", "due_date", "customer_id", "customer_name", "rep_id", "department", "kind",
           "priority", "overdue_days", "scheme", "class", "reason_en", "reason_zh", "since_date")
PARTS = ("task_id", "kind", "customer_id", "to_manager", "due_dn", "since_dn", "base_priority", "scheme",
         "class", "reason_en", "reason_zh")


@dataclass(frozen=True)
class TaskOptions:
    """What to generate: the day, how far ahead, and the rhythm of reminders."""

    on: date
    days: int = 7  # also tasks due up to this many days after ``on``
    stale_days: int = 60  # care, restock and collect tasks overdue longer are dropped
    collect_every_days: int = 7
    restock_lead_days: int = 7  # a contact this many days before the used-up day counts


def _lit(text: str) -> ir.StringValue:
    return ibis.literal(text, "string")


def _date_text(dn: ir.IntegerValue) -> ir.StringValue:
    """An epoch day as YYYY-MM-DD, on any engine."""
    return (ibis.literal(EPOCH) + dn.as_interval("D")).strftime("%Y-%m-%d")


def _join(*parts: Any) -> ir.StringValue:
    return _lit("").join([_lit(p) if isinstance(p, str) else p.cast("string") for p in parts])


# -- the current classification --------------------------------------------------------------
@dataclass(frozen=True)
class Playbooks:
    """The current classification as small tables: the playbook of every current class
    (``books``), the care offsets of classes with 333 care (``offsets``) and the current
    snapshot of each scheme (``snaps``)."""

    books: pa.Table
    offsets: pa.Table
    snaps: pa.Table

    TABLES = ("books", "offsets", "snaps")


@contextlib.contextmanager
def _registered(ws: Database, books: Playbooks | None) -> Iterator[dict[str, ir.Table]]:
    """The tables of ``books`` as engine tables of fixed names (the SQL of a kept plan reads
    them by name); none without playbooks (credit tasks only)."""
    names = Playbooks.TABLES if books is not None else ()
    for name in names:
        ws.con.register(f"_tw_gen_{name}", getattr(books, name))
    try:
        yield {name: ws.table(f"_tw_gen_{name}") for name in names}
    finally:
        for name in names:
            with contextlib.suppress(Exception):  # an aborted transaction: gone with its rollback
                ws.con.unregister(f"_tw_gen_{name}")


def _playbooks(ws: Database) -> Playbooks:
    """The current classification's playbooks (:class:`DataError` when nothing is classified)."""
    latest = sorted(stored_facts.current_schemes(ws.con).values(), key=lambda s: s.name)
    if not latest:
        raise DataError("no classification yet: run `tierwise classify` first; tasks come from the classes' "
                        "playbooks / 还没有分类结果：请先运行 tierwise classify")
    books: dict[str, list[Any]] = {k: [] for k in (
        "scheme", "class", "label_en", "label_zh", "visit", "call", "manager_visit", "priority",
        "complaint_priority", "remind", "review")}
    care: dict[str, list[Any]] = {k: [] for k in ("scheme", "class", "offset", "start")}
    for stored in latest:
        scheme = stored.name
        for c in stored.spec.classes:
            pb = c.playbook or sp.Playbook.model_validate({})
            for key, value in (("scheme", scheme), ("class", c.id), ("label_en", c.label.en),
                               ("label_zh", c.label.zh), ("visit", pb.visit_every_days),
                               ("call", pb.call_every_days), ("manager_visit", pb.manager_visit_every_days),
                               ("priority", pb.priority), ("complaint_priority", pb.complaint_priority),
                               ("remind", pb.remind), ("review", pb.review_after_days)):
                books[key].append(value)
            previous = 0
            for offset in pb.care_after_purchase_days:
                care["scheme"].append(scheme)
                care["class"].append(c.id)
                care["offset"].append(offset)
                care["start"].append(1 if previous == 0 else (previous + offset + 1) // 2)
                previous = offset
    int_cols = ("visit", "call", "manager_visit", "priority", "complaint_priority", "review")
    playbooks = pa.table({k: pa.array(v, pa.int64() if k in int_cols else pa.bool_() if k == "remind"
                                      else pa.string()) for k, v in books.items()})
    offsets = pa.table({k: pa.array(v, pa.string() if k in ("scheme", "class") else pa.int64())
                        for k, v in care.items()})
    snaps = pa.table({
        "snapshot_id": pa.array([r.snapshot_id for r in latest], pa.int64()),
        "scheme": pa.array([r.name for r in latest], pa.string()),
        "window": pa.array([r.window for r in latest], pa.string()),
        "as_dn": pa.array([(r.as_of - EPOCH).days for r in latest], pa.int64())})
    return Playbooks(playbooks, offsets, snaps)


def _current(src: Inputs, snaps: ir.Table) -> ir.Table:
    """Current classes (customer, scheme, class, as-of day, provisional day, first order) of
    the customers of ``src``; ``snaps``: the current snapshot of each scheme."""
    classes = src.table("classes").join(snaps, ["snapshot_id", "scheme"])
    facts = src.table("snapshot_customers")
    classes = classes.left_join(facts, [classes.snapshot_id == facts.snapshot_id,
                                        classes.window == facts.window,
                                        classes.customer_id == facts.customer_id])
    # no reasons here: 19 schemes × a million customers of text; reminders fetch theirs
    return classes.select(
        classes.snapshot_id, classes.customer_id, classes.scheme, klass=classes["class"], as_dn=classes.as_dn,
        provisional_dn=day_number(facts.provisional_until), first_order=facts.first_order_date)


def _activity_days(src: Inputs, on_dn: int) -> ir.Table:
    """Per customer, the day of the latest activity of each sort, up to ``on``."""
    acts = src.table("activities")
    acts = acts.mutate(dn=day_number(acts.activity_date.date())).filter(lambda t: t.dn <= on_dn)

    def latest(kinds: tuple[str, ...]) -> ir.IntegerValue:
        return acts.dn.max(where=acts.kind.isin(kinds))

    return acts.group_by("customer_id").agg(
        last_visit=latest(("visit",)), last_call=latest(("call", "visit")),
        last_contact=latest(CONTACT), last_answer=latest(("visit", "call", "care")),
        last_collect=latest(("call", "visit", "message")), last_complaint=latest(("complaint",)))


def _strictest(current: ir.Table, books: ir.Table, every: str) -> ir.Table:
    """Per customer, the class whose playbook sets the shortest ``every`` interval."""
    req = current.join(books, [current.scheme == books.scheme, current.klass == books["class"]])
    req = req.filter(req[every].notnull())
    order = [req[every], req.priority.fill_null(5), req.scheme]
    ranked = req.mutate(rn=ibis.row_number().over(group_by=req.customer_id, order_by=order))
    return ranked.filter(ranked.rn == 0).drop("rn")


def _cadence(current: ir.Table, books: ir.Table, last: ir.Table, kind: str, last_col: str,
             mgr_last: ir.Table | None = None) -> ir.Table:
    t = _strictest(current, books, kind)
    if mgr_last is not None:
        t = t.left_join(mgr_last, "customer_id").drop("customer_id_right")
        seen = t.last_manager_visit
    else:
        t = t.left_join(last, "customer_id").drop("customer_id_right")
        seen = t[last_col]
    every = t[kind]
    due = ibis.coalesce(seen + every, t.as_dn)
    en, zh, _ = KINDS[kind]
    what_en = {"visit": "last visit", "call": "last call or visit",
               "manager_visit": "last visit by the manager"}
    what_zh = {"visit": "上次拜访", "call": "上次电话或拜访", "manager_visit": "主管上次拜访"}
    never_en = {"visit": "never visited", "call": "never called or visited",
                "manager_visit": "never visited by the manager"}
    never_zh = {"visit": "从未拜访", "call": "从未电话或拜访", "manager_visit": "主管从未拜访"}
    seen_en = ibis.ifelse(seen.isnull(), _lit(never_en[kind]), _join(what_en[kind], " ", _date_text(seen)))
    seen_zh = ibis.ifelse(seen.isnull(), _lit(never_zh[kind]), _join(what_zh[kind], " ", _date_text(seen)))
    return t.select(
        task_id=_join(kind, ":", t.customer_id, ":", _date_text(due)), kind=_lit(kind),
        customer_id=t.customer_id, to_manager=ibis.literal(kind == "manager_visit"), due_dn=due,
        since_dn=ibis.coalesce(seen + 1, t.as_dn), base_priority=t.priority.fill_null(5), scheme=t.scheme,
        **{"class": t.klass},
        reason_en=_join(en, " due ", _date_text(due), ": every ", every, " days for ", t.label_en, " (",
                        t.scheme, "); ", seen_en),
        reason_zh=_join(zh, "到期 ", _date_text(due), "：", t.label_zh, "（", t.scheme, "）每 ", every,
                        " 天一次；", seen_zh))


def _care(src: Inputs, current: ir.Table, offsets: ir.Table, books: ir.Table, last: ir.Table,
          opt: TaskOptions, on_dn: int) -> ir.Table:
    per = current.join(offsets, [current.scheme == offsets.scheme, current.klass == offsets["class"]])
    per = per.join(books, [per.scheme == books.scheme, per.klass == books["class"]])
    ranked = per.mutate(rn=ibis.row_number().over(
        group_by=[per.customer_id, per.offset], order_by=[per.priority.fill_null(5), per.scheme]))
    per = ranked.filter(ranked.rn == 0)
    orders = src.table("orders")
    days = orders.mutate(dn=day_number(orders.order_date.date())).filter(lambda t: t.dn <= on_dn)
    days = days.group_by(["customer_id", "dn"]).agg(net=days.amount.sum()).filter(lambda t: t.net > 0)
    days = days.filter(days.dn >= on_dn - opt.stale_days - 400)  # touches reach at most a year or so back
    t = per.join(days, "customer_id")
    t = t.mutate(due_dn=t.dn + t.offset, since_dn=t.dn + t.start)
    t = t.filter((t.due_dn >= on_dn - opt.stale_days) & (t.due_dn <= on_dn + opt.days))
    t = t.left_join(last, "customer_id").drop("customer_id_right")
    t = t.filter(t.last_contact.isnull() | (t.last_contact < t.since_dn))
    bought = _date_text(t.dn)
    return t.select(
        task_id=_join("care:", t.customer_id, ":", bought, ":", t.offset), kind=_lit("care"),
        customer_id=t.customer_id, to_manager=ibis.literal(False), due_dn=t.due_dn, since_dn=t.since_dn,
        base_priority=t.priority.fill_null(5), scheme=t.scheme, **{"class": t.klass},
        reason_en=_join("care touch ", t.offset, " days after the purchase of ", bought, " (", t.label_en,
                        ", ", t.scheme, ")"),
        reason_zh=_join("购买（", bought, "）后第 ", t.offset, " 天关怀（", t.label_zh, "，", t.scheme, "）"))


def _reminders(src: Inputs, current: ir.Table, books: ir.Table, last: ir.Table) -> ir.Table:
    t = current.join(books, [current.scheme == books.scheme, current.klass == books["class"]])
    t = t.filter(t.remind)
    t = t.left_join(last, "customer_id").drop("customer_id_right")
    t = t.filter(t.last_contact.isnull() | (t.last_contact < t.as_dn))
    c = src.table("classes").select("snapshot_id", "scheme", "customer_id", "reason_en", "reason_zh")
    t = t.join(c, ["snapshot_id", "scheme", "customer_id"])
    return t.select(
        task_id=_join("reminder:", t.klass, ":", t.customer_id, ":", _date_text(t.as_dn)),
        kind=_lit("reminder"), customer_id=t.customer_id, to_manager=ibis.literal(False), due_dn=t.as_dn,
        since_dn=t.as_dn, base_priority=t.priority.fill_null(5), scheme=t.scheme, **{"class": t.klass},
        reason_en=_join(t.reason_en, " (", t.scheme, ")"),
        reason_zh=_join(t.reason_zh, "（", t.scheme, "）"))


def _restock(src: Inputs, last: ir.Table, opt: TaskOptions, on_dn: int) -> ir.Table:
    orders, products = src.table("orders"), src.table("products")
    lines = orders.mutate(dn=day_number(orders.order_date.date())).filter(
        lambda t: (t.dn <= on_dn) & t.product_id.notnull() & (t.amount > 0))
    bought = lines.group_by(["customer_id", "product_id"]).agg(bought_dn=lines.dn.max())
    prods = products.filter(products.consumption_days.notnull() & (products.consumption_days > 0))
    prods = prods.select("product_id", pname=prods["name"], lasts=prods.consumption_days)
    t = bought.join(prods, "product_id")
    t = t.mutate(due_dn=t.bought_dn + t.lasts)
    t = t.filter((t.due_dn >= on_dn - opt.stale_days) & (t.due_dn <= on_dn + opt.days))
    t = t.left_join(last, "customer_id").drop("customer_id_right")
    t = t.filter(t.last_contact.isnull() | (t.last_contact < t.due_dn - opt.restock_lead_days))
    # one task per customer: the product used up first, and how many more
    name = ibis.coalesce(t.pname, t.product_id)
    key = ibis.struct({"due": t.due_dn, "product": t.product_id})
    t = t.group_by("customer_id").agg(
        due_dn=t.due_dn.min(), products=t.count(), first_name=name.argmin(key),
        first_bought=t.bought_dn.argmin(key), first_lasts=t.lasts.argmin(key))
    more_en = ibis.ifelse(t.products > 1, _join(" (and ", t.products - 1, " more products)"), _lit(""))
    more_zh = ibis.ifelse(t.products > 1, _join("（另有 ", t.products - 1, " 种产品）"), _lit(""))
    return t.select(
        task_id=_join("restock:", t.customer_id, ":", _date_text(t.due_dn)),
        kind=_lit("restock"), customer_id=t.customer_id, to_manager=ibis.literal(False), due_dn=t.due_dn,
        since_dn=t.due_dn - opt.restock_lead_days, base_priority=ibis.literal(3, "int64"),
        scheme=ibis.null("string"), **{"class": ibis.null("string")},
        reason_en=_join(t.first_name, " bought ", _date_text(t.first_bought), " lasts about ", t.first_lasts,
                        " days: probably used up by ", _date_text(t.due_dn), more_en),
        reason_zh=_join(t.first_name, " 于 ", _date_text(t.first_bought), " 购买，约可用 ", t.first_lasts,
                        " 天：预计 ", _date_text(t.due_dn), " 用完", more_zh))


def _credit(src: Inputs, build: Recorder, last: ir.Table, opt: TaskOptions, on_dn: int) -> ir.Table:
    from tierwise.playbook.credit import position_expr, yuan_expr

    pos = position_expr(src.ws, opt.on, tables=src.table, stage=lambda t: build.stage("_tw_gen_figures", t))
    pos = pos.select("customer_id", "overdue_amount", "max_days_overdue", "on_hold", "hold_reason_en",
                     "hold_reason_zh")
    t = build.stage("_tw_gen_credit", pos)
    t = t.left_join(last, "customer_id").drop("customer_id_right")
    holds = t.filter(t.on_hold)
    hold = holds.select(
        task_id=_join("credit_hold:", holds.customer_id), kind=_lit("credit_hold"),
        customer_id=holds.customer_id, to_manager=ibis.literal(False), due_dn=ibis.literal(on_dn, "int64"),
        since_dn=ibis.literal(on_dn, "int64"), base_priority=ibis.literal(1, "int64"),
        scheme=ibis.null("string"), **{"class": ibis.null("string")},
        reason_en=_join(holds.hold_reason_en, "; collect before shipping new orders"),
        reason_zh=_join(holds.hold_reason_zh, "；回款前暂停发货"))
    owe = t.filter(t.overdue_amount > 0)
    since_overdue = on_dn - owe.max_days_overdue.cast("int64")
    next_call = ibis.coalesce(owe.last_collect + opt.collect_every_days, since_overdue)
    due = ibis.greatest(since_overdue, next_call)
    with fmt.dialect("duckdb"):  # the engine's own thousands grouping: the same text, a far smaller query
        amount = yuan_expr(cents(owe.overdue_amount))
    collect = owe.select(
        task_id=_join("collect:", owe.customer_id, ":", _date_text(due)), kind=_lit("collect"),
        customer_id=owe.customer_id, to_manager=ibis.literal(False), due_dn=due,
        since_dn=ibis.coalesce(owe.last_collect + 1, since_overdue), base_priority=ibis.literal(2, "int64"),
        scheme=ibis.null("string"), **{"class": ibis.null("string")},
        reason_en=_join("collect ", amount, " overdue, the oldest ", owe.max_days_overdue, " days"),
        reason_zh=_join("催收逾期款 ", amount, "，最长逾期 ", owe.max_days_overdue, " 天"))
    collect = collect.filter(collect.due_dn >= on_dn - opt.stale_days)
    return hold.union(collect)


def _complaints(current: ir.Table, books: ir.Table, last: ir.Table) -> ir.Table:
    cls = current.join(books, [current.scheme == books.scheme, current.klass == books["class"]])
    best = cls.group_by("customer_id").agg(prio=cls.complaint_priority.min())
    t = last.filter(last.last_complaint.notnull() & (last.last_answer.isnull()
                                                     | (last.last_answer < last.last_complaint)))
    t = t.left_join(best, "customer_id").drop("customer_id_right")
    day = _date_text(t.last_complaint)
    return t.select(
        task_id=_join("complaint:", t.customer_id, ":", day), kind=_lit("complaint"),
        customer_id=t.customer_id, to_manager=ibis.literal(False), due_dn=t.last_complaint + 1,
        since_dn=t.last_complaint, base_priority=t.prio.fill_null(2), scheme=ibis.null("string"),
        **{"class": ibis.null("string")},
        reason_en=_join("complaint of ", day, " not yet answered by a visit, call or care touch"),
        reason_zh=_join(day, " 的投诉尚未通过拜访、电话或关怀回应"))


def _owners(src: Inputs) -> ir.Table:
    """Per customer of ``src``: name, department, owning rep (or the department's manager),
    and the rep's manager (for manager visits)."""
    reps, customers = src.table("reps"), src.table("customers")
    mgr = reps.filter(reps.manager_id.notnull()).group_by(["department", "manager_id"]).agg(n=ibis._.count())
    mgr = mgr.mutate(rn=ibis.row_number().over(group_by=mgr.department,
                                                order_by=[ibis.desc(mgr.n), mgr.manager_id]))
    dept = mgr.filter(mgr.rn == 0).select("department", dept_manager=mgr.manager_id)
    known = reps.select(rep=reps.rep_id, rep_manager=reps.manager_id)
    c = customers.select("customer_id", customer_name=customers["name"], department=customers.department,
                         rep_id=customers.rep_id)
    c = c.left_join(known, c.rep_id == known.rep).left_join(dept, "department").drop("department_right")
    return c.select("customer_id", "customer_name", "department",
                    rep=ibis.coalesce(c.rep_id, c.dept_manager),
                    manager=ibis.coalesce(c.rep_manager, c.dept_manager))


def generate_tasks(ws: Database, options: TaskOptions, *, customers: Sequence[str] | None = None,
                   kinds: Collection[str] | None = None) -> pa.Table:
    """Every open task due up to ``options.on + options.days``, columns :data:`COLUMNS`, sorted
    by priority, due date and customer.

    ``customers`` (default: everyone) and ``kinds`` (default: all of :data:`KINDS`) narrow what
    is computed, not only what is returned: the tasks of one customer read that customer's
    rows. ``credit_hold`` and ``collect`` alone need no classification.
    """
    with inp.scoped_inputs(ws, customers) as src:
        return tasks_from(src, options, kinds=kinds)


PLANS = inp.Plans()


def tasks_from(src: Inputs, options: TaskOptions, *, kinds: Collection[str] | None = None) -> pa.Table:
    """:func:`generate_tasks` over inputs in place (a refresh keeps the copies of its customers'
    rows for closing their tasks). The statements are those of the last generation of the
    same shape when there is one."""
    wanted = set(KINDS) if kinds is None else set(kinds)
    if wanted - set(KINDS):
        raise ConfigError(f"task kinds {sorted(wanted - set(KINDS))}: not one of {', '.join(KINDS)} / "
                        f"未知的任务类型")
    ws = src.ws
    classed = bool(wanted - {"credit_hold", "collect"})
    books = _playbooks(ws) if classed else None  # first: without a classification there is nothing to do
    s = ws.settings
    # everything the SQL depends on besides the rows: a change here means another plan
    key = (src.scoped, options, tuple(sorted(wanted)), kinds is None, s.provisional_months,
           s.credit_grace_days, s.payment_terms_days, inp.columns_of(ws),
           tuple(inp.rows_of(getattr(books, n)) for n in Playbooks.TABLES) if books else None)
    plan = PLANS.get(key)
    with _registered(ws, books) as tables:
        if plan is not None:
            try:
                return inp.replay(ws, plan).select(list(COLUMNS))
            finally:
                inp.drop_steps(ws, plan)
        build = inp.Recorder(ws)
        try:
            out = _build(src, build, options, wanted, kinds is not None, tables, books)
            table = build.result(out).select(list(COLUMNS))
        finally:
            inp.drop_steps(ws, build.plan)
    PLANS.put(key, build.plan)
    return table


def _build(src: Inputs, build: Recorder, options: TaskOptions, wanted: set[str], narrowed: bool,
           tables: dict[str, ir.Table], playbooks: Playbooks | None) -> ir.Table:
    """The tasks query (its shared inputs staged as temporary tables by ``build``)."""
    from tierwise.playbook.reviews import review_tasks

    on_dn = (options.on - EPOCH).days
    # the inputs several kinds read are computed once (temporary tables), not once per kind
    progress.report(0.05, "last contacts", "最近联系")
    last = build.stage("_tw_gen_last", _activity_days(src, on_dn))
    progress.report(0.15, "owners", "负责人")
    owners = build.stage("_tw_gen_owners", _owners(src))
    parts: list[ir.Table] = []
    if playbooks is not None:
        books, offsets = tables["books"], tables["offsets"]
        progress.report(0.2, "current classes", "当前类别")
        current = build.stage("_tw_gen_current", _current(src, tables["snaps"]))
        if "manager_visit" in wanted:
            acts = src.table("activities")
            acts = acts.mutate(dn=day_number(acts.activity_date.date()))
            by_mgr = acts.join(owners, "customer_id").filter(
                lambda t: (t.kind == "visit") & (t.rep_id == t.manager) & (t.dn <= on_dn))
            mgr_last = by_mgr.group_by("customer_id").agg(last_manager_visit=by_mgr.dn.max())
        makers = {
            "visit": lambda: _cadence(current, books, last, "visit", "last_visit"),
            "call": lambda: _cadence(current, books, last, "call", "last_call"),
            "manager_visit": lambda: _cadence(current, books, last, "manager_visit", "", mgr_last),
            "care": lambda: _care(src, current, offsets, books, last, options, on_dn),
            "reminder": lambda: _reminders(src, current, books, last),
            "restock": lambda: _restock(src, last, options, on_dn),
            "review": lambda: review_tasks(src, current, books, playbooks.books,
                                           src.ws.settings.provisional_months),
            "complaint": lambda: _complaints(current, books, last),
        }
        parts += [make() for kind, make in makers.items() if kind in wanted]
    if wanted & {"credit_hold", "collect"}:
        progress.report(0.3, "credit", "信用")
        parts.append(_credit(src, build, last, options, on_dn))
    progress.report(0.4, "tasks from the playbooks", "按策略生成任务")
    tasks = ibis.union(*(p.select(*PARTS) for p in parts))
    if narrowed:
        tasks = tasks.filter(tasks.kind.isin(sorted(wanted)))
    tasks = tasks.filter(tasks.due_dn <= on_dn + options.days)
    t = tasks.left_join(owners, "customer_id").drop("customer_id_right")
    overdue = ibis.greatest(on_dn - t.due_dn, 0)
    urgency = ibis.ifelse(overdue > 0, 1, 0) + ibis.ifelse(overdue > 30, 1, 0)
    out = t.select(
        "task_id", due_date=(ibis.literal(EPOCH) + t.due_dn.as_interval("D")).cast("date"),
        customer_id=t.customer_id, customer_name=t.customer_name,
        rep_id=ibis.ifelse(t.to_manager, t.manager, t.rep), department=t.department, kind=t.kind,
        priority=ibis.greatest(t.base_priority - urgency, 1), overdue_days=overdue, scheme=t.scheme,
        **{"class": t["class"]}, reason_en=t.reason_en, reason_zh=t.reason_zh,
        since_date=(ibis.literal(EPOCH) + t.since_dn.as_interval("D")).cast("date"))
    # within a priority: holds and complaints first, then the kinds in the order of KINDS
    rank = ibis.cases(*((out.kind == k, i) for i, k in enumerate(KINDS)), else_=len(KINDS))
    return out.order_by([out.priority, rank, out.due_date, out.customer_id, out.task_id])
