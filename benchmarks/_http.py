"""The HTTP side of the API benchmark: timing requests, the load test with concurrent
clients, and starting and stopping `tierwise serve` (see bench_api.py)."""

from __future__ import annotations

import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench_api import Scenario

# --- timing ------------------------------------------------------------------------------------------

@dataclass
class Timing:
    """Milliseconds of each request, the ids each page answered, and the failures."""

    ms: list[float] = field(default_factory=list)
    ids: list[list[str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def pct(self, q: float) -> float | None:
        if not self.ms:
            return None
        if len(self.ms) == 1:
            return self.ms[0]
        return statistics.quantiles(self.ms, n=100, method="inclusive")[round(q) - 1]

    @property
    def p50(self) -> float | None:
        return statistics.median(self.ms) if self.ms else None

    @property
    def p95(self) -> float | None:
        return self.pct(95)


def timed(calls: list[dict[str, Any]], call: Callable[[dict[str, Any]], list[str]], warmup: int) -> Timing:
    """Each call in turn, timed, after ``warmup`` untimed ones; ``call`` returns the page's ids."""
    out = Timing()
    for params in calls[:warmup]:
        try:
            call(params)
        except Exception as exc:  # reported with the timed ones' failures
            out.errors.append(f"warm-up: {type(exc).__name__}: {exc}"[:200])
    for params in calls:
        start = time.perf_counter()
        try:
            ids = call(params)
        except Exception as exc:
            out.errors.append(f"{type(exc).__name__}: {exc}"[:200])
            out.ids.append([])
            continue
        out.ms.append((time.perf_counter() - start) * 1000)
        out.ids.append(ids)
    return out


class ApiError(Exception):
    pass


def api_call(client: Any) -> Callable[[dict[str, Any]], list[str]]:
    def call(params: dict[str, Any]) -> list[str]:
        response = client.get("/api/customers", params=params)
        if response.status_code != 200:
            raise ApiError(f"HTTP {response.status_code}: {response.text[:150]}")
        return [item["customer_id"] for item in response.json()["items"]]
    return call


@dataclass
class Load:
    scenario: Scenario
    clients: int
    what: str = "API"
    seconds: float = 0.0
    ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


Worker = tuple[Callable[[dict[str, Any]], None], Callable[[], None]]  # (one request, close)


def run_load(scenario: Scenario, clients: int, duration: float, what: str,
             open_worker: Callable[[], Worker]) -> Load:
    """``clients`` threads, each with its own worker from ``open_worker`` (opened before the clock
    starts), asking for the scenario's pages in turn (each thread from its own starting page) until
    ``duration`` has passed. A request that raises is an error."""
    calls = scenario.requests()
    result = Load(scenario, clients, what)
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    ends: list[float] = []
    deadline = [0.0]

    def worker(index: int) -> None:
        ms: list[float] = []
        errors: list[str] = []
        k = index
        try:
            call, close = open_worker()
        except Exception as exc:
            with lock:
                result.errors.append(f"opening: {type(exc).__name__}")
            ready.wait()
            return
        ready.wait()
        try:
            while time.perf_counter() < deadline[0]:
                params = calls[k % len(calls)]
                k += 1
                start = time.perf_counter()
                try:
                    call(params)
                    ms.append((time.perf_counter() - start) * 1000)
                except Exception as exc:
                    errors.append(str(exc)[:60] if isinstance(exc, ApiError) else type(exc).__name__)
        finally:
            close()
        with lock:
            result.ms += ms
            result.errors += errors
            ends.append(time.perf_counter())

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    deadline[0] = time.perf_counter() + duration + 1e6  # set for real once everyone is ready
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    deadline[0] = start + duration
    for thread in threads:
        thread.join()
    result.seconds = max(ends) - start if ends else duration
    return result


def load_test(base: str, token: str, scenario: Scenario, clients: int, duration: float) -> Load:
    """The API under load: one keep-alive ``httpx.Client`` a thread (its connection opened before the
    clock starts); any non-200 answer is an error."""
    import httpx

    def open_worker() -> Worker:
        client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=300)
        client.get("/api/me")
        call = api_call(client)

        def request(params: dict[str, Any]) -> None:
            call(params)  # raises ApiError on a non-200 answer

        return request, client.close

    return run_load(scenario, clients, duration, "API", open_worker)


# --- the server ----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int, log: Any) -> subprocess.Popen[bytes]:
    """``tierwise --db DB serve --port PORT``, waited for until /api/openapi.json answers."""
    import httpx

    from bench_import import tierwise_exe

    proc = subprocess.Popen([str(tierwise_exe()), "--db", str(db), "serve", "--port", str(port)],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("the server did not answer /api/openapi.json within 180 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- the run ------------------------------------------------------------------------------------------
