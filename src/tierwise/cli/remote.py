"""The facade of a workspace a running server owns: the same services, called in the server.

``open_workspace`` answers a :class:`RemoteWorkspace` when ``tierwise serve`` runs on the
workspace (see :mod:`tierwise.web.local`). Its services have the methods of the real ones;
each call is signed and sent to the server, which runs it acting as this command's person and
answers the result or raises the same error here. A long operation becomes a job there; this
side polls it, showing its progress, and cancels it on Ctrl+C.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tierwise.errors import WorkspaceError
from tierwise.settings import Settings
from tierwise.web import handoff as local

ProgressFn = Callable[[float | None, str], None]


def _portable(value: Any) -> Any:
    """An argument as the server should see it: paths made absolute (the server has its own
    working folder), callbacks dropped (they cannot cross; the job reports progress instead)."""
    if isinstance(value, Path):
        return value.expanduser().absolute()
    if isinstance(value, list | tuple):
        return type(value)(_portable(v) for v in value)
    if isinstance(value, dict):
        return {k: _portable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: None if callable(getattr(value, f.name)) else _portable(getattr(value, f.name))
                   for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


class RemoteWorkspace:
    """The workspace as a running server holds it, acting as ``by`` (see :meth:`Workspace.open`)."""

    def __init__(self, settings: Settings, found: dict[str, Any], by: str | None) -> None:
        self.settings = settings
        self.url = str(found["url"])
        self.pid = int(found["pid"])
        self._secret = str(found["secret"])
        self._by = by or settings.user
        self._http = httpx.Client(base_url=self.url, timeout=httpx.Timeout(None, connect=5.0))
        self.runner = None
        self.actor = self._post("/api/_local/call", {"by": self._by, "lang": settings.lang, "service": "",
                                                      "method": "whoami", "args": (), "kwargs": {}})["result"]

    # -- the facade's shape ------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        from tierwise.workspace import SERVICES

        if name in SERVICES:
            return _Service(self, name)
        raise AttributeError(name)

    def lang(self, explicit: str | None = None) -> str:
        if explicit:
            return "zh" if explicit.lower().startswith("zh") else "en"
        return self.actor.lang if self.actor.lang in ("en", "zh") else self.settings.lang

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RemoteWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the wire ----------------------------------------------------------------------
    def _post(self, path: str, value: dict[str, Any]) -> dict[str, Any]:
        body, signature = local.pack(self._secret, value)
        if len(body) > local.MAX_BODY:  # the server would refuse it (413): say why before sending it
            mib = local.MAX_BODY / (1 << 20)
            raise WorkspaceError(f"this command's request to the server is larger than {mib:g} MiB / "
                                 f"发往服务器的请求超过 {mib:g} MiB")
        try:
            r = self._http.post(path, content=body, headers={local.SIGNATURE: signature,
                                                             "Content-Type": local.MEDIA})
        except httpx.TransportError as exc:
            raise WorkspaceError(
                f"the server of {self.settings.db} (process {self.pid}, {self.url}) does not answer: {exc} / "
                "服务器没有响应"
            ) from None
        if r.status_code != 200 or r.headers.get("content-type") != local.MEDIA:
            raise WorkspaceError(f"the server at {self.url} answered {r.status_code}: {_said(r)} / "
                                 "服务器返回错误")
        answer: dict[str, Any] = local.unpack(self._secret, r.content, r.headers.get(local.SIGNATURE))
        if "error" in answer:
            raise answer["error"]
        return answer

    def call(self, service: str, method: str, args: tuple[Any, ...], kwargs: dict[str, Any],
             on_progress: ProgressFn | None = None) -> Any:
        """Run ``service.method`` in the server; a job is followed to its end."""
        answer = self._post("/api/_local/call", {"by": self._by, "lang": self.settings.lang,
                                                  "service": service, "method": method,
                                                  "args": _portable(args), "kwargs": _portable(kwargs)})
        if "job" not in answer:
            return answer["result"]
        return self.follow(int(answer["job"]["job_id"]), on_progress)

    def follow(self, job_id: int, on_progress: ProgressFn | None) -> Any:
        """Poll job ``job_id`` until it ends (its result, or its error raised); Ctrl+C cancels it.
        Its progress messages come in the ``lang`` setting's language, as they do when the
        command runs the job itself."""
        cancel = False
        while True:
            try:
                answer = self._post("/api/_local/job", {"by": self._by, "job_id": job_id, "wait": 1.0,
                                                         "cancel": cancel, "lang": self.settings.lang})
            except KeyboardInterrupt:
                cancel = True
                continue
            except WorkspaceError as exc:
                raise WorkspaceError(
                    f"job {job_id} was cut short: {exc}. A job the server did not finish leaves the "
                    f"workspace as it was; `tierwise jobs` shows how it ended / 任务 {job_id} 被中断，"
                    "工作区保持原样"
                ) from None
            job = answer["job"]
            if job["state"] == "done":
                return answer["result"]
            if job["state"] in ("failed", "cancelled"):
                from tierwise.errors import Cancelled, TierwiseError

                kind = Cancelled if job["state"] == "cancelled" else TierwiseError
                raise kind(job["error"] or job["state"])
            if on_progress is not None:
                on_progress(job["progress"], job["message"] or job["state"])
            if cancel:
                time.sleep(0.2)


def _said(r: httpx.Response) -> str:
    """What a refusing server said: the message of the API's error shape, else the text's start."""
    try:
        return str(r.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return r.text[:300]


class _Service:
    """One service of a :class:`RemoteWorkspace`: each method call runs in the server."""

    def __init__(self, ws: RemoteWorkspace, name: str) -> None:
        self._ws = ws
        self._name = name

    def __getattr__(self, method: str) -> Any:
        if method.startswith("_"):
            raise AttributeError(method)
        if self._name == "jobs" and method == "run":
            return self._run_job

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._ws.call(self._name, method, args, kwargs)

        return call

    def _run_job(self, kind: str, /, *args: Any, on_progress: ProgressFn | None = None, **kwargs: Any) -> Any:
        """``ws.jobs.run`` of a remote workspace: the server runs the job, this side follows it."""
        from tierwise.services.jobs import KINDS

        service, method = KINDS[kind].operation.split(".")
        return self._ws.call(service, method, args, kwargs, on_progress)
