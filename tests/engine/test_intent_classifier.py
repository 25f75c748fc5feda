"""The WeightedIntentClassifier: trains on featurized messages, survives persist and load, and
blends in the votes of the nearest training examples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import WeightedIntentClassifier
from bot.nlu.multilingual_tokenizer import MultilingualTokenizer
from bot.nlu.neighbour_vote import CHUNK, NeighbourVote

EXAMPLES = {
    "greet": ["ciao", "buongiorno", "hello there", "salve a tutti", "hi", "good morning"],
    "find_service": [
        "dove posso imparare l'italiano",
        "where can I learn italian",
        "corso di italiano gratis",
        "I need a family doctor",
        "cerco un medico di famiglia",
        "rinnovo del permesso di soggiorno",
    ],
    "goodbye": ["arrivederci", "bye", "a presto", "see you later", "ciao ciao", "goodbye"],
}


def _featurized(storage: LocalModelStorage, context: ExecutionContext) -> TrainingData:
    messages = [
        Message(data={TEXT: text, INTENT: intent})
        for intent, texts in EXAMPLES.items()
        for text in texts
    ]
    data = TrainingData(training_examples=messages)
    MultilingualTokenizer(MultilingualTokenizer.get_default_config()).process_training_data(data)
    vectorizer = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "max_ngram": 4},
        storage,
        Resource("counts"),
        context,
    )
    vectorizer.train(data)
    vectorizer.process_training_data(data)
    return data


def test_it_learns_intents_and_reloads_with_its_idf_weights(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(node_name="classifier", graph_schema=None)  # type: ignore[arg-type]
    data = _featurized(storage, context)
    resource = Resource("classifier")
    config = WeightedIntentClassifier.get_default_config()
    classifier = WeightedIntentClassifier.create(config, storage, resource, context)
    classifier.train(data)
    assert classifier.idf is not None and (classifier.idf >= 1.0).all()

    probe = [Message(data={TEXT: text}) for text in ("corso italiano", "arrivederci a tutti")]
    twin = [Message(data={TEXT: m.get(TEXT)}) for m in probe]
    for batch in (probe, twin):
        tokenised = TrainingData(training_examples=batch)
        MultilingualTokenizer(MultilingualTokenizer.get_default_config()).process_training_data(
            tokenised
        )
    vectorizer = CountVectorsFeaturizer.load(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "max_ngram": 4},
        storage,
        Resource("counts"),
        context,
    )
    vectorizer.process(probe)
    vectorizer.process(twin)
    classifier.process(probe)
    assert [m.get(INTENT)["name"] for m in probe] == ["find_service", "goodbye"]

    reloaded = WeightedIntentClassifier.load(config, storage, resource, context)
    assert reloaded.idf is not None and len(reloaded.idf) == len(classifier.idf)
    reloaded.process(twin)
    assert [m.get(INTENT)["name"] for m in twin] == ["find_service", "goodbye"]
    assert twin[0].get(INTENT)["confidence"] == probe[0].get(INTENT)["confidence"]


def test_a_message_without_tokens_gets_an_intent_instead_of_an_error(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(node_name="classifier", graph_schema=None)  # type: ignore[arg-type]
    data = _featurized(storage, context)
    config = WeightedIntentClassifier.get_default_config()
    classifier = WeightedIntentClassifier.create(config, storage, Resource("clf"), context)
    classifier.train(data)

    messages = [Message(data={TEXT: text}) for text in ("???", "😀😀😀", "good morning to all")]
    tokenised = TrainingData(training_examples=messages)
    MultilingualTokenizer(MultilingualTokenizer.get_default_config()).process_training_data(
        tokenised
    )
    CountVectorsFeaturizer.load(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "max_ngram": 4},
        storage,
        Resource("counts"),
        context,
    ).process(messages)
    classifier.process(messages)
    assert all(m.get(INTENT)["name"] in EXAMPLES for m in messages)
    assert messages[2].get(INTENT)["name"] == "greet"


def test_neighbour_votes_go_to_the_intent_of_the_nearest_examples() -> None:
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    votes = NeighbourVote(vectors, np.array([0, 0, 1, 1]), class_count=2)
    rows = votes.probabilities(np.array([[0.8, 0.2], [0.2, 0.8], [0.0, 0.0]]), 3, 0.02)
    assert rows[0].argmax() == 0 and rows[1].argmax() == 1
    assert rows[0].sum() == pytest.approx(1.0) and rows[1].sum() == pytest.approx(1.0)
    assert not rows[2].any(), "a message without a vector is left to the classifier"


def test_many_queries_at_once_get_the_votes_each_would_get_alone() -> None:
    """Training passes every example at once: the similarities are computed by chunks.
    (Every example votes here, so that rounding cannot swap the k-th and the next one.)"""
    rng = np.random.default_rng(7)
    votes = NeighbourVote(rng.random((300, 16)), rng.integers(0, 5, 300), class_count=5)
    queries = rng.random((CHUNK * 2 + 17, 16))
    together = votes.probabilities(queries, 300, 0.02)
    alone = np.vstack([votes.probabilities(q[None, :], 300, 0.02) for q in queries])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_neighbour_votes_survive_persist_and_load(tmp_path: Path) -> None:
    votes = NeighbourVote(np.array([[3.0, 4.0], [0.0, 2.0]]), np.array([1, 0]), class_count=2)
    votes.save(tmp_path)
    reloaded = NeighbourVote.load(tmp_path, class_count=2)
    assert reloaded is not None
    query = np.array([[0.5, 0.6]])
    np.testing.assert_allclose(
        reloaded.probabilities(query, 2, 0.05), votes.probabilities(query, 2, 0.05), atol=1e-3
    )
    assert NeighbourVote.load(tmp_path / "elsewhere", class_count=2) is None


def test_sentence_vectors_make_the_classifier_keep_neighbours(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(node_name="classifier", graph_schema=None)  # type: ignore[arg-type]
    data = _featurized(storage, context)
    directions = {"greet": [1.0, 0.0, 0.0], "find_service": [0.0, 1.0, 0.0]}
    for message in data.training_examples:
        vector = np.array([directions.get(message.get(INTENT), [0.0, 0.0, 1.0])])
        message.add_features(Features(vector, FEATURE_TYPE_SENTENCE, TEXT, "e5"))
    config = WeightedIntentClassifier.get_default_config()
    resource = Resource("with-vectors")
    classifier = WeightedIntentClassifier.create(config, storage, resource, context)
    classifier.train(data)
    assert classifier.votes is not None
    assert len(classifier.votes.vectors) == len(data.training_examples)
    reloaded = WeightedIntentClassifier.load(config, storage, resource, context)
    assert reloaded.votes is not None

    off = {**config, "neighbour_weight": 0.0}
    plain = WeightedIntentClassifier.create(off, storage, Resource("plain"), context)
    plain.train(data)
    assert plain.votes is None


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("neighbours", 0),
        ("neighbours", 2.5),
        ("neighbour_temperature", 0),
        ("neighbour_weight", 1.5),
    ],
)
def test_a_wrong_neighbour_setting_is_named(tmp_path: Path, setting: str, value: object) -> None:
    config = {**WeightedIntentClassifier.get_default_config(), setting: value}
    context = ExecutionContext(node_name="classifier", graph_schema=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=setting):
        WeightedIntentClassifier.create(config, LocalModelStorage(tmp_path), Resource("c"), context)
