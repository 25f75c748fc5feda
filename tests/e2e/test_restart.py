"""Conversations survive a restart of the whole stack (SQL tracker store)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from bot.runner.stack import Stack
from bot.settings import Settings
from tests.helpers import customs, say, texts

pytestmark = pytest.mark.engine


def test_stack_restart_keeps_service_in_focus_and_language(
    stack_factory: tuple[Settings, Stack],
) -> None:
    settings, stack = stack_factory
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    first = say(settings, sender, "Where can I learn Italian?", language="en")
    service_id = customs(first)[0]["id"]

    stack.stop()
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{settings.rasa_url}/", timeout=2)
    stack.start()

    # no language metadata this time: the conversation remembers English
    reply = say(settings, sender, "/ask_hours")
    assert customs(reply)[0]["id"] == service_id
    assert customs(reply)[0]["language"] == "en"
    assert "Opening hours of" in texts(reply)


def test_health_turns_degraded_when_the_action_server_is_down(
    stack_factory: tuple[Settings, Stack],
) -> None:
    settings, stack = stack_factory
    actions = stack.by_name("actions")
    actions.stop()
    try:
        response = httpx.get(f"{settings.web_url}/health", timeout=10)
        assert response.status_code == 503
        assert response.json()["components"]["action_server"]["ok"] is False
        assert response.json()["components"]["rasa"]["ok"] is True
    finally:
        stack.stop()
        stack.start()
