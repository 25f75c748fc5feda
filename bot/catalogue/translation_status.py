"""Where each translatable text of a service stands, per locale (for translators and admins)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.catalogue.models import Service
from bot.catalogue.presenter import TEXT_FIELDS
from bot.catalogue.texts import TranslationIndex, effective_status
from bot.i18n.languages import SOURCE_LANGUAGE


def service_text_status(
    service: Service, translations: TranslationIndex, locales: Iterable[str]
) -> dict[tuple[str, str], str]:
    """(field, locale) -> missing / machine_translated / needs_review / up_to_date / outdated."""
    report: dict[tuple[str, str], str] = {}
    for field in TEXT_FIELDS:
        source = getattr(service, field) or ""
        if not source:
            continue
        rows = translations.rows(("service", service.id, field))
        for locale in locales:
            if locale == SOURCE_LANGUAGE:
                continue
            row = rows.get(locale)
            report[(field, locale)] = effective_status(row, source) if row else "missing"
    return report
