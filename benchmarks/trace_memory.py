"""Where a stage's memory goes: one benchmark stage run in this process, sampled every second.

    python benchmarks/trace_memory.py metrics WORKSPACE.duckdb        # a bench_classify child
    python benchmarks/trace_memory.py import WORKSPACE.duckdb FOLDER  # bench_pipeline's import

Each second: the highest resident set of that second (``VmHWM``, reset through
``/proc/self/clear_refs`` after each reading, so a short spike is not missed), the resident set
now, the memory DuckDB accounts for (``duckdb_memory()``: its buffer pool, what
``memory_limit`` bounds) and the statement the main thread is waiting on. Prints the seconds of
the highest resident sets and the largest gap between the process and the engine's accounting:
a gap while the main thread waits in a statement is the engine's memory outside its limit (or
freed and kept by the process), not Python's. Run it with ``TIERWISE_MEMORY_LIMIT`` set as
the benchmark does. Stages change the workspace: run it on a copy.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

WAITING_IN = frozenset({"raw_sql", "execute", "_safe_raw_sql", "sql", "create_table", "stage", "write"})


def _status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS", "VmHWM")):
                out[line.split(":")[0]] = int(line.split()[1]) // 1024
    return out


def _statement(main_ident: int | None) -> str:
    """The SQL the main thread is running (the nearest frame holding a query), shortened; else
    where it is (file:line function of its innermost frame)."""
    frame = sys._current_frames().get(main_ident) if main_ident is not None else None
    inner = "" if frame is None else (f"in {Path(frame.f_code.co_filename).name}:{frame.f_lineno} "
                                      f"{frame.f_code.co_name}")
    while frame is not None:
        if frame.f_code.co_name in WAITING_IN:
            for name in ("query", "sql", "statement"):
                q = frame.f_locals.get(name)
                if q is not None:
                    text = q.sql(dialect="duckdb") if hasattr(q, "sql") else str(q)
                    return " ".join(str(text).split())[:160]
        frame = frame.f_back
    return inner


def trace(run: Any, connections: list[Any], seconds: float = 1.0) -> list[tuple[int, int, int, int, str]]:
    """Call ``run()`` while sampling; (second, highest RSS MiB, RSS MiB, engine MiB, statement)."""
    rows: list[tuple[int, int, int, int, str]] = []
    stop = threading.Event()
    main = threading.main_thread().ident

    def sample() -> None:
        start = time.monotonic()
        while not stop.wait(seconds):
            status = _status()
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")  # reset VmHWM: the next reading is the next second's highest
            engine = 0
            if connections:
                try:
                    cur = connections[0].cursor()
                    engine = int(cur.execute("SELECT sum(memory_usage_bytes) >> 20 FROM duckdb_memory()")
                                 .fetchone()[0] or 0)
                    cur.close()
                except Exception:  # the connection closing as the stage ends
                    engine = -1
            rows.append((round(time.monotonic() - start), status["VmHWM"], status["VmRSS"], engine,
                         _statement(main)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        run()
    finally:
        stop.set()
        sampler.join()
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("stage", help="a bench_classify child (metrics, classify, tasks, report) or import")
    parser.add_argument("db", type=Path)
    parser.add_argument("folder", type=Path, nargs="?", help="the Parquet files (import only)")
    parser.add_argument("--top", type=int, default=10, help="how many of the highest seconds to print")
    args = parser.parse_args(argv)

    import duckdb

    connections: list[Any] = []
    connect = duckdb.connect

    def keep_first(*a: Any, **k: Any) -> Any:  # the workspace's own connection, to read its accounting
        con = connect(*a, **k)
        connections.append(con)
        return con

    duckdb.connect = keep_first
    if args.stage == "import":
        import bench_pipeline

        def run() -> Any:
            return bench_pipeline.child_import(args.db, args.folder)
    else:
        import bench_classify

        def run() -> Any:
            if args.stage in bench_classify.SCHEME_CHILDREN:
                return bench_classify.SCHEME_CHILDREN[args.stage](args.db, frozenset())
            return bench_classify.CHILDREN[args.stage](args.db)
    failed: BaseException | None = None

    def running() -> None:
        nonlocal failed
        try:
            run()
        except Exception as exc:  # what happened until then is what the trace is for
            failed = exc

    rows = trace(running, connections)
    if failed is not None:
        print(f"the stage failed: {type(failed).__name__}: {str(failed)[:300]}")
    if not rows:
        print("the stage took less than a second")
        return
    print(f"{len(rows)} s; highest resident set {max(r[1] for r in rows):,} MiB; "
          f"engine's accounting at most {max(r[3] for r in rows):,} MiB")
    gap = max(rows, key=lambda r: r[2] - r[3])
    print(f"largest gap: second {gap[0]}, resident {gap[2]:,} MiB, engine {gap[3]:,} MiB: {gap[4]}")
    def table(title: str, chosen: list[tuple[int, int, int, int, str]]) -> None:
        print(f"{title}\nsecond  highest  resident  engine  statement")
        for r in chosen:
            print(f"{r[0]:>6}  {r[1]:>7,}  {r[2]:>8,}  {r[3]:>6,}  {r[4]}")

    table("the highest seconds:", sorted(rows, key=lambda r: -r[1])[:args.top])
    table("the last seconds:", rows[-5:])


if __name__ == "__main__":
    main()
