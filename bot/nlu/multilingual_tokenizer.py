"""Tokens for every script: words of letters/marks/digits; runs of Han characters are segmented
by spaCy's Chinese tokenizer (character segmentation, no model download). Each token's text
is folded to one spelling (`text_folding`); its offsets still point into the message."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.text_folding import fold, is_invisible


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_word(ch: str) -> bool:
    return unicodedata.category(ch)[0] in ("L", "N", "M") or is_invisible(ch)


@lru_cache(maxsize=1)
def _chinese() -> Any:
    import spacy

    return spacy.blank("zh")


def spans(text: str) -> Iterator[tuple[str, int]]:
    """(token, start) pairs: Han runs through spaCy, other words as they are."""
    start = None
    han = False
    for index, ch in enumerate([*text, " "]):
        kind = _is_word(ch) and index < len(text)
        is_han = kind and _is_han(ch)
        if start is not None and (not kind or is_han != han):
            run = text[start:index]
            if han:
                yield from ((t.text, start + t.idx) for t in _chinese()(run) if t.text.strip())
            else:
                yield run, start
            start = None
        if kind and start is None:
            start, han = index, is_han


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualTokenizer(Tokenizer):
    """One tokenizer for all 23 languages."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Rasa's tokenizer options."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def not_supported_languages() -> list[str] | None:
        """Every language is supported."""
        return None

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: Any, resource: Any, execution_context: Any
    ) -> MultilingualTokenizer:
        """Create the component."""
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Folded tokens with the offsets of the words they come from."""
        text = message.get(attribute) or ""
        tokens = [
            Token(folded, start, start + len(word))
            for word, start in spans(text)
            if (folded := fold(word))
        ]
        return self._apply_token_pattern(tokens)
