"""Credit decisions made by hand, beside the rules (seed M11: "A orders first; refusing one
needs a 部长"):

- a **release** lets orders of up to ``amount`` ship for a customer on credit hold until a day
  (``until``, default a week on): ``tierwise credit check`` then answers yes, naming the
  release beside the reasons for the hold; the hold itself stays (it is the data's);
- a **refusal** records that an order of ``amount`` was refused, and why.

Either is ``active`` at once, or ``pending`` while an approval chain walks (the chain of
``hold_release`` by amount, of ``order_refusal`` by the customer's classes:
:mod:`tierwise.access.approvals`), then ``active`` or ``rejected``. Each change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError
from tierwise.store.audit import record

if TYPE_CHECKING:
    import duckdb

    from tierwise.store.database import Database

KINDS = {"release": ("credit hold released for an order", "信用冻结放行"),
         "refusal": ("order refused", "拒绝订单")}
RELEASE_DAYS = 7  # a release without a day holds this long
FIELDS = ("decision_id", "kind", "customer_id", "amount", "until", "reason", "status", "requested_by",
          "requested_at", "decided_by", "decided_at")


@dataclass(frozen=True)
class Decision:
    decision_id: int
    kind: str
    customer_id: str
    amount: Decimal
    until: date | None
    reason: str
    status: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            if isinstance(v, date | datetime):
                return v.isoformat()
            return str(v) if isinstance(v, Decimal) else v

        return {f: plain(getattr(self, f)) for f in FIELDS}


def get(con: duckdb.DuckDBPyConnection, decision_id: int) -> Decision:
    row = con.execute(f"SELECT {', '.join(FIELDS)} FROM credit_decisions WHERE decision_id = ?",
                      [decision_id]).fetchone()
    if row is None:
        raise ConfigError(f"no credit decision {decision_id} / 没有信用决定 {decision_id}")
    return Decision(*row)


def record_decision(ws: Database, kind: str, customer_id: str, amount: Decimal, *, reason: str, by: str,
                    pending: bool, until: date | None = None, today: date | None = None) -> Decision:
    """A release or refusal of ``amount`` for ``customer_id``: ``pending`` (an approval chain
    decides) or active now; audited (the caller's transaction, when one is open)."""
    if kind not in KINDS:
        raise ConfigError(f"kind {kind!r}: release or refusal")
    if not reason or not reason.strip():
        raise ConfigError("give the reason with --reason: it goes into the audit trail / "
                          "请用 --reason 说明原因")
    if amount <= 0:
        raise ConfigError(f"amount {amount}: above 0 / 金额须大于 0")
    today = today or date.today()
    if kind == "release":
        until = until or today + timedelta(days=RELEASE_DAYS)
        if until < today:
            raise ConfigError(f"until {until}: a day from today on / 放行截止日期不能早于今天")
    with ws.transaction() as con:
        row = con.execute("SELECT coalesce(max(decision_id), 0) + 1 FROM credit_decisions").fetchone()
        assert row is not None
        status = "pending" if pending else "active"
        now = datetime.now().replace(microsecond=0)
        con.execute("INSERT INTO credit_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [int(row[0]), kind, customer_id, amount, until, reason.strip(), status, by, now,
                     None if pending else by, None if pending else now])
        record(con, actor=by, action=f"credit.{kind}", customer_id=customer_id,
               subject=f"{kind} {int(row[0])}: {amount}" + (f" until {until}" if until else ""),
               old=None, new=status, reason=reason.strip())
        return get(con, int(row[0]))


def decide(con: duckdb.DuckDBPyConnection, decision_id: int, *, by: str, approved: bool) -> Decision:
    """The pending decision made ``active`` (its chain approved) or ``rejected``; audited."""
    d = get(con, decision_id)
    if d.status != "pending":
        raise ConfigError(f"credit decision {decision_id} is {d.status}, not pending / "
                          "该决定不在待审批状态")
    status = "active" if approved else "rejected"
    con.execute("UPDATE credit_decisions SET status = ?, decided_by = ?, decided_at = ? "
                "WHERE decision_id = ?",
                [status, by, datetime.now().replace(microsecond=0), decision_id])
    record(con, actor=by, action=f"credit.{d.kind}", customer_id=d.customer_id,
           subject=f"{d.kind} {decision_id}: {d.amount}", old="pending", new=status, reason=d.reason)
    return get(con, decision_id)


def active_release(con: duckdb.DuckDBPyConnection, customer_id: str, amount: Decimal,
                   on: date) -> Decision | None:
    """The active release covering an order of ``amount`` for ``customer_id`` on ``on``."""
    row = con.execute("""SELECT decision_id FROM credit_decisions
                         WHERE kind = 'release' AND status = 'active' AND customer_id = ? AND amount >= ?
                           AND until >= ? ORDER BY decided_at DESC LIMIT 1""",
                      [customer_id, amount, on]).fetchone()
    return get(con, int(row[0])) if row else None
