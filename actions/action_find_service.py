"""Find the services that match what the person asked for and show the best one."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.support import (
    SERVICE_SLOT,
    card_for,
    reply_language,
    search_engine,
    service_payload,
    sessions,
)
from bot.catalogue.repository import CatalogueRepository
from bot.i18n.negotiation import LANGUAGE_SLOT


class ActionFindService(Action):
    """Search the catalogue with the user's words (and category, when a button gave one)."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_find_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Show the best matching service as a card, or say nothing matched."""
        language = reply_language(tracker)
        text = tracker.latest_message.get("text") or ""
        category = next(tracker.get_latest_entity_values("category"), None)
        query = "" if text.startswith("/") else text
        with sessions()() as session:
            hits = search_engine().search(session, query, category=category, limit=3)
            service = CatalogueRepository(session).service(hits[0].service_id) if hits else None
            if service is None:
                dispatcher.utter_message(response="utter_no_service_found", language=language)
                return [SlotSet(LANGUAGE_SLOT, language)]
            card = card_for(session, service, language)
        dispatcher.utter_message(
            response="utter_service_card",
            language=language,
            card=card,
            json_message=service_payload(card),
        )
        return [SlotSet(LANGUAGE_SLOT, language), SlotSet(SERVICE_SLOT, service.id)]
