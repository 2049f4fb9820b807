"""The web app: FastAPI over the workspace facade, for ``tierwise serve``.

One process holds the workspace file open (DuckDB lets one process write it); each request
gets its own DuckDB cursor on it, so requests run side by side in the thread pool without
sharing a connection. Everything a person may see goes through the facade
(:class:`tierwise.Workspace`) acting as them.

Every error answers with one JSON shape, ``{"error": {"code", "message", "details"}}``:
``unauthorized`` 401, ``forbidden`` 403, ``not_found`` 404, ``conflict`` 409, ``invalid``
400 (a wrong option), ``invalid_request`` 422 (a malformed request), ``data`` 422 (the data
cannot answer it yet), ``unavailable`` 503, ``internal`` 500.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tierwise import __version__
from tierwise.access.users import User
from tierwise.errors import (
    AuthError,
    Cancelled,
    ConfigError,
    ConflictError,
    DataError,
    ForbiddenError,
    NotFoundError,
    OutOfMemory,
    StorageError,
    StorageFull,
    TierwiseError,
    WorkspaceError,
    engine_error,
)
from tierwise.settings import Settings
from tierwise.web.ids import EncodedSlashes
from tierwise.web.money import ApiJSON
from tierwise.web.session import CsrfError, LoginLimiter, RateLimited
from tierwise.workspace import Workspace

if TYPE_CHECKING:
    from tierwise.services.scheduler import Scheduler
    from tierwise.services.warmer import Warmer

log = logging.getLogger("tierwise.web")
NOBODY = User("(not signed in)", "nobody")

STATUS: list[tuple[type[TierwiseError], int, str]] = [
    # most specific first
    (AuthError, 401, "unauthorized"),
    (ConflictError, 409, "conflict"),
    (Cancelled, 409, "cancelled"),
    (CsrfError, 403, "forbidden"),
    (RateLimited, 429, "too_many_requests"),
    (ForbiddenError, 403, "forbidden"),
    (NotFoundError, 404, "not_found"),
    (ConfigError, 400, "invalid"),
    (DataError, 422, "data"),
    (WorkspaceError, 503, "unavailable"),
]
ENGINE_STATUS = {StorageFull: (507, "storage_full"), OutOfMemory: (503, "out_of_memory"),
                 StorageError: (500, "storage_error")}
HTTP_CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The one error shape of the API."""
    return {"error": {"code": code, "message": message, "details": details}}


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


class Server:
    """The app's state: the settings and the workspace held open while it serves."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root: Workspace | None = None
        self.scheduler: Scheduler | None = None
        self.warmer: Warmer | None = None
        self.open: set[Workspace] = set()  # the cursors of requests under way
        self.lock = threading.Lock()

    def start(self) -> None:
        from tierwise.services.jobs import JobRunner
        from tierwise.services.scheduler import Scheduler
        from tierwise.services.warmer import Warmer
        from tierwise.web.pages import dashboard_data

        self.root = Workspace.open(self.settings, actor=NOBODY)
        self.root.runner = JobRunner(self.root)
        interrupted = self.root.runner.recover()
        if interrupted:
            log.warning("%d job(s) cut short by the last stop were marked failed", interrupted)
        self.scheduler = Scheduler(self.root.runner)
        self.scheduler.start()
        if self.settings.warm:
            self.warmer = Warmer(self.workspace, self.settings.lang, show=dashboard_data)
            self.warmer.start()

    def stop(self) -> None:
        """Cancel the jobs (rolled back), interrupt the queries of requests still running, and
        close the workspace: a stop takes seconds even with a long job or request under way."""
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.warmer is not None:
            self.warmer.stop()
        if self.root is not None:
            if self.root.runner is not None:
                self.root.runner.stop(timeout=6.0)
            with self.lock:
                for ws in list(self.open):
                    with contextlib.suppress(Exception):
                        ws.db.con.interrupt()
            self.root.close()
            self.root = None

    @contextlib.contextmanager
    def workspace(self) -> Iterator[Workspace]:
        """The facade over a fresh cursor of the open file, closed after use, acting as nobody
        (every action is refused) until :meth:`Workspace.acting_as` names the signed-in user."""
        if self.root is None:
            raise WorkspaceError("the workspace is not open / 工作区未打开")
        ws = self.root.fork()
        with self.lock:
            self.open.add(ws)
        try:
            yield ws
        finally:
            with self.lock:
                self.open.discard(ws)
            ws.close()


def _respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The API's JSON error; on a page, the same error as a page (a sign-in for 401)."""
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        return error_response(status, code, message, details, headers)
    from tierwise.web.pages import error_page

    if status == 401:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    return error_page(request, status, message)


SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),  # no page of ours inside another site's frame (clickjacking)
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response, streamed ones included (a plain ASGI
    wrapper: it touches only the response's start message)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in SECURITY_HEADERS if k not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


MAX_BODY = 1 << 20  # bytes of a form or a JSON request
MAX_SCHEME = 4 << 20  # a scheme's text: its 200,000 characters, each escaped in JSON as \uXXXX pairs
MAX_UPLOAD = 256 << 20  # bytes of a file upload's request (larger files: `tierwise import`)
UPLOADS = ("/import", "/api/imports")


def body_limit(path: str) -> int:
    """The most bytes a request to ``path`` may send."""
    from tierwise.web.handoff import MAX_BODY as COMMANDS

    if path in UPLOADS:
        return MAX_UPLOAD
    if path.startswith(("/api/schemes/", "/schemes/")):
        return MAX_SCHEME
    return COMMANDS if path.startswith("/api/_local/") else MAX_BODY


class BodyLimit:
    """Refuses (413) a request whose body is over :func:`body_limit`: by its Content-Length
    before a byte is read (before signing in is checked, too), else as it streams in. An upload
    under the limit still goes to disk, not memory (Starlette spools files over 1 MB)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = body_limit(path)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(path, limit, send)
            return
        received = 0
        started = refused = False

        async def counted() -> Any:
            # past the limit: the 413 is sent here, and the app sees the client gone (its own
            # answer to that is dropped)
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await self._refuse(path, limit, send)
                    return {"type": "http.disconnect"}
            return message

        async def watched(message: Any) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted, watched)

    @staticmethod
    async def _refuse(path: str, limit: int, send: Any) -> None:
        size = f"{limit / (1 << 20):g} MiB"
        upload = path in UPLOADS
        message = (f"the request is larger than {size}, the most this address takes"
                   + ("; import larger files with `tierwise import`" if upload else "")
                   + f" / 请求超过 {size} 上限" + ("，更大的文件请用 tierwise import 导入" if upload else ""))
        if path.startswith("/api/"):
            body = json.dumps(error_body("too_large", message, {"limit_bytes": limit})).encode()
            kind = b"application/json"
        else:
            body, kind = message.encode(), b"text/plain; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class JsonText:
    """Refuses (422) a JSON body whose text holds a lone surrogate (``"\\udc00"``): valid JSON,
    but no text at all, and the engine fails on it (a 500). A pair (an emoji written as two
    escapes) is one character and passes. Runs inside :class:`BodyLimit`: the body is bounded."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        kind = dict(scope.get("headers", [])).get(b"content-type", b"") if scope["type"] == "http" else b""
        if not kind.startswith(b"application/json"):
            await self.app(scope, receive, send)
            return
        messages, body = [], b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if _ESCAPED_SURROGATE.search(body) and _lone_surrogate(body):
            problem = "text holds a lone surrogate (\\ud800-\\udfff): not a character / 文本含有无效字符"
            where = [{"where": "body", "problem": problem}]
            answer = json.dumps(error_body("invalid_request", problem, where))
            await send({"type": "http.response.start", "status": 422,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": answer.encode()})
            return

        async def replay() -> Any:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _lone_surrogate(body: bytes) -> bool:
    try:
        json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except ValueError:  # not JSON: the app says so
        return False
    return False


def create_app(settings: Settings, *, listen: tuple[str, int] | None = None) -> FastAPI:
    """The web app over the workspace ``settings.db`` (opened when the app starts). With
    ``listen`` (host, port) it announces itself beside the workspace, so that commands at the
    shell go through it (:mod:`tierwise.web.local`)."""
    from tierwise.web import (
        api,
        api_approvals,
        api_digests,
        api_jobs,
        api_ops,
        api_pool,
        api_reports,
        api_snapshots,
        api_users,
        local,
        pages,
        pages_admin,
        pages_team,
    )

    server = Server(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        server.start()
        if listen is not None:
            app.state.local_secret = local.announce(settings, *listen)
        try:
            yield
        finally:
            if listen is not None:
                local.withdraw(settings)
            server.stop()

    app = FastAPI(
        title="tierwise",
        version=__version__,
        lifespan=lifespan,
        description="Customer grading for sales teams: customers, classes with reasons, tasks, "
        "overrides and reports, scoped to the signed-in user. Send an API token as "
        "`Authorization: Bearer TOKEN` (`tierwise users token NAME` makes one).",
        openapi_url="/api/openapi.json",
        docs_url=None,  # FastAPI's Swagger page loads scripts from a CDN; ours is rendered here
        redoc_url=None,
        default_response_class=ApiJSON,  # money as decimal strings (web/money.py)
    )
    app.state.server = server
    app.state.limiter = LoginLimiter()
    app.add_middleware(EncodedSlashes)
    app.add_middleware(JsonText)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # the last added is the outermost: a 413 gets the headers too
    app.include_router(api.router)
    app.include_router(api_users.router)
    app.include_router(api_snapshots.router)
    app.include_router(api_reports.router)
    app.include_router(api_ops.router)
    app.include_router(api_pool.router)
    app.include_router(api_approvals.router)
    app.include_router(api_digests.router)
    app.include_router(api_jobs.router)
    app.include_router(local.router)
    app.include_router(pages.router)
    app.include_router(pages_team.router)
    app.include_router(pages_admin.router)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> Response:
        """The API reference, rendered from the OpenAPI document (no script, no network)."""
        return pages.api_docs(app.openapi())

    @app.exception_handler(TierwiseError)
    async def tierwise_error(request: Request, exc: TierwiseError) -> Response:
        for kind, status, code in STATUS:
            if isinstance(exc, kind):
                headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
                return _respond(request, status, code, str(exc), headers=headers)
        return _respond(request, 400, "invalid", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = details[0] if details else {"where": "request", "problem": "invalid"}
        return _respond(
            request, 422, "invalid_request", f"{first['where']}: {first['problem']} / 请求参数有误", details
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such address: {request.url.path} / 没有这个地址"
        return _respond(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(duckdb.Error)
    @app.exception_handler(OSError)
    async def engine(request: Request, exc: Exception) -> Response:
        meant = engine_error(exc)
        if meant is not None:  # a full disk, the memory limit, a failed write: logged, and said as such
            log.error("%s %s: %s", request.method, request.url.path, exc)
            status, code = ENGINE_STATUS[type(meant)]
            return _respond(request, status, code, str(meant))
        if isinstance(exc, duckdb.TransactionException):
            return _respond(
                request,
                409,
                "conflict",
                "another change to the same records happened at the same "
                "time: try again / 同时有其他修改，请重试",
                str(exc),
            )
        return await internal(request, exc)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _respond(
            request, 500, "internal", "internal error: the server log has the details / 服务器内部错误"
        )

    return app
