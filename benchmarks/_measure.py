"""Measuring one command in a child process: wall time and that child's own peak memory.

Peak memory comes from ``os.wait4``, which returns the resource usage of exactly the child
it reaps (``ru_maxrss``: the largest resident set the process ever had). Unlike polling with
psutil it cannot miss a short spike, and unlike ``RUSAGE_CHILDREN`` it is not the maximum over
every child this process has reaped so far. It covers the child process itself, not any
grandchildren it starts; the commands measured here do their work in-process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

# ru_maxrss is in kibibytes on Linux and the BSDs, but in bytes on macOS.
_MAXRSS_PER_MIB = 1024 * 1024 if sys.platform == "darwin" else 1024


@dataclass(frozen=True)
class Measurement:
    """What one run of a command cost and what it printed."""

    seconds: float  # wall time from starting the child to reaping it
    peak_mib: float  # the child's peak resident set size, MiB
    stdout: str
    stderr: str
    returncode: int  # negative: killed by that signal

    @property
    def ok(self) -> bool:
        """Whether the command exited with status 0."""
        return self.returncode == 0


def measure(
    cmd: Sequence[str], env: Mapping[str, str] | None = None, cwd: str | None = None
) -> Measurement:
    """Run ``cmd`` once in a fresh child process and measure its wall time and peak RSS.

    Output goes to temporary files rather than pipes, so the child never blocks on a full
    pipe while this process sits in ``wait4``; it is read back once the child has exited.
    ``env`` replaces the environment when given (pass ``{**os.environ, ...}`` to extend it).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            env=dict(env) if env is not None else None, cwd=cwd,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        returncode = os.waitstatus_to_exitcode(status)
        proc.returncode = returncode  # reaped here; tell Popen so it does not wait again
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    return Measurement(seconds, usage.ru_maxrss / _MAXRSS_PER_MIB, stdout, stderr, returncode)


def fastest(runs: Sequence[Measurement]) -> Measurement:
    """The run to report from repeats: the fastest, carrying the highest peak of them all.

    Time is noisy only upwards (other load, cold caches), so the minimum is the best estimate;
    memory is reported conservatively as the worst seen.
    """
    best = min(runs, key=lambda run: run.seconds)
    return replace(best, peak_mib=max(run.peak_mib for run in runs))
