"""Write ``cdnow_lifetimes_expected.csv``: lifetimes 0.11.3's predictions for a few CDNOW customers.

Run with the project's Python, after the lifetimes venv exists
(``python benchmarks/bench_clv_fit.py --setup`` creates it)::

    python tests/data/make_cdnow_expected.py [--lifetimes-python PATH]

It fits BG/NBD and Gamma-Gamma with tierwise, then has lifetimes (in its own venv, through a
subprocess) evaluate its predictions **with the parameters fixed to tierwise's**, so that the
file pins the prediction formulas only, not the optimisers. The parameters go in the file's
header comments; ``tests/test_clv.py`` reads them back.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
from pathlib import Path

import numpy as np

from tierwise.metrics.clv import fit_bgnbd, fit_gamma_gamma

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "cdnow_lifetimes_expected.csv"
DEFAULT_PYTHON = ROOT / "bench-data" / "venvs" / "lifetimes" / "bin" / "python"
HORIZONS = (1.0, 39.0, 520.0)  # weeks
# (column, lifetimes freq, months, monthly discount rate)
CLV_CASES = (("clv_w12", "W", 12, 0.01), ("clv_d6", "D", 6, 0.05))
PENALIZER = 0.01
# Customers not in CDNOW, to pin the large-frequency path: (frequency, recency, T, monetary_value).
SYNTHETIC = ((60, 38.0, 38.86, 20.0), (150, 38.5, 38.86, 35.0), (300, 30.0, 38.86, 5.0))

LIFETIMES_SCRIPT = """\
import json, sys
from importlib.metadata import version
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value
inp = json.load(sys.stdin)
data = load_cdnow_summary_data_with_monetary_value()
rep = data[data["frequency"] > 0]
def fit_bg(pen):
    return BetaGeoFitter(penalizer_coef=pen).fit(data["frequency"], data["recency"], data["T"])
def fit_gg(pen):
    return GammaGammaFitter(penalizer_coef=pen).fit(rep["frequency"], rep["monetary_value"])
bgf, ggf = fit_bg(0.0), fit_gg(0.0)
names = ("lifetimes", "numpy", "pandas", "scipy", "autograd")
out = {"versions": ", ".join("%s %s" % (name, version(name)) for name in names),
       "own_bg": bgf.params_.to_dict(), "own_gg": ggf.params_.to_dict(),
       "pen_bg": fit_bg(inp["penalizer"]).params_.to_dict(),
       "pen_gg": fit_gg(inp["penalizer"]).params_.to_dict()}
bgf.params_ = pd.Series(inp["bg"])[["r", "alpha", "a", "b"]]
ggf.params_ = pd.Series(inp["gg"])[["p", "q", "v"]]
c = pd.DataFrame(inp["customers"])
x, t_x, T, m = c["frequency"], c["recency"], c["T"], c["monetary_value"]
out["p_alive"] = list(bgf.conditional_probability_alive(x, t_x, T))
for t in inp["horizons"]:
    out["purchases_%g" % t] = list(bgf.conditional_expected_number_of_purchases_up_to_time(t, x, t_x, T))
out["expected_value"] = list(ggf.conditional_expected_average_profit(x, m))
for name, freq, months, rate in inp["clv_cases"]:
    clv = ggf.customer_lifetime_value(bgf, x, t_x, T, m, time=months, discount_rate=rate, freq=freq)
    out[name] = list(clv)
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifetimes-python", type=Path, default=DEFAULT_PYTHON)
    args = parser.parse_args()

    rows = np.genfromtxt(HERE / "cdnow_customers_summary_with_transactions.csv", delimiter=",", names=True)
    ids, x, t_x, big_t, m = rows["ID"], rows["x"], rows["t_x"], rows["T"], rows["zbar"]
    bg = fit_bgnbd(x, t_x, big_t)
    gg = fit_gamma_gamma(x, m)

    # 20 CDNOW customers: 5 with no repeat purchase, the 3 most frequent, 12 spread over the rest.
    zero = np.flatnonzero(x == 0)[[0, 1, 100, 500, 1400]]
    top = np.argsort(-x, kind="stable")[:3]
    rest = np.setdiff1d(np.flatnonzero(x > 0), top)[np.linspace(0, 940, 12).astype(int)]
    pick = np.sort(np.r_[zero, top, rest])
    customers = {
        "ID": [int(i) for i in ids[pick]] + [-k for k in range(1, len(SYNTHETIC) + 1)],
        "frequency": [int(v) for v in x[pick]] + [s[0] for s in SYNTHETIC],
        "recency": [float(v) for v in t_x[pick]] + [s[1] for s in SYNTHETIC],
        "T": [float(v) for v in big_t[pick]] + [s[2] for s in SYNTHETIC],
        "monetary_value": [float(v) for v in m[pick]] + [s[3] for s in SYNTHETIC],
    }
    request = {"bg": {"r": bg.r, "alpha": bg.alpha, "a": bg.a, "b": bg.b},
               "gg": {"p": gg.p, "q": gg.q, "v": gg.v},
               "customers": customers, "horizons": HORIZONS, "clv_cases": CLV_CASES, "penalizer": PENALIZER}
    done = subprocess.run([str(args.lifetimes_python), "-c", LIFETIMES_SCRIPT], input=json.dumps(request),
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)

    columns = ["p_alive", *(f"purchases_{t:g}" for t in HORIZONS), "expected_value",
               *(case[0] for case in CLV_CASES)]
    with OUT.open("w", newline="", encoding="utf-8") as out:
        out.write(
            "# Made by tests/data/make_cdnow_expected.py: predictions of lifetimes' BetaGeoFitter and\n"
            "# GammaGammaFitter with the parameters fixed to bg and gg below (tierwise's fit on CDNOW, time\n"
            f"# unit weeks), run with {result['versions']}.\n"
            "# IDs < 0 are synthetic customers. purchases_<t>: conditional expected purchases in the next\n"
            "# t weeks; clv_<freq><months>: customer_lifetime_value(freq, time=months, discount_rate) with\n"
            f"# (column, freq, months, discount_rate) = {CLV_CASES}.\n"
            "# lifetimes_bg, lifetimes_gg: lifetimes' own fit; lifetimes_bg_pen, lifetimes_gg_pen: its fit\n"
            f"# with penalizer_coef={PENALIZER}.\n")
        for name, params in (("bg", request["bg"]), ("gg", request["gg"]), ("lifetimes_bg", result["own_bg"]),
                             ("lifetimes_gg", result["own_gg"]), ("lifetimes_bg_pen", result["pen_bg"]),
                             ("lifetimes_gg_pen", result["pen_gg"])):
            out.write(f"# {name}: {json.dumps(params)}\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*customers, *columns])
        for i in range(len(customers["ID"])):
            writer.writerow([customers[k][i] for k in customers] + [repr(result[c][i]) for c in columns])
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
