"""Which supported language a message is written in, when that can be told with confidence.

Script first (Ge'ez, Gurmukhi, Bengali, Devanagari, Han, Pashto letters are unambiguous among
our languages), then lingua restricted to the candidates of that script.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

LATIN = ("it", "en", "fr", "es", "sq", "ro", "so", "tr", "tl", "pt", "de")
CYRILLIC = ("uk", "ru")
ARABIC = ("ar", "ur", "fa")
PASHTO_LETTERS = set("ټډړږښګڼځڅېۍ")
# Arabic keyboards type these; Persian and Urdu ones type ک ی ہ and letters Arabic lacks
ARABIC_KEYBOARD_LETTERS = set("ةكيى")
PERSIAN_URDU_LETTERS = set("پچژگکیٹڈڑںےہۃ")
SCRIPT_LANGUAGE = {
    "ETHIOPIC": "ti",
    "GURMUKHI": "pa",
    "BENGALI": "bn",
    "DEVANAGARI": "hi",
    "CJK": "zh",
}
LINGUA_NAMES = {
    "it": "ITALIAN",
    "en": "ENGLISH",
    "fr": "FRENCH",
    "es": "SPANISH",
    "sq": "ALBANIAN",
    "ro": "ROMANIAN",
    "so": "SOMALI",
    "tr": "TURKISH",
    "tl": "TAGALOG",
    "pt": "PORTUGUESE",
    "de": "GERMAN",
    "uk": "UKRAINIAN",
    "ru": "RUSSIAN",
    "ar": "ARABIC",
    "ur": "URDU",
    "fa": "PERSIAN",
}
# romanised South Asian and Arabic words: Latin letters, but none of our Latin languages
# (words of Italian, Somali, Tagalog, Turkish... such as "hai", "ka", "wala" are left out)
TRANSLITERATED = frozenset(
    "mujhe mujhko hain kya kahan kaise chahiye karna krna mera meri hum aap apna nahi nahin "
    "ji bhai kithe tusi sanu ami amar apni kothay kivabe lagbe korte chai ache "
    "bghit bghina wach fin kifach 3afak 3ndi chno shukran inshallah habibi wallah "
    "haan bahut theek thik accha acha shukriya dhanyavaad dhanyavad dhanyawad dhanwad "
    "tuhada tuhanu mainu kive kiven hunda chahida vich karni batao bataiye kitna kitne "
    "sakta sakte sakti hoon rahega hoga kuch pochna poochna tha thi paise lagenge "
    "baje shaam khula alaikum assalam asalam salaam jonno korbo hobe hoise gese khujtechi "
    "ektu kotha chilo bolen janen ahlan baraka ijazik bikhir allahu".split()
)
# Wolof is not in lingua: one of its own common words says it (none of them a word of another
# of our languages: "wax" (Somali), "nga" (Tagalog), "dama" (Spanish), "dafa" and "laa"
# (Roman Urdu and Hindi), "bi", "wolof" are left out)
WOLOF_WORDS = frozenset(
    "naka sama mën soxla bëgg begg lañuy lañu neexee ngir nekk laaj jërëjëf "
    "jerejef dëgg degg ndimbal waaw ubbi ñaata naata làkk dimbali ñu ñi baax benn "
    "dafay dañu liggéey liggeey doxe waxtu laay lépp jamm beneen xale soppi ngeen "
    "jëfandikoo dégguma jokkoo jël bindal denc nanga xibaar yoon mangi maangi noonu "
    "déedéet deedeet doktoor kër amuma amul xaalis senegaal ñoo bii kañ tëj léegi leegi "
    "yónnee yi gii dañuy mooy rekk yépp yomb jariñ fanaan guddi bëggu nañu ngi yàlla "
    "jëkk jàng jàngal".split()
)
# Pashto written without its own letters looks Persian to lingua, which has no Pashto (words
# Persian or Arabic share, such as "نه", "او", "هو" and "دي", are left out)
PASHTO_WORDS = frozenset(
    "زه زما ستاسو ستا مننه پخیر پامان ووینو لیدو کولی شئ یم په سره لپاره تاسو موږ مونږ "
    "څه چیرته دلته شته نشته وي نن سبا اوس مهرباني کوم ورور بیخي ورکولی وخت تللی "
    "خلاصیدو پته همدومره سمه".split()
)
# Italian administrative words people keep in Italian inside any language
ITALIAN_TERMS = (
    "permesso di soggiorno",
    "carta di soggiorno",
    "codice fiscale",
    "tessera sanitaria",
    "carta d'identità",
    "carta di identità",
    "medico di base",
    "medico di famiglia",
    "marca da bollo",
    "ricongiungimento familiare",
    "pronto soccorso",
    "centro per l'impiego",
    "iscrizione anagrafica",
    "questura",
    "prefettura",
    "anagrafe",
    "residenza",
    "patronato",
    "comune",
    "ricevuta",
    "cittadinanza",
    "permesso",
    "soggiorno",
    "isee",
    "caf",
    "cpia",
    "inps",
    "asl",
    "ats",
    "asst",
    "kit",
    "spid",
    "stp",
    "eni",
)
MIN_CONFIDENCE = 0.45
MIN_CONFIDENCE_SHORT_LATIN = 0.8  # one or two Latin words fool every detector
SHORT_WORDS = 2


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for script in ("ETHIOPIC", "GURMUKHI", "BENGALI", "DEVANAGARI", "CYRILLIC", "ARABIC", "LATIN"):
        if name.startswith(script):
            return script
    if name.startswith("CJK") or "IDEOGRAPH" in name:
        return "CJK"
    return None


def dominant_script(text: str) -> str | None:
    """The script most letters of a text are written in."""
    counts: dict[str, int] = {}
    for ch in text:
        script = _script(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else None


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, LINGUA_NAMES[code]) for code in codes]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _lingua(text: str, codes: tuple[str, ...]) -> tuple[str, float]:
    values = _detector(codes).compute_language_confidence_values(text)
    best = values[0]
    code = next(c for c, name in LINGUA_NAMES.items() if name == best.language.name)
    return code, float(best.value)


def _words(text: str) -> list[str]:
    """Lower-case words; a hyphenated word ("naka-store") stays one."""
    return re.findall(r"[^\W_]+(?:-[^\W_]+)*", text.casefold())


def without_italian_terms(text: str) -> str:
    """The text without the Italian administrative terms it mentions."""
    lowered = f" {text.casefold()} "
    for term in ITALIAN_TERMS:
        lowered = lowered.replace(f" {term} ", " ").replace(f" {term}?", " ")
    return " ".join(lowered.split())


def detect(text: str) -> tuple[str | None, float]:
    """(language code, confidence), or (None, confidence) when not confident enough."""
    text = without_italian_terms(text)
    if not text:
        return None, 0.0  # only Italian office names: they say nothing about the speaker
    script = dominant_script(text)
    if script is None:
        return None, 0.0
    if script in SCRIPT_LANGUAGE:
        return SCRIPT_LANGUAGE[script], 1.0
    words, letters = _words(text), set(text)
    if script == "ARABIC":
        if letters & PASHTO_LETTERS or not PASHTO_WORDS.isdisjoint(words):
            return "ps", 0.9
        code, confidence = _lingua(text, ARABIC)
        if (
            code != "ar"
            and letters & ARABIC_KEYBOARD_LETTERS
            and not letters & PERSIAN_URDU_LETTERS
        ):
            return "ar", max(confidence, MIN_CONFIDENCE)  # short dialect words fool lingua
    elif script == "CYRILLIC":
        code, confidence = _lingua(text, CYRILLIC)
    else:
        if not WOLOF_WORDS.isdisjoint(words):
            return "wo", 0.9
        if not TRANSLITERATED.isdisjoint(words) or any(
            ch.isdigit() and i and text[i - 1].isalpha() for i, ch in enumerate(text)
        ):
            return None, 0.0  # Roman Urdu/Hindi/Bangla or Arabizi: keep the conversation's
        code, confidence = _lingua(text, LATIN)
        if len(words) <= SHORT_WORDS and confidence < MIN_CONFIDENCE_SHORT_LATIN:
            return None, confidence
    return (code, confidence) if confidence >= MIN_CONFIDENCE else (None, confidence)
