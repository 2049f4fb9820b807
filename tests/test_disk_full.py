"""A full disk is said as such, at the shell, over HTTP and in the log, and nothing is half
written: the workspace lives on a small file system of its own (tmpfs, mounted here; the
test needs root to mount it and is skipped without)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import run_cli
from server_fixture import add_user, running_server
from tierwise.errors import StorageFull, engine_error
from tierwise.settings import Settings
from tierwise.workspace import Workspace


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"mounting a small file system needs root: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path, leave: int = 150_000) -> None:
    stat = os.statvfs(disk)
    with (disk / "filler").open("wb") as out:
        out.write(b"\0" * max(stat.f_bavail * stat.f_frsize - leave, 0))


def test_a_full_disk_is_said_as_such_and_nothing_is_half_written(small_disk: Path, tmp_path: Path) -> None:
    db = small_disk / "w.duckdb"
    ws = Workspace.open(Settings(db=db), create=True)
    (tmp_path / "c.csv").write_text("customer_id,name\nC1,one\n", encoding="utf-8")
    ws.imports.file("customers", tmp_path / "c.csv")
    ws.close()
    token = add_user(db, "boss", "admin")
    many = tmp_path / "many.csv"
    many.write_text("customer_id,name\n" + "".join(f"N{i},name {i}\n" for i in range(20_000)),
                    encoding="utf-8")
    _fill(small_disk)
    # in process: what the engine raises means a full disk
    ws = Workspace.open(Settings(db=db))
    with pytest.raises(Exception) as raised:
        ws.imports.file("customers", many)
    assert isinstance(engine_error(raised.value), StorageFull)
    ws.close()
    # at the shell: one red line that says so
    done = run_cli("--db", db, "import", "customers", many)
    assert done.returncode == 1 and "the disk is full, nothing was written" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    # over HTTP, the disk filling while the server runs: 507 with the reason (it was "409
    # conflict, try again"), and the server's log says what happened
    (small_disk / "filler").unlink()
    with running_server(db) as base:
        _fill(small_disk)
        r = httpx.post(base + "/api/imports", data={"table": "customers"}, params={"wait": 30},
                       files={"file": ("many.csv", many.read_bytes(), "text/csv")},
                       headers={"Authorization": f"Bearer {token}"}, timeout=60)
        body = r.json()
        if r.status_code == 202:  # the import ran as a job: its error is the same sentence
            job = httpx.get(base + r.headers["location"], headers={"Authorization": f"Bearer {token}"}).json()
            assert job["state"] == "failed" and "the disk is full" in job["error"], job
        else:
            assert r.status_code == 507 and body["error"]["code"] == "storage_full", body
        assert "No space left on device" in db.with_name("serve.log").read_text(encoding="utf-8")
    (small_disk / "filler").unlink()
    ws = Workspace.open(Settings(db=db))
    assert ws.db.con.execute("SELECT count(*) FROM customers").fetchone() == (1,)  # nothing half written
    ws.close()
