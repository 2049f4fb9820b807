"""BG/NBD and Gamma-Gamma (``tierwise.metrics.clv``): published CDNOW numbers, lifetimes 0.11.3's
predictions (stored in ``tests/data``, so lifetimes is not needed here), weights, and errors."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import special

from tierwise.errors import DataError
from tierwise.metrics.clv import (
    PERIODS_PER_MONTH,
    BGNBDFit,
    GammaGammaFit,
    _compress,
    bgnbd_expected_purchases,
    bgnbd_p_alive,
    customer_lifetime_value,
    fit_bgnbd,
    fit_gamma_gamma,
    gamma_gamma_expected_value,
)

DATA = Path(__file__).resolve().parent / "data"
Arrays = dict[str, np.ndarray]
Expected = tuple[dict[str, dict[str, float]], Arrays]


@pytest.fixture(scope="module")
def cdnow() -> Arrays:
    """The CDNOW sample: 2,357 customers, 39-week calibration period, time unit weeks."""
    rows = np.genfromtxt(DATA / "cdnow_customers_summary_with_transactions.csv", delimiter=",", names=True)
    return {"frequency": rows["x"], "recency": rows["t_x"], "T": rows["T"], "monetary_value": rows["zbar"]}


@pytest.fixture(scope="module")
def expected() -> Expected:
    """Header parameters ``# name: {json}`` and columns of ``cdnow_lifetimes_expected.csv``."""
    params, lines = {}, []
    for line in (DATA / "cdnow_lifetimes_expected.csv").read_text(encoding="utf-8").splitlines():
        found = re.fullmatch(r"# (\w+): (\{.*\})", line)
        if found:
            params[found[1]] = json.loads(found[2])
        elif not line.startswith("#"):
            lines.append(line)
    rows = list(csv.DictReader(lines))
    return params, {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def bg_fit(r: float, alpha: float, a: float, b: float) -> BGNBDFit:
    return BGNBDFit(r=r, alpha=alpha, a=a, b=b, log_likelihood=0.0, n_customers=0, iterations=0,
                    converged=True)


def gg_fit(p: float, q: float, v: float) -> GammaGammaFit:
    return GammaGammaFit(p=p, q=q, v=v, log_likelihood=0.0, n_customers=0, iterations=0, converged=True)


def rfm(d: Arrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return d["frequency"], d["recency"], d["T"]


# --------------------------------------------------------------------------- the published fits

def test_both_cdnow_files_hold_the_same_customers(cdnow: Arrays) -> None:
    plain = np.genfromtxt(DATA / "cdnow_customers_summary.csv", delimiter=",", names=True)
    assert len(plain) == 2357
    for ours, theirs in zip(rfm(cdnow), (plain["frequency"], plain["recency"], plain["T"]), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert int(np.sum(cdnow["frequency"] > 0)) == 946


def test_bgnbd_reproduces_fader_hardie_lee_2005(cdnow: Arrays) -> None:
    """Table in FHL 2005 section 4: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4."""
    fit = fit_bgnbd(*rfm(cdnow))
    assert fit.converged
    assert fit.n_customers == 2357
    assert all(type(value) is float for value in (fit.r, fit.alpha, fit.a, fit.b, fit.log_likelihood))
    for got, published in ((fit.r, 0.243), (fit.alpha, 4.414), (fit.a, 0.793), (fit.b, 2.426)):
        assert abs(got - published) <= 0.0005, (got, published)  # equal when rounded to 3 decimals
    assert abs(fit.log_likelihood - -9582.4) <= 0.05


def test_gamma_gamma_reproduces_fader_hardie_2013(cdnow: Arrays) -> None:
    """The note prints p = 6.25, q = 3.74, v = 15.44 (lifetimes' docs: 15.45). The MLE is v = 15.4477,
    so the note's v is truncated rather than rounded: pinned as 15.44 <= v < 15.45."""
    fit = fit_gamma_gamma(cdnow["frequency"], cdnow["monetary_value"])
    assert fit.converged
    assert fit.n_customers == 946
    assert all(type(value) is float for value in (fit.p, fit.q, fit.v, fit.log_likelihood))
    assert abs(fit.p - 6.25) <= 0.005
    assert abs(fit.q - 3.74) <= 0.005
    assert 15.44 <= fit.v < 15.45
    assert fit.log_likelihood == pytest.approx(-4055.9232, abs=1e-3)  # lifetimes 0.11.3's optimum


@pytest.mark.parametrize("penalized", [False, True])
def test_fits_match_lifetimes(cdnow: Arrays, expected: Expected,
                              penalized: bool) -> None:
    """Same optimum as lifetimes 0.11.3, with and without its penalizer_coef (0.01 here)."""
    params, _ = expected
    suffix, pen = ("_pen", 0.01) if penalized else ("", 0.0)
    bg = fit_bgnbd(*rfm(cdnow), penalizer=pen)
    gg = fit_gamma_gamma(cdnow["frequency"], cdnow["monetary_value"], penalizer=pen)
    theirs_bg, theirs_gg = params["lifetimes_bg" + suffix], params["lifetimes_gg" + suffix]
    for name in ("r", "alpha", "a", "b"):
        assert getattr(bg, name) == pytest.approx(theirs_bg[name], rel=1e-5), name
    for name in ("p", "q", "v"):
        assert getattr(gg, name) == pytest.approx(theirs_gg[name], rel=1e-5), name


def test_expected_file_parameters_are_our_fit(cdnow: Arrays,
                                             expected: Expected) -> None:
    params, _ = expected
    bg, gg = fit_bgnbd(*rfm(cdnow)), fit_gamma_gamma(cdnow["frequency"], cdnow["monetary_value"])
    assert [bg.r, bg.alpha, bg.a, bg.b] == pytest.approx(list(params["bg"].values()), rel=1e-6)
    assert [gg.p, gg.q, gg.v] == pytest.approx(list(params["gg"].values()), rel=1e-6)


# --------------------------------------------------------------------------- predictions vs lifetimes

PREDICTIONS = ["p_alive", "purchases_1", "purchases_39", "purchases_520", "expected_value", "clv_w12",
               "clv_d6"]


@pytest.mark.parametrize("column", PREDICTIONS)
def test_predictions_match_lifetimes(expected: Expected, column: str) -> None:
    """lifetimes evaluated with our parameters (see the file's header), so only the formulas are compared."""
    params, d = expected
    bg, gg = bg_fit(**params["bg"]), gg_fit(**params["gg"])
    x, t_x, big_t, m = d["frequency"], d["recency"], d["T"], d["monetary_value"]
    if column == "p_alive":
        got = bgnbd_p_alive(bg, x, t_x, big_t)
    elif column.startswith("purchases_"):
        got = bgnbd_expected_purchases(bg, float(column.split("_")[1]), x, t_x, big_t)
    elif column == "expected_value":
        got = gamma_gamma_expected_value(gg, x, m)
    elif column == "clv_w12":
        got = customer_lifetime_value(bg, gg, x, t_x, big_t, m, periods_per_month=PERIODS_PER_MONTH["W"])
    else:
        got = customer_lifetime_value(bg, gg, x, t_x, big_t, m, months=6, discount_rate=0.05,
                                      periods_per_month=PERIODS_PER_MONTH["D"])
    assert got.shape == d[column].shape
    np.testing.assert_allclose(got, d[column], rtol=1e-8, atol=0)


def test_expected_file_covers_the_edge_cases(expected: Expected) -> None:
    _, d = expected
    assert len(d["ID"]) >= 20
    assert np.sum(d["frequency"] == 0) >= 3
    assert d["frequency"].max() >= 300  # large x, where the hypergeometric series needs care


def test_customers_without_repeat_purchases(cdnow: Arrays) -> None:
    bg, gg = bg_fit(0.243, 4.414, 0.793, 2.426), gg_fit(6.25, 3.74, 15.44)
    zero = cdnow["frequency"] == 0
    x, t_x, big_t = (a[zero] for a in rfm(cdnow))
    np.testing.assert_array_equal(bgnbd_p_alive(bg, x, t_x, big_t), 1.0)
    np.testing.assert_allclose(gamma_gamma_expected_value(gg, x, cdnow["monetary_value"][zero]),
                               6.25 * 15.44 / 2.74, rtol=1e-12)
    assert np.all(bgnbd_p_alive(bg, *rfm(cdnow))[~zero] < 1)


def test_clv_is_the_discounted_sum_of_monthly_purchases(cdnow: Arrays) -> None:
    bg, gg = bg_fit(0.243, 4.414, 0.793, 2.426), gg_fit(6.25, 3.74, 15.44)
    x, t_x, big_t = rfm(cdnow)
    m = cdnow["monetary_value"]
    value = gamma_gamma_expected_value(gg, x, m)
    # Without discounting the monthly increments telescope to the purchases over the whole horizon.
    undiscounted = customer_lifetime_value(bg, gg, x, t_x, big_t, m, months=12, discount_rate=0.0,
                                           periods_per_month=4.345)
    np.testing.assert_allclose(undiscounted, value * bgnbd_expected_purchases(bg, 12 * 4.345, x, t_x, big_t),
                               rtol=1e-10)
    one_month = customer_lifetime_value(bg, gg, x, t_x, big_t, m, months=1, discount_rate=0.1,
                                        periods_per_month=4.345)
    np.testing.assert_allclose(one_month, value * bgnbd_expected_purchases(bg, 4.345, x, t_x, big_t) / 1.1,
                               rtol=1e-10)
    np.testing.assert_array_equal(customer_lifetime_value(bg, gg, x, t_x, big_t, m, months=0), 0.0)
    assert PERIODS_PER_MONTH == {"D": 30.0, "W": 4.345, "M": 1.0, "H": 720.0}  # lifetimes' factors


def test_scalars_and_one_horizon_per_customer() -> None:
    bg = bg_fit(0.243, 4.414, 0.793, 2.426)
    assert bgnbd_p_alive(bg, 0, 0, 10).tolist() == [1.0]
    per_customer = bgnbd_expected_purchases(bg, [0.0, 10.0, 20.0], [2, 2, 2], [5.0, 5.0, 5.0], [30, 30, 30])
    assert per_customer[0] == 0.0 and 0 < per_customer[1] < per_customer[2]


def test_large_frequencies_stay_finite() -> None:
    """x in the thousands overflows naive Gamma functions and the raw hypergeometric series."""
    x = np.array([0, 1, 50, 2000, 100000, 3] * 5, dtype=float)
    big_t = np.full(len(x), 400.0)
    t_x = np.where(x > 0, 390.0, 0.0)
    t_x[3] = 100.0  # a very frequent buyer who stopped long ago: almost surely gone
    t_x[4] = 400.0  # a very frequent buyer who bought on the last day: almost surely alive
    fit = fit_bgnbd(x, t_x, big_t)
    assert np.isfinite(fit.log_likelihood) and fit.r > 0
    alive = bgnbd_p_alive(fit, x, t_x, big_t)
    purchases = bgnbd_expected_purchases(fit, 30.0, x, t_x, big_t)
    assert np.all(np.isfinite(alive)) and np.all(np.isfinite(purchases)) and np.all(purchases >= 0)
    assert alive[3] < 1e-6 and alive[4] > 0.5


def test_expected_purchases_when_a_plus_b_is_below_one() -> None:
    # Heavy-tailed logs fit a + b < 1; for x = 0 the hypergeometric tail is then negative
    # (1 - tail > 1). Once this gave NaN for every one-time buyer. Check against FHL eq. (10)
    # evaluated directly, without Euler's transformation.
    fit = BGNBDFit(r=0.436, alpha=45.46, a=0.0062, b=0.0757, log_likelihood=0.0, n_customers=1,
                   iterations=0, converged=True)
    x = np.array([0.0, 0.0, 0.0, 1.0, 3.0])
    t_x = np.array([0.0, 0.0, 0.0, 10.0, 80.0])
    big_t = np.array([0.0, 40.0, 116.0, 60.0, 100.0])
    t = 360.0
    got = bgnbd_expected_purchases(fit, t, x, t_x, big_t)
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    z = t / (alpha + big_t + t)
    tail = ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * special.hyp2f1(r + x, b + x, a + b + x - 1, z)
    direct = (a + b + x - 1) / (a - 1) * (1 - tail) * bgnbd_p_alive(fit, x, t_x, big_t)
    assert np.all(np.isfinite(got)) and np.all(got > 0)
    np.testing.assert_allclose(got, direct, rtol=1e-9)


def test_time_unit_only_rescales_alpha(cdnow: Arrays) -> None:
    """The same data in days instead of weeks: alpha x 7, the log-likelihood shifts by -sum(x) ln 7."""
    weeks = fit_bgnbd(*rfm(cdnow))
    days = fit_bgnbd(cdnow["frequency"], cdnow["recency"] * 7, cdnow["T"] * 7)
    assert days.alpha == pytest.approx(7 * weeks.alpha, rel=1e-5)
    assert [days.r, days.a, days.b] == pytest.approx([weeks.r, weeks.a, weeks.b], rel=1e-5)
    shift = cdnow["frequency"].sum() * np.log(7)
    assert days.log_likelihood == pytest.approx(weeks.log_likelihood - shift, abs=1e-6)


# --------------------------------------------------------------------------- weights and compression

@pytest.mark.parametrize("jitter", [False, True], ids=["compressible", "continuous"])
def test_weights_equal_repeated_rows(cdnow: Arrays, jitter: bool) -> None:
    """Fitting distinct rows with counts as weights equals fitting every row; ``continuous`` makes
    every recency distinct, so the rows cannot be compressed and the weights reach the likelihood."""
    rng = np.random.default_rng(7)
    d = {k: v.copy() for k, v in cdnow.items()}
    if jitter:
        rep = d["frequency"] > 0
        d["recency"][rep] = d["recency"][rep] * (1 - 1e-6 * rng.random(int(rep.sum())))
        d["monetary_value"][rep] += 1e-6 * rng.random(int(rep.sum()))
    counts = rng.integers(0, 4, len(d["frequency"]))
    expanded = {k: np.repeat(v, counts) for k, v in d.items()}

    weighted, repeated = fit_bgnbd(*rfm(d), weights=counts), fit_bgnbd(*rfm(expanded))
    assert weighted.n_customers == repeated.n_customers == counts.sum()
    assert [weighted.r, weighted.alpha, weighted.a, weighted.b] == pytest.approx(
        [repeated.r, repeated.alpha, repeated.a, repeated.b], rel=1e-6)
    assert weighted.log_likelihood == pytest.approx(repeated.log_likelihood, rel=1e-10)
    unweighted = fit_bgnbd(*rfm(d))
    assert abs(unweighted.log_likelihood - weighted.log_likelihood) > 100  # the weights matter

    weighted_gg = fit_gamma_gamma(d["frequency"], d["monetary_value"], weights=counts)
    repeated_gg = fit_gamma_gamma(expanded["frequency"], expanded["monetary_value"])
    assert weighted_gg.n_customers == repeated_gg.n_customers == counts[d["frequency"] > 0].sum()
    assert [weighted_gg.p, weighted_gg.q, weighted_gg.v] == pytest.approx(
        [repeated_gg.p, repeated_gg.q, repeated_gg.v], rel=1e-6)
    assert weighted_gg.log_likelihood == pytest.approx(repeated_gg.log_likelihood, rel=1e-10)


@pytest.mark.parametrize("weighted", [False, True], ids=["counts", "weights"])
@pytest.mark.parametrize("case", ["small ints", "floats", "wide ints"])
def test_compress_equals_np_unique(case: str, weighted: bool) -> None:
    rng = np.random.default_rng(3)
    n = 5000
    cols = [rng.integers(0, 5, n).astype(float), rng.integers(0, 40, n).astype(float),
            rng.integers(0, 8, n).astype(float)]
    if case == "floats":
        cols[1] = rng.choice(rng.random(30) * 100, n)
    if case == "wide ints":  # 300 distinct rows in a key space far larger than n: the sorting branch
        distinct = np.column_stack([rng.choice([0.0, 1e6, 2e6, 3e6], 300), rng.integers(0, 2000, 300) * 1e3,
                                    rng.choice(np.arange(0.0, 3000.0, 7.0), 300)])
        cols = list(distinct[rng.integers(0, 300, n)].T)
    weights = rng.random(n) * (rng.random(n) > 0.1) if weighted else np.ones(n)
    (a, b, c), summed = _compress(cols, weights)
    keep = weights > 0
    unique, inverse = np.unique(np.column_stack(cols)[keep], axis=0, return_inverse=True)
    np.testing.assert_array_equal(np.column_stack([a, b, c]), unique)
    np.testing.assert_allclose(summed, np.bincount(inverse.ravel(), weights=weights[keep]), rtol=1e-12)
    assert len(a) < n / 2


def test_compress_leaves_continuous_columns_alone() -> None:
    rng = np.random.default_rng(4)
    cols = [rng.integers(0, 3, 100).astype(float), rng.random(100)]
    out, weights = _compress(cols, np.ones(100))
    np.testing.assert_array_equal(out[1], cols[1])
    np.testing.assert_array_equal(weights, 1.0)


# --------------------------------------------------------------------------- errors

def test_too_few_customers_is_a_bilingual_error() -> None:
    with pytest.raises(DataError, match=r"cannot fit BG/NBD: only 3 customers, need at least 10 / 无法拟合"):
        fit_bgnbd([1, 0, 2], [3.0, 0.0, 4.0], [5.0, 5.0, 5.0])
    with pytest.raises(DataError, match=r"only 2 repeat buyers .* / 无法拟合 Gamma-Gamma"):
        fit_gamma_gamma([0] * 20 + [1, 3], [0.0] * 20 + [10.0, 12.0])
    with pytest.raises(DataError, match="need at least 10"):  # weights count as customers
        fit_bgnbd([1, 0, 2], [3.0, 0.0, 4.0], [5.0, 5.0, 5.0], weights=[1, 1, 0])


def test_no_repeat_buyers() -> None:
    with pytest.raises(DataError, match="no customer made a repeat purchase"):
        fit_bgnbd(np.zeros(50), np.zeros(50), np.full(50, 10.0))


@pytest.mark.parametrize(("frequency", "recency", "T", "message"), [
    ([1, 2], [3.0, 6.0], [5.0, 5.0], r"recency is larger than T \(first at position 1: 6.0 > 5.0\)"),
    ([1, -2], [3.0, 4.0], [5.0, 5.0], "frequency has negative values"),
    ([1, 2], [-3.0, 4.0], [5.0, 5.0], "recency has negative values"),
    ([1, 2], [3.0, 4.0], [5.0, np.nan], "T has missing or infinite values"),
    ([1, 2.5], [3.0, 4.0], [5.0, 5.0], "frequency must be whole numbers"),
    ([1, 2], [3.0, 4.0, 1.0], [5.0, 5.0], r"inputs differ in length \(frequency=2, recency=3, T=2\)"),
    ([0, 2], [3.0, 4.0], [5.0, 5.0], "recency must be 0 where frequency is 0"),
    ([[1, 2]], [[3.0, 4.0]], [[5.0, 5.0]], "must be one-dimensional"),
    (["a", 2], [3.0, 4.0], [5.0, 5.0], "frequency must be numbers"),
])
def test_invalid_summaries(frequency: object, recency: object, T: object, message: str) -> None:
    bg = bg_fit(0.243, 4.414, 0.793, 2.426)
    for call in (lambda: fit_bgnbd(frequency, recency, T), lambda: bgnbd_p_alive(bg, frequency, recency, T),
                 lambda: bgnbd_expected_purchases(bg, 1.0, frequency, recency, T)):
        with pytest.raises(DataError, match=message):
            call()


def test_invalid_options(cdnow: Arrays) -> None:
    x, t_x, big_t = rfm(cdnow)
    m = cdnow["monetary_value"]
    bg, gg = bg_fit(0.243, 4.414, 0.793, 2.426), gg_fit(6.25, 3.74, 15.44)
    with pytest.raises(DataError, match="monetary_value has negative values"):
        fit_gamma_gamma(x, -m)
    with pytest.raises(DataError, match="weights has negative values"):
        fit_bgnbd(x, t_x, big_t, weights=-np.ones(len(x)))
    with pytest.raises(DataError, match=r"inputs differ in length \(data=2357, weights=3\)"):
        fit_bgnbd(x, t_x, big_t, weights=[1, 2, 3])
    with pytest.raises(DataError, match="penalizer must be a non-negative number"):
        fit_gamma_gamma(x, m, penalizer=-1.0)
    with pytest.raises(DataError, match="t must be one non-negative, finite time or one per customer"):
        bgnbd_expected_purchases(bg, -1.0, x, t_x, big_t)
    with pytest.raises(DataError, match="t must be one"):
        bgnbd_expected_purchases(bg, [1.0, 2.0], x, t_x, big_t)
    with pytest.raises(DataError, match="months must be a whole number"):
        customer_lifetime_value(bg, gg, x, t_x, big_t, m, months=-1)
    with pytest.raises(DataError, match=r"q = 0\.968 <= 1"):  # lifetimes' penalized CDNOW fit has q < 1
        gamma_gamma_expected_value(gg_fit(4.109, 0.968, 3.78), x, m)
