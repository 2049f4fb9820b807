"""Progress and cancellation of the job running in this thread, reachable from any layer.

A long operation (classify, an import, a report) calls :func:`report` between its steps; when
no job is running that costs one context lookup. A job (``tierwise.services.jobs``) installs
a :class:`Reporter` with :func:`reporting`: each report updates the job's progress, and
raises :class:`~tierwise.errors.Cancelled` once the job was cancelled, so the operation stops
at a step boundary and its transaction rolls back.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from tierwise.errors import Cancelled


class Reporter:
    """Where a job's progress goes, and whether it was asked to stop.

    Parameters
    ----------
    on_progress
        Called with the fraction done (0..1, or ``None`` when unknown) and a message.
    """

    def __init__(self, on_progress: Callable[[float | None, str], None] | None = None) -> None:
        self.on_progress = on_progress
        self.cancelled = threading.Event()
        self.interrupts: list[Callable[[], None]] = []

    def step(self, fraction: float | None, message: str) -> None:
        self.check()
        if self.on_progress is not None:
            self.on_progress(None if fraction is None else max(0.0, min(1.0, fraction)), message)

    def check(self) -> None:
        if self.cancelled.is_set():
            raise Cancelled("cancelled: nothing of it was kept / 已取消：未保留任何改动")

    def cancel(self) -> None:
        """Ask the job to stop: at its next step, and at once for a query it is running."""
        self.cancelled.set()
        for interrupt in list(self.interrupts):
            with contextlib.suppress(Exception):
                interrupt()


_current: ContextVar[Reporter | None] = ContextVar("tierwise_progress", default=None)


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Send this thread's :func:`report` calls to ``reporter`` inside the block."""
    token = _current.set(reporter)
    try:
        yield reporter
    finally:
        _current.reset(token)


def report(fraction: float | None, message: str) -> None:
    """Tell the running job how far it is (raises Cancelled when it was cancelled)."""
    reporter = _current.get()
    if reporter is not None:
        reporter.step(fraction, message)


def check() -> None:
    """Raise Cancelled when the running job was cancelled."""
    reporter = _current.get()
    if reporter is not None:
        reporter.check()
