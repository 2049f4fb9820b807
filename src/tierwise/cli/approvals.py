"""``tierwise approvals``: requests under an approval chain (科长 → 部长 → 总经理) at the shell:
the ones waiting for you, approve or reject a step, and the chains (through the facade)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, current_lang, open_workspace, out, pick
from tierwise.errors import ConfigError

approvals_app = typer.Typer(help="Approval chains: requests waiting step by step (科长 → 部长 → 总经理).",
                            no_args_is_help=True)
app.add_typer(approvals_app, name="approvals")

By = Annotated[str | None, typer.Option("--by", help="Act as this user (their scope applies).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _show(request: dict[str, Any], lang: str, as_json: bool = False) -> None:
    if as_json:
        print(json.dumps(request, ensure_ascii=False, default=str))
        return
    step = request["next"]
    n, of, who = request["done"] + 1, request["steps"], request["next_who"]
    state = (pick(lang, f"waiting for step {n}/{of}: {step} ({who})", f"等待第 {n}/{of} 步：{step}（{who}）")
             if step else pick(lang, request["status"], {"approved": "已批准", "rejected": "已驳回"}.get(
                 request["status"], request["status"])))
    out.print(f"#{request['approval_id']} {escape(request['title'])}: {escape(request['summary'])}")
    out.print(f"  {escape(request['path'])} · {escape(state)}")


@approvals_app.command("list")
def approvals_list(
    mine: Annotated[bool, typer.Option("--mine", help="Only those whose next step is yours.")] = False,
    status: Annotated[str, typer.Option(help="pending, approved or rejected.")] = "pending",
    as_json: AsJson = False,
    by: By = None,
) -> None:
    """Requests under approval of the customers you see (--mine: waiting for you), with each
    one's chain and the step it waits at."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        found = ws.approvals.list(mine=mine, status=status, lang=lang)
    if as_json:
        print(json.dumps(found, ensure_ascii=False, default=str))
        return
    view = RichTable(*(pick(lang, *h) for h in (("#", "编号"), ("request", "申请"), ("chain", "审批链"),
                                                  ("waiting for", "等待"), ("asked by", "申请人"))))
    for r in found:
        view.add_row(str(r["approval_id"]), escape(r["summary"]), escape(r["path"]),
                     escape(pick(lang, f"{r['next']} ({r['next_who']})", f"{r['next']}（{r['next_who']}）")
                            if r["next"] else r["status"]),
                     escape(r["requested_by"]))
    out.print(view)


@approvals_app.command("approve")
def approvals_approve(
    approval_id: Annotated[int, typer.Argument(help="The request's number.")],
    note: Annotated[str | None, typer.Option(help="A note for the audit trail.")] = None,
    as_json: AsJson = False,
    by: By = None,
) -> None:
    """Approve the next step of a request (the person its step names); the last step makes it
    take effect."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        _show(ws.approvals.approve(approval_id, note=note, lang=lang), lang, as_json)


@approvals_app.command("reject")
def approvals_reject(
    approval_id: Annotated[int, typer.Argument(help="The request's number.")],
    reason: Annotated[str, typer.Option(help="Why, for the audit trail.")],
    as_json: AsJson = False,
    by: By = None,
) -> None:
    """Reject a request at its next step, saying why: it ends there."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        _show(ws.approvals.reject(approval_id, reason=reason, lang=lang), lang, as_json)


@approvals_app.command("chains")
def approvals_chains(
    set_file: Annotated[Path | None, typer.Option("--set", help="Replace the chains with this YAML file "
                                                                "(admins).")] = None,
    as_json: AsJson = False,
    by: By = None,
) -> None:
    """The workspace's approval chains (YAML), or --set FILE to replace them."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        if set_file is not None:
            try:
                text = set_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{set_file}: cannot read it as UTF-8 text ({exc}) / "
                                  f"无法读取 {set_file}") from None
            found = ws.approvals.set_chains(text)
        else:
            found = ws.approvals.chains()
    if as_json:
        print(json.dumps(found, ensure_ascii=False))
        return
    for c in found["chains"]:
        out.print(f"{escape(c['name'])} ({escape(c['title'])}, {c['action']}): {escape(c['path'])}")
    if not found["chains"]:
        out.print(pick(lang, "no approval chain: a proposal is approved by another manager in one step",
                       "未配置审批链：类别调整由另一位经理一步批准"))
