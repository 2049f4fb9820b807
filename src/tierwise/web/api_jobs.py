"""API routes of the background jobs, and the answer every long operation gives.

A long operation (``POST /api/classify``, ``/api/tasks/refresh``, ``/api/reports``,
``/api/metrics``, ``/api/clv/fit``, ``/api/imports``) queues a job and answers ``202 Accepted``
with the job and a ``Location: /api/jobs/{id}`` header. With ``?wait=SECONDS`` (up to 60) it
waits that long first: a job done by then answers ``200`` with the operation's own body, as
if it had run in the request; a job that failed by then answers its error. Pages poll
``/api/jobs/{id}`` for the progress.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from tierwise.web.api import ERRORS, ActingDep, Lang, PageNo, RecordId
from tierwise.web.money import ApiJSON
from tierwise.workspace import Workspace

router = APIRouter(prefix="/api", responses=ERRORS)

Wait = Annotated[
    float,
    Query(
        ge=0,
        le=60,
        description="Seconds to wait for the job: done by then, the answer is the "
        "operation's own (200); else the job (202).",
    ),
]
FILE_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".parquet": "application/vnd.apache.parquet",
}


class JobOut(BaseModel):
    job_id: int
    kind: str
    label: str = Field(description="The kind in your language.")
    detail: str = Field(description="What it works on (schemes, file, window), in your language.")
    operation: str
    params: dict[str, Any] | None = Field(
        description="The operation's arguments; files of the server by their names only.")
    actor: str
    origin: str = Field(description="api (a page or a script), cli (a command), schedule (the server).")
    state: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: float | None = Field(description="0 to 1 while it runs (None: not known yet).")
    message: str | None = Field(description="The step it is at, in your language (lang).")
    created_at: str | None
    started_at: str | None
    finished_at: str | None
    result: Any = Field(description="What it did (the operation's summary), once done.")
    error: str | None


class JobPage(BaseModel):
    items: list[JobOut]
    total: int
    page: int
    page_size: int


ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": JobOut, "description": "Queued or running: poll the job at the Location header."}
}


def started(
    ws: Workspace,
    kind: str,
    /,
    *args: Any,
    wait: float = 0.0,
    render: Callable[[Any, dict[str, Any]], Any],
    **kwargs: Any,
) -> Any:
    """Queue ``kind`` as the actor, wait up to ``wait`` seconds, and answer: ``render(result,
    job)`` when it is done, else the job with 202."""
    job = ws.jobs.submit(kind, *args, **kwargs)
    job, result = ws.jobs.wait(job["job_id"], wait)
    if job["state"] == "done":
        return render(result, job)
    return ApiJSON(job, status_code=202, headers={"Location": f"/api/jobs/{job['job_id']}"})


def job_file(ws: Workspace, stem: str, suffix: str) -> Path:
    """A fresh path for a file a job will write (downloaded from ``/api/jobs/{id}/file``)."""
    import secrets

    folder = ws.settings.db.parent / "jobs" / f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{stem}{suffix}"


@router.get("/jobs", response_model=JobPage)
def jobs(
    ws: ActingDep,
    state: Annotated[Literal["queued", "running", "done", "failed", "cancelled"] | None, Query()] = None,
    kind: Annotated[
        Literal["classify", "tasks", "report", "import", "import-db", "metrics", "clv"] | None, Query()
    ] = None,
    page: PageNo = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
    lang: Lang | None = None,
) -> dict[str, Any]:
    """Jobs, newest first (yours; an admin sees everyone's), with their progress while they run."""
    return ws.jobs.list(state=state, kind=kind, page=page, page_size=page_size, lang=lang)


@router.get("/jobs/{job_id}", response_model=JobOut)
def job(ws: ActingDep, job_id: RecordId, lang: Lang | None = None) -> dict[str, Any]:
    """One job: state, progress and message while it runs; its result or error after."""
    return ws.jobs.get(job_id, lang=lang)


@router.post("/jobs/{job_id}/cancel", response_model=JobOut)
def cancel_job(ws: ActingDep, job_id: RecordId) -> dict[str, Any]:
    """Cancel a queued or running job (yours, or any as an admin): it stops, and what it did is
    rolled back. A finished job answers as it is."""
    return ws.jobs.cancel(job_id)


@router.get(
    "/jobs/{job_id}/file",
    response_class=FileResponse,
    responses={200: {"content": {m: {} for m in FILE_TYPES.values()}}},
)
def job_download(ws: ActingDep, job_id: RecordId) -> Response:
    """The file a finished job made (a report, a metrics table)."""
    path = ws.jobs.file(job_id)
    return FileResponse(path, media_type=FILE_TYPES.get(path.suffix, "application/octet-stream"),
                        filename=path.name)
