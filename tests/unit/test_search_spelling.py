"""Search tokens fold the ways people type a word into one (shared with the NLU features)."""

from __future__ import annotations

import pytest

from bot.catalogue.text_normalise import tokens


@pytest.mark.parametrize(
    ("typed", "other"),
    [
        ("Perché la città", "perche la citta"),
        ("l'anagrafe", "l anagrafe"),
        ("میں ڈاکٹر", "ميں ڈاكٹر"),  # Urdu letters or Arabic keyboard
        ("أريد طبيبًا", "اريد طبيبا"),
        ("المدرسة", "المدرسه"),
        ("می\u200cخواهم", "میخواهم"),  # Persian zero-width non-joiner
        ("٣ ۳ ৩", "3 3 3"),
    ],
)
def test_two_spellings_of_a_query_give_the_same_tokens(typed: str, other: str) -> None:
    assert tokens(typed) == tokens(other)
