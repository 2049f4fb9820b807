"""One home per fact: the definitions every service, report and page shares.

Each fact is defined here once, so the dashboard, the workbook, the HTML report, the API and
the CLI give the same number:

current classification
    Of a scheme (:func:`current_snapshots`): the snapshot holding it with the latest as-of
    date, then the latest run. Of the workspace (:func:`current_snapshot`): the snapshot with
    the latest as-of date, then the latest run; the key figures and a report without
    ``--snapshot`` read it.
roles
    Reports find a scheme by a role its YAML declares (:data:`tierwise.schemes.spec.ROLES`),
    read from the spec stored with the snapshot, never by the scheme's name. When several
    current schemes hold a role, the one classified most recently wins (its current
    snapshot's as-of date, then run), then the first by name (:func:`current_schemes` is in
    that order); within one snapshot, the first by name (:func:`with_role`). A spec stored
    before roles existed (no ``roles:`` key) of a preset takes the roles the preset declares
    today; a workspace's own scheme needs a classification after its roles were added.
customers per class (:func:`class_counts`)
    Every class of the scheme, in its order, empty ones with 0: customers by their effective
    class (overrides included) and their revenue over the scheme's own window (kept on each
    class row when the snapshot is written).
the figures' window (:func:`figures_window`)
    The window of the snapshot's ``primary_grade`` scheme, else its most common window (then
    the first by name).
customers
    The customers in scope now (the customer list's total).
buyers, "bought in the window" (:data:`BUYER`)
    Customers with revenue above 0 (net of returns) in the figures' window of the snapshot.
active (:data:`ACTIVE`)
    Customers who bought at least once up to the as-of date (status buyer or lapsed, not a
    prospect).
revenue, outstanding (receivables), overdue
    Sums of the snapshot's stored facts in the figures' window over the customers in scope.
the reference day (:func:`reference_day`)
    The day tasks are due or late against: the ``on`` given (``--date``, ``?on=``), else
    **today**, the default of ``tierwise tasks --date`` too, so a task stored today is late
    exactly when its due date has passed. The dashboard, ``tierwise overview`` and the
    reports (``tierwise report --date``) share it.
open, due and late tasks (:data:`LATE`)
    Stored tasks (the ``tasks`` table ``tierwise tasks`` keeps) of customers in scope with
    status ``open``; due: due on or before the reference day; late: due before it.
holds
    Customers in scope with an open ``credit_hold`` task.

``scope`` is always the ids of the customers the actor may see (one column ``customer_id``),
or ``None`` for every customer.
"""

from __future__ import annotations

import contextlib
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import pyarrow as pa

from tierwise.errors import DataError
from tierwise.schemes import spec as sp
from tierwise.store.keys import keyed_select

BUYER = "f.revenue > 0"  # over snapshot_customers f in the figures' window
ACTIVE = "f.status IN ('buyer', 'lapsed')"
LATE = "t.status = 'open' AND t.due_date < $on"  # over tasks t, $on: the reference day
DUE = "t.status = 'open' AND t.due_date <= $on"
SCOPE = "_tw_facts_scope"
# A scope up to this many customers (a rep's) reads its classes by their keys: at a million
# customers the counts of 19 schemes for 10 customers 7 ms, 64: 19 ms, 383 (a rep): 76 ms,
# against 160 ms for a pass over every class (and 38-365 ms with the keys written into the query
# as a list, not pruned key by key, and joined in a subquery).
FEW_CUSTOMERS = 2_000


def reference_day(on: date | None = None) -> date:
    """The day tasks are due or late against: ``on``, else today (see the module docstring)."""
    return on or date.today()


def rows(con: Any, sql: str, params: list[Any] | dict[str, Any]) -> list[dict[str, Any]]:
    """``sql``'s rows as dicts keyed by column name."""
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def one(con: Any, sql: str, params: list[Any] | dict[str, Any]) -> dict[str, Any]:
    """``sql``'s first row as a dict ({} when there is none)."""
    found = rows(con, sql, params)
    return found[0] if found else {}


@contextlib.contextmanager
def scoped(con: Any, scope: pa.Table | None) -> Iterator[Any]:
    """A cursor of ``con`` with ``scope`` registered as ``_tw_facts_scope`` (registrations stay
    on the cursor, so requests side by side do not see each other's)."""
    cur = con.cursor()
    try:
        if scope is not None:
            cur.register(SCOPE, scope.select(["customer_id"]))
        yield cur
    finally:
        cur.close()


def in_scope(alias: str, scope: pa.Table | None) -> str:
    """SQL narrowing ``alias.customer_id`` to the scope registered by :func:`scoped`."""
    return "" if scope is None else f" AND {alias}.customer_id IN (SELECT customer_id FROM {SCOPE})"


# -- current classifications -------------------------------------------------------------
def current_snapshots(con: Any) -> dict[str, int]:
    """Each scheme's current snapshot: the one with the latest as-of date, then the latest run."""
    found = con.execute(
        """SELECT x.scheme, x.snapshot_id FROM snapshot_schemes x JOIN snapshots s USING (snapshot_id)
           QUALIFY row_number() OVER (PARTITION BY x.scheme ORDER BY s.as_of DESC, x.snapshot_id DESC) = 1
           ORDER BY x.scheme"""
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in found}


def current_snapshot(con: Any, scheme: str | None = None) -> int | None:
    """The current classification: the snapshot with the latest as-of date, then the latest
    run (of those holding ``scheme`` when given); ``None`` when there is none."""
    if scheme is not None:
        return current_snapshots(con).get(scheme)
    row = con.execute("SELECT snapshot_id FROM snapshots ORDER BY as_of DESC, snapshot_id DESC LIMIT 1"
                      ).fetchone()
    return int(row[0]) if row else None


def require_current(con: Any, scheme: str | None = None) -> int:
    """:func:`current_snapshot`, or a :class:`DataError` saying to classify first."""
    found = current_snapshot(con, scheme)
    if found is None:
        what = "no classification yet" if scheme is None else f"no snapshot holds scheme {scheme!r}"
        raise DataError(f"{what}: run `tierwise classify` first / 还没有分类结果：请先运行 tierwise classify")
    return found


@dataclass(frozen=True)
class StoredScheme:
    """A scheme as a snapshot ran it: its spec, roles and window, and the snapshot's date."""

    name: str
    snapshot_id: int
    as_of: date
    window: str
    spec: sp.SchemeSpec
    roles: tuple[str, ...]


@lru_cache(maxsize=1)
def _preset_roles() -> dict[str, tuple[str, ...]]:
    from tierwise.schemes.registry import presets

    return {name: tuple(f.spec().roles) for name, f in presets().items()}


def roles_of(spec: sp.SchemeSpec, origin: str) -> tuple[str, ...]:
    """The roles ``spec`` declares; for a preset stored before roles existed, the preset's."""
    if "roles" not in spec.model_fields_set and origin.startswith("preset "):
        return _preset_roles().get(origin.removeprefix("preset "), ())
    return tuple(spec.roles)


def _stored(found: list[tuple[Any, ...]]) -> dict[str, StoredScheme]:
    out = {}
    for name, sid, as_of, window, text, origin in found:
        spec = sp.load_stored(text, origin)
        out[name] = StoredScheme(name, int(sid), as_of, window, spec, roles_of(spec, origin))
    return out


def stored_schemes(con: Any, snapshot_id: int) -> dict[str, StoredScheme]:
    """The schemes of ``snapshot_id`` as it ran them, by name."""
    return _stored(con.execute(
        """SELECT x.scheme, x.snapshot_id, s.as_of, x."window", x.spec_yaml, x.origin
           FROM snapshot_schemes x JOIN snapshots s USING (snapshot_id)
           WHERE x.snapshot_id = ? ORDER BY x.scheme""", [snapshot_id]).fetchall())


def current_schemes(con: Any) -> dict[str, StoredScheme]:
    """Every scheme in its current snapshot, the most recently classified first, then by name
    (the order a role is picked in)."""
    return _stored(con.execute(
        """SELECT x.scheme, x.snapshot_id, s.as_of, x."window", x.spec_yaml, x.origin
           FROM snapshot_schemes x JOIN snapshots s USING (snapshot_id)
           QUALIFY row_number() OVER (PARTITION BY x.scheme ORDER BY s.as_of DESC, x.snapshot_id DESC) = 1
           ORDER BY s.as_of DESC, x.snapshot_id DESC, x.scheme""").fetchall())


def with_role(schemes: dict[str, StoredScheme], role: str) -> StoredScheme | None:
    """The first of ``schemes`` (in their order) holding ``role``."""
    if role not in sp.ROLES:
        raise ValueError(f"no role {role!r}")  # a programming error: roles are fixed
    return next((s for s in schemes.values() if role in s.roles), None)


def all_with_role(schemes: dict[str, StoredScheme], role: str) -> list[StoredScheme]:
    """Every one of ``schemes`` holding ``role``, in their order."""
    return [s for s in schemes.values() if role in s.roles]


def main_grade(con: Any, snapshot_id: int | None = None) -> StoredScheme | None:
    """The company's main grade: the scheme with the role ``primary_grade`` in ``snapshot_id``,
    else in the current classification (:data:`DataError` when nothing is classified)."""
    if snapshot_id is not None:
        return with_role(stored_schemes(con, snapshot_id), "primary_grade")
    require_current(con)
    return with_role(current_schemes(con), "primary_grade")


def figures_window(schemes: dict[str, StoredScheme]) -> str | None:
    """The window the figures of a snapshot are read over, of the snapshot's ``schemes`` (see
    the module docstring)."""
    grade = with_role(schemes, "primary_grade")
    if grade is not None:
        return grade.window
    counts = Counter(s.window for s in sorted(schemes.values(), key=lambda s: s.name))
    return counts.most_common(1)[0][0] if counts else None


def figures_source(con: Any, snapshot_id: int | None = None) -> tuple[int | None, str | None]:
    """Where the figures are read: ``snapshot_id`` (default: the current classification) and
    its figures' window; ``(None, None)`` when nothing is classified."""
    sid = current_snapshot(con) if snapshot_id is None else snapshot_id
    if sid is None:
        return None, None
    return sid, figures_window(stored_schemes(con, sid))


# -- counts ------------------------------------------------------------------------------
def class_counts(con: Any, schemes: list[StoredScheme], *, scope: pa.Table | None = None,
                 lang: str = "en") -> dict[str, list[dict[str, Any]]]:
    """Per scheme (each in its own snapshot): every class in the scheme's order with its
    customers and revenue (the scheme's window) and their shares; empty classes have 0."""
    if not schemes:
        return {}
    keys = pa.table({"scheme": [s.name for s in schemes], "snapshot_id": [s.snapshot_id for s in schemes]})
    few = scope is not None and scope.num_rows <= FEW_CUSTOMERS
    with scoped(con, scope) as cur:
        cur.register("_tw_facts_keys", keys)
        ids: list[str] = scope.column("customer_id").to_pylist() if few and scope is not None else []
        # a few customers' rows by their keys (store/keys.py: one by one, or a semi-join on the
        # keys), materialized first in a CTE of the statement itself (in a subquery the engine
        # pushes the join into a scan of every class: 367 ms instead of 127 for a rep), else a
        # semi-join of every class with the scope
        params: dict[str, object] = {}
        first, source = "", "classes"
        if ids:
            query, params = keyed_select("classes", "*", ids, many=SCOPE)
            first, source = f"WITH m AS MATERIALIZED ({query})", "m"
        found = cur.execute(f"""{first}
            SELECT c.scheme, c.class, count(*) AS customers, coalesce(sum(c.revenue), 0)::DOUBLE AS revenue
            FROM {source} c JOIN _tw_facts_keys k USING (snapshot_id, scheme)
            WHERE {"FALSE" if few and not ids else "TRUE"}{"" if few else in_scope("c", scope)}
            GROUP BY ALL""", params).fetchall()
    by = {(r[0], r[1]): (int(r[2]), float(r[3])) for r in found}
    out = {}
    for s in schemes:
        total = sum(n for (name, _), (n, _) in by.items() if name == s.name)
        # correctly rounded whatever order the engine returned the classes in
        revenue = math.fsum(v for (name, _), (_, v) in by.items() if name == s.name)
        out[s.name] = [{"class": c.id, "label": c.label.get(lang), "customers": n, "revenue": v,
                        "share": n / total if total else 0.0,
                        "revenue_share": v / revenue if revenue else 0.0}
                       for c in s.spec.classes for n, v in [by.get((s.name, c.id), (0, 0.0))]]
    return out


def figures(con: Any, *, snapshot_id: int | None, window: str | None, scope: pa.Table | None = None,
            on: date | None = None) -> dict[str, Any]:
    """The key figures over ``scope``: customers, buyers, active, revenue, outstanding and
    overdue of ``snapshot_id`` in ``window``; open, due and late tasks and holds on the
    reference day ``on`` (see the module docstring for each definition)."""
    return {"customers": customer_count(con, scope),
            **snapshot_figures(con, snapshot_id=snapshot_id, window=window, scope=scope),
            **task_figures(con, scope=scope, on=on)}


def customer_count(con: Any, scope: pa.Table | None = None) -> int:
    """The customers in ``scope`` now."""
    with scoped(con, scope) as cur:
        found = (cur.execute("SELECT count(*) FROM customers").fetchone() if scope is None
                 else cur.execute(f"SELECT count(*) FROM {SCOPE}").fetchone())
    return int(found[0]) if found else 0


def snapshot_figures(con: Any, *, snapshot_id: int | None, window: str | None,
                     scope: pa.Table | None = None) -> dict[str, Any]:
    """The figures stored with ``snapshot_id`` over ``scope``: buyers, active, revenue,
    outstanding and overdue in ``window`` (they change only with the snapshot)."""
    with scoped(con, scope) as cur:
        facts = one(cur, f"""
            SELECT count(*) FILTER (WHERE {BUYER}) AS buyers, count(*) FILTER (WHERE {ACTIVE}) AS active,
                   coalesce(sum(f.revenue), 0)::DOUBLE AS revenue,
                   coalesce(sum(f.outstanding), 0)::DOUBLE AS outstanding,
                   coalesce(sum(f.overdue_amount), 0)::DOUBLE AS overdue,
                   EXISTS (SELECT 1 FROM payments) AS paid
            FROM snapshot_customers f JOIN customers u USING (customer_id)
            WHERE f.snapshot_id = $sid AND f."window" = $window{in_scope("f", scope)}""",
                    {"sid": snapshot_id, "window": window})
    # no payments imported: what is owed is unknown, not every order ever shipped
    money = ("revenue", "outstanding", "overdue") if facts["paid"] else ("revenue",)
    return {**{k: int(facts[k] or 0) for k in ("buyers", "active")},
            **{k: float(facts[k] or 0.0) for k in money},
            **({} if facts["paid"] else {"outstanding": None, "overdue": None})}


def task_figures(con: Any, *, scope: pa.Table | None = None, on: date | None = None) -> dict[str, int]:
    """Open, due and late tasks and holds over ``scope`` on the reference day ``on``."""
    with scoped(con, scope) as cur:
        tasks = one(cur, f"""
            SELECT count(*) AS open, count(*) FILTER (WHERE {DUE}) AS due,
                   count(*) FILTER (WHERE {LATE}) AS late,
                   count(DISTINCT t.customer_id) FILTER (WHERE t.kind = 'credit_hold') AS holds
            FROM tasks t WHERE t.status = 'open'{in_scope("t", scope)}""", {"on": reference_day(on)})
    return {k: int(tasks[k] or 0) for k in ("open", "due", "late", "holds")}


def version(con: Any) -> tuple[Any, ...]:
    """What the stored classes and figures depend on, read in a few milliseconds: the
    snapshots, the overrides (an approval or expiry rewrites a class), the last import (new
    customers, a customer moved to another rep or department) and the last attribute set by
    hand. Equal versions mean equal classes, snapshot figures, scopes and filled columns, so
    what is read from them can be kept between requests."""
    row = con.execute("""SELECT (SELECT list(snapshot_id ORDER BY snapshot_id) FROM snapshots),
                                (SELECT max(created_at) FROM snapshots),
                                (SELECT count(*) FROM overrides),
                                (SELECT bit_xor(hash(override_id, status, class, until)) FROM overrides),
                                (SELECT max(import_id) FROM imports),
                                (SELECT max(audit_id) FROM audit WHERE action = 'customer.attribute')
                         """).fetchone()
    return tuple(tuple(v) if isinstance(v, list) else v for v in row) if row else ()
