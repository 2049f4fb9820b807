"""Users, passwords and tokens: the rules people meet at `tierwise users` and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import do_import, query, run_cli, write_csv
from tierwise.access import users as u
from tierwise.access.scope import Scope
from tierwise.errors import ConfigError, DataError
from tierwise.store import audit
from tierwise.workspace import Workspace

PW = "correct-horse-battery"


@pytest.fixture
def company(ws: Workspace, tmp_path: Path) -> Workspace:
    do_import(
        ws,
        "reps",
        write_csv(
            tmp_path / "reps.csv",
            [["rep_id", "name", "department"], ["R1", "Li", "East"], ["R2", "Wang", "South"]],
        ),
    )
    do_import(
        ws,
        "customers",
        write_csv(
            tmp_path / "customers.csv",
            [
                ["customer_id", "name", "rep_id", "department"],
                ["C1", "a", "R1", ""],
                ["C2", "b", "R2", "South"],
                ["C3", "c", "", "East"],
                ["C4", "d", "R2", "East"],
            ],
        ),
    )
    return ws


def test_roles_need_their_scope_and_the_data_must_know_it(company: Workspace) -> None:
    with pytest.raises(ConfigError, match="--department"):
        u.add_user(company.db, "mgr", "manager", password=PW, by="t")
    with pytest.raises(ConfigError, match="departments: East, South"):
        u.add_user(company.db, "mgr", "manager", password=PW, by="t", department="Eats")
    with pytest.raises(ConfigError, match="'R9' is not in the reps"):
        u.add_user(company.db, "rep1", "rep", password=PW, by="t", rep_id="R9")
    with pytest.raises(ConfigError, match="--rep-id is for reps"):
        u.add_user(company.db, "vw1", "viewer", password=PW, by="t", rep_id="R1")
    with pytest.raises(ConfigError, match="one of admin, manager, rep, viewer"):
        u.add_user(company.db, "xx", "boss", password=PW, by="t")
    with pytest.raises(ConfigError, match="user name"):
        u.add_user(company.db, "two words", "admin", password=PW, by="t")
    assert query(company.db.path, "SELECT count(*) FROM users") == [(0,)]


def test_passwords_are_checked_and_stored_as_argon2id(company: Workspace) -> None:
    weak = {"short": "at least 10", "aaaaaaaaaaaa": "repeat", "1234567890": "most common",
            "0987654321": "most common", "Password2026!": "most common", "woaini1314520": "most common",
            "asdfghjkl;'": "keyboard", "abcabcabcabc": "repeat", "1212121212": "repeat",
            "lixiaoming-2026": "user name"}
    for password, why in weak.items():
        with pytest.raises(ConfigError, match=why):
            u.add_user(company.db, "lixiaoming", "rep", password=password, by="t", rep_id="R1")
    with pytest.raises(ConfigError, match="user name"):
        u.add_user(company.db, "lixiaoming", "rep", password="LiXiaoMing", by="t", rep_id="R1")
    for name in ("admin\n", "admin\n\n", " admin", "a", "名"):  # a name is the whole text, 2 to 64 characters
        with pytest.raises(ConfigError, match="user name"):
            u.add_user(company.db, name, "admin", password=PW, by="t")
    # full-width letters are the ASCII ones: the name is stored and signed in with as NFKC
    wide = u.add_user(company.db, "ｗａｎｇ", "rep", password=PW, by="t", rep_id="R2")
    assert wide.name == "wang" and u.authenticate(company.db, "ＷＡＮＧ".lower(), PW) == wide
    user = u.add_user(company.db, "li", "rep", password=PW, by="t", rep_id="R1")
    assert user.scope == Scope(rep_id="R1")
    (stored,) = query(company.db.path, "SELECT password_hash FROM users WHERE name = 'li'")[0]
    assert stored.startswith("$argon2id$") and PW not in stored
    assert u.authenticate(company.db, "li", PW) == user
    assert u.authenticate(company.db, "li", PW + "x") is None
    assert u.authenticate(company.db, "nobody", PW) is None
    with pytest.raises(ConfigError, match="exists"):
        u.add_user(company.db, "li", "rep", password=PW, by="t", rep_id="R1")


def test_scopes_follow_the_department_of_the_customer_or_its_rep(company: Workspace) -> None:
    customers, reps = company.db.table("customers"), company.db.table("reps")

    def ids(scope: Scope) -> set[str]:
        return set(scope.ids(customers, reps).customer_id.to_pyarrow().to_pylist())

    assert ids(Scope()) == {"C1", "C2", "C3", "C4"}
    assert ids(Scope(rep_id="R2")) == {"C2", "C4"}
    assert ids(Scope(department="East")) == {"C1", "C3", "C4"}  # C1 by its rep, C3 and C4 by their own
    assert ids(Scope(department="South")) == {"C2", "C4"}  # C4: a South rep's customer
    for role, extra, scope in (
        ("admin", {}, Scope()),
        ("viewer", {}, Scope()),
        ("manager", {"department": "East"}, Scope(department="East")),
    ):
        assert u.add_user(company.db, f"u_{role}", role, password=PW, by="t", **extra).scope == scope


def test_a_scope_without_its_rep_or_department_sees_nothing(company: Workspace) -> None:
    """A rep row without a rep id (or a manager's without a department), e.g. edited by hand,
    must not fall back to the everything scope of an admin."""
    customers, reps = company.db.table("customers"), company.db.table("reps")
    for user in (u.User("x", "rep"), u.User("y", "manager"), u.User("z", "rep", rep_id="")):
        assert not user.scope.everything
        assert user.scope.ids(customers, reps).count().execute() == 0
    assert u.User("boss", "admin").scope.everything


def test_tokens_work_until_revoked_or_the_user_is_disabled(company: Workspace) -> None:
    u.add_user(company.db, "boss", "admin", password=PW, by="t")
    u.add_user(company.db, "li", "rep", password=PW, by="boss", rep_id="R1")
    token_id, secret = u.create_token(company.db, "li", by="boss")
    assert secret.startswith("tw_") and len(secret) > 40
    assert query(company.db.path, "SELECT count(*) FROM api_tokens WHERE token_hash = ?", [secret]) == [(0,)]
    assert u.user_for_token(company.db, secret).name == "li"  # type: ignore[union-attr]
    assert u.user_for_token(company.db, secret[:-1]) is None
    assert u.list_tokens(company.db, "li")[0]["last_used_at"] is not None
    u.revoke_token(company.db, token_id, by="boss")
    assert u.user_for_token(company.db, secret) is None
    with pytest.raises(ConfigError, match="revoked"):
        u.revoke_token(company.db, token_id, by="boss")
    with pytest.raises(DataError, match="no token 99"):
        u.revoke_token(company.db, 99, by="boss")
    _, second = u.create_token(company.db, "li", by="boss")
    sid, _csrf = u.start_session(company.db, "li")
    assert u.session_user(company.db, sid) is not None
    u.change_user(company.db, "li", by="boss", disabled=True)
    assert u.user_for_token(company.db, second) is None and u.session_user(company.db, sid) is None
    assert u.authenticate(company.db, "li", PW) is None


def test_the_last_admin_stays_and_every_change_is_audited(company: Workspace) -> None:
    u.add_user(company.db, "boss", "admin", password=PW, by="setup")
    with pytest.raises(ConfigError, match="last admin"):
        u.change_user(company.db, "boss", by="boss", role="viewer")
    with pytest.raises(ConfigError, match="last admin"):
        u.change_user(company.db, "boss", by="boss", disabled=True)
    u.add_user(company.db, "li", "rep", password=PW, by="boss", rep_id="R1")
    changed = u.change_user(company.db, "li", by="boss", role="manager", department="East")
    assert (changed.role, changed.department, changed.rep_id) == ("manager", "East", None)
    u.change_user(company.db, "li", by="boss", password="another-good-one")
    token_id, _ = u.create_token(company.db, "li", by="boss")
    u.revoke_token(company.db, token_id, by="boss")
    rows = [r for r in audit.read(company.db) if r["action"] != "data.import"]  # (the company's imports)
    assert [r["action"] for r in rows] == [
        "user.add",
        "user.add",
        "user.change",
        "user.change",
        "token.create",
        "token.revoke",
    ]
    assert "role: rep → manager" in rows[2]["new_value"] and rows[3]["new_value"] == "password changed"
    assert audit.verify(company.db).ok


def test_cli_first_admin_token_on_stdout_and_no_password_in_arguments(company: Workspace) -> None:
    db = company.db.path
    company.close()
    done = run_cli("--db", db, "users", "add", "boss", "--role", "admin", stdin="")
    assert done.returncode == 1 and "--password-stdin" in done.stderr  # no terminal, no silent default
    done = run_cli("--db", db, "users", "add", "boss", "--role", "admin", "--password-stdin", stdin=PW + "\n")
    assert done.returncode == 0, done.stderr
    assert "added boss (admin; all customers)" in done.stdout
    done = run_cli("--db", db, "users", "token", "boss")
    assert done.returncode == 0 and done.stdout.startswith("tw_") and done.stdout.count("\n") == 1
    assert "revoke" in done.stderr
    done = run_cli(
        "--db",
        db,
        "--lang",
        "zh",
        "users",
        "add",
        "li",
        "--role",
        "rep",
        "--rep-id",
        "R9",
        "--password-stdin",
        stdin=PW + "\n",
    )
    assert done.returncode == 1 and "数据中没有业务员" in done.stderr
    done = run_cli("--db", db, "users", "add", "wang", "--role", "rep", "--rep-id", "R1", "--lang", "zh",
                   "--password-stdin", stdin=PW + "\n")  # an English admin adds a Chinese rep
    assert done.returncode == 0, done.stderr
    assert run_cli("--db", db, "users", "add", "zhao", "--role", "viewer", "--lang", "fr",
                   "--password-stdin", stdin=PW + "\n").returncode == 1
    listed = run_cli("--db", db, "users", "list", "--json")
    assert '"role": "admin"' in listed.stdout and "password" not in listed.stdout
    langs = {u["name"]: u["lang"] for u in json.loads(listed.stdout)}
    assert langs == {"boss": None, "wang": "zh"}  # boss: the browser's, at sign-in
    assert "--password " not in run_cli("--db", db, "users", "add", "--help").stdout


def test_the_customer_list_compiled_once_per_filter_follows_new_snapshots(tmp_path: Path) -> None:
    """The list's SQL is compiled once per filter and reused for every page; a new
    classification (a new current snapshot) or another scope never reuses it."""
    from datetime import date

    from schemes_fixture import company as make_company
    from tierwise.services.list_sql import LIST_SQL
    from tierwise.settings import Settings

    ws = Workspace.open(Settings(db=tmp_path / "w.duckdb"), create=True)
    make_company(ws, tmp_path,
                 customers=[{"customer_id": f"K{i:02d}", "name": f"n{i:02d}",
                             "rep_id": "R1" if i % 2 else "R2"} for i in range(12)],
                 orders=[{"customer_id": f"K{i:02d}", "order_date": "2026-01-05", "amount": 100 * (i + 1)}
                         for i in range(12)]
                 + [{"customer_id": "K00", "order_date": "2026-03-01", "amount": 5000}])
    ws.snapshots.classify(["abc"], as_of=date(2026, 1, 31))
    admin = ws.acting_as(u.User("boss", "admin")).customers
    rep = ws.acting_as(u.User("li", "rep", rep_id="R1")).customers
    pages = [admin.list(sort="-revenue", page=p, page_size=5) for p in (1, 2, 3)]
    assert [i["customer_id"] for p in pages for i in p["items"]] == [f"K{i:02d}" for i in range(11, -1, -1)]
    assert {p["total"] for p in pages} == {12}
    assert pages[0]["items"][0]["classes"] == {"abc": "A"}
    hit = admin.list(sort="-revenue", page=2, page_size=5)
    assert hit == pages[1]  # served from the compiled SQL
    assert [i["customer_id"] for i in rep.list(sort="-revenue")["items"]] == [
        "K11", "K09", "K07", "K05", "K03", "K01"]  # the rep's scope, not the admin's cached list
    # March: K00's 5,000 makes it the top customer of the new snapshot
    ws.snapshots.classify(["abc"], as_of=date(2026, 3, 31))
    top = admin.list(sort="-revenue", page=1, page_size=1)["items"][0]
    assert (top["customer_id"], top["revenue"], top["classes"]) == ("K00", 5100.0, {"abc": "A"})
    LIST_SQL.clear()  # a cold cache gives the same pages
    assert admin.list(sort="-revenue", page=1, page_size=1)["items"][0] == top
    ws.close()
