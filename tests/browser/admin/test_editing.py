"""Editing in a real browser against the real stack: the bot's next answer changes; a double
edit is caught; opening hours with a temporary closure reach the answer too."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bot.admin.audit import AuditEntry
from bot.catalogue.models import Service
from bot.settings import Settings
from tests.browser.admin.conftest import bot_reply, database, kept_service, log_in
from tests.browser.conftest import screenshot
from tests.helpers import card_text, customs

pytestmark = [pytest.mark.engine, pytest.mark.browser]

NURSERY = "svc-nursery-enrolment"  # asked about by no other test
NURSERY_QUESTION = "How do I enrol my child in a nursery?"
INFORMAGIOVANI = "svc-informagiovani"


def _ask_in_preview(page: Page, settings: Settings, question: str, language: str) -> str:
    page.goto(f"{settings.web_url}/admin/preview")
    page.select_option("#field-language", language)
    page.fill("#field-question", question)
    page.click("#ask-preview")
    answer = page.locator(".preview-answer")
    expect(answer).to_be_visible(timeout=30_000)
    return answer.inner_text()


def test_an_editor_changes_a_phone_number_and_the_bot_gives_the_new_one(
    site: Settings, page: Page
) -> None:
    new_number = "+39 0372 555 " + str(uuid.uuid4().int % 9000 + 1000)
    with kept_service(site, NURSERY) as before:
        old_number = before["phones"][0][1]
        log_in(page, site, "eddie")
        answer = _ask_in_preview(page, site, NURSERY_QUESTION, "en")
        assert old_number in answer and new_number not in answer
        page.goto(f"{site.web_url}/admin/services/{NURSERY}")
        page.fill("#field-phone-0-number", new_number)
        page.click("#save-service")
        expect(page.locator("#saved-notice")).to_be_visible()
        answer = _ask_in_preview(page, site, NURSERY_QUESTION, "en")
        screenshot(page, "admin-preview-after-edit")
        assert new_number in answer and old_number not in answer
        # the same answer reaches every channel: ask the engine like the widget and Telegram do
        reply = bot_reply(site, f"test-{uuid.uuid4().hex[:10]}", NURSERY_QUESTION, "en")
        assert customs(reply)[0]["id"] == NURSERY
        assert new_number in card_text(reply)
        with database(site) as session:
            entry = (
                session.query(AuditEntry)
                .filter(AuditEntry.record_id == NURSERY, AuditEntry.actor == "eddie")
                .order_by(AuditEntry.id.desc())
                .first()
            )
            assert entry is not None and new_number in entry.changes
    reply = bot_reply(site, f"test-{uuid.uuid4().hex[:10]}", NURSERY_QUESTION, "en")
    assert old_number in card_text(reply)  # restored for the other tests


def test_two_editors_saving_the_same_service_the_second_gets_a_conflict(
    site: Settings, page: Page, second_context: BrowserContext
) -> None:
    other = second_context.new_page()
    with kept_service(site, INFORMAGIOVANI):
        log_in(page, site, "eddie")
        log_in(other, site, "erica")
        path = f"{site.web_url}/admin/services/{INFORMAGIOVANI}"
        page.goto(path)
        other.goto(path)
        page.fill("#field-owner", "Informagiovani – Eddie")
        page.click("#save-service")
        expect(page.locator("#saved-notice")).to_be_visible()
        other.fill("#field-owner", "Informagiovani – Erica")
        other.click("#save-service")
        conflict = other.locator("#conflict")
        expect(conflict).to_be_visible()
        expect(conflict).to_contain_text("Informagiovani – Eddie")
        owner = conflict.locator("tr[data-field=owner]")  # both versions, side by side
        expect(owner.locator(".saved")).to_have_text("Informagiovani – Eddie")
        expect(owner.locator(".yours")).to_have_text("Informagiovani – Erica")
        expect(conflict.locator("tr[data-field=name]")).to_have_count(0)  # unchanged: not listed
        expect(other.locator("#field-owner")).to_have_value("Informagiovani – Erica")
        screenshot(other, "admin-edit-conflict")
        with database(site) as session:
            service = session.get(Service, INFORMAGIOVANI)
            assert service is not None and service.owner == "Informagiovani – Eddie"
        other.click("#save-service")  # having seen both, Erica saves deliberately
        expect(other.locator("#saved-notice")).to_be_visible()
        with database(site) as session:
            service = session.get(Service, INFORMAGIOVANI)
            assert service is not None and service.owner == "Informagiovani – Erica"


def test_a_temporary_closure_entered_in_the_hours_page_reaches_the_answer(
    site: Settings, page: Page
) -> None:
    today = dt.date.today()
    with kept_service(site, NURSERY):
        log_in(page, site, "eddie")
        page.goto(f"{site.web_url}/admin/services/{NURSERY}/hours")
        screenshot(page, "admin-opening-hours")
        page.fill("#field-closure-0-valid_from", (today - dt.timedelta(days=1)).isoformat())
        page.fill("#field-closure-0-valid_to", (today + dt.timedelta(days=20)).isoformat())
        page.fill("#field-closure-0-description", "lavori di ristrutturazione")
        page.click("#save-hours")
        expect(page.locator("#saved-notice")).to_be_visible()
        reply = bot_reply(site, f"test-{uuid.uuid4().hex[:10]}", NURSERY_QUESTION, "en")
        hours = next(line for line in card_text(reply).splitlines() if line.startswith("🕒"))
        assert "Temporarily closed" in hours
        page.goto(f"{site.web_url}/admin/services/{NURSERY}/hours")
        page.check("input[name='closure-0-remove']")
        page.click("#save-hours")
        expect(page.locator("#saved-notice")).to_be_visible()
    with database(site) as session:
        service = session.get(Service, NURSERY)
        assert service is not None and not [
            s for s in service.schedules if str(s.kind) == "closure"
        ]
