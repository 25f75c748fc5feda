"""Reply-language negotiation."""

from __future__ import annotations

from bot.i18n.languages import normalise_code
from bot.i18n.negotiation import choose_language, language_from_tracker


def test_order_explicit_detected_client_previous_default() -> None:
    assert choose_language(explicit="ar", detected="fr", client="en") == "ar"
    assert choose_language(detected="fr", client="en") == "fr"
    assert choose_language(client="uk-UA", previous="en") == "uk"
    assert choose_language(previous="en") == "en"
    assert choose_language() == "it"


def test_unsupported_tags_are_ignored() -> None:
    assert normalise_code("xx-YY") is None
    assert choose_language(client="ja", previous="fr") == "fr"
    assert normalise_code("zh_Hans") == "zh" and normalise_code("fil") == "tl"


def test_language_from_a_tracker_state() -> None:
    tracker = {"slots": {"language": "en"}, "latest_message": {"metadata": {"language": "ro"}}}
    assert language_from_tracker(tracker) == "ro"
    tracker["latest_message"] = {"metadata": {}}
    assert language_from_tracker(tracker) == "en"
