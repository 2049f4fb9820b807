"""Handing customers over to another rep (a rep leaves, a territory is redrawn): one customer,
a list, or all of a rep's, to one rep or spread over several by the room each has.

A handover is previewed first (who moves, from whom, to whom, with how many open tasks), then
applied in one transaction: the customers' owner (and department, when the new rep has one),
their open tasks (a manager's task to the new rep's manager), one audit row per customer with
the reason. History, classes and overrides stay with the customer: they are keyed by it.

Spreading: the customers, the largest by revenue first, each go to the target rep with the
most room left — capacity (``reps.capacity``) minus the customers they own and have been given,
or, for reps without a capacity, the fewest customers — ties by the order the reps were named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.errors import ConfigError, NotFoundError
from tierwise.store.audit import record_many
from tierwise.store.owners import record_owner

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tierwise.store.database import Database

MANAGER_KINDS = ("manager_visit", "set_limit", "pool_escalation")  # open tasks that go to the owner's manager
MAX_CUSTOMERS = 100_000  # customers in one handover


@dataclass(frozen=True)
class Move:
    customer_id: str
    name: str | None
    from_rep: str | None
    to_rep: str
    open_tasks: int
    revenue: float


@dataclass(frozen=True)
class Handover:
    """The moves of one handover; ``applied``: done (else a preview)."""

    moves: tuple[Move, ...]
    applied: bool
    skipped: tuple[str, ...] = ()  # customers already owned by their target rep

    @property
    def open_tasks(self) -> int:
        return sum(m.open_tasks for m in self.moves)

    def per_rep(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for m in self.moves:
            out[m.to_rep] = out.get(m.to_rep, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {"applied": self.applied, "customers": len(self.moves), "open_tasks": self.open_tasks,
                "per_rep": self.per_rep(), "skipped": list(self.skipped),
                "moves": [{"customer_id": m.customer_id, "name": m.name, "from_rep": m.from_rep,
                           "to_rep": m.to_rep, "open_tasks": m.open_tasks} for m in self.moves]}


def plan(ws: Database, to_reps: Sequence[str], *, customer_ids: Sequence[str] | None = None,
         from_rep: str | None = None, visible: Any = None) -> Handover:
    """The moves handing ``customer_ids`` (or every customer of ``from_rep``) to ``to_reps``;
    ``visible(ids) -> set`` keeps to the customers the actor may see (others are not found)."""
    targets = list(dict.fromkeys(to_reps))
    if not targets:
        raise ConfigError("name the rep to hand over to (--to) / 请用 --to 指定接手的业务员")
    if not customer_ids and not from_rep:
        raise ConfigError("name the customers (--customer) or the rep whose customers move (--from) / "
                          "请用 --customer 指定客户，或用 --from 指定原业务员")
    con = ws.con
    reps = {r[0]: (r[1], r[2]) for r in con.execute(
        "SELECT rep_id, capacity, department FROM reps WHERE rep_id IN (SELECT unnest(?))",
        [targets]).fetchall()}
    unknown = [r for r in targets if r not in reps]
    if unknown:
        raise NotFoundError(f"no rep {', '.join(map(repr, unknown))} in the reps table: import it first / "
                            f"业务员表中没有 {', '.join(unknown)}")
    if from_rep is not None and from_rep in targets:
        raise ConfigError(f"{from_rep} is both --from and --to / 原业务员与接手业务员相同")
    where, params = ("c.customer_id IN (SELECT unnest(?))", [list(customer_ids)]) if customer_ids else \
        ("c.rep_id = ?", [from_rep])
    if customer_ids and from_rep:
        where, params = where + " AND c.rep_id = ?", [*params, from_rep]
    rows = con.execute(f"""
        SELECT c.customer_id, c.name, c.rep_id, coalesce(t.n, 0), coalesce(o.revenue, 0)
        FROM customers c
        LEFT JOIN (SELECT customer_id, count(*) AS n FROM tasks WHERE status = 'open' GROUP BY ALL) t
               USING (customer_id)
        LEFT JOIN (SELECT customer_id, sum(amount)::DOUBLE AS revenue FROM orders GROUP BY ALL) o
               USING (customer_id)
        WHERE {where} ORDER BY 5 DESC, 1""", params).fetchall()
    if visible is not None:
        seen = visible({r[0] for r in rows})
        rows = [r for r in rows if r[0] in seen]
    if customer_ids:
        missing = sorted(set(customer_ids) - {r[0] for r in rows})
        if missing:
            raise NotFoundError(f"no customer {', '.join(map(repr, missing[:5]))}"
                                + (f" (of {from_rep})" if from_rep else "")
                                + f" / 没有客户 {', '.join(missing[:5])}")
    if not rows:
        raise NotFoundError(f"{from_rep} owns no customer you may see / {from_rep} 名下没有可见的客户")
    if len(rows) > MAX_CUSTOMERS:
        raise ConfigError(f"{len(rows):,} customers in one handover; at most {MAX_CUSTOMERS:,} / "
                          f"一次最多移交 {MAX_CUSTOMERS:,} 个客户")
    owned = dict(con.execute("SELECT rep_id, count(*) FROM customers WHERE rep_id IN (SELECT unnest(?)) "
                             "GROUP BY ALL", [targets]).fetchall())
    load = {r: owned.get(r, 0) for r in targets}
    moves, skipped = [], []
    for cid, name, old, open_tasks, revenue in rows:
        if len(targets) == 1 and old == targets[0]:
            skipped.append(cid)
            continue
        to = targets[0] if len(targets) == 1 else _roomiest([t for t in targets if t != old] or targets,
                                                             reps, load)
        load[to] += 1
        moves.append(Move(cid, name, old, to, int(open_tasks), float(revenue)))
    return Handover(tuple(moves), applied=False, skipped=tuple(skipped))


def _roomiest(targets: list[str], reps: dict[str, tuple[Any, Any]], load: dict[str, int]) -> str:
    """The target rep with the most room: capacity − customers (reps with a capacity before
    those without), else the fewest customers; ties by the order named."""
    def room(rep: str) -> tuple[int, float]:
        capacity = reps[rep][0]
        return (1, float(capacity) - load[rep]) if capacity is not None else (0, -float(load[rep]))
    return max(targets, key=lambda r: (room(r), -targets.index(r)))


def apply(ws: Database, handover: Handover, *, by: str, reason: str) -> Handover:
    """Apply ``handover`` (a :func:`plan`) in one transaction, audited under ``by`` with ``reason``."""
    if not reason or not reason.strip():
        raise ConfigError("give the reason with --reason: every handover goes into the audit trail / "
                          "请用 --reason 说明移交原因")
    if not handover.moves:
        return Handover((), applied=True, skipped=handover.skipped)
    moves = pa.table({"customer_id": [m.customer_id for m in handover.moves],
                      "to_rep": [m.to_rep for m in handover.moves]})
    with ws.transaction() as con:
        con.register("_tw_moves", moves)
        try:
            con.execute("""CREATE OR REPLACE TEMP TABLE _tw_handover AS
                SELECT m.customer_id, m.to_rep, r.department AS to_department, r.manager_id AS to_manager
                FROM _tw_moves m JOIN reps r ON r.rep_id = m.to_rep""")
        finally:
            con.unregister("_tw_moves")
        con.execute("""UPDATE customers SET rep_id = h.to_rep,
                              department = coalesce(h.to_department, customers.department)
                       FROM _tw_handover h WHERE customers.customer_id = h.customer_id""")
        con.execute(f"""UPDATE tasks SET
                           rep_id = CASE WHEN tasks.kind IN ({", ".join(f"'{k}'" for k in MANAGER_KINDS)})
                                         THEN coalesce(h.to_manager, tasks.rep_id) ELSE h.to_rep END,
                           department = coalesce(h.to_department, tasks.department)
                        FROM _tw_handover h
                        WHERE tasks.customer_id = h.customer_id AND tasks.status = 'open'""")
        con.execute("DROP TABLE _tw_handover")
        record_owner(con, [m.customer_id for m in handover.moves], [m.to_rep for m in handover.moves],
                     "handover",
                     file_reps=[m.from_rep for m in handover.moves])
        record_many(con, [{"actor": by, "action": "customer.handover", "customer_id": m.customer_id,
                           "scheme": None, "subject": f"customer {m.customer_id}", "old": m.from_rep,
                           "new": m.to_rep, "reason": reason.strip()} for m in handover.moves])
    return Handover(handover.moves, applied=True, skipped=handover.skipped)
