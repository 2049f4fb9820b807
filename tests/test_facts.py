"""One home per fact, and schemes found by their role.

(a) The ABC preset copied as ``pareto_2026`` (same rules, another name, ``roles: [pareto]``)
and classified instead of ``abc`` keeps the dashboard's Pareto chart, its top movers and the
workbook's migration sheet. (b) On a generated demo company, the dashboard (service and API),
``tierwise overview --json``, the workbook's summary sheet and the HTML report give the same
late tasks, buyers in the window and customers per class.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from conftest import query, run_cli
from server_fixture import add_user, running_server
from tierwise.access.users import User
from tierwise.data.importer import ImportOptions
from tierwise.demo.generator import generate_demo_files
from tierwise.errors import ConfigError, DataError
from tierwise.schemes import facts, registry
from tierwise.schemes import spec as sp
from tierwise.settings import Settings
from tierwise.workspace import Workspace

WAIT = {"wait": 60}  # long operations run as jobs: wait for them, as a script would

FIRST, LAST = date(2026, 3, 31), date(2026, 9, 30)  # the demo's data ends on LAST


def _demo(db: Path, customers: int, seed: int) -> Workspace:
    """A new workspace at ``db`` holding a generated demo company."""
    files = generate_demo_files(db.parent / "demo", customers=customers, seed=seed)
    ws = Workspace.open(Settings(db=db), create=True)
    for table, path in files.items():
        assert ws.imports.file(table, path, ImportOptions(lang="en")).rejected == 0
    return ws


def _summary(path: Path) -> list[dict[str, Any]]:
    values = list(load_workbook(path)["summary"].iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


# -- (a) a renamed ABC keeps every chart -------------------------------------------------
@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A demo company classified twice by ``pareto_2026``, a copy of the ABC preset, and never
    by ``abc``."""
    db = tmp_path_factory.mktemp("renamed") / "w.duckdb"
    ws = _demo(db, 400, seed=3)
    text = registry.presets()["abc"].text
    assert "\nname: abc\n" in text and "\nroles: [pareto, primary_grade]" in text
    copy = text.replace("\nname: abc\n", "\nname: pareto_2026\n").replace(
        "\nroles: [pareto, primary_grade]", "\nroles: [pareto]")
    folder = registry.user_folder(db)
    folder.mkdir()
    (folder / "pareto_2026.yaml").write_text(copy, encoding="utf-8")
    for day in (FIRST, LAST):
        ws.snapshots.classify(["pareto_2026"], as_of=day)
    try:
        yield ws
    finally:
        ws.close()


def test_the_copy_is_the_preset_but_for_its_name_and_roles(renamed: Workspace) -> None:
    abc = registry.presets()["abc"].spec()
    copy = facts.current_schemes(renamed.db.con)["pareto_2026"]
    assert copy.roles == ("pareto",) and set(facts.current_schemes(renamed.db.con)) == {"pareto_2026"}
    assert copy.spec.model_dump(exclude={"name", "roles"}) == abc.model_dump(exclude={"name", "roles"})


def test_the_dashboard_keeps_the_pareto_chart_and_the_top_movers(renamed: Workspace) -> None:
    from tierwise.web.pages import _charts

    data = renamed.reports.dashboard()
    assert data["pareto"] == {"scheme": "pareto_2026", "title": "ABC Pareto tiers"}
    specs = _charts(renamed, "en", ("test_facts",))["specs"]  # what the dashboard page embeds
    assert "missing" not in specs["pareto"] and specs["pareto"]["datasets"]
    cuts = next(rows for rows in specs["pareto"]["datasets"].values() if rows and "class" in rows[0])
    assert [c["class"] for c in cuts] == ["A", "B"]  # the copy's tiers end on the curve
    moved = query(renamed.db.path, """SELECT count(*) FROM classes n JOIN classes o USING (customer_id)
                                      WHERE n.snapshot_id = 2 AND o.snapshot_id = 1 AND n.class <> o.class""")
    assert moved[0][0] > 0
    assert data["movers"] and len(data["movers"]) == min(10, moved[0][0])
    assert all(m["was"] != m["now"] and {m["was"], m["now"]} <= {"A", "B", "C"} for m in data["movers"])
    assert data["grade"] is None  # the copy dropped primary_grade: no main grade, and no guessing


def test_the_workbook_keeps_the_migration_sheet(renamed: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    sheets = renamed.reports.build("xlsx", path)["sheets"]
    assert "migration_pareto_2026" in sheets and not any(s.startswith("migration_abc") for s in sheets)
    rows = list(load_workbook(path)["migration_pareto_2026"].iter_rows(values_only=True))
    assert rows[0][0].startswith("snapshot 1 (2026-03-31)")  # a matrix, not a "not available" note
    assert rows[0][1:] == ("A", "B", "C", "(out)", "total")
    assert sum(r[-1] for r in rows[1:]) == query(
        renamed.db.path, "SELECT count(DISTINCT customer_id) FROM classes WHERE scheme = 'pareto_2026'")[0][0]


def test_without_the_role_the_charts_say_how_to_give_it(renamed: Workspace, tmp_path: Path) -> None:
    """A copy without ``roles`` is just another scheme: no chart picks it by its rules or name."""
    from tierwise.reports.chart_data import NotAvailable

    folder = registry.user_folder(renamed.db.path)
    plain = (folder / "pareto_2026.yaml").read_text(encoding="utf-8").replace("\nroles: [pareto]", "")
    (folder / "tiers.yaml").write_text(plain.replace("name: pareto_2026", "name: tiers"), encoding="utf-8")
    try:
        sid = renamed.snapshots.classify(["tiers"], as_of=LAST).snapshot_id
        with pytest.raises(NotAvailable, match=r"role 'pareto'.*roles: \[pareto\]"):
            renamed.reports.chart("pareto", format="json", snapshot=sid)
        assert renamed.reports.chart("pareto", format="json").spec  # the current pareto_2026 still draws
    finally:
        (folder / "tiers.yaml").unlink()


def test_roles_are_checked_with_the_field_and_the_fix() -> None:
    text = registry.presets()["abc"].text

    def roles(given: str) -> sp.SchemeSpec:
        return sp.load_text(text.replace("roles: [pareto, primary_grade]", f"roles: {given}"), "x.yaml")

    with pytest.raises(ConfigError, match=r"x\.yaml: roles\[0\]: 'paretto' is not a role \(did you mean "
                                          r"'pareto'\?\)"):
        roles("[paretto]")
    with pytest.raises(ConfigError, match="roles: 'matrix' needs a scheme of kind matrix; this one is "
                                          "rank_tiers"):
        roles("[matrix]")
    with pytest.raises(ConfigError, match="listed twice"):
        roles("[pareto, pareto]")
    with pytest.raises(ConfigError, match="Pareto curve of revenue, but this scheme ranks by 'order_count'"):
        sp.load_text(text.replace("rank_by: revenue", "rank_by: order_count"), "x.yaml")
    assert roles("pareto").roles == ["pareto"]


def test_a_spec_stored_before_roles_takes_its_presets_roles() -> None:
    text = re.sub(r"\nroles: [^\n]*", "", registry.presets()["abc"].text)
    spec = sp.load_text(text, "preset abc")
    assert spec.roles == [] and facts.roles_of(spec, "preset abc") == ("pareto", "primary_grade")
    assert facts.roles_of(spec, "/w/schemes/abc.yaml") == ()  # a workspace's own scheme: as written


# -- (b) the same numbers everywhere -----------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A demo company of 2,500 customers, classified twice (the ABC migration) and with the
    tasks kept for today; then the numbers as the CLI and the API (admin and a manager) give them."""
    tmp = tmp_path_factory.mktemp("demo")
    db = tmp / "w.duckdb"
    with _demo(db, 2500, seed=11) as ws:
        ws.snapshots.classify(["abc"], as_of=FIRST)
        ws.snapshots.classify(["abc", "value_loyalty", "contribution_stability", "credit_rating"], as_of=LAST)
        department = query_one(ws, "SELECT department FROM reps GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
        rep_id = query_one(ws, f"SELECT min(rep_id) FROM reps WHERE department = '{department}'")
    out: dict[str, Any] = {"db": db, "department": department}
    for key, args in (("tasks", ("tasks",)), ("cli", ("overview", "--json")),
                      ("cli_dashboard", ("dashboard", "--json"))):
        done = run_cli("--db", db, *args, timeout=300)
        assert done.returncode == 0, done.stderr
        out[key] = json.loads(done.stdout) if key != "tasks" else None
    tokens = {"boss": add_user(db, "boss", "admin"),
              "mx": add_user(db, "mx", "manager", "--department", department),
              "ra": add_user(db, "ra", "rep", "--rep-id", rep_id)}
    with running_server(db) as base:
        def call(user: str, method: str, path: str, **kw: Any) -> httpx.Response:
            return httpx.request(method, base + path, headers={"Authorization": f"Bearer {tokens[user]}"},
                                 timeout=300, **kw)

        def get(user: str, path: str) -> Any:
            r = call(user, "GET", path)
            assert r.status_code == 200, r.text
            return r.json()

        out["api"] = {user: {"dashboard": get(user, "/api/dashboard"), "overview": get(user, "/api/overview")}
                      for user in tokens}
        out["api"]["mx"]["workload"] = get("mx", "/api/reports/workload")
        out["raw"] = {"svg": call("boss", "GET", "/api/charts/pareto?format=svg"),
                      "json": call("ra", "GET", "/api/charts/tier-mix?format=json"),
                      "rep_workload": call("ra", "GET", "/api/reports/workload"),
                      "rep_report": call("ra", "POST", "/api/reports", json={"format": "html"}, params=WAIT)}
        r = call("mx", "POST", "/api/reports", json={"format": "xlsx"}, params=WAIT)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml")
        (tmp / "api-mx.xlsx").write_bytes(r.content)
        out["api_workbook_mx"] = tmp / "api-mx.xlsx"
    return out


def query_one(ws: Workspace, sql: str) -> Any:
    row = ws.db.con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def _numbers(figures: dict[str, Any], classes: list[dict[str, Any]]) -> tuple[Any, ...]:
    """Late tasks, buyers in the window, and customers per class."""
    return figures["late"], figures["buyers"], [(c["class"], c["customers"]) for c in classes]


def test_every_front_end_gives_the_same_numbers(demo: dict[str, Any], tmp_path: Path) -> None:
    with Workspace.open(Settings(db=demo["db"])) as ws:
        dash = ws.reports.dashboard()
        over = ws.reports.overview()
        xlsx = ws.reports.build("xlsx", tmp_path / "r.xlsx")
        html = ws.reports.build("html", tmp_path / "r.html")
    abc = next(t for t in dash["tiers"] if t["scheme"] == "abc")
    expected = _numbers(dash["figures"], abc["classes"])
    late, buyers, per_class = expected
    # the definitions, by hand: open tasks due before today; revenue above 0 in the 12 months
    assert late == query(demo["db"], "SELECT count(*) FROM tasks WHERE status = 'open' AND due_date < ?",
                         [date.today()])[0][0]
    assert buyers == query(demo["db"], """SELECT count(*) FROM snapshot_customers WHERE snapshot_id = 2
                                         AND "window" = '12m' AND revenue > 0""")[0][0]
    assert [c for c, _ in per_class] == ["A", "B", "C"] and late > 0
    assert over["grade"]["scheme"] == "abc"
    assert _numbers(over["figures"], over["grade"]["classes"]) == expected
    assert _numbers(demo["cli"]["figures"], demo["cli"]["grade"]["classes"]) == expected
    cli_abc = next(t for t in demo["cli_dashboard"]["tiers"] if t["scheme"] == "abc")
    assert _numbers(demo["cli_dashboard"]["figures"], cli_abc["classes"]) == expected
    api = demo["api"]["boss"]
    api_abc = next(t for t in api["dashboard"]["tiers"] if t["scheme"] == "abc")
    assert _numbers(api["dashboard"]["figures"], api_abc["classes"]) == expected
    assert _numbers(api["overview"]["figures"], api["overview"]["grade"]["classes"]) == expected
    summary = _summary(tmp_path / "r.xlsx")
    by_label = {r["label"]: r for r in summary if r["scheme"] in ("(all)", "(tasks)")}
    assert by_label[f"late tasks (due before {date.today()})"]["tasks"] == late
    assert by_label["bought in the window"]["customers"] == buyers
    assert [(r["class"], r["customers"]) for r in summary if r["scheme"] == "abc"] == per_class
    figures = html["figures"]
    assert _numbers(figures, figures["grade"]["classes"]) == expected
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"{late:,} late on {date.today()}" in page and f"{buyers:,} bought in the window" in page
    assert xlsx["sheets"][0] == "summary" and "migration_abc" in xlsx["sheets"]


def test_a_managers_numbers_agree_too_and_stay_in_the_department(demo: dict[str, Any]) -> None:
    with Workspace.open(Settings(db=demo["db"])) as ws:
        mine = ws.acting_as(User("mx", "manager", department=demo["department"])).reports.overview()
        company = ws.reports.overview()
    api = demo["api"]["mx"]
    api_abc = next(t for t in api["dashboard"]["tiers"] if t["scheme"] == "abc")
    expected = _numbers(mine["figures"], mine["grade"]["classes"])
    assert _numbers(api["overview"]["figures"], api["overview"]["grade"]["classes"]) == expected
    assert _numbers(api["dashboard"]["figures"], api_abc["classes"]) == expected
    assert 0 < mine["figures"]["customers"] < company["figures"]["customers"]
    assert mine["figures"]["buyers"] < company["figures"]["buyers"]
    summary = _summary(demo["api_workbook_mx"])  # the report the manager downloaded
    assert summary[0]["customers"] == mine["figures"]["customers"]
    assert [(r["class"], r["customers"]) for r in summary if r["scheme"] == "abc"] == expected[2]


def test_charts_and_workload_over_the_api_keep_to_the_role_and_scope(demo: dict[str, Any]) -> None:
    raw = demo["raw"]
    assert raw["svg"].status_code == 200 and raw["svg"].headers["content-type"] == "image/svg+xml"
    assert raw["svg"].text.lstrip().startswith("<svg")
    mix = raw["json"].json()  # a rep's tier mix: their customers only
    panel = next(rows for rows in mix["datasets"].values() if rows and "scheme" in rows[0])
    rows = [r for r in panel if r["scheme"] == "abc"]
    mine = demo["api"]["ra"]["overview"]["grade"]["classes"]
    assert [(r["class"], r["customers"]) for r in rows] == [(c["class"], c["customers"]) for c in mine]
    assert raw["rep_workload"].status_code == 403 and raw["rep_report"].status_code == 403
    load = demo["api"]["mx"]["workload"]
    assert load["department"] == demo["department"] and load["scheme"] == "abc"
    assert {r["department"] for r in load["reps"]} == {demo["department"]}


def test_empty_classes_are_listed_with_zero(demo: dict[str, Any]) -> None:
    """Customers per class list every class of the scheme, in its order, also the empty ones."""
    with Workspace.open(Settings(db=demo["db"])) as ws:
        current = facts.current_schemes(ws.db.con)
        nobody = pa_ids([])
        counts = facts.class_counts(ws.db.con, [current["abc"], current["credit_rating"]], scope=nobody)
    empty = {"customers": 0, "revenue": 0.0, "share": 0.0, "revenue_share": 0.0}
    assert counts["abc"] == [{"class": c, "label": label, **empty}
                             for c, label in (("A", "key"), ("B", "major"), ("C", "ordinary"))]
    assert [r["class"] for r in counts["credit_rating"]] == current["credit_rating"].spec.class_ids()


def test_a_small_scopes_counts_by_keys_are_the_counts_of_a_pass(demo: dict[str, Any],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A rep's class counts read their customers' rows by their keys (one by one up to
    UNION_IDS, else a semi-join on the keys, else on the registered scope): the same counts
    as a pass over every class with the scope."""
    from tierwise.store import keys

    with Workspace.open(Settings(db=demo["db"])) as ws:
        con = ws.db.con
        schemes = sorted(facts.current_schemes(con).values(), key=lambda s: s.name)
        ids = [r[0] for r in con.execute("SELECT customer_id FROM customers ORDER BY customer_id").fetchall()]
        for scope in (pa_ids(ids[:7]), pa_ids(ids[::5][:100])):
            monkeypatch.setattr(facts, "FEW_CUSTOMERS", 0)
            passed = facts.class_counts(con, schemes, scope=scope)
            assert sum(r["customers"] for r in passed["abc"]) > 0
            monkeypatch.setattr(facts, "FEW_CUSTOMERS", 2_000)
            for union, lookup in ((keys.UNION_IDS, keys.LOOKUP_IDS), (0, keys.LOOKUP_IDS), (0, 3)):
                monkeypatch.setattr(keys, "UNION_IDS", union)
                monkeypatch.setattr(keys, "LOOKUP_IDS", lookup)
                counted = facts.class_counts(con, schemes, scope=scope)
                assert counted == passed, (scope.num_rows, union, lookup)
            monkeypatch.undo()


def pa_ids(ids: list[str]) -> Any:
    import pyarrow as pa

    return pa.table({"customer_id": pa.array(ids, pa.string())})


def test_nothing_classified_reads_as_nothing(tmp_path: Path) -> None:
    with Workspace.open(Settings(db=tmp_path / "w.duckdb"), create=True) as ws:
        over = ws.reports.overview()
        assert over["snapshot_id"] is None and over["grade"] is None and over["figures"]["customers"] == 0
        with pytest.raises(DataError, match="no classification yet"):
            ws.reports.build("xlsx", tmp_path / "r.xlsx")


def test_the_kept_dashboard_follows_an_override_and_a_new_classification(tmp_path: Path) -> None:
    """The dashboard keeps the part read from the stored classes between requests; an approved
    override, and a new snapshot, show on the next request, equal to a fresh count."""
    from tierwise.services.dashboard import STORED

    with _demo(tmp_path / "w.duckdb", 300, seed=5) as ws:
        ws.snapshots.classify(["abc"], as_of=FIRST)
        boss = ws.acting_as(User("boss", "admin"))

        def abc() -> dict[str, int]:
            tier = next(t for t in boss.reports.dashboard()["tiers"] if t["scheme"] == "abc")
            return {c["class"]: c["customers"] for c in tier["classes"]}

        def counted() -> dict[str, int]:
            sid = facts.current_snapshot(ws.db.con, "abc")
            return dict(query_rows(ws, "SELECT class, count(*) FROM classes WHERE snapshot_id = ? "
                                       "AND scheme = 'abc' GROUP BY 1", [sid]))

        before = abc()
        assert abc() == before == {k: counted().get(k, 0) for k in before} and len(STORED._items) >= 1
        (customer,) = query_rows(ws, "SELECT customer_id FROM classes WHERE scheme = 'abc' AND class = 'C' "
                                     "ORDER BY customer_id LIMIT 1", [])[0]
        proposed = ws.acting_as(User("li", "admin")).overrides.propose(customer, "abc", "A",
                                                                       reason="strategic account")
        boss.overrides.approve(proposed.override_id)  # four eyes
        after = abc()
        assert after == {**before, "A": before["A"] + 1, "C": before["C"] - 1} == {
            k: counted().get(k, 0) for k in before}
        ws.snapshots.classify(["abc"], as_of=LAST)  # a new snapshot: its own counts
        assert abc() == {k: counted().get(k, 0) for k in before}


def query_rows(ws: Workspace, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return ws.db.con.execute(sql, params).fetchall()


def test_a_reps_tasks_read_in_one_pass_are_the_ones_read_in_three(demo: dict[str, Any],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A small scope's figures, tasks due and holds come from one pass over the open tasks; a
    large one's from three queries: both give the same dashboard."""
    from tierwise.services import dashboard

    with Workspace.open(Settings(db=demo["db"])) as ws:
        (rep,) = ws.db.con.execute("SELECT c.rep_id FROM tasks t JOIN customers c USING (customer_id) "
                                   "WHERE t.status = 'open' AND t.kind = 'credit_hold' "
                                   "AND c.rep_id IS NOT NULL "
                                   "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
        me = ws.acting_as(User("r", "rep", rep_id=rep))
        day = date(2026, 10, 15)
        one_pass = me.reports.dashboard(on=day, lang="zh")
        monkeypatch.setattr(dashboard, "ONE_PASS_SCOPE", 0)
        three = me.reports.dashboard(on=day, lang="zh")
    assert one_pass == three and one_pass["tasks"] and one_pass["holds"] and one_pass["figures"]["late"]
