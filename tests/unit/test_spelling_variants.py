"""The held-out questions typed another common way (bot/evaluation/spelling_variants.py)."""

from __future__ import annotations

import pytest

from bot.evaluation.spelling_variants import MIN_QUESTIONS, typed_another_way, variant_rows
from bot.nlu.text_folding import fold


@pytest.mark.parametrize(
    ("language", "text", "variant"),
    [
        ("it", "Perché la città?", "Perche la citta?"),
        ("ru", "Где врач? Ещё открыто?", "Где врач? Еще открыто?"),
        ("ur", "میں ڈاکٹر چاہتا ہوں", "ميں ڈاكٹر چاهتا هوں"),
        ("ar", "أين المدرسة؟", "اين المدرسه؟"),
        ("bn", "ডাক্তার কোথায়", "ডাক্তার কোথায়"),  # Bengali vowel signs are no accents
        ("zh", "医生在哪里", "医生在哪里"),
    ],
)
def test_a_question_is_typed_the_way_many_people_also_type_it(
    language: str, text: str, variant: str
) -> None:
    assert typed_another_way(language, text) == variant
    assert fold(variant) == fold(text)  # the NLU's n-gram features see the same words


def test_only_changed_questions_of_languages_with_enough_of_them_are_kept() -> None:
    rows = {
        "it": [("città", "find_service")] * MIN_QUESTIONS + [("ciao", "greet")],
        "fr": [("été", "find_service")] * (MIN_QUESTIONS - 1),
        "zh": [("你好", "greet")] * MIN_QUESTIONS,
    }
    assert variant_rows(rows) == {"it": [("citta", "find_service")] * MIN_QUESTIONS}
