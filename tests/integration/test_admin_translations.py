"""The translation workflow through the real admin app and database.

Badges follow the data (missing, outdated after an Italian edit, machine translated, up to
date); the per-language list shows what needs work; translators save; a stale form conflicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.models import Translation, TranslationStatus
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.setup import prepare_catalogue
from bot.settings import Settings
from tests.admin_support import (
    app_client,
    as_data,
    create_role_users,
    edit_form,
    login,
    value_of,
    with_values,
)

SERVICE = "svc-registry-residence"
PAGE = f"/admin/translations/service/{SERVICE}"


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('admin-translations') / 'catalogue.sqlite3'}"
    prepare_catalogue(url)
    create_role_users(url)
    return url


@pytest.fixture(scope="module")
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        app_env="test", database_url=database_url, data_dir=tmp_path, search_vectors=False
    )  # type: ignore[arg-type]


def _index_of(fields: list[tuple[str, str]], key: str) -> str:
    for name, value in fields:
        if name.startswith("key-") and value == key:
            return name.removeprefix("key-")
    raise AssertionError(f"{key} not in the form")


def _badge(html: str, index: str) -> str:
    section = html.split(f'id="pair-{index}"', 1)[1].split("</h2>", 1)[0]
    found = re.search(r'class="badge badge-([a-z_]+)"', section)
    assert found, section
    return found.group(1)


def _row(sessions: sessionmaker[Session], field: str, locale: str) -> Translation | None:
    with sessions() as session:
        return session.scalar(
            select(Translation).where(
                Translation.entity == "service",
                Translation.record_id == SERVICE,
                Translation.field == field,
                Translation.locale == locale,
            )
        )


def test_side_by_side_shows_the_italian_source_and_a_badge_per_text(settings: Settings) -> None:
    with app_client(settings) as client:
        login(client, "tina")
        page = client.get(f"{PAGE}?lang=ar").text
        with_source = page.split('class="source-text" lang="it"', 1)[1]
        assert "Iscrizione anagrafica" in with_source.split("</div>", 1)[0]
        assert 'lang="ar" dir="rtl"' in page  # Arabic is written right to left
        fields = edit_form(client, f"{PAGE}?lang=ar", PAGE)
        assert _badge(page, _index_of(fields, f"service|{SERVICE}|name")) == "up_to_date"
        missing_page = client.get(f"{PAGE}?lang=ti").text  # Tigrinya has no demo translations
        missing_fields = edit_form(client, f"{PAGE}?lang=ti", PAGE)
        assert (
            _badge(missing_page, _index_of(missing_fields, f"service|{SERVICE}|name")) == "missing"
        )


def test_an_italian_edit_marks_translations_outdated_until_a_translator_updates_them(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with app_client(settings) as editor:
        login(editor, "eddie")
        path = f"/admin/services/{SERVICE}"
        fields = edit_form(editor, path)
        description = (value_of(fields, "description") or "") + " Porta anche una foto."
        saved = editor.post(
            path,
            data=as_data(with_values(fields, {"description": description})),
            follow_redirects=False,
        )
        assert saved.status_code == 303
    with app_client(settings) as client:
        login(client, "tina")
        page = client.get(f"{PAGE}?lang=fr").text
        fields = edit_form(client, f"{PAGE}?lang=fr", PAGE)
        index = _index_of(fields, f"service|{SERVICE}|description")
        assert _badge(page, index) == "outdated"
        todo = client.get("/admin/translations/language/fr?status=outdated").text
        assert f"/admin/translations/service/{SERVICE}?lang=fr" in todo
        old_text = value_of(fields, f"text-{index}") or ""
        new_text = old_text + " Apportez aussi une photo."
        response = client.post(
            PAGE,
            data=as_data(
                with_values(fields, {f"text-{index}": new_text, f"status-{index}": "up_to_date"})
            ),
            follow_redirects=False,
        )
        assert response.status_code == 303 and "saved=1" in response.headers["location"]
        page = client.get(f"{PAGE}?lang=fr").text
        assert _badge(page, index) == "up_to_date"
        todo = client.get("/admin/translations/language/fr?status=outdated").text
        assert f"/admin/translations/service/{SERVICE}?lang=fr" not in todo
    row = _row(sessions, "description", "fr")
    assert row is not None and row.text == new_text and row.status == TranslationStatus.UP_TO_DATE
    with sessions() as session:  # the bot's card now uses the new French text
        service = CatalogueRepository(session).service(SERVICE)
        assert service is not None
        index_rows = CatalogueRepository(session).translations_for([service])
        text = index_rows.localize(("service", SERVICE, "description"), service.description, "fr")
        assert text.text == new_text and not text.outdated


def test_a_machine_translation_can_be_stored_and_saving_untouched_texts_changes_nothing(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with app_client(settings) as client:
        login(client, "tina")
        fields = edit_form(client, f"{PAGE}?lang=ti", PAGE)
        index = _index_of(fields, f"service|{SERVICE}|name")
        untouched = client.post(PAGE, data=as_data(fields), follow_redirects=False)
        assert "saved=0" in untouched.headers["location"]
        assert _row(sessions, "name", "ti") is None
        response = client.post(
            PAGE,
            data=as_data(
                with_values(
                    fields, {f"text-{index}": "ምዝገባ ነበርቲ", f"status-{index}": "machine_translated"}
                )
            ),
            follow_redirects=False,
        )
        assert "saved=1" in response.headers["location"]
        page = client.get(f"{PAGE}?lang=ti").text
        assert _badge(page, index) == "machine_translated"
        overview = client.get("/admin/translations/language/ti?status=machine_translated").text
        assert f"/admin/translations/service/{SERVICE}?lang=ti" in overview


def test_two_translators_saving_the_same_text_the_second_gets_a_conflict(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with app_client(settings) as first, app_client(settings) as second:
        login(first, "tina")
        login(second, "ada")
        mine = edit_form(first, f"{PAGE}?lang=es", PAGE)
        theirs = edit_form(second, f"{PAGE}?lang=es", PAGE)
        index = _index_of(mine, f"service|{SERVICE}|fees_description")
        saved = second.post(
            PAGE,
            data=as_data(with_values(theirs, {f"text-{index}": "Gratis (Ada)."})),
            follow_redirects=False,
        )
        assert saved.status_code == 303
        stale = first.post(
            PAGE, data=as_data(with_values(mine, {f"text-{index}": "Gratuito (Tina)."}))
        )
        assert stale.status_code == 409
        assert 'id="conflict"' in stale.text and "Gratis (Ada)." in stale.text
        assert "Gratuito (Tina)." in stale.text  # her text is still in the form
    row = _row(sessions, "fees_description", "es")
    assert row is not None and row.text == "Gratis (Ada)."


def test_viewers_and_editors_of_other_organisations_cannot_save_translations(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    before = _row(sessions, "name", "de")
    for username in ("victor",):
        with app_client(settings) as client:
            login(client, username)
            page = client.get(f"{PAGE}?lang=de").text
            assert 'id="save-translations"' not in page
            with app_client(settings) as translator:
                login(translator, "tina")
                fields = edit_form(translator, f"{PAGE}?lang=de", PAGE)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert token
            index = _index_of(fields, f"service|{SERVICE}|name")
            response = client.post(
                PAGE,
                data=as_data(
                    with_values(
                        fields, {"csrf_token": token.group(1), f"text-{index}": "Anmeldung"}
                    )
                ),
            )
            assert response.status_code == 403
    after = _row(sessions, "name", "de")
    assert (before.text if before else None) == (after.text if after else None)
