"""Language-independent normalisation and tokenisation for search."""

from __future__ import annotations

import itertools
import re
import unicodedata

_WORD_CATEGORIES = ("L", "N", "M")  # letters, numbers and marks (Indic vowel signs are marks)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PREFIX_LENGTH = 5


def normalise(text: str) -> str:
    """Casefold and strip accents (Latin, Greek, Cyrillic marks); keep other scripts intact."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        ch
        for ch in decomposed
        if not (unicodedata.combining(ch) and ord(ch) < 0x0590)  # keep Arabic/Indic marks
    )
    return unicodedata.normalize("NFKC", kept).replace("'", " ").replace("’", " ")


def _words(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        if unicodedata.category(ch)[0] in _WORD_CATEGORIES:
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def tokens(text: str) -> list[str]:
    """Words of a text; runs of Chinese/Japanese characters become character bigrams."""
    result: list[str] = []
    for word in _words(normalise(text)):
        if _CJK.search(word):
            chars = [c for c in word if not c.isspace()]
            result.extend(chars)
            result.extend(a + b for a, b in itertools.pairwise(chars))
        else:
            result.append(word)
    return result


def stem(token: str) -> str | None:
    """A crude prefix stem for long alphabetic tokens, or None."""
    if len(token) > PREFIX_LENGTH + 1 and token.isalpha() and not _CJK.search(token):
        return token[:PREFIX_LENGTH] + "~"
    return None


def trigrams(token: str) -> set[str]:
    """Character trigrams of a padded token, for typo tolerance."""
    padded = f"  {token} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}
