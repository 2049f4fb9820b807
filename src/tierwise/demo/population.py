"""Who the demo company is and sells to: calendar, customers, reps, products, scorecard.

Used by :mod:`tierwise.demo.generator`; each function takes its own seeded generator and
works on whole arrays (loops run per outlet or product, never per customer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from tierwise.demo import vocab as V
from tierwise.demo import writers as W

PROSPECT_SHARE = 0.10
TYPES = list(V.CUSTOMER_TYPES)
CITIES = list(V.CITIES)
DEPTS = list(V.DEPARTMENTS)
OUTLETS = [o for outs in V.DEPARTMENTS.values() for o in outs]
OUTLET_DEPT = np.array([DEPTS.index(d) for d, outs in V.DEPARTMENTS.items() for _ in outs])
FLAG_NAMES = list(V.FLAGS)
PAY_CLASSES = ("prompt", "slow", "late", "bad")  # how a customer pays: generator._payments
GRADE_P = np.array([[.55, .40, .05, 0], [.10, .50, .40, 0], [0, .15, .50, .35], [0, 0, .40, .60]])


@dataclass(frozen=True)
class Calendar:
    """The order window and its seasonal weight, for drawing dates.

    ``start``/``end`` are day numbers (days since 1970-01-01); ``cum[k]`` is the summed
    weight of the ``k`` days from ``start``, so a uniform draw on it lands on busy days
    more often (weekdays, pre-holiday stocking, Q4) and rarely in the New Year break.
    """

    start: int
    end: int
    cum: np.ndarray

    @classmethod
    def build(cls, end_date: dt.date, years: int) -> Calendar:
        """The ``years`` before ``end_date`` (inclusive), weighted by season and weekday."""
        end = (end_date - dt.date(1970, 1, 1)).days
        try:
            first = end_date.replace(year=end_date.year - years) + dt.timedelta(days=1)
        except ValueError:  # 29 February
            first = end_date.replace(year=end_date.year - years, day=28) + dt.timedelta(days=1)
        start = (first - dt.date(1970, 1, 1)).days
        days = np.arange(start, end + 1)
        month = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
        season = np.array([.95, .85, 1.05, 1.0, 1.0, .95, .9, .9, 1.05, 1.15, 1.3, 1.35])
        weekday = np.array([1.0, 1.0, 1.0, 1.0, 1.0, .55, .2])[(days + 3) % 7]  # 0 = Monday
        weight = season[month] * weekday * (1 + 0.04 * (days - start) / 365)
        for year in range(first.year, end_date.year + 1):
            cny = (V.chinese_new_year(year) - dt.date(1970, 1, 1)).days - start
            weight[max(cny - 25, 0):max(cny - 7, 0)] *= 1.2  # stocking up before the holiday
            weight[max(cny - 7, 0):max(cny + 11, 0)] *= 0.12  # the holiday itself
        return cls(start, end, np.concatenate([[0.0], np.cumsum(weight)]))

    @property
    def span(self) -> int:
        """Days in the window."""
        return self.end - self.start + 1

    def draw(self, lo: np.ndarray, hi: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Day numbers in ``[lo, hi]`` (clipped to the window) at weighted quantiles ``u``."""
        lo = np.clip(lo, self.start, self.end) - self.start
        hi = np.clip(hi, self.start, self.end) - self.start
        a, b = self.cum[lo], self.cum[hi + 1]
        k = np.searchsorted(self.cum, a + u * (b - a), side="right") - 1
        return self.start + np.clip(k, lo, hi)


@dataclass
class Customers:
    """Per-customer arrays (index = customer number - 1), filled stage by stage."""

    created: np.ndarray  # day number of 建档日期
    prospect: np.ndarray  # never ordered
    z: np.ndarray  # latent potential, drives size, frequency, scorecard and rep attention
    type: np.ndarray
    city: np.ndarray
    outlet: np.ndarray
    dept: np.ndarray
    names: list[str]
    terms: np.ndarray  # payment_terms_days, -1 blank (prospects)
    pay_class: np.ndarray  # index into PAY_CLASSES
    rep: np.ndarray | None = None  # index into the reps, -1 unassigned
    first: np.ndarray | None = None  # first possible order day
    stop: np.ndarray | None = None  # last possible order day (before end for dormant ones)
    churned: np.ndarray | None = None


def _pick(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """One choice per row of the probability matrix ``p`` (rows: customers, columns: options)."""
    return (rng.random(len(p))[:, None] > p.cumsum(1)[:, :-1]).sum(1)


def unique_codes(n: int, draw: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Integer codes from ``draw(rows)``, redrawing repeated ones a few times (names)."""
    codes = draw(np.arange(n))
    for _ in range(30):
        dup = np.ones(n, bool)
        dup[np.unique(codes, return_index=True)[1]] = False
        if not dup.any():
            break
        codes[dup] = draw(np.flatnonzero(dup))
    return codes


def make_customers(rng: np.random.Generator, n: int, cal: Calendar) -> Customers:
    """Who the customers are: arrival, type, place, name, terms and payment habit."""
    prospect = rng.random(n) < PROSPECT_SHARE
    legacy = ~prospect & (rng.random(n) < 0.5)  # customers from before the order window
    created = np.where(legacy, cal.start - 1 - rng.integers(0, 4 * 365, n),
                       cal.start + (cal.span * rng.random(n)).astype(np.int64))
    recent = cal.end - (cal.span * rng.beta(1.0, 2.0, n)).astype(np.int64)
    created = np.minimum(np.where(prospect, recent, created), cal.end)
    order = np.argsort(created, kind="stable")  # ids are handed out in creation order
    created, prospect = created[order], prospect[order]

    z = rng.standard_normal(n)
    type_p = np.array([t[0] for t in V.CUSTOMER_TYPES.values()])
    ctype = rng.choice(len(TYPES), n, p=type_p / type_p.sum())
    city_w = np.array([w for _, w in V.CITIES.values()])
    city = rng.choice(len(CITIES), n, p=city_w / city_w.sum())
    outlet = np.array([OUTLETS.index(o) for o, _ in V.CITIES.values()])[city]
    retail = ctype == TYPES.index("零售店")
    key_account = (z > 1.5) & ~retail & (rng.random(n) < 0.6)
    outlet[key_account] = OUTLETS.index(V.DEPARTMENTS[V.KEY_ACCOUNT_DEPARTMENT][0])

    english = rng.random(n) < 0.15
    name_city = np.where(rng.random(n) < 0.8, city, rng.integers(0, len(CITIES), n))
    n_suffix = np.array([len(t[4]) for t in V.CUSTOMER_TYPES.values()])
    nb, ne, nt, ns = len(V.BRANDS), len(V.EN_WORDS), len(V.EN_TRADES), len(V.EN_SUFFIXES)

    def draw(rows: np.ndarray) -> np.ndarray:
        k = len(rows)
        zh = (((ctype[rows] * len(CITIES) + name_city[rows]) * nb + rng.integers(0, nb, k))
              * 8 + rng.integers(0, 5, k)) * 8 + (rng.random(k) * n_suffix[ctype[rows]]).astype(int)
        en = ((rng.integers(0, len(V.EN_PREFIXES), k) * ne + rng.integers(0, ne, k)) * nt
              + rng.integers(0, nt, k)) * ns + rng.integers(0, ns, k)
        return np.where(english[rows], -1 - en, zh)

    names = []
    for code in unique_codes(n, draw).tolist():
        if code < 0:
            rest, suffix = divmod(-1 - code, ns)
            rest, trade = divmod(rest, nt)
            prefix, word = divmod(rest, ne)
            names.append(f"{V.EN_PREFIXES[prefix]}{V.EN_WORDS[word]} {V.EN_TRADES[trade]} "
                         f"{V.EN_SUFFIXES[suffix]}")
        else:
            rest, suffix = divmod(code, 8)
            rest, trade = divmod(rest, 8)
            rest, brand = divmod(rest, nb)
            kind, place = divmod(rest, len(CITIES))
            spec = V.CUSTOMER_TYPES[TYPES[kind]]
            names.append(f"{CITIES[place]}{V.BRANDS[brand]}{spec[3][trade]}{spec[4][suffix]}")

    terms_p = np.where(retail[:, None], [[.45, .40, .12, .03]], [[.10, .45, .30, .15]])
    terms = np.array([0, 30, 60, 90])[_pick(rng, terms_p)]
    terms[key_account] = np.maximum(terms[key_account], 60)
    terms[prospect] = -1
    pay_p = np.where((terms == 0)[:, None], [[.85, .1, .04, .01]], [[.70, .13, .12, .05]])
    pay_class = _pick(rng, pay_p)
    return Customers(created, prospect, z, ctype, city, outlet, OUTLET_DEPT[outlet], names,
                     terms, pay_class)


def make_reps(rng: np.random.Generator, cust: Customers) -> list[list[object]]:
    """~3 reps per 1,000 customers spread over outlets by load, one head per department;
    assigns every customer a rep (1.5 % left unassigned). Returns the reps sheet rows."""
    n = len(cust.created)
    load = np.bincount(cust.outlet, 1 + 2 * (cust.dept == DEPTS.index(V.KEY_ACCOUNT_DEPARTMENT)),
                       len(OUTLETS))  # key accounts take three times the attention
    staff = max(round(3 * n / 1000), 2 * len(OUTLETS)) - len(DEPTS)
    quota = load / load.sum() * (staff - len(OUTLETS))
    per_outlet = 1 + np.floor(quota).astype(int)  # then largest remainders, to hit ``staff``
    per_outlet[np.argsort(np.floor(quota) - quota, kind="stable")[:staff - per_outlet.sum()]] += 1
    total = len(DEPTS) + int(per_outlet.sum())
    people = rng.choice(len(V.SURNAMES) * len(V.GIVEN), total,
                        replace=total > len(V.SURNAMES) * len(V.GIVEN))
    rows: list[list[object]] = []
    members: list[list[int]] = [[] for _ in OUTLETS]
    for d, outs in enumerate(V.DEPARTMENTS.values()):
        head = len(rows)
        for o_name in outs:
            o = OUTLETS.index(o_name)
            for k in range(int(per_outlet[o]) + (o_name == outs[0])):
                is_head = o_name == outs[0] and k == 0
                members[o].append(len(rows))
                rows.append([f"S{len(rows) + 1:03d}", "", DEPTS[d], o_name,
                             None if is_head else f"S{head + 1:03d}",
                             int(rng.integers(80, 151) if is_head else rng.integers(150, 401))])
    for row, person in zip(rows, people.tolist(), strict=True):
        surname, given = divmod(person, len(V.GIVEN))
        row[1] = V.SURNAMES[surname] + V.GIVEN[given]
    rep = np.full(n, -1)
    for o, ids in enumerate(members):
        mine = np.flatnonzero(cust.outlet == o)
        weight = np.array([0.3 if rows[i][4] is None else 1.0 for i in ids])
        rep[mine] = np.array(ids)[rng.choice(len(ids), len(mine), p=weight / weight.sum())]
    rep[rng.random(n) < 0.015] = -1
    cust.rep = rep
    return rows


@dataclass(frozen=True)
class Products:
    """The product list: names, category index, consumption cycle (days), list price in
    1e-4 yuan, popularity weight within the category and cost share of the price."""

    names: list[str]
    category: np.ndarray
    cycle: np.ndarray
    price_e4: np.ndarray
    popularity: np.ndarray
    margin: np.ndarray


def make_products(rng: np.random.Generator) -> Products:
    """Every item x spec of every category (~300 products) with price, cycle, cost share
    and popularity (Zipf-like within the category)."""
    names, cat, cycle, price, pop = [], [], [], [], []
    for c, (lo_d, hi_d, lo_p, hi_p, items, specs) in enumerate(V.CATEGORIES.values()):
        combos = [f"{i} {s}" for i in items for s in specs]
        base = rng.integers(lo_d, hi_d + 1)
        rank = rng.permutation(len(combos))
        for k, name in enumerate(combos):
            names.append(name)
            cat.append(c)
            cycle.append(int(np.clip(base + rng.integers(-15, 16), 7, 180)))
            price.append(np.exp(rng.uniform(np.log(lo_p), np.log(hi_p))))
            pop.append(1.0 / (1 + rank[k]) ** 0.8)
    list_e4 = np.array(price) * 10_000  # whole cents from 1 yuan up, 4 decimals below
    list_e4 = np.where(list_e4 >= 10_000, np.round(list_e4 / 100) * 100, np.round(list_e4))
    return Products(names, np.array(cat), np.array(cycle), list_e4.astype(np.int64),
                    np.array(pop), rng.uniform(0.62, 0.83, len(names)))


def scorecard_columns(rng: np.random.Generator, cust: Customers, revenue: np.ndarray
                      ) -> dict[str, pa.Array]:
    """The customers file's columns after the canonical ones: credit, scorecard attributes
    (1-5), intent, wallet share, expected purchases, manager flags, rep tags, finance grade.

    ``revenue`` is each customer's net sales in yuan over the order window. Credit limits
    follow actual monthly buying, so late payers end up above theirs.
    """
    assert cust.first is not None and cust.stop is not None
    n = len(cust.created)
    buyer = ~cust.prospect
    annual = revenue / np.maximum((cust.stop - cust.first + 1) / 365, 0.25)
    limit = annual / 12 * (np.maximum(cust.terms, 0) / 30 + 1) * rng.lognormal(0, 0.35, n)
    limit = np.where(limit >= 100_000, np.round(limit, -4), np.round(limit, -3))
    has_limit = buyer & (cust.terms > 0) & (rng.random(n) < 0.95)
    limit = np.maximum(limit, 5_000)

    cols: dict[str, pa.Array] = {
        "授信额度": W.integers(limit, ~has_limit),
        "账期": W.integers(cust.terms, cust.terms < 0),
    }
    assessed = rng.random(n) < 0.92
    for name, rho in (("scale", 0.8), ("management_level", 0.4), ("purchasing_power", 0.7),
                      ("marketing_level", 0.3), ("growth_ability", 0.3),
                      ("competitive_advantage", 0.4)):
        latent = rho * cust.z + np.sqrt(1 - rho**2) * rng.standard_normal(n)
        cols[name] = W.integers(np.clip(np.round(3 + 1.1 * latent), 1, 5), ~assessed)
    intent = rng.choice(np.arange(1, 6), n, p=[.2, .3, .25, .15, .1])
    cols["intent"] = W.integers(intent, buyer & (rng.random(n) < 0.7))

    wallet = np.clip(rng.beta(2.2, 2.5, n) + 0.1 * np.clip(cust.z, 0, None), 0.02, 0.98)
    cols["share_of_wallet"] = pa.array(np.round(wallet, 2), mask=rng.random(n) < 0.4)
    size_type = np.array([t[2] for t in V.CUSTOMER_TYPES.values()])[cust.type]
    potential = np.exp(10.5 + 0.9 * cust.z) * size_type  # prospects: what they could buy
    upcoming = np.where(buyer, annual / wallet, potential) * rng.lognormal(0.05, 0.3, n)
    cols["upcoming_purchases"] = W.integers(np.maximum(np.round(upcoming, -3), 1000),
                                            rng.random(n) < 0.4)

    flag = np.full(n, -1)
    rank = np.empty(n, np.int64)  # 0 = biggest buyer; prospects rank last
    rank[np.argsort(-np.where(buyer, revenue, -1.0), kind="stable")] = np.arange(n)
    n_buyers = int(buyer.sum())
    pools = {"strategic": rank < 0.03 * n_buyers,
             "key": (rank >= 0.03 * n_buyers) & (rank < 0.15 * n_buyers),
             "distinguished": buyer & (cust.pay_class == 0) & (rank < 0.5 * n_buyers),
             "model": buyer, "free": np.ones(n, bool)}
    for f, (name, share) in enumerate(V.FLAGS.items()):
        pool = np.flatnonzero(pools[name] & (flag < 0))
        flag[rng.choice(pool, min(len(pool), round(share * n)), replace=False)] = f
    cols["flag"] = W.take_strings(FLAG_NAMES, flag)
    agreement = (flag == 0) | ((flag == 1) & (rng.random(n) < 0.3)) | (
        (rank < 0.2 * n_buyers) & (rng.random(n) < 0.03))
    cols["annual_agreement"] = W.take_strings(["yes"], np.where(agreement, 0, -1))
    tag = rng.integers(0, len(V.PERSONALITIES), n)
    cols["personality"] = W.take_strings(V.PERSONALITIES, np.where(rng.random(n) < 0.12, tag, -1))
    grade = np.where(buyer & (rng.random(n) < 0.75), _pick(rng, GRADE_P[cust.pay_class]), -1)
    cols["credit_grade_finance"] = W.take_strings(["A", "B", "C", "D"], grade)
    return cols
