"""Named fault points, so tests can kill or break a run at an exact step.

Set ``TIERWISE_FAULT=<point>:kill`` (SIGKILL the process), ``<point>:raise``, or
``<point>:pause`` (wait there until the running job is cancelled). Unset, a
checkpoint costs one environment lookup. Used only by tests of crash safety.
"""

from __future__ import annotations

import os
import signal


def checkpoint(point: str) -> None:
    """Die or raise here when ``TIERWISE_FAULT`` names this point."""
    spec = os.environ.get("TIERWISE_FAULT")
    if not spec or not spec.startswith(point + ":"):
        return
    if spec.endswith(":kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if spec.endswith(":pause"):  # hold here (up to 60 s) until the running job is cancelled
        import time

        from tierwise import progress

        for _ in range(1200):
            progress.check()
            time.sleep(0.05)
    raise RuntimeError(f"fault injected at {point}")
