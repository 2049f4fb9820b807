"""The dashboard a signed-in person opens first, from their scope only: key figures, the
tier mix of every scheme, the 2 × 2 matrices, top movers, credit holds and tasks due.

Everything is read from stored snapshots and tasks (no metrics are computed), so it stays
quick on a large company. Every number is one of :mod:`tierwise.schemes.facts`, so the
dashboard, ``tierwise overview``, the workbook and the HTML report agree; the schemes are
found by their roles (the matrices: ``matrix``; the top movers and the Pareto chart:
``pareto``), never by name. The charts come from :mod:`tierwise.reports.charts` over the
same scope.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from tierwise.schemes import facts
from tierwise.schemes import spec as sp
from tierwise.services.list_sql import SqlCache
from tierwise.store import changes
from tierwise.store.keys import keyed_select


def overview(con: Any, scope: pa.Table | None, *, lang: str = "en", on: date | None = None) -> dict[str, Any]:
    """The key figures of the current classification over ``scope`` (None: every customer),
    with the customers per class of the main grade (the ``primary_grade`` scheme)."""
    stored = _stored_part(con, scope, lang=lang, grade_only=True)
    return _with_live(con, scope, stored, on, lang=lang)


def dashboard(con: Any, scope: pa.Table | None, *, lang: str = "en", on: date | None = None,
              key: tuple[Any, ...] | None = None) -> dict[str, Any]:
    """What a person sees first, over ``scope`` (their customers' ids; None: everyone), as plain
    data for the page and the API.

    The part read from the stored classification (figures of the snapshot, tier mix, matrices,
    movers) changes only with :func:`tierwise.schemes.facts.version`, so with ``key`` (the
    workspace, who the scope is and that version) it is kept between requests: at a million
    customers it takes seconds, the rest milliseconds. The tasks due, holds and task figures are
    kept as :data:`LIVE` says (exact for a small scope, counted again every
    :data:`LIVE_SECONDS` for a large one); the customer count is read each time.
    """
    if key is not None:
        full_key = (*key, lang)
        stored = STORED.get(full_key)
        if stored is None:
            stored = _stored_part(con, scope, lang=lang)
            STORED.put(full_key, stored)
    else:
        stored = _stored_part(con, scope, lang=lang)
    return _with_live(con, scope, stored, on, lang=lang, full=True, key=key)


# the stored part of the dashboards last shown, by workspace, scope, data version and language
STORED: SqlCache[dict[str, Any]] = SqlCache(64)


def _stored_part(con: Any, scope: pa.Table | None, *, lang: str, grade_only: bool = False) -> dict[str, Any]:
    """The dashboard's figures that come from the stored classification only."""
    sid, window = facts.figures_source(con)
    schemes = facts.current_schemes(con)
    grade = facts.with_role(schemes, "primary_grade")
    ordered = [grade] if grade_only and grade is not None else [] if grade_only else sorted(
        schemes.values(), key=lambda s: s.name)
    counts = facts.class_counts(con, ordered, scope=scope, lang=lang)
    out: dict[str, Any] = {
        "snapshot_id": sid,
        "as_of": _as_of(con, sid),
        "window": window,
        "stored": facts.snapshot_figures(con, snapshot_id=sid, window=window, scope=scope),
        "grade": None if grade is None else {
            "scheme": grade.name, "title": grade.spec.title.get(lang), "snapshot_id": grade.snapshot_id,
            "classes": counts[grade.name]},
    }
    if grade_only:
        return out
    pareto = facts.with_role(schemes, "pareto")
    with facts.scoped(con, scope) as cur:
        movers = _movers(cur, pareto, scope) if pareto is not None else []
    return {
        **out,
        "tiers": [{"scheme": s.name, "title": s.spec.title.get(lang), "snapshot_id": s.snapshot_id,
                   "roles": list(s.roles), "customers": sum(r["customers"] for r in counts[s.name]),
                   "classes": counts[s.name]} for s in ordered],
        "matrices": _matrices(facts.all_with_role(schemes, "matrix"), counts, lang),
        "pareto": None if pareto is None else {"scheme": pareto.name, "title": pareto.spec.title.get(lang)},
        "movers": movers,
    }


def _as_of(con: Any, sid: int | None) -> str | None:
    row = con.execute("SELECT as_of FROM snapshots WHERE snapshot_id = ?", [sid]).fetchone() if sid else None
    return row[0].isoformat() if row else None


def _with_live(con: Any, scope: pa.Table | None, stored: dict[str, Any], on: date | None, *,
               lang: str = "en", full: bool = False, key: tuple[Any, ...] | None = None) -> dict[str, Any]:
    """``stored`` with what changes by the minute: the customers now, tasks and holds (with
    ``full``, the tasks due and the holds themselves; with ``key``, kept as :data:`LIVE` says)."""
    day = facts.reference_day(on)
    out: dict[str, Any] = {
        "snapshot_id": stored["snapshot_id"], "as_of": stored["as_of"], "window": stored["window"],
        "on": day.isoformat(),
        **{k: v for k, v in stored.items() if k not in ("snapshot_id", "as_of", "window", "stored")},
    }
    figures: dict[str, Any] = {"customers": facts.customer_count(con, scope), **stored["stored"]}
    if not full:
        out["figures"] = {**figures, **facts.task_figures(con, scope=scope, on=day)}
        return out
    live = _live(con, scope, figures["customers"], day, lang, key)
    out["figures"] = {**figures, **live.figures}
    out["tasks"], out["holds"] = live.tasks, live.holds
    # a small scope's are current (mended at each change); a large one's as of when counted
    out["tasks_counted_at"] = None if live.rows is not None else live.counted_at.isoformat(timespec="seconds")
    return out


@dataclass(frozen=True)
class _Live:
    """A scope's task figures, the tasks due and holds shown, as read at ``at`` (the position
    of :mod:`tierwise.store.changes` taken before the read); for a small scope, ``rows``: its
    open tasks, mended customer by customer as their tasks change."""

    at: int
    counted_at: datetime
    clock: float
    figures: dict[str, int]
    tasks: list[dict[str, Any]]
    holds: list[dict[str, Any]]
    rows: pa.Table | None = None

    def shown(self) -> set[str]:
        return {r["customer_id"] for r in (*self.tasks, *self.holds)}


ONE_PASS_SCOPE = 20_000  # a scope up to this many customers keeps its open tasks (a rep's, a team's)
LIVE_SECONDS = 30.0  # a larger scope's task figures are counted again after this long
MEND_CUSTOMERS = 200  # more changed customers than this in a small scope: read all its tasks again
# the task part of the dashboards last shown: a small scope's is exact (its changed customers'
# tasks are read again, nothing else); a large one's (the company, a department) is counted again
# when LIVE_SECONDS have passed or a task it shows changed (the page says when it was counted)
LIVE: SqlCache[_Live] = SqlCache(256)
_FLIGHTS = [threading.Lock() for _ in range(64)]  # one reader per scope at a time: the others wait for it
_OPEN = ("SELECT t.task_id, t.kind, t.customer_id, t.due_date, t.priority, t.overdue_days "
         "FROM tasks t WHERE t.status = 'open'")
_REASON = "CASE WHEN $lang = 'zh' THEN t.reason_zh ELSE t.reason_en END AS reason"


# Set by the server's warmer (:func:`warming`): it counts a large scope again this many seconds
# before a click would, so that nobody's click waits for the count (None: a person's request).
_AHEAD: contextvars.ContextVar[float | None] = contextvars.ContextVar("tierwise_count_ahead", default=None)
ASKED_WITHIN = 600.0  # the warmer keeps counting a large scope someone opened this recently
_ASKED: dict[tuple[Any, ...], float] = {}  # a large scope's key: when a person last opened it


def _asked(key: tuple[Any, ...]) -> None:
    now = time.monotonic()
    _ASKED[key] = now
    if len(_ASKED) > 512:  # keys of old data versions and days: forgotten
        for old, at in list(_ASKED.items()):
            if now - at > ASKED_WITHIN:
                _ASKED.pop(old, None)


def opened_recently(path: str, scope: Any) -> bool:
    """Whether someone opened the dashboard of ``scope`` (a large one) in the workspace at
    ``path`` in the last :data:`ASKED_WITHIN` seconds (the warmer counts only those ahead)."""
    now = time.monotonic()
    return any(k[0] == path and k[1] == scope and now - at <= ASKED_WITHIN for k, at in list(_ASKED.items()))


@contextlib.contextmanager
def warming(ahead: float = 0.0) -> Iterator[None]:
    """Within it, dashboards are the warmer's, not a person's: a large scope's count kept for
    more than ``LIVE_SECONDS - ahead`` and opened by someone in the last :data:`ASKED_WITHIN`
    seconds is counted again (at a million customers the count takes 0.15 s alone and a second
    under load, which the click that found it expired used to wait for, and every click of the
    same scope with it); other large scopes are left as they are."""
    token = _AHEAD.set(ahead)
    try:
        yield
    finally:
        _AHEAD.reset(token)


def _live(con: Any, scope: pa.Table | None, customers: int, day: date, lang: str,
          key: tuple[Any, ...] | None) -> _Live:
    small = customers <= ONE_PASS_SCOPE
    path = None if key is None else str(key[0])  # the workspace's file, the first of the key
    if key is None:
        return _read_small(con, scope, day, lang, path) if small else _read_large(con, scope, day, lang, path)
    full_key = (*key, "live", day, lang)
    if not small:
        ahead = _AHEAD.get()
        if ahead is None:
            _asked(full_key)
        elif not opened_recently(str(key[0]), key[1]):
            kept = LIVE.get(full_key)
            if kept is not None:  # nobody looks at it: not counted ahead
                return kept
        # without waiting for a count of the same scope under way (the warmer's): the last count
        # serves while it is recent and shows no changed task
        kept = _fresh_large(path, LIVE.get(full_key), ahead or 0.0)
        if kept is not None:
            return kept
    with _FLIGHTS[hash(full_key) % len(_FLIGHTS)]:
        kept = LIVE.get(full_key)
        fresh = (_fresh_small(con, path, scope, day, lang, kept) if small
                 else _fresh_large(path, kept, _AHEAD.get() or 0.0))
        if fresh is None:
            fresh = (_read_small(con, scope, day, lang, path) if small
                     else _read_large(con, scope, day, lang, path))
        if fresh is not kept:
            LIVE.put(full_key, fresh)
        return fresh


def _fresh_large(path: str | None, kept: _Live | None, ahead: float = 0.0) -> _Live | None:
    """``kept`` while it is recent (counted less than ``LIVE_SECONDS - ahead`` ago) and no task
    it shows changed, else None."""
    if kept is None or path is None or time.monotonic() - kept.clock > LIVE_SECONDS - ahead:
        return None
    changed = changes.since(path, kept.at)
    return kept if changed is not None and not (changed & kept.shown()) else None


def _fresh_small(con: Any, path: str | None, scope: pa.Table | None, day: date, lang: str,
                 kept: _Live | None) -> _Live | None:
    """``kept`` with the tasks of its customers changed since read again (None: read all)."""
    if kept is None or kept.rows is None or path is None:
        return None
    now = changes.position(path)
    changed = changes.since(path, kept.at)
    if changed is None:
        return None
    if changed and scope is not None:
        changed = changed & set(scope.column("customer_id").to_pylist())
    mine = sorted(changed)
    if not mine:
        return kept if now == kept.at else _Live(now, kept.counted_at, kept.clock, kept.figures,
                                                  kept.tasks, kept.holds, kept.rows)
    if len(mine) > MEND_CUSTOMERS:
        return None
    # the changed customers' rows by their keys (store/keys.py; materialized first, or the
    # status condition joins the scan and every task is read)
    query, params = keyed_select("tasks", "*", mine, many="")
    again = con.execute(f"""WITH r AS MATERIALIZED ({query})
                            {_OPEN.replace("FROM tasks t", "FROM r t")}""", params).to_arrow_table()
    rows = kept.rows.filter(pc.invert(pc.is_in(kept.rows.column("customer_id"), value_set=pa.array(mine))))
    return _from_rows(con, pa.concat_tables([rows, again.cast(rows.schema)]), now, day, lang)


def _position(path: str | None) -> int:
    return 0 if path is None else changes.position(path)


def _read_small(con: Any, scope: pa.Table | None, day: date, lang: str, path: str | None) -> _Live:
    """A small scope's open tasks, read in one pass (three passes took most of a rep's
    dashboard at a million customers)."""
    now = _position(path)
    with facts.scoped(con, scope) as cur:
        rows = cur.execute(_OPEN + facts.in_scope("t", scope)).to_arrow_table()
    return _from_rows(con, rows, now, day, lang)


def _from_rows(con: Any, rows: pa.Table, at: int, day: date, lang: str) -> _Live:
    """The figures, the 15 tasks due and 10 holds shown of a scope's open tasks ``rows``."""
    cur = con.cursor()
    try:
        cur.register("_tw_open", rows)
        row = cur.execute(f"""
            WITH o AS (SELECT *, 'open' AS status FROM _tw_open),
            due AS (SELECT task_id, customer_id FROM o t WHERE {facts.DUE}
                    ORDER BY t.due_date DESC, t.priority DESC, t.task_id LIMIT 15),
            held AS (SELECT task_id, customer_id FROM o t WHERE t.kind = 'credit_hold'
                     ORDER BY t.priority DESC, t.overdue_days DESC NULLS LAST, t.customer_id LIMIT 10)
            SELECT count(*), count(*) FILTER (WHERE {facts.DUE}), count(*) FILTER (WHERE {facts.LATE}),
                   count(DISTINCT t.customer_id) FILTER (WHERE t.kind = 'credit_hold'),
                   (SELECT list(task_id) FROM due), (SELECT list(task_id) FROM held),
                   (SELECT list(DISTINCT customer_id) FROM (FROM due UNION ALL FROM held))
            FROM o t""", {"on": day}).fetchone()
    finally:
        cur.close()
    assert row is not None
    figures = dict(zip(("open", "due", "late", "holds"), (int(v or 0) for v in row[:4]), strict=True))
    due_ids, hold_ids = list(row[4] or []), list(row[5] or [])
    found = {r["task_id"]: r for r in _tasks_by_id(con, [*due_ids, *hold_ids], list(row[6] or []), lang)}
    tasks = [{k: v for k, v in found[i].items() if k != "overdue_days"} for i in due_ids if i in found]
    holds = [{k: found[i][k] for k in ("customer_id", "customer_name", "rep_id", "reason")}
             for i in hold_ids if i in found]
    return _Live(at, datetime.now().replace(microsecond=0), time.monotonic(), figures, tasks, holds, rows)


def _read_large(con: Any, scope: pa.Table | None, day: date, lang: str, path: str | None) -> _Live:
    """A large scope's task figures and the tasks due and holds shown, counted in the engine."""
    now = _position(path)
    figures = facts.task_figures(con, scope=scope, on=day)
    with facts.scoped(con, scope) as cur:
        only = facts.in_scope("t", scope)
        tasks = facts.rows(cur, f"""
            SELECT t.task_id, t.kind, t.customer_id, t.customer_name, t.rep_id, t.due_date, t.priority,
                {_REASON}
            FROM tasks t WHERE {facts.DUE}{only}
            ORDER BY t.due_date DESC, t.priority DESC, t.task_id LIMIT 15""", {"lang": lang, "on": day})
        holds = facts.rows(cur, f"""
            SELECT t.customer_id, t.customer_name, t.rep_id, {_REASON}
            FROM tasks t WHERE t.status = 'open' AND t.kind = 'credit_hold'{only}
            ORDER BY t.priority DESC, t.overdue_days DESC NULLS LAST, t.customer_id LIMIT 10""",
            {"lang": lang})
    return _Live(now, datetime.now().replace(microsecond=0), time.monotonic(), figures, tasks, holds)


def _tasks_by_id(con: Any, ids: list[str], customers: list[str], lang: str) -> list[dict[str, Any]]:
    """The rows of the tasks ``ids`` of ``customers`` (found by the customers' keys, not a pass
    over the tasks: store/keys.py)."""
    if not ids:
        return []
    query, params = keyed_select("tasks", "*", customers, many="")
    return facts.rows(con, f"""
        WITH t AS MATERIALIZED ({query})
        SELECT t.task_id, t.kind, t.customer_id, t.customer_name, t.rep_id, t.due_date, t.priority,
            t.overdue_days, {_REASON}
        FROM t WHERE list_contains($tasks, t.task_id)""", {"lang": lang, "tasks": ids, **params})


def _matrices(found: list[facts.StoredScheme], counts: dict[str, list[dict[str, Any]]],
              lang: str) -> list[dict[str, Any]]:
    """The 2 × 2 matrices (the schemes with the role ``matrix``, by name): each cell's class,
    label and customers."""
    from tierwise.reports.chart_data import metric_label

    out = []
    for s in sorted(found, key=lambda s: s.name):
        spec = s.spec
        if not isinstance(spec, sp.Matrix):
            continue
        by = {r["class"]: r for r in counts[s.name]}
        x, y = spec.axes
        cells = {key: {"class": klass, "label": by[klass]["label"], "customers": by[klass]["customers"],
                       "revenue": by[klass]["revenue"]} for key, klass in spec.cells.items()}
        out.append({
            "scheme": s.name,
            "title": spec.title.get(lang),
            "x": x.label.get(lang) if x.label else metric_label(x.by, lang),
            "y": y.label.get(lang) if y.label else metric_label(y.by, lang),
            "cells": cells,
        })
    return out


def _movers(cur: Any, held: facts.StoredScheme, scope: pa.Table | None) -> list[dict[str, Any]]:
    """Class changes of ``held`` (the scheme with the role ``pareto``) between its two latest
    snapshots, the largest revenue change first; ``up``: to a better class (listed earlier)."""
    scheme = held.name
    pair = cur.execute("""SELECT x.snapshot_id FROM snapshot_schemes x JOIN snapshots s USING (snapshot_id)
        WHERE x.scheme = ? ORDER BY s.as_of DESC, x.snapshot_id DESC LIMIT 2""", [scheme]).fetchall()
    if len(pair) < 2:
        return []
    new, old = int(pair[0][0]), int(pair[1][0])
    rank = {c: i for i, c in enumerate(held.spec.class_ids())}
    moved = facts.rows(
        cur,
        f"""WITH moved AS (
            SELECT n.customer_id, o.class AS was, n.class AS now,
                coalesce(o.revenue, 0)::DOUBLE AS revenue_before,
                coalesce(n.revenue, 0)::DOUBLE AS revenue_now
            FROM classes n
            JOIN classes o ON o.customer_id = n.customer_id AND o.snapshot_id = $old AND o.scheme = $scheme
            WHERE n.snapshot_id = $new AND n.scheme = $scheme AND n.class <> o.class
                {facts.in_scope("n", scope)}
            ORDER BY abs(revenue_now - revenue_before) DESC, n.customer_id LIMIT 10)
        SELECT m.customer_id, cu.name, cu.rep_id, m.was, m.now, m.revenue_before, m.revenue_now
        FROM moved m LEFT JOIN customers cu ON cu.customer_id = m.customer_id
        ORDER BY abs(m.revenue_now - m.revenue_before) DESC, m.customer_id""",
        {"new": new, "old": old, "scheme": scheme},
    )
    return [{**m, "up": rank.get(m["now"], 99) < rank.get(m["was"], 99)} for m in moved]
