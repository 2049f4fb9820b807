"""Hand-made companies for the scheme tests: write the CSVs, import them, classify.

``company(ws, tmp_path, customers=..., orders=...)`` imports plain Python rows through the
real importer; ``classes(ws, scheme, ...)`` runs one scheme (a preset name, a YAML path or
YAML text) and returns ``{customer_id: Assigned}`` from what was stored in the workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from conftest import do_import, write_csv
from tierwise.schemes.store import classes_from
from tierwise.workspace import Workspace


@dataclass(frozen=True)
class Assigned:
    klass: str
    score: float | None
    reason_en: str
    reason_zh: str


def order(cid: str, day: str, amount: float, **extra: Any) -> dict[str, Any]:
    """One order line row for :func:`company`."""
    return {"customer_id": cid, "order_date": day, "amount": amount, **extra}


def _write(ws: Workspace, tmp: Path, table: str, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    body = [[("" if row.get(h) is None else row.get(h)) for h in header] for row in rows]
    path = write_csv(tmp / f"{table}.csv", [header, *body])
    summary = do_import(ws, table, path)
    assert summary.rejected == 0, (table, summary)


def company(
    ws: Workspace, tmp: Path, *, customers: Sequence[dict[str, Any]] = (),
    orders: Sequence[dict[str, Any]] = (), payments: Sequence[dict[str, Any]] = (),
    activities: Sequence[dict[str, Any]] = (),
) -> None:
    """Import the given rows (dicts keyed by canonical column names, any extra customer
    attribute allowed). Orders need customer_id, order_date, amount; order_id and line_no
    are numbered when missing."""
    numbered = []
    for i, row in enumerate(orders, 1):
        row = dict(row)
        row.setdefault("order_id", f"O{i:05d}")
        row.setdefault("line_no", 1)
        numbered.append(row)
    _write(ws, tmp, "customers", customers)
    _write(ws, tmp, "orders", numbered)
    _write(ws, tmp, "payments", [dict(r, payment_id=r.get("payment_id", f"P{i:05d}"))
                                 for i, r in enumerate(payments, 1)])
    _write(ws, tmp, "activities", [dict(r, activity_id=r.get("activity_id", f"A{i:05d}"))
                                   for i, r in enumerate(activities, 1)])


def classes(ws: Workspace, scheme: str, *, as_of: date | None = None, engine: str = "duckdb",
            tmp: Path | None = None) -> dict[str, Assigned]:
    """Run one scheme and read back what was stored for it. ``scheme`` is a name, a path,
    or YAML text (written to ``tmp``)."""
    if "\n" in scheme:
        assert tmp is not None, "YAML text needs tmp to be written to"
        path = tmp / "scheme.yaml"
        path.write_text(scheme, encoding="utf-8")
        scheme = str(path)
    result = ws.snapshots.classify([scheme], as_of=as_of, engine=engine)
    name = next(iter(result.schemes))
    rows = ws.db.con.execute(  # the reasons written out as every bulk read writes them
        f"SELECT c.customer_id, c.class, c.score, c.reason_en, c.reason_zh "
        f"FROM {classes_from(ws.db, [result.snapshot_id])} WHERE c.snapshot_id = ? AND c.scheme = ? "
        "ORDER BY c.customer_id", [result.snapshot_id, name]).fetchall()
    return {r[0]: Assigned(r[1], r[2], r[3], r[4]) for r in rows}


def tier_scheme(top: str, low: str) -> str:
    """The scheme ``tier``: ``top`` (revenue ≥ 1,000) and ``low`` (the rest), titled 等级 / Tier,
    with the playbooks ``top`` and ``low`` (YAML flow mappings, e.g. ``visit_every_days: 30``)."""
    return f"""name: tier
title: {{zh: 等级, en: Tier}}
kind: thresholds
population: customers
rules:
  - {{class: top, when: "revenue >= 1000"}}
  - {{class: low, otherwise: true}}
classes:
  - {{id: top, label: {{zh: 重点, en: top}}, playbook: {{{top}}}}}
  - {{id: low, label: {{zh: 一般, en: low}}, playbook: {{{low}}}}}
"""
