"""Bad input through every HTTP entry point of the real stack: no server error, oversize
bodies refused before they are read, hostile text answered or refused with a 4xx, markup
never echoed as markup, and the web process's memory stays bounded."""

from __future__ import annotations

import json
from typing import Any

import httpx
import psutil
import pytest

from bot.settings import PROJECT_ROOT, Settings
from tests.admin_support import as_data, edit_form, with_values
from tests.security.raw_http import chunked_unfinished, declared_only

pytestmark = pytest.mark.engine
MEGABYTE = 1024 * 1024
JSON_ENTRY_POINTS = [
    "/api/chat/start",
    "/api/chat/send",
    "/api/chat/language",
    "/api/chat/poll",
    "/nlg",
    "/desk/api/chat/send",
    "/telegram/webhook",
]
FORM_ENTRY_POINTS = ["/login", "/admin/organizations/new", "/desk/catalogue/show"]
BAD_BODIES: dict[str, bytes] = {
    "empty": b"",
    "invalid-utf8": b'{"text": "\xff\xfe\xc3\x28"}',
    "not-json": b"{'text': hello",
    "not-an-object": b'["text"]',
    "deeply-nested": b"[" * 8000,
    "huge-number": b'{"text": ' + b"9" * 5000 + b"}",
    "lone-surrogate": b'{"text": "\\ud800", "conversation": "\\udfff"}',
    "nul-bytes": b'{"text": "a\\u0000b", "\x00": 1}',
}
HOSTILE_TEXTS: dict[str, str] = {
    "control": "ciao\x00\x01\x07\x1b[31m\x7f\u0085 aiuto",
    "bidi-override": "\u202eenoiccuS\u202c \u2066medico\u2069 \u200f\u061c",
    "emoji-storm": "😀" * 400 + "👩‍👩‍👧‍👦" * 50,
    "zalgo": "m" + "\u0301\u0302\u0303\u0304" * 200 + "edico",
    "script": "<script>alert(document.cookie)</script>",
    "html": '<img src=x onerror="alert(1)"><b>dove</b> &amp; <a href="javascript:x">',
    "template": "{{7*7}} ${7*7} {% debug %} %s%n%x {0.__class__}",
    "sql": "'; DROP TABLE events; -- \" OR 1=1",
    "markdown-link": "[clicca](javascript:alert(1)) <https://evil.example>",
    "slashes": '//////request_human{"x":1}',
    "only-space-and-controls": " \t\r\n\u200b\u200e ",
    "lone-surrogate": "ciao \ud800 medico",
    "max-length": "a" * 1000,
}


def _url(settings: Settings, path: str) -> str:
    token = f"?token={settings.internal_token}" if path == "/nlg" else ""
    return f"{settings.web_url}{path}{token}"


def _start(settings: Settings) -> str:
    response = httpx.post(f"{settings.web_url}/api/chat/start", json={"language": "it"})
    token: str = response.json()["conversation"]
    return token


@pytest.mark.parametrize("path", JSON_ENTRY_POINTS + FORM_ENTRY_POINTS)
def test_a_declared_megabyte_is_refused_before_the_body_is_sent(
    running_stack: Settings, path: str
) -> None:
    assert declared_only(_url(running_stack, path), MEGABYTE) == 413


@pytest.mark.parametrize("path", JSON_ENTRY_POINTS + FORM_ENTRY_POINTS)
def test_a_chunked_megabyte_is_cut_off_at_the_limit(running_stack: Settings, path: str) -> None:
    # the body never ends: an answer proves the server stopped (at the limit, or earlier when
    # the request is refused anyway: not logged in, webhook off) instead of reading on
    assert chunked_unfinished(_url(running_stack, path), MEGABYTE) in (401, 403, 404, 413)


def test_the_413_says_what_the_limit_is(running_stack: Settings) -> None:
    response = httpx.post(f"{running_stack.web_url}/api/chat/poll", content=b" " * MEGABYTE)
    assert response.status_code == 413
    assert response.json()["field"] == "body"
    assert str(running_stack.max_request_bytes) in response.json()["error"]


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
@pytest.mark.parametrize("path", JSON_ENTRY_POINTS)
def test_malformed_bodies_get_a_client_error(
    running_stack: Settings, desk_client: httpx.Client, path: str, name: str
) -> None:
    client = desk_client if path.startswith("/desk/") else httpx
    response = client.post(  # type: ignore[attr-defined]
        _url(running_stack, path),
        content=BAD_BODIES[name],
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code < 500, (response.status_code, response.text[:200])
    assert response.headers["content-type"].startswith("application/json")
    if name in ("empty", "invalid-utf8", "not-json", "not-an-object", "deeply-nested"):
        assert response.status_code >= 400  # nothing usable in it


SAFE_SCHEMES = ("https://", "http://", "tel:", "mailto:", "geo:")


def _segments(reply: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        segment
        for message in reply.get("messages", [])
        for segment in (message.get("citizen") or message).get("segments", [])
    ]


def assert_inert(reply: dict[str, Any]) -> None:
    """Text travels as plain-text segments (rendered with textContent) and links are safe."""
    for segment in _segments(reply):
        assert set(segment) <= {"text", "href"}, segment
        href = segment.get("href")
        assert href is None or href.startswith(SAFE_SCHEMES), segment


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
def test_hostile_text_through_the_widget_is_answered_or_refused(
    running_stack: Settings, name: str
) -> None:
    body = json.dumps(
        {"conversation": _start(running_stack), "text": HOSTILE_TEXTS[name], "language": "it"},
        ensure_ascii=False,
    )
    response = httpx.post(
        f"{running_stack.web_url}/api/chat/send",
        content=body.encode("utf-8", "surrogatepass"),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code in (200, 400), (response.status_code, response.text[:200])
    if response.status_code == 200:
        assert response.json()["messages"], "the assistant said nothing"
        assert_inert(response.json())


@pytest.mark.parametrize("name", ["control", "bidi-override", "script", "emoji-storm", "slashes"])
def test_hostile_text_through_the_desk_is_answered_or_refused(
    desk_client: httpx.Client, name: str
) -> None:
    desk_client.post("/desk/api/chat/new")
    response = desk_client.post("/desk/api/chat/send", json={"text": HOSTILE_TEXTS[name]})
    assert response.status_code in (200, 400), (response.status_code, response.text[:200])
    history = desk_client.get("/desk/api/chat")
    assert history.status_code == 200
    assert_inert(history.json())


@pytest.mark.parametrize("name", ["script", "html", "bidi-override", "control", "template"])
def test_hostile_text_in_an_admin_form_is_refused_or_shown_as_text(
    admin_client: httpx.Client, name: str
) -> None:
    hostile = HOSTILE_TEXTS[name]
    fields = with_values(
        edit_form(admin_client, "/admin/organizations/new"),  # type: ignore[arg-type]
        {"name": f"Org {name} {hostile}", "description": hostile},
    )
    response = admin_client.post(
        "/admin/organizations/new", data=as_data(fields), follow_redirects=True
    )
    assert response.status_code in (200, 400), (response.status_code, response.text[:200])
    assert hostile not in response.text or "<" not in hostile  # markup is escaped
    assert "<script>alert" not in response.text and 'onerror="alert' not in response.text


def test_bad_nlg_arguments_are_refused_not_crashed_on(running_stack: Settings) -> None:
    url = _url(running_stack, "/nlg")
    for body in (
        {"response": "utter_greet", "arguments": "x"},
        {"response": "utter_greet", "tracker": {"events": "x"}},
        {"response": "utter_greet", "tracker": {"slots": {"language": 5}}},
        {"response": "utter_service_card", "arguments": {"card": "x"}},
    ):
        assert httpx.post(url, json=body).status_code == 400, body


def test_memory_stays_bounded_under_bad_input(running_stack: Settings, web_pid: int) -> None:
    process = psutil.Process(web_pid)
    url = f"{running_stack.web_url}/api/chat/poll"
    for _ in range(5):  # warm up
        httpx.post(url, content=b"x" * MEGABYTE)
    before = process.memory_info().rss
    with httpx.Client(timeout=30) as client:
        for _ in range(100):
            assert client.post(url, content=b"x" * MEGABYTE).status_code == 413
        for _ in range(20):
            chunked_unfinished(url, MEGABYTE)
        for body in BAD_BODIES.values():
            for _ in range(10):
                client.post(url, content=body, headers={"Content-Type": "application/json"})
    growth = process.memory_info().rss - before
    assert growth < 20 * MEGABYTE, f"the web app grew by {growth / MEGABYTE:.1f} MB"


def test_the_browser_code_never_parses_text_as_html() -> None:
    scripts = sorted((PROJECT_ROOT / "bot" / "web" / "static").rglob("*.js"))
    assert scripts
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{script.name} uses {sink}"
