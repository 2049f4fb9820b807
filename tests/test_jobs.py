"""Jobs: the long operations run in the background, one of a kind at a time, with progress,
cancelling and rollback; and the server owning the workspace, so commands at the shell work
through it while it runs.

The logic is tested in process through the facade with a real :class:`JobRunner` over a real
DuckDB file; what only a process shows (another shell's commands going through a running
``tierwise serve``, a server killed with SIGKILL in the middle of a job, SIGTERM) runs the
real executable.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import TIERWISE, demo_copy, query, run_cli
from server_fixture import add_user, free_port, running_server
from tierwise.access.users import User
from tierwise.errors import Cancelled, ForbiddenError, NotFoundError
from tierwise.services.jobs import JobRunner
from tierwise.settings import Settings
from tierwise.workspace import Workspace

BOSS = User("boss", "admin")


@pytest.fixture
def served(tmp_path: Path, demo_company: Path) -> Iterator[Workspace]:
    """The demo workspace with a job runner, as the server holds it (no HTTP)."""
    db = demo_copy(demo_company, tmp_path)
    with Workspace.open(Settings(db=db), actor=BOSS) as ws:
        ws.runner = JobRunner(ws)
        try:
            yield ws
        finally:
            ws.runner.stop()


def _snapshot_rows(ws: Workspace) -> tuple[int, int]:
    counts = ws.db.con.execute(
        "SELECT (SELECT count(*) FROM snapshots), (SELECT count(*) FROM classes)"
    ).fetchone()
    assert counts is not None
    return int(counts[0]), int(counts[1])


def _until(ws: Workspace, job_id: int, *states: str, seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ws.jobs.get(job_id)
        if job["state"] in states:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached {states}: {ws.jobs.get(job_id)}")


def test_a_job_runs_in_the_background_with_progress_and_its_result(served: Workspace) -> None:
    before = _snapshot_rows(served)
    job = served.jobs.submit("classify", ["abc"], as_of=None)
    assert job["state"] in ("queued", "running") and job["actor"] == "boss" and job["origin"] == "api"
    row, result = served.jobs.wait(job["job_id"], 60)
    assert row["state"] == "done" and row["progress"] == 1.0 and row["error"] is None
    assert result.snapshot_id == row["result"]["snapshot_id"]
    assert set(row["result"]["schemes"]) == {"abc"}
    after = _snapshot_rows(served)
    assert after[0] == before[0] + 1 and after[1] > before[1]
    assert served.jobs.list(kind="classify")["items"][0]["job_id"] == job["job_id"]


def test_cancel_in_the_middle_of_the_write_rolls_everything_back(
    served: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the job stops inside the snapshot's transaction, after the classes were inserted
    monkeypatch.setenv("TIERWISE_FAULT", "classify.after_classes:pause")
    before = _snapshot_rows(served)
    job = served.jobs.submit("classify", None)
    _until(served, job["job_id"], "running")
    time.sleep(1.0)  # well into the work: the pause holds it inside the transaction
    cancelled = served.jobs.cancel(job["job_id"])
    assert cancelled["state"] == "cancelled" and "cancelled" in cancelled["error"]
    assert _snapshot_rows(served) == before
    with pytest.raises(Cancelled):
        served.jobs.wait(job["job_id"], 1)


def test_one_job_of_a_kind_at_a_time_and_the_same_job_is_not_queued_twice(
    served: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIERWISE_FAULT", "classify.after_classes:pause")
    first = served.jobs.submit("classify", ["abc"])
    second = served.jobs.submit("classify", ["rfm"])
    again = served.jobs.submit("classify", ["rfm"])  # a double click: the same job
    assert again["job_id"] == second["job_id"]
    _until(served, first["job_id"], "running")
    time.sleep(0.5)
    assert served.jobs.get(second["job_id"])["state"] == "queued"  # waits for the first
    monkeypatch.delenv("TIERWISE_FAULT")
    served.jobs.cancel(first["job_id"])
    assert _until(served, second["job_id"], "done")["result"]["schemes"].keys() == {"rfm"}
    assert served.jobs.get(first["job_id"])["state"] == "cancelled"


def test_roles_and_scope_of_jobs(served: Workspace) -> None:
    served.users.add("li", "rep", password="correct-horse-battery", rep_id="S009")
    served.users.add("mx", "manager", password="correct-horse-battery", department="华东事业部")
    rep = served.acting_as(served.users.get("li"))
    with pytest.raises(ForbiddenError):
        rep.jobs.submit("classify", None)
    manager = served.acting_as(served.users.get("mx"))
    mine = manager.jobs.submit("tasks", days=0)
    boss = served.jobs.submit("clv")
    assert [j["job_id"] for j in manager.jobs.list()["items"]] == [mine["job_id"]]
    with pytest.raises(NotFoundError):
        manager.jobs.get(boss["job_id"])  # another person's job reads as missing
    assert {j["job_id"] for j in served.jobs.list()["items"]} >= {mine["job_id"], boss["job_id"]}
    served.jobs.wait(boss["job_id"], 60)
    served.jobs.wait(mine["job_id"], 60)


def test_a_saved_scheme_is_re_evaluated_at_once_in_the_server(served: Workspace) -> None:
    text = served.schemes.text("abc")["text"].replace("top: 5%", "top: 15%")
    served.schemes.new("abc_wide", "abc")
    saved = served.schemes.save("abc_wide", text.replace("name: abc", "name: abc_wide"))
    job = saved["reevaluation"]
    assert job is not None and job["kind"] == "classify" and job["params"]["args"] == [["abc_wide"]]
    done = _until(served, job["job_id"], "done")
    assert "A" in done["result"]["schemes"]["abc_wide"]
    # at the shell (no server) the save says it applies from the next classification
    shell = Workspace(served.db, BOSS)
    assert shell.schemes.save("abc_wide", text.replace("name: abc", "name: abc_wide"))["reevaluation"] is None


def test_the_cli_runs_a_job_itself_and_records_it(tmp_path: Path, demo_company: Path) -> None:
    db = demo_copy(demo_company, tmp_path)
    done = run_cli("--db", db, "classify", "--scheme", "abc", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(run_cli("--db", db, "jobs", "--json").stdout)
    assert listed["items"][0]["kind"] == "classify" and listed["items"][0]["origin"] == "cli"
    assert listed["items"][0]["state"] == "done"


def test_progress_messages_carry_both_languages_and_old_rows_still_read(
    served: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIERWISE_FAULT", "classify.after_classes:pause")
    job = served.jobs.submit("classify", ["abc"])
    deadline = time.monotonic() + 60
    while served.jobs.get(job["job_id"])["message"] != "saving the snapshot":
        assert time.monotonic() < deadline, served.jobs.get(job["job_id"])
        time.sleep(0.05)
    assert served.jobs.get(job["job_id"], lang="zh")["message"] == "保存快照"
    assert served.jobs.list(lang="zh", state="running")["items"][0]["message"] == "保存快照"
    served.jobs.cancel(job["job_id"])
    [(stored,)] = query(served.db.path, "SELECT message FROM jobs WHERE job_id = ?", [job["job_id"]])
    assert json.loads(stored) == {"en": "saving the snapshot", "zh": "保存快照"}
    # a row written before messages had two languages
    served.db.con.execute("UPDATE jobs SET message = 'metrics over 12m / 计算 12m 指标' WHERE job_id = ?",
                          [job["job_id"]])
    assert served.jobs.get(job["job_id"], lang="zh")["message"] == "计算 12m 指标"
    assert served.jobs.get(job["job_id"], lang="en")["message"] == "metrics over 12m"


def test_the_shell_shows_a_jobs_progress_in_the_lang_setting(tmp_path: Path, demo_company: Path) -> None:
    db = demo_copy(demo_company, tmp_path)
    seen: list[str] = []
    with Workspace.open(Settings(db=db, lang="zh")) as ws:
        ws.jobs.run("classify", ["abc"], on_progress=lambda _f, message: seen.append(message))
    assert seen == ["计算 12m 指标", "分类 abc", "应用手工类别", "保存快照"]


def test_metrics_and_report_jobs_show_each_step(tmp_path: Path, demo_company: Path) -> None:
    db = demo_copy(demo_company, tmp_path)
    steps: list[tuple[float | None, str]] = []
    with Workspace.open(Settings(db=db)) as ws:
        ws.jobs.run("metrics", out=tmp_path / "m.parquet", on_progress=lambda f, m: steps.append((f, m)))
        customers = ws.metrics.run(out=tmp_path / "again.parquet").customers
        messages = [m for _, m in steps]
        assert messages[0] == "computing and writing m.parquet"
        assert messages.index("order lines per order and per day") < messages.index("fitting the CLV models")
        assert messages[-1] == f"{customers:,} customers written"
        fractions = [f for f, _ in steps]
        assert fractions == sorted(fractions) and fractions[-1] == 1.0  # the bar only moves forward
        steps.clear()
        ws.jobs.run("report", "xlsx", tmp_path / "r.xlsx", on_progress=lambda f, m: steps.append((f, m)))
    messages = [m for _, m in steps]
    assert "reading abc" in messages and "writing abc" in messages and "writing 客户信息表" in messages
    fractions = [f for f, _ in steps if f is not None]
    assert fractions == sorted(fractions)


def test_jobs_name_files_not_the_servers_folders(served: Workspace, tmp_path: Path) -> None:
    folder = str(served.db.path.parent)
    out = served.db.path.parent / "jobs" / "t1" / "sales.xlsx"
    out.parent.mkdir(parents=True)
    job = served.jobs.submit("report", "xlsx", out)
    done = _until(served, job["job_id"], "done", "failed")
    assert done["state"] == "done" and done["params"]["args"] == ["xlsx", "sales.xlsx"]
    assert folder not in json.dumps(served.jobs.list(), ensure_ascii=False)
    assert served.jobs.file(job["job_id"]) == out  # the server keeps the full path for the download
    missing = served.jobs.submit("import", "customers", tmp_path / "deep" / "nope.csv")
    failed = _until(served, missing["job_id"], "failed", "done")
    assert failed["state"] == "failed" and "nope.csv" in failed["error"] and folder not in failed["error"]
    assert failed["params"]["args"] == ["customers", "nope.csv"]
    assert failed["detail"] == "customers · nope.csv"


def _erp(path: Path, rows: int = 3) -> str:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE clients (customer_id TEXT, name TEXT)")
    con.executemany("INSERT INTO clients VALUES (?, ?)", [(f"ERP{i}", f"client {i}") for i in range(rows)])
    con.commit()
    con.close()
    return f"sqlite:///{path}"


def test_a_database_import_is_a_job_that_can_be_cancelled(
    served: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tierwise.data.database import DatabaseSource

    source = DatabaseSource(_erp(tmp_path / "erp.db"), table="clients")
    customers = query(served.db.path, "SELECT count(*) FROM customers")
    monkeypatch.setenv("TIERWISE_FAULT", "import.after_write:pause")
    job = served.jobs.submit("import-db", "customers", source)
    file_import = served.jobs.submit("import", "customers", tmp_path / "x.csv")
    _until(served, job["job_id"], "running")
    deadline = time.monotonic() + 60
    while served.jobs.get(job["job_id"], lang="zh")["message"] != "写入工作区":
        assert time.monotonic() < deadline, served.jobs.get(job["job_id"])
        time.sleep(0.05)
    assert served.jobs.get(file_import["job_id"])["state"] == "queued"  # one import at a time
    assert served.jobs.cancel(job["job_id"])["state"] == "cancelled"
    assert query(served.db.path, "SELECT count(*) FROM customers") == customers
    _until(served, file_import["job_id"], "failed")  # no such file: it ran once the line was free
    monkeypatch.delenv("TIERWISE_FAULT")
    again = served.jobs.submit("import-db", "customers", source)
    done = _until(served, again["job_id"], "done", "failed")
    assert done["state"] == "done" and done["result"]["inserted"] == 3, done
    assert (done["label"], done["detail"]) == ("database import", "customers · clients")
    assert folder_free(done, tmp_path)
    deadline = time.monotonic() + 30  # new data: re-evaluated (queued once the import's row says done)
    while not (found := served.jobs.list(kind="classify")["items"]):
        assert time.monotonic() < deadline, "no re-evaluation queued after the import"
        time.sleep(0.05)
    queued = found[0]
    assert queued["created_at"] >= done["finished_at"]
    _until(served, queued["job_id"], "done", "failed")


def folder_free(job: dict[str, Any], folder: Path) -> bool:
    return str(folder) not in json.dumps(job, ensure_ascii=False)


def test_a_database_url_keeps_no_password_in_the_jobs_table(served: Workspace) -> None:
    from tierwise.data.database import DatabaseSource

    source = DatabaseSource("mysql+pymysql://sales:s3cret-pw@127.0.0.1:1/erp", table="orders")
    job = served.jobs.submit("import-db", "orders", source)
    _until(served, job["job_id"], "failed")  # no driver, or nobody listening there
    [(params, error)] = query(served.db.path, "SELECT params, error FROM jobs WHERE job_id = ?",
                              [job["job_id"]])
    assert "s3cret-pw" not in params + (error or "") and "sales:***@127.0.0.1" in params


# -- the server owns the workspace (processes) -------------------------------------------
def test_commands_work_through_a_running_server(tmp_path: Path, demo_company: Path) -> None:
    db = demo_copy(demo_company, tmp_path)
    token = add_user(db, "boss", "admin")
    add_user(db, "li", "rep", "--rep-id", "S009")
    with running_server(db) as base:
        announced = db.with_name(db.name + ".server.json")
        assert announced.exists() and announced.stat().st_mode & 0o077 == 0  # the owner's only
        status = run_cli("--db", db, "status", "--json")
        assert status.returncode == 0, status.stderr
        assert json.loads(status.stdout)["customers"] == 600
        classify = run_cli("--db", db, "classify", "--scheme", "abc", "--json", env={"TIERWISE_USER": "boss"})
        assert classify.returncode == 0, classify.stderr
        snapshot = json.loads(classify.stdout)["snapshot_id"]
        tasks = run_cli("--db", db, "tasks", "--date", "2026-09-30", "--days", "0", "--json")
        assert tasks.returncode == 0, tasks.stderr
        report = run_cli("--db", db, "report", "--out", "r.xlsx", cwd=tmp_path)  # a relative path
        assert report.returncode == 0, report.stderr
        assert (tmp_path / "r.xlsx").stat().st_size > 10_000
        refused = run_cli("--db", db, "classify", "--scheme", "abc", env={"TIERWISE_USER": "li"})
        assert refused.returncode == 1 and "admin" in refused.stderr  # the rep's role, in the server
        jobs = httpx.get(base + "/api/jobs", headers={"Authorization": f"Bearer {token}"}).json()
        by_kind = {j["kind"]: j for j in jobs["items"]}
        assert by_kind["classify"]["result"]["snapshot_id"] == snapshot
        assert by_kind["classify"]["origin"] == "cli" and by_kind["classify"]["actor"] == "boss"
        assert {"tasks", "report"} <= set(by_kind)
        assert run_cli("--db", db, "serve", "--port", str(free_port())).returncode == 1  # one server
        zh = run_cli("--db", db, "--lang", "zh", "jobs", env={"TIERWISE_USER": "boss"})  # in the shell's lang
        assert zh.returncode == 0 and "分类评估" in zh.stdout and "发起人" in zh.stdout, zh.stdout + zh.stderr
        _database_import_and_metrics_through(db, base, token, tmp_path)
    assert not announced.exists()
    assert run_cli("--db", db, "status").returncode == 0  # the file is free again


def _database_import_and_metrics_through(db: Path, base: str, token: str, tmp_path: Path) -> None:
    """``import --from-db`` is a job of the server; ``metrics`` gets back its summary only."""
    import pickle
    from datetime import date

    from tierwise.cli.remote import RemoteWorkspace
    from tierwise.web.handoff import running

    _erp(tmp_path / "erp.db", rows=4)
    imported = run_cli("--db", db, "import", "customers", "--from-db", "sqlite:///erp.db",  # relative
                       "--source-table", "clients", "--json", cwd=tmp_path, env={"TIERWISE_USER": "boss"})
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["inserted"] == 4
    jobs = httpx.get(base + "/api/jobs?kind=import-db", headers={"Authorization": f"Bearer {token}"}).json()
    [job] = jobs["items"]
    assert (job["origin"], job["actor"], job["state"]) == ("cli", "boss", "done")
    assert str(tmp_path) not in json.dumps(job, ensure_ascii=False)
    printed = run_cli("--db", db, "metrics", "--as-of", "2026-03-31", "--json")
    assert printed.returncode == 0, printed.stderr
    summary = json.loads(printed.stdout)
    assert summary["customers"] > 500 and summary["out"] is None and summary["clv"]["bgnbd"]["customers"]
    written = run_cli("--db", db, "metrics", "--as-of", "2026-03-31", "--out", "m.csv", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert "written to m.csv" in written.stdout  # by the server, where this shell asked
    with (tmp_path / "m.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert sum(1 for _ in csv.reader(fh)) == 1 + summary["customers"]
    settings = Settings(db=db)
    found = running(settings)
    assert found is not None
    with RemoteWorkspace(settings, found, "boss") as remote:
        answer = remote.jobs.run("metrics", as_of=date(2026, 3, 31), window="12m")
    assert isinstance(answer, dict) and answer["customers"] == summary["customers"]
    assert len(pickle.dumps(answer)) < 10_000  # what is printed, not the table of its rows


def _serve(db: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    full = {k: v for k, v in os.environ.items() if not k.startswith("TIERWISE_")}
    proc = subprocess.Popen(
        [str(TIERWISE), "--db", str(db), "serve", "--port", str(port)],
        env={**full, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(base + "/api/openapi.json", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("the server did not start")


def _classified(db: Path) -> list[tuple[Any, ...]]:
    """Snapshots and class rows of the workspace file ``db``."""
    return query(db, "SELECT (SELECT count(*) FROM snapshots), (SELECT count(*) FROM classes)")


def _job(base: str, token: str, job_id: int, *states: str) -> dict[str, Any]:
    for _ in range(600):
        job: dict[str, Any] = httpx.get(
            f"{base}/api/jobs/{job_id}", headers={"Authorization": f"Bearer {token}"}
        ).json()
        if job["state"] in states:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never reached {states}")


def test_a_server_killed_in_the_middle_of_a_job_leaves_the_workspace_as_it_was(
    tmp_path: Path, demo_company: Path
) -> None:
    db = demo_copy(demo_company, tmp_path)
    token = add_user(db, "boss", "admin")
    before = _classified(db)
    proc, base = _serve(db, {"TIERWISE_FAULT": "classify.after_classes:kill"})
    auth = {"Authorization": f"Bearer {token}"}
    r = httpx.post(base + "/api/classify", json={}, headers=auth)
    assert r.status_code == 202 and r.headers["location"] == f"/api/jobs/{r.json()['job_id']}"
    assert proc.wait(timeout=120) == -signal.SIGKILL
    assert _classified(db) == before
    # the stale server file does not stop the shell; the next server marks the job failed
    assert run_cli("--db", db, "status").returncode == 0
    proc, base = _serve(db)
    try:
        job = httpx.get(f"{base}/api/jobs/{r.json()['job_id']}", headers=auth).json()
        assert job["state"] == "failed" and "stopped" in job["error"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_sigterm_stops_the_server_within_seconds_with_a_job_running(
    tmp_path: Path, demo_company: Path
) -> None:
    db = demo_copy(demo_company, tmp_path)
    token = add_user(db, "boss", "admin")
    before = _classified(db)
    proc, base = _serve(db, {"TIERWISE_FAULT": "classify.after_classes:pause"})
    r = httpx.post(base + "/api/classify", json={}, headers={"Authorization": f"Bearer {token}"})
    _job(base, token, r.json()["job_id"], "running")
    time.sleep(1.0)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after its shutdown
    assert time.monotonic() - started < 10
    assert _classified(db) == before
    state = query(db, "SELECT state, error FROM jobs WHERE job_id = ?", [r.json()["job_id"]])
    assert state[0][0] == "cancelled"
    assert not db.with_name(db.name + ".server.json").exists()


def test_the_server_keeps_the_schedule(served: Workspace) -> None:
    """Monthly evaluations: due while no run of this month covers the schemes; tasks once a day."""
    from datetime import date, datetime

    from tierwise.services.scheduler import Scheduler

    served.db.con.execute("DELETE FROM snapshot_schemes")  # no evaluation covers the schemes yet
    scheduler = Scheduler(served.runner)
    [classify] = scheduler.tick()  # the evaluation first; the day's tasks wait for its classes
    job = served.jobs.get(classify)
    assert (job["kind"], job["origin"], job["actor"]) == ("classify", "schedule", "schedule")
    done = _until(served, classify, "done")
    assert done["result"]["due"] is True and done["result"]["snapshot_id"]
    [pool] = scheduler.tick()  # the neglected customers go to the public pool before the day's tasks
    assert served.jobs.get(pool)["kind"] == "pool"
    _until(served, pool, "done")
    early = datetime.combine(date.today(), datetime.min.time())  # before the digests' hour (08:00)
    [tasks] = scheduler.tick(now=early)
    assert served.jobs.get(tasks)["kind"] == "tasks"
    _until(served, tasks, "done")
    assert scheduler.tick(now=early) == []  # this month is covered now, and today's tasks are made
    [digest] = scheduler.tick(now=early.replace(hour=8))  # then each rep's digest of them, once
    assert served.jobs.get(digest)["kind"] == "digest"
    _until(served, digest, "done")
    assert scheduler.tick(now=early.replace(hour=9)) == []


def test_a_failed_scheduled_evaluation_is_tried_again_the_next_day_not_each_minute(tmp_path: Path) -> None:
    from datetime import date, datetime, timedelta

    from tierwise.services.scheduler import Scheduler

    with Workspace.open(Settings(db=tmp_path / "empty.duckdb"), create=True, actor=BOSS) as ws:
        ws.runner = JobRunner(ws)
        try:
            scheduler = Scheduler(ws.runner)
            [first] = scheduler.tick()
            assert _until(ws, first, "failed")["kind"] == "classify"  # no data to classify yet
            again = scheduler.tick()  # the day's recycling and tasks, once; no second evaluation today
            assert [ws.jobs.get(j)["kind"] for j in again] == ["pool"]
            _until(ws, again[0], "failed", "done")
            early = datetime.combine(date.today(), datetime.min.time())
            again = scheduler.tick(now=early)
            assert [ws.jobs.get(j)["kind"] for j in again] == ["tasks"]
            _until(ws, again[0], "failed", "done")
            assert scheduler.tick(now=early) == []
            [tomorrow] = scheduler.tick(date.today() + timedelta(days=1))
            assert ws.jobs.get(tomorrow)["kind"] == "classify"
            _until(ws, tomorrow, "failed")
        finally:
            ws.runner.stop()
