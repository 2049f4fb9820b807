"""Reports: ``overview`` (the key figures), ``dashboard`` (the first page, as text or JSON),
``sales`` by period and dimension, ``report`` (the manager's workbook or HTML page) and
``chart`` (one of its charts as a picture).

Thin like the rest of the CLI: parse, open the workspace, call ``ws.reports``, print.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, open_workspace, out, parse_date, pick, run_job
from tierwise.errors import ConfigError
from tierwise.schemes.fmt import class_text, money

HEADS = {"period": ("period", "期间"), "company": ("company", "公司"),
         "department": ("department", "部门"), "rep": ("rep", "业务员"), "outlet": ("outlet", "门店"),
         "product": ("product", "产品"),
         "category": ("category", "品类"), "region": ("region", "区域"), "class": ("class", "类别"),
         "revenue": ("revenue", "销售额"), "orders": ("orders", "订单数"),
         "customers": ("customers", "客户数"),
         "avg_order_value": ("avg order", "客单价"), "gross_profit": ("gross profit", "毛利"),
         "change": ("vs previous", "环比")}
OnDate = Annotated[str | None, typer.Option("--date", help="Reference day of due and late tasks, YYYY-MM-DD "
                                                           "(default: today).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _plain(value: Any) -> Any:
    """``value`` for JSON: dates as text, money as numbers."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, default=_plain))


# -- overview and dashboard --------------------------------------------------------------
@app.command()
def overview(on: OnDate = None, as_json: AsJson = False) -> None:
    """The key figures of the customers you may see, as on the dashboard.

    Customers, buyers in the window, revenue, receivables, overdue, open and late tasks,
    credit holds, and customers per class of the main grade (the scheme with the role
    primary_grade).
    """
    with open_workspace() as ws:
        lang = ws.lang()
        data = ws.reports.overview(on=parse_date(on, "--date"))
    if as_json:
        print_json(data)
        return
    _print_overview(data, lang)


def _print_overview(data: dict[str, Any], lang: str) -> None:
    f = data["figures"]
    if data["snapshot_id"] is None:
        out.print(pick(lang, "nothing classified yet: run `tierwise classify`",
                        "尚未分类：请运行 tierwise classify"))
    else:
        out.print(pick(lang, f"snapshot {data['snapshot_id']} as of {data['as_of']}, window {data['window']}",
                        f"快照 {data['snapshot_id']}，评估日 {data['as_of']}，窗口 {data['window']}"))
    unknown = pick(lang, "unknown (no payments imported)", "未知（未导入回款）")

    def owed(value: float | None) -> str:
        return unknown if value is None else money(value)

    lines = [(pick(lang, "customers", "客户数"), f"{f['customers']:,}"),
             (pick(lang, "bought in the window", "窗口内购买客户"), f"{f['buyers']:,}"),
             (pick(lang, "bought ever (active)", "有过购买（活跃）"), f"{f['active']:,}"),
             (pick(lang, "revenue in the window", "窗口内销售额"), money(f['revenue'])),
             (pick(lang, "receivables", "应收余额"), owed(f["outstanding"])),
             (pick(lang, "overdue", "逾期金额"), owed(f["overdue"])),
             (pick(lang, "open tasks", "待办任务"), f"{f['open']:,}"),
             (pick(lang, f"due by {data['on']}", f"{data['on']} 前到期"), f"{f['due']:,}"),
             (pick(lang, f"late on {data['on']}", f"截至 {data['on']} 逾期"), f"{f['late']:,}"),
             (pick(lang, "customers on credit hold", "信用冻结客户"), f"{f['holds']:,}")]
    for label, value in lines:
        out.print(f"  {escape(label)}: [bold]{value}[/bold]")
    grade = data.get("grade")
    if grade:
        _print_classes(grade, lang)


def _print_classes(tier: dict[str, Any], lang: str) -> None:
    heads = [("class", "类别"), ("label", "名称"), ("customers", "客户数"), ("share", "占比"),
             ("revenue", "销售额"), ("revenue share", "销售额占比")]
    view = RichTable(*(pick(lang, *h) for h in heads), box=box.SIMPLE_HEAD, title_justify="left",
                     title=escape(f"{tier['title']} ({tier['scheme']})"))
    for r in tier["classes"]:
        view.add_row(escape(r["class"]), escape(r["label"]), f"{r['customers']:,}", f"{r['share']:.1%}",
                     money(r['revenue']), f"{r['revenue_share']:.1%}")
    out.print(view)


@app.command()
def dashboard(on: OnDate = None, as_json: AsJson = False) -> None:
    """The web app's dashboard for the customers you may see, as text or JSON.

    The key figures, every scheme's tier mix, the matrices, top movers, credit holds and tasks
    due.
    """
    with open_workspace() as ws:
        lang = ws.lang()
        data = ws.reports.dashboard(on=parse_date(on, "--date"))
    if as_json:
        print_json(data)
        return
    _print_overview(data, lang)
    for tier in data["tiers"]:
        if tier["scheme"] != (data.get("grade") or {}).get("scheme"):
            _print_classes(tier, lang)
    if data["movers"]:
        scheme = data["pareto"]["scheme"]
        out.print(pick(lang, f"top movers ({scheme}):", f"变动最大（{scheme}）："))
        for m in data["movers"]:
            out.print(f"  {escape(m['customer_id'])} {escape(m['name'] or '')}: {m['was']} → {m['now']}")


# -- sales -------------------------------------------------------------------------------
@app.command()
def sales(
    by: Annotated[str, typer.Option(help="period and/or a dimension, comma separated: company, department, "
                                         "rep, outlet, product, category, region, class.")] = "period",
    period: Annotated[str, typer.Option(help="year, quarter, month, week or day.")] = "month",
    from_: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    scheme: Annotated[str | None, typer.Option(help="For --by class: the scheme whose current classes "
                                                    "group the customers (default: the one with the role "
                                                    "primary_grade).")] = None,
    limit: Annotated[int, typer.Option(help="Rows to print (--out and --json have all).")] = 40,
    out_file: Annotated[Path | None, typer.Option("--out", help="FILE.csv, FILE.xlsx or "
                                                                "FILE.parquet.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as a JSON list.")] = False,
) -> None:
    """Revenue, orders, customers, average order, gross profit and change by period × dimension."""
    from tierwise.reports.sales import parse_by
    from tierwise.schemes.fmt import fmt_literal, money_kind
    from tierwise.schemes.store import write_export

    if out_file is not None and out_file.suffix.lower() not in (".csv", ".xlsx", ".parquet"):
        raise ConfigError(f"{out_file}: write .csv, .xlsx or .parquet / 输出文件请用 .csv、.xlsx 或 .parquet")
    with open_workspace() as ws:
        lang = ws.lang()
        table = ws.reports.sales(parse_by(by), period=period, start=parse_date(from_, "--from"),
                                 end=parse_date(to, "--to"), scheme=scheme)
    if out_file is not None:
        write_export(table, out_file, sheet="sales")
    if as_json:
        print_json(table.to_pylist())
        return
    view = RichTable(*(pick(lang, *HEADS[c]) for c in table.column_names),
                     title=pick(lang, f"sales by {by} ({period})", f"销售分析：{by}（{period}）"),
                     title_justify="left")
    for r in table.slice(0, limit).to_pylist():
        cells = []
        for c in table.column_names:
            v = r[c]
            if v is None:
                cells.append("—")
            elif c in ("revenue", "gross_profit", "avg_order_value"):
                cells.append(fmt_literal(float(v), money_kind(), lang))
            elif c == "change":
                cells.append(f"{v:+.1%}")
            elif isinstance(v, int):
                cells.append(f"{v:,}")
            else:
                cells.append(escape(str(v)))
        view.add_row(*cells)
    out.print(view)
    out.print(pick(lang, f"{table.num_rows:,} rows" + (f"; written to {out_file}" if out_file else ""),
                    f"共 {table.num_rows:,} 行" + (f"；已写入 {out_file}" if out_file else "")))


SERVICE_HEADS = {"class": ("class", "类别"), "customers": ("customers", "客户数"),
                 "planned_visits": ("visits planned", "计划拜访"), "visits": ("visits", "实际拜访"),
                 "planned_contacts": ("contacts planned", "计划跟进"), "contacts": ("contacts", "实际跟进"),
                 "per_customer": ("per customer: plan / done", "每户：计划 / 实际"),
                 "coverage": ("done / plan", "完成率"), "never_visited": ("never visited", "未拜访"),
                 "share": ("effort / revenue share", "跟进占比 / 销售额占比"), "rep_id": ("rep", "业务员"),
                 "top_never_visited": ("top class never visited", "最高等级未拜访")}


@app.command()
def service(
    scheme: Annotated[str | None, typer.Option(help="The scheme whose classes to compare (default: the one "
                                                    "with the role primary_grade).")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default: 90 days "
                                                             "before --to).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: the scheme's "
                                                        "classification date).")] = None,
    limit: Annotated[int, typer.Option(help="Reps to print, the least covered first (--json has all).")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Service given against the plan: contacts per class and per rep vs the playbooks' cadences.

    The plan is each customer's strictest visit and call cadence over its current classes; the
    service is the visits, calls, messages and care touches logged. Warns of 倒置 (a lower class
    served more per customer than the one above it, in the service or in the plan) and of 大锅饭
    (the top class served less than 1.5 times the bottom one).
    """
    with open_workspace() as ws:
        lang = ws.lang()
        found = ws.reports.service(scheme=scheme, start=parse_date(from_, "--from"),
                                   end=parse_date(to, "--to"))
    if as_json:
        print_json(found.to_json(lang))
        return
    num = lambda v: "—" if v is None else f"{v:,.1f}"  # noqa: E731
    pct = lambda v: "—" if v is None else f"{v:.0%}"  # noqa: E731
    view = RichTable(*(pick(lang, *SERVICE_HEADS[h]) for h in (
        "class", "customers", "planned_visits", "visits", "planned_contacts", "contacts", "per_customer",
        "coverage", "never_visited", "share")),
        title=pick(lang, f"{found.title}: service given vs plan, {found.start} – {found.end}",
                   f"{found.title}：服务执行与计划，{found.start} 至 {found.end}"), title_justify="left")
    for r in found.classes.to_pylist():
        view.add_row(escape(class_text(r["class"], r["label"], lang)), f"{r['customers']:,}",
                     num(r["planned_visits"]), f"{r['visits']:,}",
                     num(r["planned_contacts"]), f"{r['contacts']:,}",
                     f"{num(r['planned_per_customer'])} / {num(r['contacts_per_customer'])}",
                     pct(r["coverage"]), f"{r['never_visited']:,}",
                     f"{pct(r['effort_share'])} / {pct(r['revenue_share'])}",
                     style="red" if r["inverted"] else "")
    out.print(view)
    reps = RichTable(*(pick(lang, *SERVICE_HEADS[h]) for h in (
        "rep_id", "customers", "planned_contacts", "contacts", "coverage", "never_visited",
        "top_never_visited")),
        title=pick(lang, "reps, the least covered first", "业务员（完成率最低的在前）"), title_justify="left")
    for r in found.reps.slice(0, limit).to_pylist():
        reps.add_row(escape(r["rep_id"] or pick(lang, "(no rep)", "（未分配）")), f"{r['customers']:,}",
                     num(r["planned_contacts"]), f"{r['contacts']:,}", pct(r["coverage"]),
                     f"{r['never_visited']:,}", f"{r['top_never_visited']:,}")
    out.print(reps)
    for line in found.warnings(lang):
        out.print(f"[bold red]{escape(line)}[/]")


# -- the report and its charts -----------------------------------------------------------
@app.command()
def report(
    out_file: Annotated[Path, typer.Option("--out", help="FILE.xlsx (the manager's workbook) or FILE.html "
                                                         "(one offline page with the charts).")],
    snapshot: Annotated[int | None, typer.Option(help="Snapshot id (default: the current "
                                                      "classification).")] = None,
    on: Annotated[str | None, typer.Option("--date", help="Reference day of the tasks and credit holds, "
                                                          "YYYY-MM-DD (default: today).")] = None,
) -> None:
    """The manager's report of a snapshot, of the customers you may see.

    .xlsx: key figures and tier mix, a sheet per scheme, tasks, credit holds, sales by month,
    the migration of the scheme with the role pareto, workload and the customer forms (客户信息表,
    客户资信等级评估表, 客户出货回款信息表).
    .html: key figures and the charts (tier mix, Pareto, value × loyalty, contribution ×
    stability, RFM, migration, sales trend, workload) in one self-contained file.
    """
    from tierwise.reports.html import cards

    suffix = out_file.suffix.lower()
    if suffix not in (".xlsx", ".html", ".htm"):
        raise ConfigError(f"{out_file}: write .xlsx or .html / 报告请用 .xlsx 或 .html 文件")
    with open_workspace() as ws:
        lang = ws.lang()
        done = run_job(ws, "report", "xlsx" if suffix == ".xlsx" else "html", out_file, snapshot=snapshot,
                       on=parse_date(on, "--date"))
    if done["format"] == "xlsx":
        names = done["sheets"]
        out.print(pick(lang, f"{len(names)} sheets written to {escape(str(out_file))}:",
                        f"已写入 {escape(str(out_file))}，共 {len(names)} 个工作表："))
        out.print("  " + escape(", ".join(names)))
        return
    out.print(pick(lang, f"report with {len(done['charts'])} charts written to {escape(str(out_file))}",
                    f"已写入 {escape(str(out_file))}，共 {len(done['charts'])} 张图表"))
    for name, reason in done["missing"].items():
        out.print(pick(lang, f"  left out {name}: {escape(reason)}", f"  未包含 {name}：{escape(reason)}"))
    for label, value, note in cards(done["figures"], lang):
        out.print(f"  {escape(label)}: [bold]{escape(value)}[/bold]" + (f" ({escape(note)})" if note else ""))


@app.command()
def chart(
    name: Annotated[str, typer.Argument(help="tier-mix, pareto, value-loyalty, contribution-stability, rfm, "
                                             "migration, sales-trend, sales-by-department or workload.")],
    out_file: Annotated[Path, typer.Option("--out", help="FILE.png, FILE.svg or FILE.json (the "
                                                         "Vega-Lite spec).")],
    snapshot: Annotated[int | None, typer.Option(help="Snapshot id (default: the current "
                                                      "classification).")] = None,
    scale: Annotated[float, typer.Option(help="PNG pixels per chart pixel (2 suits slides and chat).")] = 2.0,
) -> None:
    """One chart of the HTML report as a picture, for slides and chat apps."""
    from tierwise.reports.charts import write_file

    suffix = out_file.suffix.lower()
    if suffix not in (".png", ".svg", ".json"):
        raise ConfigError(f"{out_file}: write .png or .svg / 图片请用 .png 或 .svg")
    with open_workspace() as ws:
        lang = ws.lang()
        drawn = ws.reports.chart(name, format=suffix[1:], snapshot=snapshot, scale=scale)
    write_file(out_file, drawn.body())
    out.print(pick(lang, f"{escape(drawn.title)} written to {escape(str(out_file))}",
                    f"已写入 {escape(str(out_file))}：{escape(drawn.title)}"))


@app.command()
def targets(
    period: Annotated[str, typer.Option(help="month, quarter or year.")] = "month",
    year: Annotated[int | None, typer.Option(help="Only this year's targets.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Count what was done up to this day, YYYY-MM-DD "
                                                   "(default: the last order).")] = None,
    limit: Annotated[int, typer.Option(help="Rows to print (--json has all).")] = 40,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Targets against what was done: revenue, new customers and visits per rep, department
    and class, by month, quarter or year, with variance and attainment.

    Import the targets first: `tierwise import targets 目标.xlsx` (月份, 业务员 or 部门, 客户类别,
    销售额目标, 销售额挑战目标, 新客户目标, 拜访目标 ...); a file replaces the months it names.
    """
    from tierwise.reports.targets import METRIC_NAMES, METRICS

    with open_workspace() as ws:
        lang = ws.lang()
        found = ws.reports.targets(period=period, year=year, as_of=parse_date(as_of, "--as-of"))
    data = found.to_json(lang)
    if as_json:
        print_json(data)
        return
    zh = lang == "zh"
    view = RichTable(pick(lang, "period", "期间"), pick(lang, "for", "对象"),
                     *(METRIC_NAMES[m][zh] + pick(lang, " done / target", "：实际 / 目标") for m in METRICS),
                     title=pick(lang, f"targets against what was done, up to {found.as_of}",
                                f"目标达成（截至 {found.as_of}）"), title_justify="left")
    for r in data["rows"][:limit]:
        who = r["rep_id"] or r["department"] or pick(lang, "company", "全公司")
        if r["class_label"]:
            who += f" · {class_text(r['class'], r['class_label'], lang)}"
        cells = []
        for m in METRICS:
            if r[f"{m}_target"] is None:
                cells.append("—")
                continue
            show = (lambda v: money(v)) if m == "revenue" else (lambda v: f"{v:,}")
            share = "" if r[f"{m}_attainment"] is None else f" {r[f'{m}_attainment']:.0%}"
            cells.append(f"{show(r[f'{m}_done'])} / {show(r[f'{m}_target'])}{share} {r[f'{m}_status_text']}")
        view.add_row(r["period"], escape(who), *(escape(c) for c in cells),
                     style="red" if any(r[f"{m}_status"] == "below" for m in METRICS) else "")
    out.print(view)
    if len(data["rows"]) > limit:
        out.print(pick(lang, f"{len(data['rows']):,} rows; --limit or --json for more",
                       f"共 {len(data['rows']):,} 行；用 --limit 或 --json 查看更多"))
