"""The languages the assistant speaks, with native names and text direction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Language:
    """A supported language: BCP-47 tag, native name, direction and support level."""

    code: str
    native_name: str
    direction: Literal["ltr", "rtl"]
    full_support: bool


LANGUAGES: tuple[Language, ...] = (
    Language("it", "Italiano", "ltr", True),
    Language("en", "English", "ltr", True),
    Language("fr", "Français", "ltr", True),
    Language("es", "Español", "ltr", True),
    Language("ar", "العربية", "rtl", True),
    Language("uk", "Українська", "ltr", True),
    Language("ru", "Русский", "ltr", True),
    Language("sq", "Shqip", "ltr", True),
    Language("ro", "Română", "ltr", True),
    Language("zh", "中文", "ltr", True),
    Language("ur", "اردو", "rtl", True),
    Language("bn", "বাংলা", "ltr", True),
    Language("pa", "ਪੰਜਾਬੀ", "ltr", False),
    Language("hi", "हिन्दी", "ltr", False),
    Language("fa", "فارسی", "rtl", False),
    Language("ps", "پښتو", "rtl", False),
    Language("ti", "ትግርኛ", "ltr", False),
    Language("so", "Soomaali", "ltr", False),
    Language("tr", "Türkçe", "ltr", False),
    Language("tl", "Tagalog", "ltr", False),
    Language("wo", "Wolof", "ltr", False),
    Language("pt", "Português", "ltr", False),
    Language("de", "Deutsch", "ltr", False),
)

BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}
SOURCE_LANGUAGE = "it"
FALLBACK_CHAIN: tuple[str, ...] = ("en", "it")


def normalise_code(raw: str | None) -> str | None:
    """Map a client tag such as `uk-UA`, `zh_Hans` or `EN` to a supported code, else None."""
    if not raw:
        return None
    primary = raw.replace("_", "-").split("-")[0].strip().lower()
    if primary == "fil":
        primary = "tl"
    return primary if primary in BY_CODE else None


def is_rtl(code: str) -> bool:
    """True for right-to-left languages."""
    language = BY_CODE.get(code)
    return language is not None and language.direction == "rtl"
