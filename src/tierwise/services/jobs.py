"""Background jobs: the long operations (classify, tasks, reports, imports, metrics, the CLV fit)
run by the server in worker threads while the web app keeps answering.

Each job is a row of the ``jobs`` table (who, what, when, state, progress, result, error). In
the server a :class:`JobRunner` runs them: one job of a kind at a time (the next one of that
kind waits in line), each on its own cursor acting as the person who asked, its progress
reported by the operation (:mod:`tierwise.progress`) and kept in memory for the pages to poll.
Cancelling interrupts the running query; the operation's transaction rolls back, so a
cancelled, failed or killed job leaves the workspace as it was. A job still ``running`` when
the server starts again was cut short by a crash and is marked ``failed``.

At the shell with no server, :meth:`Jobs.run` runs the same operation in this process and
records it the same way, so ``tierwise jobs`` lists both. The schedule the server keeps is
:mod:`tierwise.services.scheduler`.
"""

from __future__ import annotations

import builtins
import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any

import duckdb

from tierwise.access import roles
from tierwise.errors import Cancelled, ConfigError, NotFoundError, TierwiseError, engine_error
from tierwise.progress import Message, Reporter, reporting
from tierwise.services.base import Service, check_page, helper, operation

if TYPE_CHECKING:
    from tierwise.access.users import User
    from tierwise.workspace import Workspace

log = logging.getLogger("tierwise.jobs")
STATES = ("queued", "running", "done", "failed", "cancelled")
KEEP_RESULTS_SECONDS = 600  # a finished job's result object stays in memory this long
TASK_DAYS = 30  # how far ahead the tasks a job regenerates reach (the schedule's, a classification's)


@dataclass(frozen=True)
class Kind:
    """A kind of job: the facade operation it runs, the role action it needs, its label and
    how its result is summarised for the ``jobs`` table and the API.

    ``queue`` names the line its jobs wait in (default: the kind): kinds sharing one never run
    at the same time (a file import and a database import both write the tables).
    ``summarised``: a command at the shell gets the summary, not the result (a metrics table of
    a million rows stays in the server; the command prints the summary).
    """

    operation: str
    action: str
    en: str
    zh: str
    summary: Callable[[Any], Any] = lambda result: result
    queue: str = ""
    summarised: bool = False


def _to_json(result: Any) -> Any:
    return result.to_json() if hasattr(result, "to_json") else result


def _metrics_summary(run: Any) -> dict[str, Any]:
    """What ``tierwise metrics`` prints (frame, customers by status, the CLV fit): small
    whatever the number of customers."""
    from tierwise.metrics.catalog import NAMES

    return {**run.summary(), "rows": run.customers, "columns": len(NAMES)}


def _clv_summary(result: Any) -> dict[str, Any]:
    frame, fit = result
    return {"as_of": frame.as_of.isoformat(), **fit.to_json()}


def _report_summary(result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "path": Path(result["path"]).name}


KINDS: dict[str, Kind] = {
    "classify": Kind("snapshots.classify", "classify.run", "classification", "分类评估", _to_json),
    "tasks": Kind("tasks.refresh", "tasks.refresh", "task generation", "生成任务", _to_json),
    "pool": Kind("pool.recycle", "pool.recycle", "public pool recycling", "公海回收", _to_json),
    "digest": Kind("digests.send", "users.manage", "daily digests", "每日提醒", lambda r: {
        "on": r["on"], "counts": r["counts"]}),
    "report": Kind("reports.build", "reports.build", "report", "生成报告", _report_summary),
    "import": Kind("imports.file", "imports.run", "import", "导入数据", _to_json),
    "import-db": Kind("imports.database", "imports.run", "database import", "数据库导入", _to_json,
                      queue="import"),
    "metrics": Kind("metrics.run", "metrics.read", "metrics", "计算指标", _metrics_summary, summarised=True),
    "clv": Kind("metrics.clv_fit", "metrics.read", "CLV model fit", "CLV 模型拟合", _clv_summary,
                summarised=True),
}
IMPORTS = ("import", "import-db")
COLUMNS = (
    "job_id",
    "kind",
    "operation",
    "params",
    "actor",
    "origin",
    "state",
    "progress",
    "message",
    "created_at",
    "started_at",
    "finished_at",
    "result",
    "error",
)


_PASSWORD = re.compile(r"(\w[\w+.-]*://[^/:@\s]*):[^@/\s]*@")  # scheme://user:password@host
_FOLDERS = re.compile(r"(?<![\w:/.~-])(?:[A-Za-z]:)?[/\\](?:[^\s/\\]+[/\\])+(?=[^\s/\\])")  # /a/b/ of /a/b/f
_URL_FOLDERS = re.compile(r"(\w[\w+.-]*:///)/?(?:[^\s/]+/)+")  # sqlite:////a/b/ of sqlite:////a/b/f.db


def _param(value: Any) -> Any:
    """A parameter as JSON holds it (dates as ISO text, paths and options as text or dicts);
    a database URL's password is not kept."""
    if isinstance(value, str):
        return _PASSWORD.sub(r"\1:***@", value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list | tuple):
        return [_param(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _param(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {
            k: _param(getattr(value, k))
            for k in value.__dataclass_fields__
            if not callable(getattr(value, k))
        }
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _public(value: Any) -> Any:
    """A stored parameter, result or error as anyone may see it: the files of the server
    named by their names only (``/srv/tierwise/uploads/x.csv`` -> ``x.csv``); the row keeps the
    full path for the server's own use (a job's download)."""
    if isinstance(value, str):
        whole = not any(mark in value for mark in ("\n", ": ", " / "))  # a path, not a sentence naming one
        if whole and (PureWindowsPath(value).is_absolute() or value.startswith("/")):
            return PureWindowsPath(value).name or value
        return _FOLDERS.sub("", _URL_FOLDERS.sub(r"\1", value))
    if isinstance(value, list):
        return [_public(v) for v in value]
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items()}
    return value


def _call(ws: Workspace, kind: Kind, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    service, method = kind.operation.split(".")
    return getattr(getattr(ws, service), method)(*args, **kwargs)


@dataclass
class Live:
    """A queued or running job in the server's memory (the row holds the rest)."""

    job_id: int
    kind: str
    actor: User
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    origin: str
    reporter: Reporter = field(default_factory=Reporter)
    state: str = "queued"
    progress: float | None = None
    message: Message | None = None
    result: Any = None
    error: BaseException | None = None
    finished: threading.Event = field(default_factory=threading.Event)
    finished_at: float = 0.0

    def same(self, kind: str, actor: User, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        return (self.kind, self.actor.name, _param(self.args), _param(self.kwargs)) == (
            kind,
            actor.name,
            _param(args),
            _param(kwargs),
        )


class JobRunner:
    """The server's job workers: one thread per kind while jobs of that kind wait or run.

    Parameters
    ----------
    root
        The server's facade (acting as nobody); each job runs on a :meth:`Workspace.fork` of
        it, acting as the person who asked.
    """

    def __init__(self, root: Workspace) -> None:
        self.root = root
        self.lock = threading.Lock()
        self.live: dict[int, Live] = {}
        self.queues: dict[str, deque[Live]] = {}
        self.workers: dict[str, threading.Thread] = {}
        self.stopping = False

    # -- the table ---------------------------------------------------------------------
    def _write(self, sql: str, params: list[Any]) -> Any:
        cur = self.root.db.con.cursor()
        try:
            return cur.execute(sql, params).fetchone()
        finally:
            cur.close()

    def recover(self) -> int:
        """Mark the jobs a crash left ``queued`` or ``running`` as failed; how many."""
        row = self._write("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')", [])
        self._write(
            "UPDATE jobs SET state = 'failed', finished_at = ?, error = ? "
            "WHERE state IN ('queued', 'running')",
            [_now(), "the server stopped while it ran; nothing was kept / 服务器在运行中停止，未保留改动"],
        )
        return int(row[0]) if row else 0

    # -- submitting --------------------------------------------------------------------
    def submit(
        self, actor: User, kind: str, args: tuple[Any, ...], kwargs: dict[str, Any], origin: str = "api"
    ) -> Live:
        """Queue a job (or answer the same one already queued or running for this person)."""
        spec = KINDS[kind]
        with self.lock:
            if self.stopping:
                from tierwise.errors import WorkspaceError

                raise WorkspaceError("the server is stopping / 服务器正在停止")
            for live in self.live.values():
                if live.state in ("queued", "running") and live.same(kind, actor, args, kwargs):
                    return live
            row = self._write(
                f"""INSERT INTO jobs ({", ".join(COLUMNS[1:9])}, created_at)
                    VALUES (?, ?, ?, ?, ?, 'queued', NULL, '', ?) RETURNING job_id""",
                [
                    kind,
                    spec.operation,
                    json.dumps({"args": _param(args), **_param(kwargs)}, ensure_ascii=False),
                    actor.name,
                    origin,
                    _now(),
                ],
            )
            live = Live(int(row[0]), kind, actor, args, kwargs, origin)
            self.live[live.job_id] = live
            line = _line(kind)
            self.queues.setdefault(line, deque()).append(live)
            if line not in self.workers:
                worker = threading.Thread(
                    target=self._work, args=(line,), name=f"tierwise-job-{line}", daemon=True
                )
                self.workers[line] = worker
                worker.start()
            self._forget_old()
        return live

    def _forget_old(self) -> None:
        cutoff = time.monotonic() - KEEP_RESULTS_SECONDS
        for job_id in [
            j for j, live in self.live.items() if live.finished.is_set() and live.finished_at < cutoff
        ]:
            del self.live[job_id]

    def _work(self, line: str) -> None:
        while True:
            with self.lock:
                queue = self.queues.get(line)
                if not queue:
                    self.workers.pop(line, None)
                    return
                live = queue.popleft()
            if live.state == "queued":
                self._run(live)

    def _run(self, live: Live) -> None:
        spec = KINDS[live.kind]
        ws = self.root.fork()
        job_ws = ws.acting_as(live.actor)

        def progress(fraction: float | None, message: Message) -> None:
            live.progress, live.message = fraction, message

        live.reporter.on_progress = progress
        live.reporter.interrupts.append(ws.db.con.interrupt)
        live.state = "running"
        self._write(
            "UPDATE jobs SET state = 'running', started_at = ? WHERE job_id = ?", [_now(), live.job_id]
        )
        try:
            if live.reporter.cancelled.is_set():
                raise Cancelled("cancelled before it started / 已在开始前取消")
            with reporting(live.reporter):
                result = _call(job_ws, spec, live.args, live.kwargs)
            summary = json.dumps(_param(spec.summary(result)), ensure_ascii=False, default=str)
            live.result, live.progress, live.message = result, 1.0, None
            self._finish(live, "done", result=summary)  # the row first: its state then its result
            if live.kind in IMPORTS and not result.dry_run and (result.inserted or result.updated):
                job_ws.jobs._queue("classify", None)  # new data: re-evaluate it
            # new classes: today's tasks follow them (after the schedule's own evaluation, its next tick)
            if live.kind == "classify" and live.origin != "schedule" and getattr(result, "result", result):
                job_ws.jobs._queue("tasks", days=TASK_DAYS)
        except BaseException as exc:  # every way out is recorded; a bug also goes to the log
            cancelled = live.reporter.cancelled.is_set() and isinstance(
                exc, Cancelled | duckdb.InterruptException | duckdb.TransactionException
            )
            if cancelled:
                exc = Cancelled("cancelled: nothing of it was kept / 已取消：未保留任何改动")
            elif (meant := engine_error(exc)) is not None:  # a full disk, the memory limit: said as such
                log.error("job %s (%s) failed: %s", live.job_id, live.kind, exc)
                exc = meant
            elif not isinstance(exc, TierwiseError):
                log.exception("job %s (%s) failed", live.job_id, live.kind)
            live.error = exc
            self._finish(live, "cancelled" if cancelled else "failed", error=str(exc) or type(exc).__name__)
        finally:
            ws.close()

    def _finish(self, live: Live, state: str, *, result: str | None = None, error: str | None = None) -> None:
        self._write(
            "UPDATE jobs SET state = ?, progress = ?, message = ?, finished_at = ?, result = ?, error = ? "
            "WHERE job_id = ?",
            [state, live.progress, live.message.stored() if live.message else "", _now(), result, error,
             live.job_id],
        )
        live.state, live.finished_at = state, time.monotonic()
        live.finished.set()

    # -- cancelling and stopping -------------------------------------------------------
    def cancel(self, job_id: int) -> bool:
        """Ask job ``job_id`` to stop; False when it is not queued or running here."""
        with self.lock:
            live = self.live.get(job_id)
            if live is None or live.finished.is_set():
                return False
            live.reporter.cancel()
            if live.state == "queued":
                queue = self.queues.get(_line(live.kind))
                if queue and live in queue:
                    queue.remove(live)
                    live.error = Cancelled("cancelled before it started / 已在开始前取消")
                    self._finish(live, "cancelled", error=str(live.error))
        return True

    def stop(self, timeout: float = 8.0) -> None:
        """Cancel every job and wait (up to ``timeout`` seconds) for the workers to roll back."""
        with self.lock:
            self.stopping = True
            ids = [j for j, live in self.live.items() if not live.finished.is_set()]
        for job_id in ids:
            self.cancel(job_id)
        deadline = time.monotonic() + timeout
        for worker in list(self.workers.values()):
            worker.join(max(0.0, deadline - time.monotonic()))


def _line(kind: str) -> str:
    """The queue a kind's jobs wait in (one job of a queue runs at a time)."""
    return KINDS[kind].queue or kind


def _detail(kind: str, params: dict[str, Any], lang: str, titles: dict[str, str] | None = None) -> str:
    """What a job works on, in a few words (the schemes by their titles, the file, the window)."""
    from tierwise.metrics.frame import window_text

    args = params.get("args") or []
    zh = lang == "zh"
    if kind == "classify":
        names = ("、" if zh else ", ").join((titles or {}).get(n, n) for n in args[0]) if args and args[0] \
            else ("全部方案" if zh else "every scheme")
        return names + ((" · 按计划" if zh else " · if due") if params.get("due") else "")
    if kind in ("report", "import") and len(args) >= 2:
        return f"{args[0]} · {PureWindowsPath(str(args[1])).name}"
    if kind == "import-db" and len(args) >= 2 and isinstance(args[1], dict):
        return f"{args[0]} · {args[1].get('table') or ('查询' if zh else 'query')}"
    if kind == "tasks":
        day = params.get("on") or ("今天" if zh else "today")
        return f"{day} +{params.get('days', 7)}{'天' if zh else 'd'}"
    if kind == "metrics":
        out = PureWindowsPath(str(params["out"])).name if params.get("out") else ""
        return f"{window_text(str(params.get('window', '12m')), lang)} · {out}"
    return str(params.get("as_of") or "")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Jobs(Service):
    """The jobs the actor may see: their own; an admin, everyone's."""

    @property
    def runner(self) -> JobRunner | None:
        return self._ws.runner

    @operation(cli="jobs", api="GET /api/jobs")
    def list(
        self,
        *,
        state: str | None = None,
        kind: str | None = None,
        page: int = 1,
        page_size: int = 50,
        lang: str | None = None,
    ) -> dict[str, Any]:
        """Jobs, newest first: kind, who, when, state, progress, result or error."""
        self._require("settings.read")
        check_page(page, page_size)
        if state is not None and state not in STATES:
            raise ConfigError(f"state {state!r}: one of {', '.join(STATES)} / 状态应为 {', '.join(STATES)}")
        if kind is not None and kind not in KINDS:
            raise ConfigError(f"kind {kind!r}: one of {', '.join(KINDS)} / 任务类型应为 {', '.join(KINDS)}")
        where, params = ["TRUE"], []
        if self.actor.role != "admin":
            where.append("actor = ?")
            params.append(self.actor.name)
        for column, value in (("state", state), ("kind", kind)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"FROM jobs WHERE {' AND '.join(where)}"
        total = self.db.con.execute(f"SELECT count(*) {sql}", params).fetchone()
        rows = self.db.con.execute(
            f"SELECT {', '.join(COLUMNS)} {sql} ORDER BY job_id DESC LIMIT ? OFFSET ?",
            [*params, page_size, (page - 1) * page_size],
        ).fetchall()
        lang = self._lang(lang)
        items = [self._merge(dict(zip(COLUMNS, r, strict=True)), lang) for r in rows]
        return {"items": items, "total": int(total[0]) if total else 0, "page": page, "page_size": page_size}

    @operation(cli="jobs show", api="GET /api/jobs/{job_id}")
    def get(self, job_id: int, lang: str | None = None) -> dict[str, Any]:
        """One job: its state, progress and message while it runs, its result or error after."""
        return self._merge(self._row(job_id), self._lang(lang))

    def _row(self, job_id: int) -> dict[str, Any]:
        """Job ``job_id``'s row as stored (full paths): the actor's own, or any for an admin."""
        self._require("settings.read")
        row = self.db.con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM jobs WHERE job_id = ?", [job_id]
        ).fetchone()
        if row is None or (self.actor.role != "admin" and row[4] != self.actor.name):
            raise NotFoundError(f"no job {job_id} / 没有任务 {job_id}")
        return dict(zip(COLUMNS, row, strict=True))

    @operation(cli="jobs cancel", api="POST /api/jobs/{job_id}/cancel")
    def cancel(self, job_id: int) -> dict[str, Any]:
        """Cancel a queued or running job (its own person, or an admin): it stops at once and
        what it did is rolled back. A finished job answers as it is."""
        job = self.get(job_id)
        if self.runner is not None and job["state"] in ("queued", "running"):
            self.runner.cancel(job_id)
            live = self.runner.live.get(job_id)
            if live is not None:
                live.finished.wait(10)
        return self.get(job_id)

    @helper("the heavy API routes and the CLI (through a running server) start their operation with it")
    def submit(self, kind: str, /, *args: Any, origin: str = "api", **kwargs: Any) -> dict[str, Any]:
        """Queue ``kind`` with the operation's arguments, checked against the actor's role now."""
        if self.runner is None:
            raise ConfigError(
                "jobs are queued by the server: run this one with `tierwise` at the shell / "
                "后台任务由服务器运行"
            )
        roles.require(self.actor, KINDS[kind].action)
        live = self.runner.submit(self.actor, kind, args, kwargs, origin)
        return self.get(live.job_id)

    @helper("the API waits for a job a little, and the CLI for the job it started through a server")
    def wait(self, job_id: int, seconds: float, lang: str | None = None) -> tuple[dict[str, Any], Any]:
        """Wait up to ``seconds`` for job ``job_id``; its row (in ``lang``) and, when it finished
        in this server, the operation's own result (or raise the operation's error)."""
        job = self.get(job_id, lang)
        live = self.runner.live.get(job_id) if self.runner is not None else None
        if live is None:
            return job, None
        live.finished.wait(max(0.0, seconds))
        job = self.get(job_id, lang)
        if live.state == "done":
            return job, live.result
        if live.error is not None:
            raise live.error
        return job, None

    @helper("the CLI with no server runs a job in its own process and shows its progress")
    def run(
        self,
        kind: str,
        /,
        *args: Any,
        on_progress: Callable[[float | None, str], None] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run ``kind`` in this thread, recorded in the jobs table like a server's job; the
        operation's result (or its error); for a kind whose command prints only its summary
        (metrics), that summary, as a server answers it. ``on_progress`` gets the messages in
        the ``lang`` setting's language (the command's)."""
        spec = KINDS[kind]
        roles.require(self.actor, spec.action)
        runner = JobRunner(self._ws)
        runner.recover()  # this process holds the file: a job still "running" died with its process
        live = Live(0, kind, self.actor, args, kwargs, "cli")
        lang = self._ws.settings.lang

        def progress(fraction: float | None, message: Message) -> None:
            live.progress, live.message = fraction, message
            if on_progress is not None:
                on_progress(fraction, message.text(lang))

        live.reporter.on_progress = progress
        row = runner._write(
            f"""INSERT INTO jobs ({", ".join(COLUMNS[1:9])}, created_at, started_at)
                VALUES (?, ?, ?, ?, 'cli', 'running', NULL, '', ?, ?) RETURNING job_id""",
            [
                kind,
                spec.operation,
                json.dumps({"args": _param(args), **_param(kwargs)}, ensure_ascii=False),
                self.actor.name,
                _now(),
                _now(),
            ],
        )
        live.job_id = int(row[0])
        try:
            with reporting(live.reporter):
                result = _call(self._ws, spec, args, kwargs)
        except BaseException as exc:
            runner._finish(
                live,
                "cancelled" if isinstance(exc, Cancelled | KeyboardInterrupt) else "failed",
                error=str(exc) or type(exc).__name__,
            )
            raise
        live.progress, live.message = 1.0, None
        summary = json.dumps(_param(spec.summary(result)), ensure_ascii=False, default=str)
        runner._finish(live, "done", result=summary)
        return json.loads(summary) if spec.summarised else result

    @operation(cli=None, api="GET /api/jobs/{job_id}/file",
               why="at the shell a job writes its file where --out says, and the command names it")
    def file(self, job_id: int) -> Path:
        """The file a finished job made for the API (a report, a metrics table) to download."""
        found = self._row(job_id)
        params = json.loads(found["params"] or "{}")
        args = params.get("args") or []
        out = args[1] if found["kind"] == "report" and len(args) > 1 else params.get("out")
        root = (self.db.path.parent / "jobs").resolve()
        path = Path(out).resolve() if isinstance(out, str) else None
        if found["state"] != "done" or path is None or root not in path.parents or not path.is_file():
            raise NotFoundError(f"job {job_id} made no file to download / 任务 {job_id} 没有可下载的文件")
        return path

    def _queue(self, kind: str, /, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        """Queue ``kind`` after a change that calls for it (a saved scheme, an import): in the
        server, when the actor may run it; None at the shell or when they may not."""
        if self.runner is None or not roles.can(self.actor, KINDS[kind].action):
            return None
        return self.submit(kind, *args, **kwargs)

    def _titles(self, lang: str) -> dict[str, str]:
        """The schemes' titles in ``lang``, read once per service object (one request)."""
        kept: dict[str, dict[str, str]] = self.__dict__.setdefault("_titles_by_lang", {})
        if lang not in kept:
            kept[lang] = {s["name"]: s["title"] for s in self._ws.schemes.list(lang=lang)}
        return kept[lang]

    def _merge(self, row: dict[str, Any], lang: str) -> dict[str, Any]:
        """A jobs row as the API shows it, with the live progress of a job running here."""
        live = self.runner.live.get(row["job_id"]) if self.runner is not None else None
        message = Message.parse(row["message"])
        if live is not None and live.state in ("queued", "running"):  # a finished job: its stored row
            row["state"], row["progress"], message = live.state, live.progress, live.message
        row["message"] = message.text(lang) if message else None
        spec = KINDS.get(row["kind"])
        row["label"] = (spec.zh if lang == "zh" else spec.en) if spec else row["kind"]
        for key in ("params", "result"):
            row[key] = _public(json.loads(row[key])) if row[key] else None
        row["error"] = _public(row["error"])
        titles = self._titles(lang) if row["kind"] == "classify" else None
        row["detail"] = _detail(row["kind"], row["params"] or {}, lang, titles)
        for key in ("created_at", "started_at", "finished_at"):
            row[key] = row[key].isoformat(sep=" ") if row[key] else None
        return row


def kinds() -> builtins.list[str]:
    return builtins.list(KINDS)
