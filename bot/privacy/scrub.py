"""Remove personal data (emails, phone numbers, tax codes, document numbers) from free text."""

from __future__ import annotations

import re

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b", re.IGNORECASE), "[tax-code]"),
    (re.compile(r"\bIT\d{2}[A-Z]\d{10}[0-9A-Z]{12}\b", re.IGNORECASE), "[iban]"),
    (re.compile(r"https?://\S+"), "[link]"),
    (re.compile(r"(?<![\w])\+?\d[\d\s./-]{6,}\d(?![\w])"), "[number]"),
    (re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{7,12}\b"), "[document]"),
)
MAX_LENGTH = 500


def scrub(text: str) -> str:
    """Text with personal identifiers replaced by placeholders, trimmed to 500 characters."""
    cleaned = text[:MAX_LENGTH]
    for pattern, replacement in _PATTERNS:
        cleaned = pattern.sub(replacement, cleaned)
    return " ".join(cleaned.split())
