"""Answer a follow-up about the service in focus: hours, address, documents, contact."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.support import SERVICE_SLOT, card_for, reply_language, service_payload, sessions
from bot.catalogue.repository import CatalogueRepository

RESPONSE_BY_INTENT = {
    "ask_hours": "utter_service_hours",
    "ask_address": "utter_service_address",
    "ask_documents": "utter_service_documents",
    "ask_contact": "utter_service_contact",
    "ask_cost": "utter_service_cost",
    "ask_how_to_apply": "utter_service_apply",
    "ask_languages_spoken": "utter_service_languages",
}


class ActionShowServiceDetail(Action):
    """Render one aspect of the service in focus, chosen by the intent."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_show_service_detail"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answer from the live catalogue; ask what they need when no service is in focus."""
        language = reply_language(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        response = RESPONSE_BY_INTENT.get(intent, "utter_service_card")
        service_id = tracker.get_slot(SERVICE_SLOT)
        with sessions()() as session:
            service = CatalogueRepository(session).service(service_id) if service_id else None
            card = card_for(session, service, language) if service else None
        if card is None:
            dispatcher.utter_message(response="utter_no_service_in_focus", language=language)
            return []
        dispatcher.utter_message(
            response=response, language=language, card=card, json_message=service_payload(card)
        )
        return []
