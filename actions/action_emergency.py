"""Emergencies: the numbers first, then the services that help right now."""

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
    text_vector,
    user_text,
)
from bot.catalogue.repository import CatalogueRepository


class ActionEmergency(Action):
    """112 and 1522 before anything else; then the closest emergency service."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the numbers, then one emergency service card."""
        language = reply_language(tracker)
        dispatcher.utter_message(response="utter_emergency", language=language)
        with sessions()() as session:
            text = user_text(tracker)
            hits = search_engine().search(
                session,
                text,
                category="emergency",
                limit=1,
                query_vector=text_vector(tracker, text),
            )
            service = CatalogueRepository(session).service(hits[0].service_id) if hits else None
            card = card_for(session, service, language) if service else None
        if card is None:
            return []
        dispatcher.utter_message(
            response="utter_service_card",
            language=language,
            card=card,
            json_message=service_payload(card),
        )
        return [SlotSet(SERVICE_SLOT, card["id"])]
