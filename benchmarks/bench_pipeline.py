"""End-to-end benchmark: import (Parquet) → metrics → classify all presets → tasks → report, per
stage in its own process, against the hand-written DuckDB summary of the same order lines.

The company is the demo company (``tierwise.demo``) at 1,000,000 customers with about 10 order
lines each (10.3M lines), plus its payments, follow-ups, reps and products — the same company
``bench_classify.py`` uses. Its files are generated once and stored as Parquet (with the demo's
own Chinese and English headers) under ``bench-data/pipeline/base-<customers>/``. Bigger sizes
are that company repeated: ``100M`` is ten copies whose customer, rep, order, payment and
follow-up ids carry a ``-k`` suffix (copy 0 keeps the original ids), so 10M customers buy from
30,000 reps exactly as the million do — the distributions stay those of the demo, and the copies
are made by DuckDB from the base files in seconds, without the generator's memory.

Each size runs twice: with the engine's memory at its default (``auto``) and with
``TIERWISE_MEMORY_LIMIT=2GB`` (``--memory-limit 2GB``). A run is a chain of fresh child
processes on one new workspace file (``bench-data/pipeline/work.duckdb``, deleted afterwards):

* **import** — a new workspace, then ``ws.imports.file`` of reps, products, customers, orders,
  payments and follow-ups (all Parquet);
* **metrics** — ``ws.metrics.run(out=….parquet)`` (all 56 metrics, window 12m, with CLV);
* **classify** — ``ws.snapshots.classify()``: every preset whose data is present, snapshot stored;
* **tasks** — every rep's tasks from the playbooks, generated and kept (``sync_tasks``);
* **report** — ``report.xlsx`` then ``report.html`` of that snapshot.

The floor is ``peers/run_floor.py`` (one hand-written DuckDB query: per-customer frequency,
recency, T, monetary value, revenue, its rank and RFM scores) on the same ``orders.parquet``.
Seconds include starting Python and importing tierwise; peak = each child's max RSS
(``_measure``); the end-to-end row sums the stages and takes the highest peak.

Goals (MISS is reported, never fails the run), from issue 19: 10M lines end to end ≤ 3× the
floor; 100M end to end ≤ 90 s of work and ≤ 8 GiB peak; metrics ≤ 1.5× the floor; classify ≤
1.5× metrics; under the 2GB limit every stage's peak ≤ 2 GiB + 512 MiB (Python's own) and the
chain ≤ 2× the unlimited time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "bench-data" / "pipeline"
RESULTS = Path(__file__).resolve().parent / "results" / "pipeline.md"
BASE_VERSION = 1  # bump when the base files are made differently, so cached ones are rebuilt
SEED, LINES_PER_CUSTOMER = 7, 10
BASE_CUSTOMERS, SMALL_BASE_CUSTOMERS = 1_000_000, 100_000
LIMITED = "2GB"
PYTHON_ALLOWANCE_MIB = 512  # what the Python process may hold above the engine's limit
TABLES = ("reps", "products", "customers", "orders", "payments", "activities")
# id columns a copy suffixes, per table (headers as the demo generator writes them)
ID_COLUMNS = {"reps": ("业务员编号", "主管"), "products": (),
              "customers": ("客户编号", "业务员"),
              "orders": ("order_id", "customer_id", "rep_id"),
              "payments": ("payment_id", "customer_id", "order_id"),
              "activities": ("跟进编号", "客户编号", "业务员")}
STAGES = ("import", "metrics", "classify", "tasks", "report")
LABELS = {"floor": "DuckDB SQL summary (floor)", "import": "import (6 Parquet files)",
          "metrics": "metrics (56, with CLV)", "classify": "classify (all presets)",
          "tasks": "tasks (generate + keep)", "report": "report (xlsx + html)",
          "total": "end to end"}
GOAL_E2E_10M, GOAL_100M_S, GOAL_100M_GIB = 3.0, 90.0, 8.0
GOAL_METRICS, GOAL_CLASSIFY, GOAL_LIMITED = 1.5, 1.5, 2.0


# --- the children -------------------------------------------------------------------------------

def child_base(folder: Path, customers: int) -> dict[str, Any]:
    """Generate the demo company and store each of its files as Parquet in ``folder``."""
    import openpyxl
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    import tierwise.demo.generator as generator

    generator.LINES_PER_CUSTOMER = LINES_PER_CUSTOMER
    raw = folder / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    start = time.perf_counter()
    files = generator.generate_demo_files(raw, customers=customers, seed=SEED)
    generated = time.perf_counter() - start
    rows: dict[str, int] = {}
    for table, path in files.items():
        if path.suffix == ".parquet":
            data = pq.read_table(path)
        elif path.suffix == ".csv":
            encoding = "gbk" if table == "activities" else "utf-8-sig"  # as the generator writes them
            data = pacsv.read_csv(path, pacsv.ReadOptions(encoding=encoding, block_size=64 << 20))
        else:  # reps.xlsx: a header row, then the reps
            sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
            header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
            data = pa.table({str(h): [r[i] for r in body] for i, h in enumerate(header)})
        pq.write_table(data, folder / f"{table}.parquet")
        rows[table] = data.num_rows
        del data
    shutil.rmtree(raw)
    return {"generated_seconds": round(generated, 1), "rows": rows}


def child_import(db: Path, files: Path) -> dict[str, Any]:
    """Stage 1: a new workspace and every table imported from its Parquet file."""
    from tierwise.data.importer import ImportOptions
    from tierwise.settings import Settings
    from tierwise.workspace import Workspace

    done: dict[str, Any] = {}
    start = time.perf_counter()
    with Workspace.open(Settings.from_env(db=db), create=True) as ws:
        for table in TABLES:
            summary = ws.imports.file(table, files / f"{table}.parquet", ImportOptions(lang="en"))
            done[table] = {"accepted": summary.accepted, "rejected": summary.rejected,
                           "seconds": round(summary.seconds, 1)}
            print(f"{table}: {summary.accepted:,} rows in {summary.seconds:.1f} s",
                  file=sys.stderr, flush=True)
    return {"seconds": time.perf_counter() - start, "tables": done}


def child_main(argv: list[str]) -> None:
    """``--child base FOLDER CUSTOMERS``, ``--child copies BASE FOLDER COPIES``, ``--child facts
    FOLDER`` or ``--child import DB FOLDER``; prints a JSON line last."""
    if argv[0] == "base":
        report = child_base(Path(argv[1]), int(argv[2]))
    elif argv[0] == "copies":
        report = child_copies(Path(argv[1]), Path(argv[2]), int(argv[3]))
    elif argv[0] == "facts":
        report = file_facts(Path(argv[1]))
    else:
        report = child_import(Path(argv[1]), Path(argv[2]))
    print(json.dumps(report, default=str))


def _in_child(limits: Any, *args: str) -> dict[str, Any]:
    """``--child ARGS`` of this script in a child process: its JSON line. Work with DuckDB stays
    out of this process, whose resident set a child inherits as its starting peak (Linux keeps
    the parent's high-water mark across fork and exec): making the ten copies here once
    reported 19 GB as the peak of every stage after it."""
    from bench_classify import run_child

    run, status, report = run_child([sys.executable, str(Path(__file__).resolve()), "--child", *args], limits)
    if status:
        raise SystemExit(f"{args[0]} failed: {status}\n{run.stderr[-3000:]}")
    return report


# --- data ---------------------------------------------------------------------------------------

def _sidecar_ok(sidecar: Path, wanted: dict[str, Any], *files: Path) -> bool:
    try:
        cached = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(f.exists() for f in files) and {k: cached.get(k) for k in wanted} == wanted


def ensure_base(customers: int, limits: Any, console: Any) -> Path:
    """The demo company's files as Parquet (``base-<customers>/``), made in a child when stale."""
    import duckdb

    from bench_classify import demo_source_hash, run_child

    folder = DATA_DIR / f"base-{customers}"
    sidecar = folder / "base.json"
    wanted = {"customers": customers, "lines_per_customer": LINES_PER_CUSTOMER, "seed": SEED,
              "version": BASE_VERSION, "duckdb": duckdb.__version__, "demo": demo_source_hash()}
    if _sidecar_ok(sidecar, wanted, *(folder / f"{t}.parquet" for t in TABLES)):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    console.print(f"generating the demo company: {customers:,} customers …", highlight=False)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "base", str(folder), str(customers)]
    run, status, report = run_child(cmd, limits)
    if status:
        raise SystemExit(f"generating the company failed: {status}\n{run.stderr[-3000:]}")
    sidecar.write_text(json.dumps({**wanted, **report, "seconds": round(run.seconds, 1)}, indent=1) + "\n",
                       encoding="utf-8")
    made = ", ".join(f"{k} {v:,}" for k, v in report["rows"].items())
    console.print(f"  made in {run.seconds:.0f} s: {made}", highlight=False)
    return folder


def ensure_copies(base: Path, copies: int, limits: Any, console: Any) -> Path:
    """``copies`` copies of the base company, ids suffixed ``-k`` from the second copy on (made
    in a child)."""
    if copies == 1:
        return base
    folder = DATA_DIR / f"{base.name}-x{copies}"
    sidecar = folder / "copies.json"
    wanted = {"base": json.loads((base / "base.json").read_text(encoding="utf-8")), "copies": copies}
    if _sidecar_ok(sidecar, wanted, *(folder / f"{t}.parquet" for t in TABLES)):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    _in_child(limits, "copies", str(base), str(folder), str(copies))
    sidecar.write_text(json.dumps({**wanted, "seconds": round(time.perf_counter() - start, 1)}) + "\n",
                       encoding="utf-8")
    console.print(f"  {copies} copies made in {time.perf_counter() - start:.0f} s", highlight=False)
    return folder


def child_copies(base: Path, folder: Path, copies: int) -> dict[str, Any]:
    """The copies :func:`ensure_copies` makes, written into ``folder``."""
    import duckdb

    con = duckdb.connect()
    try:
        for table in TABLES:
            source = str(base / f"{table}.parquet").replace("'", "''")
            target = str(folder / f"{table}.parquet").replace("'", "''")
            ids = ID_COLUMNS[table]
            if not ids:
                con.execute(f"COPY (FROM read_parquet('{source}')) TO '{target}' (FORMAT parquet)")
                continue
            parts = []
            for k in range(copies):
                suffix = "" if k == 0 else f" || '-{k}'"
                replaced = ", ".join(f'"{c}"{suffix} AS "{c}"' for c in ids)
                parts.append(f"SELECT * REPLACE ({replaced}) FROM read_parquet('{source}')")
            con.execute(f"COPY ({' UNION ALL '.join(parts)}) TO '{target}' (FORMAT parquet)")
    finally:
        con.close()
    return {"copies": copies}


def file_facts(folder: Path) -> dict[str, Any]:
    """Rows per file, the customers and date range of the order lines, MiB on disk."""
    import duckdb

    con = duckdb.connect()
    try:
        rows = {t: (con.execute(f"SELECT count(*) FROM read_parquet('{folder / f'{t}.parquet'}')")
                .fetchone() or (0,))[0] for t in TABLES}
        buyers, first, last = con.execute(
            f"SELECT count(DISTINCT customer_id), min(order_date), max(order_date) "
            f"FROM read_parquet('{folder / 'orders.parquet'}')").fetchone() or (0, None, None)
    finally:
        con.close()
    mib = sum((folder / f"{t}.parquet").stat().st_size for t in TABLES) / 2**20
    return {"rows": rows, "buyers": buyers, "first": str(first)[:10], "last": str(last)[:10], "mib": mib}


# --- runs ---------------------------------------------------------------------------------------

@dataclass
class Stage:
    """One measured stage of one chain."""

    name: str
    seconds: float | None = None
    peak_mib: float | None = None
    inner: float | None = None  # the call alone, as the child timed it
    report: dict[str, Any] = field(default_factory=dict)
    status: str | None = None


@dataclass
class Chain:
    """The stages of one size under one memory setting."""

    lines: int
    memory: str  # "auto" or LIMITED
    stages: list[Stage] = field(default_factory=list)
    planned: tuple[str, ...] = STAGES  # the stages this chain was to run (--until)

    def stage(self, name: str) -> Stage | None:
        return next((s for s in self.stages if s.name == name and s.status is None), None)

    @property
    def complete(self) -> bool:
        """Every stage of the whole pipeline ran and finished (a chain cut short by --until is not)."""
        return len(self.stages) == len(STAGES) and all(s.status is None for s in self.stages)

    @property
    def seconds(self) -> float:
        return sum(s.seconds or 0.0 for s in self.stages if s.status is None)

    @property
    def inner(self) -> float:
        return sum(s.inner or 0.0 for s in self.stages if s.status is None)

    @property
    def peak_mib(self) -> float:
        return max((s.peak_mib or 0.0 for s in self.stages if s.status is None), default=0.0)


def measured(cmd: list[str], limits: Any, env: dict[str, str] | None = None) -> Stage:
    """Run one child with the watchdog; its seconds, peak and JSON line, or why it failed."""
    from bench_metrics import error_line, measure_limited, runner_report

    run, killed = measure_limited(cmd, limits, env)
    stage = Stage("", run.seconds, run.peak_mib)
    if killed:
        stage.status = (f"timed out (> {limits.timeout:g} s)" if killed == "timeout"
                        else f"out of memory (killed above {limits.max_mib:,.0f} MiB)")
    elif not run.ok:
        stage.status = f"FAILED (exit {run.returncode}): {error_line(run.stderr or run.stdout)}"
    else:
        stage.report = runner_report(run)
        inner = stage.report.get("seconds")
        stage.inner = float(inner) if isinstance(inner, int | float) else None
    if stage.status:
        print("\n".join((run.stderr or run.stdout).strip().splitlines()[-25:]), file=sys.stderr)
    return stage


def run_floor(files: Path, limits: Any) -> Stage:
    out = DATA_DIR / "floor-out.parquet"
    stage = measured([sys.executable, str(REPO_ROOT / "benchmarks" / "peers" / "run_floor.py"),
                      str(files / "orders.parquet"), str(out)], limits)
    stage.name = "floor"
    out.unlink(missing_ok=True)
    return stage


def run_chain(lines: int, files: Path, memory: str, limits: Any, console: Any,
              stages: tuple[str, ...] = STAGES, keep: Path | None = None,
              start: Path | None = None) -> Chain:
    """import → metrics → classify → tasks → report (``stages`` of them) on one new workspace;
    stops at a failure. ``keep``: where the workspace is moved when the chain ends (to run a
    later stage on it again: ``bench_classify.py --child report KEEP``). ``start``: a workspace
    a chain kept, copied to run the stages after its import (``--from``)."""
    chain = Chain(lines, memory, planned=stages)
    db = DATA_DIR / "work.duckdb"
    for path in DATA_DIR.glob("work*"):  # and the spill folder a killed run leaves
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    if start is not None:
        shutil.copyfile(start, db)
    env = {"TIERWISE_MEMORY_LIMIT": memory}
    classify_script = str(REPO_ROOT / "benchmarks" / "bench_classify.py")
    try:
        for name in stages:
            if name == "import":
                cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "import", str(db),
                       str(files)]
            else:
                cmd = [sys.executable, classify_script, "--child", name, str(db)]
            stage = measured(cmd, limits, env)
            stage.name = name
            chain.stages.append(stage)
            text = stage.status or (f"{stage.seconds:.1f} s, peak {stage.peak_mib:,.0f} MiB"
                                    + (f" (in process {stage.inner:.1f} s)" if stage.inner else ""))
            console.print(f"  {LABELS[name]}: {text}", highlight=False, markup=False)
            if stage.status:
                break
    finally:
        if keep is not None and db.exists():
            shutil.move(db, keep)
        for path in DATA_DIR.glob("work*"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return chain


# --- the table ----------------------------------------------------------------------------------

HEADERS = ["lines", "memory", "stage", "seconds", "× floor", "in-process s", "peak MiB", "notes"]


def stage_note(stage: Stage) -> str:
    r = stage.report
    if stage.status:
        return stage.status
    if stage.name == "import":
        return ", ".join(f"{t} {v['accepted']:,} in {v['seconds']:g} s"
                         + (f" ({v['rejected']:,} rejected)" if v["rejected"] else "")
                         for t, v in r.get("tables", {}).items())
    if stage.name == "metrics":
        return f"{r.get('customers', 0):,} customers × {r.get('columns', 0)} columns, as of {r.get('as_of')}"
    if stage.name == "classify":
        return f"{len(r.get('schemes', []))} schemes, {r.get('classes_rows', 0):,} class rows"
    if stage.name == "tasks":
        return f"{r.get('tasks', 0):,} tasks (generate {r.get('generate_seconds', 0):g} s)"
    if stage.name == "report":
        return (f"{r.get('sheets', 0)} sheets; xlsx {r.get('xlsx_seconds', 0):g} s, "
                f"{r.get('xlsx_mib', 0):g} MiB; html {r.get('html_seconds', 0):g} s")
    return f"{r.get('customers', 0):,} customers" if "customers" in r else ""


def table_rows(floors: dict[int, Stage], chains: list[Chain]) -> list[list[str]]:
    from _orders import size_label

    rows: list[list[str]] = []

    def ratio(seconds: float | None, lines: int) -> str:
        floor = floors.get(lines)
        if not seconds or floor is None or not floor.seconds or floor.status:
            return "–"
        return f"{seconds / floor.seconds:.2f}×"

    def fmt(value: float | None, spec: str) -> str:
        return "–" if value is None else format(value, spec)

    for lines, floor in floors.items():
        rows.append([size_label(lines), "auto", LABELS["floor"], fmt(floor.seconds, ".2f"), "1.00×",
                     "–", fmt(floor.peak_mib, ",.0f"), stage_note(floor)])
        for chain in (c for c in chains if c.lines == lines):
            for s in chain.stages:
                ok = s.status is None
                rows.append([size_label(lines), chain.memory, LABELS[s.name],
                             fmt(s.seconds if ok else None, ".2f"), ratio(s.seconds if ok else None, lines),
                             fmt(s.inner if ok else None, ".2f"), fmt(s.peak_mib if ok else None, ",.0f"),
                             stage_note(s)])
            failed = [s.name for s in chain.stages if s.status]
            done = ("" if chain.complete else f" (stopped: {', '.join(failed)} failed)" if failed
                    else f" ({chain.planned[0]} to {chain.planned[-1]} only: --from/--until)")
            rows.append([size_label(lines), chain.memory, "**" + LABELS["total"] + "**",
                         f"**{chain.seconds:.2f}**", f"**{ratio(chain.seconds, lines)}**",
                         f"{chain.inner:.2f}", f"{chain.peak_mib:,.0f}",
                         "sum of the stages, highest peak" + done])
    return rows


def goals(floors: dict[int, Stage], chains: list[Chain]) -> list[str]:
    from _orders import size_label
    from bench_metrics import parse_mib

    lines_out: list[str] = []

    def verdict(ok: bool) -> str:
        return "OK" if ok else "MISS"

    for chain in chains:
        size = size_label(chain.lines)
        floor = floors.get(chain.lines)
        base = floor.seconds if floor is not None and floor.status is None else None
        tag = f"{size}, memory {chain.memory}"
        failed = next((s for s in chain.stages if s.status), None)
        if failed is not None:
            lines_out.append(f"{tag}: MISS — stopped at {failed.name}: {failed.status}")
        elif not chain.complete:
            lines_out.append(f"{tag}: ran {chain.planned[0]} to {chain.planned[-1]} only (--from/--until): "
                             "no end-to-end verdict")
        slowest = max((s for s in chain.stages if s.status is None), key=lambda s: s.seconds or 0.0,
                      default=None)
        if slowest is not None and chain.complete:
            lines_out.append(f"{tag}: the stage that limits: {slowest.name} "
                             f"({(slowest.seconds or 0) / chain.seconds:.0%} of the time)")
        if chain.memory == "auto":
            metrics, classify = chain.stage("metrics"), chain.stage("classify")
            if metrics and base:
                r = (metrics.seconds or 0) / base
                lines_out.append(f"{tag}: metrics {r:.2f}× the floor (goal ≤ {GOAL_METRICS:g}×) "
                                 f"{verdict(r <= GOAL_METRICS)}")
            if metrics and classify:
                r = (classify.seconds or 0) / (metrics.seconds or 1)
                lines_out.append(f"{tag}: classify {r:.2f}× metrics (goal ≤ {GOAL_CLASSIFY:g}×) "
                                 f"{verdict(r <= GOAL_CLASSIFY)}")
            if chain.complete and base and chain.lines < 50_000_000:
                r = chain.seconds / base
                lines_out.append(f"{tag}: end to end {r:.1f}× the floor (goal ≤ {GOAL_E2E_10M:g}×) "
                                 f"{verdict(r <= GOAL_E2E_10M)}")
            if chain.complete and chain.lines >= 50_000_000:
                gib = chain.peak_mib / 1024
                lines_out.append(f"{tag}: end to end {chain.seconds:.0f} s, {chain.inner:.0f} s in process "
                                 f"(goal ≤ {GOAL_100M_S:g} s) {verdict(chain.inner <= GOAL_100M_S)}; "
                                 f"peak {gib:.1f} GiB (goal ≤ {GOAL_100M_GIB:g}) "
                                 f"{verdict(gib <= GOAL_100M_GIB)}")
        elif any(s.status is None for s in chain.stages):
            cap = parse_mib(chain.memory) + PYTHON_ALLOWANCE_MIB
            over = [s.name for s in chain.stages if s.status is None and (s.peak_mib or 0) > cap]
            lines_out.append(f"{tag}: highest peak {chain.peak_mib:,.0f} MiB (goal ≤ {cap:,.0f}) "
                             + (f"MISS ({', '.join(over)})" if over else "OK"))
            free = next((c for c in chains if c.lines == chain.lines and c.memory == "auto"), None)
            if free is not None and free.complete and chain.complete:
                r = chain.seconds / free.seconds
                lines_out.append(f"{tag}: {r:.2f}× the unlimited time (goal ≤ {GOAL_LIMITED:g}×) "
                                 f"{verdict(r <= GOAL_LIMITED)}")
    return lines_out


def render(rows: list[list[str]], caption: str, notes: list[str]) -> str:
    align = [":--" if h in ("stage", "notes", "memory") else "--:" for h in HEADERS]
    out = ["## End to end: import → metrics → classify → tasks → report", "",
           "| " + " | ".join(HEADERS) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join([*out, "", caption, "", *(f"- {n}" for n in notes), ""])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from _orders import parse_size

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--sizes", default="10M,100M",
                        help="order lines, comma-separated; multiples of the base company's "
                             "(10M at 1M customers; default 10M,100M)")
    parser.add_argument("--small", action="store_true",
                        help=f"a quick run: the {SMALL_BASE_CUSTOMERS:,}-customer company (1M lines) only")
    parser.add_argument("--memory", default=f"auto,{LIMITED}",
                        help=f"engine memory settings to run, comma-separated (default auto,{LIMITED})")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="Markdown file the table is written to (default benchmarks/results/pipeline.md)")
    parser.add_argument("--until", choices=STAGES, default=STAGES[-1],
                        help="the last stage to run (default: report); e.g. metrics for the import and the "
                             "metrics of 100M lines without the classification's tens of GB of spill")
    parser.add_argument("--keep", type=Path, default=None,
                        help="move the last chain's workspace here instead of deleting it")
    parser.add_argument("--from", dest="start", choices=STAGES[1:], default=None,
                        help="the first stage to run, on a copy of the workspace --workspace names (one a "
                             "chain kept with --keep at the same size); e.g. classify at 100M without "
                             "importing again")
    parser.add_argument("--workspace", type=Path, default=None, help="the workspace --from starts from")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds before a stage is killed")
    parser.add_argument("--max-mem", type=float, default=20.0,
                        help="GiB of resident memory above which a stage is killed (default 20)")
    args = parser.parse_args(argv)
    if (args.start is None) != (args.workspace is None):
        parser.error("--from and --workspace go together")
    if args.workspace is not None and not args.workspace.is_file():
        parser.error(f"--workspace {args.workspace}: no such file")
    args.base = SMALL_BASE_CUSTOMERS if args.small else BASE_CUSTOMERS
    unit = args.base * LINES_PER_CUSTOMER
    try:
        sizes = [unit] if args.small else [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError as exc:
        parser.error(str(exc))
    if any(s % unit for s in sizes):
        parser.error(f"--sizes must be multiples of {unit:,} lines (the base company)")
    args.copies = [s // unit for s in sizes]
    args.memory = [m.strip() for m in args.memory.split(",") if m.strip()]
    return args


def main(argv: list[str] | None = None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from bench_import import machine_facts
    from bench_metrics import Limits

    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)
    load_avg = os.getloadavg()[0]
    limits = Limits(args.timeout, args.max_mem * 1024)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    base = ensure_base(args.base, limits, console)
    floors: dict[int, Stage] = {}
    chains: list[Chain] = []
    notes: list[str] = []
    for copies in args.copies:
        files = ensure_copies(base, copies, limits, console)
        facts = _in_child(limits, "facts", str(files))
        lines = copies * args.base * LINES_PER_CUSTOMER
        counts = ", ".join(f"{k} {v:,}" for k, v in facts["rows"].items())
        notes.append(f"data {lines:,} nominal lines: {counts}"
                     + f"; {facts['buyers']:,} customers with orders, {facts['first']} to {facts['last']}, "
                       f"{facts['mib']:,.0f} MiB of Parquet ({files.relative_to(REPO_ROOT)})")
        console.print(f"[bold]{escape(notes[-1])}[/bold]", highlight=False)
        floors[lines] = run_floor(files, limits)
        floor = floors[lines]
        console.print(f"  {LABELS['floor']}: {floor.seconds:.2f} s, peak {floor.peak_mib:,.0f} MiB",
                      highlight=False)
        for memory in args.memory:
            console.print(f"[bold]{copies * args.base:,} customers, memory {memory}[/bold]", highlight=False)
            first = STAGES.index(args.start) if args.start else 0
            chains.append(run_chain(lines, files, memory, limits, console,
                                    STAGES[first:STAGES.index(args.until) + 1], args.keep, args.workspace))
    notes = goals(floors, chains) + notes
    rows = table_rows(floors, chains)
    caption = (f"Each stage a fresh process on the workspace the previous stage left; seconds include "
               f"starting Python and importing tierwise; in-process s = the call alone; peak = the child's "
               f"max RSS; × floor = seconds over the hand-written DuckDB summary of the same orders.parquet. "
               f"Memory {LIMITED} = TIERWISE_MEMORY_LIMIT. Limits {args.timeout:g} s, {args.max_mem:g} GiB "
               f"per stage. "
               f"Machine: {machine_facts(load_avg)}.")
    table = Table(title="End-to-end benchmark", caption=caption)
    for h in HEADERS:
        table.add_column(h, justify="left" if h in ("stage", "notes", "memory") else "right", overflow="fold")
    for row in rows:
        table.add_row(*map(escape, row))
    console.print(table)
    for note in notes:
        style = "yellow" if "MISS" in note else "green" if note.endswith("OK") else "default"
        console.print(f"[{style}]{escape(note)}[/{style}]", highlight=False)
    markdown = render(rows, caption, notes)
    print(markdown)
    command = " ".join(["python benchmarks/bench_pipeline.py", *(argv if argv is not None else sys.argv[1:])])
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(f"# End-to-end benchmark\n\n`{command}`, {datetime.now():%Y-%m-%d %H:%M}\n\n"
                       f"{markdown}", encoding="utf-8")
    console.print(f"\nwritten to {args.results}", highlight=False)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
