"""Signing in to the pages: session cookies, CSRF tokens and login rate limiting.

- The session cookie (``tw_session``) is random, HttpOnly and SameSite=Lax (Secure when the
  request came over HTTPS); the workspace keeps only its hash (:mod:`tierwise.access.users`).
- Every form that changes something carries the session's CSRF token (``csrf`` field), checked
  here; the login form, before there is a session, uses a double-submit cookie (``tw_pre``).
- Failed sign-ins slow down the one trying, without locking anyone out: after
  :data:`FREE_FAILURES` failures of one name from one address within :data:`WINDOW` seconds,
  that pair waits :data:`BACKOFF` seconds after its latest failure, doubling with each further
  one up to :data:`MAX_BACKOFF`; an address with :data:`MAX_FAILURES_PER_ADDRESS` failures
  (any names: an office shares one) waits the same way. A name alone is never locked: someone
  elsewhere guessing the admin's password does not keep the admin out. The address is the
  connection's unless the settings name the proxy in front (``trusted_proxies``).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request, Response

from tierwise.errors import TierwiseError

SESSION_COOKIE = "tw_session"
PRE_COOKIE = "tw_pre"
FREE_FAILURES = 5  # failures of one name from one address before it waits
MAX_FAILURES_PER_ADDRESS = 30  # failures from one address (an office shares one) before it waits
BACKOFF = 30.0  # seconds the first wait lasts; each further failure doubles it
MAX_BACKOFF = 900.0
WINDOW = 600.0  # seconds a failure counts for


class CsrfError(TierwiseError):
    """A form without the right CSRF token (an old page, or another site posting)."""


class RateLimited(TierwiseError):
    """Too many failed sign-ins."""


@dataclass
class LoginLimiter:
    """Failed sign-ins per (name, address) and per address, in a sliding window (in memory: a
    restart forgets them, which only ever allows more attempts, never fewer). ``clock``: the
    time in seconds (tests pass their own)."""

    window: float = WINDOW
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._failures: dict[tuple[str, ...], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, ...], now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        if not q:
            del self._failures[key]  # memory bounded by the failures of the last window
            return deque()
        return q

    def wait(self, name: str, address: str) -> float:
        """Seconds ``name`` must wait before signing in from ``address`` again (0: now)."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            pair, alone = ((_fold(name), address), FREE_FAILURES), ((address,), MAX_FAILURES_PER_ADDRESS)
            for key, free in (pair, alone):
                q = self._recent(key, now)
                if len(q) >= free:
                    pause = min(BACKOFF * 2 ** (len(q) - free), MAX_BACKOFF)
                    longest = max(longest, q[-1] + pause - now)
        return max(longest, 0.0)

    def check(self, name: str, address: str) -> None:
        """Raise :class:`RateLimited` while ``name`` from ``address`` must wait."""
        wait = self.wait(name, address)
        if wait > 0:
            seconds = int(wait) + 1
            en = f"{seconds} seconds" if seconds < 120 else f"{seconds // 60 + 1} minutes"
            zh = f"{seconds} 秒" if seconds < 120 else f"{seconds // 60 + 1} 分钟"
            raise RateLimited(f"too many failed sign-ins: try again in {en} / "
                              f"登录失败次数过多，请 {zh}后再试")

    def fail(self, name: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in ((_fold(name), address), (address,)):
                q = self._failures.setdefault(key, deque())
                q.append(now)

    def succeed(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop((_fold(name), address), None)


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().lower()


def set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def pre_token(request: Request, response: Response | None = None) -> str:
    """The login form's CSRF token: the ``tw_pre`` cookie's value (made when missing)."""
    token = request.cookies.get(PRE_COOKIE) or getattr(request.state, "new_pre", None)
    if not token:
        token = secrets.token_urlsafe(24)
        request.state.new_pre = token
    if response is not None and getattr(request.state, "new_pre", None):
        set_cookie(response, request, PRE_COOKIE, request.state.new_pre, max_age=3600)
    return token


def check_csrf(expected: str | None, sent: str | None) -> None:
    """Raise :class:`CsrfError` unless ``sent`` is ``expected`` (compared in constant time)."""
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise CsrfError(
            "the form expired or came from another site: reload the page and try again / "
            "表单已过期，请刷新页面后重试"
        )
