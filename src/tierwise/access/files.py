"""What people hand in through the web app: uploaded data files (imports) and edited scheme
files. Both go through the same code as the command line (the importer; the scheme parser
and compiler), so they answer with the same messages.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tierwise.errors import ConfigError, NotFoundError
from tierwise.store.audit import record

if TYPE_CHECKING:
    from tierwise.access.scoped import ScopedWorkspace

UPLOAD_FOLDER = "uploads"


def import_upload(
    desk: ScopedWorkspace,
    table: str,
    filename: str,
    stream: BinaryIO,
    *,
    strict: bool = False,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Keep an uploaded file beside the workspace (``uploads/``) and import it (admins).
    Returns the import summary; ``rows read = accepted + rejected``."""
    from tierwise.data.importer import ImportOptions

    desk.require("imports.run")
    name = Path(filename or "upload").name
    stem = re.sub(r"[^\w.-]+", "_", Path(name).stem)[:60] or "upload"
    folder = desk.ws.path.parent / UPLOAD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = (
        folder / f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}-{stem}{Path(name).suffix.lower()}"
    )
    with target.open("wb") as fh:
        while chunk := stream.read(1 << 20):
            fh.write(chunk)
    summary = desk.import_file(
        table, target, ImportOptions(strict=strict, dry_run=dry_run, lang=desk.user.lang, by=desk.user.name)
    )
    out = summary.to_json()
    out["file"] = name
    out["has_rejected_file"] = bool(summary.rejected_file) and summary.import_id is not None
    out.pop("rejected_file", None)
    return out


def rejected_file(desk: ScopedWorkspace, import_id: int) -> Path:
    """The rejected-rows file of an import (admins)."""
    desk.require("imports.run")
    row = desk.ws.con.execute("SELECT rejected_file FROM imports WHERE import_id = ?", [import_id]).fetchone()
    if row is None or not row[0] or not Path(row[0]).exists():
        raise NotFoundError(f"import {import_id} has no rejected rows file / 导入 {import_id} 没有被拒行文件")
    return Path(row[0])


def check_scheme(desk: ScopedWorkspace, name: str, text: str) -> dict[str, Any]:
    """Validate an edited scheme as ``tierwise schemes validate`` does: its shape, then its
    columns against the workspace. A ConfigError names the field and how to fix it."""
    from tierwise.schemes import spec as sp
    from tierwise.schemes.classify import columns_for
    from tierwise.schemes.compiler import compile_scheme

    desk.require("schemes.read")
    origin = f"schemes/{name}.yaml"
    spec = sp.load_text(text, origin)
    if spec.name != name:
        raise ConfigError(
            f"{origin}: name: {spec.name!r} differs from the scheme being edited ({name!r}); keep "
            f"name: {name} or start a new scheme with `tierwise schemes new` / 方案名不能修改"
        )
    scheme = compile_scheme(spec, text, origin, columns_for(desk.ws))
    return {"name": spec.name, "kind": spec.kind, "classes": len(spec.classes), "notes": list(scheme.notes)}


def save_scheme(desk: ScopedWorkspace, name: str, text: str) -> dict[str, Any]:
    """Check, then save the scheme into the workspace's ``schemes/`` folder (admins); it applies
    from the next classification. Audited."""
    from tierwise.schemes import registry

    desk.require("schemes.save")
    result = check_scheme(desk, name, text)
    folder = registry.user_folder(desk.ws.path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.yaml"
    existed = target.exists()
    tmp = target.with_name(f".{target.name}.partial")
    tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    tmp.replace(target)
    with desk.ws.transaction() as con:
        record(
            con,
            actor=desk.user.name,
            action="scheme.change" if existed else "scheme.create",
            scheme=name,
            subject=f"saved {target.name} from the web app",
            new=f"{result['kind']}, {result['classes']} classes",
        )
    return {**result, "path": str(target)}
