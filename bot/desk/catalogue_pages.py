"""Browse the catalogue at the desk: free-text search and category filters, bilingual cards.

Search is the same hybrid search the assistant answers from (`bot.catalogue.search`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.admin.pages import interface_locale
from bot.catalogue.db import unit_of_work
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.search import CatalogueSearch, default_search
from bot.desk.cards import CardView, card_views
from bot.desk.chat_api import choose_language, conversation_hint, show_service
from bot.desk.pages import citizen_language
from bot.desk.transcript import ITALIAN
from bot.desk.views import no_store, render_desk
from bot.i18n.languages import normalise_code
from bot.settings import Settings
from bot.web.auth import requires_roles

MAX_QUERY = 200
RESULTS = 12


@dataclass(frozen=True)
class Category:
    """A category filter: its code and its label in the staff language."""

    code: str
    label: str


@dataclass(frozen=True)
class Result:
    """One service found: its cards (citizen's language first, then Italian)."""

    service_id: str
    cards: list[CardView]


def desk_search(app: Starlette) -> CatalogueSearch:
    """The web app's search index, created on first use."""
    search: CatalogueSearch | None = getattr(app.state, "desk_search", None)
    if search is None:
        settings: Settings = app.state.settings
        search = default_search(settings.embedding_cache)
        app.state.desk_search = search
    return search


def _categories(request: Request, locale: str) -> list[Category]:
    with unit_of_work(request.app.state.sessions) as session:
        repository = CatalogueRepository(session)
        translations = repository.taxonomy_translations()
        categories = []
        for term in repository.taxonomy():
            label = translations.localize(("taxonomy_term", term.id, "name"), term.name, locale)
            categories.append(Category(term.code, label.text))
        return sorted(categories, key=lambda c: c.label.casefold())


def _search(request: Request, query: str, category: str | None, locale: str) -> list[Result]:
    settings: Settings = request.app.state.settings
    with unit_of_work(request.app.state.sessions) as session:
        hits = desk_search(request.app).search(session, query, category=category, limit=RESULTS)
        results = []
        for hit in hits:
            cards = card_views(session, hit.service_id, [locale, ITALIAN], settings)
            if cards:
                results.append(Result(hit.service_id, cards))
        return results


@requires_roles("desk")
async def catalogue_page(request: Request) -> Response:
    """GET ?q=&category=&lang=: search results as cards, or the prompt to search."""
    staff_locale = interface_locale(request)
    query = request.query_params.get("q", "").strip()
    category = request.query_params.get("category", "").strip() or None
    locale = citizen_language(request)
    categories = await asyncio.to_thread(_categories, request, staff_locale)
    error = None
    if len(query) > MAX_QUERY:
        error = ("q", MAX_QUERY)
    elif category is not None and category not in {c.code for c in categories}:
        error = ("category", 0)
    results: list[Result] | None = None
    if error is None and (query or category):
        results = await asyncio.to_thread(_search, request, query, category, locale)
    return await render_desk(
        request,
        "desk/catalogue.html",
        {
            "query": query,
            "category": category or "",
            "categories": categories,
            "citizen_lang": locale,
            "results": results,
            "error": error,
        },
        status_code=400 if error else 200,
    )


@requires_roles("desk")
async def show_in_chat(request: Request) -> Response:
    """POST (form) service_id: present the service in the conversation, then go there."""
    form = await request.form()
    service_id = str(form.get("service_id", "")).strip()
    language = normalise_code(str(form.get("lang", "")))
    if language and language != conversation_hint(request):
        # the card language staff browsed in becomes the conversation's language
        chosen = await choose_language(request, language)
        if chosen.status_code >= 400 and chosen.status_code != 503:
            return chosen
    response = await show_service(request, service_id)
    if response.status_code >= 400 and response.status_code != 503:
        return response
    return no_store(RedirectResponse("/desk#chat-log", status_code=303))


def catalogue_routes() -> list[BaseRoute]:
    """Routes of the desk catalogue browser."""
    return [
        Route("/desk/catalogue", catalogue_page, methods=["GET"]),
        Route("/desk/catalogue/show", show_in_chat, methods=["POST"]),
    ]
