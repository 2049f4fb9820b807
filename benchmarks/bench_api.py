"""API benchmark: the JSON API's customer list (``GET /api/customers``) at 1,000,000 customers,
against the same page from one hand-written DuckDB query (the floor).

The workspace is ``bench_classify.py``'s generated company (``ensure_company``: the demo
generator at benchmark size imported by tierwise, cached under ``bench-data/classify/``),
copied and classified with the ``abc`` scheme only, in a child process, into
``bench-data/api/ws-<customers>-<lines>-abc.duckdb`` with a JSON sidecar; it is rebuilt only
when the sidecar disagrees (size, seed, both scripts' build versions, the demo generator's
source, the abc preset, DuckDB version).

Each run copies that workspace, adds three users with API tokens in a child process (an admin;
a manager of the department with the most reps; the rep who owns the most customers), starts
``tierwise --db COPY serve --port FREE_PORT`` (the ``tierwise`` next to this Python) and waits
for ``/api/openapi.json``. Then:

* **latency** — one client (``httpx.Client``, keep-alive), sequential: per scenario a few
  warm-up calls, then ``--requests`` calls, each a different page, timed from sending to the
  whole body read: p50, p95, max. Scenarios: (a) admin, default sort; (b) admin,
  ``scheme=abc&class=A&sort=-revenue``; (c) admin, ``q=杭州&sort=-revenue``; (d) the manager
  (department scope), ``sort=-last_order_date``; (e) the rep (own customers), ``sort=name``;
  (f) admin, deep pages (page 5,000 at 1M customers) ``sort=-revenue``. 50 rows a page.
* **throughput** — ``--clients`` threads (one ``httpx.Client`` each) for ``--duration`` seconds
  on scenarios (b) and (e): requests/s, p50/p95 under load, errors (any non-200 or failed
  request). The clients share the machine's cores with the server.
* **in process** — the same pages from ``Workspace.customers.list()`` called directly, with no
  HTTP (on a read-only connection to the cached workspace, before the server starts): what
  the query layer costs without FastAPI, JSON and the network.
* **floor** — the same pages as hand-written DuckDB SQL on a read-only connection to the cached
  workspace (not the server's copy), timed the same way: the ``count(*)`` for ``total``, the
  page (customers LEFT JOIN the latest snapshot's ``snapshot_customers``, the ``classes``
  semi-join for scheme/class, ORDER BY … LIMIT/OFFSET) and the classes of the page's ids. The
  current snapshot and its window are looked up once, untimed. The floor's customer ids are
  compared with the API's, page by page (``same pages``).

No goal is set by the issue yet, so nothing prints MISS; the ratios (API ÷ floor) are the
result. ``--small`` runs at 100,000 customers. Results are printed (Rich, then Markdown) and
written to ``benchmarks/results/api.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from _http import (
    Load,
    Timing,
    Worker,
    api_call,
    free_port,
    load_test,
    run_load,
    start_server,
    stop_server,
    timed,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "bench-data" / "api"
RESULTS = Path(__file__).resolve().parent / "results" / "api.md"
BUILD_VERSION = 1  # bump when the classified workspace is made differently, so cached ones are rebuilt
DEFAULT_CUSTOMERS, SMALL_CUSTOMERS = 1_000_000, 100_000
PAGE_SIZE = 50
SEARCH = "杭州"  # a city in about 5 % of the generated company names
PASSWORD = "bench-api-password-1"
ROLES = ("admin", "manager", "rep")


# --- the children: classify the cached copy, add the users -------------------------------------------

def child_classify(db: Path) -> dict[str, Any]:
    """Classify ``db`` with the abc scheme only (a full classify at 1M takes many minutes)."""
    from bench_classify import _open

    with _open(db) as ws:
        start = time.perf_counter()
        result = ws.snapshots.classify(["abc"])
        seconds = time.perf_counter() - start
        (rows,) = ws.db.con.execute("SELECT count(*) FROM classes WHERE snapshot_id = ?",
                                 [result.snapshot_id]).fetchone() or (0,)
    return {"seconds": round(seconds, 1), "snapshot_id": result.snapshot_id, "classes_rows": rows,
            "as_of": result.as_of.isoformat()}


def child_users(db: Path) -> dict[str, Any]:
    """Add an admin, a manager (the department with the most reps) and a rep (the one owning the
    most customers) with one API token each; print the tokens (this copy is thrown away)."""
    from bench_classify import _open
    from tierwise.access.users import add_user, create_token

    with _open(db) as ws:
        con = ws.db.con
        (department,) = con.execute("SELECT department FROM reps WHERE department IS NOT NULL "
                                    "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone() or (None,)
        rep_id, owned = con.execute("SELECT rep_id, count(*) FROM customers WHERE rep_id IS NOT NULL "
                                    "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1").fetchone() or (None, 0)
        scopes: dict[str, dict[str, Any]] = {"admin": {}, "manager": {"department": department},
                                             "rep": {"rep_id": rep_id}}
        tokens = {}
        for role, scope in scopes.items():
            add_user(ws.db, f"bench-{role}", role, password=PASSWORD, by="bench", **scope)
            tokens[role] = create_token(ws.db, f"bench-{role}", by="bench")[1]
    return {"tokens": tokens, "department": department, "rep_id": rep_id, "rep_customers": owned}


CHILDREN: dict[str, Callable[[Path], dict[str, Any]]] = {"classify": child_classify, "users": child_users}


def child_command(task: str, db: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", task, str(db)]


# --- the workspace -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Classified:
    """The cached, abc-classified workspace of one size."""

    db: Path
    company: Any  # bench_classify.Company
    classify: dict[str, Any]  # the classify child's report
    classify_seconds: float | None  # wall time of the classify child; None: cached


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def ensure_classified(customers: int, lines: int, limits: Any, console: Any) -> Classified:
    """bench_classify's workspace for this size, copied and classified with abc (cached)."""
    import duckdb

    import bench_classify as bc
    import tierwise.schemes.presets as presets
    from tierwise.store.migrations import SCHEMA_VERSION

    company = bc.ensure_company(customers, lines, limits, console)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    db = DATA_DIR / f"ws-{customers}-{lines}-abc.duckdb"
    wanted = {"customers": customers, "lines_per_customer": lines, "seed": bc.SEED,
              "classify_build": bc.BUILD_VERSION, "build": BUILD_VERSION, "duckdb": duckdb.__version__,
              "demo": bc.demo_source_hash(), "schema": SCHEMA_VERSION,
              "abc": _sha(Path(presets.__file__).parent / "01-abc.yaml")}
    report, seconds = cached_workspace(db, wanted, company.db, lambda tmp: child_command("classify", tmp),
                                       limits, console, key="classify",
                                       doing=f"classifying a copy with abc ({customers:,} customers)")
    return Classified(db, company, report, seconds)


def cached_workspace(db: Path, wanted: dict[str, Any], source: Path, command: Any, limits: Any, console: Any,
                     *, key: str, doing: str) -> tuple[dict[str, Any], float | None]:
    """``db``: a copy of ``source`` prepared by the child ``command(copy)`` (a JSON report), kept
    while its sidecar records ``wanted``. The child's report (stored under ``key``) and its wall
    seconds, None when the cached copy served."""
    import bench_classify as bc

    sidecar = db.with_suffix(".json")
    try:
        cached = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = None
    if isinstance(cached, dict) and db.exists() and {k: cached.get(k) for k in wanted} == wanted:
        return cached.get(key, {}), None
    sidecar.unlink(missing_ok=True)
    tmp = db.with_name(db.stem + ".building.duckdb")
    _copy(source, tmp)
    console.print(f"{doing} …", highlight=False)
    run, status, report = bc.run_child(command(tmp), limits)
    if status:
        raise SystemExit(f"{doing}: failed: {status}\n{run.stderr[-3000:]}")
    _remove(db)
    tmp.replace(db)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)
    record = {**wanted, key: report, f"{key}_wall_seconds": round(run.seconds, 1)}
    sidecar.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    console.print(f"  done in {run.seconds:.0f} s (peak {run.peak_mib:,.0f} MiB)", highlight=False)
    return report, run.seconds


def _remove(db: Path) -> None:
    for path in (db, Path(str(db) + ".wal")):
        path.unlink(missing_ok=True)


def _copy(source: Path, target: Path) -> None:
    _remove(target)
    shutil.copyfile(source, target)
    if Path(str(source) + ".wal").exists():
        shutil.copyfile(str(source) + ".wal", str(target) + ".wal")


# --- the scenarios -----------------------------------------------------------------------------------

@dataclass
class Scenario:
    """One kind of customer-list request, and the pages it asks for."""

    key: str
    label: str
    role: str
    params: dict[str, str]  # query parameters besides page and page_size
    deep: bool = False  # pages from deep_page on, instead of the first ones
    total: int = 0
    pages: list[int] = field(default_factory=list)

    def requests(self) -> list[dict[str, Any]]:
        return [{**self.params, "page": p, "page_size": PAGE_SIZE} for p in self.pages]


def scenarios(users: dict[str, Any]) -> list[Scenario]:
    return [
        Scenario("a", "(a) admin, first pages, default sort", "admin", {}),
        Scenario("b", "(b) admin, scheme=abc class=A, sort -revenue", "admin",
                 {"scheme": "abc", "class": "A", "sort": "-revenue"}),
        Scenario("c", f"(c) admin, q={SEARCH}, sort -revenue", "admin", {"q": SEARCH, "sort": "-revenue"}),
        Scenario("d", f"(d) manager ({users['department']}), sort -last_order_date", "manager",
                 {"sort": "-last_order_date"}),
        Scenario("e", f"(e) rep {users['rep_id']} (own customers), sort name", "rep", {"sort": "name"}),
        Scenario("f", "(f) admin, deep pages, sort -revenue", "admin", {"sort": "-revenue"}, deep=True),
    ]


def plan_pages(scenario: Scenario, total: int, n: int, deep_page: int) -> None:
    """``n`` pages for the scenario: the first ones in turn, or consecutive ones from ``deep_page``."""
    last = max(1, math.ceil(total / PAGE_SIZE))
    scenario.total = total
    if scenario.deep:
        start = max(1, min(deep_page, last - n + 1))
        scenario.pages = [min(start + i, last) for i in range(n)]
    else:
        scenario.pages = [1 + i % min(n, last) for i in range(n)]


# --- the floor: hand-written DuckDB SQL -----------------------------------------------------------------

SORT_COLUMNS = {"customer_id": "c.customer_id", "name": "c.name", "revenue": "f.revenue",
                "orders": "f.order_count", "last_order_date": "f.last_order_date",
                "outstanding": "f.outstanding", "overdue": "f.overdue_amount"}


class Floor:
    """The customer list as hand-written SQL on one DuckDB connection (three queries a page)."""

    def __init__(self, con: Any, users: dict[str, Any]) -> None:
        self.con = con
        self.users = users
        row = con.execute("""SELECT x.snapshot_id, x."window" FROM snapshot_schemes x JOIN snapshots s
                             USING (snapshot_id) WHERE x.scheme = 'abc'
                             ORDER BY s.as_of DESC, x.snapshot_id DESC LIMIT 1""").fetchone()
        self.snapshot_id, self.window = row if row else (None, "12m")

    def _where(self, role: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
        clauses, args = ["TRUE"], []
        if role == "manager":
            clauses.append("(c.department = ? OR c.rep_id IN (SELECT rep_id FROM reps WHERE department = ?))")
            args += [self.users["department"]] * 2
        elif role == "rep":
            clauses.append("c.rep_id = ?")
            args.append(self.users["rep_id"])
        if params.get("q"):
            clauses.append("(contains(lower(c.customer_id), ?) OR contains(lower(c.name), ?))")
            args += [params["q"].lower()] * 2
        if params.get("class"):
            clauses.append("c.customer_id IN (SELECT customer_id FROM classes WHERE snapshot_id = ? "
                           "AND scheme = 'abc' AND class = ?)")
            args += [self.snapshot_id, params["class"]]
        return " AND ".join(clauses), args

    def count(self, role: str, params: dict[str, Any]) -> int:
        where, args = self._where(role, params)
        row = self.con.execute(f"SELECT count(*) FROM customers c WHERE {where}", args).fetchone()
        return int(row[0]) if row else 0

    def page(self, role: str, params: dict[str, Any]) -> dict[str, Any]:
        """What the API answers: total, the page's rows, and the classes of its ids."""
        total = self.count(role, params)
        where, args = self._where(role, params)
        sort = params.get("sort", "customer_id")
        key = sort.lstrip("-")
        order = f"{SORT_COLUMNS[key]} {'DESC' if sort.startswith('-') else 'ASC'}"
        if key != "customer_id":
            order += ", c.customer_id ASC"
        rows = self.con.execute(
            f"""SELECT c.customer_id, c.name, c.rep_id, c.department, c.region, f.revenue,
                       f.order_count AS orders, f.last_order_date, f.outstanding, f.overdue_amount AS overdue
                FROM customers c LEFT JOIN snapshot_customers f
                  ON f.customer_id = c.customer_id AND f.snapshot_id = ? AND f."window" = ?
                WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?""",
            [self.snapshot_id, self.window, *args, params["page_size"],
             (params["page"] - 1) * params["page_size"]]).fetchall()
        ids = [r[0] for r in rows]
        classes = self.con.execute(
            "SELECT customer_id, class FROM classes WHERE snapshot_id = ? AND scheme = 'abc' "
            "AND customer_id IN (SELECT unnest(?))", [self.snapshot_id, ids]).fetchall()
        return {"total": total, "ids": ids, "rows": rows, "classes": dict(classes)}


@dataclass
class Row:
    scenario: Scenario
    api: Timing
    inproc: Timing
    floor: Timing


LOADED = ("b", "e")  # the scenarios run under load


def measure_local(db: Path, users: dict[str, Any], plan: list[Scenario], args: argparse.Namespace,
                  deep_page: int, console: Any) -> tuple[dict[str, Timing], dict[str, Timing], list[Load]]:
    """Plan each scenario's pages, then time the floor and ``Workspace.customers.list()`` on a
    read-only connection to the cached workspace (before the server starts); then the floor under
    load: ``args.clients`` threads, a cursor each, on the loaded scenarios."""
    import duckdb
    import ibis

    from tierwise.access.users import User
    from tierwise.settings import Settings
    from tierwise.store.database import Database
    from tierwise.workspace import Workspace

    settings = Settings.from_env(db=db)
    con = duckdb.connect(str(db), read_only=True, config=settings.engine_config())
    floors, inprocs = {}, {}
    try:
        floor = Floor(con, users)
        people = {"admin": User("bench-admin", "admin"),
                  "manager": User("bench-manager", "manager", department=users["department"]),
                  "rep": User("bench-rep", "rep", rep_id=users["rep_id"])}
        cursor = con.cursor()
        desk = {role: Workspace(Database(ibis.duckdb.from_connection(cursor), settings), user)
                for role, user in people.items()}
        for s in plan:
            plan_pages(s, floor.count(s.role, s.params), args.requests, deep_page)

            def floor_call(params: dict[str, Any], s: Scenario = s) -> list[str]:
                return floor.page(s.role, params)["ids"]

            def inproc_call(params: dict[str, Any], s: Scenario = s) -> list[str]:
                p = {("klass" if k == "class" else k): v for k, v in params.items()}
                return [r["customer_id"] for r in desk[s.role].customers.list(**p)["items"]]

            floors[s.key] = timed(s.requests(), floor_call, args.warmup)
            inprocs[s.key] = timed(s.requests(), inproc_call, args.warmup)
            console.print(f"  {s.label}: {s.total:,} customers; floor p50 {_ms(floors[s.key].p50)} ms, "
                          f"in process p50 {_ms(inprocs[s.key].p50)} ms", highlight=False)
        cursor.close()
        loads = []
        for s in (p for p in plan if p.key in LOADED):
            def open_worker(s: Scenario = s) -> Worker:
                own = con.cursor()
                mine = Floor(own, users)

                def request(params: dict[str, Any]) -> None:
                    mine.page(s.role, params)

                return request, own.close

            loads.append(run_load(s, args.clients, args.duration, "floor (SQL)", open_worker))
            done = len(loads[-1].ms) + len(loads[-1].errors)
            console.print(f"  floor under load, {args.clients} threads on {s.label}: "
                          f"{done / loads[-1].seconds:,.1f} req/s", highlight=False)
    finally:
        con.close()
    return floors, inprocs, loads


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a is not None and b else "–"


def same_pages(a: Timing, b: Timing) -> str:
    pairs = list(zip(a.ids, b.ids, strict=False))
    return f"{sum(x == y for x, y in pairs)}/{len(pairs)}"


LATENCY_HEADERS = ["scenario", "total", "API p50 ms", "API p95 ms", "API max ms", "in-process p50 ms",
                   "floor p50 ms", "floor p95 ms", "× floor", "in-process × floor", "same pages", "errors"]
LOAD_HEADERS = ["load scenario", "what", "clients", "seconds", "requests", "req/s", "× floor req/s", "p50 ms",
                "p95 ms", "max ms", "errors"]


def latency_rows(rows: list[Row]) -> list[list[str]]:
    out = []
    for r in rows:
        errors = len(r.api.errors) + len(r.inproc.errors) + len(r.floor.errors)
        out.append([r.scenario.label, f"{r.scenario.total:,}", _ms(r.api.p50), _ms(r.api.p95),
                    _ms(max(r.api.ms) if r.api.ms else None), _ms(r.inproc.p50), _ms(r.floor.p50),
                    _ms(r.floor.p95), _ratio(r.api.p50, r.floor.p50), _ratio(r.inproc.p50, r.floor.p50),
                    same_pages(r.api, r.floor), str(errors)])
    return out


def _rate(load: Load) -> float | None:
    return (len(load.ms) + len(load.errors)) / load.seconds if load.seconds else None


def load_rows(loads: list[Load]) -> list[list[str]]:
    """API and floor rows of each loaded scenario, the API's rate as a share of the floor's."""
    floor_rate = {load.scenario.key: _rate(load) for load in loads if load.what != "API"}
    out = []
    for load in sorted(loads, key=lambda x: (x.scenario.key, x.what != "API")):
        t = Timing(ms=load.ms)
        rate = _rate(load)
        out.append([load.scenario.label, load.what, str(load.clients), f"{load.seconds:.1f}",
                    f"{len(load.ms) + len(load.errors):,}", f"{rate:,.1f}" if rate else "–",
                    f"{rate / floor_rate[load.scenario.key]:.2f}×"
                    if rate and floor_rate.get(load.scenario.key) else "–",
                    _ms(t.p50), _ms(t.p95), _ms(max(load.ms) if load.ms else None), str(len(load.errors))])
    return out


def markdown_table(title: str, headers: list[str], rows: list[list[str]]) -> list[str]:
    align = [":--" if i == 0 else "--:" for i in range(len(headers))]
    return [f"## {title}", "", "| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |",
            *("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows), ""]


def rich_table(title: str, headers: list[str], rows: list[list[str]], caption: str | None = None) -> Any:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, caption=caption)
    for i, h in enumerate(headers):
        table.add_column(h, justify="left" if i == 0 else "right", overflow="fold",
                         min_width=28 if i == 0 else None)
    for row in rows:
        table.add_row(*map(escape, row))
    return table


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from _orders import parse_size

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--customers", default=str(DEFAULT_CUSTOMERS),
                        help="customers in the generated company, e.g. 1M, 100K (default 1M)")
    parser.add_argument("--small", action="store_true",
                        help=f"a quick run: {SMALL_CUSTOMERS:,} customers (overrides --customers)")
    parser.add_argument("--lines-per-customer", type=int, default=10,
                        help="order lines per customer on average (default 10, as bench_classify.py)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per scenario (default 50)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed calls per scenario first (default 3)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients under load (default 20)")
    parser.add_argument("--duration", type=float, default=20.0,
                        help="seconds of load per load scenario (default 20)")
    parser.add_argument("--timeout", type=float, default=3000.0,
                        help="seconds before building or classifying the workspace is killed (default 3000)")
    parser.add_argument("--max-mem", type=float, default=16.0,
                        help="GiB of resident memory above which building/classifying is killed (default 16)")
    parser.add_argument("--keep", action="store_true", help="keep the server's copy of the workspace")
    args = parser.parse_args(argv)
    try:
        args.customers = SMALL_CUSTOMERS if args.small else parse_size(args.customers)
    except ValueError as exc:
        parser.error(str(exc))
    if min(args.requests, args.clients, args.lines_per_customer) < 1 or args.warmup < 0 or args.duration <= 0:
        parser.error("--requests, --clients, --lines-per-customer and --duration must be positive")
    return args


def main(argv: list[str] | None = None) -> None:
    """Build (or reuse) the classified workspace, time the floor and in-process calls, start the
    server, time the API sequentially and under load, print and save the tables."""
    import httpx
    import psutil
    from rich.console import Console
    from rich.markup import escape

    import bench_classify as bc
    from _orders import size_label
    from bench_import import machine_facts
    from bench_metrics import Limits

    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)
    load_avg = os.getloadavg()[0]
    clock = time.perf_counter()
    limits = Limits(args.timeout, args.max_mem * 1024)
    classified = ensure_classified(args.customers, args.lines_per_customer, limits, console)
    prepared = time.perf_counter() - clock
    console.print(f"[bold]{escape(bc.company_fact(classified.company))}[/bold]", highlight=False)

    work = DATA_DIR / "work-server.duckdb"
    _copy(classified.db, work)
    run, status, users = bc.run_child(child_command("users", work), limits)
    if status:
        raise SystemExit(f"adding the users failed: {status}\n{run.stderr[-3000:]}")
    console.print(f"users: admin; manager of {users['department']}; rep {users['rep_id']} "
                  f"({users['rep_customers']:,} customers)", highlight=False)
    plan = scenarios(users)
    deep_page = max(1, args.customers // 200)  # page 5,000 at 1M customers
    console.print("floor (hand-written SQL) and in process (Workspace.customers.list()):", highlight=False)
    floors, inprocs, floor_loads = measure_local(classified.db, users, plan, args, deep_page, console)

    port = free_port()
    log_path = DATA_DIR / "server.log"
    base = f"http://127.0.0.1:{port}"
    loads: list[Load] = list(floor_loads)
    apis: dict[str, Timing] = {}
    server_mib = 0.0
    with log_path.open("wb") as log:
        server = start_server(work, port, log)
        try:
            console.print(f"API (tierwise serve on port {port}), one client, sequential:", highlight=False)
            for s in plan:
                headers = {"Authorization": f"Bearer {users['tokens'][s.role]}"}
                with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
                    apis[s.key] = timed(s.requests(), api_call(client), args.warmup)
                console.print(f"  {s.label}: p50 {_ms(apis[s.key].p50)} ms, p95 {_ms(apis[s.key].p95)} ms"
                              + (f", {len(apis[s.key].errors)} errors: {apis[s.key].errors[0]}"
                                 if apis[s.key].errors else ""), highlight=False)
            for s in (p for p in plan if p.key in LOADED):
                console.print(f"load: {args.clients} clients for {args.duration:g} s on {s.label} …",
                              highlight=False)
                load = load_test(base, users["tokens"][s.role], s, args.clients, args.duration)
                loads.append(load)
                console.print(f"  {len(load.ms) + len(load.errors):,} requests, {len(load.errors)} errors",
                              highlight=False)
            server_mib = psutil.Process(server.pid).memory_info().rss / 2**20
        finally:
            stop_server(server)
    if not args.keep:
        _remove(work)

    rows = [Row(s, apis[s.key], inprocs[s.key], floors[s.key]) for s in plan]
    lat_rows, ld_rows = latency_rows(rows), load_rows(loads)
    counts = classified.company.facts.get("counts", {})
    size = f"{size_label(args.customers)} customers, {counts.get('orders', 0):,} order lines"
    made = (f"classified (abc) in {classified.classify_seconds:.0f} s" if classified.classify_seconds
            else "classified workspace cached")
    caption = (f"{size}; {PAGE_SIZE} rows a page; {args.requests} timed requests per scenario after "
               f"{args.warmup} warm-up, each a different page; one keep-alive client on loopback. "
               f"in process = Workspace.customers.list() without HTTP; floor = hand-written DuckDB SQL "
               f"(count, page, classes of the page), both on a read-only connection to the same data. "
               f"Machine: {machine_facts(load_avg)}.")
    load_caption = (f"API: {args.clients} threads with one keep-alive httpx.Client each, on the same machine "
                    f"as the server (they share its cores); any non-200 or failed request is an error. "
                    f"Floor: {args.clients} threads running the floor's three queries, each on its own "
                    f"cursor of one read-only connection, in the benchmark process (no HTTP). "
                    f"{args.duration:g} s each. Server RSS at the end {server_mib:,.0f} MiB.")
    done = classified.classify
    notes = [f"data {bc.company_fact(classified.company)}",
             f"abc snapshot {done.get('snapshot_id')} as of {done.get('as_of')}: "
             f"{done.get('classes_rows', 0):,} classes rows; {made}; workspace ready after {prepared:.0f} s",
             f"manager = department with the most reps ({users['department']}); rep = the rep owning "
             f"the most customers ({users['rep_id']}, {users['rep_customers']:,}); pages asked: "
             + "; ".join(f"({s.key}) {s.pages[0]}–{max(s.pages)}" for s in plan)]
    for r in rows:
        for kind, t in (("API", r.api), ("in process", r.inproc), ("floor", r.floor)):
            if t.errors:
                notes.append(f"({r.scenario.key}) {kind}: {len(t.errors)} errors, first: {t.errors[0]}")
    for load in loads:
        if load.errors:
            kinds: dict[str, int] = {}
            for e in load.errors:
                kinds[e] = kinds.get(e, 0) + 1
            notes.append(f"load ({load.scenario.key}, {load.what}) errors: "
                         + ", ".join(f"{k} × {v}" for k, v in sorted(kinds.items())))

    console.print(rich_table(f"Customer list latency ({size})", LATENCY_HEADERS, lat_rows, caption))
    console.print(rich_table("Customer list under load", LOAD_HEADERS, ld_rows, load_caption))
    for note in notes:
        console.print(escape(note), highlight=False)
    markdown = "\n".join([*markdown_table(f"Customer list latency: API vs in process vs floor ({size})",
                                          LATENCY_HEADERS, lat_rows), caption, "",
                          *markdown_table("Customer list under load", LOAD_HEADERS, ld_rows),
                          load_caption, "",
                          *(f"- {n}" for n in notes), ""])
    console.print("\n[bold]Markdown[/bold]:\n", highlight=False)
    print(markdown)
    command = " ".join(["python benchmarks/bench_api.py", *(argv if argv is not None else sys.argv[1:])])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# API benchmark\n\n`{command}`, {datetime.now():%Y-%m-%d %H:%M}, "
                       f"{time.perf_counter() - clock:.0f} s in all\n\n{markdown}", encoding="utf-8")
    console.print(f"\nwritten to {RESULTS}", highlight=False)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(CHILDREN[sys.argv[2]](Path(sys.argv[3])), default=str))
    else:
        main()
