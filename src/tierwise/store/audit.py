"""The audit trail: every change a person makes, appended and never edited.

Overrides and their approvals, credit limit changes, manual customer flags and scheme
edits each add one row: who, when, what, old → new, and why. tierwise has no command or
function that updates or deletes a row. Each row also carries a SHA-256 hash of its
content chained to the previous row's hash, so :func:`verify` finds a row edited or
removed with another tool.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

if TYPE_CHECKING:
    from tierwise.store.database import Database

COLUMNS = ("audit_id", "changed_at", "actor", "action", "customer_id", "scheme", "subject", "old_value",
           "new_value", "reason")

ACTIONS: dict[str, tuple[str, str]] = {
    # action: (English, Chinese) description, for `tierwise audit` and the docs
    "override.set": ("class set by hand", "手工设定类别"),
    "override.propose": ("class change proposed", "提议调整类别"),
    "override.approve": ("proposed class approved", "批准类别调整"),
    "override.reject": ("proposed class rejected", "驳回类别调整"),
    "override.clear": ("override cleared", "撤销手工类别"),
    "override.expire": ("override expired", "手工类别到期"),
    "credit.limit": ("credit limit changed", "调整授信额度"),
    "customer.attribute": ("customer flag or attribute set", "设置客户标记或属性"),
    "scheme.create": ("scheme created", "新建分类方案"),
    "scheme.change": ("scheme changed", "分类方案变更"),
    "user.add": ("user added", "新增用户"),
    "user.change": ("user changed (role, scope, password or disabled)", "用户变更（角色、范围、密码或停用）"),
    "token.create": ("API token created", "生成 API 令牌"),
    "token.revoke": ("API token revoked", "吊销 API 令牌"),
}


def current_user(configured: str | None = None) -> str:
    """Who is acting: ``configured`` (the ``user`` setting or ``--by``), else the login name."""
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


def _digest(prev: str, row: dict[str, Any]) -> str:
    body = json.dumps({k: _text(row[k]) for k in COLUMNS}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def record(
    con: duckdb.DuckDBPyConnection, *, actor: str, action: str, customer_id: str | None = None,
    scheme: str | None = None, subject: str | None = None, old: Any = None, new: Any = None,
    reason: str | None = None,
) -> int:
    """Append one audit row; call it inside the transaction that makes the change, so the
    change and its record land together or not at all. Returns the row's id."""
    return record_many(con, [{"actor": actor, "action": action, "customer_id": customer_id, "scheme": scheme,
                              "subject": subject, "old": old, "new": new, "reason": reason}])[0]


def record_many(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[int]:
    """Append audit rows (each a dict of :func:`record`'s keyword arguments) in order, each
    hash chained to the one before; call it inside the transaction that makes the changes.
    Returns the rows' ids."""
    if not rows:
        return []
    for r in rows:
        if r["action"] not in ACTIONS:
            raise ValueError(f"unknown audit action {r['action']!r}")
    last = con.execute("SELECT hash FROM audit ORDER BY audit_id DESC LIMIT 1").fetchone()
    ids = sorted(int(i) for (i,) in con.execute(
        "SELECT nextval('audit_seq') FROM range(?)", [len(rows)]).fetchall())
    prev = last[0] if last else ""
    now = datetime.now().replace(microsecond=0)
    out: dict[str, list[Any]] = {k: [] for k in (*COLUMNS, "hash")}
    for audit_id, r in zip(ids, rows, strict=True):
        row = {"audit_id": audit_id, "changed_at": now, "actor": r["actor"], "action": r["action"],
               "customer_id": r.get("customer_id"), "scheme": r.get("scheme"), "subject": r.get("subject"),
               "old_value": _text(r.get("old")), "new_value": _text(r.get("new")), "reason": r.get("reason")}
        prev = _digest(prev, row)
        for k in COLUMNS:
            out[k].append(row[k])
        out["hash"].append(prev)
    if len(rows) == 1:  # the common case: one change by hand
        con.execute(f"INSERT INTO audit ({', '.join(COLUMNS)}, hash) VALUES ({', '.join('?' * 11)})",
                    [out[k][0] for k in (*COLUMNS, "hash")])
        return ids
    con.register("_tw_audit_rows", pa.table(out))
    try:
        con.execute(f"INSERT INTO audit ({', '.join(COLUMNS)}, hash) "
                    f"SELECT {', '.join(COLUMNS)}, hash FROM _tw_audit_rows ORDER BY audit_id")
    finally:
        con.unregister("_tw_audit_rows")
    return ids


def read(ws: Database, *, customer: str | None = None, since: date | None = None,
         action: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Audit rows, oldest first, optionally of one customer, since a day, of one action
    (or action family such as ``override``)."""
    where: list[str] = ["TRUE"]
    params: list[Any] = []
    if customer is not None:
        where.append("customer_id = ?")
        params.append(customer)
    if since is not None:
        where.append("changed_at >= ?")
        params.append(datetime.combine(since, datetime.min.time()))
    if action is not None:
        where.append("(action = ? OR starts_with(action, ? || '.'))")
        params += [action, action]
    sql = f"SELECT {', '.join(COLUMNS)} FROM audit WHERE {' AND '.join(where)} ORDER BY audit_id"
    if limit is not None:
        newest = sql.replace("ORDER BY audit_id", "ORDER BY audit_id DESC")
        sql = f"SELECT * FROM ({newest} LIMIT {int(limit)}) ORDER BY audit_id"
    rows = ws.con.execute(sql, params).fetchall()
    return [{k: _text(v) if k == "changed_at" else v for k, v in zip(COLUMNS, r, strict=True)} for r in rows]


@dataclass
class Verification:
    rows: int
    first_bad: int | None  # audit_id of the first row whose hash does not match

    @property
    def ok(self) -> bool:
        return self.first_bad is None


def verify(ws: Database) -> Verification:
    """Recompute the hash chain; the first row that does not match was edited, or a row
    before it was removed."""
    prev = ""
    rows = ws.con.execute(f"SELECT {', '.join(COLUMNS)}, hash FROM audit ORDER BY audit_id").fetchall()
    for r in rows:
        row = dict(zip(COLUMNS, r[:-1], strict=True))
        if _digest(prev, row) != r[-1]:
            return Verification(len(rows), int(row["audit_id"]))
        prev = r[-1]
    return Verification(len(rows), None)
