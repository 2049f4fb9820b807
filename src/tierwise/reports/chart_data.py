"""The numbers behind each chart, read from a classification snapshot.

Every function returns plain rows (JSON-ready dicts) that :mod:`tierwise.reports.charts`
draws; the work is SQL over the workspace (and, for the matrix scatters, the same Ibis
assignment the classification ran). Schemes are found by their role (``pareto``, ``rfm``,
``value_loyalty`` ...: :data:`tierwise.schemes.spec.ROLES`), never by name. A chart whose
data is missing raises :class:`NotAvailable` with the reason in both languages.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.errors import DataError, TierwiseError
from tierwise.reports.snapshot import SnapshotInfo, class_labels, pick, query
from tierwise.schemes import facts, why
from tierwise.schemes import spec as sp
from tierwise.schemes.store import CLASSES_FROM

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from tierwise.access.scope import Scope
    from tierwise.playbook.workload import Workload
    from tierwise.store.database import Database

SCATTER_POINTS = 4000  # a deterministic sample beyond this many customers
PARETO_POINTS = 400


class NotAvailable(DataError):
    """The chart cannot be drawn from this snapshot (no scheme holds its role, no earlier
    snapshot...)."""


def no_role(role: str, what_en: str, what_zh: str) -> NotAvailable:
    """The chart needs a scheme holding ``role`` and the snapshot has none."""
    return NotAvailable(f"no scheme of the snapshot has the role {role!r} ({what_en}): add "
                        f"`roles: [{role}]` to the scheme's YAML and classify again / "
                        f"快照中没有角色为 {role} 的方案（{what_zh}）："
                        f"请在方案文件中加上 roles: [{role}] 后重新分类")


@dataclass
class ChartContext:
    """One snapshot, one language, and what several charts share (metrics per window)."""

    ws: Database
    snap: SnapshotInfo
    lang: str = "en"
    scope: pa.Table | None = None  # the customer ids a signed-in person may see (None: all)
    access: Scope | None = None  # the rule behind ``scope`` (sales and workload narrow by it)
    anonymous: bool = False  # no customer ids or names on the charts (a viewer's)
    _metrics: dict[str, ir.Table] = field(default_factory=dict)
    _kept: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def __post_init__(self) -> None:
        if self.scope is not None:
            self.ws.con.register("_tw_ch_scope", self.scope)

    def __enter__(self) -> ChartContext:
        return self

    def __exit__(self, *exc: object) -> None:
        """Release what the charts shared on the engine (the metrics of each window)."""
        self._kept.close()

    def only(self, alias: str) -> str:
        """SQL narrowing ``alias.customer_id`` to the scope ('' when everything is in it)."""
        if self.scope is None:
            return ""
        return f" AND {alias}.customer_id IN (SELECT customer_id FROM _tw_ch_scope)"

    def t(self, en: str, zh: str) -> str:
        return pick(self.lang, en, zh)

    def role(self, role: str, what_en: str, what_zh: str) -> str:
        """The snapshot's scheme holding ``role``, or :class:`NotAvailable` saying how to give one."""
        found = self.snap.role(role)
        if found is None:
            raise no_role(role, what_en, what_zh)
        return found

    def spec(self, scheme: str) -> sp.SchemeSpec:
        if scheme not in self.snap.specs:
            raise NotAvailable(f"snapshot {self.snap.snapshot_id} has no scheme {scheme!r}; classify with it "
                               f"first / 快照 {self.snap.snapshot_id} 中没有分类方案 {scheme}")
        return self.snap.specs[scheme]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def rows(table: pa.Table) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in r.items()} for r in table.to_pylist()]


# -- tier mix and Pareto -----------------------------------------------------------------
def tier_mix(ctx: ChartContext) -> list[dict[str, Any]]:
    """Per scheme and class (every class, empty ones with 0): customers, revenue and their
    shares within the scheme (:func:`tierwise.schemes.facts.class_counts`)."""
    schemes = list(ctx.snap.schemes.values())
    counts = facts.class_counts(ctx.ws.con, schemes, scope=ctx.scope, lang=ctx.lang)
    return [{"scheme": s.name, "title": s.spec.title.get(ctx.lang), "order": order, "rank": rank, **row}
            for order, s in enumerate(schemes) for rank, row in enumerate(counts[s.name])]


@dataclass
class Pareto:
    points: list[dict[str, Any]]  # x: share of customers ranked by revenue, y: share of revenue
    cuts: list[dict[str, Any]]  # the end of each tier on the curve
    customers: int
    revenue: float
    scheme: str = ""
    title: str = ""  # the scheme's, in the context's language


def pareto(ctx: ChartContext, scheme: str | None = None) -> Pareto:
    """The Pareto curve of the window's revenue over the customers of ``scheme`` (default: the
    snapshot's scheme with the role ``pareto``), with the tier ends.

    Customers are ranked by revenue; a tier ends where its last customer (by the computed
    class, before overrides) sits on the curve.
    """
    scheme = scheme or ctx.role("pareto", "tiers by revenue rank, e.g. ABC", "按销售额排名分级，如 ABC")
    spec = ctx.spec(scheme)
    if not isinstance(spec, sp.RankTiers) or spec.rank_by != "revenue":
        raise NotAvailable(f"{scheme}: a Pareto curve needs a scheme that ranks by revenue (kind rank_tiers, "
                           f"rank_by: revenue) / 帕累托曲线需要按销售额排名的分级方案")
    params = {"sid": ctx.snap.sid(scheme), "scheme": scheme, "window": spec.window}
    ranked = """
        SELECT coalesce(c.computed_class, c.class) AS class, greatest(coalesce(f.revenue, 0), 0)::DOUBLE AS v,
               row_number() OVER (ORDER BY f.revenue DESC NULLS LAST, c.customer_id) AS rn
        FROM classes c LEFT JOIN snapshot_customers f ON f.snapshot_id = c.snapshot_id
             AND f.customer_id = c.customer_id AND f."window" = $window
        WHERE c.snapshot_id = $sid AND c.scheme = $scheme""" + ctx.only("c")
    found = ctx.ws.con.execute(f"SELECT count(*), coalesce(sum(v), 0) FROM ({ranked})", params).fetchone()
    n, total = found or (0, 0.0)
    if not n or not total:
        raise NotAvailable(f"{scheme}: no revenue in the window / 窗口内没有销售额")
    step = max(1, n // PARETO_POINTS)
    cum = f"""SELECT class, rn, sum(v) OVER (ORDER BY rn ROWS UNBOUNDED PRECEDING) AS cum FROM ({ranked})"""
    points = ctx.ws.con.execute(
        f"SELECT rn / $n AS x, cum / $total AS y FROM ({cum}) WHERE rn % $step = 0 OR rn = $n OR rn = 1 "
        "ORDER BY rn", {**params, "n": n, "total": total, "step": step}).fetchall()
    ends = dict(ctx.ws.con.execute(
        f"SELECT class, max(rn) FROM ({cum}) GROUP BY class", params).fetchall())
    cut_rows = ctx.ws.con.execute(
        f"SELECT rn / $n, cum / $total, rn FROM ({cum}) WHERE rn IN (SELECT unnest($ends))",
        {**params, "n": n, "total": total, "ends": list(ends.values())}).fetchall()
    at = {int(r[2]): (float(r[0]), float(r[1])) for r in cut_rows}
    cuts = []
    for klass in spec.classes[:-1]:  # the last tier ends at 100 %
        if klass.id in ends:
            x, y = at[int(ends[klass.id])]
            cuts.append({"class": klass.id, "label": klass.label.get(ctx.lang), "x": x, "y": y})
    return Pareto([{"x": 0.0, "y": 0.0}, *({"x": float(x), "y": float(y)} for x, y in points)], cuts,
                  int(n), float(total), scheme, spec.title.get(ctx.lang))


# -- matrices ------------------------------------------------------------------------------
@dataclass
class MatrixPoints:
    points: list[dict[str, Any]]  # customer_id, name, x, y, class, label
    axes: list[str]  # axis titles in the context's language
    cuts: list[float | None]
    cut_texts: list[str]  # "median ¥8,737" as the reasons write it, in the context's language
    cells: dict[str, str]  # "high/high" -> class label
    population: int


def _metrics(ctx: ChartContext, as_of: date, window: str) -> ir.Table:
    """The metrics of ``window`` as of ``as_of``, kept on the engine (as a classification keeps
    them) until the context closes: a million customers' 56 columns never come to Python."""
    from tierwise.metrics.compute import MetricsOptions
    from tierwise.metrics.table import engine_metrics, evaluation_frame

    key = f"{as_of}/{window}"
    if key not in ctx._metrics:
        frame = evaluation_frame(ctx.ws, as_of, window)
        # a table of this context's own (not an Ibis cache, which another context's release of
        # the same expression would drop under it); the intermediate tables go at once
        name = f"_tw_ch_metrics_{uuid.uuid4().hex[:12]}"
        with engine_metrics(ctx.ws, frame, MetricsOptions.from_settings(ctx.ws.settings)) as computed:
            ctx.ws.con.execute(f"CREATE TEMP TABLE {name} AS {ctx.ws.ibis.compile(computed.table)}")
        ctx._kept.callback(ctx.ws.con.execute, f"DROP TABLE IF EXISTS {name}")
        ctx._metrics[key] = ctx.ws.table(name)
    return ctx._metrics[key]


def matrix_points(ctx: ChartContext, scheme: str, limit: int = SCATTER_POINTS) -> MatrixPoints:
    """Each customer's two axis values of the matrix scheme ``scheme`` (as the classification
    computes them, as of the snapshot), the cuts over the whole population, and the class
    stored in the snapshot (overrides included). Beyond ``limit`` customers, a fixed sample."""
    spec = ctx.spec(scheme)
    if not isinstance(spec, sp.Matrix):
        raise NotAvailable(f"{scheme} is not a matrix scheme (kind: matrix) / {scheme} 不是矩阵方案")
    text, origin, reasons = ctx.ws.con.execute(
        "SELECT spec_yaml, origin, reasons FROM snapshot_schemes WHERE snapshot_id = ? AND scheme = ?",
        [ctx.snap.sid(scheme), scheme]).fetchone() or ("", "", None)
    axes = [a.label.get(ctx.lang) if a.label else metric_label(a.by, ctx.lang) for a in spec.axes]
    cells = {cell: spec.klass(cls).label.get(ctx.lang) for cell, cls in spec.cells.items()}
    figures = why.figures(reasons)
    if figures.get("axes"):  # classified since the figures are stored: the rows hold both axes
        table, population = _stored_points(ctx, scheme, figures["axes"], limit)
        cuts, texts = figures["cuts"], figures["cut_text"][ctx.lang]
    else:
        table, population, cuts, texts = _computed_points(ctx, scheme, spec, text, origin, limit)
    points = rows(table)
    if ctx.anonymous:
        points = [{**p, "customer_id": None, "name": None} for p in points]
    return MatrixPoints(points, axes, cuts, texts, cells, population)


_POINTS = """
    SELECT p.customer_id, u.name, p.x, p.y, p.class, l.label
    FROM {points} p LEFT JOIN customers u USING (customer_id)
    LEFT JOIN _tw_ch_labels l ON l.scheme = $scheme AND l.class = p.class
    WHERE p.x IS NOT NULL AND p.y IS NOT NULL ORDER BY p.customer_id"""


def _stored_points(ctx: ChartContext, scheme: str, slots: list[int], limit: int) -> tuple[pa.Table, int]:
    """The sample of a matrix's points and its population, from the snapshot's class rows:
    each keeps its two axis values (``why`` slots ``slots``) as the classification computed
    them (a million customers' metrics are not computed again: 19 s of a report)."""
    x, y = (f"c.why[{slot + 1}]" for slot in slots)
    params = {"sid": ctx.snap.sid(scheme), "scheme": scheme}
    mine = f"""classes c WHERE c.snapshot_id = $sid AND c.scheme = $scheme AND c.why IS NOT NULL
               {ctx.only("c")}"""
    (population,) = ctx.ws.con.execute(f"SELECT count(*) FROM {mine}", params).fetchone() or (0,)
    table = query(ctx.ws, _POINTS.format(points=f"""(
        SELECT c.customer_id, {x} AS x, {y} AS y, c.class FROM {mine}
        ORDER BY hash($scheme || c.customer_id), c.customer_id LIMIT {int(limit)})"""),
                  params, _tw_ch_labels=class_labels(ctx.snap, ctx.lang))
    return table, int(population)


def _computed_points(ctx: ChartContext, scheme: str, spec: sp.Matrix, text: str, origin: str,
                     limit: int) -> tuple[pa.Table, int, list[float | None], list[str]]:
    """The sample, population, cuts and cut texts of a matrix computed again from the metrics
    as of the snapshot (a snapshot stored before its rows kept the figures)."""
    import ibis

    from tierwise.schemes import expr as ex
    from tierwise.schemes.assign import Assigner
    from tierwise.schemes.classify import attribute_types, columns_for
    from tierwise.schemes.compiler import compile_scheme
    from tierwise.schemes.fmt import fmt_literal

    compiled = compile_scheme(spec, text, origin, columns_for(ctx.ws))
    base = _metrics(ctx, ctx.snap.schemes[scheme].as_of, spec.window)
    attrs = list(attribute_types(ctx.ws))
    if attrs:
        base = base.left_join(ctx.ws.table("customers").select("customer_id", *attrs), "customer_id")
    assigner = Assigner(compiled, base)  # the scheme's population, cuts and expressions
    t = assigner.t
    values, cuts, texts = {}, [], []
    for i, axis in enumerate(spec.axes):
        node = compiled.node(f"axes[{i}].by")
        values["xy"[i]] = ex.to_ibis(node, t, assigner.stats).cast("float64")
        cut, name = assigner.cut_value(axis.cut, node, t)
        cuts.append(None if cut is None else float(cut))
        texts.append(name[ctx.lang] + fmt_literal(cut, assigner.kind_of(node), ctx.lang))
    if ctx.scope is not None:  # the cuts stay the whole population's; the points are the scope's
        mine = ctx.ws.register("chart_scope", ctx.scope.select(["customer_id"]))
        t = t.filter(t.customer_id.isin(mine.customer_id))
    population = int(t.count().to_pyarrow().as_py())
    sample = (t.select("customer_id", **values)
               .order_by([ibis.literal(scheme).concat(t.customer_id).hash(), t.customer_id]).limit(limit))
    table = query(ctx.ws, _POINTS.format(points="""(
        SELECT p.*, c.class FROM _tw_ch_points p LEFT JOIN classes c
            ON c.customer_id = p.customer_id AND c.snapshot_id = $sid AND c.scheme = $scheme)"""),
                  {"sid": ctx.snap.sid(scheme), "scheme": scheme},
                  _tw_ch_points=sample.to_pyarrow(), _tw_ch_labels=class_labels(ctx.snap, ctx.lang))
    return table, population, cuts, texts


def metric_label(name: str, lang: str) -> str:
    from tierwise.metrics.catalog import LABELS

    en, zh = LABELS.get(name, (name, name))
    return pick(lang, en, zh)


# -- RFM and migration -------------------------------------------------------------------
def rfm_grid(ctx: ChartContext, scheme: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """R × F cells of an RFM scheme (default: the snapshot's scheme with the role ``rfm``):
    customers, mean M score, revenue and the segment most customers of the cell are in.
    Returns the scheme's name and the cells."""
    name = scheme or ctx.role("rfm", "an RFM scheme", "RFM 分类方案")
    spec = ctx.spec(name)
    if not isinstance(spec, sp.Rfm):
        raise NotAvailable(f"{name} is not an RFM scheme (kind: rfm) / {name} 不是 RFM 方案")
    return name, rows(query(ctx.ws, f"""
        WITH s AS (
            SELECT floor(c.score / 100)::INT AS r, (floor(c.score / 10) % 10)::INT AS f,
                   (c.score % 10)::INT AS m, c.computed_class, c.class, f.revenue
            FROM {CLASSES_FROM} WHERE c.snapshot_id = $sid AND c.scheme = $scheme AND c.score IS NOT NULL
                 {ctx.only("c")})
        SELECT r, f, count(*) AS customers, avg(m) AS m, coalesce(sum(revenue), 0)::DOUBLE AS revenue,
               any_value(l.label) AS label
        FROM (SELECT *, mode(coalesce(computed_class, class)) OVER (PARTITION BY r, f) AS segment FROM s) x
        LEFT JOIN _tw_ch_labels l ON l.scheme = $scheme AND l.class = x.segment
        GROUP BY r, f ORDER BY r DESC, f""",
        {"sid": ctx.snap.sid(name), "scheme": name}, _tw_ch_labels=class_labels(ctx.snap, ctx.lang)))


@dataclass
class MigrationCells:
    cells: list[dict[str, Any]]  # from, to (labels), customers, revenue_before, revenue_after, order
    start: str
    end: str
    upgrades: int
    downgrades: int
    scheme: str = ""
    title: str = ""  # the scheme's, in the context's language


def migration_cells(ctx: ChartContext, scheme: str | None = None) -> MigrationCells:
    """The moves of ``scheme`` (default: the snapshot's scheme with the role ``pareto``) from
    the snapshot before this one to this one, over every customer (counts only)."""
    from tierwise.schemes.migration import migration

    scheme = scheme or ctx.role("pareto", "tiers by revenue rank, e.g. ABC", "按销售额排名分级，如 ABC")
    spec = ctx.spec(scheme)
    try:
        m = migration(ctx.ws, scheme, end=ctx.snap.sid(scheme))
    except TierwiseError as exc:
        raise NotAvailable(str(exc)) from exc
    names = {c.id: c.label.get(ctx.lang) for c in spec.classes}
    names["(new)"] = ctx.t("(new)", "（新进入）")
    names["(out)"] = ctx.t("(out)", "（已移出）")
    order = {k: i for i, k in enumerate(["(new)", *m.classes, "(out)"])}
    cells = []
    for src, row in m.matrix.items():
        for dst, count in row.items():
            money = m.revenue.get(src, {}).get(dst, {})
            cells.append({"from": f"{src} {names.get(src, src)}".strip() if src in m.classes else names[src],
                          "to": f"{dst} {names.get(dst, dst)}".strip() if dst in m.classes else names[dst],
                          "from_order": order.get(src, 99), "to_order": order.get(dst, 99),
                          "customers": count, "stayed": src == dst,
                          "revenue_before": money.get("before"), "revenue_after": money.get("after")})
    return MigrationCells(cells, m.dates[0], m.dates[1], m.upgrades, m.downgrades, scheme,
                          spec.title.get(ctx.lang))


# -- sales and workload ------------------------------------------------------------------
def months_back(as_of: date, months: int) -> date:
    n = as_of.year * 12 + as_of.month - 1 - (months - 1)
    return date(n // 12, n % 12 + 1, 1)


def sales_by_month(ctx: ChartContext, dimension: str | None = None, months: int = 24) -> list[dict[str, Any]]:
    from tierwise.reports.sales import sales

    by = ["period", dimension] if dimension else ["period"]
    table = sales(ctx.ws, by, period="month", start=months_back(ctx.snap.as_of, months), end=ctx.snap.as_of,
                  scope=ctx.access)
    if not table.num_rows:
        raise NotAvailable("no orders in the last two years / 近两年没有订单")
    return rows(table)


def workload_department(scope: Scope | None) -> str | None:
    """The department whose reps' load ``scope`` may read (None: every department); the load
    is by department, so a narrower scope reads none."""
    if scope is None or scope.everything:
        return None
    if scope.department is None or scope.rep_id is not None or scope.nothing:
        raise NotAvailable("the workload is read by department: no department in your scope / "
                           "负荷按部门查看：您的范围内没有部门")
    return scope.department


def main_workload(ws: Database, snap: SnapshotInfo, scope: Scope | None) -> Workload:
    """The reps' load by the main grade (the ``primary_grade`` scheme) of ``snap``, of the
    department ``scope`` may read."""
    from tierwise.playbook.workload import workload

    grade = snap.role("primary_grade")
    return workload(ws, scheme=grade, snapshot_id=snap.sid(grade) if grade else snap.snapshot_id,
                    department=workload_department(scope))


def workload_rows(ctx: ChartContext) -> list[dict[str, Any]]:
    from tierwise.playbook.workload import STATUS_TEXT

    try:
        table = main_workload(ctx.ws, ctx.snap, ctx.access).table()
    except TierwiseError as exc:
        raise NotAvailable(str(exc)) from exc
    out = []
    for r in rows(table):
        if r["status"] == "unassigned":
            continue
        en, zh = STATUS_TEXT.get(r["status"], (r["status"], r["status"]))
        out.append({**r, "status_text": pick(ctx.lang, en, zh),
                    "who": f"{r['rep_id']} {r['name'] or ''}".strip()})
    if not out:
        raise NotAvailable("no reps in the workspace: import a reps file / 没有业务员数据")
    return out
