"""Grading over time: ``history``, ``classes list``, ``override ...`` and ``audit``.

Thin like the rest of the CLI: parse, open the workspace, call the core, print.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, current_lang, open_workspace, out, parse_date, pick
from tierwise.cli.schemes import classes_app
from tierwise.schemes.fmt import class_text

override_app = typer.Typer(
    help="Hold a customer at a class by hand: set, propose / approve / reject, clear, list.",
    no_args_is_help=True)
app.add_typer(override_app, name="override")

By = Annotated[str | None, typer.Option("--by", help="Who is acting (default: the user setting, else "
                                                     "your login name).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command()
def history(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    scheme: Annotated[str | None, typer.Option(help="Only this scheme.")] = None,
    as_json: Json = False,
) -> None:
    """A customer's class per scheme across all snapshots, with reasons and overrides."""
    lang = current_lang()
    with open_workspace() as ws:
        found = ws.snapshots.history(customer, scheme=scheme, lang=lang)
    if as_json:
        print(json.dumps(found.to_json(), ensure_ascii=False, default=str))
        return
    rows, held = found.rows, found.overrides
    if not rows:
        out.print(pick(lang, f"{escape(customer)} has no class in any snapshot yet",
                        f"{escape(customer)} 尚无分类记录"))
    table = RichTable(*(pick(lang, *h) for h in (("scheme", "方案"), ("as of", "评估日"),
                                                   ("snapshot", "快照"), ("class", "类别"),
                                                   ("reason", "依据"))),
                      title=escape(customer), title_justify="left")
    last = None
    for r in rows:
        mark = ""
        if r["override_id"] is not None:
            mark += pick(lang, " (held)", "（手工）")
        if r["provisional_until"]:
            mark += pick(lang, " (provisional)", "（暂定）")
        table.add_row(r["scheme"] if r["scheme"] != last else "", r["as_of"], str(r["snapshot_id"]),
                      escape(f"{r['class']} {r['label']}{mark}"), escape(r["reason"] or ""))
        last = r["scheme"]
    if rows:
        out.print(table)
    if held:
        _print_overrides(held, lang)


@classes_app.command("list")
def classes_list(
    scheme: Annotated[str | None, typer.Option(help="Only this scheme.")] = None,
    klass: Annotated[str | None, typer.Option("--class", help="Only this class.")] = None,
    snapshot: Annotated[int | None, typer.Option(help="Snapshot id (default: the latest).")] = None,
    provisional: Annotated[bool, typer.Option(help="Only provisional classes (young customers).")] = False,
    overridden: Annotated[bool, typer.Option(help="Only classes held by an override.")] = False,
    limit: Annotated[int, typer.Option(help="Rows to print; 0 prints all (the export has them all).")] = 50,
    as_json: Json = False,
) -> None:
    """Customers and their class (held and provisional marks, reason in --lang) of a snapshot."""
    from tierwise.services.base import MAX_PAGE

    lang = current_lang()
    filters: dict[str, Any] = {"snapshot_id": snapshot, "scheme": scheme, "klass": klass,
                               "provisional": provisional, "overridden": overridden, "lang": lang}
    with open_workspace() as ws:
        if 0 < limit <= MAX_PAGE:
            page = ws.snapshots.classes(**filters, page_size=limit)
            rows, total = page["items"], page["total"]
        else:  # all, or more than a page: the export's rows
            table = ws.snapshots.export_classes(**filters, for_people=False)
            rows, total = (table.slice(0, limit) if limit > 0 else table).to_pylist(), table.num_rows
        titles = {s["name"]: s["title"] for s in ws.schemes.list(lang=lang)}
    if as_json:
        print(json.dumps({"total": total, "items": rows}, ensure_ascii=False, default=str))
        return
    view = RichTable(*(pick(lang, *h) for h in (("customer", "客户"), ("scheme", "方案"), ("class", "类别"),
                                                  ("reason", "依据"))))
    for r in rows:
        label = r["label_zh"] if lang == "zh" else r["label_en"]
        view.add_row(escape(r["customer_id"]), escape(titles.get(r["scheme"], r["scheme"])),
                     escape(class_text(r["class"], label, lang)), escape(r["reason"] or ""))
    out.print(view)
    out.print(pick(lang, f"{len(rows):,} of {total:,} rows; `tierwise classes export` writes all",
                    f"显示 {len(rows):,} / {total:,} 行；完整数据请用 tierwise classes export"))


# -- overrides ------------------------------------------------------------------------------
def _print_overrides(rows: list[Any], lang: str) -> None:
    today = date.today()
    table = RichTable(*(pick(lang, *h) for h in (
        ("id", "编号"), ("customer", "客户"), ("scheme", "方案"), ("class", "类别"), ("until", "到期"),
        ("state", "状态"), ("proposed by", "提议人"), ("decided by", "决定人"), ("reason", "原因"))),
        title=pick(lang, "overrides", "手工调整"), title_justify="left")
    states = {"proposed": "待审批", "active": "生效", "rejected": "已驳回", "cleared": "已撤销",
              "replaced": "已替换", "expired": "已到期"}
    for o in rows:
        state_ = o.state(today)
        table.add_row(str(o.override_id), escape(o.customer_id), o.scheme, escape(o.klass),
                      str(o.until or ""), pick(lang, state_, states.get(state_, state_)),
                      escape(o.proposed_by), escape(o.decided_by or ""),
                      escape(o.reason + (f" — {o.decision_note}" if o.decision_note else "")))
    out.print(table)


def _done(o: Any, lang: str, as_json: bool, en: str, zh: str) -> None:
    if as_json:
        print(json.dumps(o.to_json(), ensure_ascii=False))
    else:
        out.print(pick(lang, en, zh))


Until = Annotated[str | None, typer.Option("--until", help="Date YYYY-MM-DD the override expires (it "
                                                           "holds for evaluations before that day).")]
Reason = Annotated[str, typer.Option("--reason", help="Why (kept in the audit trail).")]


@override_app.command("set")
def override_set(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    scheme: Annotated[str, typer.Argument(help="Scheme name.")],
    klass: Annotated[str, typer.Argument(metavar="CLASS", help="Class id to hold the customer at.")],
    reason: Reason, until: Until = None, by: By = None, as_json: Json = False,
) -> None:
    """Hold CUSTOMER at CLASS in SCHEME now (wins over the computed class until it expires)."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        o = ws.overrides.set(customer, scheme, klass, reason=reason, until=parse_date(until, "--until"))
    _done(o, lang, as_json, f"override {o.override_id}: {customer} held at {klass} in {scheme}"
          + (f" until {o.until}" if o.until else ""),
          f"调整 {o.override_id}：{customer} 在 {scheme} 中定为 {klass}"
          + (f"，至 {o.until}" if o.until else ""))


@override_app.command("propose")
def override_propose(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    scheme: Annotated[str, typer.Argument(help="Scheme name.")],
    klass: Annotated[str, typer.Argument(metavar="CLASS", help="Class id proposed.")],
    reason: Reason, until: Until = None, by: By = None, as_json: Json = False,
) -> None:
    """Propose holding CUSTOMER at CLASS (a rep's pre-rating); a manager approves or rejects it."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        o = ws.overrides.propose(customer, scheme, klass, reason=reason, until=parse_date(until, "--until"))
    if o.approval is not None:  # an approval chain: its steps, and who decides first
        a = o.approval
        _done(o, lang, as_json, f"override {o.override_id} proposed: {customer} → {klass} in {scheme}; "
              f"approval {a['approval_id']} walks {a['path']}, first {a['next']} ({a['next_who']})",
              f"已提议调整 {o.override_id}：{customer} 在 {scheme} 中调为 {klass}；审批单 {a['approval_id']}"
              f"（{a['path']}），先由{a['next']}（{a['next_who']}）审批")
        return
    _done(o, lang, as_json, f"override {o.override_id} proposed: {customer} → {klass} in {scheme}; "
          f"`tierwise override approve {o.override_id}` (by another person) makes it active",
          f"已提议调整 {o.override_id}：{customer} 在 {scheme} 中调为 {klass}；待他人批准")


@override_app.command("approve")
def override_approve(
    override_id: Annotated[int, typer.Argument(metavar="ID", help="The proposal's id.")],
    note: Annotated[str | None, typer.Option(help="A note on the decision.")] = None,
    by: By = None, as_json: Json = False,
) -> None:
    """Approve a proposed override (managers and admins, not its proposer): it becomes active at once."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        o = ws.overrides.approve(override_id, note=note)
    if o.status == "proposed" and o.approval is not None:  # one step of its chain
        a = o.approval
        _done(o, lang, as_json, f"override {o.override_id}: step {a['done']} of {a['steps']} approved; next "
              f"{a['next']} ({a['next_who']})",
              f"调整 {o.override_id}：第 {a['done']}/{a['steps']} 步已批准；"
              f"下一步 {a['next']}（{a['next_who']}）")
        return
    _done(o, lang, as_json,
          f"override {o.override_id} approved: {o.customer_id} held at {o.klass} in {o.scheme}",
          f"已批准调整 {o.override_id}：{o.customer_id} 在 {o.scheme} 中定为 {o.klass}")


@override_app.command("reject")
def override_reject(
    override_id: Annotated[int, typer.Argument(metavar="ID", help="The proposal's id.")],
    reason: Reason, by: By = None, as_json: Json = False,
) -> None:
    """Reject a proposed override, saying why (managers and admins)."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        o = ws.overrides.reject(override_id, reason=reason)
    _done(o, lang, as_json, f"override {o.override_id} rejected", f"已驳回调整 {o.override_id}")


@override_app.command("clear")
def override_clear(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    scheme: Annotated[str, typer.Argument(help="Scheme name.")],
    reason: Reason, by: By = None, as_json: Json = False,
) -> None:
    """End CUSTOMER's active override in SCHEME: the computed class applies again."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        o = ws.overrides.clear(customer, scheme, reason=reason)
    _done(o, lang, as_json,
          f"override {o.override_id} cleared: {customer} takes the computed class in {scheme}",
          f"已撤销调整 {o.override_id}：{customer} 在 {scheme} 中恢复计算类别")


@override_app.command("list")
def override_list(
    customer: Annotated[str | None, typer.Option(help="Only this customer.")] = None,
    scheme: Annotated[str | None, typer.Option(help="Only this scheme.")] = None,
    status: Annotated[str | None, typer.Option(help="proposed, active, expired, rejected, cleared or "
                                                    "replaced.")] = None,
    as_json: Json = False,
) -> None:
    """Overrides, newest first (waiting proposals: --status proposed)."""
    lang = current_lang()
    with open_workspace() as ws:
        rows = ws.overrides.list(status=status, customer_id=customer, scheme=scheme)
    if as_json:
        print(json.dumps([o.to_json() for o in rows], ensure_ascii=False))
        return
    if not rows:
        out.print(pick(lang, "no overrides", "没有手工调整"))
        return
    _print_overrides(rows, lang)


# -- audit ----------------------------------------------------------------------------------
@app.command()
def audit(
    customer: Annotated[str | None, typer.Option(help="Only changes to this customer.")] = None,
    since: Annotated[str | None, typer.Option(help="Only changes on or after YYYY-MM-DD.")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action or family (override, credit, "
                                                    "scheme, customer).")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the latest N rows.")] = None,
    verify: Annotated[bool, typer.Option(help="Check the hash chain: exit 1 if a row was edited or "
                                              "removed outside tierwise.")] = False,
    as_json: Json = False,
) -> None:
    """The audit trail: who changed what, when, old → new, and why (append-only)."""
    from tierwise.errors import DataError
    from tierwise.services.audit import ACTIONS

    lang = current_lang()
    with open_workspace() as ws:
        if verify:
            check = ws.audit.verify()
            if not check.ok:
                raise DataError(f"audit row {check.first_bad} does not match the hash chain: it (or a row "
                                f"before it) was changed outside tierwise / "
                                f"审计记录 {check.first_bad} 被篡改")
        rows = ws.audit.list(customer_id=customer, since=parse_date(since, "--since"), action=action,
                             limit=limit)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return
    if verify:
        out.print(pick(lang, f"[green]ok[/]: {check.rows:,} audit rows, hash chain intact",
                        f"[green]通过[/]：{check.rows:,} 条审计记录，哈希链完整"))
    table = RichTable(*(pick(lang, *h) for h in (
        ("#", "#"), ("when", "时间"), ("who", "操作人"), ("action", "操作"), ("customer", "客户"),
        ("scheme", "方案"), ("what", "对象"), ("old → new", "原值 → 新值"), ("reason", "原因"))))
    for r in rows:
        label = ACTIONS.get(r["action"], (r["action"], r["action"]))
        change = f"{r['old_value'] or '—'} → {r['new_value'] or '—'}"
        table.add_row(str(r["audit_id"]), r["changed_at"], escape(r["actor"]), pick(lang, *label),
                      escape(r["customer_id"] or ""), r["scheme"] or "", escape(r["subject"] or ""),
                      escape(change), escape(r["reason"] or ""))
    out.print(table)


customer_app = typer.Typer(help="One customer: show it, or set an attribute by hand (audited), e.g. a flag.",
                           no_args_is_help=True)
app.add_typer(customer_app, name="customer")


@customer_app.command("set")
def customer_set(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    attribute: Annotated[str, typer.Argument(help="Attribute, e.g. flag (strategic, key, distinguished, "
                                                  "model, free) or annual_agreement.")],
    value: Annotated[str, typer.Argument(help="The value; `none` clears it.")],
    reason: Reason, by: By = None,
) -> None:
    """Set a customer attribute the schemes read (e.g. `flag key`); recorded in the audit trail."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        new_value = None if value.strip().lower() == "none" else value
        done = ws.customers.set_attribute(customer, attribute, new_value, reason=reason)
    old, new = done["old"], done["new"]
    out.print(pick(lang, f"{customer} {attribute}: {old or '—'} → {new or '—'}; "
                          f"the next classification uses it",
                    f"{customer} {attribute}：{old or '—'} → {new or '—'}；下次分类时生效"))
