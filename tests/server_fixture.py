"""A real `tierwise serve` for tests: users made with the CLI, the server on a free loopback
port, started and stopped by the test that needs it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from conftest import TIERWISE, run_cli

PASSWORD = "correct-horse-battery"


def add_user(db: Path, name: str, role: str, *scope: str, password: str = PASSWORD) -> str:
    """Add ``name`` with ``role`` (and ``--department D`` / ``--rep-id R``) and return a new token."""
    done = run_cli(
        "--db", db, "users", "add", name, "--role", role, *scope, "--password-stdin", stdin=password + "\n"
    )
    assert done.returncode == 0, done.stderr
    done = run_cli("--db", db, "users", "token", name)
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert token.startswith("tw_") and "\n" not in token
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(db: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`tierwise serve` over ``db`` on a free port; yields its base URL (log in ``serve.log``).
    With ``env``, the server's environment is this one without its ``TIERWISE_`` settings, plus
    ``env`` (e.g. a fault point)."""
    port = free_port()
    log_path = db.with_name("serve.log")
    if env is not None:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("TIERWISE_")}, **env}
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(TIERWISE), "--db", str(db), "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                if proc.poll() is not None:
                    break
                try:
                    if httpx.get(f"{base}/api/openapi.json", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                raise AssertionError("the server did not start: " + log_path.read_text())
            assert proc.poll() is None, "the server stopped: " + log_path.read_text()
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=30)
