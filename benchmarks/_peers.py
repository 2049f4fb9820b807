"""The peers of the metrics benchmark: their virtualenvs (pinned) and their runner scripts.

Each peer library runs in its own virtualenv under ``bench-data/venvs/<name>`` at the
repository root (git-ignored), made by :func:`ensure_venv` when missing or when its pins
changed: ``python -m venv``, then one ``pip install`` of the pinned versions below, then an
import of the library (which also warms caches such as PyTensor's, so no timed run pays for
them). A ``bench-venv.json`` written last records the pins, the Python, how long the setup
took and the complete ``pip freeze``; a venv without it (a setup that broke half-way) is
rebuilt.

The runner scripts are ``benchmarks/peers/run_<name>.py INPUT.parquet OUTPUT.parquet``; each
prints one JSON line last (tool, versions, phase seconds, customers written). The floor
(``run_floor.py``, plain DuckDB) runs in the benchmark's own environment, with the same DuckDB
that tierwise uses.

Run ``python benchmarks/_peers.py [--recreate] [NAME ...]`` to set the venvs up ahead of a
benchmark and see their pins.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
VENVS_DIR = REPO_ROOT / "bench-data" / "venvs"
RUNNERS_DIR = BENCH_DIR / "peers"
MARKER = "bench-venv.json"
PY312_ENV = "TIERWISE_BENCH_PY312"  # a Python ≥ 3.12 to use for PyMC-Marketing 1.x


@dataclass(frozen=True)
class VenvSpec:
    """How to build one peer's virtualenv."""

    name: str  # directory under bench-data/venvs
    min_python: tuple[int, int]
    pins: tuple[str, ...]  # the library and the packages that decide its speed, all pinned
    smoke: str  # Python run once after installing: must import the library
    note: str = ""  # shown with the environment in the report


# Versions found to install together and work (2026-11, x86-64 Linux, CPython 3.11/3.12).
LIFETIMES = VenvSpec(
    "lifetimes", (3, 9),
    ("lifetimes==0.11.3", "pandas==3.1.1", "numpy==2.4.6", "scipy==1.17.1", "autograd==1.9.1",
     "dill==0.4.1", "pyarrow==26.0.1"),
    "import lifetimes.utils",
    "lifetimes' last release (2020) still works with pandas 3 and NumPy 2 for this function",
)
PYMC_MARKETING_1 = VenvSpec(
    "pymc-marketing", (3, 12),
    ("pymc-marketing==1.3.0", "pymc==6.3.2", "pytensor==3.3.8", "pymc-extras==0.15.1",
     "arviz==1.3.0", "numba==0.68.0", "numpy==2.4.6", "pandas==3.1.1", "scipy==1.18.1",
     "pyarrow==26.0.1"),
    "import pymc_marketing.clv.utils",
    "PyMC-Marketing 1.x needs Python >= 3.12",
)
PYMC_MARKETING_0 = VenvSpec(
    "pymc-marketing-0", (3, 10),
    ("pymc-marketing==0.19.2", "pymc==5.28.5", "pytensor==2.38.3", "pymc-extras==0.10.0",
     "arviz==0.23.4", "numba==0.65.1", "numpy==2.4.6", "pandas==3.1.1", "scipy==1.17.1",
     "pyarrow==26.0.1"),
    "import pymc_marketing.clv.utils",
    "fallback: no Python >= 3.12 found, so the last 0.x release",
)
OPENRETAILSCIENCE = VenvSpec(
    "openretailscience", (3, 10),
    ("openretailscience==0.48.1", "ibis-framework[duckdb]==12.0.0", "duckdb==1.5.6",
     "pandas==2.3.3", "numpy==2.4.6", "pyarrow==25.0.1"),
    "import openretailscience.segmentation.rfm",
    "openretailscience 0.48 caps pandas below 3",
)


@dataclass(frozen=True)
class Peer:
    """One tool in the comparison and how to run it."""

    name: str  # the --peers name
    label: str  # shown in the table
    runner: str  # script under benchmarks/peers
    venv: tuple[VenvSpec, ...] = ()  # candidates, best first; empty: the benchmark's own Python
    cap: int | None = None  # default size cap (orders); None: every size
    cap_reason: str = ""


# pandas holds the orders as Python objects (strings, dates, Decimals): 3.4 GiB at 10M orders,
# so about 17 GiB and several minutes at 50M (an estimate, 5× the 10M figures; not measured).
PANDAS_CAP = "est. ~17 GiB at 50M, 5× its 10M peak; --cap NAME=none to try"

PEERS: dict[str, Peer] = {p.name: p for p in (
    Peer("floor", "DuckDB SQL (floor)", "run_floor.py"),
    Peer("lifetimes", "lifetimes", "run_lifetimes.py", (LIFETIMES,), 10_000_000, PANDAS_CAP),
    Peer("pymc-marketing", "pymc-marketing", "run_pymc_marketing.py",
         (PYMC_MARKETING_1, PYMC_MARKETING_0), 10_000_000, PANDAS_CAP),
    Peer("openretailscience", "openretailscience", "run_openretailscience.py", (OPENRETAILSCIENCE,)),
)}


@dataclass
class Venv:
    """A ready virtualenv, or why it could not be made."""

    spec: VenvSpec
    python: Path | None = None  # the venv's interpreter; None when setup failed
    python_version: str = ""
    setup_seconds: float | None = None  # venv + pip install + first import
    created_now: bool = False
    created_at: str = ""
    freeze: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the venv can run its runner."""
        return self.python is not None and self.error is None


def python_version(exe: str | Path) -> tuple[int, int] | None:
    """The (major, minor) version of a Python executable, or None when it does not run."""
    try:
        out = subprocess.run([str(exe), "-c", "import sys; print(*sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.stdout.split()
    if out.returncode != 0 or len(parts) != 2:
        return None
    return int(parts[0]), int(parts[1])


def find_python(minimum: tuple[int, int]) -> Path | None:
    """A Python of at least ``minimum``: this one if it is, else the oldest suitable one found.

    Looked for: ``$TIERWISE_BENCH_PY312``, pyenv's versions (``$PYENV_ROOT`` or
    ``~/.pyenv``), then ``python3.X`` on ``PATH``.
    """
    if sys.version_info[:2] >= minimum:
        return Path(sys.executable)
    candidates: list[Path] = []
    if os.environ.get(PY312_ENV):
        candidates.append(Path(os.environ[PY312_ENV]))
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv.is_dir():
        candidates += sorted(pyenv.glob("3.*/bin/python3"))
    for minor in range(minimum[1], minimum[1] + 6):
        found = shutil.which(f"python{minimum[0]}.{minor}")
        if found:
            candidates.append(Path(found))
    usable = [(v, c) for c in candidates if (v := python_version(c)) is not None and v >= minimum]
    return min(usable, key=lambda vc: vc[0])[1] if usable else None


def _bin(venv_dir: Path) -> Path:
    return venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def read_marker(venv_dir: Path) -> dict[str, object] | None:
    """The setup record of a venv, or None."""
    try:
        data = json.loads((venv_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def ensure_venv(spec: VenvSpec, base_python: Path, recreate: bool = False, log=print) -> Venv:
    """The venv for ``spec``, built with ``base_python`` unless an up-to-date one exists."""
    venv_dir = VENVS_DIR / spec.name
    marker = read_marker(venv_dir)
    result = Venv(spec)
    if (not recreate and marker is not None and marker.get("pins") == list(spec.pins)
            and _bin(venv_dir).exists()):
        result.python = _bin(venv_dir)
        result.python_version = str(marker.get("python", ""))
        seconds = marker.get("setup_seconds")
        result.setup_seconds = float(seconds) if isinstance(seconds, int | float) else None
        result.created_at = str(marker.get("created", ""))
        freeze = marker.get("freeze")
        result.freeze = [str(x) for x in freeze] if isinstance(freeze, list) else []
        return result
    log(f"  setting up {venv_dir} ({' '.join(spec.pins)}) …")
    if venv_dir.exists():
        shutil.rmtree(venv_dir)
    VENVS_DIR.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    steps = [
        [str(base_python), "-m", "venv", str(venv_dir)],
        [str(_bin(venv_dir)), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
         "--progress-bar", "off", *spec.pins],
        [str(_bin(venv_dir)), "-c", spec.smoke],
    ]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, check=False,
                              stdin=subprocess.DEVNULL)
        with (VENVS_DIR / f"{spec.name}.setup.log").open("a", encoding="utf-8") as setup_log:
            setup_log.write(f"$ {' '.join(step)}\n{proc.stdout}\n{proc.stderr}\n")
        if proc.returncode != 0:
            tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
            result.error = f"`{' '.join(step[:4])} …` exited {proc.returncode}:\n{tail}"
            return result
    result.setup_seconds = time.perf_counter() - start
    freeze = subprocess.run([str(_bin(venv_dir)), "-m", "pip", "freeze", "--disable-pip-version-check"],
                            capture_output=True, text=True, check=False).stdout.split()
    version = subprocess.run([str(_bin(venv_dir)), "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True, check=False).stdout.strip()
    result.python, result.python_version, result.freeze = _bin(venv_dir), version, freeze
    result.created_now, result.created_at = True, f"{datetime.now():%Y-%m-%d %H:%M}"
    (venv_dir / MARKER).write_text(json.dumps({
        "name": spec.name, "pins": list(spec.pins), "python": version,
        "setup_seconds": round(result.setup_seconds, 1), "created": result.created_at,
        "freeze": freeze,
    }, indent=1) + "\n", encoding="utf-8")
    return result


def venv_for(peer: Peer, recreate: bool = False, log=print) -> Venv | None:
    """The virtualenv to run ``peer`` in: its first spec for which a Python is found.

    None for a peer that runs in the benchmark's own environment (the floor).
    """
    if not peer.venv:
        return None
    for spec in peer.venv:
        base = find_python(spec.min_python)
        if base is not None:
            return ensure_venv(spec, base, recreate, log)
    spec = peer.venv[-1]
    wanted = ".".join(map(str, spec.min_python))
    return Venv(spec, error=f"no Python >= {wanted} found (set {PY312_ENV} or install one)")


def runner_command(peer: Peer, venv: Venv | None, source: Path, target: Path) -> list[str]:
    """The command that runs ``peer`` from ``source`` into ``target``."""
    python = venv.python if venv is not None and venv.python is not None else Path(sys.executable)
    return [str(python), str(RUNNERS_DIR / peer.runner), str(source), str(target)]


def main(argv: list[str] | None = None) -> None:
    """Set up the peers' venvs (all, or those named) and print what they hold."""
    import argparse

    parser = argparse.ArgumentParser(description="Set up the metrics benchmark's peer venvs.")
    parser.add_argument("names", nargs="*", help=f"peers (default all: {', '.join(PEERS)})")
    parser.add_argument("--recreate", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)
    for name in args.names or list(PEERS):
        peer = PEERS[name]
        venv = venv_for(peer, args.recreate)
        if venv is None:
            print(f"{name}: runs in this environment ({sys.executable})")
        elif not venv.ok:
            print(f"{name}: FAILED: {venv.error}")
        else:
            how = "created now" if venv.created_now else f"reused (created {venv.created_at})"
            print(f"{name}: {venv.python} Python {venv.python_version}, {how}, setup "
                  f"{venv.setup_seconds or 0:.0f} s\n  pins: {' '.join(venv.spec.pins)}\n"
                  f"  freeze: {' '.join(venv.freeze)}")


if __name__ == "__main__":
    main()
