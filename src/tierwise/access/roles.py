"""What each role may do: the one table every service checks before it acts.

A record outside a person's scope answers like a missing one (``NotFoundError``) so nobody
learns that it exists; an action the role does not allow is a ``ForbiddenError`` naming the
roles that may.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tierwise.errors import ForbiddenError

if TYPE_CHECKING:
    from tierwise.access.users import User

PERMISSIONS: dict[str, tuple[str, ...]] = {
    # action: the roles allowed
    "customers.read": ("admin", "manager", "rep"),
    "customers.write": ("admin", "manager"),
    "activities.add": ("admin", "manager", "rep"),
    "overrides.propose": ("admin", "manager", "rep"),
    "overrides.decide": ("admin", "manager"),
    "overrides.set": ("admin", "manager"),
    "credit.read": ("admin", "manager", "rep"),
    "credit.limit": ("admin", "manager"),
    "reports.read": ("admin", "manager", "rep", "viewer"),
    "reports.build": ("admin", "manager"),
    "schemes.read": ("admin", "manager", "rep", "viewer"),
    "schemes.save": ("admin",),
    "classify.run": ("admin", "manager"),
    "tasks.refresh": ("admin", "manager"),
    "metrics.read": ("admin", "manager"),
    "imports.run": ("admin",),
    "users.manage": ("admin",),
    "audit.read": ("admin", "manager"),
    "audit.verify": ("admin",),
    "settings.read": ("admin", "manager", "rep", "viewer"),
}


def can(user: User, action: str) -> bool:
    """Whether ``user``'s role may do ``action`` (a key of :data:`PERMISSIONS`)."""
    return user.role in PERMISSIONS[action]


def require(user: User, action: str) -> None:
    """Raise :class:`ForbiddenError` unless ``user``'s role may do ``action``."""
    if not can(user, action):
        allowed = ", ".join(PERMISSIONS[action])
        raise ForbiddenError(
            f"{user.name} is a {user.role} and cannot do {action} (allowed: {allowed}) / "
            f"{user.name} 的角色（{user.role}）无此权限：{action}"
        )
