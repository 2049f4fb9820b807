"""``tierwise customers list`` and ``tierwise customer show``: the customer list and one
customer's page at the shell, the same answers as the web app's (through the facade)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.history import customer_app
from tierwise.cli.main import app, current_lang, open_workspace, out, pick
from tierwise.errors import ConfigError
from tierwise.schemes.fmt import class_text

customers_app = typer.Typer(help="The customer list: search, filter by class, sort, export.",
                            no_args_is_help=True)
app.add_typer(customers_app, name="customers")

By = Annotated[str | None, typer.Option("--by", help="Act as this user (their scope applies).")]


def _money(value: Any) -> str:
    from tierwise.schemes.fmt import money

    return "" if value is None else money(value)


@customers_app.command("list")
def customers_list(
    q: Annotated[str | None, typer.Option("--q", help="Search id or name.")] = None,
    scheme: Annotated[str | None, typer.Option(help="Only classified in this scheme (with --class).")] = None,
    klass: Annotated[str | None, typer.Option("--class", help="Only these classes (A or A,B).")] = None,
    rep: Annotated[str | None, typer.Option(help="Only this rep's customers.")] = None,
    department: Annotated[str | None, typer.Option(help="Only this department.")] = None,
    region: Annotated[str | None, typer.Option(help="Only this region.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only customers whose flag holds this text.")] = None,
    sort: Annotated[str, typer.Option(help="customer_id, name, revenue, orders, last_order_date, "
                                           "outstanding or overdue; a leading - sorts descending."),
    ] = "customer_id",
    page: Annotated[int, typer.Option(help="Page, from 1.")] = 1,
    page_size: Annotated[int, typer.Option(help="Rows a page (1-500).")] = 50,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write every customer of the filter "
                                                             "to FILE.csv or FILE.xlsx.")] = None,
    by: By = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the page as JSON.")] = False,
) -> None:
    """Customers matching the filters, a page at a time, with each one's current classes."""
    from tierwise.schemes.store import write_export

    lang = current_lang()
    filters = {"q": q, "scheme": scheme, "klass": klass, "rep_id": rep, "department": department,
               "region": region, "tag": tag}
    if out_file is not None and out_file.suffix.lower() not in (".csv", ".xlsx"):
        raise ConfigError(f"{out_file}: write .csv or .xlsx / 输出文件请用 .csv 或 .xlsx")
    with open_workspace(by=by) as ws:
        if out_file is not None:
            table = ws.customers.export(sort=sort, **filters)
            write_export(table, out_file, sheet="customers")
            out.print(pick(lang, f"wrote {table.num_rows:,} customers to {escape(str(out_file))}",
                           f"已写入 {table.num_rows:,} 位客户：{escape(str(out_file))}"))
            return
        result = ws.customers.list(sort=sort, page=page, page_size=page_size, **filters)
        names = {} if as_json else {  # each scheme's classes as people read them (关键客户（A）)
            x["name"]: (x["title"], {c["id"]: class_text(c["id"], c["label"], lang) for c in x["classes"]})
            for x in ws.schemes.list(lang=lang)}
    if as_json:
        print(json.dumps(result, ensure_ascii=False, default=str))
        return
    heads = (("customer", "客户"), ("name", "名称"), ("rep", "业务员"), ("revenue", "销售额"),
             ("orders", "订单"), ("last order", "最近购买"), ("overdue", "逾期"), ("classes", "类别"))
    rich = RichTable(*(pick(lang, en, zh) for en, zh in heads))
    for r in result["items"]:
        classes = pick(lang, "; ", "；").join(
            f"{names[k][0]}{pick(lang, ': ', '：')}{names[k][1].get(v, v)}" if k in names else f"{k}={v}"
            for k, v in r["classes"].items())
        rich.add_row(r["customer_id"], escape(r["name"] or ""), r["rep_id"] or "", _money(r["revenue"]),
                     "" if r["orders"] is None else f"{r['orders']:,}", str(r["last_order_date"] or ""),
                     _money(r["overdue"]), escape(classes))
    out.print(rich)
    last = -(-result["total"] // page_size) or 1
    out.print(pick(lang, f"{result['total']:,} customers; page {page} of {last}",
                   f"共 {result['total']:,} 位客户；第 {page}/{last} 页"))


@customer_app.command("show")
def customer_show(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    by: By = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print everything as JSON.")] = False,
) -> None:
    """One customer: profile, class in every scheme with its reason, open tasks, latest follow-ups."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        data = ws.customers.get(customer, lang=lang)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, default=str))
        return
    profile = data["customer"]
    out.print(f"[bold]{escape(customer)} {escape(str(profile.get('name') or ''))}[/]")
    for key, en, zh in (("rep_id", "rep", "业务员"), ("department", "department", "部门"),
                        ("region", "region", "区域"), ("credit_limit", "credit limit", "授信额度")):
        if profile.get(key) is not None:
            out.print(f"  {pick(lang, en, zh)}: {escape(str(profile[key]))}")
    classes = RichTable(*(pick(lang, en, zh) for en, zh in (("scheme", "方案"), ("class", "类别"),
                                                             ("reason", "依据"))))
    for c in data["classes"]:
        classes.add_row(escape(c["title"] or c["scheme"]), escape(class_text(c["class"], c["label"], lang)),
                        escape(c["reason"] or ""))
    out.print(classes)
    if data["tasks"]:
        tasks = RichTable(pick(lang, "due", "到期"), pick(lang, "task", "任务"), pick(lang, "why", "原因"))
        for t in data["tasks"]:
            tasks.add_row(str(t["due_date"]), t["kind"], escape(t["reason"] or ""))
        out.print(tasks)
    for a in data["activities"][:5]:
        out.print(f"  {a['activity_date']}  {a['kind']}  {escape(str(a['note'] or ''))}")


@app.command()
def handover(
    to: Annotated[list[str], typer.Option("--to", help="The rep who takes the customers; several "
                                                       "--to spread them by the room each has.")],
    from_rep: Annotated[str | None, typer.Option("--from", help="Hand over every customer of this rep "
                                                                "(a leaving rep).")] = None,
    customer: Annotated[list[str] | None, typer.Option("--customer", help="Only this customer "
                                                                          "(repeat for more).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why, for the audit trail (needed with "
                                                    "--apply).")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Hand them over (without it: only show what "
                                                        "would move).")] = False,
    limit: Annotated[int, typer.Option(help="Moves to print (--json has all).")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print the handover as JSON.")] = False,
    by: By = None,
) -> None:
    """Hand customers over to another rep: their open tasks follow; previewed unless --apply.

    Managers hand over to reps of their department, admins to anyone. Each customer moved is
    audited with --reason; its history, classes and overrides stay with it.
    """
    lang = current_lang()
    with open_workspace(by=by) as ws:
        done = ws.customers.handover(to, customer_ids=customer or None, from_rep=from_rep, reason=reason,
                                     apply=apply)
    if as_json:
        print(json.dumps(done.to_json(), ensure_ascii=False))
        return
    view = RichTable(*(pick(lang, *h) for h in (("customer", "客户"), ("name", "名称"), ("from", "原业务员"),
                                                  ("to", "接手业务员"), ("open tasks", "待办任务"))))
    for m in done.moves[:limit]:
        view.add_row(escape(m.customer_id), escape(m.name or ""), escape(m.from_rep or "—"), escape(m.to_rep),
                     f"{m.open_tasks:,}")
    out.print(view)
    spread = "，".join(f"{rep} {n:,}" for rep, n in done.per_rep().items())
    n, tasks = f"{len(done.moves):,}", f"{done.open_tasks:,}"
    if done.applied:
        out.print(pick(lang, f"handed over {n} customers and {tasks} open tasks ({spread}); audited",
                       f"已移交 {n} 个客户及 {tasks} 项待办任务（{spread}），已记入审计日志"))
    else:
        out.print(pick(lang, f"preview: {n} customers and {tasks} open tasks would move ({spread}); add "
                             f"--apply --reason \"...\" to hand them over",
                       f"预览：将移交 {n} 个客户及 {tasks} 项待办任务（{spread}）；"
                       f"确认请加 --apply --reason \"原因\""))
    if done.skipped:
        out.print(pick(lang, f"{len(done.skipped):,} already theirs, left as they are",
                       f"{len(done.skipped):,} 个客户本已属于接手业务员，未变动"))
