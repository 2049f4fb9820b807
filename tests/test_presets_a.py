"""The built-in presets 02–12 on hand-made companies: every class, reason, cut and gap pinned.

All runs are as of 2025-06-30, so the 12-month window is 2024-07-01 – 2025-06-30 (365 days)
and an order on the 15th of a month falls in that month of the window (July 2024 is month
11 back, June 2025 month 0). Expected numbers are worked out by hand in the comments.

Handy facts for the loyalty and stability metrics: a customer buying the same amount in k of
the 12 months has a monthly coefficient of variation sqrt((12 - k) / k), so stability
1 / (1 + sqrt((12 - k) / k)): k = 12 → 1, k = 6 → 0.5, k = 5 → 0.458040, k = 1 → 0.231662.
loyalty = (tenure + repeat + stability + recency) / 4 with tenure = min(tenure_days / 730, 1),
repeat = k / 12 and recency = max(0, 1 - recency_days / 365).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from schemes_fixture import classes, company, order
from tierwise.errors import ConfigError
from tierwise.schemes import registry
from tierwise.schemes import spec as sp
from tierwise.schemes.classify import choose
from tierwise.workspace import Workspace

AS_OF = date(2025, 6, 30)
YEAR = [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 7)]  # the window's months



def monthly(cid: str, amount: float, months: list[tuple[int, int]], **extra: Any) -> list[dict[str, Any]]:
    """One order of ``amount`` on the 15th of each (year, month)."""
    return [order(cid, f"{y}-{m:02d}-15", amount, **extra) for y, m in months]


def people(*ids: str, **attrs: Any) -> list[dict[str, Any]]:
    return [{"customer_id": i, "name": f"Customer {i}", **attrs} for i in ids]


def by_class(result: dict[str, Any]) -> dict[str, str]:
    return {cid: a.klass for cid, a in result.items()}


def preset(name: str) -> sp.SchemeSpec:
    return registry.presets()[name].spec()


# -- the files themselves --------------------------------------------------------------

NAMES = ["abc_value", "value_loyalty", "sales_credit", "contribution_stability", "prospect_pi",
         "prospect_abcd", "value_size", "lifecycle", "spend_tiers", "value_type", "share_upcoming"]


@pytest.mark.parametrize("name", NAMES)
def test_preset_files_are_complete(name: str) -> None:
    file = registry.presets()[name]
    assert file.text.startswith("# M"), "header comment names the method"
    spec = file.spec()
    assert spec.name == name and spec.method and spec.description is not None
    for klass in spec.classes:
        assert klass.label.zh and klass.label.en
        assert klass.playbook is not None and klass.playbook.strategy is not None
        assert klass.playbook.priority is not None


def test_playbook_defaults_from_the_documents() -> None:
    butterfly = preset("value_loyalty").klass("butterfly").playbook
    assert butterfly is not None and butterfly.care_after_purchase_days == [3, 21, 90]  # the "333" care
    risky = preset("sales_credit").klass("high_risk").playbook
    assert risky is not None and risky.credit_action == "hold_over_limit"
    vip = preset("value_size").klass("vip").playbook
    assert vip is not None and vip.visit_every_days == 7  # M10: VIP visited weekly
    assert preset("contribution_stability").class_ids() == ["EI", "EII", "EIII", "EIV"]
    assert preset("prospect_pi").class_ids() == ["PI", "PII", "PIII", "PIV"]
    assert preset("value_type").requires == ["orders.cost"]


# -- M1 abc_value ----------------------------------------------------------------------


def test_abc_value(ws: Workspace, tmp_path) -> None:
    # Window revenue, total 1,000: C1 400, C2 = C3 = C4 100, C5 90, C6 80, C7 70, C8 60.
    # Share made by the customers strictly ahead (equal revenues are not ahead of each other):
    # C1 0 → A; C2–C4 400/1000 = 0.4 < 0.5 → A, all three (a tie shares the tier);
    # C5 700 → 0.7 < 0.8 → B; C6 790 → 0.79 → B; C7 870 → 0.87 → C; C8 940 → C.
    amounts = {"C1": 400, "C2": 100, "C3": 100, "C4": 100, "C5": 90, "C6": 80, "C7": 70, "C8": 60}
    orders = [order(c, "2025-03-15", a) for c, a in amounts.items()]
    orders += [order("Z0", "2025-02-01", 80), order("Z0", "2025-02-02", -80)]  # buyer, net revenue 0
    orders += [order("LAP", "2023-05-01", 999)]  # lapsed: not a buyer
    company(ws, tmp_path, customers=people(*amounts, "Z0", "LAP", "PRO"), orders=orders)
    got = classes(ws, "abc_value", as_of=AS_OF)
    assert by_class(got) == {"C1": "A", "C2": "A", "C3": "A", "C4": "A", "C5": "B", "C6": "B",
                             "C7": "C", "C8": "C", "Z0": "C"}
    # 9 ranked buyers (Z0's ¥0 ranks last)
    assert got["C1"].reason_en == ("A key: revenue ¥400 ranks 1 of 9; those ahead make 0% of the total "
                                   "(A = the customers making the first 50%)")
    assert got["C4"].reason_zh == ("A 关键客户：销售额 ¥100，排第 2 名（共 9 名），排在前面的客户累计占 40%"
                                   "（A 为累计贡献前 50% 的客户）")
    assert got["C6"].reason_en == ("B major: revenue ¥80 ranks 6 of 9; those ahead make 79% of the total "
                                   "(B = the customers making the first 80%)")
    assert got["C7"].reason_en == ("C ordinary: revenue ¥70 ranks 7 of 9; those ahead make 87% of the "
                                   "total (C = the rest)")
    # no positive revenue: all of the total is ahead of it
    assert got["Z0"].reason_en == ("C ordinary: revenue ¥0 ranks 9 of 9; those ahead make 100% of the "
                                   "total (C = the rest)")


def test_abc_value_one_buyer(ws: Workspace, tmp_path) -> None:
    # A single buyer: nobody ahead of it (0 < 0.5) → A; B and C stay empty.
    company(ws, tmp_path, customers=people("ONLY", "PRO"), orders=[order("ONLY", "2025-06-01", 10)])
    result = ws.snapshots.classify(["abc_value"], as_of=AS_OF).schemes["abc_value"]
    assert {k: v["customers"] for k, v in result.classes.items()} == {"A": 1, "B": 0, "C": 0}
    assert result.classes["A"]["revenue"] == 10


# -- M2 value_loyalty ------------------------------------------------------------------

OLD = [(2022, 1)]  # an order long before the window: tenure_days > 730, tenure part 1


def loyalty_company(ws: Workspace, tmp_path) -> None:
    orders = [*monthly("F1", 1000, [*OLD, *YEAR]),  # revenue 12,000 (the 2022 order is outside the window)
              order("B1", "2025-06-30", 50000),
              *monthly("S1", 100, [*OLD, *YEAR]),  # revenue 1,200
              order("P1", "2025-06-30", 500),
              *monthly("M1", 1000, YEAR[7:]),  # Feb–Jun 2025: revenue 5,000
              order("LAP", "2023-03-01", 100)]
    company(ws, tmp_path, customers=people("F1", "B1", "S1", "P1", "M1", "LAP", "PRO"), orders=orders)


def test_value_loyalty(ws: Workspace, tmp_path) -> None:
    loyalty_company(ws, tmp_path)
    got = classes(ws, "value_loyalty", as_of=AS_OF)
    # loyalty, by hand (recency from the last order on 2025-06-15 is 15 days: 1 - 15/365 = 0.958904):
    #   F1, S1: tenure 1, repeat 12/12, stability 1 → (1 + 1 + 1 + 0.958904) / 4 = 0.989726
    #   B1, P1: one order today: tenure 0, repeat 1/12, stability 0.231662, recency 1
    #           → (0 + 0.083333 + 0.231662 + 1) / 4 = 0.328749
    #   M1: first order 2025-02-15, tenure 135/730 = 0.184932, repeat 5/12 = 0.416667,
    #       stability 0.458040 → (0.184932 + 0.416667 + 0.458040 + 0.958904) / 4 = 0.504636
    # median revenue of 500, 1,200, 5,000, 12,000, 50,000 = 5,000 (M1); median loyalty = M1's 0.504636:
    # M1 sits on both cuts and counts as high on both.
    assert by_class(got) == {"F1": "true_friend", "B1": "butterfly", "S1": "snail", "P1": "passer_by",
                             "M1": "true_friend"}
    assert got["F1"].reason_en == ("true friend: value (revenue) ¥12,000 ≥ median ¥5,000; "
                                   "loyalty 0.99 ≥ median 0.505")
    assert got["F1"].reason_zh == ("知己客户：价值（销售额） ¥12,000 ≥ 中位数 ¥5,000；"
                                   "忠诚度 0.99 ≥ 中位数 0.505")
    assert got["M1"].reason_en == ("true friend: value (revenue) ¥5,000 ≥ median ¥5,000; "
                                   "loyalty 0.505 ≥ median 0.505")
    assert got["B1"].reason_en == ("butterfly: value (revenue) ¥50,000 ≥ median ¥5,000; "
                                   "loyalty 0.329 < median 0.505")
    assert got["B1"].reason_zh == ("蝴蝶客户：价值（销售额） ¥50,000 ≥ 中位数 ¥5,000；"
                                   "忠诚度 0.329 < 中位数 0.505")
    assert got["S1"].reason_en == ("snail: value (revenue) ¥1,200 < median ¥5,000; "
                                   "loyalty 0.99 ≥ median 0.505")
    assert got["P1"].reason_en == ("passer-by: value (revenue) ¥500 < median ¥5,000; "
                                   "loyalty 0.329 < median 0.505")
    assert got["P1"].reason_zh == "过客客户：价值（销售额） ¥500 < 中位数 ¥5,000；忠诚度 0.329 < 中位数 0.505"


def test_a_true_friend_pays_on_time(ws: Workspace, tmp_path) -> None:
    """The seed's 知己 have good credit too: with payments imported, a high-value, loyal customer
    paying under 0.8 of its invoices on time is a butterfly (competed for, collected from);
    without payments nothing moves (test_value_loyalty)."""
    orders = [*monthly("F1", 1000, [*OLD, *YEAR]), order("B1", "2025-06-30", 50000),
              *monthly("S1", 100, [*OLD, *YEAR]), order("P1", "2025-06-30", 500),
              *monthly("M1", 1000, YEAR[7:])]
    # F1 pays each order the day it is placed (2022's too); M1 paid none of its five
    payments = [{"customer_id": "F1", "payment_date": f"{y}-{m:02d}-15", "amount": 1000}
                for y, m in [*OLD, *YEAR]]
    company(ws, tmp_path, customers=people("F1", "B1", "S1", "P1", "M1", payment_terms_days=30),
            orders=orders, payments=payments)
    got = classes(ws, "value_loyalty", as_of=AS_OF)
    assert by_class(got) == {"F1": "true_friend", "B1": "butterfly", "S1": "snail", "P1": "passer_by",
                             "M1": "butterfly"}
    assert got["M1"].reason_en == ("butterfly: value (revenue) ¥5,000 ≥ median ¥5,000; loyalty 0.505 ≥ "
                                   "median 0.505; not true friend: on-time ratio 0 < 0.8")
    assert got["M1"].reason_zh == ("蝴蝶客户：价值（销售额） ¥5,000 ≥ 中位数 ¥5,000；忠诚度 0.505 ≥ "
                                   "中位数 0.505；不归入知己客户：按期回款率 0 < 0.8")
    assert got["F1"].reason_en == ("true friend: value (revenue) ¥12,000 ≥ median ¥5,000; "
                                   "loyalty 0.99 ≥ median 0.505")


def test_value_loyalty_one_buyer(ws: Workspace, tmp_path) -> None:
    # One buyer is its own median on both axes: a true friend; the other three classes are empty.
    company(ws, tmp_path, customers=people("ONLY"), orders=[order("ONLY", "2025-06-30", 700)])
    result = ws.snapshots.classify(["value_loyalty"], as_of=AS_OF).schemes["value_loyalty"]
    assert {k: v["customers"] for k, v in result.classes.items()} == {
        "true_friend": 1, "butterfly": 0, "snail": 0, "passer_by": 0}


# -- M3 sales_credit -------------------------------------------------------------------


def test_sales_credit(ws: Workspace, tmp_path) -> None:
    # Payment terms 30 days; money received pays the oldest orders first.
    orders = [*monthly("G1", 10000, YEAR[6:9]),  # Jan–Mar 2025, each paid the same day: on time 3/3
              *monthly("R1", 20000, YEAR[6:8]),  # Jan–Feb, never paid: 0/2
              *monthly("T1", 2000, YEAR[6:11]),  # Jan–May, Jan–Apr paid the same day, May unpaid
              # (due 2025-06-14, before the as-of date): 4/5 = 0.8, exactly the cut
              order("N1", "2025-06-20", 1000),  # due 2025-07-20: nothing due yet, ratio empty
              order("L1", "2025-03-15", 500)]  # unpaid: 0/1
    payments = [{"customer_id": c, "payment_date": f"2025-{m:02d}-15", "amount": a}
                for c, a, months in (("G1", 10000, (1, 2, 3)), ("T1", 2000, (1, 2, 3, 4))) for m in months]
    company(ws, tmp_path, customers=people("G1", "R1", "T1", "N1", "L1", payment_terms_days=30),
            orders=orders, payments=payments)
    got = classes(ws, "sales_credit", as_of=AS_OF)
    # revenue 30,000 / 40,000 / 10,000 / 1,000 / 500: median 10,000 (T1, on the cut: high)
    assert by_class(got) == {"G1": "double_a", "R1": "high_risk", "T1": "double_a", "N1": "cultivate",
                             "L1": "low_exposure"}
    assert got["G1"].reason_en == ("high sales, good credit: revenue ¥30,000 ≥ median ¥10,000; "
                                   "on-time ratio 1 ≥ 0.8")
    assert got["T1"].reason_en == ("high sales, good credit: revenue ¥10,000 ≥ median ¥10,000; "
                                   "on-time ratio 0.8 ≥ 0.8")
    assert got["R1"].reason_en == ("high sales, poor credit: revenue ¥40,000 ≥ median ¥10,000; "
                                   "on-time ratio 0 < 0.8")
    assert got["R1"].reason_zh == "销量高信用差客户：销售额 ¥40,000 ≥ 中位数 ¥10,000；按期回款率 0 < 0.8"
    assert got["N1"].reason_en == ("good credit, low sales: revenue ¥1,000 < median ¥10,000; "
                                   "on-time ratio n/a → high")
    assert got["N1"].reason_zh == "信用好销量低客户：销售额 ¥1,000 < 中位数 ¥10,000；按期回款率 无 → 高"
    assert got["L1"].reason_en == ("low sales, poor credit: revenue ¥500 < median ¥10,000; "
                                   "on-time ratio 0 < 0.8")


def test_sales_credit_needs_payments(ws: Workspace, tmp_path) -> None:
    # No payments file: whether anyone pays on time is unknown, not "good" (nothing due) and not
    # "poor" (everything unpaid), so the scheme is not run and says what it lacks.
    company(ws, tmp_path, customers=people("X", "Y", payment_terms_days=30),
            orders=[order("X", "2025-06-25", 300), order("Y", "2025-06-25", 100)])
    with pytest.raises(ConfigError, match=r"lacks data this scheme needs: payments\.amount"):
        classes(ws, "sales_credit", as_of=AS_OF)
    assert ws.snapshots.classify(as_of=AS_OF).skipped["sales_credit"] == "needs payments.amount"


# -- M4 contribution_stability ----------------------------------------------------------


def test_contribution_stability(ws: Workspace, tmp_path) -> None:
    orders = [*monthly("E1", 1000, YEAR),  # revenue 12,000, 12 months: stability 1
              order("E2", "2025-01-15", 60000),  # 1 month: stability 0.231662
              *monthly("E3", 100, YEAR),  # 1,200, stability 1
              order("E4", "2025-01-15", 300),  # 0.231662
              *monthly("EM", 1000, YEAR[6:])]  # Jan–Jun 2025: 6,000, 6 months: stability 0.5
    company(ws, tmp_path, customers=people("E1", "E2", "E3", "E4", "EM"), orders=orders)
    got = classes(ws, "contribution_stability", as_of=AS_OF)
    # median revenue of 300, 1,200, 6,000, 12,000, 60,000 = 6,000; median stability of
    # 0.23, 0.23, 0.5, 1, 1 = 0.5: EM is on both cuts, high on both.
    assert by_class(got) == {"E1": "EI", "E2": "EII", "E3": "EIII", "E4": "EIV", "EM": "EI"}
    assert got["E1"].reason_en == ("EI loyal high contributor: contribution (revenue) ¥12,000 ≥ median "
                                   "¥6,000; stability 1 ≥ median 0.5")
    assert got["EM"].reason_en == ("EI loyal high contributor: contribution (revenue) ¥6,000 ≥ median "
                                   "¥6,000; stability 0.5 ≥ median 0.5")
    assert got["E2"].reason_en == ("EII floating high contributor: contribution (revenue) ¥60,000 ≥ median "
                                   "¥6,000; stability 0.232 < median 0.5")
    assert got["E2"].reason_zh == ("EII 游离客户（高贡献低稳定）：贡献度（销售额） ¥60,000 ≥ 中位数 ¥6,000；"
                                   "稳定性 0.232 < 中位数 0.5")
    assert got["E3"].reason_en == ("EIII steady small customer: contribution (revenue) ¥1,200 < median "
                                   "¥6,000; stability 1 ≥ median 0.5")
    assert got["E4"].reason_en == ("EIV unsteady small customer: contribution (revenue) ¥300 < median "
                                   "¥6,000; stability 0.232 < median 0.5")
    assert got["E4"].reason_zh == ("EIV 非忠诚客户（低贡献低稳定）：贡献度（销售额） ¥300 < 中位数 ¥6,000；"
                                   "稳定性 0.232 < 中位数 0.5")


def test_contribution_stability_two_buyers(ws: Workspace, tmp_path) -> None:
    # X: one order of 1,000 (stability 0.231662); Y bought 100 and returned it: revenue 0, so
    # stability 0 by definition. Medians of two: revenue 500, stability 0.115831 → X EI, Y EIV,
    # EII and EIII empty.
    company(ws, tmp_path, customers=people("X", "Y"),
            orders=[order("X", "2025-04-15", 1000), order("Y", "2025-04-15", 100),
                    order("Y", "2025-04-20", -100)])
    got = classes(ws, "contribution_stability", as_of=AS_OF)
    assert by_class(got) == {"X": "EI", "Y": "EIV"}
    assert got["Y"].reason_en == ("EIV unsteady small customer: contribution (revenue) ¥0 < median ¥500; "
                                  "stability 0 < median 0.116")


# -- M5 prospect_pi --------------------------------------------------------------------

RATINGS = ("scale", "management_level", "purchasing_power", "marketing_level", "growth_ability",
           "competitive_advantage")


def rated(cid: str, values: tuple[float | None, ...], intent: float | None) -> dict[str, Any]:
    return {"customer_id": cid, **dict(zip(RATINGS, values, strict=True)), "intent": intent}


def test_prospect_pi(ws: Workspace, tmp_path) -> None:
    # points = weight × (rating - 1) / 4 with weights 20, 15, 20, 15, 15, 15; empty → 0
    customers = [
        rated("P1", (5, 5, 5, 5, 5, 5), 5),  # 100, intent 5 → PI
        rated("P2", (3, 3, 3, 3, 3, 3), 3),  # 50 (on the cut: high), intent 3 → PII
        rated("P3", (1, 1, 1, 1, 1, 1), 4),  # 0, intent 4 (on the cut: high) → PIII
        rated("P4", (5, None, None, None, None, None), None),  # 20 only, intent empty → low → PIV
        # 20×0.75 + 15×0.25 + 20×1 + 15×0.5 + 15×0.75 + 15×0.25 = 15 + 3.75 + 20 + 7.5 + 11.25 + 3.75 = 61.25
        rated("P5", (4, 2, 5, 3, 4, 2), 5),
        rated("BUY", (5, 5, 5, 5, 5, 5), 5),  # has bought: not a prospect
    ]
    company(ws, tmp_path, customers=customers, orders=[order("BUY", "2025-05-01", 100)])
    got = classes(ws, "prospect_pi", as_of=AS_OF)
    assert by_class(got) == {"P1": "PI", "P2": "PII", "P3": "PIII", "P4": "PIV", "P5": "PI"}
    assert got["P1"].reason_en == "PI break through first: expected contribution 100 ≥ 50; intent 5 ≥ 4"
    assert got["P5"].reason_zh == "PI 首要突破客户：预期贡献度 61.25 ≥ 50；意向度 5 ≥ 4"
    assert got["P2"].reason_en == "PII cultivate: expected contribution 50 ≥ 50; intent 3 < 4"
    assert got["P3"].reason_en == "PIII willing small prospect: expected contribution 0 < 50; intent 4 ≥ 4"
    assert got["P4"].reason_en == "PIV hold back: expected contribution 20 < 50; intent n/a → low"
    assert got["P4"].reason_zh == "PIV 暂缓客户：预期贡献度 20 < 50；意向度 无 → 低"


def test_prospect_pi_needs_the_ratings(ws: Workspace, tmp_path) -> None:
    company(ws, tmp_path, customers=[{"customer_id": "P1", "intent": 5}],
            orders=[order("B", "2025-05-01", 100)])
    with pytest.raises(ConfigError) as err:
        ws.snapshots.classify(["prospect_pi"], as_of=AS_OF)
    for name in ("customers.scale", "customers.competitive_advantage"):
        assert name in str(err.value)
    assert "customers.intent" not in str(err.value)


# -- M5 prospect_abcd ------------------------------------------------------------------


def test_prospect_abcd(ws: Workspace, tmp_path) -> None:
    # intent 50 × (i - 1)/4; competitive_advantage 15 × (c - 1)/4;
    # days_since_contact 20 × (1 - min(d, 90)/90), never contacted 0; contacts 15 × min(n, 6)/6
    customers = [
        {"customer_id": "A1", "intent": 5, "competitive_advantage": 5},
        {"customer_id": "A2", "intent": 4, "competitive_advantage": 3},
        {"customer_id": "B1", "intent": 5, "competitive_advantage": 5},
        {"customer_id": "C1", "intent": 3, "competitive_advantage": 3},
        {"customer_id": "D1", "intent": None, "competitive_advantage": None},
        {"customer_id": "BUY", "intent": 5, "competitive_advantage": 5},
    ]

    def calls(cid: str, days: list[str]) -> list[dict[str, Any]]:
        return [{"customer_id": cid, "activity_date": d, "kind": "call"} for d in days]

    activities = (calls("A1", ["2025-05-01", "2025-05-08", "2025-05-15", "2025-06-01", "2025-06-15",
                               "2025-06-30"])  # 6 contacts, the last today
                  + calls("A2", ["2025-06-01", "2025-06-30"])  # 2 contacts, the last today
                  + calls("C1", ["2025-01-01"]))  # 1 contact, 180 days ago
    company(ws, tmp_path, customers=customers, activities=activities,
            orders=[order("BUY", "2025-05-01", 100)])
    got = classes(ws, "prospect_abcd", as_of=AS_OF)
    # A1: 50 + 15 + 20 + 15 = 100; A2: 37.5 + 7.5 + 20 + 5 = 70 (on the A line);
    # B1: 50 + 15 + 0 + 0 = 65; C1: 25 + 7.5 + 0 + 2.5 = 35; D1: 0.
    assert by_class(got) == {"A1": "A", "A2": "A", "B1": "B", "C1": "C", "D1": "D"}
    assert {c: a.score for c, a in got.items()} == {"A1": 100, "A2": 70, "B1": 65, "C1": 35, "D1": 0}
    assert got["A2"].reason_en == (
        "A about to close: score 70 ≥ 70 (intent 4 → 37.5/50; competitive_advantage 3 → 7.5/15; "
        "days since contact 0 days → 20/20; contacts 2 → 5/15)")
    assert got["B1"].reason_en == (
        "B likely: score 65 ≥ 50 (intent 5 → 50/50; competitive_advantage 5 → 15/15; "
        "days since contact n/a → 0/20; contacts 0 → 0/15)")
    assert got["C1"].reason_en == (
        "C needs nurturing: score 35 ≥ 30 (intent 3 → 25/50; competitive_advantage 3 → 7.5/15; "
        "days since contact 180 days → 0/20; contacts 1 → 2.5/15)")
    assert got["D1"].reason_en == (
        "D unlikely: score 0 < 30 (intent n/a → 0/50; competitive_advantage n/a → 0/15; "
        "days since contact n/a → 0/20; contacts 0 → 0/15)")
    assert got["D1"].reason_zh == (
        "D 可能性低：得分 0 < 30（合作意向 无 → 0/50；竞争优势 无 → 0/15；"
        "未跟进天数 无 → 0/20；跟进次数 0 → 0/15）")


# -- M5 value_size ---------------------------------------------------------------------


def test_value_size(ws: Workspace, tmp_path) -> None:
    amounts = {"V1": 5_000_000, "L1": 100_000, "M1": 20_000, "M2": 10_000, "S1": 5_000, "S2": 1_000}
    company(ws, tmp_path, customers=people(*amounts),
            orders=[order(c, "2025-03-15", a) for c, a in amounts.items()])
    got = classes(ws, "value_size", as_of=AS_OF)
    # sorted 1,000, 5,000, 10,000, 20,000, 100,000, 5,000,000: p80 at position 0.8 × 5 = 4 →
    # 100,000 (L1 on the line); median (10,000 + 20,000) / 2 = 15,000. V1 exactly at the VIP line.
    assert by_class(got) == {"V1": "vip", "L1": "large", "M1": "medium", "M2": "small", "S1": "small",
                             "S2": "small"}
    assert got["V1"].reason_en == "VIP: revenue ¥5,000,000 ≥ ¥5,000,000"
    assert got["V1"].reason_zh == "VIP客户：销售额 ¥5,000,000 ≥ ¥5,000,000"
    assert got["L1"].reason_en == "large: revenue ¥100,000 ≥ p80 ¥100,000"
    assert got["M1"].reason_en == "medium: revenue ¥20,000 ≥ median ¥15,000"
    assert got["M1"].reason_zh == "中客户：销售额 ¥20,000 ≥ 中位数 ¥15,000"
    assert got["M2"].reason_en == "small: no rule matched (revenue ¥10,000)"
    assert got["M2"].reason_zh == "小客户：未满足其他规则（销售额 ¥10,000）"


def test_value_size_one_buyer(ws: Workspace, tmp_path) -> None:
    # One buyer of 100 is its own p80: large; vip, medium and small are empty.
    company(ws, tmp_path, customers=people("ONLY"), orders=[order("ONLY", "2025-06-01", 100)])
    got = classes(ws, "value_size", as_of=AS_OF)
    assert by_class(got) == {"ONLY": "large"}
    assert got["ONLY"].reason_en == "large: revenue ¥100 ≥ p80 ¥100"


# -- M6 lifecycle ----------------------------------------------------------------------


def test_lifecycle_by_days(ws: Workspace, tmp_path) -> None:
    # Eight customers with purchases: too few to fit BG/NBD (10), so p_alive is empty and the
    # days since the last order decide dormancy.
    orders = [order("DP", "2023-01-15", 100),  # 897 days ago (731 + 166) > 730
              order("DT", "2024-10-15", 100), order("DT", "2024-11-15", 100),  # 227 days > 180
              *monthly("LO", 100, YEAR),  # 12 orders, 12 active months
              *monthly("L10", 100, [(2023, m) for m in range(3, 7)] + YEAR[6:]),  # 10 orders, 6 months
              *monthly("RE", 100, YEAR[3:]),  # 9 orders
              *monthly("R5", 100, [(2023, m) for m in range(1, 8)] + YEAR[7:]),  # 12 orders, 5 months
              order("NE", "2025-06-01", 100),  # 29 days ago
              order("N180", "2025-01-01", 100)]  # exactly 180 days ago: not > 180
    company(ws, tmp_path, customers=people("DP", "DT", "LO", "L10", "RE", "R5", "NE", "N180", "PR"),
            orders=orders)
    got = classes(ws, "lifecycle", as_of=AS_OF)
    assert by_class(got) == {"DP": "dormant_permanent", "DT": "dormant_temporary", "LO": "loyal",
                             "L10": "loyal", "RE": "returning", "R5": "returning", "NE": "new",
                             "N180": "new", "PR": "prospect"}
    assert got["DP"].reason_en == ("permanently dormant: probability active is empty; repurchase cycle is "
                                   "empty; days since last order 897 days > 730 days")
    assert got["DT"].reason_en == ("temporarily dormant: probability active is empty; "
                                   "days since last order 227 days > 180 days")
    assert got["DT"].reason_zh == "临时沉睡客户：活跃概率 为空；距最近购买天数 227天 > 180天"
    assert got["L10"].reason_en == "loyal: lifetime orders 10 ≥ 10; active months 6 ≥ 6"
    assert got["LO"].reason_zh == "忠诚客户：累计订单数 12 ≥ 10；活跃月数 12 ≥ 6"
    assert got["R5"].reason_en == "returning: lifetime orders 12 ≥ 2"
    assert got["RE"].reason_en == "returning: lifetime orders 9 ≥ 2"
    assert got["N180"].reason_en == "new: lifetime orders 1 ≤ 1; first order is given"
    assert got["NE"].reason_zh == "新客户：累计订单数 1 ≤ 1；首次购买 已填写"
    assert got["PR"].reason_en == ("prospect: no rule matched (probability active n/a, repurchase cycle n/a, "
                                   "days since last order n/a, lifetime orders 0)")
    assert got["PR"].reason_zh == ("潜在客户：未满足其他规则（活跃概率 无，复购周期 无，距最近购买天数 无，"
                                   "累计订单数 0）")


def test_lifecycle_by_p_alive(ws: Workspace, tmp_path) -> None:
    # Twelve weekly buyers up to the as-of date let BG/NBD fit. GONE bought every week for half a
    # year and has been silent since 2024-12-27 (185 days, far below the 730-day fallback): the
    # model gives it a probability of being active near 0. ONCE bought once, 200 days ago: BG/NBD
    # always says 1 for a single purchase day, so the 180-day fallback applies.
    weekly = [f"2025-{m:02d}-{d:02d}" for m in range(1, 7) for d in (6, 13, 20, 27)] + ["2025-06-30"]
    regular = [f"W{i:02d}" for i in range(12)]
    orders = [order(c, d, 100 + i) for i, c in enumerate(regular) for d in weekly]
    gone = [f"2024-{m:02d}-{d:02d}" for m in range(7, 13) for d in (6, 13, 20, 27)]
    orders += [order("GONE", d, 100) for d in gone]
    orders += [order("ONCE", "2024-12-12", 100)]  # 2024-12-12 → 2025-06-30: 200 days
    company(ws, tmp_path, customers=people(*regular, "GONE", "ONCE"), orders=orders)
    got = classes(ws, "lifecycle", as_of=AS_OF)
    assert got["GONE"].klass == "dormant_permanent"
    assert re.fullmatch(r"permanently dormant: probability active 0(\.0\d)? < 0\.1", got["GONE"].reason_en)
    assert got["ONCE"].klass == "dormant_temporary"
    assert got["ONCE"].reason_en == ("temporarily dormant: repurchase cycle is empty; "
                                     "days since last order 200 days > 180 days")
    # 25 orders each, but bought in only the last 6 months (active months 6): loyal
    assert {got[c].klass for c in regular} == {"loyal"}


# -- M7 spend_tiers --------------------------------------------------------------------


def test_spend_tiers(ws: Workspace, tmp_path) -> None:
    orders = (monthly("G1", 10000, YEAR)  # 120,000, 12 active months
              + monthly("S1", 10000, YEAR[6:])  # 60,000, 6 months (on the regularity line)
              + monthly("M1", 1000, YEAR[4:])  # 8,000, 8 months
              + [order("O1", "2025-03-15", 50000)]  # 50,000 in one month: spends but not regular
              + [order("O2", "2025-03-15", 500)])
    company(ws, tmp_path, customers=people("G1", "S1", "M1", "O1", "O2"), orders=orders)
    got = classes(ws, "spend_tiers", as_of=AS_OF)
    # sorted 500, 8,000, 50,000, 60,000, 120,000: p75 at position 3 → 60,000 (S1 on the line);
    # p95 at 3.8 → 60,000 + 0.8 × 60,000 = 108,000.
    assert by_class(got) == {"G1": "gold", "S1": "silver", "M1": "member", "O1": "ordinary", "O2": "ordinary"}
    assert got["G1"].reason_en == "gold: revenue ¥120,000 ≥ p95 ¥108,000; active months 12 ≥ 6"
    assert got["G1"].reason_zh == "金卡客户：销售额 ¥120,000 ≥ p95 ¥108,000；活跃月数 12 ≥ 6"
    assert got["S1"].reason_en == "silver: revenue ¥60,000 ≥ p75 ¥60,000; active months 6 ≥ 6"
    assert got["M1"].reason_en == "member: active months 8 ≥ 6"
    assert got["O1"].reason_en == "ordinary: no rule matched (revenue ¥50,000, active months 1)"
    assert got["O1"].reason_zh == "普通客户：未满足其他规则（销售额 ¥50,000，活跃月数 1）"


def test_spend_tiers_one_buyer(ws: Workspace, tmp_path) -> None:
    # The only buyer is its own p95 but bought in one month: ordinary; the three tiers are empty.
    company(ws, tmp_path, customers=people("ONLY"), orders=[order("ONLY", "2025-06-01", 100)])
    result = ws.snapshots.classify(["spend_tiers"], as_of=AS_OF).schemes["spend_tiers"]
    assert {k: v["customers"] for k, v in result.classes.items()} == {
        "gold": 0, "silver": 0, "member": 0, "ordinary": 1}


# -- M8 value_type ---------------------------------------------------------------------


def test_value_type(ws: Workspace, tmp_path) -> None:
    orders = [
        order("V3", "2025-03-15", 20000, cost=12000),  # gross profit 8,000
        order("V1", "2025-03-15", 10000, cost=6000),  # 4,000
        order("V2", "2025-03-15", 5000, cost=3000),  # 2,000, no previous revenue: growth empty
        order("G1", "2024-01-15", 1000, cost=500),  # previous window (2023-07-01 – 2024-06-30)
        order("G1", "2025-03-15", 2000, cost=1000),  # 1,000; growth (2,000 - 1,000) / 1,000 = 1
        order("G2", "2024-01-15", 1000, cost=500),
        order("G2", "2025-03-15", 1200, cost=1000),  # 200; growth 0.2, on the line
        order("O1", "2023-07-05", 100, cost=50),  # the data covers the previous window (else no growth)
        order("O1", "2024-01-15", 3000, cost=2000),
        order("O1", "2025-03-15", 3000, cost=2500),  # 500; growth -0.03
        order("Z1", "2025-03-15", 1000, cost=1500),  # -500
        order("N1", "2025-03-15", 800),  # no cost: gross profit empty
    ]
    company(ws, tmp_path, customers=people("V3", "V1", "V2", "G1", "G2", "O1", "Z1", "N1"), orders=orders)
    got = classes(ws, "value_type", as_of=AS_OF)
    # gross profits -500, 200, 500, 1,000, 2,000, 4,000, 8,000: p80 at 0.8 × 6 = 4.8 →
    # 2,000 + 0.8 × 2,000 = 3,600.
    assert by_class(got) == {"V3": "MVC", "V1": "MVC", "V2": "other", "G1": "MGC", "G2": "MGC",
                             "O1": "other", "Z1": "BZC", "N1": "other"}
    assert got["V1"].reason_en == "MVC most valuable: gross profit ¥4,000 ≥ p80 ¥3,600"
    assert got["V1"].reason_zh == "MVC 最有价值客户：毛利 ¥4,000 ≥ p80 ¥3,600"
    assert got["G1"].reason_en == "MGC most growable: growth 1 ≥ 0.2; gross profit ¥1,000 > ¥0"
    assert got["G2"].reason_en == "MGC most growable: growth 0.2 ≥ 0.2; gross profit ¥200 > ¥0"
    assert got["Z1"].reason_en == "BZC below zero: gross profit -¥500 < ¥0"
    assert got["Z1"].reason_zh == "BZC 负值客户：毛利 -¥500 < ¥0"
    assert got["O1"].reason_en == "other: no rule matched (gross profit ¥500, growth -0.032)"
    assert got["N1"].reason_en == "other: no rule matched (gross profit n/a, growth n/a)"
    assert got["N1"].reason_zh == "一般客户：未满足其他规则（毛利 无，增长率 无）"


def test_value_type_needs_costs(ws: Workspace, tmp_path) -> None:
    company(ws, tmp_path, customers=people("A", "B"),
            orders=[order("A", "2025-03-15", 100), order("B", "2025-03-15", 200)])
    with pytest.raises(ConfigError, match=r"orders\.cost"):
        ws.snapshots.classify(["value_type"], as_of=AS_OF)
    # choosing every scheme, it is skipped and says why
    chosen, skipped = choose(ws.db, None)
    assert "value_type" not in [f.name for f in chosen]
    assert skipped["value_type"] == "needs orders.cost"


# -- M9 share_upcoming -----------------------------------------------------------------


def test_share_upcoming(ws: Workspace, tmp_path) -> None:
    customers = [
        {"customer_id": "K1", "share_of_wallet": 0.8, "upcoming_purchases": 50000},
        {"customer_id": "K2", "share_of_wallet": 0.5, "upcoming_purchases": 10000},  # on both cuts
        {"customer_id": "KA", "share_of_wallet": 0.9, "upcoming_purchases": 1000},
        {"customer_id": "D1", "share_of_wallet": None, "upcoming_purchases": 20000},  # a prospect
        {"customer_id": "AA", "share_of_wallet": 0.2, "upcoming_purchases": 5000},
        {"customer_id": "AB", "share_of_wallet": 0.3, "upcoming_purchases": None},
    ]
    company(ws, tmp_path, customers=customers,
            orders=[order(c, "2025-03-15", 100) for c in ("K1", "K2", "KA", "AA", "AB")])
    got = classes(ws, "share_upcoming", as_of=AS_OF)
    # median of the given upcoming purchases 1,000, 5,000, 10,000, 20,000, 50,000 = 10,000
    assert by_class(got) == {"K1": "keep_close", "K2": "keep_close", "KA": "keep_or_acquire",
                             "D1": "develop", "AA": "acquire_or_abandon", "AB": "acquire_or_abandon"}
    assert got["K1"].reason_en == ("keep close: share of wallet 0.8 ≥ 0.5; "
                                   "upcoming purchases 50,000 ≥ median 10,000")
    assert got["K2"].reason_en == ("keep close: share of wallet 0.5 ≥ 0.5; "
                                   "upcoming purchases 10,000 ≥ median 10,000")
    assert got["KA"].reason_en == ("keep or acquire: share of wallet 0.9 ≥ 0.5; "
                                   "upcoming purchases 1,000 < median 10,000")
    assert got["D1"].reason_en == ("develop: share of wallet n/a → low; "
                                   "upcoming purchases 20,000 ≥ median 10,000")
    assert got["D1"].reason_zh == "发展：我方占有率 无 → 低；即将购买量 20,000 ≥ 中位数 10,000"
    assert got["AA"].reason_en == ("acquire or abandon: share of wallet 0.2 < 0.5; "
                                   "upcoming purchases 5,000 < median 10,000")
    assert got["AB"].reason_zh == "获取或放弃：我方占有率 0.3 < 0.5；即将购买量 无 → 低"


def test_share_upcoming_needs_the_attributes(ws: Workspace, tmp_path) -> None:
    company(ws, tmp_path, customers=people("A"), orders=[order("A", "2025-03-15", 100)])
    with pytest.raises(ConfigError) as err:
        ws.snapshots.classify(["share_upcoming"], as_of=AS_OF)
    assert "customers.share_of_wallet" in str(err.value)
    assert "customers.upcoming_purchases" in str(err.value)
