"""Every text the admin interface shows exists in its `admin` gettext catalog (Italian and English).

The parity test (test_locales.py) checks that it and en have the same ids; this one checks that
the templates and the code only name ids that exist, so no page ever shows a raw message id.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.accounts.models import ROLES
from bot.admin.audit import ACTIONS
from bot.admin.audit_pages import ENTITIES
from bot.admin.forms import ERROR_CODES
from bot.admin.navigation import ADMIN_ONLY, MENU
from bot.admin.pages import ADMIN_LOCALES, TEMPLATES_DIR
from bot.admin.service_editing import PHONE_TYPES
from bot.admin.translation_workflow import FIELDS, STATUSES
from bot.i18n.translator import LOCALES_DIR

STATIC_ID = re.compile(r"""_\(\s*["']([a-z_.]+)["']\s*[,)]""")
ADMIN_SOURCES = Path(__file__).resolve().parents[2] / "bot" / "admin"


def _ids(locale: str) -> dict[str, str]:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "admin.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def _template_ids() -> set[str]:
    found: set[str] = set()
    for folder in ("admin", "auth"):
        for path in (TEMPLATES_DIR / folder).rglob("*.html"):
            found |= set(STATIC_ID.findall(path.read_text(encoding="utf-8")))
    return found


def _dynamic_ids() -> set[str]:
    upload_errors = set(re.findall(r'UploadError\("([a-z_]+)"\)', _admin_code()))
    upload_errors |= {"no_file", "expired"}  # raised by the exchange page itself
    return (
        {f"error.{code}" for code in ERROR_CODES}
        | {f"role.{role}" for role in ROLES}
        | {f"home.role_explained.{role}" for role in ROLES if role != "desk"}
        | {f"status.{s}" for s in ("active", "inactive", *STATUSES)}
        | {f"entity.{e}" for e in ENTITIES}
        | {f"audit.action.{a}" for a in ACTIONS}
        | {f"phone_type.{t}" for t in PHONE_TYPES}
        | {f"interface_language.{code}" for code in ADMIN_LOCALES}
        | {f"exchange.upload_error.{code}" for code in upload_errors}
        | {f"insight.reason.{r}" for r in ("no_match", "not_understood", "not_helpful")}
        | {f"field.{name}" for fields in FIELDS.values() for name in fields}
        | {item.label for item in (*MENU, *ADMIN_ONLY)}
    )


def _admin_code() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in ADMIN_SOURCES.glob("*.py"))


@pytest.mark.parametrize("locale", ADMIN_LOCALES)
def test_every_id_the_pages_use_has_a_text(locale: str) -> None:
    known = _ids(locale)
    missing = sorted((_template_ids() | _dynamic_ids()) - set(known))
    assert not missing, f"{locale}/admin.po lacks {missing}"
    assert all(text.strip() for text in known.values())


def test_every_error_code_the_code_sets_is_a_known_code() -> None:
    used = set(
        re.findall(
            r"""errors(?:\[[^\]]+\]\s*=|\.setdefault\([^,]+,)\s*["']([a-z_]+)["']""", _admin_code()
        )
    )
    assert used, "the pattern found no error codes: update this test"
    assert used <= set(ERROR_CODES), sorted(used - set(ERROR_CODES))
