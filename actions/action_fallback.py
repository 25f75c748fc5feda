"""Two-stage fallback: first the likeliest meanings as buttons, then the menu and a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.support import (
    category_labels,
    payload_json,
    reply_language,
    search_engine,
    sessions,
    text_vector,
    user_text,
)
from bot.catalogue.categories import detect_categories
from bot.conversations.records import record_unanswered

OFFERED_INTENTS = (
    "find_service",
    "ask_hours",
    "ask_address",
    "ask_documents",
    "ask_cost",
    "ask_contact",
    "ask_how_to_apply",
    "ask_languages_spoken",
    "request_human",
    "browse_categories",
    "change_language",
    "privacy",
    "delete_data",
    "emergency",
)
MAX_OPTIONS = 3


def _previous_bot_action(tracker: Tracker) -> str | None:
    """The last action before the latest user message (ignoring listen)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return str(event.get("name"))
    return None


class ActionFallback(Action):
    """Not understood: offer meanings, and after a second miss the menu and a person."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Stage one or two, and the question stored (scrubbed) as not understood."""
        language = reply_language(tracker)
        text = user_text(tracker)
        if text and "emergency" in detect_categories(text):
            dispatcher.utter_message(response="utter_emergency", language=language)
        with sessions()() as session:
            if text:
                record_unanswered(
                    session,
                    sender_id=tracker.sender_id,
                    language=language,
                    question=text,
                    reason="not_understood",
                )
                session.commit()
            if _previous_bot_action(tracker) == self.name():
                dispatcher.utter_message(response="utter_fallback_final", language=language)
                return [UserUtteranceReverted()]
            choices = self._likely_meanings(tracker, session, text, language)
        dispatcher.utter_message(
            response="utter_fallback_options", language=language, choices=choices
        )
        return []

    def _likely_meanings(
        self, tracker: Tracker, session: Any, text: str, language: str
    ) -> list[dict[str, Any]]:
        choices: list[dict[str, Any]] = []
        if text:
            labels = category_labels(session, language)
            seen: set[str] = set()
            vector = text_vector(tracker, text)
            for hit in search_engine().search(session, text, limit=3, query_vector=vector):
                for code in hit.categories:
                    if code not in seen:
                        seen.add(code)
                        choices.append(
                            {
                                "title": labels.get(code, code),
                                "payload": payload_json("find_service", category=code),
                            }
                        )
        ranking = tracker.latest_message.get("intent_ranking") or []
        for intent in (item.get("name") for item in ranking):
            if intent in OFFERED_INTENTS and intent != "find_service":
                choices.append({"label_id": f"intent_label_{intent}", "payload": f"/{intent}"})
        return choices[:MAX_OPTIONS]
