"""Dashboards ready before anyone asks: while the server runs, the dashboard of each person who
can sign in is computed when the server starts and again whenever the stored data changes (a
classification, an override, an import, an attribute set by hand) or the people do, so that
nobody's first click after a restart or the monthly evaluation waits seconds for the tier mix
of 19 schemes over a million customers (see :mod:`tierwise.services.dashboard`).

Scopes are warmed once each (the company, each manager's department, each rep's customers) in
each language their people read, the widest first: they take longest to compute on demand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from tierwise.access.users import User, list_users
from tierwise.schemes import facts
from tierwise.services.dashboard import opened_recently, warming

if TYPE_CHECKING:
    from tierwise.workspace import Workspace

log = logging.getLogger("tierwise.web")


class Warmer:
    """Every ``every`` seconds, checks the data version and the people; when either changed,
    computes each person's dashboard once (the results are kept by the dashboard's own caches)."""

    def __init__(self, fork: Callable[[], AbstractContextManager[Workspace]], lang: str, *,
                 show: Callable[[Workspace, str], Any] | None = None, every: float = 5.0) -> None:
        self.fork = fork  # a workspace over its own cursor, interrupted when the server stops
        self.lang = lang
        # what a person's dashboard computes (the page: the dashboard and its charts)
        self.show = show or (lambda ws, lang: ws.reports.dashboard(lang=lang))
        self.every = every
        self.warmed: tuple[Any, ...] | None = None  # the version and people last warmed
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="tierwise-warm", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def _loop(self) -> None:
        wait = 0.0
        while not self.stopped.wait(wait):
            wait = self.every
            try:
                self.tick()
            except Exception:  # a stop interrupts a query; anything else is logged, tried again later
                if not self.stopped.is_set():
                    log.exception("warming the dashboards failed")

    def tick(self) -> int:
        """Warm the dashboards if the data or the people changed; how many were computed."""
        with self.fork() as ws:
            people = [u for u in list_users(ws.db) if not u.disabled]
            now = (facts.version(ws.db.con),
                   tuple(sorted((u.role, u.department or "", u.rep_id or "", u.lang or "") for u in people)))
            if now == self.warmed:
                self._count_ahead(ws, people)
                return 0
            done, start = 0, time.perf_counter()
            for actor in self._actors(people):
                if self.stopped.is_set():
                    return done
                with contextlib.suppress(Exception), warming():  # one scope must not stop the others'
                    self.show(ws.acting_as(actor), actor.lang or self.lang)
                    done += 1
            self.warmed = now
            took = time.perf_counter() - start
            log.info(f"dashboards ready: {done} computed in {took:.1f} s" if self.lang == "en"
                     else f"概览已备好：{done} 个，用时 {took:.1f} 秒")
            return done

    def _count_ahead(self, ws: Workspace, people: list[User]) -> None:
        """The task counts of the wide scopes people have open (the company's, a department's)
        counted again shortly before they expire, here instead of in somebody's click
        (:func:`tierwise.services.dashboard.warming`); a rep's are mended as they change."""
        path = str(ws.db.path)
        with warming(ahead=2 * self.every):
            for actor in self._actors(people):
                if self.stopped.is_set():
                    return
                # a scope nobody has open costs nothing (each look would read the figures again)
                if actor.role != "rep" and opened_recently(path, actor.scope):
                    with contextlib.suppress(Exception):
                        self.show(ws.acting_as(actor), actor.lang or self.lang)

    def _actors(self, people: list[User]) -> list[User]:
        """One person per scope and language: the company first, then departments, then reps."""
        seen: set[tuple[Any, str]] = set()
        out: list[User] = []
        everyone = [User("warm", "admin", lang=self.lang)]
        people = [p if p.lang else dataclasses.replace(p, lang=self.lang) for p in people]  # not chosen yet
        for actor in sorted([*everyone, *people], key=lambda u: (u.role == "manager", u.role == "rep")):
            if actor.role not in ("admin", "viewer", "manager", "rep"):
                continue
            key = (actor.scope, actor.lang or self.lang)
            if key not in seen:
                seen.add(key)
                out.append(actor)
        return out
