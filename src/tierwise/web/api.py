"""The JSON API under ``/api/``: thin routes over the facade (:class:`tierwise.Workspace`),
acting as the signed-in user.

Authentication: ``Authorization: Bearer TOKEN`` (a per-user token from
``tierwise users token NAME``). Every read is scoped to the user; a record outside the
scope answers 404 like a missing one.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import pyarrow as pa
from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from tierwise.access.users import User, session_user, user_for_token
from tierwise.errors import AuthError
from tierwise.web.money import ApiJSON, Money
from tierwise.web.session import SESSION_COOKIE, check_csrf
from tierwise.workspace import Workspace

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
        (413, "the body is over its address's limit (1 MiB; a scheme 4 MiB; an upload 256 MiB)"),
        (422, "a malformed request, or data missing"),
    )
}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
router = APIRouter(prefix="/api", responses=ERRORS)


# -- dependencies -----------------------------------------------------------------------
def _workspace(request: Request) -> Iterator[Workspace]:
    """The workspace over a fresh cursor, acting as nobody until the user is known."""
    with request.app.state.server.workspace() as ws:
        yield ws


WorkspaceDep = Annotated[Workspace, Depends(_workspace)]


def user_of_request(request: Request, ws: WorkspaceDep) -> User:
    """The user of the request's bearer token, or of its page session (then a change needs the
    session's CSRF token in ``X-CSRF-Token``)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user = user_for_token(ws.db, token.strip())
        if user is None:
            raise AuthError(
                "the token is wrong, revoked, or its user is disabled / 令牌无效、已吊销或用户已停用"
            )
        return user
    sid = request.cookies.get(SESSION_COOKIE)
    found = session_user(ws.db, sid) if sid else None
    if found is None:
        raise AuthError(
            "sign in: send `Authorization: Bearer TOKEN` (make one with `tierwise users token "
            "NAME`) / 请提供 API 令牌"
        )
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(found[1], request.headers.get("x-csrf-token"))
    return found[0]


CurrentUser = Annotated[User, Depends(user_of_request)]


def _acting(ws: WorkspaceDep, user: CurrentUser) -> Workspace:
    return ws.acting_as(user)


ActingDep = Annotated[Workspace, Depends(_acting)]


# -- models -----------------------------------------------------------------------------
class UserPublic(BaseModel):
    name: str
    role: str
    department: str | None
    rep_id: str | None
    lang: str | None = Field(None, description="en or zh; null until chosen (the first sign-in keeps the "
                             "browser's)")


class CustomerItem(BaseModel):
    customer_id: str
    name: str | None
    rep_id: str | None
    department: str | None
    region: str | None
    revenue: Money | None = Field(description="Revenue in the current snapshot's window.")
    orders: int | None
    last_order_date: date | None
    outstanding: Money | None
    overdue: Money | None
    classes: dict[str, str] = Field(description="Class per scheme in its current snapshot.")


class CustomerPage(BaseModel):
    items: list[CustomerItem]
    total: int
    page: int
    page_size: int
    sort: str
    currency: str = Field(description="ISO code of the money in the items (CNY, GBP ...).")


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
class Language(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Literal["en", "zh"]


@router.put("/me/language", response_model=UserPublic)
def set_language(ws: ActingDep, body: Language) -> dict[str, Any]:
    """Your own language for pages and messages."""
    return ws.users.set_language(body.lang).to_json()


@router.get("/me", response_model=UserPublic)
def me(ws: ActingDep) -> dict[str, Any]:
    """The signed-in user."""
    return ws.users.me().to_json()


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
    ws: ActingDep,
    filters: FiltersDep,
    page: PageNo = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Customers in your scope matching the filters, one page at a time, with ``total``."""
    return ws.customers.list(**filters, page=page, page_size=page_size)


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
    ws: ActingDep, filters: FiltersDep, format: Literal["csv", "xlsx"] = "csv", lang: Lang | None = None
) -> Response:
    """Every customer of the filter in your scope, as CSV (UTF-8 with BOM) or XLSX, with the
    class in each scheme the list shows; headers in ``lang`` (default: yours)."""
    return export_response(ws, filters, format, lang)


def export_response(ws: Workspace, filters: dict[str, Any], format: str, lang: str | None = None) -> Response:
    """The customers of ``filters`` in the actor's scope as a CSV or XLSX download."""
    return table_download(ws.customers.export(**filters, lang=lang), "customers", format)


def table_download(table: pa.Table, stem: str, format: str) -> Response:
    """``table`` as a download: CSV (UTF-8 with BOM, so Excel reads the Chinese) or XLSX (one
    Excel table; text that looks like a formula stays text)."""
    import pyarrow.csv as pcsv

    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    if format == "xlsx":
        from tierwise.schemes.store import write_export

        with tempfile.TemporaryDirectory(prefix="tierwise-export-") as folder:
            path = Path(folder) / f"{stem}.xlsx"
            write_export(table, path, sheet=stem)
            body, media = path.read_bytes(), XLSX
    else:
        buf = io.BytesIO()
        buf.write("\ufeff".encode())
        from tierwise.data.csvsafe import csv_safe

        pcsv.write_csv(csv_safe(table), buf)
        body, media = buf.getvalue(), "text/csv; charset=utf-8"
    disposition = f'attachment; filename="{stem}-{stamp}.{format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/customers/{customer_id:cid}")
def customer(ws: ActingDep, customer_id: str, lang: Lang | None = None) -> dict[str, Any]:
    """One customer: profile, facts, class per scheme with reasons and history, overrides,
    open tasks, latest orders, payments and follow-ups."""
    return ws.customers.get(customer_id, lang=lang)


class HandoverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=50, description="The rep who takes them; several spread them by room.")
    customer_ids: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        None, max_length=100_000, description="These customers (else every customer of from_rep).")
    from_rep: str | None = Field(None, max_length=64, description="A leaving rep: all their customers.")
    reason: str | None = Field(None, max_length=500, description="For the audit trail; needed to apply.")
    apply: StrictBool = Field(False, description="false: a preview of the moves; true: hand them over.")


@router.post("/handovers")
def handover(ws: ActingDep, body: HandoverIn) -> dict[str, Any]:
    """Hand customers over to another rep (managers: to reps of their department): previewed
    unless ``apply``; open tasks follow; each customer audited with the reason."""
    done = ws.customers.handover(body.to, customer_ids=body.customer_ids, from_rep=body.from_rep,
                                 reason=body.reason, apply=body.apply)
    return done.to_json()


class CreditLimit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: str | None = Field(
        max_length=40, description="Yuan as typed (100,000 or ¥5000); null or 'none' removes the limit."
    )
    reason: str = Field(min_length=1, max_length=500)


@router.put("/customers/{customer_id:cid}/credit-limit")
def set_credit_limit(ws: ActingDep, customer_id: str, body: CreditLimit) -> dict[str, Any]:
    """Set a customer's credit limit (managers for their department, admins); audited. A limit
    above an approval chain's amount waits for the chain instead: ``pending`` is its request
    (``new`` stays null until the last step approves it)."""
    return ws.credit.set_limit(customer_id, body.limit, reason=body.reason)


class CreditDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: str = Field(min_length=1, max_length=40, description="Yuan as typed (50,000 or ¥5000).")
    reason: str = Field(min_length=1, max_length=500)


class ReleaseIn(CreditDecisionIn):
    until: IsoDate | None = Field(None, description="Until this day (default: a week on).")


@router.post("/customers/{customer_id:cid}/credit-releases", status_code=201)
def credit_release(ws: ActingDep, customer_id: str, body: ReleaseIn) -> dict[str, Any]:
    """Let orders of up to ``amount`` ship for a customer on credit hold (managers; above a
    ``hold_release`` approval chain's amount, ``pending`` is the chain's request)."""
    return ws.credit.release(customer_id, body.amount, reason=body.reason, until=body.until)


@router.post("/customers/{customer_id:cid}/order-refusals", status_code=201)
def order_refusal(ws: ActingDep, customer_id: str, body: CreditDecisionIn) -> dict[str, Any]:
    """Record a refused order and why; for a customer of a class an ``order_refusal`` chain
    covers (A), ``pending`` is the chain's request."""
    return ws.credit.refuse(customer_id, body.amount, reason=body.reason)


@router.get("/tasks", response_model=TaskPage, response_model_by_alias=True)
def tasks(
    ws: ActingDep,
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
    return ws.tasks.list(
        status=status,
        due_by=due_by,
        rep_id=rep_id,
        kind=kind,
        customer_id=customer_id,
        lang=lang,
        page=page,
        page_size=page_size,
    )


@router.post("/activities", status_code=201)
def add_activity(
    ws: ActingDep,
    body: ActivityCreate,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", description="Sent again within 24 h: the first result.")
    ] = None,
) -> dict[str, Any]:
    """Log a follow-up with a customer in your scope; the open tasks it does close (listed
    in ``closed``). The same ``Idempotency-Key`` again returns the first result."""
    return ws.activities.add(body.customer_id, body.kind, day=body.on, note=body.note,
                             idempotency_key=idempotency_key)


@router.get("/overrides")
def overrides(
    ws: ActingDep,
    status: Literal["proposed", "active", "expired", "rejected", "cleared"] | None = None,
    customer_id: str | None = None,
) -> dict[str, Any]:
    """Class overrides of the customers in your scope, newest first."""
    items = [o.to_json() for o in ws.overrides.list(status=status, customer_id=customer_id)]
    return {"items": items, "total": len(items)}


@router.post("/overrides", status_code=201)
def propose_override(ws: ActingDep, body: OverrideCreate) -> dict[str, Any]:
    """Propose holding a customer at a class; someone else (a manager) approves it."""
    return ws.overrides.propose(
        body.customer_id, body.scheme, body.class_, reason=body.reason, until=body.until
    ).to_json()


@router.post("/overrides/{override_id}/approve")
def approve_override(
    ws: ActingDep, override_id: RecordId, body: OverrideApproval | None = None
) -> dict[str, Any]:
    """Approve a proposed override (managers and admins; not its proposer)."""
    return ws.overrides.approve(override_id, note=body.note if body else None).to_json()


@router.post("/overrides/{override_id}/reject")
def reject_override(ws: ActingDep, override_id: RecordId, body: OverrideRejection) -> dict[str, Any]:
    """Reject a proposed override, saying why (managers and admins)."""
    return ws.overrides.reject(override_id, reason=body.reason).to_json()


@router.get("/schemes")
def schemes(ws: ActingDep, lang: Lang | None = None) -> dict[str, Any]:
    """Every scheme, whether its data is present, its classes and its current snapshot."""
    items = ws.schemes.list(lang=lang)
    return {"items": items, "total": len(items)}


@router.get("/reports/sales")
def sales_report(
    ws: ActingDep,
    by: str = "period",
    period: Literal["year", "quarter", "month", "week", "day"] = "month",
    start: Annotated[IsoDate | None, Query(alias="from")] = None,
    end: Annotated[IsoDate | None, Query(alias="to")] = None,
    scheme: str | None = None,
) -> dict[str, Any]:
    """Sales by period and dimension (of the customers in your scope), as ``tierwise sales``."""
    from tierwise.reports.sales import parse_by

    table = ws.reports.sales(parse_by(by), period=period, start=start, end=end, scheme=scheme)
    rows = table.to_pylist()
    for r in rows:
        for k in ("revenue", "gross_profit"):
            r[k] = float(r[k]) if r.get(k) is not None else None
    return {"columns": table.column_names, "items": rows, "total": len(rows)}


class ServiceClass(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    class_: str = Field(alias="class")
    label: str
    customers: int
    planned_visits: float = Field(description="Σ days of the period / the customer's visit cadence.")
    visits: int
    planned_contacts: float = Field(description="Σ days / the shorter of visit and call cadence.")
    contacts: int = Field(description="Visits, calls, messages and care touches logged in the period.")
    planned_per_customer: float | None
    contacts_per_customer: float | None
    coverage: float | None = Field(description="contacts / planned_contacts; null without a plan.")
    never_visited: int = Field(description="Customers with visits planned and none logged.")
    never_contacted: int
    effort_share: float | None = Field(description="The class's share of all contacts.")
    revenue: Money = Field(description="Revenue of the period's orders.")
    revenue_share: float | None
    inverted: bool = Field(description="Served more per customer than the class just above (倒置).")


class ServiceRep(BaseModel):
    rep_id: str | None = Field(description="null: customers without a rep.")
    customers: int
    planned_visits: float
    visits: int
    planned_contacts: float
    contacts: int
    coverage: float | None
    never_visited: int
    top_never_visited: int = Field(description="Customers of the scheme's top class never visited.")


class Pair(BaseModel):
    lower: str
    higher: str


class ServiceOut(BaseModel):
    scheme: str
    title: str
    start: str
    end: str
    days: int
    classes: list[ServiceClass]
    reps: list[ServiceRep] = Field(description="The reps with the least coverage first.")
    inverted: list[Pair] = Field(description="Classes served more per customer than the class above (倒置).")
    plan_inverted: list[Pair] = Field(description="The same of the playbooks' plan.")
    flat: bool = Field(description="The top class served under 1.5x the bottom one per customer (大锅饭).")
    warnings: list[str] = Field(description="The findings above as sentences in the asked language.")


@router.get("/reports/service", response_model=ServiceOut)
def service_report(
    ws: ActingDep,
    scheme: str | None = None,
    start: Annotated[IsoDate | None, Query(alias="from")] = None,
    end: Annotated[IsoDate | None, Query(alias="to")] = None,
    lang: Lang | None = None,
) -> dict[str, Any]:
    """Service given against the plan per class and per rep (of the customers in your scope), as
    ``tierwise service``: default the main grade over the 90 days to its classification."""
    found = ws.reports.service(scheme=scheme, start=start, end=end, lang=lang)
    return found.to_json(ws.lang(lang))


TABLES = Literal["customers", "orders", "payments", "activities", "reps", "products", "targets"]


@router.post("/imports", status_code=201, responses={202: {"description": "Importing: poll the job at the "
                                                                        "Location header."}})
def run_import(
    ws: ActingDep,
    table: Annotated[TABLES, Form()],
    file: Annotated[UploadFile, File()],
    strict: Annotated[bool, Form()] = False,
    dry_run: Annotated[bool, Form()] = False,
    wait: Annotated[float, Query(ge=0, le=60, description="Seconds to wait for the import job.")] = 0,
) -> Any:
    """Import an uploaded file (admins) as a job: done within ``wait``, the summary, with rows
    read = accepted + rejected and the rejected rows at ``/api/imports/{import_id}/rejected``;
    else the job (202)."""
    return upload_summary(ws, table, file, strict=strict, dry_run=dry_run, api=True, wait=wait)


@router.get(
    "/imports/{import_id}/rejected",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def rejected_rows(ws: ActingDep, import_id: RecordId) -> FileResponse:
    """The rejected rows of an import, with the reason of each (admins)."""
    path = ws.imports.rejected_file(import_id)
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename=path.name)


class SchemeText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=200_000, description="The scheme's YAML.")


@router.get("/schemes/{name}")
def scheme_text(ws: ActingDep, name: str) -> dict[str, Any]:
    """A scheme's YAML, as you would edit it."""
    return ws.schemes.text(name)


@router.post("/schemes/{name}/check")
def check_scheme(ws: ActingDep, name: str, body: SchemeText) -> dict[str, Any]:
    """Validate an edited scheme with the messages of `tierwise schemes validate` (400 with the
    field and the fix when it is wrong)."""
    return ws.schemes.check(name, body.text)


@router.put("/schemes/{name}")
def save_scheme(ws: ActingDep, name: str, body: SchemeText) -> dict[str, Any]:
    """Save an edited scheme into the workspace (admins); it applies from the next classification."""
    return ws.schemes.save(name, body.text)


def upload_summary(
    ws: Workspace, table: str, file: UploadFile, *, strict: bool, dry_run: bool, api: bool, wait: float
) -> Any:
    """Import an uploaded file as the actor, as a job: the summary (with where the rejected
    rows are) when it is done within ``wait`` seconds, else the job (202)."""

    from tierwise.data.importer import ImportOptions
    from tierwise.web.api_jobs import started

    options = ImportOptions(strict=strict, dry_run=dry_run, lang=ws.lang(), by=ws.actor.name)
    path = ws.imports.keep_upload(file.filename or "upload", file.file)

    def summary(result: Any, _job: dict[str, Any]) -> Any:
        out = result.to_json()
        out["file"] = Path(file.filename or "upload").name
        has_rejected = bool(result.rejected_file) and result.import_id is not None
        out.pop("rejected_file", None)
        prefix = "/api/imports" if api else "/import"
        out["rejected_url"] = f"{prefix}/{out['import_id']}/rejected" if has_rejected else None
        return ApiJSON(out, status_code=201) if api else out

    return started(ws, "import", table, path, options, wait=wait, render=summary)
