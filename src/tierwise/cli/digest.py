"""``tierwise digest``: each rep's daily digest (tasks due, credit holds, pool warnings) to a
WeCom or DingTalk group robot or by e-mail: the channels, and sending or previewing (through
the facade)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, current_lang, open_workspace, out, parse_date, pick

digest_app = typer.Typer(help="Daily digests to each rep: WeCom or DingTalk group robots, or e-mail.",
                         no_args_is_help=True)
app.add_typer(digest_app, name="digest")

By = Annotated[str | None, typer.Option("--by", help="Act as this user (their scope applies).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@digest_app.command("channels")
def digest_channels(as_json: AsJson = False, by: By = None) -> None:
    """Where each rep's digest goes (the webhook's key hidden)."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        found = ws.digests.channels()
    if as_json:
        print(json.dumps(found, ensure_ascii=False))
        return
    view = RichTable(*(pick(lang, *h) for h in (("rep", "业务员"), ("name", "姓名"), ("channel", "渠道"),
                                                  ("to", "发送到"), ("signed", "加签"))))
    for r in found:
        view.add_row(escape(r["rep_id"]), escape(r["name"] or ""), r["channel"], escape(r["to"]),
                     pick(lang, "yes", "是") if r["signed"] else "")
    out.print(view)


@digest_app.command("set")
def digest_set(
    rep: Annotated[str, typer.Argument(help="The rep.")],
    channel: Annotated[str, typer.Argument(help="wecom, dingtalk, email, or off.")],
    address: Annotated[str | None, typer.Argument(help="The robot's webhook address, or the e-mail "
                                                       "address.")] = None,
    secret: Annotated[str | None, typer.Option(help="The DingTalk robot's signing secret (加签).")] = None,
    by: By = None,
) -> None:
    """Send REP's daily digest to a group robot's webhook or an e-mail address (admins; audited)."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        done = ws.digests.set_channel(rep, channel, address, secret=secret)
    if done["channel"] is None:
        out.print(pick(lang, f"{rep}: no digest", f"{rep}：不再发送每日提醒"))
    else:
        out.print(pick(lang, f"{rep}: digest by {done['channel']} to {done['to']}",
                       f"{rep}：每日提醒经 {done['channel']} 发送到 {done['to']}"))


@digest_app.command("send")
def digest_send(
    on: Annotated[str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")] = None,
    rep: Annotated[list[str] | None, typer.Option("--rep", help="Only this rep (repeat for more).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the messages and where they would go; "
                                                            "send nothing.")] = False,
    as_json: AsJson = False,
    by: By = None,
) -> None:
    """Send each rep's digest of the day (their open tasks due, credit holds, customers about
    to go to the public pool): one message per rep, a robot at most 20 a minute."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        done = ws.digests.send(on=parse_date(on, "--date"), reps=rep or None, dry_run=dry_run, lang=lang)
    if as_json:
        print(json.dumps(done, ensure_ascii=False))
        return
    words = {"sent": ("sent", "已发送"), "failed": ("failed", "发送失败"),
             "dry-run": ("would send", "将发送"), "no-channel": ("no channel", "未设置渠道")}
    for m in done["messages"]:
        status = pick(lang, *words[m["status"]])
        where = f" → {m['channel']} {m['to']}" if m["channel"] else ""
        out.print(f"[bold]{escape(m['rep_id'])}[/bold] {status}{escape(where)}"
                  + (f" [red]{escape(m['error'])}[/red]" if m["error"] else ""))
        if dry_run:
            out.print(escape(m["text"]), highlight=False)
            out.print("")
    counts = "，".join(f"{pick(lang, *words[k])} {n}" for k, n in done["counts"].items())
    out.print(pick(lang, f"digests of {done['on']}: {counts or 'none due'}",
                   f"{done['on']} 的每日提醒：{counts or '无到期任务'}"))
