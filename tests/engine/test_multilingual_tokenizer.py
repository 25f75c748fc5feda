"""The MultilingualTokenizer Rasa component, run in the engine environment."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.multilingual_tokenizer import MultilingualTokenizer
from bot.nlu.text_folding import fold


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
    text = "Serve il Codice Fiscale già 我 می‌خواهم"
    for token in tokenizer.tokenize(Message(data={"text": text}), "text"):
        assert fold(text[token.start : token.end]) == token.text


def test_a_word_is_one_token_however_it_was_typed() -> None:
    assert _tokens("Città perché") == _tokens("citta perche")
    assert _tokens("أريد طبيبًا") == _tokens("اريد طبيبا")
    assert _tokens("میں ڈاکٹر") == _tokens("ميں ڈاكٹر")  # Urdu keyboard or Arabic keyboard
    assert _tokens("می‌خواهم") == ["ميخواهم"]  # the joiner does not split the word
    assert _tokens("কো‍থায় ৩ টায়") == _tokens("কোথায় 3 টায়")
