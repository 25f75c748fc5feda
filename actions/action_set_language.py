"""An explicit language choice: it wins over detection from now on."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.support import reply_language
from bot.i18n.languages import normalise_code
from bot.i18n.negotiation import CHOSEN_LANGUAGE_SLOT, LANGUAGE_SLOT


class ActionSetLanguage(Action):
    """Remember the chosen language and confirm in it."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_set_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Set both language slots; an unknown code shows the menu again."""
        code = normalise_code(next(tracker.get_latest_entity_values("language"), None))
        if code is None:
            dispatcher.utter_message(
                response="utter_language_menu", language=reply_language(tracker)
            )
            return []
        dispatcher.utter_message(response="utter_language_changed", language=code)
        return [SlotSet(CHOSEN_LANGUAGE_SLOT, code), SlotSet(LANGUAGE_SLOT, code)]
