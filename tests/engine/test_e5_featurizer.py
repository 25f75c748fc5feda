"""The E5Featurizer Rasa component: multilingual sentence vectors as dense features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.e5_featurizer import CACHE_ENV, E5Featurizer
from bot.nlu.multilingual_tokenizer import MultilingualTokenizer


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
