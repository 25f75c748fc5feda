"""The desk conversation in a real browser: a question in Arabic and in Ukrainian, the
bilingual card, staff writing in Italian, and the same work done with the keyboard only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.desk.cards import load_card
from bot.settings import Settings
from tests.browser.conftest import screenshot
from tests.browser.desk.accessibility import contrast_problems
from tests.browser.desk.conftest import (
    DESK_USER,
    PASSWORD,
    REPLY_TIMEOUT_MS,
    ask,
    bot_turns,
    latest_card,
)

pytestmark = [pytest.mark.engine, pytest.mark.browser]

ARABIC_QUESTION = "أحتاج إلى طبيب العائلة"  # "I need a family doctor"
UKRAINIAN_QUESTION = "Мені потрібні курси італійської мови"  # "I need Italian courses"
ITALIAN_FOLLOW_UP = "Quali documenti devo portare?"  # what staff type in Italian


def _share(text: str, low: str, high: str) -> float:
    """The share of the letters of `text` in the Unicode range low..high."""
    letters = [c for c in text if c.isalpha()]
    return sum(low <= c <= high for c in letters) / max(1, len(letters))


def _arabic(text: str) -> float:
    return _share(text, "\u0600", "\u06ff")


def _cyrillic(text: str) -> float:
    return _share(text, "\u0400", "\u04ff")


def _latin(text: str) -> float:
    return _share(text, "A", "\u024f")


def _catalogue_card(settings: Settings, service_id: str, locale: str) -> dict[str, object]:
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            card = load_card(session, service_id, locale, settings)
    finally:
        engine.dispose()
    assert card is not None, service_id
    return card


def _assert_card_shows_the_catalogue(article: Locator, card: dict[str, object]) -> None:
    """Name, description, address with map link, today's hours, documents, cost, contact."""
    expect(article.locator(".card-name")).to_have_text(str(card["name"]).strip())
    expect(article.locator(".card-description")).not_to_be_empty()
    location = card.get("location")
    if isinstance(location, dict):
        expect(article.locator(".address")).to_have_text(str(location["address"]).strip())
        map_href = article.locator("a.map-link").get_attribute("href") or ""
        assert map_href.startswith("https://"), map_href
    expect(article.locator(".hours-today")).not_to_be_empty()
    hours = card.get("hours")
    if isinstance(hours, dict) and hours.get("known"):
        expect(article.locator(".open-state")).to_have_count(1)
    documents = [str(d).strip() for d in card.get("documents") or []]  # type: ignore[attr-defined]
    expect(article.locator(".fact-documents li")).to_have_text(documents)
    if card.get("costs") or card.get("fees_description"):
        expect(article.locator(".fact-cost dd")).not_to_be_empty()
    contact_links = article.locator(".fact-contact a")
    expect(contact_links.first).to_be_visible()
    for href in contact_links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.startswith(("tel:", "mailto:", "https://", "http://")), href


def _side_by_side(first: Locator, second: Locator) -> None:
    one, two = first.bounding_box(), second.bounding_box()
    assert one and two
    assert abs(one["y"] - two["y"]) < 4, (one, two)  # same row
    assert one["x"] + one["width"] <= two["x"] + 1 or two["x"] + two["width"] <= one["x"] + 1


def test_an_arabic_question_is_detected_and_answered_with_a_bilingual_card(
    desk: Page, desk_site: Settings
) -> None:
    ask(desk, ARABIC_QUESTION)
    expect(desk.locator("#desk-chat")).to_have_attribute("data-language", "ar")
    expect(desk.locator("#desk-language-status")).to_contain_text("العربية")
    pair = latest_card(desk)
    citizen = pair.locator("article.service-card[lang=ar]")
    italian = pair.locator("article.service-card[lang=it]")
    expect(citizen).to_have_attribute("dir", "rtl")
    expect(italian).to_have_attribute("dir", "ltr")
    assert citizen.evaluate("e => getComputedStyle(e).direction") == "rtl"
    _side_by_side(citizen, italian)
    service_id = pair.get_attribute("data-service-id") or ""
    _assert_card_shows_the_catalogue(citizen, _catalogue_card(desk_site, service_id, "ar"))
    _assert_card_shows_the_catalogue(italian, _catalogue_card(desk_site, service_id, "it"))
    assert _arabic(citizen.locator(".card-facts dt").first.inner_text()) > 0.9  # labels too
    assert _latin(italian.inner_text()) > 0.9
    assert contrast_problems(desk) == []  # WCAG AA
    screenshot(desk, "desk-arabic-bilingual-card")


def test_staff_choose_ukrainian_by_its_native_name_and_write_in_italian(desk: Page) -> None:
    option = desk.locator("#desk-language option", has_text="Українська")
    desk.select_option("#desk-language", label=option.inner_text())
    expect(desk.locator("#desk-chat")).to_have_attribute("data-language", "uk")
    expect(bot_turns(desk).first).to_be_visible(timeout=REPLY_TIMEOUT_MS)  # "I answer in ..."
    ask(desk, UKRAINIAN_QUESTION)
    pair = latest_card(desk)
    citizen = pair.locator("article.service-card[lang=uk]")
    expect(citizen).to_have_attribute("dir", "ltr")
    assert _cyrillic(citizen.locator(".card-name").inner_text()) > 0.8
    expect(pair.locator("article.service-card[lang=it]")).to_be_visible()
    screenshot(desk, "desk-ukrainian-bilingual-card")

    ask(desk, ITALIAN_FOLLOW_UP)  # the citizen's language stays: staff can type Italian
    answer = bot_turns(desk).last
    citizen_text = answer.locator(".column.citizen[lang=uk] .text")
    italian_text = answer.locator(".column.italian[lang=it] .text")
    expect(citizen_text).not_to_be_empty()
    expect(italian_text).not_to_be_empty()
    assert _cyrillic(citizen_text.inner_text()) > 0.5
    assert _latin(italian_text.inner_text()) > 0.8
    _side_by_side(answer.locator(".column.citizen"), answer.locator(".column.italian"))
    expect(desk.locator("#desk-chat")).to_have_attribute("data-language", "uk")
    screenshot(desk, "desk-italian-follow-up")

    desk.click("#desk-new")  # the next person: a new conversation, language detected again
    expect(desk.locator("#chat-log > li")).to_have_count(0)
    expect(desk.locator("#desk-language")).to_have_value("")
    desk.reload()
    expect(desk.locator("#desk-empty")).to_be_visible()
    expect(desk.locator("#chat-log > li")).to_have_count(0)


def _tab_to(page: Page, selector: str, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} cannot be reached with {key}")


def test_log_in_ask_and_follow_up_with_the_keyboard_only(page: Page, desk_site: Settings) -> None:
    page.goto(f"{desk_site.web_url}/login?next=/desk")
    _tab_to(page, "#username")
    page.keyboard.type(DESK_USER)
    _tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{desk_site.web_url}/desk")
    page.wait_for_load_state("load")
    _tab_to(page, "#desk-input")
    page.keyboard.type(UKRAINIAN_QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator("#chat-log .card-pair")).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    turns = bot_turns(page).count()
    _tab_to(page, 'button.choice[data-payload="/ask_hours"]', backwards=True)
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focused choice is visible
    page.keyboard.press("Enter")
    expect(bot_turns(page)).to_have_count(turns + 1, timeout=REPLY_TIMEOUT_MS)
    expect(page.locator("#chat-log > li.turn.desk").last).not_to_be_empty()
    answer = bot_turns(page).last.locator(".column.citizen .text")
    expect(answer).to_contain_text(":")  # the opening hours of the days to come
    screenshot(page, "desk-keyboard-only")
