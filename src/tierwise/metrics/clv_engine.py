"""CLV for a table on the engine: fitted on what the engine aggregates, scored by the engine.

Nothing of the size of the customer base comes to Python. The fits read the BTYD summary
grouped by its distinct rows with a count (:mod:`tierwise.metrics.clv` fits weighted rows,
so its time depends on how many distinct histories there are, not on how many customers);
the scores are engine expressions. P(alive) and the Gamma-Gamma expected value are closed
forms; the expected purchases and the discounted CLV sum need the Gauss hypergeometric
function, which depends on ``frequency`` and ``T`` alone, so Python evaluates it once per
distinct (frequency, T) pair and the engine joins that small table back. The formulas are
those of :mod:`tierwise.metrics.clv` (a test holds the two to 1e-12).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from tierwise.errors import DataError
from tierwise.metrics import catalog

if TYPE_CHECKING:
    from tierwise.metrics import clv
    from tierwise.metrics.compute import MetricsOptions


@dataclass(frozen=True)
class ClvFit:
    """The fitted CLV models of one evaluation, or why a model could not be fitted."""

    time_unit: str
    bgnbd: clv.BGNBDFit | None
    gamma_gamma: clv.GammaGammaFit | None
    problems: tuple[str, ...] = ()

    @property
    def values_spend(self) -> bool:
        """Whether the Gamma-Gamma fit gives a finite mean spend (so a value and a CLV)."""
        return self.gamma_gamma is not None and self.gamma_gamma.q > 1

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"time_unit": self.time_unit, "problems": list(self.problems)}
        if self.bgnbd:
            b = self.bgnbd
            out["bgnbd"] = {"r": b.r, "alpha": b.alpha, "a": b.a, "b": b.b,
                            "log_likelihood": b.log_likelihood, "customers": b.n_customers,
                            "iterations": b.iterations, "converged": b.converged}
        if self.gamma_gamma:
            g = self.gamma_gamma
            out["gamma_gamma"] = {"p": g.p, "q": g.q, "v": g.v, "log_likelihood": g.log_likelihood,
                                  "customers": g.n_customers, "iterations": g.iterations,
                                  "converged": g.converged}
        return out


def periods_per_month(time_unit: str) -> float:
    """Time units per month as lifetimes counts them (30 days, 4.345 weeks)."""
    from tierwise.metrics import clv  # SciPy: loaded only when CLV is needed

    return clv.PERIODS_PER_MONTH["W" if time_unit == "weeks" else "D"]


def _columns(table: ir.Table, names: list[str]) -> list[np.ndarray]:
    """``names`` of ``table`` as float arrays, from one query, sorted: rows come from an engine
    in no set order, and the fit's sums (so where the optimiser stops) follow the order."""
    arrow = table.select(*names).to_pyarrow().sort_by([(name, "ascending") for name in names])
    return [arrow[name].to_numpy(zero_copy_only=False).astype(np.float64) for name in names]


def fit_clv(summary: ir.Table, time_unit: str) -> ClvFit:
    """Fit BG/NBD on every customer of ``summary`` with a purchase history, and Gamma-Gamma on
    the repeat buyers, from the engine's counts of their distinct BTYD rows.

    ``summary`` has ``frequency``, ``recency``, ``T`` and ``monetary_value`` (null for a
    customer without a purchase), on any engine.
    """
    from tierwise.metrics import clv  # SciPy: loaded only when CLV is needed

    known = summary.filter(summary.frequency.notnull())
    histories = known.group_by(["frequency", "recency", "T"]).agg(n=known.count())
    # Gamma-Gamma models positive spend: repeat buyers whose repeat periods net to zero or
    # less (returns) are left out of the fit and valued at the population mean.
    spenders = known.filter((known.frequency > 0) & (known.monetary_value > 0))
    spends = spenders.group_by(["frequency", "monetary_value"]).agg(n=spenders.count())
    problems: list[str] = []
    bg = gg = None
    try:
        x, t_x, big_t, n = _columns(histories, ["frequency", "recency", "T", "n"])
        bg = clv.fit_bgnbd(x, t_x, big_t, weights=n)
    except DataError as exc:
        problems.append(str(exc))
    try:
        x, m, n = _columns(spends, ["frequency", "monetary_value", "n"])
        gg = clv.fit_gamma_gamma(x, m, weights=n)
    except DataError as exc:
        problems.append(str(exc))
    if bg is not None and not bg.converged:  # a fit stopped on a slope is not used
        problems.append(
            f"BG/NBD fit did not converge ({bg.iterations} iterations): p_alive, expected_purchases, "
            f"expected_value and clv are left empty / BG/NBD 拟合未收敛：p_alive、expected_purchases、"
            f"expected_value 与 clv 留空")
        bg = None
    if gg is not None and not gg.converged:
        problems.append(
            f"Gamma-Gamma fit did not converge ({gg.iterations} iterations): expected_value and clv are "
            f"left empty / Gamma-Gamma 拟合未收敛：expected_value 与 clv 留空")
        gg = None
    if gg is not None and gg.q <= 1:
        problems.append(
            f"Gamma-Gamma fit has q = {gg.q:.3g} <= 1, so the mean spend is infinite: "
            f"expected_value and clv are left empty; look for outlier amounts / Gamma-Gamma 模型"
            f"的 q ≤ 1，平均金额无穷大：expected_value 与 clv 留空，请检查金额异常值"
        )
    return ClvFit(time_unit, bg, gg, tuple(problems))


Register = Callable[[pa.Table], ir.Table]
"""Puts a small Arrow table on the engine and returns it as an engine table."""


def _pair_values(summary: ir.Table, fit: ClvFit, options: MetricsOptions, register: Register) -> ir.Table:
    """Per distinct (frequency, T): the expected purchases if alive over the CLV horizon and
    the discounted monthly increments of it (the CLV sum before value and P(alive))."""
    from tierwise.metrics import clv

    assert fit.bgnbd is not None
    bg = fit.bgnbd
    known = summary.filter(summary.frequency.notnull())
    x, big_t = _columns(known.select("frequency", "T").distinct(), ["frequency", "T"])
    per_month = periods_per_month(fit.time_unit)
    if_alive = clv._purchases_if_alive(bg, options.clv_months * per_month, x, big_t)
    months, rate = options.clv_months, options.clv_discount_rate
    discounted = (clv.discounted_purchases_if_alive(bg, x, big_t, months, rate, per_month)
                  if fit.values_spend else np.zeros_like(x))
    return register(pa.table({"frequency": x, "T": big_t, "_if_alive": if_alive, "_discounted": discounted}))


def with_clv(
    summary: ir.Table, fit: ClvFit, options: MetricsOptions, register: Register = ibis.memtable
) -> ir.Table:
    """``summary`` with the columns of :data:`catalog.CLV_COLUMNS` added, scored on its engine.

    ``register`` puts the small table of values per distinct (frequency, T) on the engine
    (default: an Ibis memtable, which DuckDB takes as it is; Spark needs it registered).
    Empty for a customer without a purchase history, and all empty when BG/NBD could not be
    fitted; ``expected_value`` and ``clv`` are empty when Gamma-Gamma gives no finite mean.
    """
    empty = ibis.null("float64")
    if fit.bgnbd is None:
        return summary.mutate(**dict.fromkeys(catalog.CLV_COLUMNS, empty))
    bg = fit.bgnbd
    t = summary.left_join(_pair_values(summary, fit, options, register), ["frequency", "T"])
    # doubles: an integer frequency makes the literals' arithmetic DECIMAL, 3-4 times slower
    x, t_x, big_t = t.frequency.cast("float64"), t.recency.cast("float64"), t.T.cast("float64")
    known = x.notnull()
    # clv._p_alive: 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)), in logs
    log_ratio = (bg.alpha + big_t).ln() - (bg.alpha + t_x).ln()
    log_odds_dead = math.log(bg.a) - (bg.b + ibis.greatest(x, 1.0) - 1).ln() + (bg.r + x) * log_ratio
    p_alive = ibis.ifelse(known, ibis.ifelse(x > 0, 1.0 / (1.0 + log_odds_dead.exp()), 1.0), empty)
    value: ir.Value = empty
    if fit.values_spend:
        gg = fit.gamma_gamma
        assert gg is not None
        # clv.gamma_gamma_expected_value; without positive repeat spend (returns only) a
        # customer has no evidence of their own and gets the population mean.
        mean = gg.p * gg.v / (gg.q - 1)
        spend = ibis.ifelse(t.monetary_value > 0, t.monetary_value.cast("float64"), mean)
        own = gg.p * x / (gg.p * x + gg.q - 1)
        value = ibis.ifelse(known, (1 - own) * mean + own * spend, empty)
    # P(alive) and the value computed once, in a projection of their own, then multiplied out
    t = t.mutate(p_alive=p_alive, expected_value=value)
    return t.mutate(
        expected_purchases=t._if_alive * t.p_alive,
        clv=t.expected_value * t.p_alive * t._discounted if fit.values_spend else empty,
    ).select(*summary.columns, *catalog.CLV_COLUMNS)
