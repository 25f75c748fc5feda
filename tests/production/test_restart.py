"""A restart of the whole production stack: every conversation continues where it was."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from bot.channels.engine_client import EngineClient
from bot.settings import Settings
from tests.helpers import customs
from tests.production.conftest import Production
from tests.production.trackers import corruption, events

pytestmark = [pytest.mark.engine, pytest.mark.production]
LANGUAGES = ("en", "it", "fr")
OPEN_SERVICE = '/select_service{"service_id": "svc-cultural-mediation"}'  # as a deep link does


def _say(settings: Settings, sender: str, text: str, **metadata: Any) -> list[dict[str, Any]]:
    async def send() -> list[dict[str, Any]]:
        client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=60)
        try:
            return await client.send(sender, text, metadata)
        finally:
            await client.aclose()

    return asyncio.run(send())


def test_every_conversation_continues_after_a_restart_of_the_whole_stack(
    production: Production,
) -> None:
    settings, stack = production.settings, production.stack
    focus = {}
    for language in LANGUAGES:
        sender = f"restart-{language}-{uuid.uuid4().hex[:8]}"
        reply = _say(settings, sender, OPEN_SERVICE, language=language)
        focus[sender] = (language, customs(reply)[0])
    before = {e.sender_id: 0 for e in events(settings.tracker_store_url)}
    for event in events(settings.tracker_store_url):
        before[event.sender_id] += 1

    stack.stop()
    stack.start()  # every process again, the Rasa server killed by test_faults too

    after = {sender: 0 for sender in before}
    for event in events(settings.tracker_store_url):
        after[event.sender_id] = after.get(event.sender_id, 0) + 1
    assert after == before  # nothing lost, nothing added
    for sender, (language, service) in focus.items():
        reply = _say(settings, sender, "/ask_hours")  # no language given: remembered
        card = customs(reply)[0]
        assert (card["id"], card["language"]) == (service["id"], language)
    assert corruption(settings.tracker_store_url) == []
