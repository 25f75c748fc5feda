"""The admin menu: what each role sees in the top navigation."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.models import StaffUser


@dataclass(frozen=True)
class MenuItem:
    """A link of the top navigation: path and the message id of its label."""

    path: str
    label: str


MENU: tuple[MenuItem, ...] = (
    MenuItem("/admin", "nav.home"),
    MenuItem("/admin/services", "nav.services"),
    MenuItem("/admin/organizations", "nav.organizations"),
    MenuItem("/admin/locations", "nav.locations"),
    MenuItem("/admin/categories", "nav.categories"),
    MenuItem("/admin/translations", "nav.translations"),
    MenuItem("/admin/freshness", "nav.freshness"),
    MenuItem("/admin/insight", "nav.insight"),
    MenuItem("/admin/preview", "nav.preview"),
    MenuItem("/admin/exchange", "nav.exchange"),
    MenuItem("/admin/audit", "nav.audit"),
)
ADMIN_ONLY: tuple[MenuItem, ...] = (MenuItem("/admin/users", "nav.users"),)


def menu_for(user: StaffUser | None) -> list[MenuItem]:
    """The links a user may follow (none for the desk role or when logged out)."""
    if user is None or user.role == "desk":
        return []
    return [*MENU, *(ADMIN_ONLY if user.role == "admin" else ())]


def is_current(item: MenuItem, path: str) -> bool:
    """True when `path` is the item's page or below it (the home page only matches itself)."""
    if item.path == "/admin":
        return path == "/admin"
    return path == item.path or path.startswith(item.path + "/")
