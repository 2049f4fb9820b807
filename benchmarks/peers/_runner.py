"""What every runner shares: the command line, phase timings and the JSON line it prints last.

Standard library only: the runners run in the peers' own virtualenvs, where neither tierwise
nor the benchmark's modules are installed. (``python peers/run_x.py`` puts this directory on
``sys.path``, so ``import _runner`` works from any of them.)
"""

from __future__ import annotations

import json
import os
import sys
import time
from importlib import metadata


class Run:
    """Times the phases of one runner and reports them, with versions, as one JSON line."""

    def __init__(self, tool: str, *packages: str) -> None:
        self.start = self._last = time.perf_counter()
        self.tool = tool
        self.packages = packages
        self.phases: dict[str, float] = {}
        if len(sys.argv) != 3:
            sys.exit(f"usage: python {sys.argv[0]} INPUT.parquet OUTPUT.parquet")
        self.input, self.output = sys.argv[1], sys.argv[2]

    def phase(self, name: str) -> None:
        """Close the phase called ``name``: the time since the previous call (or the start)."""
        now = time.perf_counter()
        self.phases[name] = round(now - self._last, 3)
        self._last = now

    def done(self, customers: int, **extra: object) -> None:
        """Print the report: tool, versions, phases (seconds), CPU seconds, customers, extras."""
        versions = {}
        for package in self.packages:
            try:
                versions[package] = metadata.version(package)
            except metadata.PackageNotFoundError:
                versions[package] = "?"
        versions["python"] = sys.version.split()[0]
        cpu = sum(os.times()[:2])  # user + system time of all this process's threads
        print(json.dumps({"tool": self.tool, "versions": versions, "phases": self.phases,
                          "cpu_seconds": round(cpu, 2), "customers": customers, **extra}))
