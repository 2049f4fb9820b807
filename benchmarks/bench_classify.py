"""Classification benchmark: ``Workspace.snapshots.classify()`` (every preset whose data is present) against
``Workspace.metrics.run()`` alone, on one generated company.

The workspace is the demo company (``tierwise.demo``) at benchmark size: 1,000,000 customers
(about 10 % prospects) with ``--lines-per-customer`` order lines each on average (default 10, so
about 10,000,000 lines), plus its payments, follow-up activities, reps, products and the
customer attribute columns presets read (scale, management_level, purchasing_power,
marketing_level, growth_ability, competitive_advantage, intent, share_of_wallet,
upcoming_purchases, flag, annual_agreement, personality, type, credit limit and terms). The
files are generated and imported through tierwise's own importer once, into
``bench-data/classify/ws-<customers>-<lines>.duckdb`` with a JSON sidecar; the workspace is
rebuilt only when the sidecar disagrees (size, seed, this script's build version, DuckDB
version, the demo generator's source).

Tasks, each in a fresh child process on its own copy of that workspace (copied before the
clock starts), so wall time includes starting Python and importing tierwise and peak memory is
the child's own (``_measure.measure``, ``ru_maxrss`` of exactly that child):

* **metrics alone** — ``ws.metrics.run()`` (window 12m, as of the latest order date, with CLV);
* **classify** — ``ws.snapshots.classify()``: the metrics, every scheme whose data is present, and the
  snapshot written to the workspace;
* **tasks** — on a copy of the workspace the classify run left (with its snapshot): the tasks
  of every rep from the playbooks (``generated`` for the as-of date, 7 days ahead, in the engine) and
  keeping them in the ``tasks`` table (``sync_tasks``). Peak memory is that child's own;
* **report** — on the same copy: the manager's workbook (``report.xlsx``: a sheet per scheme
  with every customer, the tasks, the forms) and then the offline HTML report.

Goals (MISS is reported, never fails the run): classify ≤ 1.5× the time of metrics alone;
report.xlsx of 1M customers ≤ 2 min (``REPORT_GOAL_S``).

``--profile`` adds a third child that does what ``classify`` does step by step, timing each
step and, per scheme, the population statistics (``scheme.assign(base)``), compiling its SQL and
running it into the staged files — and writes DuckDB's ``EXPLAIN ANALYZE`` of every scheme's query to
``bench-data/classify/profile/``. ``--small`` runs at 100,000 customers for a quick check.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "bench-data" / "classify"
PROFILE_DIR = DATA_DIR / "profile"
RESULTS = Path(__file__).resolve().parent / "results" / "classify.md"
BUILD_VERSION = 1  # bump when the way the workspace is built changes, so cached ones are rebuilt
DEFAULT_CUSTOMERS, SMALL_CUSTOMERS = 1_000_000, 100_000
DEFAULT_LINES_PER_CUSTOMER = 10
SEED = 7
GOAL = 1.5  # classify ≤ this × metrics alone
REPORT_GOAL_S = 120.0  # report.xlsx of 1M customers
DEFAULT_TIMEOUT, DEFAULT_MAX_GIB = 1800.0, 16.0
TASKS = ("metrics", "classify", "tasks", "report")
LABELS = {"metrics": "metrics alone (ws.metrics.run(out=….parquet))",
          "classify": "classify, all presets (ws.snapshots.classify())",
          "tasks": "tasks from the playbooks (generate + sync)",
          "report": "report.xlsx, then report.html (ws.reports.build())",
          "profile": "classify, step by step (profile)"}


# --- the children: what runs inside each measured process ----------------------------------------

def _open(db: Path, create: bool = False) -> Any:
    from tierwise.settings import Settings
    from tierwise.workspace import Workspace

    return Workspace.open(Settings.from_env(db=db), create=create)


def child_build(db: Path, customers: int, lines_per_customer: int) -> dict[str, Any]:
    """Generate the demo company's files at benchmark size and import them into ``db``."""
    import tierwise.demo.generator as generator
    from tierwise.data.importer import ImportOptions

    generator.LINES_PER_CUSTOMER = lines_per_customer  # the demo's default is 51 lines per customer
    files_dir = db.parent / f"files-{db.stem}"
    shutil.rmtree(files_dir, ignore_errors=True)
    start = time.perf_counter()
    files = generator.generate_demo_files(files_dir, customers=customers, seed=SEED)
    generated = time.perf_counter() - start
    imports: dict[str, Any] = {}
    with _open(db, create=True) as ws:
        for table, path in files.items():
            mib = path.stat().st_size / 2**20
            summary = ws.imports.file(table, path, ImportOptions(lang="en"))
            imports[table] = {"file": path.name, "mib": round(mib, 1), "accepted": summary.accepted,
                              "rejected": summary.rejected, "seconds": round(summary.seconds, 1)}
            print(f"imported {path.name}: {summary.accepted:,} rows in {summary.seconds:.1f} s", flush=True)
    shutil.rmtree(files_dir, ignore_errors=True)
    return {"generated_seconds": round(generated, 1), "imports": imports}


def child_facts(db: Path) -> dict[str, Any]:
    """Open ``db`` (migrating it to this tierwise's schema) and describe its data."""
    from tierwise.schemes.classify import attribute_types

    with _open(db) as ws:
        counts = ws.db.counts()
        attrs = sorted(attribute_types(ws.db))
        con = ws.db.con
        first, last = con.execute("SELECT min(order_date), max(order_date) FROM orders").fetchone() or (0, 0)
        (buyers,) = con.execute("SELECT count(DISTINCT customer_id) FROM orders").fetchone() or (0,)
    return {"counts": counts, "buyers": buyers, "attributes": attrs,
            "first_order": str(first)[:10], "last_order": str(last)[:10],
            "mib": round(db.stat().st_size / 2**20, 1)}


def child_metrics(db: Path) -> dict[str, Any]:
    """Task 1: the metrics table alone, written to Parquet as ``tierwise metrics --out`` does."""
    from tierwise.metrics.catalog import NAMES

    out = db.with_suffix(".metrics.parquet")
    with _open(db) as ws:
        start = time.perf_counter()
        run = ws.metrics.run(out=out)
        seconds = time.perf_counter() - start
    out.unlink(missing_ok=True)
    return {"seconds": seconds, "customers": run.customers, "columns": len(NAMES),
            "as_of": run.frame.as_of.isoformat()}


def child_classify(db: Path, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Task 2: classify with every scheme whose data is present (less ``skip``); count the rows
    written. With ``skip``, the schemes are chosen first (untimed) and named to ``classify``."""
    with _open(db) as ws:
        names, left_out = _names_without(ws, skip)
        start = time.perf_counter()
        result = ws.snapshots.classify(names)
        seconds = time.perf_counter() - start
        (rows,) = ws.db.con.execute("SELECT count(*) FROM classes WHERE snapshot_id = ?",
                                 [result.snapshot_id]).fetchone() or (0,)
    return {"seconds": seconds, "reported_seconds": result.seconds, "schemes": list(result.schemes),
            "skipped": {**result.skipped, **left_out}, "classes_rows": rows,
            "as_of": result.as_of.isoformat(),
            "populations": {n: r.population for n, r in result.schemes.items()}}


def child_tasks(db: Path) -> dict[str, Any]:
    """Task 3 (on the workspace the classify run left): every rep's tasks, generated and kept."""
    from tierwise.playbook.task_store import sync_tasks
    from tierwise.playbook.tasks import TaskOptions, generated

    with _open(db) as ws:
        (as_of,) = ws.db.con.execute("SELECT max(as_of) FROM snapshots").fetchone() or (None,)
        options = TaskOptions(on=as_of)
        start = time.perf_counter()
        with generated(ws.db, options) as tasks:  # in the engine, as `tierwise tasks` does
            made = time.perf_counter() - start
            synced = sync_tasks(ws.db, tasks, options)
            kinds = tasks.by_kind()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "generate_seconds": round(made, 2), "tasks": tasks.rows,
            "opened": synced.opened, "by_kind": kinds, "on": str(as_of)}


def child_report(db: Path) -> dict[str, Any]:
    """Task 4 (on the workspace the classify run left): the manager's workbook, then the HTML
    report, of that snapshot."""
    import zipfile

    out = db.with_name(db.stem + "-report.xlsx")
    html = out.with_suffix(".html")
    with _open(db) as ws:
        start = time.perf_counter()
        done = ws.reports.build("xlsx", out)
        xlsx_seconds = time.perf_counter() - start
        ws.reports.build("html", html)
        seconds = time.perf_counter() - start
    with zipfile.ZipFile(out) as z:
        xml = sum(i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets/sheet"))
    mib = 2**20
    report = {"seconds": seconds, "xlsx_seconds": round(xlsx_seconds, 2), "sheets": len(done["sheets"]),
              "xlsx_mib": round(out.stat().st_size / mib, 1), "sheet_xml_mib": round(xml / mib),
              "html_seconds": round(seconds - xlsx_seconds, 2),
              "html_mib": round(html.stat().st_size / mib, 1)}
    out.unlink()
    html.unlink()
    return report


def _names_without(ws: Any, skip: frozenset[str]) -> tuple[list[str] | None, dict[str, str]]:
    """The schemes ``classify`` would choose, less ``skip`` (None: no ``skip``, let it choose)."""
    if not skip:
        return None, {}
    from tierwise.schemes.classify import choose

    files, _ = choose(ws.db, None)
    return [f.name for f in files if f.name not in skip], {n: "--skip" for n in sorted(skip)}


def child_profile(db: Path, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """What ``classify`` does, step by step, each step timed; per scheme: statistics, SQL, run.

    Follows :func:`tierwise.schemes.classify.classify` (its helpers are called in the same
    order); ``EXPLAIN ANALYZE`` of each scheme's query is written under ``PROFILE_DIR``.
    """
    import ibis

    from tierwise.metrics.compute import MetricsOptions
    from tierwise.metrics.table import engine_metrics, engine_source, evaluation_frame
    from tierwise.schemes import classify as cl
    from tierwise.schemes import overrides, why

    steps: list[tuple[str, float]] = []
    schemes_out: dict[str, dict[str, Any]] = {}
    failed: dict[str, str] = {}
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps.append((name, now - clock))
        print(f"{name}: {now - clock:.2f} s", file=sys.stderr, flush=True)
        clock = now

    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    with _open(db) as ws:
        step("open workspace")
        files, skipped = cl.choose(ws.db, None)
        files = [f for f in files if f.name not in skip]
        step("choose schemes (data-present checks)")
        columns = cl.columns_for(ws.db)
        compiled = [cl.compile_scheme(f.spec(), f.text, f.origin, columns) for f in files]
        step("compile scheme specs")
        options = MetricsOptions.from_settings(ws.settings)
        windows: dict[str, list[Any]] = {}
        for scheme in compiled:
            windows.setdefault(scheme.spec.window, []).append(scheme)
        as_of = None
        reasons: dict[str, str] = {}
        cl.create_stages(ws.db)
        customers = ws.db.con.execute("SELECT count(*) FROM customers").fetchone()[0]
        staged = cl.Staged(ws.db, customers * len(compiled))
        with engine_source(ws.db, ws.settings.engine) as source, contextlib.ExitStack() as stack:
            stack.callback(staged.close)
            for window, schemes in windows.items():
                frame = evaluation_frame(source, as_of, window)
                as_of = frame.as_of
                step(f"evaluation frame ({window})")
                computed = stack.enter_context(engine_metrics(source, frame, options))
                # as classify does: materialised once on the engine
                metrics = stack.enter_context(computed.table.cache())
                step(f"metrics table ({window})")
                base = metrics
                attrs = list(cl.attribute_types(ws.db))
                if attrs:
                    base = base.left_join(source.table("customers").select("customer_id", *attrs),
                                          "customer_id")
                step(f"register metrics, join attributes ({window})")
                done = []
                for scheme in schemes:
                    t0 = time.perf_counter()
                    try:
                        rows_expr, templates, figures = scheme.assign_slots(base)  # as classify.stage does
                        reasons[scheme.name] = why.dumps(templates, figures)
                        expr = cl.with_revenue(rows_expr.mutate(scheme=ibis.literal(scheme.name)), base)
                        t1 = time.perf_counter()
                        sql = str(ws.db.ibis.compile(expr))
                        t2 = time.perf_counter()
                        rows = staged.write(sql)  # as classify.stage does, one scheme at a time
                        t3 = time.perf_counter()
                    except Exception as exc:  # a scheme that fails is reported, the others still timed
                        failed[scheme.name] = f"{type(exc).__name__}: {exc}"[:300]
                        step(f"scheme {scheme.name} FAILED: {failed[scheme.name]}")
                        continue
                    done.append(scheme.name)
                    steps.append((f"scheme {scheme.name}", t3 - t0))
                    plan = ws.db.con.execute("EXPLAIN ANALYZE " + sql).fetchall()  # not part of classify
                    t4 = time.perf_counter()
                    (PROFILE_DIR / f"{scheme.name}.sql").write_text(sql, encoding="utf-8")
                    (PROFILE_DIR / f"{scheme.name}.explain.txt").write_text(
                        "\n".join(str(r[-1]) for r in plan), encoding="utf-8")
                    schemes_out[scheme.name] = {
                        "window": window, "statistics": t1 - t0, "compile_sql": t2 - t1,
                        "run_into_stage": t3 - t2, "explain_analyze": t4 - t3, "rows": rows,
                        "sql_chars": len(sql)}
                    print(f"scheme {scheme.name}: {schemes_out[scheme.name]}", file=sys.stderr, flush=True)
                    clock = time.perf_counter()
                compiled = [s for s in compiled if s.name not in failed]
                schemes = [s for s in schemes if s.name not in failed]
                if done:
                    cl.stage_customers(ws.db, source, metrics, window, frame.as_of,
                                       ws.settings.provisional_months)
            assert as_of is not None
            if not compiled:
                raise RuntimeError(f"every scheme failed: {failed}")
            overrides.hold(ws.db, staged.everything_sql(), cl.STAGE_CUSTOMERS, as_of, compiled)
            snapshot_id = cl.store(ws.db, as_of, ws.settings.engine, compiled, reasons, staged)
            step("store snapshot")
            cl._summaries(ws.db, snapshot_id, compiled)
            step("summaries")
        for table in (overrides.HELD, cl.STAGE_CUSTOMERS):
            ws.db.con.execute(f"DROP TABLE IF EXISTS {table}")
    return {"steps": steps, "schemes": schemes_out, "skipped": skipped, "failed": failed}


CHILDREN: dict[str, Callable[[Path], dict[str, Any]]] = {"facts": child_facts, "metrics": child_metrics,
                                                          "tasks": child_tasks, "report": child_report}
SCHEME_CHILDREN: dict[str, Callable[[Path, frozenset[str]], dict[str, Any]]] = {
    "classify": child_classify, "profile": child_profile}


def child_main(argv: list[str]) -> None:
    """``--child TASK DB [CUSTOMERS LINES | SKIP]``: run one task and print its JSON line last."""
    task, db = argv[0], Path(argv[1])
    if task == "build":
        report = child_build(db, int(argv[2]), int(argv[3]))
    elif task in SCHEME_CHILDREN:
        skip = frozenset(filter(None, (argv[2] if len(argv) > 2 else "").split(",")))
        report = SCHEME_CHILDREN[task](db, skip)
    else:
        report = CHILDREN[task](db)
    print(json.dumps(report, default=str))


# --- the parent: data, measured runs, the table ----------------------------------------------------

@dataclass(frozen=True)
class Company:
    """The cached workspace of one size and what it holds."""

    customers: int
    lines_per_customer: int
    db: Path
    facts: dict[str, Any]
    build: dict[str, Any] | None  # the build's report; None when the cached workspace was reused
    build_seconds: float | None


@dataclass
class Outcome:
    """One task's measured runs (fastest kept) and its report."""

    task: str
    runs: list[Any] = field(default_factory=list)  # _measure.Measurement
    reports: list[dict[str, Any]] = field(default_factory=list)  # each run's JSON line
    status: str | None = None  # why there is no result

    @property
    def best(self) -> Any:
        """The fastest run, with the highest peak of all runs (``_measure.fastest``)."""
        from _measure import fastest

        return fastest(self.runs) if self.runs else None

    @property
    def report(self) -> dict[str, Any]:
        """The fastest run's JSON line."""
        if not self.runs:
            return {}
        return self.reports[min(range(len(self.runs)), key=lambda i: self.runs[i].seconds)]


def demo_source_hash() -> str:
    """A short hash of the demo generator's source: a changed generator means a new workspace."""
    import tierwise.demo

    folder = Path(tierwise.demo.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def child_command(*args: object) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", *map(str, args)]


def run_child(args: list[str], limits: Any) -> tuple[Any, str | None, dict[str, Any]]:
    """One measured child: the measurement, why it failed (None: it did not), its JSON line."""
    from bench_metrics import error_line, measure_limited, runner_report

    run, killed = measure_limited(args, limits)
    status = None
    if killed == "timeout":
        status = f"timed out (> {limits.timeout:g} s)"
    elif killed == "memory":
        status = f"out of memory (killed above {limits.max_mib:,.0f} MiB)"
    elif not run.ok:
        status = f"FAILED (exit {run.returncode}): {error_line(run.stderr or run.stdout)}"
    return run, status, ({} if status else runner_report(run))


def ensure_company(customers: int, lines_per_customer: int, limits: Any, console: Any) -> Company:
    """The cached workspace for this size, built (in a child process) when missing or stale."""
    import duckdb

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    db = DATA_DIR / f"ws-{customers}-{lines_per_customer}.duckdb"
    sidecar = db.with_suffix(".json")
    wanted = {"customers": customers, "lines_per_customer": lines_per_customer, "seed": SEED,
              "build": BUILD_VERSION, "duckdb": duckdb.__version__, "demo": demo_source_hash()}
    try:
        cached = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = None
    build, build_seconds = None, None
    if not (isinstance(cached, dict) and db.exists() and {k: cached.get(k) for k in wanted} == wanted):
        sidecar.unlink(missing_ok=True)
        tmp = db.with_name(db.stem + ".building.duckdb")
        for path in (tmp, Path(str(tmp) + ".wal")):
            path.unlink(missing_ok=True)
        console.print(f"building the workspace: {customers:,} customers, ~{lines_per_customer} lines "
                      f"each (demo generator + tierwise import) …", highlight=False)
        run, status, report = run_child(child_command("build", tmp, customers, lines_per_customer),
                                        limits)
        if status:
            raise SystemExit(f"building the workspace failed: {status}\n{run.stderr[-3000:]}")
        tmp.replace(db)
        Path(str(db) + ".wal").unlink(missing_ok=True)
        build, build_seconds = report, run.seconds
        sidecar.write_text(json.dumps({**wanted, "build_report": build,
                                       "build_seconds": round(run.seconds, 1)}, indent=1) + "\n",
                           encoding="utf-8")
        console.print(f"  built in {run.seconds:.0f} s (peak {run.peak_mib:,.0f} MiB)", highlight=False)
    run, status, facts = run_child(child_command("facts", db), limits)  # also migrates the schema
    if status:
        raise SystemExit(f"reading the workspace failed: {status}\n{run.stderr[-3000:]}")
    return Company(customers, lines_per_customer, db, facts, build, build_seconds)


def work_copy(company: Company, task: str) -> Path:
    """A fresh copy of the cached workspace for one run (a run writes its snapshot into it)."""
    work = DATA_DIR / f"work-{task}.duckdb"
    for path in (work, Path(str(work) + ".wal")):
        path.unlink(missing_ok=True)
    source = company.db
    if task in ("tasks", "report"):  # they read the snapshot the classify run of this round wrote
        source = DATA_DIR / "work-classify.duckdb"
        if not source.exists():
            raise SystemExit(f"the {task} benchmark needs the classify run before it")
    shutil.copyfile(source, work)
    wal = Path(str(source) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(work) + ".wal"))
    return work


def run_tasks(company: Company, tasks: list[str], repeat: int, limits: Any, console: Any,
              skip: str = "") -> dict[str, Outcome]:
    """Every task ``repeat`` times, interleaved (metrics, classify, metrics, …), each on a fresh copy."""
    outcomes = {task: Outcome(task) for task in tasks}
    for round_no in range(repeat):
        if repeat > 1:
            console.print(f"  [dim]round {round_no + 1} of {repeat}[/dim]")
        for task in tasks:
            outcome = outcomes[task]
            if outcome.status:
                continue
            work = work_copy(company, task)
            extra = [skip] if task in SCHEME_CHILDREN and skip else []
            run, status, report = run_child(child_command(task, work, *extra), limits)
            if status:
                outcome.status = status
                console.print(f"  [red]{LABELS[task]}: {status}[/red]", highlight=False)
                console.print("\n".join(run.stderr.strip().splitlines()[-25:]), markup=False, highlight=False)
                continue
            outcome.runs.append(run)
            outcome.reports.append(report)
            console.print(f"  {LABELS[task]}: {run.seconds:.2f} s, peak {run.peak_mib:,.0f} MiB "
                          f"(in process {report.get('seconds', 0):.2f} s)", highlight=False)
    for task in tasks:
        for path in DATA_DIR.glob(f"work-{task}.duckdb*"):
            path.unlink()
    return outcomes


def ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}×" if base else "–"


def table_rows(outcomes: dict[str, Outcome]) -> list[list[str]]:
    """task, seconds, × metrics, peak MiB, × metrics, in-process s, × metrics, schemes, classes rows."""
    metrics = outcomes.get("metrics")
    base = metrics.best if metrics is not None and metrics.status is None else None
    base_inner = metrics.report.get("seconds") if base is not None and metrics else None
    rows = []
    for task, o in outcomes.items():
        if o.status or o.best is None:
            rows.append([LABELS[task], "–", "–", "–", "–", "–", "–", "–", "–", o.status or "no run"])
            continue
        run, report = o.best, o.report
        inner = float(report.get("seconds", 0.0))
        if task == "metrics":
            schemes, written = "–", "–"
            note = f"{report.get('customers', 0):,} customers × {report.get('columns', 0)} columns"
        elif task == "tasks":
            schemes, written = "–", f"{report.get('tasks', 0):,} tasks"
            note = (f"generate {report.get('generate_seconds', 0):.2f} s, for {report.get('on')}; "
                    + ", ".join(f"{k} {v:,}" for k, v in sorted((report.get("by_kind") or {}).items())))
        elif task == "report":
            schemes, written = "–", f"{report.get('sheets', 0)} sheets"
            note = (f"xlsx {report.get('xlsx_seconds', 0):.2f} s ({report.get('xlsx_mib', 0):,} MiB, "
                    f"sheet XML {report.get('sheet_xml_mib', 0):,} MiB), "
                    f"html {report.get('html_seconds', 0):.2f} s "
                    f"({report.get('html_mib', 0):,} MiB)")
        else:
            schemes = str(len(report.get("schemes", [])))
            written = f"{report.get('classes_rows', 0):,}"
            skipped = report.get("skipped") or {}
            note = "schemes: " + ", ".join(report.get("schemes", []))
            if skipped:
                note += "; skipped: " + ", ".join(f"{k} ({v})" for k, v in skipped.items())
        rows.append([LABELS[task], f"{run.seconds:.2f}", ratio(run.seconds, base.seconds if base else None),
                     f"{run.peak_mib:,.0f}", ratio(run.peak_mib, base.peak_mib if base else None),
                     f"{inner:.2f}", ratio(inner, base_inner), schemes, written, note])
    return rows


HEADERS = ["task", "seconds", "× metrics", "peak MiB", "× metrics", "in-process s", "× metrics",
           "schemes", "classes rows", "notes"]


def report_goal_line(outcomes: dict[str, Outcome]) -> str | None:
    report = outcomes.get("report")
    if report is None or report.best is None:
        return None
    seconds = float(report.report.get("xlsx_seconds", 0.0))
    verdict = "OK" if seconds <= REPORT_GOAL_S else "MISS"
    return f"goal report.xlsx ≤ {REPORT_GOAL_S:g} s: {verdict} ({seconds:.1f} s in process)"


def goal_line(outcomes: dict[str, Outcome]) -> str | None:
    metrics, classify = outcomes.get("metrics"), outcomes.get("classify")
    if not metrics or not classify or metrics.best is None or classify.best is None:
        return None
    wall = classify.best.seconds / metrics.best.seconds
    inner_m, inner_c = metrics.report.get("seconds"), classify.report.get("seconds")
    inner = f"; in process {inner_c / inner_m:.2f}×" if inner_m and inner_c else ""
    verdict = "OK" if wall <= GOAL else "MISS"
    return f"goal classify ≤ {GOAL:g}× metrics alone: {verdict} ({wall:.2f}× wall time{inner})"


def profile_lines(report: dict[str, Any]) -> list[str]:
    """The profile child's steps and per-scheme costs, slowest scheme first."""
    lines = ["profile (one classify, step by step, EXPLAIN ANALYZE runs excluded; seconds):"]
    lines += [f"  {name}: {sec:.2f}" for name, sec in report.get("steps", [])]
    schemes = report.get("schemes", {})
    if schemes:
        lines.append("per scheme (statistics = scheme.assign(base); compile = Ibis → SQL; "
                     "run = COPY of its rows into the staged files):")
        order = sorted(schemes.items(), key=lambda kv: -(kv[1]["statistics"] + kv[1]["run_into_stage"]))
        for name, s in order:
            lines.append(f"  {name} ({s['window']}): statistics {s['statistics']:.2f}, compile SQL "
                         f"{s['compile_sql']:.2f}, run {s['run_into_stage']:.2f} (EXPLAIN ANALYZE run "
                         f"{s.get('explain_analyze', 0):.2f}); {s['rows']:,} rows, "
                         f"SQL {s['sql_chars']:,} chars")
    for name, why in (report.get("failed") or {}).items():
        lines.append(f"  {name}: FAILED {why}")
    if schemes:
        lines.append(f"EXPLAIN ANALYZE and SQL of each scheme: {PROFILE_DIR.relative_to(REPO_ROOT)}/")
    return lines


def render(rows: list[list[str]], caption: str, notes: list[str]) -> str:
    align = [":--" if h in ("task", "notes") else "--:" for h in HEADERS]
    lines = ["## Classification: all presets vs metrics alone", "",
             "| " + " | ".join(HEADERS) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    lines += ["", caption, "", *(f"- {n}" for n in notes), ""]
    return "\n".join(lines)


def company_fact(company: Company) -> str:
    f = company.facts
    counts = f.get("counts", {})
    made = (f"built in {company.build_seconds:.0f} s" if company.build_seconds is not None else "cached")
    return (f"workspace {company.db.relative_to(REPO_ROOT)} ({f.get('mib', 0):,.0f} MiB, {made}): "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
            + f"; {f.get('buyers', 0):,} customers with orders, orders {f.get('first_order')} to "
              f"{f.get('last_order')}; customer attributes: {', '.join(f.get('attributes', []))}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from _orders import parse_size

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--customers", default=str(DEFAULT_CUSTOMERS),
                        help="customers in the generated company, e.g. 1M, 100K (default 1M)")
    parser.add_argument("--small", action="store_true",
                        help=f"a quick run: {SMALL_CUSTOMERS:,} customers (overrides --customers)")
    parser.add_argument("--lines-per-customer", type=int, default=DEFAULT_LINES_PER_CUSTOMER,
                        help="order lines per customer on average (default 10: 10M lines at 1M customers)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per task, interleaved; the fastest is kept (default 1)")
    parser.add_argument("--profile", action="store_true",
                        help="also run classify step by step and time each step and scheme")
    parser.add_argument("--skip", default="",
                        help="schemes to leave out, comma-separated (e.g. one that fails right now)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds before a run is killed (default 1800)")
    parser.add_argument("--max-mem", type=float, default=DEFAULT_MAX_GIB,
                        help="GiB of resident memory above which a run is killed (default 16)")
    args = parser.parse_args(argv)
    try:
        args.customers = SMALL_CUSTOMERS if args.small else parse_size(args.customers)
    except ValueError as exc:
        parser.error(str(exc))
    if args.repeat < 1 or args.lines_per_customer < 1 or args.timeout <= 0 or args.max_mem <= 0:
        parser.error("--repeat, --lines-per-customer, --timeout and --max-mem must be positive")
    return args


def main(argv: list[str] | None = None) -> None:
    """Build (or reuse) the workspace, run metrics alone and classify, print and save the table."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from _orders import size_label
    from bench_import import machine_facts
    from bench_metrics import Limits

    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)
    load_avg = os.getloadavg()[0]
    limits = Limits(args.timeout, args.max_mem * 1024)
    company = ensure_company(args.customers, args.lines_per_customer, limits, console)
    console.print(f"[bold]{escape(company_fact(company))}[/bold]", highlight=False)
    outcomes = run_tasks(company, list(TASKS), args.repeat, limits, console, args.skip)
    notes = [line for line in (goal_line(outcomes), report_goal_line(outcomes)) if line]
    if args.profile:
        profiled = run_tasks(company, ["profile"], 1, limits, console, args.skip)["profile"]
        if profiled.status:
            notes.append(f"profile: {profiled.status}")
        else:
            notes += profile_lines(profiled.report)
    classify = outcomes["classify"].report
    for name, pop in (classify.get("populations") or {}).items():
        notes.append(f"scheme {name}: population {pop:,}")
    notes.append("data " + company_fact(company))
    rows = table_rows(outcomes)
    size = (f"{size_label(company.customers)} customers, "
            f"{company.facts.get('counts', {}).get('orders', 0):,} order lines")
    caption = (f"{size}. Each task: a fresh process on a fresh copy of the workspace; seconds include "
               f"starting Python and importing tierwise; in-process s = the call alone; peak = the "
               f"child's max RSS; best of {args.repeat}. Limits {args.timeout:g} s, {args.max_mem:g} GiB. "
               f"Machine: {machine_facts(load_avg)}.")
    table = Table(title=f"Classification benchmark ({size})", caption=caption)
    for h in HEADERS:
        table.add_column(h, justify="left" if h in ("task", "notes") else "right",
                         overflow="fold")
    for row in rows:
        table.add_row(*map(escape, row), style="red" if row[1] == "–" else None)
    console.print(table)
    for note in notes:
        style = "yellow" if "MISS" in note else "green" if ": OK" in note else "default"
        console.print(f"[{style}]{escape(note)}[/{style}]", highlight=False)
    markdown = render(rows, caption, notes)
    console.print("\n[bold]Markdown[/bold]:\n", highlight=False)
    print(markdown)
    command = " ".join(["python benchmarks/bench_classify.py", *(argv if argv is not None else sys.argv[1:])])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# Classification benchmark\n\n`{command}`, {datetime.now():%Y-%m-%d %H:%M}\n\n"
                       f"{markdown}", encoding="utf-8")
    console.print(f"\nwritten to {RESULTS}", highlight=False)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
