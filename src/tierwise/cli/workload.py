"""The ``workload`` command: each rep's load by the service ratios of the classes, against capacity.

Thin like the rest of the CLI: parse, open the workspace, call ``ws.reports.workload``, print.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, open_workspace, out, pick
from tierwise.errors import ConfigError

if TYPE_CHECKING:
    from tierwise.playbook.workload import Workload


def _num(value: Fraction | float | None) -> str:
    if value is None:
        return "—"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


@app.command("workload")
def workload_cmd(
    scheme: Annotated[str | None, typer.Option(help="Scheme whose classes and service ratios weigh the "
                                                    "customers (default: the one with the role "
                                                    "primary_grade, e.g. abc).")] = None,
    snapshot: Annotated[int | None, typer.Option(help="Snapshot id (default: the current one of "
                                                      "the scheme).")] = None,
    department: Annotated[str | None, typer.Option(help="Only this department (a manager: always "
                                                        "theirs).")] = None,
    under: Annotated[float, typer.Option(help="Utilisation below which a rep is under-loaded.")] = 0.6,
    default_ratio: Annotated[str | None, typer.Option(
        help="Customers per rep for customers the scheme did not classify or whose class has no "
             "service ratio, e.g. 4 or 1:3-5 (default: the scheme's last class with a ratio).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write one row per rep (and the "
                                                             "unassigned) to FILE.csv or FILE.xlsx.")] = None,
) -> None:
    """Each rep's load against capacity: customers weighed by their class's service ratio.

    A customer of a 1:N class counts 1/N (A 1:1 = 1, B 1:2 = 0.5, C 1:3-5 = 0.25); load is the sum.

    Capacity comes from the reps table. Over: load above capacity; under: below --under of it.

    Over-loaded reps get a suggested hand-over to under-loaded reps of the same department.
    """
    from tierwise.schemes.store import write_export

    if out_file is not None and out_file.suffix.lower() not in (".csv", ".xlsx"):
        raise ConfigError(f"{out_file}: write .csv or .xlsx / 输出文件请用 .csv 或 .xlsx")
    with open_workspace() as ws:
        lang = ws.lang()
        report = ws.reports.workload(scheme=scheme, snapshot=snapshot, department=department, under=under,
                                     default_ratio=default_ratio)
    if out_file is not None:
        write_export(report.table(), out_file, sheet="workload")
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        return
    _print_reps(report, lang)
    _print_departments(report, lang)
    _print_notes(report, lang)
    if out_file is not None:
        out.print(pick(lang, f"wrote {len(report.reps) + 1:,} rows to {out_file}",
                        f"已写入 {len(report.reps) + 1:,} 行：{out_file}"))


def _print_reps(report: Workload, lang: str) -> None:
    from tierwise.playbook.workload import OVER, STATUS_TEXT, UNDER, ratio_text

    as_of = f" {report.as_of}" if report.as_of else ""
    ratios = ", ".join(f"{c} {ratio_text(n)}" for c, n in report.ratios.items())
    title = pick(lang, f"Workload by {report.title(lang)} (snapshot {report.snapshot_id}{as_of}; {ratios})",
                  f"业务员负荷：{report.title(lang)}（快照 {report.snapshot_id}{as_of}；{ratios}）")
    heads = [("rep", "业务员"), ("name", "姓名"), ("department", "部门"), ("capacity", "容量"),
             ("customers", "客户数"), *((c, c) for c in report.classes), ("other", "其他"),
             ("load", "负荷"), ("used", "利用率"), ("room", "可增"), ("status", "状态")]
    rich = RichTable(*(pick(lang, *h) for h in heads), box=box.SIMPLE_HEAD, pad_edge=False,
                     title=title, title_justify="left")
    for i, col in enumerate(rich.columns):
        col.no_wrap = True
        col.justify = "right" if 3 <= i < len(heads) - 1 else "left"
    rich.columns[1].max_width, rich.columns[1].overflow = 12, "ellipsis"
    for r in report.reps:
        style = "bold red" if r.status == OVER else "yellow" if r.status == UNDER else None
        rich.add_row(escape(r.rep_id), escape(r.name or ""), escape(r.department or ""),
                     "—" if r.capacity is None else f"{r.capacity:,}", f"{r.customers:,}",
                     *(f"{r.by_class[c]:,}" for c in report.classes), f"{r.outside:,}",
                     _num(r.load), _pct(r.utilisation), "—" if r.to_fill is None else f"{r.to_fill:,}",
                     pick(lang, *STATUS_TEXT[r.status]), style=style)
    u = report.unassigned
    rich.add_row(pick(lang, "unassigned", "未分配"), "", "", "", f"{u.customers:,}",
                 *(f"{u.by_class.get(c, 0):,}" for c in report.classes), f"{u.outside:,}",
                 _num(u.load), "", "", "", style="dim")
    out.print(rich)


def _print_departments(report: Workload, lang: str) -> None:
    heads = (("department", "部门"), ("reps", "人数"), ("capacity", "容量"), ("customers", "客户数"),
             ("load", "负荷"), ("utilisation", "利用率"), ("over", "超负荷"), ("under", "偏低"),
             ("spare", "余量"), ("excess", "超出"), ("unassigned", "未分配客户"))
    rich = RichTable(*(pick(lang, *h) for h in heads), box=box.SIMPLE_HEAD, pad_edge=False,
                     title=pick(lang, "By department", "按部门"), title_justify="left")
    for i, col in enumerate(rich.columns):
        col.no_wrap = True
        col.justify = "left" if i == 0 else "right"
    for d in report.departments:
        rich.add_row(escape(d.department or pick(lang, "(none)", "（无部门）")), f"{d.reps:,}",
                     "—" if d.capacity is None else f"{d.capacity:,}", f"{d.customers:,}", _num(d.load),
                     _pct(d.utilisation), f"{d.over:,}", f"{d.under:,}", _num(d.spare),
                     _num(d.excess), f"{d.unassigned:,}")
    out.print(rich)


def _print_notes(report: Workload, lang: str) -> None:
    from tierwise.playbook.workload import ratio_text

    u = report.unassigned
    n = report.customers
    reps_n = n - u.customers
    out.print(pick(
        lang, f"{n:,} customers: {reps_n:,} with {len(report.reps):,} reps, {u.customers:,} unassigned "
              f"({u.no_rep:,} without a rep, {u.unknown_rep:,} with a rep_id not in the reps table), "
              f"load {_num(u.load)}",
        f"客户 {n:,} 个：{len(report.reps):,} 名业务员负责 {reps_n:,} 个，未分配 {u.customers:,} 个"
        f"（无业务员 {u.no_rep:,}，业务员编号不在业务员表中 {u.unknown_rep:,}），负荷 {_num(u.load)}"))
    if u.unknown_rep_ids:
        out.print(pick(lang, "  rep_id not in the reps table: ", "  不在业务员表中的编号：")
                  + escape(", ".join(u.unknown_rep_ids)))
    source = report.default_from
    basis = (pick(lang, f"the ratio of class {source}", f"{source} 类的比例") if source
             else pick(lang, "--default-ratio", "--default-ratio"))
    outside, no_ratio = report.outside, report.defaulted - report.outside
    out.print(pick(
        lang, f"{report.defaulted:,} customers weighed at the default {ratio_text(report.default_ratio)} "
              f"({basis}): {outside:,} not classified by {report.scheme} (\"other\"), {no_ratio:,} in a "
              f"class without a service ratio",
        f"按默认比例 {ratio_text(report.default_ratio)}（{basis}）计算的客户 {report.defaulted:,} 个："
        f"未被 {report.scheme} 分类 {outside:,} 个（“其他”），所在类别无服务比例 {no_ratio:,} 个"))
    no_cap = sum(r.capacity is None for r in report.reps)
    if no_cap:
        out.print(pick(lang, f"{no_cap:,} reps have no capacity: fill the capacity column of the reps table",
                        f"{no_cap:,} 名业务员未设容量：请在业务员表中填写容量"))
    if report.suggestions:
        out.print(pick(lang, "[bold]Suggested moves[/] (a rule of thumb: the excess to under-loaded reps "
                              "of the department, most spare first)",
                        "[bold]调配建议[/]（经验做法：超出部分转给本部门负荷偏低、余量最多的业务员）"))
        for s in report.suggestions:
            out.print(f"  • {escape(s.text(lang))}")
    else:
        out.print(pick(lang, "no rep is over capacity", "没有超负荷的业务员"))
    if report.unowned_total:
        top = report.classes[0]
        out.print(pick(lang, f"[bold]{report.unowned_total:,} {top} customers have no rep[/] (the largest "
                             f"first; suggested: the rep of the department with the most spare capacity)",
                        f"[bold]{report.unowned_total:,} 个 {top} 类客户没有业务员[/]（按销售额从高到低；"
                        f"建议由本部门余量最多的业务员接手）"))
        for owner in report.unowned[:20]:
            out.print(f"  • {escape(owner.text(lang))}")
        if report.unowned_total > 20:
            out.print(pick(lang, f"  … and {report.unowned_total - 20:,} more (--json lists "
                                 f"{min(report.unowned_total, 200):,})",
                            f"  … 另有 {report.unowned_total - 20:,} 个（--json 列出 "
                            f"{min(report.unowned_total, 200):,} 个）"))
