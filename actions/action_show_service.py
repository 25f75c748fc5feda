"""Show the card of a service the person picked from a list."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.support import SERVICE_SLOT, card_for, reply_language, service_payload, sessions
from bot.catalogue.repository import CatalogueRepository


class ActionShowService(Action):
    """Render the card of the service named by the `service_id` entity."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_show_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The card, or 'not found' when the id is unknown or archived."""
        language = reply_language(tracker)
        service_id = next(tracker.get_latest_entity_values("service_id"), None)
        with sessions()() as session:
            service = CatalogueRepository(session).service(str(service_id)) if service_id else None
            card = card_for(session, service, language) if service else None
        if card is None:
            dispatcher.utter_message(response="utter_no_service_found", language=language)
            return []
        dispatcher.utter_message(
            response="utter_service_card",
            language=language,
            card=card,
            json_message=service_payload(card),
        )
        dispatcher.utter_message(response="utter_ask_feedback", language=language)
        return [SlotSet(SERVICE_SLOT, card["id"])]
