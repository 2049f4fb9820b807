"""The JSON API under ``/api/``: thin routes over :class:`ScopedWorkspace`.

Authentication: ``Authorization: Bearer TOKEN`` (a per-user token from
``tierwise users token NAME``). Every read is scoped to the user; a record outside the
scope answers 404 like a missing one.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from tierwise.access.scoped import ScopedWorkspace
from tierwise.access.users import User, session_user, user_for_token
from tierwise.errors import AuthError, NotFoundError
from tierwise.store.workspace import Workspace
from tierwise.web.session import SESSION_COOKIE, check_csrf

Lang = Literal["en", "zh"]


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD is a date here (pydantic would also read 0.0 as 1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("write the date as YYYY-MM-DD")
    if isinstance(value, int | float):
        raise ValueError("write the date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
RecordId = Annotated[int, PathParam(ge=0, le=2**53)]
PageNo = Annotated[int, Query(ge=1, le=1_000_000)]
Sort = Literal[
    "customer_id",
    "-customer_id",
    "name",
    "-name",
    "revenue",
    "-revenue",
    "orders",
    "-orders",
    "last_order_date",
    "-last_order_date",
    "outstanding",
    "-outstanding",
    "overdue",
    "-overdue",
]


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorOut(BaseModel):
    """Every error the API answers."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (400, "a wrong option"),
        (401, "no or a wrong token"),
        (403, "the role does not allow it"),
        (404, "no such record, or one outside your scope"),
        (422, "a malformed request, or data missing"),
    )
}

router = APIRouter(prefix="/api", responses=ERRORS)


# -- dependencies -----------------------------------------------------------------------
def _workspace(request: Request) -> Iterator[Workspace]:
    with request.app.state.server.workspace() as ws:
        yield ws


WorkspaceDep = Annotated[Workspace, Depends(_workspace)]


def _user(request: Request, ws: WorkspaceDep) -> User:
    """The user of the request's bearer token, or of its page session (then a change needs the
    session's CSRF token in ``X-CSRF-Token``)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user = user_for_token(ws, token.strip())
        if user is None:
            raise AuthError(
                "the token is wrong, revoked, or its user is disabled / 令牌无效、已吊销或用户已停用"
            )
        return user
    sid = request.cookies.get(SESSION_COOKIE)
    found = session_user(ws, sid) if sid else None
    if found is None:
        raise AuthError(
            "sign in: send `Authorization: Bearer TOKEN` (make one with `tierwise users token "
            "NAME`) / 请提供 API 令牌"
        )
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(found[1], request.headers.get("x-csrf-token"))
    return found[0]


CurrentUser = Annotated[User, Depends(_user)]


def _scoped(ws: WorkspaceDep, user: CurrentUser) -> ScopedWorkspace:
    return ScopedWorkspace(ws, user)


ScopedDep = Annotated[ScopedWorkspace, Depends(_scoped)]


def _lang(desk: ScopedWorkspace, lang: Lang | None) -> str:
    return lang or desk.user.lang


# -- models -----------------------------------------------------------------------------
class UserPublic(BaseModel):
    name: str
    role: str
    department: str | None
    rep_id: str | None
    lang: str


class CustomerItem(BaseModel):
    customer_id: str
    name: str | None
    rep_id: str | None
    department: str | None
    region: str | None
    revenue: float | None = Field(description="Revenue in the current snapshot's window.")
    orders: int | None
    last_order_date: date | None
    outstanding: float | None
    overdue: float | None
    classes: dict[str, str] = Field(description="Class per scheme in its current snapshot.")


class CustomerPage(BaseModel):
    items: list[CustomerItem]
    total: int
    page: int
    page_size: int
    sort: str


class TaskItem(BaseModel):
    task_id: str
    kind: str
    customer_id: str
    customer_name: str | None
    rep_id: str | None
    department: str | None
    due_date: date | None
    priority: int | None
    overdue_days: int | None
    scheme: str | None
    class_: str | None = Field(alias="class")
    status: str
    closed_on: date | None
    closed_by_activity: str | None
    reason: str | None

    model_config = ConfigDict(populate_by_name=True)


class TaskPage(BaseModel):
    items: list[TaskItem]
    total: int
    page: int
    page_size: int


class ActivityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    customer_id: str = Field(min_length=1)
    kind: str = Field(
        min_length=1, description="visit, call, message, care, complaint, other (or 拜访, 电话 ...)"
    )
    on: IsoDate | None = Field(None, alias="date", description="The day it happened (default: today).")
    note: str | None = None


class OverrideCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    customer_id: str = Field(min_length=1)
    scheme: str = Field(min_length=1)
    class_: str = Field(alias="class", min_length=1)
    reason: str = Field(min_length=1)
    until: IsoDate | None = None


class OverrideApproval(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = None


class OverrideRejection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1)


# -- routes -----------------------------------------------------------------------------
@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> dict[str, Any]:
    """The signed-in user."""
    return user.to_json()


CustomerFilters = dict[str, Any]


def _filters(
    q: Annotated[str | None, Query(max_length=200, description="Text in the id or name.")] = None,
    scheme: str | None = None,
    klass: Annotated[
        str | None, Query(alias="class", description="Class id(s), comma separated; needs scheme.")
    ] = None,
    rep_id: str | None = None,
    department: str | None = None,
    region: str | None = None,
    tag: Annotated[str | None, Query(description="Text in the customer's flag column.")] = None,
    sort: Annotated[Sort, Query(description="A column; '-' first for descending.")] = "customer_id",
) -> CustomerFilters:
    return {
        "q": q,
        "scheme": scheme,
        "klass": klass,
        "rep_id": rep_id,
        "department": department,
        "region": region,
        "tag": tag,
        "sort": sort,
    }


FiltersDep = Annotated[CustomerFilters, Depends(_filters)]


@router.get("/customers", response_model=CustomerPage)
def customers(
    desk: ScopedDep,
    filters: FiltersDep,
    page: PageNo = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Customers in your scope matching the filters, one page at a time, with ``total``."""
    return desk.customers(**filters, page=page, page_size=page_size)


@router.get(
    "/exports/customers",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            }
        }
    },
)
def export_customers(
    desk: ScopedDep, filters: FiltersDep, format: Literal["csv", "xlsx"] = "csv"
) -> Response:
    """Every customer of the filter in your scope, as CSV (UTF-8 with BOM) or XLSX."""
    return export_response(desk, filters, format)


def export_response(desk: ScopedWorkspace, filters: dict[str, Any], format: str) -> Response:
    """The customers of ``filters`` in ``desk``'s scope as a CSV or XLSX download."""
    import pyarrow.csv as pcsv

    table = desk.export_customers(**filters)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    if format == "xlsx":
        from tierwise.schemes.store import write_export

        tmp = desk.ws.path.parent / f".export-{secrets.token_hex(6)}.xlsx"
        try:
            write_export(table, tmp, sheet="customers")
            body = tmp.read_bytes()
        finally:
            tmp.unlink(missing_ok=True)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        buf = io.BytesIO()
        buf.write("\ufeff".encode())
        pcsv.write_csv(table, buf)
        body, media = buf.getvalue(), "text/csv; charset=utf-8"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="customers-{stamp}.{format}"'},
    )


@router.get("/customers/{customer_id}")
def customer(desk: ScopedDep, customer_id: str, lang: Lang | None = None) -> dict[str, Any]:
    """One customer: profile, facts, class per scheme with reasons and history, overrides,
    open tasks, latest orders, payments and follow-ups."""
    return desk.customer(customer_id, lang=_lang(desk, lang))


class CreditLimit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: str | None = Field(
        max_length=40, description="Yuan as typed (100,000 or ¥5000); null or 'none' removes the limit."
    )
    reason: str = Field(min_length=1, max_length=500)


@router.put("/customers/{customer_id}/credit-limit")
def set_credit_limit(desk: ScopedDep, customer_id: str, body: CreditLimit) -> dict[str, Any]:
    """Set a customer's credit limit (managers for their department, admins); audited."""
    return desk.set_credit_limit(customer_id, body.limit, reason=body.reason)


@router.get("/tasks", response_model=TaskPage, response_model_by_alias=True)
def tasks(
    desk: ScopedDep,
    status: Literal["open", "done", "lapsed", "all"] = "open",
    due_by: IsoDate | None = None,
    rep_id: str | None = None,
    kind: str | None = None,
    customer_id: str | None = None,
    lang: Lang | None = None,
    page: PageNo = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Tasks of the customers in your scope (a rep: yours), by due date then priority."""
    return desk.tasks(
        status=status,
        due_by=due_by,
        rep_id=rep_id,
        kind=kind,
        customer_id=customer_id,
        lang=_lang(desk, lang),
        page=page,
        page_size=page_size,
    )


@router.post("/activities", status_code=201)
def add_activity(desk: ScopedDep, body: ActivityCreate) -> dict[str, Any]:
    """Log a follow-up with a customer in your scope; the open tasks it does close (listed
    in ``closed``)."""
    return desk.log_activity(body.customer_id, body.kind, day=body.on, note=body.note)


@router.get("/overrides")
def overrides(
    desk: ScopedDep,
    status: Literal["proposed", "active", "expired", "rejected", "cleared"] | None = None,
    customer_id: str | None = None,
) -> dict[str, Any]:
    """Class overrides of the customers in your scope, newest first."""
    items = desk.overrides(status=status, customer_id=customer_id)
    return {"items": items, "total": len(items)}


@router.post("/overrides", status_code=201)
def propose_override(desk: ScopedDep, body: OverrideCreate) -> dict[str, Any]:
    """Propose holding a customer at a class; someone else (a manager) approves it."""
    return desk.propose_override(
        body.customer_id, body.scheme, body.class_, reason=body.reason, until=body.until
    )


@router.post("/overrides/{override_id}/approve")
def approve_override(
    desk: ScopedDep, override_id: RecordId, body: OverrideApproval | None = None
) -> dict[str, Any]:
    """Approve a proposed override (managers and admins; not its proposer)."""
    return desk.approve_override(override_id, note=body.note if body else None)


@router.post("/overrides/{override_id}/reject")
def reject_override(desk: ScopedDep, override_id: RecordId, body: OverrideRejection) -> dict[str, Any]:
    """Reject a proposed override, saying why (managers and admins)."""
    return desk.reject_override(override_id, reason=body.reason)


@router.get("/schemes")
def schemes(desk: ScopedDep, lang: Lang | None = None) -> dict[str, Any]:
    """Every scheme, whether its data is present, its classes and its current snapshot."""
    items = desk.schemes(lang=_lang(desk, lang))
    return {"items": items, "total": len(items)}


@router.get("/reports/sales")
def sales_report(
    desk: ScopedDep,
    by: str = "period",
    period: Literal["year", "quarter", "month", "week", "day"] = "month",
    start: Annotated[IsoDate | None, Query(alias="from")] = None,
    end: Annotated[IsoDate | None, Query(alias="to")] = None,
    scheme: str | None = None,
) -> dict[str, Any]:
    """Sales by period and dimension (of the customers in your scope), as ``tierwise sales``."""
    from tierwise.reports.sales import parse_by

    table = desk.sales(parse_by(by), period=period, start=start, end=end, scheme=scheme)
    rows = table.to_pylist()
    for r in rows:
        for k in ("revenue", "gross_profit"):
            r[k] = float(r[k]) if r.get(k) is not None else None
    return {"columns": table.column_names, "items": rows, "total": len(rows)}


TABLES = Literal["customers", "orders", "payments", "activities", "reps", "products"]


@router.post("/imports", status_code=201)
def run_import(
    desk: ScopedDep,
    table: Annotated[TABLES, Form()],
    file: Annotated[UploadFile, File()],
    strict: Annotated[bool, Form()] = False,
    dry_run: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """Import an uploaded file (admins): the summary, with rows read = accepted + rejected;
    the rejected rows are at ``/api/imports/{import_id}/rejected``."""
    from tierwise.access.files import import_upload

    out = import_upload(desk, table, file.filename or "upload", file.file, strict=strict, dry_run=dry_run)
    out["rejected_url"] = (
        f"/api/imports/{out['import_id']}/rejected" if out.pop("has_rejected_file") else None
    )
    return out


@router.get(
    "/imports/{import_id}/rejected",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def rejected_rows(desk: ScopedDep, import_id: RecordId) -> FileResponse:
    """The rejected rows of an import, with the reason of each (admins)."""
    from tierwise.access.files import rejected_file

    path = rejected_file(desk, import_id)
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename=path.name)


class SchemeText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=200_000, description="The scheme's YAML.")


@router.get("/schemes/{name}")
def scheme_text(desk: ScopedDep, name: str) -> dict[str, Any]:
    """A scheme's YAML, as you would edit it."""
    from tierwise.schemes import registry

    desk.require("schemes.read")
    files = registry.all_schemes(desk.ws.path)
    if name not in files:
        raise NotFoundError(f"no scheme {name!r} / 没有方案 {name!r}")
    return {"name": name, "text": files[name].text, "preset": files[name].is_preset}


@router.post("/schemes/{name}/check")
def check_scheme(desk: ScopedDep, name: str, body: SchemeText) -> dict[str, Any]:
    """Validate an edited scheme with the messages of `tierwise schemes validate` (400 with the
    field and the fix when it is wrong)."""
    from tierwise.access.files import check_scheme as check

    return check(desk, name, body.text)


@router.put("/schemes/{name}")
def save_scheme(desk: ScopedDep, name: str, body: SchemeText) -> dict[str, Any]:
    """Save an edited scheme into the workspace (admins); it applies from the next classification."""
    from tierwise.access.files import save_scheme as save

    return save(desk, name, body.text)
