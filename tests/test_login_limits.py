"""Failed sign-ins slow the one trying down and lock nobody out: by (name, address) with a
doubling wait, by address for an office's worth of failures, never by name alone."""

from __future__ import annotations

import pytest

from tierwise.web.session import (
    BACKOFF,
    FREE_FAILURES,
    MAX_BACKOFF,
    MAX_FAILURES_PER_ADDRESS,
    LoginLimiter,
    RateLimited,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_guesser_waits_longer_each_time_and_the_owner_elsewhere_signs_in() -> None:
    clock = Clock()
    limits = LoginLimiter(clock=clock)
    for _ in range(FREE_FAILURES):
        limits.check("admin", "203.0.113.9")
        limits.fail("admin", "203.0.113.9")
    with pytest.raises(RateLimited, match="try again in 31 seconds"):
        limits.check("ADMIN", "203.0.113.9")  # the name as typed, any case
    limits.check("admin", "10.0.0.5")  # the admin at the office is not locked out
    clock.now += BACKOFF + 1
    limits.check("admin", "203.0.113.9")  # waited: one more try
    limits.fail("admin", "203.0.113.9")
    assert limits.wait("admin", "203.0.113.9") == pytest.approx(2 * BACKOFF)  # then twice as long
    for _ in range(10):
        limits.fail("admin", "203.0.113.9")
    assert limits.wait("admin", "203.0.113.9") == pytest.approx(MAX_BACKOFF)  # up to the cap
    clock.now += 10_000  # failures older than the window no longer count
    assert limits.wait("admin", "203.0.113.9") == 0
    limits.fail("admin", "203.0.113.9")
    limits.succeed("admin", "203.0.113.9")
    assert limits.wait("admin", "203.0.113.9") == 0


def test_an_address_trying_many_names_waits_but_its_neighbours_do_not() -> None:
    clock = Clock()
    limits = LoginLimiter(clock=clock)
    for i in range(MAX_FAILURES_PER_ADDRESS):
        limits.fail(f"user{i}", "198.51.100.7")
    with pytest.raises(RateLimited, match="too many failed sign-ins"):
        limits.check("someone-new", "198.51.100.7")
    limits.check("someone-new", "198.51.100.8")
    with pytest.raises(RateLimited, match="登录失败次数过多"):
        limits.check("user1", "198.51.100.7")
