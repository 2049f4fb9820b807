"""Snapshots over time: the list of them, and tier migration of one scheme between two.

A customer in the earlier snapshot's population but not the later one moves to
``(out)``; one only in the later moves from ``(new)``. Classes are ordered best first as the
scheme listed them when the later snapshot ran, so a move to an earlier class is an upgrade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError, DataError
from tierwise.schemes.store import snapshot_schemes

if TYPE_CHECKING:
    import pyarrow as pa

    from tierwise.store.database import Database

OUT = "(out)"
NEW = "(new)"


def list_snapshots(ws: Database) -> list[dict[str, Any]]:
    """Every snapshot, newest first, with its schemes."""
    rows = ws.con.execute(
        """SELECT s.snapshot_id, s.as_of, s.created_at, s.engine, s.customers,
                  list(x.scheme ORDER BY x.scheme), sum(x.population)
           FROM snapshots s LEFT JOIN snapshot_schemes x USING (snapshot_id)
           GROUP BY ALL ORDER BY s.snapshot_id DESC""").fetchall()
    return [{"snapshot_id": r[0], "as_of": r[1].isoformat(), "created_at": r[2].isoformat(sep=" "),
             "engine": r[3], "customers": r[4], "schemes": r[5], "assignments": int(r[6] or 0)}
            for r in rows]


@dataclass
class Migration:
    """Moves of one scheme's classes from snapshot ``start`` to snapshot ``end``."""

    scheme: str
    start: int
    end: int
    classes: list[str]
    matrix: dict[str, dict[str, int]]
    movers: list[dict[str, Any]]
    dates: tuple[str, str] = ("", "")  # as-of dates of start and end
    # revenue of each cell's customers in the earlier and in the later snapshot's window
    # (None where a snapshot predates stored customer facts)
    revenue: dict[str, dict[str, dict[str, float | None]]] = field(default_factory=dict)
    # the share of each snapshot's window the orders cover (None: a lifetime window), and why a
    # side's revenue is left empty: a window the data barely covers is no basis for a change
    coverage: dict[str, float | None] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def upgrades(self) -> int:
        return sum(1 for m in self.movers if m["direction"] == "up")

    @property
    def downgrades(self) -> int:
        return sum(1 for m in self.movers if m["direction"] == "down")

    def to_json(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "from": self.start, "to": self.end, "matrix": self.matrix,
                "revenue": self.revenue, "upgrades": self.upgrades, "downgrades": self.downgrades,
                "from_as_of": self.dates[0], "to_as_of": self.dates[1], "coverage": self.coverage,
                "notes": [{"en": en, "zh": zh} for en, zh in self.notes]}


def _with_scheme(ws: Database, scheme: str) -> list[int]:
    """Snapshots holding ``scheme``, in time order (as-of date, then run order)."""
    rows = ws.con.execute(
        """SELECT snapshot_id FROM snapshot_schemes JOIN snapshots USING (snapshot_id)
           WHERE scheme = ? ORDER BY as_of, snapshot_id""", [scheme]).fetchall()
    return [int(r[0]) for r in rows]


def migration(
    ws: Database, scheme: str, *, start: int | None = None, end: int | None = None,
    scope: pa.Table | None = None,
) -> Migration:
    """The transition matrix of ``scheme`` between two snapshots (default: the latest by as-of
    date and the one before it), over the customers of ``scope`` (one column ``customer_id``;
    None: every customer)."""
    ids = _with_scheme(ws, scheme)
    if not ids and (start is not None or end is not None):
        raise ConfigError(f"scheme {scheme!r} is in no snapshot: classify it first (`tierwise classify "
                          f"--scheme {scheme}`); `tierwise snapshots` lists them / 方案 {scheme!r} 尚未分类")
    if start is None or end is None:
        if len(ids) < 2 and (start is None and end is None):
            raise DataError(
                f"scheme {scheme!r} is in {len(ids)} snapshot(s); migration needs two: run `tierwise "
                f"classify --as-of DATE` for an earlier date too / 迁移分析需要两个快照")
        end = end if end is not None else ids[-1]
        if start is None:
            position = ids.index(end) if end in ids else 0
            if position == 0:
                raise DataError(f"no snapshot of {scheme!r} before {end} / 没有更早的快照")
            start = ids[position - 1]
    for sid in (start, end):
        if sid not in ids:
            raise ConfigError(f"snapshot {sid} has no scheme {scheme!r}; `tierwise snapshots` lists them "
                              f"/ 快照 {sid} 中没有方案 {scheme!r}")
    classes = [c.id for c in snapshot_schemes(ws, end)[scheme].classes]
    for c in snapshot_schemes(ws, start)[scheme].classes:
        if c.id not in classes:
            classes.append(c.id)
    con = ws.con.cursor()  # the scope is registered on this cursor only
    try:
        return _matrix(con, scheme, start, end, classes, scope)
    finally:
        con.close()


def _matrix(
    con: Any, scheme: str, start: int, end: int, classes: list[str], scope: pa.Table | None
) -> Migration:
    within = ""
    if scope is not None:
        con.register("_tw_scope", scope)
        within = " AND customer_id IN (SELECT customer_id FROM _tw_scope)"
    pairs = f"""WITH pairs AS (
        SELECT customer_id, coalesce(a.class, '{NEW}') AS before, coalesce(b.class, '{OUT}') AS after
        FROM (SELECT customer_id, class FROM classes
              WHERE snapshot_id = $start AND scheme = $scheme{within}) a
        FULL JOIN (SELECT customer_id, class FROM classes
                   WHERE snapshot_id = $end AND scheme = $scheme{within}) b
        USING (customer_id))"""
    params = {"start": start, "end": end, "scheme": scheme}
    matrix = {k: dict.fromkeys([*classes, OUT], 0) for k in [*classes, NEW]}
    revenue: dict[str, dict[str, dict[str, float | None]]] = {
        k: {c: {"before": 0.0, "after": 0.0} for c in [*classes, OUT]} for k in [*classes, NEW]}
    # a snapshot's revenue is known when it stored customer facts (schema version 3 on)
    facts = """(SELECT f.customer_id, f.revenue FROM snapshot_customers f JOIN snapshot_schemes x
                ON x.snapshot_id = f.snapshot_id AND x."window" = f."window"
                WHERE f.snapshot_id = {sid} AND x.scheme = $scheme)"""
    known = {sid: bool(con.execute("SELECT count(*) > 0 FROM snapshot_customers WHERE snapshot_id = ?",
                                      [sid]).fetchone() == (True,)) for sid in (start, end)}
    for before, after, count, rev_a, rev_b in con.execute(
            pairs + f""" SELECT before, after, count(*), coalesce(sum(ra.revenue), 0),
                                coalesce(sum(rb.revenue), 0)
                         FROM pairs LEFT JOIN {facts.format(sid='$start')} ra USING (customer_id)
                         LEFT JOIN {facts.format(sid='$end')} rb USING (customer_id)
                         GROUP BY ALL""", params).fetchall():
        matrix[before][after] = int(count)
        revenue[before][after] = {"before": float(rev_a), "after": float(rev_b)}
    for sid, key in ((start, "before"), (end, "after")):
        if not known[sid]:
            for row in revenue.values():
                for cell in row.values():
                    cell[key] = None
    # direction by the classes' order, best first: a smaller position is an upgrade
    rows = con.execute(
        pairs + """ SELECT customer_id, before, after,
                   CASE WHEN list_position($order, before) IS NULL OR list_position($order, after) IS NULL
                        THEN 'moved'
                        WHEN list_position($order, after) < list_position($order, before) THEN 'up'
                        ELSE 'down' END AS direction
            FROM pairs WHERE before <> after ORDER BY direction, before, after, customer_id""",
        {**params, "order": classes}).fetchall()
    movers = [{"customer_id": r[0], "from": r[1], "to": r[2], "direction": r[3]} for r in rows]
    dates = dict(con.execute("SELECT snapshot_id, as_of FROM snapshots WHERE snapshot_id IN (?, ?)",
                                [start, end]).fetchall())
    coverage, notes = _coverage(con, scheme, {"before": start, "after": end}, revenue)
    return Migration(scheme, start, end, classes, matrix, movers,
                     (dates[start].isoformat(), dates[end].isoformat()), revenue, coverage, notes)


def _coverage(con: Any, scheme: str, sides: dict[str, int],
              revenue: dict[str, dict[str, dict[str, float | None]]],
              ) -> tuple[dict[str, float | None], list[tuple[str, str]]]:
    """Each side's window coverage by the orders; a side covered less than
    :data:`EvaluationFrame.COVERED` has its revenue emptied, with a note (the growth of a window
    holding 9 days of data against a year's is not a change)."""
    from tierwise.metrics.frame import EvaluationFrame, Window

    (first,) = con.execute("SELECT min(order_date)::DATE FROM orders").fetchone()
    out: dict[str, float | None] = {}
    notes: list[tuple[str, str]] = []
    for key, sid in sides.items():
        as_of, window = con.execute(
            """SELECT s.as_of, x."window" FROM snapshots s JOIN snapshot_schemes x USING (snapshot_id)
               WHERE s.snapshot_id = ? AND x.scheme = ?""", [sid, scheme]).fetchone()
        frame = EvaluationFrame.build(as_of, Window.parse(window), first)
        days = (frame.as_of - frame.start).days + 1
        share = None if first is None or frame.window.unit == "all" else (
            max(0, min(days, (frame.as_of - max(first, frame.start)).days + 1)) / days)
        out[key] = share
        if share is not None and share < EvaluationFrame.COVERED:
            for row in revenue.values():
                for cell in row.values():
                    cell[key] = None
            notes.append((
                f"snapshot {sid}'s window ({frame.start} to {frame.as_of}) is only {share:.0%} covered by "
                f"the orders (the first is of {first}): its revenue is left empty, a change against it "
                f"would measure the data, not the customers",
                f"快照 {sid} 的窗口（{frame.start} 至 {frame.as_of}）只有 {share:.0%} 在订单数据范围内"
                f"（最早订单 {first}）：其销售额留空，与之比较的变化反映的是数据范围而非客户"))
    return out, notes
