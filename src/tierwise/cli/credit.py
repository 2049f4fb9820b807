"""The credit commands: ``credit check``, ``credit holds``, ``credit limit``.

Thin like the rest of the CLI: parse, open the workspace, call its credit service
(``ws.credit``), print. ``credit check`` exits 0 when the order may ship and 2 when it is refused.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, current_lang, open_workspace, out, parse_date, pick
from tierwise.errors import ConfigError

credit_app = typer.Typer(help="Credit control: held customers, may an order ship, credit limits.",
                         no_args_is_help=True)
app.add_typer(credit_app, name="credit")

REFUSED = 2  # exit code of `credit check` when the order may not ship
OnDate = Annotated[str | None, typer.Option("--date", help="Day of the check, YYYY-MM-DD (default: "
                                                           "today). Nothing dated after it is seen.")]


def _money(value: Decimal | None, lang: str) -> str:
    from tierwise.playbook.credit import yuan

    return pick(lang, "no limit", "不限") if value is None else yuan(value)


def _known(value: Decimal | int | None, lang: str) -> str:
    """A balance figure, or "unknown" (no payments imported)."""
    from tierwise.playbook.credit import yuan

    if value is None:
        return pick(lang, "unknown", "未知")
    return f"{value:,}" if isinstance(value, int) else yuan(value)


@credit_app.command("check")
def credit_check(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    amount: Annotated[str, typer.Argument(help="Amount of the new order in yuan, e.g. 25000.")],
    on: OnDate = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the decision as JSON.")] = False,
) -> None:
    """May a new order of AMOUNT ship for CUSTOMER? Exit code 0: yes, 2: no (held), 1: error.

    Yes when balance + order stays within the credit limit (or there is none) and nothing is overdue.

    Overdue counts after the credit_grace_days setting. Scripts: `tierwise credit check C001 25000 && ship`.

    Exit code 2 is also a usage mistake (a missing argument): a broken call never reads as allowed.
    """
    lang = current_lang()
    with open_workspace() as ws:
        result = ws.credit.check(customer, amount, on=parse_date(on, "--date"))
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        who = escape(result.customer_id + (f" {result.name}" if result.name else ""))
        amount_text = _money(result.amount, lang)
        if result.allowed:
            out.print(pick(lang, f"[bold green]YES[/] — {who} may ship an order of {amount_text}",
                            f"[bold green]可以发货[/] — {who} 本单 {amount_text}"))
        else:
            out.print(pick(lang, f"[bold red]NO[/] — {who}: an order of {amount_text} is held",
                            f"[bold red]不能发货[/] — {who}：本单 {amount_text} 被信用控制拦截"))
        grid = RichTable(show_header=False, box=box.SIMPLE, pad_edge=False)
        grid.add_column(style="bold")
        grid.add_column(justify="right")
        rows = ((("credit limit", "授信额度"), _money(result.credit_limit, lang)),
                (("outstanding", "应收余额"), _known(result.outstanding, lang)),
                (("after this order", "本单后余额"), _known(result.outstanding_after, lang)),
                (("headroom", "可用额度"), "—" if result.headroom is None else _money(result.headroom, lang)),
                (("overdue", "逾期应收"), _known(result.overdue_amount, lang)),
                (("most days overdue", "最长逾期天数"), _known(result.max_days_overdue, lang)),
                (("grace days", "宽限天数"), f"{result.grace_days:,}"),
                (("as of", "日期"), result.on.isoformat()))
        for (en, zh), value in rows:
            grid.add_row(pick(lang, en, zh), value)
        out.print(grid)
        for reason in result.reasons(lang):
            out.print(f"  • {escape(reason)}")
    if not result.allowed:
        raise typer.Exit(REFUSED)


@credit_app.command("holds")
def credit_holds(
    on: OnDate = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print every held customer as JSON.")] = False,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write every held customer to "
                                                             "FILE.csv or FILE.xlsx.")] = None,
    top: Annotated[int, typer.Option(help="Rows to show on screen (0: all); --json and --out "
                                          "always have all.")] = 50,
) -> None:
    """Customers whose new orders are held: over the credit limit, or overdue beyond grace.

    Largest amount over the limit (or overdue) first. Grace: the credit_grace_days setting.
    """
    from tierwise.schemes.store import write_export

    lang = current_lang()
    if out_file is not None and out_file.suffix.lower() not in (".csv", ".xlsx"):
        raise ConfigError(f"{out_file}: write .csv or .xlsx / 输出文件请用 .csv 或 .xlsx")
    with open_workspace() as ws:
        holds = ws.credit.holds(on=parse_date(on, "--date"))
    if out_file is not None:
        write_export(holds.table, out_file, sheet="credit_holds")
    if as_json:
        print(json.dumps(holds.to_json(), ensure_ascii=False))
        return
    rows: list[dict[str, Any]] = holds.rows()
    day, grace = holds.on, holds.grace_days
    shown = rows if top <= 0 else rows[:top]
    heads = (("customer", "客户"), ("name", "名称"), ("rep", "业务员"), ("credit limit", "授信额度"),
             ("outstanding", "应收余额"), ("over by", "超额"), ("overdue", "逾期应收"),
             ("days late", "逾期天数"))
    rich = RichTable(*(pick(lang, *h) for h in heads), box=box.SIMPLE_HEAD, pad_edge=False,
                     title=pick(lang, f"On hold as of {day} (grace {grace} days)",
                                 f"信用冻结客户，{day}（宽限 {grace} 天）"), title_justify="left")
    for i, col in enumerate(rich.columns):
        col.no_wrap = True
        col.justify = "right" if i >= 3 else "left"
    rich.columns[1].max_width, rich.columns[1].overflow = 22, "ellipsis"
    for r in shown:  # an empty "over limit by" or "overdue" says which rule did not hold them
        rich.add_row(escape(r["customer_id"]), escape(r["name"] or ""), escape(r["rep_id"] or ""),
                     _money(r["credit_limit"], lang), _money(r["outstanding"], lang),
                     _money(r["over_by"], lang) if r["over_limit"] else "",
                     _money(r["overdue_amount"], lang) if r["overdue_beyond_grace"] else "",
                     f"{r['max_days_overdue']:,}" if r["overdue_beyond_grace"] else "")
    out.print(rich)
    note = holds.note(lang)
    if note:
        out.print(f"[yellow]{escape(note)}[/]")
    total = sum((r["outstanding"] for r in rows), Decimal(0))
    out.print(pick(lang, f"{len(rows):,} customers on hold, {_money(total, lang)} outstanding",
                    f"信用冻结客户 {len(rows):,} 个，应收余额合计 {_money(total, lang)}"))
    if len(shown) < len(rows):
        out.print(pick(lang, f"showing the first {len(shown):,}: --top 0 shows all; --json or --out "
                              f"FILE.xlsx has every one with its reason",
                        f"仅显示前 {len(shown):,} 个：--top 0 显示全部；--json 或 --out 导出全部及原因"))
    if out_file is not None:
        out.print(pick(lang, f"wrote {len(rows):,} rows to {out_file}",
                        f"已写入 {len(rows):,} 行：{out_file}"))


@credit_app.command("limit")
def credit_limit(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    amount: Annotated[str, typer.Argument(help="New credit limit in yuan; 0 = cash only; none = "
                                               "no limit.")],
    reason: Annotated[str | None, typer.Option(help="Why (required; kept in the audit trail).")] = None,
    by: Annotated[str | None, typer.Option(help="Who is making the change, a user of the workspace once "
                                                "it has users (default: the user setting, else the login "
                                                "name).")] = None,
) -> None:
    """Set a customer's credit limit; the old and new value, who and why go into the audit trail."""
    lang = current_lang()
    limit: str | None = None if amount.strip().lower() in ("none", "无", "不限") else amount
    with open_workspace(by=by) as ws:
        changed = ws.credit.set_limit(customer, limit, reason=reason or "")
        actor = ws.actor.name
    if changed.get("pending"):  # above an approval chain's amount: the chain decides
        _pending(changed["pending"], lang)
        return
    old, new = (None if v is None else Decimal(str(v)) for v in (changed["old"], changed["new"]))
    out.print(pick(lang, f"credit limit of {escape(customer)}: {_money(old, lang)} → {_money(new, lang)} "
                          f"(by {escape(actor)}; recorded in the audit trail)",
                    f"{escape(customer)} 授信额度：{_money(old, lang)} → {_money(new, lang)}"
                    f"（{escape(actor)}；已记入审计日志）"))


def _pending(request: dict[str, object], lang: str) -> None:
    out.print(pick(lang, f"waits for approval {request['approval_id']} ({request['path']}): first "
                         f"{request['next']} ({request['next_who']}); `tierwise approvals list`",
                   f"等待审批单 {request['approval_id']}（{request['path']}）：先由{request['next']}"
                   f"（{request['next_who']}）审批；见 tierwise approvals list"))


By = Annotated[str | None, typer.Option("--by", help="Act as this user (their scope applies).")]


@credit_app.command("release")
def credit_release(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    amount: Annotated[str, typer.Argument(help="Orders up to this many yuan may ship.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")],
    until: Annotated[str | None, typer.Option(help="Until this day, YYYY-MM-DD (default: a week "
                                                   "on).")] = None,
    by: By = None,
) -> None:
    """Let orders of up to AMOUNT ship for a customer on credit hold (managers; above an
    approval chain's amount, the chain decides)."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        done = ws.credit.release(customer, amount, reason=reason, until=parse_date(until, "--until"))
    d = _decided(done, lang)
    if d is None:
        return
    out.print(pick(lang, f"{escape(customer)}: orders up to {d['amount']} may ship until {d['until']} "
                         f"(release {d['decision_id']}; audited)",
                   f"{escape(customer)}：{d['until']} 前 {d['amount']} 以内的订单可以发货"
                   f"（放行 {d['decision_id']}，已记入审计日志）"))


@credit_app.command("refuse")
def credit_refuse(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    amount: Annotated[str, typer.Argument(help="The refused order's amount in yuan.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")],
    by: By = None,
) -> None:
    """Record that an order was refused, and why; refusing a customer of a class an approval
    chain covers (an A customer) waits for that chain."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        done = ws.credit.refuse(customer, amount, reason=reason)
    d = _decided(done, lang)
    if d is None:
        return
    out.print(pick(lang, f"{escape(customer)}: order of {d['amount']} refused (refusal {d['decision_id']}; "
                         "audited)",
                   f"{escape(customer)}：已拒绝 {d['amount']} 的订单（拒单 {d['decision_id']}，"
                   "已记入审计日志）"))


def _decided(done: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """A release's or refusal's decision, its amount as money; None (and what waits, printed)
    when an approval chain decides it."""
    if done["pending"]:
        _pending(done["pending"], lang)
        return None
    decision = dict(done["decision"])
    decision["amount"] = _money(Decimal(decision["amount"]), lang)
    return decision

