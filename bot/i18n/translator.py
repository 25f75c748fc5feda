"""Gettext catalogs from `locales/`, compiled in memory with Babel, and message rendering."""

from __future__ import annotations

import io
import string
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.i18n.languages import FALLBACK_CHAIN, normalise_code
from bot.settings import PROJECT_ROOT

LOCALES_DIR = PROJECT_ROOT / "locales"
DEFAULT_DOMAIN = "messages"


class MissingMessageError(KeyError):
    """A message id that no catalog in the fallback chain defines."""


def _compile(po_path: Path) -> Translations:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=po_path.stem)


@lru_cache(maxsize=256)
def catalog(locale: str, domain: str = DEFAULT_DOMAIN) -> Translations | None:
    """The compiled catalog of one locale and domain, or None when the file does not exist."""
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{domain}.po"
    return _compile(po_path) if po_path.exists() else None


def available_locales(domain: str = DEFAULT_DOMAIN) -> list[str]:
    """Locales that have a catalog for `domain`."""
    return sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{domain}.po"))


def lookup(message_id: str, locale: str, domain: str = DEFAULT_DOMAIN) -> tuple[str, str]:
    """Find a message in `locale`, then English, then Italian; return (template, locale used)."""
    chain = [normalise_code(locale) or locale, *FALLBACK_CHAIN]
    for candidate in dict.fromkeys(chain):
        translations = catalog(candidate, domain)
        if translations is None:
            continue
        template = translations.gettext(message_id)
        if template and template != message_id:
            return template, candidate
    raise MissingMessageError(message_id)


class _Variables(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


_FORMATTER = string.Formatter()


def placeholders(template: str) -> set[str]:
    """The named `{placeholders}` of a message template."""
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def render(
    message_id: str,
    locale: str,
    variables: Mapping[str, Any] | None = None,
    domain: str = DEFAULT_DOMAIN,
) -> str:
    """Render a message in `locale` with named variables (missing variables render empty)."""
    template, _ = lookup(message_id, locale, domain)
    return template.format_map(_Variables(variables or {}))
