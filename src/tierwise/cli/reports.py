"""Reports: ``sales`` by period and dimension; ``report``, the manager's workbook or HTML page;
``chart``, one of its charts as a picture.

Thin like the rest of the CLI: parse, open the workspace, call the core, print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli import _date, _lang, _open, app, out
from tierwise.cli_schemes import _pick
from tierwise.errors import ConfigError

HEADS = {"period": ("period", "期间"), "company": ("company", "公司"),
         "department": ("department", "部门"), "rep": ("rep", "业务员"), "outlet": ("outlet", "门店"),
         "product": ("product", "产品"),
         "category": ("category", "品类"), "region": ("region", "区域"), "class": ("class", "类别"),
         "revenue": ("revenue", "销售额"), "orders": ("orders", "订单数"),
         "customers": ("customers", "客户数"),
         "avg_order_value": ("avg order", "客单价"), "gross_profit": ("gross profit", "毛利"),
         "change": ("vs previous", "环比")}


@app.command()
def sales(
    by: Annotated[str, typer.Option(help="period and/or a dimension, comma separated: company, department, "
                                         "rep, outlet, product, category, region, class.")] = "period",
    period: Annotated[str, typer.Option(help="year, quarter, month, week or day.")] = "month",
    from_: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    scheme: Annotated[str | None, typer.Option(help="For --by class: the scheme whose current classes "
                                                    "group the customers.")] = None,
    limit: Annotated[int, typer.Option(help="Rows to print (--out and --json have all).")] = 40,
    out_file: Annotated[Path | None, typer.Option("--out", help="FILE.csv, FILE.xlsx or "
                                                                "FILE.parquet.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as a JSON list.")] = False,
) -> None:
    """Revenue, orders, customers, average order, gross profit and change by period × dimension."""
    from tierwise.reports.sales import parse_by
    from tierwise.reports.sales import sales as compute
    from tierwise.schemes.fmt import fmt_literal
    from tierwise.schemes.store import write_export

    lang = _lang()
    if out_file is not None and out_file.suffix.lower() not in (".csv", ".xlsx", ".parquet"):
        raise ConfigError(f"{out_file}: write .csv, .xlsx or .parquet / 输出文件请用 .csv、.xlsx 或 .parquet")
    with _open() as ws:
        table = compute(ws, parse_by(by), period=period, start=_date(from_, "--from"), end=_date(to, "--to"),
                        scheme=scheme)
    if out_file is not None:
        write_export(table, out_file, sheet="sales")
    if as_json:
        rows = table.to_pylist()
        for r in rows:
            for k, v in r.items():
                if hasattr(v, "isoformat"):
                    r[k] = v.isoformat()
                elif k in ("revenue", "gross_profit") and v is not None:
                    r[k] = float(v)
        print(json.dumps(rows, ensure_ascii=False))
        return
    view = RichTable(*(_pick(lang, *HEADS[c]) for c in table.column_names),
                     title=_pick(lang, f"sales by {by} ({period})", f"销售分析：{by}（{period}）"),
                     title_justify="left")
    for r in table.slice(0, limit).to_pylist():
        cells = []
        for c in table.column_names:
            v = r[c]
            if v is None:
                cells.append("—")
            elif c in ("revenue", "gross_profit", "avg_order_value"):
                cells.append(fmt_literal(float(v), "money", lang))
            elif c == "change":
                cells.append(f"{v:+.1%}")
            elif isinstance(v, int):
                cells.append(f"{v:,}")
            else:
                cells.append(escape(str(v)))
        view.add_row(*cells)
    out.print(view)
    out.print(_pick(lang, f"{table.num_rows:,} rows" + (f"; written to {out_file}" if out_file else ""),
                    f"共 {table.num_rows:,} 行" + (f"；已写入 {out_file}" if out_file else "")))


@app.command()
def report(
    out_file: Annotated[Path, typer.Option("--out", help="FILE.xlsx (the manager's workbook) or FILE.html "
                                                         "(one offline page with the charts).")],
    snapshot: Annotated[int | None, typer.Option(help="Snapshot id (default: the latest).")] = None,
    on: Annotated[str | None, typer.Option("--date", help="Day of the tasks and credit holds, YYYY-MM-DD "
                                                          "(default: the snapshot's as-of date).")] = None,
) -> None:
    """The manager's report of a snapshot.

    .xlsx: summary and tier mix, a sheet per scheme, tasks, credit holds, sales by month, ABC
    migration, workload and the customer forms (客户信息表, 客户资信等级评估表, 客户出货回款信息表).
    .html: key figures and the charts (tier mix, Pareto, value × loyalty, contribution ×
    stability, RFM, migration, sales trend, workload) in one self-contained file.
    """
    lang = _lang()
    suffix = out_file.suffix.lower()
    if suffix not in (".xlsx", ".html", ".htm"):
        raise ConfigError(f"{out_file}: write .xlsx or .html / 报告请用 .xlsx 或 .html 文件")
    day = _date(on, "--date")
    with _open() as ws:
        if suffix == ".xlsx":
            from tierwise.reports.workbook import write_workbook

            names = write_workbook(ws, out_file, snapshot_id=snapshot, lang=lang, on=day)
        else:
            from tierwise.reports.html import write_html

            result = write_html(ws, out_file, snapshot_id=snapshot, lang=lang, on=day)
    if suffix == ".xlsx":
        out.print(_pick(lang, f"{len(names)} sheets written to {escape(str(out_file))}:",
                        f"已写入 {escape(str(out_file))}，共 {len(names)} 个工作表："))
        out.print("  " + escape(", ".join(names)))
        return
    out.print(_pick(lang, f"report with {len(result.charts)} charts written to {escape(str(out_file))}",
                    f"已写入 {escape(str(out_file))}，共 {len(result.charts)} 张图表"))
    for name, reason in result.missing.items():
        out.print(_pick(lang, f"  left out {name}: {escape(reason)}", f"  未包含 {name}：{escape(reason)}"))
    _print_figures(result.figures, lang)


def _print_figures(f: dict[str, object], lang: str) -> None:
    from tierwise.reports.html import _cards

    for label, value, note in _cards(f, lang):
        out.print(f"  {escape(label)}: [bold]{escape(value)}[/bold]" + (f" ({escape(note)})" if note else ""))


@app.command()
def chart(
    name: Annotated[str, typer.Argument(help="tier-mix, pareto, value-loyalty, contribution-stability, rfm, "
                                             "migration, sales-trend, sales-by-department or workload.")],
    out_file: Annotated[Path, typer.Option("--out", help="FILE.png or FILE.svg.")],
    snapshot: Annotated[int | None, typer.Option(help="Snapshot id (default: the latest).")] = None,
    scale: Annotated[float, typer.Option(help="PNG pixels per chart pixel (2 suits slides and chat).")] = 2.0,
) -> None:
    """One chart of the HTML report as a picture, for slides and chat apps."""
    from tierwise.reports.chart_data import ChartContext
    from tierwise.reports.charts import CHARTS, build_chart, save_chart
    from tierwise.reports.snapshot import snapshot_info

    lang = _lang()
    if name not in CHARTS:
        raise ConfigError(f"no chart {name!r}; use one of {', '.join(CHARTS)} / 没有图表 {name}")
    if out_file.suffix.lower() not in (".png", ".svg"):
        raise ConfigError(f"{out_file}: write .png or .svg / 图片请用 .png 或 .svg")
    with _open() as ws:
        drawn = build_chart(ChartContext(ws, snapshot_info(ws, snapshot), lang), name)
    save_chart(drawn, out_file, scale=scale, lang=lang)
    out.print(_pick(lang, f"{escape(drawn.title)} written to {escape(str(out_file))}",
                    f"已写入 {escape(str(out_file))}：{escape(drawn.title)}"))
