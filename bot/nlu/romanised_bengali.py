"""Bengali written in Latin letters ("Banglish"), also read in Bengali script.

Much of the Bengali people write to the assistant comes in Latin letters, spelt a new way
by each writer ("kivabe", "kibhabe"); the sentence vectors and the training data's n-grams
know Bengali script far better. This component learns the Bengali-script words of the
training data; for a message in Latin letters it transliterates each word phonetically
(Avro rules, the `avro.py` package). A transliteration is matched to the known words by its sound
(`match_key`: Avro writes "daktar" as দাক্তার, people write ডাক্তার), and the known
spelling replaces the Latin word ("kothay" -> "কোথায়"); other words stay as written
("registration", "permesso"). When enough words are known, the message carries that
Bengali-script reading for the sentence-vector featurizer, and the known Bengali words join
its tokens (at the offsets of the Latin words) for the n-gram featurizers.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from functools import lru_cache
from typing import Any, NamedTuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.multilingual_tokenizer import spans
from bot.nlu.text_folding import fold

logger = logging.getLogger(__name__)
BENGALI_READING = "bengali_reading"  # message attribute read by the e5 featurizer
LEXICON_FILE = "bengali_words.json"
# what phonetic Latin spelling cannot tell apart: retroflex/dental, long/short vowels, the
# three sibilants, o-kar (Avro leaves the inherent vowel), virama, nukta, chandrabindu
SOUND_ALIKE = str.maketrans(
    {
        "ড": "দ",
        "ট": "ত",
        "ঠ": "থ",
        "ঢ": "ধ",
        "ণ": "ন",
        "ষ": "শ",
        "স": "শ",
        "য": "জ",
        "ী": "ি",
        "ূ": "ু",
        "ঈ": "ই",
        "ঊ": "উ",
        "ৎ": "ত",
        "ঙ": "ং",
        "ো": None,
        "ঁ": None,
        "়": None,
        "ঃ": None,
        "্": None,
    }
)


class Reading(NamedTuple):
    """A Latin word (its offsets in the message) and the known Bengali word it stands for."""

    start: int
    end: int
    bengali: str


def _is_bengali(word: str) -> bool:
    return any("\u0980" <= ch <= "\u09ff" for ch in word)


def _is_latin_word(word: str) -> bool:
    return word.isascii() and word.isalpha()


@lru_cache(maxsize=20000)
def transliterate(word: str) -> str:
    """One Latin word read with the Avro phonetic rules (lowercase: no capital-letter rules)."""
    import avro

    return str(avro.parse(word.lower()))


def match_key(word: str) -> str:
    """A Bengali word's sound, as far as a Latin spelling of it can tell."""
    return fold(word).translate(SOUND_ALIKE)


def lexicon_of(words: list[str]) -> dict[str, str]:
    """match key -> the most common spelling among the Bengali-script words given."""
    spellings: dict[str, Counter[str]] = {}
    for word in words:
        spellings.setdefault(match_key(word), Counter())[word] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in sorted(spellings.items())}


def known_words(text: str, lexicon: dict[str, str], min_share: float) -> list[Reading]:
    """The Latin words of a Banglish text read as known Bengali words ([] if not Banglish)."""
    words = list(spans(text))
    latin = [(w, start) for w, start in words if _is_latin_word(w)]
    if not latin or len(latin) * 2 < len(words):
        return []
    keys = ((w, start, match_key(transliterate(w))) for w, start in latin)
    known = [Reading(start, start + len(w), lexicon[k]) for w, start, k in keys if k in lexicon]
    return known if len(known) >= min_share * len(latin) else []


def bengali_reading(text: str, known: list[Reading]) -> str:
    """The text with the known words in Bengali script."""
    pieces, last = [], 0
    for word in known:
        pieces += [text[last : word.start], word.bengali]
        last = word.end
    return "".join([*pieces, text[last:]])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class RomanisedBengaliReader(GraphComponent):
    """Adds the Bengali-script reading of Banglish messages and its words as extra tokens."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after the tokenizer, before the sentence vectors."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """min_share: the share of a message's Latin words that must be known Bengali words
        for a reading; add_tokens: whether the known Bengali words also join the tokens."""
        return {"min_share": 0.3, "add_tokens": True}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        lexicon: dict[str, str] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        share = self._config["min_share"]
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
            raise ValueError(f"RomanisedBengaliReader min_share must be in (0, 1], got {share!r}")
        if not isinstance(self._config["add_tokens"], bool):
            raise ValueError("RomanisedBengaliReader add_tokens must be true or false")
        self._model_storage = model_storage
        self._resource = resource
        self._lexicon = lexicon or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RomanisedBengaliReader:
        """A reader that knows no words yet."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the Bengali-script words of the training examples, by their sound."""
        self._lexicon = lexicon_of(
            [
                word
                for message in training_data.training_examples
                for word, _ in spans(str(message.get(TEXT) or ""))
                if _is_bengali(word)
            ]
        )
        with self._model_storage.write_to(self._resource) as model_dir:
            text = json.dumps(self._lexicon, ensure_ascii=False, indent=0)
            (model_dir / LEXICON_FILE).write_text(text, "utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> RomanisedBengaliReader:
        """The reader with the words it learnt (none if it was never trained)."""
        lexicon: dict[str, str] = {}
        try:
            with model_storage.read_from(resource) as model_dir:
                lexicon = json.loads((model_dir / LEXICON_FILE).read_text("utf-8"))
        except (ValueError, FileNotFoundError):
            logger.debug("no Bengali words in %s: untrained reader", resource.name)
        return cls(config, model_storage, resource, lexicon)

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the Bengali reading (and the extra tokens) on each Banglish message."""
        if not self._lexicon:
            return messages
        share = float(self._config["min_share"])
        for message in messages:
            text = str(message.get(TEXT) or "")
            known = known_words(text, self._lexicon, share) if text else []
            if not known:
                continue
            message.set(BENGALI_READING, bengali_reading(text, known))
            if self._config["add_tokens"]:
                tokens = message.get(TOKENS_NAMES[TEXT]) or []
                extra = [Token(fold(w.bengali), w.start, w.end) for w in known]
                message.set(TOKENS_NAMES[TEXT], sorted([*tokens, *extra], key=lambda t: t.start))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Set the reading on the training examples too."""
        self.process(training_data.training_examples)
        return training_data
