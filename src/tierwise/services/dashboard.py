"""The dashboard a signed-in person opens first, from their scope only: key figures, the
tier mix of every scheme, the 2 × 2 matrices, top movers, credit holds and tasks due.

Everything is read from stored snapshots and tasks (no metrics are computed), so it stays
quick on a large company; the charts come from :mod:`tierwise.reports.charts` over the
same scope.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.access.scoped import latest_per_scheme
from tierwise.schemes import spec as sp

if TYPE_CHECKING:
    from tierwise.access.scoped import ScopedWorkspace

MATRICES = ("value_loyalty", "contribution_stability", "sales_credit")


def _rows(con: Any, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def dashboard(desk: ScopedWorkspace, *, lang: str = "en", on: date | None = None) -> dict[str, Any]:
    """What ``desk``'s user sees first, as plain data for the page and the API."""
    on = on or date.today()
    ws = desk.ws
    con = ws.con.cursor()  # registrations stay on this cursor
    try:
        ids = desk.customers_table().select("customer_id").to_pyarrow()
        con.register("_tw_d_scope", ids)
        latest = latest_per_scheme(con)
        con.register(
            "_tw_d_current",
            pa.table({"snapshot_id": list(latest.values()) or [0], "scheme": list(latest) or [""]}),
        )
        newest = max(latest.values()) if latest else None
        figures = _rows(
            con,
            """SELECT count(*) AS customers,
                count(f.revenue) FILTER (WHERE f.revenue > 0) AS buyers,
                coalesce(sum(f.revenue), 0)::DOUBLE AS revenue,
                coalesce(sum(f.outstanding), 0)::DOUBLE AS outstanding,
                coalesce(sum(f.overdue_amount), 0)::DOUBLE AS overdue
            FROM _tw_d_scope s LEFT JOIN snapshot_customers f ON f.customer_id = s.customer_id
                AND f.snapshot_id = $sid AND f."window" = '12m'""",
            {"sid": newest},
        )[0]
        counts = _rows(
            con,
            """SELECT c.scheme, c.class, count(*) AS customers,
                coalesce(sum(f.revenue), 0)::DOUBLE AS revenue
            FROM classes c JOIN _tw_d_current k USING (snapshot_id, scheme)
            JOIN _tw_d_scope s USING (customer_id)
            LEFT JOIN snapshot_customers f ON f.snapshot_id = c.snapshot_id AND f.customer_id = c.customer_id
                AND f."window" = '12m'
            GROUP BY ALL""",
            {},
        )
        tasks = _rows(
            con,
            """SELECT t.task_id, t.kind, t.customer_id, t.customer_name, t.rep_id, t.due_date,
                t.priority, CASE WHEN $lang = 'zh' THEN t.reason_zh ELSE t.reason_en END AS reason
            FROM tasks t JOIN _tw_d_scope s USING (customer_id)
            WHERE t.status = 'open' AND t.due_date <= $on
            ORDER BY t.due_date DESC, t.priority DESC, t.task_id LIMIT 15""",
            {"lang": lang, "on": on},
        )
        task_counts = _rows(
            con,
            """SELECT count(*) FILTER (WHERE t.due_date <= $on) AS due,
                count(*) FILTER (WHERE t.due_date < $on) AS late, count(*) AS open,
                count(*) FILTER (WHERE t.kind = 'credit_hold') AS holds
            FROM tasks t JOIN _tw_d_scope s USING (customer_id) WHERE t.status = 'open'""",
            {"on": on},
        )[0]
        holds = _rows(
            con,
            """SELECT t.customer_id, t.customer_name, t.rep_id,
                CASE WHEN $lang = 'zh' THEN t.reason_zh ELSE t.reason_en END AS reason
            FROM tasks t JOIN _tw_d_scope s USING (customer_id)
            WHERE t.status = 'open' AND t.kind = 'credit_hold'
            ORDER BY t.priority DESC, t.overdue_days DESC NULLS LAST, t.customer_id LIMIT 10""",
            {"lang": lang},
        )
        movers = _movers(con)
    finally:
        con.close()
    specs = _specs(ws, latest)
    return {
        "figures": {**figures, **task_counts},
        "tiers": _tiers(specs, counts, lang),
        "matrices": _matrices(specs, counts, lang),
        "tasks": tasks,
        "holds": holds,
        "movers": movers,
        "snapshot_id": newest,
        "on": on.isoformat(),
    }


def _specs(ws: Any, latest: dict[str, int]) -> dict[str, sp.SchemeSpec]:
    from tierwise.schemes.store import snapshot_schemes

    out: dict[str, sp.SchemeSpec] = {}
    for sid in sorted(set(latest.values())):
        for name, spec in snapshot_schemes(ws, sid).items():
            if latest.get(name) == sid:
                out[name] = spec
    return out


def _tiers(specs: dict[str, sp.SchemeSpec], counts: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Per scheme: each class with its customers and revenue and their shares, best first."""
    by: dict[tuple[str, str], dict[str, Any]] = {(r["scheme"], r["class"]): r for r in counts}
    out = []
    for name, spec in specs.items():
        total = sum(r["customers"] for (s, _), r in by.items() if s == name)
        revenue = sum(r["revenue"] for (s, _), r in by.items() if s == name)
        classes = []
        for c in spec.classes:
            r = by.get((name, c.id), {"customers": 0, "revenue": 0.0})
            classes.append(
                {
                    "class": c.id,
                    "label": c.label.get(lang),
                    "customers": r["customers"],
                    "share": r["customers"] / total if total else 0.0,
                    "revenue": r["revenue"],
                    "revenue_share": r["revenue"] / revenue if revenue else 0.0,
                }
            )
        out.append({"scheme": name, "title": spec.title.get(lang), "customers": total, "classes": classes})
    return out


def _matrices(
    specs: dict[str, sp.SchemeSpec], counts: list[dict[str, Any]], lang: str
) -> list[dict[str, Any]]:
    """The 2 × 2 matrices: each cell's class, label and customers, laid out high first."""
    from tierwise.reports.chart_data import _metric_label

    by = {(r["scheme"], r["class"]): r for r in counts}
    out = []
    for name in MATRICES:
        spec = specs.get(name)
        if not isinstance(spec, sp.Matrix):
            continue
        x, y = spec.axes
        cells = {}
        for key, klass in spec.cells.items():
            r = by.get((name, klass), {"customers": 0, "revenue": 0.0})
            cells[key] = {"class": klass, "label": spec.klass(klass).label.get(lang), **r}
        out.append(
            {
                "scheme": name,
                "title": spec.title.get(lang),
                "x": x.label.get(lang) if x.label else _metric_label(x.by, lang),
                "y": y.label.get(lang) if y.label else _metric_label(y.by, lang),
                "cells": cells,
            }
        )
    return out


def _movers(con: Any) -> list[dict[str, Any]]:
    """ABC changes between the two latest snapshots holding abc, largest revenue change first."""
    pair = con.execute("""SELECT x.snapshot_id FROM snapshot_schemes x JOIN snapshots s USING (snapshot_id)
        WHERE x.scheme = 'abc' ORDER BY s.as_of DESC, x.snapshot_id DESC LIMIT 2""").fetchall()
    if len(pair) < 2:
        return []
    new, old = int(pair[0][0]), int(pair[1][0])
    return _rows(
        con,
        """SELECT n.customer_id, cu.name, cu.rep_id, o.class AS was, n.class AS now,
            coalesce(fo.revenue, 0)::DOUBLE AS revenue_before, coalesce(fn.revenue, 0)::DOUBLE AS revenue_now
        FROM classes n JOIN _tw_d_scope s USING (customer_id)
        JOIN classes o ON o.customer_id = n.customer_id AND o.snapshot_id = $old AND o.scheme = 'abc'
        LEFT JOIN customers cu ON cu.customer_id = n.customer_id
        LEFT JOIN snapshot_customers fn ON fn.snapshot_id = $new AND fn.customer_id = n.customer_id
            AND fn."window" = '12m'
        LEFT JOIN snapshot_customers fo ON fo.snapshot_id = $old AND fo.customer_id = n.customer_id
            AND fo."window" = '12m'
        WHERE n.snapshot_id = $new AND n.scheme = 'abc' AND n.class <> o.class
        ORDER BY abs(coalesce(fn.revenue, 0) - coalesce(fo.revenue, 0)) DESC, n.customer_id LIMIT 10""",
        {"new": new, "old": old},
    )
