"""A workspace's currency: every amount a person reads is in it (reasons stored with the
snapshot, credit reasons and checks, the CLI, the web pages); nothing is converted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli
from schemes_fixture import company, order
from tierwise.errors import ConfigError
from tierwise.schemes import fmt
from tierwise.schemes.store import classes_from
from tierwise.settings import Settings, currency
from tierwise.workspace import Workspace

AS_OF = date(2025, 6, 30)


@pytest.fixture
def gbp(tmp_path: Path) -> Iterator[Path]:
    """A shop keeping its books in pounds: five buyers, one owing an overdue invoice."""
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db, currency="GBP"), create=True) as ws:
        shops = [{"customer_id": c, "name": f"Shop {c}", "payment_terms_days": 30, "credit_limit": 100}
                 for c in "ABCDE"]
        amounts = zip("ABCDE", (9000, 3000, 800, 120, 60), strict=True)
        company(ws, tmp_path, customers=shops, orders=[order(c, "2025-05-01", a) for c, a in amounts],
                payments=[{"customer_id": c, "payment_date": "2025-05-20", "amount": a}
                          for c, a in zip("ABCD", (9000, 3000, 800, 120), strict=True)])
        ws.snapshots.classify(["abc", "credit_rating"], as_of=AS_OF)
    yield db
    Workspace.open(Settings(db=tmp_path / "cny.duckdb"), create=True).close()  # back to the default
    assert currency() == "CNY"


def test_reasons_credit_and_figures_are_in_the_workspace_currency(gbp: Path) -> None:
    with Workspace.open(Settings(db=gbp)) as ws:  # kept in the workspace since it was created
        con = ws.db.con
        sid = con.execute("SELECT max(snapshot_id) FROM snapshots").fetchone()[0]
        source = classes_from(ws.db, [sid], "abc")
        reasons = dict(con.execute(f"SELECT c.customer_id, c.reason_en FROM {source} "
                                   "WHERE c.snapshot_id = ? AND c.scheme = 'abc'", [sid]).fetchall())
        assert "£9,000" in reasons["A"] and "¥" not in "".join(reasons.values()), reasons
        page = ws.customers.get("A", lang="zh")["classes"]
        assert all("¥" not in (c["reason"] or "") for c in page) and any("£" in c["reason"] for c in page)
        check = ws.credit.check("E", "50")
        said = " ".join(check.reasons_en + check.reasons_zh)
        assert not check.allowed and "£" in said and "¥" not in said, said
        assert fmt.money(-138) == "-£138" and fmt.money(1234.5, 2) == "£1,234.50"
    done = run_cli("--db", gbp, "overview")
    assert done.returncode == 0, done.stderr
    assert "£12,980" in done.stdout and "¥" not in done.stdout


def test_the_currency_is_kept_in_the_workspace_and_its_change_audited(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    done = run_cli("--db", db, "init", "--currency", "usd")
    assert done.returncode == 0, done.stderr
    with Workspace.open(Settings(db=db)) as ws:  # no setting given: the workspace's own
        assert ws.db.currency == "USD" and currency() == "USD" and fmt.money(5) == "$5"
        trail = ws.db.con.execute("SELECT action, old_value, new_value FROM audit").fetchall()
        assert trail == [("workspace.currency", None, "USD")]
    bad = run_cli("--db", db, "init", "--currency", "rmbx")
    assert bad.returncode != 0 and "currency 'rmbx': give an ISO code" in bad.stderr
    Workspace.open(Settings(db=tmp_path / "cny.duckdb"), create=True).close()
    assert currency() == "CNY"


def test_an_unknown_currency_is_refused_with_the_codes() -> None:
    with pytest.raises((ConfigError, ValueError), match="currency 'RMBX': give an ISO code, one of CNY, USD"):
        Settings(db="x.duckdb", currency="RMBX")
    assert Settings(db="x.duckdb", currency="gbp").currency == "GBP"
