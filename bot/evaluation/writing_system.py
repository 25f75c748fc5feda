"""Which held-out questions are written in Latin letters in a language with its own script.

People write Arabic, Urdu, Bengali, Hindi, Russian and others in Latin letters too (Roman
Urdu, "Banglish", Arabizi); the eval scores those questions apart from the native-script ones.
"""

from __future__ import annotations

import unicodedata

NON_LATIN_LANGUAGES = frozenset({"ar", "bn", "fa", "hi", "pa", "ps", "ru", "ti", "uk", "ur", "zh"})
LATIN_SHARE = 0.5  # more than half of the words in Latin letters: the question is romanised


def _is_latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")


def is_romanised(language: str, text: str) -> bool:
    """True for a question in Latin letters in a language whose own script is not Latin."""
    if language not in NON_LATIN_LANGUAGES:
        return False
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
    if not words:
        return False
    latin = sum(1 for w in words if all(_is_latin(ch) for ch in w if ch.isalpha()))
    return latin / len(words) > LATIN_SHARE


def split_by_script(
    language: str, scored: list[tuple[str, str, str]]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(native-script pairs, romanised pairs) of (expected, predicted) for one language."""
    native: list[tuple[str, str]] = []
    romanised: list[tuple[str, str]] = []
    for text, expected, predicted in scored:
        (romanised if is_romanised(language, text) else native).append((expected, predicted))
    return native, romanised
