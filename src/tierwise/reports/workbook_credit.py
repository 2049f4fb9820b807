"""The workbook's sheets of the forms of METHODS.md M11 (reports/workbook.py puts them last):
客户信息表 (customer information, with the classes of the ``primary_grade`` and ``credit``
schemes), 客户资信等级评估表 (credit rating, the ``credit`` scheme, beside each customer's credit
figures) and 客户出货回款信息表 (shipments and payments in the snapshot's window); and the
credit holds sheet (reports/workbook.py puts it after the tasks)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from tierwise.errors import TierwiseError
from tierwise.reports.snapshot import class_labels
from tierwise.reports.workbook_book import Book, Sheet, Staged, note_table
from tierwise.schemes.spec import CREDIT_PLAN
from tierwise.schemes.store import CLASSES_FROM, classes_from, reason_sql

FORMS = ("客户信息表", "客户资信等级评估表", "客户出货回款信息表")
"""The forms' sheet names, as the forms are titled (in either language)."""

CREDIT_COLUMNS = ("customer_id", "credit_limit", "outstanding", "overdue_amount", "max_days_overdue",
                  "invoices_due", "on_time_ratio", "credit_utilization")


def forms(b: Book) -> list[Sheet]:
    """The sheets of the three forms, in order; the two that read the credit figures hold a
    one-line note instead when those cannot be had."""
    _, rating, shipments = FORMS
    sheets = [_customer_info(b)]
    try:
        metrics = _credit_metrics(b)
    except TierwiseError as exc:
        note = note_table(b.lang, f"not available: {exc}", f"无法生成：{exc}")
        return [*sheets, Sheet(rating, note), Sheet(shipments, note)]
    return [*sheets, Sheet(rating, _credit_rating(b, metrics)), Sheet(shipments, _shipments(b, metrics))]


def _credit_metrics(b: Book) -> str:
    """The credit figures of every customer as of the snapshot, over the credit scheme's window,
    as SQL the forms join: the snapshot's own (kept since schema 12), else computed again as a
    temporary table of the engine (a snapshot stored before)."""
    from tierwise.metrics.compute import MetricsOptions, compute_metrics
    from tierwise.metrics.table import evaluation_frame

    credit = b.snap.role("credit")
    as_of, window, sid = ((b.snap.schemes[credit].as_of, b.snap.schemes[credit].window, b.snap.sid(credit))
                          if credit else (b.snap.as_of, b.snap.window, b.snap.snapshot_id))
    kept = b.ws.con.execute(
        """SELECT s.credit_facts AND EXISTS (SELECT 1 FROM snapshot_customers f
                                              WHERE f.snapshot_id = s.snapshot_id AND f."window" = ?)
           FROM snapshots s WHERE s.snapshot_id = ?""", [window, sid]).fetchone()
    if kept is not None and kept[0]:
        return (f"(SELECT {', '.join(CREDIT_COLUMNS)} FROM snapshot_customers "
                f"WHERE snapshot_id = {int(sid)} AND \"window\" = '{window.replace(chr(39), chr(39) * 2)}')")
    frame = evaluation_frame(b.ws, as_of, window)
    expr = compute_metrics(b.ws, frame, MetricsOptions.from_settings(b.ws.settings))
    return b.table(str(b.ws.ibis.compile(expr.select(*CREDIT_COLUMNS))))


def _customer_info(b: Book) -> Sheet:
    """Customer information, with the class of the main grade and the credit rating (by role)."""
    joins, extra, heads = [], "", {}
    for role, column, alias in (("primary_grade", "grade_class", "a"), ("credit", "credit_class", "k")):
        scheme = b.snap.role(role)
        if scheme is not None:
            joins.append(f"LEFT JOIN classes {alias} ON {alias}.customer_id = u.customer_id AND "
                         f"{alias}.snapshot_id = {b.snap.sid(scheme)} AND {alias}.scheme = '{scheme}'")
            joins.append(f"LEFT JOIN _tw_wb_labels l{alias} ON l{alias}.scheme = '{scheme}' AND "
                         f"l{alias}.class = {alias}.class")
            extra += f", coalesce(l{alias}.shown, {alias}.class) AS {column}"
            heads[column] = (f"{scheme} class", f"{b.snap.specs[scheme].title.zh} 类别")
    heads.pop("credit_class", None)  # the catalog's "credit rating" header reads better
    table = b.stage(f"""
        SELECT u.customer_id, u.name, u.type, u.region, u.department, u.rep_id, r.name AS rep_name,
               u.created_date, u.credit_limit, u.payment_terms_days{extra}
        FROM customers u LEFT JOIN reps r ON r.rep_id = u.rep_id {' '.join(joins)}
        WHERE TRUE{b.only("u")} ORDER BY u.customer_id""", _tw_wb_labels=class_labels(b.snap, b.lang))
    return Sheet(FORMS[0], table, heads)


def _credit_rating(b: Book, metrics: str) -> Staged:
    credit = b.snap.role("credit")

    def graded(columns: str, among: str | None) -> str:
        if not credit:
            return ("SELECT NULL::VARCHAR AS customer_id, NULL::VARCHAR AS class, NULL::VARCHAR AS label, "
                    "NULL::INT AS rank, NULL::DOUBLE AS score, NULL::VARCHAR AS reason WHERE false")
        return f"""SELECT c.customer_id, c.class, l.label, l.rank, c.score{columns}
                   FROM {classes_from(b.ws, [b.snap.sid(credit)], credit, among=among)
                         if among else CLASSES_FROM}
                   LEFT JOIN _tw_wb_labels l ON l.scheme = c.scheme AND l.class = c.class
                   WHERE c.snapshot_id = {b.snap.sid(credit)} AND c.scheme = $credit"""

    rated = """(g.class IS NOT NULL OR coalesce(m.outstanding, 0) <> 0 OR m.credit_limit IS NOT NULL
                 OR coalesce(m.invoices_due, 0) > 0)"""
    return b.stage_top(f"""
        WITH g AS ({graded("", None)})
        SELECT u.customer_id, g.rank, g.score
        FROM customers u LEFT JOIN g USING (customer_id) LEFT JOIN {metrics} m USING (customer_id)
        WHERE {rated}{b.only("u")}""", "rank NULLS LAST, score DESC NULLS LAST, customer_id", f"""
        WITH g AS ({graded(f", {reason_sql(b.lang)} AS reason", "{top}")})
        SELECT u.customer_id, u.name, u.rep_id, g.class AS credit_class, g.label AS credit_label,
               g.score, m.on_time_ratio, m.invoices_due, m.outstanding, m.overdue_amount, m.max_days_overdue,
               m.credit_limit, m.credit_utilization, g.reason, k.rowid AS _tw_n
        FROM {{top}} k JOIN {_among("customers", "{top}")} u USING (customer_id)
        LEFT JOIN g USING (customer_id) LEFT JOIN {_among(metrics, "{top}")} m USING (customer_id)""",
                       {"credit": credit} if credit else [],
                       _tw_wb_labels=class_labels(b.snap, b.lang))


def _among(table: str, top: str) -> str:
    """The rows of ``table`` (a name or a subquery) of the customers of ``top`` only: each join
    of a sheet's million rows then holds a million rows, not the ten million of the table (the
    credit rating's rows joined with every customer and every customer's credit figures ran out
    of the engine's half of 2GB at ten million customers)."""
    return f"(SELECT * FROM {table} WHERE customer_id IN (SELECT customer_id FROM {top}))"


def _shipments(b: Book, metrics: str) -> Staged:
    from tierwise.metrics.table import evaluation_frame

    snap = b.snap
    start = evaluation_frame(b.ws, snap.as_of, snap.window).start
    return b.stage(f"""
        WITH o AS (SELECT customer_id, sum(amount) AS shipped, count(DISTINCT order_id) AS orders FROM orders
                   WHERE CAST(order_date AS DATE) BETWEEN $start AND $end GROUP BY 1),
             p AS (SELECT customer_id, sum(amount) AS received, count(*) AS payments FROM payments
                   WHERE CAST(payment_date AS DATE) BETWEEN $start AND $end GROUP BY 1)
        SELECT u.customer_id, u.name, u.rep_id, u.department, o.shipped, o.orders, p.received, p.payments,
               m.outstanding, m.overdue_amount, m.max_days_overdue, m.credit_limit
        FROM customers u LEFT JOIN o USING (customer_id) LEFT JOIN p USING (customer_id)
        LEFT JOIN {metrics} m USING (customer_id)
        WHERE (coalesce(o.shipped, 0) <> 0 OR coalesce(p.received, 0) <> 0
               OR coalesce(m.outstanding, 0) <> 0){b.only("u")}
        ORDER BY o.shipped DESC NULLS LAST, u.customer_id""",
                  {"start": start, "end": snap.as_of})


def credit_holds(b: Book) -> pa.Table | Staged:
    """The customers on hold (:func:`tierwise.playbook.credit_positions.credit_holds_table`),
    the biggest problem first, staged by the engine: at ten million customers a million are
    held, and bringing them to Python as one table took 3.2 GB."""
    from tierwise.playbook.credit import NO_PAYMENTS, payments_recorded
    from tierwise.playbook.credit_positions import HOLD_COLUMNS, position_expr

    if not payments_recorded(b.ws):
        return note_table(b.lang, *NO_PAYMENTS)
    expr = position_expr(b.ws, b.on, None)
    held = expr.filter(expr.on_hold).select(*HOLD_COLUMNS, "hold_amount")
    shown = [c for c in HOLD_COLUMNS if not c.startswith("hold_reason")]
    columns = [f"h.{c}" for c in shown]
    named: dict[str, pa.Table] = {}
    if b.lang == "zh":  # the class the action comes from by name: 客户资信等级：C, not credit_rating:C
        labels = class_labels(b.snap, b.lang)  # a few rows per scheme
        named["_tw_wb_from"] = pa.table({
            "key": pc.binary_join_element_wise(labels["scheme"], labels["class"], ":"),
            "shown": pc.binary_join_element_wise(labels["title"], labels["shown"], "："),
        })
        named["_tw_wb_actions"] = pa.table({"key": list(CREDIT_PLAN),
                                            "shown": [zh for _, zh in CREDIT_PLAN.values()]})
        columns[shown.index("action_from")] = "coalesce(f.shown, h.action_from) AS action_from"
        columns[shown.index("credit_action")] = "coalesce(a.shown, h.credit_action) AS credit_action"
    joins = ("LEFT JOIN _tw_wb_from f ON f.key = h.action_from "
             "LEFT JOIN _tw_wb_actions a ON a.key = h.credit_action") if named else ""
    kept = b.kept(held)
    staged = b.stage(f"""
        SELECT {", ".join(columns)}, h.hold_reason_{b.lang} AS hold_reason
        FROM {kept} h {joins}
        WHERE TRUE{b.only("h")}
        ORDER BY h.hold_amount DESC, h.customer_id""", **named)
    b.drop(kept)
    return staged
