"""The HTML report: one self-contained file with the snapshot's key figures and charts.

Everything the page needs is in the file: the Vega, Vega-Lite and Vega-Embed libraries come
from the ``vl-convert`` package (no CDN, no network when the page is opened), the styles are
inline, and each chart is a Vega-Lite spec from :mod:`tierwise.reports.charts`, drawn as SVG
so that it prints sharply. A chart whose data is missing (no second snapshot for migration,
no reps for workload) is replaced by a note that says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tierwise.errors import ConfigError, TierwiseError
from tierwise.reports.chart_data import ChartContext, NotAvailable
from tierwise.reports.charts import CHARTS, Chart, build_chart
from tierwise.reports.snapshot import pick, snapshot_info

if TYPE_CHECKING:
    from tierwise.store.workspace import Workspace


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


def _json_for_script(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def key_figures(ws: Workspace, ctx: ChartContext, on: date) -> dict[str, Any]:
    """Customers, buyers and revenue in the window, key (ABC A) customers, tasks and holds."""
    from tierwise.playbook.credit import credit_holds_table
    from tierwise.playbook.tasks import TaskOptions, generate_tasks

    snap = ctx.snap
    buyers, revenue = ws.con.execute(
        """SELECT count(*) FILTER (WHERE order_count > 0), coalesce(sum(revenue), 0)::DOUBLE
           FROM snapshot_customers WHERE snapshot_id = ? AND "window" = ?""",
        [snap.snapshot_id, snap.window]).fetchone() or (0, 0.0)
    figures: dict[str, Any] = {"customers": snap.customers, "buyers": int(buyers), "revenue": float(revenue),
                               "as_of": snap.as_of.isoformat(), "window": snap.window,
                               "snapshot_id": snap.snapshot_id}
    if "abc" in snap.specs:
        a, a_revenue = ws.con.execute(
            """SELECT count(*), coalesce(sum(f.revenue), 0)::DOUBLE FROM classes c
               LEFT JOIN snapshot_customers f
                    ON f.snapshot_id = c.snapshot_id AND f.customer_id = c.customer_id AND f."window" = ?
               WHERE c.snapshot_id = ? AND c.scheme = 'abc' AND c.class = 'A'""",
            [snap.windows["abc"], snap.snapshot_id]).fetchone() or (0, 0.0)
        figures["key_customers"] = int(a)
        figures["key_revenue_share"] = float(a_revenue) / float(revenue) if revenue else None
    try:
        tasks = generate_tasks(ws, TaskOptions(on=on))
        figures["tasks"] = tasks.num_rows
        figures["tasks_late"] = sum(1 for d in tasks["overdue_days"].to_pylist() if d and d > 0)
    except TierwiseError:
        figures["tasks"] = None
    try:
        figures["holds"] = credit_holds_table(ws, on=on).num_rows
    except TierwiseError:
        figures["holds"] = None
    return figures


def _cards(figures: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """(label, value, note) of each headline card."""
    def n(v: Any) -> str:
        return "—" if v is None else f"{v:,}"

    buyers, window, as_of = n(figures["buyers"]), figures["window"], figures["as_of"]
    cards = [(pick(lang, "customers", "客户数"), n(figures["customers"]),
              pick(lang, f"{buyers} bought in the window", f"窗口内成交 {buyers} 个")),
             (pick(lang, "revenue in the window", "窗口内销售额"), f"¥{figures['revenue']:,.0f}",
              pick(lang, f"{window} to {as_of}", f"截至 {as_of}，{window}"))]
    if "key_customers" in figures:
        share = figures["key_revenue_share"]
        cards.append((pick(lang, "key customers (ABC A)", "关键客户（A 类）"), n(figures["key_customers"]),
                      "" if share is None else
                      pick(lang, f"{share:.1%} of revenue", f"贡献 {share:.1%} 的销售额")))
    if figures.get("tasks") is not None:
        late = n(figures["tasks_late"])
        cards.append((pick(lang, "open tasks", "待办任务"), n(figures["tasks"]),
                      pick(lang, f"{late} late", f"其中逾期 {late} 个")))
    if figures.get("holds") is not None:
        cards.append((pick(lang, "credit holds", "信用冻结"), n(figures["holds"]),
                      pick(lang, "over limit or overdue", "超额度或逾期")))
    return cards


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("tierwise.reports", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def render_html(ws: Workspace, *, snapshot_id: int | None = None, lang: str = "en", on: date | None = None,
                names: list[str] | None = None) -> tuple[str, list[Chart], dict[str, str], dict[str, Any]]:
    """The page, the charts on it, the charts left out with the reason, and the key figures."""
    ctx = ChartContext(ws, snapshot_info(ws, snapshot_id), lang)
    charts: list[Chart] = []
    missing: dict[str, str] = {}
    for name in names or list(CHARTS):
        try:
            charts.append(build_chart(ctx, name))
        except NotAvailable as exc:
            missing[name] = str(exc)
    figures = key_figures(ws, ctx, on or ctx.snap.as_of)
    labels = {name: pick(lang, *title) for name, (title, _) in CHARTS.items()}
    page = _environment().get_template("report.html.j2").render(
        lang=lang, html_lang="zh-CN" if lang == "zh" else "en", t=lambda en, zh: pick(lang, en, zh),
        figures=figures, cards=_cards(figures, lang), charts=charts, missing=missing, labels=labels,
        specs=_json_for_script({c.name: _untitled(c.spec) for c in charts}),
        locale=_json_for_script(_locales(lang)), bundle=vega_bundle(),
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"), workspace=ws.path.name if ws.path else "")
    return page, charts, missing, figures


def _untitled(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec without its title: on the page the section heading carries it."""
    return {k: v for k, v in spec.items() if k != "title"}


@lru_cache(maxsize=2)
def _locales(lang: str) -> dict[str, Any]:
    import vl_convert as vlc

    tag: Literal["zh-CN", "en-US"] = "zh-CN" if lang == "zh" else "en-US"
    return {"formatLocale": vlc.get_format_locale(tag), "timeFormatLocale": vlc.get_time_format_locale(tag)}


def write_html(ws: Workspace, path: Path | str, *, snapshot_id: int | None = None, lang: str = "en",
               on: date | None = None) -> HtmlReport:
    """Write the HTML report of ``snapshot_id`` (default: the latest) to ``path``, whole or not at all.

    Parameters
    ----------
    ws
        The workspace with at least one classification snapshot.
    path
        An ``.html`` file.
    lang
        ``en`` or ``zh``: every title, label, caption and number format.
    on
        The day the task and credit-hold counts are for (default: the snapshot's as-of date).
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ConfigError(f"{path}: the HTML report is written to a .html file / HTML 报告请用 .html 文件")
    page, charts, missing, figures = render_html(ws, snapshot_id=snapshot_id, lang=lang, on=on)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return HtmlReport(path, [c.name for c in charts], missing, figures)
