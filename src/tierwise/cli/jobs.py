"""``jobs``: the long operations run here or by the server, their progress, and cancelling one.

Thin like the rest of the CLI: parse, open the workspace (through the server when it runs),
call ``ws.jobs``, print.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, open_workspace, out, pick

jobs_app = typer.Typer(
    help="Background jobs (classify, tasks, reports, imports, metrics): list, show, cancel.",
    invoke_without_command=True,
)
app.add_typer(jobs_app, name="jobs")
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _state(job: dict[str, Any], lang: str) -> str:
    names = {"queued": "排队", "running": "运行中", "done": "完成", "failed": "失败", "cancelled": "已取消"}
    state = names[job["state"]] if lang == "zh" else job["state"]
    if job["state"] == "running" and job["progress"] is not None:
        state += f" {job['progress']:.0%}"
    return state


@jobs_app.callback()
def jobs_list(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="queued, running, done, failed or cancelled.")] = None,
    kind: Annotated[str | None, typer.Option(
        help="classify, tasks, report, import, import-db, metrics or clv.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
    as_json: Json = False,
) -> None:
    """The latest jobs (yours; an admin sees everyone's): who, what, when, state, result or error."""
    if ctx.invoked_subcommand is not None:
        return
    with open_workspace() as ws:
        lang = ws.lang()
        found = ws.jobs.list(state=state, kind=kind, page_size=limit, lang=lang)
    if as_json:
        print(json.dumps(found, ensure_ascii=False, default=str))
        return
    table = RichTable(*(pick(lang, *h) for h in (("job", "编号"), ("what", "内容"), ("who", "发起人"),
                                                   ("from", "来源"), ("started", "开始"), ("state", "状态"),
                                                   ("message", "说明"))))
    for job in found["items"]:
        note = job["error"] or job["message"] or ""
        what = f"{job['label']} ({job['detail']})" if job["detail"] else job["label"]
        table.add_row(str(job["job_id"]), escape(what), escape(job["actor"]), job["origin"],
                      job["started_at"] or job["created_at"] or "", _state(job, lang), escape(note))
    out.print(table)
    out.print(pick(lang, f"{len(found['items'])} of {found['total']} jobs",
                   f"共 {found['total']} 个任务，显示 {len(found['items'])} 个"))


@jobs_app.command("show")
def jobs_show(job_id: Annotated[int, typer.Argument(help="The job's number.")],
              as_json: Json = False) -> None:
    """One job: parameters, progress, result or error."""
    with open_workspace() as ws:
        lang = ws.lang()
        job = ws.jobs.get(job_id, lang=lang)
    if as_json:
        print(json.dumps(job, ensure_ascii=False, default=str))
        return
    out.print(f"[bold]#{job['job_id']} {escape(job['label'])}[/] — {_state(job, lang)}")
    for key in ("actor", "origin", "created_at", "started_at", "finished_at", "message", "error"):
        if job[key]:
            out.print(f"  {key}: {escape(str(job[key]))}")
    for key in ("params", "result"):
        if job[key]:
            out.print(f"  {key}: {escape(json.dumps(job[key], ensure_ascii=False, default=str))}")


@jobs_app.command("cancel")
def jobs_cancel(job_id: Annotated[int, typer.Argument(help="The job's number.")]) -> None:
    """Cancel a queued or running job of the server: it stops and what it did is rolled back."""
    with open_workspace() as ws:
        lang = ws.lang()
        job = ws.jobs.cancel(job_id)
    out.print(f"#{job['job_id']} {escape(job['label'])}: {_state(job, lang)}")
