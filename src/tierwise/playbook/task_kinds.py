"""The task of each kind a playbook asks for, as engine expressions: visit and call cadences,
"333" care, reminders, restock, credit holds and collection, complaints. Each maker returns
rows of :data:`PARTS`; :mod:`tierwise.playbook.tasks` unions them, adds owners and priorities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.metrics.expr import EPOCH, cents, day_number
from tierwise.playbook.inputs import SCOPED
from tierwise.schemes import fmt, why
from tierwise.schemes.facts import current_schemes
from tierwise.schemes.store import templates, written_reason

if TYPE_CHECKING:
    from tierwise.playbook.inputs import Inputs, Recorder
    from tierwise.playbook.tasks import TaskOptions

CONTACT = ("visit", "call", "message", "care")
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # kind: (English, Chinese, activity kinds that do it)
    "credit_hold": ("credit hold", "信用冻结", ()),
    "complaint": ("complaint", "投诉处理", ("visit", "call", "care")),
    "pool": ("public pool warning", "公海预警", CONTACT),
    "pool_escalation": ("public pool warning to the manager", "公海预警（主管）", CONTACT),
    "visit": ("visit", "拜访", ("visit",)),
    "manager_visit": ("manager visit", "主管拜访", ("visit",)),
    "call": ("call", "电话", ("call", "visit")),
    "care": ("care touch", "关怀", CONTACT),
    "reminder": ("reminder", "提醒", CONTACT),
    "restock": ("restock", "补货提醒", CONTACT),
    "review": ("grade review", "复评", ()),
    "collect": ("collect payment", "催收", ("call", "visit", "message")),
    "set_limit": ("set a credit limit", "制定授信额度", ()),
}
CREDIT_ONLY = ("credit_hold", "collect", "set_limit")  # the kinds of the credit position
PART_TYPES = {"task_id": "VARCHAR", "kind": "VARCHAR", "customer_id": "VARCHAR", "to_manager": "BOOLEAN",
              "due_dn": "BIGINT", "since_dn": "BIGINT", "base_priority": "BIGINT", "scheme": "VARCHAR",
              "class": "VARCHAR", "reason_en": "VARCHAR", "reason_zh": "VARCHAR"}  # engine types
PARTS = tuple(PART_TYPES)


def _lit(text: str) -> ir.StringValue:
    return ibis.literal(text, "string")


def _date_text(dn: ir.IntegerValue) -> ir.StringValue:
    """An epoch day as YYYY-MM-DD, on any engine."""
    return (ibis.literal(EPOCH) + dn.as_interval("D")).strftime("%Y-%m-%d")


def _join(*parts: Any) -> ir.StringValue:
    return _lit("").join([_lit(p) if isinstance(p, str) else p.cast("string") for p in parts])


def _strictest(current: ir.Table, books: ir.Table, every: str) -> ir.Table:
    """Per customer, the class whose playbook sets the shortest ``every`` interval (then the best
    priority, then the scheme's name). A window, not an arg_min per customer: the aggregate was
    a little faster at a million customers (2.5 s against 2.9), but its ten million states of
    strings did not fit the engine's half of 2GB at ten million (out of memory), where the
    window's sort spills."""
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
                        t.title_en, "); ", seen_en),
        reason_zh=_join(zh, "到期 ", _date_text(due), "：", t.label_zh, "（", t.title_zh, "）每 ", every,
                        " 天一次；", seen_zh))


def _care(src: Inputs, current: ir.Table, offsets: ir.Table, books: ir.Table, last: ir.Table,
          opt: TaskOptions, on_dn: int) -> ir.Table:
    """The "333" touches after the customer's latest purchase day up to ``on_dn``: a new
    purchase starts the sequence again (the touches of the one before lapse), so a frequent
    buyer has one sequence open, not one per purchase."""
    per = current.join(offsets, [current.scheme == offsets.scheme, current.klass == offsets["class"]])
    per = per.join(books, [per.scheme == books.scheme, per.klass == books["class"]])
    ranked = per.mutate(rn=ibis.row_number().over(
        group_by=[per.customer_id, per.offset], order_by=[per.priority.fill_null(5), per.scheme]))
    per = ranked.filter(ranked.rn == 0)
    orders = src.table("orders")
    days = orders.mutate(dn=day_number(orders.order_date.date())).filter(lambda t: t.dn <= on_dn)
    days = days.group_by(["customer_id", "dn"]).agg(net=days.amount.sum()).filter(lambda t: t.net > 0)
    days = days.group_by("customer_id").agg(dn=days.dn.max())
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
                        ", ", t.title_en, ")"),
        reason_zh=_join("购买（", bought, "）后第 ", t.offset, " 天关怀（", t.label_zh, "，", t.title_zh,
                        "）"))


def _reminders(src: Inputs, current: ir.Table, books: ir.Table, last: ir.Table,
               book_rows: pa.Table) -> list[ir.Table]:
    """A reminder for each state of a customer whose class reminds (``remind: true``), not only
    the first: a thresholds scheme's rules are flags, and a customer not reordering for 90 days
    who was never followed up has both reminders. The class is the first rule met (its reason
    as stored); every other rule met whose class reminds adds its own, with that rule's reason
    (the rule's arm of the stored template: the values are in the row)."""
    reminding = {(r["scheme"], r["class"])
                 for r in book_rows.select(["scheme", "class", "remind"]).to_pylist() if r["remind"]}
    c = src.table("classes")
    # the reasons written out by the engine from the current snapshots' templates
    found = templates(src.ws, {s.snapshot_id for s in current_schemes(src.ws.con).values()})
    ids = ["snapshot_id", "scheme", "customer_id"]
    # the playbook's columns come with the current class (joined once, on scheme and class), and
    # only the reminding schemes' class rows are read: joined again after the stored classes, the
    # books met them on the scheme alone (a million reminders × the scheme's classes) and the join
    # probed every scheme's rows (46 s for a million customers, busy machine)
    book = ("as_dn", "priority", "title_en", "title_zh")
    own = current.join(books, [current.scheme == books.scheme, current.klass == books["class"]])
    own = own.filter(own.remind).select(*ids, *book)
    schemes = sorted({scheme for scheme, _ in reminding})
    rows = c.select(*SCOPED["classes"])
    own = own.join(rows.filter(rows.scheme.isin(schemes)), ids)
    mine = {key: nodes for key, nodes in found.items() if key[1] in schemes}
    # the reasons written after the join, for the reminding classes only (before it, the engine
    # wrote every class's reason and hashed them all: 53 s for a million customers in 200 MB)
    parts = [own.select(*ids, *book, klass=own["class"], reason_en=written_reason(own, mine, "en"),
                        reason_zh=written_reason(own, mine, "zh"))]
    get = why.stored_lookup(c)
    with fmt.dialect(c._find_backend().name):
        for (sid, scheme), nodes in sorted(found.items()):
            en, zh = nodes["en"], nodes["zh"]
            if not (isinstance(en, why.Pick) and isinstance(zh, why.Pick) and en.keys):
                continue
            for k, key in enumerate(en.keys):
                if (scheme, key) not in reminding:
                    continue
                met = c.filter((c.snapshot_id == sid) & (c.scheme == scheme) & (c["class"] != key)
                               & why.holds_ibis(en.arms[k][0], get))
                row = why.stored_lookup(met)
                met = met.select(*ids, reason_en=why.render_ibis(en.arms[k][1], row, "en"),
                                 reason_zh=why.render_ibis(zh.arms[k][1], row, "zh"))
                met = met.join(current.select(*ids, "as_dn"), ids)
                its = books.filter((books.scheme == scheme) & (books["class"] == key))
                met = met.join(its.select("scheme", "priority", "title_en", "title_zh"), "scheme")
                parts.append(met.select(*ids, *book, klass=ibis.literal(key, "string"),
                                        reason_en=met.reason_en, reason_zh=met.reason_zh))
    # each part a statement of its own (the caller inserts them one by one): as one union the
    # engine held every scheme's scan of the classes at once, 52 s for a million customers in 200 MB
    return [_reminder_tasks(part, last) for part in parts]


def _reminder_tasks(t: ir.Table, last: ir.Table) -> ir.Table:
    """Reminders (``t``: the class, its as-of day, priority, scheme title and reason) not yet
    answered by a contact on or after the as-of day."""
    t = t.left_join(last, "customer_id").drop("customer_id_right")
    t = t.filter(t.last_contact.isnull() | (t.last_contact < t.as_dn))
    return t.select(
        task_id=_join("reminder:", t.klass, ":", t.customer_id, ":", _date_text(t.as_dn)),
        kind=_lit("reminder"), customer_id=t.customer_id, to_manager=ibis.literal(False), due_dn=t.as_dn,
        since_dn=t.as_dn, base_priority=t.priority.fill_null(5), scheme=t.scheme, **{"class": t.klass},
        reason_en=_join(t.reason_en, " (", t.title_en, ")"),
        reason_zh=_join(t.reason_zh, "（", t.title_zh, "）"))


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


def _credit(src: Inputs, build: Recorder, last: ir.Table, opt: TaskOptions, on_dn: int,
            actions: ir.Table | None) -> ir.Table:
    from tierwise.playbook.credit import position_expr, yuan_expr

    pos = position_expr(src.ws, opt.on, tables=src.table, stage=lambda t: build.stage("_tw_gen_figures", t),
                        actions=actions)
    pos = pos.select("customer_id", "overdue_amount", "max_days_overdue", "on_hold", "hold_reason_en",
                     "hold_reason_zh", "needs_limit", "from_en", "from_zh")
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
    # the class says "set a limit and stop shipping beyond it" and there is none: a manager's task
    bare = t.filter(t.needs_limit)
    limit = bare.select(
        task_id=_join("set_limit:", bare.customer_id), kind=_lit("set_limit"), customer_id=bare.customer_id,
        to_manager=ibis.literal(True), due_dn=ibis.literal(on_dn, "int64"),
        since_dn=ibis.literal(on_dn, "int64"),
        base_priority=ibis.literal(2, "int64"), scheme=ibis.null("string"), **{"class": ibis.null("string")},
        reason_en=_join(bare.from_en, ": ship only within a credit limit, and none is set; set one"),
        reason_zh=_join(bare.from_zh, "：超过授信额度不再发货，但尚未设定额度，请设定授信额度"))
    return hold.union(collect).union(limit)


def _complaints(current: ir.Table, books: ir.Table, last: ir.Table) -> ir.Table:
    """A complaint not answered yet, at the complaint priority of the customer's main grade
    (the scheme with the role ``primary_grade``: an A customer first, as the seed has it);
    priority 2 for a customer without one."""
    cls = current.join(books, [current.scheme == books.scheme, current.klass == books["class"]])
    cls = cls.filter(cls.main)
    grade = cls.select("customer_id", prio=cls.complaint_priority, grade_scheme=cls.scheme,
                       grade_class=cls.klass, grade_en=cls.label_en, grade_zh=cls.label_zh,
                       grade_title_en=cls.title_en, grade_title_zh=cls.title_zh)
    t = last.filter(last.last_complaint.notnull() & (last.last_answer.isnull()
                                                     | (last.last_answer < last.last_complaint)))
    t = t.left_join(grade, "customer_id").drop("customer_id_right")
    day = _date_text(t.last_complaint)
    ungraded = t.grade_class.isnull()
    graded_en = ibis.ifelse(ungraded, _lit(""), _join(" (", t.grade_en, ", ", t.grade_title_en, ")"))
    graded_zh = ibis.ifelse(ungraded, _lit(""), _join("（", t.grade_zh, "，", t.grade_title_zh, "）"))
    return t.select(
        task_id=_join("complaint:", t.customer_id, ":", day), kind=_lit("complaint"),
        customer_id=t.customer_id, to_manager=ibis.literal(False), due_dn=t.last_complaint + 1,
        since_dn=t.last_complaint, base_priority=t.prio.fill_null(2), scheme=t.grade_scheme,
        **{"class": t.grade_class},
        reason_en=_join("complaint of ", day, " not yet answered by a visit, call or care touch", graded_en),
        reason_zh=_join(day, " 的投诉尚未通过拜访、电话或关怀回应", graded_zh))
