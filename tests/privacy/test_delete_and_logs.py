"""Against the real stack: "delete my data" in the widget erases every copy (tracker,
handoff queue, feedback, question log, staff replies) and notes it in the erasure ledger;
a canary conversation's text, phone number and ids appear in no process log."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.conversations.outbox import enqueue
from bot.conversations.records import create_handoff, record_feedback
from bot.privacy.erasure import ledger_of
from bot.privacy.ledger import sender_digest
from bot.runner.stack import Stack
from bot.settings import Settings
from bot.widget.conversation_ids import ConversationSigner
from tests.privacy.tracker_rows import rows_of

pytestmark = pytest.mark.engine


def _start(settings: Settings) -> str:
    response = httpx.post(f"{settings.web_url}/api/chat/start", json={"language": "it"})
    token: str = response.json()["conversation"]
    return token


def _send(settings: Settings, token: str, text: str) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{settings.web_url}/api/chat/send",
        json={"conversation": token, "text": text, "language": "it"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def _ids(settings: Settings, token: str) -> tuple[str, str]:
    conversation = ConversationSigner(settings.secret_key).read(token, "web")
    return conversation.sender_id(settings.pseudonym_key), conversation.raw_id


def _payloads(messages: list[dict[str, Any]]) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons", [])]


def _link_records(settings: Settings, sender: str) -> None:
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            create_handoff(
                session,
                sender_id=sender,
                channel="web",
                language="it",
                excerpt="aiuto",
                service_id=None,
            )
            record_feedback(
                session,
                sender_id=sender,
                service_id=None,
                helpful=False,
                language="it",
                question="dove trovo un corso",
            )
            enqueue(session, sender, "web", "Ci vediamo allo sportello", "desk")
    finally:
        engine.dispose()


def test_delete_my_data_in_the_widget_erases_every_copy(running_stack: Settings) -> None:
    token = _start(running_stack)
    sender, _ = _ids(running_stack, token)
    _send(running_stack, token, "Dove posso imparare l'italiano?")
    _link_records(running_stack, sender)
    urls = (running_stack.tracker_store_url, running_stack.database_url)
    assert all(rows_of(*urls, sender).values())
    asked = _send(running_stack, token, "voglio cancellare i miei dati")
    assert "/confirm_delete" in _payloads(asked), asked
    _send(running_stack, token, "/confirm_delete")
    assert not any(rows_of(*urls, sender).values()), rows_of(*urls, sender)
    polled = httpx.post(f"{running_stack.web_url}/api/chat/poll", json={"conversation": token})
    assert polled.json()["messages"] == []  # the staff reply went too
    digests = {entry.digest for entry in ledger_of(running_stack).entries()}
    assert sender_digest(running_stack.pseudonym_key, sender) in digests


def _log_text(log_dir: Path) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(log_dir.rglob("*"))
        if path.is_file()
    )


def test_no_message_text_phone_number_or_id_reaches_the_logs(
    stack_factory: tuple[Settings, Stack],
) -> None:
    settings, stack = stack_factory
    marker = "Zorblat" + secrets.token_hex(4)
    digits = "".join(secrets.choice("0123456789") for _ in range(7))
    phone = f"+39 347 {digits}"
    token = _start(settings)
    sender, raw_id = _ids(settings, token)
    _send(settings, token, f"Mi chiamo {marker}, il mio numero è {phone}, cerco un medico")
    _send(settings, token, f"{marker} {phone}")
    _send(settings, token, "zzkk plomf")  # not understood: the question log path
    logs = _log_text(stack.log_dir)
    assert logs, f"no logs in {stack.log_dir}"
    for secret in (marker, digits, phone.replace(" ", ""), sender, raw_id, token):
        assert secret not in logs, f"{secret!r} found in {stack.log_dir}"
