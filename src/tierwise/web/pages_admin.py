"""The pages of the workspace's upkeep: the schemes (view, check, save), imports (upload, the
rejected rows) and the background jobs (list, start, follow, cancel)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from tierwise.access.roles import can
from tierwise.errors import ConfigError, TierwiseError
from tierwise.web.api import upload_summary
from tierwise.web.pages import Acting, Csrf, redirect, render, scheme_names
from tierwise.web.session import check_csrf
from tierwise.workspace import Workspace

router = APIRouter(include_in_schema=False)


# -- schemes ----------------------------------------------------------------------------
@router.get("/schemes", response_class=HTMLResponse)
def schemes_page(request: Request, ws: Acting) -> HTMLResponse:
    return render(request, "schemes.html.j2", user=ws.actor, schemes=ws.schemes.list())


def _scheme_file(ws: Workspace, name: str) -> dict[str, Any]:
    return ws.schemes.text(name)


@router.get("/schemes/{name}", response_class=HTMLResponse)
def scheme_page(request: Request, ws: Acting, name: str) -> HTMLResponse:
    file = _scheme_file(ws, name)
    return _scheme_view(request, ws, name, file, file["text"])


@router.post("/schemes/{name}", response_class=HTMLResponse)
def scheme_check(
    request: Request,
    ws: Acting,
    name: str,
    csrf: Csrf,
    text: Annotated[str, Form()],
    action: Annotated[str, Form()] = "check",
) -> HTMLResponse:
    """Validate (and for admins, save) the edited text; the page keeps the text either way."""
    check_csrf(request.state.csrf, csrf)
    file = _scheme_file(ws, name)
    result, error = None, None
    try:
        result = ws.schemes.save(name, text) if action == "save" else ws.schemes.check(name, text)
    except TierwiseError as exc:
        error = str(exc)
    return _scheme_view(request, ws, name, file, text, result=result, error=error,
                        saved=bool(action == "save" and result))


def _scheme_view(request: Request, ws: Workspace, name: str, file: dict[str, Any], text: str, *,
                 result: Any = None, error: str | None = None, saved: bool = False) -> HTMLResponse:
    """The scheme page: its text (as stored, or as just edited), what a check found, and 400
    when the text has an error."""
    return render(
        request,
        "scheme.html.j2",
        user=ws.actor,
        name=name,
        title=scheme_names(ws).get(name, {}).get("title"),
        text=text,
        preset=file["preset"],
        can_save=can(ws.actor, "schemes.save"),
        result=result,
        error=error,
        saved=saved,
        status=200 if error is None else 400,
    )


# -- imports ----------------------------------------------------------------------------
IMPORT_TABLES = [
    ("customers", "customers", "客户"),
    ("orders", "orders", "订单"),
    ("payments", "payments", "回款"),
    ("activities", "follow-ups", "跟进记录"),
    ("reps", "reps", "业务员"),
    ("products", "products", "产品"),
    ("targets", "targets", "销售目标"),
]


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, ws: Acting) -> HTMLResponse:
    ws.imports.require_allowed()
    return render(request, "import.html.j2", user=ws.actor, tables=IMPORT_TABLES, summary=None)


@router.post("/import", response_class=HTMLResponse)
def import_upload_page(
    request: Request,
    ws: Acting,
    csrf: Csrf,
    table: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
    strict: Annotated[bool, Form()] = False,
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    check_csrf(request.state.csrf, csrf)
    if table not in {t[0] for t in IMPORT_TABLES}:
        raise ConfigError(f"table {table!r}: one of {', '.join(t[0] for t in IMPORT_TABLES)}")
    summary = upload_summary(ws, table, file, strict=strict, dry_run=dry_run, api=False, wait=30)
    if isinstance(summary, Response):  # still importing after 30 s: follow it on the jobs page
        return RedirectResponse(f"/jobs/{json.loads(bytes(summary.body))['job_id']}", status_code=303)
    return render(request, "import.html.j2", user=ws.actor, tables=IMPORT_TABLES, summary=summary)


@router.get("/import/{import_id}/rejected")
def import_rejected(ws: Acting, import_id: Annotated[int, PathParam(ge=0, le=2**53)]) -> FileResponse:
    path = ws.imports.rejected_file(import_id)
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename=path.name)


# -- jobs -------------------------------------------------------------------------------
def _job_words(ws: Workspace) -> dict[str, Any]:
    zh = ws.lang() == "zh"
    states = {"queued": ("queued", "排队中"), "running": ("running", "运行中"), "done": ("done", "完成"),
              "failed": ("failed", "失败"), "cancelled": ("cancelled", "已取消")}
    origins = {"api": ("web / API", "网页 / API"), "cli": ("command line", "命令行"),
               "schedule": ("schedule", "定时")}
    return {"states": {k: v[zh] for k, v in states.items()},
            "origins": {k: v[zh] for k, v in origins.items()}}


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, ws: Acting) -> HTMLResponse:
    return render(request, "jobs.html.j2", user=ws.actor, jobs=ws.jobs.list(lang=ws.lang(), page_size=100),
                  can_start=can(ws.actor, "classify.run"), **_job_words(ws))


@router.post("/jobs")
def start_job(request: Request, ws: Acting, csrf: Csrf, kind: Annotated[str, Form()]) -> Response:
    """Start a re-evaluation or a task regeneration from the jobs page; follow it there."""
    check_csrf(request.state.csrf, csrf)
    if kind not in ("classify", "tasks"):
        raise ConfigError(f"kind {kind!r}: classify or tasks / 只能启动分类或任务生成")
    job = ws.jobs.submit(kind) if kind == "classify" else ws.jobs.submit(kind, days=30)
    return redirect(request, f"/jobs/{job['job_id']}")


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, ws: Acting, job_id: Annotated[int, PathParam(ge=0, le=2**53)]) -> HTMLResponse:
    job = ws.jobs.get(job_id, lang=ws.lang())
    has_file = False
    if job["state"] == "done":
        try:
            has_file = bool(ws.jobs.file(job_id))
        except TierwiseError:
            has_file = False
    text = json.dumps(job["result"], ensure_ascii=False, indent=1, default=str) if job["result"] else ""
    return render(request, "job.html.j2", user=ws.actor, job=job, has_file=has_file, result_text=text,
                  names=scheme_names(ws) if job["kind"] == "classify" else None, **_job_words(ws))


@router.post("/jobs/{job_id}/cancel")
def job_cancel(request: Request, ws: Acting, csrf: Csrf,
               job_id: Annotated[int, PathParam(ge=0, le=2**53)]) -> Response:
    check_csrf(request.state.csrf, csrf)
    ws.jobs.cancel(job_id)
    return redirect(request, f"/jobs/{job_id}")


