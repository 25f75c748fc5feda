"""The handoff queue through its forms (real web app, SQLite and PostgreSQL): a reply to a
Telegram user goes to the outbox the Telegram channel delivers; one desk cannot answer a
request another desk took; a request from a channel that cannot receive replies says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.accounts.service import save_user
from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.conversations import outbox
from bot.conversations.records import create_handoff
from bot.settings import Settings
from tests.admin_support import PASSWORD, app_client, form_of, login
from tests.helpers import stack_settings

TELEGRAM_SENDER = "tg-pseudonym-1"


@pytest.fixture
def settings(fresh_demo_url: str, tmp_path: Path) -> Settings:
    """A private catalogue with two desk accounts."""
    settings = stack_settings(tmp_path, database_url=fresh_demo_url)
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            save_user(session, "dora", "desk", PASSWORD)
            save_user(session, "dario", "desk", PASSWORD)
    finally:
        engine.dispose()
    return settings


def _request(settings: Settings, channel: str, sender: str = TELEGRAM_SENDER) -> int:
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            request = create_handoff(
                session,
                sender_id=sender,
                channel=channel,
                language="ar",
                excerpt="أحتاج مساعدة في تجديد تصريح الإقامة",
                service_id=None,
            )
            return request.id
    finally:
        engine.dispose()


def _pending(settings: Settings, channel: str) -> list[tuple[str, str]]:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            return [(m.sender_id, m.text) for m in outbox.pending(session, channel)]
    finally:
        engine.dispose()


@pytest.fixture
def dora(settings: Settings) -> Iterator[TestClient]:
    """The first desk, logged in."""
    with app_client(settings) as client:
        login(client, "dora")
        yield client


def test_a_reply_to_a_telegram_user_goes_to_the_telegram_outbox(
    settings: Settings, dora: TestClient
) -> None:
    request_id = _request(settings, "telegram")
    queue = dora.get("/desk/queue").text
    assert "تجديد تصريح الإقامة" in queue and "Telegram" in queue
    taken = dora.post(f"/desk/queue/{request_id}/take", data=form_of(dora, "/desk/queue"))
    assert taken.status_code == 200 and 'id="queue-notice"' in taken.text
    assert len(_pending(settings, "telegram")) == 1  # "someone took your request"
    reply = {**form_of(dora, "/desk/queue"), "text": "Venga domani alle 10."}
    sent = dora.post(f"/desk/queue/{request_id}/reply", data=reply)
    assert sent.status_code == 200 and "Venga domani alle 10." in sent.text
    assert (TELEGRAM_SENDER, "Venga domani alle 10.") in _pending(settings, "telegram")
    assert _pending(settings, "web") == []


def test_a_request_taken_by_one_desk_cannot_be_answered_by_another(
    settings: Settings, dora: TestClient
) -> None:
    request_id = _request(settings, "web", sender="web-pseudonym-1")
    dora.post(f"/desk/queue/{request_id}/take", data=form_of(dora, "/desk/queue"))
    with app_client(settings) as dario:
        login(dario, "dario")
        again = dario.post(f"/desk/queue/{request_id}/take", data=form_of(dario, "/desk/queue"))
        assert again.status_code == 409 and "dora" in again.text
        reply = {**form_of(dario, "/desk/queue"), "text": "Sono Dario."}
        refused = dario.post(f"/desk/queue/{request_id}/reply", data=reply)
        assert refused.status_code == 409
    assert all(text != "Sono Dario." for _, text in _pending(settings, "web"))


def test_an_empty_or_unreachable_reply_is_refused_with_the_reason(
    settings: Settings, dora: TestClient
) -> None:
    request_id = _request(settings, "web", sender="web-pseudonym-2")
    dora.post(f"/desk/queue/{request_id}/take", data=form_of(dora, "/desk/queue"))
    empty = dora.post(
        f"/desk/queue/{request_id}/reply", data={**form_of(dora, "/desk/queue"), "text": "  "}
    )
    assert empty.status_code == 400 and 'aria-invalid="true"' in empty.text
    other = _request(settings, "voice", sender="voice-pseudonym-1")
    dora.post(f"/desk/queue/{other}/take", data=form_of(dora, "/desk/queue"))
    unreachable = dora.post(
        f"/desk/queue/{other}/reply", data={**form_of(dora, "/desk/queue"), "text": "Ciao"}
    )
    assert unreachable.status_code == 400
    assert _pending(settings, "voice") == []
