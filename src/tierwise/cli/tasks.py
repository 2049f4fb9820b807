"""Work for the sales team: ``tasks`` (with .csv/.xlsx/.ics export) and ``activity add``.

Thin like the rest of the CLI: parse, open the workspace, call the core, print.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import pyarrow.compute as pc
import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli import _date, _lang, _open, app, out
from tierwise.cli_schemes import _pick
from tierwise.errors import ConfigError

activity_app = typer.Typer(help="Follow-ups with customers: record one (closing the tasks it does).",
                           no_args_is_help=True)
app.add_typer(activity_app, name="activity")


def _filter(table: pa.Table, column: str, value: str | None) -> pa.Table:
    return table if value is None else table.filter(pc.equal(table[column], value))


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
             "credit_hold, complaint.")] = None,
    limit: Annotated[int, typer.Option(help="Rows to print (exports and --json have all).")] = 30,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="FILE.csv, FILE.xlsx, or FILE.ics (a calendar; without --rep one file per rep, "
                      "FILE-REP.ics).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tasks as a JSON list.")] = False,
) -> None:
    """The dated tasks of every rep from the playbooks of the current classes, most urgent first."""
    from tierwise.playbook.task_store import sync_tasks
    from tierwise.playbook.tasks import KINDS, TaskOptions, generate_tasks

    lang = _lang()
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"--kind {kind!r}: one of {', '.join(KINDS)} / 任务类型应为 {', '.join(KINDS)}")
    if out_file is not None and out_file.suffix.lower() not in (".csv", ".xlsx", ".ics"):
        raise ConfigError(f"{out_file}: write .csv, .xlsx or .ics / 输出文件请用 .csv、.xlsx 或 .ics")
    options = TaskOptions(on=_date(on, "--date") or date.today(), days=days)
    with _open() as ws:
        table = generate_tasks(ws, options)
        synced = sync_tasks(ws, table, options)
        team = None
        if manager is not None:
            team = [r[0] for r in ws.con.execute("SELECT rep_id FROM reps WHERE manager_id = ? OR rep_id = ?",
                                                 [manager, manager]).fetchall()]
            if not team:
                raise ConfigError(f"--manager {manager!r}: no such rep in the reps table / 没有该主管")
    if team is not None:
        table = table.filter(pc.is_in(table["rep_id"], pa.array(team, pa.string())))
    for column, value in (("rep_id", rep), ("department", department), ("kind", kind)):
        table = _filter(table, column, value)
    if out_file is not None:
        _export(table, out_file, rep, lang)
    if as_json:
        rows = [{"id": r["task_id"], **r} for r in table.to_pylist()]
        for r in rows:
            for k in ("due_date", "since_date"):
                r[k] = r[k].isoformat() if r[k] else None
        print(json.dumps(rows, ensure_ascii=False))
        return
    view = RichTable(*(_pick(lang, *h) for h in (("due", "到期"), ("P", "优先"), ("rep", "负责人"),
                                                  ("customer", "客户"), ("task", "任务"), ("why", "原因"))),
                     title=_pick(lang, f"tasks for {options.on} (+{days} days)",
                                 f"{options.on} 的任务（含之后 {days} 天）"),
                     title_justify="left")
    for r in table.slice(0, limit).to_pylist():
        late = r["overdue_days"] > 0
        late_text = _pick(lang, f" ({r['overdue_days']}d late)", f"（逾期{r['overdue_days']}天）")
        due = f"{r['due_date']}" + (late_text if late else "")
        label = str(KINDS[r["kind"]][1 if lang == "zh" else 0])
        view.add_row(due, str(r["priority"]), escape(r["rep_id"] or _pick(lang, "unassigned", "未分配")),
                     escape(f"{r['customer_id']} {r['customer_name'] or ''}"), label,
                     escape(r["reason_zh"] if lang == "zh" else r["reason_en"]), style="red" if late else "")
    out.print(view)
    counts = table.group_by("kind").aggregate([("task_id", "count")]).to_pylist()
    summary = ", ".join(f"{KINDS[c['kind']][1 if lang == 'zh' else 0]} {c['task_id_count']:,}"
                        for c in sorted(counts, key=lambda c: -c["task_id_count"]))
    out.print(_pick(lang, f"{table.num_rows:,} open tasks ({summary}); {synced.opened:,} new, "
                          f"{synced.done:,} done and {synced.lapsed:,} no longer needed since the last run",
                    f"共 {table.num_rows:,} 项待办（{summary}）；新增 {synced.opened:,}，"
                    f"已完成 {synced.done:,}，"
                    f"不再需要 {synced.lapsed:,}"))
    if out_file is not None:
        out.print(_pick(lang, f"written to {out_file}", f"已写入 {out_file}"))


def _export(table: pa.Table, path: Path, rep: str | None, lang: str) -> None:
    from tierwise.schemes.store import write_export

    if path.suffix.lower() != ".ics":
        write_export(table, path, sheet="tasks")
        return
    if rep is not None:
        path.write_text(calendar(table.to_pylist(), lang), encoding="utf-8")
        return
    reps = sorted({r or "unassigned" for r in table.column("rep_id").to_pylist()})
    rows = table.to_pylist()
    for r in reps:
        mine = [t for t in rows if (t["rep_id"] or "unassigned") == r]
        path.with_name(f"{path.stem}-{r}.ics").write_text(calendar(mine, lang), encoding="utf-8")


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 lines are at most 75 octets; longer ones continue with a leading space."""
    out, chunk = [], ""
    for ch in line:
        if len((chunk + ch).encode("utf-8")) > 74:
            out.append(chunk)
            chunk = " "
        chunk += ch
    return [*out, chunk]


def calendar(rows: list[dict[str, Any]], lang: str) -> str:
    """The tasks as an iCalendar file: one all-day event per task, its id as the UID, so a
    calendar app updates an event instead of duplicating it when the file is imported again."""
    from tierwise.playbook.tasks import KINDS

    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tierwise//tasks//EN", "CALSCALE:GREGORIAN"]
    for r in rows:
        day = r["due_date"].strftime("%Y%m%d")
        label = KINDS[r["kind"]][1 if lang == "zh" else 0]
        why = r["reason_zh"] if lang == "zh" else r["reason_en"]
        summary = f"{label}: {r['customer_id']} {r['customer_name'] or ''}".strip()
        lines += ["BEGIN:VEVENT", f"UID:{_ics_text(r['task_id'])}@tierwise", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day}", f"SUMMARY:{_ics_text(summary)}",
                  f"DESCRIPTION:{_ics_text(why)}", f"PRIORITY:{min(int(r['priority']), 9)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(part for line in lines for part in _fold(line)) + "\r\n"


@activity_app.command("add")
def activity_add(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    kind: Annotated[str, typer.Argument(help="visit, call, message, care, complaint or other (拜访, 电话, "
                                             "微信, 关怀, 投诉 ... accepted).")],
    on: Annotated[str | None, typer.Option("--date", help="Day of the follow-up (default: today).")] = None,
    rep: Annotated[str | None, typer.Option(help="Who followed up (default: the customer's rep).")] = None,
    note: Annotated[str | None, typer.Option(help="What happened.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Record a follow-up; the customer's tasks it does are closed at once."""
    from tierwise.playbook.activity import add_activity

    lang = _lang()
    with _open() as ws:
        result = add_activity(ws, customer, kind, day=_date(on, "--date") or date.today(), rep=rep, note=note)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, default=str))
        return
    what, day, ref = result["kind"], result["date"], result["activity_id"]
    out.print(_pick(lang, f"recorded {what} with {customer} on {day} ({ref})",
                    f"已记录 {customer} 的跟进（{what}，{day}，{ref}）"))
    for task in result["closed"]:
        out.print(_pick(lang, f"  done: {escape(task['task_id'])} — {escape(task['reason_en'])}",
                        f"  已完成：{escape(task['task_id'])} — {escape(task['reason_zh'])}"))
    if not result["closed"]:
        out.print(_pick(lang, "  no open task of this customer is done by it", "  该客户没有因此完成的任务"))
