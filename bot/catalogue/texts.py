"""Reading translatable text with an explicit fallback, and marking translations outdated."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.catalogue.models import Translation, TranslationStatus
from bot.i18n.languages import FALLBACK_CHAIN, SOURCE_LANGUAGE

TextKey = tuple[str, str, str]  # (entity, record_id, field)


def source_version(text: str) -> str:
    """A short fingerprint of a source text; translations remember the one they came from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class LocalizedText:
    """A text in the best available locale, saying whether it fell back or is outdated."""

    text: str
    locale: str
    requested: str
    outdated: bool = False

    @property
    def fell_back(self) -> bool:
        """True when the text is not in the requested language."""
        return self.locale != self.requested


def effective_status(row: Translation, source_text: str) -> str:
    """The row's status, or `outdated` when its source text has changed since."""
    if row.status != TranslationStatus.MISSING and row.source_version != source_version(
        source_text
    ):
        return "outdated"
    return str(row.status)


class TranslationIndex:
    """Translations of a set of records, looked up by (entity, record, field) and locale."""

    def __init__(self, rows: Iterable[Translation]) -> None:
        self._rows: dict[TextKey, dict[str, Translation]] = {}
        for row in rows:
            self._rows.setdefault((row.entity, row.record_id, row.field), {})[row.locale] = row

    def rows(self, key: TextKey) -> Mapping[str, Translation]:
        """All locales of one text."""
        return self._rows.get(key, {})

    def localize(self, key: TextKey, source_text: str | None, locale: str) -> LocalizedText:
        """The text in `locale`, else English, else the Italian source."""
        rows = self.rows(key)
        for candidate in dict.fromkeys((locale, *FALLBACK_CHAIN)):
            if candidate == SOURCE_LANGUAGE:
                if source_text:
                    return LocalizedText(source_text, SOURCE_LANGUAGE, locale)
                continue
            row = rows.get(candidate)
            if row is not None and row.text and row.status != TranslationStatus.MISSING:
                outdated = bool(source_text) and row.source_version != source_version(
                    source_text or ""
                )
                return LocalizedText(row.text, candidate, locale, outdated)
        return LocalizedText(source_text or "", SOURCE_LANGUAGE, locale)

    def texts(self, key: TextKey, source_text: str | None) -> dict[str, str]:
        """Every non-empty text of a field, keyed by locale (source included)."""
        found = {loc: row.text for loc, row in self.rows(key).items() if row.text}
        if source_text:
            found[SOURCE_LANGUAGE] = source_text
        return found
