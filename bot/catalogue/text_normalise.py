"""Language-independent normalisation and tokenisation for search."""

from __future__ import annotations

import itertools
import re
import unicodedata

from bot.nlu.text_folding import TranslationTable, fold

_WORD_CATEGORIES = ("L", "N", "M")  # letters, numbers and marks (Indic vowel signs are marks)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PREFIX_LENGTH = 5
SPACE = ord(" ")
# the Arabic article with the particles written onto it ("and the", "so the", "with the",
# "like the", "for the"): light stemming as in Arabic retrieval (Larkey et al., light8),
# so فالكريش and الكريش find كريش; the bare one-letter particles stay (too many words
# start with those letters)
ARABIC_ARTICLES = ("وال", "فال", "بال", "كال", "لل", "ال")
ARABIC_STEM_MIN_LETTERS = 3


def _word_or_space(ch: str) -> int:
    """The character itself inside words (letters, numbers, marks), a space otherwise."""
    return ord(ch) if unicodedata.category(ch)[0] in _WORD_CATEGORIES else SPACE


_WORD_BREAKS = TranslationTable(_word_or_space)


def normalise(text: str) -> str:
    """The NLU's one spelling per word (accents, Arabic-script letter forms, digits), and
    apostrophes as spaces ("l'anagrafe" is "l anagrafe")."""
    return fold(text).replace("'", " ").replace("’", " ")


def _words(text: str) -> list[str]:
    return text.translate(_WORD_BREAKS).split()


def without_arabic_article(word: str) -> str:
    """An Arabic-script word without its article (and the particle on it), if it has one."""
    if word and "\u0600" <= word[0] <= "\u06ff":
        for article in ARABIC_ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= ARABIC_STEM_MIN_LETTERS:
                return word[len(article) :]
    return word


def tokens(text: str) -> list[str]:
    """Words of a text; runs of Chinese/Japanese characters become character bigrams."""
    result: list[str] = []
    for word in _words(normalise(text)):
        if _CJK.search(word):
            chars = [c for c in word if not c.isspace()]
            result.extend(chars)
            result.extend(a + b for a, b in itertools.pairwise(chars))
        else:
            result.append(without_arabic_article(word))
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
