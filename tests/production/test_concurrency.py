"""Twenty messages of one conversation within one second, spread over both Rasa servers."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from bot.channels.engine_client import EngineClient
from tests.production.conftest import Production
from tests.production.trackers import Event, corruption, events, user_events

pytestmark = [pytest.mark.engine, pytest.mark.production]
BURST = 20
SPACING_SECONDS = 0.05  # 20 messages in one second


def _sequence(stored: list[Event]) -> list[int]:
    return [int(e.data["metadata"]["seq"]) for e in stored]


def _turns_interleaved(stored: list[Event]) -> list[int]:
    """Indexes of user messages whose turn did not end (action_listen) before the next one."""
    bad, open_turn = [], None
    for event in stored:
        if event.type_name == "user":
            if open_turn is not None:
                bad.append(open_turn)
            open_turn = int(event.data["metadata"]["seq"])
        elif event.type_name == "action" and event.data.get("name") == "action_listen":
            open_turn = None
    return bad


async def test_a_burst_through_the_engine_pool_is_answered_once_each_in_send_order(
    production: Production,
) -> None:
    settings = production.settings
    client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=60)
    sender = f"burst-pool-{uuid.uuid4().hex[:8]}"
    try:
        tasks = []
        for seq in range(BURST):
            metadata = {"language": "en", "seq": seq}
            tasks.append(asyncio.create_task(client.send(sender, "hello", metadata)))
            await asyncio.sleep(SPACING_SECONDS)
        replies = await asyncio.gather(*tasks)
        served = dict(client.pool.served)
    finally:
        await client.aclose()

    assert all(replies)  # every message answered
    assert set(served) == set(settings.rasa_urls), served  # both servers took part
    stored = user_events(settings.tracker_store_url, sender)
    assert _sequence(stored) == list(range(BURST))  # exactly once each, in send order
    assert [e.timestamp for e in stored] == sorted(e.timestamp for e in stored)
    assert not _turns_interleaved(events(settings.tracker_store_url, sender))
    assert corruption(settings.tracker_store_url) == []


async def test_a_burst_straight_at_both_servers_is_serialised_by_the_redis_lock(
    production: Production,
) -> None:
    """No ordering help from the app: both servers take messages of one conversation at once."""
    settings = production.settings
    sender = f"burst-direct-{uuid.uuid4().hex[:8]}"
    bearer = {"Authorization": f"Bearer {settings.rasa_token}"}
    timeout = settings.turn_timeout_seconds + 15
    async with httpx.AsyncClient(timeout=timeout, headers=bearer) as http:

        async def post(seq: int) -> httpx.Response:
            url = settings.rasa_urls[seq % 2] + "/webhooks/rest/webhook"
            body = {
                "sender": sender,
                "message": "hello",
                "metadata": {"language": "en", "seq": seq},
            }
            return await http.post(url, json=body)

        tasks = []
        for seq in range(BURST):
            tasks.append(asyncio.create_task(post(seq)))
            await asyncio.sleep(SPACING_SECONDS)
        responses = await asyncio.gather(*tasks)

    assert [r.status_code for r in responses] == [200] * BURST
    assert all(r.json() for r in responses)
    stored = events(settings.tracker_store_url, sender)
    assert sorted(_sequence([e for e in stored if e.type_name == "user"])) == list(range(BURST))
    assert not _turns_interleaved(stored)  # one turn at a time, never two at once
    assert [e.timestamp for e in stored] == sorted(e.timestamp for e in stored)
    assert corruption(settings.tracker_store_url) == []
