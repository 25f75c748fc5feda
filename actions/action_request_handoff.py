"""Hand over to a person: a case code, the desk's hours, only what the person agreed to share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.support import (
    SERVICE_SLOT,
    card_for,
    channel_of,
    previous_question,
    reply_language,
    sessions,
)
from bot.catalogue.repository import CatalogueRepository
from bot.conversations.records import create_handoff
from bot.i18n.formatting import slot_list, weekday_name
from bot.settings import get_settings


def _consented(tracker: Tracker) -> bool:
    consent = next(tracker.get_latest_entity_values("consent"), None)
    if consent is not None:
        return str(consent).lower() == "yes"
    return (tracker.latest_message.get("intent") or {}).get("name") == "affirm"


class ActionRequestHandoff(Action):
    """Create the request staff will see in the desk queue."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_request_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Queue the request; tell the case code and when the desk is open."""
        settings = get_settings()
        language = reply_language(tracker)
        excerpt = previous_question(tracker) if _consented(tracker) else None
        with sessions()() as session:
            request = create_handoff(
                session,
                sender_id=tracker.sender_id,
                channel=channel_of(tracker),
                language=language,
                excerpt=excerpt,
                service_id=tracker.get_slot(SERVICE_SLOT),
            )
            case_code = request.case_code
            session.commit()
            desk = CatalogueRepository(session).service(settings.handoff_service_id)
            card = card_for(session, desk, language) if desk else None
        dispatcher.utter_message(
            response="utter_handoff_created", language=language, case_code=case_code
        )
        if card and card["hours"]["known"]:
            days = [
                f"{weekday_name(dt.date.fromisoformat(day['date']), language)}"
                f" {slot_list(day['slots'], language)}"
                for day in card["hours"]["week"]
                if day["slots"]
            ]
            dispatcher.utter_message(
                response="utter_handoff_hours", language=language, hours="; ".join(days)
            )
        return []
