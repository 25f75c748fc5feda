"""After two hours of downtime, the backlog is answered once each, in per-chat order.

The bot process is stopped (Rasa keeps running); people in several chats write while it
is down, so the emulated Bot API queues their updates, which are then made to look two
hours old (their `date`). When the bot is back, every queued message gets its answer
exactly once, each chat's in the order it was sent. Redelivering the whole backlog after
a second restart answers nothing again: the update ids taken are remembered in Redis.

The channel has no behaviour of its own for old messages (no "sorry for the delay", no
cut-off: Telegram itself discards updates after 24 hours), so a delayed message is
answered like any other, which is what this test holds it to.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, text

from bot.i18n.translator import render
from bot.settings import Settings
from tests.e2e.telegram.conftest import BotProcess
from tests.e2e.telegram.emulator import Emulator
from tests.e2e.telegram.telegram_user import BotMessage, TelegramUser

pytestmark = pytest.mark.engine

UserFactory = Callable[..., TelegramUser]
DOWNTIME_SECONDS = 2 * 3600
QUESTION = "Dove posso imparare l'italiano?"
ENGINE_TEXT = {"/start": "/greet", "/help": "/help", "/privacy": "/privacy"}
# what each chat writes while the bot is down; sent round-robin, so the chats interleave
BACKLOG = {
    "it": ["/start", QUESTION, "/help"],
    "en": ["/help", "/privacy", "/start"],
    "uk": ["/privacy", "/start", "/help"],
}


def _prefix(message_id: str, language: str) -> str:
    """The reply's text up to its first variable other than the municipality."""
    marker = "\x00"
    variables = {"municipality": "Cremona", "retention_days": marker}
    return render(message_id, language, variables).split(marker, 1)[0]


def _answered(reply: list[BotMessage], language: str) -> list[str]:
    """Which sent message each bot message answers, in the order they reached the chat.

    A service card (the venue, possibly several) stands for the question; messages that
    answer nothing in particular (a first-contact privacy notice) are left out.
    """
    answers = {
        "/start": _prefix("utter_greet", language),
        "/help": _prefix("utter_help", language),
        "/privacy": _prefix("utter_privacy", language),
    }
    labels: list[str] = []
    for message in reply:
        if message.venue:
            if labels[-1:] != [QUESTION]:
                labels.append(QUESTION)
            continue
        labels += [sent for sent, answer in answers.items() if message.text.startswith(answer)]
    return labels


def _all_answered(language: str, sent: list[str]) -> Callable[[list[BotMessage]], bool]:
    """A `replies(until=...)` condition: as many answers arrived as messages were sent."""
    return lambda reply: len(_answered(reply, language)) >= len(sent)


def _user_texts(settings: Settings, sender: str) -> list[str]:
    """What the engine received from the person, in order (read from the tracker store)."""
    engine = create_engine(settings.tracker_store_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' "
                    "ORDER BY id"
                ),
                {"s": sender},
            )
            return [json.loads(row[0])["text"] for row in rows]
    finally:
        engine.dispose()


def _queued_update_ids(emulator: Emulator, user: TelegramUser) -> list[tuple[int, int]]:
    """(update id, date) of each message the user sent, as the emulator will deliver it."""
    history = emulator.http.post("/getUpdatesHistory", json={"token": user.token}).json()
    return [
        (int(item["updateId"]), int(item["message"]["date"]))
        for item in history["result"]
        if (item.get("message") or {}).get("from", {}).get("id") == user.user_id
    ]


def _deliveries(emulator: Emulator, update_id: int) -> int:
    """How many times the bot fetched an update."""
    return int(emulator.query("/_test/deliveries", update_id=update_id))


def test_a_two_hour_backlog_is_answered_once_each_in_per_chat_order(
    new_user: UserFactory,
    telegram_bot: BotProcess,
    emulator: Emulator,
    running_stack: Settings,
) -> None:
    users = {language: new_user(language) for language in BACKLOG}
    token = telegram_bot.settings.telegram_bot_token

    telegram_bot.stop()
    try:
        for turn in range(len(BACKLOG["it"])):
            for language, user in users.items():
                user.send(BACKLOG[language][turn])
        sent_at = time.time()
        aged = emulator.control("/_test/age", token=token, seconds=DOWNTIME_SECONDS)
    finally:
        telegram_bot.start()
    assert aged == sum(len(messages) for messages in BACKLOG.values())
    queued = {language: _queued_update_ids(emulator, user) for language, user in users.items()}
    for language, updates in queued.items():  # what the bot is given: two-hour-old messages
        assert len(updates) == len(BACKLOG[language])
        assert all(date <= sent_at - DOWNTIME_SECONDS + 1 for _, date in updates)

    for language, user in users.items():
        expected = BACKLOG[language]
        reply = user.replies(
            until=_all_answered(language, expected),
            timeout=60,
            quiet=2.0,
        )
        assert _answered(reply, language) == expected, [m.text or m.venue for m in reply]
        sender = telegram_bot.pseudonym(user)
        assert _user_texts(running_stack, sender) == [ENGINE_TEXT.get(t, t) for t in expected]

    # Telegram may deliver the same updates again (a crash before the offset was
    # confirmed): after another restart, none of them is answered a second time
    telegram_bot.stop()
    telegram_bot.start()
    update_ids = [update_id for updates in queued.values() for update_id, _ in updates]
    for update_id in update_ids:
        emulator.control("/_test/redeliver", token=token, update_id=update_id)
    deadline = time.monotonic() + 20
    while not all(_deliveries(emulator, update_id) == 2 for update_id in update_ids):
        assert time.monotonic() < deadline, "the bot did not fetch the redelivered backlog"
        time.sleep(0.3)
    time.sleep(4)  # time enough to answer them, were they taken for new
    for language, user in users.items():
        user.silence(0)
        assert _user_texts(running_stack, telegram_bot.pseudonym(user)) == [
            ENGINE_TEXT.get(t, t) for t in BACKLOG[language]
        ]
