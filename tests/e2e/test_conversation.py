"""A real conversation through the Rasa REST channel, the path every channel uses."""

from __future__ import annotations

import uuid

import httpx
import pytest

from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.repository import CatalogueRepository
from bot.nlu.text_vector import message_vector
from bot.settings import Settings
from tests.helpers import card_text, customs, say, texts

pytestmark = pytest.mark.engine


def _sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def test_greeting_is_answered_in_the_users_language(running_stack: Settings) -> None:
    italian = texts(say(running_stack, _sender(), "buongiorno", language="it"))
    english = texts(say(running_stack, _sender(), "hello", language="en"))
    assert "Comune di Cremona" in italian and "assistente" in italian
    assert "Municipality of Cremona" in english and "assistant" in english


def _service_name(settings: Settings, service_id: str, language: str) -> str:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            repository = CatalogueRepository(session)
            service = repository.service(service_id)
            assert service is not None
            texts = repository.translations_for([service])
            return texts.localize(("service", service_id, "name"), service.name, language).text
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("question", "language", "hours_words"),
    [
        ("Dove posso imparare l'italiano?", "it", ("Oggi", "chiuso")),
        ("Where can I learn Italian?", "en", ("Today", "Closed")),
    ],
)
def test_course_question_gets_an_italian_course_card(
    running_stack: Settings, question: str, language: str, hours_words: tuple[str, str]
) -> None:
    reply = say(running_stack, _sender(), question, language=language)
    payloads = customs(reply)
    assert payloads and payloads[0]["type"] == "service"
    assert "language" in payloads[0]["categories"]
    assert payloads[0]["language"] == language
    lines = card_text(reply).splitlines()
    assert lines[0] == _service_name(running_stack, payloads[0]["id"], language)
    assert any(line.startswith("📍") and "Cremona" in line for line in lines)  # address
    hours = next(line for line in lines if line.startswith("🕒"))
    assert any(word in hours for word in hours_words)  # today's hours, in the language
    assert any(line.startswith("☎") for line in lines)  # contact
    buttons = [b for m in reply for b in m.get("buttons", [])]
    assert {"/ask_hours", "/ask_address"} <= {b["payload"] for b in buttons}


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("ami italian bhasha kothay shikhte pari?", "language"),
        ("amar baccha ke school e bhorti korte chai, ki korbo", "education"),
    ],
)
def test_bengali_in_latin_letters_finds_the_service_and_answers_in_bengali(
    running_stack: Settings, question: str, category: str
) -> None:
    """Banglish, as many Bengali speakers write: the card comes, in the person's Bengali."""
    reply = say(running_stack, _sender(), question, language="bn")
    payloads = customs(reply)
    assert payloads and payloads[0]["type"] == "service"
    assert category in payloads[0]["categories"]
    assert payloads[0]["language"] == "bn"


def test_wolof_is_answered_in_wolof_on_a_phone_set_to_french(running_stack: Settings) -> None:
    """No detector library knows Wolof; its own common words tell it, so a Senegalese user
    whose phone is in French is answered in the language they wrote in."""
    reply = say(
        running_stack, _sender(), "dama bëgg jàng italien, fan laa ko mëna def?", language="fr"
    )
    payloads = customs(reply)
    assert payloads and payloads[0]["type"] == "service"
    assert "language" in payloads[0]["categories"]
    assert payloads[0]["language"] == "wo"


def test_the_message_vector_reaches_the_actions_with_the_parse(running_stack: Settings) -> None:
    """Rasa's featurizer embeds the message once; search reuses that vector."""
    sender = _sender()
    question = "Мені потрібні курси італійської мови"
    reply = say(running_stack, sender, question, language="uk")
    assert customs(reply)[0]["id"] == "svc-cpia-italian-courses"
    tracker = httpx.get(
        f"{running_stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": running_stack.rasa_token},
        timeout=30,
    ).json()
    parse = tracker["latest_message"]
    assert parse["text"] == question
    assert message_vector(parse, question) is not None


def test_follow_up_uses_the_service_in_focus(running_stack: Settings) -> None:
    sender = _sender()
    first = say(running_stack, sender, "Where can I learn Italian?", language="en")
    reply = say(running_stack, sender, "/ask_documents", language="en")
    assert customs(reply)[0]["id"] == customs(first)[0]["id"]
    assert "Documents to bring" in texts(reply) or "No documents" in texts(reply)


def test_rest_api_needs_the_token(running_stack: Settings) -> None:
    url = f"{running_stack.rasa_url}/conversations/someone/tracker"
    assert httpx.get(url).status_code == 401
    good = httpx.get(url, params={"token": running_stack.rasa_token})
    assert good.status_code == 200


def test_health_reports_every_component(running_stack: Settings) -> None:
    body = httpx.get(f"{running_stack.web_url}/health", timeout=10).json()
    assert body["status"] == "ok"
    assert {name for name, part in body["components"].items() if part["ok"]} == {
        "rasa",
        "action_server",
        "database",
    }


def test_nlg_endpoint_refuses_callers_without_the_token(running_stack: Settings) -> None:
    response = httpx.post(f"{running_stack.web_url}/nlg", json={"response": "utter_greet"})
    assert response.status_code == 401
