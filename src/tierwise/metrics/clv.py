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
compared with it. Everything is vectorised over customers; fitting first merges identical rows
into one weighted row, so a million customers summarised in whole days fit in about a second.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

from tierwise.errors import DataError

__all__ = [
    "MIN_CUSTOMERS", "PERIODS_PER_MONTH", "BGNBDFit", "GammaGammaFit", "bgnbd_expected_purchases",
    "bgnbd_p_alive", "customer_lifetime_value", "fit_bgnbd", "fit_gamma_gamma", "gamma_gamma_expected_value",
]

FloatArray = NDArray[np.float64]

MIN_CUSTOMERS = 10
"""Fewest customers (sum of weights) a fit accepts; for Gamma-Gamma, fewest repeat buyers."""

PERIODS_PER_MONTH: dict[str, float] = {"D": 30.0, "W": 4.345, "M": 1.0, "H": 720.0}
"""Time units per month as ``lifetimes`` counts them, by its ``freq`` letter (days, weeks, months,
hours): pass ``PERIODS_PER_MONTH["W"]`` as ``periods_per_month`` for data in weeks. Note that a month
is 4.345 weeks (52.14 / 12), not 30 / 7 = 4.29, as in ``lifetimes``."""

_LOG_BOUND = 30.0  # log-parameters are kept in [-30, 30] so exp() stays finite


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


# --------------------------------------------------------------------------- input checks

def _vector(name: str, values: ArrayLike) -> FloatArray:
    """``values`` as a finite, non-negative 1-D float array (a scalar becomes length 1)."""
    try:
        arr = np.atleast_1d(np.asarray(values, dtype=np.float64))
    except (TypeError, ValueError):
        raise DataError(f"{name} must be numbers / {name} 必须是数值") from None
    if arr.ndim != 1:
        raise DataError(f"{name} must be one-dimensional, got shape {arr.shape} / {name} 必须是一维数组")
    if not np.all(np.isfinite(arr)):
        raise DataError(f"{name} has missing or infinite values / {name} 含有缺失值或无穷值")
    if np.any(arr < 0):
        raise DataError(f"{name} has negative values (first at position {int(np.argmax(arr < 0))}) / "
                        f"{name} 含有负值")
    return arr


def _same_length(**arrays: FloatArray) -> None:
    if len({len(arr) for arr in arrays.values()}) > 1:
        shown = ", ".join(f"{name}={len(arr)}" for name, arr in arrays.items())
        raise DataError(f"inputs differ in length ({shown}) / 输入数组长度不一致（{shown}）")


def _check_frequency(frequency: ArrayLike) -> FloatArray:
    if np.any((x := _vector("frequency", frequency)) != np.floor(x)):
        raise DataError("frequency must be whole numbers / frequency 必须是整数（重复购买的期数）")
    return x


def _check_rfm(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> tuple[FloatArray, ...]:
    """Validate the (frequency, recency, T) summary once, with messages a person can act on."""
    x, t_x, big_t = _check_frequency(frequency), _vector("recency", recency), _vector("T", T)
    _same_length(frequency=x, recency=t_x, T=big_t)
    if np.any(t_x > big_t):
        i = int(np.argmax(t_x > big_t))
        raise DataError(f"recency is larger than T (first at position {i}: {t_x[i]} > {big_t[i]}) / "
                        f"recency 大于 T（首见于第 {i} 个：{t_x[i]} > {big_t[i]}）")
    if np.any((x == 0) & (t_x != 0)):
        raise DataError("recency must be 0 where frequency is 0 / frequency 为 0 时 recency 必须为 0")
    return x, t_x, big_t


def _check_weights(weights: ArrayLike | None, n: int, penalizer: float) -> FloatArray:
    if not np.isfinite(penalizer) or penalizer < 0:
        raise DataError(f"penalizer must be a non-negative number, got {penalizer} / penalizer 必须是非负数")
    w = np.ones(n) if weights is None else _vector("weights", weights)
    _same_length(data=np.empty(n), weights=w)
    return w


def _compress(columns: list[FloatArray], weights: FloatArray) -> tuple[list[FloatArray], FloatArray]:
    """Merge identical rows of ``columns`` into one row whose weight is the sum of theirs.

    Same result as ``np.unique(np.column_stack(columns), axis=0)`` with summed weights, ten times
    faster (that takes 3 s for a million rows): each column is coded by its distinct values, the
    codes are combined into one integer key, and keys are counted with ``bincount`` (or sorted
    when the key space is large). Rows of weight 0 are dropped. If a column has more distinct
    values than half the rows, merging cannot halve the work and the rows are returned as they are.
    """
    keep = weights > 0
    if not np.all(keep):
        columns, weights = [c[keep] for c in columns], weights[keep]
    n = len(weights)
    distinct = [np.unique(col) for col in columns]
    if any(len(values) > n // 2 for values in distinct):
        return columns, weights
    key, radix, levels = np.zeros(n, dtype=np.int64), 1, []
    for col, values in zip(columns, distinct, strict=True):
        lo, hi = values[0], values[-1]
        if hi - lo < 4 * len(values) + 16 and np.all(values == np.floor(values)):
            values = np.arange(lo, hi + 1)  # whole numbers: the code is the offset
            code = (col - lo).astype(np.int64)
        else:
            code = np.searchsorted(values, col)
        if radix * len(values) >= 2**62:
            return columns, weights
        key = key * len(values) + code
        radix *= len(values)
        levels.append(values)
    if radix <= 4 * n + 4096:
        present = np.flatnonzero(np.bincount(key, minlength=radix))
        summed = np.bincount(key, weights=weights, minlength=radix)[present].astype(np.float64)
    else:
        unit = bool(np.all(weights == 1))
        order = None if unit else np.argsort(key, kind="stable")
        sorted_key = np.sort(key) if order is None else key[order]
        starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
        present = sorted_key[starts]
        summed = (np.diff(np.r_[starts, n]).astype(np.float64) if order is None
                  else np.add.reduceat(weights[order], starts))
    out, rest = [], present
    for values in reversed(levels):
        rest, code = np.divmod(rest, len(values))
        out.append(values[code])
    return out[::-1], summed


def _minimize(model: str, objective: Callable[[FloatArray], tuple[float, FloatArray]],
              start: FloatArray) -> optimize.OptimizeResult:
    """L-BFGS-B on log-parameters with an analytic gradient; warns (and still returns) if not converged."""
    result = optimize.minimize(objective, start, jac=True, method="L-BFGS-B",
                               bounds=[(-_LOG_BOUND, _LOG_BOUND)] * len(start),
                               options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9})
    if not result.success:
        warnings.warn(f"{model} fit did not converge ({result.message}); try a small penalizer / "
                      f"{model} 拟合未收敛，可尝试设置较小的 penalizer", RuntimeWarning, stacklevel=3)
    return result


# --------------------------------------------------------------------------- BG/NBD

def _dot(u: FloatArray, v: FloatArray) -> float:
    """Sum of ``u * v``; not ``u @ v``, whose multithreaded BLAS is slow on a busy small machine."""
    return float(np.sum(u * v))


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


# --------------------------------------------------------------------------- Gamma-Gamma

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
