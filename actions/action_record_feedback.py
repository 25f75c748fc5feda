"""Store 'was this helpful?' answers (pseudonymous, scrubbed)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.support import SERVICE_SLOT, previous_question, reply_language, sessions
from bot.conversations.records import record_feedback


class ActionRecordFeedback(Action):
    """Thank the person, and keep a not-helpful question as a gap for administrators."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Record and answer."""
        language = reply_language(tracker)
        helpful = str(next(tracker.get_latest_entity_values("helpful"), "")).lower() == "yes"
        with sessions()() as session:
            record_feedback(
                session,
                sender_id=tracker.sender_id,
                service_id=tracker.get_slot(SERVICE_SLOT),
                helpful=helpful,
                language=language,
                question=previous_question(tracker),
            )
            session.commit()
        response = "utter_feedback_thanks" if helpful else "utter_feedback_sorry"
        dispatcher.utter_message(response=response, language=language)
        return []
