"""The manager's workbook: one Excel file with a classification snapshot and the work it makes.

Sheets, each one Excel table (filters, banded style, frozen header, number formats):

- ``summary``: customers, buyers and revenue in the snapshot's window, then the tier mix of
  every scheme (customers and revenue per class, with their shares);
- one sheet per scheme of the snapshot: each customer's class, label, reason and key facts;
- ``tasks`` (playbook tasks for ``on``), ``credit_holds``, ``sales_by_month_department`` and
  ``sales_by_month_rep`` (the 12 months to the as-of date), ``migration_abc`` (ABC moves from
  the snapshot before), ``workload`` (METHODS.md M16);
- the forms of METHODS.md M11: 客户信息表 (customer information), 客户资信等级评估表 (credit
  rating) and 客户出货回款信息表 (shipments and payments in the window).

A sheet whose data is missing (no second ABC snapshot, no reps, no orders) holds a one-line
note instead. Headers are in English or Chinese; column names map to headers in
:data:`HEADERS` only. The file is written next to ``path`` and renamed into place, so a failure
never leaves half a workbook.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from tierwise.errors import ConfigError, TierwiseError
from tierwise.metrics.catalog import LABELS
from tierwise.reports.snapshot import SnapshotInfo, class_labels, pick, query, snapshot_info
from tierwise.schemes.store import CLASSES_FROM, EXCEL_MAX_ROWS, add_table, reason_sql, save_workbook

if TYPE_CHECKING:
    from tierwise.store.workspace import Workspace

# column name -> (English header, Chinese header); metric names come from the catalog
HEADERS: dict[str, tuple[str, str]] = {
    **LABELS,
    "scheme": ("scheme", "分类方案"), "class": ("class", "类别"), "label": ("label", "类别名称"),
    "customers": ("customers", "客户数"), "share": ("share", "客户占比"),
    "revenue_share": ("revenue share", "销售额占比"), "snapshot_id": ("snapshot", "快照"),
    "as_of": ("as of", "评估日"), "window": ("window", "窗口"), "window_start": ("window from", "窗口起始"),
    "reason": ("reason", "依据"), "note": ("note", "说明"),
    "task_id": ("task", "任务编号"), "due_date": ("due", "到期日"), "customer_name": ("name", "客户名称"),
    "kind": ("task", "任务类型"), "priority": ("priority", "优先级"),
    "overdue_days": ("days late", "逾期天数"),
    "since_date": ("since", "起始日"), "over_by": ("over limit by", "超额金额"),
    "headroom": ("headroom", "剩余额度"), "over_limit": ("over limit", "超额度"),
    "overdue_beyond_grace": ("overdue beyond grace", "逾期超宽限期"),
    "hold_reason": ("hold reason", "冻结原因"),
    "period": ("month", "月份"), "orders": ("orders", "订单数"), "change": ("vs previous", "环比"),
    "from_class": ("from \\ to", "原类别 \\ 新类别"), "total": ("total", "合计"),
    "rep": ("rep", "业务员"), "company": ("company", "公司"), "product": ("product", "产品"),
    "category": ("category", "品类"),
    "outlet": ("outlet", "门店"), "manager_id": ("manager", "主管"), "capacity": ("capacity", "容量"),
    "outside": ("outside scheme", "方案外"), "defaulted": ("default ratio", "按默认比例"),
    "load": ("load", "负荷"), "utilisation": ("utilisation", "负荷率"), "spare": ("spare", "余量"),
    "to_fill": ("to fill", "可增客户"), "type": ("type", "客户类型"), "rep_name": ("rep name", "业务员姓名"),
    "created_date": ("created", "建档日期"), "payment_terms_days": ("payment terms (days)", "账期天数"),
    "abc_class": ("ABC class", "ABC 类别"), "credit_rating_class": ("credit rating", "资信等级"),
    "credit_label": ("rating label", "等级名称"), "score": ("score", "得分"),
    "shipped": ("shipped", "出货金额"), "received": ("received", "回款金额"),
    "payments": ("payments", "回款笔数"),
}
MONEY_FORMAT, SHARE_FORMAT, INT_FORMAT, DATE_FORMAT = "#,##0.00", "0.0%", "#,##0", "yyyy-mm-dd"
SHARES = {"share", "revenue_share", "change", "on_time_ratio", "credit_utilization", "utilisation",
          "revenue_top_share", "revenue_cum_share", "cost_coverage", "growth"}
WIDE = {"reason": 80, "hold_reason": 60, "note": 100}
SHEET_NAME_MAX = 31
_ILLEGAL = "[\x00-\x08\x0b\x0c\x0e-\x1f]"  # control characters openpyxl refuses


@dataclass
class Sheet:
    """One sheet: its name, its rows, and headers that differ from :data:`HEADERS`."""

    name: str
    table: pa.Table
    heads: dict[str, tuple[str, str]] = field(default_factory=dict)


def _note(lang: str, en: str, zh: str) -> pa.Table:
    return pa.table({"note": [pick(lang, en, zh)]})


# -- the sheets --------------------------------------------------------------------------
def _summary(ws: Workspace, snap: SnapshotInfo, lang: str) -> pa.Table:
    from tierwise.metrics.table import evaluation_frame

    start = evaluation_frame(ws, snap.as_of, snap.window).start
    buyers, revenue = ws.con.execute(
        """SELECT count(*) FILTER (WHERE order_count > 0), coalesce(sum(revenue), 0) FROM snapshot_customers
           WHERE snapshot_id = ? AND "window" = ?""", [snap.snapshot_id, snap.window]).fetchone() or (0, 0)
    head = pa.table({
        "scheme": ["(all)", "(all)"], "class": [None, None],
        "label": [pick(lang, "all customers", "全部客户"),
                  pick(lang, "buyers in the window", "窗口内购买客户")],
        "customers": [snap.customers, buyers],
        "share": [1.0, buyers / snap.customers if snap.customers else None],
        "revenue": [revenue, revenue], "revenue_share": [1.0, 1.0]})
    mix = query(ws, f"""
        WITH counts AS (
            SELECT c.scheme, c.class, count(*) AS customers, coalesce(sum(f.revenue), 0) AS revenue
            FROM {CLASSES_FROM} WHERE c.snapshot_id = $sid GROUP BY ALL)
        SELECT l.scheme, l.class, l.label, coalesce(n.customers, 0) AS customers,
               coalesce(n.customers, 0) / nullif(sum(n.customers) OVER (PARTITION BY l.scheme), 0) AS share,
               coalesce(n.revenue, 0)::DECIMAL(18, 2) AS revenue,
               (coalesce(n.revenue, 0) / nullif(sum(n.revenue) OVER (PARTITION BY l.scheme), 0))::DOUBLE
                   AS revenue_share
        FROM _tw_wb_labels l LEFT JOIN counts n USING (scheme, class) ORDER BY l.scheme, l.rank""",
                 {"sid": snap.snapshot_id}, _tw_wb_labels=class_labels(snap, lang))
    head = head.cast(mix.schema)
    out = pa.concat_tables([head, mix])
    n = out.num_rows
    return (out.append_column("snapshot_id", pa.array([snap.snapshot_id] * n, pa.int64()))
               .append_column("as_of", pa.array([snap.as_of] * n, pa.date32()))
               .append_column("window", pa.array([snap.window, snap.window]
                                                 + [snap.windows[s] for s in mix["scheme"].to_pylist()]))
               .append_column("window_start", pa.array([start] * n, pa.date32())))


def _scheme(ws: Workspace, snap: SnapshotInfo, scheme: str, lang: str) -> pa.Table:
    return query(ws, f"""
        SELECT c.customer_id, u.name, u.rep_id, c.class, l.label, {reason_sql(lang)} AS reason,
               f.revenue, f.order_count, f.last_order_date
        FROM {CLASSES_FROM} LEFT JOIN customers u ON u.customer_id = c.customer_id
        LEFT JOIN _tw_wb_labels l ON l.scheme = c.scheme AND l.class = c.class
        WHERE c.snapshot_id = ? AND c.scheme = ?
        ORDER BY l.rank, f.revenue DESC NULLS LAST, c.customer_id""",
                  [snap.snapshot_id, scheme], _tw_wb_labels=class_labels(snap, lang))


def _tasks(ws: Workspace, on: date, lang: str) -> pa.Table:
    from tierwise.playbook.tasks import KINDS, TaskOptions, generate_tasks

    tasks = generate_tasks(ws, TaskOptions(on=on))
    kinds = pa.table({"kind": list(KINDS),
                      "kind_text": [pick(lang, en, zh) for en, zh, _ in KINDS.values()]})
    return query(ws, f"""
        SELECT t.task_id, t.due_date, t.customer_id, t.customer_name, t.rep_id, t.department,
               coalesce(k.kind_text, t.kind) AS kind, t.priority, t.overdue_days, t.scheme, t.class,
               t.reason_{lang} AS reason, t.since_date
        FROM _tw_wb_tasks t LEFT JOIN _tw_wb_kinds k USING (kind)
        ORDER BY t.priority, t.due_date, t.customer_id, t.task_id""",
                  _tw_wb_tasks=tasks, _tw_wb_kinds=kinds)


def _credit_holds(ws: Workspace, on: date, lang: str) -> pa.Table:
    from tierwise.playbook.credit import credit_holds_table

    holds = credit_holds_table(ws, on=on)
    keep = [c for c in holds.column_names if not c.startswith("hold_reason")]
    return holds.select(keep).append_column("hold_reason", holds[f"hold_reason_{lang}"])


def _sales(ws: Workspace, snap: SnapshotInfo, dimension: str) -> pa.Table:
    from tierwise.reports.sales import sales

    as_of = snap.as_of
    months = as_of.year * 12 + as_of.month - 1 - 11
    start = date(months // 12, months % 12 + 1, 1)
    return sales(ws, ["period", dimension], period="month", start=start, end=as_of)


def _migration(ws: Workspace, snap: SnapshotInfo, lang: str) -> Sheet:
    from tierwise.schemes.migration import migration

    m = migration(ws, "abc", end=snap.snapshot_id)
    targets = [*m.classes, "(out)"]
    marks = {"(new)": "（新进）", "(out)": "（移出）"} if lang == "zh" else {}
    columns: dict[str, list[Any]] = {"from_class": [marks.get(k, k) for k in m.matrix]}
    for t in targets:
        columns[f"to_{t}"] = [row[t] for row in m.matrix.values()]
    columns["total"] = [sum(row.values()) for row in m.matrix.values()]
    heads = {f"to_{t}": (t, marks.get(t, t)) for t in targets}
    heads["from_class"] = (f"snapshot {m.start} ({m.dates[0]}) \\ {m.end} ({m.dates[1]})",
                           f"快照 {m.start}（{m.dates[0]}）\\ {m.end}（{m.dates[1]}）")
    return Sheet("migration_abc", pa.table(columns), heads)


def _workload(ws: Workspace, snap: SnapshotInfo, lang: str) -> Sheet:
    from tierwise.playbook.workload import STATUS_TEXT, workload

    table = workload(ws, snapshot_id=snap.snapshot_id).table()
    if lang == "zh" and "status" in table.column_names:  # the status as a person reads it
        status = [STATUS_TEXT.get(v, (v, v))[1] if v else v for v in table["status"].to_pylist()]
        table = table.set_column(table.column_names.index("status"), "status", pa.array(status, pa.string()))
    heads = {c: (f"class {c[6:]}", f"{c[6:]} 类客户") for c in table.column_names if c.startswith("class_")}
    heads["name"] = ("rep name", "业务员姓名")
    return Sheet("workload", table, heads)


def _credit_metrics(ws: Workspace, snap: SnapshotInfo) -> pa.Table:
    """The credit metrics of every customer as of the snapshot, over credit_rating's window."""
    from tierwise.metrics.compute import MetricsOptions, compute_metrics
    from tierwise.metrics.table import evaluation_frame

    frame = evaluation_frame(ws, snap.as_of, snap.windows.get("credit_rating", snap.window))
    expr = compute_metrics(ws, frame, MetricsOptions.from_settings(ws.settings))
    return expr.select("customer_id", "credit_limit", "outstanding", "overdue_amount", "max_days_overdue",
                       "invoices_due", "on_time_ratio", "credit_utilization").to_pyarrow()


def _class_join(snap: SnapshotInfo, scheme: str, alias: str) -> str:
    if scheme not in snap.specs:
        return ""
    return (f"LEFT JOIN classes {alias} ON {alias}.customer_id = u.customer_id AND "
            f"{alias}.snapshot_id = {snap.snapshot_id} AND {alias}.scheme = '{scheme}'")


def _customer_info(ws: Workspace, snap: SnapshotInfo) -> pa.Table:
    extra = "".join(f", {a}.class AS {s}_class" for s, a in (("abc", "a"), ("credit_rating", "k"))
                    if s in snap.specs)
    return ws.con.execute(f"""
        SELECT u.customer_id, u.name, u.type, u.region, u.department, u.rep_id, r.name AS rep_name,
               u.created_date, u.credit_limit, u.payment_terms_days{extra}
        FROM customers u LEFT JOIN reps r ON r.rep_id = u.rep_id
        {_class_join(snap, 'abc', 'a')} {_class_join(snap, 'credit_rating', 'k')}
        ORDER BY u.customer_id""").to_arrow_table()


def _credit_rating(ws: Workspace, snap: SnapshotInfo, metrics: pa.Table, lang: str) -> pa.Table:
    rated = "credit_rating" in snap.specs
    graded = (f"""SELECT c.customer_id, c.class, l.label, c.score, {reason_sql(lang)} AS reason
                  FROM {CLASSES_FROM} LEFT JOIN _tw_wb_labels l ON l.scheme = c.scheme AND l.class = c.class
                  WHERE c.snapshot_id = {snap.snapshot_id} AND c.scheme = 'credit_rating'""" if rated else
              "SELECT NULL::VARCHAR AS customer_id, NULL::VARCHAR AS class, NULL::VARCHAR AS label, "
              "NULL::DOUBLE AS score, NULL::VARCHAR AS reason WHERE false")
    return query(ws, f"""
        WITH g AS ({graded})
        SELECT u.customer_id, u.name, u.rep_id, g.class AS credit_rating_class, g.label AS credit_label,
               g.score, m.on_time_ratio, m.invoices_due, m.outstanding, m.overdue_amount, m.max_days_overdue,
               m.credit_limit, m.credit_utilization, g.reason
        FROM customers u LEFT JOIN g USING (customer_id) LEFT JOIN _tw_wb_metrics m USING (customer_id)
        LEFT JOIN _tw_wb_labels r ON r.scheme = 'credit_rating' AND r.class = g.class
        WHERE g.class IS NOT NULL OR coalesce(m.outstanding, 0) <> 0 OR m.credit_limit IS NOT NULL
              OR coalesce(m.invoices_due, 0) > 0
        ORDER BY r.rank NULLS LAST, g.score DESC NULLS LAST, u.customer_id""",
                  _tw_wb_labels=class_labels(snap, lang), _tw_wb_metrics=metrics)


def _shipments(ws: Workspace, snap: SnapshotInfo, metrics: pa.Table) -> pa.Table:
    from tierwise.metrics.table import evaluation_frame

    start = evaluation_frame(ws, snap.as_of, snap.window).start
    return query(ws, """
        WITH o AS (SELECT customer_id, sum(amount) AS shipped, count(DISTINCT order_id) AS orders FROM orders
                   WHERE CAST(order_date AS DATE) BETWEEN $start AND $end GROUP BY 1),
             p AS (SELECT customer_id, sum(amount) AS received, count(*) AS payments FROM payments
                   WHERE CAST(payment_date AS DATE) BETWEEN $start AND $end GROUP BY 1)
        SELECT u.customer_id, u.name, u.rep_id, u.department, o.shipped, o.orders, p.received, p.payments,
               m.outstanding, m.overdue_amount, m.max_days_overdue, m.credit_limit
        FROM customers u LEFT JOIN o USING (customer_id) LEFT JOIN p USING (customer_id)
        LEFT JOIN _tw_wb_metrics m USING (customer_id)
        WHERE coalesce(o.shipped, 0) <> 0 OR coalesce(p.received, 0) <> 0 OR coalesce(m.outstanding, 0) <> 0
        ORDER BY o.shipped DESC NULLS LAST, u.customer_id""",
                  {"start": start, "end": snap.as_of}, _tw_wb_metrics=metrics)


def _optional(name: str, lang: str, build: Any) -> Sheet:
    """``build()`` as the sheet ``name``, or a one-line note saying why it could not be made."""
    try:
        made = build()
    except TierwiseError as exc:
        return Sheet(name, _note(lang, f"not available: {exc}", f"无法生成：{exc}"))
    return made if isinstance(made, Sheet) else Sheet(name, made)


def _sheet_name(scheme: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", scheme)[:SHEET_NAME_MAX]
    if name.lower() in taken:
        name = f"scheme_{name}"[:SHEET_NAME_MAX]
    return name


def build_sheets(ws: Workspace, *, snapshot_id: int | None = None, lang: str = "en",
                 on: date | None = None) -> list[Sheet]:
    """The sheets of the workbook (see the module docstring), in order."""
    snap = snapshot_info(ws, snapshot_id)
    on = on or snap.as_of
    sheets = [Sheet("summary", _summary(ws, snap, lang))]
    fixed = {"summary", "tasks", "credit_holds", "sales_by_month_department", "sales_by_month_rep",
             "migration_abc", "workload", "客户信息表", "客户资信等级评估表", "客户出货回款信息表"}
    taken = set(fixed)
    for scheme in snap.specs:
        name = _sheet_name(scheme, taken)
        taken.add(name.lower())
        sheets.append(Sheet(name, _scheme(ws, snap, scheme, lang)))
    sheets.append(_optional("tasks", lang, lambda: _tasks(ws, on, lang)))
    sheets.append(_optional("credit_holds", lang, lambda: _credit_holds(ws, on, lang)))
    for dim in ("department", "rep"):
        sheets.append(_optional(f"sales_by_month_{dim}", lang, lambda d=dim: _sales(ws, snap, d)))
    sheets.append(_optional("migration_abc", lang, lambda: _migration(ws, snap, lang)))
    sheets.append(_optional("workload", lang, lambda: _workload(ws, snap, lang)))
    sheets.append(Sheet("客户信息表", _customer_info(ws, snap)))
    try:
        metrics = _credit_metrics(ws, snap)
    except TierwiseError as exc:
        note = _note(lang, f"not available: {exc}", f"无法生成：{exc}")
        sheets += [Sheet("客户资信等级评估表", note), Sheet("客户出货回款信息表", note)]
    else:
        sheets.append(Sheet("客户资信等级评估表", _credit_rating(ws, snap, metrics, lang)))
        sheets.append(Sheet("客户出货回款信息表", _shipments(ws, snap, metrics)))
    return sheets


def write_workbook(ws: Workspace, path: Path | str, *, snapshot_id: int | None = None, lang: str = "en",
                   on: date | None = None) -> list[str]:
    """Write the manager's workbook for ``snapshot_id`` (default: the latest) to ``path``.

    Parameters
    ----------
    ws
        The workspace with at least one classification snapshot.
    path
        An ``.xlsx`` file; replaced whole, or left as it was when anything fails.
    lang
        ``en`` or ``zh``: the headers, class labels, reasons and notes.
    on
        The day the tasks and credit holds are for (default: the snapshot's as-of date).

    Returns
    -------
    The sheet names, in order.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ConfigError(f"{path}: only .xlsx is supported for now / 目前只支持 .xlsx 文件")
    sheets = build_sheets(ws, snapshot_id=snapshot_id, lang=lang, on=on)
    for s in sheets:
        if s.table.num_rows > EXCEL_MAX_ROWS:
            raise ConfigError(f"sheet {s.name}: {s.table.num_rows:,} rows do not fit one Excel sheet "
                              f"(1,048,575) / 工作表 {s.name} 行数超过 Excel 上限")
    _save(sheets, path, lang)
    return [s.name for s in sheets]


# -- writing -----------------------------------------------------------------------------
def _number_format(name: str, kind: pa.DataType) -> str | None:
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return DATE_FORMAT
    if pa.types.is_decimal(kind):
        return MONEY_FORMAT
    if pa.types.is_integer(kind):
        return INT_FORMAT
    if pa.types.is_floating(kind):
        return SHARE_FORMAT if name in SHARES else MONEY_FORMAT
    return None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(name: str, head: str, column: pa.ChunkedArray, fmt: str | None) -> float:
    if name in WIDE:
        return WIDE[name]
    if fmt == DATE_FORMAT:
        return max(12, _width(head) + 2)
    sample = column.slice(0, 500).to_pylist()
    longest = max((_width(f"{v:,.2f}" if fmt and isinstance(v, (int, float)) else str(v))
                   for v in sample if v is not None), default=0)
    return float(min(60, max(8, longest + 2, _width(head) + 3)))


def _table_name(sheet: str, taken: set[str]) -> str:
    base = "tbl_" + (re.sub(r"[^A-Za-z0-9_]", "_", sheet).strip("_") or "sheet")
    name, i = base, 2
    while name.lower() in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name.lower())
    return name


def _clean(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Text without the control characters Excel cannot hold; NaN as empty."""
    if pa.types.is_string(column.type) and pc.any(pc.match_substring_regex(column, _ILLEGAL)).as_py():
        return pc.replace_substring_regex(column, _ILLEGAL, "")
    if pa.types.is_floating(column.type):
        return pc.if_else(pc.is_nan(column), pa.scalar(None, column.type), column)
    return column


def _write_sheet(wb: Any, sheet: Sheet, lang: str, names: set[str]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet.name)
    ws.freeze_panes = "A2"
    table = sheet.table
    heads: list[str] = []
    for name in table.column_names:
        en, zh = sheet.heads.get(name) or HEADERS.get(name) or (name, name)
        head = pick(lang, en, zh)
        while head in heads:  # a table's headers must be unique
            head += " "
        heads.append(head)
    formats = [_number_format(n, f.type) for n, f in zip(table.column_names, table.schema, strict=True)]
    for i, (name, head, fmt) in enumerate(zip(table.column_names, heads, formats, strict=True)):
        ws.column_dimensions[get_column_letter(i + 1)].width = _column_width(name, head, table[name], fmt)
    ws.append(heads)
    columns = [_clean(table[n]) for n in table.column_names]
    texts = [i for i, c in enumerate(columns) if pa.types.is_string(c.type)
             and pc.any(pc.starts_with(c, "=")).as_py()]  # text, not a formula
    styled = [(i, f) for i, f in enumerate(formats) if f is not None]
    for start in range(0, table.num_rows, 65536):
        rows = zip(*(c.slice(start, 65536).to_pylist() for c in columns), strict=True)
        for row in rows:
            values: list[Any] = list(row)
            for i, fmt in styled:
                if values[i] is not None:
                    cell = WriteOnlyCell(ws, value=values[i])
                    cell.number_format = fmt
                    values[i] = cell
            for i in texts:
                if isinstance(values[i], str) and values[i].startswith("="):
                    cell = WriteOnlyCell(ws, value=values[i])
                    cell.data_type = "s"
                    values[i] = cell
            ws.append(values)
    add_table(ws, _table_name(sheet.name, names), heads, table.num_rows)


def _save(sheets: list[Sheet], path: Path, lang: str) -> None:
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    names: set[str] = set()
    for sheet in sheets:
        _write_sheet(wb, sheet, lang, names)
    save_workbook(wb, path)
