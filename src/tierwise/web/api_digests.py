"""API routes of the daily digests: each rep's channel (a WeCom or DingTalk group robot, or
e-mail) and sending the day's digests, or previewing them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from tierwise.web.api import ERRORS, ActingDep, IsoDate, Lang

router = APIRouter(prefix="/api", responses=ERRORS)
RepId = Annotated[str, Path(min_length=1, max_length=64)]


class ChannelOut(BaseModel):
    rep_id: str
    name: str | None
    channel: Literal["wecom", "dingtalk", "email"]
    to: str = Field(description="The webhook with its key hidden, or the e-mail address.")
    signed: bool = Field(description="A DingTalk robot with a signing secret (加签).")
    changed_by: str | None
    changed_at: str | None


@router.get("/digests/channels", response_model=list[ChannelOut])
def channels(ws: ActingDep) -> Any:
    """Where each rep's daily digest goes (admins and managers)."""
    return ws.digests.channels()


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["wecom", "dingtalk", "email", "off"]
    address: str | None = Field(None, max_length=2000, description="The robot's webhook, or the e-mail.")
    secret: str | None = Field(None, max_length=200, description="The DingTalk robot's signing secret.")


@router.put("/digests/channels/{rep_id}")
def set_channel(ws: ActingDep, rep_id: RepId, body: ChannelIn) -> dict[str, Any]:
    """Set where ``rep_id``'s digest goes (admins; audited); ``off`` stops it."""
    return ws.digests.set_channel(rep_id, body.channel, body.address, secret=body.secret)


class SendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: IsoDate | None = Field(None, description="The day (default today).")
    reps: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(None, max_length=10_000)
    dry_run: StrictBool = Field(False, description="true: the messages and where they go; nothing sent.")


class Message(BaseModel):
    rep_id: str
    channel: str | None
    to: str | None
    status: Literal["sent", "failed", "dry-run", "no-channel"]
    error: str | None
    title: str
    text: str = Field(description="The message as Markdown (e-mail: as plain text).")
    tasks: int
    holds: int
    pool: int


class SendOut(BaseModel):
    on: str
    dry_run: bool
    counts: dict[str, int]
    messages: list[Message]


@router.post("/digests", response_model=SendOut)
def send(ws: ActingDep, body: SendIn | None = None, lang: Lang | None = None) -> Any:
    """Send each rep's digest of the day by their channel (admins), one message per rep, a
    robot at most 20 a minute; ``dry_run`` previews them (managers too)."""
    body = body or SendIn(on=None, reps=None, dry_run=False)
    return ws.digests.send(on=body.on, reps=body.reps, dry_run=body.dry_run, lang=lang)
