"""The one way in: :class:`Workspace`, a company's workspace bound to the person acting.

The CLI, the web pages, the JSON API and the tests all build a ``Workspace`` and call its
services; none of them reaches the database, the metrics or the schemes directly. The
facade is wiring only: it opens the database, knows who is acting, and hands out one small
service per job (``ws.customers``, ``ws.tasks``, ``ws.snapshots`` ...). Role and scope rules
live in the services, so every front end gets the same answer and the same refusal::

    with Workspace.open(Settings.from_env()) as ws:          # the person at the shell
        ws.snapshots.classify()
        li = ws.acting_as(ws.users.get("li"))                 # a rep: only their customers
        li.customers.list(sort="-revenue")
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from tierwise.access.users import User, resolve_actor
from tierwise.settings import Settings
from tierwise.store.database import Database

if TYPE_CHECKING:
    from tierwise.services.activities import Activities
    from tierwise.services.approvals import Approvals
    from tierwise.services.audit import AuditTrail
    from tierwise.services.base import Operation
    from tierwise.services.credit import Credit
    from tierwise.services.customers import Customers
    from tierwise.services.digests import Digests
    from tierwise.services.imports import Imports
    from tierwise.services.jobs import JobRunner, Jobs
    from tierwise.services.metrics import Metrics
    from tierwise.services.overrides import Overrides
    from tierwise.services.pool import Pool
    from tierwise.services.reports import Reports
    from tierwise.services.schemes import Schemes
    from tierwise.services.snapshots import Snapshots
    from tierwise.services.system import System
    from tierwise.services.tasks import Tasks
    from tierwise.services.users import Users

# The services, in the layer order of the code map (README): attribute → module.Class
SERVICES: dict[str, str] = {
    "system": "system.System",
    "imports": "imports.Imports",
    "metrics": "metrics.Metrics",
    "schemes": "schemes.Schemes",
    "snapshots": "snapshots.Snapshots",
    "overrides": "overrides.Overrides",
    "approvals": "approvals.Approvals",
    "customers": "customers.Customers",
    "pool": "pool.Pool",
    "digests": "digests.Digests",
    "activities": "activities.Activities",
    "tasks": "tasks.Tasks",
    "credit": "credit.Credit",
    "reports": "reports.Reports",
    "users": "users.Users",
    "audit": "audit.AuditTrail",
    "jobs": "jobs.Jobs",
}


def _service(attr: str) -> functools.cached_property[object]:
    """A facade attribute that builds its service on first use (so opening stays cheap)."""

    def build(self: Workspace) -> object:
        import importlib

        module, cls = SERVICES[attr].split(".")
        return getattr(importlib.import_module(f"tierwise.services.{module}"), cls)(self)

    prop = functools.cached_property(build)
    prop.__set_name__(Workspace, attr)
    return prop


class Workspace:
    """A company's workspace, as ``actor`` sees it and may change it.

    Parameters
    ----------
    db
        The open workspace database.
    actor
        Who is acting: their role decides what they may do, their scope which customers they
        see, their name goes into the audit trail.
    """

    system: System
    imports: Imports
    metrics: Metrics
    schemes: Schemes
    snapshots: Snapshots
    overrides: Overrides
    approvals: Approvals
    customers: Customers
    pool: Pool
    digests: Digests
    activities: Activities
    tasks: Tasks
    credit: Credit
    reports: Reports
    users: Users
    audit: AuditTrail
    jobs: Jobs

    def __init__(self, db: Database, actor: User, runner: JobRunner | None = None) -> None:
        self.db = db
        self.actor = actor
        self.runner = runner  # the server's job workers; None at the shell

    @classmethod
    def open(
        cls, settings: Settings, *, create: bool = False, by: str | None = None, actor: User | None = None
    ) -> Workspace:
        """Open the workspace at ``settings.db`` (with ``create``, make it if missing), acting as
        ``by`` (else the ``user`` setting, else the login name).

        A name given by ``by`` or the ``user`` setting must be a user when the workspace has
        users, and acts with that user's role and scope. The login name of the person at the
        shell, when it is no user, acts as a local admin: whoever can open the file can change it.
        ``actor`` (the web server's "nobody") skips that resolution.
        """
        db = Database.open(settings, create=create)
        try:
            actor = actor or resolve_actor(db, by or settings.user, lang=settings.lang)
        except BaseException:
            db.close()
            raise
        return cls(db, actor)

    def fork(self) -> Workspace:
        """The same workspace and actor over a new cursor of the open file, for one thread or
        request (DuckDB cursors run side by side); close it after use."""
        import ibis

        cursor = self.db.con.cursor()
        db = Database(ibis.duckdb.from_connection(cursor), self.db.settings)
        return Workspace(db, self.actor, self.runner)

    def acting_as(self, actor: User) -> Workspace:
        """The same workspace (same connection), acting as ``actor``."""
        return Workspace(self.db, actor, self.runner)

    def close(self) -> None:
        """Close the connection (of a :meth:`fork`: its cursor only)."""
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def settings(self) -> Settings:
        return self.db.settings

    def lang(self, explicit: str | None = None) -> str:
        """The language to answer in: ``explicit`` (a ``lang`` option or parameter), else the
        actor's (a signed-in user's choice; at the shell, the ``lang`` setting)."""
        if explicit:
            return "zh" if explicit.lower().startswith("zh") else "en"
        return self.actor.lang if self.actor.lang in ("en", "zh") else self.settings.lang


for _attr in SERVICES:
    setattr(Workspace, _attr, _service(_attr))


def operations() -> dict[str, tuple[Operation, str]]:
    """Every facade operation: ``service.method`` → its :class:`Operation` (CLI command, API
    route) and the first line of its docstring, in the order of :data:`SERVICES`."""
    import importlib
    import inspect

    from tierwise.services.base import Service

    found: dict[str, tuple[Operation, str]] = {}
    for attr, target in SERVICES.items():
        module, name = target.split(".")
        cls = getattr(importlib.import_module(f"tierwise.services.{module}"), name)
        for method, fn in inspect.getmembers(cls, inspect.isfunction):
            op = getattr(fn, "__tierwise_operation__", None)
            if op is not None and not method.startswith("_") and not hasattr(Service, method):
                doc = " ".join((inspect.getdoc(fn) or "").split("\n\n")[0].split())
                found[f"{attr}.{method}"] = (op, doc)
    return found


def operations_markdown() -> str:
    """``docs/operations.md``: each operation with its command and route (a test keeps it current)."""
    lines = [
        "# Operations",
        "",
        "Every operation of the facade (`tierwise.Workspace`), the `tierwise` command and the API route",
        "that reach it. Generated from the code: `python -c \"from tierwise.workspace import",
        "operations_markdown as m; print(m(), end='')\" > docs/operations.md`.",
        "",
        "| operation | command | API route | what it does |",
        "|---|---|---|---|",
    ]
    for key, (op, doc) in operations().items():
        cli = f"`tierwise {op.cli}`" if op.cli else f"— ({op.why})"
        api = f"`{op.api}`" if op.api else f"— ({op.why})"
        lines.append(f"| `{key}` | {cli} | {api} | {doc.replace('|', '/')} |")
    return "\n".join(lines) + "\n"
