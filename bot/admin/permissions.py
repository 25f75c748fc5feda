"""Who may do what in the admin interface.

admin: everything (users, imports, deleting). editor: services, opening hours and locations
of their organisations (and those organisations' details). translator: translations only.
viewer: reads everything, changes nothing. desk (front-desk staff): no admin pages at all.
"""

from __future__ import annotations

from bot.accounts.models import StaffUser

READ_ROLES = ("editor", "translator", "viewer")  # plus admin, who may do everything


def is_admin(user: StaffUser | None) -> bool:
    """Only admins delete records, import, manage users, organisations and categories."""
    return user is not None and user.role == "admin"


def can_edit_organization_content(user: StaffUser | None, organization_id: str | None) -> bool:
    """Admins edit everything; editors the services, hours and locations of their organisations."""
    if user is None:
        return False
    if user.role == "admin":
        return True
    return user.role == "editor" and organization_id in user.organization_ids


def can_create_services(user: StaffUser | None) -> bool:
    """Admins, and editors with at least one organisation."""
    return user is not None and (
        user.role == "admin" or (user.role == "editor" and bool(user.organization_ids))
    )


def can_translate(user: StaffUser | None, organization_id: str | None) -> bool:
    """Translators and admins translate everything; editors the texts of their organisations."""
    if user is None:
        return False
    return user.role in ("admin", "translator") or can_edit_organization_content(
        user, organization_id
    )


def can_translate_shared(user: StaffUser | None) -> bool:
    """Texts that belong to no organisation (category labels): translators and admins."""
    return user is not None and user.role in ("admin", "translator")
