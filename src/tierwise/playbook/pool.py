"""The public pool (公海): neglected customers go back to it, reps claim them from it.

A class's playbook may carry a pool rule (``pool:`` in the scheme, :class:`PoolRule`): after
``recycle_after_days`` without a follow-up (a visit, call, message or care touch; or, with
``recycle_without: order``, without an order) its customers leave their rep for the pool;
``warn_before_days`` before that the rep has a ``pool`` task (公海预警) saying by when to follow
up, and ``escalate_before_days`` before it the rep's manager a ``pool_escalation`` task (rep →
manager → pool). The clock starts at the later of the last follow-up (order) and the day the rep got the
customer in tierwise (a handover, a claim, an import that moved it: the ``owners`` table), so
a customer just claimed is not recycled for its old owner's silence; a customer with neither
starts at its first order, else at its class's evaluation day. A customer in several classes
with a rule goes by the rule that falls due first.

The pool's customers have no rep (their department stays: a rep sees the pool of their own
department and the customers without one). From the pool a rep claims customers, within the
rules of each class the customer is in: ``claim_limit_per_day`` (claims of the class today),
``max_customers_per_rep`` (customers of the class the rep owns) and ``cooldown_days`` (the
previous owner waits this long after the customer left them). A manager or admin assigns a
pool customer to a rep: the rep's ceiling applies, the daily limit and cooldown (a rep's own
claims) do not. An owner or manager releases a customer to the pool with a reason.

Every move is one audit row per customer (``customer.recycle`` naming the rule,
``customer.release``, ``customer.claim``, ``customer.assign``); the customer's open tasks close
(``lapsed``) when it goes to the pool, and are made for the new rep when it is claimed.

Who is neglected, the warning and escalation tasks and their texts are engine expressions in
:mod:`tierwise.playbook.pool_tasks`; this module holds the class rules, recycling, claims and
releases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import ibis
import pyarrow as pa

from tierwise.errors import ConfigError, ConflictError, NotFoundError
from tierwise.metrics.expr import EPOCH
from tierwise.playbook.pool_tasks import join_text, neglected, rule_text, since_text
from tierwise.store.audit import record_many
from tierwise.store.keys import customers_in_args, customers_in_sql
from tierwise.store.owners import record_owner

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tierwise.store.database import Database

MAX_CUSTOMERS = 10_000  # customers in one claim, assignment or release
RECYCLE_PREVIEW = 200  # moves a recycling lists (the counts cover them all)


# -- the rules of the current classes ---------------------------------------------------------
@dataclass(frozen=True)
class ClassRule:
    """A class's pool rule as the current classification has it."""

    scheme: str
    klass: str
    label_en: str
    label_zh: str
    cooldown_days: int
    claim_limit_per_day: int | None
    max_customers_per_rep: int | None


def class_rules(ws: Database) -> list[ClassRule]:
    """The pool rules of the current classes (those with a claim limit, ceiling or cooldown)."""
    from tierwise.schemes.facts import current_schemes

    out = []
    for stored in sorted(current_schemes(ws.con).values(), key=lambda s: s.name):
        for c in stored.spec.classes:
            rule = c.playbook.pool if c.playbook is not None else None
            if rule is None:
                continue
            out.append(ClassRule(stored.name, c.id, c.label.en, c.label.zh, rule.cooldown_days,
                                 rule.claim_limit_per_day, rule.max_customers_per_rep))
    return out


def _current_classes(ws: Database, ids: Sequence[str], rules: list[ClassRule]) -> pa.Table:
    """(customer_id, scheme, class) of ``ids`` in the classes that have a rule."""
    from tierwise.schemes.facts import current_schemes

    snaps = {s.name: s.snapshot_id for s in current_schemes(ws.con).values()}
    keys = [(r.scheme, snaps[r.scheme], r.klass) for r in rules if r.scheme in snaps]
    if not keys or not ids:
        return pa.table({"customer_id": pa.array([], pa.string()), "scheme": pa.array([], pa.string()),
                         "class": pa.array([], pa.string())})
    from tierwise.store.keys import LOOKUP_IDS, keyed_select

    many = len(ids) > LOOKUP_IDS
    if many:
        ws.con.register("_tw_pool_ids", pa.table({"customer_id": pa.array(list(ids), pa.string())}))
    try:
        # their class rows by their keys (a few: one by one), then the classes with a rule
        query, params = keyed_select("classes", "customer_id, scheme, class, snapshot_id", list(ids),
                                     many="_tw_pool_ids")
        return ws.con.execute(
            f"""WITH m AS MATERIALIZED ({query})
               SELECT c.customer_id, c.scheme, c.class FROM m c
               JOIN (SELECT unnest($_tw_s) AS scheme, unnest($_tw_sid) AS snapshot_id,
                            unnest($_tw_cls) AS class) r
                 ON r.snapshot_id = c.snapshot_id AND r.scheme = c.scheme AND r.class = c.class""",
            {**params, "_tw_s": [k[0] for k in keys], "_tw_sid": [k[1] for k in keys],
             "_tw_cls": [k[2] for k in keys]}).fetch_arrow_table()
    finally:
        if many:
            ws.con.unregister("_tw_pool_ids")


# -- recycling ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recycling:
    """The customers due for the pool on ``on``: ``total`` of them, ``per_rep`` / ``per_class``
    counts, ``moves`` the first :data:`RECYCLE_PREVIEW` (customer, name, rep, class, deadline,
    reason); ``applied``: moved (else a preview)."""

    on: date
    total: int
    per_rep: dict[str, int]
    per_class: dict[str, int]
    moves: list[dict[str, Any]]
    applied: bool
    warned: int = 0  # customers inside their warning days, not yet due

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "applied": self.applied, "customers": self.total,
                "warned": self.warned, "per_rep": self.per_rep, "per_class": self.per_class,
                "moves": [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in m.items()}
                          for m in self.moves]}


DUE = "_tw_pool_due"


def _stage_due(ws: Database, on: date, customers: Sequence[str] | None = None) -> int:
    """The customers due for the pool on ``on`` (and those warned) into the temporary table
    :data:`DUE`; its rows. Built with task generation's own inputs."""
    from tierwise.playbook import inputs as inp
    from tierwise.playbook.tasks import _activity_days, _current, _playbooks, _registered

    on_dn = (on - EPOCH).days
    books = _playbooks(ws)
    with inp.scoped_inputs(ws, customers) as src, _registered(ws, books) as tables:
        t = neglected(src, _current(src, tables["snaps"]), tables["books"], _activity_days(src, on_dn), on_dn)
        t = t.filter(t.warn_dn <= on_dn)
        since_en, since_zh = since_text(t)
        rule_en, rule_zh = rule_text(t)
        names = src.table("customers").select("customer_id", name=src.table("customers")["name"],
                                               department=src.table("customers").department)
        t = t.join(names, "customer_id")
        out = t.select("customer_id", "name", "rep_id", "department", "scheme", "klass",
                       due=t.warned_dn.notnull() & (t.final_dn <= on_dn),
                       deadline=(ibis.literal(EPOCH) + t.final_dn.as_interval("D")).cast("date"),
                       reason_en=join_text(since_en, "; ", rule_en),
                       reason_zh=join_text(since_zh, "；", rule_zh),
                       label_en=t.label_en, label_zh=t.label_zh)
        sql = ws.ibis.compile(out)
        ws.con.execute(f"CREATE OR REPLACE TEMP TABLE {DUE} AS {sql}")
    row = ws.con.execute(f"SELECT count(*) FROM {DUE}").fetchone()
    return int(row[0]) if row else 0


def recycle(ws: Database, on: date, *, apply: bool = False, by: str = "schedule",
            lang: str = "en", customers: Sequence[str] | None = None) -> Recycling:
    """The customers whose rule has them back in the pool on ``on`` (of ``customers`` only, when
    given: a manager's department); moved when ``apply`` (one transaction: the customers lose
    their rep, their open tasks lapse, one audit row each naming the rule), else a preview."""
    from tierwise.schemes.facts import current_schemes

    if not current_schemes(ws.con) or not ws.settings.pool_recycle:
        return Recycling(on, 0, {}, {}, [], applied=False)
    try:
        _stage_due(ws, on, customers)
        con = ws.con
        warned = con.execute(f"SELECT count(*) FROM {DUE} WHERE NOT due").fetchone()
        per_rep = dict(con.execute(f"SELECT rep_id, count(*) FROM {DUE} WHERE due GROUP BY ALL "
                                   "ORDER BY 2 DESC, 1").fetchall())
        label = "label_zh" if lang == "zh" else "label_en"
        per_class = {f"{s} {k}": n for s, k, n in con.execute(
            f"SELECT scheme, {label}, count(*) FROM {DUE} WHERE due GROUP BY ALL "
            "ORDER BY 3 DESC, 1, 2").fetchall()}
        reason = "reason_zh" if lang == "zh" else "reason_en"
        moves = [dict(zip(("customer_id", "name", "rep_id", "scheme", "class", "label", "deadline", "reason"),
                          r, strict=True))
                 for r in con.execute(f"SELECT customer_id, name, rep_id, scheme, klass, {label}, "
                                      f"deadline::DATE, {reason} "
                                      f"FROM {DUE} WHERE due ORDER BY deadline, customer_id "
                                      f"LIMIT {RECYCLE_PREVIEW}").fetchall()]
        total = sum(per_rep.values())
        if apply and total:
            rows = con.execute(f"SELECT customer_id, rep_id, scheme, klass, deadline::DATE, reason_en "
                               f"FROM {DUE} "
                               "WHERE due ORDER BY customer_id").fetchall()
            with ws.transaction() as tx:
                tx.execute(f"""INSERT INTO pool SELECT d.customer_id, $on, d.rep_id, d.department, d.scheme,
                                   d.klass, 'recycle', $on + r.cooldown, d.reason_en, d.reason_zh,
                                   coalesce(o.file_rep, d.rep_id)
                               FROM {DUE} d LEFT JOIN (SELECT unnest($s) AS scheme, unnest($k) AS klass,
                                                              unnest($c) AS cooldown) r USING (scheme, klass)
                               LEFT JOIN owners o USING (customer_id)
                               WHERE d.due""", _cooldowns(ws, on))
                _leave_owner(tx, f"SELECT customer_id FROM {DUE} WHERE due", on)
                record_many(tx, [{"actor": by, "action": "customer.recycle", "customer_id": cid,
                                  "scheme": scheme,
                                  "subject": f"customer {cid}: {klass}", "old": rep, "new": "pool",
                                  "reason": f"due {deadline}: {why}"}
                                 for cid, rep, scheme, klass, deadline, why in rows])
        return Recycling(on, total, per_rep, per_class, moves, applied=apply,
                         warned=int(warned[0]) if warned else 0)
    finally:
        ws.con.execute(f"DROP TABLE IF EXISTS {DUE}")


def _cooldowns(ws: Database, on: date) -> dict[str, Any]:
    rules = class_rules(ws)
    return {"on": on, "s": [r.scheme for r in rules], "k": [r.klass for r in rules],
            "c": [r.cooldown_days for r in rules]}


def _leave_owner(con: Any, ids_sql: str, on: date) -> None:
    """The customers of ``ids_sql`` (a query of one column) lose their rep; their open tasks
    lapse; their ownership record goes."""
    con.execute(f"UPDATE customers SET rep_id = NULL WHERE customer_id IN ({ids_sql})")
    con.execute(f"""UPDATE tasks SET status = 'lapsed', closed_on = $on
                    WHERE status = 'open' AND customer_id IN ({ids_sql})""", {"on": on})
    con.execute(f"DELETE FROM owners WHERE customer_id IN ({ids_sql})")


# -- the pool, claims and releases -------------------------------------------------------------
POOL_COLUMNS = ("customer_id", "name", "department", "region", "since", "previous_rep", "how", "scheme",
                "class", "cooldown_until", "reason_en", "reason_zh", "revenue", "last_order_date")


def pool_sql(where: str = "TRUE") -> str:
    """The pool's customers (those with a pool row and no rep), columns :data:`POOL_COLUMNS`;
    ``where`` a condition on them (alias ``c`` for the customer). Revenue and the last order are
    the current snapshot's figures (parameters ``$snapshot``, ``$window``): a page of the pool
    reads no order line."""
    return f"""SELECT p.customer_id, c.name, c.department, c.region, p.since, p.previous_rep, p.how, p.scheme,
                      p.class, p.cooldown_until, p.reason_en, p.reason_zh, f.revenue, f.last_order_date
               FROM pool p JOIN customers c USING (customer_id)
               LEFT JOIN snapshot_customers f ON f.snapshot_id = $snapshot AND f."window" = $window
                                             AND f.customer_id = p.customer_id
               WHERE c.rep_id IS NULL AND ({where})"""


@dataclass(frozen=True)
class Moved:
    """Customers claimed, assigned or released: who, to whom (``None``: the pool)."""

    action: str
    rep_id: str | None
    customer_ids: tuple[str, ...]
    refused: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "rep_id": self.rep_id, "customers": len(self.customer_ids),
                "customer_ids": list(self.customer_ids)}


def _check_ids(ids: Sequence[str]) -> list[str]:
    found = list(dict.fromkeys(ids))
    if not found:
        raise ConfigError("name the customers (--customer) / 请用 --customer 指定客户")
    if len(found) > MAX_CUSTOMERS:
        raise ConfigError(f"{len(found):,} customers at once; at most {MAX_CUSTOMERS:,} / "
                          f"一次最多 {MAX_CUSTOMERS:,} 个客户")
    return found


def claim(ws: Database, customer_ids: Sequence[str], rep_id: str, *, by: str, own: bool,
          on: date | None = None) -> Moved:
    """``rep_id`` takes ``customer_ids`` from the pool: claimed by the rep (``own``: the daily
    limit and the cooldown apply) or assigned by a manager; the ceiling applies to both.
    All or none: a refusal names each customer and the rule."""
    on = on or date.today()
    ids = _check_ids(customer_ids)
    con = ws.con
    rep = con.execute("SELECT department FROM reps WHERE rep_id = ?", [rep_id]).fetchone()
    if rep is None:
        raise NotFoundError(f"no rep {rep_id!r} in the reps table / 业务员表中没有 {rep_id}")
    pooled = {r[0]: (r[1], r[2]) for r in con.execute(
        "SELECT p.customer_id, p.previous_rep, p.cooldown_until FROM pool p "
        "JOIN customers c USING (customer_id) "
        "WHERE c.rep_id IS NULL AND p.customer_id IN (SELECT unnest(?))", [ids]).fetchall()}
    missing = [i for i in ids if i not in pooled]
    if missing:
        raise NotFoundError(f"not in the public pool: {', '.join(missing[:5])}"
                            f"{' …' if len(missing) > 5 else ''} / 不在公海中：{', '.join(missing[:5])}")
    refusals: list[str] = []
    if own:
        for cid in ids:
            previous, until = pooled[cid]
            if previous == rep_id and until is not None and on < until:
                refusals.append(f"{cid}: you owned it until it went to the pool; you may claim it again from "
                                f"{until} / {cid}：原负责人须到 {until} 后才能重新领取")
    rules = class_rules(ws)
    if rules:
        classes = _current_classes(ws, ids, rules).to_pylist()
        start = datetime.combine(on, time())  # the claims of the day ``on``, as the audit stamps them
        end = start + timedelta(days=1)
        for r in rules:
            mine = [c["customer_id"] for c in classes if (c["scheme"], c["class"]) == (r.scheme, r.klass)]
            if not mine:
                continue
            snap = _snapshot(ws, r.scheme)
            if own and r.claim_limit_per_day is not None:
                row = con.execute(
                    """SELECT count(*) FROM audit a JOIN classes c ON c.customer_id = a.customer_id
                       WHERE a.action = 'customer.claim' AND a.new_value = ? AND a.changed_at >= ?
                         AND a.changed_at < ? AND c.snapshot_id = ? AND c.scheme = ? AND c.class = ?""",
                    [rep_id, start, end, snap, r.scheme, r.klass]).fetchone()
                today = int(row[0]) if row else 0
                if today + len(mine) > r.claim_limit_per_day:
                    refusals.append(
                        f"{r.label_en} ({r.scheme}): at most {r.claim_limit_per_day} a day, {today} claimed "
                        f"today, {len(mine)} more asked / {r.label_zh}（{r.scheme}）每天最多领取 "
                        f"{r.claim_limit_per_day} 个，今天已领 {today} 个，本次 {len(mine)} 个")
            if r.max_customers_per_rep is not None:
                row = con.execute(
                    """SELECT count(*) FROM customers u JOIN classes c ON c.customer_id = u.customer_id
                       WHERE u.rep_id = ? AND c.snapshot_id = ? AND c.scheme = ? AND c.class = ?""",
                    [rep_id, snap, r.scheme, r.klass]).fetchone()
                owned = int(row[0]) if row else 0
                if owned + len(mine) > r.max_customers_per_rep:
                    refusals.append(
                        f"{r.label_en} ({r.scheme}): {rep_id} may own at most "
                        f"{r.max_customers_per_rep}, owns "
                        f"{owned}, {len(mine)} more asked / {r.label_zh}（{r.scheme}）每位业务员最多 "
                        f"{r.max_customers_per_rep} 个，{rep_id} 已有 {owned} 个，本次 {len(mine)} 个")
    if refusals:
        raise ConflictError("not claimed: " + "; ".join(refusals))
    action = "customer.claim" if own else "customer.assign"
    with ws.transaction() as tx:
        tx.execute(f"UPDATE customers SET rep_id = ?, department = coalesce(?, department) "
                   f"WHERE {customers_in_sql()} AND rep_id IS NULL",
                   [rep_id, rep[0], *customers_in_args(ids)])
        record_owner(tx, ids, [rep_id] * len(ids), action.split(".")[1], file_reps=[None] * len(ids), on=on)
        record_many(tx, [{"actor": by, "action": action, "customer_id": cid, "scheme": None,
                          "subject": f"customer {cid}", "old": pooled[cid][0], "new": rep_id,
                          "reason": "claimed from the public pool / 从公海领取" if own
                          else "assigned from the public pool / 从公海分配"} for cid in ids])
    return Moved(action, rep_id, tuple(ids))


def _snapshot(ws: Database, scheme: str) -> int:
    from tierwise.schemes.facts import current_schemes

    return current_schemes(ws.con)[scheme].snapshot_id


def release(ws: Database, customer_ids: Sequence[str], *, by: str, reason: str,
            on: date | None = None) -> Moved:
    """Return ``customer_ids`` (owned) to the pool, audited with ``reason``; the previous owner
    waits the longest cooldown of the customer's classes before claiming it back."""
    if not reason or not reason.strip():
        raise ConfigError("give the reason with --reason: every release goes into the audit trail / "
                          "请用 --reason 说明退回公海的原因")
    on = on or date.today()
    ids = _check_ids(customer_ids)
    con = ws.con
    owned = {r[0]: (r[1], r[2]) for r in con.execute(
        f"SELECT customer_id, rep_id, department FROM customers WHERE {customers_in_sql()}",
        customers_in_args(ids)).fetchall()}
    missing = [i for i in ids if i not in owned]
    if missing:
        raise NotFoundError(f"no customer {', '.join(missing[:5])} / 没有客户 {', '.join(missing[:5])}")
    unowned = [i for i in ids if owned[i][0] is None]
    if unowned:
        raise ConflictError(f"{', '.join(unowned[:5])}: no rep owns it (already in the pool or never "
                            "owned) / "
                            f"{', '.join(unowned[:5])} 没有负责的业务员（已在公海或从未分配）")
    rules = class_rules(ws)
    cooldown = {cid: 0 for cid in ids}
    for c in _current_classes(ws, ids, rules).to_pylist():
        for r in rules:
            if (r.scheme, r.klass) == (c["scheme"], c["class"]):
                cooldown[c["customer_id"]] = max(cooldown[c["customer_id"]], r.cooldown_days)
    text = reason.strip()
    with ws.transaction() as tx:
        tx.execute("DELETE FROM pool WHERE customer_id IN (SELECT unnest(?))", [ids])
        tx.execute("""INSERT INTO pool SELECT n.customer_id, $on, n.rep, n.dept, NULL, NULL, 'release',
                          $on + n.days::INTEGER, $text, $text, coalesce(o.file_rep, n.rep)
                      FROM (SELECT unnest($ids) AS customer_id, unnest($reps) AS rep, unnest($depts) AS dept,
                                   unnest($days) AS days) n LEFT JOIN owners o USING (customer_id)""",
                   {"ids": ids, "on": on, "reps": [owned[i][0] for i in ids],
                    "depts": [owned[i][1] for i in ids],
                    "days": [cooldown[i] for i in ids], "text": text})
        tx.register("_tw_release", pa.table({"customer_id": pa.array(ids, pa.string())}))
        try:
            _leave_owner(tx, "SELECT customer_id FROM _tw_release", on)
        finally:
            tx.unregister("_tw_release")
        record_many(tx, [{"actor": by, "action": "customer.release", "customer_id": cid, "scheme": None,
                          "subject": f"customer {cid}", "old": owned[cid][0], "new": "pool", "reason": text}
                         for cid in ids])
    return Moved("customer.release", None, tuple(ids))
