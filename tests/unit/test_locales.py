"""Every language has every reply string, with no fuzzy or empty entries (the parity check)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from bot.i18n.replies import COMPOSERS, FOLLOW_UP_BUTTONS
from bot.i18n.translator import LOCALES_DIR, available_locales, placeholders

REFERENCE = "en"
ROOT = Path(__file__).resolve().parents[2]


def _messages(locale: str) -> dict[str, tuple[str, bool]]:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: (m.string, m.fuzzy) for m in catalog if m.id}


def _domain_responses() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "domain").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.update(a for a in data.get("actions", []) if a.startswith("utter_"))
    return names


@pytest.mark.parametrize("locale", available_locales())
def test_every_locale_has_every_message_and_placeholder(locale: str) -> None:
    reference = _messages(REFERENCE)
    messages = _messages(locale)
    missing = sorted(set(reference) - set(messages))
    assert not missing, f"{locale} lacks {missing}"
    extra = sorted(set(messages) - set(reference))
    assert not extra, f"{locale} has messages unknown to {REFERENCE}: {extra}"
    for message_id, (text, fuzzy) in messages.items():
        assert text.strip(), f"{locale}: {message_id} is empty"
        assert not fuzzy, f"{locale}: {message_id} is fuzzy"
        assert placeholders(text) == placeholders(reference[message_id][0]), (
            f"{locale}: {message_id} placeholders differ from {REFERENCE}"
        )


def test_every_domain_response_and_button_label_has_a_message() -> None:
    reference = set(_messages(REFERENCE))
    assert _domain_responses() - set(COMPOSERS) <= reference
    labels = {label for buttons in FOLLOW_UP_BUTTONS.values() for label, _ in buttons}
    assert labels <= reference
