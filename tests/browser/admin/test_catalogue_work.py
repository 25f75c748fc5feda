"""Translators, freshness, import/export and insight in a real browser against the real stack."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bot.catalogue.hsds.export import catalogue_rows
from bot.catalogue.models import Service, Translation
from bot.privacy.erasure import erase_sender
from bot.settings import Settings
from tests.browser.admin.conftest import bot_reply, database, kept_service, log_in
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.engine, pytest.mark.browser]

CIVIL_STATUS = "svc-civil-status"
HOUSING_SUITABILITY = "svc-housing-suitability"


def test_a_translator_fixes_an_outdated_translation_side_by_side(
    site: Settings, page: Page
) -> None:
    with kept_service(site, CIVIL_STATUS):
        with database(site) as session:  # the Italian source changed after the French was written
            service = session.get(Service, CIVIL_STATUS)
            assert service is not None
            service.fees_description = (
                service.fees_description or ""
            ) + " Marca da bollo se richiesta."
        log_in(page, site, "tina")
        page.goto(f"{site.web_url}/admin/translations/language/fr?status=outdated")
        link = page.locator(f"a[href='/admin/translations/service/{CIVIL_STATUS}?lang=fr']")
        expect(link).to_be_visible()
        link.click()
        pair = page.locator("section.text-pair", has=page.locator(".badge-outdated"))
        expect(pair).to_have_count(1)
        expect(pair.locator(".source-text")).to_contain_text("Marca da bollo")
        screenshot(page, "admin-translation-side-by-side")
        textarea = pair.locator("textarea")
        textarea.fill(textarea.input_value() + " Timbre fiscal si demandé.")
        pair.locator("select").select_option("up_to_date")
        page.click("#save-translations")
        expect(page.locator("#saved-notice")).to_be_visible()
        expect(page.locator(".badge-outdated")).to_have_count(0)
        with database(site) as session:
            row = session.scalar(
                select(Translation).where(
                    Translation.record_id == CIVIL_STATUS,
                    Translation.field == "fees_description",
                    Translation.locale == "fr",
                )
            )
            assert row is not None and row.text.endswith("Timbre fiscal si demandé.")
        page.goto(f"{site.web_url}/admin/translations")
        screenshot(page, "admin-translations-overview")


def test_verified_today_takes_an_entry_off_the_freshness_list(site: Settings, page: Page) -> None:
    with kept_service(site, HOUSING_SUITABILITY):
        with database(site) as session:
            service = session.get(Service, HOUSING_SUITABILITY)
            assert service is not None
            service.verified_on = dt.date.today() - dt.timedelta(days=400)
            service.owner = "Ufficio Casa – Comune di Cremona"
        log_in(page, site, "eddie")
        page.goto(f"{site.web_url}/admin/freshness")
        row = page.locator(f"#overdue tr[data-service-id='{HOUSING_SUITABILITY}']")
        expect(row).to_contain_text("Ufficio Casa – Comune di Cremona")
        screenshot(page, "admin-freshness")
        row.locator("button").click()
        expect(page).to_have_url(f"{site.web_url}/admin/freshness")
        expect(page.locator(f"#overdue tr[data-service-id='{HOUSING_SUITABILITY}']")).to_have_count(
            0
        )
        with database(site) as session:
            service = session.get(Service, HOUSING_SUITABILITY)
            assert service is not None and service.verified_on == dt.date.today()


def test_a_bad_import_is_rejected_with_its_report_and_the_catalogue_is_unchanged(
    site: Settings, page: Page, tmp_path: Path
) -> None:
    with database(site) as session:
        before = json.dumps(catalogue_rows(session), sort_keys=True, default=str)
    log_in(page, site, "ada")
    page.goto(f"{site.web_url}/admin/exchange")
    with page.expect_download() as download:
        page.click("a[href='/admin/exchange/export.json']")
    package = json.loads(Path(download.value.path()).read_text("utf-8"))
    services = next(r for r in package["resources"] if r["name"] == "service")["data"]
    services[0]["name"] = "Should never be written"
    services[3]["status"] = "maybe"
    services[4]["organization_id"] = "org-nowhere"
    bad = tmp_path / "partner-directory.json"
    bad.write_text(json.dumps(package), "utf-8")
    page.goto(f"{site.web_url}/admin/exchange")
    page.set_input_files("#field-package", str(bad))
    page.click("#check-import")
    report = page.locator("#import-report")
    expect(report).to_be_visible()
    expect(report).to_contain_text("partner-directory.json")
    expect(report).to_contain_text("org-nowhere")
    expect(report.locator("code", has_text="status")).to_have_count(1)
    expect(page.locator("#confirm-import")).to_have_count(0)
    screenshot(page, "admin-import-rejected")
    with database(site) as session:
        assert json.dumps(catalogue_rows(session), sort_keys=True, default=str) == before


def _answer_not_helpful(settings: Settings, sender: str, question: str, language: str) -> str:
    """Ask, then press the bot's "not helpful" button, as a disappointed person does."""
    reply = bot_reply(settings, sender, question, language)
    payloads = [b["payload"] for m in reply for b in m.get("buttons", [])]
    negative = next(p for p in payloads if p.startswith("/feedback") and '"no"' in p)
    service = next(m["custom"]["id"] for m in reply if isinstance(m.get("custom"), dict))
    bot_reply(settings, sender, negative, language)
    return str(service)


def test_insight_groups_questions_across_languages_with_feedback_and_counts(
    site: Settings, page: Page
) -> None:
    # plainly a search for a service the catalogue lacks (the test is about insight, not about
    # borderline "is there ..." questions the classifier may also read as out of scope)
    questions = [
        ("I am looking for a skating rink in Cremona", "en"),
        ("cerco una pista di pattinaggio a Cremona", "it"),
        ("busco una pista de patinaje en Cremona", "es"),
    ]
    senders = [f"test-insight-{uuid.uuid4().hex[:8]}" for _ in questions]
    try:
        shown = [
            _answer_not_helpful(site, sender, question, language)
            for sender, (question, language) in zip(senders, questions, strict=True)
        ]
        log_in(page, site, "victor")
        page.goto(f"{site.web_url}/admin/insight?days=30")
        theme = page.locator("details.theme", has_text=questions[0][0])
        expect(theme).to_have_count(1)
        for question, _ in questions[1:]:
            expect(theme).to_contain_text(question)  # one theme, three languages
        for service_id in set(shown):
            row = page.locator(
                "#feedback tr", has=page.locator(f"a[href='/admin/services/{service_id}']")
            )
            expect(row).to_be_visible()
        weekly = page.locator("#languages table.weekly thead")
        for code in ("en", "it", "es"):
            expect(weekly).to_contain_text(code)
        screenshot(page, "admin-insight")
    finally:
        for sender in senders:
            erase_sender(site, sender)
