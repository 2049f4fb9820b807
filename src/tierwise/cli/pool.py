"""``tierwise pool``: the public pool (公海) at the shell: list it, claim or assign from it,
release to it, and recycle neglected customers into it (through the facade)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, current_lang, open_workspace, out, parse_date, pick
from tierwise.schemes.fmt import class_text

pool_app = typer.Typer(help="The public pool (公海): neglected customers go back to it, reps claim from it.",
                       no_args_is_help=True)
app.add_typer(pool_app, name="pool")

By = Annotated[str | None, typer.Option("--by", help="Act as this user (their scope applies).")]
Customers = Annotated[list[str], typer.Option("--customer", help="The customer (repeat for more).")]
On = Annotated[str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, default=str))


@pool_app.command("list")
def pool_list(
    q: Annotated[str | None, typer.Option("--q", help="Search id or name.")] = None,
    customer: Annotated[str | None, typer.Option("--customer", help="Only this customer.")] = None,
    page: Annotated[int, typer.Option(help="Page number, from 1.")] = 1,
    page_size: Annotated[int, typer.Option(help="Customers per page.")] = 50,
    as_json: AsJson = False,
    by: By = None,
) -> None:
    """The pool's customers you may see, longest in the pool first: since when, whose they
    were, why they came, and until when their previous owner may not claim them back."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        found = ws.pool.list(q=q, customer_id=customer, page=page, page_size=page_size, lang=lang)
    if as_json:
        _json(found)
        return
    view = RichTable(*(pick(lang, *h) for h in (
        ("customer", "客户"), ("name", "名称"), ("department", "部门"), ("since", "进入公海"),
        ("was", "原负责人"), ("why", "原因"), ("cooldown until", "原负责人冷却至"))))
    for r in found["items"]:
        view.add_row(escape(r["customer_id"]), escape(r["name"] or ""), escape(r["department"] or ""),
                     str(r["since"]), escape(r["previous_rep"] or "—"), escape(r["reason"] or ""),
                     str(r["cooldown_until"] or ""))
    out.print(view)
    out.print(pick(lang, f"{found['total']:,} customers in the pool you may see",
                   f"您可见的公海客户共 {found['total']:,} 个"))


@pool_app.command("claim")
def pool_claim(
    customer: Customers,
    rep: Annotated[str | None, typer.Option("--rep", help="Assign to this rep (managers and admins); a "
                                                          "rep claims for themself.")] = None,
    as_json: AsJson = False,
    by: By = None,
) -> None:
    """Take customers from the pool: a rep for themself (the class's daily limit, ceiling and
    the previous owner's cooldown apply), a manager or admin for a rep (--rep)."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        moved = ws.pool.claim(customer, rep_id=rep)
    if as_json:
        _json(moved.to_json())
        return
    n = f"{len(moved.customer_ids):,}"
    out.print(pick(lang, f"{n} customers now with {moved.rep_id}; audited",
                   f"{n} 个客户已归 {moved.rep_id} 负责，已记入审计日志"))


@pool_app.command("release")
def pool_release(
    customer: Customers,
    reason: Annotated[str, typer.Option(help="Why, for the audit trail.")],
    as_json: AsJson = False,
    by: By = None,
) -> None:
    """Return customers to the pool: their open tasks lapse, the previous owner waits the
    class's cooldown before claiming them back."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        moved = ws.pool.release(customer, reason=reason)
    if as_json:
        _json(moved.to_json())
        return
    n = f"{len(moved.customer_ids):,}"
    out.print(pick(lang, f"{n} customers back in the public pool; audited",
                   f"{n} 个客户已退回公海，已记入审计日志"))


@pool_app.command("recycle")
def pool_recycle(
    on: On = None,
    apply: Annotated[bool, typer.Option("--apply", help="Move them (without it: only show who would "
                                                        "go).")] = False,
    limit: Annotated[int, typer.Option(help="Customers to print (--json has the first 200).")] = 30,
    as_json: AsJson = False,
    by: By = None,
) -> None:
    """The neglected customers their class's pool rule sends back to the pool: past the rule's
    days without a follow-up (or order), warned at least the rule's warning days before.
    Previewed unless --apply (admins; the server's schedule does it daily)."""
    from tierwise.cli.main import run_job

    lang = current_lang()
    day = parse_date(on, "--date")
    with open_workspace(by=by) as ws:
        done = run_job(ws, "pool", on=day, apply=True, lang=lang) if apply else \
            ws.pool.recycle(on=day, lang=lang)
    data = done if isinstance(done, dict) else done.to_json()
    if as_json:
        _json(data)
        return
    view = RichTable(*(pick(lang, *h) for h in (("customer", "客户"), ("name", "名称"), ("rep", "业务员"),
                                                  ("class", "类别"), ("due", "到期"), ("why", "原因"))))
    for m in data["moves"][:limit]:
        view.add_row(escape(m["customer_id"]), escape(m["name"] or ""), escape(m["rep_id"] or ""),
                     escape(class_text(m["class"], m["label"], lang)), str(m["deadline"]),
                     escape(m["reason"] or ""))
    out.print(view)
    per_rep = pick(lang, ", ", "，").join(f"{r} {n:,}" for r, n in list(data["per_rep"].items())[:8])
    n, warned = f"{data['customers']:,}", f"{data['warned']:,}"
    if not data["customers"]:
        out.print(pick(lang, f"nobody is due for the public pool on {data['on']}; {warned} warned",
                       f"{data['on']} 没有到期收回公海的客户；{warned} 个在预警中"))
    elif data["applied"]:
        out.print(pick(lang, f"{n} customers recycled to the public pool ({per_rep}); audited; {warned} more "
                             "warned",
                       f"已将 {n} 个客户收回公海（{per_rep}），已记入审计日志；另有 {warned} 个在预警中"))
    else:
        out.print(pick(lang, f"preview: {n} customers would go to the public pool ({per_rep}); {warned} more "
                             "warned; add --apply to move them",
                       f"预览：将有 {n} 个客户收回公海（{per_rep}）；另有 {warned} 个在预警中；"
                       "确认请加 --apply"))
