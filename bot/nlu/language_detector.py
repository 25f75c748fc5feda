"""A Rasa component that adds a `detected_language` entity when the language is clear."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.language_id import detect

ENTITY = "detected_language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Fills the `language` slot (through its entity) with the message's language."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options."""
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        """Create the component."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the entity to each message whose language is clear."""
        for message in messages:
            text = message.get(TEXT) or ""
            code, confidence = detect(text) if text and not text.startswith("/") else (None, 0.0)
            if code is None:
                continue
            entity = {
                "entity": ENTITY,
                "value": code,
                "start": 0,
                "end": len(text),
                "confidence_entity": round(confidence, 3),
                "extractor": type(self).__name__,
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is not changed."""
        return training_data
