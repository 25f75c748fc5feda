"""How messages travel: once, in order, through floods, outages and restarts; staff replies.

Same setup as the conversation tests: emulated Bot API, the bot as its own process,
the real Rasa server and action server behind a front the tests can interrupt.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from bot.conversations import outbox
from bot.i18n.translator import render
from bot.settings import Settings
from tests.e2e.telegram.conftest import REDIS_URL, BotProcess
from tests.e2e.telegram.emulator import Emulator
from tests.e2e.telegram.engine_front import EngineFront
from tests.e2e.telegram.telegram_user import BotMessage, TelegramUser, joined

pytestmark = pytest.mark.engine

UserFactory = Callable[..., TelegramUser]


def text_of(message_id: str, language: str, domain: str = "messages") -> str:
    return render(message_id, language, {"municipality": "Cremona"}, domain=domain)


def has_venue(messages: list[BotMessage]) -> bool:
    return any(m.venue for m in messages)


def update_id_of(emulator: Emulator, user: TelegramUser, text: str) -> int:
    """The update id the emulator gave to a message the user sent."""
    history = emulator.http.post("/getUpdatesHistory", json={"token": user.token}).json()
    for item in reversed(history["result"]):
        message = item.get("message") or {}
        if message.get("text") == text and (message.get("chat") or {}).get("id") == user.user_id:
            return int(item["updateId"])
    raise AssertionError(f"the emulator has no update with {text!r}")


@pytest.fixture
def engine_is_restored(engine_front: EngineFront) -> Iterator[EngineFront]:
    """Whatever a test does to the engine front, it is working again afterwards."""
    yield engine_front
    engine_front.down = False


def test_an_update_delivered_twice_is_answered_once(
    new_user: UserFactory, emulator: Emulator
) -> None:
    user = new_user("it")
    assert text_of("utter_help", "it") in joined(user.say("/help"))
    update_id = update_id_of(emulator, user, "/help")
    emulator.control("/_test/redeliver", token=user.token, update_id=update_id)
    user.silence(4)
    assert emulator.query("/_test/deliveries", update_id=update_id) == 2  # it did come twice


def test_messages_of_one_chat_are_answered_in_order(
    new_user: UserFactory, telegram_bot: BotProcess, engine_front: EngineFront
) -> None:
    user = new_user("it")
    user.say("/start")
    engine_front.delay_next(telegram_bot.pseudonym(user), 3.0)  # the first turn is slow
    user.send("Dove posso imparare l'italiano?")
    user.send("/privacy")
    user.send("/help")
    reply = user.replies(until=lambda m: text_of("utter_help", "it") in joined(m), timeout=90)
    texts = [m.text for m in reply]
    card = next(i for i, m in enumerate(reply) if m.venue)
    privacy = next(i for i, t in enumerate(texts) if t.startswith("🔒 "))
    help_ = next(i for i, t in enumerate(texts) if text_of("utter_help", "it") in t)
    assert card < privacy < help_


def test_other_chats_are_answered_while_one_waits(
    new_user: UserFactory, telegram_bot: BotProcess, engine_front: EngineFront
) -> None:
    slow, quick = new_user("it"), new_user("en")
    engine_front.hold(telegram_bot.pseudonym(slow))
    try:
        slow.send("/help")
        time.sleep(1)
        assert text_of("utter_help", "en") in joined(quick.say("/help"))
        slow.silence(1)  # still waiting for its engine turn
    finally:
        engine_front.release(telegram_bot.pseudonym(slow))
    assert text_of("utter_help", "it") in joined(slow.replies())


def test_flood_control_waits_out_retry_after(
    new_user: UserFactory, emulator: Emulator, telegram_bot: BotProcess
) -> None:
    token = telegram_bot.settings.telegram_bot_token
    user = new_user("it")
    before = len(emulator.calls(token, "sendMessage"))
    emulator.fail_next("sendMessage", count=1, status=429, retry_after=2)
    assert text_of("utter_help", "it") in joined(user.say("/help"))
    calls = emulator.calls(token, "sendMessage")[before:]
    assert len(calls) >= 2
    assert calls[1]["at"] - calls[0]["at"] >= 1.9  # waited as Telegram asked


def test_network_errors_are_retried_with_backoff(
    new_user: UserFactory, emulator: Emulator, telegram_bot: BotProcess
) -> None:
    token = telegram_bot.settings.telegram_bot_token
    user = new_user("it")
    before = len(emulator.calls(token, "sendMessage"))
    emulator.fail_next("sendMessage", count=2, status=502)
    reply = user.say("/help")
    assert [m.text for m in reply].count(text_of("utter_help", "it")) == 1  # once, not thrice
    calls = emulator.calls(token, "sendMessage")[before:]
    assert calls[2]["at"] - calls[1]["at"] > calls[1]["at"] - calls[0]["at"]  # growing pauses


def test_engine_down_apologises_and_answers_when_it_is_back(
    new_user: UserFactory, engine_is_restored: EngineFront
) -> None:
    user = new_user("uk")
    engine_is_restored.down = True
    user.send("/help")
    waiting = user.replies(quiet=0.5)
    assert joined(waiting) == text_of("engine_waiting", "uk", domain="telegram")
    assert engine_is_restored.refused >= 1
    engine_is_restored.down = False
    assert text_of("utter_help", "uk") in joined(user.replies(timeout=30))


def test_engine_down_too_long_asks_to_send_again(
    new_user: UserFactory, engine_is_restored: EngineFront
) -> None:
    user = new_user("fr")
    engine_is_restored.down = True
    user.send("/help")
    reply = user.replies(
        until=lambda m: text_of("engine_gave_up", "fr", domain="telegram") in joined(m),
        timeout=40,
    )
    assert [m.text for m in reply] == [
        text_of("engine_waiting", "fr", domain="telegram"),
        text_of("engine_gave_up", "fr", domain="telegram"),
    ]


def _enqueue(catalogue_sessions: Any, sender: str, text: str) -> int:
    with catalogue_sessions.begin() as session:
        return outbox.enqueue(session, sender, "telegram", text, "Operatrice Giulia").id


def _delivered(catalogue_sessions: Any, message_id: int) -> bool:
    with catalogue_sessions() as session:
        message = session.get(outbox.OutboundMessage, message_id)
        return message is not None and message.delivered_at is not None


def test_a_staff_reply_reaches_the_chat_escaped_and_in_the_persons_language(
    new_user: UserFactory, telegram_bot: BotProcess, catalogue_sessions: Any
) -> None:
    user = new_user("ro")
    user.say("/help")
    sender = telegram_bot.pseudonym(user)
    reply_id = _enqueue(
        catalogue_sessions, sender, "Vă așteptăm marți <b>la ora 10</b> & aduceți actele."
    )
    reply = user.replies(timeout=20)
    assert len(reply) == 1
    heading, body = reply[0].text.split("\n", 1)
    assert heading == text_of("staff_reply", "ro", domain="telegram")
    assert reply[0].bold == [heading]  # only the heading is bold: the staff's tags are text
    assert body == "Vă așteptăm marți <b>la ora 10</b> & aduceți actele."
    assert _delivered(catalogue_sessions, reply_id)
    user.silence(3)  # delivered once


def test_a_staff_reply_reaches_the_chat_after_a_bot_restart(
    new_user: UserFactory,
    telegram_bot: BotProcess,
    catalogue_sessions: Any,
    running_stack: Settings,
) -> None:
    user = new_user("it")
    user.say("/help")
    sender = telegram_bot.pseudonym(user)
    telegram_bot.stop()
    try:
        reply_id = _enqueue(catalogue_sessions, sender, "Le abbiamo fissato un appuntamento.")
    finally:
        telegram_bot.start()
    reply = user.replies(timeout=30)  # the person did not write again
    assert reply[0].text.endswith("Le abbiamo fissato un appuntamento.")
    assert _delivered(catalogue_sessions, reply_id)
    # the route that made it possible is stored encrypted, never as the chat id
    client = redis.Redis.from_url(REDIS_URL)
    try:
        prefix = telegram_bot.settings.redis_key_prefix
        keys = list(client.scan_iter(f"{prefix}:*"))
        assert f"{prefix}:telegram:route:{sender}".encode() in keys
        for key in keys:
            assert str(user.user_id).encode() not in key
            if client.type(key) == b"string":
                assert str(user.user_id).encode() not in client.get(key)
    finally:
        client.close()


def test_the_command_menu_and_descriptions_are_published_in_every_language(
    emulator: Emulator, telegram_bot: BotProcess
) -> None:
    token = telegram_bot.settings.telegram_bot_token
    deadline = time.monotonic() + 30
    while not emulator.bot_api(token, "getMyCommands", language_code="de"):
        assert time.monotonic() < deadline, "no German command menu"
        time.sleep(0.5)
    arabic = {
        c["command"]: c["description"]
        for c in emulator.bot_api(token, "getMyCommands", language_code="ar")
    }
    assert set(arabic) == {"start", "language", "help", "privacy", "delete"}
    assert arabic["language"] == text_of("cmd_language", "ar", domain="telegram")
    default = {c["command"]: c["description"] for c in emulator.bot_api(token, "getMyCommands")}
    assert default["delete"] == text_of("cmd_delete", "it", domain="telegram")
    description = emulator.bot_api(token, "getMyDescription", language_code="ti")["description"]
    assert description == render(
        "bot_description", "ti", {"municipality": "Cremona"}, domain="telegram"
    )


def test_the_raw_telegram_id_username_and_token_are_never_logged_or_stored(
    new_user: UserFactory, telegram_bot: BotProcess, running_stack: Settings
) -> None:
    user = new_user("en")
    user.say("Where can I learn Italian?", until=has_venue)
    user.send_message(
        sticker={
            "file_id": "s",
            "file_unique_id": "u",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        }
    )
    user.replies()
    secrets_ = [str(user.user_id), user.username, telegram_bot.settings.telegram_bot_token]
    logs = sorted((running_stack.data_dir / "logs").glob("*.log"))
    assert telegram_bot.log_path in logs
    for log in logs:
        if log.name == "telegram-emulator.log":
            continue  # the emulator plays Telegram: it knows the ids
        content = log.read_text(errors="replace")
        for secret in secrets_:
            assert secret not in content, f"{secret!r} appears in {log.name}"
    for database in running_stack.data_dir.glob("*.sqlite3*"):
        raw = database.read_bytes()
        assert str(user.user_id).encode() not in raw and user.username.encode() not in raw
    assert re.search(r"telegram bot @TestNameBot ready", telegram_bot.log_path.read_text())
