"""The handoff queue (a person asks for a human in the public widget; the desk takes the
request and replies; the reply reaches the widget) and logging out on a shared computer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.settings import Settings
from tests.browser.conftest import screenshot
from tests.browser.desk.accessibility import contrast_problems
from tests.browser.desk.conftest import ask
from tests.browser.widget.support import ask_for_a_person, say

pytestmark = [pytest.mark.engine, pytest.mark.browser]

QUESTION = "Мені потрібен сімейний лікар"  # "I need a family doctor"
WANT_A_PERSON = "Я хочу поговорити з працівником"  # "I want to talk to a staff member"
STAFF_REPLY = "Приходьте завтра о 10:00, кімната 3. — Sportello stranieri"
DELIVERY_TIMEOUT_MS = 20_000  # the widget polls every few seconds


def test_a_request_for_a_person_is_taken_and_the_reply_reaches_the_widget(
    browser: Browser, desk: Page, desk_site: Settings
) -> None:
    citizen = browser.new_context(locale="uk-UA", viewport={"width": 420, "height": 800})
    try:
        widget = citizen.new_page()
        widget.goto(f"{desk_site.web_url}/widget?lang=uk")
        case_code = ask_for_a_person(widget, QUESTION, WANT_A_PERSON)

        desk.goto(f"{desk_site.web_url}/desk/queue")
        request = desk.locator(f'article.request[data-case="{case_code}"]')
        expect(request).to_be_visible()
        expect(request.locator(".request-facts")).to_contain_text("Українська")
        expect(request.locator("blockquote.excerpt")).to_contain_text("сімейний лікар")
        assert contrast_problems(desk) == []  # WCAG AA
        screenshot(desk, "desk-queue")
        request.locator("form[action$='/take'] button").click()
        expect(desk.locator("#queue-notice")).to_contain_text(case_code)
        request = desk.locator(f'article.request[data-case="{case_code}"]')
        request.locator("textarea[name=text]").fill(STAFF_REPLY)
        request.locator("form.reply-form button[type=submit]").click()
        expect(desk.locator("#queue-notice")).to_contain_text(case_code)
        expect(desk.locator(f'article.request[data-case="{case_code}"] .replies')).to_contain_text(
            STAFF_REPLY
        )

        staff_messages = widget.locator("#chat-log > li.message.staff")
        expect(staff_messages.filter(has_text=case_code)).to_have_count(1)  # "taken" notice
        expect(staff_messages.filter(has_text=STAFF_REPLY)).to_have_count(
            1, timeout=DELIVERY_TIMEOUT_MS
        )
        assert contrast_problems(widget) == []
        screenshot(widget, "widget-staff-reply")
    finally:
        citizen.close()


def test_logging_out_leaves_no_conversation_in_the_browser(desk: Page, desk_site: Settings) -> None:
    ask(desk, QUESTION)
    stored = desk.evaluate("() => JSON.stringify([localStorage, sessionStorage])")
    assert "сімейний" not in stored  # the desk itself never stores the conversation
    desk.goto(f"{desk_site.web_url}/widget?lang=uk")  # someone used the public chat here too
    say(desk, QUESTION)
    assert desk.evaluate("() => localStorage.length") > 0

    desk.goto(f"{desk_site.web_url}/desk")
    expect(desk.locator("#chat-log > li").first).to_be_visible()  # the transcript is back
    desk.click("#logout")
    expect(desk).to_have_url(f"{desk_site.web_url}/login")
    assert desk.evaluate("() => [localStorage.length, sessionStorage.length]") == [0, 0]
    history = desk.request.get(
        f"{desk_site.web_url}/desk/api/chat", headers={"Accept": "application/json"}
    )
    assert history.status == 401
    desk.go_back()
    expect(desk.locator("#chat-log > li")).to_have_count(0)
    assert "сімейний" not in desk.content()
    desk.goto(f"{desk_site.web_url}/widget?lang=uk")
    expect(desk.locator("#chat-log > li")).to_have_count(0)  # the public chat is gone too
