"""A deterministic demo company: the input files a Chinese B2B wholesaler would hand tierwise.

:func:`generate_demo_files` writes reps, products, customers, orders, payments and follow-up
logs as *files* in the formats and header languages users bring (xlsx, UTF-8 CSV with BOM,
Parquet, GBK CSV), so the demo goes through the same importer as real data.

The company is built so every analysis has something to show: heavy-tailed customer value
(Pareto/ABC tiers), purchase frequency from one order to weekly (RFM), customers arriving
over the whole span and some going dormant (lifecycle, dormancy), seasonality with a Chinese
New Year dip and a Q4 peak, returns, late and unpaid invoices against credit limits (credit),
and follow-up logs with gaps and a few complaints (tasks).

Everything is vectorised numpy (loops run per product category, outlet or activity kind,
never per order or line) and drawn from generators seeded by ``(seed, stage)``: the same
arguments give byte-identical files, and nothing depends on today's date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa

from tierwise.demo import population as P
from tierwise.demo import vocab as V
from tierwise.demo import writers as W
from tierwise.demo.population import Calendar, Customers, Products

LINES_PER_CUSTOMER = 51  # sale lines per customer (prospects included); returns add ~2 %
LINE_COUNT_P = np.array([0.30, 0.25, 0.20, 0.15, 0.10])  # 1..5 lines per order
RETURN_SHARE = 0.02
MAX_ORDERS_PER_YEAR = 60.0
DAY = 86_400


def _rng(seed: int, stage: int) -> np.random.Generator:
    """The random generator of one stage, so stages do not shift each other's draws."""
    return np.random.default_rng(np.random.SeedSequence([seed, stage]))


def _order_days(rng: np.random.Generator, cust: Customers, cal: Calendar,
                n: int) -> tuple[np.ndarray, np.ndarray]:
    """How many orders each customer places and on which days (customer-major order)."""
    buyer = ~cust.prospect
    lag = rng.exponential(20, n).astype(np.int64)
    first = np.minimum(np.where(cust.created < cal.start, cal.start, cust.created + lag), cal.end)
    churned = buyer & (rng.random(n) < 0.35)
    stop = np.where(churned, first + ((cal.end - first) * rng.random(n)).astype(np.int64),
                    cal.end)
    ctype_rate = np.array([t[1] for t in V.CUSTOMER_TYPES.values()])[cust.type]
    rate = np.exp(1.6 + 0.9 * (0.5 * cust.z + 0.866 * rng.standard_normal(n))) * ctype_rate
    years = (stop - first + 1) / 365
    target_orders = LINES_PER_CUSTOMER * n / (LINE_COUNT_P @ np.arange(1, 6))
    for _ in range(4 if buyer.any() else 0):  # scale to the target, again after capping
        rate = np.minimum(rate * target_orders / (rate * years)[buyer].sum(), MAX_ORDERS_PER_YEAR)
    count = np.where(buyer, np.maximum(1, rng.poisson(rate * years)), 0)
    count[buyer & (rng.random(n) < 0.05)] = 1  # one-off buyers
    who = np.repeat(np.arange(n), count)
    k = np.arange(len(who)) - np.repeat(np.cumsum(count) - count, count)
    regular = np.repeat(rng.random(n) < 0.7, count)  # evenly spaced vs. at random
    u = np.where(regular, (k + 0.5 + 0.9 * (rng.random(len(who)) - 0.5)) / count[who],
                 rng.random(len(who)))
    cust.first, cust.stop, cust.churned = first, stop, churned
    return who, cal.draw(first[who], stop[who], u)


def _orders(rng: np.random.Generator, cust: Customers, prod: Products, cal: Calendar
            ) -> dict[str, np.ndarray]:
    """Order lines (sales then returns, sorted by time); money in cents, qty/price in 1e-4."""
    n = len(cust.created)
    who, day = _order_days(rng, cust, cal, n)
    assert cust.first is not None and cust.stop is not None and cust.churned is not None
    secs = day * DAY + rng.integers(8 * 3600, 19 * 3600, len(day)) // 60 * 60
    by_time = np.argsort(secs, kind="stable")
    who, day, secs = who[by_time], day[by_time], secs[by_time]

    size_type = np.array([t[2] for t in V.CUSTOMER_TYPES.values()])[cust.type]
    size = np.exp(7.3 + 1.0 * (0.6 * cust.z + 0.8 * rng.standard_normal(n))) * size_type
    progress = (day - cust.first[who]) / (cust.stop[who] - cust.first[who] + 1)
    fade = np.where(cust.churned[who], 1 - 0.4 * progress, 1.0)  # leavers buy less first
    order_amount = size[who] * rng.lognormal(0, 0.45, len(who)) * fade

    n_lines = rng.choice(np.arange(1, 6), len(who), p=LINE_COUNT_P)
    order = np.repeat(np.arange(len(who)), n_lines)
    starts = np.cumsum(n_lines) - n_lines
    line_no = np.arange(len(order)) - starts[order] + 1
    share = rng.gamma(2.0, size=len(order))
    share /= np.bincount(order, share)[order]
    c = who[order]

    n_cat = len(V.CATEGORIES)
    fav = rng.integers(0, n_cat, (n, 2))  # each customer's main and second category
    pick = rng.random(len(order))
    category = np.where(pick < 0.55, fav[c, 0], np.where(pick < 0.75, fav[c, 1],
                                                         rng.integers(0, n_cat, len(order))))
    product = np.empty(len(order), np.int64)
    for k in range(n_cat):
        rows = np.flatnonzero(category == k)
        ids = np.flatnonzero(prod.category == k)
        cum = np.cumsum(prod.popularity[ids])
        product[rows] = ids[np.searchsorted(cum, rng.random(len(rows)) * cum[-1], "right")]

    discount = np.clip(0.97 - 0.04 * cust.z + 0.02 * rng.standard_normal(n), 0.8, 1.05)
    price = prod.price_e4[product] * discount[c] * (1 + 0.03 * rng.standard_normal(len(c)))
    price_e4 = np.where(price >= 10_000, np.round(price / 100) * 100, np.round(price))
    price_e4 = np.maximum(price_e4, 1).astype(np.int64)
    qty = np.maximum(1, np.round(order_amount[order] * share * 10_000 / price_e4))
    qty = qty.astype(np.int64)
    amount = (qty * price_e4 + 50) // 100
    ratio = np.clip(prod.margin[product] + 0.015 * rng.standard_normal(len(c)), 0.6, 0.85)
    cost = np.round(amount * ratio).astype(np.int64)

    # returns: a part of ~2 % of the lines comes back 3-45 days later as its own document
    src = np.flatnonzero(rng.random(len(order)) < RETURN_SHARE)
    r_day = day[order[src]] + rng.integers(3, 46, len(src))
    src, r_day = src[r_day <= cal.end], r_day[r_day <= cal.end]
    r_qty = np.maximum(1, (qty[src] * rng.uniform(0.1, 1.0, len(src))).astype(np.int64))
    r_amount = (r_qty * price_e4[src] + 50) // 100
    r_secs = r_day * DAY + rng.integers(9 * 3600, 18 * 3600, len(src)) // 60 * 60
    r_rank = np.argsort(np.argsort(r_secs, kind="stable"), kind="stable")

    terms = np.maximum(cust.terms, 0)
    cat = np.concatenate
    lines = {
        "customer": cat([c, c[src]]), "secs": cat([secs[order], r_secs]),
        "product": cat([product, product[src]]), "qty": cat([qty, -r_qty]) * 10_000,
        "price": cat([price_e4, price_e4[src]]), "amount": cat([amount, -r_amount]),
        "cost": cat([cost, -np.round(r_amount * ratio[src]).astype(np.int64)]),
        "due": cat([day[order] + terms[c], r_day]), "line_no": cat([line_no, np.ones_like(src)]),
        "order": cat([order, r_rank]), "is_return": cat([np.zeros_like(order, bool),
                                                         np.ones_like(src, bool)]),
        "source_order": cat([order, order[src]]),
    }
    by_time = np.lexsort((lines["line_no"], lines["order"], lines["is_return"], lines["secs"]))
    lines = {k: v[by_time] for k, v in lines.items()}
    lines["order_day"], lines["order_secs"] = day, secs  # per sales order, for payments
    lines["order_customer"] = who
    return lines


def _payments(rng: np.random.Generator, cust: Customers, lines: dict[str, np.ndarray],
              cal: Calendar) -> dict[str, np.ndarray]:
    """One payment per sales order net of its returns, on time for most customers, 1-4
    months late for some, partly or never for bad payers; nothing after the end date."""
    day, who = lines["order_day"], lines["order_customer"]
    sale = ~lines["is_return"]
    n_orders = len(day)
    owed = np.bincount(lines["order"][sale], lines["amount"][sale], n_orders)
    owed += np.bincount(lines["source_order"][~sale], lines["amount"][~sale], n_orders)
    owed = np.round(owed).astype(np.int64)
    terms = np.maximum(cust.terms[who], 0)
    due = day + terms
    klass = cust.pay_class[who]
    early = (rng.random(n_orders) * (np.minimum(terms, 10) + 1)).astype(np.int64)
    late = np.select([klass == 1, klass == 2, klass == 3],
                     [rng.integers(1, 31, n_orders), rng.integers(30, 121, n_orders),
                      rng.integers(30, 181, n_orders)], -early)
    pay_day = np.maximum(due + late, day)
    u = rng.random(n_orders)
    unpaid = ((klass == 3) & (u < 0.35)) | (rng.random(n_orders) < 0.004)
    partial = (klass == 3) & (u >= 0.35) & (u < 0.55)
    amount = np.where(partial, np.round(owed * rng.uniform(0.3, 0.9, n_orders)), owed)
    keep = ~unpaid & (amount > 0) & (pay_day <= cal.end)
    secs = pay_day * DAY + rng.integers(9 * 3600, 17 * 3600, n_orders) // 60 * 60
    secs = np.maximum(secs, lines["order_secs"] + 3600)  # cash paid after the order is placed
    idx = np.flatnonzero(keep)
    idx = idx[np.argsort(secs[idx], kind="stable")]
    return {"customer": who[idx], "secs": secs[idx], "amount": amount[idx].astype(np.int64),
            "order": idx}


def _activities(rng: np.random.Generator, cust: Customers, cal: Calendar
                ) -> dict[str, np.ndarray]:
    """Follow-ups: more for valuable customers and prospects, none for ~12 %, stopping
    after a customer goes quiet or months before the end for some; a handful of complaints."""
    assert cust.stop is not None and cust.churned is not None
    n = len(cust.created)
    rate = np.where(cust.prospect, np.exp(np.log(5) + 0.5 * rng.standard_normal(n)),
                    np.exp(np.log(4) + 0.45 * cust.z + 0.5 * rng.standard_normal(n)))
    rate[rng.random(n) < 0.12] = 0
    lo = np.maximum(cust.created, cal.start)
    hi = np.where(cust.churned, np.minimum(cust.stop + rng.integers(0, 181, n), cal.end),
                  np.where(rng.random(n) < 0.25, cal.end - rng.integers(60, 401, n), cal.end))
    count = np.where(hi >= lo, rng.poisson(rate * np.maximum(hi - lo + 1, 0) / 365), 0)
    who = np.repeat(np.arange(n), count)
    day = cal.draw(lo[who], hi[who], rng.random(len(who)))
    secs = day * DAY + rng.integers(9 * 3600, 19 * 3600, len(who)) // 60 * 60
    shares = np.array([k[0] for k in V.ACTIVITY_KINDS.values()])
    kind = rng.choice(len(shares), len(who), p=shares / shares.sum())
    buyer_rows = np.flatnonzero(~cust.prospect[who])
    n_complaints = min(max(3, n // 250), len(buyer_rows))
    kind[rng.choice(buyer_rows, n_complaints, replace=False)] = len(shares)  # 投诉
    outcome, note = np.empty(len(who), np.int64), np.empty(len(who), np.int64)
    for k in range(len(shares) + 1):
        rows = np.flatnonzero(kind == k)
        outcome[rows] = rng.integers(0, len(_kind_spec(k)[1]), len(rows))
        note[rows] = rng.integers(0, len(_kind_spec(k)[2]), len(rows))
    by_time = np.argsort(secs, kind="stable")
    return {"customer": who[by_time], "secs": secs[by_time], "kind": kind[by_time],
            "outcome": outcome[by_time], "note": note[by_time]}


def _kind_spec(k: int) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(kind as written, outcomes, notes) of activity kind number ``k`` (last: complaint)."""
    if k == len(V.ACTIVITY_KINDS):
        return V.COMPLAINT
    name, (_, outcomes, notes) = list(V.ACTIVITY_KINDS.items())[k]
    return name, outcomes, notes


def generate_demo_files(out_dir: Path, *, customers: int = 20_000, seed: int = 7,
                        end_date: dt.date = dt.date(2026, 9, 30), years: int = 3
                        ) -> dict[str, Path]:
    """Write a realistic demo company's input files into ``out_dir``.

    Parameters
    ----------
    out_dir : Path
        Directory for the six files (created if missing; files are overwritten).
    customers : int
        Customers including ~10 % prospects; order lines are ~50 per customer, so the
        default gives ~1,000,000 lines.
    seed : int
        Seed of every random draw: the same arguments give byte-identical files.
    end_date : datetime.date
        Last day of the data; nothing is dated after it.
    years : int
        Length of the order history before ``end_date``.

    Returns
    -------
    dict[str, Path]
        ``{table_name: file}`` in the order they must be imported: reps, products,
        customers, orders, payments, activities.
    """
    if customers < 1 or years < 1:
        raise ValueError("customers and years must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cal = Calendar.build(end_date, years)
    cust = P.make_customers(_rng(seed, 1), customers, cal)
    rep_rows = P.make_reps(_rng(seed, 2), cust)
    prod = P.make_products(_rng(seed, 3))
    lines = _orders(_rng(seed, 4), cust, prod, cal)
    pays = _payments(_rng(seed, 5), cust, lines, cal)
    acts = _activities(_rng(seed, 6), cust, cal)
    assert cust.rep is not None
    revenue = np.bincount(lines["customer"], lines["amount"], customers) / 100
    cust_ids = W.coded_strings(np.arange(1, customers + 1), max(6, len(str(customers))), ("C",))
    rep_ids = [str(r[0]) for r in rep_rows]
    prod_ids = [f"P{i:04d}" for i in range(1, len(prod.names) + 1)]
    paths = {name: out_dir / file for name, file in (
        ("reps", "reps.xlsx"), ("products", "products.csv"), ("customers", "customers.csv"),
        ("orders", "orders.parquet"), ("payments", "payments.parquet"),
        ("activities", "activities.csv"), ("targets", "targets.xlsx"))}

    W.write_xlsx(paths["reps"], "业务员", ["业务员编号", "姓名", "部门", "门店", "主管", "容量"],
                 rep_rows)
    W.write_csv(paths["products"], {
        "产品编号": pa.array(prod_ids), "产品名称": pa.array(prod.names),
        "类别": W.take_strings(list(V.CATEGORIES), prod.category),
        "消耗周期": W.integers(prod.cycle), "list_price": pa.array(prod.price_e4 / 10_000),
    }, bom=True)
    W.write_csv(paths["customers"], {
        "客户编号": cust_ids, "客户名称": pa.array(cust.names),
        "客户类型": W.take_strings(P.TYPES, cust.type), "区域": W.take_strings(P.CITIES, cust.city),
        "部门": W.take_strings(P.DEPTS, cust.dept), "门店": W.take_strings(P.OUTLETS, cust.outlet),
        "业务员": W.take_strings(rep_ids, cust.rep), "建档日期": W.dates(cust.created),
        **P.scorecard_columns(_rng(seed, 7), cust, revenue),
    }, bom=True)

    c, ret = lines["customer"], lines["is_return"]
    W.write_parquet(paths["orders"], {
        "order_id": W.coded_strings(lines["order"] + 1, 8, ("SO", "TH"), ret.astype(int)),
        "line_no": W.integers(lines["line_no"]),
        "customer_id": W.take_strings(cust_ids, c),
        "order_date": W.timestamps(lines["secs"]),
        "amount": W.decimal_array(lines["amount"], 2),
        "product_id": W.take_strings(prod_ids, lines["product"]),
        "quantity": W.decimal_array(lines["qty"], 4),
        "unit_price": W.decimal_array(lines["price"], 4),
        "cost": W.decimal_array(lines["cost"], 2),
        "due_date": W.dates(lines["due"]),
        "outlet": W.take_strings(P.OUTLETS, cust.outlet[c]),
        "rep_id": W.take_strings(rep_ids, cust.rep[c]),
        "department": W.take_strings(P.DEPTS, cust.dept[c]),
    })
    W.write_parquet(paths["payments"], {
        "payment_id": W.coded_strings(np.arange(1, len(pays["secs"]) + 1), 8, ("SK",)),
        "customer_id": W.take_strings(cust_ids, pays["customer"]),
        "payment_date": W.timestamps(pays["secs"]),
        "amount": W.decimal_array(pays["amount"], 2),
        "order_id": W.coded_strings(pays["order"] + 1, 8, ("SO",)),
    })
    specs = [_kind_spec(k) for k in range(len(V.ACTIVITY_KINDS) + 1)]
    outcomes = [o for s in specs for o in s[1]]
    notes = [t for s in specs for t in s[2]]
    first_outcome = np.cumsum([0] + [len(s[1]) for s in specs])
    first_note = np.cumsum([0] + [len(s[2]) for s in specs])
    kind = acts["kind"]
    note = first_note[kind] + acts["note"]
    W.write_csv(paths["activities"], {
        "跟进编号": W.coded_strings(np.arange(1, len(kind) + 1), 8, ("GJ",)),
        "客户编号": W.take_strings(cust_ids, acts["customer"]),
        "跟进日期": W.timestamps(acts["secs"]),
        "跟进方式": W.take_strings([s[0] for s in specs], kind),
        "业务员": W.take_strings(rep_ids, cust.rep[acts["customer"]]),
        "跟进结果": W.take_strings(outcomes, first_outcome[kind] + acts["outcome"]),
        "备注": W.take_strings(notes, np.where(np.array(notes, object)[note] == "", -1, note)),
    }, encoding="gbk")
    W.write_xlsx(paths["targets"], "销售目标", list(TARGET_HEADER),
                 _targets(cust, lines, acts, rep_rows, end_date))
    return paths


TARGET_HEADER = ("月份", "业务员", "部门", "客户类别", "销售额目标", "销售额挑战目标", "新客户目标",
                 "新客户挑战目标", "拜访目标", "拜访挑战目标")


def _targets(cust: Customers, lines: dict[str, np.ndarray], acts: dict[str, np.ndarray],
             rep_rows: list[list[object]], end_date: dt.date) -> list[list[object]]:
    """The sales plan of ``end_date``'s year, as a sales manager writes it: per rep and month,
    last year's same month plus 10 % (stretch 25 %) of revenue, new customers (first orders)
    and visits; per department, the sum of its reps'. A rep without last year's revenue in a
    month has no target for it."""
    reps, year = len(rep_rows), end_date.year
    assert cust.rep is not None

    def month_of(secs: np.ndarray) -> np.ndarray:  # months since 1970-01
        return secs.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)

    base = (year - 1 - 1970) * 12  # January of the year before
    table = np.zeros((3, reps, 12))

    def count(row: int, rep: np.ndarray, month: np.ndarray, weight: np.ndarray | None,
              keep: np.ndarray) -> None:
        keep = keep & (rep >= 0) & (month >= base) & (month < base + 12)
        np.add.at(table[row], (rep[keep], month[keep] - base), 1 if weight is None else weight[keep])

    every = np.ones(len(lines["secs"]), bool)
    count(0, cust.rep[lines["customer"]], month_of(lines["secs"]), lines["amount"] / 100, every)
    first = np.full(len(cust.rep), np.iinfo(np.int64).max)  # a customer's first order
    np.minimum.at(first, lines["customer"], lines["secs"].astype(np.int64))
    has = first < np.iinfo(np.int64).max
    count(1, cust.rep[has], month_of(first[has]), None, np.ones(int(has.sum()), bool))
    count(2, cust.rep[acts["customer"]], month_of(acts["secs"]), None, acts["kind"] == 0)  # 拜访
    out: list[list[object]] = []
    depts = [str(r[2]) for r in rep_rows]
    for m in range(12):
        day = f"{year}-{m + 1:02d}-01"
        per_dept: dict[str, list[float]] = {}
        for r in range(reps):
            revenue, new, visits = table[0, r, m], table[1, r, m], table[2, r, m]
            target = [round(revenue * 1.1, -3), round(revenue * 1.25, -3), int(np.ceil(new * 1.1)),
                      int(np.ceil(new * 1.3)), int(np.ceil(visits * 1.2)), int(np.ceil(visits * 1.5))]
            if revenue <= 0:
                continue
            out.append([day, rep_rows[r][0], None, None, *target])
            sums = per_dept.setdefault(depts[r], [0.0] * 6)
            for k, v in enumerate(target):
                sums[k] += v
        for dept, sums in per_dept.items():
            out.append([day, None, dept, None, *sums[:2], *(int(v) for v in sums[2:])])
    return out
