"""A person talks to the bot on Telegram (emulated Bot API, real Rasa server and action server).

Every assertion is about what the person sees in the chat, or about what the engine
stored for them (erasure, injected intents).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.catalogue.repository import CatalogueRepository
from bot.i18n.translator import render
from bot.settings import Settings
from tests.e2e.telegram.conftest import BotProcess
from tests.e2e.telegram.emulator import Emulator
from tests.e2e.telegram.telegram_user import BotMessage, TelegramUser, joined, with_button

pytestmark = pytest.mark.engine

UserFactory = Callable[..., TelegramUser]
ITALIAN_COURSES = "svc-cpia-italian-courses"


def has_venue(messages: list[BotMessage]) -> bool:
    return any(m.venue for m in messages)


def card_named(messages: list[BotMessage], name: str) -> BotMessage:
    for message in messages:
        if message.bold and message.bold[0] == name:
            return message
    raise AssertionError(f"no card named {name!r} in {[m.text for m in messages]}")


def service_name(catalogue_sessions: Any, service_id: str, language: str) -> str:
    with catalogue_sessions() as session:
        repository = CatalogueRepository(session)
        service = repository.service(service_id)
        assert service is not None
        texts = repository.translations_for([service])
        return texts.localize(("service", service_id, "name"), service.name, language).text


def user_events(settings: Settings, sender: str) -> list[dict[str, Any]]:
    """What the person said, as stored in the tracker store (read directly: no side effects)."""
    engine = create_engine(settings.tracker_store_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' "
                    "ORDER BY id"
                ),
                {"s": sender},
            )
            return [json.loads(row[0]) for row in rows]
    finally:
        engine.dispose()


def text_of(message_id: str, language: str, domain: str = "messages", **variables: Any) -> str:
    return render(message_id, language, {"municipality": "Cremona", **variables}, domain=domain)


@pytest.mark.parametrize(
    ("language", "question", "today"),
    [
        ("it", "Dove posso imparare l'italiano?", "Oggi"),
        ("fr", "Je cherche des cours d'italien pour adultes", "Aujourd'hui"),
    ],
)
def test_an_italian_course_question_gets_the_course_card_in_the_persons_language(
    new_user: UserFactory, catalogue_sessions: Any, language: str, question: str, today: str
) -> None:
    user = new_user(language)
    reply = user.say(question, until=has_venue)
    card = card_named(reply, service_name(catalogue_sessions, ITALIAN_COURSES, language))
    lines = card.text.splitlines()
    assert any(line.startswith("📍") and "Cremona" in line for line in lines)  # address
    assert any(line.startswith("🕒") and today in line for line in lines)  # hours, in language
    assert any(line.startswith("☎") for line in lines)  # contact
    hours_title = text_of("btn_hours", language)
    assert any(title == hours_title for title, _ in card.buttons)
    venue = next(m.venue for m in reply if m.venue)
    assert venue is not None  # the address as a map pin with coordinates
    assert 45.0 < venue["latitude"] < 45.3 and 9.9 < venue["longitude"] < 10.2
    assert "Via Brescia" in venue["address"]


def test_buttons_send_their_payload_and_only_offered_buttons_work(
    new_user: UserFactory, emulator: Emulator, telegram_bot: BotProcess
) -> None:
    user = new_user("it")
    reply = user.say("Dove posso imparare l'italiano?", until=has_venue)
    card = with_button(reply, text_of("btn_hours", "it"))
    user.press(card, text_of("btn_hours", "it"))
    hours = joined(user.replies())
    assert re.search(r"lunedì|martedì|mercoledì|giovedì|venerdì", hours)  # the week's hours

    # a forged press (callback data the bot never offered in this chat) sends nothing
    answered = len(emulator.calls(telegram_bot.settings.telegram_bot_token, "answerCallbackQuery"))
    user.press(card, data='/handoff_consent{"consent": "yes"}')
    user.silence(3)
    answers = emulator.calls(telegram_bot.settings.telegram_bot_token, "answerCallbackQuery")
    assert len(answers) == answered + 1
    assert answers[-1]["params"]["text"] == text_of("button_expired", "it", domain="telegram")

    # and another person cannot press this person's buttons
    other = new_user("it")
    other.press(card, text_of("btn_hours", "it"))
    other.silence(3)


def test_a_deep_link_opens_that_service_card_in_the_users_language(
    new_user: UserFactory, catalogue_sessions: Any
) -> None:
    user = new_user("en")
    reply = user.say(f"/start svc_{ITALIAN_COURSES}", until=has_venue)
    card_named(reply, service_name(catalogue_sessions, ITALIAN_COURSES, "en"))
    assert "Today" in joined(reply)


def test_start_help_and_privacy_commands(new_user: UserFactory) -> None:
    user = new_user("it")
    greeting = joined(user.say("/start"))
    assert text_of("utter_greet", "it") in greeting
    assert text_of("utter_help", "it") in joined(user.say("/help"))
    privacy = joined(user.say("/privacy"))
    assert privacy.startswith("🔒") and "cancella" in privacy


def test_the_language_menu_shows_native_names_and_switches_language(
    new_user: UserFactory, catalogue_sessions: Any
) -> None:
    user = new_user("it")
    menu = with_button(user.say("/language"), "Français")
    titles = [title for title, _ in menu.buttons]
    assert {"Italiano", "English", "العربية", "Українська", "中文", "ትግርኛ"} <= set(titles)
    user.press(menu, "Français")
    assert text_of("utter_language_changed", "fr") in joined(user.replies())
    reply = user.say("Dove posso imparare l'italiano?", until=has_venue)
    card_named(reply, service_name(catalogue_sessions, ITALIAN_COURSES, "fr"))


def test_delete_asks_for_confirmation_then_really_erases_the_conversation(
    new_user: UserFactory, telegram_bot: BotProcess, running_stack: Settings
) -> None:
    user = new_user("it")
    sender = telegram_bot.pseudonym(user)
    menu = with_button(user.say("/language"), "English")
    user.press(menu, "English")  # an explicit choice the bot will remember
    user.replies()
    course = user.say("Where can I learn Italian?", until=has_venue)
    assert len(user_events(running_stack, sender)) >= 3

    confirm = user.say("/delete")
    question = with_button(confirm, text_of("btn_delete_confirm", "en"))
    assert text_of("utter_delete_confirm", "en") in question.text
    user.press(question, text_of("btn_no", "en"))  # first: no
    assert text_of("utter_delete_cancelled", "en") in joined(user.replies())
    assert len(user_events(running_stack, sender)) >= 4  # nothing erased

    question = with_button(user.say("/delete"), text_of("btn_delete_confirm", "en"))
    user.press(question, text_of("btn_delete_confirm", "en"))
    assert text_of("utter_data_deleted", "en") in joined(user.replies())
    assert user_events(running_stack, sender) == []  # the engine no longer has the talk

    # the old buttons are gone, and the bot starts from zero (the Italian phone language)
    user.press(with_button(course, text_of("btn_hours", "en")), text_of("btn_hours", "en"))
    user.silence(3)
    again = joined(user.say("/start"))
    assert text_of("utter_greet", "it") in again


def test_typed_slashes_cannot_choose_intents_or_entities(
    new_user: UserFactory, telegram_bot: BotProcess, running_stack: Settings
) -> None:
    user = new_user("it")
    sender = telegram_bot.pseudonym(user)
    user.say("Dove posso imparare l'italiano?", until=has_venue)
    before = len(user_events(running_stack, sender))
    user.say("/confirm_delete")  # would erase everything if it reached Rasa as an intent
    user.say('/select_service{"service_id": "svc-public-dormitory"}')
    typed = user_events(running_stack, sender)
    assert len(typed) == before + 2  # nothing was erased
    for event in typed[-2:]:
        assert not event["text"].startswith("/")
        intent = event["parse_data"]["intent"]["name"]
        assert intent not in {"confirm_delete", "select_service"}
        assert all(e.get("entity") != "service_id" for e in event["parse_data"]["entities"])


@pytest.mark.parametrize(
    ("content", "reply_id"),
    [
        ({"sticker": {"file_id": "s1", "file_unique_id": "u1", "type": "regular",
                      "width": 512, "height": 512, "is_animated": False, "is_video": False}},
         "nontext_sticker"),
        ({"voice": {"file_id": "v1", "file_unique_id": "u2", "duration": 4}}, "nontext_voice"),
        ({"photo": [{"file_id": "p1", "file_unique_id": "u3", "width": 90, "height": 90}]},
         "nontext_photo"),
        ({"contact": {"phone_number": "+390372000000", "first_name": "Omar"}}, "nontext_other"),
    ],
)  # fmt: skip
def test_non_text_messages_get_a_helpful_answer(
    new_user: UserFactory, content: dict[str, Any], reply_id: str
) -> None:
    user = new_user("es")
    user.send_message(**content)
    assert joined(user.replies()) == text_of(reply_id, "es", domain="telegram")


def test_a_photo_caption_is_answered_after_the_notice(new_user: UserFactory) -> None:
    user = new_user("it")
    photo = [{"file_id": "p2", "file_unique_id": "u4", "width": 90, "height": 90}]
    user.send_message(photo=photo, caption="Dove posso imparare l'italiano?")
    reply = user.replies(until=has_venue)
    assert reply[0].text == text_of("nontext_photo", "it", domain="telegram")
    assert any("italiano" in bold for m in reply for bold in m.bold)


def test_a_shared_location_lists_similar_services_nearest_first(new_user: UserFactory) -> None:
    user = new_user("it")
    user.say("Dove posso imparare l'italiano?", until=has_venue)
    user.send_message(location={"latitude": 45.1334, "longitude": 10.0243})  # Piazza del Comune
    reply = user.replies()
    listing = with_button(reply, "km")
    assert text_of("utter_nearest_services", "it") in listing.text
    found = [DISTANCE.search(title) for title in titles(listing)]
    distances = [float(m.group(1).replace(",", ".")) for m in found if m]
    assert len(distances) >= 2 and distances == sorted(distances)


DISTANCE = re.compile(r"([0-9]+(?:[.,][0-9]+)?) km")


def titles(message: BotMessage) -> list[str]:
    return [title for title, _ in message.buttons]
