"""The ``tierwise`` command: parse, build the facade (:class:`tierwise.Workspace`), call it, print.

``main`` holds the app, the options every command shares and the entry point; each other
module registers one group of commands on it. No SQL here: every command calls the facade.
"""

from tierwise.cli import (  # noqa: F401  (each registers its commands)
    approvals,
    credit,
    customers,
    digest,
    doctor,
    history,
    jobs,
    pool,
    reports,
    schemes,
    tasks,
    web,
    workload,
)
from tierwise.cli.main import app, main

__all__ = ["app", "main"]
