"""Start of a conversation: carry slots over and show the privacy notice once."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.i18n.negotiation import CHOSEN_LANGUAGE_SLOT, LANGUAGE_SLOT, choose_language
from bot.settings import get_settings

NOTICE_SLOT = "privacy_notice_shown"


class ActionSessionStart(Action):
    """Like Rasa's default, plus the privacy notice at first contact."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """SessionStarted, the carried-over slots, the notice if never shown, then listen."""
        events: list[EventType] = [SessionStarted()]
        events += [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if value is not None and name != "session_started_metadata"
        ]
        metadata = tracker.get_slot("session_started_metadata") or {}
        language = choose_language(
            explicit=tracker.get_slot(CHOSEN_LANGUAGE_SLOT),
            conversation=tracker.get_slot(LANGUAGE_SLOT),
            client=metadata.get("language"),
            default=get_settings().default_language,
        )
        if not tracker.get_slot(LANGUAGE_SLOT):
            events.append(SlotSet(LANGUAGE_SLOT, language))  # the client's until detection says
        if not tracker.get_slot(NOTICE_SLOT):
            dispatcher.utter_message(response="utter_privacy_notice", language=language)
            events.append(SlotSet(NOTICE_SLOT, True))
        events.append(ActionExecuted("action_listen"))
        return events
