"""The language-switch note and its way-back button are shown once per turn."""

from bot.channels.language_note import note_once

BACK = {"title": "↩ English", "payload": '/choose_language{"language": "en"}'}


def _decorated(text: str, *buttons: dict[str, str]) -> dict[str, object]:
    return {"text": f"Je suis passé au français.\n\n{text}", "buttons": [*buttons, BACK]}


def test_only_the_first_message_of_the_turn_keeps_the_note_and_the_button() -> None:
    hours = {"title": "Horaires", "payload": "/ask_hours"}
    shown = note_once([_decorated("Carte"), _decorated("Autres", hours), _decorated("Utile ?")])
    assert shown[0] == _decorated("Carte")
    assert shown[1] == {"text": "Autres", "buttons": [hours]}
    assert shown[2] == {"text": "Utile ?"}


def test_messages_without_the_note_are_left_alone() -> None:
    menu = {
        "text": "Choose a language\n\nor type",
        "buttons": [{"title": "Italiano", "payload": '/choose_language{"language": "it"}'}],
    }
    plain = {"text": "hello"}
    assert note_once([plain, menu, {"custom": {"type": "service"}}]) == [
        plain,
        menu,
        {"custom": {"type": "service"}},
    ]


def test_a_different_note_is_not_stripped() -> None:
    other = {"text": "Ich folge.\n\nText", "buttons": [BACK]}
    assert note_once([_decorated("Carte"), other])[1] == other
