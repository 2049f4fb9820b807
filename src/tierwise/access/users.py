"""People who sign in: users with a role, their passwords, API tokens and web sessions.

Passwords are hashed with Argon2id (``argon2-cffi``); API tokens and session ids are random
and kept only as SHA-256 hashes, so a copy of the workspace file gives no way in. There is
no default account: the first admin is created from the command line
(``tierwise users add NAME --role admin``). Every change is written to the audit trail.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tierwise.access.scope import Scope
from tierwise.errors import ConfigError, DataError
from tierwise.store.audit import current_user, record

if TYPE_CHECKING:
    from tierwise.store.database import Database

ROLES: dict[str, tuple[str, str]] = {
    # role: (English, Chinese) — what it may do
    "admin": ("everything: all customers, users, schemes, imports", "全部权限：所有客户、用户、方案、导入"),
    "manager": (
        "their department's customers and reps; approves overrides",
        "本部门的客户和业务员；审批类别调整",
    ),
    "rep": (
        "only the customers they own and their tasks; logs follow-ups, proposes overrides",
        "仅本人负责的客户和任务；记录跟进、提议类别调整",
    ),
    "viewer": ("read-only reports (no customer records)", "只读报表（不含客户明细）"),
}
MIN_PASSWORD = 10
SESSION_HOURS = 12
TOKEN_PREFIX = "tw_"
_NAME = re.compile(r"[\w.@-]{2,64}")
_HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters
_DUMMY = _HASHER.hash("tierwise-no-such-user")  # so a missing user costs as much as a wrong password
COLUMNS = ("name", "role", "department", "rep_id", "lang", "disabled", "created_at", "created_by")


@dataclass(frozen=True)
class User:
    """A person who signs in; ``department`` (managers) and ``rep_id`` (reps) scope them."""

    name: str
    role: str
    department: str | None = None
    rep_id: str | None = None
    lang: str | None = None  # None until chosen: the first sign-in takes the browser's
    disabled: bool = False
    created_at: datetime | None = None
    created_by: str | None = None

    @property
    def scope(self) -> Scope:
        """The customers this user may see (none for a rep without a rep id or a manager
        without a department: ``users add`` refuses both, and a scope never widens by mistake)."""
        if self.role == "manager":
            return Scope(department=self.department) if self.department else Scope(nothing=True)
        if self.role == "rep":
            return Scope(rep_id=self.rep_id) if self.rep_id else Scope(nothing=True)
        return Scope()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "department": self.department,
            "rep_id": self.rep_id,
            "lang": self.lang,
            "disabled": self.disabled,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "created_by": self.created_by,
        }


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@functools.cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("tierwise.access").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


_ROWS = ("`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "abcdefghijklmnopqrstuvwxyz")


def _sequence(text: str) -> bool:
    """Whether ``text`` runs along one row of the keyboard or the alphabet (either way), or repeats
    a unit of at most four characters ("1234567890", "0987654321", "abcabcabca", "12121212")."""
    for row in _ROWS:
        if text in row or text in row[::-1] or text in (row * 2) or text in (row * 2)[::-1]:
            return True
    return any(len(text) % n == 0 and text == text[:n] * (len(text) // n) for n in range(1, 5))


def password_problem(name: str, password: str) -> str | None:
    """Why ``password`` is refused for user ``name`` (English / Chinese), or None: at least
    :data:`MIN_PASSWORD` characters, not the name, not one of the common passwords (also with
    digits or symbols added at the end), not a keyboard or alphabet run or a short repeat."""
    if len(password) < MIN_PASSWORD:
        return f"the password must have at least {MIN_PASSWORD} characters / 密码至少 {MIN_PASSWORD} 个字符"
    folded = unicodedata.normalize("NFKC", password).strip().lower()
    stem = folded.rstrip("0123456789!@#$%^&*.,;:?_-+= ")
    name = name.lower()
    if folded == name or (len(name) >= 4 and name in folded):
        return "the password contains the user name / 密码不能包含用户名"
    if folded in _common_passwords() or stem in _common_passwords():
        return "the password is one of the most common ones: choose another / 该密码过于常见，请换一个"
    if len(set(folded)) < 4 or _sequence(folded) or (len(stem) >= 6 and _sequence(stem)):
        return ("the password is a keyboard run, a sequence or a repeat: choose another / "
                "密码是键盘序列、连续字符或重复字符，请换一个")
    return None


def _check_password(name: str, password: str) -> None:
    problem = password_problem(name, password)
    if problem is not None:
        raise ConfigError(problem)


def normal_name(name: str) -> str:
    """A user name as stored and signed in with: NFKC (full-width letters are the ASCII ones)."""
    return unicodedata.normalize("NFKC", name)


def _check_scope(ws: Database, role: str, department: str | None, rep_id: str | None) -> None:
    """A manager needs a department and a rep a rep id, each one the data knows."""
    if role not in ROLES:
        raise ConfigError(f"--role {role!r}: one of {', '.join(ROLES)} / 角色应为 {', '.join(ROLES)}")
    if role == "manager":
        if not department:
            raise ConfigError(
                "a manager needs --department (the department they lead) / 经理需要 --department"
            )
        known = [
            r[0]
            for r in ws.con.execute(
                "SELECT DISTINCT department FROM (SELECT department FROM reps UNION ALL "
                "SELECT department FROM customers) WHERE department IS NOT NULL ORDER BY 1"
            ).fetchall()
        ]
        if known and department not in known:
            raise ConfigError(
                f"--department {department!r} is not in the reps or customers data; "
                f"departments: {', '.join(known)} / 数据中没有部门 {department!r}"
            )
    if role == "rep":
        if not rep_id:
            raise ConfigError("a rep needs --rep-id (their code in the reps data) / 业务员需要 --rep-id")
        found = ws.con.execute(
            "SELECT count(*) FROM (SELECT rep_id FROM reps UNION ALL "
            "SELECT rep_id FROM customers) WHERE rep_id = ?",
            [rep_id],
        ).fetchone()
        if found == (0,):
            raise ConfigError(
                f"--rep-id {rep_id!r} is not in the reps or customers data: import the reps "
                f"first, or check the code / 数据中没有业务员 {rep_id!r}"
            )
    if role != "manager" and department:
        raise ConfigError(f"--department is for managers, not a {role} / 只有经理设置 --department")
    if role != "rep" and rep_id:
        raise ConfigError(f"--rep-id is for reps, not a {role} / 只有业务员设置 --rep-id")


def get_user(ws: Database, name: str) -> User:
    """The user ``name``; a DataError naming the users when there is none."""
    name = normal_name(name)
    row = ws.con.execute(f"SELECT {', '.join(COLUMNS)} FROM users WHERE name = ?", [name]).fetchone()
    if row is None:
        raise DataError(f"no user {name!r}: list them with `tierwise users list` / 没有用户 {name!r}")
    return User(*row)


def list_users(ws: Database) -> list[User]:
    rows = ws.con.execute(f"SELECT {', '.join(COLUMNS)} FROM users ORDER BY name").fetchall()
    return [User(*r) for r in rows]


def add_user(
    ws: Database,
    name: str,
    role: str,
    *,
    password: str,
    by: str,
    department: str | None = None,
    rep_id: str | None = None,
    lang: str | None = None,
) -> User:
    """Create a user who signs in with ``password`` (hashed with Argon2id); without ``lang``
    their first sign-in keeps the language their browser asked the sign-in page for."""
    name = normal_name(name)
    if not _NAME.fullmatch(name):  # fullmatch: "admin\n" is not a name
        raise ConfigError(
            f"user name {name!r}: 2 to 64 letters, digits, '.', '_', '-' or '@' / "
            "用户名为 2 到 64 个字母、数字或 . _ - @"
        )
    if lang is not None and lang not in ("en", "zh"):
        raise ConfigError(f"--lang {lang!r}: zh or en / 语言应为 zh 或 en")
    _check_scope(ws, role, department, rep_id)
    _check_password(name, password)
    with ws.transaction() as con:
        if con.execute("SELECT count(*) FROM users WHERE name = ?", [name]).fetchone() != (0,):
            raise ConfigError(
                f"user {name!r} exists: change it with `tierwise users set` / 用户 {name!r} 已存在"
            )
        con.execute(
            f"INSERT INTO users (user_id, {', '.join(COLUMNS)}, password_hash) "
            "VALUES (nextval('user_seq'), ?, ?, ?, ?, ?, FALSE, ?, ?, ?)",
            [name, role, department, rep_id, lang, _now(), by, _HASHER.hash(password)],
        )
        record(
            con,
            actor=by,
            action="user.add",
            subject=f"user {name}",
            new=f"{role}" + (f" of {department}" if department else "") + (f" as {rep_id}" if rep_id else ""),
        )
    return get_user(ws, name)


def change_user(
    ws: Database,
    name: str,
    *,
    by: str,
    role: str | None = None,
    department: str | None = None,
    rep_id: str | None = None,
    password: str | None = None,
    disabled: bool | None = None,
    lang: str | None = None,
) -> User:
    """Change a user's role and scope, password, language or disabled flag; a password change or
    disabling ends their sessions and (when disabled) stops their tokens."""
    old = get_user(ws, name)
    new_role = role or old.role
    dept = department if department is not None else (old.department if new_role == old.role else None)
    rep = rep_id if rep_id is not None else (old.rep_id if new_role == old.role else None)
    _check_scope(ws, new_role, dept or None, rep or None)
    if password is not None:
        _check_password(name, password)
    if lang is not None and lang not in ("en", "zh"):
        raise ConfigError(f"language {lang!r}: en or zh / 语言应为 en 或 zh")
    with ws.transaction() as con:
        if (new_role != "admin" and old.role == "admin") or (disabled and old.role == "admin"):
            admins = con.execute(
                "SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled AND name <> ?", [name]
            ).fetchone()
            if admins == (0,):
                raise ConfigError(
                    f"{name} is the last admin: add another admin first / {name} 是最后一个管理员"
                )
        con.execute(
            "UPDATE users SET role = ?, department = ?, rep_id = ?, lang = coalesce(?, lang), "
            "disabled = coalesce(?, disabled) WHERE name = ?",
            [new_role, dept or None, rep or None, lang, disabled, name],
        )
        if password is not None:
            con.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_HASHER.hash(password), name])
        if password is not None or disabled:
            con.execute("DELETE FROM web_sessions WHERE user_name = ?", [name])
        changes = [
            f"{k}: {a} → {b}"
            for k, a, b in (
                ("role", old.role, new_role),
                ("department", old.department, dept or None),
                ("rep_id", old.rep_id, rep or None),
                ("disabled", old.disabled, old.disabled if disabled is None else disabled),
            )
            if a != b
        ]
        if password is not None:
            changes.append("password changed")
        if changes:
            record(con, actor=by, action="user.change", subject=f"user {name}", new="; ".join(changes))
    return get_user(ws, name)


def authenticate(ws: Database, name: str, password: str) -> User | None:
    """The user when ``password`` is theirs and they are not disabled, else None (the same time
    either way, so a caller cannot tell a missing user from a wrong password)."""
    name = normal_name(name)
    row = ws.con.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone()
    stored = row[0] if row else _DUMMY
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _HASHER.check_needs_rehash(stored):
        with ws.transaction() as con:
            con.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_HASHER.hash(password), name])
    user = get_user(ws, name)
    return None if user.disabled else user


# -- API tokens ---------------------------------------------------------------------------
_last_used: dict[int, float] = {}
_last_used_lock = threading.Lock()


def create_token(ws: Database, name: str, *, by: str) -> tuple[int, str]:
    """A new API token for ``name``: its id and the secret, shown once and kept only as a hash."""
    user = get_user(ws, name)
    if user.disabled:
        raise ConfigError(f"user {name!r} is disabled / 用户 {name!r} 已停用")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with ws.transaction() as con:
        row = con.execute("SELECT nextval('token_seq')").fetchone()
        assert row is not None
        token_id = int(row[0])
        con.execute(
            "INSERT INTO api_tokens (token_id, user_name, token_hash, created_at) VALUES (?, ?, ?, ?)",
            [token_id, name, _digest(secret), _now()],
        )
        record(con, actor=by, action="token.create", subject=f"token {token_id} of {name}")
    return token_id, secret


def list_tokens(ws: Database, name: str | None = None) -> list[dict[str, Any]]:
    rows = ws.con.execute(
        "SELECT token_id, user_name, created_at, last_used_at, revoked_at FROM api_tokens "
        "WHERE ? IS NULL OR user_name = ? ORDER BY token_id",
        [name, name],
    ).fetchall()
    keys = ("token_id", "user", "created_at", "last_used_at", "revoked_at")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def revoke_token(ws: Database, token_id: int, *, by: str) -> None:
    """Stop token ``token_id`` working (it stays listed, as revoked)."""
    with ws.transaction() as con:
        row = con.execute(
            "SELECT user_name, revoked_at FROM api_tokens WHERE token_id = ?", [token_id]
        ).fetchone()
        if row is None:
            raise DataError(f"no token {token_id}: see `tierwise users tokens` / 没有令牌 {token_id}")
        if row[1] is not None:
            raise ConfigError(f"token {token_id} was revoked on {row[1]} / 令牌 {token_id} 已吊销")
        con.execute("UPDATE api_tokens SET revoked_at = ? WHERE token_id = ?", [_now(), token_id])
        record(con, actor=by, action="token.revoke", subject=f"token {token_id} of {row[0]}")


def user_for_token(ws: Database, secret: str) -> User | None:
    """The (enabled) user an API token belongs to, or None for an unknown or revoked token."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    row = ws.con.execute(
        "SELECT t.token_id, t.user_name FROM api_tokens t JOIN users u ON u.name = t.user_name "
        "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND NOT u.disabled",
        [_digest(secret)],
    ).fetchone()
    if row is None:
        return None
    token_id = int(row[0])
    with _last_used_lock:  # a write per request would serialise the API: note the use once a minute
        due = time.monotonic() - _last_used.get(token_id, -1e9) > 60
        if due:
            _last_used[token_id] = time.monotonic()
    if due:
        with ws.transaction() as con:
            con.execute("UPDATE api_tokens SET last_used_at = ? WHERE token_id = ?", [_now(), token_id])
    return get_user(ws, str(row[1]))


# -- web sessions -------------------------------------------------------------------------
def start_session(ws: Database, name: str, *, hours: int = SESSION_HOURS) -> tuple[str, str]:
    """A new session for ``name``: the cookie value and its CSRF token."""
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = _now()
    with ws.transaction() as con:
        con.execute("DELETE FROM web_sessions WHERE expires_at < ?", [now])
        con.execute(
            "INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?)",
            [_digest(sid), name, csrf, now, now + timedelta(hours=hours)],
        )
    return sid, csrf


def session_user(ws: Database, sid: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session, or None."""
    row = ws.con.execute(
        "SELECT s.user_name, s.csrf FROM web_sessions s JOIN users u ON u.name = s.user_name "
        "WHERE s.session_hash = ? AND s.expires_at > ? AND NOT u.disabled",
        [_digest(sid), _now()],
    ).fetchone()
    return (get_user(ws, str(row[0])), str(row[1])) if row else None


def adopt_language(ws: Database, name: str, lang: str) -> User:
    """Keep ``lang`` (the one the sign-in page was shown in) as the user's language if they
    have not chosen one: a user added without ``--lang`` reads pages as their browser asked."""
    if lang in ("en", "zh"):
        with ws.transaction() as con:
            con.execute("UPDATE users SET lang = ? WHERE name = ? AND lang IS NULL", [lang, name])
    return get_user(ws, name)


def end_session(ws: Database, sid: str) -> None:
    with ws.transaction() as con:
        con.execute("DELETE FROM web_sessions WHERE session_hash = ?", [_digest(sid)])


def resolve_actor(ws: Database, configured: str | None, *, lang: str = "en") -> User:
    """Who acts for a command run at the shell: the user ``configured`` (``--by`` or the
    ``user`` setting), else the login name.

    While the workspace has no users, anyone at the shell acts as a local admin under that
    name. Once it has users, a configured name must be one of them (its role and scope then
    apply: a rep's ``--by`` cannot approve); the login name of a person who is no user acts as
    a local admin, since whoever can open the file can change it.
    """
    name = current_user(configured)
    row = ws.con.execute(f"SELECT {', '.join(COLUMNS)} FROM users WHERE name = ?", [name]).fetchone()
    if row is not None:
        user = User(*row)
        if user.disabled:
            raise ConfigError(f"user {name!r} is disabled / 用户 {name!r} 已停用")
        return User(user.name, user.role, user.department, user.rep_id, lang)
    if configured:
        known = [r[0] for r in ws.con.execute("SELECT name FROM users ORDER BY name LIMIT 20").fetchall()]
        if known:
            raise ConfigError(
                f"--by / TIERWISE_USER {name!r} is not a user of this workspace; users: "
                f"{', '.join(known)} (add one with `tierwise users add`) / {name!r} 不是本工作区的用户"
            )
    return User(name, "admin", lang=lang)
