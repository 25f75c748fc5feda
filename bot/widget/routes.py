"""Every route of the public widget: the page, the launcher label and the chat API."""

from __future__ import annotations

from starlette.routing import BaseRoute

from bot.widget.api import widget_api_routes
from bot.widget.pages import widget_page_routes


def widget_routes() -> list[BaseRoute]:
    """Routes to mount in the web app."""
    return [*widget_page_routes(), *widget_api_routes()]
