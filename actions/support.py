"""What every action shares: the catalogue, search, the clock and the reply language."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from sqlalchemy.orm import Session, sessionmaker

from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.embeddings import Vector
from bot.catalogue.models import Service
from bot.catalogue.presenter import service_card
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.search import CatalogueSearch, default_search
from bot.i18n.negotiation import language_from_tracker
from bot.nlu.text_vector import message_vector
from bot.settings import get_settings

SERVICE_SLOT = "service_in_focus"
LOCATION_SLOT = "user_location"  # "latitude,longitude" the person shared


@lru_cache(maxsize=1)
def sessions() -> sessionmaker[Session]:
    """The catalogue session factory of this action-server process."""
    return make_session_factory(make_engine(get_settings().database_url))


@lru_cache(maxsize=1)
def search_engine() -> CatalogueSearch:
    """The search index of this process (refreshes itself when the catalogue changes)."""
    settings = get_settings()
    return default_search(settings.embedding_cache, settings.embedding_threads)


def now() -> dt.datetime:
    """The current moment, timezone-aware."""
    return dt.datetime.now(dt.UTC)


def reply_language(tracker: Tracker) -> str:
    """The language to answer in, negotiated like the NLG endpoint does."""
    return language_from_tracker(tracker.current_state(), get_settings().default_language)


def card_for(session: Session, service: Service, language: str) -> dict[str, Any]:
    """The localised card of one service."""
    settings = get_settings()
    translations = CatalogueRepository(session).translations_for([service])
    return service_card(
        service,
        translations,
        language,
        now(),
        timezone=settings.timezone,
        patron_day=settings.patron_saint_day,
    )


def service_payload(card: dict[str, Any]) -> dict[str, Any]:
    """The machine-readable payload that travels with every service shown."""
    location = card.get("location") or {}
    return {
        "type": "service",
        "id": card["id"],
        "name": card.get("name"),
        "categories": card["categories"],
        "language": card["language"],
        "location": {key: location.get(key) for key in ("name", "address", "latitude", "longitude")}
        if location
        else None,
    }


def payload_json(intent: str, **entities: str) -> str:
    """A button payload setting an intent and entities: /select_service{"service_id": "x"}."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def text_vector(tracker: Tracker, text: str) -> Vector | None:
    """The e5 vector the NLU pipeline computed for `text` (None for any other text)."""
    return message_vector(tracker.latest_message or {}, text)


def user_text(tracker: Tracker) -> str:
    """What the person typed in this turn ('' for a button press)."""
    text = str(tracker.latest_message.get("text") or "")
    return "" if text.startswith("/") else text


NOT_A_QUESTION = {"request_human", "affirm", "deny", "greet", "thank", "goodbye", "feedback"}


def previous_question(tracker: Tracker) -> str:
    """The person's last typed question before this turn (not 'yes', 'thanks', 'a person')."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if not seen_latest:
            seen_latest = True
            continue
        text = str(event.get("text") or "")
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if text and not text.startswith("/") and intent not in NOT_A_QUESTION:
            return text
    return ""


def channel_of(tracker: Tracker) -> str:
    """The channel the message came from (metadata), 'rest' by default."""
    metadata = tracker.latest_message.get("metadata") or {}
    return str(metadata.get("channel") or "rest")


def category_labels(session: Session, language: str) -> dict[str, str]:
    """Category code -> label in the language (with fallback)."""
    repository = CatalogueRepository(session)
    translations = repository.taxonomy_translations()
    return {
        term.code: translations.localize(
            ("taxonomy_term", term.id, "name"), term.name, language
        ).text
        for term in repository.taxonomy()
    }


def service_names(session: Session, service_ids: list[str], language: str) -> dict[str, str]:
    """Service id -> name in the language (with fallback), active services only."""
    repository = CatalogueRepository(session)
    services = repository.services(service_ids)
    translations = repository.translations_for(services)
    return {
        s.id: translations.localize(("service", s.id, "name"), s.name, language).text
        for s in services
    }
