"""Reports over the actor's scope: the dashboard and its key figures, sales by period and
dimension, the manager's workbook or HTML report, one chart, and the reps' workload.

Every figure is one of :mod:`tierwise.schemes.facts` (one definition each of the current
classification, customers per class, buyers, late tasks ...), so the dashboard, the API, the
CLI and the reports agree. Reports narrow to the actor's scope wherever they count or list
customers: a manager reads their department, a rep their own customers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.access.roles import can
from tierwise.errors import ConfigError, NotFoundError
from tierwise.services.base import Service, checked_text, helper, operation
from tierwise.services.list_sql import SqlCache

if TYPE_CHECKING:
    from tierwise.playbook.workload import Workload

FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "html": "text/html; charset=utf-8"}
PICTURES = {"svg": "image/svg+xml", "png": "image/png", "json": "application/json"}
# the class columns of the customer list, by the role of their scheme, in order
SCOPES: SqlCache[pa.Table] = SqlCache(64)  # the customer ids of a scope, by workspace, scope and data version
LIST_ROLES = ("primary_grade", "value_loyalty", "credit", "lifecycle")


@dataclass(frozen=True)
class Picture:
    """One chart: its title and caption, the Vega-Lite ``spec``, and ``content`` drawn as
    ``format`` (``svg`` or ``png``; empty for ``json``, the spec itself)."""

    name: str
    title: str
    caption: str
    spec: dict[str, Any]
    format: str
    content: bytes | None

    @property
    def media_type(self) -> str:
        return PICTURES[self.format]

    def body(self) -> bytes:
        """What a file or a response holds: the picture, or the spec as JSON."""
        if self.content is not None:
            return self.content
        return json.dumps(self.spec, ensure_ascii=False).encode()


class Reports(Service):
    """What managers read: figures, sales, workbooks, charts and the reps' load."""

    def _scope_ids(self, version: tuple[Any, ...] | None = None) -> pa.Table | None:
        """The ids of the customers in scope, or None when the actor sees everyone; with the
        data ``version`` (:func:`tierwise.schemes.facts.version`), kept while it holds."""
        if self.actor.scope.everything:
            return None
        key = None if version is None else (str(self.db.path), self.actor.scope, version)
        found = SCOPES.get(key) if key is not None else None
        if found is None:
            found = self._customers().select("customer_id").to_pyarrow()
            if key is not None:
                SCOPES.put(key, found)
        return found

    @operation(cli="dashboard", api="GET /api/dashboard")
    def dashboard(self, *, lang: str | None = None, on: date | None = None) -> dict[str, Any]:
        """Key figures, tier mix, matrices, movers, holds and tasks due, in the actor's scope
        (``on``: the reference day of due and late tasks, default today)."""
        from tierwise.schemes.facts import version
        from tierwise.services.dashboard import dashboard

        self._require("reports.read")
        now = version(self.db.con)
        data = dashboard(self.db.con, self._scope_ids(now), lang=self._lang(lang), on=on,
                         key=(str(self.db.path), self.actor.scope, now))
        if not can(self.actor, "customers.read"):  # a viewer reads aggregates, never a customer's record
            data["tasks"], data["holds"], data["movers"] = [], [], []
        return data

    @operation(cli="overview", api="GET /api/overview")
    def overview(self, *, lang: str | None = None, on: date | None = None) -> dict[str, Any]:
        """The key figures in the actor's scope: customers, buyers in the window, revenue,
        receivables, overdue, open and late tasks, holds, and the customers per class of the
        main grade (the scheme with the role ``primary_grade``)."""
        from tierwise.services.dashboard import overview

        self._require("reports.read")
        return {**overview(self.db.con, self._scope_ids(), lang=self._lang(lang), on=on),
                "currency": self.db.currency}  # of the money in the figures

    @operation(cli="sales", api="GET /api/reports/sales")
    def sales(
        self,
        by: list[str],
        *,
        period: str = "month",
        start: date | None = None,
        end: date | None = None,
        scheme: str | None = None,
    ) -> pa.Table:
        """Sales of the customers in scope (a viewer and an admin: the company's)."""
        from tierwise.reports.sales import sales

        self._require("reports.read")
        return sales(self.db, by, period=period, start=start, end=end, scheme=scheme, scope=self.actor.scope)

    @operation(cli="service", api="GET /api/reports/service")
    def service(self, *, scheme: str | None = None, start: date | None = None, end: date | None = None,
                lang: str | None = None) -> Any:
        """Service given against the plan, per class of ``scheme`` (default: the main grade) and
        per rep, of the customers in scope: planned and logged visits and contacts, customers
        never visited, effort against revenue share, and the seeds' warnings (倒置, 大锅饭)."""
        from tierwise.reports.service import service_vs_plan

        self._require("reports.read")
        return service_vs_plan(self.db, scheme=scheme, start=start, end=end, lang=self._lang(lang),
                               scope=self.actor.scope)

    @operation(cli="targets", api="GET /api/reports/targets")
    def targets(self, *, period: str = "month", year: int | None = None, as_of: date | None = None) -> Any:
        """Targets against what was done (revenue, new customers, visits) per rep, department
        and class, by ``period`` (month, quarter, year) up to ``as_of`` (default: the last
        order): target, stretch, done, variance, attainment and status. A rep sees their own
        targets, a manager their department's and its reps'."""
        from tierwise.reports.targets import variance

        self._require("reports.read")
        return variance(self.db, period=period, year=year, as_of=as_of, scope=self.actor.scope)

    @operation(cli="report", api="POST /api/reports")
    def build(
        self,
        format: str,
        out: Path,
        *,
        snapshot: int | None = None,
        on: date | None = None,
        lang: str | None = None,
    ) -> dict[str, Any]:
        """Write the manager's report of ``snapshot`` (default: the current classification) to
        ``out``: the workbook (``xlsx``) or the offline HTML page (``html``), over the actor's
        scope (a manager: their department). ``on`` is the reference day of the tasks.

        Returns what was written: ``sheets``, or ``charts`` with those ``missing`` and the key
        ``figures``.
        """
        self._require("reports.build")
        if format not in FORMATS:
            raise ConfigError(f"format {format!r}: xlsx or html / 报告格式应为 xlsx 或 html")
        lang = self._lang(lang)
        scope = self.actor.scope
        if format == "xlsx":
            from tierwise.reports.workbook import write_workbook

            sheets = write_workbook(self.db, out, snapshot_id=snapshot, lang=lang, on=on, scope=scope)
            return {"format": format, "path": str(out), "sheets": sheets}
        from tierwise.reports.html import write_html

        done = write_html(self.db, out, snapshot_id=snapshot, lang=lang, on=on, scope=scope)
        return {"format": format, "path": str(out), "charts": done.charts, "missing": done.missing,
                "figures": done.figures}

    @operation(cli="chart", api="GET /api/charts/{name}")
    def chart(
        self,
        name: str,
        *,
        format: str = "svg",
        snapshot: int | None = None,
        lang: str | None = None,
        scale: float = 2.0,
    ) -> Picture:
        """One chart of the HTML report over the actor's scope, drawn as ``svg`` or ``png`` (at
        ``scale`` ×), or its Vega-Lite spec (``json``). A viewer's charts name no customer."""
        from tierwise.reports.chart_data import ChartContext
        from tierwise.reports.charts import CHARTS, build_chart, render_chart
        from tierwise.reports.snapshot import snapshot_info

        self._require("reports.read")
        if name == "workload":  # the reps' load is a planning view: managers and admins
            self._require("reports.build")
        if name not in CHARTS:
            raise ConfigError(f"no chart {name!r}; use one of {', '.join(CHARTS)} / 没有图表 {name}")
        if format not in PICTURES:
            raise ConfigError(f"format {format!r}: svg, png or json / 格式应为 svg、png 或 json")
        lang = self._lang(lang)
        with ChartContext(self.db, snapshot_info(self.db, snapshot), lang, scope=self._scope_ids(),
                          access=self.actor.scope, anonymous=not can(self.actor, "customers.read")) as ctx:
            drawn = build_chart(ctx, name)
        content = None if format == "json" else render_chart(drawn, format, scale=scale, lang=lang)
        return Picture(drawn.name, drawn.title, drawn.caption, drawn.spec, format, content)

    @operation(cli="workload", api="GET /api/reports/workload")
    def workload(
        self,
        *,
        scheme: str | None = None,
        snapshot: int | None = None,
        department: str | None = None,
        under: float = 0.6,
        default_ratio: str | None = None,
    ) -> Workload:
        """Each rep's load against capacity by the service ratios of ``scheme``'s classes
        (default: the main grade). Managers and admins; a manager sees their department."""
        from tierwise.playbook.workload import workload

        self._require("reports.build")
        checked_text(scheme=scheme, department=department, default_ratio=default_ratio)
        scope = self.actor.scope
        if scope.nothing or (scope.department is not None and department not in (None, scope.department)):
            raise NotFoundError(f"no department {department!r} in your scope / 您的范围内没有部门 "
                                f"{department!r}")
        return workload(self.db, scheme=scheme, snapshot_id=snapshot,
                        department=scope.department or department, under=under, default_ratio=default_ratio)

    @helper("the pages pick the customer list's class columns by the roles of the schemes")
    def list_schemes(self) -> list[str]:
        """The schemes whose class the customer list shows, by role (:data:`LIST_ROLES`):
        the current scheme holding each role, in that order."""
        from tierwise.schemes import facts

        self._require("schemes.read")
        current = facts.current_schemes(self.db.con)
        found = [facts.with_role(current, role) for role in LIST_ROLES]
        return list(dict.fromkeys(s.name for s in found if s is not None))
