"""Work for the sales team: ``tasks`` (with .csv/.xlsx/.ics export) and ``activity add``.

Thin like the rest of the CLI: parse, open the workspace, call its services (``ws.tasks``,
``ws.activities``), print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, current_lang, open_workspace, out, parse_date, pick, run_job
from tierwise.errors import ConfigError

if TYPE_CHECKING:
    from tierwise.workspace import Workspace

activity_app = typer.Typer(help="Follow-ups with customers: record one (closing the tasks it does).",
                           no_args_is_help=True)
app.add_typer(activity_app, name="activity")


By = Annotated[str | None, typer.Option(
    "--by", help="Who acts, a user of the workspace once it has users (default: the user setting, "
                 "else the login name).")]


@app.command()
def tasks(
    on: Annotated[str | None, typer.Option("--date", help="Day to plan for, YYYY-MM-DD "
                                                          "(default: today).")] = None,
    days: Annotated[int, typer.Option(help="Also tasks due this many days after --date.")] = 7,
    rep: Annotated[str | None, typer.Option(help="Only this rep's tasks (rep_id).")] = None,
    manager: Annotated[str | None, typer.Option(help="A manager's view: the tasks of the reps reporting to "
                                                     "this rep_id, and the manager's own.")] = None,
    department: Annotated[str | None, typer.Option(help="Only this department.")] = None,
    kind: Annotated[str | None, typer.Option(
        help="Only this kind: visit, call, manager_visit, care, reminder, restock, review, collect, "
             "credit_hold, set_limit, complaint.")] = None,
    limit: Annotated[int, typer.Option(help="Rows to print (exports and --json have all).")] = 30,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="FILE.csv, FILE.xlsx, or FILE.ics (a calendar; without --rep one file per rep, "
                      "FILE-REP.ics).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tasks as a JSON list.")] = False,
    by: By = None,
) -> None:
    """The dated tasks of every rep from the playbooks of the current classes, most urgent first.

    The tasks are stored as they are generated: those no longer due are closed (done by a
    follow-up, or lapsed). Admins refresh every customer's tasks, managers their department's.
    """
    from tierwise.playbook.tasks import KINDS

    lang = current_lang()
    if out_file is not None and out_file.suffix.lower() not in (".csv", ".xlsx", ".ics"):
        raise ConfigError(f"{out_file}: write .csv, .xlsx or .ics / 输出文件请用 .csv、.xlsx 或 .ics")
    view = {"rep_id": rep, "manager": manager, "department": department, "kind": kind}
    with open_workspace(by=by) as ws:
        # the terminal shows `limit` rows; a file or JSON gets every task of the view
        everything = out_file is not None or as_json
        done = run_job(ws, "tasks", on=parse_date(on, "--date"), days=days,
                       rows=None if everything else limit, **view)
        table = done.tasks
        if out_file is not None and out_file.suffix.lower() == ".ics":
            _calendars(ws, out_file, table, view, lang)
        if out_file is not None and out_file.suffix.lower() != ".ics":
            from tierwise.reports.people import for_people
            from tierwise.schemes.facts import current_schemes
            from tierwise.schemes.store import write_export

            specs = {name: s.spec for name, s in current_schemes(ws.db.con).items()}
            file_table = for_people(table, lang, specs, {k: (en, zh) for k, (en, zh, _) in KINDS.items()})
            write_export(file_table, out_file, sheet=pick(lang, "tasks", "任务"))
    if as_json:
        rows = [{"id": r["task_id"], **r} for r in table.to_pylist()]
        for r in rows:
            for k in ("due_date", "since_date"):
                r[k] = r[k].isoformat() if r[k] else None
        print(json.dumps(rows, ensure_ascii=False))
        return
    view_table = RichTable(*(pick(lang, *h) for h in (("due", "到期"), ("P", "优先"), ("rep", "负责人"),
                                                        ("customer", "客户"), ("task", "任务"),
                                                        ("why", "原因"))),
                           title=pick(lang, f"tasks for {done.on} (+{days} days)",
                                      f"{done.on} 的任务（含之后 {days} 天）"),
                           title_justify="left")
    for r in table.slice(0, limit).to_pylist():
        late = r["overdue_days"] > 0
        late_text = pick(lang, f" ({r['overdue_days']}d late)", f"（逾期{r['overdue_days']}天）")
        due = f"{r['due_date']}" + (late_text if late else "")
        label = str(KINDS[r["kind"]][1 if lang == "zh" else 0])
        view_table.add_row(due, str(r["priority"]), escape(r["rep_id"] or pick(lang, "unassigned", "未分配")),
                           escape(f"{r['customer_id']} {r['customer_name'] or ''}"), label,
                           escape(r["reason_zh"] if lang == "zh" else r["reason_en"]),
                           style="red" if late else "")
    out.print(view_table)
    summary = ", ".join(f"{KINDS[k][1 if lang == 'zh' else 0]} {n:,}" for k, n in done.by_kind().items())
    out.print(pick(lang, f"{done.open:,} open tasks ({summary}); {done.opened:,} new, "
                          f"{done.done:,} done and {done.lapsed:,} no longer needed since the last run",
                    f"共 {done.open:,} 项待办（{summary}）；新增 {done.opened:,}，"
                    f"已完成 {done.done:,}，"
                    f"不再需要 {done.lapsed:,}"))
    if out_file is not None:
        out.print(pick(lang, f"written to {out_file}", f"已写入 {out_file}"))


def _calendars(ws: Workspace, path: Path, table: Any, view: dict[str, str | None], lang: str) -> None:
    """The view's tasks as calendars: with a rep, one file; else one per rep, ``FILE-REP.ics``
    (``FILE-unassigned.ics`` for tasks without an owner)."""
    def calendar(rep: str | None) -> str:
        return ws.tasks.calendar(rep, unassigned=rep is None, manager=view["manager"],
                                 department=view["department"], kind=view["kind"], lang=lang)

    if view["rep_id"] is not None:
        path.write_text(calendar(view["rep_id"]), encoding="utf-8")
        return
    reps = set(table.column("rep_id").to_pylist())
    for r in sorted(reps, key=lambda r: r or "unassigned"):
        path.with_name(f"{path.stem}-{r or 'unassigned'}.ics").write_text(calendar(r), encoding="utf-8")


@activity_app.command("add")
def activity_add(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    kind: Annotated[str, typer.Argument(help="visit, call, message, care, complaint or other (拜访, 电话, "
                                             "微信, 关怀, 投诉 ... accepted).")],
    on: Annotated[str | None, typer.Option("--date", help="Day of the follow-up (default: today).")] = None,
    rep: Annotated[str | None, typer.Option(help="Who followed up, a rep_id (default: the customer's rep; "
                                                 "for a manager, the manager).")] = None,
    note: Annotated[str | None, typer.Option(help="What happened.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    by: By = None,
) -> None:
    """Record a follow-up; the customer's tasks it does are closed at once.

    A rep (--by) records their own follow-ups; a manager's are recorded as the manager's.
    """
    lang = current_lang()
    with open_workspace(by=by) as ws:
        result = ws.activities.add(customer, kind, day=parse_date(on, "--date"), rep_id=rep, note=note)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, default=str))
        return
    what, day, ref = result["kind"], result["date"], result["activity_id"]
    out.print(pick(lang, f"recorded {what} with {customer} on {day} ({ref})",
                    f"已记录 {customer} 的跟进（{what}，{day}，{ref}）"))
    for task in result["closed"]:
        out.print(pick(lang, f"  done: {escape(task['task_id'])} — {escape(task['reason_en'])}",
                        f"  已完成：{escape(task['task_id'])} — {escape(task['reason_zh'])}"))
    if not result["closed"]:
        out.print(pick(lang, "  no open task of this customer is done by it", "  该客户没有因此完成的任务"))
