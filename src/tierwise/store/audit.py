"""The audit trail: every change a person makes, appended and never edited.

Overrides and their approvals, credit limit changes, manual customer flags, scheme edits,
imports, follow-ups and rep or department moves each add one row: who, when, what,
old → new, and why. tierwise has no command or function that updates or deletes a row. Each
row also carries a SHA-256 hash of its content chained to the previous row's hash, so
:func:`verify` finds a row edited or removed with another tool.

One writer per workspace file: the web server runs many transactions at once, one per
cursor, each reading the snapshot it began with. Were each to chain its rows to the last row
*its snapshot* shows, two would chain to the same row and the chain would fork. So the
process keeps one :class:`_Writer` per workspace file (by resolved path). A transaction
takes it with its first audit row and keeps it until its COMMIT or ROLLBACK
(``Database.transaction`` calls :func:`begin` and :func:`end`). Under it the chain head (last
``audit_id`` and hash) is the committed one, not the one the snapshot saw, and ids are the
head's plus one: id order is commit order, and a rollback leaves no gap. The head is kept in
memory and confirmed by reading, through a fresh cursor, only the rows from it on; that also
picks up rows another process appended while this one had the file closed. Only one process
can write a DuckDB file, so a lock inside the process is enough.

Record audit rows last in a transaction: other audited changes wait from then to the commit.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from tierwise.errors import ConflictError

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
    "customer.move": ("customer moved to another rep or department (by an import)",
                      "客户调整业务员或部门（导入）"),
    "customer.handover": ("customer handed over to another rep", "客户移交给其他业务员"),
    "customer.recycle": ("neglected customer recycled to the public pool", "超期未跟进客户收回公海"),
    "customer.release": ("customer released to the public pool", "客户退回公海"),
    "customer.claim": ("customer claimed from the public pool", "从公海领取客户"),
    "customer.assign": ("customer assigned from the public pool to a rep", "从公海分配客户给业务员"),
    "approval.step": ("a step of an approval chain decided", "审批链一步审批"),
    "approval.chains": ("approval chains changed", "审批链配置变更"),
    "digest.channel": ("a rep's digest channel set", "设置业务员的每日提醒渠道"),
    "credit.release": ("a credit hold released for an order", "信用冻结放行"),
    "credit.refusal": ("an order refused", "拒绝订单"),
    "rep.move": ("rep moved to another department or manager (by an import)", "业务员调整部门或主管（导入）"),
    "data.import": ("file or database table imported", "导入数据"),
    "activity.add": ("follow-up logged", "记录跟进"),
    "scheme.create": ("scheme created", "新建分类方案"),
    "scheme.change": ("scheme changed", "分类方案变更"),
    "user.add": ("user added", "新增用户"),
    "user.change": ("user changed (role, scope, password or disabled)", "用户变更（角色、范围、密码或停用）"),
    "token.create": ("API token created", "生成 API 令牌"),
    "token.revoke": ("API token revoked", "吊销 API 令牌"),
    "workspace.currency": ("the workspace's currency set", "设置工作区货币"),
    "customer.merge": ("customer id normalised: merged or renamed (tierwise doctor)",
                       "客户编号规范化：合并或更名（doctor）"),
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
    hash chained to the one before; call it inside the ``Database.transaction`` that makes
    the changes, last (it holds the workspace's audit writer until the commit). Outside any
    transaction the rows are their own. Returns the rows' ids."""
    if not rows:
        return []
    for r in rows:
        if r["action"] not in ACTIONS:
            raise ValueError(f"unknown audit action {r['action']!r}")
    with _lock:
        tracked = id(con) in _open
    if not tracked:
        return _own_transaction(con, rows)
    hold = _hold(con)
    last_id, prev = hold.head or (0, "")
    now = datetime.now().replace(microsecond=0)
    ids = list(range(last_id + 1, last_id + 1 + len(rows)))
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
    else:  # not registered by name: a registered table lives until the transaction ends (an
        # import auditing 10M changes in batches held every batch: 3.9 GB; this way 0.6 GB)
        con.from_arrow(pa.table(out)).select(", ".join((*COLUMNS, "hash"))).insert_into("audit")
    hold.head = (ids[-1], prev)  # only once the rows are in: a failed insert moves nothing
    return ids


# -- the one writer per workspace file ----------------------------------------------------
WAIT_SECONDS = 120.0  # how long an audited change waits for another one's commit


class _Writer:
    """The audit chain of one workspace file in this process: who may append now, and the
    head as of the last commit that appended through it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread: int | None = None  # the thread whose transaction holds it
        self.head: tuple[int, str] | None = None  # (audit_id, hash) last committed; a hint

    def committed_head(self, con: duckdb.DuckDBPyConnection) -> tuple[int, str] | None:
        """The last committed row (None: no rows yet), read through a fresh cursor: ``con``'s
        snapshot may predate other commits. Call it holding :attr:`lock`."""
        fresh = con.cursor()
        try:
            if self.head is not None:  # normally one row: the remembered head itself
                rows = fresh.execute("SELECT audit_id, hash FROM audit WHERE audit_id >= ?",
                                     [self.head[0]]).fetchall()
                if rows:
                    last = max(rows)
                    return int(last[0]), str(last[1])
            row = fresh.execute("SELECT audit_id, hash FROM audit ORDER BY audit_id DESC LIMIT 1").fetchone()
            return (int(row[0]), str(row[1])) if row else None
        finally:
            fresh.close()


@dataclass
class _Hold:
    """A transaction's hold on its workspace's writer: the head including its own rows."""

    writer: _Writer
    head: tuple[int, str] | None
    at_start: bool = False  # taken before the transaction read anything: its snapshot is current


_lock = threading.Lock()  # guards the two registries below
_writers: dict[str, _Writer] = {}  # resolved workspace path → its writer
_open: dict[int, _Hold | None] = {}  # id(connection) in a Database.transaction → its hold, once it has one


def begin(con: duckdb.DuckDBPyConnection) -> None:
    """``con`` has begun a transaction (``Database.transaction``): audit rows it records hold
    the writer until :func:`end`."""
    with _lock:
        _open[id(con)] = None


def end(con: duckdb.DuckDBPyConnection, *, committed: bool) -> None:
    """``con``'s transaction is over: when it held the writer, let it go; after a COMMIT its
    last row is the head, after a ROLLBACK the head is as it was."""
    with _lock:
        hold = _open.pop(id(con), None)
    if hold is None:
        return
    if committed:
        hold.writer.head = hold.head
    hold.writer.thread = None
    hold.writer.lock.release()


def hold_writer(con: duckdb.DuckDBPyConnection, *, at_start: bool = False) -> bool:
    """Take the workspace's one writer now (waiting for another transaction's commit) and keep
    it until ``con``'s transaction (``Database.transaction``) ends, as an audit row would: for
    a change that must not interleave with another writer's, such as storing tasks, whose ids
    are unique because one transaction writes them at a time.

    ``at_start``: the transaction has read nothing yet. DuckDB takes a transaction's snapshot
    at its first read, so that snapshot then holds every change committed under the writer.
    Returns whether it does (taken at the start now or before); if not, a change another
    writer committed since the snapshot is invisible to ``con`` (see :func:`current`)."""
    return _hold(con, at_start=at_start).at_start


def current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con``'s transaction holds the writer since before it read anything (see
    :func:`hold_writer`): nothing committed under the writer is hidden from it."""
    with _lock:
        hold = _open.get(id(con))
    return hold is not None and hold.at_start


def _hold(con: duckdb.DuckDBPyConnection, *, at_start: bool = False) -> _Hold:
    """``con``'s hold on its workspace's writer, taken (waiting for another transaction's
    commit) on its first audit row, or by :func:`hold_writer`."""
    with _lock:
        hold = _open[id(con)]
    if hold is not None:
        return hold
    writer = _writer(con)
    if writer.thread == threading.get_ident():
        raise RuntimeError("this thread already holds the audit writer through another connection's "
                           "transaction: record audit rows on that connection, or commit it first")
    if not writer.lock.acquire(timeout=WAIT_SECONDS):
        raise ConflictError(f"another change (a classification's tasks, an import, a follow-up) held the "
                            f"workspace for over {WAIT_SECONDS:.0f} s; try again in a minute "
                            f"/ 其他修改（分类生成任务、导入、跟进等）占用工作区超过 "
                            f"{WAIT_SECONDS:.0f} 秒，请稍后重试")
    try:
        writer.thread = threading.get_ident()
        hold = _Hold(writer, writer.committed_head(con), at_start)
    except BaseException:
        writer.thread = None
        writer.lock.release()
        raise
    with _lock:
        _open[id(con)] = hold
    return hold


def _writer(con: duckdb.DuckDBPyConnection) -> _Writer:
    """The writer of the workspace file ``con`` is connected to (one per resolved path)."""
    fresh = con.cursor()  # not ``con``: a read there would take its transaction's snapshot
    try:
        row = fresh.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                            ).fetchone()
    finally:
        fresh.close()
    key = os.path.realpath(row[0]) if row and row[0] else ":memory:"
    with _lock:
        return _writers.setdefault(key, _Writer())


def _own_transaction(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[int]:
    """Record ``rows`` as a transaction of their own (``con`` is in autocommit mode)."""
    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException:
        raise RuntimeError("audit rows inside a transaction begun by hand: use Database.transaction(), "
                           "which lets the audit writer go at the commit") from None
    begin(con)
    committed = False
    try:
        try:
            ids = record_many(con, rows)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        committed = True
    finally:
        end(con, committed=committed)
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
