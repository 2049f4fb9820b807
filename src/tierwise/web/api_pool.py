"""API routes of the public pool (公海): the list, claims and assignments, releases, and the
recycling of neglected customers (a preview, or a job when applied)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from tierwise.web.api import ERRORS, ActingDep, IsoDate, Lang
from tierwise.web.api_jobs import ACCEPTED, Wait, started
from tierwise.web.money import Money

router = APIRouter(prefix="/api", responses=ERRORS)

Code = Annotated[str, Field(min_length=1, max_length=200)]
MAX_IDS = 10_000


class PoolItem(BaseModel):
    customer_id: str
    name: str | None
    department: str | None
    region: str | None
    since: date = Field(description="The day it went to the pool.")
    previous_rep: str | None = Field(description="Whose it was.")
    how: str = Field(description="recycle (a rule), release (by hand) or import.")
    scheme: str | None = Field(description="The scheme of the rule that recycled it.")
    class_: str | None = Field(alias="class", description="The class of that rule.")
    cooldown_until: date | None = Field(description="The previous owner may claim it again from this day.")
    reason: str | None
    revenue: Money | None = Field(description="Revenue in the current classification's window.")
    last_order_date: date | None


class PoolOut(BaseModel):
    items: list[PoolItem]
    total: int
    page: int
    page_size: int


@router.get("/pool", response_model=PoolOut, response_model_by_alias=True)
def pool(ws: ActingDep, q: Annotated[str | None, Query(max_length=200)] = None,
         customer_id: Annotated[str | None, Query(max_length=200)] = None,
         page: Annotated[int, Query(ge=1, le=100_000)] = 1,
         page_size: Annotated[int, Query(ge=1, le=500)] = 50, lang: Lang | None = None) -> Any:
    """The pool's customers you may see (a rep: their department's and those without one),
    longest in the pool first."""
    return ws.pool.list(q=q, customer_id=customer_id, page=page, page_size=page_size, lang=lang)


class ClaimIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_ids: list[Code] = Field(min_length=1, max_length=MAX_IDS)
    rep_id: str | None = Field(None, min_length=1, max_length=64,
                               description="Managers and admins: the rep they go to. A rep claims for "
                                           "themself (leave it out).")


class MovedOut(BaseModel):
    action: str
    rep_id: str | None
    customers: int
    customer_ids: list[str]


@router.post("/pool/claim", response_model=MovedOut)
def claim(ws: ActingDep, body: ClaimIn) -> dict[str, Any]:
    """Take customers from the pool, all or none: a rep for themself (the class's daily limit,
    ceiling and the previous owner's cooldown apply; a refusal is a 409 naming the rule), a
    manager or admin for ``rep_id``. Audited; their tasks are made for the new rep."""
    return ws.pool.claim(body.customer_ids, rep_id=body.rep_id).to_json()


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_ids: list[Code] = Field(min_length=1, max_length=MAX_IDS)
    reason: str = Field(min_length=1, max_length=500, description="For the audit trail.")


@router.post("/pool/release", response_model=MovedOut)
def release(ws: ActingDep, body: ReleaseIn) -> dict[str, Any]:
    """Return customers to the pool (a rep their own, a manager their department's): their open
    tasks lapse; audited with the reason."""
    return ws.pool.release(body.customer_ids, reason=body.reason).to_json()


class RecycleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: IsoDate | None = Field(None, description="The day (default today).")
    apply: StrictBool = Field(False, description="false: who would go (managers and admins); true: move "
                                                 "them (admins), as a job.")


class Move(BaseModel):
    customer_id: str
    name: str | None
    rep_id: str | None
    scheme: str
    class_: str = Field(alias="class")
    label: str = Field(description="The class's name in the reader's language.")
    deadline: date
    reason: str


class RecycleOut(BaseModel):
    on: date
    applied: bool
    customers: int = Field(description="Customers due for the pool (moved, when applied).")
    warned: int = Field(description="Customers inside their warning days, not yet due.")
    per_rep: dict[str, int]
    per_class: dict[str, int]
    moves: list[Move] = Field(description="The first 200, earliest due first.")


@router.post("/pool/recycle", response_model=RecycleOut, response_model_by_alias=True, responses=ACCEPTED)
def recycle(ws: ActingDep, body: RecycleIn | None = None, wait: Wait = 0,
            lang: Lang | None = None) -> Any:
    """The neglected customers their class's pool rule sends to the pool on ``on``: a preview,
    or (``apply``) a job moving them, as the server's schedule does each day."""
    body = body or RecycleIn(on=None, apply=False)
    if not body.apply:
        return ws.pool.recycle(on=body.on, lang=lang).to_json()
    return started(ws, "pool", on=body.on, apply=True, lang=lang, wait=wait,
                   render=lambda result, _job: result.to_json())
