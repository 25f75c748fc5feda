"""The RomanisedBengaliReader: Banglish read in Bengali script, other Latin text left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.multilingual_tokenizer import MultilingualTokenizer
from bot.nlu.romanised_bengali import (
    BENGALI_READING,
    RomanisedBengaliReader,
    bengali_reading,
    known_words,
    lexicon_of,
    match_key,
)

BENGALI_EXAMPLES = [
    "আমি কিভাবে ডাক্তার দেখাবো",
    "রেজিস্ট্রেশন কোথায় করতে হবে",
    "বাংলা ক্লাস কোথায় হয়",
    "আমার কার্ড লাগবে",
]


def _tokenized(texts: list[str]) -> list[Message]:
    messages = [Message(data={TEXT: text, INTENT: "find_service"}) for text in texts]
    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    tokenizer.process_training_data(TrainingData(training_examples=messages))
    return messages


def test_a_phonetic_spelling_meets_the_written_one() -> None:
    # Avro writes "daktar" with dental da, people write ডাক্তার with retroflex ḍa
    assert match_key("দাক্তার") == match_key("ডাক্তার")
    assert match_key("কথায়") == match_key("কোথায়")
    assert match_key("কিভাবে") != match_key("কোথায়")


def test_the_lexicon_keeps_the_most_common_spelling() -> None:
    lexicon = lexicon_of(["কোথায়", "কোথায়", "কোথায"])
    assert list(lexicon.values()) == ["কোথায়"]


def test_banglish_is_read_with_the_known_spellings_and_keeps_other_words() -> None:
    lexicon = lexicon_of([w for text in BENGALI_EXAMPLES for w in text.split()])
    text = "kothay registration korte hobe?"
    known = known_words(text, lexicon, 0.3)
    assert [text[w.start : w.end] for w in known] == ["kothay", "korte", "hobe"]
    assert bengali_reading(text, known) == "কোথায় registration করতে হবে?"
    assert known_words("ami kibhabe daktar dekhabo", lexicon, 0.3)[2].bengali == "ডাক্তার"


def test_other_latin_languages_and_native_script_get_no_reading() -> None:
    lexicon = lexicon_of([w for text in BENGALI_EXAMPLES for w in text.split()])
    for text in (
        "dove posso rinnovare il permesso di soggiorno",
        "where is the job centre",
        "আমি কিভাবে ডাক্তার দেখাবো",
        "",
        "???",
    ):
        assert known_words(text, lexicon, 0.3) == [], text
    # one known word among many is not enough
    assert known_words("ami need a doctor for my little child today", lexicon, 0.3) == []


def test_it_learns_from_training_persists_and_adds_reading_and_tokens(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(node_name="reader", graph_schema=None)  # type: ignore[arg-type]
    resource = Resource("reader")
    config = RomanisedBengaliReader.get_default_config()
    reader = RomanisedBengaliReader.create(config, storage, resource, context)
    reader.train(TrainingData(training_examples=_tokenized(BENGALI_EXAMPLES)))

    loaded = RomanisedBengaliReader.load(config, storage, resource, context)
    banglish, italian = _tokenized(["bangla class kothay hoy", "corso di italiano gratis"])
    before = len(banglish.get(TOKENS_NAMES[TEXT]))
    loaded.process([banglish, italian])

    # Avro reads "class" as চলাসস, which is no known word: it stays in Latin letters
    assert banglish.get(BENGALI_READING) == "বাংলা class কোথায় হয়"
    tokens = banglish.get(TOKENS_NAMES[TEXT])
    assert len(tokens) == before + 3
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    assert italian.get(BENGALI_READING) is None


def test_an_untrained_reader_changes_nothing(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(node_name="reader", graph_schema=None)  # type: ignore[arg-type]
    config = RomanisedBengaliReader.get_default_config()
    reader = RomanisedBengaliReader.load(config, storage, Resource("never"), context)
    (message,) = _tokenized(["kothay registration korte hobe"])
    reader.process([message])
    assert message.get(BENGALI_READING) is None


def test_a_wrong_setting_is_refused_by_name(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(node_name="reader", graph_schema=None)  # type: ignore[arg-type]
    for bad in ({"min_share": 0}, {"min_share": "half"}, {"add_tokens": "yes"}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            RomanisedBengaliReader.create(bad, storage, Resource("reader"), context)
