"""What every service shares: the facade it belongs to, role checks, the actor's scope, and
the :func:`operation` mark that ties a method to its CLI command and API route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import ibis.expr.types as ir

from tierwise.access import roles
from tierwise.errors import ConfigError, NotFoundError
from tierwise.store.keys import one_customer_args, one_customer_sql

if TYPE_CHECKING:
    from tierwise.access.users import User
    from tierwise.settings import Settings
    from tierwise.store.database import Database
    from tierwise.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])
MAX_PAGE = 500


@dataclass(frozen=True)
class Operation:
    """Where a facade operation is reachable: its CLI command (words after ``tierwise``) and its
    API route (``METHOD /api/path`` as in the OpenAPI document). ``None`` needs ``why``."""

    cli: str | None
    api: str | None
    why: str | None = None


def operation(*, cli: str | None, api: str | None, why: str | None = None) -> Callable[[F], F]:
    """Mark a service method as a facade operation reachable from ``cli`` and ``api``.

    The parity test walks every service: each public method must carry this mark, its CLI
    command must exist in ``tierwise --help`` and its route in ``/api/openapi.json``. A front
    end left out on purpose needs ``why`` (e.g. a database URL typed into a web form).
    """
    if (cli is None or api is None) and not why:
        raise ValueError("an operation missing from the CLI or the API needs a reason (why=...)")

    def mark(fn: F) -> F:
        fn.__tierwise_operation__ = Operation(cli, api, why)  # type: ignore[attr-defined]
        return fn

    return mark


def helper(why: str) -> Callable[[F], F]:
    """Mark a public service method that front ends call but that is no operation of its own
    (a check before showing a form, the scope's ids for a chart); ``why`` says so."""

    def mark(fn: F) -> F:
        fn.__tierwise_helper__ = why  # type: ignore[attr-defined]
        return fn

    return mark


def checked_text(**values: str | None) -> None:
    """Refuse text with NUL or other control characters (no id, name or tag has them; the
    engine cannot hold NUL in a literal)."""
    for name, value in values.items():
        if value is not None and any(ord(ch) < 32 and ch not in "\t" for ch in value):
            raise ConfigError(f"{name}: control characters are not allowed / {name} 不能包含控制字符")


def check_page(page: int, page_size: int) -> None:
    if page < 1 or not 1 <= page_size <= MAX_PAGE:
        raise ConfigError(
            f"page starts at 1 and page_size is 1 to {MAX_PAGE} / 页码从 1 开始，每页 1 到 {MAX_PAGE} 条"
        )


class Service:
    """A part of the facade: the workspace's database, seen and changed as its actor may."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    @property
    def db(self) -> Database:
        return self._ws.db

    @property
    def actor(self) -> User:
        return self._ws.actor

    @property
    def settings(self) -> Settings:
        return self._ws.db.settings

    def _lang(self, lang: str | None) -> str:
        return self._ws.lang(lang)

    def _require(self, action: str) -> None:
        roles.require(self.actor, action)

    def _customers(self) -> ir.Table:
        """The customers the actor may see, as an engine table."""
        return self.actor.scope.customers(self.db.table("customers"), self.db.table("reps"))

    def _check_customer(self, customer_id: str) -> None:
        """Raise :class:`NotFoundError` for a customer that is missing or out of scope."""
        self._require("customers.read")
        checked_text(customer_id=customer_id)
        where, params = self.actor.scope.where("c")
        # the customer's row by its key first (store/keys.py), then the scope (one statement)
        found = self.db.con.execute(
            "WITH c AS MATERIALIZED (SELECT customer_id, rep_id, department FROM customers "
            f"WHERE {one_customer_sql()}) SELECT count(*) FROM c WHERE {where}",
            [*one_customer_args(customer_id), *params]).fetchone()
        if not found or found[0] == 0:
            raise NotFoundError(f"no customer {customer_id!r} / 没有客户 {customer_id!r}")

    def _visible(self, ids: set[str]) -> set[str]:
        """The ids of ``ids`` the actor may see."""
        if self.actor.scope.everything or not ids:
            return ids
        t = self._customers()
        return set(t.filter(t.customer_id.isin(sorted(ids))).customer_id.to_pyarrow().to_pylist())
