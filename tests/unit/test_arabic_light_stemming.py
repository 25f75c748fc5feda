"""Arabic light stemming in search tokens: the article and the particle written onto it go."""

from __future__ import annotations

import pytest

from bot.catalogue.text_normalise import tokens, without_arabic_article


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("الكريش", "كريش"),  # the nursery (Darija)
        ("فالكريش", "كريش"),  # in/so the nursery
        ("والمدرسة", "مدرسة"),  # and the school
        ("بالعربية", "عربية"),  # in Arabic
        ("للمهاجرين", "مهاجرين"),  # for the migrants
    ],
)
def test_the_article_and_its_particle_are_taken_off(word: str, expected: str) -> None:
    assert without_arabic_article(word) == expected


@pytest.mark.parametrize("word", ["الله", "الان", "كتاب", "ورق", "casa", "алло", "ال"])
def test_short_remainders_other_words_and_other_scripts_stay(word: str) -> None:
    assert without_arabic_article(word) == word


def test_a_query_with_the_article_and_a_text_without_it_share_their_tokens() -> None:
    assert tokens("فين كاين الكريش؟") == ["فين", "كاين", "كريش"]
    assert "كريش" in tokens("كريش بلدية كريمونا")
