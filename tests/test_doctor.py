"""tierwise doctor: ids stored before imports wrote them alike (17850.0 from a CSV export of a
float column beside 17850 from xlsx) are found, and mended in one audited transaction: one
customer, the order lines inserted twice dropped (the last import kept), revenue as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import do_import, run_cli, write_csv
from tierwise.access.users import User
from tierwise.errors import ForbiddenError
from tierwise.settings import Settings
from tierwise.workspace import Workspace


@pytest.fixture
def doubled(tmp_path: Path) -> Path:
    """Customers 17850 and 12583 with their orders; then what an import of a float column wrote
    before ids were normalised: 17850.0 (with a region 17850 lacks) and its two order lines again
    under 536365.0 / 536366.0, and 99999.0 alone."""
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        do_import(ws, "customers", write_csv(tmp_path / "c.csv", [
            ["customer_id", "name", "region"], ["17850", "Shop", ""], ["12583", "Other", "North"]]))
        do_import(ws, "orders", write_csv(tmp_path / "o.csv", [
            ["customer_id", "order_id", "line_no", "order_date", "amount"],
            ["17850", "536365", 1, "2010-12-01", 15.3], ["17850", "536366", 1, "2010-12-02", 10],
            ["12583", "536370", 1, "2010-12-01", 5]]))
        do_import(ws, "activities", write_csv(tmp_path / "a.csv", [
            ["activity_id", "customer_id", "activity_date", "kind"], ["A1", "17850", "2010-12-03", "call"]]))
        con = ws.db.con
        con.execute("INSERT INTO customers (customer_id, name, region, import_id, customer_key) SELECT "
                    "*, md5_number_lower(id) FROM (VALUES ('17850.0', 'Shop', 'East', 99), "
                    "('99999.0', 'Solo', NULL, 99)) v(id, name, region, import_id)")
        con.execute("""INSERT INTO orders BY NAME SELECT * REPLACE ('17850.0' AS customer_id,
                       order_id || '.0' AS order_id, 99 AS import_id,
                       md5_number_lower('17850.0') AS customer_key)
                       FROM orders WHERE customer_id = '17850'""")
        con.execute("""INSERT INTO activities BY NAME SELECT * REPLACE ('17850.0' AS customer_id,
                       'A2' AS activity_id, md5_number_lower('17850.0') AS customer_key) FROM activities""")
    return db


def test_doctor_finds_then_mends_and_audits(doubled: Path) -> None:
    with Workspace.open(Settings(db=doubled)) as ws:
        con = ws.db.con
        revenue = "SELECT customer_id, sum(amount)::DOUBLE FROM orders GROUP BY 1"
        assert dict(con.execute(revenue).fetchall()) == {"17850": 25.3, "17850.0": 25.3, "12583": 5}  # twice
        found = ws.system.doctor()
        assert found["ids"] == {"customers.customer_id": 2, "orders.order_id": 2, "orders.customer_id": 2,
                                "activities.customer_id": 1}
        assert found["duplicates"] == {"customers": 1, "orders": 2}
        assert found["examples"]["customers.customer_id"] == [["17850.0", "17850"], ["99999.0", "99999"]]
        assert not found["mended"] and con.execute("SELECT count(*) FROM customers").fetchone() == (4,)
        with pytest.raises(ForbiddenError):
            ws.acting_as(User("mx", "manager", department="East")).system.doctor(fix=True)
        done = ws.acting_as(User("boss", "admin")).system.doctor(fix=True)
        assert done["mended"] and (done["customers_merged"], done["customers_renamed"]) == (1, 1)
        # rows in = rows kept + duplicates dropped
        assert done["kept"]["orders"] == 3 == con.execute("SELECT count(*) FROM orders").fetchone()[0]
        assert done["rows"]["orders"] == done["kept"]["orders"] + done["duplicates"]["orders"]
        assert dict(con.execute(revenue).fetchall()) == {"17850": 25.3, "12583": 5}
        assert con.execute("SELECT customer_id, name, region FROM customers ORDER BY 1").fetchall() == [
            ("12583", "Other", "North"), ("17850", "Shop", "East"), ("99999", "Solo", None)]
        # the last import's lines stay, found by the rewritten customer's key
        kept = con.execute("SELECT DISTINCT import_id FROM orders WHERE customer_id = '17850'").fetchall()
        assert kept == [(99,)]
        assert con.execute("SELECT count(*) FROM orders WHERE customer_key <> md5_number_lower(customer_id)"
                           ).fetchone() == (0,)
        # the renamed customer found by its new key (a follow-up, the customer page)
        assert con.execute("SELECT count(*) FROM customers WHERE customer_key IS DISTINCT FROM "
                           "md5_number_lower(customer_id)").fetchone() == (0,)
        assert ws.acting_as(User("boss", "admin")).customers.get("99999")["customer"]["name"] == "Solo"
        follow_ups = con.execute("SELECT activity_id FROM activities WHERE customer_id = '17850'").fetchall()
        assert sorted(r[0] for r in follow_ups) == ["A1", "A2"]  # two follow-ups, both kept
        trail = con.execute("SELECT actor, action, customer_id, old_value, new_value, reason FROM audit "
                            "WHERE action = 'customer.merge' ORDER BY audit_id").fetchall()
        assert [t[:5] for t in trail] == [("boss", "customer.merge", "17850", "17850.0", "17850"),
                                          ("boss", "customer.merge", "99999", "99999.0", "99999")]
        assert trail[0][5].startswith("merged into the existing customer") and "orders 2" in trail[0][5]
        assert ws.system.doctor()["clean"]
        ws.audit.verify()  # the chain holds


def test_doctor_cli(doubled: Path) -> None:
    shown = run_cli("--db", doubled, "--lang", "zh", "doctor")
    assert shown.returncode == 0, shown.stderr
    assert "customers.customer_id：2 个编号需规范（如 17850.0 → 17850" in shown.stdout
    assert "未做修改" in shown.stdout
    fixed = run_cli("--db", doubled, "doctor", "--fix", "--json")
    assert fixed.returncode == 0, fixed.stderr
    assert json.loads(fixed.stdout)["customers_merged"] == 1
    again = run_cli("--db", doubled, "doctor")
    assert "nothing to mend" in again.stdout
