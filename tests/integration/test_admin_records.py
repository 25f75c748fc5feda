"""Organisations, locations and categories through the real admin app and database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.models import Location, Organization, Service, TaxonomyTerm
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.setup import prepare_catalogue
from bot.settings import Settings
from tests.admin_support import (
    app_client,
    as_data,
    create_role_users,
    edit_form,
    form_fields,
    login,
    value_of,
    with_values,
)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('admin-records') / 'catalogue.sqlite3'}"
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


def test_admin_creates_an_organisation_and_archiving_it_archives_its_services(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with app_client(settings) as client:
        login(client, "ada")
        refused = client.post(
            "/admin/organizations/new",
            data=as_data(
                with_values(
                    edit_form(client, "/admin/organizations/new"), {"website": "www.example"}
                )
            ),
        )
        assert refused.status_code == 400
        assert 'id="error-name"' in refused.text and 'id="error-website"' in refused.text
        created = client.post(
            "/admin/organizations/new",
            data=as_data(
                with_values(
                    edit_form(client, "/admin/organizations/new"),
                    {"name": "Associazione Prova", "website": "https://prova.example.org"},
                )
            ),
            follow_redirects=False,
        )
        assert created.status_code == 303
        path = created.headers["location"].split("?")[0]
        organization_id = path.rsplit("/", 1)[1]
        new_service = with_values(
            edit_form(client, "/admin/services/new"),
            {
                "name": "Sportello di prova",
                "description": "Un servizio creato dal test.",
                "organization_id": organization_id,
                "categories": ["community"],
            },
        )
        made = client.post("/admin/services/new", data=as_data(new_service), follow_redirects=False)
        assert made.status_code == 303, made.text
        archive = form_fields(client.get(path).text, f"{path}/status")
        assert client.post(f"{path}/status", data=as_data(archive)).status_code == 200
    with sessions() as session:
        organization = session.get(Organization, organization_id)
        assert organization is not None and organization.status == "inactive"
        services = session.scalars(
            select(Service).where(Service.organization_id == organization_id)
        )
        assert [s.status for s in services] == ["inactive"]
        assert not [
            s
            for s in CatalogueRepository(session).services()
            if s.organization_id == organization_id
        ]


def test_an_editor_may_not_create_or_archive_organisations(settings: Settings) -> None:
    with app_client(settings) as client:
        login(client, "eddie")
        assert client.get("/admin/organizations/new").status_code == 403
        page = client.get("/admin/organizations/org-comune-cremona").text
        assert "/admin/organizations/org-comune-cremona/status" not in page
        token = form_fields(page, "/logout")[0][1]
        response = client.post(
            "/admin/organizations/org-comune-cremona/status",
            data={"csrf_token": token, "action": "archive"},
        )
        assert response.status_code == 403


def test_a_location_in_use_cannot_be_archived_and_says_by_which_services(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        location = session.scalars(
            select(Location).where(Location.organization_id == "org-comune-cremona")
        ).first()
        assert location is not None
        location_id = location.id
    path = f"/admin/locations/{location_id}"
    with app_client(settings) as client:
        login(client, "eddie")
        fields = edit_form(client, path)
        refused = client.post(
            path, data=as_data(with_values(fields, {"latitude": "145.2", "longitude": ""}))
        )
        assert refused.status_code == 400
        assert 'id="error-latitude"' in refused.text and 'id="error-longitude"' in refused.text
        status = form_fields(client.get(path).text, f"{path}/status")
        response = client.post(f"{path}/status", data=as_data(status))
        assert response.status_code == 409 and 'id="in-use"' in response.text
    with sessions() as session:
        saved = session.get(Location, location_id)
        assert saved is not None and saved.status == "active" and saved.latitude != 145.2


def test_a_new_location_needs_an_address_and_an_editor_can_only_pick_their_organisations(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with app_client(settings) as client:
        login(client, "eddie")
        form = edit_form(client, "/admin/locations/new")
        choices = client.get("/admin/locations/new").text
        assert "org-caritas-cremonese" not in choices
        bad = client.post(
            "/admin/locations/new",
            data=as_data(
                with_values(
                    form,
                    {
                        "name": "Sede nuova",
                        "address_1": "",
                        "organization_id": "org-caritas-cremonese",
                    },
                )
            ),
        )
        assert bad.status_code == 400
        assert 'id="error-address_1"' in bad.text and 'id="error-organization_id"' in bad.text
        good = client.post(
            "/admin/locations/new",
            data=as_data(
                with_values(
                    form,
                    {
                        "name": "Sede nuova",
                        "address_1": "Via Prova 1",
                        "organization_id": "org-comune-cremona",
                    },
                )
            ),
            follow_redirects=False,
        )
        assert good.status_code == 303
        location_id = good.headers["location"].split("?")[0].rsplit("/", 1)[1]
        path = f"/admin/locations/{location_id}"
        status = form_fields(client.get(path).text, f"{path}/status")
        assert (
            client.post(f"{path}/status", data=as_data(status), follow_redirects=False).status_code
            == 303
        )
    with sessions() as session:
        location = session.get(Location, location_id)
        assert location is not None and location.city == "Cremona" and location.status == "inactive"


def test_categories_admins_create_and_archive_and_the_bot_menu_follows(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with app_client(settings) as client:
        login(client, "ada")
        form = edit_form(client, "/admin/categories/new")
        duplicate = client.post(
            "/admin/categories/new",
            data=as_data(with_values(form, {"code": "health", "name": "Salute"})),
        )
        assert duplicate.status_code == 400 and 'id="error-code"' in duplicate.text
        malformed = client.post(
            "/admin/categories/new",
            data=as_data(with_values(form, {"code": "Sport Club", "name": "Sport"})),
        )
        assert malformed.status_code == 400 and 'id="error-code"' in malformed.text
        created = client.post(
            "/admin/categories/new",
            data=as_data(
                with_values(form, {"code": "sport_leisure", "name": "Sport e tempo libero"})
            ),
            follow_redirects=False,
        )
        assert created.status_code == 303
        path = "/admin/categories/cat-sport_leisure"
        with sessions() as session:
            assert "sport_leisure" in [t.code for t in CatalogueRepository(session).taxonomy()]
        status = form_fields(client.get(path).text, f"{path}/status")
        assert value_of(status, "action") == "archive"
        client.post(f"{path}/status", data=as_data(status))
    with sessions() as session:
        assert "sport_leisure" not in [t.code for t in CatalogueRepository(session).taxonomy()]
        term = session.get(TaxonomyTerm, "cat-sport_leisure")
        assert term is not None and term.status == "inactive"
    with app_client(settings) as client:
        login(client, "tina")
        assert client.get("/admin/categories/new").status_code == 403
