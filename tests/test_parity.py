"""Parity: every operation of the facade is a CLI command and an API route, and every API route is
an operation of the facade (so no front end reaches past the services, and none falls behind)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest
import typer

from tierwise.services.base import Operation, Service
from tierwise.settings import Settings
from tierwise.workspace import SERVICES

# Routes of the API that are no operation of their own: the API's self-description.
NOT_OPERATIONS = {"GET /api/openapi.json", "GET /api/docs"}


def _operations() -> dict[str, Operation]:
    """``service.method`` → its :class:`Operation`, for every public method of every service."""
    found: dict[str, Operation] = {}
    unmarked: list[str] = []
    for attr, target in SERVICES.items():
        module, name = target.split(".")
        cls = getattr(importlib.import_module(f"tierwise.services.{module}"), name)
        assert issubclass(cls, Service), target
        for method, fn in inspect.getmembers(cls, inspect.isfunction):
            if method.startswith("_") or hasattr(Service, method):
                continue
            op = getattr(fn, "__tierwise_operation__", None)
            if op is None:
                if not getattr(fn, "__tierwise_helper__", None):
                    unmarked.append(f"{attr}.{method}")
                continue
            found[f"{attr}.{method}"] = op
    assert not unmarked, (
        f"public service methods without @operation (or @helper): {unmarked}; mark each with the CLI "
        "command and API route that reach it"
    )
    return found


def _cli_commands() -> set[str]:
    """Every command of ``tierwise --help``, sub-commands as ``group command``."""
    from tierwise.cli import app

    def walk(cmd: Any, prefix: str) -> set[str]:
        out = {prefix} if prefix else set()
        if hasattr(cmd, "commands"):  # a group (Typer's click may be its own copy: no isinstance)
            for name, sub in cmd.commands.items():
                out |= walk(sub, f"{prefix} {name}".strip())
        return out

    return walk(typer.main.get_command(app), "")


def _api_routes(tmp_path: Path) -> set[str]:
    """Every route of the OpenAPI document as ``METHOD /path``."""
    from tierwise.web.app import create_app

    spec: dict[str, Any] = create_app(Settings(db=tmp_path / "none.duckdb")).openapi()
    return {f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item}


@pytest.fixture(scope="module")
def operations() -> dict[str, Operation]:
    return _operations()


def test_every_operation_has_a_cli_command(operations: dict[str, Operation]) -> None:
    commands = _cli_commands()
    missing = {k: op.cli for k, op in operations.items() if op.cli is not None and op.cli not in commands}
    assert not missing, f"operations whose CLI command is missing from `tierwise --help`: {missing}"
    without = {k: op.why for k, op in operations.items() if op.cli is None}
    assert all(without.values()), f"operations with no CLI command must say why: {without}"


def test_every_operation_has_an_api_route(operations: dict[str, Operation], tmp_path: Path) -> None:
    routes = _api_routes(tmp_path)
    missing = {k: op.api for k, op in operations.items() if op.api is not None and op.api not in routes}
    assert not missing, f"operations whose route is missing from /api/openapi.json: {missing}"
    without = {k: op.why for k, op in operations.items() if op.api is None}
    assert all(without.values()), f"operations with no API route must say why: {without}"


def test_every_api_route_is_an_operation(operations: dict[str, Operation], tmp_path: Path) -> None:
    routes = {r for r in _api_routes(tmp_path) if r.split(" ", 1)[1].startswith("/api")}
    claimed = {op.api for op in operations.values() if op.api}
    stray = sorted(routes - claimed - NOT_OPERATIONS)
    assert not stray, f"API routes that no facade operation claims (add @operation(api=...)): {stray}"


def test_the_parity_check_would_catch_a_missing_route(
    operations: dict[str, Operation], tmp_path: Path
) -> None:
    """The checks above are not vacuous: a made-up operation is reported by each of them."""
    fake = Operation(cli="no-such-command", api="GET /api/no-such-route")
    assert fake.cli not in _cli_commands()
    assert fake.api not in _api_routes(tmp_path)
    assert len(operations) >= 40, sorted(operations)
