"""The WeightedIntentClassifier: trains on featurized messages, survives persist and load."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import WeightedIntentClassifier
from bot.nlu.multilingual_tokenizer import MultilingualTokenizer

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
