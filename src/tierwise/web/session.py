"""Signing in to the pages: session cookies, CSRF tokens and login rate limiting.

- The session cookie (``tw_session``) is random, HttpOnly and SameSite=Lax (Secure when the
  request came over HTTPS); the workspace keeps only its hash (:mod:`tierwise.access.users`).
- Every form that changes something carries the session's CSRF token (``csrf`` field), checked
  here; the login form, before there is a session, uses a double-submit cookie (``tw_pre``).
- After :data:`MAX_FAILURES` failed sign-ins for one name (or :data:`MAX_FAILURES_PER_ADDRESS`
  from one address) within :data:`WINDOW` seconds, further attempts are refused until the
  oldest failure leaves the window.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from fastapi import Request, Response

from tierwise.errors import TierwiseError

SESSION_COOKIE = "tw_session"
PRE_COOKIE = "tw_pre"
MAX_FAILURES = 5  # per user name
MAX_FAILURES_PER_ADDRESS = 30  # per client address (an office shares one)
WINDOW = 600.0  # seconds


class CsrfError(TierwiseError):
    """A form without the right CSRF token (an old page, or another site posting)."""


class RateLimited(TierwiseError):
    """Too many failed sign-ins."""


@dataclass
class LoginLimiter:
    """Failed sign-ins per name and per client address, in a sliding window (in memory: a
    restart forgets them, which only ever allows more attempts, never fewer)."""

    max_failures: int = MAX_FAILURES
    window: float = WINDOW

    def __post_init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def check(self, *keys: str) -> None:
        """Raise :class:`RateLimited` when any of ``keys`` has too many recent failures."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                q = self._recent(key, now)
                limit = MAX_FAILURES_PER_ADDRESS if key.startswith("ip:") else self.max_failures
                if len(q) >= limit:
                    wait = int(self.window - (now - q[0])) + 1
                    raise RateLimited(
                        f"too many failed sign-ins: try again in {wait // 60 + 1} minutes / "
                        f"登录失败次数过多，请 {wait // 60 + 1} 分钟后再试"
                    )

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeed(self, name_key: str) -> None:
        with self._lock:
            self._failures.pop(name_key, None)


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
