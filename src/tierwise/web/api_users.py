"""Users and API tokens over the API (admins), for when the server holds the workspace and
the ``tierwise users`` commands cannot open it."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from tierwise.web.api import ERRORS, ActingDep, RecordId

router = APIRouter(prefix="/api", responses=ERRORS)

Role = Literal["admin", "manager", "rep", "viewer"]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=64)
    role: Role
    password: str = Field(min_length=1, max_length=200)
    department: str | None = None
    rep_id: str | None = None
    lang: Literal["en", "zh"] | None = Field(
        None, description="Pages' language; left out, the user's first sign-in keeps their browser's."
    )


class UserChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    department: str | None = None
    rep_id: str | None = None
    password: str | None = Field(None, min_length=1, max_length=200)
    disabled: StrictBool | None = None
    lang: Literal["en", "zh"] | None = None


@router.get("/users")
def users(ws: ActingDep) -> dict[str, Any]:
    """Every user, with role, scope and live tokens (admins)."""
    items = ws.users.list()
    return {"items": items, "total": len(items)}


@router.get("/users/{name}")
def user(ws: ActingDep, name: str) -> dict[str, Any]:
    """One user with role, scope and language (admins; anyone may read their own)."""
    return ws.users.get(name).to_json()


@router.post("/users", status_code=201)
def add_user(ws: ActingDep, body: UserCreate) -> dict[str, Any]:
    """Add a user (admins); the password is hashed with Argon2id."""
    return ws.users.add(
        body.name,
        body.role,
        password=body.password,
        department=body.department,
        rep_id=body.rep_id,
        lang=body.lang,
    ).to_json()


@router.patch("/users/{name}")
def change_user(ws: ActingDep, name: str, body: UserChange) -> dict[str, Any]:
    """Change a user's role, scope, password, language or disabled flag (admins)."""
    return ws.users.change(name, **body.model_dump(exclude_unset=True)).to_json()


@router.post("/users/{name}/tokens", status_code=201)
def new_token(ws: ActingDep, name: str) -> dict[str, Any]:
    """A new API token for the user (admins); the secret is in this answer only."""
    return ws.users.token(name)


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response)
def revoke(ws: ActingDep, token_id: RecordId) -> Response:
    """Revoke an API token (admins): it stops working at once."""
    ws.users.revoke(token_id)
    return Response(status_code=204)


@router.get("/tokens")
def tokens(ws: ActingDep, user: str | None = None) -> dict[str, Any]:
    """API tokens (never their secrets), of one user or all (admins)."""
    items = ws.users.tokens(user)
    return {"items": items, "total": len(items)}
