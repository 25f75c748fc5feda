"""The desk transcript read back from tracker events."""

from __future__ import annotations

from typing import Any

from bot.desk.transcript import transcript

NOTICE = {"event": "bot", "text": "Prima di iniziare ...", "metadata": {"language": "it"}}


def _no_card(_: str) -> dict[str, Any] | None:
    return None


def test_a_conversation_nobody_wrote_in_shows_nothing() -> None:
    """What Rasa returns for an unknown conversation: the session start, never saved."""
    events = [{"event": "session_started"}, NOTICE, {"event": "action", "name": "action_listen"}]
    assert transcript(events, "uk", _no_card, "Cremona") == []
    assert transcript(events, "uk", _no_card, "Cremona", latest_turn_only=True) == []


def test_the_notice_shows_once_the_person_has_written() -> None:
    events = [
        {"event": "session_started"},
        NOTICE,
        {"event": "user", "text": "ciao"},
        {"event": "bot", "text": "Buongiorno!", "metadata": {"language": "it"}},
    ]
    lines = transcript(events, "it", _no_card, "Cremona")
    assert [line["role"] for line in lines] == ["bot", "desk", "bot"]
    assert lines[0]["citizen"]["segments"][0]["text"].startswith("Prima di iniziare")
    latest = transcript(events, "it", _no_card, "Cremona", latest_turn_only=True)
    assert [line["citizen"]["segments"][0]["text"] for line in latest] == ["Buongiorno!"]
