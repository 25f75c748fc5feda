"""The eval's language-identification tally: right, undecided and wrong are told apart."""

from __future__ import annotations

from bot.evaluation.language_identification import identify


def test_wrong_answers_are_counted_apart_from_undecided_ones() -> None:
    tally = identify("wo", ["wo", None, "fr", "fr", "so", "wo", None, None])
    assert (tally.right, tally.undecided, sum(tally.wrong.values())) == (2, 3, 3)
    assert tally.total == 8
    assert tally.row().split()[:5] == ["wo", "8", "0.25", "0.38", "0.38"]
    assert tally.row().endswith("(mostly fr)")


def test_a_language_never_mistaken_shows_no_usual_confusion() -> None:
    tally = identify("zh", ["zh", "zh", None])
    assert "mostly" not in tally.row()
    assert identify("it", []).row().split()[:2] == ["it", "0"]
