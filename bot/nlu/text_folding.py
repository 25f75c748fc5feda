"""One spelling per word for the NLU features: what people type differently, folded away.

People write the same word in several ways the model should not have to learn one by
one: with or without accents ("citta", "città"), Arabic with or without vowel marks and
hamza seats (أ/إ/آ → ا), the Arabic, Persian and Urdu forms of yeh, kaf and heh (ي/ی,
ك/ک, ه/ہ), native digits (٣, ۳, ৩ → 3), invisible joiners phone keyboards insert
(ZWJ/ZWNJ, soft hyphen, bidi marks) and Bengali or Devanagari letters typed precomposed
or as base + sign. Standard library only: the engine and the app both import it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# invisible characters inside words: zero-width space/non-joiner/joiner, word joiner,
# byte-order mark, soft hyphen, left/right marks and the bidi embeddings and isolates
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
ARABIC_LETTER_VARIANTS = {
    "\u0649": "\u064a",  # alef maksura -> yeh
    "\u06cc": "\u064a",  # Persian/Urdu yeh -> yeh
    "\u06a9": "\u0643",  # keheh (Persian/Urdu kaf) -> kaf
    "\u06c1": "\u0647",  # Urdu heh goal -> heh
    "\u06d5": "\u0647",  # ae -> heh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06c3": "\u0647",  # teh marbuta goal -> heh
    "\u0671": "\u0627",  # alef wasla -> alef
}
BENGALI_KHANDA_TA = ("\u09a4\u09cd\u200d", "\u09ce")  # ta + virama + ZWJ is the letter ৎ
TATWEEL = "\u0640"


def _is_arabic_mark(ch: str) -> bool:
    """Arabic vowel marks, hamza signs, superscript alef and Quranic annotation signs."""
    point = ord(ch)
    return 0x064B <= point <= 0x065F or point == 0x0670 or 0x06D6 <= point <= 0x06ED


def is_accent(ch: str) -> bool:
    """A combining accent of a Latin, Greek or Cyrillic letter (Indic and Arabic signs are not)."""
    return bool(unicodedata.combining(ch)) and ord(ch) < 0x0590


def _fold_character(ch: str) -> str | None:
    """What one (already decomposed, casefolded) character becomes; None drops it."""
    if ch in INVISIBLE or ch == TATWEEL or _is_arabic_mark(ch):
        return None
    if is_accent(ch):
        return None
    if ch in ARABIC_LETTER_VARIANTS:
        return ARABIC_LETTER_VARIANTS[ch]
    if unicodedata.category(ch) == "Nd" and not ch.isascii():
        return str(unicodedata.digit(ch))
    return ch


class TranslationTable(dict[int, str | int | None]):
    """A `str.translate` table filled on first sight of each character (C speed after)."""

    def __init__(self, decide: Callable[[str], str | int | None]) -> None:
        super().__init__()
        self._decide = decide

    def __missing__(self, point: int) -> str | int | None:
        value = self._decide(chr(point))
        self[point] = value
        return value


_TABLE = TranslationTable(_fold_character)


def is_invisible(ch: str) -> bool:
    """A character that may sit inside a word without being seen (it never splits one)."""
    return ch in INVISIBLE


def fold(text: str) -> str:
    """The one spelling of `text` the features see (casefolded, NFKC)."""
    text = text.replace(*BENGALI_KHANDA_TA)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFKC", decomposed.translate(_TABLE))
