"""Presets 13–19 on hand-made companies: B2B levels, credit rating, reminders, personality,
business type, RFM and the Chinese eight-class RFM.

Every expected class, score and reason below is worked out by hand in the comments (the as-of
date is 2024-06-30 throughout, written AS_OF), never by running the code under test.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from schemes_fixture import classes, company, order
from tierwise.errors import ConfigError
from tierwise.schemes import registry
from tierwise.workspace import Workspace

AS_OF = date(2024, 6, 30)
PRESETS = Path(__file__).parents[1] / "src" / "tierwise" / "schemes" / "presets"


def ago(days: int) -> str:
    """The date ``days`` before AS_OF, as the CSV writes it."""
    return (AS_OF - timedelta(days=days)).isoformat()



def sizes(ws: Workspace, scheme: str) -> dict[str, int]:
    """Class sizes of the latest classification of ``scheme`` (every class, empty ones too)."""
    result = ws.snapshots.classify([scheme], as_of=AS_OF)
    return {k: v["customers"] for k, v in result.schemes[scheme].classes.items()}


def test_presets_load_with_the_expected_kinds() -> None:
    kinds = {name: registry.presets()[name].spec().kind for name in
             ("b2b_levels", "credit_rating", "reminders", "personality", "business_type", "rfm", "rfm_cn")}
    assert kinds == {"b2b_levels": "thresholds", "credit_rating": "scorecard", "reminders": "thresholds",
                     "personality": "thresholds", "business_type": "thresholds", "rfm": "rfm",
                     "rfm_cn": "rfm"}
    b2b = registry.presets()["b2b_levels"].spec()
    cadence = {c.id: (c.playbook.visit_every_days, c.playbook.call_every_days)
               for c in b2b.classes if c.playbook}
    # seed 002: VIP weekly visit; strategic / key / new every two weeks; distinguished and
    # free a call a week and a visit every two weeks; model monthly. The seed gives dormant no
    # cadence but says 关怀 (find out why it sleeps, reach out another way): a call a month;
    # standard is advice (convenient basic service)
    assert cadence == {"strategic": (14, None), "vip": (7, None), "key": (14, None),
                       "distinguished": (14, 7), "model": (30, None), "free": (14, 7),
                       "new": (14, None), "dormant": (None, 30), "standard": (None, None)}
    assert b2b.klass("standard").playbook.advice_only
    credit = registry.presets()["credit_rating"].spec()
    assert [(c.id, c.playbook.credit_action) for c in credit.classes if c.playbook] == [
        ("AAA", "none"), ("AA", "watch"), ("A", "collect"), ("B", "hold_over_limit"), ("C", "cash_only")]
    personality = registry.presets()["personality"].spec()
    arrogant = personality.klass("arrogant").playbook
    assert arrogant is not None and arrogant.call_every_days == 90 and arrogant.priority == 9


# -- 13 b2b_levels ------------------------------------------------------------------------

B2B_CUSTOMERS = [
    {"customer_id": "S1", "annual_agreement": "yes", "flag": ""},
    {"customer_id": "S2", "annual_agreement": "", "flag": "strategic"},
    {"customer_id": "V1", "annual_agreement": "", "flag": ""},
    {"customer_id": "V2", "annual_agreement": "", "flag": ""},
    {"customer_id": "V3", "annual_agreement": "", "flag": "key"},
    {"customer_id": "K1", "annual_agreement": "", "flag": "key"},
    {"customer_id": "D1", "annual_agreement": "", "flag": "贵宾"},
    {"customer_id": "M1", "annual_agreement": "", "flag": "model"},
    {"customer_id": "F1", "annual_agreement": "", "flag": "free"},
    {"customer_id": "N1", "annual_agreement": "", "flag": ""},
    {"customer_id": "N2", "annual_agreement": "", "flag": ""},
    {"customer_id": "DO1", "annual_agreement": "", "flag": ""},
    {"customer_id": "DO2", "annual_agreement": "", "flag": ""},
    {"customer_id": "DO3", "annual_agreement": "", "flag": ""},
    {"customer_id": "ST1", "annual_agreement": "", "flag": ""},
    {"customer_id": "P1", "annual_agreement": "", "flag": "key"},  # prospect: not graded
]
OLD = "2022-01-10"  # a first order long ago, so tenure is over 180 days
B2B_ORDERS = [
    order("S1", "2024-06-01", 100), order("S1", OLD, 100),
    order("S2", "2024-06-01", 100), order("S2", OLD, 100),
    order("V1", "2024-05-01", 5_000_000), order("V1", OLD, 100),  # revenue 5,000,000: tie at the cut
    order("V2", "2024-05-01", 4_999_999), order("V2", OLD, 100),  # one yuan short of VIP
    order("V3", "2024-05-01", 6_000_000), order("V3", OLD, 100),  # VIP outranks the key flag
    order("K1", "2024-06-01", 100), order("K1", OLD, 100),
    order("D1", "2024-06-01", 100), order("D1", OLD, 100),
    order("M1", "2021-03-01", 100),  # ordered once, long ago: the model flag outranks dormant
    order("F1", "2024-06-01", 100), order("F1", OLD, 100),
    order("N1", ago(60), 500),  # first order 60 days ago
    order("N2", ago(180), 500), order("N2", ago(10), 500),  # tenure exactly 180: tie, still new
    order("DO1", "2023-10-01", 800),  # once, 273 days ago
    order("DO2", "2022-01-10", 100), order("DO2", "2023-06-01", 100),  # 2023-06-01 → AS_OF: 395 days
    order("DO3", "2023-01-15", 100), order("DO3", "2023-07-01", 100),  # 2023-07-01 → AS_OF: 365: tie
    order("ST1", "2023-01-10", 500), order("ST1", "2024-03-01", 1000), order("ST1", "2024-06-01", 2000),
]


def test_b2b_levels_rule_order_is_the_precedence(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, customers=B2B_CUSTOMERS, orders=B2B_ORDERS)
    got = classes(ws, "b2b_levels", as_of=AS_OF)
    assert {k: v.klass for k, v in got.items()} == {
        "S1": "strategic", "S2": "strategic", "V1": "vip", "V2": "standard", "V3": "vip",
        "K1": "key", "D1": "distinguished", "M1": "model", "F1": "free", "N1": "new", "N2": "new",
        "DO1": "dormant", "DO2": "dormant", "DO3": "dormant", "ST1": "standard"}
    assert got["S1"].reason_en == "strategic: annual_agreement yes in [yes]"  # the English spellings
    assert got["S2"].reason_en == "strategic: flag strategic in [strategic]"
    assert got["V1"].reason_en == "VIP: revenue ¥5,000,000 ≥ ¥5,000,000"
    assert got["V1"].reason_zh == "VIP：销售额 ¥5,000,000 ≥ ¥5,000,000"
    assert got["V3"].reason_en == "VIP: revenue ¥6,000,000 ≥ ¥5,000,000"
    assert got["K1"].reason_en == "key: flag key in [key]"
    assert got["K1"].reason_zh == "重点客户：客户标记 key 属于 [重点, key]"
    assert got["D1"].reason_en == "distinguished: flag 贵宾 in [distinguished, 贵宾]"
    assert got["M1"].reason_en == "model: flag model in [model]"
    assert got["F1"].reason_zh == "自由客户：客户标记 free 属于 [自由, free]"
    assert got["N1"].reason_en == "new: tenure 60 days ≤ 180 days"
    assert got["N2"].reason_zh == "新客户：客户时长 180天 ≤ 180天"
    # DO1: one order → lifetime orders 1 ≤ 1 (its recency, 273 days, is under 365: not shown)
    assert got["DO1"].reason_en == "dormant: lifetime orders 1 ≤ 1"
    assert got["DO2"].reason_en == "dormant: days since last order 395 days ≥ 365 days"
    assert got["DO3"].reason_zh == "休眠客户：距最近购买天数 365天 ≥ 365天"
    # ST1: tenure 2023-01-10 → 2024-06-30 = 365 + 172 = 537 days; revenue in the 12-month
    # window 1,000 + 2,000 = 3,000; the fallback shows the first four columns the rules read
    assert got["ST1"].reason_en == ("standard: no rule matched (annual_agreement n/a, flag n/a, "
                                    "revenue ¥3,000, tenure 537 days)")
    assert "P1" not in got  # population: customers who ever bought


def test_b2b_levels_without_manager_columns_runs_the_data_driven_levels(
        ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, customers=[{"customer_id": c} for c in ("V1", "N1", "DO1", "ST1", "X1")],
            orders=[o for o in B2B_ORDERS if o["customer_id"] in ("V1", "N1", "DO1", "ST1")]
            + [order("X1", "2023-12-01", 50), order("X1", "2024-06-29", 50)])
    result = ws.snapshots.classify(["b2b_levels"], as_of=AS_OF)
    summary = result.schemes["b2b_levels"]
    assert summary.notes == [
        "rules[0].when skipped: no column annual_agreement", "rules[1].when skipped: no column flag",
        "rules[3].when skipped: no column flag", "rules[4].when skipped: no column flag",
        "rules[5].when skipped: no column flag", "rules[6].when skipped: no column flag"]
    # tiny population (5 customers): the flag levels are empty, nothing breaks
    assert {k: v["customers"] for k, v in summary.classes.items()} == {
        "strategic": 0, "vip": 1, "key": 0, "distinguished": 0, "model": 0, "free": 0, "new": 1,
        "dormant": 1, "standard": 2}
    got = classes(ws, "b2b_levels", as_of=AS_OF)
    assert {k: v.klass for k, v in got.items()} == {
        "V1": "vip", "N1": "new", "DO1": "dormant", "ST1": "standard", "X1": "standard"}
    # X1: first order 2023-12-01 → 212 days; 2 orders; last 2024-06-29 → 1 day; revenue 100
    assert got["X1"].reason_en == ("standard: no rule matched (revenue ¥100, tenure 212 days, "
                                   "lifetime orders 2, days since last order 1 day)")


def test_b2b_levels_flag_without_agreement_column(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path,
            customers=[{"customer_id": "S2", "flag": "战略"}, {"customer_id": "K1", "flag": "key"}],
            orders=[o for o in B2B_ORDERS if o["customer_id"] in ("S2", "K1")])
    result = ws.snapshots.classify(["b2b_levels"], as_of=AS_OF)
    assert result.schemes["b2b_levels"].notes == ["rules[0].when skipped: no column annual_agreement"]
    got = classes(ws, "b2b_levels", as_of=AS_OF)
    assert got["S2"].reason_en == "strategic: flag 战略 in [strategic, 战略]"  # and the row's own
    assert got["K1"].klass == "key"


# -- 14 credit_rating ---------------------------------------------------------------------
# Score = 40·on_time_ratio (scale 0–1) + 30·(1 − max_days_overdue/90) + 15·(1 − credit_utilization)
#       + 15·(1 − overdue_amount/outstanding), each clipped to its scale; empty: 0.7, 1, 0.5, 1.
# Grades: AAA ≥ 90, AA ≥ 75, A ≥ 60, B ≥ 40, else C.

CREDIT_CUSTOMERS = [
    {"customer_id": "CA", "credit_limit": 10000},
    {"customer_id": "CN", "credit_limit": 8000},
    {"customer_id": "CT", "credit_limit": 5000},
    {"customer_id": "CO", "credit_limit": 1000},
    {"customer_id": "CB", "credit_limit": None},
    {"customer_id": "CC", "credit_limit": 4000},
    {"customer_id": "CP", "credit_limit": 3000},  # prospect: not rated
]
CREDIT_ORDERS = [
    order("CA", "2024-03-01", 1000, due_date="2024-03-31"),
    order("CA", "2024-06-20", 2500, due_date="2024-07-20"),
    order("CN", "2024-06-20", 2000, due_date="2024-07-20"),
    order("CT", "2024-04-01", 1000, due_date="2024-05-01"),
    order("CO", "2024-06-20", 2000, due_date="2024-07-20"),
    order("CB", "2024-03-01", 1000, due_date="2024-03-31"),
    order("CB", "2024-04-16", 2000, due_date="2024-05-16"),
    order("CB", "2024-06-20", 1000, due_date="2024-07-20"),
    order("CC", "2024-04-01", 1000, due_date="2024-05-16"),
]
CREDIT_PAYMENTS = [
    {"customer_id": "CA", "payment_date": "2024-03-20", "amount": 1000},
    {"customer_id": "CT", "payment_date": "2024-05-10", "amount": 1000},  # nine days late
    {"customer_id": "CB", "payment_date": "2024-03-25", "amount": 1000},
    {"customer_id": "CB", "payment_date": "2024-06-01", "amount": 1000},  # half of the 2,000 order
]


def test_credit_rating_grades_and_reasons(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, customers=CREDIT_CUSTOMERS, orders=CREDIT_ORDERS, payments=CREDIT_PAYMENTS)
    got = classes(ws, "credit_rating", as_of=AS_OF)
    # CA: 1 invoice due, paid on time → 40; nothing overdue → 30; outstanding 2,500 / 10,000
    #     = 0.25 → 15·0.75 = 11.25; overdue 0 / 2,500 = 0 → 15.  96.25 → AAA
    # CN: no invoice due → on-time empty → 0.7·40 = 28; 30; 2,000/8,000 = 0.25 → 11.25; 0 → 15.
    #     84.25 → AA (no track record: AA at best)
    # CT: its one invoice paid 9 days late → 0; nothing unpaid → 30; outstanding 0 → 0 → 15;
    #     0/0 is empty → 15.  60 → A, a tie at the cut
    # CO: nothing due → 28; 30; 2,000/1,000 = 2, clipped to 1 → 0; 0 → 15.  73 → A
    # CB: 2 due, the first paid on time → 0.5 → 20; the second 1,000 unpaid since 2024-05-16:
    #     45 days → 30·0.5 = 15; no limit → 7.5; overdue 1,000 / outstanding (4,000 − 2,000)
    #     = 0.5 → 7.5.  50 → B
    # CC: 1 due, unpaid → 0; 45 days → 15; 1,000/4,000 = 0.25 → 11.25; 1,000/1,000 → 0.  26.25 → C
    assert {k: (v.klass, v.score) for k, v in got.items()} == {
        "CA": ("AAA", 96.25), "CN": ("AA", 84.25), "CT": ("A", 60.0), "CO": ("A", 73.0),
        "CB": ("B", 50.0), "CC": ("C", 26.25)}
    assert got["CA"].reason_en == (
        "AAA excellent: score 96.25 ≥ 90 (on-time ratio 1 → 40/40; days overdue 0 days → 30/30; "
        "credit used 0.25 → 11.25/15; overdue share 0 → 15/15)")
    assert got["CN"].reason_en == (
        "AA good: score 84.25 ≥ 75 (on-time ratio n/a → 28/40; days overdue 0 days → 30/30; "
        "credit used 0.25 → 11.25/15; overdue share 0 → 15/15)")
    assert got["CT"].reason_en == (
        "A fair: score 60 ≥ 60 (on-time ratio 0 → 0/40; days overdue 0 days → 30/30; "
        "credit used 0 → 15/15; overdue share n/a → 15/15)")
    assert got["CB"].reason_en == (
        "B weak: score 50 ≥ 40 (on-time ratio 0.5 → 20/40; days overdue 45 days → 15/30; "
        "credit used n/a → 7.5/15; overdue share 0.5 → 7.5/15)")
    assert got["CC"].reason_zh == (
        "C 信用差：得分 26.25 < 40（按期回款率 0 → 0/40；最长逾期天数 45天 → 15/30；"
        "额度使用率 0.25 → 11.25/15；逾期占比 1 → 0/15）")


def test_finance_grade_caps_the_credit_rating(ws: Workspace, tmp_path: Path) -> None:
    # the same company with finance's own grade (A–D): CA (scored AAA) graded C by finance is
    # capped at B; CN (AA) graded B keeps AA (B allows up to AA); CC (C) graded A stays C (a cap
    # never raises); CB blank and CO with a value the map does not know are not capped.
    finance = {"CA": "C", "CN": "B", "CC": "A", "CB": "", "CO": "Z"}
    customers = [dict(c, credit_grade_finance=finance.get(c["customer_id"], "")) for c in CREDIT_CUSTOMERS]
    company(ws, tmp_path, customers=customers, orders=CREDIT_ORDERS, payments=CREDIT_PAYMENTS)
    got = classes(ws, "credit_rating", as_of=AS_OF)
    assert {k: (v.klass, v.score) for k, v in got.items()} == {
        "CA": ("B", 96.25), "CN": ("AA", 84.25), "CT": ("A", 60.0), "CO": ("A", 73.0),
        "CB": ("B", 50.0), "CC": ("C", 26.25)}
    assert got["CA"].reason_en.startswith(
        "B weak: finance grade C (credit_grade_finance) caps it at B; the score alone gives AAA: "
        "score 96.25 ≥ 90 (on-time ratio 1 → 40/40;")
    assert got["CA"].reason_zh.startswith(
        "B 信用较差：财务评级 C限为 B，按得分为 AAA：得分 96.25")
    assert got["CN"].reason_en.startswith("AA good: score 84.25 ≥ 75 (")


def test_credit_rating_tiny_population_leaves_grades_empty(ws: Workspace, tmp_path: Path) -> None:
    # fixed scales: a grade does not depend on who else is rated; one customer is CA above
    company(ws, tmp_path, customers=CREDIT_CUSTOMERS[:1], orders=CREDIT_ORDERS[:2],
            payments=CREDIT_PAYMENTS[:1])
    assert sizes(ws, "credit_rating") == {"AAA": 1, "AA": 0, "A": 0, "B": 0, "C": 0}


# -- 15 reminders -------------------------------------------------------------------------


def test_reminders_states(ws: Workspace, tmp_path: Path) -> None:
    ids = ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10"]
    orders = [
        # R1, R9: no order ever (R9 was even visited yesterday)
        order("R2", "2024-04-01", 100), order("R2", "2024-05-01", 100), order("R2", "2024-05-31", 100),
        order("R3", "2024-05-01", 100), order("R3", "2024-06-20", 100),
        order("R4", "2024-04-01", 100),
        order("R5", "2023-01-01", 100), order("R5", "2023-01-31", 100),
        order("R6", "2024-06-29", 100),
        order("R7", "2024-06-29", 100),
        order("R8", "2024-06-29", 100),
        order("R10", "2024-01-02", 100),  # R10: no repurchase and never followed up either
    ]
    activities = [
        {"customer_id": "R2", "activity_date": "2024-06-28", "kind": "call"},
        {"customer_id": "R3", "activity_date": "2024-06-25", "kind": "visit"},
        {"customer_id": "R4", "activity_date": "2024-06-25", "kind": "visit"},
        {"customer_id": "R5", "activity_date": "2024-06-25", "kind": "call"},
        {"customer_id": "R7", "activity_date": "2024-05-31", "kind": "call"},  # 30 days before AS_OF
        {"customer_id": "R8", "activity_date": "2024-06-01", "kind": "visit"},  # 29 days
        {"customer_id": "R9", "activity_date": "2024-06-29", "kind": "visit"},
    ]
    company(ws, tmp_path, customers=[{"customer_id": c} for c in ids], orders=orders, activities=activities)
    got = classes(ws, "reminders", as_of=AS_OF)
    # R2: gaps 30 and 30 days → cycle 30; last order 2024-05-31 → 30 days: cycle reached (tie)
    # R3: cycle 50 (05-01 → 06-20), 10 days since: not yet; contacted 5 days ago → up to date
    # R4: one order 2024-04-01 → 29 + 31 + 30 = 90 days (tie), no cycle → no repurchase
    # R5: cycle 30 but 500+ days silent: no repurchase, not "used up"
    # R6: bought yesterday, no activity ever; R7: contact 30 days ago (tie); R8: 29 days ago
    assert {k: v.klass for k, v in got.items()} == {
        "R1": "never_purchased", "R2": "used_up", "R3": "up_to_date", "R4": "no_repurchase",
        "R5": "no_repurchase", "R6": "never_followed_up", "R7": "not_followed_up", "R8": "up_to_date",
        "R9": "never_purchased", "R10": "no_repurchase"}
    assert got["R1"].reason_en == "never purchased: last order is empty"
    assert got["R1"].reason_zh == "从未购买：最近购买 为空"
    assert got["R2"].reason_en == ("probably used up: days since last order 30 days ≥ repurchase cycle "
                                   "30 days; days since last order 30 days < 90 days")
    assert got["R4"].reason_en == "no repurchase: days since last order 90 days ≥ 90 days"
    assert got["R6"].reason_zh == "从未跟进：最近跟进 为空"
    assert got["R7"].reason_en == "not followed up: days since contact 30 days ≥ 30 days"
    assert got["R3"].reason_en == ("up to date: no rule matched (last order 2024-06-20, days since last "
                                   "order 10 days, repurchase cycle 50 days, last contact 2024-06-25)")


    # the class is the first rule met; the reminders are every rule met whose class reminds
    from tierwise.playbook.tasks import TaskOptions, generate_tasks

    rows = generate_tasks(ws.db, TaskOptions(on=AS_OF, days=0)).to_pylist()
    reminders: dict[str, set[str]] = {}
    for r in rows:
        if r["kind"] == "reminder":
            reminders.setdefault(r["customer_id"], set()).add(r["class"])
    assert reminders == {
        "R1": {"never_purchased", "never_followed_up"}, "R2": {"used_up"}, "R4": {"no_repurchase"},
        "R5": {"no_repurchase"}, "R6": {"never_followed_up"}, "R7": {"not_followed_up"},
        "R9": {"never_purchased"}, "R10": {"no_repurchase", "never_followed_up"}}
    r10 = {r["class"]: r for r in rows if r["kind"] == "reminder" and r["customer_id"] == "R10"}
    assert r10["never_followed_up"]["reason_en"] == "never followed up: last contact is empty (Reminders)"
    assert r10["never_followed_up"]["reason_zh"] == "从未跟进：最近跟进 为空（客户提醒）"
    assert r10["no_repurchase"]["reason_en"] == ("no repurchase: days since last order 180 days ≥ 90 days "
                                                 "(Reminders)")


def test_reminders_tiny_workspace_of_prospects(ws: Workspace, tmp_path: Path) -> None:
    # prospects only (there must be one order for an as-of date): every other state is empty
    company(ws, tmp_path, customers=[{"customer_id": c} for c in ("A", "B", "C", "D", "E")],
            orders=[order("E", "2024-06-30", 10)],
            activities=[{"customer_id": "E", "activity_date": "2024-06-30", "kind": "visit"}])
    assert sizes(ws, "reminders") == {"never_purchased": 4, "used_up": 0, "no_repurchase": 0,
                                      "never_followed_up": 0, "not_followed_up": 0, "up_to_date": 1}


# -- 16 personality -----------------------------------------------------------------------


def test_personality_types(ws: Workspace, tmp_path: Path) -> None:
    tags = {"P01": "恩客", "P02": "VIP", "P03": "牛客", "P04": "磨客", "P05": "怪客", "P06": "silent",
            "P07": "talkative", "P08": "讲价型", "P09": "loyal", "P10": "picky", "P11": "gracious",
            "P12": "", "P13": "rational"}
    company(ws, tmp_path, customers=[{"customer_id": k, "personality": v} for k, v in tags.items()],
            orders=[order("P01", "2024-06-30", 10)])
    got = classes(ws, "personality", as_of=AS_OF)
    assert {k: v.klass for k, v in got.items()} == {
        "P01": "gracious", "P02": "vip", "P03": "arrogant", "P04": "reluctant", "P05": "odd",
        "P06": "silent", "P07": "talkative", "P08": "bargainer", "P09": "loyal", "P10": "picky",
        "P11": "gracious", "P12": "untagged", "P13": "untagged"}
    assert got["P03"].reason_en == "arrogant: personality 牛客 in [arrogant, 牛客]"
    assert got["P03"].reason_zh == "牛客：性格类型 牛客 属于 [牛客]"
    assert got["P02"].reason_en == "VIP: personality VIP in [VIP]"  # one case of each spelling
    assert got["P08"].reason_zh == "讲价型：性格类型 讲价型 属于 [讲价型]"
    assert got["P05"].reason_zh == "怪客：性格类型 怪客 属于 [怪客]"
    assert got["P12"].reason_en == "untagged: no rule matched (personality n/a)"
    assert got["P13"].reason_en == "untagged: no rule matched (personality rational)"


def test_personality_without_the_column_names_it(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, customers=[{"customer_id": "A"}], orders=[order("A", "2024-06-30", 10)])
    with pytest.raises(ConfigError, match=r"customers\.personality"):
        ws.snapshots.classify(["personality"])


# -- 17 business_type ---------------------------------------------------------------------


def test_business_type_groups(ws: Workspace, tmp_path: Path) -> None:
    types = {"B01": "工程商", "B02": "装修公司", "B03": "construction", "B04": "贸易商", "B05": "经销商",
             "B06": "Trading", "B07": "运营中心", "B08": "operation centre", "B09": "零售店",
             "B10": "project retail", "B11": "制造厂", "B12": "", "B13": "CONSTRUCTION"}
    company(ws, tmp_path, customers=[{"customer_id": k, "type": v} for k, v in types.items()],
            orders=[order("B01", "2024-06-30", 10)])
    got = classes(ws, "business_type", as_of=AS_OF)
    assert {k: v.klass for k, v in got.items()} == {
        "B01": "construction", "B02": "construction", "B03": "construction", "B04": "trading",
        "B05": "trading", "B06": "trading", "B07": "operation_centre", "B08": "operation_centre",
        "B09": "project_retail", "B10": "project_retail", "B11": "other", "B12": "other",
        "B13": "other"}  # values match exactly: upper case is not in the list
    assert got["B07"].reason_en == ("operation centre: type 运营中心 in "
                                    "[operation centre, operation center, 运营中心]")
    assert got["B07"].reason_zh == "运营中心：客户类型 运营中心 属于 [运营中心]"
    assert got["B09"].reason_en == "project retail: type 零售店 in [project retail, retail, 零售店]"
    assert got["B04"].reason_zh.startswith("贸易公司：客户类型 贸易商 属于 [贸易公司, ")
    assert got["B01"].reason_en == ("construction: type 工程商 in "
                                    "[construction, contractor, decoration, 工程商]")
    assert got["B11"].reason_en == "other: no rule matched (type 制造厂)"
    assert got["B12"].reason_zh == "其他：未满足其他规则（客户类型 无）"


def test_business_type_without_types_is_all_other(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, customers=[{"customer_id": c} for c in ("A", "B")],
            orders=[order("A", "2024-06-30", 10)])
    assert sizes(ws, "business_type") == {"construction": 0, "trading": 0, "operation_centre": 0,
                                          "project_retail": 0, "other": 2}


# -- 18 rfm -------------------------------------------------------------------------------


def rfm_rows(spec: list[tuple[str, int, int, int]]) -> list[dict[str, Any]]:
    """Orders giving each (customer, days since the last order, orders, revenue): the last
    order ``days`` before AS_OF, the others a week apart before it, revenue split evenly."""
    rows = []
    for cid, days, n, revenue in spec:
        for j in range(n):
            rows.append(order(cid, ago(days + 7 * j), revenue / n))
    return rows


# 11 customers, so the quintile positions 0.2·10 = 2, 4, 6, 8 fall on values: the cuts are the
# 3rd, 5th, 7th and 9th smallest values (quantile_cont, no interpolation needed).
#   R: days 2 5 10 20 30 45 60 90 120 200 400 → cuts 10, 30, 60, 120 (lower is better):
#      ≤ 10 → 5, ≤ 30 → 4, ≤ 60 → 3, ≤ 120 → 2, else 1 (10 and 30 sit on a cut: the better score)
#   F: orders 1 1 1 2 2 3 3 4 4 5 5 → cuts 1, 2, 3, 4: f = the order count
#   M: revenue 1,000 … 11,000 → cuts 3,000, 5,000, 7,000, 9,000: ≤ 3,000 → 1, ≤ 5,000 → 2, ...
RFM_DATA = [  # customer, days, orders, revenue → (r, f, m) → class
    ("C00", 2, 5, 1000),     # (5, 5, 1) champions
    ("C01", 5, 1, 2000),     # (5, 1, 1) new
    ("C02", 10, 3, 3000),    # (5, 3, 1) potential_loyalist
    ("C03", 20, 1, 4000),    # (4, 1, 2) promising
    ("C04", 30, 4, 5000),    # (4, 4, 2) loyal
    ("C05", 45, 3, 6000),    # (3, 3, 3) need_attention
    ("C06", 60, 2, 7000),    # (3, 2, 3) about_to_sleep
    ("C07", 90, 5, 8000),    # (2, 5, 4) cant_lose
    ("C08", 120, 2, 9000),   # (2, 2, 4) hibernating
    ("C09", 200, 1, 10000),  # (1, 1, 5) lost
    ("C10", 400, 4, 11000),  # (1, 4, 5) at_risk
]


def test_rfm_segments(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, customers=[{"customer_id": c} for c, *_ in RFM_DATA] + [{"customer_id": "PX"}],
            orders=rfm_rows(RFM_DATA))
    got = classes(ws, "rfm", as_of=AS_OF)
    assert {k: (v.klass, v.score) for k, v in got.items()} == {
        "C00": ("champions", 551.0), "C01": ("new", 511.0), "C02": ("potential_loyalist", 531.0),
        "C03": ("promising", 412.0), "C04": ("loyal", 442.0), "C05": ("need_attention", 333.0),
        "C06": ("about_to_sleep", 323.0), "C07": ("cant_lose", 254.0), "C08": ("hibernating", 224.0),
        "C09": ("lost", 115.0), "C10": ("at_risk", 145.0)}
    assert got["C00"].reason_en == ("champions: R5 days since last order 2 days (≤ 10 days), "
                                    "F5 lifetime orders 5 (> 4), M1 lifetime revenue ¥1,000 (≤ ¥3,000)")
    assert got["C02"].reason_en == ("potential loyalists: R5 days since last order 10 days (≤ 10 days), "
                                    "F3 lifetime orders 3 (> 2, ≤ 3), M1 lifetime revenue ¥3,000 (≤ ¥3,000)")
    assert got["C04"].reason_en == ("loyal: R4 days since last order 30 days (> 10 days, ≤ 30 days), "
                                    "F4 lifetime orders 4 (> 3, ≤ 4), "
                                    "M2 lifetime revenue ¥5,000 (> ¥3,000, ≤ ¥5,000)")
    assert got["C05"].reason_zh == ("需关注客户：R3 距最近购买天数 45天 (> 30天, ≤ 60天)，"
                                    "F3 累计订单数 3 (> 2, ≤ 3)，M3 累计销售额 ¥6,000 (> ¥5,000, ≤ ¥7,000)")
    assert got["C09"].reason_en == ("lost: R1 days since last order 200 days (> 120 days), "
                                    "F1 lifetime orders 1 (≤ 1), M5 lifetime revenue ¥10,000 (> ¥9,000)")
    for cid, start in (("C01", "new: R5 "), ("C03", "promising: R4 "), ("C06", "about to sleep: R3 "),
                       ("C07", "can't lose: R2 "), ("C08", "hibernating: R2 "), ("C10", "at risk: R1 ")):
        assert got[cid].reason_en.startswith(start)
    assert "PX" not in got  # a prospect is not scored


def test_rfm_tiny_population(ws: Workspace, tmp_path: Path) -> None:
    # 5 customers: positions 0.8, 1.6, 2.4, 3.2 between the days 10 20 30 40 50 → cuts
    # 18, 26, 34, 42; one order of 1,000 each → every F and M cut is 1 / 1,000, all score 1
    data = [("T1", 10, 1, 1000), ("T2", 20, 1, 1000), ("T3", 30, 1, 1000), ("T4", 40, 1, 1000),
            ("T5", 50, 1, 1000)]
    company(ws, tmp_path, customers=[{"customer_id": c} for c, *_ in data], orders=rfm_rows(data))
    got = classes(ws, "rfm", as_of=AS_OF)
    assert {k: v.klass for k, v in got.items()} == {
        "T1": "new", "T2": "promising", "T3": "about_to_sleep", "T4": "hibernating", "T5": "lost"}
    assert got["T1"].reason_en == ("new: R5 days since last order 10 days (≤ 18 days), "
                                   "F1 lifetime orders 1 (≤ 1), M1 lifetime revenue ¥1,000 (≤ ¥1,000)")
    assert got["T4"].reason_zh == ("冬眠客户：R2 距最近购买天数 40天 (> 34天, ≤ 42天)，"
                                   "F1 累计订单数 1 (≤ 1)，M1 累计销售额 ¥1,000 (≤ ¥1,000)")
    counts = sizes(ws, "rfm")
    assert counts["champions"] == 0 and counts["loyal"] == 0 and sum(counts.values()) == 5


def test_rfm_grid_covers_every_cell() -> None:
    """The preset's rules, read as written, give the usual R × F grid (first match wins)."""
    spec = yaml.safe_load((PRESETS / "18-rfm.yaml").read_text(encoding="utf-8"))
    expected = {  # rows r = 5 … 1, columns f = 1 … 5
        5: ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
        4: ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
        3: ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
        2: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
        1: ["lost", "hibernating", "at_risk", "at_risk", "cant_lose"],
    }
    for r in range(1, 6):
        for f in range(1, 6):
            for m in range(1, 6):
                hit = next(rule["class"] for rule in spec["rules"]
                           if rule.get("otherwise") or eval(rule["when"], {}, {"r": r, "f": f, "m": m}))
                assert hit == expected[r][f - 1], (r, f, m)


# -- 19 rfm_cn ----------------------------------------------------------------------------

# Means: days (4·10 + 4·100 + 55) / 9 = 55; orders (4·3 + 4·1 + 2) / 9 = 2;
# revenue (4·9,000 + 4·900 + 4,950) / 9 = 44,550 / 9 = 4,950. R high: days ≤ 55; F high:
# orders > 2; M high: revenue > 4,950. K9 sits on every mean: R high, F low, M low.
# (Amounts split evenly into whole yuan: 3 × 3,000, 3 × 300, 2 × 2,475.)
RFM_CN_DATA = [
    ("K1", 10, 3, 9000),    # R高F高M高 important_value
    ("K2", 10, 1, 9000),    # R高F低M高 important_develop
    ("K3", 100, 3, 9000),   # R低F高M高 important_keep
    ("K4", 100, 1, 9000),   # R低F低M高 important_retain
    ("K5", 10, 3, 900),    # R高F高M低 general_value
    ("K6", 10, 1, 900),    # R高F低M低 general_develop
    ("K7", 100, 3, 900),   # R低F高M低 general_keep
    ("K8", 100, 1, 900),   # R低F低M低 general_retain
    ("K9", 55, 2, 4950),    # ties at the means → general_develop
]


def test_rfm_cn_eight_classes(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, customers=[{"customer_id": c} for c, *_ in RFM_CN_DATA],
            orders=rfm_rows(RFM_CN_DATA))
    got = classes(ws, "rfm_cn", as_of=AS_OF)
    assert {k: (v.klass, v.score) for k, v in got.items()} == {
        "K1": ("important_value", 222.0), "K2": ("important_develop", 212.0),
        "K3": ("important_keep", 122.0), "K4": ("important_retain", 112.0),
        "K5": ("general_value", 221.0), "K6": ("general_develop", 211.0),
        "K7": ("general_keep", 121.0), "K8": ("general_retain", 111.0), "K9": ("general_develop", 211.0)}
    assert got["K1"].reason_en == ("important value: R2 days since last order 10 days (≤ 55 days), "
                                   "F2 lifetime orders 3 (> 2), M2 lifetime revenue ¥9,000 (> ¥4,950)")
    assert got["K1"].reason_zh == ("重要价值客户：R2 距最近购买天数 10天 (≤ 55天)，F2 累计订单数 3 (> 2)，"
                                   "M2 累计销售额 ¥9,000 (> ¥4,950)")
    assert got["K4"].reason_zh == ("重要挽留客户：R1 距最近购买天数 100天 (> 55天)，F1 累计订单数 1 (≤ 2)，"
                                   "M2 累计销售额 ¥9,000 (> ¥4,950)")
    assert got["K7"].reason_en == ("general keep: R1 days since last order 100 days (> 55 days), "
                                   "F2 lifetime orders 3 (> 2), M1 lifetime revenue ¥900 (≤ ¥4,950)")
    assert got["K9"].reason_en == ("general develop: R2 days since last order 55 days (≤ 55 days), "
                                   "F1 lifetime orders 2 (≤ 2), M1 lifetime revenue ¥4,950 (≤ ¥4,950)")
    for cid, start in (("K2", "important develop: R2 "), ("K3", "important keep: R1 "),
                       ("K5", "general value: R2 "), ("K6", "general develop: R2 "),
                       ("K8", "general retain: R1 ")):
        assert got[cid].reason_en.startswith(start)


def test_rfm_cn_single_customer(ws: Workspace, tmp_path: Path) -> None:
    # one customer is its own mean: days 7 ≤ 7 → R high; 1 order > 1? no; 500 > 500? no
    company(ws, tmp_path, customers=[{"customer_id": "ONE"}], orders=rfm_rows([("ONE", 7, 1, 500)]))
    got = classes(ws, "rfm_cn", as_of=AS_OF)
    assert got["ONE"].klass == "general_develop"
    assert got["ONE"].reason_en == ("general develop: R2 days since last order 7 days (≤ 7 days), "
                                    "F1 lifetime orders 1 (≤ 1), M1 lifetime revenue ¥500 (≤ ¥500)")
    counts = sizes(ws, "rfm_cn")
    assert counts["important_value"] == 0 and counts["general_develop"] == 1
