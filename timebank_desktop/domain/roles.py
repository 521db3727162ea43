"""Staff roles (管理员 / 录入员 / 查询员) and what each may do; enforced in the services."""

from __future__ import annotations

from enum import StrEnum

from timebank_desktop.i18n import N_, _


class Role(StrEnum):
    ADMIN = "admin"
    CLERK = "clerk"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return _(_ROLE_LABELS[self])


_ROLE_LABELS = {
    Role.ADMIN: N_("administrator"),
    Role.CLERK: N_("clerk"),
    Role.VIEWER: N_("viewer"),
}


class Permission(StrEnum):
    VIEW = "view"
    SEE_IDENTITY = "see_identity"  # full ID numbers and phones
    EDIT_MEMBERS = "edit_members"
    RECORD_SERVICES = "record_services"
    MOVE_HOURS = "move_hours"  # transfers, donations, redemptions
    GRANT = "grant"  # grants and opening balances create community liability
    VOID = "void"
    IMPORT = "import"
    EXPORT = "export"
    CLOSE_MONTH = "close_month"
    SETTINGS = "settings"
    MANAGE_STAFF = "manage_staff"
    BACKUP = "backup"


_CLERK = {
    Permission.VIEW,
    Permission.SEE_IDENTITY,
    Permission.EDIT_MEMBERS,
    Permission.RECORD_SERVICES,
    Permission.MOVE_HOURS,
    Permission.EXPORT,
    Permission.BACKUP,
}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.CLERK: frozenset(_CLERK),
    Role.VIEWER: frozenset({Permission.VIEW, Permission.EXPORT}),
}


def may(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]
