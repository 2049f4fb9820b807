"""Latency benchmark: what a sales team clicks all day — logging a follow-up, opening a customer,
opening the dashboard — at 1,000,000 customers and ~10M order lines, alone and with 20 people at
once, against the floor (the same SQL statements in bare DuckDB).

The workspace is ``bench_classify.py``'s generated company (``ensure_company``), copied,
classified by every preset and given its tasks (``tasks.refresh(days=30)``) in a child process,
cached as ``bench-data/latency/ws-<customers>-<lines>.duckdb`` with a JSON sidecar (rebuilt when
the sizes, the build versions, the demo generator, the presets or DuckDB change).

Each run copies it twice: one copy the server serves, one the floor writes to. A child adds the
people: an admin, the manager of the department with the most reps, and ``--reps`` reps (those
with the most customers that have open tasks), each with a password; it lists, per rep, their
customers with open tasks (the ones they would follow up) and, for the admin and the manager,
customers of their scope to open.

Then ``tierwise --db COPY serve`` is started and every client signs in through the login form
(a session cookie, as a browser does). The operations, each timed from sending the request to
the whole answer read (redirects not followed):

* **follow-up** — a rep logs a call on one of their customers from the customer page's form
  (``POST /customers/{id}/activities`` with the page's CSRF token and a fresh idempotency key;
  the answer is the 303 back to the page). It closes that customer's tasks due by today.
* **customer page** — ``GET /customers/{id}`` (profile, classes with reasons, history, tasks,
  latest orders, payments and follow-ups).
* **dashboard** — ``GET /`` of the rep, the manager (their department) and the admin (every
  customer): key figures, tier mix of every scheme, matrices, movers, holds, tasks due.

Phases: **first dashboards** — once the server's warmer says every person's dashboard is ready
(its log line; the time from the start is reported), each person's first dashboard, one after
another; **alone** — one client, sequential, ``--requests`` of each operation after a warm-up;
**load** — ``--clients`` clients at once for ``--duration`` seconds (by default 20: 2 admins, 2
managers, the rest reps), each going round its own cycle with no pause between requests (reps:
dashboard, customer page, follow-up, customer page; the others: dashboard, customer page), so
the server is never idle: a harder load than 20 people clicking. The clients run in this process
and share the machine's cores with the server.

The **floor**: while the server runs, each operation is also run in process through the facade
on a third copy with every SQL statement recorded (the statements, their parameters and the
tables registered with them); the floor replays exactly those statements on a bare DuckDB
connection to the floor copy (each operation's statements on one cursor, writes committed),
alone and with ``--clients`` threads. So ``× floor`` is what the web app, sessions, templates and
Python cost on top of the engine's own work.

After the load the server is stopped and ``tierwise audit --verify`` runs on its copy: the audit
chain written by the concurrent follow-ups must hold. The goals of issue 18 are printed beside
each figure under load (follow-up p95 ≤ 300 ms, customer page ≤ 500 ms, dashboard ≤ 1 s, no
errors); a missed goal prints MISS. ``--small`` runs at 100,000 customers. Results are printed
(Rich, then Markdown) and written to ``benchmarks/results/latency.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from _http import Timing, free_port, start_server, stop_server

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "bench-data" / "latency"
RESULTS = Path(__file__).resolve().parent / "results" / "latency.md"
BUILD_VERSION = 3  # bump when the workspace is made differently, so cached ones are rebuilt
DEFAULT_CUSTOMERS, SMALL_CUSTOMERS = 1_000_000, 100_000
PASSWORD = "bench-latency-password-1"
OPS = ("follow-up", "customer page", "dashboard")
GOALS_MS = {"follow-up": 300.0, "customer page": 500.0, "dashboard": 1000.0}  # p95 under load, issue 18


# --- the children: classify and make tasks, add the people --------------------------------------------

def child_prepare(db: Path) -> dict[str, Any]:
    """Classify ``db`` by every preset, then store the tasks of the next 30 days."""
    from bench_classify import _open

    with _open(db) as ws:
        start = time.perf_counter()
        result = ws.snapshots.classify()
        classified = time.perf_counter() - start
        start = time.perf_counter()
        ws.tasks.refresh(days=30)
        tasks = time.perf_counter() - start
        con = ws.db.con
        (classes,) = con.execute("SELECT count(*) FROM classes WHERE snapshot_id = ?",
                                 [result.snapshot_id]).fetchone() or (0,)
        (schemes,) = con.execute("SELECT count(*) FROM snapshot_schemes WHERE snapshot_id = ?",
                                 [result.snapshot_id]).fetchone() or (0,)
        (open_tasks,) = con.execute("SELECT count(*) FROM tasks WHERE status = 'open'").fetchone() or (0,)
    return {"classify_seconds": round(classified, 1), "tasks_seconds": round(tasks, 1),
            "snapshot_id": result.snapshot_id, "as_of": result.as_of.isoformat(), "schemes": schemes,
            "classes_rows": classes, "open_tasks": open_tasks}


def child_people(db: Path, reps: int) -> dict[str, Any]:
    """Add the admin, the manager and ``reps`` reps with a password; per rep, their customers
    with open tasks; for the admin and the manager, customers of their scope."""
    from bench_classify import _open
    from tierwise.access.users import add_user

    with _open(db) as ws:
        con = ws.db.con
        (department,) = con.execute("SELECT department FROM reps WHERE department IS NOT NULL "
                                    "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone() or (None,)
        busiest = con.execute(
            """SELECT c.rep_id, list(DISTINCT t.customer_id ORDER BY t.customer_id)[:200]
               FROM tasks t JOIN customers c USING (customer_id)
               WHERE t.status = 'open' AND c.rep_id IS NOT NULL
               GROUP BY 1 ORDER BY count(DISTINCT t.customer_id) DESC, 1 LIMIT ?""", [reps]).fetchall()
        sample = "SELECT customer_id FROM customers {} ORDER BY hash(customer_id) LIMIT 200"
        people: list[dict[str, Any]] = [
            {"name": "bench-admin", "role": "admin", "scope": {},
             "customers": [r[0] for r in con.execute(sample.format("")).fetchall()]},
            {"name": "bench-manager", "role": "manager", "scope": {"department": department},
             "customers": [r[0] for r in con.execute(sample.format(
                 "WHERE rep_id IN (SELECT rep_id FROM reps WHERE department = ?)"),
                 [department]).fetchall()]},
        ]
        people += [{"name": f"bench-rep-{rep_id}", "role": "rep", "scope": {"rep_id": rep_id},
                    "customers": list(ids)} for rep_id, ids in busiest]
        for person in people:
            add_user(ws.db, person["name"], person["role"], password=PASSWORD, by="bench", **person["scope"])
    return {"department": department, "people": people}


def child_command(task: str, db: Path, *extra: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", task, str(db), *extra]


# --- the workspace -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Prepared:
    """The cached, classified workspace with its tasks, of one size."""

    db: Path
    company: Any  # bench_classify.Company
    report: dict[str, Any]  # the prepare child's report
    seconds: float | None  # wall time of the prepare child; None: cached


def _presets_hash() -> str:
    import hashlib

    import tierwise.schemes.presets as presets

    digest = hashlib.sha256()
    for path in sorted(Path(presets.__file__).parent.glob("*.yaml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_prepared(customers: int, lines: int, limits: Any, console: Any) -> Prepared:
    """bench_classify's workspace for this size, classified by every preset, with its tasks (cached)."""
    import duckdb

    import bench_classify as bc
    from bench_api import cached_workspace
    from tierwise.store.migrations import SCHEMA_VERSION

    company = bc.ensure_company(customers, lines, limits, console)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    db = DATA_DIR / f"ws-{customers}-{lines}.duckdb"
    wanted = {"customers": customers, "lines_per_customer": lines, "seed": bc.SEED,
              "classify_build": bc.BUILD_VERSION, "build": BUILD_VERSION, "duckdb": duckdb.__version__,
              "demo": bc.demo_source_hash(), "schema": SCHEMA_VERSION, "presets": _presets_hash()}
    report, seconds = cached_workspace(
        db, wanted, company.db, lambda tmp: child_command("prepare", tmp), limits, console, key="prepare",
        doing=f"classifying a copy by every preset and storing its tasks ({customers:,} customers)")
    return Prepared(db, company, report, seconds)


# --- the web client ------------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class PageClient:
    """One person in a browser: signed in through the login form, with their session cookie."""

    def __init__(self, base: str, person: dict[str, Any]) -> None:
        import httpx

        self.person = person
        self.http = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
        found = CSRF.search(self.http.get("/login").text)
        if found is None:
            raise RuntimeError("no CSRF token on the login page")
        r = self.http.post("/login", data={"name": person["name"], "password": PASSWORD,
                                           "csrf": found.group(1), "next": "/"})
        if r.status_code != 303:
            raise RuntimeError(f"signing in {person['name']}: HTTP {r.status_code}")
        page = self.http.get(f"/customers/{person['customers'][0]}")
        found = CSRF.search(page.text)
        if page.status_code != 200 or found is None:
            raise RuntimeError(f"customer page for {person['name']}: HTTP {page.status_code}")
        self.csrf = found.group(1)

    def customer_page(self, customer_id: str) -> None:
        self._expect(self.http.get(f"/customers/{customer_id}"), 200)

    def dashboard(self) -> None:
        self._expect(self.http.get("/"), 200)

    def follow_up(self, customer_id: str) -> None:
        data = {"csrf": self.csrf, "kind": "call", "note": "bench: called about the open tasks",
                "idempotency_key": uuid.uuid4().hex}
        self._expect(self.http.post(f"/customers/{customer_id}/activities", data=data), 303)

    @staticmethod
    def _expect(response: Any, status: int) -> None:
        if response.status_code != status:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:120]}")
        if status == 303 and "error" in response.headers.get("location", ""):
            raise RuntimeError(f"refused: {response.headers['location'][:120]}")

    def close(self) -> None:
        self.http.close()


# --- the recorded statements, replayed on bare DuckDB (the floor) --------------------------------------

@dataclass
class Call:
    """One call on a DuckDB connection or cursor: which handle, what, with what."""

    handle: int
    method: str
    args: tuple[Any, ...]


class Recorder:
    """A DuckDB connection (or cursor) that notes every statement run through it, so the same
    statements can be replayed on a bare connection."""

    def __init__(self, real: Any, log: list[Call], handle: int = 0, counter: list[int] | None = None) -> None:
        self._real, self._log, self._handle = real, log, handle
        self._counter = counter if counter is not None else [0]

    def execute(self, query: Any, parameters: Any = None) -> Any:
        self._log.append(Call(self._handle, "execute", (str(query), parameters)))
        real = self._real
        result = real.execute(query, parameters) if parameters is not None else real.execute(query)
        return self if result is self._real else result

    def sql(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        self._log.append(Call(self._handle, "sql", (str(query),)))
        return self._real.sql(query, *args, **kwargs)

    def register(self, name: str, table: Any) -> Any:
        self._log.append(Call(self._handle, "register", (name, table)))
        self._real.register(name, table)
        return self

    def cursor(self) -> Recorder:
        self._counter[0] += 1
        self._log.append(Call(self._counter[0], "cursor", (self._handle,)))
        return Recorder(self._real.cursor(), self._log, self._counter[0], self._counter)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def record(ws: Any, operation: Callable[[Any], Any]) -> list[Call]:
    """``operation(ws)`` run once on a fresh cursor of ``ws`` that records its statements."""
    import ibis

    from tierwise.store.database import Database
    from tierwise.workspace import Workspace

    log: list[Call] = []
    cursor = ws.db.con.cursor()
    try:
        db = Database(ibis.duckdb.from_connection(cursor), ws.db.settings)
        db.ibis.con = Recorder(cursor, log)
        operation(Workspace(db, ws.actor, None))
    finally:
        cursor.close()
    return log


def replay(con: Any, calls: list[Call]) -> None:
    """The recorded statements on ``con`` (a bare DuckDB connection), each result read whole."""
    handles = {0: con.cursor()}
    try:
        for call in calls:
            target = handles[call.handle] if call.method != "cursor" else handles[call.args[0]]
            if call.method == "cursor":
                handles[call.handle] = target.cursor()
            elif call.method == "register":
                target.register(*call.args)
            else:
                query, params = (call.args[0], call.args[1] if len(call.args) > 1 else None)
                result = target.execute(query, params) if params is not None else target.execute(query)
                if result.description is not None:
                    result.fetchall()
    finally:
        for handle in handles.values():
            handle.close()


# --- the operations, through the web and in process ----------------------------------------------------

@dataclass
class Person:
    """One client's person and the customers they work on (in turn, from a starting point)."""

    info: dict[str, Any]
    start: int = 0

    @property
    def role(self) -> str:
        return str(self.info["role"])

    def customer(self, k: int) -> str:
        ids = self.info["customers"]
        return str(ids[(self.start + k) % len(ids)])


def cycle(person: Person) -> list[str]:
    """The round a person goes: a rep works their customers; the others look around."""
    if person.role == "rep":
        return ["dashboard", "customer page", "follow-up", "customer page"]
    return ["dashboard", "customer page"]


def web_call(client: PageClient, op: str, customer: str) -> None:
    if op == "dashboard":
        client.dashboard()
    elif op == "customer page":
        client.customer_page(customer)
    else:
        client.follow_up(customer)


def facade_call(ws: Any, op: str, customer: str) -> None:
    """What the page's route asks the facade for (the template and HTTP aside)."""
    if op == "dashboard":
        ws.reports.dashboard(lang="zh")
    elif op == "customer page":
        ws.customers.get(customer, lang="zh")
        ws.schemes.list()
        ws.reports.list_schemes()
    else:
        ws.activities.add(customer, "call", note="bench: called about the open tasks",
                          idempotency_key=uuid.uuid4().hex)


@dataclass
class Stats:
    """Milliseconds per operation, and the failures."""

    ms: dict[str, list[float]] = field(default_factory=lambda: {op: [] for op in OPS})
    errors: dict[str, list[str]] = field(default_factory=lambda: {op: [] for op in OPS})
    seconds: float = 0.0

    def add(self, other: Stats) -> None:
        for op in OPS:
            self.ms[op] += other.ms[op]
            self.errors[op] += other.errors[op]

    def timing(self, op: str) -> Timing:
        return Timing(ms=self.ms[op], errors=self.errors[op])


def timed_call(stats: Stats, op: str, call: Callable[[], None]) -> None:
    start = time.perf_counter()
    try:
        call()
    except Exception as exc:
        stats.errors[op].append(f"{type(exc).__name__}: {exc}"[:160])
        return
    stats.ms[op].append((time.perf_counter() - start) * 1000)


def run_clients(workers: list[Callable[[Stats, threading.Event], None]], duration: float) -> Stats:
    """Each worker in its own thread until ``duration`` has passed; their stats together."""
    stop = threading.Event()
    parts = [Stats() for _ in workers]
    threads = [threading.Thread(target=w, args=(p, stop), daemon=True)
               for w, p in zip(workers, parts, strict=True)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    stop.wait(duration)
    stop.set()
    for thread in threads:
        thread.join()
    total = Stats(seconds=time.perf_counter() - start)
    for part in parts:
        total.add(part)
    return total


def think(rng: random.Random, mean: float, stop: threading.Event) -> None:
    """A person's pause between clicks: exponential with ``mean`` seconds (none when 0)."""
    if mean > 0:
        stop.wait(rng.expovariate(1 / mean))


def people_for_load(people: list[dict[str, Any]], clients: int) -> list[Person]:
    """``clients`` people: 2 admins, 2 managers, the rest reps (one client per rep)."""
    admin, manager, reps = people[0], people[1], people[2:]
    chosen = [Person(admin, 0), Person(admin, 97), Person(manager, 0), Person(manager, 97)][:min(4, clients)]
    chosen += [Person(r) for r in reps[: max(0, clients - len(chosen))]]
    return chosen


def web_load(base: str, persons: list[Person], duration: float, think_mean: float, seed: int) -> Stats:
    clients = [PageClient(base, p.info) for p in persons]  # signed in before the clock starts

    def worker(index: int) -> Callable[[Stats, threading.Event], None]:
        person, client, rng = persons[index], clients[index], random.Random(seed + index)

        def run(stats: Stats, stop: threading.Event) -> None:
            k = 0
            think(rng, think_mean, stop)  # people do not all click at the same instant
            while not stop.is_set():
                for op in cycle(person):
                    if stop.is_set():
                        break
                    customer = person.customer(k)
                    timed_call(stats, op, lambda op=op, customer=customer: web_call(client, op, customer))
                    think(rng, think_mean, stop)
                k += 1
        return run

    try:
        return run_clients([worker(i) for i in range(len(persons))], duration)
    finally:
        for client in clients:
            client.close()


def wait_for_warm(log: Path, server: subprocess.Popen[bytes], timeout: float = 900.0) -> str:
    """The server log's line saying the dashboards are ready, waited for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if "dashboards ready" in line or "概览已备好" in line:
                return line.split(" ", 1)[-1].strip()
        time.sleep(0.5)
    raise RuntimeError(f"no 'dashboards ready' in {log} within {timeout:g} s")


def first_dashboards(base: str, persons: list[Person]) -> dict[str, float]:
    """Each person's first dashboard after the server started and warmed them, one person after
    another as people arrive in the morning: milliseconds by person."""
    out: dict[str, float] = {}
    for person in persons:
        name = person.info["name"]
        if name in out:
            continue
        client = PageClient(base, person.info)
        try:
            start = time.perf_counter()
            client.dashboard()
            out[name] = (time.perf_counter() - start) * 1000
        finally:
            client.close()
    return out


def web_alone(base: str, people: list[dict[str, Any]], requests: int, warmup: int) -> Stats:
    """One client at a time, no pause: each operation ``requests`` times after ``warmup``."""
    stats = Stats()
    plan = [("follow-up", people[2]), ("customer page", people[2]), ("dashboard", people[2]),
            ("dashboard", people[1]), ("dashboard", people[0])]
    for op, info in plan:
        client = PageClient(base, info)
        person = Person(info, 50)
        try:
            for k in range(warmup):
                web_call(client, op, person.customer(k))
            for k in range(requests):
                customer = person.customer(warmup + k)
                timed_call(stats, op, lambda c=client, o=op, x=customer: web_call(c, o, x))
        finally:
            client.close()
    return stats


# --- the floor: the recorded statements of each operation, replayed on bare DuckDB ---------------------

@dataclass
class Traces:
    """Recorded statements: per person, the ones of a dashboard and of a customer page (reused),
    and of follow-ups (each replayed once: it writes)."""

    dashboard: dict[str, list[Call]] = field(default_factory=dict)
    page: dict[str, list[Call]] = field(default_factory=dict)
    follow_ups: dict[str, list[list[Call]]] = field(default_factory=dict)


def record_traces(db: Path, persons: list[Person], follow_ups: int) -> Traces:
    """Each person's operations run once in process on ``db`` (a copy) with their statements
    recorded; the dashboard after a first call (as the server serves it, its stored part kept)."""
    from tierwise.access.users import User
    from tierwise.settings import Settings
    from tierwise.workspace import Workspace

    traces = Traces()
    with Workspace.open(Settings.from_env(db=db)) as root:
        for p in persons:
            name = p.info["name"]
            if name in traces.dashboard:
                continue
            actor = User(name, p.role, **p.info["scope"])
            ws = root.acting_as(actor)
            facade_call(ws.fork(), "dashboard", "")
            traces.dashboard[name] = record(ws, lambda w: facade_call(w, "dashboard", ""))
            traces.page[name] = record(ws, lambda w, p=p: facade_call(w, "customer page", p.customer(0)))
            if p.role == "rep":
                traces.follow_ups[name] = [
                    record(ws, lambda w, p=p, k=k: facade_call(w, "follow-up", p.customer(k)))
                    for k in range(follow_ups)]
    return traces


def floor_worker(con: Any, person: Person, traces: Traces, think_mean: float, seed: int,
                 alone: int = 0) -> Callable[[Stats, threading.Event], None]:
    name = person.info["name"]
    pending = list(traces.follow_ups.get(name, []))
    rng = random.Random(seed)

    def run(stats: Stats, stop: threading.Event) -> None:
        think(rng, think_mean, stop)
        while not stop.is_set():
            for op in cycle(person):
                if stop.is_set():
                    break
                if op == "follow-up":
                    if not pending:
                        continue
                    calls = pending.pop(0)
                else:
                    calls = traces.dashboard[name] if op == "dashboard" else traces.page[name]
                timed_call(stats, op, lambda calls=calls: replay(con, calls))
                think(rng, think_mean, stop)
    return run


def floor_alone(con: Any, people: list[dict[str, Any]], traces: Traces, requests: int) -> Stats:
    """The floor of :func:`web_alone`: the same people's statements, one operation at a time."""
    stats = Stats()
    for op, info in (("follow-up", people[2]), ("customer page", people[2]), ("dashboard", people[2]),
                     ("dashboard", people[1]), ("dashboard", people[0])):
        name = info["name"]
        for _ in range(requests):
            if op == "follow-up":
                if not traces.follow_ups[name]:
                    break
                calls = traces.follow_ups[name].pop()
            else:
                calls = traces.dashboard[name] if op == "dashboard" else traces.page[name]
            timed_call(stats, op, lambda calls=calls: replay(con, calls))
    return stats


# --- the run --------------------------------------------------------------------------------------------

def serve(db: Path, port: int, log: Any) -> subprocess.Popen[bytes]:
    """``tierwise serve`` on ``db`` with the schedule off: its daily tasks job (a minute of both
    cores at a million customers) would land in the middle of the measurement."""
    os.environ["TIERWISE_SCHEDULE"] = "off"
    try:
        return start_server(db, port, log)
    finally:
        del os.environ["TIERWISE_SCHEDULE"]


def verify_audit(db: Path) -> tuple[bool, str]:
    from bench_import import tierwise_exe

    run = subprocess.run([str(tierwise_exe()), "--db", str(db), "--lang", "en", "audit", "--verify",
                          "--limit", "1"], capture_output=True, text=True, encoding="utf-8", timeout=600)
    said = [ln.strip() for ln in (run.stdout + run.stderr).splitlines()
            if ln.strip().startswith(("ok", "Error", "error")) or "hash chain" in ln]
    return run.returncode == 0, (said[0] if said else f"exit {run.returncode}")[:160]


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def table_rows(web: Stats, floor: Stats, goals: bool) -> list[list[str]]:
    rows = []
    for op in OPS:
        w, f = web.timing(op), floor.timing(op)
        ratio = f"{w.p95 / f.p95:.1f}×" if w.p95 and f.p95 else "–"
        goal = GOALS_MS[op]
        mark = "" if not goals else ("ok" if w.p95 is not None and w.p95 <= goal and not w.errors else "MISS")
        rows.append([op, f"{len(w.ms):,}", _ms(w.p50), _ms(w.p95), _ms(max(w.ms) if w.ms else None),
                     str(len(w.errors)), _ms(f.p50), _ms(f.p95), ratio,
                     f"≤ {goal:,.0f} ms {mark}".strip() if goals else "–"])
    return rows


HEADERS = ["operation", "requests", "p50 ms", "p95 ms", "max ms", "errors", "floor p50 ms", "floor p95 ms",
           "p95 × floor", "goal (p95)"]


def markdown_table(title: str, rows: list[list[str]]) -> list[str]:
    align = [":--" if i == 0 else "--:" for i in range(len(HEADERS))]
    return [f"## {title}", "", "| " + " | ".join(HEADERS) + " |", "| " + " | ".join(align) + " |",
            *("| " + " | ".join(r) + " |" for r in rows), ""]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from _orders import parse_size

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--customers", default=str(DEFAULT_CUSTOMERS), help="customers (default 1M)")
    parser.add_argument("--small", action="store_true", help=f"{SMALL_CUSTOMERS:,} customers")
    parser.add_argument("--lines-per-customer", type=int, default=10,
                        help="order lines per customer (default 10)")
    parser.add_argument("--clients", type=int, default=20, help="people at once (default 20)")
    parser.add_argument("--reps", type=int, default=16, help="reps among them (default 16)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds a person pauses between clicks (default 2; 0: none)")
    parser.add_argument("--requests", type=int, default=30,
                        help="timed requests per operation alone (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (default 3)")
    parser.add_argument("--timeout", type=float, default=3000.0, help="seconds for a preparing child")
    parser.add_argument("--max-mem", type=float, default=16.0, help="GiB for a preparing child")
    args = parser.parse_args(argv)
    args.customers = SMALL_CUSTOMERS if args.small else parse_size(args.customers)
    return args


def main(argv: list[str] | None = None) -> None:
    import duckdb
    import psutil
    from rich.console import Console
    from rich.table import Table

    import bench_classify as bc
    from _orders import size_label
    from bench_api import _copy, _remove
    from bench_import import machine_facts
    from bench_metrics import Limits

    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)
    load_avg = os.getloadavg()[0]
    clock = time.perf_counter()
    limits = Limits(args.timeout, args.max_mem * 1024)
    prepared = ensure_prepared(args.customers, args.lines_per_customer, limits, console)
    work, floor_db, record_db = (DATA_DIR / f"work-{n}.duckdb" for n in ("server", "floor", "record"))
    _copy(prepared.db, work)
    run, status, found = bc.run_child(child_command("people", work, str(args.reps)), limits)
    if status:
        raise SystemExit(f"adding the people failed: {status}\n{run.stderr[-3000:]}")
    people: list[dict[str, Any]] = found["people"]
    for target in (floor_db, record_db):
        _copy(work, target)
    persons = people_for_load(people, args.clients)
    console.print(f"people: admin; manager of {found['department']}; {len(people) - 2} reps; "
                  f"{len(persons)} clients", highlight=False)
    console.print("recording each operation's statements in process (the floor replays them) …",
                  highlight=False)
    traces = record_traces(record_db, persons, args.requests + max(20, int(args.duration)))
    _remove(record_db)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (DATA_DIR / "server.log").open("wb") as log:
        started = time.perf_counter()
        server = serve(work, port, log)
        try:
            console.print("waiting for the server's warmer (every person's dashboard computed) …",
                          highlight=False)
            warmed = wait_for_warm(DATA_DIR / "server.log", server)
            warm_s = time.perf_counter() - started
            console.print("first dashboards: each person's first, one after another …", highlight=False)
            cold = first_dashboards(base, persons)
            console.print(f"alone: one client, {args.requests} of each operation …", highlight=False)
            alone = web_alone(base, people, args.requests, args.warmup)
            console.print(f"load: {len(persons)} people for {args.duration:g} s, pausing {args.think:g} s "
                          "on average between clicks …", highlight=False)
            loaded = web_load(base, persons, args.duration, args.think, seed=1)
            console.print(f"saturation: the same people with no pause for {args.duration / 2:g} s …",
                          highlight=False)
            saturated = web_load(base, persons, args.duration / 2, 0.0, seed=2)
            server_mib = psutil.Process(server.pid).memory_info().rss / 2**20
        finally:
            stop_server(server)
    audit_ok, audit_line = verify_audit(work)
    console.print(f"audit --verify after the load: {'passes' if audit_ok else 'FAILS'} ({audit_line})",
                  highlight=False)

    console.print("floor: the recorded statements on bare DuckDB …", highlight=False)
    con = duckdb.connect(str(floor_db))
    con.execute("SET enable_progress_bar = false")
    try:
        floor_one = floor_alone(con, people, traces, args.requests)
        floor_loaded = run_clients([floor_worker(con, p, traces, args.think, 100 + i)
                                    for i, p in enumerate(persons)], args.duration)
        floor_saturated = run_clients([floor_worker(con, p, traces, 0.0, 200 + i)
                                       for i, p in enumerate(persons)], args.duration / 2)
    finally:
        con.close()
    for path in (work, floor_db):
        _remove(path)

    lines_count = prepared.company.facts["counts"]["orders"]
    size = f"{size_label(args.customers)} customers, {lines_count:,} order lines"
    sections = [
        (f"Alone: one client, one request at a time ({size})", table_rows(alone, floor_one, False)),
        (f"{len(persons)} people at once, {args.think:g} s mean pause between clicks ({size})",
         table_rows(loaded, floor_loaded, True)),
        (f"Saturation: the same {len(persons)} people with no pause ({size})",
         table_rows(saturated, floor_saturated, False)),
    ]
    report = prepared.report
    rate = sum(len(v) for v in loaded.ms.values()) / loaded.seconds if loaded.seconds else 0.0
    sat_rate = sum(len(v) for v in saturated.ms.values()) / saturated.seconds if saturated.seconds else 0.0
    notes = [
        f"workspace: {bc.company_fact(prepared.company)}",
        f"classified by {report.get('schemes')} presets ({report.get('classes_rows', 0):,} classes rows), "
        f"{report.get('open_tasks', 0):,} open tasks; prepared once "
        f"(classify {report.get('classify_seconds')} s, "
        f"tasks {report.get('tasks_seconds')} s) and cached",
        f"people: {len(persons)} clients signed in through the login form — 2 admins and 2 managers "
        "(dashboard, "
        f"customer page) and {len(persons) - 4} reps (dashboard, customer page, follow-up on a customer with "
        f"open tasks, customer page); each request timed until its whole answer was read",
        f"load: {rate:.1f} requests/s offered by the people pausing (exponential, mean {args.think:g} s); "
        f"saturation: {sat_rate:.1f} requests/s with no pause (the server never idle)",
        "floor: each operation's SQL statements, recorded in process through the facade and replayed on a "
        "bare DuckDB connection to a copy of the workspace (writes committed), with the same people, "
        "cycles and pauses; the sign-in check, templates, HTTP and Python are what the web adds",
        f"the server's warmer had every person's dashboard ready {warm_s:.1f} s after it was started "
        f"({warmed}); then the first dashboard of each of the {len(cold)} people, one after another: "
        f"p50 {_ms(statistics.median(cold.values()))} ms, max {_ms(max(cold.values()))} ms (admin "
        f"{_ms(cold[people[0]['name']])}, manager {_ms(cold[people[1]['name']])}); kept until the data "
        "version changes, when the warmer computes them again",
        f"audit --verify after the load: {'passes' if audit_ok else 'FAILS'} ({audit_line})",
        f"server RSS at the end {server_mib:,.0f} MiB; the server's schedule was off (its daily tasks job "
        "would run during the measurement)",
        f"machine: {machine_facts(load_avg)}",
    ]
    for title, rows in sections:
        table = Table(title=title)
        for i, h in enumerate(HEADERS):
            table.add_column(h, justify="left" if i == 0 else "right")
        for r in rows:
            table.add_row(*r)
        console.print(table)
    for note in notes:
        console.print(f"- {note}", highlight=False)
    command = " ".join(["python benchmarks/bench_latency.py", *(argv if argv is not None else sys.argv[1:])])
    lines = ["# Latency benchmark", "",
             f"`{command}`, {datetime.now():%Y-%m-%d %H:%M}, {time.perf_counter() - clock:.0f} s in all", ""]
    for title, rows in sections:
        lines += markdown_table(title, rows)
    lines += [f"- {n}" for n in notes]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    console.print(f"written to {RESULTS.relative_to(REPO_ROOT)}", highlight=False)
    misses = [r[0] for _, rows in sections[1:2] for r in rows if r[-1].endswith("MISS")]
    if misses or not audit_ok:
        console.print(f"[bold red]MISS: {', '.join(misses) or 'audit'}[/bold red]")


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {"prepare": child_prepare, "people": child_people}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        extra = [int(x) for x in sys.argv[4:]]
        print(json.dumps(CHILDREN[sys.argv[2]](Path(sys.argv[3]), *extra), default=str))
    else:
        main()
