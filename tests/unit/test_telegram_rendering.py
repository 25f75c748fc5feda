"""What a Telegram user sees for the engine's messages: escaped HTML, buttons, venues, chunks."""

from __future__ import annotations

import html
import re

from bot.channels.telegram.rendering import (
    MAX_MESSAGE_LENGTH,
    Button,
    OutgoingText,
    OutgoingVenue,
    keyboard_rows,
    render,
    split_text,
    telegram_length,
    to_html,
)

TAGS = re.compile(r"</?b>")


def visible(markup: str) -> str:
    """The text Telegram shows for our HTML (bold tags removed, entities decoded)."""
    return html.unescape(TAGS.sub("", markup))


def card(service_name: str, text: str, **location: object) -> list[dict[str, object]]:
    return [
        {"text": text, "buttons": [{"title": "🕒 Orari", "payload": "/ask_hours"}]},
        {
            "custom": {
                "type": "service",
                "id": "svc-x",
                "name": service_name,
                "categories": ["language"],
                "language": "it",
                "location": location or None,
            }
        },
    ]


def test_a_service_name_with_markup_is_shown_literally_and_bold() -> None:
    name = "Corso <b>A&B</b> <i>gratis</i>"
    items = render(card(name, f"{name}\n📍 Via Roma 1, Cremona"))
    text = items[0]
    assert isinstance(text, OutgoingText)
    assert text.html.startswith("<b>Corso &lt;b&gt;A&amp;B&lt;/b&gt; &lt;i&gt;gratis&lt;/i&gt;</b>")
    assert "<i>" not in text.html and text.html.count("<b>") == 1
    assert visible(text.html) == f"{name}\n📍 Via Roma 1, Cremona"


def test_bolding_cannot_split_an_html_entity() -> None:
    # a name that occurs inside the escaped form of '&' must not be bolded there
    assert to_html("A & B: amp", bold="amp") == "A &amp; B: <b>amp</b>"
    assert to_html("x < y", bold=None) == "x &lt; y"


def test_the_address_follows_the_card_as_a_venue_with_coordinates() -> None:
    items = render(
        card(
            "CPIA",
            "CPIA\n📍 Via Brescia 9",
            name="CPIA Cremona",
            address="Via Brescia 9, 26100 Cremona",
            latitude=45.14,
            longitude="10.03",
        )
    )
    assert [type(item) for item in items] == [OutgoingText, OutgoingVenue]
    venue = items[1]
    assert venue == OutgoingVenue(45.14, 10.03, "CPIA Cremona", "Via Brescia 9, 26100 Cremona")
    assert items[0].buttons == (Button("🕒 Orari", "/ask_hours"),)


def test_no_venue_without_valid_coordinates() -> None:
    assert len(render(card("X", "X", name="Sede", address="Via A", latitude=None))) == 1
    assert len(render(card("X", "X", name="Sede", address="Via A", latitude=95, longitude=9))) == 1
    assert len(render(card("X", "X", name="Sede", address="Via A", latitude="n", longitude=9))) == 1


def test_a_long_text_is_split_within_telegrams_limit_and_buttons_go_last() -> None:
    paragraph = "Parola & <tag> " * 40
    text = "\n\n".join([paragraph] * 30)
    items = render(
        [{"text": text, "buttons": [{"title": "Menu", "payload": "/browse_categories"}]}]
    )
    assert len(items) > 1
    assert all(isinstance(item, OutgoingText) for item in items)
    for item in items:
        assert telegram_length(visible(item.html)) <= MAX_MESSAGE_LENGTH
    assert [bool(item.buttons) for item in items] == [False] * (len(items) - 1) + [True]
    joined = " ".join(visible(item.html) for item in items)
    assert joined.split() == text.split()  # nothing lost, nothing doubled


def test_splitting_counts_emoji_as_telegram_does() -> None:
    text = "🙂" * 3000  # 6000 UTF-16 code units, no spaces to cut at
    chunks = split_text(text)
    assert "".join(chunks) == text
    assert all(telegram_length(chunk) <= 4000 for chunk in chunks)


def test_buttons_without_text_still_make_a_message_and_empty_messages_vanish() -> None:
    items = render(
        [{"text": "", "buttons": [{"title": "Sì", "payload": "/affirm"}]}, {"text": " "}]
    )
    assert len(items) == 1 and items[0].html == "·"


def test_short_titles_go_two_per_row_long_ones_one_per_row() -> None:
    languages = [Button(name, f"/choose_language{i}") for i, name in enumerate("abcde")]
    assert [len(row) for row in keyboard_rows(languages)] == [2, 2, 1]
    long = [Button("Corsi di italiano per stranieri (A1 e A2)", "/x"), Button("Sì", "/y")]
    assert [len(row) for row in keyboard_rows(long)] == [1, 1]
