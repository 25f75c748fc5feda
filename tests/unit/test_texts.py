"""Translated catalogue text: explicit fallback and outdated marking."""

from __future__ import annotations

from bot.catalogue.models import Translation, TranslationStatus
from bot.catalogue.texts import TranslationIndex, effective_status, source_version

SOURCE = "Corsi di italiano gratuiti per adulti"


def row(locale: str, text: str, source: str = SOURCE, status: str = "up_to_date") -> Translation:
    return Translation(
        entity="service",
        record_id="s1",
        field="description",
        locale=locale,
        text=text,
        status=TranslationStatus(status),
        source_version=source_version(source),
    )


def test_requested_locale_is_used_when_present() -> None:
    index = TranslationIndex([row("fr", "Cours d'italien gratuits"), row("en", "Free courses")])
    found = index.localize(("service", "s1", "description"), SOURCE, "fr")
    assert (found.text, found.locale, found.fell_back) == ("Cours d'italien gratuits", "fr", False)


def test_fallback_goes_to_english_then_italian_and_says_so() -> None:
    english = TranslationIndex([row("en", "Free Italian courses")])
    found = english.localize(("service", "s1", "description"), SOURCE, "ti")
    assert (found.locale, found.fell_back) == ("en", True)
    italian = TranslationIndex([])
    found = italian.localize(("service", "s1", "description"), SOURCE, "ti")
    assert (found.text, found.locale, found.fell_back) == (SOURCE, "it", True)


def test_missing_status_rows_are_skipped() -> None:
    index = TranslationIndex([row("fr", "", status="missing"), row("en", "Free courses")])
    assert index.localize(("service", "s1", "description"), SOURCE, "fr").locale == "en"


def test_changing_the_italian_source_marks_translations_outdated() -> None:
    french = row("fr", "Cours d'italien gratuits")
    assert effective_status(french, SOURCE) == "up_to_date"
    changed = SOURCE + " e ragazzi"
    assert effective_status(french, changed) == "outdated"
    index = TranslationIndex([french])
    assert index.localize(("service", "s1", "description"), changed, "fr").outdated
