"""Sales analysis by period and dimension (METHODS.md M16: reports by year / month / day for
company / department / rep / outlet / product).

One engine expression over the order lines: each line is put in its period (year, quarter,
month, ISO week starting Monday, or day) and in its group of each dimension, then summed:

- ``revenue`` (net line amounts, returns negative) and ``gross_profit`` (amount − cost over the
  lines that have a cost; empty when none has) — these add up: the sum over any dimension is
  the company's total for the same period;
- ``orders`` and ``customers``: distinct order ids and customers within the group (an order with
  lines of two products counts once for each product, so these do not add up across products);
- ``avg_order_value`` = revenue / orders; ``change`` = revenue against the previous period of
  the same group (empty when that was zero or absent), also when that period is before
  ``--from``; a ``--from`` inside a period makes its first period partial.

Dimensions: ``company`` (one group), ``department``, ``rep`` and ``outlet`` (the line's own
value, else the customer's), ``product``, ``category`` (of the product), ``region`` (of the
customer), ``class`` (the customer's class in the current classification of ``scheme``, by
default the main grade: the scheme with the role ``primary_grade``). A
line with no value for a dimension is grouped under ``(none)``: nothing is dropped.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.errors import ConfigError, DataError

if TYPE_CHECKING:
    from tierwise.access.scope import Scope
    from tierwise.store.database import Database

PERIODS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W", "day": "D"}
DIMENSIONS = ("company", "department", "rep", "outlet", "product", "category", "region", "class")
NONE = "(none)"
MEASURES = ("revenue", "orders", "customers", "avg_order_value", "gross_profit", "change")


def parse_by(text: str) -> list[str]:
    """``period,department`` → ``["period", "department"]``, checked."""
    parts = [p.strip().lower() for p in text.split(",") if p.strip()]
    allowed = ("period", *DIMENSIONS)
    for p in parts:
        if p not in allowed:
            raise ConfigError(f"--by {p!r}: use period and/or one of {', '.join(DIMENSIONS)} / "
                              f"分组维度应为 period 或 {', '.join(DIMENSIONS)}")
    if len(set(parts)) != len(parts) or not parts:
        raise ConfigError(f"--by {text!r}: name each of period and the dimensions once / 每个维度只写一次")
    return parts


def _lines(source: Any, ws: Database, dims: list[str], scheme: str | None, scope: Scope | None) -> ir.Table:
    """Order lines with a text column per dimension (``(none)`` when missing), of the
    customers in ``scope`` when given."""
    orders, customers = source.table("orders"), source.table("customers")
    if scope is not None and not scope.everything:
        mine = scope.ids(customers, source.table("reps"))
        orders = orders.filter(orders.customer_id.isin(mine.customer_id))
    cust = customers.select("customer_id", c_rep=customers.rep_id, c_department=customers.department,
                            c_outlet=customers.outlet, c_region=customers.region)
    t = orders.left_join(cust, "customer_id").drop("customer_id_right")
    if "category" in dims:
        products = source.table("products")
        t = t.left_join(products.select("product_id", p_category=products.category), "product_id")
        t = t.drop("product_id_right")
    if "class" in dims:
        from tierwise.schemes import facts

        if scheme is None:  # the main grade
            grade = facts.main_grade(ws.con) if facts.current_snapshot(ws.con) is not None else None
            if grade is None:
                raise ConfigError("--by class needs --scheme (e.g. --scheme abc), or a classified scheme "
                                  "with the role primary_grade / 按类别分组需要 --scheme")
            scheme = grade.name
        snapshot = facts.require_current(ws.con, scheme)
        classes = ws.con.execute("SELECT customer_id, class AS s_class FROM classes "
                                 "WHERE snapshot_id = ? AND scheme = ?", [snapshot, scheme]).to_arrow_table()
        t = t.left_join(source.register("sales_classes", classes), "customer_id").drop("customer_id_right")
    values: dict[str, ir.Value] = {
        "company": ibis.literal("company", "string"),
        "department": ibis.coalesce(t.department, t.c_department) if "department" in dims else None,
        "rep": ibis.coalesce(t.rep_id, t.c_rep) if "rep" in dims else None,
        "outlet": ibis.coalesce(t.outlet, t.c_outlet) if "outlet" in dims else None,
        "product": t.product_id if "product" in dims else None,
        "category": t.p_category if "category" in dims else None,
        "region": t.c_region if "region" in dims else None,
        "class": t.s_class if "class" in dims else None,
    }
    keep = {d: values[d].cast("string").fill_null(NONE) for d in dims}
    return t.select(t.order_id, t.customer_id, t.order_date, t.amount, t.cost, **keep)


def sales(ws: Database, by: list[str], *, period: str = "month", start: date | None = None,
          end: date | None = None, scheme: str | None = None, engine: str | None = None,
          scope: Scope | None = None) -> pa.Table:
    """Sales grouped by ``by`` (``period`` and dimensions), columns: the groups, then
    :data:`MEASURES`, sorted by period and revenue; only the customers in ``scope`` when given
    (a rep's, a department's)."""
    from tierwise.metrics.table import engine_source

    if period not in PERIODS:
        raise ConfigError(f"--period {period!r}: one of {', '.join(PERIODS)} / 周期应为 {', '.join(PERIODS)}")
    if start and end and start > end:
        raise ConfigError(f"--from {start} is after --to {end} / 起始日期晚于结束日期")
    dims = [d for d in by if d != "period"]
    with engine_source(ws, engine) as source:
        t = _lines(source, ws, dims, scheme, scope)
        day = t.order_date.date()
        if end is not None:
            t = t.filter(day <= end)
        keys: list[str] = []
        if "period" in by:
            t = t.mutate(period=t.order_date.truncate(PERIODS[period]).date())
            keys.append("period")
        keys += dims
        if not keys:
            keys = ["company"]
            t = t.mutate(company=ibis.literal("company", "string"))
        # lines before --from still count as the previous period the first one is compared with
        t = t.mutate(inside=(t.order_date.date() >= start) if start is not None else t.order_date.notnull())
        if "period" not in keys:
            t = t.filter(t.inside)
        inside = t.inside
        has_cost = t.cost.notnull() & inside
        g = t.group_by(keys).agg(
            revenue=t.amount.sum(where=inside), all_revenue=t.amount.sum(), lines=inside.cast("int64").sum(),
            gross_profit=(t.amount - t.cost).sum(where=has_cost), costed=has_cost.cast("int64").sum())
        # orders and customers per group counted as distinct rows, not count(DISTINCT): at ten
        # million customers the distinct sets of every group at once ran out of the engine's half
        # of 2GB; a DISTINCT spills
        counted = t.filter(inside)
        for measure, column in (("orders", "order_id"), ("customers", "customer_id")):
            ids = counted.filter(counted[column].notnull()).select(*keys, column).distinct()
            n = ids.group_by(keys).agg(**{measure: ids.count()})
            g = g.left_join(n, keys).drop(*(f"{k}_right" for k in keys))
            g = g.mutate(**{measure: g[measure].fill_null(0)})
        aov = ibis.ifelse(g.orders > 0, g.revenue / g.orders, ibis.null())
        g = g.mutate(avg_order_value=aov.cast("float64"))
        if "period" in keys:
            group = [k for k in keys if k != "period"]
            w = ibis.window(group_by=group or None, order_by="period")
            prev = g.all_revenue.lag().over(w)
            g = g.mutate(change=ibis.ifelse(prev > 0, (g.revenue - prev) / prev, ibis.null()).cast("float64"))
            g = g.filter(g.lines > 0)
        else:
            g = g.mutate(change=ibis.null("float64"))
        g = g.mutate(gross_profit=ibis.ifelse(g.costed > 0, g.gross_profit, ibis.null()))
        g = g.select(*keys, *MEASURES).order_by([*(["period"] if "period" in keys else []),
                                                 ibis.desc("revenue"), *[k for k in keys if k != "period"]])
        out = g.to_pyarrow()
    if out.num_rows == 0 and not ws.con.execute("SELECT count(*) FROM orders").fetchone()[0]:  # type: ignore[index]
        raise DataError("no orders in the workspace: import an orders file first / 工作区没有订单")
    return out
