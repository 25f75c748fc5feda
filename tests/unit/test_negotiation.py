"""Reply-language negotiation."""

from __future__ import annotations

from bot.i18n.languages import normalise_code
from bot.i18n.negotiation import choose_language, language_from_tracker


def test_order_explicit_conversation_client_default() -> None:
    assert choose_language(explicit="ar", conversation="fr", client="en") == "ar"
    assert choose_language(conversation="fr", client="en") == "fr"
    assert choose_language(client="uk-UA") == "uk"
    assert choose_language() == "it"


def test_unsupported_tags_are_ignored() -> None:
    assert normalise_code("xx-YY") is None
    assert choose_language(client="ja", conversation="fr") == "fr"
    assert normalise_code("zh_Hans") == "zh" and normalise_code("fil") == "tl"


def test_language_from_a_tracker_state() -> None:
    tracker = {"slots": {"language": None}, "latest_message": {"metadata": {"language": "ro"}}}
    assert language_from_tracker(tracker) == "ro"  # nothing detected yet: the client's
    tracker["slots"] = {"language": "en"}
    assert language_from_tracker(tracker) == "en"  # detected beats the client's
    tracker["slots"] = {"language": "en", "chosen_language": "ar"}
    assert language_from_tracker(tracker) == "ar"  # an explicit choice beats both
