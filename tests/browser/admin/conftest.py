"""Admin browser tests: staff users in the real stack's database, logging in, undoing edits.

The stack is shared with the other end-to-end tests, which expect the demo catalogue: every
test that changes a record restores it (`kept_service`), and works on services no other test
asks about.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.accounts.service import save_user
from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.catalogue.models import Phone, Schedule, Service, Translation
from bot.privacy.erasure import erase_sender
from bot.settings import Settings
from tests.admin_support import PASSWORD, ROLE_USERS

SECOND_EDITOR = ("erica", ("org-comune-cremona",))
WARM_UP_SECONDS = 240
SCHEDULE_FIELDS = (
    "id",
    "kind",
    "weekday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "appointment_only",
    "description",
)
SCALARS = (
    "name",
    "description",
    "email",
    "url",
    "owner",
    "status",
    "verified_on",
    "review_interval_days",
    "application_process",
    "fees_description",
    "eligibility_description",
)


@pytest.fixture(scope="session")
def site(running_stack: Settings) -> Settings:
    """The running stack, with one staff user per role (and a second editor), warmed up."""
    with database(running_stack) as session:
        for role, (username, organizations) in ROLE_USERS.items():
            save_user(session, username, role, PASSWORD, organizations)
        save_user(session, SECOND_EDITOR[0], "editor", PASSWORD, SECOND_EDITOR[1])
    warm_up(running_stack)
    return running_stack


def warm_up(settings: Settings) -> None:
    """One throwaway turn, erased afterwards: the first turn of a fresh stack loads the
    search index and the sentence encoder, which on a busy 2-core machine can outlast the
    per-turn timeout of the tests."""
    sender = f"test-warm-up-{uuid.uuid4().hex[:8]}"
    try:
        bot_reply(settings, sender, "ciao", "it", timeout=WARM_UP_SECONDS)
    finally:
        erase_sender(settings, sender)


@contextmanager
def database(settings: Settings) -> Iterator[Session]:
    """A unit of work on the stack's catalogue."""
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def log_in(page: Page, settings: Settings, username: str, next_path: str = "") -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{settings.web_url}/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def second_context(browser: Browser) -> Iterator[BrowserContext]:
    """Another person's browser (own cookies), for concurrent edits."""
    other = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    yield other
    other.close()


def _service_state(session: Session, service_id: str) -> dict[str, Any]:
    service = session.get(Service, service_id)
    assert service is not None
    translations = session.scalars(
        select(Translation).where(
            Translation.entity == "service", Translation.record_id == service_id
        )
    )
    return {
        "scalars": {name: getattr(service, name) for name in SCALARS},
        "phones": [(p.id, p.number, p.type, p.description) for p in service.phones],
        "schedules": [{f: getattr(s, f) for f in SCHEDULE_FIELDS} for s in service.schedules],
        "translations": [
            (t.field, t.locale, t.text, t.status, t.source_version) for t in translations
        ],
    }


@contextmanager
def kept_service(settings: Settings, service_id: str) -> Iterator[dict[str, Any]]:
    """Snapshot a service (fields, phones, hours, translations) and put it back afterwards."""
    with database(settings) as session:
        state = _service_state(session, service_id)
    try:
        yield state
    finally:
        with database(settings) as session:
            service = session.get(Service, service_id)
            assert service is not None
            for name, value in state["scalars"].items():
                setattr(service, name, value)
            session.execute(delete(Phone).where(Phone.service_id == service_id))
            for phone_id, number, kind, description in state["phones"]:
                session.add(
                    Phone(
                        id=phone_id,
                        service_id=service_id,
                        number=number,
                        type=kind,
                        description=description,
                    )
                )
            session.execute(delete(Schedule).where(Schedule.service_id == service_id))
            for schedule in state["schedules"]:
                session.add(Schedule(service_id=service_id, **schedule))
            session.execute(
                delete(Translation).where(
                    Translation.entity == "service", Translation.record_id == service_id
                )
            )
            for field, locale, text, status, version in state["translations"]:
                session.add(
                    Translation(
                        entity="service",
                        record_id=service_id,
                        field=field,
                        locale=locale,
                        text=text,
                        status=status,
                        source_version=version,
                    )
                )


def bot_reply(
    settings: Settings, sender: str, text: str, language: str, timeout: float = 60
) -> list[dict[str, Any]]:
    """One message through the Rasa REST channel (sync: Playwright owns this thread's loop)."""
    response = httpx.post(
        f"{settings.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text, "metadata": {"language": language}},
        headers={"Authorization": f"Bearer {settings.rasa_token}"},
        timeout=timeout,
    )
    response.raise_for_status()
    messages: list[dict[str, Any]] = response.json()
    return messages
