"""The topics menu: one button per category, labelled in the person's language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.support import category_labels, payload_json, reply_language, sessions


class ActionShowCategories(Action):
    """Offer every category as a button, so people can browse without typing."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_show_categories"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the menu."""
        language = reply_language(tracker)
        with sessions()() as session:
            labels = category_labels(session, language)
        dispatcher.utter_message(
            response="utter_menu",
            language=language,
            choices=[
                {"title": label, "payload": payload_json("find_service", category=code)}
                for code, label in labels.items()
            ],
        )
        return []
