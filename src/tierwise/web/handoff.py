"""The server file and the signatures of commands that go through a running server (see
:mod:`tierwise.web.local`); kept free of FastAPI so that every command can look for a server
without paying for the web app's imports."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import pickle
import secrets
import time
from pathlib import Path
from typing import Any

from tierwise import __version__
from tierwise.errors import WorkspaceError
from tierwise.settings import Settings

MEDIA = "application/x-tierwise-pickle"
SIGNATURE = "X-Tierwise-Signature"
MAX_SKEW = 120  # seconds a signed body stays valid
MAX_BODY = 8 << 20  # bytes of a command's request: arguments and options, never a file's content


def server_file(settings: Settings) -> Path:
    """Where a running server announces itself: beside the workspace file."""
    db = Path(settings.db).resolve()
    return db.with_name(db.name + ".server.json")


def announce(settings: Settings, host: str, port: int) -> str:
    """Write the server file (owner-only) and answer the secret it holds."""
    secret = secrets.token_hex(32)
    here = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    if ":" in here and not here.startswith("["):
        here = f"[{here}]"
    from tierwise.settings import currency

    body = {"url": f"http://{here}:{port}", "pid": os.getpid(), "secret": secret, "version": __version__,
            "workspace": str(Path(settings.db).resolve()), "currency": currency()}
    path = server_file(settings)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(body, fh)
    tmp.replace(path)
    return secret


def withdraw(settings: Settings) -> None:
    """Remove the server file, when it is this process's."""
    path = server_file(settings)
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()


def running(settings: Settings) -> dict[str, Any] | None:
    """The server file of a live server on this workspace, else None (a stale file of a
    server that died is removed)."""
    path = server_file(settings)
    try:
        found = json.loads(path.read_text())
        pid = int(found["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    except PermissionError:  # alive, another user's: not ours to use
        return None
    return dict(found)


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def pack(secret: str, value: Any) -> tuple[bytes, str]:
    """``value`` as a signed body: (body, signature)."""
    body = pickle.dumps({"at": time.time(), "version": __version__, "value": value})
    return body, sign(secret, body)


def unpack(secret: str, body: bytes, signature: str | None) -> Any:
    """The value of a signed body; WorkspaceError when the signature, age or version is wrong."""
    if not signature or not hmac.compare_digest(sign(secret, body), signature):
        raise WorkspaceError("the local server's answer is not signed with its secret / 本地服务器签名不符")
    found = pickle.loads(body)  # verified above: signed by this workspace's owner
    if found.get("version") != __version__:
        raise WorkspaceError(
            f"the server runs tierwise {found.get('version')}, this is {__version__}: restart the server / "
            "服务器与命令行版本不同，请重启服务器"
        )
    if abs(time.time() - float(found["at"])) > MAX_SKEW:
        raise WorkspaceError("a stale signed request / 签名请求已过期")
    return found["value"]
