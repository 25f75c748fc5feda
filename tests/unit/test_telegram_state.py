"""The channel's memory: offered buttons, seen updates, encrypted chat routes, chat ordering."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from telegram import Chat, Update, User
from telegram import Message as TelegramMessage

from bot.channels.telegram.chat_routes import MemoryChatRoutes, route_key, seal, unseal
from bot.channels.telegram.dedup import MemoryUpdateLog
from bot.channels.telegram.offered_buttons import MAX_BUTTONS_PER_SENDER, MemoryOfferedButtons
from bot.channels.telegram.ordering import PerChatUpdateProcessor
from bot.channels.telegram.stored_language import StoredLanguage, latest_slots


async def test_a_button_press_sends_only_what_that_person_was_offered() -> None:
    buttons = MemoryOfferedButtons()
    token = await buttons.offer("telegram-amina", "/ask_hours")
    assert len(token.encode()) <= 64  # Telegram's callback_data limit
    assert await buttons.payload("telegram-amina", token) == "/ask_hours"
    assert await buttons.payload("telegram-omar", token) is None  # another person's button
    assert await buttons.payload("telegram-amina", "/request_human") is None  # forged data
    await buttons.forget("telegram-amina")
    assert await buttons.payload("telegram-amina", token) is None  # erased


async def test_old_buttons_expire_when_a_person_collects_too_many() -> None:
    buttons = MemoryOfferedButtons()
    first = await buttons.offer("s", "/first")
    for index in range(MAX_BUTTONS_PER_SENDER):
        await buttons.offer("s", f"/p{index}")
    assert await buttons.payload("s", first) is None


async def test_an_update_id_is_taken_once() -> None:
    log = MemoryUpdateLog(capacity=2)
    assert await log.first_time(1, 10)
    assert not await log.first_time(1, 10)
    assert await log.first_time(2, 10)  # another bot


def test_chat_routes_are_sealed_and_bound_to_the_sender() -> None:
    key = route_key("a-pseudonym-key-of-some-length")
    sealed = seal(key, "telegram-amina", 7304519826)
    assert b"7304519826" not in sealed
    assert seal(key, "telegram-amina", 7304519826) != sealed  # fresh nonce each time
    assert unseal(key, "telegram-amina", sealed) == 7304519826
    assert unseal(key, "telegram-omar", sealed) is None  # copied to another sender
    assert unseal(route_key("another-key-entirely"), "telegram-amina", sealed) is None
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    assert unseal(key, "telegram-amina", tampered) is None


async def test_memory_routes_forget() -> None:
    routes = MemoryChatRoutes(capacity=1)
    await routes.remember("a", 1)
    await routes.remember("b", 2)
    assert await routes.chat_of("a") is None  # bounded
    assert await routes.chat_of("b") == 2
    await routes.forget("b")
    assert await routes.chat_of("b") is None


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "x", is_bot=False)
    chat = Chat(chat_id, Chat.PRIVATE)
    message = TelegramMessage(update_id, None, chat, from_user=user)
    return Update(update_id, message=message)


async def test_one_chat_in_order_different_chats_at_the_same_time() -> None:
    processor = PerChatUpdateProcessor(16)
    done: list[tuple[int, int]] = []
    slow_chat_started = asyncio.Event()
    release_slow_chat = asyncio.Event()

    async def handle(update: Update, delay: float) -> None:
        assert update.effective_chat is not None
        if update.update_id == 1:
            slow_chat_started.set()
            await release_slow_chat.wait()
        await asyncio.sleep(delay)
        done.append((update.effective_chat.id, update.update_id))

    tasks = [
        asyncio.create_task(processor.process_update(u, handle(u, d)))
        for u, d in [
            (_update(1, 100), 0.0),  # chat 100 blocks until released
            (_update(2, 100), 0.0),
            (_update(3, 200), 0.0),  # chat 200 must not wait for chat 100
            (_update(4, 100), 0.0),
        ]
    ]
    await slow_chat_started.wait()
    await asyncio.sleep(0.05)
    assert done == [(200, 3)]
    release_slow_chat.set()
    await asyncio.gather(*tasks)
    assert [u for c, u in done if c == 100] == [1, 2, 4]


def test_the_conversation_language_comes_from_the_latest_slot_events() -> None:
    rows = [  # newest first, as the tracker store query returns them
        json.dumps({"event": "slot", "name": "language", "value": "fr"}),
        json.dumps({"event": "slot", "name": "service_in_focus", "value": "svc-x"}),
        json.dumps({"event": "slot", "name": "chosen_language", "value": None}),
        json.dumps({"event": "slot", "name": "chosen_language", "value": "en"}),
        json.dumps({"event": "slot", "name": "language", "value": "it"}),
        "not json",
    ]
    assert latest_slots(rows, ("chosen_language", "language")) == {
        "language": "fr",
        "chosen_language": None,  # the choice was reset after it was made
    }
    assert latest_slots([], ("language",)) == {}


def test_stored_language_without_a_conversation_is_the_clients(tmp_path: Path) -> None:
    stored = StoredLanguage(f"sqlite:///{tmp_path / 'tracker.sqlite3'}", "it")
    try:
        assert stored.language("telegram-new", "uk-UA") == "uk"  # no events table yet
        assert stored.language("telegram-new", None) == "it"
    finally:
        stored.dispose()
