"""Every route of the admin interface."""

from __future__ import annotations

from starlette.routing import BaseRoute


def admin_routes() -> list[BaseRoute]:
    """Routes under /admin."""
    from bot.admin import (
        audit_pages,
        categories,
        dashboard,
        exchange,
        freshness,
        hours_pages,
        insight,
        language,
        locations,
        organizations,
        preview,
        services,
        translations,
        users,
    )

    return [
        *dashboard.routes(),
        *language.routes(),
        *services.routes(),
        *hours_pages.routes(),
        *organizations.routes(),
        *locations.routes(),
        *categories.routes(),
        *translations.routes(),
        *freshness.routes(),
        *exchange.routes(),
        *insight.routes(),
        *preview.routes(),
        *audit_pages.routes(),
        *users.routes(),
    ]
