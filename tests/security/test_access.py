"""Access: Rasa and the action server listen on loopback only, Rasa's API wants its token,
typed "/intent{...}" text cannot steer the dialogue (only buttons the bot offered to that
conversation can), and cross-origin access is an exact allow-list."""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any

import httpx
import psutil
import pytest
from starlette.testclient import TestClient

from bot.runner.stack import Stack
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.cors import InvalidOriginError, allowed_origins
from bot.widget.conversation_ids import ConversationSigner

pytestmark = pytest.mark.engine
ALLOWED = "https://www.comune.cremona.it"
FOREIGN = "https://evil.example"


def _listening(pid: int) -> set[str]:
    """The addresses a process and its children listen on."""
    pids = {pid} | {child.pid for child in psutil.Process(pid).children(recursive=True)}
    return {
        connection.laddr.ip
        for connection in psutil.net_connections(kind="tcp")
        if connection.pid in pids and connection.status == psutil.CONN_LISTEN
    }


@pytest.mark.parametrize("name", ["rasa", "actions", "web"])
def test_servers_listen_on_loopback_only(stack_factory: tuple[Settings, Stack], name: str) -> None:
    addresses = _listening(stack_factory[1].by_name(name).pid)
    assert addresses, f"{name} listens nowhere"
    assert all(ipaddress.ip_address(a).is_loopback for a in addresses), addresses


@pytest.mark.parametrize(
    "path", ["/status", "/conversations/someone/tracker", "/version/../status", "/domain"]
)
@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_rasa_refuses_its_api_without_the_token(
    running_stack: Settings, path: str, token: str | None
) -> None:
    params = {} if token is None else {"token": token}
    response = httpx.get(f"{running_stack.rasa_url}{path}", params=params, timeout=10)
    assert response.status_code == 401, (path, response.status_code)


def test_rasa_answers_its_api_with_the_token(running_stack: Settings) -> None:
    response = httpx.get(
        f"{running_stack.rasa_url}/status", params={"token": running_stack.rasa_token}
    )
    assert response.status_code == 200 and response.json()["model_file"]


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer wrong-token", "token"])
def test_rasa_refuses_a_message_without_the_channel_token(
    running_stack: Settings, authorization: str | None
) -> None:
    """The REST webhook is not covered by --auth-token: our channel checks a bearer token."""
    headers = {} if authorization is None else {"Authorization": authorization}
    response = httpx.post(
        f"{running_stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": "intruder", "message": "ciao"},
        headers=headers,
        timeout=30,
    )
    assert response.status_code == 401, response.text


def test_rasa_answers_a_message_with_the_channel_token(running_stack: Settings) -> None:
    response = httpx.post(
        f"{running_stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": f"token-check-{uuid.uuid4().hex[:8]}", "message": "ciao"},
        headers={"Authorization": f"Bearer {running_stack.rasa_token}"},
        timeout=60,
    )
    assert response.status_code == 200 and response.json(), response.text


def _action_call(sender: str) -> dict[str, Any]:
    """What Rasa would post to run the data erasure for `sender`."""
    return {
        "next_action": "action_delete_data",
        "sender_id": sender,
        "tracker": {"sender_id": sender, "slots": {}, "latest_message": {}, "events": []},
        "domain": {},
        "version": "3.6.21",
    }


@pytest.mark.parametrize("path", ["/webhook", "/actions"])
@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_the_action_server_refuses_calls_without_the_token(
    running_stack: Settings, path: str, token: str | None
) -> None:
    """Otherwise anything on the host could run an action (erase data) for any sender."""
    base = running_stack.action_server_url.rsplit("/webhook", 1)[0]
    params = {} if token is None else {"token": token}
    method = "POST" if path == "/webhook" else "GET"
    body = _action_call("someone-else") if method == "POST" else None
    response = httpx.request(method, base + path, params=params, json=body, timeout=30)
    assert response.status_code == 401, (path, response.status_code)


def test_the_action_server_answers_with_the_token_and_allows_no_origin(
    running_stack: Settings,
) -> None:
    base = running_stack.action_server_url.rsplit("/webhook", 1)[0]
    listed = httpx.get(
        f"{base}/actions",
        params={"token": running_stack.internal_token},
        headers={"Origin": FOREIGN},
        timeout=30,
    )
    assert listed.status_code == 200, listed.text
    assert "action_delete_data" in {action["name"] for action in listed.json()}
    assert "access-control-allow-origin" not in listed.headers
    assert httpx.get(f"{base}/health", timeout=10).status_code == 200


def _start(settings: Settings, language: str = "it") -> str:
    token: str = httpx.post(
        f"{settings.web_url}/api/chat/start", json={"language": language}
    ).json()["conversation"]
    return token


def _send(settings: Settings, token: str, text: str, language: str = "it") -> dict[str, Any]:
    response = httpx.post(
        f"{settings.web_url}/api/chat/send",
        json={"conversation": token, "text": text, "language": language},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply


def _tracker(settings: Settings, token: str) -> dict[str, Any]:
    sender = (
        ConversationSigner(settings.secret_key).read(token, "web").sender_id(settings.pseudonym_key)
    )
    response = httpx.get(
        f"{settings.rasa_url}/conversations/{sender}/tracker",
        params={"token": settings.rasa_token},
        timeout=10,
    )
    tracker: dict[str, Any] = response.json()
    return tracker


def _last_user_event(tracker: dict[str, Any]) -> dict[str, Any]:
    return [e for e in tracker["events"] if e.get("event") == "user"][-1]


@pytest.mark.parametrize(
    ("typed", "entity", "value"),
    [
        ('/choose_language{"language": "ar"}', "language", "ar"),
        ('/select_service{"service_id": "svc-cultural-mediation"}', "service_id", None),
        ('  //choose_language{"language":"zh"}', "language", "zh"),
        ('/feedback{"helpful": "no"}', "helpful", "no"),
    ],
)
def test_typed_intent_syntax_sets_no_intent_entity_or_slot(
    running_stack: Settings, typed: str, entity: str, value: str | None
) -> None:
    token = _start(running_stack)
    _send(running_stack, token, typed)
    tracker = _tracker(running_stack, token)
    event = _last_user_event(tracker)
    assert not event["text"].startswith("/"), event["text"]  # reached Rasa as words
    forced = event["parse_data"]["intent"]
    assert forced.get("confidence", 0) < 1.0 or event["text"] == "", forced
    assert entity not in {e.get("entity") for e in event["parse_data"].get("entities", [])}
    slots = tracker["slots"]
    if value is not None:
        assert slots.get("chosen_language") != value and slots.get(entity) != value, slots


def test_a_button_offered_to_one_conversation_does_not_work_in_another(
    running_stack: Settings,
) -> None:
    first = _start(running_stack, "en")
    greeting = _send(running_stack, first, "hello", "en")["messages"]
    offered = [b["payload"] for m in greeting for b in m.get("buttons", [])]
    assert "/browse_categories" in offered
    other = _start(running_stack, "en")
    _send(running_stack, other, "/browse_categories", "en")
    assert not _last_user_event(_tracker(running_stack, other))["text"].startswith("/")
    _send(running_stack, first, "/browse_categories", "en")
    tapped = _last_user_event(_tracker(running_stack, first))
    assert tapped["text"] == "/browse_categories"
    assert tapped["parse_data"]["intent"]["name"] == "browse_categories"


def test_a_foreign_origin_gets_no_cors_headers_from_the_stack(running_stack: Settings) -> None:
    response = httpx.post(
        f"{running_stack.web_url}/api/chat/start", json={}, headers={"Origin": FOREIGN}
    )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_cors_is_an_exact_allow_list(running_stack: Settings) -> None:
    settings = running_stack.model_copy(update={"cors_allowed_origins": ALLOWED})
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    with TestClient(create_app(settings), base_url=running_stack.web_url) as client:
        allowed = client.post("/api/chat/start", json={}, headers={"Origin": ALLOWED})
        assert allowed.headers["access-control-allow-origin"] == ALLOWED
        assert "access-control-allow-credentials" not in allowed.headers
        for origin in (FOREIGN, ALLOWED + ".evil.example", "http://www.comune.cremona.it"):
            refused = client.post("/api/chat/start", json={}, headers={"Origin": origin})
            assert "access-control-allow-origin" not in refused.headers, origin
            check = client.options("/api/chat/send", headers={"Origin": origin, **preflight})
            assert check.status_code == 400 and "access-control-allow-origin" not in check.headers
        ok = client.options("/api/chat/send", headers={"Origin": ALLOWED, **preflight})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ALLOWED
        page = client.get("/health", headers={"Origin": ALLOWED})
        assert "access-control-allow-origin" not in page.headers  # only the chat API


@pytest.mark.parametrize(
    "entry", ["*", "https://*.comune.cremona.it", "www.comune.cremona.it", "https://a.it/path"]
)
def test_a_wildcard_or_partial_origin_is_refused_by_name(entry: str) -> None:
    with pytest.raises(InvalidOriginError, match="CORS_ALLOWED_ORIGINS"):
        allowed_origins(f"{ALLOWED}, {entry}")
