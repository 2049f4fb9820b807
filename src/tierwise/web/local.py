"""The server owns the workspace: commands at the shell go through it while it runs.

DuckDB lets one process write a file, so while ``tierwise serve`` holds the workspace, a
``tierwise classify`` in another shell could not open it. Instead the server leaves a small
file beside the workspace (``<workspace>.server.json``, readable only by its owner) with its
address, process id and a random secret; the command finds it and calls the same facade
operation in the server, acting as the same person (``--by``, the ``user`` setting, else the
login name), through ``/api/_local/``. Long operations run there as jobs, and the command
shows their progress as if it ran them itself.

Only the owner of the workspace's folder can read the secret, and whoever can is already able
to open the workspace file itself; every request and answer is signed with it (HMAC-SHA256
over the body, with a timestamp), and the routes answer only on the loopback interface. The
bodies are pickles: both ends are this same version of tierwise (checked), and a body is
unpickled only after its signature is verified, and a body is read only up to
:data:`~tierwise.web.handoff.MAX_BODY` bytes (a larger one is refused with 413 before it is
read whole).
"""

from __future__ import annotations

import logging
import pickle
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from tierwise.access.users import resolve_actor
from tierwise.errors import NotFoundError, TierwiseError, WorkspaceError
from tierwise.services.jobs import KINDS
from tierwise.web.handoff import (
    MAX_BODY,
    MEDIA,
    SIGNATURE,
    announce,
    pack,
    running,
    server_file,
    unpack,
    withdraw,
)
from tierwise.workspace import SERVICES

__all__ = ["announce", "running", "server_file", "withdraw"]

log = logging.getLogger("tierwise.web")
router = APIRouter(prefix="/api/_local", include_in_schema=False)
LOOPBACK = {"127.0.0.1", "::1", "localhost", "testclient"}


# -- the server's side ------------------------------------------------------------------
def _secret(request: Request) -> str:
    secret = getattr(request.app.state, "local_secret", None)
    host = request.client.host if request.client else ""
    if not secret or host not in LOOPBACK:
        raise NotFoundError(f"no such address: {request.url.path} / 没有这个地址")
    return str(secret)


def _too_large() -> HTTPException:
    mib = MAX_BODY / (1 << 20)
    return HTTPException(
        413,
        f"a local request is larger than {mib:g} MiB: pass files by their path, not their content / "
        f"本地请求超过 {mib:g} MiB：请传文件路径，而不是文件内容",
    )


async def _body(request: Request) -> bytes:
    """The request's body, refused (413) past :data:`MAX_BODY`: by its Content-Length before
    reading, and by counting while it streams (a body sent without one, or lying about it)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise _too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


async def _request(request: Request) -> tuple[str, dict[str, Any]]:
    secret = _secret(request)
    body = await _body(request)
    try:
        value = unpack(secret, body, request.headers.get(SIGNATURE))
    except WorkspaceError:
        raise
    except Exception as exc:  # a malformed body
        raise WorkspaceError(f"a malformed local request ({type(exc).__name__}) / 本地请求格式有误") from None
    return secret, value


def _answer(secret: str, value: Any) -> Response:
    body, signature = pack(secret, value)
    return Response(body, media_type=MEDIA, headers={SIGNATURE: signature})


def _portable(exc: BaseException) -> BaseException:
    """An error the command can re-raise: tierwise's own as they are, anything else named."""
    if isinstance(exc, TierwiseError):
        try:
            pickle.loads(pickle.dumps(exc))
            return exc
        except Exception:
            return TierwiseError(str(exc))
    log.error("local call failed", exc_info=exc)
    return RuntimeError(f"the server failed: {type(exc).__name__}: {exc} (its log has the details)")


def _job_kinds() -> dict[str, str]:
    return {spec.operation: kind for kind, spec in KINDS.items()}


def _callable(service: str, method: str) -> bool:
    """Only the facade's operations and helpers are reachable (no private name, no attribute)."""
    import importlib

    if service not in SERVICES or method.startswith("_"):
        return False
    module, name = SERVICES[service].split(".")
    fn = getattr(getattr(importlib.import_module(f"tierwise.services.{module}"), name), method, None)
    return callable(fn) and bool(
        getattr(fn, "__tierwise_operation__", None) or getattr(fn, "__tierwise_helper__", None))


def _lang(value: dict[str, Any], default: str) -> str:
    """The command's language (its ``--lang`` / ``TIERWISE_LANG``), which its person answers in."""
    sent = value.get("lang")
    return sent if sent in ("en", "zh") else default


@router.post("/call")
async def call(request: Request) -> Response:
    """One facade call as the command's person, in the command's language: ``{"by", "lang",
    "service", "method", "args", "kwargs"}``.
    A long operation is queued as a job and answered as ``{"job": ...}``."""
    from starlette.concurrency import run_in_threadpool

    secret, value = await _request(request)
    server = request.app.state.server

    def work() -> dict[str, Any]:
        with server.workspace() as root:
            try:
                actor = resolve_actor(root.db, value.get("by"), lang=_lang(value, root.settings.lang))
                ws = root.acting_as(actor)
                service, method = str(value["service"]), str(value["method"])
                if service == "" and method == "whoami":
                    return {"result": actor}
                if not _callable(service, method):
                    raise NotFoundError(f"no operation {service}.{method} / 没有这个操作")
                kind = _job_kinds().get(f"{service}.{method}")
                if kind is not None:
                    return {"job": ws.jobs.submit(kind, *value["args"], origin="cli", **value["kwargs"])}
                return {"result": getattr(getattr(ws, service), method)(*value["args"], **value["kwargs"])}
            except BaseException as exc:
                return {"error": _portable(exc)}

    return _answer(secret, await run_in_threadpool(work))


@router.post("/job")
async def job(request: Request) -> Response:
    """A job the command started: ``{"by", "job_id", "wait", "cancel", "lang"}`` → its row (its
    message in ``lang``, the command's), and once it finished its result (or error); for a kind
    whose command prints only a summary, the summary (a metrics table stays here)."""
    from starlette.concurrency import run_in_threadpool

    secret, value = await _request(request)
    server = request.app.state.server

    def work() -> dict[str, Any]:
        with server.workspace() as root:
            try:
                ws = root.acting_as(resolve_actor(root.db, value.get("by"),
                                                  lang=_lang(value, root.settings.lang)))
                job_id = int(value["job_id"])
                if value.get("cancel"):
                    ws.jobs.cancel(job_id)
                row, result = ws.jobs.wait(job_id, min(float(value.get("wait", 1.0)), 5.0),
                                           lang=value.get("lang"))
                spec = KINDS.get(row["kind"])
                if row["state"] == "done" and spec is not None and spec.summarised:
                    result = row["result"]
                return {"job": row, "result": result}
            except BaseException as exc:
                return {"error": _portable(exc)}

    return _answer(secret, await run_in_threadpool(work))
