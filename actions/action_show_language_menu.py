"""The language menu, in native language names."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.support import payload_json, reply_language
from bot.i18n.languages import LANGUAGES


class ActionShowLanguageMenu(Action):
    """One button per supported language, named in that language."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_show_language_menu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the menu."""
        dispatcher.utter_message(
            response="utter_language_menu",
            language=reply_language(tracker),
            choices=[
                {
                    "title": language.native_name,
                    "payload": payload_json("choose_language", language=language.code),
                }
                for language in LANGUAGES
            ],
        )
        return []
