"""One spelling per word for the NLU features (bot/nlu/text_folding.py)."""

from __future__ import annotations

import pytest

from bot.nlu.text_folding import fold


@pytest.mark.parametrize(
    ("typed", "other"),
    [
        ("Città PERCHÉ", "citta perche"),  # missing accents, capitals
        ("Straße", "strasse"),
        ("ёлка", "елка"),  # Russian ё written as е
        ("أريد", "اريد"),  # hamza seats
        ("طبيبًا", "طبيبا"),  # vowel marks (tanwin)
        ("مـــدرسة", "مدرسه"),  # tatweel, teh marbuta
        ("کتاب", "كتاب"),  # Persian/Urdu kaf
        ("یہ", "يه"),  # Urdu yeh and heh goal
        ("٣ ۳ ৩ ३", "3 3 3 3"),  # native digits
        ("\u09df", "\u09af\u09bc"),  # Bengali য় precomposed or base + nukta
        ("\u0995\u09c7\u09be", "\u0995\u09cb"),  # Bengali ো typed as two signs
        ("\u09a4\u09cd\u200d", "\u09ce"),  # Bengali khanda ta written with a joiner
        ("ab\u00adc\u200b\u200ed", "abcd"),  # soft hyphen, zero-width space, bidi mark
        ("１２ＡＢ", "12ab"),  # full-width forms
    ],
)
def test_two_ways_of_typing_a_word_fold_to_one(typed: str, other: str) -> None:
    assert fold(typed) == fold(other)


@pytest.mark.parametrize(
    "word",
    ["डॉक्टर", "ਡਾਕਟਰ", "ডাক্তার", "ሰላም", "我想学意大利语", "мені потрібен лікар"],
)
def test_letters_and_vowel_signs_of_other_scripts_stay(word: str) -> None:
    assert fold(word) == word  # Indic vowel signs and viramas are letters' parts, not accents
    assert fold(fold(word)) == fold(word)
