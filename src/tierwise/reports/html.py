"""The HTML report: one self-contained file with the snapshot's key figures and charts.

Everything the page needs is in the file: the Vega, Vega-Lite and Vega-Embed libraries come
from the ``vl-convert`` package (no CDN, no network when the page is opened), the styles are
inline, and each chart is a Vega-Lite spec from :mod:`tierwise.reports.charts`, drawn as SVG
so that it prints sharply. A chart whose data is missing (no second snapshot for migration,
no reps for workload) is replaced by a note that says why. The key figures are those of
:mod:`tierwise.schemes.facts`, as on the dashboard; given a ``scope`` (a manager's
department), the figures and charts keep its customers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tierwise import progress
from tierwise.errors import ConfigError
from tierwise.metrics.frame import window_text
from tierwise.reports.chart_data import ChartContext, NotAvailable
from tierwise.reports.charts import CHARTS, Chart, build_chart
from tierwise.reports.snapshot import pick, snapshot_info
from tierwise.schemes import facts
from tierwise.schemes.fmt import class_text, money

if TYPE_CHECKING:
    from tierwise.access.scope import Scope
    from tierwise.store.database import Database


@dataclass
class HtmlReport:
    """What :func:`write_html` wrote: the charts drawn, those left out (and why), key figures."""

    path: Path
    charts: list[str]
    missing: dict[str, str]
    figures: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega-Embed, Vega-Lite and Vega as one script (from vl-convert, offline), safe to inline."""
    import vl_convert as vlc

    # the stub marks the optional snippet as required; without it the bundle sets window.vegaEmbed
    return vlc.javascript_bundle().replace("</script", "<\\/script")  # type: ignore[call-arg]


def json_for_script(value: Any) -> str:
    """``value`` as JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` as their
    ``\\u`` escapes (as Django's json_script), so no text in it — a customer named
    ``<!--<script>`` or ``</script>`` — can end the element or put the parser in another state."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def key_figures(ctx: ChartContext, on: date | None) -> dict[str, Any]:
    """The snapshot's key figures over the context's scope (:func:`tierwise.schemes.facts.figures`),
    with the classes of the main grade (the ``primary_grade`` scheme) and its first class's
    share of revenue."""
    snap = ctx.snap
    day = facts.reference_day(on)
    figures: dict[str, Any] = {
        **facts.figures(ctx.ws.con, snapshot_id=snap.snapshot_id, window=snap.window, scope=ctx.scope,
                        on=day),
        "as_of": snap.as_of.isoformat(), "window": snap.window, "snapshot_id": snap.snapshot_id,
        "on": day.isoformat(), "grade": None}
    grade = facts.with_role(snap.schemes, "primary_grade")
    if grade is not None:
        classes = facts.class_counts(ctx.ws.con, [grade], scope=ctx.scope, lang=ctx.lang)[grade.name]
        figures["grade"] = {"scheme": grade.name, "title": grade.spec.title.get(ctx.lang), "classes": classes}
    return figures


def cards(figures: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """(label, value, note) of each headline card."""
    def n(v: Any) -> str:
        return "—" if v is None else f"{v:,}"

    buyers, window, as_of = n(figures["buyers"]), window_text(figures["window"], lang), figures["as_of"]
    out = [(pick(lang, "customers", "客户数"), n(figures["customers"]),
            pick(lang, f"{buyers} bought in the window", f"窗口内成交 {buyers} 个")),
           (pick(lang, "revenue in the window", "窗口内销售额"), money(figures['revenue']),
            pick(lang, f"{window} to {as_of}", f"截至 {as_of}，{window}"))]
    grade = figures.get("grade")
    if grade and grade["classes"]:
        top = grade["classes"][0]
        share = top["revenue_share"]
        zh = class_text(top["class"], f"{grade['title']} {top['label']}", "zh")  # ABC 客户分类 关键客户（A）
        out.append((pick(lang, f"{top['label']} ({grade['scheme']} {top['class']})", zh), n(top["customers"]),
                    pick(lang, f"{share:.1%} of revenue", f"贡献 {share:.1%} 的销售额")))
    late, on = n(figures["late"]), figures["on"]
    out.append((pick(lang, "open tasks", "待办任务"), n(figures["open"]),
                pick(lang, f"{late} late on {on}", f"截至 {on} 逾期 {late} 个")))
    out.append((pick(lang, "credit holds", "信用冻结"), n(figures["holds"]),
                pick(lang, "customers with an open hold task", "有未完成冻结任务的客户")))
    return out


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("tierwise.reports", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def render_html(ws: Database, *, snapshot_id: int | None = None, lang: str = "en", on: date | None = None,
                names: list[str] | None = None,
                scope: Scope | None = None) -> tuple[str, list[Chart], dict[str, str], dict[str, Any]]:
    """The page, the charts on it, the charts left out with the reason, and the key figures."""
    ids = None if scope is None or scope.everything else scope.ids(ws.table("customers"),
                                                                   ws.table("reps")).to_pyarrow()
    charts: list[Chart] = []
    missing: dict[str, str] = {}
    wanted = names or list(CHARTS)
    with ChartContext(ws, snapshot_info(ws, snapshot_id), lang, scope=ids, access=scope) as ctx:
        for i, name in enumerate(wanted):
            title = CHARTS[name][0] if name in CHARTS else (name, name)
            progress.report(i / (len(wanted) + 1), f"chart: {title[0]}", f"图表：{title[1]}")
            try:
                charts.append(build_chart(ctx, name))
            except NotAvailable as exc:
                missing[name] = str(exc)
        progress.report(len(wanted) / (len(wanted) + 1), "key figures", "关键指标")
        figures = key_figures(ctx, on)
    labels = {name: pick(lang, *title) for name, (title, _) in CHARTS.items()}
    page = _environment().get_template("report.html.j2").render(
        lang=lang, html_lang="zh-CN" if lang == "zh" else "en", t=lambda en, zh: pick(lang, en, zh),
        window_text=lambda text: window_text(text, lang),
        figures=figures, cards=cards(figures, lang), charts=charts, missing=missing, labels=labels,
        specs=json_for_script({c.name: _untitled(c.spec) for c in charts}),
        locale=json_for_script(locales(lang)), bundle=vega_bundle(),
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"), workspace=ws.path.name if ws.path else "")
    return page, charts, missing, figures


def _untitled(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec without its title: on the page the section heading carries it."""
    return {k: v for k, v in spec.items() if k != "title"}


@lru_cache(maxsize=2)
def locales(lang: str) -> dict[str, Any]:
    import vl_convert as vlc

    tag: Literal["zh-CN", "en-US"] = "zh-CN" if lang == "zh" else "en-US"
    return {"formatLocale": vlc.get_format_locale(tag), "timeFormatLocale": vlc.get_time_format_locale(tag)}


def write_html(ws: Database, path: Path | str, *, snapshot_id: int | None = None, lang: str = "en",
               on: date | None = None, scope: Scope | None = None) -> HtmlReport:
    """Write the HTML report of ``snapshot_id`` (default: the current classification) to
    ``path``, whole or not at all.

    Parameters
    ----------
    ws
        The workspace with at least one classification snapshot.
    path
        An ``.html`` file.
    lang
        ``en`` or ``zh``: every title, label, caption and number format.
    on
        The reference day of the task counts (default: today, as everywhere:
        :func:`tierwise.schemes.facts.reference_day`).
    scope
        Whose customers (a manager's department); default: every customer.
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ConfigError(f"{path}: the HTML report is written to a .html file / HTML 报告请用 .html 文件")
    page, charts, missing, figures = render_html(ws, snapshot_id=snapshot_id, lang=lang, on=on, scope=scope)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return HtmlReport(path, [c.name for c in charts], missing, figures)
