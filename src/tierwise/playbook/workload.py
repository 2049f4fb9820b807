"""Capacity by tier: each rep's load against capacity, from the classes' service ratios (M1, M16).

A playbook's ``service_ratio`` says how many customers of a class one rep looks after: A
1:1, B 1:2, C 1:3-5 in the ABC preset. Turned around, a customer of a 1:N class takes
``1/N`` of a rep: a *customer-equivalent*. A rep's ``capacity`` (reps table) is counted in
the same unit, so a rep with capacity 40 can carry 40 A customers, or 80 B, or 160 C.

The rules, decided once here:

- **Which class**: the customer's effective class (manual overrides included) in ``scheme``
  of the chosen snapshot (default: the current classification, the latest snapshot holding
  the scheme). The default scheme is the company's main grade: the scheme with the role
  ``primary_grade`` (:mod:`tierwise.schemes.facts` says which when several hold it). The
  ratios come from the scheme as it ran in that snapshot, not from the file today.
- **Weight**: ``1 / N`` for a class with ratio 1:N; a range 1:N-M counts at its midpoint
  (1:3-5 → 4, weight 0.25).
- **Default weight**: a customer the scheme did not classify (outside its population, e.g. a
  prospect or a customer added after the snapshot, for ABC), or whose class has no
  ``service_ratio``, weighs the *default ratio*: ``default_ratio`` when given, else the ratio
  of the scheme's last (lowest) class that has one (C's 1:3-5 → 4 for ABC). Such a customer
  needs about the service of the ordinary class. A scheme with no ratio at all (the B2B
  levels) needs ``default_ratio``. The report counts the customers that got the default.
- **Owner**: ``customers.rep_id``. A customer with no rep, or with a rep_id missing from the
  reps table, is *unassigned*: counted and weighed apart, never dropped. Every customer of
  the customers table is accounted for: total = sum over reps + unassigned.
- **Load** = the sum of the weights of a rep's customers (exact fractions; shown to 2
  decimals). **Utilisation** = load / capacity.
- **Status**: ``over`` when load > capacity (utilisation above 1.0; exactly full is ok),
  ``under`` below ``under`` (0.6 by default), ``ok`` between, and ``no_capacity`` when the
  rep's capacity is empty. Capacity 0 means the rep should carry nobody: ``over`` with any
  load (utilisation empty), ``ok`` without.
- **Spare** = capacity - load (negative when over); **to fill** = how many more customers at
  the default ratio fit in the spare: ``floor(spare × N)``, 0 when full.
- **Department**: a rep's department (reps table); an unassigned customer's own department
  (customers table). ``department`` keeps that department only, and the totals still add
  up within it.
- **Suggested moves** (a rule of thumb, not an optimiser): each over-loaded rep, the
  largest excess first, hands the excess (load - capacity) to the under-loaded reps of the
  same department, the one with the most spare capacity first, each taking at most its
  spare (up to full capacity). What no one in the department can take is left over, to be
  placed across departments or by adding capacity. Customers are approximate: the
  equivalents times the default ratio.

Customers are counted per rep and class by one Ibis expression over the workspace; only
the small per-rep, per-class counts come back to Python.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import ibis
import pyarrow as pa

from tierwise.errors import ConfigError, DataError
from tierwise.playbook.reassign import Suggestion, Unowned, pick, suggest, unowned
from tierwise.schemes import facts

if TYPE_CHECKING:
    from tierwise.schemes import spec as sp
    from tierwise.store.database import Database

OVER, UNDER, OK, NO_CAPACITY = "over", "under", "ok", "no_capacity"
STATUS_TEXT = {OVER: ("over", "超负荷"), UNDER: ("under", "偏低"), OK: ("ok", "正常"),
               NO_CAPACITY: ("no capacity", "未设容量"), "unassigned": ("unassigned", "未分配")}
UNDER_DEFAULT = 0.6
_RATIO = re.compile(r"^(?:1\s*:\s*)?(\d+(?:\.\d+)?)(?:\s*[-–~]\s*(\d+(?:\.\d+)?))?$")


# -- ratios ----------------------------------------------------------------------------
def parse_ratio(value: str | float | int) -> Fraction:
    """Customers per rep from ``4``, ``2.5``, ``1:4`` or ``1:3-5`` (midpoint: 4)."""
    match = _RATIO.match(str(value).strip())
    if match is None:
        raise ConfigError(f"default ratio {value!r}: write customers per rep as 4, 1:4 or 1:3-5 / "
                          f"默认服务比例请写成 4、1:4 或 1:3-5")
    low = Fraction(match.group(1))
    ratio = (low + Fraction(match.group(2))) / 2 if match.group(2) else low
    if ratio <= 0:
        raise ConfigError(f"default ratio {value!r}: a rep looks after more than 0 customers / "
                          f"默认服务比例须大于 0")
    return ratio


def ratio_text(n: Fraction) -> str:
    """``1:4``, ``1:2.5``."""
    return f"1:{fmt_num(n)}"


def fmt_num(x: Fraction | float) -> str:
    """``12.5``, ``8``, ``33.33``: at most 2 decimals, no trailing zeros."""
    text = f"{float(x):,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def round_to(x: Fraction | float | None, places: int = 2) -> float | None:
    """``x`` for JSON, rounded; ``None`` stays empty."""
    return None if x is None else round(float(x), places)


def _jnum(x: Fraction) -> int | float | None:
    """A ratio for JSON: ``4``, ``2.5``."""
    return int(x) if x.denominator == 1 else round_to(x)


# -- results ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RepLoad:
    """One rep: who, capacity, customers per class, load and status."""

    rep_id: str
    name: str | None
    department: str | None
    outlet: str | None
    manager_id: str | None
    capacity: int | None
    customers: int
    by_class: dict[str, int]
    outside: int
    """Customers the scheme did not classify (weighed at the default)."""
    defaulted: int
    """Customers weighed at the default ratio: ``outside`` plus those of a class without a ratio."""
    load: Fraction
    status: str
    default_ratio: Fraction

    @property
    def utilisation(self) -> float | None:
        """load / capacity; empty without a capacity, or with capacity 0."""
        return None if not self.capacity else float(self.load / self.capacity)

    @property
    def spare(self) -> Fraction | None:
        """capacity - load, negative when over; empty without a capacity."""
        return None if self.capacity is None else self.capacity - self.load

    @property
    def to_fill(self) -> int | None:
        """More customers at the default ratio that fit in the spare capacity."""
        spare = self.spare
        return None if spare is None else max(0, math.floor(spare * self.default_ratio))

    def to_json(self) -> dict[str, Any]:
        return {"rep_id": self.rep_id, "name": self.name, "department": self.department,
                "outlet": self.outlet, "manager_id": self.manager_id, "capacity": self.capacity,
                "load": round_to(self.load), "utilisation": round_to(self.utilisation, 3),
                "status": self.status, "customers": self.customers, "by_class": dict(self.by_class),
                "outside": self.outside, "defaulted": self.defaulted, "spare": round_to(self.spare),
                "to_fill": self.to_fill}


@dataclass(frozen=True)
class DepartmentLoad:
    """Totals of one department. ``capacity`` and ``utilisation`` count the reps that have a
    capacity; ``spare`` adds the spare of the reps not full, ``excess`` the overload of the
    reps over; ``unassigned`` are the department's customers without a known rep."""

    department: str | None
    reps: int
    capacity: int | None
    customers: int
    load: Fraction
    load_with_capacity: Fraction
    over: int
    under: int
    no_capacity: int
    spare: Fraction
    excess: Fraction
    unassigned: int
    unassigned_load: Fraction

    @property
    def utilisation(self) -> float | None:
        return float(self.load_with_capacity / self.capacity) if self.capacity else None

    def to_json(self) -> dict[str, Any]:
        return {"department": self.department, "reps": self.reps, "capacity": self.capacity,
                "customers": self.customers, "load": round_to(self.load),
                "utilisation": round_to(self.utilisation, 3), "over": self.over,
                "under": self.under, "no_capacity": self.no_capacity, "spare": round_to(self.spare),
                "excess": round_to(self.excess), "unassigned": self.unassigned,
                "unassigned_load": round_to(self.unassigned_load)}


@dataclass(frozen=True)
class Unassigned:
    """Customers without a rep (``no_rep``) or whose rep_id is not in the reps table
    (``unknown_rep``, with up to 10 of those ids)."""

    customers: int = 0
    load: Fraction = Fraction(0)
    no_rep: int = 0
    unknown_rep: int = 0
    unknown_rep_ids: tuple[str, ...] = ()
    by_class: dict[str, int] = field(default_factory=dict)
    outside: int = 0
    defaulted: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"customers": self.customers, "load": round_to(self.load), "no_rep": self.no_rep,
                "unknown_rep": self.unknown_rep, "unknown_rep_ids": list(self.unknown_rep_ids),
                "by_class": dict(self.by_class), "outside": self.outside, "defaulted": self.defaulted}


@dataclass(frozen=True)
class Workload:
    """The load report of one scheme's classification; see the module docstring for the rules.

    ``reps`` are sorted by utilisation, the most loaded first (capacity 0 with customers at
    the top, reps without a capacity last); ``ratios`` maps each class with a service ratio
    to its customers per rep; customers of the others weigh ``default_ratio``, which came
    from ``default_from`` (a class id, or ``None`` when given). Loads, spare and ratios are
    exact fractions; :meth:`to_json` rounds them.
    """

    scheme: str
    title_en: str
    title_zh: str
    snapshot_id: int
    as_of: date | None
    department: str | None
    under: float
    classes: tuple[str, ...]
    ratios: dict[str, Fraction]
    default_ratio: Fraction
    default_from: str | None
    reps: tuple[RepLoad, ...]
    departments: tuple[DepartmentLoad, ...]
    unassigned: Unassigned
    suggestions: tuple[Suggestion, ...]
    unowned: tuple[Unowned, ...] = ()  # top-class customers without a rep, the largest first
    unowned_total: int = 0

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    @property
    def customers(self) -> int:
        """Every customer in scope: the reps' plus the unassigned."""
        return sum(r.customers for r in self.reps) + self.unassigned.customers

    @property
    def load(self) -> Fraction:
        return sum((r.load for r in self.reps), Fraction(0)) + self.unassigned.load

    @property
    def outside(self) -> int:
        return sum(r.outside for r in self.reps) + self.unassigned.outside

    @property
    def defaulted(self) -> int:
        return sum(r.defaulted for r in self.reps) + self.unassigned.defaulted

    @property
    def capacity(self) -> int:
        return sum(r.capacity or 0 for r in self.reps)

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme, "snapshot_id": self.snapshot_id,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "department": self.department, "under": self.under, "over": 1.0,
            "ratios": {k: _jnum(v) for k, v in self.ratios.items()},
            "default_ratio": _jnum(self.default_ratio), "default_from": self.default_from,
            "customers": self.customers, "load": round_to(self.load), "capacity": self.capacity,
            "defaulted": {"customers": self.defaulted, "outside": self.outside,
                          "no_ratio": self.defaulted - self.outside},
            "reps": [r.to_json() for r in self.reps],
            "departments": [d.to_json() for d in self.departments],
            "unassigned": self.unassigned.to_json(),
            "suggestions": [s.to_json() for s in self.suggestions],
            "unowned_top": [u.to_json() for u in self.unowned], "unowned_top_total": self.unowned_total,
        }

    def unowned_text(self, lang: str) -> str | None:
        """The top-class customers without a rep, with the suggested owners (None: there are none)."""
        if not self.unowned_total:
            return None
        top = self.classes[0]
        shown = "; ".join(u.text(lang) for u in self.unowned[:20])
        more = self.unowned_total - min(20, len(self.unowned))
        tail = pick(lang, f"; and {more:,} more", f"；另有 {more:,} 个") if more > 0 else ""
        return pick(lang, f"{self.unowned_total:,} {top} customers have no rep: {shown}{tail}",
                    f"{self.unowned_total:,} 个 {top} 类客户没有业务员：{shown}{tail}")

    def table(self, lang: str = "en") -> pa.Table:
        """One row per rep, then one ``unassigned`` row: for ``--out`` (csv / xlsx). ``suggestion``
        (in ``lang``): an over-loaded rep's suggested move; on the unassigned row, the top-class
        customers without a rep and who could take them."""
        moves = {s.rep_id: s.text(lang) for s in self.suggestions}
        rows = [{**r.to_json(), "suggestion": moves.get(r.rep_id)} for r in self.reps]
        rows.append({**self.unassigned.to_json(), "department": self.department, "status": "unassigned",
                     "suggestion": self.unowned_text(lang)})
        ints = ("capacity", "customers", *(f"class_{c}" for c in self.classes), "outside", "defaulted")
        schema = pa.schema(
            [(k, pa.string()) for k in ("rep_id", "name", "department", "outlet", "manager_id")]
            + [(k, pa.int64()) for k in ints]
            + [(k, pa.float64()) for k in ("load", "utilisation", "spare")]
            + [("to_fill", pa.int64()), ("status", pa.string()), ("suggestion", pa.string())])
        flat = [{**r, **{f"class_{c}": r["by_class"].get(c, 0) for c in self.classes}} for r in rows]
        return pa.Table.from_pylist([{k: f.get(k) for k in schema.names} for f in flat], schema=schema)


# -- the report ------------------------------------------------------------------------
@dataclass
class _Sums:
    """Running totals of a rep (or of the unassigned) over the per-class counts."""

    customers: int = 0
    load: Fraction = Fraction(0)
    by_class: dict[str, int] = field(default_factory=dict)
    outside: int = 0
    defaulted: int = 0

    def add(self, n: int, klass: str | None, ratio: Fraction, defaulted: bool) -> None:
        self.customers += n
        self.load += n / ratio
        if klass is None:
            self.outside += n
        else:
            self.by_class[klass] = self.by_class.get(klass, 0) + n
        self.defaulted += n if defaulted else 0


def workload(ws: Database, *, scheme: str | None = None, snapshot_id: int | None = None,
             department: str | None = None, under: float = UNDER_DEFAULT,
             default_ratio: str | float | None = None) -> Workload:
    """Each rep's load (customer-equivalents) against capacity, from ``scheme``'s service ratios.

    Parameters
    ----------
    ws
        The workspace: customers (with rep_id), reps (with capacity) and a classification.
    scheme
        The scheme whose classes and ratios weigh the customers (default: the one with the role
        ``primary_grade``, in ``snapshot_id`` when given, else in the current classification).
    snapshot_id
        The classification to read (default: the current one of ``scheme``).
    department
        Only this department: its reps, and the unassigned customers of the department.
    under
        Utilisation below which a rep is under-loaded (0 to 1).
    default_ratio
        Customers per rep for customers without a ratio (``4``, ``1:4``, ``1:3-5``); default:
        the ratio of the scheme's last class that has one.

    Raises :class:`DataError` without a classification holding ``scheme`` or without reps,
    :class:`ConfigError` for an unknown scheme or department, an ``under`` outside 0–1, or
    a scheme without ratios and no ``default_ratio``.
    """
    if not 0 <= under <= 1:
        raise ConfigError(f"--under {under:g}: give a share of capacity between 0 and 1, e.g. 0.6 / "
                          f"--under 须在 0 与 1 之间")
    scheme = scheme or None  # an empty name (a blank form field) means the main grade too
    grade = facts.main_grade(ws.con, snapshot_id) if scheme is None else None
    if grade is None and scheme is None:
        raise ConfigError("no classified scheme has the role primary_grade (the main grade, e.g. ABC): give "
                          "--scheme, or add `roles: [primary_grade]` to a scheme and classify / "
                          "没有角色为 primary_grade 的方案：请用 --scheme 指定")
    if scheme is None:
        assert grade is not None
        scheme = grade.name
    snapshot_id = facts.require_current(ws.con, scheme) if snapshot_id is None else snapshot_id
    specs = facts.stored_schemes(ws.con, snapshot_id)
    if scheme not in specs:
        raise ConfigError(f"scheme {scheme!r} is not in snapshot {snapshot_id}; it has "
                          f"{', '.join(specs) or 'none (no such snapshot)'} / 快照中没有方案 {scheme!r}")
    spec = specs[scheme].spec
    ratios, default, default_from = _ratios(spec, default_ratio)
    reps = _reps(ws, department)
    counts = _counts(ws, snapshot_id, scheme, department)
    row = ws.con.execute("SELECT as_of FROM snapshots WHERE snapshot_id = ?", [snapshot_id]).fetchone()

    sums: dict[str | None, _Sums] = {}  # per rep_id; None: the unassigned
    unknown_ids: set[str] = set()
    no_rep = unknown = 0
    by_dept_unassigned: dict[str | None, _Sums] = {}
    for g in counts:  # one row per rep (or unassigned department) and class: few rows
        n, klass, known = int(g["customers"]), g["klass"], g["kind"] == "rep"
        ratio = ratios.get(klass) if klass is not None else None
        n_per_rep = default if ratio is None else ratio
        sums.setdefault(g["rep_id"] if known else None, _Sums()).add(n, klass, n_per_rep, ratio is None)
        if not known:
            by_dept_unassigned.setdefault(g["dept"], _Sums()).add(n, klass, n_per_rep, ratio is None)
            no_rep += n if g["kind"] == "no_rep" else 0
            unknown += n if g["kind"] == "unknown_rep" else 0
            if g["kind"] == "unknown_rep":
                unknown_ids.add(g["rep_id"])

    classes = spec.class_ids()
    loads = []
    for r in reps:
        t = sums.get(r["rep_id"], _Sums())
        loads.append(RepLoad(
            rep_id=r["rep_id"], name=r["name"], department=r["department"], outlet=r["outlet"],
            manager_id=r["manager_id"], capacity=r["capacity"], customers=t.customers,
            by_class={c: t.by_class.get(c, 0) for c in classes}, outside=t.outside, defaulted=t.defaulted,
            load=t.load, status=_status(t.load, r["capacity"], under), default_ratio=default))
    loads.sort(key=_sort_key)
    u = sums.get(None, _Sums())
    unassigned = Unassigned(
        customers=u.customers, load=u.load, no_rep=no_rep, unknown_rep=unknown,
        unknown_rep_ids=tuple(sorted(unknown_ids)[:10]), by_class={c: u.by_class.get(c, 0) for c in classes},
        outside=u.outside, defaulted=u.defaulted)
    top = classes[0]
    unowned_rows, unowned_total = unowned(ws, snapshot_id, scheme, top, department, loads,
                                      1 / (ratios.get(top) or default))
    return Workload(
        scheme=scheme, title_en=spec.title.en, title_zh=spec.title.zh, snapshot_id=snapshot_id,
        as_of=row[0] if row else None, department=department, under=under,
        classes=tuple(classes), ratios=ratios, default_ratio=default, default_from=default_from,
        reps=tuple(loads), departments=_departments(loads, by_dept_unassigned), unassigned=unassigned,
        suggestions=suggest(loads, default, default_from), unowned=unowned_rows,
        unowned_total=unowned_total)


def _ratios(spec: sp.SchemeSpec,
            given: str | float | None) -> tuple[dict[str, Fraction], Fraction, str | None]:
    """Customers per rep of each class with a ratio (midpoint of a range), the default ratio
    and where it came from (the class, or ``None`` when given)."""
    ratios: dict[str, Fraction] = {}
    for c in spec.classes:
        span = c.playbook.customers_per_rep() if c.playbook is not None else None
        if span is not None:
            ratios[c.id] = Fraction(span[0] + span[1], 2)
    if given is not None:
        return ratios, parse_ratio(given), None
    if not ratios:
        raise ConfigError(
            f"scheme {spec.name}: no class has a service_ratio, so customers cannot be weighed; add "
            f"service_ratio (e.g. \"1:3-5\") to its classes' playbooks, or give --default-ratio 4 / "
            f"方案 {spec.name} 没有任何类别设定服务比例（service_ratio）：请补充，或用 --default-ratio")
    last = [c.id for c in spec.classes if c.id in ratios][-1]
    return ratios, ratios[last], last


def _reps(ws: Database, department: str | None) -> list[dict[str, Any]]:
    reps = ws.table("reps").select("rep_id", "name", "department", "outlet", "manager_id", "capacity")
    rows: list[dict[str, Any]] = reps.order_by("rep_id").to_pyarrow().to_pylist()
    if not rows:
        raise DataError("no reps in the workspace: import them with `tierwise import reps FILE` "
                        "(rep_id, department, capacity ...) / 还没有业务员：请先导入 reps 表")
    if department is None:
        return rows
    mine = [r for r in rows if r["department"] == department]
    if not mine:
        known = sorted({r["department"] for r in rows if r["department"] is not None})
        raise ConfigError(f"no rep in department {department!r}; departments: {', '.join(known)} / "
                          f"没有部门 {department!r} 的业务员")
    return mine


def _counts(ws: Database, snapshot_id: int, scheme: str, department: str | None) -> list[dict[str, Any]]:
    """Customers per (rep_id, kind, dept, klass): kind ``rep`` (a known rep), ``no_rep`` or
    ``unknown_rep``; dept is the rep's department, or the customer's when not a known rep;
    klass is empty for a customer the scheme did not classify."""
    cust = ws.table("customers")
    cust = cust.select("customer_id", "rep_id", cust_dept=cust.department)
    cls = ws.table("classes")
    cls = cls.filter((cls.snapshot_id == snapshot_id) & (cls.scheme == scheme))
    cls = cls.select(class_customer=cls.customer_id, klass=cls["class"])
    reps = ws.table("reps")
    reps = reps.select(rep_key=reps.rep_id, rep_dept=reps.department)
    t = cust.left_join(cls, cust.customer_id == cls.class_customer)
    t = t.left_join(reps, t.rep_id == reps.rep_key)
    t = t.select(
        "rep_id", "klass",
        kind=ibis.cases((t.rep_key.notnull(), "rep"), (t.rep_id.isnull(), "no_rep"), else_="unknown_rep"),
        dept=ibis.ifelse(t.rep_key.notnull(), t.rep_dept, t.cust_dept),
    )
    if department is not None:
        t = t.filter(t.dept == department)
    grouped = t.group_by("rep_id", "kind", "dept", "klass").agg(customers=t.count())
    rows: list[dict[str, Any]] = grouped.to_pyarrow().to_pylist()
    return rows


def _status(load: Fraction, capacity: int | None, under: float) -> str:
    if capacity is None:
        return NO_CAPACITY
    if load > capacity:
        return OVER
    if capacity > 0 and load < Fraction(str(under)) * capacity:
        return UNDER
    return OK


def _sort_key(r: RepLoad) -> tuple[Any, ...]:
    if r.capacity is None:
        return (1, 0.0, r.rep_id)
    util = r.utilisation
    level = util if util is not None else (math.inf if r.load > 0 else 0.0)
    return (0, -level, r.rep_id)


def _departments(reps: list[RepLoad], unassigned: dict[str | None, _Sums]) -> tuple[DepartmentLoad, ...]:
    names = list(dict.fromkeys([r.department for r in reps] + list(unassigned)))
    names.sort(key=lambda d: (d is None, d or ""))
    out = []
    for name in names:
        mine = [r for r in reps if r.department == name]
        caps = [r for r in mine if r.capacity is not None]
        u = unassigned.get(name, _Sums())
        out.append(DepartmentLoad(
            department=name, reps=len(mine),
            capacity=sum(r.capacity or 0 for r in caps) if caps else None,
            customers=sum(r.customers for r in mine),
            load=sum((r.load for r in mine), Fraction(0)),
            load_with_capacity=sum((r.load for r in caps), Fraction(0)),
            over=sum(r.status == OVER for r in mine), under=sum(r.status == UNDER for r in mine),
            no_capacity=sum(r.status == NO_CAPACITY for r in mine),
            spare=sum((max(r.spare or Fraction(0), Fraction(0)) for r in caps), Fraction(0)),
            excess=sum((max(-(r.spare or Fraction(0)), Fraction(0)) for r in caps), Fraction(0)),
            unassigned=u.customers, unassigned_load=u.load))
    return tuple(out)
