"""A shared location: remember it, and show services like the one in focus nearest first."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.support import LOCATION_SLOT, SERVICE_SLOT, payload_json, reply_language, sessions
from bot.catalogue.distance import nearest_first, parse_coordinates
from bot.catalogue.repository import CatalogueRepository
from bot.i18n.formatting import format_decimal_number

NEAREST = 5


class ActionUseLocation(Action):
    """Sort services of the kind the person is looking at by distance from them."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_use_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """List the nearest services like the one in focus, or say the location is noted."""
        language = reply_language(tracker)
        origin = parse_coordinates(tracker.get_slot(LOCATION_SLOT))
        focus = tracker.get_slot(SERVICE_SLOT)
        if origin is None or not focus:
            dispatcher.utter_message(response="utter_location_received", language=language)
            return []
        with sessions()() as session:
            repository = CatalogueRepository(session)
            service = repository.service(str(focus))
            if service is None:
                dispatcher.utter_message(response="utter_location_received", language=language)
                return []
            wanted = set(repository.categories_of(service))
            similar = [
                other
                for other in repository.services()
                if wanted & set(repository.categories_of(other))
            ]
            ranked = nearest_first(similar, origin)[:NEAREST]
            translations = repository.translations_for([s for s, _ in ranked])
            choices = []
            for candidate, distance in ranked:
                name = translations.localize(
                    ("service", candidate.id, "name"), candidate.name, language
                ).text
                choice: dict[str, Any] = {
                    "title": name,
                    "payload": payload_json("select_service", service_id=candidate.id),
                }
                if distance is not None:
                    choice["label_id"] = "card_distance"
                    choice["variables"] = {
                        "name": name,
                        "distance": format_decimal_number(distance, language),
                    }
                choices.append(choice)
        dispatcher.utter_message(
            response="utter_nearest_services", language=language, choices=choices
        )
        return []
