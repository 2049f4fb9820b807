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
    "pool.read": ("admin", "manager", "rep", "viewer"),
    "pool.claim": ("admin", "manager", "rep"),
    "pool.release": ("admin", "manager", "rep"),
    "pool.recycle": ("admin",),
}
ROLE_NAMES = {"admin": "管理员", "manager": "经理", "rep": "业务员", "viewer": "只读用户"}
ACTION_NAMES = {  # what each action is called in Chinese messages
    "customers.read": "查看客户", "customers.write": "修改客户资料", "activities.add": "记录跟进",
    "overrides.propose": "提议类别调整", "overrides.decide": "审批类别调整", "overrides.set": "直接调整类别",
    "credit.read": "查看信用", "credit.limit": "设置授信额度", "reports.read": "查看报表",
    "reports.build": "生成报告", "schemes.read": "查看分类方案", "schemes.save": "保存分类方案",
    "classify.run": "运行分类", "tasks.refresh": "刷新任务", "metrics.read": "查看指标",
    "imports.run": "导入数据", "users.manage": "管理用户", "audit.read": "查看审计日志",
    "audit.verify": "校验审计日志", "settings.read": "查看设置", "pool.read": "查看公海",
    "pool.claim": "从公海领取或分配客户", "pool.release": "将客户退回公海", "pool.recycle": "执行公海回收",
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
            f"{user.name} 是{ROLE_NAMES.get(user.role, user.role)}，无权{ACTION_NAMES.get(action, action)}"
            f"（仅限：{'、'.join(ROLE_NAMES.get(r, r) for r in PERMISSIONS[action])}）"
        )
