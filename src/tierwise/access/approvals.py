"""Approval chains: who signs off a request, step by step (科长 → 部长 → 总经理).

A workspace may configure chains (``tierwise approvals chains --set FILE``; one YAML text kept
in the workspace, every change audited)::

    chains:
      - name: a_grade
        title: {zh: A 类客户审批, en: A-grade approval}
        action: override           # a proposed override ...
        scheme: abc                # ... in this scheme (any, when left out)
        classes: [A]               # ... to one of these classes
        steps:
          - {title: {zh: 科长, en: section head}, users: [zhang]}
          - {title: {zh: 部长, en: department head}, role: manager}
          - {title: {zh: 总经理, en: general manager}, role: admin}
      - name: big_limit
        title: {zh: 大额授信审批, en: large credit limit}
        action: credit_limit       # a credit limit set above ``above`` (hold_release: an order
        above: 100000              # shipped despite a credit hold, above ``above``)
        steps: [...]
      - name: refuse_a
        title: {zh: 拒单审批, en: refusing an A order}
        action: order_refusal      # refusing an order of a customer of these classes
        scheme: abc
        classes: [A]
        steps: [{title: {zh: 部长, en: department head}, role: manager}]

A step is decided by the people it names (``users``) or by anyone of its ``role`` (a manager
for the customers of their department); each person decides at most one step of a request,
and never one they asked for. The first chain that matches a request applies. Without a
matching chain a request is decided in one step, as before (another manager approves).

A request (``approvals`` table) waits at its next step until someone of that step approves
(it moves on; the last step makes it take effect) or rejects (it ends); each decision is one
row of ``approval_steps`` and one audit row (``approval.step``). What takes effect is the
caller's: an override becomes active, a credit limit is set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tierwise.errors import ConfigError, ForbiddenError, NotFoundError
from tierwise.store.audit import record

if TYPE_CHECKING:
    import duckdb

    from tierwise.access.users import User
    from tierwise.store.database import Database

ACTIONS = {"override": ("a proposed class override", "类别调整"),
           "credit_limit": ("a credit limit above an amount", "超额授信"),
           "hold_release": ("shipping an order despite a credit hold", "信用冻结放行"),
           "order_refusal": ("refusing a customer's order", "拒绝客户订单")}
AMOUNT_ACTIONS = ("credit_limit", "hold_release")  # matched by ``above``; the others by the class
META_KEY = "approval_chains"
MAX_TEXT = 100_000
MAX_STEPS = 10


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Model):
    zh: str = Field(min_length=1, max_length=100)
    en: str = Field(min_length=1, max_length=100)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Step(_Model):
    """One step: its title and who decides it (named users, or anyone of a role)."""

    title: Words
    users: list[str] = Field([], max_length=100)
    role: Literal["admin", "manager"] | None = None

    @model_validator(mode="after")
    def _who(self) -> Step:
        if not self.users and self.role is None:
            raise ValueError(f"step {self.title.en!r}: say who decides it: users: [name, ...] or role: "
                             "manager / admin")
        return self

    def may(self, user: User) -> bool:
        return user.name in self.users or (self.role is not None and user.role == self.role)

    def who(self, lang: str) -> str:
        names = [*self.users, *([{"admin": "管理员", "manager": "经理"}[self.role] if lang == "zh"
                                  else self.role] if self.role else [])]
        return ("、" if lang == "zh" else ", ").join(names)


class Chain(_Model):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    title: Words
    action: Literal["override", "credit_limit", "hold_release", "order_refusal"]
    scheme: str | None = Field(None, max_length=64)
    classes: list[str] = Field([], max_length=100)
    above: float | None = Field(None, ge=0)
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)

    @model_validator(mode="after")
    def _fits(self) -> Chain:
        if self.action not in AMOUNT_ACTIONS and self.above is not None:
            raise ValueError(f"chain {self.name}: `above` is for credit_limit and hold_release chains")
        if self.action in AMOUNT_ACTIONS and (self.scheme or self.classes):
            raise ValueError(f"chain {self.name}: `scheme` and `classes` are for override and order_refusal "
                             "chains")
        return self

    def matches(self, action: str, *, scheme: str | None = None, klass: str | None = None,
                amount: float | None = None, classes: dict[str, str] | None = None) -> bool:
        """Whether a request matches: an override to ``klass`` of ``scheme``; a refused order of a
        customer whose current ``classes`` (scheme → class) include one of the chain's; a limit or
        a release of ``amount`` above the chain's."""
        if action != self.action:
            return False
        if action == "override":
            return ((self.scheme is None or self.scheme == scheme)
                    and (not self.classes or klass in self.classes))
        if action == "order_refusal":
            held = {k for s, k in (classes or {}).items() if self.scheme is None or s == self.scheme}
            return not self.classes or bool(held & set(self.classes))
        return amount is not None and (self.above is None or amount > self.above)

    def path(self, lang: str) -> str:
        return " → ".join(s.title.get(lang) for s in self.steps)


class Chains(_Model):
    chains: list[Chain] = Field([], max_length=100)

    @model_validator(mode="after")
    def _unique(self) -> Chains:
        names = [c.name for c in self.chains]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"chains named twice: {', '.join(twice)}")
        return self


def parse(text: str) -> Chains:
    """The chains of a YAML ``text``; a ConfigError names the field and the fix."""
    if len(text) > MAX_TEXT:
        raise ConfigError(f"the chains are {len(text):,} characters; at most {MAX_TEXT:,} / 审批链配置过长")
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"approval chains: not YAML: {exc} / 审批链配置不是有效的 YAML") from None
    try:
        return Chains.model_validate(data or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"approval chains: {where}: {first['msg']} / 审批链配置有误：{where}") from None


def load(con: duckdb.DuckDBPyConnection) -> tuple[str, Chains]:
    row = con.execute("SELECT value FROM tierwise_meta WHERE key = ?", [META_KEY]).fetchone()
    text = str(row[0]) if row else ""
    return text, parse(text)


def save(ws: Database, text: str, *, by: str) -> Chains:
    """Keep ``text`` as the workspace's chains (checked first), audited."""
    chains = parse(text)
    with ws.transaction() as con:
        old, _ = load(con)
        con.execute("INSERT OR REPLACE INTO tierwise_meta VALUES (?, ?)", [META_KEY, text])
        record(con, actor=by, action="approval.chains", subject="approval chains",
               old=f"{len(parse(old).chains)} chains", new=f"{len(chains.chains)} chains: "
               + ", ".join(c.name for c in chains.chains), reason=None)
    return chains


def chain_for(con: duckdb.DuckDBPyConnection, action: str, **what: Any) -> Chain | None:
    """The first chain matching a request, or None (one step, as without chains)."""
    return next((c for c in load(con)[1].chains if c.matches(action, **what)), None)


# -- requests ----------------------------------------------------------------------------------
@dataclass
class Request:
    approval_id: int
    kind: str
    ref: str
    customer_id: str | None
    chain: Chain
    step: int  # steps approved so far
    status: str  # pending, approved, rejected
    requested_by: str
    requested_at: datetime
    summary_en: str
    summary_zh: str
    payload: dict[str, Any]
    decided: list[dict[str, Any]]

    @property
    def next_step(self) -> Step | None:
        return self.chain.steps[self.step] if self.status == "pending" and self.step < len(self.chain.steps) \
            else None

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        nxt = self.next_step
        return {"approval_id": self.approval_id, "kind": self.kind, "ref": self.ref,
                "customer_id": self.customer_id, "chain": self.chain.name,
                "title": self.chain.title.get(lang),
                "path": self.chain.path(lang), "steps": len(self.chain.steps), "done": self.step,
                "status": self.status, "next": nxt.title.get(lang) if nxt else None,
                "next_who": nxt.who(lang) if nxt else None, "requested_by": self.requested_by,
                "requested_at": self.requested_at.isoformat(sep=" "),
                "summary": self.summary_zh if lang == "zh" else self.summary_en,
                "decisions": [{**d, "at": d["at"].isoformat(sep=" ")} for d in self.decided]}


_COLS = ("approval_id, kind, ref, customer_id, chain, step, status, requested_by, requested_at, summary_en, "
         "summary_zh, payload")


def _row(con: duckdb.DuckDBPyConnection, r: tuple[Any, ...]) -> Request:
    steps = con.execute("SELECT step_no, title, decided_by, decided_at, decision, note FROM approval_steps "
                        "WHERE approval_id = ? ORDER BY step_no, decided_at", [r[0]]).fetchall()
    return Request(int(r[0]), r[1], r[2], r[3], Chain.model_validate_json(r[4]), int(r[5]), r[6], r[7], r[8],
                   r[9], r[10], json.loads(r[11] or "{}"),
                   [{"step": s[0], "title": s[1], "by": s[2], "at": s[3], "decision": s[4], "note": s[5]}
                    for s in steps])


def get(con: duckdb.DuckDBPyConnection, approval_id: int) -> Request:
    r = con.execute(f"SELECT {_COLS} FROM approvals WHERE approval_id = ?", [approval_id]).fetchone()
    if r is None:
        raise NotFoundError(f"no approval request {approval_id} / 没有审批单 {approval_id}")
    return _row(con, r)


def of(con: duckdb.DuckDBPyConnection, kind: str, ref: str) -> Request | None:
    """The pending request of ``kind`` for ``ref`` (an override id), if any."""
    r = con.execute(f"SELECT {_COLS} FROM approvals WHERE kind = ? AND ref = ? AND status = 'pending'",
                    [kind, ref]).fetchone()
    return _row(con, r) if r else None


def open_request(con: duckdb.DuckDBPyConnection, kind: str, ref: str, chain: Chain, *, by: str,
                 customer_id: str | None, summary: tuple[str, str], payload: dict[str, Any] | None = None
                 ) -> Request:
    """A new request waiting at the chain's first step (the caller's transaction)."""
    row = con.execute("SELECT coalesce(max(approval_id), 0) + 1 FROM approvals").fetchone()
    assert row is not None
    approval_id = int(row[0])
    con.execute(f"INSERT INTO approvals ({_COLS}) VALUES (?, ?, ?, ?, ?, 0, 'pending', ?, ?, ?, ?, ?)",
                [approval_id, kind, ref, customer_id, chain.model_dump_json(), by,
                 datetime.now().replace(microsecond=0), summary[0], summary[1], json.dumps(payload or {})])
    return get(con, approval_id)


def check_decider(request: Request, user: User) -> Step:
    """The step ``user`` may decide now, or a ForbiddenError saying who decides it."""
    step = request.next_step
    if step is None:
        raise ConfigError(f"approval {request.approval_id} is {request.status}, not waiting / "
                          f"审批单 {request.approval_id} 不在待审批状态")
    if user.name == request.requested_by:
        raise ForbiddenError(f"{user.name} asked for this; another person decides it / 申请人不能自己审批")
    if any(d["by"] == user.name for d in request.decided):
        raise ForbiddenError(f"{user.name} has decided a step of this already; each step is another "
                             "person's / "
                             "同一人只能审批其中一步")
    if not step.may(user):
        raise ForbiddenError(f"step {request.step + 1} ({step.title.en}) is decided by {step.who('en')}, not "
                             f"{user.name} / 第 {request.step + 1} 步（{step.title.zh}）由"
                             f"{step.who('zh')}审批")
    return step


def decide(con: duckdb.DuckDBPyConnection, request: Request, user: User, *, approve: bool,
           note: str | None) -> Request:
    """Record ``user``'s decision of the request's next step (the caller's transaction):
    approved (the next step waits, or the request is approved) or rejected (it ends)."""
    step = check_decider(request, user)
    if not approve and not (note and note.strip()):
        raise ConfigError("give the reason for rejecting / 驳回请说明原因")
    now = datetime.now().replace(microsecond=0)
    con.execute("INSERT INTO approval_steps VALUES (?, ?, ?, ?, ?, ?, ?)",
                [request.approval_id, request.step + 1, step.title.zh, user.name, now,
                 "approve" if approve else "reject", note])
    done = request.step + 1 if approve else request.step
    status = "rejected" if not approve else "approved" if done == len(request.chain.steps) else "pending"
    con.execute("UPDATE approvals SET step = ?, status = ? WHERE approval_id = ?",
                [done, status, request.approval_id])
    record(con, actor=user.name, action="approval.step", customer_id=request.customer_id,
           subject=f"approval {request.approval_id} ({request.chain.name}) step {request.step + 1}/"
                   f"{len(request.chain.steps)}: {step.title.zh} / {step.title.en}",
           old=request.status, new=status if status != "pending" else f"step {done + 1}",
           reason=note or ("approve" if approve else None))
    return get(con, request.approval_id)


def pending(con: duckdb.DuckDBPyConnection, *, limit: int = 500) -> list[Request]:
    rows = con.execute(f"SELECT {_COLS} FROM approvals WHERE status = 'pending' ORDER BY requested_at, "
                       f"approval_id LIMIT ?", [limit]).fetchall()
    return [_row(con, r) for r in rows]


def waiting_for(con: duckdb.DuckDBPyConnection, user: User) -> list[Request]:
    """The pending requests whose next step ``user`` may decide (not their own, not one they
    have decided a step of); the caller keeps those of customers in the user's scope."""
    out = []
    for r in pending(con):
        try:
            check_decider(r, user)
        except (ForbiddenError, ConfigError):
            continue
        out.append(r)
    return out
