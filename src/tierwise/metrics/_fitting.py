"""What the CLV models' maximum-likelihood fits share: input checks, merging identical rows
into weighted ones, the bounded L-BFGS-B minimiser, and the fewest customers a fit accepts."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from tierwise.errors import DataError

FloatArray = NDArray[np.float64]

MIN_CUSTOMERS = 10
"""Fewest customers (sum of weights) a fit accepts; for Gamma-Gamma, fewest repeat buyers."""

_LOG_BOUND = 30.0  # log-parameters are kept in [-30, 30] so exp() stays finite


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


# the largest |gradient| (log-parameters) of a fit, relative to the objective: a degenerate
# BG/NBD (a and b growing together along a ridge) ends there with 4e-5 on 62
GRADIENT_OK = 1e-5


def _minimize(model: str, objective: Callable[[FloatArray], tuple[float, FloatArray]],
              start: FloatArray) -> optimize.OptimizeResult:
    """L-BFGS-B on log-parameters with an analytic gradient; warns (and still returns) if not converged."""
    result = optimize.minimize(objective, start, jac=True, method="L-BFGS-B",
                               bounds=[(-_LOG_BOUND, _LOG_BOUND)] * len(start),
                               options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9})
    # the tolerances are tight: a line search that cannot improve at the optimum stops
    # "ABNORMAL" with a gradient of nothing; that is a fit, one stopped with a slope is not
    flat = np.max(np.abs(result.jac)) <= GRADIENT_OK * max(1.0, abs(float(result.fun)))
    result.success = bool(result.success) or bool(flat)
    if not result.success:
        warnings.warn(f"{model} fit did not converge ({result.message}); try a small penalizer / "
                      f"{model} 拟合未收敛，可尝试设置较小的 penalizer", RuntimeWarning, stacklevel=3)
    return result


def _dot(u: FloatArray, v: FloatArray) -> float:
    """Sum of ``u * v``; not ``u @ v``, whose multithreaded BLAS is slow on a busy small machine."""
    return float(np.sum(u * v))
