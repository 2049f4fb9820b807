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

from tierwise.cli import _date, _lang, _open, app, out, state
from tierwise.cli_schemes import _pick, classes_app

override_app = typer.Typer(
    help="Hold a customer at a class by hand: set, propose / approve / reject, clear, list.",
    no_args_is_help=True)
app.add_typer(override_app, name="override")

By = Annotated[str | None, typer.Option("--by", help="Who is acting (default: the user setting, else "
                                                     "your login name).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _by(by: str | None) -> str:
    from tierwise.store.audit import current_user

    return current_user(by or state.settings().user)


@app.command()
def history(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    scheme: Annotated[str | None, typer.Option(help="Only this scheme.")] = None,
    as_json: Json = False,
) -> None:
    """A customer's class per scheme across all snapshots, with reasons and overrides."""
    from tierwise.schemes.overrides import list_overrides
    from tierwise.schemes.store import history as read_history

    lang = _lang()
    with _open() as ws:
        rows = read_history(ws, customer, scheme=scheme, lang=lang)
        held = list_overrides(ws, customer=customer, scheme=scheme)
    if as_json:
        print(json.dumps({"customer_id": customer, "history": rows,
                          "overrides": [o.to_json() for o in held]}, ensure_ascii=False, default=str))
        return
    if not rows:
        out.print(_pick(lang, f"{escape(customer)} has no class in any snapshot yet",
                        f"{escape(customer)} 尚无分类记录"))
    table = RichTable(*(_pick(lang, *h) for h in (("scheme", "方案"), ("as of", "评估日"),
                                                   ("snapshot", "快照"), ("class", "类别"),
                                                   ("reason", "依据"))),
                      title=escape(customer), title_justify="left")
    last = None
    for r in rows:
        mark = ""
        if r["override_id"] is not None:
            mark += _pick(lang, " (held)", "（手工）")
        if r["provisional_until"]:
            mark += _pick(lang, " (provisional)", "（暂定）")
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
    limit: Annotated[int, typer.Option(help="Rows to print (the export has them all).")] = 50,
    as_json: Json = False,
) -> None:
    """Customers and their class (held and provisional marks, reason in --lang) of a snapshot."""
    from tierwise.schemes.store import class_table

    lang = _lang()
    with _open() as ws:
        table = class_table(ws, snapshot_id=snapshot, scheme=scheme, lang=lang, klass=klass,
                            provisional=provisional, overridden=overridden)
    rows = table.slice(0, limit).to_pylist() if limit > 0 else table.to_pylist()
    if as_json:
        print(json.dumps({"total": table.num_rows, "items": rows}, ensure_ascii=False, default=str))
        return
    view = RichTable(*(_pick(lang, *h) for h in (("customer", "客户"), ("scheme", "方案"), ("class", "类别"),
                                                  ("reason", "依据"))))
    for r in rows:
        label = r["label_zh"] if lang == "zh" else r["label_en"]
        view.add_row(escape(r["customer_id"]), r["scheme"], escape(f"{r['class']} {label or ''}"),
                     escape(r["reason"] or ""))
    out.print(view)
    out.print(_pick(lang, f"{len(rows):,} of {table.num_rows:,} rows; `tierwise classes export` writes all",
                    f"显示 {len(rows):,} / {table.num_rows:,} 行；完整数据请用 tierwise classes export"))


# -- overrides ------------------------------------------------------------------------------
def _print_overrides(rows: list[Any], lang: str) -> None:
    today = date.today()
    table = RichTable(*(_pick(lang, *h) for h in (
        ("id", "编号"), ("customer", "客户"), ("scheme", "方案"), ("class", "类别"), ("until", "到期"),
        ("state", "状态"), ("proposed by", "提议人"), ("decided by", "决定人"), ("reason", "原因"))),
        title=_pick(lang, "overrides", "手工调整"), title_justify="left")
    states = {"proposed": "待审批", "active": "生效", "rejected": "已驳回", "cleared": "已撤销",
              "replaced": "已替换", "expired": "已到期"}
    for o in rows:
        state_ = o.state(today)
        table.add_row(str(o.override_id), escape(o.customer_id), o.scheme, escape(o.klass),
                      str(o.until or ""), _pick(lang, state_, states.get(state_, state_)),
                      escape(o.proposed_by), escape(o.decided_by or ""),
                      escape(o.reason + (f" — {o.decision_note}" if o.decision_note else "")))
    out.print(table)


def _done(o: Any, lang: str, as_json: bool, en: str, zh: str) -> None:
    if as_json:
        print(json.dumps(o.to_json(), ensure_ascii=False))
    else:
        out.print(_pick(lang, en, zh))


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
    from tierwise.schemes.overrides import set_override

    lang = _lang()
    with _open() as ws:
        o = set_override(ws, customer, scheme, klass, reason=reason, by=_by(by),
                         until=_date(until, "--until"))
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
    from tierwise.schemes.overrides import propose

    lang = _lang()
    with _open() as ws:
        o = propose(ws, customer, scheme, klass, reason=reason, by=_by(by), until=_date(until, "--until"))
    _done(o, lang, as_json, f"override {o.override_id} proposed: {customer} → {klass} in {scheme}; "
          f"`tierwise override approve {o.override_id}` (by another person) makes it active",
          f"已提议调整 {o.override_id}：{customer} 在 {scheme} 中调为 {klass}；待他人批准")


@override_app.command("approve")
def override_approve(
    override_id: Annotated[int, typer.Argument(metavar="ID", help="The proposal's id.")],
    note: Annotated[str | None, typer.Option(help="A note on the decision.")] = None,
    by: By = None, as_json: Json = False,
) -> None:
    """Approve a proposed override: it becomes active at once."""
    from tierwise.schemes.overrides import approve

    lang = _lang()
    with _open() as ws:
        o = approve(ws, override_id, by=_by(by), note=note)
    _done(o, lang, as_json,
          f"override {o.override_id} approved: {o.customer_id} held at {o.klass} in {o.scheme}",
          f"已批准调整 {o.override_id}：{o.customer_id} 在 {o.scheme} 中定为 {o.klass}")


@override_app.command("reject")
def override_reject(
    override_id: Annotated[int, typer.Argument(metavar="ID", help="The proposal's id.")],
    reason: Reason, by: By = None, as_json: Json = False,
) -> None:
    """Reject a proposed override, saying why."""
    from tierwise.schemes.overrides import reject

    lang = _lang()
    with _open() as ws:
        o = reject(ws, override_id, by=_by(by), reason=reason)
    _done(o, lang, as_json, f"override {o.override_id} rejected", f"已驳回调整 {o.override_id}")


@override_app.command("clear")
def override_clear(
    customer: Annotated[str, typer.Argument(help="Customer id.")],
    scheme: Annotated[str, typer.Argument(help="Scheme name.")],
    reason: Reason, by: By = None, as_json: Json = False,
) -> None:
    """End CUSTOMER's active override in SCHEME: the computed class applies again."""
    from tierwise.schemes.overrides import clear

    lang = _lang()
    with _open() as ws:
        o = clear(ws, customer, scheme, by=_by(by), reason=reason)
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
    from tierwise.errors import ConfigError
    from tierwise.schemes.overrides import list_overrides

    states = ("proposed", "active", "expired", "rejected", "cleared", "replaced")
    if status is not None and status not in states:
        raise ConfigError(f"--status {status!r}: one of {', '.join(states)} / 状态取值：{', '.join(states)}")
    lang = _lang()
    with _open() as ws:
        rows = list_overrides(ws, customer=customer, scheme=scheme, status=status)
    if as_json:
        print(json.dumps([o.to_json() for o in rows], ensure_ascii=False))
        return
    if not rows:
        out.print(_pick(lang, "no overrides", "没有手工调整"))
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
    from tierwise.store import audit as trail

    lang = _lang()
    with _open() as ws:
        if verify:
            check = trail.verify(ws)
            if not check.ok:
                raise DataError(f"audit row {check.first_bad} does not match the hash chain: it (or a row "
                                f"before it) was changed outside tierwise / "
                                f"审计记录 {check.first_bad} 被篡改")
        rows = trail.read(ws, customer=customer, since=_date(since, "--since"), action=action, limit=limit)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return
    if verify:
        out.print(_pick(lang, f"[green]ok[/]: {check.rows:,} audit rows, hash chain intact",
                        f"[green]通过[/]：{check.rows:,} 条审计记录，哈希链完整"))
    table = RichTable(*(_pick(lang, *h) for h in (
        ("#", "#"), ("when", "时间"), ("who", "操作人"), ("action", "操作"), ("customer", "客户"),
        ("scheme", "方案"), ("what", "对象"), ("old → new", "原值 → 新值"), ("reason", "原因"))))
    for r in rows:
        label = trail.ACTIONS.get(r["action"], (r["action"], r["action"]))
        change = f"{r['old_value'] or '—'} → {r['new_value'] or '—'}"
        table.add_row(str(r["audit_id"]), r["changed_at"], escape(r["actor"]), _pick(lang, *label),
                      escape(r["customer_id"] or ""), r["scheme"] or "", escape(r["subject"] or ""),
                      escape(change), escape(r["reason"] or ""))
    out.print(table)


customer_app = typer.Typer(help="Customer attributes set by hand (audited), e.g. the manager flags.",
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
    from tierwise.data.attributes import set_attribute

    lang = _lang()
    new = None if value.strip().lower() == "none" else value
    with _open() as ws:
        old, new = set_attribute(ws, customer, attribute, new, by=_by(by), reason=reason)
    out.print(_pick(lang, f"{customer} {attribute}: {old or '—'} → {new or '—'}; "
                          f"the next classification uses it",
                    f"{customer} {attribute}：{old or '—'} → {new or '—'}；下次分类时生效"))
