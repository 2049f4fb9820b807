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

from datetime import date
from typing import Any

import pyarrow as pa

from tierwise.schemes import facts
from tierwise.schemes import spec as sp


def overview(con: Any, scope: pa.Table | None, *, lang: str = "en", on: date | None = None) -> dict[str, Any]:
    """The key figures of the current classification over ``scope`` (None: every customer),
    with the customers per class of the main grade (the ``primary_grade`` scheme)."""
    day = facts.reference_day(on)
    sid, window = facts.figures_source(con)
    grade = facts.with_role(facts.current_schemes(con), "primary_grade")
    return {
        "snapshot_id": sid,
        "as_of": _as_of(con, sid),
        "window": window,
        "on": day.isoformat(),
        "figures": facts.figures(con, snapshot_id=sid, window=window, scope=scope, on=day),
        "grade": None if grade is None else {
            "scheme": grade.name, "title": grade.spec.title.get(lang), "snapshot_id": grade.snapshot_id,
            "classes": facts.class_counts(con, [grade], scope=scope, lang=lang)[grade.name]},
    }


def _as_of(con: Any, sid: int | None) -> str | None:
    row = con.execute("SELECT as_of FROM snapshots WHERE snapshot_id = ?", [sid]).fetchone() if sid else None
    return row[0].isoformat() if row else None


def dashboard(con: Any, scope: pa.Table | None, *, lang: str = "en",
              on: date | None = None) -> dict[str, Any]:
    """What a person sees first, over ``scope`` (their customers' ids; None: everyone), as plain
    data for the page and the API."""
    top = overview(con, scope, lang=lang, on=on)
    day = facts.reference_day(on)
    schemes = facts.current_schemes(con)
    ordered = sorted(schemes.values(), key=lambda s: s.name)
    counts = facts.class_counts(con, ordered, scope=scope, lang=lang)
    pareto = facts.with_role(schemes, "pareto")
    with facts.scoped(con, scope) as cur:
        only = facts.in_scope("t", scope)
        tasks = facts.rows(cur, f"""
            SELECT t.task_id, t.kind, t.customer_id, t.customer_name, t.rep_id, t.due_date,
                t.priority, CASE WHEN $lang = 'zh' THEN t.reason_zh ELSE t.reason_en END AS reason
            FROM tasks t WHERE {facts.DUE}{only}
            ORDER BY t.due_date DESC, t.priority DESC, t.task_id LIMIT 15""", {"lang": lang, "on": day})
        holds = facts.rows(cur, f"""
            SELECT t.customer_id, t.customer_name, t.rep_id,
                CASE WHEN $lang = 'zh' THEN t.reason_zh ELSE t.reason_en END AS reason
            FROM tasks t WHERE t.status = 'open' AND t.kind = 'credit_hold'{only}
            ORDER BY t.priority DESC, t.overdue_days DESC NULLS LAST, t.customer_id LIMIT 10""",
            {"lang": lang})
        movers = _movers(cur, pareto, scope) if pareto is not None else []
    return {
        **top,
        "tiers": [{"scheme": s.name, "title": s.spec.title.get(lang), "snapshot_id": s.snapshot_id,
                   "roles": list(s.roles), "customers": sum(r["customers"] for r in counts[s.name]),
                   "classes": counts[s.name]} for s in ordered],
        "matrices": _matrices(facts.all_with_role(schemes, "matrix"), counts, lang),
        "pareto": None if pareto is None else {"scheme": pareto.name, "title": pareto.spec.title.get(lang)},
        "tasks": tasks,
        "holds": holds,
        "movers": movers,
    }


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
        f"""SELECT n.customer_id, cu.name, cu.rep_id, o.class AS was, n.class AS now,
            coalesce(fo.revenue, 0)::DOUBLE AS revenue_before, coalesce(fn.revenue, 0)::DOUBLE AS revenue_now
        FROM classes n
        JOIN classes o ON o.customer_id = n.customer_id AND o.snapshot_id = $old AND o.scheme = $scheme
        JOIN snapshot_schemes xn ON xn.snapshot_id = n.snapshot_id AND xn.scheme = n.scheme
        JOIN snapshot_schemes xo ON xo.snapshot_id = o.snapshot_id AND xo.scheme = o.scheme
        LEFT JOIN customers cu ON cu.customer_id = n.customer_id
        LEFT JOIN snapshot_customers fn ON fn.snapshot_id = $new AND fn.customer_id = n.customer_id
            AND fn."window" = xn."window"
        LEFT JOIN snapshot_customers fo ON fo.snapshot_id = $old AND fo.customer_id = n.customer_id
            AND fo."window" = xo."window"
        WHERE n.snapshot_id = $new AND n.scheme = $scheme AND n.class <> o.class{facts.in_scope("n", scope)}
        ORDER BY abs(coalesce(fn.revenue, 0) - coalesce(fo.revenue, 0)) DESC, n.customer_id LIMIT 10""",
        {"new": new, "old": old, "scheme": scheme},
    )
    return [{**m, "up": rank.get(m["now"], 99) < rank.get(m["was"], 99)} for m in moved]
