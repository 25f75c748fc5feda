"""The eval's split of held-out questions into native script and Latin letters."""

from __future__ import annotations

from bot.evaluation.writing_system import is_romanised, split_by_script


def test_latin_letters_in_a_language_with_its_own_script_are_romanised() -> None:
    assert is_romanised("bn", "eta kivabe kaj kore?")
    assert is_romanised("ur", "mujhe doctor chahiye")
    assert is_romanised("ar", "fin kayn l'hopital 3afak")


def test_native_script_mixed_italian_and_latin_languages_are_not() -> None:
    assert not is_romanised("bn", "আমার permesso di soggiorno কোথায় নবায়ন করব")
    assert not is_romanised("it", "dove rinnovo il permesso")
    assert not is_romanised("bn", "112 ???")


def test_split_keeps_expected_and_predicted_pairs_by_script() -> None:
    scored = [
        ("আমি ডাক্তার চাই", "find_service", "find_service"),
        ("ami daktar chai", "find_service", "greet"),
    ]
    native, romanised = split_by_script("bn", scored)
    assert native == [("find_service", "find_service")]
    assert romanised == [("find_service", "greet")]


def test_words_are_counted_whole_whatever_their_vowel_signs() -> None:
    # vowel signs are not letters to str.isalpha(): the word still counts once
    assert not is_romanised("bn", "কোথায় নিবন্ধন করতে হবে, office?")
    assert is_romanised("bn", "kothay nibondhon korte hobe, অফিস?")
