"""Import benchmark: tierwise's importer against DuckDB's own bare load of the same file.

For each format (CSV, Parquet, and a SQLite database holding the same rows) the same generated
``orders`` data is loaded twice, each time by a fresh child process into a fresh database file:

* **bare DuckDB** — ``CREATE TABLE orders AS SELECT * FROM read_csv(...)`` (or
  ``read_parquet``): the floor, with type auto-detection and no checks at all; for SQLite,
  the rows fetched with Python's ``sqlite3`` in batches into Arrow and DuckDB;
* **tierwise** — ``tierwise --db FRESH import orders FILE --json`` (for SQLite ``--from-db
  sqlite:///FILE --source-table orders``): header mapping, value parsing, rejection of bad
  rows with reasons, and the upsert into the canonical table.

Wall time and the child's peak resident memory are measured (see ``_measure.py``). The goals:
the import takes at most 2× the bare load's time and peaks under 2 GiB. Missing a goal is
reported as MISS; it never fails the run.

Run ``python benchmarks/bench_import.py --help`` for the options; ``benchmarks/README.md``
explains the numbers. Further benchmarks (metrics, classification) can be added as more
sections: a function building a :class:`Section`, rendered by :func:`show`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from _data import DATA_DIR, OrdersData, ensure_orders
from _measure import Measurement, fastest, measure

TIME_GOAL = 2.0  # the import may take at most this many times the bare load's time
MEMORY_GOAL_MIB = 2048.0  # and must peak below this
FORMATS = ("csv", "parquet", "sqlite")
RESULTS = Path(__file__).resolve().parent / "results" / "import.md"
BARE_SCRIPT = """\
import sys, duckdb
db, path, reader = sys.argv[1:4]
path = path.replace("'", "''")
con = duckdb.connect(db)
(n,) = con.execute(f"CREATE TABLE orders AS SELECT * FROM {reader}('{path}')").fetchone()
con.close()
print(n)
"""
# The floor for a database: what a script would do without tierwise, the rows fetched with
# Python's sqlite3 in batches, into Arrow, into DuckDB (DuckDB's sqlite scanner is an extension
# downloaded at run time, which tierwise does not do).
BARE_SQLITE_SCRIPT = """\
import sqlite3, sys, duckdb, pyarrow as pa
db, path = sys.argv[1:3]
src = sqlite3.connect(path)
cur = src.execute("SELECT * FROM orders")
names = [d[0] for d in cur.description]
con = duckdb.connect(db)
n = 0
while rows := cur.fetchmany(100_000):
    batch = pa.table([pa.array(c) for c in zip(*rows)], names=names)
    con.execute("CREATE TABLE orders AS FROM batch" if n == 0 else "INSERT INTO orders FROM batch")
    n += len(rows)
con.close()
print(n)
"""
console = Console(width=None if sys.stdout.isatty() else 132)  # no wrapping in logs


@dataclass
class Section:
    """One benchmark's results, ready to show as a Rich table and as Markdown."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    caption: str
    notes: list[str] = field(default_factory=list)  # lines printed under the table
    left: int = 2  # how many leading columns are text (left-aligned); the rest are numbers


@dataclass
class LoadResult:
    """How one loader did on one format: the kept run, or why it failed."""

    fmt: str
    loader: str
    run: Measurement | None = None
    accepted: int | None = None
    rejected: int | None = None
    error: str | None = None


def machine_facts(load_avg: float) -> str:
    """Cores, memory, CPU and versions, for the caption, with the load before the run.

    Other work competing for the cores skews the times, so the 1-minute load average taken
    before this script started working is shown too.
    """
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), {ram:.1f} GiB RAM, {platform.system()}, "
            f"DuckDB {duckdb.__version__}, Python {platform.python_version()}, "
            f"load average {load_avg:.1f} before the run")


def tierwise_exe() -> Path:
    """The ``tierwise`` command of the environment running this script."""
    return Path(sys.executable).parent / "tierwise"


def load_once(loader: str, fmt: str, source: Path, work: Path) -> LoadResult:
    """Load ``source`` into a fresh database in ``work`` with one loader, measured."""
    result = LoadResult(fmt, loader)
    link = work / source.name  # a link, so tierwise writes its .rejected.csv into ``work``
    link.symlink_to(source)
    db = work / "bench.duckdb"
    if loader == "bare DuckDB" and fmt == "sqlite":
        cmd = [sys.executable, "-c", BARE_SQLITE_SCRIPT, str(db), str(link)]
    elif loader == "bare DuckDB":
        reader = "read_csv" if fmt == "csv" else "read_parquet"
        cmd = [sys.executable, "-c", BARE_SCRIPT, str(db), str(link), reader]
    else:
        exe = tierwise_exe()
        if not exe.exists():
            result.error = f"{exe} not found: install tierwise into this environment"
            return result
        init = subprocess.run([str(exe), "--db", str(db), "init"], capture_output=True,
                              text=True, check=False)  # workspace setup: not measured
        if init.returncode != 0:
            result.error = f"`tierwise init` exited {init.returncode}:\n{init.stderr}"
            return result
        cmd = [str(exe), "--db", str(db), "import", "orders", str(link), "--json"]
        if fmt == "sqlite":
            cmd[-2:-1] = ["--from-db", f"sqlite:///{link}", "--source-table", "orders"]
    run = measure(cmd)
    if not run.ok:
        result.error = f"exited {run.returncode}:\n{run.stderr or run.stdout}"
        return result
    try:
        if loader == "bare DuckDB":
            result.accepted, result.rejected = int(run.stdout.split()[-1]), 0
        else:
            last = [ln for ln in run.stdout.splitlines() if ln.lstrip().startswith("{")][-1]
            summary = json.loads(last)
            result.accepted, result.rejected = int(summary["accepted"]), int(summary["rejected"])
    except (IndexError, KeyError, TypeError, ValueError) as exc:
        result.error = f"unreadable output ({exc!r}):\n{run.stdout}\n{run.stderr}"
        return result
    result.run = run
    return result


def load(loader: str, fmt: str, data: OrdersData, repeat: int, keep: bool) -> LoadResult:
    """Run one loader ``repeat`` times, each in a fresh temporary directory; keep the best."""
    tmp_root = DATA_DIR / "tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    results: list[LoadResult] = []
    for _ in range(max(1, repeat)):
        work = Path(tempfile.mkdtemp(prefix=f"{fmt}-{loader.split()[0].lower()}-", dir=tmp_root))
        try:
            results.append(load_once(loader, fmt, data.path(fmt), work))
        finally:
            if keep:
                console.print(f"[dim]kept {work}[/dim]")
            else:
                shutil.rmtree(work, ignore_errors=True)
        if results[-1].error:  # repeating a broken command tells nothing new
            return results[-1]
    runs = [r.run for r in results if r.run is not None]
    kept = results[0]
    kept.run = fastest(runs)
    return kept


def import_section(
    data: OrdersData, formats: list[str], repeat: int, keep: bool, load_avg: float
) -> Section:
    """Run the import benchmark and tabulate it, with the goals checked."""
    headers = ["format", "loader", "seconds", "rows/s", "peak MiB",
               "time × bare", "memory × bare", "accepted", "rejected"]
    rows: list[list[str]] = []
    notes: list[str] = []
    for fmt in formats:
        console.print(f"[bold]{fmt}[/bold]: loading {data.path(fmt).name} …")
        bare = _progress(load("bare DuckDB", fmt, data, repeat, keep))
        tier = _progress(load("tierwise", fmt, data, repeat, keep))
        rows += [_row(bare, bare, data.rows), _row(tier, bare, data.rows)]
        notes.append(_goals(fmt, bare, tier, data))
    caption = (f"{data.rows:,} order lines, {data.bad_rows:,} of them deliberately bad "
               f"(date 2024-13-40 or amount 'abc'): tierwise must reject them, bare DuckDB "
               f"loads them as text. Each load: a fresh process and a fresh database file; "
               f"best of {repeat}. Machine: {machine_facts(load_avg)}.")
    return Section("Import: orders", headers, rows, caption, notes)


def _progress(res: LoadResult) -> LoadResult:
    """Report one finished load as it happens (a 10-million-row run takes minutes)."""
    if res.run is not None:
        console.print(f"  {res.loader}: {res.run.seconds:.2f} s, "
                      f"peak {res.run.peak_mib:,.0f} MiB", highlight=False)
    else:
        tail = "\n".join((res.error or "").strip().splitlines()[-40:])
        console.print(f"  [red]{res.loader} FAILED:[/red]")
        console.print(tail, markup=False, highlight=False)
    return res


def _row(res: LoadResult, bare: LoadResult, n_rows: int) -> list[str]:
    """One table row; ratios are against the bare load of the same format."""
    if res.run is None:
        return [res.fmt, res.loader, "FAILED", "–", "–", "–", "–", "–", "–"]
    run, base = res.run, bare.run
    return [
        res.fmt, res.loader, f"{run.seconds:.2f}", f"{n_rows / run.seconds:,.0f}",
        f"{run.peak_mib:,.0f}",
        f"{run.seconds / base.seconds:.2f}×" if base else "–",
        f"{run.peak_mib / base.peak_mib:.2f}×" if base else "–",
        f"{res.accepted:,}", f"{res.rejected:,}",
    ]


def _goals(fmt: str, bare: LoadResult, tier: LoadResult, data: OrdersData) -> str:
    """PASS/MISS for the time and memory goals on one format, plus a row-count check."""
    if tier.run is None:
        return f"{fmt}: MISS: tierwise import FAILED, goals not measurable"
    parts = []
    if bare.run is not None:
        ratio = tier.run.seconds / bare.run.seconds
        verdict = "PASS" if ratio <= TIME_GOAL else "MISS"
        parts.append(f"time {ratio:.2f}× bare (goal ≤ {TIME_GOAL:g}×) {verdict}")
    else:
        parts.append("time: MISS, no bare load to compare with")
    peak = tier.run.peak_mib
    verdict = "PASS" if peak < MEMORY_GOAL_MIB else "MISS"
    parts.append(f"peak {peak:,.0f} MiB (goal < {MEMORY_GOAL_MIB:,.0f} MiB) {verdict}")
    counts_ok = tier.accepted == data.rows - data.bad_rows and tier.rejected == data.bad_rows
    parts.append(f"rows {'as expected' if counts_ok else 'UNEXPECTED'} "
                 f"({tier.accepted:,} accepted, {tier.rejected:,} rejected; "
                 f"{data.bad_rows:,} bad rows generated)")
    return f"{fmt}: " + "; ".join(parts)


def show(section: Section) -> str:
    """Print ``section`` as a Rich table, then as Markdown; return the Markdown."""
    table = Table(title=section.title, caption=section.caption, caption_justify="left")
    for i, header in enumerate(section.headers):
        table.add_column(header, justify="left" if i < section.left else "right", no_wrap=True)
    for row in section.rows:
        table.add_row(*row, style="red" if "FAILED" in row else None)
    console.print(table)
    for note in section.notes:
        style = "green" if "MISS" not in note and "UNEXPECTED" not in note else "yellow"
        console.print(f"[{style}]{note}[/{style}]", highlight=False)
    align = [":--" if i < section.left else "--:" for i in range(len(section.headers))]
    lines = [f"## {section.title}", "",
             "| " + " | ".join(section.headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in section.rows]
    lines += ["", section.caption, "", *(f"- {note}" for note in section.notes), ""]
    markdown = "\n".join(lines)
    console.print("\n[bold]Markdown[/bold] (for the README):\n", highlight=False)
    print(markdown)
    return markdown


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=10_000_000,
                        help="order lines to generate (default 10,000,000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per measurement; the fastest is kept (default 1)")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="comma-separated formats to load (default csv,parquet,sqlite)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary databases under bench-data/tmp")
    args = parser.parse_args(argv)
    args.formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    unknown = sorted(set(args.formats) - set(FORMATS))
    if unknown or not args.formats:
        parser.error(f"--formats: choose from {', '.join(FORMATS)} (got {args.formats})")
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    """Generate (or reuse) the data, run the benchmark, print and save the results."""
    args = parse_args(argv)
    load_avg = os.getloadavg()[0]
    with console.status(f"preparing {args.rows:,} order lines in {DATA_DIR} …"):
        data = ensure_orders(args.rows)
    made = (f"generated in {data.generated_seconds:.1f} s, {data.generated_cpu_seconds:.1f} s CPU"
            if data.generated_seconds is not None else "reused from cache")
    console.print(f"data: {data.csv.name}, {data.parquet.name} ({args.rows:,} rows, {made})")
    markdown = show(import_section(data, args.formats, args.repeat, args.keep, load_avg))
    command = " ".join(["python benchmarks/bench_import.py", *(argv or sys.argv[1:])])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# Import benchmark\n\n`{command}`, {datetime.now():%Y-%m-%d %H:%M}\n\n"
                       f"{markdown}", encoding="utf-8")
    console.print(f"\nwritten to {RESULTS}", highlight=False)


if __name__ == "__main__":
    main()
