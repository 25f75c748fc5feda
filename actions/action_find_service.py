"""Find the services that match a need and show the best one, or ask which topic is meant."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.support import (
    LOCATION_SLOT,
    SERVICE_SLOT,
    card_for,
    category_labels,
    payload_json,
    reply_language,
    search_engine,
    service_names,
    service_payload,
    sessions,
    text_vector,
    user_text,
)
from bot.catalogue.categories import detect_categories
from bot.catalogue.distance import nearest_first, parse_coordinates
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.search import SearchHit
from bot.conversations.records import record_unanswered

MIN_SCORE = 0.6  # below this the catalogue has nothing relevant
CONFIDENT_SCORE = 1.2  # at or above this the best hit is shown without asking
CATEGORY_LIST_SIZE = 8
ALTERNATIVES = 2


def is_ambiguous(hits: list[SearchHit], categories: dict[str, set[str]]) -> bool:
    """Unsure, and the best hits belong to unrelated topics."""
    if not hits or hits[0].score >= CONFIDENT_SCORE or hits[0].categories:
        return False
    top = [categories.get(hit.service_id, set()) for hit in hits[:3]]
    return len(top) > 1 and not set.intersection(*top)


class ActionFindService(Action):
    """Search the catalogue with the user's words (and the category a button gave)."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_find_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Show a card, a list for a category, a clarifying question, or say nothing matched."""
        language = reply_language(tracker)
        text = user_text(tracker)
        category = next(tracker.get_latest_entity_values("category"), None)
        if text and "emergency" in detect_categories(text):
            dispatcher.utter_message(response="utter_emergency", language=language)
        with sessions()() as session:
            if category and not text:
                origin = parse_coordinates(tracker.get_slot(LOCATION_SLOT))
                self._list_category(dispatcher, session, category, language, origin)
                return [SlotSet(SERVICE_SLOT, None)]
            hits = [
                hit
                for hit in search_engine().search(
                    session,
                    text,
                    category=category,
                    limit=4,
                    query_vector=text_vector(tracker, text),
                )
                if hit.score >= MIN_SCORE
            ]
            repository = CatalogueRepository(session)
            categories = {
                s.id: set(repository.categories_of(s))
                for s in repository.services([h.service_id for h in hits])
            }
            if not hits:
                record_unanswered(
                    session,
                    sender_id=tracker.sender_id,
                    language=language,
                    question=text,
                    reason="no_match",
                )
                session.commit()
                dispatcher.utter_message(response="utter_no_service_found", language=language)
                return []
            if is_ambiguous(hits, categories):
                self._ask_category(dispatcher, session, hits, categories, language)
                return []
            best = repository.service(hits[0].service_id)
            assert best is not None
            card = card_for(session, best, language)
            others = service_names(
                session, [h.service_id for h in hits[1 : 1 + ALTERNATIVES]], language
            )
        dispatcher.utter_message(
            response="utter_service_card",
            language=language,
            card=card,
            json_message=service_payload(card),
        )
        if others:
            dispatcher.utter_message(
                response="utter_other_services",
                language=language,
                choices=[
                    {"title": name, "payload": payload_json("select_service", service_id=sid)}
                    for sid, name in others.items()
                ],
            )
        dispatcher.utter_message(response="utter_ask_feedback", language=language)
        return [SlotSet(SERVICE_SLOT, card["id"])]

    def _list_category(
        self,
        dispatcher: CollectingDispatcher,
        session: Session,
        category: str,
        language: str,
        origin: tuple[float, float] | None,
    ) -> None:
        hits = search_engine().search(session, "", category=category, limit=CATEGORY_LIST_SIZE)
        names = service_names(session, [hit.service_id for hit in hits], language)
        label = category_labels(session, language).get(category, category)
        if not names:
            dispatcher.utter_message(response="utter_no_service_found", language=language)
            return
        if origin is not None:  # the person shared where they are: nearest first
            services = CatalogueRepository(session).services(list(names))
            order = [service.id for service, _ in nearest_first(services, origin)]
        else:
            order = sorted(names, key=lambda sid: names[sid])
        dispatcher.utter_message(
            response="utter_category_services",
            language=language,
            category=label,
            choices=[
                {"title": name, "payload": payload_json("select_service", service_id=sid)}
                for sid, name in ((sid, names[sid]) for sid in order)
            ],
        )

    def _ask_category(
        self,
        dispatcher: CollectingDispatcher,
        session: Session,
        hits: list[SearchHit],
        categories: dict[str, set[str]],
        language: str,
    ) -> None:
        labels = category_labels(session, language)
        codes = list(dict.fromkeys(c for h in hits for c in sorted(categories[h.service_id])))[:4]
        dispatcher.utter_message(
            response="utter_ask_category",
            language=language,
            choices=[
                {
                    "title": labels.get(code, code),
                    "payload": payload_json("find_service", category=code),
                }
                for code in codes
            ],
        )
