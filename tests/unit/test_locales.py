"""Every language has every string of each gettext domain, with no fuzzy or empty entries.

Domains people outside the staff read (`messages`: bot replies; `desk`: the public widget,
cards and the printed hand-over; `telegram`: the Telegram channel) must exist in all 23
languages. Staff-only domains (`admin`, `staff`) exist in Italian and English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from bot.i18n.languages import LANGUAGES
from bot.i18n.replies import COMPOSERS, FOLLOW_UP_BUTTONS
from bot.i18n.translator import LOCALES_DIR, placeholders

REFERENCE = "en"
ROOT = Path(__file__).resolve().parents[2]
CITIZEN_DOMAINS = ("messages", "desk", "telegram")
STAFF_DOMAINS = ("admin", "staff")
STAFF_LOCALES = ("it", "en")


def _domains() -> list[str]:
    return sorted(p.stem for p in (LOCALES_DIR / REFERENCE / "LC_MESSAGES").glob("*.po"))


def _required_locales(domain: str) -> tuple[str, ...]:
    if domain in STAFF_DOMAINS:
        return STAFF_LOCALES
    return tuple(language.code for language in LANGUAGES)


def _messages(locale: str, domain: str = "messages") -> dict[str, tuple[str, bool]]:
    path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: (m.string, m.fuzzy) for m in catalog if m.id}


def _cases() -> list[tuple[str, str]]:
    cases = []
    for domain in _domains():
        present = {p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{domain}.po")}
        for locale in sorted(set(_required_locales(domain)) | present):
            cases.append((domain, locale))
    return cases


def _domain_responses() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "domain").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.update(a for a in data.get("actions", []) if a.startswith("utter_"))
    return names


def test_every_domain_is_known() -> None:
    unknown = set(_domains()) - set(CITIZEN_DOMAINS) - set(STAFF_DOMAINS)
    assert not unknown, f"say in this test who reads the domains {sorted(unknown)}"


@pytest.mark.parametrize(("domain", "locale"), _cases())
def test_every_locale_has_every_message_and_placeholder(domain: str, locale: str) -> None:
    path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"{locale} has no {domain}.po"
    reference = _messages(REFERENCE, domain)
    messages = _messages(locale, domain)
    missing = sorted(set(reference) - set(messages))
    assert not missing, f"{locale}/{domain} lacks {missing}"
    extra = sorted(set(messages) - set(reference))
    assert not extra, f"{locale}/{domain} has messages unknown to {REFERENCE}: {extra}"
    for message_id, (text, fuzzy) in messages.items():
        assert text.strip(), f"{locale}/{domain}: {message_id} is empty"
        assert not fuzzy, f"{locale}/{domain}: {message_id} is fuzzy"
        assert placeholders(text) == placeholders(reference[message_id][0]), (
            f"{locale}/{domain}: {message_id} placeholders differ from {REFERENCE}"
        )


def test_every_domain_response_and_button_label_has_a_message() -> None:
    reference = set(_messages(REFERENCE))
    assert _domain_responses() - set(COMPOSERS) <= reference
    labels = {label for buttons in FOLLOW_UP_BUTTONS.values() for label, _ in buttons}
    assert labels <= reference
