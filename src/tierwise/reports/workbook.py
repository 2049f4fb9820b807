"""The manager's workbook: one Excel file with a classification snapshot and the work it makes.

Sheets, each one Excel table (filters, banded style, frozen header, number formats):

- ``summary``: the key figures (customers, buyers, active customers and revenue in the
  figures' window; open and late tasks and credit holds on the reference day), then the tier
  mix of every scheme (customers and revenue per class, every class, with their shares), all
  as :mod:`tierwise.schemes.facts` defines them, so they match the dashboard;
- one sheet per scheme of the snapshot: each customer's class, label, reason and key facts;
- ``tasks`` (the open tasks kept by ``tierwise tasks``, with the days late on ``on``),
  ``credit_holds`` (the credit check on ``on``), ``sales_by_month_department`` and
  ``sales_by_month_rep`` (the 12 months to the as-of date), ``migration_SCHEME`` (the moves
  of the scheme with the role ``pareto`` from the snapshot before), ``workload`` (M16);
- the forms of METHODS.md M11: 客户信息表 (customer information, with the classes of the
  ``primary_grade`` and ``credit`` schemes), 客户资信等级评估表 (credit rating, the ``credit``
  scheme) and 客户出货回款信息表 (shipments and payments in the window), built in
  :mod:`tierwise.reports.workbook_credit`.

Given a ``scope`` (a manager's department), every sheet keeps the customers in it; the
migration matrix alone counts every customer (it names none). A sheet whose data is missing
(no second snapshot, no reps, no orders) holds a one-line note instead. A sheet of more rows
than Excel holds (1,048,575) keeps its first (see :func:`_capped`). Headers are in
English or Chinese; column names map to headers in :data:`HEADERS` only. The file is
written next to ``path`` and renamed into place, so a failure never leaves half a workbook.

This module chooses the sheets and builds most of them; what every builder reads (:class:`Book`)
is in :mod:`tierwise.reports.workbook_book`, the writing in :mod:`tierwise.reports.workbook_write`.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from tierwise import progress
from tierwise.data.xlsx import EXCEL_MAX_ROWS
from tierwise.errors import ConfigError, TierwiseError
from tierwise.metrics.catalog import LABELS
from tierwise.reports.snapshot import SnapshotInfo, class_labels, pick, snapshot_info
from tierwise.reports.workbook_book import SCOPE, Book, Sheet, Staged, note_table
from tierwise.reports.workbook_credit import FORMS, credit_holds, forms
from tierwise.reports.workbook_write import save
from tierwise.schemes import facts
from tierwise.schemes.store import CLASSES_FROM, classes_from, reason_sql
from tierwise.settings import CURRENCIES
from tierwise.store.buckets import staging_folder

if TYPE_CHECKING:
    from tierwise.access.scope import Scope
    from tierwise.store.database import Database

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
    "credit_action": ("credit action", "信用措施"), "action_from": ("action of class", "措施来源类别"),
    "period": ("month", "月份"), "orders": ("orders", "订单数"), "change": ("vs previous", "环比"),
    "from_class": ("from \\ to", "原类别 \\ 新类别"), "total": ("total", "合计"),
    "rep": ("rep", "业务员"), "company": ("company", "公司"), "product": ("product", "产品"),
    "category": ("category", "品类"),
    "outlet": ("outlet", "门店"), "manager_id": ("manager", "主管"), "capacity": ("capacity", "容量"),
    "outside": ("outside scheme", "方案外"), "defaulted": ("default ratio", "按默认比例"),
    "load": ("load", "负荷"), "utilisation": ("utilisation", "负荷率"), "spare": ("spare", "余量"),
    "to_fill": ("to fill", "可增客户"),
    "suggestion": ("suggestion", "调配建议"), "status": ("status", "状态"), "type": ("type", "客户类型"),
    "rep_name": ("rep name", "业务员姓名"),
    "planned_visits": ("visits planned", "计划拜访"), "visits": ("visits", "实际拜访"),
    "planned_contacts": ("contacts planned", "计划跟进"), "contacts": ("contacts", "实际跟进"),
    "planned_per_customer": ("planned per customer", "每户计划跟进"),
    "contacts_per_customer": ("contacts per customer", "每户实际跟进"), "coverage": ("done / plan", "完成率"),
    "never_visited": ("never visited", "未拜访客户"), "never_contacted": ("never contacted", "未跟进客户"),
    "effort_share": ("share of contacts", "跟进占比"), "inverted": ("inverted (倒置)", "倒置"),
    "top_never_visited": ("top class never visited", "最高等级未拜访"),
    "created_date": ("created", "建档日期"), "payment_terms_days": ("payment terms (days)", "账期天数"),
    "credit_class": ("credit rating", "资信等级"), "tasks": ("tasks", "任务数"),
    "credit_label": ("rating label", "等级名称"), "score": ("score", "得分"),
    "shipped": ("shipped", "出货金额"), "received": ("received", "回款金额"),
    "payments": ("payments", "回款笔数"),
}
SHEET_NAME_MAX = 31


EXPORTS = {"tasks": "tierwise tasks --days 3650 --out tasks.csv"}
"""The command that writes all the rows of a list sheet cut to Excel's limit (scheme sheets:
``classes export``)."""


def _capped(sheets: list[Sheet], lang: str) -> list[Sheet]:
    """Each sheet cut to the rows one Excel sheet holds, the first in its order (the top classes
    and the largest customers first), and a row of the summary sheet per cut saying how many rows
    are left out and the command that writes them all.

    A workbook is read by people: a sheet of ten million customers cut in parts of a million
    would take an hour to write and no one could open it.
    """
    notes: list[dict[str, Any]] = []
    out: list[Sheet] = []
    english = {zh: en for en, zh in SHEETS_ZH.items()}
    for i, sheet in enumerate(sheets):
        rows = sheet.table.total if isinstance(sheet.table, Staged) else sheet.table.num_rows
        if rows <= EXCEL_MAX_ROWS or i == 0:  # the summary (first): a few hundred rows
            out.append(sheet)
            continue
        kept = (sheet.table.part(0, EXCEL_MAX_ROWS) if isinstance(sheet.table, Staged)
                else sheet.table.slice(0, EXCEL_MAX_ROWS))
        out.append(Sheet(sheet.name, kept, sheet.heads, sheet.scheme))
        scheme = sheet.scheme
        command = (f"tierwise classes export --scheme {scheme} --out {scheme}.csv" if scheme
                   else EXPORTS.get(english.get(sheet.name, sheet.name), "tierwise report --department …"))
        notes.append({"scheme": sheet.name, "label": pick(
            lang, f"the first {EXCEL_MAX_ROWS:,} of {rows:,} rows (Excel's limit for a sheet); all of "
                  f"them: {command}",
            f"仅前 {EXCEL_MAX_ROWS:,} 行，共 {rows:,} 行（Excel 单表上限）；全部导出：{command}")})
    if notes and out and isinstance(out[0].table, pa.Table):  # the summary sheet says what was cut
        summary = out[0].table
        extra = pa.Table.from_pylist([{k: n.get(k) for k in summary.schema.names} for n in notes],
                                     schema=summary.schema)
        out[0] = Sheet(out[0].name, pa.concat_tables([summary, extra]), out[0].heads)
    return out


# -- the sheets --------------------------------------------------------------------------
def _summary(b: Book) -> pa.Table:
    from tierwise.metrics.table import evaluation_frame

    snap, lang, t = b.snap, b.lang, lambda en, zh: pick(b.lang, en, zh)
    f = facts.figures(b.ws.con, snapshot_id=snap.snapshot_id, window=snap.window, scope=b.ids, on=b.on)
    n = f["customers"]
    rows: list[dict[str, Any]] = [
        {"scheme": "(all)", "label": t(en, zh), "customers": f[key], "share": f[key] / n if n else None,
         "revenue": f["revenue"], "revenue_share": 1.0}
        for key, en, zh in (("customers", "all customers", "全部客户"),
                            ("buyers", "bought in the window", "窗口内购买客户"),
                            ("active", "bought ever (active)", "有过购买（活跃）"))]
    late = t(f"late tasks (due before {b.on})", f"逾期任务（{b.on} 前到期）")
    rows += [{"scheme": "(tasks)", "label": t("open tasks", "待办任务"), "tasks": f["open"]},
             {"scheme": "(tasks)", "label": late, "tasks": f["late"]},
             {"scheme": "(tasks)", "label": t("customers on credit hold", "信用冻结客户"),
              "customers": f["holds"], "tasks": f["holds"]}]
    code = b.ws.currency
    rows.append({"scheme": "(currency)", "label": t(f"amounts in {code} ({CURRENCIES[code].strip()})",
                                                    f"金额单位：{code}（{CURRENCIES[code].strip()}）")})
    rows = [{**r, "window": snap.window, "snapshot_id": snap.snapshot_id, "as_of": snap.as_of} for r in rows]
    schemes = sorted(snap.schemes.values(), key=lambda s: s.name)
    for name, classes in facts.class_counts(b.ws.con, schemes, scope=b.ids, lang=lang).items():
        s = snap.schemes[name]
        rows += [{"scheme": name, **r, "window": s.window, "snapshot_id": s.snapshot_id, "as_of": s.as_of}
                 for r in classes]
    rows += _not_run(b, snap)
    starts: dict[tuple[date, str], date] = {}
    for r in rows:  # each scheme's window, counted back from its snapshot's date
        key = (r["as_of"], r["window"])
        if key not in starts:
            starts[key] = evaluation_frame(b.ws, *key).start
        r["window_start"] = starts[key]
    if b.lang == "zh":  # schemes by title, classes by name, windows in words: 近12个月
        from tierwise.metrics.frame import window_text

        names = {(r["scheme"], r["class"]): (r["title"], r["shown"])
                 for r in class_labels(b.snap, b.lang).to_pylist()}
        titles = {scheme: title for (scheme, _), (title, _) in names.items()}
        titles.update({r["name"]: r["title"] for r in _catalog(b)})
        marks = {"(all)": "（全部）", "(tasks)": "（任务）", "(currency)": "（币种）"}
        for r in rows:
            r["class"] = names.get((r["scheme"], r.get("class")), (None, r.get("class")))[1]
            r["scheme"] = marks.get(r["scheme"]) or titles.get(r["scheme"], r["scheme"])
            r["window"] = window_text(r["window"], "zh") if r.get("window") else r.get("window")
    schema = pa.schema([("scheme", pa.string()), ("class", pa.string()), ("label", pa.string()),
                        ("customers", pa.int64()), ("share", pa.float64()), ("revenue", pa.float64()),
                        ("revenue_share", pa.float64()), ("snapshot_id", pa.int64()), ("as_of", pa.date32()),
                        ("window", pa.string()), ("window_start", pa.date32()), ("tasks", pa.int64())])
    return pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema=schema)


def _catalog(b: Book) -> list[dict[str, Any]]:
    from tierwise.schemes.registry import catalog_rows

    return catalog_rows(b.ws.path, b.ws, b.lang)


def _not_run(b: Book, snap: SnapshotInfo) -> list[dict[str, Any]]:
    """A summary row per scheme not in the snapshot because the workspace lacks its data (what
    is missing, e.g. the credit schemes without payments), so a reader knows why it is absent."""
    head = pick(b.lang, "not run: ", "未评估：")
    return [{"scheme": r["name"], "class": None, "label": head + r["data"], "window": snap.window,
             "snapshot_id": snap.snapshot_id, "as_of": snap.as_of}
            for r in _catalog(b) if r["name"] not in snap.schemes and r["data_present"] is False]


def _scheme(b: Book, scheme: str) -> Staged:
    return b.stage_top(f"""
        SELECT c.customer_id, l.rank, f.revenue FROM {CLASSES_FROM}
        LEFT JOIN _tw_wb_labels l ON l.scheme = c.scheme AND l.class = c.class
        WHERE c.snapshot_id = $snap AND c.scheme = $scheme{b.only("c")}""",
        "rank, revenue DESC NULLS LAST, customer_id", f"""
        SELECT c.customer_id, u.name, u.rep_id, coalesce(l.shown, c.class) AS class, l.label,
               {reason_sql(b.lang)} AS reason,
               f.revenue, f.order_count, f.last_order_date, k.rowid AS _tw_n
        FROM {classes_from(b.ws, [b.snap.sid(scheme)], scheme, among="{top}")}
        JOIN {{top}} k ON k.customer_id = c.customer_id
        LEFT JOIN customers u ON u.customer_id = c.customer_id
        LEFT JOIN _tw_wb_labels l ON l.scheme = c.scheme AND l.class = c.class
        WHERE c.snapshot_id = $snap AND c.scheme = $scheme""",
        {"snap": b.snap.sid(scheme), "scheme": scheme}, _tw_wb_labels=class_labels(b.snap, b.lang))


def _tasks(b: Book) -> Staged:
    from tierwise.playbook.tasks import KINDS

    kinds = pa.table({"kind": list(KINDS),
                      "kind_text": [pick(b.lang, en, zh) for en, zh, _ in KINDS.values()]})
    scheme, klass = ("coalesce(l.title, t.scheme)", "coalesce(l.shown, t.class)") if b.lang == "zh" \
        else ("t.scheme", "t.class")
    return b.stage(f"""
        SELECT t.task_id, t.due_date, t.customer_id, t.customer_name, t.rep_id, t.department,
               coalesce(k.kind_text, t.kind) AS kind, t.priority,
               CASE WHEN {facts.LATE} THEN datediff('day', t.due_date, $on) END AS overdue_days,
               {scheme} AS scheme, {klass} AS class, t.reason_{b.lang} AS reason, t.since_date
        FROM tasks t LEFT JOIN _tw_wb_kinds k USING (kind)
        LEFT JOIN _tw_wb_labels l ON l.scheme = t.scheme AND l.class = t.class
        WHERE t.status = 'open'{b.only("t")}
        ORDER BY t.priority, t.due_date, t.customer_id, t.task_id""", {"on": b.on}, _tw_wb_kinds=kinds,
                   _tw_wb_labels=class_labels(b.snap, b.lang))


def _sales(b: Book, dimension: str) -> pa.Table:
    from tierwise.reports.sales import sales

    as_of = b.snap.as_of
    months = as_of.year * 12 + as_of.month - 1 - 11
    start = date(months // 12, months % 12 + 1, 1)
    return sales(b.ws, ["period", dimension], period="month", start=start, end=as_of, scope=b.scope)


def _migration(b: Book, scheme: str | None) -> Sheet:
    from tierwise.reports.chart_data import no_role
    from tierwise.schemes.migration import migration

    if scheme is None:
        raise no_role("pareto", "tiers by revenue rank, e.g. ABC", "按销售额排名分级，如 ABC")
    lang = b.lang
    m = migration(b.ws, scheme, end=b.snap.sid(scheme))
    targets = [*m.classes, "(out)"]
    marks = {"(new)": "（新进）", "(out)": "（移出）"} if lang == "zh" else {}
    columns: dict[str, list[Any]] = {"from_class": [marks.get(k, k) for k in m.matrix]}
    for t in targets:
        columns[f"to_{t}"] = [row[t] for row in m.matrix.values()]
    columns["total"] = [sum(row.values()) for row in m.matrix.values()]
    heads = {f"to_{t}": (t, marks.get(t, t)) for t in targets}
    heads["from_class"] = (f"snapshot {m.start} ({m.dates[0]}) \\ {m.end} ({m.dates[1]})",
                           f"快照 {m.start}（{m.dates[0]}）\\ {m.end}（{m.dates[1]}）")
    return Sheet("", pa.table(columns), heads)


def _workload(b: Book) -> Sheet:
    from tierwise.playbook.workload import STATUS_TEXT
    from tierwise.reports.chart_data import main_workload

    lang = b.lang
    table = main_workload(b.ws, b.snap, b.scope).table(lang)
    if lang == "zh" and "status" in table.column_names:  # the status as a person reads it
        status = [STATUS_TEXT.get(v, (v, v))[1] if v else v for v in table["status"].to_pylist()]
        table = table.set_column(table.column_names.index("status"), "status", pa.array(status, pa.string()))
    heads = {c: (f"class {c[6:]}", f"{c[6:]} 类客户") for c in table.column_names if c.startswith("class_")}
    heads["name"] = ("rep name", "业务员姓名")
    return Sheet("workload", table, heads)


def _service(b: Book, fixed_name: Any) -> list[Sheet]:
    """Service given against the plan (reports/service.py) per class of the main grade and per
    rep, with the seeds' warnings (倒置, 大锅饭) as notes under the class table."""
    from tierwise.reports.service import service_vs_plan

    names = fixed_name("service_by_class"), fixed_name("service_by_rep")
    try:
        found = service_vs_plan(b.ws, lang=b.lang, scope=b.scope)
    except TierwiseError as exc:
        note = note_table(b.lang, f"not available: {exc}", f"无法生成：{exc}")
        return [Sheet(names[0], note), Sheet(names[1], note)]
    classes = found.classes
    if b.lang == "zh":  # the class by its name, its code beside it (关键客户（A）)
        from tierwise.schemes.fmt import class_text

        shown = [class_text(c, label, "zh") for c, label in zip(classes["class"].to_pylist(),
                                                                  classes["label"].to_pylist(), strict=True)]
        classes = classes.set_column(0, "class", pa.array(shown, pa.string())).drop(["label"])
    period = pick(b.lang, f"{found.title}, {found.start} – {found.end}",
                  f"{found.title}，{found.start} 至 {found.end}")
    notes = [period, *found.warnings(b.lang)]
    extra = pa.table({name: pa.array([None] * len(notes), classes.schema.field(name).type)
                      if name != classes.column_names[0] else pa.array(notes, pa.string())
                      for name in classes.column_names})
    reps = found.reps
    if b.lang == "zh":
        reps = reps.set_column(0, "rep_id", pa.array([r or "（未分配）" for r in reps["rep_id"].to_pylist()]))
    return [Sheet(names[0], pa.concat_tables([classes, extra])), Sheet(names[1], reps)]


def _targets(b: Book) -> Sheet | pa.Table:
    """Targets against what was done by quarter (reports/targets.py), in the reader's words."""
    from tierwise.reports.targets import METRIC_NAMES, METRICS, variance

    if b.ws.con.execute("SELECT count(*) FROM targets").fetchone() == (0,):
        return note_table(b.lang, "no targets: import them with `tierwise import targets FILE`",
                     "尚无目标：请用 tierwise import targets 导入目标表")
    found = variance(b.ws, period="quarter", scope=b.scope).to_json(b.lang)
    zh = b.lang == "zh"
    heads: dict[str, tuple[str, str]] = {"period": ("period", "期间"), "for": ("for", "对象"),
                                         "class": ("class", "客户类别")}
    columns: dict[str, list[Any]] = {"period": [], "for": [], "class": []}
    words = {"target": ("target", "目标"), "stretch": ("stretch", "挑战目标"), "done": ("done", "实际"),
             "variance": ("variance", "差额"), "attainment": ("attainment", "达成率"),
             "status_text": ("status", "状态")}
    for m in METRICS:
        for part, (en, cn) in words.items():
            heads[f"{m}_{part}"] = (f"{METRIC_NAMES[m][0]} {en}", f"{METRIC_NAMES[m][1]}{cn}")
            columns[f"{m}_{part}"] = []
    for r in found["rows"]:
        columns["period"].append(r["period"])
        columns["for"].append(r["rep_id"] or r["department"] or ("全公司" if zh else "company"))
        columns["class"].append(r["class_label"])
        for m in METRICS:
            for part in words:
                value = r[f"{m}_{part}"]
                columns[f"{m}_{part}"].append(float(value) if m == "revenue" and part != "status_text"
                                              and value is not None else value)
    return Sheet("targets", pa.table(columns), heads)


def _optional(name: str, lang: str, build: Any) -> Sheet:
    """``build()`` as the sheet ``name``, or a one-line note saying why it could not be made."""
    try:
        made = build()
    except TierwiseError as exc:
        return Sheet(name, note_table(lang, f"not available: {exc}", f"无法生成：{exc}"))
    return Sheet(name, made.table, made.heads) if isinstance(made, Sheet) else Sheet(name, made)


SHEETS_ZH = {"summary": "汇总", "tasks": "任务", "credit_holds": "信用冻结", "workload": "工作量",
             "sales_by_month_department": "月度销售（按部门）", "sales_by_month_rep": "月度销售（按业务员）",
             "service_by_class": "服务与计划（按类别）", "service_by_rep": "服务与计划（按业务员）",
             "migration": "类别迁移", "targets": "目标达成"}


def _sheet_name(scheme: str, taken: set[str]) -> str:
    r"""A sheet name Excel takes: none of ``[]:*?/\``, 31 characters at most, not yet taken."""
    name = re.sub(r"[\[\]:*?\\]", "_", scheme.replace("/", "／"))[:SHEET_NAME_MAX]
    if name.lower() in taken:
        name = f"scheme_{name}"[:SHEET_NAME_MAX]
    for i in range(2, 100):
        if name.lower() not in taken:
            break
        name = f"{name[:SHEET_NAME_MAX - 4]}_{i}"
    return name


@contextlib.contextmanager
def build_sheets(ws: Database, *, snapshot_id: int | None = None, lang: str = "en",
                 on: date | None = None, scope: Scope | None = None) -> Iterator[list[Sheet]]:
    """The sheets of the workbook (see the module docstring), in order; the large ones staged
    in Parquet files (:class:`Staged`) of a folder beside the engine's spill until the block
    ends."""
    snap = snapshot_info(ws, snapshot_id)
    ids = None if scope is None or scope.everything else scope.ids(ws.table("customers"),
                                                                   ws.table("reps")).to_pyarrow()
    folder = staging_folder(ws.con, "tierwise-sheets-")
    book = Book(ws, snap, lang, facts.reference_day(on), scope, ids, EXCEL_MAX_ROWS, folder)
    try:
        if ids is not None:
            ws.con.register(SCOPE, ids)
        try:
            sheets = _sheets(book)
        finally:
            if ids is not None:
                ws.con.unregister(SCOPE)
        yield sheets
    finally:
        for name in book.tables:
            with contextlib.suppress(duckdb.Error):  # the connection may be gone with a failure
                ws.con.execute(f"DROP TABLE IF EXISTS {name}")
        shutil.rmtree(folder, ignore_errors=True)


def _sheets(b: Book) -> list[Sheet]:
    snap, lang = b.snap, b.lang
    pareto = snap.role("pareto")
    zh = lang == "zh"  # sheets by their Chinese names; a scheme's sheet by its title
    fixed_name = (lambda n: SHEETS_ZH[n]) if zh else (lambda n: n)
    if zh:
        moves = _sheet_name(f"类别迁移（{snap.specs[pareto].title.zh}）" if pareto else "类别迁移", set())
    else:
        moves = f"migration_{pareto}"[:SHEET_NAME_MAX] if pareto else "migration"
    sheets = [Sheet(fixed_name("summary"), _summary(b))]
    fixed = {fixed_name(n) for n in ("summary", "tasks", "credit_holds", "sales_by_month_department",
                                     "sales_by_month_rep", "workload", "service_by_class", "service_by_rep",
                                     "targets")}
    fixed |= {moves, *FORMS}
    taken = {n.lower() for n in fixed}
    for i, scheme in enumerate(snap.specs):
        name = _sheet_name(snap.specs[scheme].title.zh if zh else scheme, taken)
        taken.add(name.lower())
        progress.report(0.4 * i / len(snap.specs), f"reading {scheme}", f"读取 {scheme}")
        sheets.append(Sheet(name, _scheme(b, scheme), scheme=scheme))
    progress.report(0.4, "tasks", "任务")
    sheets.append(_optional(fixed_name("tasks"), lang, lambda: _tasks(b)))
    progress.report(0.42, "credit holds", "信用冻结")
    sheets.append(_optional(fixed_name("credit_holds"), lang, lambda: credit_holds(b)))
    progress.report(0.44, "sales by month", "月度销售")
    for dim in ("department", "rep"):
        sheets.append(_optional(fixed_name(f"sales_by_month_{dim}"), lang, lambda d=dim: _sales(b, d)))
    progress.report(0.46, "migration and workload", "迁移与工作量")
    sheets.append(_optional(moves, lang, lambda: _migration(b, pareto)))
    sheets.append(_optional(fixed_name("workload"), lang, lambda: _workload(b)))
    progress.report(0.465, "service given vs plan", "服务执行与计划")
    sheets += _service(b, fixed_name)
    sheets.append(_optional(fixed_name("targets"), lang, lambda: _targets(b)))
    progress.report(0.47, "the forms: credit metrics", "表单：信用指标")
    sheets += forms(b)
    return sheets


def write_workbook(ws: Database, path: Path | str, *, snapshot_id: int | None = None, lang: str = "en",
                   on: date | None = None, scope: Scope | None = None) -> list[str]:
    """Write the manager's workbook for ``snapshot_id`` (default: the current classification)
    to ``path``.

    Parameters
    ----------
    ws
        The workspace with at least one classification snapshot.
    path
        An ``.xlsx`` file; replaced whole, or left as it was when anything fails.
    lang
        ``en`` or ``zh``: the headers, class labels, reasons and notes.
    on
        The reference day of the tasks and credit holds (default: today, as everywhere:
        :func:`tierwise.schemes.facts.reference_day`).
    scope
        Whose customers (a manager's department); default: every customer.

    Returns
    -------
    The sheet names, in order.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ConfigError(f"{path}: only .xlsx is supported for now / 目前只支持 .xlsx 文件")
    with build_sheets(ws, snapshot_id=snapshot_id, lang=lang, on=on, scope=scope) as built:
        sheets = _capped(built, lang)
        save(sheets, path, lang, HEADERS)
        return [s.name for s in sheets]
