"""Customer lifetime value: the BG/NBD and Gamma-Gamma models, fitted by maximum likelihood.

BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way") models how many repeat
purchases a customer makes and whether they are still "alive"; Gamma-Gamma (Fader, Hardie & Lee
2005, "RFM and CLV"; Fader & Hardie 2013, "The Gamma-Gamma model of monetary value") models the
mean value of their repeat purchases.

The inputs are the BTYD summary arrays exactly as ``lifetimes.utils.summary_data_from_transaction_data``
defines them, all in one time unit (days or weeks): ``frequency`` (x), the number of repeat
purchase periods; ``recency`` (t_x), the time from the first to the last purchase period;
``T``, the time from the first purchase to the end of the observation window; and
``monetary_value``, the mean value of the repeat purchase periods (recency and monetary_value
are 0 when frequency is 0).

Likelihoods, penalizer, predictions and the CLV sum follow ``lifetimes`` 0.11.3, so results can be
compared with it. Gamma-Gamma lives in :mod:`tierwise.metrics.gamma_gamma` (its names are
re-exported here) and what the fits share in :mod:`tierwise.metrics._fitting`. Everything is
vectorised over customers; fitting first merges identical rows into one weighted row, so a
million customers summarised in whole days fit in about a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from tierwise.errors import DataError
from tierwise.metrics._fitting import (
    _LOG_BOUND,
    MIN_CUSTOMERS,
    FloatArray,
    _check_rfm,
    _check_weights,
    _compress,
    _dot,
    _minimize,
)
from tierwise.metrics.gamma_gamma import GammaGammaFit, fit_gamma_gamma, gamma_gamma_expected_value

__all__ = [
    "MIN_CUSTOMERS", "PERIODS_PER_MONTH", "BGNBDFit", "GammaGammaFit", "bgnbd_expected_purchases",
    "bgnbd_p_alive", "customer_lifetime_value", "fit_bgnbd", "fit_gamma_gamma", "gamma_gamma_expected_value",
]

PERIODS_PER_MONTH: dict[str, float] = {"D": 30.0, "W": 4.345, "M": 1.0, "H": 720.0}
"""Time units per month as ``lifetimes`` counts them, by its ``freq`` letter (days, weeks, months,
hours): pass ``PERIODS_PER_MONTH["W"]`` as ``periods_per_month`` for data in weeks. Note that a month
is 4.345 weeks (52.14 / 12), not 30 / 7 = 4.29, as in ``lifetimes``."""


@dataclass(frozen=True)
class BGNBDFit:
    """Fitted BG/NBD model: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b).

    ``alpha`` is in the time unit of the data; ``log_likelihood`` is the total (weighted)
    log-likelihood at the estimate, without the penalty; ``n_customers`` is the number of
    customers (sum of weights) fitted; ``iterations`` and ``converged`` come from the optimiser.
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_customers: int
    iterations: int
    converged: bool


# --------------------------------------------------------------------------- BG/NBD

@dataclass(frozen=True)
class _Rows:
    """BG/NBD data ordered non-repeat buyers first (so ``[n0:]`` are views), and weights per distinct x."""

    x: FloatArray
    t_x: FloatArray
    big_t: FloatArray
    w: FloatArray
    n0: int  # rows with x == 0 come first
    xs: FloatArray  # distinct x and their summed weights
    wx: FloatArray

    @classmethod
    def make(cls, x: FloatArray, t_x: FloatArray, big_t: FloatArray, w: FloatArray) -> _Rows:
        order = np.r_[np.flatnonzero(x == 0), np.flatnonzero(x > 0)]
        xs = np.unique(x)
        wx = np.bincount(np.searchsorted(xs, x), weights=w, minlength=len(xs)).astype(np.float64)
        return cls(x[order], t_x[order], big_t[order], w[order], int(np.sum(x == 0)), xs, wx)


def _bgnbd_loglik(params: FloatArray, d: _Rows, grad: bool) -> tuple[float, FloatArray]:
    """Total log-likelihood of BG/NBD (FHL 2005 eq. 6) and its gradient in (r, alpha, a, b).

    Per customer: ln G(r+x) - ln G(r) + r ln(alpha) + ln B(a, b+x) - ln B(a, b)
    + ln[(alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x)], the last term as
    -(r+x) ln(alpha+T) + softplus(k) with k = ln a - ln(b+x-1) + (r+x) ln((alpha+T)/(alpha+t_x))
    (``np.logaddexp(0, k)``, stable for any x). Terms of x alone are summed over distinct x.
    """
    r, alpha, a, b = params
    xs, wx, n0 = d.xs, d.wx, d.n0
    ll = _dot(wx, special.gammaln(r + xs) - special.gammaln(r) + r * np.log(alpha)
              + special.betaln(a, b + xs) - special.betaln(a, b))
    log_t = np.log(alpha + d.big_t)
    ll -= _dot(d.w, (r + d.x) * log_t)
    xr, wr = d.x[n0:], d.w[n0:]
    log_ratio = log_t[n0:] - np.log(alpha + d.t_x[n0:])
    k = np.log(a) - np.log(b + xr - 1) + (r + xr) * log_ratio
    ll += _dot(wr, np.logaddexp(0.0, k))
    if not grad:
        return ll, np.empty(0)
    dead = wr * special.expit(k)  # weight x P(dropped out | x, t_x, T)
    dig = special.digamma
    g_r = _dot(wx, dig(r + xs) - dig(r) + np.log(alpha)) - _dot(d.w, log_t) + _dot(dead, log_ratio)
    inv_t = 1 / (alpha + d.big_t)
    g_alpha = (float(wx.sum()) * r / alpha - _dot(d.w * inv_t, r + d.x)
               + _dot(dead * (r + xr), inv_t[n0:] - 1 / (alpha + d.t_x[n0:])))
    g_a = _dot(wx, dig(a + b) - dig(a + b + xs)) + float(dead.sum()) / a
    g_b = _dot(wx, dig(b + xs) - dig(a + b + xs) - dig(b) + dig(a + b)) - _dot(dead, 1 / (b + xr - 1))
    return ll, np.array([g_r, g_alpha, g_a, g_b])


def fit_bgnbd(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, *,
              weights: ArrayLike | None = None, penalizer: float = 0.0) -> BGNBDFit:
    """Fit the BG/NBD model by maximum likelihood.

    Parameters
    ----------
    frequency, recency, T : array_like
        The BTYD summary per customer (see the module docstring), one time unit throughout.
    weights : array_like, optional
        How many customers each row stands for (default 1 each); rows of weight 0 are ignored.
        Identical rows are merged with summed weights anyway, so this is only needed when the
        caller has already compressed its data.
    penalizer : float, default 0
        L2 penalty ``penalizer * (r² + alpha² + a² + b²)`` added to the mean negative
        log-likelihood per customer, with alpha measured in units of the longest ``T``: the
        same as ``lifetimes``' ``BetaGeoFitter(penalizer_coef=...)``.

    Returns
    -------
    BGNBDFit
        The estimates, the log-likelihood at them (time unit of the data), and how the
        optimisation went. A fit that did not converge also emits a ``RuntimeWarning``.

    Raises
    ------
    DataError
        Invalid inputs, fewer than :data:`MIN_CUSTOMERS` customers, or no repeat purchase at all.
    """
    x, t_x, big_t = _check_rfm(frequency, recency, T)
    w, pen = _check_weights(weights, len(x), penalizer), float(penalizer)
    total = float(w.sum())
    if total < MIN_CUSTOMERS:
        raise DataError(f"cannot fit BG/NBD: only {total:g} customers, need at least {MIN_CUSTOMERS} / "
                        f"无法拟合 BG/NBD 模型：只有 {total:g} 位客户，至少需要 {MIN_CUSTOMERS} 位")
    t_max = float(big_t.max())  # time is scaled so that the longest T is 1, as lifetimes does
    if not np.any((x > 0) & (w > 0)) or t_max <= 0:
        raise DataError("cannot fit BG/NBD: no customer made a repeat purchase / "
                        "无法拟合 BG/NBD 模型：没有任何客户重复购买")
    (xc, tc, bigc), wc = _compress([x, t_x, big_t], w)
    tc, bigc = tc / t_max, bigc / t_max
    rows = _Rows.make(xc, tc, bigc, wc)
    rate = _dot(wc, xc) / _dot(wc, bigc)  # repeat purchases per unit of scaled time

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(theta)
        ll, g = _bgnbd_loglik(params, rows, grad=True)
        value = -ll / total + pen * float(params @ params)
        return value, (-g / total + 2 * pen * params) * params

    start = np.log([1.0, 1.0 / rate, 1.0, 1.0])
    result = _minimize("BG/NBD", objective, np.clip(start, -_LOG_BOUND, _LOG_BOUND))
    r, alpha_scaled, a, b = np.exp(result.x)
    # Rescaling alpha by t_max changes the log-likelihood by sum(w * x) * log(t_max).
    ll_scaled, _ = _bgnbd_loglik(np.exp(result.x), rows, grad=False)
    return BGNBDFit(r=float(r), alpha=float(alpha_scaled * t_max), a=float(a), b=float(b),
                    log_likelihood=float(ll_scaled - _dot(wc, xc) * np.log(t_max)),
                    n_customers=round(total), iterations=int(result.nit), converged=bool(result.success))


def _p_alive(fit: BGNBDFit, x: FloatArray, t_x: FloatArray, big_t: FloatArray) -> FloatArray:
    """P(alive | x, t_x, T) = 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)), in logs."""
    log_ratio = np.log(fit.alpha + big_t) - np.log(fit.alpha + t_x)
    log_odds_dead = np.log(fit.a) - np.log(fit.b + np.maximum(x, 1) - 1) + (fit.r + x) * log_ratio
    return np.where(x > 0, special.expit(-log_odds_dead), 1.0)


def _purchases_if_alive(fit: BGNBDFit, horizon: float | FloatArray, x: FloatArray,
                        big_t: FloatArray) -> FloatArray:
    """FHL eq. (10) before the P(alive) factor: (a+b+x-1)/(a-1) [1 - (1-z)^(a-1) 2F1(..; z)]."""
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    z = horizon / (alpha + big_t + horizon)
    log_scale = (a - 1) * np.log1p(-z)
    f = special.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
    # The tail (1-z)^(a-1) 2F1 is negative when a + b + x < 1 (e.g. x = 0 with a + b < 1, which
    # heavy-tailed data fit): 1 - tail is then > 1 and the prefactor positive. Take logs only
    # where 2F1 > 0, for precision near tail = 1.
    positive = f > 0
    safe_log = np.log(np.where(positive, f, 1.0))
    one_minus_tail = np.where(positive, -np.expm1(log_scale + safe_log), 1.0 - np.exp(log_scale) * f)
    return np.asarray((a + b + x - 1) / (a - 1) * one_minus_tail, dtype=np.float64)


def _distinct_pairs(x: FloatArray, big_t: FloatArray) -> tuple[FloatArray, FloatArray, NDArray[np.intp]]:
    """The distinct (x, T) pairs and, per customer, the index of theirs.

    The hypergeometric term of the expected purchases depends on x and T only (not t_x), and
    far fewer pairs than customers exist: evaluating it once per pair makes CLV for a million
    customers several times faster. 1-D ``np.unique`` on a combined integer code is used, not
    ``np.unique(axis=0)``, which is slow.
    """
    ux, cx = np.unique(x, return_inverse=True)
    ut, ct = np.unique(big_t, return_inverse=True)
    pairs, inverse = np.unique(cx.astype(np.int64) * len(ut) + ct, return_inverse=True)
    return ux[pairs // len(ut)], ut[pairs % len(ut)], inverse.reshape(-1)


def bgnbd_p_alive(fit: BGNBDFit, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> FloatArray:
    """Probability that each customer is still alive, P(alive | x, t_x, T) (Fader, Hardie & Lee, note 021).

    Parameters
    ----------
    fit : BGNBDFit
        The fitted model.
    frequency, recency, T : array_like
        The customers' BTYD summary, in the time unit of the fit.

    Returns
    -------
    numpy.ndarray
        One probability per customer; 1 where ``frequency`` is 0 (in BG/NBD a customer can only
        drop out right after a repeat purchase), as in ``lifetimes``.
    """
    x, t_x, big_t = _check_rfm(frequency, recency, T)
    return _p_alive(fit, x, t_x, big_t)


def bgnbd_expected_purchases(fit: BGNBDFit, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike,
                             T: ArrayLike) -> FloatArray:
    """Expected number of repeat purchases in the next ``t`` periods given each customer's history.

    FHL 2005 eq. (10), as ``lifetimes``' ``conditional_expected_number_of_purchases_up_to_time``.
    The Gauss hypergeometric term is evaluated after Euler's transformation,
    ``2F1(r+x, b+x; a+b+x-1; z) (1-z)^(r+x) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)`` with
    ``z = t / (alpha+T+t)``, whose series stays small and converges fast even for large ``x``.

    Parameters
    ----------
    fit : BGNBDFit
        The fitted model.
    t : float or array_like
        Length of the future window in the time unit of the fit; a scalar or one per customer.
    frequency, recency, T : array_like
        The customers' BTYD summary.

    Returns
    -------
    numpy.ndarray
        Expected purchases per customer (0 when ``t`` is 0).
    """
    x, t_x, big_t = _check_rfm(frequency, recency, T)
    horizon = np.asarray(t, dtype=np.float64)
    if not np.all(np.isfinite(horizon)) or np.any(horizon < 0) or horizon.size not in (1, len(x)):
        raise DataError("t must be one non-negative, finite time or one per customer / "
                        "t 必须是一个非负的有限时间，或每位客户一个")
    horizon = horizon.reshape(-1) if horizon.size > 1 else horizon.reshape(())
    if horizon.ndim == 0:
        px, pt, inverse = _distinct_pairs(x, big_t)
        if_alive = _purchases_if_alive(fit, horizon, px, pt)[inverse]
    else:
        if_alive = _purchases_if_alive(fit, horizon, x, big_t)
    return if_alive * _p_alive(fit, x, t_x, big_t)


# --------------------------------------------------------------------------- CLV

def customer_lifetime_value(bg: BGNBDFit, gg: GammaGammaFit, frequency: ArrayLike, recency: ArrayLike,
                            T: ArrayLike, monetary_value: ArrayLike, *, months: int = 12,
                            discount_rate: float = 0.01, periods_per_month: float = 30.0) -> FloatArray:
    """Discounted value of each customer's expected purchases over the next ``months`` months.

    The same sum as ``lifetimes``' ``GammaGammaFitter.customer_lifetime_value``::

        CLV = sum over i = 1..months of
              (E[purchases in the next i*k periods] - E[purchases in the next (i-1)*k periods])
              * gamma_gamma_expected_value / (1 + discount_rate) ** i

    with ``k = periods_per_month`` and the expectations from :func:`bgnbd_expected_purchases`.
    The value of month i's purchases is discounted by i whole months.

    Parameters
    ----------
    bg, gg : BGNBDFit, GammaGammaFit
        The fitted purchase and value models.
    frequency, recency, T, monetary_value : array_like
        The customers' BTYD summary, in the time unit of ``bg``.
    months : int, default 12
        Horizon in months.
    discount_rate : float, default 0.01
        Discount rate *per month* (0.01 a month is about 12.7 % a year).
    periods_per_month : float, default 30
        Time units per month: 30 for days, 4.345 for weeks, as ``lifetimes``' ``freq`` "D" and
        "W"; :data:`PERIODS_PER_MONTH` maps those letters to these numbers.

    Returns
    -------
    numpy.ndarray
        CLV per customer, in the money unit of ``gg``.
    """
    if months < 0 or months != int(months):
        raise DataError(f"months must be a whole number >= 0, got {months} / months 必须是非负整数")
    if not (np.isfinite(discount_rate) and discount_rate > -1):
        raise DataError(f"discount_rate must be > -1, got {discount_rate} / discount_rate 必须大于 -1")
    if not (np.isfinite(periods_per_month) and periods_per_month > 0):
        raise DataError(f"periods_per_month must be positive, got {periods_per_month} / "
                        "periods_per_month 必须为正数")
    x, t_x, big_t = _check_rfm(frequency, recency, T)
    value = gamma_gamma_expected_value(gg, x, monetary_value) * _p_alive(bg, x, t_x, big_t)
    px, pt, inverse = _distinct_pairs(x, big_t)
    discounted = discounted_purchases_if_alive(bg, px, pt, int(months), discount_rate, periods_per_month)
    return value * discounted[inverse]


def discounted_purchases_if_alive(bg: BGNBDFit, x: FloatArray, T: FloatArray, months: int,
                                  discount_rate: float, periods_per_month: float) -> FloatArray:
    """The CLV sum before value and P(alive): for each (x, T), the purchases expected of a
    customer alive in each of the next ``months`` months, month i's discounted by i months.
    Vectorised over (x, T) (pass distinct pairs: they repeat), looped over months."""
    discounted, before = np.zeros_like(x), np.zeros_like(x)
    for i in range(1, months + 1):
        upto = _purchases_if_alive(bg, i * periods_per_month, x, T)
        discounted += (upto - before) / (1 + discount_rate) ** i
        before = upto
    return discounted
