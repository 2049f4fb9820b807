"""Playbooks into work: the dated tasks of every rep, from the current classification.

For the day ``on`` (default today) tasks are derived from the current classes (the latest
snapshot holding each scheme, overrides included), their playbooks, the orders, payments and
activities up to that day. A customer has a class in several schemes; for each cadence the
strictest playbook wins (the shortest interval, then the best priority) and the task names
the scheme and class that set it. Kinds (each made in :mod:`tierwise.playbook.task_kinds`):

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
  from the last contact; ``credit_hold``: the customer is on credit hold (over the limit,
  overdue beyond the grace days, or a balance while a class says cash before shipping), due at
  once; ``set_limit``: a class says to stop shipping beyond a credit limit
  (``credit_action: hold_over_limit``) and the customer has none, the manager's, due at once;
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
for (a credit-limit change needs the credit kinds, nothing else). The
statements of a generation are kept and run again, without Ibis, by the next one of the same
shape (the same day, kinds and playbooks).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise import progress
from tierwise.errors import ConfigError, DataError
from tierwise.metrics.expr import EPOCH, day_number
from tierwise.playbook import inputs as inp
from tierwise.playbook.credit import payments_recorded
from tierwise.playbook.credit_actions import action_rows
from tierwise.playbook.pool_tasks import escalation_tasks, neglected, warning_tasks
from tierwise.playbook.task_kinds import (
    CONTACT,
    CREDIT_ONLY,
    KINDS,
    PART_TYPES,
    PARTS,
    _cadence,
    _care,
    _complaints,
    _credit,
    _reminders,
    _restock,
)
from tierwise.schemes import facts as stored_facts
from tierwise.schemes import spec as sp
from tierwise.store.keys import KEY, key_ranges

if TYPE_CHECKING:
    from tierwise.playbook.inputs import Inputs, Recorder
    from tierwise.store.database import Database

COLUMNS = ("task_id", "due_date", "customer_id", "customer_name", "rep_id", "department", "kind",
           "priority", "overdue_days", "scheme", "class", "reason_en", "reason_zh", "since_date")
@dataclass(frozen=True)
class TaskOptions:
    """What to generate: the day, how far ahead, and the rhythm of reminders."""

    on: date
    days: int = 7  # also tasks due up to this many days after ``on``
    stale_days: int = 60  # care, restock and collect tasks overdue longer are dropped
    collect_every_days: int = 7
    restock_lead_days: int = 7  # a contact this many days before the used-up day counts


# -- the current classification --------------------------------------------------------------
@dataclass(frozen=True)
class Playbooks:
    """The current classification as small tables: the playbook of every current class
    (``books``), the care offsets of classes with 333 care (``offsets``) and the current
    snapshot of each scheme (``snaps``)."""

    books: pa.Table
    offsets: pa.Table
    snaps: pa.Table
    actions: pa.Table  # the current classes whose credit_action holds or asks for a limit

    TABLES = ("books", "offsets", "snaps", "actions")


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


def _classified(ws: Database) -> bool:
    return ws.con.execute("SELECT count(*) > 0 FROM snapshots").fetchone() == (True,)


def _playbooks(ws: Database) -> Playbooks:
    """The current classification's playbooks (:class:`DataError` when nothing is classified)."""
    latest = sorted(stored_facts.current_schemes(ws.con).values(), key=lambda s: s.name)
    if not latest:
        raise DataError("no classification yet: run `tierwise classify` first; tasks come from the classes' "
                        "playbooks / 还没有分类结果：请先运行 tierwise classify")
    books: dict[str, list[Any]] = {k: [] for k in (
        "scheme", "class", "label_en", "label_zh", "title_en", "title_zh", "visit", "call", "manager_visit",
        "priority", "complaint_priority", "remind", "review", "main", "pool_after", "pool_without",
        "pool_warn", "pool_escalate")}
    care: dict[str, list[Any]] = {k: [] for k in ("scheme", "class", "offset", "start")}
    grade = stored_facts.with_role(stored_facts.current_schemes(ws.con), "primary_grade")
    for stored in latest:
        scheme = stored.name
        for c in stored.spec.classes:
            pb = c.playbook or sp.Playbook.model_validate({})
            for key, value in (("scheme", scheme), ("class", c.id), ("label_en", c.label.en),
                               ("label_zh", c.label.zh), ("title_en", stored.spec.title.en),
                               ("title_zh", stored.spec.title.zh), ("visit", pb.visit_every_days),
                               ("call", pb.call_every_days), ("manager_visit", pb.manager_visit_every_days),
                               ("priority", pb.priority), ("complaint_priority", pb.complaint_priority),
                               ("remind", pb.remind), ("review", pb.review_after_days),
                               ("main", grade is not None and scheme == grade.name),
                               ("pool_after", pb.pool.recycle_after_days if pb.pool else None),
                               ("pool_without", pb.pool.recycle_without if pb.pool else None),
                               ("pool_warn", pb.pool.warn_before_days if pb.pool else None),
                               ("pool_escalate", pb.pool.escalate_before_days if pb.pool else None)):
                books[key].append(value)
            previous = 0
            for offset in pb.care_after_purchase_days:
                care["scheme"].append(scheme)
                care["class"].append(c.id)
                care["offset"].append(offset)
                care["start"].append(1 if previous == 0 else (previous + offset + 1) // 2)
                previous = offset
    int_cols = ("visit", "call", "manager_visit", "priority", "complaint_priority", "review", "pool_after",
                "pool_warn", "pool_escalate")
    flags = ("remind", "main")
    playbooks = pa.table({k: pa.array(v, pa.int64() if k in int_cols else pa.bool_() if k in flags
                                      else pa.string()) for k, v in books.items()})
    offsets = pa.table({k: pa.array(v, pa.string() if k in ("scheme", "class") else pa.int64())
                        for k, v in care.items()})
    snaps = pa.table({
        "snapshot_id": pa.array([r.snapshot_id for r in latest], pa.int64()),
        "scheme": pa.array([r.name for r in latest], pa.string()),
        "window": pa.array([r.window for r in latest], pa.string()),
        "as_dn": pa.array([(r.as_of - EPOCH).days for r in latest], pa.int64())})
    return Playbooks(playbooks, offsets, snaps, action_rows(ws))


def _inside(t: ir.Table, keys: tuple[int, int | None] | None) -> ir.Table:
    """The rows of ``t`` whose ``customer_key`` is in the range ``keys`` (low, high; None: to
    the end); all of them for ``None``."""
    if keys is None:
        return t
    low, high = keys
    cond = t.customer_key >= ibis.literal(low, "uint64")
    return t.filter(cond if high is None else cond & (t.customer_key < ibis.literal(high, "uint64")))


def _current(src: Inputs, snaps: ir.Table, keys: tuple[int, int | None] | None = None) -> ir.Table:
    """Current classes (customer, scheme, class, as-of day, provisional day, first order) of
    the customers of ``src``; ``snaps``: the current snapshot of each scheme; ``keys``: only
    the customers whose key is in that range (low, high; None: to the end)."""
    # both stored in key order: the zone maps skip the other row groups of a range
    classes, facts = _inside(src.table("classes"), keys), _inside(src.table("snapshot_customers"), keys)
    classes = classes.join(snaps, ["snapshot_id", "scheme"])
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


def _owners(src: Inputs) -> ir.Table:
    """Per customer of ``src``: name, department, owning rep (or the department's manager),
    and the rep's manager (for manager visits)."""
    reps, customers = src.table("reps"), src.table("customers")
    mgr = reps.filter(reps.manager_id.notnull()).group_by(["department", "manager_id"]).agg(n=ibis._.count())
    mgr = mgr.mutate(rn=ibis.row_number().over(group_by=mgr.department,
                                                order_by=[ibis.desc(mgr.n), mgr.manager_id]))
    dept = mgr.filter(mgr.rn == 0).select("department", dept_manager=mgr.manager_id)
    known = reps.select(rep=reps.rep_id, rep_manager=reps.manager_id)
    c = customers.select("customer_id", "customer_key", customer_name=customers["name"],
                         department=customers.department, rep_id=customers.rep_id)
    c = c.left_join(known, c.rep_id == known.rep).left_join(dept, "department").drop("department_right")
    return c.select("customer_id", "customer_key", "customer_name", "department",
                    rep=ibis.coalesce(c.rep_id, c.dept_manager),
                    manager=ibis.coalesce(c.rep_manager, c.dept_manager))


NEW = "_tw_new_tasks"  # the temporary table a generation writes its tasks to


@dataclass(frozen=True)
class Generated:
    """Tasks generated into the engine: ``rows`` of them in the temporary table ``name``,
    columns :data:`COLUMNS` (``schema`` their Arrow types) and each customer's key. A million
    tasks stay there: what comes to Python is the part asked for (:meth:`arrow`), or counts
    (:meth:`by_kind`)."""

    ws: Database
    name: str
    rows: int
    schema: pa.Schema

    def arrow(self, where: str = "", params: dict[str, Any] | None = None, *,
              limit: int | None = None) -> pa.Table:
        """The tasks (those of ``where``, a condition on :data:`COLUMNS`) most urgent first
        (priority; holds and complaints first, then the kinds in the order of :data:`KINDS`;
        due date, customer), at most ``limit``."""
        cond = f"WHERE {where}" if where else ""
        cap = "" if limit is None else f"LIMIT {int(limit)}"
        cols = ", ".join(f'"{c}"' for c in COLUMNS)
        return self.ws.con.execute(
            f"""SELECT {cols} FROM "{self.name}" {cond}
                ORDER BY priority, coalesce(list_position($_kinds, kind), {len(KINDS) + 1}), due_date,
                         customer_id, task_id {cap}""",
            {**(params or {}), "_kinds": list(KINDS)}).fetch_arrow_table().cast(self.schema)

    def by_kind(self, where: str = "", params: dict[str, Any] | None = None) -> dict[str, int]:
        """Tasks (of ``where``) per kind, the most common first."""
        cond = f"WHERE {where}" if where else ""
        rows = self.ws.con.execute(f'SELECT kind, count(*) AS n FROM "{self.name}" {cond} GROUP BY kind '
                                   "ORDER BY n DESC, kind", params or {}).fetchall()
        return {str(kind): int(n) for kind, n in rows}

    def drop(self) -> None:
        with contextlib.suppress(Exception):  # an aborted transaction: gone with its rollback
            self.ws.con.execute(f'DROP TABLE IF EXISTS "{self.name}"')


def generate_tasks(ws: Database, options: TaskOptions, *, customers: Sequence[str] | None = None,
                   kinds: Collection[str] | None = None) -> pa.Table:
    """Every open task due up to ``options.on + options.days``, columns :data:`COLUMNS`, sorted
    by priority, kind, due date and customer, as one Arrow table (:func:`generated` keeps them in
    the engine).

    ``customers`` (default: everyone) and ``kinds`` (default: all of :data:`KINDS`) narrow what
    is computed, not only what is returned: the tasks of one customer read that customer's
    rows. The credit kinds alone need no classification.
    """
    with generated(ws, options, customers=customers, kinds=kinds) as tasks:
        return tasks.arrow()


@contextlib.contextmanager
def generated(ws: Database, options: TaskOptions, *, customers: Sequence[str] | None = None,
              kinds: Collection[str] | None = None) -> Iterator[Generated]:
    """:func:`generate_tasks` into the engine, the temporary table dropped at the end."""
    with inp.scoped_inputs(ws, customers) as src:
        tasks = tasks_into(src, options, kinds=kinds)
        try:
            yield tasks
        finally:
            tasks.drop()


PLANS = inp.Plans()


def tasks_into(src: Inputs, options: TaskOptions, *, kinds: Collection[str] | None = None,
               into: str = NEW) -> Generated:
    """:func:`generate_tasks` over inputs in place (a refresh keeps the copies of its customers'
    rows for closing their tasks), into the temporary table ``into`` (the caller drops it).
    The statements are those of the last generation of the same shape when there is one."""
    wanted = set(KINDS) if kinds is None else set(kinds)
    if wanted - set(KINDS):
        raise ConfigError(f"task kinds {sorted(wanted - set(KINDS))}: not one of {', '.join(KINDS)} / "
                        f"未知的任务类型")
    ws = src.ws
    classed = bool(wanted - set(CREDIT_ONLY))
    # first: without a classification there is nothing to do but the credit tasks (which read the
    # classes' credit actions once there is one)
    books = _playbooks(ws) if classed or _classified(ws) else None
    s = ws.settings
    # everything the SQL depends on besides the rows: a change here means another plan
    if not s.pool_recycle:
        wanted.discard("pool")
    ranges = _current_ranges(src, books)
    key = (src.scoped, options, tuple(sorted(wanted)), kinds is None, len(ranges), s.provisional_months,
           s.currency, s.credit_grace_days, s.payment_terms_days, inp.columns_of(ws), payments_recorded(ws),
           tuple(inp.rows_of(getattr(books, n)) for n in Playbooks.TABLES) if books else None)
    plan = PLANS.get(key)
    with _registered(ws, books) as tables:
        if plan is not None:
            try:
                rows = inp.replay(ws, plan, into)
            finally:
                inp.drop_steps(ws, plan)
        else:
            build = inp.Recorder(ws)
            try:
                out = _build(src, build, options, wanted, kinds is not None, tables, books, ranges)
                # each task keeps its customer's key (made once, when its kind was staged): a
                # sync reads and writes the tasks a key range at a time by it
                rows = build.result([part.select(*COLUMNS, KEY) for part in out], into)
            finally:
                inp.drop_steps(ws, build.plan)
            PLANS.put(key, plan := build.plan)
    assert plan.schema is not None
    return Generated(ws, into, rows, pa.schema([f for f in plan.schema if f.name in COLUMNS]))


def _current_ranges(src: Inputs, books: Playbooks | None) -> list[tuple[int, int | None]]:
    """The key ranges the current classes are staged in (:func:`_current`): one for a few
    customers' copies; else about :data:`keys.SORT_ROWS` class rows each. At ten million
    customers (137M class rows) joining them with the snapshot facts at once held a hash table
    of 10M facts that did not fit the engine's half of 2GB; a range's is a 64th of it."""
    if src.scoped or books is None:
        return [(0, None)]
    counted = src.ws.con.execute("SELECT count(*) FROM classes WHERE list_contains($s, snapshot_id)",
                                 {"s": sorted(set(books.snaps.column("snapshot_id").to_pylist()))}).fetchone()
    return key_ranges(int(counted[0]) if counted else 0)


def _build(src: Inputs, build: Recorder, options: TaskOptions, wanted: set[str], narrowed: bool,
           tables: dict[str, ir.Table], playbooks: Playbooks | None,
           ranges: list[tuple[int, int | None]]) -> list[ir.Table]:
    """The tasks query (its shared inputs staged as temporary tables by ``build``), in parts:
    the tasks of the customers of each key range of ``ranges``."""
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
        parts_of = [_current(src, tables["snaps"], None if len(ranges) == 1 else r) for r in ranges]
        current = build.stage("_tw_gen_current", *parts_of)
        if "manager_visit" in wanted:
            acts = src.table("activities")
            acts = acts.mutate(dn=day_number(acts.activity_date.date()))
            by_mgr = acts.join(owners, "customer_id").filter(
                lambda t: (t.kind == "visit") & (t.rep_id == t.manager) & (t.dn <= on_dn))
            mgr_last = by_mgr.group_by("customer_id").agg(last_manager_visit=by_mgr.dn.max())
        # who is late for the pool, staged once for the rep's warning and the manager's escalation
        # (each read every order line for the last order)
        late = functools.cache(lambda: build.stage("_tw_gen_late",
                                                   neglected(src, current, books, last, on_dn)))
        makers = {
            "visit": lambda: _cadence(current, books, last, "visit", "last_visit"),
            "call": lambda: _cadence(current, books, last, "call", "last_call"),
            "manager_visit": lambda: _cadence(current, books, last, "manager_visit", "", mgr_last),
            "care": lambda: _care(src, current, offsets, books, last, options, on_dn),
            "reminder": lambda: _reminders(src, current, books, last, playbooks.books),
            "restock": lambda: _restock(src, last, options, on_dn),
            "review": lambda: review_tasks(src, current, books, playbooks.books,
                                           src.ws.settings.provisional_months),
            "complaint": lambda: _complaints(current, books, last),
            "pool": lambda: warning_tasks(late(), on_dn),
            "pool_escalation": lambda: escalation_tasks(late(), on_dn),
        }
        parts += [(kind, make) for kind, make in makers.items() if kind in wanted]
    if wanted & set(CREDIT_ONLY):
        parts.append(("credit", lambda: _credit(src, build, last, options, on_dn, tables.get("actions"))))
    # one kind at a time into one table: the union of every kind in one statement held the hash
    # tables and windows of all of them at once (a million customers' tasks did not fit in 200 MB)

    def due() -> Iterator[ir.Table]:
        for i, (kind, make) in enumerate(parts):
            zh = KINDS[kind][1] if kind in KINDS else "信用"
            progress.report(0.3 + 0.6 * i / len(parts), f"{kind} tasks", f"{zh}任务")
            made = make()
            for part in made if isinstance(made, list) else [made]:
                part = part.select(*PARTS)
                if narrowed:
                    part = part.filter(part.kind.isin(sorted(wanted)))
                yield part.filter(part.due_dn <= on_dn + options.days)

    tasks = build.collect("_tw_gen_due", PART_TYPES, due(), keyed=True)
    progress.report(0.9, "owners of the tasks", "任务负责人")
    # a key range at a time: the names and reps of ten million customers joined at once did not
    # fit the engine's half of 2GB (after 28 minutes of work)
    one = len(ranges) == 1
    return [_owned(_inside(tasks, None if one else r), _inside(owners, None if one else r), src, on_dn)
            for r in ranges]


def _owned(tasks: ir.Table, owners: ir.Table, src: Inputs, on_dn: int) -> ir.Table:
    """The due ``tasks`` with their customers' names, departments and reps (``owners``), their
    priority and days overdue, in the columns of :data:`COLUMNS` and the customer's key."""
    # the pool's customers have nobody to do their tasks: none until a rep claims them
    t = tasks.anti_join(src.table("pool"), "customer_id")
    t = t.left_join(owners, "customer_id").drop("customer_id_right")
    overdue = ibis.greatest(on_dn - t.due_dn, 0)
    urgency = ibis.ifelse(overdue > 0, 1, 0) + ibis.ifelse(overdue > 30, 1, 0)
    out = t.select(
        "task_id", due_date=(ibis.literal(EPOCH) + t.due_dn.as_interval("D")).cast("date"),
        customer_id=t.customer_id, customer_name=t.customer_name,
        rep_id=ibis.ifelse(t.to_manager, t.manager, t.rep), department=t.department, kind=t.kind,
        priority=ibis.greatest(t.base_priority - urgency, 1), overdue_days=overdue, scheme=t.scheme,
        **{"class": t["class"]}, reason_en=t.reason_en, reason_zh=t.reason_zh,
        since_date=(ibis.literal(EPOCH) + t.since_dn.as_interval("D")).cast("date"), **{KEY: t[KEY]})
    return out  # unordered: the order is the reader's (Generated.arrow), a million rows are not sorted here
