"""Service given against the plan: whether the team spends its contacts where the grades say.

The seeds grade customers so that a company serves its best customers best (A weekly, C now
and then) and warn against 大锅饭 (everyone served alike) and 倒置 (the lower tiers served more
than the higher). The plan is what the playbooks ask: each customer's strictest visit and call
cadence over all its current classes (what the task generation asks of the reps), spread over
the period; the service given is the follow-ups logged in it.

Per class of one scheme (default: the main grade, the scheme with the role ``primary_grade``,
else the first scheme whose playbooks ask for visits or calls),
in the scheme's order, and per rep:

- ``customers``; ``planned_visits`` = Σ days / visit cadence, ``visits`` logged;
  ``planned_contacts`` = Σ days / the shorter of the two cadences (a visit is also a call),
  ``contacts`` = visits, calls, messages and care touches logged (complaints are not service);
- ``contacts_per_customer`` and ``planned_per_customer``; ``coverage`` = contacts / planned
  (empty without a plan);
- ``never_visited``: customers whose plan has visits and who had none; ``never_contacted``;
- ``effort_share`` (the class's share of all contacts) against ``revenue_share`` (of the
  revenue of the period's orders);
- ``inverted``: a class served more per customer than the class just above it (倒置); the
  same of the plan (``plan_inverted``), and 大锅饭 (``flat``): the top class served less than
  :data:`FLAT` times the bottom one per customer.

One engine expression over the workspace's tables (DuckDB or Spark); only the customers in
``scope`` (a manager's department, a rep's own).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.errors import ConfigError, DataError
from tierwise.schemes import facts

if TYPE_CHECKING:
    from tierwise.access.scope import Scope
    from tierwise.store.database import Database

SERVICE_KINDS = ("visit", "call", "message", "care")  # what serves a customer (a complaint does not)
DAYS = 90  # the default period: a quarter up to the classification's date
FLAT = 1.5  # the top class served less than this many times the bottom one per customer: 大锅饭
CLASS_COLUMNS = ("class", "label", "customers", "planned_visits", "visits", "planned_contacts", "contacts",
                 "planned_per_customer", "contacts_per_customer", "coverage", "never_visited",
                 "never_contacted", "effort_share", "revenue", "revenue_share", "inverted")
REP_COLUMNS = ("rep_id", "customers", "planned_visits", "visits", "planned_contacts", "contacts", "coverage",
               "never_visited", "top_never_visited")


@dataclass(frozen=True)
class ServiceReport:
    """Service given against the plan over ``start``–``end`` for the classes of ``scheme``."""

    scheme: str
    title: str
    start: date
    end: date
    classes: pa.Table  # columns CLASS_COLUMNS, in the scheme's order
    reps: pa.Table  # columns REP_COLUMNS, the reps with the least coverage first
    top_class: str
    inverted: list[tuple[str, str]] = field(default_factory=list)  # (lower, higher): served more
    plan_inverted: list[tuple[str, str]] = field(default_factory=list)  # (lower, higher): planned more
    flat: bool = False  # the top class served less than FLAT x the bottom one per customer (大锅饭)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # class → (English, Chinese) label

    def warnings(self, lang: str) -> list[str]:
        """What the seeds warn of, found here, as sentences: 倒置 in the service given or in the
        plan, 大锅饭 (the top class served hardly more than the bottom one)."""
        zh = lang == "zh"
        rows = {r["class"]: {**r, "label": self.names.get(r["class"], (r["label"],) * 2)[zh]}
                for r in self.classes.to_pylist()}
        out = []
        for low, high in self.inverted:
            a, b = rows[low], rows[high]
            got, above = f"{a['contacts_per_customer']:.2f}", f"{b['contacts_per_customer']:.2f}"
            out.append(f"倒置：{a['label']}每户获得 {got} 次跟进，多于更高等级的{b['label']}（{above} 次）"
                       if zh else f"inverted: {a['label']} got {got} contacts per customer, more than "
                                  f"{b['label']} above it ({above})")
        for low, high in self.plan_inverted:
            a, b = rows[low], rows[high]
            got, above = f"{a['planned_per_customer']:.2f}", f"{b['planned_per_customer']:.2f}"
            out.append(f"计划倒置：服务策略要求{a['label']}每户 {got} 次跟进，多于更高等级的{b['label']}"
                       f"（{above} 次）：请检查各方案的拜访与电话周期" if zh else
                       f"the plan is inverted: the playbooks ask {got} contacts per {a['label']} customer, "
                       f"more than {b['label']} above it ({above}): check the schemes' visit and call "
                       "cadences")
        if self.flat:
            top, bottom = self._ends(rows)
            got, below = f"{top['contacts_per_customer']:.2f}", f"{bottom['contacts_per_customer']:.2f}"
            out.append(f"大锅饭：{top['label']}每户 {got} 次跟进，不到{bottom['label']}（{below} 次）"
                       f"的 {FLAT:g} 倍" if zh else
                       f"one size for all: {top['label']} got {got} contacts per customer, less than "
                       f"{FLAT:g} x {bottom['label']} ({below})")
        return out

    @staticmethod
    def _ends(rows: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
        served = [r for r in rows.values() if r["customers"]]
        return served[0], served[-1]

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {"scheme": self.scheme, "title": self.title, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "days": (self.end - self.start).days + 1,
                "classes": self.classes.to_pylist(), "reps": self.reps.to_pylist(),
                "inverted": [{"lower": low, "higher": high} for low, high in self.inverted],
                "plan_inverted": [{"lower": low, "higher": high} for low, high in self.plan_inverted],
                "flat": self.flat, "warnings": self.warnings(lang)}


def service_vs_plan(ws: Database, *, scheme: str | None = None, start: date | None = None,
                    end: date | None = None, lang: str = "en", scope: Scope | None = None,
                    engine: str | None = None) -> ServiceReport:
    """Service given against the plan (see the module docstring); ``end`` defaults to the date of
    ``scheme``'s current classification, ``start`` to :data:`DAYS` days before it."""
    from tierwise.metrics.table import engine_source

    current = facts.current_schemes(ws.con)
    if not current:
        raise DataError("no classification yet: run `tierwise classify` first / "
                        "还没有分类结果：请先运行 tierwise classify")
    planned = [s for s in current.values()  # a scheme whose playbooks ask for visits or calls
               if any(c.playbook and (c.playbook.visit_every_days or c.playbook.call_every_days)
                      for c in s.spec.classes)]
    grade = current.get(scheme) if scheme else (facts.with_role(current, "primary_grade")
                                                 or (planned[0] if planned else None))
    if grade is None:
        known = ", ".join(current)
        raise ConfigError(f"scheme {scheme!r} is not classified; classified: {known} / "
                          f"方案 {scheme!r} 尚未分类" if scheme else
                          "no scheme has the role primary_grade or asks for visits or calls: pass --scheme / "
                          "请用 --scheme 指定方案")
    end = end or grade.as_of
    start = start or end - timedelta(days=DAYS - 1)
    if start > end:
        raise ConfigError(f"--from {start} is after --to {end} / 起始日期晚于结束日期")
    days = (end - start).days + 1
    books = _books(current)
    order = [c.id for c in grade.spec.classes]
    labels = {c.id: c.label.get(lang) for c in grade.spec.classes}
    with engine_source(ws, engine) as source:
        plan = _plan(ws, grade, books, scope)  # the classes are the workspace's, on any engine
        if source is not ws:  # Spark: the plan (four columns a customer) goes to the cluster
            plan = source.register("service_plan", plan.to_pyarrow())
        per_customer = _per_customer(source, plan, start, end, days)
        classes = _by_class(per_customer).to_pyarrow()
        reps = _by_rep(per_customer, order[0]).to_pyarrow()
    rows = {r["class"]: r for r in classes.to_pylist()}
    total_contacts = sum(r["contacts"] for r in rows.values()) or 0
    total_revenue = sum(r["revenue"] or 0 for r in rows.values())
    out = []
    for klass in order:
        r = rows.get(klass) or {"class": klass, "customers": 0, "planned_visits": 0.0, "visits": 0,
                                "planned_contacts": 0.0, "contacts": 0, "never_visited": 0,
                                "never_contacted": 0, "revenue": 0.0}
        n = r["customers"]
        out.append({**r, "label": labels[klass],
                    "planned_per_customer": r["planned_contacts"] / n if n else None,
                    "contacts_per_customer": r["contacts"] / n if n else None,
                    "coverage": r["contacts"] / r["planned_contacts"] if r["planned_contacts"] else None,
                    "effort_share": r["contacts"] / total_contacts if total_contacts else None,
                    "revenue_share": (r["revenue"] or 0) / total_revenue if total_revenue else None})
    served = [r for r in out if r["customers"]]

    def above(key: str) -> list[tuple[str, str]]:  # (lower, the class just above) where the lower gets more
        return [(low["class"], high["class"]) for high, low in itertools.pairwise(served)
                if low[key] > high[key]]

    inverted, plan_inverted = above("contacts_per_customer"), above("planned_per_customer")
    flat = len(served) > 1 and served[0]["contacts_per_customer"] < FLAT * served[-1]["contacts_per_customer"]
    for r in out:
        r["inverted"] = any(low == r["class"] for low, _ in inverted)
    table = pa.Table.from_pylist(out).select(list(CLASS_COLUMNS))
    names = {c.id: (c.label.en, c.label.zh) for c in grade.spec.classes}
    return ServiceReport(grade.name, grade.spec.title.get(lang), start, end, table, reps, order[0], inverted,
                         plan_inverted, flat, names)


def _books(current: dict[str, facts.StoredScheme]) -> pa.Table:
    """Each current class's visit and call cadence (days), from its scheme's playbook."""
    rows = [(s.snapshot_id, name, c.id, c.playbook.visit_every_days if c.playbook else None,
             c.playbook.call_every_days if c.playbook else None)
            for name, s in current.items() for c in s.spec.classes]
    return pa.table({"snapshot_id": pa.array([r[0] for r in rows], pa.int64()),
                     "scheme": pa.array([r[1] for r in rows], pa.string()),
                     "class": pa.array([r[2] for r in rows], pa.string()),
                     "visit_every": pa.array([r[3] for r in rows], pa.int64()),
                     "call_every": pa.array([r[4] for r in rows], pa.int64())})


def _plan(ws: Database, grade: facts.StoredScheme, books: pa.Table, scope: Scope | None) -> ir.Table:
    """Per customer of ``grade``'s population (in ``scope``): its class there, rep, and the
    strictest visit and call cadence over all its current classes."""
    classes = ws.table("classes")
    cadence = ws.register("service_books", books)
    now = classes.join(cadence, [classes.snapshot_id == cadence.snapshot_id,
                                 classes.scheme == cadence.scheme, classes["class"] == cadence["class"]])
    plan = now.group_by(now.customer_id).agg(visit_every=now.visit_every.min(),
                                             call_every=now.call_every.min())
    mine = classes.filter((classes.snapshot_id == grade.snapshot_id) & (classes.scheme == grade.name))
    t = mine.select("customer_id", klass=mine["class"])
    customers = ws.table("customers")
    if scope is not None and not scope.everything:
        t = t.filter(t.customer_id.isin(scope.ids(customers, ws.table("reps")).customer_id))
    t = t.left_join(customers.select("customer_id", "rep_id"), "customer_id").drop("customer_id_right")
    return t.left_join(plan, "customer_id").drop("customer_id_right")


def _per_customer(source: Any, plan: ir.Table, start: date, end: date, days: int) -> ir.Table:
    """``plan`` with the period's planned visits and contacts, the visits and contacts logged in
    it and the revenue of its orders, on the engine of ``source``."""
    t = plan
    acts = source.table("activities")
    day = acts.activity_date.cast("date")
    acts = acts.filter((day >= start) & (day <= end) & acts.kind.isin(SERVICE_KINDS))
    done = acts.group_by("customer_id").agg(contacts=acts.count(),
                                            visits=(acts.kind == "visit").cast("int64").sum())
    t = t.left_join(done, "customer_id").drop("customer_id_right")
    orders = source.table("orders")
    oday = orders.order_date.cast("date")
    orders = orders.filter((oday >= start) & (oday <= end))
    bought = orders.group_by("customer_id").agg(revenue=orders.amount.sum().cast("float64"))
    t = t.left_join(bought, "customer_id").drop("customer_id_right")
    every = ibis.least(t.visit_every, t.call_every)
    every = ibis.coalesce(every, t.visit_every, t.call_every)
    # over doubles: Ibis writes the days as 91.0, a DECIMAL on Spark, whose quotients and sums
    # keep 6 decimals (a rep's coverage 0.058091 against DuckDB's 0.0580912...)
    return t.mutate(planned_visits=(float(days) / t.visit_every.cast("float64")).fill_null(0.0),
                    planned_contacts=(float(days) / every.cast("float64")).fill_null(0.0),
                    visits=t.visits.fill_null(0), contacts=t.contacts.fill_null(0),
                    revenue=t.revenue.fill_null(0.0))


def _sums(t: ir.Table) -> dict[str, ir.Value]:
    return {"customers": t.count(), "planned_visits": t.planned_visits.sum(), "visits": t.visits.sum(),
            "planned_contacts": t.planned_contacts.sum(), "contacts": t.contacts.sum(),
            "never_visited": ((t.planned_visits > 0) & (t.visits == 0)).cast("int64").sum(),
            "never_contacted": (t.contacts == 0).cast("int64").sum()}


def _by_class(t: ir.Table) -> ir.Table:
    return t.group_by(t.klass.name("class")).agg(**_sums(t), revenue=t.revenue.sum())


def _by_rep(t: ir.Table, top: str) -> ir.Table:
    sums = _sums(t)
    sums.pop("never_contacted")
    top_missed = (t.klass == top) & (t.planned_visits > 0) & (t.visits == 0)
    g = t.group_by(t.rep_id).agg(**sums, top_never_visited=top_missed.cast("int64").sum())
    g = g.mutate(coverage=ibis.ifelse(g.planned_contacts > 0, g.contacts / g.planned_contacts, ibis.null())
                 .cast("float64"))
    return g.order_by([g.coverage.asc(nulls_first=False), g.rep_id]).select(*REP_COLUMNS)
