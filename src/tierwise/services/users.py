"""People who sign in: users, their roles and scopes, API tokens (admins manage them)."""

from __future__ import annotations

import builtins
from typing import Any

from tierwise.access import users as store
from tierwise.errors import DataError, NotFoundError
from tierwise.services.base import Service, helper, operation


class Users(Service):
    """Managing users and tokens (admins); the actor's own record for anyone."""

    def _get(self, name: str) -> store.User:
        try:
            return store.get_user(self.db, name)
        except DataError:
            raise NotFoundError(f"no user {name!r} / 没有用户 {name!r}") from None

    @operation(cli="users list", api="GET /api/users")
    def list(self) -> list[dict[str, Any]]:
        """Every user with the number of live tokens."""
        self._require("users.manage")
        tokens = store.list_tokens(self.db)
        out = []
        for u in store.list_users(self.db):
            item = u.to_json()
            item["tokens"] = sum(1 for t in tokens if t["user"] == u.name and t["revoked_at"] is None)
            out.append(item)
        return out

    @helper("serve warns when nobody can sign in to manage the workspace yet")
    def has_admin(self) -> bool:
        """Whether an admin who is not disabled exists (says nothing else about the users)."""
        return any(u.role == "admin" and not u.disabled for u in store.list_users(self.db))

    @operation(cli="users show", api="GET /api/users/{name}")
    def get(self, name: str) -> store.User:
        """One user: role, scope, language (admins; anyone for themselves)."""
        if name != self.actor.name:
            self._require("users.manage")
        return self._get(name)

    @operation(cli="users add", api="POST /api/users")
    def add(
        self,
        name: str,
        role: str,
        *,
        password: str,
        department: str | None = None,
        rep_id: str | None = None,
        lang: str | None = None,
    ) -> store.User:
        """Add a user (audited); a manager needs a department, a rep a rep id the data knows.
        Without ``lang``, their first sign-in keeps the browser's language."""
        self._require("users.manage")
        return store.add_user(self.db, name, role, password=password, by=self.actor.name,
                              department=department, rep_id=rep_id, lang=lang)

    @operation(cli="users set", api="PATCH /api/users/{name}")
    def change(self, name: str, **changes: Any) -> store.User:
        """Change a user's role, scope, language, password or disabled flag (audited)."""
        self._require("users.manage")
        self._get(name)
        return store.change_user(self.db, name, by=self.actor.name, **changes)

    @operation(cli="users token", api="POST /api/users/{name}/tokens")
    def token(self, name: str) -> dict[str, Any]:
        """A new API token for ``name``; its secret is shown this once."""
        self._require("users.manage")
        self._get(name)
        token_id, secret = store.create_token(self.db, name, by=self.actor.name)
        return {"token_id": token_id, "user": name, "token": secret}

    @operation(cli="users tokens", api="GET /api/tokens")
    def tokens(self, name: str | None = None) -> builtins.list[dict[str, Any]]:
        """API tokens (never their secrets), of one user or all."""
        self._require("users.manage")
        return store.list_tokens(self.db, name)

    @operation(cli="users revoke", api="DELETE /api/tokens/{token_id}")
    def revoke(self, token_id: int) -> None:
        """Revoke a token at once (audited)."""
        self._require("users.manage")
        if not any(t["token_id"] == token_id for t in store.list_tokens(self.db)):
            raise NotFoundError(f"no token {token_id} / 没有令牌 {token_id}")
        store.revoke_token(self.db, token_id, by=self.actor.name)

    @operation(cli="users set", api="PUT /api/me/language")
    def set_language(self, lang: str) -> store.User:
        """The actor's own language for pages and messages (anyone, for themselves; audited)."""
        return store.change_user(self.db, self.actor.name, by=self.actor.name, lang=lang)

    @operation(cli="users whoami", api="GET /api/me")
    def me(self) -> store.User:
        """Who is acting."""
        return self.actor
