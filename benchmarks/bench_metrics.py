"""Metrics benchmark: per-customer metrics by tierwise against DuckDB SQL and three peer libraries.

The same piece of work — the "same work" contract below — is done on generated heavy-tailed
order logs (``_orders.py``: 1M, 10M and 50M orders, about 10 % as many customers) by:

* **DuckDB SQL (floor)** — one hand-written query (``peers/run_floor.py``), in this
  environment, with the DuckDB tierwise uses;
* **lifetimes** — ``summary_data_from_transaction_data`` + pandas for revenue and scores;
* **pymc-marketing** — ``pymc_marketing.clv.utils.rfm_segments``;
* **openretailscience** — ``RFMSegmentation`` (Ibis on DuckDB);
* **tierwise** — ``python -m tierwise.metrics.bench_entry INPUT OUTPUT`` (same work), and
  **tierwise full metrics** — the same with ``--full`` (all of its metrics; timed only), and
  **tierwise full metrics, memory limit 2GB** — that again with ``TIERWISE_MEMORY_LIMIT=2GB``.

Each peer runs in its own pinned virtualenv under ``bench-data/venvs`` (``_peers.py``), made
on first use. Every run is a fresh child process, Parquet in and Parquet out; its wall time and
peak RSS are measured by ``_measure.measure``. Each output is then joined with the floor's on
``customer_id`` and every column the two have in common is compared (max absolute
difference, rows that differ, customers missing or extra), so the table shows whether the
outputs are equal.

The "same work" contract, per customer, with the observation end = the latest order date:
``frequency``, ``recency``, ``T``, ``monetary_value`` exactly as lifetimes'
``summary_data_from_transaction_data(..., freq='D')`` defines them; ``revenue`` = sum of all
amounts; ``revenue_pct_rank`` = ``percent_rank() over (order by revenue, customer_id)``;
``r_score``, ``f_score``, ``m_score`` = ``ntile(5)`` over (last purchase date, customer_id),
(frequency, customer_id), (revenue, customer_id).

Goals (MISS is reported, never fails the run): tierwise same work ≤ 1.1× the floor's time;
≥ 5× faster than lifetimes and pymc-marketing; faster than openretailscience; full metrics at
10M ≤ 3× the floor; under a 2GB limit ≤ 2× the unlimited time, peak ≤ the limit + 512 MiB.
See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import psutil
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from _measure import Measurement, fastest, measure
from _orders import DATA_DIR, OrderLog, ensure_order_log, parse_size, size_label
from _peers import PEERS, REPO_ROOT, Venv, runner_command, venv_for
from bench_import import machine_facts

RESULTS = Path(__file__).resolve().parent / "results" / "metrics.md"
OUT_DIR = DATA_DIR / "out"
DEFAULT_SIZES = "1M,10M,50M"
TIERWISE_MODULE = "tierwise.metrics.bench_entry"
TOOLS = ("floor", "lifetimes", "pymc-marketing", "openretailscience", "tierwise", "tierwise-full",
         "tierwise-full-2gb")
LABELS = {**{name: peer.label for name, peer in PEERS.items()},
          "tierwise": "tierwise", "tierwise-full": "tierwise full metrics",
          "tierwise-full-2gb": "tierwise full metrics, memory limit 2GB"}
FULL = ("tierwise-full", "tierwise-full-2gb")  # timed only: their output is not the floor's contract
LIMITED = "2GB"  # the engine's memory_limit of the tierwise-full-2gb run
LIMITED_GOAL_SECONDS, LIMITED_OVER_MIB = 2.0, 512  # ≤ 2× unlimited; peak ≤ limit + 512 MiB (Python)
# Columns of the floor's output a peer may be compared on: the contract's own, and two derived
# ones for peers that define recency and monetary value for segmentation instead.
COMPARABLE = ("frequency", "recency", "T", "monetary_value", "revenue", "revenue_pct_rank",
              "r_score", "f_score", "m_score", "days_since_last", "mean_daily_revenue")
FLOOR_VIEW = """
    SELECT *, T - recency AS days_since_last,
           CAST(revenue AS DOUBLE) / (frequency + 1) AS mean_daily_revenue
    FROM read_parquet('{path}')
"""
TOLERANCE = 1e-9  # a value differs when |peer − floor| > TOLERANCE · max(1, |floor|)
SAME_WORK_GOAL = 1.1  # tierwise ≤ this × the floor's time
PEER_SPEEDUP_GOAL = 5.0  # tierwise ≥ this × faster than lifetimes and pymc-marketing
FULL_GOAL, FULL_GOAL_SIZE = 3.0, 10_000_000  # full metrics ≤ this × the floor, at this size
DEFAULT_TIMEOUT, DEFAULT_MAX_GIB = 900.0, 16.0
OOM_MARKERS = ("MemoryError", "OutOfMemoryException", "std::bad_alloc")  # in a failed run's stderr
console = Console(width=None if sys.stdout.isatty() else 140)  # no wrapping in logs


@dataclass(frozen=True)
class Limits:
    """When a run is stopped: wall time and resident memory."""

    timeout: float  # seconds
    max_mib: float


DEFAULT_LIMITS = Limits(DEFAULT_TIMEOUT, DEFAULT_MAX_GIB * 1024)


@dataclass
class Comparison:
    """A peer's output against the floor's, joined on customer_id."""

    columns: list[str]
    max_diff: dict[str, float | None]  # per column: max |peer − floor| (None: no rows)
    differing: dict[str, int]  # per column: rows beyond TOLERANCE (or NULL on one side)
    matched: int
    only_floor: int  # customers the peer lacks
    only_peer: int  # customers the floor lacks
    duplicates: int  # customer_id values the peer wrote more than once

    @property
    def equal(self) -> bool:
        """Same customers, and every compared column within TOLERANCE on every row."""
        return (not self.only_floor and not self.only_peer and not self.duplicates
                and not any(self.differing.values()) and bool(self.columns))

    def cell(self) -> str:
        """The table's summary: equal or not, and the largest difference."""
        if not self.columns:
            return "no common columns"
        worst = max((d for d in self.max_diff.values() if d is not None), default=0.0)
        if self.equal:
            return "equal, max |Δ| 0" if worst == 0 else f"equal, max |Δ| {worst:.1e}"
        problems = [f"{c} ({n:,} rows)" for c, n in self.differing.items() if n]
        if self.only_floor or self.only_peer:
            problems.append(f"customers {self.only_floor:,} missing, {self.only_peer:,} extra")
        if self.duplicates:
            problems.append(f"{self.duplicates:,} duplicate ids")
        return "DIFFERENT: " + "; ".join(problems)

    def detail(self) -> str:
        """Every column's max difference, for the lines under the table."""
        def fmt(col: str) -> str:
            diff = self.max_diff[col]
            text = "–" if diff is None else ("0" if diff == 0 else f"{diff:.2g}")
            bad = self.differing[col]
            return f"{col} {text}" + (f" ({bad:,} rows differ)" if bad else "")
        return (f"{self.matched:,} customers matched, {self.only_floor:,} missing, "
                f"{self.only_peer:,} extra, {self.duplicates:,} duplicated; max |Δ|: "
                + ", ".join(fmt(c) for c in self.columns))


@dataclass
class Outcome:
    """How one tool did at one size."""

    tool: str
    rows: int
    run: Measurement | None = None
    report: dict[str, object] = field(default_factory=dict)  # the runner's JSON line
    status: str | None = None  # why there is no run: skipped, not available, FAILED, timed out …
    gave_up: bool = False  # a timeout or out of memory: larger sizes are not tried
    comparison: Comparison | None = None

    @property
    def label(self) -> str:
        return LABELS[self.tool]


# --- running one child, with a watchdog ---------------------------------------------------------

def measure_limited(cmd: list[str], limits: Limits,
                    env: dict[str, str] | None = None) -> tuple[Measurement, str | None]:
    """``measure(cmd)``, killing the child when it passes the time or memory limit.

    ``measure`` reaps the child itself, so a watchdog thread finds it as this process's new
    child (psutil) and polls its RSS four times a second. Returns the measurement and, when
    the watchdog killed the child, why: ``timeout`` or ``memory``.
    """
    me = psutil.Process()
    before = {child.pid for child in me.children()}
    stop, verdict = threading.Event(), []

    def watch() -> None:
        start = time.monotonic()
        while not stop.wait(0.25):
            for child in me.children():
                if child.pid in before:
                    continue
                try:
                    over_time = time.monotonic() - start > limits.timeout
                    over_memory = child.memory_info().rss > limits.max_mib * 2**20
                    if over_time or over_memory:
                        verdict.append("timeout" if over_time else "memory")
                        child.kill()
                except psutil.Error:
                    pass  # it ended in the meantime

    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    try:
        run = measure(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}, cwd=str(REPO_ROOT))
    finally:
        stop.set()
        watchdog.join()
    return run, (verdict[0] if verdict else None)


def run_once(tool: str, cmd: list[str], limits: Limits,
             env: dict[str, str] | None = None) -> tuple[Measurement, str | None, bool]:
    """One measured run: the measurement, why it failed (None: it did not) and whether the
    failure is a timeout or out of memory (the tool is then not tried on larger logs)."""
    run, killed = measure_limited(cmd, limits, env)
    status, gave_up = None, False
    if killed == "timeout":
        status, gave_up = f"timed out (> {limits.timeout:g} s)", True
    elif killed == "memory":
        status, gave_up = f"out of memory (killed above {limits.max_mib:,.0f} MiB)", True
    elif run.returncode == -9:
        status, gave_up = "killed by SIGKILL (out of memory?)", True
    elif not run.ok and any(m in run.stderr for m in OOM_MARKERS):
        status, gave_up = f"out of memory ({error_line(run.stderr)})", True
    elif not run.ok:
        status = f"FAILED (exit {run.returncode}): {error_line(run.stderr or run.stdout)}"
    if status:
        console.print(f"  [red]{LABELS[tool]}: {escape(status)}[/red]", highlight=False)
        tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-25:])
        if tail:
            console.print(tail, markup=False, highlight=False)
    else:
        console.print(f"  {LABELS[tool]}: {run.seconds:.2f} s, peak {run.peak_mib:,.0f} MiB", highlight=False)
    return run, status, gave_up


def error_line(text: str, width: int = 120) -> str:
    """The exception line of a traceback (the last ``SomeError: message`` line), shortened."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    found = [ln for ln in lines if re.match(r"^[\w.]*(Error|Exception|Exit)\b", ln)]
    line = (found or lines or ["no output"])[-1]
    return line if len(line) <= width else line[: width - 1] + "…"


def runner_report(run: Measurement) -> dict[str, object]:
    """The JSON line a runner prints last (empty when there is none)."""
    lines = [ln for ln in run.stdout.splitlines() if ln.lstrip().startswith("{")]
    try:
        report = json.loads(lines[-1]) if lines else {}
    except ValueError:
        return {}
    return report if isinstance(report, dict) else {}


# --- the tierwise slot ----------------------------------------------------------------------------

def tierwise_command(input_parquet: Path, output_parquet: Path, full: bool = False) -> list[str]:
    """The child command of the tierwise slot (its entry is written with the metrics engine).

    Same work: ``python -m tierwise.metrics.bench_entry INPUT OUTPUT`` writes the contract's
    columns for every customer, like the runners under ``peers/``; ``--full`` computes all of
    tierwise's metrics instead (timed only, not compared).
    """
    return [sys.executable, "-m", TIERWISE_MODULE, *(["--full"] if full else []),
            str(input_parquet), str(output_parquet)]


def tierwise_unavailable() -> str | None:
    """None when this Python can import the tierwise entry; otherwise why not."""
    code = (f"import importlib.util, sys; "
            f"sys.exit(0 if importlib.util.find_spec({TIERWISE_MODULE!r}) else 3)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=str(REPO_ROOT), check=False)
    if proc.returncode == 0:
        return None
    if proc.returncode == 3:
        return "not available yet"
    last = (proc.stderr.strip().splitlines() or ["?"])[-1]
    return f"not available yet ({last})"


def run_tierwise(input_parquet: Path, output_parquet: Path, tool: str = "tierwise",
                 limits: Limits | None = None) -> tuple[Measurement | None, str | None, bool]:
    """The tierwise slots: run the entry once as a measured child, or say it is not there yet.

    ``tool``: tierwise (same work), tierwise-full (every metric) or tierwise-full-2gb (every
    metric with the engine's memory limit at 2GB, as ``--memory-limit 2GB``). Returns like
    :func:`run_once`, with no measurement when the entry cannot be imported.
    """
    missing = tierwise_unavailable()
    if missing:
        console.print(f"  tierwise: {missing}", highlight=False)
        return None, missing, False
    env = {"TIERWISE_MEMORY_LIMIT": LIMITED} if tool == "tierwise-full-2gb" else None
    return run_once(tool, tierwise_command(input_parquet, output_parquet, tool in FULL),
                    limits or DEFAULT_LIMITS, env)


# --- comparing outputs ----------------------------------------------------------------------------

def compare(floor_out: Path, peer_out: Path) -> Comparison:
    """Join ``peer_out`` with the floor's output on customer_id and compare common columns."""
    con = duckdb.connect()
    try:
        peer_path, floor_path = (str(p).replace("'", "''") for p in (peer_out, floor_out))
        names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{peer_path}')").fetchall()]
        lowered = {n.lower(): n for n in names}
        columns = [c for c in COMPARABLE if c.lower() in lowered]
        both = "f.customer_id IS NOT NULL AND p.customer_id IS NOT NULL"
        parts = ["count(*) FILTER (WHERE p.customer_id IS NULL)",
                 "count(*) FILTER (WHERE f.customer_id IS NULL)",
                 f"count(*) FILTER (WHERE {both})"]
        for col in columns:
            pv, fv = f'CAST(p."{lowered[col.lower()]}" AS DOUBLE)', f'CAST(f."{col}" AS DOUBLE)'
            parts.append(f"max(abs({pv} - {fv})) FILTER (WHERE {both})")
            parts.append(f"count(*) FILTER (WHERE {both} AND (({pv} IS NULL) <> ({fv} IS NULL) "
                         f"OR abs({pv} - {fv}) > {TOLERANCE!r} * greatest(1.0, abs({fv}))))")
        row = con.execute(
            f"WITH f AS ({FLOOR_VIEW.format(path=floor_path)}), "
            f"p AS (SELECT * FROM read_parquet('{peer_path}')) "
            f"SELECT {', '.join(parts)} FROM f FULL OUTER JOIN p ON f.customer_id = p.customer_id"
        ).fetchone()
        (dups,) = con.execute(f"SELECT count(*) - count(DISTINCT customer_id) "
                              f"FROM read_parquet('{peer_path}')").fetchone() or (0,)
    finally:
        con.close()
    assert row is not None
    only_floor, only_peer, matched, *rest = row
    return Comparison(columns, {c: rest[2 * i] for i, c in enumerate(columns)},
                      {c: int(rest[2 * i + 1]) for i, c in enumerate(columns)},
                      int(matched), int(only_floor), int(only_peer), int(dups))


# --- the benchmark --------------------------------------------------------------------------------

@dataclass
class Setup:
    """What the run needs across sizes: venvs made once, tools given up on, caps."""

    caps: dict[str, int | None]
    venvs: dict[str, Venv | None] = field(default_factory=dict)
    gave_up: dict[str, str] = field(default_factory=dict)  # tool → why larger sizes are skipped


Runner = Callable[[], tuple[Measurement | None, str | None, bool]]  # one measured run, like run_once


def prepare(tool: str, log: OrderLog, out: Path, setup: Setup, limits: Limits) -> Runner | str:
    """What runs ``tool`` once on ``log``, or why it does not run at this size.

    Makes the peer's venv on first use, so no venv setup happens between measured runs.
    """
    cap = setup.caps.get(tool)
    if tool in setup.gave_up:
        return f"skipped ({setup.gave_up[tool]})"
    if cap is not None and log.rows > cap:
        reason = PEERS[tool].cap_reason if tool in PEERS and PEERS[tool].cap == cap else ""
        return f"skipped (cap {size_label(cap)}{': ' + reason if reason else ''})"
    if tool in ("tierwise", *FULL):
        return tierwise_unavailable() or (lambda: run_tierwise(log.parquet, out, tool, limits))
    peer = PEERS[tool]
    if tool not in setup.venvs:
        setup.venvs[tool] = venv_for(peer, log=lambda m: console.print(escape(m), highlight=False))
    venv = setup.venvs[tool]
    if venv is not None and not venv.ok:
        console.print(f"  [red]{peer.label}: {escape(venv.error or '')}[/red]", highlight=False)
        return f"FAILED: venv: {(venv.error or '').splitlines()[0]}"
    cmd = runner_command(peer, venv, log.parquet, out)
    return lambda: run_once(tool, cmd, limits)


def run_size(log: OrderLog, tools: list[str], setup: Setup, repeat: int, limits: Limits) -> list[Outcome]:
    """Every selected tool on one order log, then each output compared with the floor's.

    With ``repeat`` > 1 the runs are interleaved — every tool once, then every tool again —
    so a burst of other work on the machine hits all tools alike rather than one of them.
    The fastest run of each tool is kept, with the highest peak seen.
    """
    label = size_label(log.rows)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    outs = {tool: OUT_DIR / f"{label}-{tool}.parquet" for tool in tools}
    outcomes: dict[str, Outcome] = {}
    commands: dict[str, Runner] = {}
    for tool in tools:
        outs[tool].unlink(missing_ok=True)
        prepared = prepare(tool, log, outs[tool], setup, limits)
        if isinstance(prepared, str):
            if not prepared.startswith("FAILED"):  # a venv failure was shown already
                console.print(f"  {LABELS[tool]}: {escape(prepared)}", highlight=False)
            outcomes[tool] = Outcome(tool, log.rows, status=prepared)
        else:
            commands[tool] = prepared
    runs: dict[str, list[Measurement]] = {tool: [] for tool in commands}
    for round_no in range(repeat):
        if repeat > 1:
            console.print(f"  [dim]round {round_no + 1} of {repeat}[/dim]")
        for tool, runner in commands.items():
            if tool in outcomes:  # failed in an earlier round: repeating tells nothing new
                continue
            run, status, gave_up = runner()
            if status or run is None:
                status = status or "FAILED"
                outcomes[tool] = Outcome(tool, log.rows, run=run, status=status, gave_up=gave_up)
                if gave_up:
                    setup.gave_up[tool] = f"{status.split(' (')[0]} at {label}"
            else:
                runs[tool].append(run)
    floor_out = outs["floor"]
    for tool in commands:
        if tool in outcomes:
            continue
        best = fastest(runs[tool])  # carries the fastest run's output: its phases go with its time
        outcome = Outcome(tool, log.rows, run=best, report=runner_report(best))
        if tool not in ("floor", *FULL):
            if not outs[tool].exists():
                outcome.status = "FAILED (no output file)"
            elif floor_out.exists():
                outcome.comparison = compare(floor_out, outs[tool])
        outcomes[tool] = outcome
    return [outcomes[tool] for tool in tools]


def phases_text(report: dict[str, object]) -> str:
    """``import 6.8, read 1.0, …`` from a runner's JSON line."""
    phases = report.get("phases")
    if not isinstance(phases, dict):
        return ""
    return ", ".join(f"{name} {float(sec):.1f}" for name, sec in phases.items())


def table_row(o: Outcome, floor: Outcome | None) -> list[str]:
    """One row: size, tool, seconds, × floor, peak MiB, × floor, equal outputs, notes."""
    size = size_label(o.rows)
    base = floor.run if floor is not None and floor.status is None else None
    if o.status is not None:
        if o.run is not None and o.gave_up:  # killed: show how far it got
            return [size, o.label, f"> {o.run.seconds:.0f}", "–", f"≥ {o.run.peak_mib:,.0f}", "–", "–",
                    o.status]
        return [size, o.label, "–", "–", "–", "–", "–", o.status]
    assert o.run is not None
    run = o.run
    notes = []
    if o.tool == "floor":
        equal = "reference"
    elif o.tool in FULL:
        equal = "not checked"
        notes.append("timing only, no equality check")
    elif o.comparison is not None:
        equal = o.comparison.cell()
        notes.append("compared on: " + ", ".join(o.comparison.columns))
    else:
        equal = "no floor output"
    phases = phases_text(o.report)
    if phases:
        notes.append(f"phases (s): {phases}")
    cpu = o.report.get("cpu_seconds")
    if isinstance(cpu, int | float):
        notes.append(f"CPU {cpu:.1f} s")
    return [size, o.label, f"{run.seconds:.2f}",
            f"{run.seconds / base.seconds:.2f}×" if base else "–",
            f"{run.peak_mib:,.0f}",
            f"{run.peak_mib / base.peak_mib:.2f}×" if base else "–",
            equal, "; ".join(notes)]


def goals(outcomes: list[Outcome]) -> list[str]:
    """OK/MISS for tierwise's goals at one size."""
    by_tool = {o.tool: o for o in outcomes}
    size = size_label(outcomes[0].rows)

    def seconds(tool: str) -> float | None:
        o = by_tool.get(tool)
        return o.run.seconds if o is not None and o.status is None and o.run is not None else None

    floor, tier, full = seconds("floor"), seconds("tierwise"), seconds("tierwise-full")
    limited = by_tool.get("tierwise-full-2gb")
    lines = []
    if "tierwise" in by_tool:
        if tier is None:
            lines.append(f"{size}: tierwise same-work goals not measured: tierwise "
                         f"{by_tool['tierwise'].status}")
        else:
            if floor is not None:
                ratio = tier / floor
                verdict = "OK" if ratio <= SAME_WORK_GOAL else "MISS"
                lines.append(f"{size}: tierwise same work {ratio:.2f}× the floor "
                             f"(goal ≤ {SAME_WORK_GOAL:g}×) {verdict}")
            comp = by_tool["tierwise"].comparison
            lines.append(f"{size}: tierwise output equal to the floor's: "
                         f"{'OK' if comp is not None and comp.equal else 'MISS'}")
            for peer, goal in (("lifetimes", PEER_SPEEDUP_GOAL), ("pymc-marketing", PEER_SPEEDUP_GOAL),
                               ("openretailscience", 1.0)):
                other = seconds(peer)
                if other is None:
                    continue
                speedup = other / tier
                want = f"≥ {goal:g}× faster" if goal > 1 else "faster"
                ok = speedup >= goal if goal > 1 else speedup > 1
                lines.append(f"{size}: tierwise {speedup:.1f}× faster than {peer} (goal {want}) "
                             f"{'OK' if ok else 'MISS'}")
    if "tierwise-full" in by_tool and outcomes[0].rows == FULL_GOAL_SIZE:
        if full is None or floor is None:
            lines.append(f"{size}: tierwise full metrics goal not measured: "
                         f"{by_tool['tierwise-full'].status or 'no floor'}")
        else:
            ratio = full / floor
            lines.append(f"{size}: tierwise full metrics {ratio:.2f}× the floor (goal ≤ {FULL_GOAL:g}×) "
                         f"{'OK' if ratio <= FULL_GOAL else 'MISS'}")
    if limited is not None:
        if limited.status is not None or limited.run is None:
            lines.append(f"{size}: tierwise full metrics under a {LIMITED} limit: {limited.status}")
        else:
            cap = parse_mib(LIMITED) + LIMITED_OVER_MIB
            held = limited.run.peak_mib <= cap
            lines.append(f"{size}: tierwise full metrics under a {LIMITED} limit: peak "
                         f"{limited.run.peak_mib:,.0f} MiB (goal ≤ {cap:,.0f}) {'OK' if held else 'MISS'}")
            if full is not None:
                ratio = limited.run.seconds / full
                lines.append(f"{size}: tierwise full metrics under a {LIMITED} limit {ratio:.2f}× the "
                             f"unlimited time (goal ≤ {LIMITED_GOAL_SECONDS:g}×) "
                             f"{'OK' if ratio <= LIMITED_GOAL_SECONDS else 'MISS'}")
    return lines


def parse_mib(text: str) -> float:
    """MiB in a memory setting such as 2GB (DuckDB reads GB as 1000^3 bytes)."""
    number, unit = re.fullmatch(r"\s*([\d.]+)\s*([KMGT]i?B)\s*", text).groups()  # type: ignore[union-attr]
    power = "KMGT".index(unit[0]) + 1
    return float(number) * (1024 if "i" in unit else 1000) ** power / 2**20


def data_fact(log: OrderLog) -> str:
    """One line about a generated order log."""
    f = log.facts
    made = (f"generated in {log.generated_seconds:.1f} s ({log.generated_cpu_seconds:.1f} s CPU)"
            if log.generated_seconds is not None else f"cached (generated in {f.get('generated_seconds')} s)")
    customers = int(f.get("customers", 0) or 0)
    le3 = int(f.get("customers_le3_orders", 0) or 0)
    return (f"{size_label(log.rows)}: {log.rows:,} orders, {customers:,} customers "
            f"(median {f.get('median_orders')} orders, {le3 / max(customers, 1):.0%} with 1–3, "
            f"{f.get('customers_ge1000_orders')} with ≥ 1,000, biggest {f.get('max_orders'):,}), "
            f"{f.get('first_date')} to {f.get('last_date')}, {f.get('mib')} MiB Parquet, {made}")


def env_lines(setup: Setup) -> list[str]:
    """Where each tool ran: Python, pins, venv setup time."""
    lines = [f"floor, tierwise: this environment ({sys.executable}), DuckDB {duckdb.__version__}"]
    for tool, venv in setup.venvs.items():
        if venv is None:
            continue
        if not venv.ok:
            lines.append(f"{tool}: venv FAILED: {venv.error}")
            continue
        when = "set up in this run" if venv.created_now else f"reused, set up {venv.created_at}"
        lines.append(f"{tool}: bench-data/venvs/{venv.spec.name}, Python {venv.python_version}, "
                     f"{when} in {venv.setup_seconds or 0:.0f} s (venv + pip + first import); pins: "
                     f"{' '.join(venv.spec.pins)}" + (f" ({venv.spec.note})" if venv.spec.note else ""))
    return lines


def render(outcomes: list[Outcome], caption: str, notes: list[str]) -> str:
    """Print the Rich table and the notes; return the Markdown."""
    headers = ["size", "tool", "seconds", "× floor", "peak MiB", "× floor", "equal outputs", "notes"]
    floors = {o.rows: o for o in outcomes if o.tool == "floor"}
    rows = [table_row(o, floors.get(o.rows)) for o in outcomes]
    table = Table(title="Metrics: per-customer same work", caption=escape(caption), caption_justify="left")
    for i, header in enumerate(headers):
        if header == "notes":
            table.add_column(header, justify="left", ratio=1, overflow="fold")
        else:
            table.add_column(header, justify="left" if i < 2 or header == "equal outputs" else "right",
                             no_wrap=header != "equal outputs")
    last_size = None
    for row in rows:
        if last_size is not None and row[0] != last_size:
            table.add_section()
        last_size = row[0]
        bad = any(w in " ".join(row) for w in ("FAILED", "DIFFERENT", "timed out", "out of memory"))
        table.add_row(*map(escape, row), style="red" if bad else None)
    console.print(table)
    for note in notes:
        style = "yellow" if "MISS" in note or "FAILED" in note else "green" if " OK" in note else "default"
        console.print(f"[{style}]{escape(note)}[/{style}]", highlight=False)
    align = [":--" if i < 2 or h in ("equal outputs", "notes") else "--:" for i, h in enumerate(headers)]
    lines = ["## Metrics: per-customer same work", "",
             "| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    lines += ["", caption, "", *(f"- {note}" for note in notes), ""]
    return "\n".join(lines)


def parse_caps(values: list[str]) -> dict[str, int | None]:
    """``--cap lifetimes=10M`` (repeatable, or comma-separated) over the peers' default caps."""
    caps: dict[str, int | None] = {name: peer.cap for name, peer in PEERS.items()}
    for value in values:
        for item in filter(None, (v.strip() for v in value.split(","))):
            name, _, size = item.partition("=")
            if name not in TOOLS or not size:
                raise ValueError(f"--cap {item!r}: use NAME=SIZE with NAME in {', '.join(TOOLS)}")
            caps[name] = None if size.lower() in ("none", "all", "off") else parse_size(size)
    return caps


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"orders per generated log, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per measurement; the fastest is kept (default 1)")
    parser.add_argument("--peers", default=",".join(TOOLS),
                        help=f"tools to run, comma-separated (default all: {','.join(TOOLS)}); "
                             "the floor always runs, as the reference")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds before a run is killed and reported as timed out (default 900)")
    parser.add_argument("--max-mem", type=float, default=DEFAULT_MAX_GIB,
                        help="GiB of resident memory above which a run is killed and reported as out of "
                             "memory (default 16)")
    parser.add_argument("--cap", action="append", default=[], metavar="NAME=SIZE",
                        help="largest log a tool runs on, e.g. lifetimes=10M (none: no cap); larger "
                             "sizes print 'skipped'. Repeatable.")
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({parse_size(s) for s in args.sizes.split(",") if s.strip()})
        args.caps = parse_caps(args.cap)
    except ValueError as exc:
        parser.error(str(exc))
    tools = {t.strip() for t in args.peers.split(",") if t.strip()}
    unknown = sorted(tools - set(TOOLS))
    if unknown:
        parser.error(f"--peers: unknown {unknown}; choose from {', '.join(TOOLS)}")
    args.tools = [t for t in TOOLS if t in tools or t == "floor"]
    if not args.sizes or args.repeat < 1 or args.timeout <= 0 or args.max_mem <= 0:
        parser.error("--sizes must name at least one size; --repeat, --timeout, --max-mem must be positive")
    return args


def main(argv: list[str] | None = None) -> None:
    """Generate (or reuse) the order logs, run every tool at every size, print and save."""
    args = parse_args(argv)
    load_avg = os.getloadavg()[0]
    limits = Limits(args.timeout, args.max_mem * 1024)
    setup = Setup(args.caps)
    outcomes: list[Outcome] = []
    facts: list[str] = []
    goal_lines: list[str] = []
    for rows in args.sizes:
        with console.status(f"preparing {rows:,} orders in {DATA_DIR} …"):
            log = ensure_order_log(rows)
        facts.append(data_fact(log))
        console.print(f"[bold]{escape(facts[-1])}[/bold]", highlight=False)
        size_outcomes = run_size(log, args.tools, setup, args.repeat, limits)
        outcomes += size_outcomes
        goal_lines += goals(size_outcomes)
    details = [f"{size_label(o.rows)} {o.label} vs floor: {o.comparison.detail()}"
               for o in outcomes if o.comparison is not None]
    caption = (f"Each run: a fresh process reading the Parquet order log and writing one row per "
               f"customer to Parquet; seconds include starting Python and importing the library, as a "
               f"user experiences it; peak = the child's max RSS; best of {args.repeat}. Outputs are "
               f"joined with the floor's on customer_id; a value differs beyond {TOLERANCE:g} × "
               f"max(1, |floor|). Limits: {args.timeout:g} s, {args.max_mem:g} GiB per run. "
               f"Machine: {machine_facts(load_avg)}.")
    notes = [*goal_lines, *("data " + f for f in facts), *details, *("env " + e for e in env_lines(setup))]
    markdown = render(outcomes, caption, notes)
    console.print("\n[bold]Markdown[/bold] (for the README):\n", highlight=False)
    print(markdown)
    command = " ".join(["python benchmarks/bench_metrics.py", *(argv if argv is not None else sys.argv[1:])])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# Metrics benchmark\n\n`{command}`, {datetime.now():%Y-%m-%d %H:%M}\n\n{markdown}",
                       encoding="utf-8")
    console.print(f"\nwritten to {RESULTS}", highlight=False)


if __name__ == "__main__":
    main()
