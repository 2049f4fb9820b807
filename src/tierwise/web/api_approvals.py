"""API routes of approval chains: the requests waiting for you, approving or rejecting a step,
and the chains themselves (admins)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from tierwise.web.api import ERRORS, ActingDep, Lang
from tierwise.web.money import Money

router = APIRouter(prefix="/api", responses=ERRORS)
ApprovalId = Annotated[int, Path(ge=1, le=2**53)]


class Decision(BaseModel):
    by: str
    at: str
    step: int
    title: str
    decision: Literal["approve", "reject"]
    note: str | None


class ApprovalOut(BaseModel):
    approval_id: int
    kind: Literal["override", "credit_limit", "hold_release", "order_refusal"]
    ref: str = Field(description="The override id, or the customer of a credit limit.")
    customer_id: str | None
    chain: str
    title: str
    path: str = Field(description="The chain's steps, 科长 → 部长 → 总经理.")
    steps: int
    done: int = Field(description="Steps approved so far.")
    status: Literal["pending", "approved", "rejected"]
    next: str | None = Field(description="The step it waits at (null once decided).")
    next_who: str | None = Field(description="Who decides that step.")
    requested_by: str
    requested_at: str
    summary: str
    decisions: list[Decision]


class LimitSet(BaseModel):
    customer_id: str
    old: Money | None
    new: Money | None = Field(description="The limit now set (null: none).")


class DecidedOut(ApprovalOut):
    override: dict[str, Any] | None = Field(None, description="The override, for an override request.")
    limit_set: LimitSet | None = Field(None, description="The credit limit set, once its last step approved.")
    decision: dict[str, Any] | None = Field(None, description="A credit release or refusal, once decided.")


@router.get("/approvals", response_model=list[ApprovalOut])
def approvals(ws: ActingDep, mine: bool = False,
              status: Annotated[Literal["pending", "approved", "rejected"], Query()] = "pending",
              lang: Lang | None = None) -> Any:
    """Requests under approval of the customers you see; ``mine``: those whose next step you
    decide (a dashboard's "待我审批")."""
    return ws.approvals.list(mine=mine, status=status, lang=lang)


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=500)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


@router.post("/approvals/{approval_id}/approve", response_model=DecidedOut)
def approve(ws: ActingDep, approval_id: ApprovalId, body: ApproveIn | None = None,
            lang: Lang | None = None) -> Any:
    """Approve the request's next step (403 when the step is someone else's); the last step
    makes it take effect."""
    return ws.approvals.approve(approval_id, note=body.note if body else None, lang=lang)


@router.post("/approvals/{approval_id}/reject", response_model=DecidedOut)
def reject(ws: ActingDep, approval_id: ApprovalId, body: RejectIn, lang: Lang | None = None) -> Any:
    """Reject the request at its next step, saying why."""
    return ws.approvals.reject(approval_id, reason=body.reason, lang=lang)


class ChainsOut(BaseModel):
    text: str = Field(description="The chains as YAML (access/approvals.py shows the form).")
    chains: list[dict[str, str]]


class ChainsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=100_000)


@router.get("/approvals/chains", response_model=ChainsOut)
def chains(ws: ActingDep) -> Any:
    """The workspace's approval chains."""
    return ws.approvals.chains()


@router.put("/approvals/chains", response_model=ChainsOut)
def set_chains(ws: ActingDep, body: ChainsIn) -> Any:
    """Replace the approval chains (admins; checked first, audited)."""
    return ws.approvals.set_chains(body.text)
