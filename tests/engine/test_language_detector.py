"""The LanguageDetector Rasa component, run in the engine environment (Python 3.10, Rasa 3.6)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_detector import LanguageDetector


def _detected(text: str) -> str | None:
    message = Message(data={TEXT: text})
    LanguageDetector().process([message])
    values = [e["value"] for e in message.get(ENTITIES, []) if e["entity"] == "detected_language"]
    return values[0] if values else None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Dove posso imparare l'italiano?", "it"),
        ("I need help to renew my permesso di soggiorno", "en"),
        ("je dois renouveler mon titre de séjour", "fr"),
        ("¿Dónde puedo aprender italiano gratis?", "es"),
        ("أين يمكنني تعلم اللغة الإيطالية؟", "ar"),
        ("Де я можу вивчити італійську мову?", "uk"),
        ("Где можно выучить итальянский язык?", "ru"),
        ("我在哪里可以学意大利语", "zh"),
        ("مجھے permesso di soggiorno کی تجدید کرنی ہے", "ur"),
        ("আমি ইতালিয়ান ভাষা শিখতে চাই", "bn"),
        ("ਮੈਨੂੰ ਡਾਕਟਰ ਚਾਹੀਦਾ ਹੈ", "pa"),
        ("मुझे डॉक्टर चाहिए", "hi"),
        ("زه د ایټالوي ژبې زده کړه غواړم", "ps"),
        ("ጣልያንኛ ክመሃር እደሊ", "ti"),
        ("dama bëgg jàng italien, fan la ekool bi nekk?", "wo"),
        ("jërëjëf", "wo"),
        ("am na doktoor bu wax wolof ci Cremona?", "wo"),
        ("زه د کار لپاره مرسته غواړم", "ps"),
        ("نن دفتر خلاص وي؟", "ps"),
        ("اكيد يا باشا", "ar"),
        ("ايوه كده", "ar"),
        ("می‌خواهم زبان ایتالیایی یاد بگیرم", "fa"),
        ("hai bisogno del codice fiscale per iscriverti al corso?", "it"),
        ("je cherche un médiateur qui parle wolof", "fr"),
    ],
)
def test_clear_languages_are_detected(text: str, language: str) -> None:
    assert _detected(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "codice fiscale",
        "mujhe doctor chahiye",
        "ek dafa aur batao, office kitne baje khulta hai",
        "bghit nkhdem",
        "/greet",
        "",
    ],
)
def test_unclear_messages_leave_the_conversation_language_alone(text: str) -> None:
    assert _detected(text) is None
