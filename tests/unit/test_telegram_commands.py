"""Typed Telegram text: only listed commands and deep links become engine payloads."""

from __future__ import annotations

import json

import pytest

from bot.channels.telegram.commands import (
    Command,
    deep_link,
    engine_text,
    location_payload,
    parse_command,
)


@pytest.mark.parametrize(
    ("typed", "payload"),
    [
        ("/start", "/greet"),
        ("/START", "/greet"),
        ("/language", "/change_language"),
        ("/help", "/help"),
        ("/privacy", "/privacy"),
        ("/delete", "/delete_data"),
        ("/help@CremonaBot", "/help"),
    ],
)
def test_listed_commands_become_their_payload(typed: str, payload: str) -> None:
    assert engine_text(typed, "CremonaBot") == payload


def test_a_deep_link_opens_that_service() -> None:
    payload = engine_text("/start svc_svc-cpia-italian-courses")
    assert payload.startswith("/select_service")
    assert json.loads(payload.removeprefix("/select_service")) == {
        "service_id": "svc-cpia-italian-courses"
    }


@pytest.mark.parametrize(
    "argument", ["svc_", "svc_a b", 'svc_x"}{"language": "xx', "other", "svc_" + "a" * 61]
)
def test_a_malformed_deep_link_is_just_a_start(argument: str) -> None:
    assert engine_text(f"/start {argument}") == "/greet"


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("/request_human", "request_human"),
        ('/choose_language{"language": "xx"}', 'choose_language{"language": "xx"}'),
        ("//greet", "greet"),
        ("/ /affirm", "affirm"),
        ("  /deny  ", "deny"),
        ("/help@SomeOtherBot", "help@SomeOtherBot"),
        ("Dove posso imparare l'italiano?", "Dove posso imparare l'italiano?"),
    ],
)
def test_other_slashes_reach_the_engine_as_words(typed: str, sent: str) -> None:
    assert engine_text(typed, "CremonaBot") == sent
    assert not engine_text(typed, "CremonaBot").startswith("/")


def test_command_parsing() -> None:
    assert parse_command("/start svc_x") == Command("start", "svc_x")
    assert parse_command("/Help@CremonaBot  now ") == Command("help", "now")
    assert parse_command("/help@Other", "CremonaBot") is None
    assert parse_command("hello /help") is None


def test_deep_links_for_the_desk_qr_codes() -> None:
    link = deep_link("@CremonaBot", "svc-cpia-italian-courses")
    assert link == "https://t.me/CremonaBot?start=svc_svc-cpia-italian-courses"
    assert engine_text("/start " + link.split("start=")[1]).startswith("/select_service")
    with pytest.raises(ValueError, match="deep link"):
        deep_link("CremonaBot", "id with spaces")


def test_a_shared_location_is_rounded_to_about_100_metres() -> None:
    payload = location_payload(45.133412, 10.024367)
    assert payload == '/share_location{"coordinates": "45.133,10.024"}'
