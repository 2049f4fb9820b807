"""Manual overrides: a person holds a customer at a class, above what the scheme computes.

"Reps pre-rate, the review confirms" (METHODS.md M11): an override is either set directly
(``set``) or proposed by one person and approved or rejected by another. An active override
wins over the computed class in every classification whose as-of date is before its
``until`` date (the day it expires), survives re-classification, and is never silent: the
stored class row keeps the computed class beside it, and readers show both
("computed B, held at A by wang until 2027-01-01: ...").

States: ``proposed`` → ``active`` (approved) or ``rejected``; ``active`` → ``cleared``,
``replaced`` (a newer override for the same customer and scheme) or ``expired``. Every
transition appends an audit row in the same transaction.

Setting, approving or clearing also updates the current classification (the latest snapshot
holding the scheme) at once, so exports, tasks and reports read the held class without
waiting for the next run. Earlier snapshots are history and stay as they were.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError, DataError
from tierwise.schemes import facts
from tierwise.schemes import spec as sp
from tierwise.store.audit import record
from tierwise.store.keys import customer_key, has_customer, one_customer_sql

if TYPE_CHECKING:
    import duckdb

    from tierwise.schemes.compiler import Scheme
    from tierwise.store.database import Database

FIELDS = ("override_id", "customer_id", "scheme", "class", "reason", "until", "status", "proposed_by",
          "proposed_at", "decided_by", "decided_at", "decision_note")
# one class row: (snapshot_id, scheme, customer_key, customer_id), found by the key's zone maps
ONE_ROW = f"snapshot_id = ? AND scheme = ? AND {one_customer_sql()}"
OUTSIDE = sp.Text(en="outside the scheme's population", zh="不在该方案的评估范围内")


@dataclass
class Override:
    override_id: int
    customer_id: str
    scheme: str
    klass: str
    reason: str
    until: date | None
    status: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    approval: dict[str, Any] | None = None  # its approval chain's progress, when one applies

    def state(self, today: date) -> str:
        """The status, with an active override past its date shown as ``expired``."""
        if self.status == "active" and self.until is not None and self.until <= today:
            return "expired"
        return self.status

    def to_json(self, today: date | None = None) -> dict[str, Any]:
        out = {k: getattr(self, "klass" if k == "class" else k) for k in FIELDS}
        for k in ("until", "proposed_at", "decided_at"):
            out[k] = out[k].isoformat() if out[k] is not None else None
        out["state"] = self.state(today or date.today())
        if self.approval is not None:
            out["approval"] = self.approval
        return out


def get(con: duckdb.DuckDBPyConnection, override_id: int) -> Override:
    """One override by its id (DataError when there is none)."""
    return _get(con, override_id)


def _get(con: duckdb.DuckDBPyConnection, override_id: int) -> Override:
    row = con.execute(f"SELECT {', '.join(FIELDS)} FROM overrides WHERE override_id = ?",
                      [override_id]).fetchone()
    if row is None:
        raise DataError(f"no override {override_id}: `tierwise override list` shows them / "
                        f"没有编号为 {override_id} 的类别调整")
    return Override(*row)


def _active(con: duckdb.DuckDBPyConnection, customer: str, scheme: str,
            status: str = "active") -> Override | None:
    row = con.execute("SELECT override_id FROM overrides WHERE customer_id = ? AND scheme = ? "
                      "AND status = ?", [customer, scheme, status]).fetchone()
    return _get(con, int(row[0])) if row else None


def _check(ws: Database, customer: str, scheme: str, klass: str, reason: str, until: date | None,
           today: date) -> None:
    """The customer exists, the scheme and class are real, a reason is given, ``until`` is ahead."""
    from tierwise.schemes import registry

    if not reason or not reason.strip():
        raise ConfigError("give the reason with --reason: an override is never silent / "
                          "请用 --reason 说明原因")
    if not has_customer(ws.con, customer):
        near = [r[0] for r in ws.con.execute(
            "SELECT customer_id FROM customers ORDER BY jaro_winkler_similarity(customer_id, ?) DESC LIMIT 3",
            [customer]).fetchall()]
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise DataError(f"no customer {customer!r}{hint} / 没有客户 {customer!r}")
    if "/" in scheme or scheme.endswith((".yaml", ".yml")):
        raise ConfigError(f"{scheme!r}: name the scheme (as in `tierwise schemes list`), not a file / "
                          "请写方案名")
    spec = registry.resolve(scheme, ws.path).spec()
    ids = [c.id for c in spec.classes]
    if klass not in ids:
        close = [i for i in ids if i.lower() == klass.lower()] or difflib.get_close_matches(klass, ids, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ConfigError(f"scheme {scheme} has no class {klass!r}{hint}; its classes are {', '.join(ids)} / "
                          f"方案 {scheme} 没有类别 {klass!r}")
    if until is not None and until <= today:
        raise ConfigError(f"--until {until}: the override would expire at once; give a later date / "
                          f"到期日须晚于今天")


def _current(con: duckdb.DuckDBPyConnection, scheme: str) -> tuple[int, date, sp.SchemeSpec] | None:
    """The current snapshot of ``scheme`` (see :mod:`tierwise.schemes.facts`) and its spec there."""
    snapshot_id = facts.current_snapshot(con, scheme)
    if snapshot_id is None:
        return None
    stored = facts.stored_schemes(con, snapshot_id)[scheme]
    return snapshot_id, stored.as_of, stored.spec


def _hold(con: duckdb.DuckDBPyConnection, o: Override) -> str | None:
    """Put ``o`` into the current classification; return the class it held before (None
    when the customer had no class there), or "" when the snapshot cannot take it."""
    current = _current(con, o.scheme)
    if current is None:
        return ""
    snapshot_id, as_of, spec = current
    if (o.until is not None and o.until <= as_of) or o.klass not in {c.id for c in spec.classes}:
        return ""
    key = [snapshot_id, o.scheme, customer_key(o.customer_id), o.customer_id]
    row = con.execute(f"SELECT class, computed_class, override_id FROM classes WHERE {ONE_ROW}",
                      key).fetchone()
    if row is None:
        con.execute("INSERT INTO classes (snapshot_id, scheme, customer_key, customer_id, class, reason_en, "
                    "reason_zh, override_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [*key, o.klass, OUTSIDE.en, OUTSIDE.zh, o.override_id])
        return None
    computed = row[0] if row[2] is None else row[1]
    con.execute(f"UPDATE classes SET class = ?, computed_class = ?, override_id = ? WHERE {ONE_ROW}",
                [o.klass, computed, o.override_id, *key])
    return str(row[0])


def _release(con: duckdb.DuckDBPyConnection, o: Override) -> None:
    """Give the rows ``o`` holds in the current classification their computed class back."""
    current = _current(con, o.scheme)
    if current is None:
        return
    key = [current[0], o.override_id]
    con.execute("DELETE FROM classes WHERE snapshot_id = ? AND override_id = ? AND computed_class IS NULL",
                key)
    con.execute("UPDATE classes SET class = computed_class, computed_class = NULL, override_id = NULL "
                "WHERE snapshot_id = ? AND override_id = ?", key)


def _activate(ws: Database, o: Override, by: str, action: str, note: str | None) -> Override:
    con = ws.con
    previous = _active(con, o.customer_id, o.scheme)
    if previous is not None:
        con.execute("UPDATE overrides SET status = 'replaced' WHERE override_id = ?", [previous.override_id])
        _release(con, previous)
    now = datetime.now().replace(microsecond=0)
    con.execute("UPDATE overrides SET status = 'active', decided_by = ?, decided_at = ?, decision_note = ? "
                "WHERE override_id = ?", [by, now, note, o.override_id])
    o = _get(con, o.override_id)
    before = _hold(con, o)
    old = previous.klass if previous is not None else (before or None)
    record(con, actor=by, action=action, customer_id=o.customer_id, scheme=o.scheme,
           subject=f"override {o.override_id}" + (f" until {o.until}" if o.until else ""),
           old=old, new=o.klass, reason=note or o.reason)
    return o


def _insert(ws: Database, customer: str, scheme: str, klass: str, reason: str, until: date | None,
            by: str, status: str) -> Override:
    con = ws.con
    row = con.execute("SELECT nextval('override_seq')").fetchone()
    assert row is not None
    con.execute(f"INSERT INTO overrides ({', '.join(FIELDS[:9])}) VALUES ({', '.join('?' * 9)})",
                [int(row[0]), customer, scheme, klass, reason.strip(), until, status, by,
                 datetime.now().replace(microsecond=0)])
    return _get(con, int(row[0]))


def set_override(ws: Database, customer: str, scheme: str, klass: str, *, reason: str, by: str,
                 until: date | None = None, today: date | None = None) -> Override:
    """Hold ``customer`` at ``klass`` in ``scheme`` now (a manager's decision)."""
    _check(ws, customer, scheme, klass, reason, until, today or date.today())
    with ws.transaction():
        o = _insert(ws, customer, scheme, klass, reason, until, by, "proposed")
        return _activate(ws, o, by, "override.set", None)


def propose(ws: Database, customer: str, scheme: str, klass: str, *, reason: str, by: str,
            until: date | None = None, today: date | None = None) -> Override:
    """Propose holding ``customer`` at ``klass``; it takes effect when someone else approves."""
    _check(ws, customer, scheme, klass, reason, until, today or date.today())
    with ws.transaction() as con:
        pending = _active(con, customer, scheme, "proposed")
        if pending is not None:
            raise ConfigError(
                f"override {pending.override_id} ({customer} → {pending.klass} in {scheme}) is already "
                f"waiting: approve or reject it first / 已有待审批的调整 {pending.override_id}")
        o = _insert(ws, customer, scheme, klass, reason, until, by, "proposed")
        record(con, actor=by, action="override.propose", customer_id=customer, scheme=scheme,
               subject=f"override {o.override_id}" + (f" until {until}" if until else ""),
               old=_class_now(con, customer, scheme), new=klass, reason=o.reason)
        return o


def _class_now(con: duckdb.DuckDBPyConnection, customer: str, scheme: str) -> str | None:
    current = _current(con, scheme)
    if current is None:
        return None
    row = con.execute(f"SELECT class FROM classes WHERE {ONE_ROW}",
                      [current[0], scheme, customer_key(customer), customer]).fetchone()
    return str(row[0]) if row else None


def _pending(con: duckdb.DuckDBPyConnection, override_id: int) -> Override:
    o = _get(con, override_id)
    if o.status != "proposed":
        raise ConfigError(f"override {override_id} is {o.status}, not waiting for a decision / "
                          f"调整 {override_id} 不在待审批状态")
    return o


def approve(ws: Database, override_id: int, *, by: str, note: str | None = None,
            today: date | None = None) -> Override:
    """Approve a proposal: the override becomes active (four eyes: not by its proposer)."""
    with ws.transaction() as con:
        o = _pending(con, override_id)
        if o.proposed_by == by:
            raise ConfigError(f"{by} proposed override {override_id}; another person approves it (a "
                              f"manager), or use `override set` / 提议人不能自己批准")
        if o.until is not None and o.until <= (today or date.today()):
            raise ConfigError(f"override {override_id} would have expired on {o.until}; reject it and "
                              f"propose again / 该调整已过期")
        return _activate(ws, o, by, "override.approve", note)


def reject(ws: Database, override_id: int, *, by: str, reason: str) -> Override:
    """Reject a proposal, saying why."""
    if not reason or not reason.strip():
        raise ConfigError("give the reason with --reason / 请用 --reason 说明原因")
    with ws.transaction() as con:
        o = _pending(con, override_id)
        con.execute("UPDATE overrides SET status = 'rejected', decided_by = ?, decided_at = ?, "
                    "decision_note = ? WHERE override_id = ?",
                    [by, datetime.now().replace(microsecond=0), reason, override_id])
        record(con, actor=by, action="override.reject", customer_id=o.customer_id, scheme=o.scheme,
               subject=f"override {override_id}", old=o.klass, new=None, reason=reason)
        return _get(con, override_id)


def clear(ws: Database, customer: str, scheme: str, *, by: str, reason: str) -> Override:
    """End the active override of ``customer`` in ``scheme``: the computed class applies again."""
    if not reason or not reason.strip():
        raise ConfigError("give the reason with --reason / 请用 --reason 说明原因")
    with ws.transaction() as con:
        o = _active(con, customer, scheme)
        if o is None:
            raise DataError(f"{customer} has no active override in {scheme} / "
                            f"{customer} 在 {scheme} 中没有生效的调整")
        con.execute("UPDATE overrides SET status = 'cleared' WHERE override_id = ?", [o.override_id])
        _release(con, o)
        record(con, actor=by, action="override.clear", customer_id=customer, scheme=scheme,
               subject=f"override {o.override_id}", old=o.klass, new=_class_now(con, customer, scheme),
               reason=reason)
        return _get(con, o.override_id)


def list_overrides(ws: Database, *, customer: str | None = None, scheme: str | None = None,
                   status: str | None = None, today: date | None = None) -> list[Override]:
    """Overrides, newest first; ``status`` ``expired`` selects active ones past their date."""
    today = today or date.today()
    where, params = ["TRUE"], []
    for column, value in (("customer_id", customer), ("scheme", scheme)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    rows = ws.con.execute(f"SELECT {', '.join(FIELDS)} FROM overrides WHERE {' AND '.join(where)} "
                          "ORDER BY override_id DESC", params).fetchall()
    found = [Override(*r) for r in rows]
    return [o for o in found if status is None or o.state(today) == status]


# -- during classification ----------------------------------------------------------------
HELD = "_tw_held"  # the rows of a classification that overrides hold, as stored


def hold(ws: Database, staged: str, facts_table: str, as_of: date, schemes: list[Scheme]) -> list[sp.Text]:
    """Put the classes the active overrides hold at ``as_of`` into the temporary table
    :data:`HELD`, as the snapshot stores them: a staged row of ``staged`` (a relation of the
    staged class rows) at the override's class with its computed class kept, or, for a customer
    outside the scheme's population, a row of its own (revenue from ``facts_table``: each
    window's customer facts). Return notes for people (how many held, and any that cannot
    apply). The other staged rows are stored as they are."""
    con = ws.con
    names = [s.name for s in schemes]
    rows = con.execute(
        f"SELECT {', '.join(FIELDS)} FROM overrides WHERE status = 'active' AND list_contains(?, scheme) "
        "AND (until IS NULL OR until > ?) ORDER BY override_id", [names, as_of]).fetchall()
    valid = {(s.name, c.id) for s in schemes for c in s.spec.classes}
    notes: list[sp.Text] = []
    usable = []
    for o in map(lambda r: Override(*r), rows):
        if (o.scheme, o.klass) in valid:
            usable.append(o)
        else:
            notes.append(sp.Text(
                en=f"override {o.override_id} ({o.customer_id} at {o.klass} in {o.scheme}) not applied: the "
                   f"scheme has no class {o.klass} now; clear it or set another",
                zh=f"调整 {o.override_id}（{o.customer_id} 在 {o.scheme} 中为 {o.klass}）未生效："
                   f"方案已没有该类别"))
    con.execute("CREATE OR REPLACE TEMP TABLE _tw_held_by (override_id BIGINT, customer_id VARCHAR, "
                "scheme VARCHAR, class VARCHAR)")
    try:
        if usable:
            con.executemany("INSERT INTO _tw_held_by VALUES (?, ?, ?, ?)",
                            [(o.override_id, o.customer_id, o.scheme, o.klass) for o in usable])
        windows = ", ".join("(?, ?)" for _ in schemes)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {HELD} AS
                SELECT h.customer_id, h.class, s.score, s.why, s.why_text, h.scheme,
                       CASE WHEN s.customer_id IS NULL THEN ? END AS reason_en,
                       CASE WHEN s.customer_id IS NULL THEN ? END AS reason_zh,
                       s.class AS computed_class, h.override_id,
                       CAST(CASE WHEN s.customer_id IS NULL THEN f.revenue ELSE s.revenue END
                            AS DECIMAL(18,2)) AS revenue,
                       md5_number_lower(h.customer_id) AS customer_key
                FROM _tw_held_by h
                LEFT JOIN {staged} s ON s.scheme = h.scheme AND s.customer_id = h.customer_id
                LEFT JOIN (VALUES {windows or "(NULL, NULL)"}) w(scheme, "window") ON w.scheme = h.scheme
                LEFT JOIN {facts_table} f ON f.customer_id = h.customer_id AND f."window" = w."window" """,
            [OUTSIDE.en, OUTSIDE.zh, *(x for s in schemes for x in (s.name, s.spec.window))])
    finally:
        con.execute("DROP TABLE IF EXISTS _tw_held_by")
    if usable:
        notes.insert(0, sp.Text(en=f"{len(usable)} class(es) held by manual overrides",
                                zh=f"{len(usable)} 个类别由手工调整确定"))
    return notes


def expire(ws: Database, as_of: date, today: date | None = None) -> None:
    """Mark active overrides whose date has passed (both in the calendar and at ``as_of``) as
    expired, with an audit row each; call inside the snapshot's transaction."""
    limit = min(as_of, today or date.today())
    con = ws.con
    rows = con.execute(f"SELECT {', '.join(FIELDS)} FROM overrides WHERE status = 'active' AND until <= ?",
                       [limit]).fetchall()
    for o in map(lambda r: Override(*r), rows):
        con.execute("UPDATE overrides SET status = 'expired' WHERE override_id = ?", [o.override_id])
        record(con, actor="tierwise", action="override.expire", customer_id=o.customer_id, scheme=o.scheme,
               subject=f"override {o.override_id} until {o.until}", old=o.klass, new=None,
               reason=f"expired on {o.until}; the computed class applies from the evaluation of {as_of}")
