"""The held-out questions typed another common way, to measure robustness to spelling.

People drop accents (Latin and Cyrillic letters), write Urdu, Persian and Pashto on an
Arabic keyboard (ي for ی, ك for ک, ه for ہ) and Arabic without hamza seats or with ه for ة.
"""

from __future__ import annotations

import unicodedata

from bot.nlu.text_folding import is_accent

ARABIC_WITHOUT_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})
ARABIC_KEYBOARD = str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه"})
ARABIC_KEYBOARD_LANGUAGES = frozenset({"ur", "fa", "ps"})
MIN_QUESTIONS = 10  # fewer variants than this in a language: no row for it


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = (c for c in decomposed if not is_accent(c))
    return unicodedata.normalize("NFC", "".join(kept))


def typed_another_way(language: str, text: str) -> str:
    """The text as many people of that language would also type it (may be unchanged)."""
    if language == "ar":
        return text.translate(ARABIC_WITHOUT_HAMZA)
    if language in ARABIC_KEYBOARD_LANGUAGES:
        return text.translate(ARABIC_KEYBOARD)
    return _without_accents(text)


def variant_rows(
    rows: dict[str, list[tuple[str, str]]],
) -> dict[str, list[tuple[str, str]]]:
    """language -> [(variant text, intent)] for the questions whose variant differs."""
    variants = {
        language: [
            (typed_another_way(language, text), intent)
            for text, intent in pairs
            if typed_another_way(language, text) != text
        ]
        for language, pairs in rows.items()
    }
    return {language: pairs for language, pairs in variants.items() if len(pairs) >= MIN_QUESTIONS}
