"""Progress and cancellation of the job running in this thread, reachable from any layer.

A long operation (classify, an import, a report) calls :func:`report` between its steps, with
the step's :class:`Message` in English and Chinese (each viewer of the job reads their own
language); when no job is running that costs one context lookup. A job (``tierwise.services.jobs``) installs
a :class:`Reporter` with :func:`reporting`: each report updates the job's progress, and
raises :class:`~tierwise.errors.Cancelled` once the job was cancelled, so the operation stops
at a step boundary and its transaction rolls back.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import overload

from tierwise.errors import Cancelled


@dataclass(frozen=True)
class Message:
    """A progress message in both languages: the job stores both, each reader sees theirs."""

    en: str
    zh: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def stored(self) -> str:
        """As the ``jobs.message`` column keeps it (JSON), read back by :meth:`parse`."""
        return json.dumps({"en": self.en, "zh": self.zh}, ensure_ascii=False)

    @classmethod
    def parse(cls, stored: str | None) -> Message | None:
        """A stored message: JSON ``{"en", "zh"}``, or a row written before messages had two
        languages (``"english / 中文"``, or one text for both)."""
        if not stored:
            return None
        if stored.startswith("{"):
            try:
                found = json.loads(stored)
                return cls(str(found["en"]), str(found.get("zh") or found["en"]))
            except (ValueError, KeyError, TypeError):
                pass
        en, sep, zh = stored.partition(" / ")
        return cls(en, zh) if sep and zh else cls(stored, stored)


class Reporter:
    """Where a job's progress goes, and whether it was asked to stop.

    Parameters
    ----------
    on_progress
        Called with the fraction done (0..1, or ``None`` when unknown) and the step's message.
    """

    def __init__(self, on_progress: Callable[[float | None, Message], None] | None = None) -> None:
        self.on_progress = on_progress
        self.cancelled = threading.Event()
        self.interrupts: list[Callable[[], None]] = []

    def step(self, fraction: float | None, message: Message) -> None:
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


@overload
def report(fraction: float | None, en: Message) -> None: ...
@overload
def report(fraction: float | None, en: str, zh: str) -> None: ...
def report(fraction: float | None, en: str | Message, zh: str | None = None) -> None:
    """Tell the running job how far it is (raises Cancelled when it was cancelled).

    Parameters
    ----------
    fraction
        How much is done, 0 to 1 (``None``: not known).
    en, zh
        The step in English and in Chinese; or ``en`` a whole :class:`Message` (the
        importer's steps come as one) and no ``zh``.
    """
    if not isinstance(en, Message) and zh is None:
        raise TypeError("report(): a message needs its Chinese too (zh)")
    reporter = _current.get()
    if reporter is not None:
        reporter.step(fraction, en if isinstance(en, Message) else Message(en, zh or en))


def check() -> None:
    """Raise Cancelled when the running job was cancelled."""
    reporter = _current.get()
    if reporter is not None:
        reporter.check()
