"""Targets against what was done: revenue, new customers and visits per rep, department and
class, by month, quarter or year (the ``targets`` table, ``tierwise import targets FILE``).

A target row names a month and whom it is for: a rep (``rep_id``), a department, or nobody
(the company); ``class`` narrows it to the customers of one class of the main grade (the
scheme with the role ``primary_grade``; its id or its name). What was done in the month:

- ``revenue``: the order lines of the month (the line's rep and department, else the
  customer's), of customers in the class when the target names one;
- ``new_customers``: customers whose first order ever falls in the month (their rep and
  department);
- ``visits``: visits logged in the month (by the rep who logged them; a department's, by its
  reps or of its customers).

Per target (rolled up by quarter or year: the sum of its months), ``variance`` = done −
target, ``attainment`` = done / target, and ``status``: ``stretch`` (at or above the stretch
target), ``met``, ``below``, or ``open`` for a period not over yet (the data's last day falls
in it). Only months up to that day count. One engine expression (DuckDB or Spark); only the
rows the actor may see: a rep their own targets, a manager their department's and its reps'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.errors import ConfigError, DataError
from tierwise.schemes import facts

if TYPE_CHECKING:
    from tierwise.access.scope import Scope
    from tierwise.store.database import Database

PERIODS = ("month", "quarter", "year")
METRICS = ("revenue", "new_customers", "visits")
METRIC_NAMES = {"revenue": ("revenue", "销售额"), "new_customers": ("new customers", "新客户"),
                "visits": ("visits", "拜访")}
STATUS_NAMES = {"stretch": ("stretch met", "达成挑战目标"), "met": ("met", "达成"),
                "below": ("below", "未达成"), "open": ("under way", "进行中")}
KEYS = ("period", "rep_id", "department", "class")
COLUMNS = (*KEYS, *(f"{m}_{c}" for m in METRICS for c in ("target", "stretch", "done", "variance",
                                                              "attainment", "status")))


@dataclass(frozen=True)
class Variance:
    """Targets against what was done, per ``period`` up to ``as_of``; ``rows`` has
    :data:`COLUMNS` (periods in order, then company, departments, reps)."""

    period: str
    as_of: date
    scheme: str | None
    rows: pa.Table
    names: dict[str, tuple[str, str]]  # class id → (English, Chinese) label

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        zh = lang == "zh"
        items = []
        for r in self.rows.to_pylist():
            klass = r["class"]
            r["class_label"] = self.names.get(klass, (klass, klass))[zh] if klass else None
            for m in METRICS:
                status = r[f"{m}_status"]
                r[f"{m}_status_text"] = STATUS_NAMES[status][zh] if status else None
            items.append(r)
        return {"period": self.period, "as_of": self.as_of.isoformat(), "scheme": self.scheme, "rows": items}


def _period(month: ir.DateValue, period: str) -> ir.StringValue:
    year = month.year().cast("string")
    if period == "year":
        return year
    if period == "quarter":
        return year + ibis.literal("-Q") + month.quarter().cast("string")
    return month.strftime("%Y-%m")


def variance(ws: Database, *, period: str = "month", year: int | None = None, as_of: date | None = None,
             scope: Scope | None = None, engine: str | None = None) -> Variance:
    """Targets against what was done (see the module): per ``period`` (month, quarter, year),
    of ``year`` (default: every year with targets) up to ``as_of`` (default: the last order), on
    ``engine`` (default: the ``engine`` setting)."""
    from tierwise.metrics.table import engine_source

    if period not in PERIODS:
        raise ConfigError(f"period {period!r}: one of {', '.join(PERIODS)} / "
                          "期间应为 month、quarter 或 year")
    con = ws.con
    if con.execute("SELECT count(*) FROM targets").fetchone() == (0,):
        raise DataError("no targets yet: import them with `tierwise import targets FILE` (月份, 业务员 or "
                        "部门, 销售额目标 ...) / 尚无目标：请用 tierwise import targets 导入目标表")
    if as_of is None:
        last = con.execute("SELECT max(order_date)::DATE FROM orders").fetchone()
        as_of = last[0] if last and last[0] else date.today()
    assert as_of is not None
    grade = facts.with_role(facts.current_schemes(con), "primary_grade")
    names: dict[str, tuple[str, str]] = {}
    if grade is not None:
        names = {c.id: (c.label.en, c.label.zh) for c in grade.spec.classes}
    month_cap = date(as_of.year, as_of.month, 1)
    row = con.execute("SELECT min(month) FROM targets").fetchone()
    first = row[0] if row and row[0] else month_cap
    with engine_source(ws, engine) as source:
        classes = None
        if grade is not None:  # the classes are the workspace's, on any engine
            stored = ws.table("classes")
            classes = stored.filter((stored.snapshot_id == grade.snapshot_id) & (stored.scheme == grade.name))
            classes = classes.select("customer_id", cls=classes["class"])
            if source is not ws:  # Spark: one class a customer goes to the cluster
                classes = source.register("targets_classes", classes.to_pyarrow())
        rows = _variance(source, classes, names, period, year, first, month_cap, as_of, scope)
    for m in METRICS:  # money as the engine keeps it (decimal), counts as whole numbers
        for c in ("target", "stretch", "done", "variance"):
            name = f"{m}_{c}"
            if m != "revenue":
                rows = rows.set_column(rows.schema.get_field_index(name), name, rows[name].cast(pa.int64()))
    return Variance(period, as_of, grade.name if grade else None, rows.select(list(COLUMNS)), names)


def _variance(source: Any, classes: ir.Table | None, names: dict[str, tuple[str, str]], period: str,
              year: int | None, first: date, month_cap: date, as_of: date, scope: Scope | None) -> pa.Table:
    """The rows of :func:`variance`, computed on the engine of ``source`` (``classes``: each
    customer's class of the main grade, ``names`` its classes' labels)."""
    targets = source.table("targets")
    # a target's class as written (id, English or Chinese name) → the class id
    spelled = {**{k: k for k in names}, **{en: k for k, (en, _) in names.items()},
               **{zh: k for k, (_, zh) in names.items()}}
    t = targets.filter(targets.month <= month_cap)
    if year is not None:
        t = t.filter(t.month.year() == year)
    klass = t["class"].strip()
    t = t.mutate(klass=klass.substitute(spelled, else_=klass) if spelled else klass)
    t = t.mutate(tid=ibis.row_number().over(order_by=[t.month, t.rep_id, t.department, t.klass]))

    done = _done(source, classes, first, month_cap, as_of)
    on = ((done.month == t.month) & (t.rep_id.isnull() | (done.rep == t.rep_id))
          & (t.department.isnull() | (done.dept == t.department))
          & (t.klass.isnull() | (done.cls == t.klass)))
    joined = t.left_join(done, on)
    per = joined.group_by(["tid"]).agg(
        **{f"{m}_done": joined[f"d_{m}"].sum() for m in METRICS})
    t = t.join(per, "tid")
    if scope is not None and not scope.everything:
        reps = source.table("reps")
        if scope.rep_id is not None:
            t = t.filter(t.rep_id == scope.rep_id)
        elif scope.department is not None:
            mine = reps.filter(reps.department == scope.department).rep_id
            t = t.filter((t.department == scope.department) | t.rep_id.isin(mine))
        else:
            t = t.filter(ibis.literal(False))
    t = t.mutate(period=_period(t.month, period))
    sums = {}
    for m in METRICS:  # the target columns are named after the metric: revenue, revenue_stretch
        sums[f"{m}_target"] = t[m].sum()
        sums[f"{m}_stretch"] = t[f"{m}_stretch"].sum()
        sums[f"{m}_done"] = t[f"{m}_done"].sum()
    g = t.group_by(["period", "rep_id", "department", "klass"]).agg(**sums, first=t.month.min())
    g = g.mutate(open=g.period == _period(ibis.literal(month_cap), period))  # the period under way
    out = {}
    for m in METRICS:
        target, stretch, got = g[f"{m}_target"], g[f"{m}_stretch"], g[f"{m}_done"].fill_null(0)
        out[f"{m}_target"] = target
        out[f"{m}_stretch"] = stretch
        out[f"{m}_done"] = ibis.ifelse(target.isnull(), ibis.null(), got)
        out[f"{m}_variance"] = got - target
        out[f"{m}_attainment"] = ibis.ifelse(target > 0, got.cast("float64") / target.cast("float64"),
                                             ibis.null("float64"))
        out[f"{m}_status"] = ibis.cases(
            (target.isnull(), ibis.null("string")), (stretch.notnull() & (got >= stretch), "stretch"),
            (got >= target, "met"), (g.open, "open"), else_="below")
    level = ibis.ifelse(g.rep_id.notnull(), 2, ibis.ifelse(g.department.notnull(), 1, 0))
    result = g.select("period", "rep_id", "department", **{"class": g.klass}, **out,
                      _level=level, _first=g.first)
    result = result.order_by(["_first", "_level", "department", "rep_id", "class"]).drop("_level", "_first")
    return result.to_pyarrow()


def _done(source: Any, classes: ir.Table | None, first: date, month_cap: date, as_of: date) -> ir.Table:
    """What was done per month, rep, department and class (``classes``: of the main grade):
    ``d_revenue``, ``d_new_customers``, ``d_visits``, from the first target month up to ``as_of``."""
    customers, reps = source.table("customers"), source.table("reps")
    who = customers.select("customer_id", c_rep=customers.rep_id, c_dept=customers.department)
    if classes is not None:
        who = who.left_join(classes, "customer_id").drop("customer_id_right")
    else:
        who = who.mutate(cls=ibis.null("string"))
    orders = source.table("orders")
    o = orders.filter(orders.order_date.date() <= as_of).join(who, "customer_id")
    month = o.order_date.date().truncate("M")
    revenue = o.select(month=month, rep=ibis.coalesce(o.rep_id, o.c_rep),
                       dept=ibis.coalesce(o.department, o.c_dept), cls=o.cls, d_revenue=o.amount,
                       d_new_customers=ibis.literal(0, "int64"), d_visits=ibis.literal(0, "int64"))
    bought = orders.filter(orders.amount > 0)
    bought = bought.group_by("customer_id").agg(first=bought.order_date.min().date())
    bought = bought.filter(bought.first <= as_of).join(who, "customer_id")
    new = bought.select(month=bought.first.truncate("M"), rep=bought.c_rep, dept=bought.c_dept,
                        cls=bought.cls, d_revenue=ibis.literal(0, "decimal(18, 2)"),
                        d_new_customers=ibis.literal(1, "int64"), d_visits=ibis.literal(0, "int64"))
    acts = source.table("activities")
    a = acts.filter((acts.kind == "visit") & (acts.activity_date.date() <= as_of)).join(who, "customer_id")
    home = reps.select(visit_rep=reps.rep_id, rep_dept=reps.department)
    a = a.left_join(home, a.rep_id == home.visit_rep)
    visits = a.select(month=a.activity_date.date().truncate("M"), rep=ibis.coalesce(a.rep_id, a.c_rep),
                      dept=ibis.coalesce(a.rep_dept, a.c_dept), cls=a.cls,
                      d_revenue=ibis.literal(0, "decimal(18, 2)"), d_new_customers=ibis.literal(0, "int64"),
                      d_visits=ibis.literal(1, "int64"))
    facts_ = revenue.union(new).union(visits)
    facts_ = facts_.filter((facts_.month >= first) & (facts_.month <= month_cap))
    return facts_.group_by(["month", "rep", "dept", "cls"]).agg(
        d_revenue=facts_.d_revenue.sum(), d_new_customers=facts_.d_new_customers.sum(),
        d_visits=facts_.d_visits.sum())
