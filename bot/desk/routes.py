"""Every route of the front-desk view."""

from __future__ import annotations

from starlette.routing import BaseRoute


def desk_routes() -> list[BaseRoute]:
    """Routes to mount in the web app."""
    from bot.desk.catalogue_pages import catalogue_routes
    from bot.desk.chat_api import chat_api_routes
    from bot.desk.pages import page_routes
    from bot.desk.queue_pages import queue_routes

    return [*page_routes(), *chat_api_routes(), *catalogue_routes(), *queue_routes()]
