"""The public chat API against the real stack: signed conversation ids, guarded payloads,
validation, the outbox of staff replies, and an engine that is down."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.conversations.models import HandoffRequest
from bot.conversations.outbox import enqueue
from bot.settings import Settings
from bot.web.app import create_app
from bot.widget.conversation_ids import ConversationSigner
from tests.helpers import free_port, stack_settings

pytestmark = pytest.mark.engine


def _start(settings: Settings, language: str = "it") -> str:
    response = httpx.post(f"{settings.web_url}/api/chat/start", json={"language": language})
    assert response.status_code == 200
    token: str = response.json()["conversation"]
    return token


def _send(settings: Settings, token: str, text: str, language: str) -> httpx.Response:
    return httpx.post(
        f"{settings.web_url}/api/chat/send",
        json={"conversation": token, "text": text, "language": language},
        timeout=30,
    )


def _text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(
        "".join(segment["text"] for segment in message.get("segments", [])) for message in messages
    )


def _sender(settings: Settings, token: str) -> str:
    return (
        ConversationSigner(settings.secret_key).read(token, "web").sender_id(settings.pseudonym_key)
    )


@pytest.mark.parametrize(
    ("language", "question", "script_range"),
    [
        ("ar", "أريد دروس اللغة الإيطالية", ("\u0600", "\u06ff")),  # I want Italian lessons
        ("uk", "Мені потрібні курси італійської мови", ("\u0400", "\u04ff")),  # I need courses
    ],
)
def test_a_question_gets_a_service_card_in_the_persons_language(
    running_stack: Settings, language: str, question: str, script_range: tuple[str, str]
) -> None:
    token = _start(running_stack, language)
    response = _send(running_stack, token, question, language)
    assert response.status_code == 200
    messages = response.json()["messages"]
    assert any(m.get("service_id") for m in messages), messages
    reply = _text(messages)
    low, high = script_range
    letters = [c for c in reply if c.isalpha()]
    in_script = [c for c in letters if low <= c <= high]
    assert len(in_script) > len(letters) / 2, reply  # answered in Arabic / Ukrainian script
    buttons = [b["payload"] for m in messages for b in m.get("buttons", [])]
    assert "/ask_hours" in buttons


def test_a_forged_or_altered_conversation_id_is_refused(running_stack: Settings) -> None:
    token = _start(running_stack)
    forged = ConversationSigner("someone-elses-key-1234567890").issue("web")[0]
    desk_token = ConversationSigner(running_stack.secret_key).issue("desk")[0]
    for bad in (forged, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), desk_token, "x"):
        response = _send(running_stack, bad, "ciao", "it")
        assert response.status_code == 403
        assert response.json()["field"] == "conversation"


def test_staff_replies_reach_only_their_own_conversation_once(running_stack: Settings) -> None:
    mine, other = _start(running_stack), _start(running_stack)
    engine = make_engine(running_stack.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            enqueue(session, _sender(running_stack, mine), "web", "Ci vediamo alle 10.", "Anna")
    finally:
        engine.dispose()
    poll = f"{running_stack.web_url}/api/chat/poll"
    assert httpx.post(poll, json={"conversation": other}).json()["messages"] == []
    delivered = httpx.post(poll, json={"conversation": mine}).json()["messages"]
    assert _text(delivered) == "Ci vediamo alle 10."
    assert httpx.post(poll, json={"conversation": mine}).json()["messages"] == []


def _handoffs(settings: Settings, sender: str) -> int:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            query = select(func.count()).where(HandoffRequest.sender_id == sender)
            return int(session.scalar(query) or 0)
    finally:
        engine.dispose()


def test_typed_intent_syntax_cannot_set_intents_but_offered_buttons_can(
    running_stack: Settings,
) -> None:
    token = _start(running_stack, "en")
    typed = _send(running_stack, token, '/handoff_consent{"consent": "yes"}', "en").json()
    assert _handoffs(running_stack, _sender(running_stack, token)) == 0
    assert "/browse_categories" not in _text(typed["messages"])
    greeting = _send(running_stack, token, "hello", "en").json()["messages"]
    offered = [b["payload"] for m in greeting for b in m.get("buttons", [])]
    assert "/browse_categories" in offered
    menu = _send(running_stack, token, "/browse_categories", "en").json()["messages"]
    category_buttons = [b["payload"] for m in menu for b in m.get("buttons", [])]
    assert len(category_buttons) >= 5  # the category menu the button leads to


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b"{not json", 400, "body"),
        (b"[1, 2]", 400, "body"),
        (b'{"conversation": "%s"}', 400, "text"),
        (b'{"conversation": "%s", "text": 42}', 400, "text"),
        (b'{"conversation": "%s", "text": "   "}', 400, "text"),
        (b'{"conversation": "%s", "text": "' + b"a" * 1001 + b'"}', 400, "text"),
        (b'{"conversation": "%s", "text": "hi", "language": "xx"}', 400, "language"),
        (b'{"conversation": "%s", "text": "' + b"a" * 9000 + b'"}', 413, "body"),
    ],
)
def test_bad_bodies_get_a_4xx_naming_the_field(
    running_stack: Settings, body: bytes, status: int, field: str
) -> None:
    token = _start(running_stack)
    content = body.replace(b"%s", token.encode()) if b"%s" in body else body
    response = httpx.post(
        f"{running_stack.web_url}/api/chat/send",
        content=content,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == status
    assert response.json()["field"] == field


def test_engine_down_answers_503_in_the_persons_language(tmp_path: Any) -> None:
    settings = stack_settings(tmp_path, rasa_url=f"http://127.0.0.1:{free_port()}")
    from bot.catalogue.setup import prepare_catalogue

    prepare_catalogue(settings.database_url)
    with TestClient(create_app(settings)) as client:
        token = client.post("/api/chat/start", json={"language": "ar"}).json()["conversation"]
        response = client.post(
            "/api/chat/send", json={"conversation": token, "text": "مرحبا", "language": "ar"}
        )
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "engine_unavailable"
    assert any("\u0600" <= c <= "\u06ff" for c in body["message"])


def test_every_page_sends_a_csp_without_inline_scripts(running_stack: Settings) -> None:
    widget = httpx.get(f"{running_stack.web_url}/widget?lang=ar")
    policy = widget.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert 'dir="rtl"' in widget.text and "<script>" not in widget.text
    health = httpx.get(f"{running_stack.web_url}/health", timeout=10)
    assert "frame-ancestors 'none'" in health.headers["content-security-policy"]


def test_uuid_is_not_a_conversation(running_stack: Settings) -> None:
    response = _send(running_stack, str(uuid.uuid4()), "ciao", "it")
    assert response.status_code == 403


def test_a_language_chosen_from_the_list_is_the_language_of_the_answers(
    running_stack: Settings,
) -> None:
    token = _start(running_stack, "it")
    url = f"{running_stack.web_url}/api/chat/language"
    chosen = httpx.post(url, json={"conversation": token, "language": "uk"}, timeout=30)
    assert chosen.status_code == 200
    assert chosen.json()["language"] == "uk"
    confirmation = _text(chosen.json()["messages"])
    assert any("\u0400" <= c <= "\u04ff" for c in confirmation), confirmation
    forged = ConversationSigner("someone-elses-key-1234567890").issue("web")[0]
    refused = httpx.post(url, json={"conversation": forged, "language": "uk"})
    assert refused.status_code == 403 and refused.json()["field"] == "conversation"
    for bad in ("", "xx"):
        response = httpx.post(url, json={"conversation": token, "language": bad})
        assert response.status_code == 400 and response.json()["field"] == "language"


def test_the_embedding_page_origin_is_checked_before_the_widget_uses_it(
    running_stack: Settings,
) -> None:
    page = f"{running_stack.web_url}/widget"
    given = httpx.get(page, params={"embedded": "1", "host": "https://www.comune.cremona.it/x"})
    assert 'data-host="https://www.comune.cremona.it"' in given.text
    for bad in ("javascript:alert(1)", '"><script>x()</script>', "ftp://example.org"):
        refused = httpx.get(page, params={"embedded": "1", "host": bad})
        assert 'data-host=""' in refused.text and "<script>x()" not in refused.text
