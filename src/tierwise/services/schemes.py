"""Classification schemes: the presets and the workspace's own ``schemes/`` folder; reading,
checking, copying and saving them (checked with the same parser and compiler everywhere)."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError, NotFoundError
from tierwise.schemes.facts import current_snapshots, version
from tierwise.services.base import Service, checked_text, operation
from tierwise.services.list_sql import SqlCache
from tierwise.store.audit import record

if TYPE_CHECKING:
    from pathlib import Path

    from tierwise.schemes.registry import SchemeFile

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
CATALOG: SqlCache[list[dict[str, Any]]] = SqlCache(16)  # scheme lists, by texts, language and data version


class Schemes(Service):
    """The schemes of this workspace."""

    @operation(cli="schemes list", api="GET /api/schemes")
    def list(self, *, lang: str | None = None) -> list[dict[str, Any]]:
        """Every scheme, its method, whether the data has what it reads, and its current snapshot."""
        from tierwise.schemes.registry import all_schemes, catalog_rows

        self._require("schemes.read")
        lang = self._lang(lang)
        # what the rows depend on: the scheme texts, the data (its columns and which are filled)
        key = (str(self.db.path), lang, tuple((n, f.text) for n, f in all_schemes(self.db.path).items()),
               version(self.db.con))
        kept = CATALOG.get(key)
        rows = [dict(r) for r in kept] if kept is not None else catalog_rows(self.db.path, self.db, lang)
        if kept is None:
            CATALOG.put(key, [dict(r) for r in rows])
        latest = current_snapshots(self.db.con)
        for r in rows:
            r["snapshot_id"] = latest.get(r["name"])
        return rows

    def _file(self, name: str) -> SchemeFile:
        """The scheme called ``name`` (a preset, or the workspace's file of that name). Only
        names: a path would read any file the server can (front ends read local files)."""
        from tierwise.schemes import registry

        checked_text(name=name)
        known = registry.all_schemes(self.db.path)
        if name in known:
            return known[name]
        close = difflib.get_close_matches(name, list(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise NotFoundError(f"no scheme called {name!r}{hint}: `tierwise schemes list` shows them / "
                            f"没有方案 {name!r}")

    @operation(cli="schemes show", api="GET /api/schemes/{name}")
    def text(self, name: str) -> dict[str, Any]:
        """A scheme's YAML exactly as one would edit it, where it comes from, and whether it is
        the built-in preset (not the workspace's own file)."""
        self._require("schemes.read")
        file = self._file(name)
        return {"name": name, "origin": file.origin, "preset": file.is_preset, "text": file.text}

    @operation(cli="schemes validate", api="POST /api/schemes/{name}/check")
    def check(self, name: str | None, text: str, *, origin: str | None = None) -> dict[str, Any]:
        """Validate a scheme's YAML ``text``: its shape, then its columns against the workspace. A
        ConfigError names the field (after ``origin``, default ``schemes/NAME.yaml``) and how to
        fix it. With ``name``, the text must keep that name (an edit, not a new scheme)."""
        from tierwise.schemes import spec as sp
        from tierwise.schemes.classify import columns_for
        from tierwise.schemes.compiler import CHECK_SECONDS, compile_scheme

        self._require("schemes.read")
        origin = origin or f"schemes/{name}.yaml"
        spec = sp.load_text(text, origin)
        if name is not None and spec.name != name:
            raise ConfigError(
                f"{origin}: name: {spec.name!r} differs from the scheme being edited ({name!r}); keep "
                f"name: {name} or start a new scheme with `tierwise schemes new` / 方案名不能修改"
            )
        scheme = compile_scheme(spec, text, origin, columns_for(self.db), seconds=CHECK_SECONDS)
        return {"name": spec.name, "kind": spec.kind, "classes": len(spec.classes),
                "notes": list(scheme.notes)}

    @operation(cli="schemes save", api="PUT /api/schemes/{name}")
    def save(self, name: str, text: str) -> dict[str, Any]:
        """Check, then save the scheme into the workspace's ``schemes/`` folder (admins). Audited.
        In the server a re-evaluation of it is queued at once (``reevaluation``: the job); at
        the shell it applies from the next classification."""
        from tierwise.schemes import registry

        self._require("schemes.save")
        _check_name(name)
        result = self.check(name, text)
        target = registry.user_folder(self.db.path) / f"{name}.yaml"
        existed = target.exists()
        self._write(target, text)
        self._audit(name, "scheme.change" if existed else "scheme.create", f"saved {target.name}",
                    f"{result['kind']}, {result['classes']} classes")
        # in the server, the scheme is re-evaluated at once (a job); at the shell, by `classify`
        return {**result, "path": str(target), "reevaluation": self._ws.jobs._queue("classify", [name])}

    @operation(cli="schemes new", api="POST /api/schemes/{name}/copy")
    def new(self, name: str, from_: str, *, force: bool = False) -> dict[str, Any]:
        """Copy the scheme ``from_`` (a preset or the workspace's scheme) into the workspace's
        ``schemes/`` folder as ``name``, for editing (admins); a file of that name overrides the
        preset of the same name from the next classification. An existing file is kept unless
        ``force``. Audited."""
        from tierwise.schemes import registry

        self._require("schemes.save")
        _check_name(name)
        if "/" in from_ or "\\" in from_ or from_.lower().endswith((".yaml", ".yml")):
            raise ConfigError(f"--from {from_!r}: name a preset or scheme (`tierwise schemes list`); to "
                              f"add a YAML file use `tierwise schemes save NAME FILE` / "
                              f"请写方案名，文件请用 schemes save")
        source = self._file(from_)
        target = registry.user_folder(self.db.path) / f"{name}.yaml"
        existed = target.exists()
        if existed and not force:
            raise ConfigError(f"{target} exists: edit it, or pass --force to overwrite / "
                              f"文件已存在：{target}")
        text, count = re.subn(r"(?m)^name:\s*\S+", f"name: {name}", source.text, count=1)
        if not count:
            text = f"name: {name}\n" + text
        self._write(target, text)
        origin = "preset" if source.is_preset else source.origin
        self._audit(name, "scheme.change" if existed else "scheme.create", f"copied {from_} ({origin})",
                    f"{target.name}")
        return {"name": name, "from": from_, "path": str(target)}

    @staticmethod
    def _write(target: Path, text: str) -> None:
        """Write ``text`` to ``target`` whole or not at all (beside it, then renamed)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.partial")
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        tmp.replace(target)

    def _audit(self, name: str, action: str, subject: str, new: str) -> None:
        with self.db.transaction() as con:
            record(con, actor=self.actor.name, action=action, scheme=name, subject=subject, new=new)


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise ConfigError(f"scheme name {name!r}: use lower-case letters, digits and _, starting with a "
                          f"letter / 方案名只能用小写字母、数字和下划线")
