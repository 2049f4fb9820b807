"""API routes over the facade's services (see :mod:`tierwise.web.api` for the dependencies):
credit holds and checks, refreshing tasks and their calendar, metrics and the CLV fit, and
what the workspace holds (status, settings, tables)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from tierwise.playbook.tasks import KINDS
from tierwise.web.api import ERRORS, ActingDep, IsoDate, Lang, WorkspaceDep, user_of_request
from tierwise.web.api_jobs import ACCEPTED, Wait, job_file, started
from tierwise.web.money import Money
from tierwise.workspace import Workspace

router = APIRouter(prefix="/api", responses=ERRORS)

Code = Annotated[str, Field(min_length=1, max_length=200)]
Kind = Annotated[str, Field(max_length=40, description="A task kind: " + ", ".join(KINDS) + ".")]


# -- credit -----------------------------------------------------------------------------
class HoldItem(BaseModel):
    customer_id: str
    name: str | None
    rep_id: str | None
    credit_limit: Money | None = Field(description="Null: no limit.")
    outstanding: Money
    over_by: Money = Field(description="Over the limit by (0.00 when within it).")
    overdue_amount: Money
    max_days_overdue: int
    headroom: Money | None
    over_limit: bool
    overdue_beyond_grace: bool
    credit_action: str | None = Field(description="The strictest credit action of the customer's current "
                                                  "classes that holds or asks for a limit: cash_only, "
                                                  "hold_over_limit; null: none.")
    action_from: str | None = Field(description="scheme:class of credit_action.")
    hold_reason_en: str | None
    hold_reason_zh: str | None


class HoldsOut(BaseModel):
    on: str
    grace_days: int
    customers: int
    payments_recorded: bool = Field(description="False: no payments imported, so balances are unknown "
                                                "and nobody is held (see note).")
    note_en: str | None = None
    note_zh: str | None = None
    holds: list[HoldItem]


class CreditCheckOut(BaseModel):
    customer_id: str
    name: str | None
    rep_id: str | None
    on: str
    amount: Money
    allowed: bool
    credit_limit: Money | None
    outstanding: Money | None = Field(description="Null: no payments imported, balance unknown.")
    outstanding_after: Money | None
    headroom: Money | None
    overdue_amount: Money | None
    max_days_overdue: int | None
    grace_days: int
    payments_recorded: bool
    reasons_en: list[str] = Field(description="Why, refusals first.")
    reasons_zh: list[str]


OnDate = Annotated[
    IsoDate | None,
    Query(alias="date", description="The day, YYYY-MM-DD (default: today); nothing after it counts."),
]
AS_OF = "Default: the latest order date; nothing after it counts."
TimeUnit = Literal["days", "weeks"]


@router.get("/credit/holds", response_model=HoldsOut)
def credit_holds(ws: ActingDep, on: OnDate = None) -> dict[str, Any]:
    """Customers in your scope whose new orders are held: over the credit limit, or overdue
    beyond the grace days; the biggest problem first (as ``tierwise credit holds``)."""
    return ws.credit.holds(on=on).to_json()


@router.get("/credit/check", response_model=CreditCheckOut)
def credit_check(
    ws: ActingDep,
    customer_id: Annotated[str, Query(min_length=1, max_length=200)],
    amount: Annotated[
        str, Query(min_length=1, max_length=40, description="Yuan as typed: 25000, 25,000, ¥25000.")
    ],
    on: OnDate = None,
) -> dict[str, Any]:
    """May a new order of ``amount`` ship for a customer in your scope? ``allowed`` with the
    numbers and the reasons either way (as ``tierwise credit check``)."""
    return ws.credit.check(customer_id, amount, on=on).to_json()


# -- tasks ------------------------------------------------------------------------------
class TaskRefresh(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    on: IsoDate | None = Field(default=None, alias="date", description="The day to plan (default: today).")
    days: StrictInt = Field(default=7, ge=0, le=366,
                            description="Also the tasks due this many days after it.")
    rep_id: Code | None = Field(default=None, description="Count only this rep's tasks.")
    manager: Code | None = Field(default=None, description="Count only the tasks of this rep code's team.")
    department: Code | None = None
    kind: Kind | None = None


class RefreshOut(BaseModel):
    on: str
    days: int
    open: int = Field(description="Open tasks of the view asked for (rep, team, department, kind).")
    by_kind: dict[str, int]
    opened: int = Field(description="Tasks new since the last refresh.")
    updated: int
    done: int = Field(description="Tasks closed by a follow-up since the last refresh.")
    lapsed: int = Field(description="Tasks closed because they no longer apply.")


@router.post("/tasks/refresh", response_model=RefreshOut, responses=ACCEPTED)
def refresh_tasks(ws: ActingDep, body: TaskRefresh | None = None, wait: Wait = 0) -> Any:
    """Generate and store the tasks from the playbooks of the current classes (admins: every
    customer's; managers: their department's) as a job, as ``tierwise tasks``; read them at
    ``/api/tasks``."""
    body = body or TaskRefresh()
    return started(
        ws, "tasks", on=body.on, days=body.days, rep_id=body.rep_id, manager=body.manager,
        department=body.department, kind=body.kind, wait=wait, render=lambda result, _job: result.to_json(),
    )


def _calendar_actor(
    request: Request,
    ws: WorkspaceDep,
    token: Annotated[
        str | None,
        Query(max_length=200, description="Your API token, for calendar apps that cannot send a header."),
    ] = None,
) -> Workspace:
    """The signed-in user, or the user of ``token`` (a phone's calendar subscribes to a URL and
    sends no ``Authorization`` header): the token is checked as if it came in that header."""
    if token is not None:
        headers = [(k, v) for k, v in request.scope["headers"] if k != b"authorization"]
        headers.append((b"authorization", f"Bearer {token}".encode()))
        request = Request({**request.scope, "headers": headers})
    return ws.acting_as(user_of_request(request, ws))


@router.get(
    "/tasks/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def tasks_calendar(
    ws: Annotated[Workspace, Depends(_calendar_actor)],
    rep_id: Annotated[str | None, Query(max_length=200)] = None,
    unassigned: Annotated[bool, Query(description="Only the tasks without an owner.")] = False,
    manager: Annotated[str | None, Query(max_length=200)] = None,
    department: Annotated[str | None, Query(max_length=200)] = None,
    kind: Annotated[str | None, Query(max_length=40, description="A task kind: " + ", ".join(KINDS))] = None,
    lang: Lang | None = None,
) -> Response:
    """The open tasks in your scope (a rep: your own) as an iCalendar file, one all-day event
    per task with the task id as its UID: subscribe to it from a phone's calendar."""
    text = ws.tasks.calendar(
        rep_id, unassigned=unassigned, manager=manager, department=department, kind=kind, lang=lang
    )
    return Response(
        text.encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="tierwise-tasks.ics"'},
    )


# -- metrics and CLV --------------------------------------------------------------------
class MetricsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: IsoDate | None = Field(default=None, description=AS_OF)
    window: str = Field(default="12m", min_length=1, max_length=20, description="90d, 6m, 12m, 2y or all.")
    time_unit: TimeUnit | None = Field(default=None, description="BTYD time unit (default: the setting).")
    format: Literal["csv", "parquet"] = Field(default="csv", description="csv: UTF-8 with a BOM, for Excel.")


@router.post(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}, **ACCEPTED},
)
def metrics(ws: ActingDep, body: MetricsRequest | None = None, wait: Wait = 0) -> Response:
    """The per-customer metrics table (admins: every customer; managers: their department's)
    as a CSV or Parquet file, as ``tierwise metrics --out``, made by a job: the download, when
    done within ``wait``, else at ``/api/jobs/{id}/file``; columns at ``/api/metrics/catalog``."""
    body = body or MetricsRequest()
    out = job_file(ws, "metrics", f".{body.format}")

    def download(run: Any, _job: dict[str, Any]) -> Response:
        name = f"metrics-{run.frame.as_of.isoformat()}-{run.frame.window.text}.{body.format}"
        media = "application/vnd.apache.parquet" if body.format == "parquet" else "text/csv; charset=utf-8"
        return FileResponse(out, media_type=media, filename=name)

    return started(ws, "metrics", as_of=body.as_of, window=body.window, time_unit=body.time_unit, out=out,
                   wait=wait, render=download)


class MetricItem(BaseModel):
    name: str
    group: str
    unit: str
    definition: str


def _markdown(text: str) -> Response:
    return Response(text.encode("utf-8"), media_type="text/markdown; charset=utf-8")


@router.get(
    "/metrics/catalog",
    response_model=list[MetricItem],
    responses={200: {"content": {"text/markdown": {}}}},
)
def metrics_catalog(
    ws: ActingDep, lang: Lang | None = None, format: Literal["json", "markdown"] = "json"
) -> Any:
    """Every column of the metrics table, in order, with its unit and definition (as
    ``tierwise metrics --list``; ``format=markdown`` as ``--markdown``)."""
    if format == "markdown":
        return _markdown(ws.metrics.catalog_markdown(lang))
    return ws.metrics.catalog(lang)


class ClvFitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: IsoDate | None = Field(default=None, description=AS_OF)
    time_unit: TimeUnit | None = Field(default=None, description="BTYD time unit (default: the setting).")


@router.post("/clv/fit", responses=ACCEPTED)
def clv_fit(ws: ActingDep, body: ClvFitRequest | None = None, wait: Wait = 0) -> Any:
    """BG/NBD and Gamma-Gamma fitted on the purchase history up to ``as_of`` (admins and
    managers) as a job: the parameters, as ``tierwise clv fit --json``."""
    body = body or ClvFitRequest()
    return started(ws, "clv", as_of=body.as_of, time_unit=body.time_unit, wait=wait,
                   render=lambda result, _job: {"as_of": result[0].as_of.isoformat(), **result[1].to_json()})


# -- the workspace ----------------------------------------------------------------------
@router.get("/status")
def status(ws: ActingDep) -> dict[str, int]:
    """Rows in each canonical table (as ``tierwise status --json``)."""
    return ws.system.status()


class DoctorRequest(BaseModel):
    fix: StrictBool = Field(False, description="Rewrite the ids and drop the duplicates (else only report).")


@router.post("/doctor")
def doctor(ws: ActingDep, body: DoctorRequest | None = None) -> dict[str, Any]:
    """Ids stored before imports normalised them, and the rows that then share a key; with
    ``fix``, mended in one transaction and audited (admins; as ``tierwise doctor [--fix]``)."""
    return ws.system.doctor(fix=body.fix if body is not None else False)


class SettingItem(BaseModel):
    name: str
    value: Any = Field(description="The value in force.")
    default: str
    meaning: str


@router.get("/settings", response_model=list[SettingItem])
def settings(ws: ActingDep) -> list[dict[str, Any]]:
    """Every setting: the value in force, its default and what it does (as ``tierwise settings``)."""
    return ws.system.settings_list()


class ColumnSpec(BaseModel):
    name: str
    type: str
    required: bool
    meaning: str
    headers: list[str] = Field(description="Headers recognised besides the name (any case).")


class TableSpec(BaseModel):
    name: str
    key: list[str]
    meaning: str
    columns: list[ColumnSpec]


@router.get(
    "/tables",
    response_model=list[TableSpec],
    responses={200: {"content": {"text/markdown": {}}}},
)
def tables(ws: ActingDep, lang: Lang | None = None, format: Literal["json", "markdown"] = "json") -> Any:
    """The canonical tables an import fills: key, columns, types and the headers recognised (as
    ``tierwise tables``; ``format=markdown`` as ``--markdown``)."""
    if format == "markdown":
        return _markdown(ws.system.tables_markdown(lang))
    return ws.system.tables(lang)
