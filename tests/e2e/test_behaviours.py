"""Behaviours in several languages through the real stack: emergency, menu, handoff, fallback,
language switching, feedback and deletion."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from bot.catalogue.db import make_engine, make_session_factory
from bot.channels.engine_client import EngineClient
from bot.channels.gateway import ConversationGateway
from bot.conversations.models import Feedback, HandoffRequest, UnansweredQuestion
from bot.settings import Settings
from tests.helpers import customs, say, texts

pytestmark = pytest.mark.engine


def _sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def _buttons(reply: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [button for message in reply for button in message.get("buttons", [])]


def _through_the_gateway(
    settings: Settings, sender: str, text: str, **metadata: Any
) -> list[dict[str, Any]]:
    """What a channel shows: the engine's messages after the gateway (signals, one note)."""

    async def talk() -> list[dict[str, Any]]:
        client = EngineClient(settings.rasa_url, settings.rasa_token)
        try:
            return await ConversationGateway(settings, client).handle(sender, text, metadata)
        finally:
            await client.aclose()

    return asyncio.run(talk())


def _count(settings: Settings, model: Any, sender: str) -> int:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            return int(
                session.scalar(
                    select(func.count()).select_from(model).where(model.sender_id == sender)
                )
                or 0
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("my husband hits me", "en"),
        ("mio marito mi picchia, ho paura", "it"),
        ("زوجي يضربني وأنا خائفة", "ar"),
        ("мне угрожают, я в опасности", "ru"),
    ],
)
def test_emergencies_get_the_numbers_first(
    running_stack: Settings, message: str, language: str
) -> None:
    reply = say(running_stack, _sender(), message, language=language)
    bodies = [m["text"] for m in reply if m.get("text")]
    first_after_notice = bodies[1] if bodies[0].startswith("🔒") else bodies[0]
    assert "112" in first_after_notice and "1522" in first_after_notice


def test_category_menu_and_choosing_a_service(running_stack: Settings) -> None:
    sender = _sender()
    menu = say(running_stack, sender, "/browse_categories", language="fr")
    payloads = [b["payload"] for b in _buttons(menu)]
    assert len([p for p in payloads if p.startswith("/find_service")]) == 17
    health = say(running_stack, sender, '/find_service{"category": "health"}', language="fr")
    choices = [b for b in _buttons(health) if b["payload"].startswith("/select_service")]
    assert choices, health
    card = say(running_stack, sender, choices[0]["payload"], language="fr")
    assert customs(card)[0]["language"] == "fr" and "health" in customs(card)[0]["categories"]


def test_handoff_gives_a_case_code_and_stores_only_consented_text(
    running_stack: Settings,
) -> None:
    sender = _sender()
    say(running_stack, sender, "I need help to renew my permesso di soggiorno", language="en")
    consent = say(running_stack, sender, "I want to talk to a person", language="en")
    assert '/handoff_consent{"consent": "yes"}' in [b["payload"] for b in _buttons(consent)]
    done = say(running_stack, sender, '/handoff_consent{"consent": "yes"}', language="en")
    assert "CR-" in texts(done)
    engine = make_engine(running_stack.database_url)
    try:
        with make_session_factory(engine)() as session:
            request = session.scalars(
                select(HandoffRequest).where(HandoffRequest.sender_id == sender)
            ).one()
            assert request.case_code in texts(done)
            assert request.excerpt and "permesso" in request.excerpt
            assert request.language == "en"
    finally:
        engine.dispose()


def test_two_stage_fallback_then_menu_and_person(running_stack: Settings) -> None:
    sender = _sender()
    first = say(running_stack, sender, "xqzv blorp wibble", language="en")
    assert "not sure I understood" in texts(first)
    second = say(running_stack, sender, "zzkk plomf", language="en")
    payloads = {b["payload"] for b in _buttons(second)}
    assert {"/browse_categories", "/request_human"} <= payloads
    assert _count(running_stack, UnansweredQuestion, sender) == 2


@pytest.mark.parametrize("message", ["???", "😀😀😀", "...", "!!"])
def test_a_message_without_words_gets_an_answer_not_silence(
    running_stack: Settings, message: str
) -> None:
    """No tokens for the n-gram features: once a Rasa error (500) and silence. Punctuation gets
    the fallback; a smiley may be read as thanks; either way the person gets an answer."""
    sender = _sender()
    say(running_stack, sender, "hello", language="en")
    reply = texts(say(running_stack, sender, message, language="en"))
    assert reply.strip()
    if message == "???":
        assert "not sure I understood" in reply


def test_the_bot_follows_a_language_switch_and_offers_the_way_back(
    running_stack: Settings,
) -> None:
    sender = _sender()
    say(running_stack, sender, "I need a family doctor for my children", language="en")
    reply = _through_the_gateway(
        running_stack, sender, "je cherche un cours d'italien pour adultes", language="en"
    )
    assert customs(reply)[0]["language"] == "fr"
    back = [b for b in _buttons(reply) if b["payload"] == '/choose_language{"language": "en"}']
    assert len(back) == 1 and "English" in back[0]["title"]  # once per turn
    chosen = say(running_stack, sender, back[0]["payload"], language="en")
    assert "English" in texts(chosen)
    again = say(running_stack, sender, "je cherche du travail", language="en")
    assert customs(again)[0]["language"] == "en"  # an explicit choice wins over detection


def test_feedback_is_stored_and_deletion_erases_everything(running_stack: Settings) -> None:
    sender = _sender()

    async def talk(message: str) -> list[dict[str, Any]]:
        client = EngineClient(running_stack.rasa_url, running_stack.rasa_token)
        try:
            return await ConversationGateway(running_stack, client).handle(
                sender, message, {"language": "uk"}
            )
        finally:
            await client.aclose()

    asyncio.run(talk("Де я можу вивчити італійську мову?"))
    asyncio.run(talk('/feedback{"helpful": "no"}'))
    assert _count(running_stack, Feedback, sender) == 1
    confirm = asyncio.run(talk("/delete_data"))
    assert "/confirm_delete" in [b["payload"] for b in _buttons(confirm)]
    deleted = asyncio.run(talk("/confirm_delete"))
    assert texts(deleted) and not customs(deleted)  # the internal signal is not shown
    assert _count(running_stack, Feedback, sender) == 0
    assert _count(running_stack, UnansweredQuestion, sender) == 0
    tracker = create_engine(running_stack.tracker_store_url)
    try:
        with tracker.connect() as connection:
            left = connection.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
            ).scalar()
        assert left == 0
    finally:
        tracker.dispose()
