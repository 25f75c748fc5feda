"""Desk browser tests: a desk account in the real stack's database and a logged-in page.

The stack is shared with the other end-to-end tests: the desk tests change no catalogue
record except inside `kept_description`, which puts it back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import delete, select

from bot.accounts.service import save_user
from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.catalogue.models import Translation
from bot.settings import Settings

DESK_USER = "dora"  # a desk account of these tests only (admin tests use their own)
PASSWORD = "a-long-desk-test-password"
REPLY_TIMEOUT_MS = 60_000  # one engine turn on a busy 2-core machine


@pytest.fixture(scope="session")
def desk_site(running_stack: Settings) -> Settings:
    """The running stack with a desk account."""
    engine = make_engine(running_stack.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            save_user(session, DESK_USER, "desk", PASSWORD, display_name="Dora Desk")
    finally:
        engine.dispose()
    return running_stack


def log_in(page: Page, settings: Settings, next_path: str = "/desk") -> None:
    """Log in to the desk through the login form."""
    page.goto(f"{settings.web_url}/login?next={next_path}")
    page.fill("#username", DESK_USER)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(f"{settings.web_url}{next_path}")


@pytest.fixture
def desk(page: Page, desk_site: Settings) -> Page:
    """A page logged in to the desk conversation, with a conversation of its own."""
    log_in(page, desk_site)
    return page


def bot_turns(page: Page) -> Locator:
    """The assistant's messages in the desk transcript."""
    return page.locator("#chat-log > li.turn.bot")


def ask(page: Page, text: str) -> None:
    """Type `text` in the desk's box, send it with Enter and wait for the assistant's answer."""
    desk_turns = page.locator("#chat-log > li.turn.desk")
    before = desk_turns.count()
    page.fill("#desk-input", text)
    page.press("#desk-input", "Enter")
    expect(desk_turns).to_have_count(before + 1)
    expect(page.locator("#desk-send")).to_be_enabled(timeout=REPLY_TIMEOUT_MS)
    expect(page.locator("#desk-status")).to_have_text("")


def latest_card(page: Page) -> Locator:
    """The bilingual card of the latest service the assistant presented."""
    cards = page.locator("#chat-log .card-pair")
    expect(cards.last).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    return cards.last


@contextmanager
def kept_description(
    settings: Settings, service_id: str, locale: str, extra: str
) -> Iterator[None]:
    """Add `extra` to a service's description in `locale` for a while, then restore it."""
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    where = (
        Translation.entity == "service",
        Translation.record_id == service_id,
        Translation.field == "description",
        Translation.locale == locale,
    )
    with unit_of_work(sessions) as session:
        row = session.scalars(select(Translation).where(*where)).one_or_none()
        previous = row.text if row is not None else None
        if row is None:
            row = Translation(
                entity="service", record_id=service_id, field="description", locale=locale
            )
            session.add(row)
        row.text = f"{previous} {extra}" if previous else extra
    try:
        yield
    finally:
        with unit_of_work(sessions) as session:
            if previous is None:
                session.execute(delete(Translation).where(*where))
            else:
                session.scalars(select(Translation).where(*where)).one().text = previous
        engine.dispose()
