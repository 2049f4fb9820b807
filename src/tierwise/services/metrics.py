"""Per-customer metrics over an evaluation window, their definitions, and the CLV model fit."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tierwise.errors import DataError
from tierwise.progress import report
from tierwise.services.base import Service, operation

if TYPE_CHECKING:
    from tierwise.metrics.frame import EvaluationFrame
    from tierwise.metrics.table import ClvFit, MetricsRun


class Metrics(Service):
    """Computing metrics (managers and admins) and reading what each metric means (anyone)."""

    @operation(cli="metrics", api="POST /api/metrics")
    def run(
        self, *, as_of: date | None = None, window: str = "12m", engine: str | None = None,
        time_unit: str | None = None, out: Path | None = None,
    ) -> MetricsRun:
        """The metrics table (with CLV) as of ``as_of`` over ``window``; see :mod:`tierwise.metrics`.
        ``engine`` defaults to the ``engine`` setting. A manager gets the rows of their
        department's customers (the CLV model is fitted on the whole company either way).
        With ``out`` (``.csv`` or ``.parquet``) the table is written there in batches (and not
        returned: ``table`` is None); without it the rows come back in ``table``."""
        from tierwise.metrics.table import output_format, run_metrics

        self._require("metrics.read")
        if out is not None:
            output_format(Path(out))  # a wrong suffix fails before the work, not after it
            report(0.0, f"computing and writing {Path(out).name}", f"计算并写入 {Path(out).name}")
        only = None if self.actor.scope.everything else self._customers()
        return run_metrics(self.db, as_of=as_of, window=window, engine=engine, time_unit=time_unit,
                           only=only, out=None if out is None else Path(out))

    @operation(cli="metrics", api="GET /api/metrics/catalog")
    def catalog(self, lang: str | None = None) -> list[dict[str, Any]]:
        """Every column of the metrics table in order: name, group, unit and its definition in
        ``lang`` (``tierwise metrics --list``)."""
        from tierwise.metrics.catalog import METRICS

        self._require("settings.read")
        lang = self._lang(lang)
        return [
            {"name": m.name, "group": m.group, "unit": m.unit, "definition": m.zh if lang == "zh" else m.en}
            for m in METRICS
        ]

    @operation(cli="metrics", api="GET /api/metrics/catalog")
    def catalog_markdown(self, lang: str | None = None) -> str:
        """:meth:`catalog` as the Markdown table ``docs/metrics.md`` is generated from
        (``tierwise metrics --list --markdown``; ``format=markdown`` in the API)."""
        from tierwise.metrics.catalog import metrics_markdown

        self._require("settings.read")
        return metrics_markdown(self._lang(lang))

    @operation(cli="clv fit", api="POST /api/clv/fit")
    def clv_fit(
        self, *, as_of: date | None = None, time_unit: str | None = None, engine: str | None = None
    ) -> tuple[EvaluationFrame, ClvFit]:
        """BG/NBD and Gamma-Gamma fitted on the purchase history up to ``as_of`` (the whole
        company's: the parameters describe it, not one customer). A :class:`DataError` with
        the reason when the models cannot be fitted (too few repeat buyers ...)."""
        from tierwise.metrics.table import run_clv_fit

        self._require("metrics.read")
        frame, fit = run_clv_fit(self.db, as_of=as_of, time_unit=time_unit, engine=engine)
        if fit.bgnbd is None:  # nothing to show: the operation's one job failed
            raise DataError(fit.problems[0])
        return frame, fit
