"""Credit control (M12): held customers, the order check, and credit limit changes.

One hand-made company, every figure worked out by hand in the comments. The day of the
checks is 2026-06-30 unless a test says otherwise.

K001 over the limit: limit 100,000; orders 80,000 (06-01) and 40,000 (06-10), both due
     07-31: outstanding 120,000, over by 20,000, nothing overdue.
K002 overdue: limit 200,000, terms 30 days; order 50,000 on 04-01 (no due date: due 05-01)
     and 20,000 on 06-20 (due 07-20); paid 20,000 on 05-10. Oldest first, the payment goes
     to the April order: 30,000 of it is open, 60 days overdue (05-01 → 06-30); the June
     order is not due. Outstanding 50,000 (within the limit). Paid newest first, the
     overdue amount would be 50,000 instead.
K003 at the limit: limit 50,000; order 30,000 on 06-15, due 07-15: an order of 20,000
     lands exactly on the limit.
K004 no limit: order 1,000,000 on 06-01, due 08-01.
K005 cash only: limit 0; order 5,000 on 06-25, due 07-25, unpaid.
K006 cash only, paid: limit 0; order 5,000 on 06-01, paid 06-02.
K007 paid up: limit 10,000; order 8,000 on 01-10 (no terms: the 30-day default, due 02-09),
     paid 02-01; order 50,000 on 07-05, after the day of the check.
K008 a prospect: no limit, no orders.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import query, run_cli
from schemes_fixture import company, order
from tierwise.errors import ConfigError, DataError
from tierwise.playbook.credit import (
    POSITION_COLUMNS,
    credit_check,
    credit_holds,
    credit_position,
    set_credit_limit,
    yuan,
)
from tierwise.settings import Settings
from tierwise.workspace import Workspace

ON = date(2026, 6, 30)
DAY = ON.isoformat()


PAYMENTS = [
    {"customer_id": "K002", "payment_date": "2026-05-10", "amount": 20000},
    {"customer_id": "K006", "payment_date": "2026-06-02", "amount": 5000},
    {"customer_id": "K007", "payment_date": "2026-02-01", "amount": 8000},
]


def _build(ws: Workspace, tmp: Path, *, payments: bool = True) -> None:
    company(
        ws, tmp,
        customers=[
            {"customer_id": "K001", "name": "Over Ltd", "rep_id": "R1", "credit_limit": 100000},
            {"customer_id": "K002", "name": "Late Co", "rep_id": "R2", "credit_limit": 200000,
             "payment_terms_days": 30},
            {"customer_id": "K003", "name": "Edge", "rep_id": "R1", "credit_limit": 50000},
            {"customer_id": "K004", "name": "Open", "rep_id": "R2"},
            {"customer_id": "K005", "name": "现款五金", "rep_id": "R1", "credit_limit": 0},
            {"customer_id": "K006", "name": "Prepaid", "rep_id": "R1", "credit_limit": 0},
            {"customer_id": "K007", "name": "Paid Up", "rep_id": "R2", "credit_limit": 10000},
            {"customer_id": "K008", "name": "Prospect", "rep_id": "R2"},
        ],
        orders=[
            order("K001", "2026-06-01", 80000, due_date="2026-07-31"),
            order("K001", "2026-06-10", 40000, due_date="2026-07-31"),
            order("K002", "2026-04-01", 50000),
            order("K002", "2026-06-20", 20000, due_date="2026-07-20"),
            order("K003", "2026-06-15", 30000, due_date="2026-07-15"),
            order("K004", "2026-06-01", 1000000, due_date="2026-08-01"),
            order("K005", "2026-06-25", 5000, due_date="2026-07-25"),
            order("K006", "2026-06-01", 5000, due_date="2026-07-01"),
            order("K007", "2026-01-10", 8000),
            order("K007", "2026-07-05", 50000),
        ],
        payments=PAYMENTS if payments else [],
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A closed workspace file holding the company (the CLI opens it in another process)."""
    path = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True) as ws:
        _build(ws, tmp_path)
    return path


def _open(db: Path, **settings: Any) -> Workspace:
    return Workspace.open(Settings(db=db, **settings))


def _cli(db: Path, *args: object, env: dict[str, str] | None = None) -> Any:
    return run_cli("--db", db, "credit", *args, env=env)


# -- positions -------------------------------------------------------------------------
def test_position_figures(db: Path) -> None:
    with _open(db) as ws:
        table = credit_position(ws.db, on=ON)
    assert table.column_names == list(POSITION_COLUMNS)
    rows = {r["customer_id"]: r for r in table.to_pylist()}
    assert sorted(rows) == ["K001", "K002", "K003", "K004", "K005", "K006", "K007"]  # not the prospect
    fields = ("credit_limit", "outstanding", "overdue_amount", "max_days_overdue", "headroom",
              "over_limit", "overdue_beyond_grace", "on_hold")
    got = {cid: tuple(r[f] for f in fields) for cid, r in rows.items()}
    d = Decimal
    assert got == {
        "K001": (d(100000), d(120000), d(0), 0, d(-20000), True, False, True),
        "K002": (d(200000), d(50000), d(30000), 60, d(150000), False, True, True),
        "K003": (d(50000), d(30000), d(0), 0, d(20000), False, False, False),
        "K004": (None, d(1000000), d(0), 0, None, False, False, False),
        "K005": (d(0), d(5000), d(0), 0, d(-5000), True, False, True),
        "K006": (d(0), d(0), d(0), 0, d(0), False, False, False),
        "K007": (d(10000), d(0), d(0), 0, d(10000), False, False, False),
    }
    assert rows["K001"]["hold_reason_en"] == (
        "on hold: outstanding ¥120,000 is over the credit limit ¥100,000 by ¥20,000")
    assert rows["K001"]["hold_reason_zh"] == (
        "信用冻结：应收余额 ¥120,000 超过授信额度 ¥100,000（超出 ¥20,000）")
    assert rows["K002"]["hold_reason_en"] == "on hold: ¥30,000 overdue, up to 60 days (grace period 0 days)"
    assert rows["K002"]["hold_reason_zh"] == "信用冻结：逾期应收 ¥30,000，最长逾期 60天（宽限期 0天）"
    assert rows["K005"]["hold_reason_en"] == "on hold: cash only (credit limit ¥0), yet ¥5,000 is outstanding"
    assert rows["K003"]["hold_reason_en"] is None and rows["K003"]["hold_reason_zh"] is None


def test_position_agrees_with_the_metrics_table(db: Path) -> None:
    with _open(db) as ws:
        position = {r["customer_id"]: r for r in credit_position(ws.db, on=ON).to_pylist()}
        metrics = {r["customer_id"]: r for r in ws.metrics.run(as_of=ON).table.to_pylist()}
    for cid, p in position.items():
        m = metrics[cid]
        assert (p["outstanding"], p["overdue_amount"], p["max_days_overdue"]) == (
            m["outstanding"], m["overdue_amount"], m["max_days_overdue"]), cid


def test_only_the_named_customers_and_nothing_after_the_day(db: Path) -> None:
    with _open(db) as ws:
        one = credit_position(ws.db, on=ON, customers=["K002", "K007"]).to_pylist()
        later = credit_position(ws.db, on=date(2026, 7, 5), customers=["K007"]).to_pylist()
    assert [r["customer_id"] for r in one] == ["K002", "K007"]
    assert one[0]["overdue_amount"] == Decimal(30000)
    assert one[1]["outstanding"] == 0  # the July order is not seen on June 30
    assert later[0]["outstanding"] == Decimal(50000)  # on July 5 it is: over the 10,000 limit
    assert later[0]["on_hold"] and later[0]["over_limit"]


def test_engine_and_python_write_money_alike() -> None:
    assert [yuan(Decimal(v)) for v in ("120000", "1234.5", "-20", "0.01", "0")] == [
        "¥120,000", "¥1,234.50", "-¥20", "¥0.01", "¥0"]


# -- holds -----------------------------------------------------------------------------
def test_holds_biggest_first(db: Path) -> None:
    with _open(db) as ws:
        holds = credit_holds(ws.db, on=ON)
    # K002: 30,000 overdue; K001: 20,000 over; K005: 5,000 over.
    assert [h["customer_id"] for h in holds] == ["K002", "K001", "K005"]
    assert holds[1]["over_by"] == Decimal(20000)
    assert {"customer_id", "outstanding", "credit_limit", "overdue_amount", "max_days_overdue",
            "name", "rep_id", "hold_reason_en", "hold_reason_zh"} <= set(holds[0])


def test_holds_cli_json(db: Path) -> None:
    r = _cli(db, "holds", "--date", DAY, "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["on"], data["grace_days"], data["customers"]) == (DAY, 0, 3)
    k001 = next(h for h in data["holds"] if h["customer_id"] == "K001")
    assert {k: k001[k] for k in ("name", "rep_id", "credit_limit", "outstanding", "overdue_amount",
                                 "max_days_overdue", "over_by", "over_limit")} == {
        "name": "Over Ltd", "rep_id": "R1", "credit_limit": 100000, "outstanding": 120000,
        "overdue_amount": 0, "max_days_overdue": 0, "over_by": 20000, "over_limit": True}
    assert k001["hold_reason_en"].endswith("by ¥20,000")
    k002 = data["holds"][0]
    assert (k002["customer_id"], k002["overdue_amount"], k002["max_days_overdue"]) == ("K002", 30000, 60)


def test_holds_cli_table_and_export(db: Path, tmp_path: Path) -> None:
    r = _cli(db, "holds", "--date", DAY, "--out", tmp_path / "holds.csv")
    assert r.returncode == 0, r.stderr
    assert "3 customers on hold, ¥175,000 outstanding" in r.stdout  # 50,000 + 120,000 + 5,000
    assert "wrote 3 rows" in r.stdout
    text = (tmp_path / "holds.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith('"customer_id","name","rep_id","credit_limit","outstanding"')
    assert text.count("\n") == 4 and '"K005"' in text
    r = _cli(db, "holds", "--date", DAY, "--out", tmp_path / "holds.xlsx")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "holds.xlsx").stat().st_size > 0
    wrong = _cli(db, "holds", "--out", tmp_path / "holds.txt")
    assert wrong.returncode == 1 and "write .csv or .xlsx" in wrong.stderr


def test_grace_days_from_the_environment(db: Path) -> None:
    def held(grace: str) -> list[str]:
        r = _cli(db, "holds", "--date", DAY, "--json", env={"TIERWISE_CREDIT_GRACE_DAYS": grace})
        assert r.returncode == 0, r.stderr
        return [h["customer_id"] for h in json.loads(r.stdout)["holds"]]

    assert held("59") == ["K002", "K001", "K005"]  # 60 days overdue is beyond 59
    assert held("60") == ["K001", "K005"]  # but not beyond 60
    check = _cli(db, "check", "K002", "100", "--date", DAY, "--json",
                 env={"TIERWISE_CREDIT_GRACE_DAYS": "60"})
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["grace_days"] == 60


def test_grace_days_from_settings(db: Path) -> None:
    with _open(db, credit_grace_days=60) as ws:
        row = credit_position(ws.db, on=ON, customers=["K002"]).to_pylist()[0]
        check = credit_check(ws.db, "K002", 1000, on=ON)
    assert not row["on_hold"] and row["hold_reason_en"] is None
    assert check.allowed
    assert check.reasons_en[-1] == "¥30,000 overdue, up to 60 days (grace period 60 days), within grace"


# -- checks ----------------------------------------------------------------------------
def test_check_refuses_over_the_limit_with_the_numbers(db: Path) -> None:
    r = _cli(db, "check", "K001", "1", "--date", DAY, "--json")
    assert r.returncode == 2, r.stderr
    data = json.loads(r.stdout)
    assert {k: data[k] for k in ("customer_id", "amount", "allowed", "credit_limit", "outstanding",
                                 "outstanding_after", "headroom", "overdue_amount",
                                 "max_days_overdue", "grace_days")} == {
        "customer_id": "K001", "amount": 1, "allowed": False, "credit_limit": 100000,
        "outstanding": 120000, "outstanding_after": 120001, "headroom": -20000,
        "overdue_amount": 0, "max_days_overdue": 0, "grace_days": 0}
    assert data["reasons_en"][0] == ("outstanding ¥120,000 plus this order ¥1 is ¥120,001, over the "
                                     "credit limit ¥100,000 by ¥20,001")
    assert data["reasons_zh"][0] == ("应收余额 ¥120,000 加本单 ¥1 共 ¥120,001，超过授信额度 ¥100,000"
                                     "（超出 ¥20,001）")
    text = _cli(db, "check", "K001", "1", "--date", DAY)
    assert text.returncode == 2
    assert text.stdout.startswith("NO — K001 Over Ltd: an order of ¥1 is held")
    assert "by ¥20,001" in text.stdout


def test_check_refuses_an_overdue_customer_within_the_limit(db: Path) -> None:
    r = _cli(db, "check", "K002", "1000", "--date", DAY, "--json")
    assert r.returncode == 2
    data = json.loads(r.stdout)
    assert (data["allowed"], data["outstanding_after"], data["overdue_amount"], data["max_days_overdue"]) == (
        False, 51000, 30000, 60)
    assert data["reasons_en"][0] == "¥30,000 overdue, up to 60 days (grace period 0 days)"
    assert data["reasons_en"][1].endswith("within the credit limit ¥200,000 (¥149,000 to spare)")


def test_check_allows_up_to_exactly_the_limit(db: Path) -> None:
    exact = _cli(db, "check", "K003", "20000", "--date", DAY, "--json")
    assert exact.returncode == 0, exact.stderr
    data = json.loads(exact.stdout)
    assert (data["allowed"], data["outstanding_after"], data["headroom"]) == (True, 50000, 20000)
    with _open(db) as ws:
        assert not credit_check(ws.db, "K003", Decimal("20000.01"), on=ON).allowed
    shown = _cli(db, "check", "K003", "20,000", "--date", DAY)
    assert shown.returncode == 0 and shown.stdout.startswith("YES — K003 Edge may ship an order of ¥20,000")


def test_check_without_a_limit(db: Path) -> None:
    with _open(db) as ws:
        big = credit_check(ws.db, "K004", Decimal("5000000"), on=ON)
        prospect = credit_check(ws.db, "K008", 100, on=ON)
    assert big.allowed and big.credit_limit is None and big.headroom is None
    assert big.outstanding_after == Decimal(6000000)
    assert big.reasons_en[0] == "no credit limit: the balance is not capped"
    assert big.to_json()["headroom"] is None
    assert prospect.allowed and prospect.outstanding == 0 and prospect.credit_limit is None


def test_limit_zero_is_cash_only(db: Path) -> None:
    with _open(db) as ws:
        prepaid = credit_check(ws.db, "K006", Decimal("0.01"), on=ON)
        unpaid = credit_check(ws.db, "K005", 100, on=ON)
    assert not prepaid.allowed  # nothing owed, but any order on credit is over a limit of 0
    assert prepaid.reasons_en[0] == (
        "cash only (credit limit ¥0): this order ¥0.01 would leave ¥0.01 outstanding")
    assert not unpaid.allowed and unpaid.outstanding_after == Decimal(5100)


def test_check_mistakes(db: Path) -> None:
    r = _cli(db, "check", "K0001", "100", "--date", DAY)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: no customer 'K0001'; did you mean K001?")
    assert "Traceback" not in r.stderr
    with _open(db) as ws:
        with pytest.raises(DataError, match="no customer 'nobody'"):
            credit_check(ws.db, "nobody", 100, on=ON)
        for amount in (0, -5, "abc"):
            with pytest.raises(ConfigError):
                credit_check(ws.db, "K001", amount, on=ON)  # type: ignore[arg-type]
    assert _cli(db, "check", "K001", "0").returncode == 1


# -- limits ----------------------------------------------------------------------------
def test_limit_change_is_audited_and_changes_the_check(db: Path) -> None:
    assert _cli(db, "check", "K001", "10000", "--date", DAY).returncode == 2
    r = _cli(db, "limit", "K001", "150000", "--reason", "raised after the annual review", "--by", "alice")
    assert r.returncode == 0, r.stderr
    assert "¥100,000 → ¥150,000" in r.stdout
    rows = query(db, "SELECT actor, action, customer_id, old_value, new_value, reason FROM audit "
                     "WHERE action <> 'data.import'")  # (the fixture's imports are audited too)
    assert rows == [("alice", "credit.limit", "K001", "100000.00", "150000.00",
                     "raised after the annual review")]
    assert query(db, "SELECT credit_limit FROM customers WHERE customer_id = 'K001'") == [
        (Decimal("150000.00"),)]
    after = _cli(db, "check", "K001", "10000", "--date", DAY, "--json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["headroom"] == 30000
    with _open(db) as ws:
        assert not credit_check(ws.db, "K001", Decimal("30000.01"), on=ON).allowed
        assert [h["customer_id"] for h in credit_holds(ws.db, on=ON)] == ["K002", "K005"]

    removed = _cli(db, "limit", "K001", "none", "--reason", "guaranteed by the parent company",
                   env={"TIERWISE_USER": "bob"})
    assert removed.returncode == 0, removed.stderr
    assert query(db, "SELECT actor, old_value, new_value FROM audit WHERE action = 'credit.limit' "
                     "ORDER BY audit_id")[1] == (
        "bob", "150000.00", None)
    with _open(db) as ws:
        assert credit_check(ws.db, "K001", Decimal("9999999"), on=ON).allowed


def test_a_reimport_that_changes_limits_is_audited(db: Path, tmp_path: Path) -> None:
    """The ERP file brought back in: each existing customer whose limit it changes gets an audit
    row (who imported, which import), like a change by hand; the limit of a customer an orders
    import created (a placeholder) is its first data, not a change."""
    from tierwise.store.audit import verify

    assert _cli(db, "limit", "K001", "150000", "--reason", "annual review", "--by", "alice").returncode == 0
    orders = tmp_path / "more-orders.csv"
    orders.write_text("order_id,customer_id,order_date,amount\nO99,K099,2026-06-01,100\n", encoding="utf-8")
    assert run_cli("--db", db, "import", "orders", orders).returncode == 0
    erp = tmp_path / "erp-customers.csv"
    erp.write_text("客户编号,授信额度\nK001,100000\nK002,200000\nK003,60000\nK099,5000\n", encoding="utf-8")
    r = run_cli("--db", db, "import", "customers", erp, env={"TIERWISE_USER": "carol"})
    assert r.returncode == 0, r.stderr
    assert "credit limits changed on existing customers (audited)" in r.stdout
    rows = query(db, "SELECT actor, customer_id, old_value, new_value, reason FROM audit "
                     "WHERE action = 'credit.limit' ORDER BY audit_id")
    (import_id,) = query(db, "SELECT max(import_id) FROM imports")[0]
    why = f"import #{import_id} of erp-customers.csv / 导入 #{import_id}"
    assert rows == [("alice", "K001", "100000.00", "150000.00", "annual review"),
                    ("carol", "K001", "150000.00", "100000.00", why),
                    ("carol", "K003", "50000.00", "60000.00", why)]
    assert query(db, "SELECT credit_limit FROM customers WHERE customer_id IN ('K001', 'K099') "
                     "ORDER BY customer_id") == [(Decimal("100000.00"),), (Decimal("5000.00"),)]
    as_json = json.loads(run_cli("--db", db, "import", "customers", erp, "--json").stdout)
    assert as_json["credit_limits_changed"] == 0  # the same file again changes nothing
    with _open(db) as ws:
        assert verify(ws.db).ok


def test_limit_needs_a_reason(db: Path) -> None:
    r = _cli(db, "limit", "K001", "150000")
    assert r.returncode == 1
    assert "needs a reason" in r.stderr
    assert query(db, "SELECT count(*) FROM audit WHERE action = 'credit.limit'") == [(0,)]
    assert query(db, "SELECT credit_limit FROM customers WHERE customer_id = 'K001'") == [
        (Decimal("100000.00"),)]


def test_limit_mistakes_change_nothing(db: Path) -> None:
    with _open(db) as ws:
        for limit, error in ((Decimal(-1), ConfigError), ("12.345", ConfigError), ("lots", ConfigError)):
            with pytest.raises(error):
                set_credit_limit(ws.db, "K001", limit, by="alice", reason="x")
        with pytest.raises(ConfigError, match="needs a reason"):
            set_credit_limit(ws.db, "K001", Decimal(5), by="alice", reason="  ")
        with pytest.raises(DataError, match="no customer 'K0001'; did you mean K001"):
            set_credit_limit(ws.db, "K0001", Decimal(5), by="alice", reason="typo")
        assert ws.db.con.execute("SELECT count(*) FROM audit WHERE action = 'credit.limit'").fetchone() == (
            0,)
        old, new = set_credit_limit(ws.db, "K005", "¥5,000", by="carol", reason="small credit line")
        assert (old, new) == (Decimal("0.00"), Decimal("5000.00"))  # its 5,000 balance is now at the limit
        assert not credit_position(ws.db, on=ON, customers=["K005"]).to_pylist()[0]["on_hold"]
        assert ws.db.con.execute("SELECT count(*) FROM audit WHERE action = 'credit.limit'").fetchone() == (
            1,)


# -- no payments imported: unknown, not bad ---------------------------------------------
def test_without_payments_credit_is_unknown_not_bad(tmp_path: Path) -> None:
    """Orders only (an export without the receivables): every order would look unpaid and
    K002's April order 60 days late. Nobody is held or chased for it, the check says why,
    the credit schemes are not run (and say what they lack), the workbook says so too; once
    the payments are imported the same holds as above come back."""
    import openpyxl

    from schemes_fixture import _write
    from tierwise.metrics.frame import CREDIT_UNKNOWN
    from tierwise.playbook.credit import NO_PAYMENTS
    from tierwise.playbook.tasks import TaskOptions, generate_tasks

    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        _build(ws, tmp_path, payments=False)
        holds = ws.credit.holds(on=ON)
        assert (holds.table.num_rows, holds.payments_recorded) == (0, False)
        assert holds.to_json()["note_zh"] == NO_PAYMENTS[1]
        late = ws.credit.check("K002", 1000, on=ON)
        assert late.allowed and (late.outstanding, late.overdue_amount, late.headroom) == (None, None, None)
        assert late.reasons_en == (NO_PAYMENTS[0],) and not late.to_json()["payments_recorded"]
        tasks = generate_tasks(ws.db, TaskOptions(on=ON), kinds={"credit_hold", "collect"})
        assert tasks.num_rows == 0
        run = ws.metrics.run(as_of=ON)  # the metrics leave what is owed empty and say why
        k002 = next(r for r in run.table.to_pylist() if r["customer_id"] == "K002")
        assert [k002[n] for n in CREDIT_UNKNOWN] == [None] * len(CREDIT_UNKNOWN) and k002["revenue"] > 0
        assert any(n["en"].startswith("no payments imported") for n in run.summary()["notes"])
        result = ws.snapshots.classify(as_of=ON)
        assert {n: result.skipped.get(n) for n in ("credit_rating", "sales_credit")} == {
            "credit_rating": "needs payments.amount", "sales_credit": "needs payments.amount"}
        assert "abc" in result.schemes
        figures = ws.reports.overview(on=ON)["figures"]  # what is owed is unknown, not every order
        assert (figures["outstanding"], figures["overdue"]) == (None, None) and figures["revenue"] > 0
        ws.reports.build("xlsx", tmp_path / "r.xlsx", lang="zh")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    summary = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    not_run = {r[0]: r[2] for r in summary if r[2] and str(r[2]).startswith("未评估")}
    assert {k: not_run[k] for k in ("客户资信等级", "销量×信用矩阵")} == {  # schemes by their titles
        "客户资信等级": "未评估：缺少 payments.amount", "销量×信用矩阵": "未评估：缺少 payments.amount"}
    assert "ABC 客户分类" not in not_run and "客户性格类型" in not_run  # the others that lack their data
    holds_sheet = [r for r in book["信用冻结"].iter_rows(values_only=True)]
    assert holds_sheet[1] == (NO_PAYMENTS[1],)
    r = _cli(db, "check", "K002", "1000", "--date", DAY)
    assert r.returncode == 0 and "YES" in r.stdout and "unknown" in r.stdout, r.stdout
    shown = run_cli("--db", db, "overview", "--date", DAY)
    assert "receivables" in shown.stdout and "unknown (no payments imported)" in shown.stdout, shown.stdout
    with Workspace.open(Settings(db=db)) as ws:
        _write(ws, tmp_path, "payments", [dict(p, payment_id=f"P{i}") for i, p in enumerate(PAYMENTS)])
        assert [h["customer_id"] for h in ws.credit.holds(on=ON).rows()] == ["K002", "K001", "K005"]
        k002 = next(r for r in ws.metrics.run(as_of=ON).table.to_pylist() if r["customer_id"] == "K002")
        assert k002["outstanding"] > 0 and k002["invoices_due"] > 0


# -- the class's credit action ------------------------------------------------------------
POLICY = """name: credit_policy
title: {zh: 信用政策, en: Credit policy}
kind: thresholds
population: customers
window: 12m
rules:
  - {class: cash, when: "revenue == 30000"}
  - {class: capped, when: "revenue >= 1000000"}
  - {class: normal, otherwise: true}
classes:
  - id: cash
    label: {zh: 现款客户, en: cash customer}
    playbook: {credit_action: cash_only}
  - id: capped
    label: {zh: 限额客户, en: capped customer}
    playbook: {credit_action: hold_over_limit}
  - id: normal
    label: {zh: 普通客户, en: normal customer}
    playbook: {credit_action: watch}
"""


def test_the_class_credit_action_holds_refuses_and_asks_for_a_limit(db: Path, tmp_path: Path) -> None:
    """K003 is within its limit (30,000 of 50,000) but its class says cash before shipping
    (款到发货): held for the 30,000 it owes and every order on credit refused. K004 buys a
    million without a limit while its class says to stop shipping beyond one: its orders
    still ship, the check says a limit is missing and a manager gets a set_limit task, which
    goes once a limit is set. The others' classes (watch) change nothing."""
    from schemes_fixture import classes
    from tierwise.playbook.task_store import sync_tasks
    from tierwise.playbook.tasks import TaskOptions, generate_tasks

    with _open(db) as ws:
        got = classes(ws, POLICY, as_of=ON, tmp=tmp_path)
        assert {c: got[c].klass for c in ("K003", "K004", "K001")} == {
            "K003": "cash", "K004": "capped", "K001": "normal"}
        holds = {h["customer_id"]: h for h in credit_holds(ws.db, on=ON)}
        assert list(holds) == ["K002", "K003", "K001", "K005"]  # K003's 30,000 ties K002's, by id
        assert holds["K003"]["hold_reason_en"] == (
            "on hold: cash customer (Credit policy): cash before shipping, yet ¥30,000 is outstanding")
        assert holds["K003"]["hold_reason_zh"] == (
            "信用冻结：现款客户（信用政策）：款到发货，但仍有应收余额 ¥30,000")
        k003 = (holds["K003"]["credit_action"], holds["K003"]["action_from"])
        assert k003 == ("cash_only", "credit_policy:cash")
        assert holds["K001"]["credit_action"] is None  # watch: nothing to act on
        cash = credit_check(ws.db, "K003", 100, on=ON)
        assert not cash.allowed
        assert cash.reasons_en[0] == (
            "cash customer (Credit policy): cash before shipping; this order ¥100 must be paid first")
        capped = credit_check(ws.db, "K004", 100, on=ON)
        assert capped.allowed
        missing = "calls for shipping only within a credit limit, but none is set"
        assert any(missing in r for r in capped.reasons_en)
        options = TaskOptions(on=ON)
        tasks = generate_tasks(ws.db, options)
        limit = [r for r in tasks.to_pylist() if r["kind"] == "set_limit"]
        assert [(r["customer_id"], r["reason_en"]) for r in limit] == [
            ("K004", "capped customer (Credit policy): ship only within a credit limit, and none is set; "
                     "set one")]
        holds_kept = [r["customer_id"] for r in tasks.to_pylist() if r["kind"] == "credit_hold"]
        assert sorted(holds_kept) == ["K001", "K002", "K003", "K005"]
        sync_tasks(ws.db, tasks, options)
        ws.credit.set_limit("K004", "2000000", reason="annual review")
        (status,) = ws.db.con.execute("SELECT status FROM tasks WHERE task_id = 'set_limit:K004'").fetchone()
        assert status == "lapsed"
