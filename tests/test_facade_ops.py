"""The facade's operations behind `credit`, `tasks`, `activity add`, `metrics`, `clv fit`,
`status`, `settings`, `tables` and `users`: each one's answer and its role and scope
refusals, in process; then the same operations over a real server's API; then `--by`.

One small company, two departments with a rep and a manager each, built once and copied
for every test (the day of the checks is 2026-06-30):

- East: rep R1 (manager M1), customers E01-E12; South: rep R2 (manager M2), S01-S12.
  Each has orders of its own (seeded random, heterogeneous enough for the CLV models to
  fit), each paid ten days later.
- E01 (limit 1,000) ordered 5,000 on 06-20, due 07-20, unpaid: over the limit by 4,000.
- S01 (limit 2,000) ordered 3,000 on 06-20, unpaid: over by 1,000.
- S02 has one order, 800 on 04-01, due 05-01, unpaid: 60 days overdue.
- N01 has neither rep nor department: its tasks belong to nobody, and only admins see it.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest

from conftest import query, run_cli
from schemes_fixture import company
from server_fixture import running_server
from tierwise.access.users import User
from tierwise.errors import ConfigError, DataError, ForbiddenError, NotFoundError
from tierwise.settings import Settings
from tierwise.store.schema import TABLES
from tierwise.workspace import Workspace

WAIT = {"wait": 60}  # long operations run as jobs: wait for them, as a script would

ON = date(2026, 6, 30)
PW = "correct-horse-battery"
CARE = """name: care
title: {zh: 关怀, en: Care}
kind: thresholds
population: customers
rules:
  - {class: b, when: lifetime_revenue > 0}
  - {class: x, otherwise: true}
classes:
  - id: b
    label: {zh: 蝴蝶, en: butterfly}
    playbook: {visit_every_days: 30, priority: 2}
  - id: x
    label: {zh: 其他, en: other}
"""
BOSS = User("boss", "admin")
MX = User("mx", "manager", department="East")
MY = User("my", "manager", department="South")
LI = User("li", "rep", rep_id="R1")
WANG = User("wang", "rep", rep_id="R2")
VW = User("vw", "viewer")
EAST = {f"E{i:02d}" for i in range(1, 13)}
SOUTH = {f"S{i:02d}" for i in range(1, 13)}


def _rows() -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(2)
    limits = {"E01": 1000, "S01": 2000, "E02": 10000}
    customers = [{"customer_id": cid, "name": f"n{cid}", "rep_id": "R1" if cid[0] == "E" else "R2",
                  "department": "East" if cid[0] == "E" else "South", "credit_limit": limits.get(cid)}
                 for cid in sorted(EAST | SOUTH)]
    customers.append({"customer_id": "N01", "name": "nobody's"})
    orders: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    for c in customers:  # BG/NBD-like: a purchase rate and a chance to stop after each purchase
        if c["customer_id"] == "S02":
            continue
        rate, stop = rng.gammavariate(0.8, 1 / 25), rng.betavariate(1, 4)
        d = rng.randrange(120)
        while d < 350:
            day = date(2025, 7, 1) + timedelta(days=d)
            amount = round(rng.gammavariate(2, 400), 2) + 50
            orders.append({"customer_id": c["customer_id"], "order_date": day.isoformat(), "amount": amount})
            paid = day + timedelta(days=10)
            payments.append({"customer_id": c["customer_id"], "payment_date": paid.isoformat(),
                             "amount": amount})
            if rng.random() < stop:
                break
            d += 1 + int(rng.expovariate(rate))
    orders += [
        {"customer_id": "E01", "order_date": "2026-06-20", "amount": 5000, "due_date": "2026-07-20"},
        {"customer_id": "S01", "order_date": "2026-06-20", "amount": 3000, "due_date": "2026-07-20"},
        {"customer_id": "S02", "order_date": "2026-04-01", "amount": 800, "due_date": "2026-05-01"},
    ]
    return {"customers": customers, "orders": orders, "payments": payments}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The company, classified as of 2026-06-30, in a closed workspace file."""
    tmp = tmp_path_factory.mktemp("facade")
    reps = tmp / "reps.csv"
    reps.write_text("rep_id,name,department,manager_id\nR1,Li,East,M1\nR2,Wang,South,M2\n"
                    "M1,Ma,East,\nM2,Mo,South,\n", encoding="utf-8")
    (tmp / "schemes").mkdir()
    (tmp / "schemes" / "care.yaml").write_text(CARE, encoding="utf-8")
    with Workspace.open(Settings(db=tmp / "w.duckdb"), create=True) as ws:
        ws.imports.file("reps", reps)
        company(ws, tmp, **_rows())
        ws.snapshots.classify(["care"], as_of=ON)
    return tmp / "w.duckdb"


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A copy of the company for one test (tests change it)."""
    shutil.copy(built, tmp_path / "w.duckdb")
    shutil.copytree(built.parent / "schemes", tmp_path / "schemes")
    with Workspace.open(Settings(db=tmp_path / "w.duckdb")) as opened:
        yield opened


def _as(ws: Workspace, user: User) -> Workspace:
    return ws.acting_as(user)


# -- credit -----------------------------------------------------------------------------
def test_holds_are_scoped(ws: Workspace) -> None:
    held = _as(ws, BOSS).credit.holds(on=ON)
    # 4,000 over the limit, 1,000 over, 800 overdue
    assert [r["customer_id"] for r in held.rows()] == ["E01", "S01", "S02"]
    assert (held.on, held.grace_days) == (ON, 0)
    assert held.to_json()["holds"][0]["over_by"] == 4000
    for user, ids in ((LI, ["E01"]), (WANG, ["S01", "S02"]), (MX, ["E01"]), (MY, ["S01", "S02"])):
        assert [r["customer_id"] for r in _as(ws, user).credit.holds(on=ON).rows()] == ids, user.name
    with pytest.raises(ForbiddenError):
        _as(ws, VW).credit.holds(on=ON)


def test_check_within_scope_and_unknown_customers(ws: Workspace) -> None:
    check = _as(ws, LI).credit.check("E01", "1", on=ON)
    assert not check.allowed and check.outstanding_after == 5001
    assert _as(ws, MY).credit.check("S03", "¥100", on=ON).allowed
    with pytest.raises(NotFoundError, match="no customer 'S01'"):
        _as(ws, LI).credit.check("S01", "1", on=ON)  # another rep's customer: as if missing
    with pytest.raises(NotFoundError, match="did you mean") as hint:
        _as(ws, BOSS).credit.check("E001", "1", on=ON)
    assert "E01" in str(hint.value)
    with pytest.raises(NotFoundError) as plain:
        _as(ws, LI).credit.check("S001", "1", on=ON)
    assert "did you mean" not in str(plain.value)  # no ids leak from outside the scope
    with pytest.raises(ConfigError):
        _as(ws, LI).credit.check("E01", "0", on=ON)
    with pytest.raises(ForbiddenError):
        _as(ws, VW).credit.check("E01", "1", on=ON)


def test_limit_changes_by_role(ws: Workspace) -> None:
    with pytest.raises(ForbiddenError):
        _as(ws, LI).credit.set_limit("E01", "9000", reason="asked nicely")
    with pytest.raises(NotFoundError):
        _as(ws, MX).credit.set_limit("S01", "9000", reason="not my department")
    assert _as(ws, MX).credit.set_limit("E01", "9,000", reason="review") == {
        "customer_id": "E01", "old": 1000.0, "new": 9000.0, "reevaluation": None}  # no server: no job
    assert ws.db.con.execute("SELECT actor, action FROM audit WHERE action <> 'data.import'").fetchall() == [
        ("mx", "credit.limit")]
    assert [r["customer_id"] for r in _as(ws, MX).credit.holds(on=ON).rows()] == []


# -- tasks ------------------------------------------------------------------------------
def _open_tasks(ws: Workspace) -> dict[str, tuple[str | None, str]]:
    rows = ws.db.con.execute("SELECT task_id, rep_id, status FROM tasks WHERE status = 'open'").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_refresh_by_role_and_view(ws: Workspace) -> None:
    for user in (LI, VW):
        with pytest.raises(ForbiddenError):
            _as(ws, user).tasks.refresh(on=ON, days=0)
    done = _as(ws, BOSS).tasks.refresh(on=ON, days=0)
    stored = _open_tasks(ws)
    assert done.opened == len(stored) == done.tasks.num_rows > 0
    assert set(done.tasks.column("task_id").to_pylist()) == set(stored)
    # never visited: every buyer is due a visit on the classification day; N01's has no owner
    assert {"visit:E03:2026-06-30", "visit:S03:2026-06-30", "visit:N01:2026-06-30"} <= set(stored)
    assert stored["visit:N01:2026-06-30"][0] is None
    assert "credit_hold" in done.by_kind()
    again = _as(ws, BOSS).tasks.refresh(on=ON, days=0, kind="visit", manager="M1")
    assert (again.opened, again.done, again.lapsed) == (0, 0, 0)  # the same tasks, found again
    assert set(again.tasks.column("kind").to_pylist()) == {"visit"}
    assert set(again.tasks.column("rep_id").to_pylist()) == {"R1"}  # M1's team: R1 (and M1)
    assert again.open == again.tasks.num_rows == sum(again.by_kind().values())
    # the tasks stay in the engine: `rows` caps what comes back, never the counts or what is kept
    first = _as(ws, BOSS).tasks.refresh(on=ON, days=0, rows=2)
    assert first.tasks.num_rows == 2 and first.open == done.open == len(stored)
    assert first.by_kind() == done.by_kind()
    assert first.tasks.to_pylist() == done.tasks.slice(0, 2).to_pylist()  # the most urgent two
    priorities = done.tasks.column("priority").to_pylist()
    assert priorities == sorted(priorities) and done.tasks.column("kind")[0].as_py() == "credit_hold"
    assert _open_tasks(ws) == stored
    with pytest.raises(ConfigError, match="rows -1"):
        _as(ws, BOSS).tasks.refresh(on=ON, rows=-1)
    with pytest.raises(ConfigError, match="--kind 'lunch'"):
        _as(ws, BOSS).tasks.refresh(on=ON, kind="lunch")
    with pytest.raises(ConfigError, match="--manager 'M9'"):
        _as(ws, BOSS).tasks.refresh(on=ON, manager="M9")


def test_a_managers_refresh_leaves_other_departments_alone(ws: Workspace) -> None:
    _as(ws, BOSS).tasks.refresh(on=ON, days=0)
    # visits to E03 and S03 on the day, written straight into the table (no refresh of their own)
    for cid, rep in (("E03", "R1"), ("S03", "R2")):
        ws.db.con.execute("INSERT INTO activities (activity_id, customer_id, activity_date, kind, rep_id, "
                          "customer_key) VALUES (?, ?, ?, 'visit', ?, md5_number_lower(?))",
                          [f"A-{cid}", cid, datetime(2026, 6, 30, 9), rep, cid])
    east = _as(ws, MX).tasks.refresh(on=ON, days=0)
    customers = set(east.tasks.column("customer_id").to_pylist())
    assert customers and customers <= EAST
    assert (east.opened, east.done, east.lapsed) == (0, 1, 0)
    status = dict(ws.db.con.execute(
        "SELECT task_id, status FROM tasks WHERE task_id IN ('visit:E03:2026-06-30', 'visit:S03:2026-06-30')"
    ).fetchall())
    assert status == {"visit:E03:2026-06-30": "done", "visit:S03:2026-06-30": "open"}


def test_calendar_is_the_scope_s_open_tasks(ws: Workspace) -> None:
    _as(ws, BOSS).tasks.refresh(on=ON, days=0)
    stored = _open_tasks(ws)

    def uids(text: str) -> set[str]:
        assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
        return {line[4:-len("@tierwise")] for line in text.split("\r\n") if line.startswith("UID:")}

    r1 = {t for t, (rep, _) in stored.items() if rep == "R1"}
    assert r1 and uids(_as(ws, LI).tasks.calendar()) == r1  # a rep: their own
    assert uids(_as(ws, LI).tasks.calendar("R2")) == set()  # not another rep's
    assert uids(_as(ws, BOSS).tasks.calendar("R1")) == r1
    assert uids(_as(ws, BOSS).tasks.calendar(unassigned=True)) == {
        t for t, (rep, _) in stored.items() if rep is None}
    assert uids(_as(ws, BOSS).tasks.calendar()) == set(stored)
    south = uids(_as(ws, MY).tasks.calendar())
    assert south and all(t.split(":")[1] in SOUTH for t in south)
    zh = _as(ws, LI).tasks.calendar(kind="visit", lang="zh")
    assert "SUMMARY:拜访: E" in zh and "DTSTART;VALUE=DATE:20260630" in zh
    with pytest.raises(ForbiddenError):
        _as(ws, VW).tasks.calendar()


# -- activities -------------------------------------------------------------------------
def test_who_a_follow_up_is_recorded_as(ws: Workspace) -> None:
    day = date.today()  # a follow-up may be dated at most followup_max_days_back (30) days back
    assert _as(ws, LI).activities.add("E03", "call", day=day, rep_id="R2")["rep_id"] == "R1"
    assert _as(ws, MX).activities.add("E03", "visit", day=day)["rep_id"] == "M1"  # R1's manager
    assert _as(ws, MX).activities.add("E04", "visit", day=day, rep_id="R1")["rep_id"] == "R1"
    assert _as(ws, BOSS).activities.add("S03", "visit", day=day)["rep_id"] == "R2"  # the customer's rep
    with pytest.raises(NotFoundError):
        _as(ws, LI).activities.add("S03", "visit", day=day)
    with pytest.raises(ForbiddenError):
        _as(ws, VW).activities.add("E03", "visit", day=day)


# -- metrics, CLV, the workspace --------------------------------------------------------
def test_metrics_scope_and_catalog(ws: Workspace) -> None:
    everyone = _as(ws, BOSS).metrics.run(as_of=ON)
    east = _as(ws, MX).metrics.run(as_of=ON)
    assert set(everyone.table.column("customer_id").to_pylist()) == EAST | SOUTH | {"N01"}
    assert set(east.table.column("customer_id").to_pylist()) == EAST
    assert east.summary()["customers"] == 12
    catalog = _as(ws, VW).metrics.catalog()
    assert [m["name"] for m in catalog] == everyone.table.column_names
    assert _as(ws, VW).metrics.catalog("zh")[0]["definition"] == "客户编号。"
    assert "| `customer_id` |" in _as(ws, VW).metrics.catalog_markdown()
    for user in (LI, VW):
        with pytest.raises(ForbiddenError):
            _as(ws, user).metrics.run(as_of=ON)
    with pytest.raises(ConfigError):
        _as(ws, BOSS).metrics.run(as_of=ON, window="13x")


def test_clv_fit_and_too_little_history(ws: Workspace) -> None:
    frame, fit = _as(ws, MY).metrics.clv_fit(as_of=ON)
    assert frame.as_of == ON and fit.bgnbd is not None
    assert fit.bgnbd.n_customers == 25  # every buyer of the company, not only South's
    with pytest.raises(DataError, match="cannot fit BG/NBD"):
        _as(ws, BOSS).metrics.clv_fit(as_of=date(2025, 7, 20))  # a few weeks of history
    with pytest.raises(ForbiddenError):
        _as(ws, LI).metrics.clv_fit(as_of=ON)


def test_status_settings_tables(ws: Workspace) -> None:
    status = _as(ws, VW).system.status()
    assert (status["customers"], status["reps"]) == (25, 4)
    assert [s["name"] for s in _as(ws, VW).system.settings_list()] == list(Settings.model_fields)
    tables = _as(ws, VW).system.tables("zh")
    assert [t["name"] for t in tables] == list(TABLES)
    orders = next(t for t in tables if t["name"] == "orders")
    assert {"order_date", "amount"} <= {c["name"] for c in orders["columns"] if c["required"]}
    assert "### `orders`" in _as(ws, VW).system.tables_markdown()


def test_users_are_managed_by_admins(ws: Workspace) -> None:
    boss = _as(ws, BOSS).users
    boss.add("li", "rep", password=PW, rep_id="R1")
    assert [u["name"] for u in boss.list()] == ["li"]
    assert boss.token("li")["token"].startswith("tw_")
    for user in (LI, MX):
        with pytest.raises(ForbiddenError):
            _as(ws, user).users.list()
    assert _as(ws, LI).users.me() == LI


# -- over the API -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def api(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``api(user, method, path, **kw)`` over a real server on a copy of the company, with
    the users above (and their tokens); the tasks refreshed as of 2026-06-30."""
    tmp = tmp_path_factory.mktemp("facade-api")
    db = tmp / "w.duckdb"
    shutil.copy(built, db)
    shutil.copytree(built.parent / "schemes", tmp / "schemes")
    tokens = {}
    with Workspace.open(Settings(db=db)) as ws:
        boss = _as(ws, BOSS).users
        for u in (BOSS, MX, MY, LI, WANG, VW):
            boss.add(u.name, u.role, password=PW, department=u.department, rep_id=u.rep_id)
            tokens[u.name] = boss.token(u.name)["token"]
        _as(ws, BOSS).tasks.refresh(on=ON, days=0)
    with running_server(db) as base:

        def call(user: str | None, method: str, path: str, **kw: Any) -> httpx.Response:
            headers = {"Authorization": f"Bearer {tokens[user]}"} if user else {}
            return httpx.request(method, base + path, headers=headers, timeout=60, **kw)

        call.tokens = tokens  # type: ignore[attr-defined]
        yield call


def _error(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, r.text
    return str(r.json()["error"]["message"])


def test_api_credit(api: Any) -> None:
    holds = api("wang", "GET", "/api/credit/holds", params={"date": "2026-06-30"}).json()
    assert [h["customer_id"] for h in holds["holds"]] == ["S01", "S02"]
    assert (holds["customers"], holds["holds"][0]["over_by"]) == (2, "1000.00")  # money: decimal text
    assert [h["customer_id"] for h in api("mx", "GET", "/api/credit/holds").json()["holds"]] == ["E01"]
    _error(api("vw", "GET", "/api/credit/holds"), 403)
    check = api("li", "GET", "/api/credit/check", params={"customer_id": "E01", "amount": "1",
                                                         "date": "2026-06-30"})
    assert check.status_code == 200 and check.json()["allowed"] is False
    assert check.json()["outstanding_after"] == "5001.00"
    assert "no customer" in _error(api("li", "GET", "/api/credit/check",
                                       params={"customer_id": "S01", "amount": "1"}), 404)
    _error(api("li", "GET", "/api/credit/check", params={"customer_id": "E01", "amount": "abc"}), 400)
    _error(api("li", "GET", "/api/credit/check", params={"customer_id": "E01"}), 422)


def test_api_tasks_refresh_and_calendar(api: Any) -> None:
    for user in ("vw", "li"):
        _error(api(user, "POST", "/api/tasks/refresh", json={"date": "2026-06-30", "days": 0}), 403)
    _error(api("boss", "POST", "/api/tasks/refresh", json={"date": "2026-06-30", "extra": 1}), 422)
    done = api("boss", "POST", "/api/tasks/refresh", json={"date": "2026-06-30", "days": 0, "kind": "visit"},
               params=WAIT)
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["opened"], body["done"], body["lapsed"]) == (0, 0, 0)  # refreshed before the server
    assert body["by_kind"] == {"visit": body["open"]} and body["open"] == 25
    r = api("li", "GET", "/api/tasks/calendar.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    listed = api("li", "GET", "/api/tasks", params={"page_size": 500}).json()["items"]
    mine = {t["task_id"] for t in listed if t["rep_id"] == "R1"}
    assert mine and {f"UID:{t}@tierwise" for t in mine} == {
        line for line in r.text.split("\r\n") if line.startswith("UID:")}
    # a phone subscribes with the token in the address, sending no header
    by_url = api(None, "GET", "/api/tasks/calendar.ics", params={"token": api.tokens["li"]})
    assert by_url.status_code == 200 and by_url.text.count("BEGIN:VEVENT") == len(mine)
    _error(api(None, "GET", "/api/tasks/calendar.ics", params={"token": "tw_wrong"}), 401)
    _error(api(None, "GET", "/api/tasks/calendar.ics"), 401)


def test_api_metrics_and_clv(api: Any) -> None:
    r = api("mx", "POST", "/api/metrics", json={"as_of": "2026-06-30"}, params=WAIT)
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"\xef\xbb\xbf") and 'filename="metrics-2026-06-30-12m.csv"' in \
        r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content[3:].decode("utf-8"))))
    assert {row["customer_id"] for row in rows} == EAST
    parquet = api("boss", "POST", "/api/metrics", json={"as_of": "2026-06-30", "format": "parquet"},
                  params=WAIT)
    assert pq.read_table(io.BytesIO(parquet.content)).num_rows == 25
    assert "window" in _error(api("boss", "POST", "/api/metrics", json={"window": "13x"}, params=WAIT), 400)
    _error(api("boss", "POST", "/api/metrics", json={"as_of": "30/06/2026"}, params=WAIT), 422)
    _error(api("li", "POST", "/api/metrics", json={}, params=WAIT), 403)
    catalog = api("vw", "GET", "/api/metrics/catalog").json()
    assert [m["name"] for m in catalog][:2] == ["customer_id", "name"]
    assert len(catalog) == len(rows[0])
    markdown = api("vw", "GET", "/api/metrics/catalog", params={"format": "markdown"})
    assert markdown.text.startswith("| column |")
    fit = api("my", "POST", "/api/clv/fit", json={"as_of": "2026-06-30"}, params=WAIT).json()
    assert fit["as_of"] == "2026-06-30" and fit["bgnbd"]["customers"] == 25
    unfit = api("boss", "POST", "/api/clv/fit", json={"as_of": "2025-07-20"}, params=WAIT)
    assert "cannot fit" in _error(unfit, 422)


def test_api_the_workspace(api: Any, built: Path) -> None:
    counts = {name: query(built, f'SELECT count(*) FROM "{name}"')[0][0] for name in TABLES}
    assert api("vw", "GET", "/api/status").json() == counts
    names = [s["name"] for s in api("vw", "GET", "/api/settings").json()]
    assert names == list(Settings.model_fields)
    tables = api("li", "GET", "/api/tables", params={"lang": "zh"}).json()
    assert [t["name"] for t in tables] == list(TABLES)
    assert "### `customers`" in api("li", "GET", "/api/tables", params={"format": "markdown"}).text
    _error(api(None, "GET", "/api/status"), 401)


# -- the CLI ----------------------------------------------------------------------------
def test_by_names_a_user_once_there_are_users(built: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(built, db)
    with Workspace.open(Settings(db=db)) as ws:
        _as(ws, BOSS).users.add("boss", "admin", password=PW)
    r = run_cli("--db", db, "credit", "limit", "E01", "5000", "--reason", "review", "--by", "nobody")
    assert r.returncode == 1
    assert r.stderr.startswith("Error: --by / TIERWISE_USER 'nobody' is not a user of this workspace; "
                               "users: boss")
    assert query(db, "SELECT count(*) FROM audit WHERE action = 'credit.limit'") == [(0,)]
    r = run_cli("--db", db, "users", "whoami", "--by", "boss")
    assert r.returncode == 0 and r.stdout.strip() == "boss (admin; all customers)"
