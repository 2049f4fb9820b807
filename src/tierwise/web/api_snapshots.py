"""API routes over the facade's services (see :mod:`tierwise.web.api` for the dependencies):
classifying, snapshots, migration, a customer's class history, the classes of a snapshot,
copying a scheme, setting and clearing overrides, the audit trail and customer attributes.

Each route parses, calls one service operation acting as the signed-in user, and returns its
answer; the roles and scopes are checked by the services.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from tierwise.web.api import ERRORS, XLSX, ActingDep, IsoDate, Lang, PageNo, table_download
from tierwise.web.api_jobs import ACCEPTED, Wait, started
from tierwise.web.money import Money

router = APIRouter(prefix="/api", responses=ERRORS)

SchemeName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
CustomerId = Annotated[str, PathParam(min_length=1, max_length=200)]
Key = Annotated[str, PathParam(min_length=1, max_length=64)]  # a scheme or attribute name
SnapshotId = Annotated[int | None, Query(ge=0, le=2**53, description="Snapshot id (default: the latest).")]


# -- models -----------------------------------------------------------------------------
class ClassifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schemes: list[SchemeName] | None = Field(
        None, max_length=50, description="Scheme names (default: every scheme whose data is present)."
    )
    as_of: IsoDate | None = Field(None, description="Evaluation day (default: the latest order date).")
    due: StrictBool = Field(False, description="Only if the schedule setting calls for an evaluation now.")


class ClassCount(BaseModel):
    customers: int
    revenue: Money


class ClassifySummary(BaseModel):
    """What ``tierwise classify --json`` prints: the snapshot and its class counts; with ``due``,
    also whether it ran, and if not, why and when next."""

    due: bool | None = None
    snapshot_id: int | None = None
    as_of: date | None = None
    schemes: dict[str, dict[str, ClassCount]] | None = Field(None, description="Scheme → class → counts.")
    skipped: dict[str, str] | None = Field(None, description="Schemes not run, and why.")
    notes: list[str] | None = None
    reason: str | None = Field(None, description="Why it is (not) due, in English.")
    reason_zh: str | None = None
    next: date | None = Field(None, description="First day of the next evaluation period.")


class SnapshotItem(BaseModel):
    snapshot_id: int
    as_of: date
    created_at: str
    engine: str
    customers: int | None
    schemes: list[str]
    assignments: int


class SnapshotList(BaseModel):
    items: list[SnapshotItem]
    total: int


class RevenueCell(BaseModel):
    before: Money | None
    after: Money | None


class MigrationOut(BaseModel):
    """Moves of one scheme's classes between two snapshots (rows: earlier class, columns: later;
    ``(new)`` and ``(out)`` for customers entering and leaving the population)."""

    model_config = ConfigDict(populate_by_name=True)

    scheme: str
    from_: int = Field(alias="from")
    to: int
    matrix: dict[str, dict[str, int]]
    revenue: dict[str, dict[str, RevenueCell]]
    upgrades: int
    downgrades: int
    from_as_of: date
    to_as_of: date
    coverage: dict[str, float | None] = Field(
        default_factory=dict, description="The share of each side's window (before, after) the orders "
        "cover; a side covered less than 75% has its revenue left empty (null), with a note.")
    notes: list[dict[str, str]] = Field(default_factory=list, description="Why revenue is empty: {en, zh}.")


class OverrideOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    override_id: int
    customer_id: str
    scheme: str
    class_: str = Field(alias="class")
    reason: str
    until: date | None
    status: str
    state: str = Field(description="The status, with an active override past its date as expired.")
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    approval: dict[str, Any] | None = Field(
        None, description="The approval chain's progress when one applies (see /api/approvals): chain, "
                          "path, steps, done, status, next, decisions.")


class HistoryRow(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    snapshot_id: int
    as_of: date
    scheme: str
    class_: str = Field(alias="class")
    label: str | None
    computed_class: str | None = Field(description="The computed class, when an override holds another.")
    override_id: int | None
    provisional_until: date | None
    score: float | None
    reason: str | None


class HistoryOut(BaseModel):
    customer_id: str
    history: list[HistoryRow]
    overrides: list[OverrideOut]


class ClassRow(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    snapshot_id: int
    as_of: date
    customer_id: str
    scheme: str
    class_: str = Field(alias="class")
    label_zh: str | None
    label_en: str | None
    computed_class: str | None
    override_id: int | None
    provisional_until: date | None
    reason: str | None


class ClassPage(BaseModel):
    items: list[ClassRow]
    total: int
    page: int
    page_size: int


class SchemeCopy(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: SchemeName = Field(alias="from", description="The preset or scheme to copy.")
    force: StrictBool = Field(False, description="Overwrite the workspace's file of that name.")


class SchemeCopied(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str
    from_: str = Field(alias="from")
    path: str


class OverrideSet(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    customer_id: str = Field(min_length=1, max_length=200)
    scheme: str = Field(min_length=1, max_length=64)
    class_: str = Field(alias="class", min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=500)
    until: IsoDate | None = Field(None, description="The day it expires (default: until cleared).")


class OverrideClear(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: str = Field(min_length=1, max_length=200)
    scheme: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=500)


class AuditRow(BaseModel):
    audit_id: int
    changed_at: str
    actor: str
    action: str
    customer_id: str | None
    scheme: str | None
    subject: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None


class AuditList(BaseModel):
    items: list[AuditRow]
    total: int


class AuditCheck(BaseModel):
    ok: bool
    rows: int
    first_bad: int | None = Field(description="The first row edited (or after one removed) outside tierwise.")


class AttributeValue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str | None = Field(max_length=200, description="The value; null clears it.")
    reason: str = Field(min_length=1, max_length=500)


class AttributeChange(BaseModel):
    customer_id: str
    key: str
    old: str | None
    new: str | None


# -- classifying and snapshots ------------------------------------------------------------
@router.post("/classify", response_model=ClassifySummary, response_model_exclude_unset=True,
             responses=ACCEPTED)
def classify(ws: ActingDep, body: ClassifyRequest, wait: Wait = 0) -> Any:
    """Classify and store a snapshot (admins and managers) as a job; with ``due``, only when the
    schedule calls for it. Done within ``wait``: answers as ``tierwise classify --json``."""
    return started(ws, "classify", body.schemes, as_of=body.as_of, due=body.due, wait=wait,
                   render=lambda result, _job: result.to_json())


@router.get("/snapshots", response_model=SnapshotList)
def snapshots(ws: ActingDep) -> dict[str, Any]:
    """The stored classifications, newest first."""
    items = ws.snapshots.list()
    return {"items": items, "total": len(items)}


class CurrentScheme(BaseModel):
    snapshot_id: int
    as_of: str
    window: str
    roles: list[str]


class CurrentOut(BaseModel):
    snapshot_id: int | None = Field(description="The snapshot the key figures read (None: none yet).")
    window: str | None
    schemes: dict[str, CurrentScheme] = Field(description="Each scheme's current snapshot and its roles.")


@router.get("/snapshots/current", response_model=CurrentOut)
def current_snapshots(ws: ActingDep) -> dict[str, Any]:
    """The current classification: each scheme's current snapshot, and the one the figures read."""
    return ws.snapshots.current()


@router.get("/migration", response_model=MigrationOut)
def migration(
    ws: ActingDep,
    scheme: Annotated[str, Query(min_length=1, max_length=64)],
    start: Annotated[int | None, Query(alias="from", ge=0, le=2**53, description="Earlier snapshot.")] = None,
    end: Annotated[int | None, Query(alias="to", ge=0, le=2**53, description="Later snapshot.")] = None,
) -> dict[str, Any]:
    """How a scheme's classes moved between two snapshots (default: the latest two): counts and
    revenue per cell, upgrades and downgrades (admins: it counts every customer)."""
    return ws.snapshots.migration(scheme, start=start, end=end).to_json()


@router.get("/customers/{customer_id:cid}/history", response_model=HistoryOut)
def history(
    ws: ActingDep, customer_id: CustomerId, scheme: str | None = None, lang: Lang | None = None
) -> dict[str, Any]:
    """A customer's class per scheme in every snapshot, with reasons, and their overrides."""
    return ws.snapshots.history(customer_id, scheme=scheme, lang=lang).to_json()


ClassQuery = Annotated[str | None, Query(alias="class", max_length=64, description="Only this class.")]
Provisional = Annotated[bool, Query(description="Only provisional classes (young customers).")]
Overridden = Annotated[bool, Query(description="Only classes held by an override.")]


@router.get("/classes", response_model=ClassPage)
def classes(
    ws: ActingDep,
    snapshot_id: SnapshotId = None,
    scheme: Annotated[str | None, Query(max_length=64)] = None,
    klass: ClassQuery = None,
    provisional: Provisional = False,
    overridden: Overridden = False,
    lang: Lang | None = None,
    page: PageNo = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """The customers in your scope and their class per scheme in a snapshot, best class first."""
    return ws.snapshots.classes(
        snapshot_id=snapshot_id, scheme=scheme, klass=klass, provisional=provisional, overridden=overridden,
        lang=lang, page=page, page_size=page_size,
    )




@router.get(
    "/exports/classes",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, XLSX: {}}}},
)
def export_classes(
    ws: ActingDep,
    snapshot_id: SnapshotId = None,
    scheme: Annotated[str | None, Query(max_length=64)] = None,
    klass: ClassQuery = None,
    provisional: Provisional = False,
    overridden: Overridden = False,
    lang: Lang | None = None,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """Every row of ``/api/classes`` (your scope, no paging) as CSV (UTF-8 with BOM) or XLSX."""
    table = ws.snapshots.export_classes(
        snapshot_id=snapshot_id, scheme=scheme, klass=klass, provisional=provisional, overridden=overridden,
        lang=lang,
    )
    return table_download(table, "classes", format)


# -- schemes --------------------------------------------------------------------------------
@router.post("/schemes/{name}/copy", status_code=201, response_model=SchemeCopied)
def copy_scheme(ws: ActingDep, name: Key, body: SchemeCopy) -> dict[str, Any]:
    """Copy a preset (or scheme) into the workspace's schemes/ folder as ``name``, for editing
    (admins); it overrides a preset of that name from the next classification."""
    return ws.schemes.new(name, body.from_, force=body.force)


# -- overrides ------------------------------------------------------------------------------
@router.post("/overrides/set", status_code=201, response_model=OverrideOut)
def set_override(ws: ActingDep, body: OverrideSet) -> dict[str, Any]:
    """Hold a customer at a class now (managers and admins): it wins over the computed class
    until cleared or ``until``."""
    return ws.overrides.set(
        body.customer_id, body.scheme, body.class_, reason=body.reason, until=body.until
    ).to_json()


@router.post("/overrides/clear", response_model=OverrideOut)
def clear_override(ws: ActingDep, body: OverrideClear) -> dict[str, Any]:
    """End a customer's active override in a scheme (managers and admins): the computed class
    applies again."""
    return ws.overrides.clear(body.customer_id, body.scheme, reason=body.reason).to_json()


# -- the audit trail -------------------------------------------------------------------------
@router.get("/audit", response_model=AuditList)
def audit(
    ws: ActingDep,
    customer_id: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[IsoDate | None, Query(description="Only changes on or after this day.")] = None,
    action: Annotated[
        str | None, Query(max_length=64, description="An action or family: override, credit, scheme ...")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100_000, description="Only the latest N rows.")] = 1000,
) -> dict[str, Any]:
    """Who changed what, when, old → new and why, oldest first (admins; managers: the rows
    about the customers in their department)."""
    items = ws.audit.list(customer_id=customer_id, since=since, action=action, limit=limit)
    return {"items": items, "total": len(items)}


@router.get("/audit/verify", response_model=AuditCheck)
def verify_audit(ws: ActingDep) -> dict[str, Any]:
    """Check the audit trail's hash chain (admins): ``ok``, or the first row changed outside tierwise."""
    check = ws.audit.verify()
    return {"ok": check.ok, "rows": check.rows, "first_bad": check.first_bad}


# -- customer attributes -----------------------------------------------------------------------
@router.put("/customers/{customer_id:cid}/attributes/{key}", response_model=AttributeChange)
def set_attribute(
    ws: ActingDep, customer_id: CustomerId, key: Key, body: AttributeValue
) -> dict[str, Any]:
    """Set a customer attribute the schemes read, e.g. ``flag`` (managers and admins, in scope);
    audited. The next classification uses it."""
    return ws.customers.set_attribute(customer_id, key, body.value, reason=body.reason)
