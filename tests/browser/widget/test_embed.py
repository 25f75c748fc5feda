"""The public widget embedded in a municipal page on another site: the launcher, a question
in Arabic, the conversation kept across page loads, a 360x640 phone, catalogue markup shown
as text, and every request going to the app (never to the Rasa port)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bot.settings import Settings
from tests.browser.conftest import screenshot
from tests.browser.desk.accessibility import contrast_problems
from tests.browser.desk.conftest import kept_description
from tests.browser.widget.conftest import HostSite
from tests.browser.widget.support import bot_messages, say

pytestmark = [pytest.mark.engine, pytest.mark.browser]

ARABIC_QUESTION = "أحتاج إلى طبيب العائلة"  # "I need a family doctor"
UKRAINIAN_QUESTION = "Мені потрібен сімейний лікар"  # "I need a family doctor"
FRAME = "#cremona-widget-frame"
MARKUP = '<img src=x onerror="parent.document.title=1"><b>bold</b> <a href="javascript:x()">go</a>'


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A small phone: 360x640 CSS pixels, touch."""
    context = browser.new_context(
        locale="ar", viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True
    )
    yield context
    context.close()


def test_the_snippet_opens_the_chat_and_keeps_the_conversation_across_page_loads(
    page: Page, host_site: HostSite, running_stack: Settings
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(host_site.url + "/")
    launcher = page.locator("#cremona-widget-launcher")
    expect(launcher).to_have_attribute("lang", "ar")
    expect(launcher).to_have_attribute("dir", "rtl")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert any("\u0600" <= c <= "\u06ff" for c in launcher.inner_text())
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    chat = page.frame_locator(FRAME)
    expect(chat.locator("html")).to_have_attribute("dir", "rtl")
    say(chat, ARABIC_QUESTION)
    answer = bot_messages(chat).filter(has=chat.locator("button.choice[data-payload='/ask_hours']"))
    expect(answer).to_have_count(1)
    shown = bot_messages(chat).count()
    screenshot(page, "widget-embedded-arabic")

    page.reload()
    chat = page.frame_locator(FRAME)  # reopened by itself: the person was using it
    expect(bot_messages(chat)).to_have_count(shown)
    page.locator("a", has_text="news").click()
    expect(page).to_have_url(host_site.url + "/news")
    chat = page.frame_locator(FRAME)
    expect(bot_messages(chat)).to_have_count(shown)
    chat.locator("#chat-language").select_option("fr")  # the page reloads in French
    expect(chat.locator("html")).to_have_attribute("lang", "fr")
    expect(chat.locator("html")).to_have_attribute("dir", "ltr")
    expect(bot_messages(chat)).to_have_count(shown + 1)  # the conversation, and "in French"

    origins = {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in requested}
    assert origins <= {host_site.url, running_stack.web_url}, origins
    assert urlsplit(running_stack.rasa_url).netloc not in {urlsplit(u).netloc for u in requested}


def test_the_chat_fills_a_small_phone_screen_and_works_by_touch(
    phone: BrowserContext, host_site: HostSite
) -> None:
    page = phone.new_page()
    page.goto(host_site.url + "/")
    launcher = page.locator("#cremona-widget-launcher")
    launcher.tap()
    frame = page.locator(FRAME)
    expect(frame).to_be_visible()
    box = frame.bounding_box()
    assert box and box["x"] <= 1 and box["y"] <= 1
    assert box["width"] >= 358 and box["height"] >= 638  # the whole screen
    chat = page.frame_locator(FRAME)
    for control in ("#chat-input", "#chat-send", "#chat-close"):
        control_box = chat.locator(control).bounding_box()
        assert control_box and control_box["x"] >= 0, control
        assert control_box["x"] + control_box["width"] <= 360 + 1, control
        assert control_box["y"] + control_box["height"] <= 640 + 1, control
        assert control_box["height"] >= 40 or control == "#chat-input", control  # touch size
    say(chat, ARABIC_QUESTION)
    overflow = chat.locator("html").evaluate("html => html.scrollWidth - html.clientWidth")
    assert overflow <= 0  # nothing wider than the phone
    expect(bot_messages(chat).last).to_be_in_viewport()
    assert contrast_problems(chat) == []  # WCAG AA
    screenshot(page, "widget-phone-360x640")
    chat.locator("#chat-close").tap()
    expect(frame).to_be_hidden()
    expect(launcher).to_be_focused()


def test_catalogue_text_with_markup_reaches_the_person_as_text(
    page: Page, running_stack: Settings
) -> None:
    with kept_description(running_stack, "svc-asst-family-doctor", "uk", MARKUP):
        page.goto(f"{running_stack.web_url}/widget?lang=uk")
        say(page, UKRAINIAN_QUESTION)
        card = bot_messages(page).filter(has_text="<b>bold</b>")
        expect(card).to_have_count(1)
        expect(card.locator("img, b")).to_have_count(0)
        hrefs = page.locator("#chat-log a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert hrefs
        assert all(h.startswith(("https://", "http://", "mailto:", "tel:")) for h in hrefs)
        assert page.title() != "1"
