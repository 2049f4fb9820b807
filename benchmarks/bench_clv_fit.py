"""CLV benchmark: tierwise's BG/NBD fit and its scoring on the engine, against lifetimes.

Synthetic BTYD summaries of N customers (default 1,000,000) are drawn from a BG/NBD model with
CDNOW-like parameters in days (r = 0.243, alpha = 30.9, a = 0.793, b = 2.426; first purchases
spread over two years, so T is 1-730 whole days, and recency is rounded up to whole days as
``summary_data_from_transaction_data(freq='D')`` would give). They are cached as Parquet under
``bench-data/clv/`` and fitted by, each in a fresh child process:

* **tierwise** -- ``tierwise.metrics.clv.fit_bgnbd`` in this Python;
* **lifetimes** -- ``BetaGeoFitter().fit(frequency, recency, T)`` (0.11.3, the last release),
  in its own virtualenv ``bench-data/venvs/lifetimes``;
* **lifetimes, compressed** -- the same, given the distinct rows and their counts as
  ``weights`` (what a careful lifetimes user can do by hand), unless ``--no-compressed``.

The lifetimes virtualenv is the one the metrics benchmark uses (``benchmarks/_peers.py``, spec
``LIFETIMES``: its pins live there) and is made on first use; ``--setup`` only makes it.

Reported per tool: the fit alone (``time.perf_counter`` around the call, inside the child),
the child's wall time and peak memory (``_measure.measure``), the parameters, the
log-likelihood in the data's time unit and the ratio of lifetimes' fit time to ours.

**Scoring** (``--score``, default 10,000,000 customers; 0 skips it): the same simulation with a
spend per customer (Gamma-Gamma, CDNOW's p, q, v), its columns typed as the metrics' BTYD summary
(doubles), in DuckDB. tierwise does what a metrics run
does: fits BG/NBD and Gamma-Gamma on the engine's counts of distinct rows (``fit_clv``), then
scores every customer on the engine (``with_clv``: p_alive, expected purchases over 12 months,
expected value, discounted 12-month CLV) into a new DuckDB table. lifetimes is given
tierwise's fitted parameters and scores the same columns with ``conditional_probability_alive``,
``conditional_expected_number_of_purchases_up_to_time``, ``conditional_expected_average_profit``
and ``customer_lifetime_value`` (the pandas path its users take). Both write their scores out,
and the largest relative difference per column is printed (over rows where lifetimes' value is
finite; its hypergeometric term overflows for large frequencies, and those rows are counted).

Goals (issue 19; a miss prints MISS and never fails the run): the fit of 1,000,000 customers
≤ 1 s, scoring 10,000,000 customers ≤ 5 s, on a 2-core machine.

    python benchmarks/bench_clv_fit.py                     # fit 1M, score 10M
    python benchmarks/bench_clv_fit.py --customers 100000 --repeat 3 --score 0
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from _measure import Measurement, fastest, measure
from _peers import PEERS, REPO_ROOT, venv_for

DATA_DIR = REPO_ROOT / "bench-data" / "clv"
GOAL_SECONDS = 1.0  # the fit, for up to 1,000,000 customers
GOAL_SCORE_SECONDS = 5.0  # scoring, for up to 10,000,000 customers
TRUE = {"r": 0.243, "alpha": 4.414 * 7, "a": 0.793, "b": 2.426}  # CDNOW's estimates, in days
SPEND = {"p": 6.25, "q": 3.74, "v": 15.44}  # CDNOW's Gamma-Gamma estimates
CLV_MONTHS, DISCOUNT = 12, 0.01  # tierwise's defaults (MetricsOptions)
SCORES = ("p_alive", "expected_purchases", "expected_value", "clv")
MAX_T_DAYS = 730

# Each child reads the Parquet file, times the fit alone and prints one JSON line.
OURS_SCRIPT = """\
import json, sys, time
import pyarrow.parquet as pq
from tierwise.metrics.clv import fit_bgnbd
t = pq.read_table(sys.argv[1])
x, rec, T = (t.column(c).to_numpy().astype(float) for c in ("frequency", "recency", "T"))
start = time.perf_counter()
fit = fit_bgnbd(x, rec, T)
seconds = time.perf_counter() - start
print(json.dumps({"fit_seconds": seconds, "r": fit.r, "alpha": fit.alpha, "a": fit.a, "b": fit.b,
                  "log_likelihood": fit.log_likelihood, "iterations": fit.iterations,
                  "converged": fit.converged, "rows": len(x)}))
"""
LIFETIMES_SCRIPT = """\
import json, sys, time, warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
from lifetimes import BetaGeoFitter
df = pd.read_parquet(sys.argv[1])
weights = None
if sys.argv[2] == "compressed":
    df = df.groupby(["frequency", "recency", "T"]).size().rename("weights").reset_index()
    weights = df["weights"]
start = time.perf_counter()
bgf = BetaGeoFitter().fit(df["frequency"], df["recency"], df["T"], weights=weights)
seconds = time.perf_counter() - start
# lifetimes minimises the mean negative log-likelihood with time scaled so that max(T) = 1;
# back in days the total log-likelihood is -nll * n - sum(w * x) * log(max T).
w = np.ones(len(df)) if weights is None else weights.to_numpy(dtype=float)
n = w.sum()
ll = -bgf._negative_log_likelihood_ * n - (w * df["frequency"]).sum() * np.log(df["T"].max())
p = bgf.params_
print(json.dumps({"fit_seconds": seconds, "r": p["r"], "alpha": p["alpha"], "a": p["a"], "b": p["b"],
                  "log_likelihood": float(ll), "iterations": None, "converged": True, "rows": len(df)}))
"""

# Scoring: each child reads the summary, scores it, times that alone and writes its scores out.
OURS_SCORE_SCRIPT = """\
import json, sys, time
import ibis
import tierwise.metrics.clv  # SciPy, imported before the clock starts as the fit benchmark's
from tierwise.metrics.clv_engine import fit_clv, with_clv
from tierwise.metrics.compute import MetricsOptions
con = ibis.duckdb.connect()
summary = con.create_table("summary", con.read_parquet(sys.argv[1]))
start = time.perf_counter()
fit = fit_clv(summary, "days")
fitted = time.perf_counter()
table = con.create_table("scored", with_clv(summary, fit, MetricsOptions()))
scored = time.perf_counter()
scores = ["customer", "p_alive", "expected_purchases", "expected_value", "clv"]
con.to_parquet(table.select(*scores).order_by("customer"), sys.argv[2])
bg, gg = fit.bgnbd, fit.gamma_gamma
print(json.dumps({"fit_seconds": fitted - start, "score_seconds": scored - fitted,
                  "bgnbd": {"r": bg.r, "alpha": bg.alpha, "a": bg.a, "b": bg.b},
                  "gamma_gamma": {"p": gg.p, "q": gg.q, "v": gg.v}}))
"""
LIFETIMES_SCORE_SCRIPT = """\
import json, sys, time, warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
df = pd.read_parquet(sys.argv[1])
given = json.loads(sys.argv[3])
bgf, ggf = BetaGeoFitter(), GammaGammaFitter()
bgf.params_ = pd.Series(given["bgnbd"])
bgf.predict = bgf.conditional_expected_number_of_purchases_up_to_time  # what fit() sets
ggf.params_ = pd.Series(given["gamma_gamma"])
x, rec, T, m = df["frequency"], df["recency"], df["T"], df["monetary_value"]
months, rate = given["months"], given["discount_rate"]
start = time.perf_counter()
out = pd.DataFrame({"customer": df["customer"]})
out["p_alive"] = bgf.conditional_probability_alive(x, rec, T)
out["expected_purchases"] = bgf.conditional_expected_number_of_purchases_up_to_time(months * 30, x, rec, T)
out["expected_value"] = ggf.conditional_expected_average_profit(x, m)
out["clv"] = ggf.customer_lifetime_value(bgf, x, rec, T, m, time=months, discount_rate=rate,
                                         freq="D").to_numpy()
seconds = time.perf_counter() - start
out.to_parquet(sys.argv[2])
print(json.dumps({"score_seconds": seconds}))
"""


def simulate(n: int, seed: int) -> dict[str, np.ndarray]:
    """Draw ``n`` customers' (frequency, recency, T) from BG/NBD, vectorised.

    Each customer has a purchase rate ~ Gamma(r, 1/alpha) and a dropout probability
    ~ Beta(a, b); they survive each repeat purchase with probability 1 - p, so the number of
    repeat purchases they can make is Geometric(p), and they make min(that, Poisson(rate * T)).
    The last of x Poisson arrivals among N in [0, T] is T times a Beta(x, N - x + 1) draw.
    """
    rng = np.random.default_rng(seed)
    big_t = rng.integers(1, MAX_T_DAYS + 1, n).astype(float)
    rate = rng.gamma(TRUE["r"], 1 / TRUE["alpha"], n)
    dropout = rng.beta(TRUE["a"], TRUE["b"], n)
    arrivals = rng.poisson(rate * big_t)
    x = np.minimum(arrivals, rng.geometric(dropout))
    last = big_t * rng.beta(np.maximum(x, 1), np.maximum(arrivals - x + 1, 1))
    recency = np.where(x > 0, np.minimum(np.ceil(last), big_t), 0.0)
    return {"frequency": x.astype(np.int64), "recency": recency, "T": big_t}


def ensure_data(n: int, seed: int) -> tuple[Path, int]:
    """The cached Parquet file of ``n`` simulated customers and its number of distinct rows."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"bgnbd-{n}-seed{seed}.parquet"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        pq.write_table(pa.table(simulate(n, seed)), tmp)
        os.replace(tmp, path)
    t = pq.read_table(path)
    x, rec, big_t = (t.column(c).to_numpy().astype(np.int64) for c in ("frequency", "recency", "T"))
    key = (x * (MAX_T_DAYS + 1) + rec) * (MAX_T_DAYS + 1) + big_t
    return path, len(np.unique(key))


def ensure_score_data(n: int, seed: int) -> Path:
    """The cached Parquet file of ``n`` simulated customers with a spend: the BG/NBD history
    of :func:`simulate` and, for a repeat buyer, the mean of their ``frequency`` spends drawn
    from Gamma-Gamma (0 for a customer without a repeat purchase, as lifetimes summarises)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"clv-summary-{n}-seed{seed}.parquet"
    if not path.exists():
        data = simulate(n, seed)
        rng = np.random.default_rng(seed + 1)
        x = data["frequency"]
        nu = rng.gamma(SPEND["q"], 1 / SPEND["v"], n)  # each customer's spend rate
        # the mean of x spends each ~ Gamma(p, nu) is Gamma(p x, nu x)
        shape = np.maximum(SPEND["p"] * x, 1.0)
        mean = rng.gamma(shape, 1 / (nu * np.maximum(x, 1)))
        data["monetary_value"] = np.where(x > 0, np.round(mean, 2), 0.0)
        data["frequency"] = x.astype(np.float64)  # as the metrics' BTYD summary holds it
        data["customer"] = np.arange(n, dtype=np.int64)
        tmp = path.with_suffix(".tmp")
        pq.write_table(pa.table(data), tmp)
        os.replace(tmp, path)
    return path


def compare_scores(ours: Path, theirs: Path) -> dict[str, tuple[float, int]]:
    """Per score: the largest relative difference of lifetimes' value from ours over the rows
    where lifetimes' is finite, and how many of its rows are not finite."""
    a, b = pq.read_table(ours), pq.read_table(theirs)
    if not np.array_equal(a.column("customer").to_numpy(), b.column("customer").to_numpy()):
        raise SystemExit("the two score files do not hold the same customers in the same order")
    out = {}
    for name in SCORES:
        mine = a.column(name).to_numpy(zero_copy_only=False).astype(float)
        other = b.column(name).to_numpy(zero_copy_only=False).astype(float)
        finite = np.isfinite(other)
        scale = np.maximum(np.abs(mine[finite]), 1e-12)
        worst = float(np.max(np.abs(mine[finite] - other[finite]) / scale)) if finite.any() else float("nan")
        out[name] = (worst, int((~finite).sum()))
    return out


def score(n: int, seed: int, venv_python: Path | None) -> None:
    """Score ``n`` customers with tierwise (fit included, timed apart) and with lifetimes."""
    import tempfile

    started = time.perf_counter()
    path = ensure_score_data(n, seed)
    print(f"\n## Scoring {n:,} customers (p_alive, expected purchases, expected value, {CLV_MONTHS}-month "
          f"CLV)\n\ndata: {path} ({time.perf_counter() - started:.1f} s to make or read)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="clv-score-") as tmp:
        ours_out, theirs_out = Path(tmp) / "ours.parquet", Path(tmp) / "lifetimes.parquet"
        m = measure([sys.executable, "-c", OURS_SCORE_SCRIPT, str(path), str(ours_out)])
        if not m.ok:
            print(f"tierwise FAILED ({m.returncode}):\n{m.stderr[-3000:]}", file=sys.stderr)
            return
        mine = json.loads(m.stdout.strip().splitlines()[-1])
        print("\n| tool | fit s | score s | child wall s | peak MiB | × tierwise's score |\n"
              "|:--|--:|--:|--:|--:|--:|")
        ours_s = float(mine["score_seconds"])
        print(f"| tierwise (DuckDB) | {mine['fit_seconds']:.2f} | {ours_s:.2f} | {m.seconds:.2f} | "
              f"{m.peak_mib:.0f} | 1.0× |", flush=True)
        differences = None
        if venv_python is not None:
            given = {**mine, "months": CLV_MONTHS, "discount_rate": DISCOUNT}
            m2 = measure([str(venv_python), "-c", LIFETIMES_SCORE_SCRIPT, str(path), str(theirs_out),
                          json.dumps(given)])
            if not m2.ok:
                print(f"| lifetimes | – | FAILED ({m2.returncode}) | {m2.seconds:.1f} | "
                      f"{m2.peak_mib:.0f} | |")
                print(m2.stderr[-3000:], file=sys.stderr)
            else:
                theirs_s = float(json.loads(m2.stdout.strip().splitlines()[-1])["score_seconds"])
                print(f"| lifetimes, given tierwise's parameters | – | {theirs_s:.2f} | {m2.seconds:.2f} | "
                      f"{m2.peak_mib:.0f} | {theirs_s / ours_s:.1f}× |")
                differences = compare_scores(ours_out, theirs_out)
    print(f"\nLoad average before the run: {load:.2f} on {os.cpu_count()} cores. Parameters fitted: "
          f"BG/NBD {mine['bgnbd']}, Gamma-Gamma {mine['gamma_gamma']}.")
    if differences:
        print("Largest relative difference, lifetimes against tierwise: " + "; ".join(
            f"{name} {worst:.1e}" + (f" ({bad:,} of lifetimes' rows not finite)" if bad else "")
            for name, (worst, bad) in differences.items()))
    goal = GOAL_SCORE_SECONDS * max(1.0, n / 10_000_000)
    print(f"tierwise scoring: {ours_s:.2f} s, goal {goal:.2f} s ({GOAL_SCORE_SECONDS} s up to ten million "
          f"customers, pro rata above): {'OK' if ours_s <= goal else 'MISS'}")


def run(cmd: list[str], repeat: int) -> tuple[Measurement, dict[str, Any] | None]:
    """Run ``cmd`` ``repeat`` times; the fastest run and the JSON of the run with the fastest fit."""
    runs, results = [], []
    for _ in range(repeat):
        m = measure(cmd)
        runs.append(m)
        if not m.ok:
            print(f"FAILED ({m.returncode}): {' '.join(cmd[:2])}\n{m.stderr[-3000:]}", file=sys.stderr)
            return m, None
        results.append(json.loads(m.stdout.strip().splitlines()[-1]))
    return fastest(runs), min(results, key=lambda r: float(r["fit_seconds"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; the fastest fit is shown")
    parser.add_argument("--no-lifetimes", action="store_true", help="time tierwise only")
    parser.add_argument("--no-compressed", action="store_true", help="skip lifetimes with weights")
    parser.add_argument("--setup", action="store_true", help="only make the lifetimes virtualenv")
    parser.add_argument("--score", type=int, default=10_000_000,
                        help="customers to score (0: the fit only)")
    args = parser.parse_args()

    venv = None
    if not args.no_lifetimes:
        venv = venv_for(PEERS["lifetimes"])
        if venv is None or not venv.ok or venv.python is None:
            sys.exit(f"lifetimes virtualenv could not be made: {venv.error if venv else '?'}")
        print(f"lifetimes venv: {venv.python} (Python {venv.python_version}); pins: "
              f"{' '.join(venv.spec.pins)}")
    if args.setup:
        return

    started = time.perf_counter()
    path, distinct = ensure_data(args.customers, args.seed)
    print(f"data: {path} ({args.customers:,} customers, {distinct:,} distinct (frequency, recency, T) "
          f"rows; {time.perf_counter() - started:.1f} s to make or read); true parameters {TRUE}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    tools = [("tierwise", [sys.executable, "-c", OURS_SCRIPT, str(path)])]
    if venv is not None and venv.python is not None:
        tools.append(("lifetimes", [str(venv.python), "-c", LIFETIMES_SCRIPT, str(path), "raw"]))
        if not args.no_compressed:
            tools.append(("lifetimes, compressed", [str(venv.python), "-c", LIFETIMES_SCRIPT, str(path),
                                                     "compressed"]))
    results: dict[str, dict[str, Any]] = {}
    print("\n| tool | fit s | child wall s | peak MiB | rows fitted | r | alpha | a | b | log-likelihood |"
          " vs tierwise |\n|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for name, cmd in tools:
        m, res = run(cmd, args.repeat)
        if res is None:
            print(f"| {name} | FAILED | {m.seconds:.1f} | {m.peak_mib:.0f} | | | | | | | |")
            continue
        results[name] = res
        fit_s = float(res["fit_seconds"])
        ours = float(results["tierwise"]["fit_seconds"]) if "tierwise" in results else float("nan")
        print(f"| {name} | {fit_s:.2f} | {m.seconds:.2f} | {m.peak_mib:.0f} | {res['rows']:,} | "
              f"{res['r']:.4f} | {res['alpha']:.3f} | {res['a']:.4f} | {res['b']:.4f} | "
              f"{res['log_likelihood']:.1f} | {fit_s / ours:.1f}x |", flush=True)

    print(f"\nLoad average before the run: {load:.2f} on {os.cpu_count()} cores.")
    if "tierwise" in results:
        ours = float(results["tierwise"]["fit_seconds"])
        goal = GOAL_SECONDS * max(1.0, args.customers / 1_000_000)
        verdict = "OK" if ours <= goal else "MISS"
        print(f"tierwise fit: {ours:.2f} s, goal {goal:.2f} s ({GOAL_SECONDS} s up to a million customers, "
              f"pro rata above): {verdict}")
        for name in ("lifetimes", "lifetimes, compressed"):
            if name in results:
                theirs = float(results[name]["fit_seconds"])
                print(f"{name}: {theirs:.2f} s = {theirs / ours:.1f}x tierwise's fit time")
    if args.score:
        score(args.score, args.seed, venv.python if venv is not None else None)


if __name__ == "__main__":
    main()
