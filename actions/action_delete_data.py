"""'Delete my data': erase the person's records and ask the channel to erase the conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.support import reply_language, sessions
from bot.conversations.records import erase_sender_records

ERASE_PAYLOAD = {"type": "erase_conversation"}


class ActionDeleteData(Action):
    """Records go now; the tracker is erased by the channel once this turn has finished."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_delete_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Erase, confirm, and signal the channel."""
        language = reply_language(tracker)
        with sessions()() as session:
            erase_sender_records(session, tracker.sender_id)
            session.commit()
        dispatcher.utter_message(
            response="utter_data_deleted", language=language, json_message=ERASE_PAYLOAD
        )
        return [AllSlotsReset()]
