"""The Gamma-Gamma model of the mean value of a customer's repeat purchases (Fader, Hardie &
Lee 2005, "RFM and CLV"; Fader & Hardie 2013), fitted by maximum likelihood as ``lifetimes``
0.11.3 fits it; :mod:`tierwise.metrics.clv` holds BG/NBD and the CLV sum and re-exports these."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from tierwise.errors import DataError
from tierwise.metrics._fitting import (
    MIN_CUSTOMERS,
    FloatArray,
    _check_frequency,
    _check_weights,
    _compress,
    _dot,
    _minimize,
    _same_length,
    _vector,
)


@dataclass(frozen=True)
class GammaGammaFit:
    """Fitted Gamma-Gamma model: the value of a purchase ~ Gamma(p, nu), nu ~ Gamma(q, v).

    ``v`` is in the money unit of the data; the population mean value is ``p * v / (q - 1)``.
    Other fields as in :class:`BGNBDFit`; ``n_customers`` counts the repeat buyers fitted.
    """

    p: float
    q: float
    v: float
    log_likelihood: float
    n_customers: int
    iterations: int
    converged: bool


@dataclass(frozen=True)
class _GGRows:
    """Gamma-Gamma data: rows (x m, weights) and what does not depend on the parameters."""

    xm: FloatArray  # x * m per row
    w: FloatArray
    wx: FloatArray  # w * x per row
    xs: FloatArray  # distinct x and their summed weights
    w_xs: FloatArray
    sum_log_m: float  # sum of w ln m
    sum_x_log_xm: float  # sum of w x ln(x m)

    @classmethod
    def make(cls, x: FloatArray, m: FloatArray, w: FloatArray) -> _GGRows:
        xs = np.unique(x)
        w_xs = np.bincount(np.searchsorted(xs, x), weights=w, minlength=len(xs)).astype(np.float64)
        return cls(x * m, w, w * x, xs, w_xs, _dot(w, np.log(m)), _dot(w * x, np.log(x * m)))


def _gg_loglik(params: FloatArray, d: _GGRows, grad: bool) -> tuple[float, FloatArray]:
    """Total Gamma-Gamma log-likelihood (Fader & Hardie 2013, eq. 1a) and its gradient in (p, q, v).

    Per customer: ln G(px+q) - ln G(px) - ln G(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v+xm).
    The Gamma functions depend on x alone and are summed over distinct x; per row only ln(v+xm)
    is computed.
    """
    p, q, v = params
    xs, w_xs, gl, dig = d.xs, d.w_xs, special.gammaln, special.digamma
    log_v_xm = np.log(v + d.xm)
    coef = p * d.wx + q * d.w  # w (px + q) per row
    ll = (_dot(w_xs, gl(p * xs + q) - gl(p * xs) - gl(q) + q * np.log(v))
          + p * d.sum_x_log_xm - d.sum_log_m - _dot(coef, log_v_xm))
    if not grad:
        return ll, np.empty(0)
    dig_pq = dig(p * xs + q)
    g_p = _dot(w_xs * xs, dig_pq - dig(p * xs)) + d.sum_x_log_xm - _dot(d.wx, log_v_xm)
    g_q = _dot(w_xs, dig_pq - dig(q) + np.log(v)) - _dot(d.w, log_v_xm)
    g_v = float(w_xs.sum()) * q / v - float(np.sum(coef / (v + d.xm)))
    return ll, np.array([g_p, g_q, g_v])


def fit_gamma_gamma(frequency: ArrayLike, monetary_value: ArrayLike, *, weights: ArrayLike | None = None,
                    penalizer: float = 0.0) -> GammaGammaFit:
    """Fit the Gamma-Gamma model of the mean repeat-purchase value by maximum likelihood.

    Only customers with ``frequency > 0`` and ``monetary_value > 0`` are used; the rest are
    ignored, so the whole BTYD summary can be passed.

    Parameters
    ----------
    frequency : array_like
        Repeat purchase periods per customer.
    monetary_value : array_like
        Mean value of the customer's repeat purchase periods, in any money unit.
    weights : array_like, optional
        How many customers each row stands for (default 1 each).
    penalizer : float, default 0
        L2 penalty ``penalizer * (p² + q² + v²)`` added to the mean negative log-likelihood, as
        ``lifetimes``' ``GammaGammaFitter(penalizer_coef=...)`` (v in the money unit of the data).

    Returns
    -------
    GammaGammaFit
        The estimates and the log-likelihood at them (money unit of the data).

    Raises
    ------
    DataError
        Invalid inputs, or fewer than :data:`MIN_CUSTOMERS` repeat buyers with a positive value.
    """
    x, m = _check_frequency(frequency), _vector("monetary_value", monetary_value)
    _same_length(frequency=x, monetary_value=m)
    w, pen = _check_weights(weights, len(x), penalizer), float(penalizer)
    use = (x > 0) & (m > 0) & (w > 0)
    total = float(w[use].sum())
    if total < MIN_CUSTOMERS:
        raise DataError(
            f"cannot fit Gamma-Gamma: only {total:g} repeat buyers with a positive monetary_value, need at "
            f"least {MIN_CUSTOMERS} / 无法拟合 Gamma-Gamma 模型：只有 {total:g} 位金额为正的重复购买客户，"
            f"至少需要 {MIN_CUSTOMERS} 位")
    # Money is scaled so that the mean value is 1; v is rescaled afterwards.
    scale = _dot(w[use], m[use]) / total
    (xc, mc), wc = _compress([x[use], m[use] / scale], w[use])
    rows = _GGRows.make(xc, mc, wc)

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(theta)
        ll, g = _gg_loglik(params, rows, grad=True)
        unscaled = params * [1.0, 1.0, scale]
        value = -ll / total + pen * float(unscaled @ unscaled)
        return value, (-g / total + 2 * pen * unscaled * [1.0, 1.0, scale]) * params

    result = _minimize("Gamma-Gamma", objective, np.log([1.0, 2.0, 1.0]))
    p, q, v_scaled = np.exp(result.x)
    # Rescaling money by `scale` changes the log-density of each customer by -log(scale).
    ll_scaled, _ = _gg_loglik(np.exp(result.x), rows, grad=False)
    return GammaGammaFit(p=float(p), q=float(q), v=float(v_scaled * scale),
                         log_likelihood=float(ll_scaled - total * np.log(scale)), n_customers=round(total),
                         iterations=int(result.nit), converged=bool(result.success))


def gamma_gamma_expected_value(fit: GammaGammaFit, frequency: ArrayLike,
                               monetary_value: ArrayLike) -> FloatArray:
    """Expected mean purchase value of each customer given their history (Fader & Hardie 2013, eq. 5).

    A weighted mean of the population mean ``p * v / (q - 1)`` and the customer's own
    ``monetary_value``, with weight ``p x / (p x + q - 1)`` on the latter: so customers with
    ``frequency`` 0 get the population mean. Same as ``lifetimes``'
    ``conditional_expected_average_profit``.

    Parameters
    ----------
    fit : GammaGammaFit
        The fitted model; needs ``q > 1`` for the population mean to exist.
    frequency, monetary_value : array_like
        Repeat purchase periods and their mean value per customer.

    Returns
    -------
    numpy.ndarray
        Expected value of one future purchase per customer, in the money unit of the fit.
    """
    x, m = _check_frequency(frequency), _vector("monetary_value", monetary_value)
    _same_length(frequency=x, monetary_value=m)
    if fit.q <= 1:
        raise DataError(f"Gamma-Gamma fit has q = {fit.q:.3g} <= 1: the mean value is infinite; check the "
                        "monetary values for outliers / Gamma-Gamma 模型的 q ≤ 1，平均金额无穷大，"
                        "请检查金额异常值")
    own = fit.p * x / (fit.p * x + fit.q - 1)
    return np.asarray((1 - own) * (fit.p * fit.v / (fit.q - 1)) + own * m, dtype=np.float64)
