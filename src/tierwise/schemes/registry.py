"""Where schemes come from: the built-in presets and the workspace's ``schemes/`` folder.

A user scheme with a preset's name overrides the preset. ``--scheme`` takes a name or a
path to a YAML file. :func:`availability` says whether the workspace holds the data a
scheme reads, and if not, which columns it needs.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError
from tierwise.metrics import catalog
from tierwise.schemes import spec as sp
from tierwise.schemes.compiler import needed_columns

if TYPE_CHECKING:
    from tierwise.store.database import Database

PRESET_PACKAGE = "tierwise.schemes.presets"


@dataclass(frozen=True)
class SchemeFile:
    """A scheme's text and where it lives (``preset`` or a path)."""

    name: str
    text: str
    origin: str
    is_preset: bool

    def spec(self) -> sp.SchemeSpec:
        return sp.load_stored(self.text, self.origin)


def presets() -> dict[str, SchemeFile]:
    """The built-in presets by name, in file order (M1, M2, ...)."""
    return dict(_presets())


@functools.cache
def _presets() -> dict[str, SchemeFile]:
    """The presets read once: they ship with the package (every page of the server read the 19
    files again)."""
    out: dict[str, SchemeFile] = {}
    folder = resources.files(PRESET_PACKAGE)
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            name = item.name.split("-", 1)[-1].removesuffix(".yaml")
            out[name] = SchemeFile(name, item.read_text(encoding="utf-8"), f"preset {name}", True)
    return out


def user_folder(db: Path) -> Path:
    """The workspace's own schemes, next to its database file."""
    return Path(db).resolve().parent / "schemes"


def user_schemes(db: Path) -> dict[str, SchemeFile]:
    folder = user_folder(db)
    out: dict[str, SchemeFile] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.y*ml")):
            out[path.stem] = SchemeFile(path.stem, path.read_text(encoding="utf-8"), str(path), False)
    return out


def all_schemes(db: Path) -> dict[str, SchemeFile]:
    """Presets, overridden by (and followed by) the workspace's schemes of the same name."""
    out = presets()
    out.update(user_schemes(db))
    return out


def resolve(name_or_path: str, db: Path) -> SchemeFile:
    """The scheme called ``name_or_path``, or the YAML file at that path."""
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise ConfigError(f"{path}: no such scheme file")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text; save the scheme file as UTF-8") from None
        return SchemeFile(path.stem, text, str(path), False)
    known = all_schemes(db)
    if name_or_path in known:
        return known[name_or_path]
    close = difflib.get_close_matches(name_or_path, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ConfigError(f"no scheme called {name_or_path!r}{hint}: `tierwise schemes list` shows them")


@dataclass(frozen=True)
class Availability:
    """Whether a scheme can run on a workspace's data."""

    present: bool
    missing: tuple[str, ...] = ()  # table.column it needs
    partial: tuple[str, ...] = ()  # optional columns absent (their rules are skipped)

    def describe(self, lang: str = "en") -> str:
        if not self.present:
            return ("needs " if lang == "en" else "缺少 ") + ", ".join(self.missing)
        if self.partial:
            return ("yes; without " if lang == "en" else "可用；缺少 ") + ", ".join(self.partial)
        return "yes" if lang == "en" else "可用"


def availability(spec: sp.SchemeSpec, attributes: set[str], filled: set[str]) -> Availability:
    """Check ``spec`` against the customer ``attributes`` the workspace has and the
    ``table.column`` names that hold at least one value (``filled``)."""
    required, optional = needed_columns(spec, catalog.NAMES)
    missing = [f"customers.{n}" for n in required if n not in attributes]
    missing += [r for r in spec.requires if r not in filled]
    partial = [f"customers.{n}" for n in optional if n not in attributes]
    return Availability(not missing, tuple(missing), tuple(partial))


def catalog_rows(db: Path, ws: Database | None, lang: str = "en") -> list[dict[str, Any]]:
    """Every scheme (presets and the workspace's ``schemes/`` folder) with its kind, title,
    origin, roles and whether ``ws`` holds its data (None without a workspace)."""
    from tierwise.schemes.classify import attribute_types, filled_columns

    files = all_schemes(db)
    specs = {n: f.spec() for n, f in files.items()}
    attrs = set(attribute_types(ws)) if ws else set()
    filled = filled_columns(ws, {r for s in specs.values() for r in s.requires}) if ws else set()
    rows: list[dict[str, Any]] = []
    no_ws = "no workspace" if lang == "en" else "无工作区"
    for name, spec in specs.items():
        avail = availability(spec, attrs, filled) if ws else None
        rows.append({"name": name, "method": spec.method, "kind": spec.kind, "title": spec.title.get(lang),
                     "origin": "preset" if files[name].is_preset else files[name].origin,
                     "classes": [{"id": c.id, "label": c.label.get(lang)} for c in spec.classes],
                     "roles": list(spec.roles),
                     "data_present": avail.present if avail else None,
                     "data": avail.describe(lang) if avail else no_ws,
                     "missing": list(avail.missing) if avail else []})
    return rows
