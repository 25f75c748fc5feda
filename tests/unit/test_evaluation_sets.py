"""The evaluation sets stay apart: held-out questions are never trained on, and the
tuning set (tests/dev) shares nothing with the held-out one (tests/nlu) it is scored on."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
import yaml

from bot.evaluation.intent_eval import held_out
from bot.evaluation.search_eval import (
    DEV_DIR,
    HELD_OUT_DIR,
    available_languages,
    held_out_questions,
)
from bot.settings import PROJECT_ROOT

TRAINING_DIR = PROJECT_ROOT / "nlu_data"
TAXONOMY = PROJECT_ROOT / "bot" / "catalogue" / "data" / "taxonomy.json"


def _key(text: str) -> str:
    """Case, accents, punctuation and spacing do not make a question new."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = (" " if unicodedata.category(c)[0] in "PSZC" else c for c in folded)
    return " ".join("".join(kept).split())


def _training_examples() -> set[str]:
    examples = set()
    for path in TRAINING_DIR.rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    examples.add(_key(text))
    return examples


def _search_questions(folder: Path) -> dict[str, list[tuple[str, str]]]:
    return {lang: held_out_questions(lang, folder) for lang in available_languages(folder)}


def _found_in(known: set[str], rows: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """(language, text) of every row whose text is in `known`."""
    return [
        (language, text)
        for language, pairs in rows.items()
        for text, _ in pairs
        if _key(text) in known
    ]


def test_no_held_out_intent_example_is_in_the_training_data() -> None:
    leaked = _found_in(_training_examples(), held_out(HELD_OUT_DIR))
    assert not leaked, leaked[:10]


def test_no_held_out_search_question_is_in_the_training_data() -> None:
    leaked = _found_in(_training_examples(), _search_questions(HELD_OUT_DIR))
    assert not leaked, leaked[:10]


def test_the_tuning_set_shares_no_question_with_the_held_out_set() -> None:
    held = {_key(text) for rows in _search_questions(HELD_OUT_DIR).values() for text, _ in rows}
    assert not (shared := _found_in(held, _search_questions(DEV_DIR))), shared[:10]


def test_the_tuning_intents_share_no_example_with_the_held_out_intents() -> None:
    held = {_key(text) for rows in held_out(HELD_OUT_DIR).values() for text, _ in rows}
    assert not (shared := _found_in(held, held_out(DEV_DIR))), shared[:10]


@pytest.mark.parametrize("folder", [HELD_OUT_DIR, DEV_DIR], ids=["held-out", "dev"])
def test_every_search_file_asks_about_every_category_and_only_real_ones(folder: Path) -> None:
    codes = {entry["code"] for entry in json.loads(TAXONOMY.read_text())["categories"]}
    for language, rows in _search_questions(folder).items():
        asked = {category for _, category in rows}
        assert asked <= codes, (language, asked - codes)
        assert asked == codes, (language, codes - asked)
