"""The charts of a snapshot, as Vega-Lite specs (built with Altair).

One spec per chart serves both outputs: the HTML report embeds it (interactive: tooltips,
zoom on the scatters) with the Vega libraries inlined, and :func:`save_chart` renders it to
PNG or SVG offline with ``vl-convert`` (no browser, no network). Names, as
``tierwise chart NAME`` takes them, are the keys of :data:`CHARTS`. A chart about one scheme
draws the scheme holding its role (``pareto`` for the Pareto curve and the migration,
``value_loyalty``, ``contribution_stability``, ``rfm``), and its titles name that scheme.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tierwise.errors import ConfigError, DataError
from tierwise.reports import chart_data as cd
from tierwise.reports.chart_data import ChartContext, NotAvailable

if TYPE_CHECKING:
    import altair as alt

FONT = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', "
        "Arial, sans-serif")
WIDTH = 560
INK, MUTED, RULE = "#1f2937", "#6b7280", "#374151"
STATUS_COLORS = {"over": "#dc2626", "ok": "#2563eb", "under": "#9ca3af", "no_capacity": "#d97706"}


@dataclass
class Chart:
    """A chart: its name, title, one-line caption (what it shows, how to read it) and spec."""

    name: str
    title: str
    caption: str
    spec: dict[str, Any]


def _alt() -> Any:
    import altair as alt

    return alt


class _Datasets:
    """The rows of one chart's layers, kept out of Altair (which would copy and walk every
    value) and attached to the finished spec as named ``datasets``."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def __call__(self, rows: list[dict[str, Any]]) -> alt.Data:
        name = f"tw_rows_{len(self.rows)}"  # not data_N: Vega-Lite names its own sources so
        self.rows[name] = rows
        return _alt().Data(name=name)


def _finish(chart: Any, title: str, data: _Datasets) -> dict[str, Any]:
    """The chart's JSON spec with our look; no ``$schema`` URL (nothing in a report points
    off the page). Not validated here (a third of the build time); the tests validate every
    chart against the Vega-Lite schema."""
    alt = _alt()
    spec = chart.properties(title=alt.Title(title, anchor="start", fontSize=15, color=INK)).configure(
        font=FONT, background="white").configure_axis(labelColor=MUTED, titleColor=INK, gridColor="#eef0f3",
                                                      labelFontSize=11, titleFontSize=12).configure_view(
        stroke=None).configure_legend(labelFontSize=11, titleFontSize=12).to_dict(validate=False)
    spec.pop("$schema", None)
    spec["datasets"] = {**spec.get("datasets", {}), **data.rows}
    return spec


def _money(lang: str) -> str:
    return ",.0f"


# -- the charts --------------------------------------------------------------------------
def tier_mix(ctx: ChartContext) -> Chart:
    alt = _alt()
    data = _Datasets()
    rows = cd.tier_mix(ctx)
    if not rows:
        raise NotAvailable("the snapshot holds no classes / 快照中没有分类结果")
    n_classes: dict[str, int] = {}
    for r in rows:
        n_classes[r["scheme"]] = n_classes.get(r["scheme"], 0) + 1
    for r in rows:
        r["dark"] = r["rank"] / max(1, n_classes[r["scheme"]] - 1) < 0.5
    t = ctx.t
    per_char = 11 if ctx.lang == "zh" else 6.5  # pixels a character of the segment labels takes
    tooltip = [alt.Tooltip("title:N", title=t("scheme", "方案")),
               alt.Tooltip("label:N", title=t("class", "类别")),
               alt.Tooltip("customers:Q", title=t("customers", "客户数"), format=","),
               alt.Tooltip("share:Q", title=t("share of customers", "客户占比"), format=".1%"),
               alt.Tooltip("revenue:Q", title=t("revenue", "销售额"), format=",.0f"),
               alt.Tooltip("revenue_share:Q", title=t("share of revenue", "销售额占比"), format=".1%")]

    def panel(field: str, heading: str, axis: bool) -> Any:
        base = alt.Chart(data(rows)).transform_window(
            end=f"sum({field})", groupby=["scheme"], sort=[alt.SortField("rank")], frame=[None, 0]
        ).transform_calculate(mid=f"datum.end - datum.{field} / 2",
                              short=f"truncate(datum.label, floor(datum.{field} * 300 / {per_char}))")
        y = alt.Y("title:N", sort=list(dict.fromkeys(r["title"] for r in rows)), title=None,
                  axis=alt.Axis(labelLimit=260) if axis else None)
        bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
            y=y, x=alt.X(f"{field}:Q", stack="zero", title=heading, axis=alt.Axis(format="%"),
                         scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("rank:O", scale=alt.Scale(scheme="yellowgreenblue", reverse=True), legend=None),
            order=alt.Order("rank:O"), tooltip=tooltip)
        wide = f"datum.{field} * 300 >= {per_char * 3}"  # room for three characters
        labels = base.transform_filter(wide).mark_text(fontSize=10).encode(
            y=y, x="mid:Q", text="short:N", tooltip=tooltip,
            color=alt.condition("datum.dark", alt.value("white"), alt.value(INK)))
        return (bars + labels).properties(width=300, height=alt.Step(24))

    chart = alt.hconcat(panel("share", t("share of customers", "客户占比"), True),
                        panel("revenue_share", t("share of revenue", "销售额占比"), False), spacing=12)
    title = t("Tier mix per scheme", "各方案客户结构")
    return Chart("tier-mix", title, t(
        "Each bar is one scheme: its classes' share of customers (left) and of revenue (right), best class "
        "first (darkest).", "每一行是一个分类方案：左为各类客户数占比，右为销售额占比；颜色越深类别越高。"),
        _finish(chart, title, data))


def pareto(ctx: ChartContext) -> Chart:
    alt = _alt()
    data = _Datasets()
    p = cd.pareto(ctx)
    t = ctx.t
    for c in p.cuts:
        c["text"] = t(f"{c['class']} ends: {c['x']:.1%} of customers, {c['y']:.1%} of revenue",
                      f"{c['class']} 类止于：{c['x']:.1%} 的客户，{c['y']:.1%} 的销售额")
    x = alt.X("x:Q", title=t("share of customers, ranked by revenue", "客户占比（按销售额排名）"),
              axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("y:Q", title=t("cumulative share of revenue", "累计销售额占比"), axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, 1]))
    area = alt.Chart(data(p.points)).mark_area(line={"color": "#1d4ed8"}, color="#93c5fd", opacity=0.35)
    curve = area.encode(
        x=x, y=y, tooltip=[alt.Tooltip("x:Q", title=t("customers", "客户占比"), format=".1%"),
                           alt.Tooltip("y:Q", title=t("revenue", "销售额占比"), format=".1%")])
    cuts = alt.Chart(data(p.cuts))
    rules = cuts.mark_rule(color=RULE, strokeDash=[5, 4]).encode(x="x:Q")
    dots = cuts.mark_point(filled=True, size=60, color="#b91c1c").encode(x="x:Q", y="y:Q", tooltip="text:N")
    labels = cuts.mark_text(align="left", dx=6, dy=14, fontSize=11, color=INK).encode(x="x:Q", y="y:Q",
                                                                                    text="text:N")
    title = t(f"Pareto curve of revenue ({p.title})", f"销售额帕累托曲线（{p.title}）")
    return Chart("pareto", title, t(
        f"{p.customers:,} customers ranked by revenue in the window; the dashed lines are where the tiers "
        f"of {p.scheme} end.", f"{p.customers:,} 个客户按窗口内销售额排名；虚线为{p.title}各类的分界。"),
        _finish((curve + rules + dots + labels).properties(width=WIDTH, height=340), title, data))


def _skewed(values: list[float]) -> bool:
    positive = sorted(v for v in values if v is not None)
    if len(positive) < 20 or positive[0] < 0:
        return False
    median = statistics.median(positive)
    return median > 0 and positive[-1] / median > 50


def _scatter_scale(values: list[float], log: bool) -> dict[str, Any]:
    """A linear scale, or a symlog one with ticks at the powers of ten the values span."""
    alt = _alt()
    if not log:
        return {"scale": alt.Scale(zero=False)}
    top = max(values)
    low = min((v for v in values if v > 0), default=1.0)
    first = max(0, math.floor(math.log10(low)))
    ticks = [0] + [10 ** k for k in range(first, math.ceil(math.log10(top)) + 1)]
    # labelExpr, not format: Vega would round "~s" to the domain's precision (100 → "0k")
    return {"scale": alt.Scale(type="symlog"),
            "axis": alt.Axis(values=ticks, labelExpr="format(datum.value, '~s')")}


def _scatter(ctx: ChartContext, role: str, name: str, title: str) -> Chart:
    alt = _alt()
    data = _Datasets()
    scheme = ctx.role(role, title, title)
    m = cd.matrix_points(ctx, scheme)
    t = ctx.t
    if not m.points:
        raise NotAvailable(f"{scheme}: no customer has both values / 没有客户同时具备两个维度的数值")
    log_x = _skewed([p["x"] for p in m.points])
    log_y = _skewed([p["y"] for p in m.points])
    x = alt.X("x:Q", title=m.axes[0] + (t(" (log scale)", "（对数刻度）") if log_x else ""),
              **_scatter_scale([p["x"] for p in m.points], log_x))
    y = alt.Y("y:Q", title=m.axes[1] + (t(" (log scale)", "（对数刻度）") if log_y else ""),
              **_scatter_scale([p["y"] for p in m.points], log_y))
    dots = alt.Chart(data(m.points)).mark_circle(size=16, opacity=0.55).encode(
        x=x, y=y, color=alt.Color("label:N", title=t("class", "类别"), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("customer_id:N", title=t("customer", "客户")),
                 alt.Tooltip("name:N", title=t("name", "名称")),
                 alt.Tooltip("label:N", title=t("class", "类别")),
                 alt.Tooltip("x:Q", title=m.axes[0], format=",.3~f"),
                 alt.Tooltip("y:Q", title=m.axes[1], format=",.3~f")]).interactive()
    layers = [dots]
    for field, cut, cut_text, axis in (("x", m.cuts[0], m.cut_texts[0], m.axes[0]),
                                       ("y", m.cuts[1], m.cut_texts[1], m.axes[1])):
        if cut is not None:
            line = alt.Chart(data([{field: cut, "text": f"{axis}: {cut_text}"}]))
            layers.append(line.mark_rule(color=RULE, strokeDash=[6, 4], strokeWidth=1.5).encode(
                **{field: f"{field}:Q"}, tooltip="text:N"))
    corners = {"high/high": (WIDTH - 6, 12, "right"), "low/high": (6, 12, "left"),
               "high/low": (WIDTH - 6, 372, "right"), "low/low": (6, 372, "left")}
    for cell, (px, py, align) in corners.items():
        if cell in m.cells:
            layers.append(alt.Chart(data([{"text": m.cells[cell]}])).mark_text(
                align=align, fontSize=12, fontWeight="bold", color=MUTED).encode(
                x=alt.value(px), y=alt.value(py), text="text:N"))
    shown = len(m.points)
    sampled = shown < m.population
    caption = t(f"{shown:,} of {m.population:,} customers" + (" (a fixed sample)" if sampled else "")
                + "; the dashed lines are the scheme's cuts over all of them.",
                f"共 {m.population:,} 个客户" + (f"，图中为固定抽样的 {shown:,} 个" if sampled else "")
                + "；虚线为方案在全部客户上的分界。")
    return Chart(name, title, caption,
                 _finish(alt.layer(*layers).properties(width=WIDTH, height=380), title, data))


def value_loyalty(ctx: ChartContext) -> Chart:
    return _scatter(ctx, "value_loyalty", "value-loyalty", ctx.t("Value × loyalty", "价值×忠诚度"))


def contribution_stability(ctx: ChartContext) -> Chart:
    return _scatter(ctx, "contribution_stability", "contribution-stability",
                    ctx.t("Contribution × stability (EI–EIV)", "贡献度×稳定性（EI–EIV）"))


def rfm(ctx: ChartContext) -> Chart:
    alt = _alt()
    data = _Datasets()
    scheme, cells = cd.rfm_grid(ctx)
    if not cells:
        raise NotAvailable(f"{scheme}: no scored customers / 没有 RFM 得分")
    t = ctx.t
    top = max(c["customers"] for c in cells)
    for c in cells:
        c["text"] = f"{c['label'] or ''}\n{c['customers']:,}"
        c["dark"] = c["customers"] > top * 0.55
    base = alt.Chart(data(cells)).encode(
        x=alt.X("f:O", title=t("F score (orders, 5 = most)", "F 频次得分（5 最高）"),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("r:O", sort="descending",
                title=t("R score (recency, 5 = most recent)", "R 近度得分（5 最近）")))
    tooltip = [alt.Tooltip("r:O", title="R"), alt.Tooltip("f:O", title="F"),
               alt.Tooltip("label:N", title=t("main segment", "主要细分")),
               alt.Tooltip("customers:Q", title=t("customers", "客户数"), format=","),
               alt.Tooltip("m:Q", title=t("mean M score", "平均 M 得分"), format=".2f"),
               alt.Tooltip("revenue:Q", title=t("revenue", "销售额"), format=",.0f")]
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("customers:Q", scale=alt.Scale(scheme="blues"), title=t("customers", "客户数")),
        tooltip=tooltip)
    text = base.mark_text(lineBreak="\n", fontSize=11).encode(  # the cell's tooltip over its text too
        text="text:N", color=alt.condition("datum.dark", alt.value("white"), alt.value(INK)), tooltip=tooltip)
    title = t("RFM: recency × frequency", "RFM：近度×频次")
    return Chart("rfm", title, t(
        f"Customers per R and F score of the {scheme} scheme, with the segment most of them are in; hover "
        "for the mean M score and revenue.",
        f"{ctx.spec(scheme).title.zh}：各 R、F 得分格的客户数与主要细分；悬停可见平均 M 得分与销售额。"),
        _finish((rect + text).properties(width=WIDTH, height=360), title, data))


def _ordered(cells: list[dict[str, Any]], field: str) -> list[str]:
    first = {c[field]: c for c in cells}.values()
    return [c[field] for c in sorted(first, key=lambda c: c[f"{field}_order"])]


def migration(ctx: ChartContext) -> Chart:
    alt = _alt()
    data = _Datasets()
    m = cd.migration_cells(ctx)
    t = ctx.t
    top = max((c["customers"] for c in m.cells), default=1)
    for c in m.cells:
        c["dark"] = c["customers"] > top * 0.3
    base = alt.Chart(data(m.cells)).encode(
        x=alt.X("to:N", sort=_ordered(m.cells, "to"), title=t(f"class on {m.end}", f"{m.end} 类别"),
                axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("from:N", sort=_ordered(m.cells, "from"), title=t(f"class on {m.start}",
                                                                          f"{m.start} 类别")))
    tooltip = [alt.Tooltip("from:N", title=t("from", "原类别")), alt.Tooltip("to:N", title=t("to", "新类别")),
               alt.Tooltip("customers:Q", title=t("customers", "客户数"), format=","),
               alt.Tooltip("revenue_before:Q", title=t("revenue before", "之前销售额"), format=",.0f"),
               alt.Tooltip("revenue_after:Q", title=t("revenue after", "之后销售额"), format=",.0f")]
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("customers:Q", scale=alt.Scale(type="sqrt", scheme="oranges"),
                        title=t("customers", "客户数")), tooltip=tooltip)
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("customers:Q", format=","),
        color=alt.condition("datum.dark", alt.value("white"), alt.value(INK)), tooltip=tooltip)
    title = t(f"{m.title}: migration", f"{m.title}：类别迁移")
    return Chart("migration", title, t(
        f"Customers by {m.scheme} class on {m.start} (rows) and {m.end} (columns): {m.upgrades:,} moved up, "
        f"{m.downgrades:,} down.",
        f"{m.start}（行）到 {m.end}（列）的{m.title}类别变化：升级 {m.upgrades:,} 个，"
        f"降级 {m.downgrades:,} 个。"),
        _finish((rect + text).properties(width=WIDTH, height=alt.Step(40)), title, data))


def sales_trend(ctx: ChartContext) -> Chart:
    alt = _alt()
    data = _Datasets()
    rows = cd.sales_by_month(ctx)
    t = ctx.t
    bars = alt.Chart(data(rows)).mark_bar(color="#2563eb").encode(
        x=alt.X("period:O", title=t("month", "月份"), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("revenue:Q", title=t("revenue", "销售额"), axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("period:O", title=t("month", "月份")),
                 alt.Tooltip("revenue:Q", title=t("revenue", "销售额"), format=",.0f"),
                 alt.Tooltip("orders:Q", title=t("orders", "订单数"), format=","),
                 alt.Tooltip("customers:Q", title=t("customers", "客户数"), format=","),
                 alt.Tooltip("avg_order_value:Q", title=t("avg order", "客单价"), format=",.0f"),
                 alt.Tooltip("change:Q", title=t("vs previous", "环比"), format="+.1%")])
    title = t("Sales by month", "月度销售额")
    return Chart("sales-trend", title, t("Revenue per month over the two years to the snapshot date.",
                                         "截至评估日的近两年每月销售额。"),
                 _finish(bars.properties(width=WIDTH, height=260), title, data))


def sales_by_department(ctx: ChartContext) -> Chart:
    alt = _alt()
    data = _Datasets()
    rows = cd.sales_by_month(ctx, "department")
    t = ctx.t
    for r in rows:
        r["department"] = r["department"] or t("(none)", "（无）")
    select = alt.selection_point(fields=["department"], bind="legend")
    lines = alt.Chart(data(rows)).mark_line(point=True, strokeWidth=2).encode(
        x=alt.X("period:O", title=t("month", "月份"), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("revenue:Q", title=t("revenue", "销售额"), axis=alt.Axis(format="~s")),
        color=alt.Color("department:N", title=t("department", "部门")),
        opacity=alt.condition(select, alt.value(1), alt.value(0.15)),
        tooltip=[alt.Tooltip("period:O", title=t("month", "月份")),
                 alt.Tooltip("department:N", title=t("department", "部门")),
                 alt.Tooltip("revenue:Q", title=t("revenue", "销售额"), format=",.0f"),
                 alt.Tooltip("change:Q", title=t("vs previous", "环比"), format="+.1%")]).add_params(select)
    title = t("Sales by month and department", "各部门月度销售额")
    return Chart("sales-by-department", title, t("Click a department in the legend to pick it out.",
                                                 "点击图例中的部门可单独突出显示。"),
                 _finish(lines.properties(width=WIDTH, height=280), title, data))


WORKLOAD_REPS = 60


def workload(ctx: ChartContext) -> Chart:
    alt = _alt()
    data = _Datasets()
    rows = sorted(cd.workload_rows(ctx), key=lambda r: -(r["load"] or 0))
    t = ctx.t
    shown = rows[:WORKLOAD_REPS]
    y = alt.Y("who:N", sort=[r["who"] for r in shown], title=None)
    colors = alt.Scale(domain=[r for r in STATUS_COLORS if any(x["status"] == r for x in shown)],
                       range=[c for r, c in STATUS_COLORS.items() if any(x["status"] == r for x in shown)])
    bars = alt.Chart(data(shown)).mark_bar().encode(
        y=y, x=alt.X("load:Q", title=t("weighted load (customers ÷ service ratio)",
                                       "加权负荷（客户数 ÷ 服务比例）")),
        color=alt.Color("status:N", scale=colors, title=t("status", "状态"),
                        legend=alt.Legend(labelExpr=_status_expr(shown))),
        tooltip=[alt.Tooltip("who:N", title=t("rep", "业务员")),
                 alt.Tooltip("department:N", title=t("department", "部门")),
                 alt.Tooltip("customers:Q", title=t("customers", "客户数"), format=","),
                 alt.Tooltip("load:Q", title=t("load", "负荷"), format=",.1f"),
                 alt.Tooltip("capacity:Q", title=t("capacity", "容量"), format=","),
                 alt.Tooltip("utilisation:Q", title=t("utilisation", "负荷率"), format=".0%"),
                 alt.Tooltip("status_text:N", title=t("status", "状态"))])
    ticks = alt.Chart(data(shown)).mark_tick(
        color=INK, thickness=2, size=14).encode(y=y, x="capacity:Q")
    title = t("Rep workload against capacity", "业务员负荷与容量")
    more = len(rows) - len(shown)
    return Chart("workload", title, t(
        "Bars: each rep's load; black ticks: their capacity."
        + (f" The {more:,} least loaded reps are not shown." if more > 0 else ""),
        "条形为业务员负荷，黑色刻度为其容量。"
        + (f"负荷最低的 {more:,} 名业务员未显示。" if more > 0 else "")),
        _finish((bars + ticks).properties(width=WIDTH, height=alt.Step(16)), title, data))


def _status_expr(rows: list[dict[str, Any]]) -> str:
    names = {r["status"]: r["status_text"] for r in rows}
    return " : ".join([f"datum.value == '{k}' ? '{v}'" for k, v in names.items()] + ["datum.value"])


def service(ctx: ChartContext) -> Chart:
    """Contacts per customer of each class of the main grade: what the playbooks plan against
    what was logged (reports/service.py), the 倒置 class in red."""
    from tierwise.reports.service import service_vs_plan
    from tierwise.schemes.fmt import class_text

    alt = _alt()
    data = _Datasets()
    t = ctx.t
    try:
        found = service_vs_plan(ctx.ws, lang=ctx.lang, scope=ctx.access)
    except (ConfigError, DataError) as exc:
        raise NotAvailable(str(exc)) from None
    rows = []
    for r in found.classes.to_pylist():
        name = class_text(r["class"], r["label"], ctx.lang)
        planned, logged = t("planned", "计划"), t("logged", "实际")
        for what, value in ((planned, r["planned_per_customer"]), (logged, r["contacts_per_customer"])):
            rows.append({"klass": name, "what": what, "per_customer": value or 0.0,
                         "customers": r["customers"], "inverted": bool(r["inverted"]) and what == logged})
    pairs = zip(found.classes["class"].to_pylist(), found.classes["label"].to_pylist(), strict=True)
    order = [class_text(c, label, ctx.lang) for c, label in pairs]
    bars = alt.Chart(data(rows)).mark_bar().encode(
        x=alt.X("klass:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("what:N", sort=[t("planned", "计划"), t("logged", "实际")]),
        y=alt.Y("per_customer:Q", title=t("contacts per customer", "每户跟进次数")),
        color=alt.condition("datum.inverted", alt.value("#dc2626"),
                            alt.Color("what:N", title=None, scale=alt.Scale(
                                domain=[t("planned", "计划"), t("logged", "实际")],
                                range=["#cbd5e1", "#2563eb"]))),
        tooltip=[alt.Tooltip("klass:N", title=t("class", "类别")), alt.Tooltip("what:N", title=" "),
                 alt.Tooltip("per_customer:Q", title=t("per customer", "每户"), format=",.2f"),
                 alt.Tooltip("customers:Q", title=t("customers", "客户数"), format=",")])
    title = t("Service given vs plan", "服务执行与计划")
    note = "；".join(found.warnings(ctx.lang)) if ctx.lang == "zh" else "; ".join(found.warnings(ctx.lang))
    return Chart("service", title, t(
        f"{found.title}, {found.start} – {found.end}: contacts per customer planned by the playbooks and "
        f"logged. {note}".strip(),
        f"{found.title}，{found.start} 至 {found.end}：服务策略计划与实际记录的每户跟进次数。{note}"),
        _finish(bars.properties(width=WIDTH, height=260), title, data))


CHARTS: dict[str, tuple[tuple[str, str], Callable[[ChartContext], Chart]]] = {
    "tier-mix": (("tier mix per scheme", "各方案客户结构"), tier_mix),
    "pareto": (("Pareto curve with the tier cuts (role pareto)", "帕累托曲线与分级界线（pareto 角色）"),
               pareto),
    "value-loyalty": (("value × loyalty scatter (role value_loyalty)",
                       "价值×忠诚度散点（value_loyalty 角色）"), value_loyalty),
    "contribution-stability": (("contribution × stability scatter (role contribution_stability)",
                                "贡献度×稳定性散点（contribution_stability 角色）"), contribution_stability),
    "rfm": (("RFM heatmap (role rfm)", "RFM 热力图（rfm 角色）"), rfm),
    "migration": (("tier migration heatmap (role pareto)", "类别迁移热力图（pareto 角色）"), migration),
    "sales-trend": (("sales by month", "月度销售额"), sales_trend),
    "sales-by-department": (("sales by month and department", "各部门月度销售额"), sales_by_department),
    "workload": (("rep workload", "业务员负荷"), workload),
    "service": (("service given vs plan per class (role primary_grade)",
                 "服务执行与计划（primary_grade 角色）"), service),
}


def build_chart(ctx: ChartContext, name: str) -> Chart:
    """The chart ``name``; a ConfigError listing the names for an unknown one."""
    if name not in CHARTS:
        raise ConfigError(f"no chart {name!r}; charts: {', '.join(CHARTS)} / 没有图表 {name}")
    return CHARTS[name][1](ctx)


@lru_cache(maxsize=1)
def _vl_version() -> str:
    import vl_convert as vlc

    return str(vlc.get_vegalite_versions()[-1])


def render_chart(chart: Chart, format: str, *, scale: float = 2.0, lang: str = "en") -> bytes:
    """``chart`` as a ``png`` picture (at ``scale`` ×) or ``svg`` text, drawn offline."""
    import vl_convert as vlc

    locale: Literal["zh-CN", "en-US"] = "zh-CN" if lang == "zh" else "en-US"
    if format == "png":
        if not 0.1 <= scale <= 8:
            raise ConfigError(f"scale {scale:g}: give 0.1 to 8 / 缩放比例应在 0.1 到 8 之间")
        data: bytes = vlc.vegalite_to_png(chart.spec, vl_version=_vl_version(), scale=scale,
                                          format_locale=locale)
        return data
    if format == "svg":
        return vlc.vegalite_to_svg(chart.spec, vl_version=_vl_version(), format_locale=locale).encode()
    raise ConfigError(f"format {format!r}: png or svg / 图片格式应为 png 或 svg")


def save_chart(chart: Chart, path: Path | str, *, scale: float = 2.0, lang: str = "en") -> Path:
    """Render ``chart`` to ``path`` (``.png`` at ``scale`` × or ``.svg``), written whole or not at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ConfigError(f"{path}: write .png or .svg / 图片请用 .png 或 .svg")
    data = render_chart(chart, suffix[1:], scale=scale, lang=lang)
    write_file(path, data)
    return path


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (beside it, then renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
