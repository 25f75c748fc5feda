"""The MultilingualTokenizer Rasa component, run in the engine environment."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.multilingual_tokenizer import MultilingualTokenizer


def _tokens(text: str) -> list[str]:
    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    return [token.text for token in tokenizer.tokenize(Message(data={"text": text}), "text")]


def test_chinese_is_segmented_and_latin_words_inside_it_are_kept() -> None:
    assert _tokens("我想学意大利语") == ["我", "想", "学", "意", "大", "利", "语"]
    assert _tokens("questura会知道吗") == ["questura", "会", "知", "道", "吗"]


def test_indic_words_keep_their_vowel_signs() -> None:
    assert _tokens("मुझे डॉक्टर चाहिए") == ["मुझे", "डॉक्टर", "चाहिए"]


def test_punctuation_is_dropped_and_words_lower_cased() -> None:
    assert _tokens("Dove posso imparare l'italiano?") == [
        "dove",
        "posso",
        "imparare",
        "l",
        "italiano",
    ]


def test_offsets_point_into_the_text() -> None:
    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    text = "Serve il codice fiscale 我"
    for token in tokenizer.tokenize(Message(data={"text": text}), "text"):
        assert text[token.start : token.end].lower() == token.text
