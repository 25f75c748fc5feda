"""Using the public widget as a person would: type, send, wait for the answer."""

from __future__ import annotations

import re

from playwright.sync_api import FrameLocator, Locator, Page, expect

REPLY_TIMEOUT_MS = 60_000  # one engine turn on a busy 2-core machine
CASE_CODE = re.compile(r"CR-[A-Z0-9]+")

Chat = Page | FrameLocator  # the widget page itself, or the embed's iframe


def bot_messages(chat: Chat) -> Locator:
    """The assistant's messages in the widget."""
    return chat.locator("#chat-log > li.message.bot")


def say(chat: Chat, text: str) -> None:
    """Type `text`, send it with Enter and wait for the assistant's answer."""
    before = bot_messages(chat).count()
    chat.locator("#chat-input").fill(text)
    chat.locator("#chat-input").press("Enter")
    _answer(chat, before)


def press(chat: Chat, payload: str) -> None:
    """Press the button the assistant offered with `payload` and wait for the answer."""
    before = bot_messages(chat).count()
    chat.locator(f"#chat-log button.choice[data-payload='{payload}']").last.click()
    _answer(chat, before)


def _answer(chat: Chat, before: int) -> None:
    expect(bot_messages(chat).nth(before)).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(chat.locator("#chat-send")).to_be_enabled(timeout=REPLY_TIMEOUT_MS)


def ask_for_a_person(chat: Chat, question: str, request: str) -> str:
    """Ask `question`, ask for a person with `request`, agree to share; return the case code."""
    say(chat, question)
    say(chat, request)
    press(chat, '/handoff_consent{"consent": "yes"}')
    text = bot_messages(chat).filter(has_text=CASE_CODE).last.inner_text()
    found = CASE_CODE.search(text)
    assert found, text
    return found.group(0)
