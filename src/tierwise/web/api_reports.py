"""Reports over the API: the dashboard and its key figures, the manager's report as a download,
one chart as a picture, and the reps' workload (``ws.reports``; every number as the CLI's)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from tierwise.web.api import ERRORS, ActingDep, IsoDate, Lang
from tierwise.web.api_jobs import ACCEPTED, Wait, job_file, started
from tierwise.web.money import Money

router = APIRouter(prefix="/api", responses=ERRORS)
OnDay = Annotated[IsoDate | None, Query(description="Reference day of due and late tasks (default: today).")]


class Figures(BaseModel):
    """The key figures (see tierwise.schemes.facts for each definition)."""

    customers: int = Field(description="Customers in your scope.")
    buyers: int = Field(description="Customers with revenue above 0 in the window.")
    active: int = Field(description="Customers who bought at least once (not prospects).")
    revenue: Money = Field(description="Revenue in the window.")
    outstanding: Money | None = Field(description="Receivables; null: no payments imported, unknown.")
    overdue: Money | None = Field(description="Receivables past due; null: no payments imported, unknown.")
    open: int = Field(description="Open tasks.")
    due: int = Field(description="Open tasks due on or before the reference day.")
    late: int = Field(description="Open tasks due before the reference day.")
    holds: int = Field(description="Customers with an open credit-hold task.")


class ClassCount(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    class_: str = Field(alias="class")
    label: str
    customers: int
    share: float
    revenue: Money
    revenue_share: float


class Grade(BaseModel):
    """Customers per class of the main grade (the scheme with the role primary_grade)."""

    scheme: str
    title: str
    snapshot_id: int
    classes: list[ClassCount]


class Overview(BaseModel):
    snapshot_id: int | None = Field(description="The current classification the figures are read from.")
    as_of: str | None
    window: str | None = Field(description="The window of revenue and buyers.")
    on: str = Field(description="The reference day of due and late tasks.")
    figures: Figures
    grade: Grade | None
    currency: str = Field(description="ISO code of the money in the figures (CNY, GBP ...).")


class ReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["xlsx", "html"] = Field(description="xlsx: the workbook; html: the offline page.")
    snapshot: StrictInt | None = Field(None, ge=0, le=2**53,
                                       description="Default: the current classification.")
    on: IsoDate | None = Field(None, description="Reference day of the tasks (default: today).")
    lang: Lang | None = None


@router.get("/overview", response_model=Overview, response_model_by_alias=True)
def overview(ws: ActingDep, on: OnDay = None, lang: Lang | None = None) -> dict[str, Any]:
    """The key figures of your scope: customers, buyers in the window, revenue, receivables,
    overdue, open and late tasks, holds, customers per class of the main grade."""
    return ws.reports.overview(on=on, lang=lang)


@router.get("/dashboard")
def dashboard(ws: ActingDep, on: OnDay = None, lang: Lang | None = None) -> dict[str, Any]:
    """The dashboard: the key figures, every scheme's tier mix, the matrices, top movers, credit
    holds and tasks due (a viewer: aggregates only)."""
    return ws.reports.dashboard(on=on, lang=lang)


REPORT_TYPES = ("text/html", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.post("/reports", response_class=Response,
             responses={200: {"content": {m: {} for m in REPORT_TYPES}}, **ACCEPTED})
def build_report(ws: ActingDep, body: ReportRequest, wait: Wait = 0) -> Response:
    """The manager's report of your scope (admins and managers), made by a job: the download
    when done within ``wait``, else at ``/api/jobs/{id}/file``."""
    from tierwise.services.reports import FORMATS

    out = job_file(ws, f"report-{datetime.now():%Y%m%d-%H%M}", f".{body.format}")
    return started(ws, "report", body.format, out, snapshot=body.snapshot, on=body.on, lang=body.lang,
                   wait=wait, render=lambda _result, _job: FileResponse(out, media_type=FORMATS[body.format],
                                                                         filename=out.name))


@router.get("/charts/{name}", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}, "image/png": {}, "application/json": {}}}})
def chart(
    ws: ActingDep,
    name: str,
    format: Literal["svg", "png", "json"] = "svg",
    snapshot: Annotated[int | None, Query(ge=0, le=2**53)] = None,
    scale: Annotated[float, Query(ge=0.1, le=8)] = 2.0,
    lang: Lang | None = None,
) -> Response:
    """One chart of the report over your scope: a picture (svg, png) or its Vega-Lite spec (json)."""
    drawn = ws.reports.chart(name, format=format, snapshot=snapshot, lang=lang, scale=scale)
    return Response(drawn.body(), media_type=drawn.media_type)


@router.get("/reports/workload")
def workload(
    ws: ActingDep,
    scheme: Annotated[str | None, Query(max_length=64)] = None,
    snapshot: Annotated[int | None, Query(ge=0, le=2**53)] = None,
    department: Annotated[str | None, Query(max_length=200)] = None,
    under: Annotated[float, Query(ge=0, le=1)] = 0.6,
    default_ratio: Annotated[str | None, Query(max_length=20)] = None,
) -> dict[str, Any]:
    """Each rep's load against capacity by the service ratios of the classes (admins; a manager:
    their department), with suggested moves."""
    return ws.reports.workload(scheme=scheme, snapshot=snapshot, department=department, under=under,
                               default_ratio=default_ratio).to_json()


class TargetRow(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    period: str = Field(description="2026-03, 2026-Q1 or 2026.")
    rep_id: str | None
    department: str | None
    class_: str | None = Field(alias="class", description="A class of the main grade; null: all customers.")
    class_label: str | None
    revenue_target: Money | None
    revenue_stretch: Money | None
    revenue_done: Money | None
    revenue_variance: Money | None = Field(description="Done − target.")
    revenue_attainment: float | None = Field(description="Done / target.")
    revenue_status: Literal["stretch", "met", "below", "open"] | None = Field(
        description="open: the period is not over yet.")
    revenue_status_text: str | None
    new_customers_target: int | None
    new_customers_stretch: int | None
    new_customers_done: int | None
    new_customers_variance: int | None
    new_customers_attainment: float | None
    new_customers_status: Literal["stretch", "met", "below", "open"] | None
    new_customers_status_text: str | None
    visits_target: int | None
    visits_stretch: int | None
    visits_done: int | None
    visits_variance: int | None
    visits_attainment: float | None
    visits_status: Literal["stretch", "met", "below", "open"] | None
    visits_status_text: str | None


class TargetsOut(BaseModel):
    period: Literal["month", "quarter", "year"]
    as_of: str = Field(description="What was done is counted up to this day.")
    scheme: str | None = Field(description="The main grade whose classes targets name.")
    rows: list[TargetRow] = Field(description="Periods in order; in each: company, departments, reps.")


@router.get("/reports/targets", response_model=TargetsOut, response_model_by_alias=True)
def targets_report(
    ws: ActingDep,
    period: Literal["month", "quarter", "year"] = "month",
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    as_of: IsoDate | None = None,
    lang: Lang | None = None,
) -> dict[str, Any]:
    """Targets against what was done (revenue, new customers, visits) per rep, department and
    class, as ``tierwise targets``; import targets with ``POST /api/imports`` (table targets)."""
    return ws.reports.targets(period=period, year=year, as_of=as_of).to_json(ws.lang(lang))
